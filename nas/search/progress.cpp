#include "nas/search/progress.h"

#include <cmath>
#include <cstdio>
#include <iomanip>
#include <sstream>

namespace imc::nas {

Progress::Progress(std::ostream* out, int64_t total, std::vector<Metric> objectives,
                   std::vector<Constraint> constraints)
    : out_(out),
      total_(total),
      objectives_(std::move(objectives)),
      constraints_(std::move(constraints)),
      start_(std::chrono::steady_clock::now()) {}

std::string Progress::clock(double seconds) {
  const long s = long(std::lround(std::max(0.0, seconds)));
  char text[32];
  std::snprintf(text, sizeof text, "%ld:%02ld:%02ld", s / 3600, s / 60 % 60, s % 60);
  return text;
}

void Progress::message(const std::string& text) {
  if (out_) *out_ << "imcnas: " << text << std::endl;
}

void Progress::resolved(const CandidateRecord& c, bool fresh) {
  ++done_;
  fresh ? ++fresh_ : ++reused_;
  if (!c.ok()) {
    ++failed_;
    if (fresh)
      message("candidate " + std::to_string(c.seq) + " (" + c.description +
              ") failed: " + c.failure);
  } else if (violation(constraints_, c.metrics) == 0) {
    Point p;
    for (Metric o : objectives_) p.push_back(minimised(o, c.metrics));
    front_.insert(p);
    if (!have_best_ || p[0] < best_) have_best_ = true, best_ = p[0], best_name_ = c.description;
  }
  if (fresh) line();
}

void Progress::line() {
  if (!out_) return;
  const double elapsed =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  std::ostringstream s;
  s << done_ << "/" << total_ << " candidates";
  if (reused_) s << " (" << reused_ << " from the database)";
  s << ", " << failed_ << " failed";
  if (have_best_) {
    const Metric m = objectives_[0];
    const double value = m == Metric::kAccuracy ? 1 - best_ : best_;
    s << " | best " << metric_name(m) << " " << std::setprecision(m == Metric::kAccuracy ? 4 : 6)
      << value << " (" << best_name_ << ")";
    if (objectives_.size() > 1) s << ", front " << front_.size();
  }
  s << " | " << clock(elapsed) << " elapsed";
  if (fresh_ > 0 && done_ < total_)
    s << ", ~" << clock(elapsed / fresh_ * (total_ - done_)) << " left";
  message(s.str());
}

}  // namespace imc::nas
