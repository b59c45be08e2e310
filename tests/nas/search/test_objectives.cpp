// Objectives, constraints, Pareto fronts and hypervolume.
#include <gtest/gtest.h>

#include "hw/arch/load.h"
#include "nas/search/algorithms.h"
#include "nas/search/pareto.h"

namespace imc::nas {
namespace {

std::string error_of(void (*f)(const std::string&), const std::string& arg) {
  try {
    f(arg);
  } catch (const arch::InputError& e) {
    return e.what();
  }
  return "";
}

Metrics metrics(double acc, double cycles, double energy, double area = 1) {
  Metrics m;
  m.accuracy = acc, m.cycles_per_image = cycles, m.energy_pj_per_image = energy;
  m.area_cells = area;
  return m;
}

TEST(Objectives, ParseAndName) {
  const auto o = parse_objectives("accuracy, latency,energy,area");
  ASSERT_EQ(o.size(), 4u);
  EXPECT_EQ(o[1], Metric::kLatency);
  EXPECT_EQ(objectives_text(o), "accuracy,latency,energy,area");
  const Metrics m = metrics(0.8, 1000, 5e5, 3e6);
  EXPECT_DOUBLE_EQ(minimised(Metric::kAccuracy, m), 1 - 0.8);
  EXPECT_DOUBLE_EQ(minimised(Metric::kEnergy, m), 5e5);
  EXPECT_DOUBLE_EQ(metric_value(Metric::kArea, m), 3e6);
}

TEST(Objectives, BadListsAreNamed) {
  auto parse = [](const std::string& s) { parse_objectives(s); };
  EXPECT_EQ(error_of(parse, "accuracy,power"),
            "--objectives 'accuracy,power': unknown objective 'power' (expected accuracy, "
            "latency, energy, area)");
  EXPECT_EQ(error_of(parse, "energy,energy"), "--objectives 'energy,energy': 'energy' twice");
  EXPECT_EQ(error_of(parse, ""), "--objectives is empty (expected e.g. accuracy,energy)");
}

TEST(Objectives, Constraints) {
  const Constraint c = parse_constraint("energy<=5e5");
  EXPECT_EQ(c.metric, Metric::kEnergy);
  EXPECT_TRUE(c.at_most);
  EXPECT_DOUBLE_EQ(c.bound, 5e5);
  EXPECT_EQ(c.text(), "energy<=500000");
  const auto both = parse_constraints("energy<=500000;accuracy>=0.8");
  ASSERT_EQ(both.size(), 2u);
  EXPECT_EQ(constraints_text(both), "energy<=500000;accuracy>=0.80000000000000004");
  EXPECT_EQ(parse_constraints(constraints_text(both))[1].bound, 0.8);
  EXPECT_DOUBLE_EQ(violation(both, metrics(0.9, 1, 4e5)), 0);
  EXPECT_DOUBLE_EQ(violation(both, metrics(0.9, 1, 6e5)), 0.2);
  EXPECT_DOUBLE_EQ(violation(both, metrics(0.4, 1, 6e5)), 0.2 + 0.5);
  auto parse = [](const std::string& s) { parse_constraint(s); };
  EXPECT_EQ(error_of(parse, "energy<5e5"),
            "--constraint 'energy<5e5': expected METRIC<=BOUND or METRIC>=BOUND, e.g. "
            "energy<=5e5");
  EXPECT_EQ(error_of(parse, "power<=3"),
            "--constraint 'power<=3': unknown metric 'power' (expected accuracy, latency, "
            "energy, area)");
  EXPECT_EQ(error_of(parse, "energy<=lots"), "--constraint 'energy<=lots': 'lots' is not a number");
}

TEST(Pareto, FrontKeepsTheNonDominatedOnce) {
  const std::vector<Point> p = {{0.1, 5}, {0.2, 3}, {0.2, 4}, {0.3, 1}, {0.2, 3}, {0.5, 0.5}};
  EXPECT_EQ(pareto_front(p), (std::vector<size_t>{0, 1, 3, 5}));
  EXPECT_TRUE(dominates({0.2, 3}, {0.2, 4}));
  EXPECT_FALSE(dominates({0.2, 3}, {0.2, 3}));
  EXPECT_FALSE(dominates({0.1, 5}, {0.3, 1}));
}

TEST(Pareto, HypervolumeOfTwoBoxes) {
  // [0.2,1]x[0.6,1] (0.32) + [0.5,1]x[0.3,1] (0.35) - overlap [0.5,1]x[0.6,1] (0.2).
  EXPECT_NEAR(hypervolume({{0.2, 0.6}, {0.5, 0.3}}, {1, 1}), 0.47, 1e-12);
  // Points not strictly inside the reference box add nothing.
  EXPECT_NEAR(hypervolume({{0.2, 0.6}, {0.5, 0.3}, {1.0, 0.1}, {0.1, 1.2}}, {1, 1}), 0.47, 1e-12);
  EXPECT_EQ(hypervolume({}, {1, 1}), 0);
  EXPECT_NEAR(hypervolume({{0.5, 0.5, 0.5}}, {1, 1, 1}), 0.125, 1e-12);
}

TEST(Pareto, FrameSpansTheCandidatesOnLogCosts) {
  const HvFrame f = hv_frame({Metric::kAccuracy, Metric::kEnergy},
                             {metrics(0.8, 1, 100), metrics(0.9, 1, 10000), metrics(0.6, 1, 1000)});
  EXPECT_NEAR(f.lo[0], 0.1, 1e-12);
  EXPECT_NEAR(f.hi[0], 0.4, 1e-12);
  EXPECT_NEAR(f.lo[1], 2, 1e-12);
  EXPECT_NEAR(f.hi[1], 4, 1e-12);
  const Point p = f.normalised(metrics(0.7, 1, 1000));
  EXPECT_NEAR(p[0], 2.0 / 3, 1e-12);
  EXPECT_NEAR(p[1], 0.5, 1e-12);
  EXPECT_EQ(f.reference(), (Point{1.1, 1.1}));
  // The best corner of the frame dominates the whole box up to the reference point.
  EXPECT_NEAR(hypervolume({f.normalised(metrics(0.9, 1, 100))}, f.reference()), 1.21, 1e-12);
}

TEST(Pareto, ArchiveTracksTheFront) {
  ParetoArchive a;
  a.insert({0.5, 0.5});
  a.insert({0.6, 0.6});  // dominated
  EXPECT_EQ(a.size(), 1u);
  a.insert({0.4, 0.7});
  EXPECT_EQ(a.size(), 2u);
  a.insert({0.3, 0.3});  // dominates both
  EXPECT_EQ(a.size(), 1u);
}

TEST(ScalarFitness, SeedPaperFunctions) {
  CandidateRecord c;
  c.status = "ok";
  c.metrics = metrics(0.8, 400, 2e5);
  EXPECT_DOUBLE_EQ(scalar_fitness({Metric::kAccuracy}, {}, c), 0.8);
  EXPECT_DOUBLE_EQ(scalar_fitness({Metric::kAccuracy, Metric::kLatency}, {}, c), 0.8 / 400);
  EXPECT_DOUBLE_EQ(scalar_fitness({Metric::kAccuracy, Metric::kEnergy}, {}, c), 0.8 / 2e5);
  EXPECT_EQ(scalar_fitness({Metric::kAccuracy}, parse_constraints("energy<=1e5"), c), -INFINITY);
  c.status = "failed";
  EXPECT_EQ(scalar_fitness({Metric::kAccuracy}, {}, c), -INFINITY);
  EXPECT_NO_THROW(check_scalar_objectives({Metric::kAccuracy, Metric::kEnergy}));
  EXPECT_THROW(check_scalar_objectives({Metric::kEnergy}), arch::InputError);
  EXPECT_THROW(check_scalar_objectives({Metric::kAccuracy, Metric::kArea}), arch::InputError);
}

}  // namespace
}  // namespace imc::nas
