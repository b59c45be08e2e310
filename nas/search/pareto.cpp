#include "nas/search/pareto.h"

#include <algorithm>
#include <cmath>

#include <pagmo/utils/hypervolume.hpp>

namespace imc::nas {

bool dominates(const Point& a, const Point& b) {
  bool better = false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i] > b[i]) return false;
    better |= a[i] < b[i];
  }
  return better;
}

std::vector<size_t> pareto_front(const std::vector<Point>& points) {
  std::vector<size_t> front;
  for (size_t i = 0; i < points.size(); ++i) {
    bool keep = true;
    for (size_t j = 0; j < points.size() && keep; ++j) {
      keep = !dominates(points[j], points[i]) && !(j < i && points[j] == points[i]);
    }
    if (keep) front.push_back(i);
  }
  return front;
}

double hypervolume(const std::vector<Point>& points, const Point& ref) {
  std::vector<pagmo::vector_double> inside;
  for (const Point& p : points) {
    bool strictly = true;
    for (size_t i = 0; i < p.size(); ++i) strictly &= p[i] < ref[i];
    if (strictly) inside.push_back(p);
  }
  if (inside.empty()) return 0;
  return pagmo::hypervolume(inside, true).compute(ref);
}

double scaled(Metric m, const Metrics& x) {
  const double v = minimised(m, x);
  return m == Metric::kAccuracy ? v : std::log10(std::max(v, 1e-300));
}

Point HvFrame::normalised(const Metrics& m) const {
  Point p;
  for (size_t i = 0; i < objectives.size(); ++i)
    p.push_back((scaled(objectives[i], m) - lo[i]) / (hi[i] - lo[i]));
  return p;
}

HvFrame hv_frame(const std::vector<Metric>& objectives, const std::vector<Metrics>& candidates) {
  HvFrame f{objectives, {}, {}};
  for (Metric o : objectives) {
    double lo = INFINITY, hi = -INFINITY;
    for (const Metrics& m : candidates)
      lo = std::min(lo, scaled(o, m)), hi = std::max(hi, scaled(o, m));
    if (!(hi > lo)) lo = std::isfinite(lo) ? lo - 0.5 : 0, hi = lo + 1;  // no spread: any unit
    f.lo.push_back(lo);
    f.hi.push_back(hi);
  }
  return f;
}

void ParetoArchive::insert(const Point& p) {
  for (const Point& q : front_) {
    if (dominates(q, p) || q == p) return;
  }
  front_.erase(
      std::remove_if(front_.begin(), front_.end(), [&](const Point& q) { return dominates(p, q); }),
      front_.end());
  front_.push_back(p);
}

}  // namespace imc::nas
