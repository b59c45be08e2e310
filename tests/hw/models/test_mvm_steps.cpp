// mvm_steps / mvm_step_sums / compose_mvm: an MVM cut into its read steps, as co-simulation
// feeds them to the RTL column and accumulator, must add back up to CrossbarArray::mvm on
// every readout (digital, ADC, faults, variation), with as many steps as mvm_cycles counts.
#include <gtest/gtest.h>

#include <random>
#include <vector>

#include "hw/models/mvm_steps.h"
#include "tests/hw/models/test_inputs.h"

namespace imc::models {
namespace {

using arch::Readout;
using isa::DType;
using testing::random_gather;
using testing::test_plane_value;
using testing::TestGather;

arch::CrossbarParams params(int rows, int cols, int rows_per_step, Readout ro = Readout::kDigital) {
  arch::CrossbarParams p;
  p.rows = rows;
  p.cols = cols;
  p.cells_per_weight = 2;
  p.rows_per_step = rows_per_step;
  p.readout = ro;
  p.adc.bits = 4;  // coarse: quantisation alters step sums
  p.adc.full_scale = rows_per_step;
  p.adc.count = 3;
  p.adc.conversion_cycles = 2;
  p.read_cycles = 3;
  return p;
}

std::vector<int32_t> random_weights(int rows, int cols, std::mt19937& rng) {
  std::vector<int32_t> w(static_cast<size_t>(rows) * cols);
  for (int32_t& v : w) v = static_cast<int32_t>(rng() % 3) - 1;
  return w;
}

struct Case {
  arch::CrossbarParams p;
  TestGather tg;
  InputVector in;
};

Case make_case(const arch::CrossbarParams& p, DType t, std::mt19937& rng, CrossbarArray& xb) {
  Case c{p, random_gather(t, p.rows, rng), {}};
  gather_input(t, c.tg.mem.data(), c.tg.addr, c.tg.g, c.tg.row0, p.rows, c.in);
  const std::vector<int32_t> w = random_weights(p.rows, p.cols, rng);
  EXPECT_TRUE(xb.program(0, 0, p.rows, p.cols, w.data()));
  return c;
}

const DType kTypes[] = {DType::kB1, DType::kT2, DType::kU8, DType::kI8};

TEST(MvmSteps, AsManyStepsAsMvmCyclesCountsCoveringTheDrivenRows) {
  std::mt19937 rng(1);
  for (int rps : {1, 16, 50, 64, 256}) {
    for (Readout ro : {Readout::kDigital, Readout::kAdc}) {
      const arch::CrossbarParams p = params(256, 40, rps, ro);
      CrossbarArray xb(p, 7);
      for (int k = 0; k < 20; ++k) {
        const Case c = make_case(p, kTypes[k % 4], rng, xb);
        const std::vector<MvmStep> steps = mvm_steps(c.in, p);
        const int64_t per_step = p.read_cycles + (ro == Readout::kAdc ? (40 + 2) / 3 * 2 : 0);
        EXPECT_EQ(static_cast<int64_t>(steps.size()) * per_step, xb.mvm_cycles(c.in, 40));
        int covered = 0;
        for (const MvmStep& s : steps) {
          EXPECT_EQ(s.group_row0 % rps, 0);
          EXPECT_LE(s.group_row0, s.row_lo);
          EXPECT_LE(s.row_hi - s.group_row0, rps);
          EXPECT_EQ(s.weight, kTypes[k % 4] == DType::kI8 && s.plane == 7 ? -128 : 1 << s.plane);
          if (s.plane == 0) covered += s.row_hi - s.row_lo;
        }
        EXPECT_EQ(covered, c.in.row_hi - c.in.row_lo);
      }
    }
  }
}

TEST(MvmSteps, DigitalStepSumsEqualANaiveCount) {
  std::mt19937 rng(2);
  const arch::CrossbarParams p = params(200, 24, 64);
  CrossbarArray xb(p, 3);
  for (int k = 0; k < 40; ++k) {
    const DType t = kTypes[k % 4];
    const Case c = make_case(p, t, rng, xb);
    const std::vector<MvmStep> steps = mvm_steps(c.in, p);
    std::vector<int32_t> sums;
    mvm_step_sums(xb, c.in, steps, 5, 19, sums);
    for (size_t s = 0; s < steps.size(); ++s) {
      for (int j = 0; j < 19; ++j) {
        int32_t want = 0;
        for (int r = steps[s].row_lo; r < steps[s].row_hi; ++r)
          want += xb.weight(r, 5 + j) * test_plane_value(t, c.tg.row_value[r], steps[s].plane);
        ASSERT_EQ(sums[s * 19 + j], want) << "case " << k << " step " << s << " column " << j;
      }
    }
  }
}

// Steps added back up give CrossbarArray::mvm's result, whatever the readout.
void expect_composes(arch::CrossbarParams p, uint32_t seed) {
  std::mt19937 rng(seed);
  CrossbarArray xb(p, seed);
  for (int k = 0; k < 24; ++k) {
    const Case c = make_case(p, kTypes[k % 4], rng, xb);
    const int col0 = static_cast<int>(rng() % 8), ncols = p.cols - col0;
    const int shift = static_cast<int>(rng() % 32);
    const bool acc = k % 2 != 0;
    std::vector<int32_t> old(ncols);
    for (int32_t& v : old) v = static_cast<int32_t>(rng());
    std::vector<int32_t> want = old, got(ncols);
    MvmCounts counts;
    xb.mvm(c.in, col0, ncols, shift, acc, want.data(), counts);
    const std::vector<MvmStep> steps = mvm_steps(c.in, p);
    std::vector<int32_t> sums;
    mvm_step_sums(xb, c.in, steps, col0, ncols, sums);
    compose_mvm(steps, sums.data(), ncols, shift, acc, old.data(), got.data());
    ASSERT_EQ(got, want) << "case " << k;
  }
}

TEST(MvmSteps, ComposeEqualsMvmDigital) {
  expect_composes(params(256, 32, 256), 11);
  expect_composes(params(130, 20, 16), 12);
}

TEST(MvmSteps, ComposeEqualsMvmCoarseAdc) {
  expect_composes(params(128, 20, 16, Readout::kAdc), 13);
}

TEST(MvmSteps, ComposeEqualsMvmWithFaultsAndVariation) {
  arch::CrossbarParams p = params(96, 16, 32, Readout::kAdc);
  p.stuck_at_0 = 0.05;
  p.stuck_at_1 = 0.05;
  expect_composes(p, 14);
  p.variation_sigma = 0.2;
  expect_composes(p, 15);
}

TEST(MvmSteps, EmptyInputTakesOneZeroStepPerPlane) {
  const arch::CrossbarParams p = params(64, 8, 16);
  CrossbarArray xb(p, 1);
  InputVector in;
  in.planes = 8;
  in.words = 1;
  in.nz.assign(8, 0);
  in.neg.assign(8, 0);
  const std::vector<MvmStep> steps = mvm_steps(in, p);
  ASSERT_EQ(steps.size(), 8u);
  EXPECT_EQ(static_cast<int64_t>(steps.size()) * p.read_cycles, xb.mvm_cycles(in, 8));
  std::vector<int32_t> sums;
  mvm_step_sums(xb, in, steps, 0, 8, sums);
  EXPECT_EQ(sums, std::vector<int32_t>(64, 0));
}

}  // namespace
}  // namespace imc::models
