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

// floor and ceil of n / d for d > 0
int64_t floor_div(int64_t n, int64_t d) {
  return n / d - (n % d != 0 && n < 0 ? 1 : 0);
}
int64_t ceil_div(int64_t n, int64_t d) {
  return -floor_div(-n, d);
}

// lo < T - s*r <= hi for one cut point; a missing side is a cut beyond the reachable sums.
struct Bound {
  int r = 0;
  bool has_lo = false, has_hi = false;
  int64_t lo = 0, hi = 0;
};

}  // namespace

void Affine::add(double c) {
  if (num == den && beta == 0) {
    offset += c;  // still a plain sum: keep tau = -offset exact
  } else {
    beta += c;
  }
}

void Affine::scale(double k) {
  num *= k;
  beta *= k;
}

void Affine::divide(double k) {
  if (k < 0) {
    num = -num;
    beta = -beta;
  }
  den *= std::fabs(k);
  beta /= std::fabs(k);
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

std::optional<ResidualThreshold> residual_requant(const Affine& f,
                                                  const std::vector<double>& levels,
                                                  const std::vector<int>& residual, int64_t reach,
                                                  int shift) {
  if (f.num == 0 || levels.empty() || levels.size() > 2 || residual.empty() || reach < 0 ||
      shift < 0 || shift > 30 || reach > (kMax >> shift))
    return std::nullopt;
  const int64_t k = int64_t{1} << shift;
  const bool below = f.num < 0;  // y decreasing in a: +1 iff a < t, the thresholder's invert
  // acc = (a << shift) + s*r >= T  <=>  a >= ceil((T - s*r) / k), which must be the cut t
  // (clamped to the reachable sums: t <= -reach always holds, t > reach never does).
  std::vector<std::vector<Bound>> bounds(levels.size());
  for (size_t l = 0; l < levels.size(); ++l) {
    for (int r : residual) {
      const int64_t t = std::clamp<int64_t>(cut(f, levels[l] - r).t, -reach, reach + 1);
      Bound b;
      b.r = r;
      if (t > -reach) b.has_lo = true, b.lo = k * (t - 1);
      if (t <= reach) b.has_hi = true, b.hi = k * t;
      bounds[l].push_back(b);
    }
  }
  // An integer T exists for a level iff lo1 + s*r1 < hi2 + s*r2 for every pair of its
  // bounds: s*(r1 - r2) <= hi2 - lo1 - 1, linear in s.
  constexpr int64_t kInf = int64_t{1} << 62;
  int64_t s_lo = -kInf, s_hi = kInf;
  for (const auto& level : bounds) {
    for (const Bound& b1 : level) {
      for (const Bound& b2 : level) {
        if (!b1.has_lo || !b2.has_hi) continue;
        const int64_t c = b2.hi - b1.lo - 1, d = b1.r - b2.r;
        if (d > 0) s_hi = std::min(s_hi, floor_div(c, d));
        if (d < 0) s_lo = std::max(s_lo, ceil_div(-c, -d));
        if (d == 0 && c < 0) return std::nullopt;
      }
    }
  }
  if (s_lo > s_hi) return std::nullopt;
  const int64_t s = std::clamp<int64_t>(0, s_lo, s_hi);     // the smallest scale that works
  if (std::abs(s) > kMax - k * reach) return std::nullopt;  // the accumulator would wrap
  std::vector<int64_t> t;
  for (const auto& level : bounds) {
    int64_t t_lo = -kInf, t_hi = kInf;
    for (const Bound& b : level) {
      if (b.has_lo) t_lo = std::max(t_lo, b.lo + s * b.r + 1);
      if (b.has_hi) t_hi = std::min(t_hi, b.hi + s * b.r);
    }
    const int64_t v = t_hi < kInf ? t_hi : t_lo;
    if (v < t_lo || v > t_hi || v < kMin || v > kMax) return std::nullopt;
    t.push_back(v);
  }
  // [acc >= T0] + [acc >= T1] is symmetric in T0, T1: the thresholder wants t0 <= t1.
  const int64_t t0 = *std::min_element(t.begin(), t.end());
  const int64_t t1 = *std::max_element(t.begin(), t.end());
  ResidualThreshold r;
  r.threshold = {static_cast<int32_t>(t0), static_cast<int32_t>(t1), below};
  r.residual_scale = static_cast<int>(s);
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
