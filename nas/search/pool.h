// Where candidates are evaluated: a pool runs a batch of jobs, several at a time, and reports
// each outcome as it arrives. Local child processes, MPI worker ranks, or (tests, the
// synthetic benchmark) a plain function in this process.
#pragma once
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

#include "nas/eval/candidate.h"

namespace imc::nas {

struct Outcome {
  EvalResult result;
  int attempts = 1;
  double wall_s = 0;   // all attempts
  std::string worker;  // where it ran
};

// The evaluator rejected the job itself (exit 2: missing data set, unreadable arch file):
// no candidate would fare better, so the search stops instead of failing them all.
class SetupFailure : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class WorkerPool {
 public:
  virtual ~WorkerPool() = default;
  // Runs every job; calls done(index, outcome) as each finishes (in any order) and returns
  // when all have. Throws SetupFailure, or whatever done() throws (nothing is left running).
  virtual void run(const std::vector<EvalJob>& jobs,
                   const std::function<void(size_t, const Outcome&)>& done) = 0;
  virtual int slots() const = 0;                // candidates evaluated at once
  virtual std::string description() const = 0;  // "2 local workers"
};

// Runs a function in this process, one job at a time (no crash isolation).
class InProcessPool : public WorkerPool {
 public:
  using Evaluate = std::function<EvalResult(const EvalJob&)>;
  explicit InProcessPool(Evaluate f) : evaluate_(std::move(f)) {}
  void run(const std::vector<EvalJob>& jobs,
           const std::function<void(size_t, const Outcome&)>& done) override {
    for (size_t i = 0; i < jobs.size(); ++i) {
      ++evaluations_;
      done(i, Outcome{evaluate_(jobs[i]), 1, 0, "in-process"});
    }
  }
  int slots() const override { return 1; }
  std::string description() const override { return "in-process evaluation"; }
  long evaluations() const { return evaluations_; }  // for tests: nothing evaluated twice

 private:
  Evaluate evaluate_;
  long evaluations_ = 0;
};

}  // namespace imc::nas
