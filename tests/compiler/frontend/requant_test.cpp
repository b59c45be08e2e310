// Threshold folding checked by brute force over every reachable integer sum against the
// BatchNorm formula evaluated in double.
#include "compiler/frontend/requant.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>
#include <random>

#include <gtest/gtest.h>

namespace imc::compiler::frontend {
namespace {

struct Bn {
  double gamma, beta, mean, var, eps = 1e-5;
  double operator()(double a) const { return gamma * (a - mean) / std::sqrt(var + eps) + beta; }
};

Affine affine_of(const Bn& bn, double bias = 0) {
  Affine f;
  f.add(bias);
  f.batch_norm(bn.gamma, bn.beta, bn.mean, std::sqrt(bn.var + bn.eps));
  return f;
}

int bipolar(double y) {
  return y >= 0 ? 1 : -1;
}

Bn random_bn(std::mt19937_64& rng, double gamma_sign) {
  std::uniform_real_distribution<double> u(0.2, 3), m(-20, 20), b(-3, 3);
  return Bn{gamma_sign * u(rng), b(rng), m(rng), u(rng)};
}

TEST(Requant, BinaryThresholdMatchesBatchNormSign) {
  std::mt19937_64 rng(1);
  for (double sign : {1.0, -1.0}) {
    for (int trial = 0; trial < 200; ++trial) {
      const Bn bn = random_bn(rng, sign);
      const double bias = std::uniform_int_distribution<int>(-3, 3)(rng);
      const Threshold t = binary_threshold(affine_of(bn, bias), 0);
      EXPECT_EQ(t.invert, sign < 0);
      EXPECT_LE(t.t0, t.t1);
      for (int a = -64; a <= 64; ++a)
        ASSERT_EQ(requantize_b1(a, t), bipolar(bn(a + bias))) << "a " << a << " trial " << trial;
    }
  }
}

TEST(Requant, PositiveGammaIsCeilOfTau) {
  // tau = mean - beta * sigma / gamma = 3 - 1 * 2 / 1 = 1 exactly: a = 1 is a tie -> +1
  const Bn bn{1, 1, 3, 4, 0};
  const Threshold t = binary_threshold(affine_of(bn), 0);
  EXPECT_EQ(t.t0, 1);
  EXPECT_FALSE(t.invert);
  EXPECT_EQ(requantize_b1(1, t), 1);
  EXPECT_EQ(requantize_b1(0, t), -1);
}

TEST(Requant, NegativeGammaTieMapsToPlusOne) {
  // gamma < 0: +1 iff a <= tau = 3 - 1 * 2 / -1 = 5 (a = 5 gives y = 0 -> +1)
  const Bn bn{-1, 1, 3, 4, 0};
  const Threshold t = binary_threshold(affine_of(bn), 0);
  EXPECT_EQ(t.t0, 6);
  EXPECT_TRUE(t.invert);
  EXPECT_EQ(requantize_b1(5, t), 1);
  EXPECT_EQ(requantize_b1(6, t), -1);
}

TEST(Requant, ZeroGammaIsConstantSignOfBeta) {
  const Threshold plus = binary_threshold(affine_of(Bn{0, 0.5, 1, 1}), 0);
  const Threshold zero = binary_threshold(affine_of(Bn{0, 0, 1, 1}), 0);
  const Threshold minus = binary_threshold(affine_of(Bn{0, -0.5, 1, 1}), 0);
  constexpr int32_t kMin = std::numeric_limits<int32_t>::min();
  EXPECT_EQ(plus.t0, kMin);
  EXPECT_FALSE(plus.invert);
  EXPECT_EQ(minus.t0, kMin);
  EXPECT_TRUE(minus.invert);
  for (int a : {-1000, 0, 1000}) {
    EXPECT_EQ(requantize_b1(a, plus), 1);
    EXPECT_EQ(requantize_b1(a, zero), 1);
    EXPECT_EQ(requantize_b1(a, minus), -1);
  }
}

TEST(Requant, FarThresholdsClampToInt32) {
  const Threshold t = binary_threshold(affine_of(Bn{1e-12, -1, 0, 1}), 0);
  EXPECT_EQ(t.t0, std::numeric_limits<int32_t>::max());
  EXPECT_EQ(requantize_b1(1 << 20, t), -1);
}

TEST(Requant, ResidualMatchesBruteForce) {
  std::mt19937_64 rng(2);
  for (double sign : {1.0, -1.0}) {
    for (int trial = 0; trial < 200; ++trial) {
      const Bn bn = random_bn(rng, sign);
      const auto r = residual_threshold(affine_of(bn), 0);
      ASSERT_TRUE(r.has_value());
      EXPECT_EQ(r->threshold.invert, sign < 0);
      for (int a = -64; a <= 64; ++a)
        for (int res : {-1, 1})
          ASSERT_EQ(requantize_b1(2 * a + r->residual_scale * res, r->threshold),
                    bipolar(bn(a) + res))
              << "a " << a << " r " << res << " trial " << trial;
    }
  }
}

TEST(Requant, ResidualHandExample) {
  // gamma 1, sigma 2 -> s = 2; tau = 3: A+ = ceil(1) = 1, A- = ceil(5) = 5
  const auto r = residual_threshold(affine_of(Bn{1, 0, 3, 4, 0}), 0);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->residual_scale, 4);
  EXPECT_EQ(r->threshold.t0, 6);
  EXPECT_FALSE(residual_threshold(affine_of(Bn{0, 1, 0, 1}), 0).has_value());
}

TEST(Requant, TernaryMatchesMultiThresholdAfterBatchNorm) {
  std::mt19937_64 rng(3);
  std::uniform_real_distribution<double> th(-2, 2);
  for (double sign : {1.0, -1.0, 0.0}) {
    for (int trial = 0; trial < 200; ++trial) {
      const Bn bn = random_bn(rng, sign);
      double lo = th(rng), hi = th(rng);
      if (lo > hi) std::swap(lo, hi);
      const Threshold t = ternary_threshold(affine_of(bn), lo, hi);
      EXPECT_LE(t.t0, t.t1);
      for (int a = -64; a <= 64; ++a) {
        const double y = bn(a);
        ASSERT_EQ(requantize_t2(a, t), (y >= lo) + (y >= hi) - 1) << "a " << a;
      }
    }
  }
}

TEST(Requant, MultiThresholdOnRawSumsIsCeil) {
  const Affine raw;
  EXPECT_EQ(binary_threshold(raw, 2.5).t0, 3);
  EXPECT_EQ(binary_threshold(raw, -2.0).t0, -2);  // tie: a >= T counts
  const Threshold t = ternary_threshold(raw, -1.5, 2.0);
  EXPECT_EQ(t.t0, -1);
  EXPECT_EQ(t.t1, 2);
  EXPECT_FALSE(t.invert);
}

TEST(Requant, AffineBiasThenBatchNormKeepsTauExact) {
  Affine f;
  f.add(2);
  f.batch_norm(1, 0, 5, 1);  // tau = 5 - 2 = 3
  EXPECT_EQ(binary_threshold(f, 0).t0, 3);
  f.add(0.5);  // after BN: y = (a - 3) + 0.5 >= 0 <=> a >= 2.5
  EXPECT_EQ(binary_threshold(f, 0).t0, 3);
  f.batch_norm(-2, 0, 0, 1);  // y' = -2 y: +1 iff a <= 2.5
  const Threshold t = binary_threshold(f, 0);
  EXPECT_TRUE(t.invert);
  EXPECT_EQ(requantize_b1(2, t), 1);
  EXPECT_EQ(requantize_b1(3, t), -1);
}

// The smallest sum shift at which residual_requant finds the exact form, or -1.
int smallest_shift(const Affine& f, const std::vector<double>& levels,
                   const std::vector<int>& residual, int64_t reach,
                   std::optional<ResidualThreshold>* out) {
  for (int shift = 0; shift <= 8; ++shift) {
    *out = residual_requant(f, levels, residual, reach, shift);
    if (*out) return shift;
  }
  return -1;
}

// Binary and ternary outputs with b1 and t2 residuals, gamma of both signs, against the
// BatchNorm formula in double for every sum in [-64, 64] and every residual value.
TEST(Requant, GeneralResidualMatchesBruteForce) {
  std::mt19937_64 rng(4);
  std::uniform_real_distribution<double> th(-2, 2);
  int max_shift = 0, scales_seen = 0;
  for (const std::vector<int>& res : {std::vector<int>{-1, 0, 1}, std::vector<int>{-1, 1}}) {
    for (const bool ternary_out : {false, true}) {
      for (double sign : {1.0, -1.0}) {
        for (int trial = 0; trial < 300; ++trial) {
          const Bn bn = random_bn(rng, sign);
          double lo = th(rng), hi = th(rng);
          if (lo > hi) std::swap(lo, hi);
          const std::vector<double> levels =
              ternary_out ? std::vector<double>{lo, hi} : std::vector<double>{lo};
          std::optional<ResidualThreshold> r;
          const int shift = smallest_shift(affine_of(bn), levels, res, 64, &r);
          ASSERT_GE(shift, 0) << "trial " << trial;
          max_shift = std::max(max_shift, shift);
          EXPECT_EQ(r->threshold.invert, sign < 0);
          EXPECT_LE(r->threshold.t0, r->threshold.t1);
          if (r->residual_scale != 0) ++scales_seen;
          for (int a = -64; a <= 64; ++a) {
            for (int v : res) {
              const int64_t acc =
                  int64_t{a} * (int64_t{1} << shift) + int64_t{r->residual_scale} * v;
              const double y = bn(a) + v;
              if (ternary_out) {
                ASSERT_EQ(requantize_t2(acc, r->threshold), (y >= lo) + (y >= hi) - 1)
                    << "a " << a << " r " << v << " trial " << trial;
              } else {
                ASSERT_EQ(requantize_b1(acc, r->threshold), y >= lo ? 1 : -1)
                    << "a " << a << " r " << v << " trial " << trial;
              }
            }
          }
        }
      }
    }
  }
  // The cut points lie on a polygon with half-integer corners: shift 2 always suffices.
  EXPECT_LE(max_shift, 2);
  EXPECT_GT(max_shift, 0);
  EXPECT_GT(scales_seen, 1000);
}

TEST(Requant, TernaryResidualHandExamples) {
  // gamma 1, sigma 2, mean 3: +1 iff (a - 3)/2 + r >= 0 <=> a >= 3 - 2r, linear in r: no shift,
  // a + 2r >= 3.
  auto r = residual_requant(affine_of(Bn{1, 0, 3, 4, 0}), {0}, {-1, 0, 1}, 64, 0);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->residual_scale, 2);
  EXPECT_EQ(r->threshold.t0, 3);
  EXPECT_FALSE(r->threshold.invert);
  // sigma 1.3, mean 0.1: cuts A+ = ceil(-1.2) = -1, A0 = 1, A- = ceil(1.4) = 2 are not linear
  // in r; at shift 1, 2a + 3r >= 1 gives a >= -1, a >= 1, a >= 2.
  const Affine f = affine_of(Bn{1, 0, 0.1, 1.69, 0});
  EXPECT_FALSE(residual_requant(f, {0}, {-1, 0, 1}, 64, 0).has_value());
  r = residual_requant(f, {0}, {-1, 0, 1}, 64, 1);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->residual_scale, 3);
  EXPECT_EQ(r->threshold.t0, 1);
  // gamma -1: +1 iff -(a - 3)/2 + r >= 0 <=> a <= 3 + 2r: a - 2r < 4 (invert).
  r = residual_requant(affine_of(Bn{-1, 0, 3, 4, 0}), {0}, {-1, 0, 1}, 64, 0);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->residual_scale, -2);
  EXPECT_EQ(r->threshold.t0, 4);
  EXPECT_TRUE(r->threshold.invert);
  // Ternary output [y + r >= -1] + [y + r >= 1] - 1 of y = (a - 3)/2: cuts a >= 1 - 2r and
  // a >= 5 - 2r: thresholds 1 and 5, scale 2.
  r = residual_requant(affine_of(Bn{1, 0, 3, 4, 0}), {-1, 1}, {-1, 0, 1}, 64, 0);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->residual_scale, 2);
  EXPECT_EQ(r->threshold.t0, 1);
  EXPECT_EQ(r->threshold.t1, 5);
  // y independent of a: no form.
  EXPECT_FALSE(residual_requant(affine_of(Bn{0, 1, 0, 1}), {0}, {-1, 0, 1}, 64, 4).has_value());
}

