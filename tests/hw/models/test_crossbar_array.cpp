// CrossbarArray: programming, MVM against a naive reference, ADC steps, stuck-at faults,
// device variation, and the cycle/activity counts.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <stdexcept>
#include <vector>

#include "hw/models/crossbar_array.h"
#include "tests/hw/models/test_inputs.h"

namespace imc::models {
namespace {

using arch::Readout;
using isa::DType;
using testing::random_gather;
using testing::test_pack;
using testing::test_plane_value;
using testing::test_plane_weight;
using testing::test_planes;
using testing::TestGather;

arch::CrossbarParams make_params(int rows, int cols, int cells = 2, int rows_per_step = 64,
                                 Readout ro = Readout::kDigital, int bits = 8, int fs = 64) {
  arch::CrossbarParams p;
  p.rows = rows;
  p.cols = cols;
  p.cells_per_weight = cells;
  p.rows_per_step = rows_per_step;
  p.readout = ro;
  p.adc.bits = bits;
  p.adc.full_scale = fs;
  return p;
}

// Naive reference: unpacked ints, a loop per plane, row group and column.
std::vector<int32_t> reference_mvm(const arch::CrossbarParams& p, const std::vector<int32_t>& w,
                                   DType t, const std::vector<int32_t>& x, int col0, int ncols,
                                   int shift, bool accumulate, std::vector<int32_t> out) {
  const int step = p.rows_per_step > 0 ? std::min(p.rows_per_step, p.rows) : p.rows;
  for (int j = 0; j < ncols; ++j) {
    int64_t total = 0;
    for (int pl = 0; pl < test_planes(t); ++pl) {
      for (int g0 = 0; g0 < p.rows; g0 += step) {
        int64_t s = 0;
        for (int r = g0; r < std::min(g0 + step, p.rows); ++r) {
          s += w[static_cast<size_t>(r) * p.cols + col0 + j] * test_plane_value(t, x[r], pl);
        }
        const int64_t q =
            p.readout == Readout::kAdc ? adc_quantize(static_cast<double>(s), p.adc) : s;
        total += test_plane_weight(t, pl) * q;
      }
    }
    out[j] = static_cast<int32_t>((accumulate ? out[j] : 0) + total * (int64_t{1} << shift));
  }
  return out;
}

std::vector<int32_t> effective_weights(const CrossbarArray& xb) {
  const auto& p = xb.params();
  std::vector<int32_t> w(static_cast<size_t>(p.rows) * p.cols);
  for (int r = 0; r < p.rows; ++r) {
    for (int c = 0; c < p.cols; ++c) w[static_cast<size_t>(r) * p.cols + c] = xb.weight(r, c);
  }
  return w;
}

// Packs `v` (one element per row from row0) and gathers it as one segment.
InputVector input(DType t, const std::vector<int32_t>& v, int row0, int rows) {
  std::vector<uint8_t> mem(testing::test_packed_bytes(t, static_cast<int64_t>(v.size())) + 1);
  test_pack(t, v.data(), static_cast<int64_t>(v.size()), mem.data());
  isa::Gather g;
  g.elems = static_cast<int64_t>(v.size());
  InputVector in;
  gather_input(t, mem.data(), 0, g, row0, rows, in);
  return in;
}

enum class Layout {
  kBinary,       // every cell programmed +-1
  kTernary,      // every cell programmed -1/0/+1
  kBinaryBlock,  // one random block of +-1, the rest left erased (0 with two cells)
  kBinaryHoles,  // all +-1, then a few single zeros
};

// Programs `xb` as `layout` says, mirroring the values into `w` ([rows][cols]).
void program_layout(CrossbarArray& xb, Layout layout, std::mt19937_64& rng,
                    std::vector<int32_t>& w) {
  const auto& p = xb.params();
  auto block = [&](int r0, int c0, int nr, int nc, bool ternary) {
    std::vector<int32_t> v(static_cast<size_t>(nr) * nc);
    for (auto& x : v) x = ternary ? static_cast<int32_t>(rng() % 3) - 1 : (rng() % 2 ? 1 : -1);
    ASSERT_TRUE(xb.program(r0, c0, nr, nc, v.data()));
    for (int r = 0; r < nr; ++r) {
      for (int c = 0; c < nc; ++c) {
        w[static_cast<size_t>(r0 + r) * p.cols + c0 + c] = v[static_cast<size_t>(r) * nc + c];
      }
    }
  };
  w.assign(static_cast<size_t>(p.rows) * p.cols, p.cells_per_weight == 1 ? -1 : 0);
  switch (layout) {
    case Layout::kBinary:
      block(0, 0, p.rows, p.cols, false);
      break;
    case Layout::kTernary:
      block(0, 0, p.rows, p.cols, true);
      break;
    case Layout::kBinaryBlock: {
      const int r0 = static_cast<int>(rng() % p.rows), c0 = static_cast<int>(rng() % p.cols);
      block(r0, c0, 1 + static_cast<int>(rng() % (p.rows - r0)),
            1 + static_cast<int>(rng() % (p.cols - c0)), false);
      break;
    }
    case Layout::kBinaryHoles: {
      block(0, 0, p.rows, p.cols, false);
      const int32_t zero = 0;
      for (int i = 0; i < 3; ++i) {
        const int r = static_cast<int>(rng() % p.rows), c = static_cast<int>(rng() % p.cols);
        ASSERT_TRUE(xb.program(r, c, 1, 1, &zero));
        w[static_cast<size_t>(r) * p.cols + c] = 0;
      }
      break;
    }
  }
}

// Random MVMs (types, gathers, column ranges, shift, accumulate) against the reference.
void check_random_mvms(const arch::CrossbarParams& p, Layout layout, uint64_t seed, int iters,
                       bool faults = false) {
  SCOPED_TRACE(::testing::Message() << p.rows << "x" << p.cols << " layout "
                                    << static_cast<int>(layout) << " seed " << seed);
  std::mt19937_64 rng(seed);
  CrossbarArray xb(p, seed);
  std::vector<int32_t> w;
  program_layout(xb, layout, rng, w);
  if (faults) {
    w = effective_weights(xb);
  } else {
    ASSERT_EQ(effective_weights(xb), w);
  }
  const DType types[] = {DType::kB1, DType::kT2, DType::kU8, DType::kI8};
  InputVector in;
  MvmCounts counts;
  for (int it = 0; it < iters; ++it) {
    // b1 inputs without masks half of the time: those are the fast path's.
    const DType t = it % 2 ? DType::kB1 : types[rng() % 4];
    const TestGather tg = random_gather(t, p.rows, rng, /*allow_mask=*/it % 4 != 1);
    gather_input(t, tg.mem.data(), tg.addr, tg.g, tg.row0, p.rows, in);
    const int col0 = static_cast<int>(rng() % p.cols);
    const int ncols = 1 + static_cast<int>(rng() % (p.cols - col0));
    const int shift = static_cast<int>(rng() % 4);
    const bool acc = rng() % 2;
    std::vector<int32_t> out(ncols);
    for (auto& o : out) o = static_cast<int32_t>(rng() % 2001) - 1000;
    const auto expected = reference_mvm(p, w, t, tg.row_value, col0, ncols, shift, acc, out);
    xb.mvm(in, col0, ncols, shift, acc, out.data(), counts);
    ASSERT_EQ(out, expected) << "iteration " << it << " type " << static_cast<int>(t) << " rows ["
                             << tg.row_lo << "," << tg.row_hi << ") cols " << col0 << "+" << ncols;
  }
}

const int kSizes[][2] = {{100, 37}, {256, 256}, {64, 64}, {1, 1}, {300, 70}, {130, 129}};

TEST(Crossbar, DigitalTwoCellsMatchesReference) {
  uint64_t seed = 1;
  for (const auto& s : kSizes) {
    for (Layout l :
         {Layout::kBinary, Layout::kTernary, Layout::kBinaryBlock, Layout::kBinaryHoles}) {
      check_random_mvms(make_params(s[0], s[1]), l, seed++, 150);
    }
  }
}

TEST(Crossbar, DigitalOneCellMatchesReference) {
  uint64_t seed = 100;
  for (const auto& s : kSizes)
    check_random_mvms(make_params(s[0], s[1], 1), Layout::kBinary, seed++, 150);
}

TEST(Crossbar, ExactAdcMatchesReference) {
  uint64_t seed = 200;
  for (const auto& s : kSizes) {
    for (Layout l : {Layout::kBinary, Layout::kTernary}) {
      check_random_mvms(make_params(s[0], s[1], 2, 32, Readout::kAdc, 8, 32), l, seed++, 100);
    }
  }
}

TEST(Crossbar, CoarseAdcQuantisesEveryStep) {
  uint64_t seed = 300;
  for (const auto& s : kSizes) {
    // Step sizes aligned and not aligned to words, and steps spanning two words.
    for (int rps : {16, 24, 100}) {
      for (Layout l : {Layout::kBinary, Layout::kTernary, Layout::kBinaryHoles}) {
        check_random_mvms(make_params(s[0], s[1], 2, rps, Readout::kAdc, 4, 8), l, seed++, 60);
      }
    }
  }
}

TEST(Crossbar, FaultyArrayMatchesReferenceOnEffectiveWeights) {
  uint64_t seed = 400;
  for (const auto& s : kSizes) {
    arch::CrossbarParams p = make_params(s[0], s[1]);
    p.stuck_at_0 = 0.05;
    p.stuck_at_1 = 0.05;
    check_random_mvms(p, Layout::kBinary, seed++, 80, /*faults=*/true);
    p.readout = Readout::kAdc;
    p.rows_per_step = 16;
    p.adc.bits = 4;
    p.adc.full_scale = 8;
    check_random_mvms(p, Layout::kTernary, seed++, 80, /*faults=*/true);
    arch::CrossbarParams one = make_params(s[0], s[1], 1);
    one.stuck_at_0 = 0.05;
    one.stuck_at_1 = 0.05;
    check_random_mvms(one, Layout::kBinary, seed++, 80, /*faults=*/true);
  }
}

TEST(Crossbar, ShiftAndAccumulate) {
  CrossbarArray xb(make_params(4, 1), 0);
  const int32_t w[4] = {1, 1, 1, 1};
  ASSERT_TRUE(xb.program(0, 0, 4, 1, w));
  MvmCounts counts;
  int32_t out = 5;
  xb.mvm(input(DType::kB1, {1, 1, 1, 1}, 0, 4), 0, 1, 2, true, &out, counts);
  EXPECT_EQ(out, 5 + (4 << 2));
  xb.mvm(input(DType::kB1, {1, 1, 1, 1}, 0, 4), 0, 1, 2, false, &out, counts);
  EXPECT_EQ(out, 16);
  xb.mvm(input(DType::kB1, {-1, -1, -1, -1}, 0, 4), 0, 1, 3, false, &out, counts);
  EXPECT_EQ(out, -32);
  xb.mvm(input(DType::kI8, {-128, 0, 0, 0}, 0, 4), 0, 1, 1, false, &out, counts);
  EXPECT_EQ(out, -256);
}

TEST(Crossbar, RejectsAnInputGatheredForAnotherRowCount) {
  CrossbarArray xb(make_params(128, 8), 0);
  MvmCounts counts;
  std::vector<int32_t> out(8);
  const InputVector in = input(DType::kB1, std::vector<int32_t>(10, 1), 0, 64);
  EXPECT_THROW(xb.mvm(in, 0, 8, 0, false, out.data(), counts), std::invalid_argument);
  EXPECT_THROW(xb.mvm(input(DType::kB1, {1}, 0, 128), 4, 8, 0, false, out.data(), counts),
               std::out_of_range);
}

TEST(Crossbar, ProgramRejectsZeroWithOneCellAndStoresNothing) {
  CrossbarArray xb(make_params(8, 8, 1), 0);
  const int32_t ok[4] = {1, 1, 1, 1};
  ASSERT_TRUE(xb.program(0, 0, 2, 2, ok));
  const int32_t bad[4] = {-1, -1, -1, 0};
  EXPECT_FALSE(xb.program(0, 0, 2, 2, bad));
  for (int r = 0; r < 2; ++r) {
    for (int c = 0; c < 2; ++c) EXPECT_EQ(xb.weight(r, c), 1);
  }
}

TEST(Crossbar, ProgramRejectsMagnitudeAboveOne) {
  CrossbarArray xb(make_params(8, 8), 0);
  const int32_t two[2] = {1, 2};
  const int32_t minus_two[2] = {-2, 0};
  EXPECT_FALSE(xb.program(0, 0, 1, 2, two));
  EXPECT_FALSE(xb.program(0, 0, 2, 1, minus_two));
  EXPECT_EQ(xb.weight(0, 0), 0);
}

TEST(Crossbar, ProgramRejectsBlocksOutsideTheArray) {
  CrossbarArray xb(make_params(8, 8), 0);
  const int32_t w[4] = {1, 1, 1, 1};
  EXPECT_FALSE(xb.program(7, 0, 2, 2, w));
  EXPECT_FALSE(xb.program(0, 7, 2, 2, w));
  EXPECT_FALSE(xb.program(-1, 0, 2, 2, w));
  EXPECT_TRUE(xb.program(6, 6, 2, 2, w));
}

TEST(Crossbar, ErasedCellsReadAsZeroOrMinusOne) {
  CrossbarArray two(make_params(8, 8, 2), 0);
  CrossbarArray one(make_params(8, 8, 1), 0);
  EXPECT_EQ(two.weight(3, 3), 0);
  EXPECT_EQ(one.weight(3, 3), -1);  // one cell: 0 is -1
  const int32_t w[3] = {1, 0, -1};
  ASSERT_TRUE(two.program(2, 5, 1, 3, w));
  EXPECT_EQ(two.weight(2, 5), 1);
  EXPECT_EQ(two.weight(2, 6), 0);
  EXPECT_EQ(two.weight(2, 7), -1);
}

// Eight rows of +1, read four rows a step by a 3-bit ADC of full scale 4 (delta 2).
TEST(Crossbar, PerStepQuantisationDiffersFromQuantisingTheTotal) {
  const std::vector<int32_t> x = {1, 1, 1, 0, 1, 0, 0, 0};
  const int32_t w[8] = {1, 1, 1, 1, 1, 1, 1, 1};
  MvmCounts counts;
  auto run = [&](int rps, Readout ro) {
    CrossbarArray xb(make_params(8, 1, 2, rps, ro, 3, 4), 0);
    EXPECT_TRUE(xb.program(0, 0, 8, 1, w));
    int32_t out = 0;
    xb.mvm(input(DType::kT2, x, 0, 8), 0, 1, 0, false, &out, counts);
    return out;
  };
  EXPECT_EQ(run(4, Readout::kAdc), 6);      // steps 3 -> 4 and 1 -> 2
  EXPECT_EQ(run(8, Readout::kAdc), 4);      // one step: 4 -> 4
  EXPECT_EQ(run(4, Readout::kDigital), 4);  // exact popcounts
}

TEST(Crossbar, StepSumsClipAtFullScale) {
  std::vector<int32_t> x(16, 1);
  std::vector<int32_t> w(16, 1);
  CrossbarArray xb(make_params(16, 1, 2, 8, Readout::kAdc, 8, 5), 0);  // delta 1, fs 5
  ASSERT_TRUE(xb.program(0, 0, 16, 1, w.data()));
  MvmCounts counts;
  int32_t out = 0;
  xb.mvm(input(DType::kB1, x, 0, 16), 0, 1, 0, false, &out, counts);
  EXPECT_EQ(out, 10);  // two steps of 8, each clipped to 5
}

// ---- stuck-at faults ----

arch::CrossbarParams faulty(int rows, int cols, int cells, double sa0, double sa1) {
  arch::CrossbarParams p = make_params(rows, cols, cells);
  p.stuck_at_0 = sa0;
  p.stuck_at_1 = sa1;
  return p;
}

void program_all(CrossbarArray& xb, int32_t v) {
  const auto& p = xb.params();
  std::vector<int32_t> w(static_cast<size_t>(p.rows) * p.cols, v);
  ASSERT_TRUE(xb.program(0, 0, p.rows, p.cols, w.data()));
}

int count_weight(const CrossbarArray& xb, int32_t v) {
  int n = 0;
  for (int r = 0; r < xb.params().rows; ++r) {
    for (int c = 0; c < xb.params().cols; ++c) n += xb.weight(r, c) == v;
  }
  return n;
}

constexpr double kAlmostOne = 1.0 - 1e-12;

TEST(CrossbarFaults, AllStuckAtOnePairsReadZero) {
  CrossbarArray xb(faulty(64, 64, 2, 0, kAlmostOne), 7);
  EXPECT_EQ(count_weight(xb, 0), 64 * 64);  // (1,1) cancels
  program_all(xb, -1);
  EXPECT_EQ(count_weight(xb, 0), 64 * 64);
}

TEST(CrossbarFaults, AllStuckAtZeroPairsReadZero) {
  CrossbarArray xb(faulty(64, 64, 2, kAlmostOne, 0), 7);
  program_all(xb, 1);
  EXPECT_EQ(count_weight(xb, 0), 64 * 64);
}

TEST(CrossbarFaults, OneCellStuckCellsForceTheirWeight) {
  CrossbarArray on(faulty(64, 64, 1, 0, kAlmostOne), 7);
  program_all(on, -1);
  EXPECT_EQ(count_weight(on, 1), 64 * 64);
  CrossbarArray off(faulty(64, 64, 1, kAlmostOne, 0), 7);
  program_all(off, 1);
  EXPECT_EQ(count_weight(off, -1), 64 * 64);
}

TEST(CrossbarFaults, SameSeedSameMapOtherSeedDiffers) {
  const arch::CrossbarParams p = faulty(128, 128, 2, 0.1, 0.1);
  CrossbarArray a(p, 42), b(p, 42), c(p, 43);
  program_all(a, 1);
  program_all(b, 1);
  program_all(c, 1);
  const auto wa = effective_weights(a);
  EXPECT_EQ(wa, effective_weights(b));
  EXPECT_NE(wa, effective_weights(c));
  EXPECT_LT(count_weight(a, 1), 128 * 128);  // some faults bite
}

TEST(CrossbarFaults, FractionsFollowTheRates) {
  const int n = 512 * 512;
  CrossbarArray two(faulty(512, 512, 2, 0.05, 0.03), 5);
  program_all(two, 1);
  // +1 survives when pos is not stuck at 0 and neg not stuck at 1.
  EXPECT_NEAR(count_weight(two, 1) / double(n), 0.95 * 0.97, 0.003);
  EXPECT_NEAR(count_weight(two, 0) / double(n), 0.95 * 0.03 + 0.05 * 0.97, 0.003);
  EXPECT_NEAR(count_weight(two, -1) / double(n), 0.05 * 0.03, 0.001);
  CrossbarArray one(faulty(512, 512, 1, 0.05, 0.03), 5);
  program_all(one, 1);
  EXPECT_NEAR(count_weight(one, -1) / double(n), 0.05, 0.003);
  program_all(one, -1);
  EXPECT_NEAR(count_weight(one, 1) / double(n), 0.03, 0.003);
}

// ---- device variation ----

arch::CrossbarParams varied(int cells, double sigma, Readout ro, int rps = 256, int fs = 64) {
  arch::CrossbarParams p = make_params(256, 64, cells, rps, ro, 8, fs);
  p.cell = arch::CellKind::kRram;
  p.variation_sigma = sigma;
  return p;
}

// Runs `inputs` random b1/t2 inputs through `xb`, all columns; returns the outputs.
std::vector<int32_t> run_inputs(const CrossbarArray& xb, int inputs, uint64_t seed,
                                std::vector<int32_t>* reference = nullptr,
                                const std::vector<int32_t>* w = nullptr) {
  const auto& p = xb.params();
  std::mt19937_64 rng(seed);
  std::vector<int32_t> all;
  MvmCounts counts;
  for (int i = 0; i < inputs; ++i) {
    const DType t = i % 2 ? DType::kB1 : DType::kT2;
    std::vector<int32_t> x(p.rows);
    for (auto& v : x) v = testing::test_random_value(t, rng);
    std::vector<int32_t> out(p.cols);
    xb.mvm(input(t, x, 0, p.rows), 0, p.cols, 0, false, out.data(), counts);
    all.insert(all.end(), out.begin(), out.end());
    if (reference) {
      const auto ref =
          reference_mvm(p, *w, t, x, 0, p.cols, 0, false, std::vector<int32_t>(p.cols));
      reference->insert(reference->end(), ref.begin(), ref.end());
    }
  }
  return all;
}

std::vector<int32_t> program_random(CrossbarArray& xb, uint64_t seed) {
  const auto& p = xb.params();
  std::mt19937_64 rng(seed);
  std::vector<int32_t> w(static_cast<size_t>(p.rows) * p.cols);
  for (auto& v : w) {
    v = p.cells_per_weight == 1 ? (rng() % 2 ? 1 : -1) : static_cast<int32_t>(rng() % 3) - 1;
  }
  EXPECT_TRUE(xb.program(0, 0, p.rows, p.cols, w.data()));
  return w;
}

TEST(CrossbarVariation, ZeroAndTinySigmaEqualTheExactResult) {
  // sigma 1e-7 takes the analog path yet moves no sum across a rounding boundary (the ADC
  // has delta 1 so there are no ties to break, and clips at 8 in steps of 16 rows).
  // sigma 0 is the exact integer path.
  for (double sigma : {0.0, 1e-7}) {
    for (int cells : {1, 2}) {
      for (Readout ro : {Readout::kDigital, Readout::kAdc}) {
        CrossbarArray xb(varied(cells, sigma, ro, 16, 8), 3);
        const auto w = program_random(xb, 11);
        std::vector<int32_t> ref;
        const auto got = run_inputs(xb, 20, 12, &ref, &w);
        EXPECT_EQ(got, ref) << "sigma " << sigma << " cells " << cells << " readout "
                            << static_cast<int>(ro);
      }
    }
  }
}

TEST(CrossbarVariation, SameSeedSameOutputsOtherSeedDiffers) {
  const arch::CrossbarParams p = varied(2, 0.3, Readout::kDigital);
  CrossbarArray a(p, 9), b(p, 9), c(p, 10);
  program_random(a, 1);
  program_random(b, 1);
  program_random(c, 1);
  const auto oa = run_inputs(a, 8, 2);
  EXPECT_EQ(oa, run_inputs(b, 8, 2));
  EXPECT_NE(oa, run_inputs(c, 8, 2));
}

// With one cell per weight the cell's factor scales its weight in either state, so
// (+1 stored, x = +1) and (-1 stored, x = -1) read the same value on every column.
TEST(CrossbarVariation, OneCellFactorScalesBothStates) {
  arch::CrossbarParams p = varied(1, 0.5, Readout::kDigital, 1);
  p.rows = 1;
  CrossbarArray xb(p, 4);
  MvmCounts counts;
  std::vector<int32_t> plus(p.cols), minus(p.cols);
  program_all(xb, 1);
  xb.mvm(input(DType::kB1, {1}, 0, 1), 0, p.cols, 0, false, plus.data(), counts);
  program_all(xb, -1);
  xb.mvm(input(DType::kB1, {-1}, 0, 1), 0, p.cols, 0, false, minus.data(), counts);
  EXPECT_EQ(plus, minus);
  EXPECT_NE(plus, std::vector<int32_t>(p.cols, 1));  // sigma 0.5 moves some factor past 1.5
}

TEST(CrossbarVariation, MeanErrorShrinksWithSigma) {
  std::vector<double> errors;
  for (double sigma : {0.4, 0.1, 0.02}) {
    CrossbarArray xb(varied(2, sigma, Readout::kDigital), 21);
    const auto w = program_random(xb, 22);
    std::vector<int32_t> ref;
    const auto got = run_inputs(xb, 32, 23, &ref, &w);
    double sum = 0;
    for (size_t i = 0; i < got.size(); ++i) sum += std::abs(got[i] - ref[i]);
    errors.push_back(sum / got.size());
  }
  EXPECT_GT(errors[0], errors[1]);
  EXPECT_GT(errors[1], errors[2]);
  EXPECT_GT(errors[0], 1.0);  // sigma 0.4 over ~170 nonzero products is clearly visible
  EXPECT_LT(errors[2], 0.5);
}

// ---- cycles and activity ----

TEST(CrossbarCost, DigitalCyclesAndCounts) {
  arch::CrossbarParams p = make_params(256, 64, 2, 64);
  p.read_cycles = 3;
  CrossbarArray xb(p, 0);
  const InputVector in = input(DType::kB1, std::vector<int32_t>(128, 1), 10, 256);  // [10,138)
  EXPECT_EQ(xb.mvm_cycles(in, 20), 3 * 3);  // row groups 0, 1, 2
  MvmCounts c;
  std::vector<int32_t> out(20);
  xb.mvm(in, 0, 20, 0, false, out.data(), c);
  EXPECT_EQ(c.steps, 3);
  EXPECT_EQ(c.wordlines, 128);
  EXPECT_EQ(c.cells, 128 * 20 * 2);
  EXPECT_EQ(c.popcounts, 3 * 20);
  EXPECT_EQ(c.conversions, 0);
  xb.mvm(in, 0, 20, 0, false, out.data(), c);  // counts accumulate
  EXPECT_EQ(c.steps, 6);
  EXPECT_EQ(c.cells, 2 * 128 * 20 * 2);
}

TEST(CrossbarCost, AdcCyclesAndCountsBitSerial) {
  arch::CrossbarParams p = make_params(128, 64, 1, 32, Readout::kAdc, 6, 32);
  p.read_cycles = 2;
  p.adc.count = 8;
  p.adc.conversion_cycles = 2;
  CrossbarArray xb(p, 0);
  // Two u8 segments of 20 elements, the second masked: rows [0, 20) driven.
  std::vector<uint8_t> mem(40, 3);
  isa::Gather g;
  g.elems = 20;
  g.kx = 2;
  g.sx = 20;
  g.mask = 0b01;
  InputVector in;
  gather_input(DType::kU8, mem.data(), 0, g, 0, 128, in);
  // 8 planes x 1 group, each step: read 2 + ceil(20 / 8) = 3 conversions of 2 cycles.
  EXPECT_EQ(xb.mvm_cycles(in, 20), 8 * (2 + 3 * 2));
  MvmCounts c;
  std::vector<int32_t> out(20);
  xb.mvm(in, 0, 20, 0, false, out.data(), c);
  EXPECT_EQ(c.steps, 8);
  EXPECT_EQ(c.wordlines, 20 * 8);
  EXPECT_EQ(c.cells, 20 * 8 * 20 * 1);
  EXPECT_EQ(c.conversions, 8 * 20);
  EXPECT_EQ(c.popcounts, 0);
  // Rows [20, 80) span groups 0, 1 and 2 of 32 rows.
  const InputVector wide = input(DType::kB1, std::vector<int32_t>(60, 1), 20, 128);
  EXPECT_EQ(xb.mvm_cycles(wide, 64), 3 * (2 + 8 * 2));
}

TEST(CrossbarCost, EmptyInputTakesOneStepAndReadsZero) {
  arch::CrossbarParams p = make_params(64, 8);
  p.read_cycles = 4;
  CrossbarArray xb(p, 0);
  program_all(xb, 1);
  const uint8_t mem[2] = {0xFF, 0xFF};
  isa::Gather g;
  g.elems = 16;
  g.mask = 0;
  InputVector in;
  gather_input(DType::kB1, mem, 0, g, 0, 64, in);
  EXPECT_EQ(xb.mvm_cycles(in, 8), 4);
  MvmCounts c;
  std::vector<int32_t> out(8, 7);
  xb.mvm(in, 0, 8, 0, true, out.data(), c);
  EXPECT_EQ(out, std::vector<int32_t>(8, 7));
  xb.mvm(in, 0, 8, 0, false, out.data(), c);
  EXPECT_EQ(out, std::vector<int32_t>(8, 0));
  EXPECT_EQ(c.steps, 2);
  EXPECT_EQ(c.wordlines, 0);
}

}  // namespace
}  // namespace imc::models
