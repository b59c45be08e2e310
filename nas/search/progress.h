// Progress on stderr: one line per evaluated candidate with candidates done/total, failed,
// the best so far, the size of the front, elapsed and estimated time left; failures with
// their reason.
#pragma once
#include <chrono>
#include <cstdint>
#include <ostream>

#include "nas/search/pareto.h"
#include "nas/store/store.h"

namespace imc::nas {

class Progress {
 public:
  // out may be null (quiet). total: the proposals the search will make.
  Progress(std::ostream* out, int64_t total, std::vector<Metric> objectives,
           std::vector<Constraint> constraints);

  // A proposal was resolved; fresh: evaluated now (not found in the database).
  void resolved(const CandidateRecord& c, bool fresh);
  void message(const std::string& text);  // "imcnas: TEXT"

  int64_t done() const { return done_; }
  int64_t failed() const { return failed_; }
  int64_t evaluated() const { return fresh_; }
  static std::string clock(double seconds);  // "1:02:03"

 private:
  void line();

  std::ostream* out_;
  int64_t total_, done_ = 0, failed_ = 0, fresh_ = 0, reused_ = 0;
  std::vector<Metric> objectives_;
  std::vector<Constraint> constraints_;
  bool have_best_ = false;
  double best_ = 0;
  std::string best_name_;
  ParetoArchive front_;
  std::chrono::steady_clock::time_point start_;
};

}  // namespace imc::nas
