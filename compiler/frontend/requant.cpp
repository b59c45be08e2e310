#include "compiler/frontend/requant.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace imc::compiler::frontend {

namespace {

constexpr int64_t kMin = std::numeric_limits<int32_t>::min();
constexpr int64_t kMax = std::numeric_limits<int32_t>::max();
// Residual thresholds are summed (t0 = A+ + A-) and compared with 2a: keep them far from
// overflow. No reachable sum of a crossbar comes near.
constexpr double kResidualLimit = 1 << 29;

int32_t clamp32(int64_t t) {
  return static_cast<int32_t>(std::clamp(t, kMin, kMax));
}

}  // namespace

void Affine::add(double c) {
  if (num == den && beta == 0) {
    offset += c;  // still a plain sum: keep tau = -offset exact
  } else {
    beta += c;
  }
}

void Affine::batch_norm(double gamma, double b, double mean, double sigma) {
  // gamma/sigma * (num/den * (a + offset) + beta - mean) + b
  if (num == den) {
    num = gamma;
    den = sigma;
    offset += (beta - mean);
    beta = b;
    return;
  }
  const double scale = gamma / sigma;
  num *= gamma;
  den *= sigma;
  beta = scale * (beta - mean) + b;
}

bool Cut::holds(int64_t a) const {
  switch (kind) {
    case Kind::kAtLeast:
      return a >= t;
    case Kind::kBelow:
      return a < t;
    case Kind::kAlways:
      return true;
    case Kind::kNever:
      return false;
  }
  return false;
}

Cut cut(const Affine& f, double level) {
  if (f.num == 0) return {f.beta >= level ? Cut::Kind::kAlways : Cut::Kind::kNever, 0};
  const double limit = std::ldexp(1.0, 40);
  const double tau = std::clamp(-f.offset + (level - f.beta) * f.den / f.num, -limit, limit);
  if (f.num > 0) return {Cut::Kind::kAtLeast, static_cast<int64_t>(std::ceil(tau))};
  return {Cut::Kind::kBelow, static_cast<int64_t>(std::floor(tau)) + 1};
}

Threshold binary_threshold(const Affine& f, double level) {
  const Cut c = cut(f, level);
  switch (c.kind) {
    case Cut::Kind::kAtLeast:
      return {clamp32(c.t), clamp32(c.t), false};
    case Cut::Kind::kBelow:
      return {clamp32(c.t), clamp32(c.t), true};
    case Cut::Kind::kAlways:
      return {clamp32(kMin), clamp32(kMin), false};
    case Cut::Kind::kNever:
      break;
  }
  return {clamp32(kMin), clamp32(kMin), true};
}

Threshold ternary_threshold(const Affine& f, double lo, double hi) {
  const Cut a = cut(f, lo), b = cut(f, hi);
  if (a.kind == Cut::Kind::kAtLeast) return {clamp32(a.t), clamp32(b.t), false};
  // decreasing: [x < t_lo] + [x < t_hi] - 1 = -([x >= t_hi] + [x >= t_lo] - 1), t_hi <= t_lo
  if (a.kind == Cut::Kind::kBelow) return {clamp32(b.t), clamp32(a.t), true};
  // constant: a threshold of INT32_MIN always counts, INT32_MAX never (for reachable sums)
  const int32_t t0 = clamp32(a.kind == Cut::Kind::kAlways ? kMin : kMax);
  const int32_t t1 = clamp32(b.kind == Cut::Kind::kAlways ? kMin : kMax);
  return {std::min(t0, t1), std::max(t0, t1), false};
}

std::optional<ResidualThreshold> residual_threshold(const Affine& f, double level) {
  if (f.num == 0) return std::nullopt;
  // r = +1: y + 1 >= level; r = -1: y - 1 >= level
  const Cut plus = cut(f, level - 1), minus = cut(f, level + 1);
  const auto lim = [](int64_t t) {
    return static_cast<int32_t>(std::clamp<double>(t, -kResidualLimit, kResidualLimit));
  };
  const int32_t ap = lim(plus.t), am = lim(minus.t);
  // 2a + (A- - A+) r >= A+ + A-  <=>  a >= A_r
  ResidualThreshold r;
  r.threshold = {ap + am, ap + am, plus.kind == Cut::Kind::kBelow};
  r.residual_scale = am - ap;
  return r;
}

int requantize_b1(int64_t a, const Threshold& t) {
  const int v = a >= t.t0 ? 1 : -1;
  return t.invert ? -v : v;
}

int requantize_t2(int64_t a, const Threshold& t) {
  const int v = (a >= t.t0) + (a >= t.t1) - 1;
  return t.invert ? -v : v;
}

}  // namespace imc::compiler::frontend