// Cuts beyond the reachable sums only bound their side, so small layers with a residual that
// dominates (sigma/gamma huge) still fold, with small numbers.
TEST(Requant, CutsBeyondTheReachableSumsAreAlwaysOrNever) {
  // sigma/gamma = 1000, tau = 0.5: for |a| <= 3, r = +1 is always +1, r = -1 never.
  const Bn bn{1, 0, 0.5, 1e6, 0};
  for (int64_t reach : {int64_t{3}, int64_t{64}, int64_t{1} << 20}) {
    std::optional<ResidualThreshold> r;
    const int shift = smallest_shift(affine_of(bn), {0}, {-1, 0, 1}, reach, &r);
    ASSERT_GE(shift, 0) << reach;
    std::vector<int64_t> sums{-1000, -999, 0, 1, 1000, 1001};  // around the cuts
    for (int64_t a = -reach; a <= reach; a += std::max<int64_t>(1, reach / 512)) sums.push_back(a);
    for (int64_t a : sums) {
      if (std::abs(a) > reach) continue;
      for (int v : {-1, 0, 1})
        ASSERT_EQ(
            requantize_b1(a * (int64_t{1} << shift) + int64_t{r->residual_scale} * v, r->threshold),
            bn(double(a)) + v >= 0 ? 1 : -1)
            << "a " << a << " r " << v << " reach " << reach;
    }
    if (reach == 3) {
      EXPECT_LE(std::abs(r->residual_scale), 8 << shift);
    }
  }
  // Sums that would overflow int32 once shifted: no form at that shift.
  EXPECT_FALSE(
      residual_requant(affine_of(Bn{1, 0, 0.1, 1.69, 0}), {0}, {-1, 0, 1}, 1 << 30, 2).has_value());
}

}  // namespace
}  // namespace imc::compiler::frontend
