// Requantization folding: per-channel affine maps of integer sums (bias, BatchNorm) followed
// by a binarizer or FINN MultiThreshold become integer thresholds (compiler/ir.h Threshold).
// Pure arithmetic, no ONNX.
//
// Convention: a binarizer maps y >= 0 to +1 (QONNX BipolarQuant, Larq); ONNX Sign(0) = 0
// differs only on exact ties.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "compiler/ir.h"

namespace imc::compiler::frontend {

// y(a) = (num / den) * (a + offset) + beta on an integer sum a; den > 0. BatchNorm gives
// num = gamma, den = sqrt(var + eps), offset = bias - mean, beta = B, so that the decision
// point tau = -offset + (level - beta) * den / num is computed as the textbook formula.
struct Affine {
  double num = 1, den = 1, offset = 0, beta = 0;
  bool identity() const { return num == den && offset == 0 && beta == 0; }
  // y -> y + c (a constant added to the sums)
  void add(double c);
  // y -> gamma * (y - mean) / sigma + b
  void batch_norm(double gamma, double b, double mean, double sigma);
  // y -> k * y (an ONNX Mul by a constant)
  void scale(double k);
  // y -> y / k, k != 0 (an ONNX Div by a constant: den grows, so tau stays the textbook formula)
  void divide(double k);
};

// The integer form of `y(a) >= level` over integer a.
struct Cut {
  enum class Kind { kAtLeast, kBelow, kAlways, kNever } kind = Kind::kAlways;
  int64_t t = 0;  // kAtLeast: a >= t; kBelow: a < t
  bool holds(int64_t a) const;
};
Cut cut(const Affine& f, double level);

// Sign/BipolarQuant (level 0) or MultiThreshold binary (level T): +1 iff y >= level.
// t1 = t0, so that t0 <= t1 holds for the thresholder table.
Threshold binary_threshold(const Affine& f, double level);

// FINN ternary MultiThreshold: [y >= lo] + [y >= hi] - 1 with lo <= hi.
Threshold ternary_threshold(const Affine& f, double lo, double hi);

// Binary with a binary residual r in {-1,+1}: +1 iff y(a) + r >= level, in the form
// requantize((a << 1) + scale * r) with one threshold. nullopt when y does not depend on a.
struct ResidualThreshold {
  Threshold threshold;
  int residual_scale = 0;
};
std::optional<ResidualThreshold> residual_threshold(const Affine& f, double level);

// The general residual requantization: a residual r with values in `residual` ({-1, +1} for
// a b1 residual, {-1, 0, +1} for t2) added to y before the binarizer (levels = {level}: +1
// iff y(a) + r >= level) or the FINN ternarizer (levels = {lo, hi}, lo <= hi:
// [y(a) + r >= lo] + [y(a) + r >= hi] - 1). Its exact integer form at one sum shift k:
// requantize((a << k) + residual_scale * r) with `threshold` (b1: t1 = t0; t2: t0 <= t1;
// invert for a decreasing y), equal to the formula for every sum |a| <= reach. Each cut
// point y(a) + r >= level is a >= A(level - r) (cut()); the integer scale s and thresholds
// T must satisfy ceil((T - s*r) / 2^k) = A for every r and level, a cut beyond the reachable
// sums only on its side. nullopt when no such integers exist at this shift (a larger one may
// have them: A is ceil(tau - r*sigma/gamma), a rational T/2^k, s/2^k near tau, sigma/gamma
// works) or when (a << k) + s*r could leave int32. y must depend on a (f.num != 0).
std::optional<ResidualThreshold> residual_requant(const Affine& f,
                                                  const std::vector<double>& levels,
                                                  const std::vector<int>& residual, int64_t reach,
                                                  int shift);

// The integer a where the IR's binary/ternary requantization is evaluated (for tests and
// dumps): b1: a >= t0 ? +1 : -1; t2: [a >= t0] + [a >= t1] - 1; negated when invert.
int requantize_b1(int64_t a, const Threshold& t);
int requantize_t2(int64_t a, const Threshold& t);

}  // namespace imc::compiler::frontend
