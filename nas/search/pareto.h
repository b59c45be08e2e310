// Non-dominated sets and hypervolume (pagmo::hypervolume) over minimised objective vectors.
//
// Hypervolume is measured in a normalised space, so that numbers are comparable between
// objectives and runs: each objective is first put on the scale the search sees it on,
// 1 - accuracy and log10 of the costs (latency, energy, area span decades), then mapped
// linearly onto [0, 1] between its smallest and largest value among the candidates considered
// (the search's feasible candidates in reports; both runs' in the benchmark). The reference
// point is (1.1, ..., 1.1): just beyond the worst value of every objective, so the extreme
// candidates count too. A hypervolume is then at most 1.1^d (d objectives).
#pragma once
#include <cstddef>
#include <vector>

#include "nas/search/objectives.h"

namespace imc::nas {

using Point = std::vector<double>;  // minimised objective values

bool dominates(const Point& a, const Point& b);  // a <= b everywhere, < somewhere

// Indices of the non-dominated points (of equal points, the first), in input order.
std::vector<size_t> pareto_front(const std::vector<Point>& points);

// Hypervolume dominated by `points` up to `ref`; points not strictly better than ref in every
// objective add nothing and are left out (pagmo refuses them).
double hypervolume(const std::vector<Point>& points, const Point& ref);

struct HvFrame {
  std::vector<Metric> objectives;
  std::vector<double> lo, hi;  // per objective, on the scale of scaled() below
  Point normalised(const Metrics& m) const;
  Point reference() const { return Point(objectives.size(), 1.1); }
};
// 1 - accuracy, or log10 of a cost: minimised, and even over orders of magnitude.
double scaled(Metric m, const Metrics& x);
// The frame of a set of candidates' metrics (see above).
HvFrame hv_frame(const std::vector<Metric>& objectives, const std::vector<Metrics>& candidates);

// Keeps the non-dominated points seen so far, for progress lines.
class ParetoArchive {
 public:
  void insert(const Point& p);
  size_t size() const { return front_.size(); }
  const std::vector<Point>& points() const { return front_; }

 private:
  std::vector<Point> front_;
};

}  // namespace imc::nas
