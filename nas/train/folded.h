// The trained network as the chip computes it: integer weights, integer thresholds on the
// integer sums, residual requantization, pools. fold.cpp makes it from the trained module,
// onnx_export.cpp writes it, folded_eval.cpp evaluates it: one description, so the ONNX model
// and the software accuracy cannot disagree. Torch-free.
//
// Requantization of a conv/dense stage with integer sums a (fan-in K, |a| <= K * max input):
//  * no residual, binary:  +1 iff a >= t[c][0], else -1
//  * no residual, ternary: [a >= t[c][0]] + [a >= t[c][1]] - 1   (t0 <= t1)
//  * residual r of value `residual`:  y = (a - res_mean[c]) / sqrt(res_var[c]) + r, then
//    binary +1 iff y >= 0, ternary [y >= -delta] + [y >= delta] - 1.
// Channels whose BatchNorm gamma is negative have their weights negated, so every decision is
// "a at least something". Binary thresholds sit half-way between integers (t - 0.5 in the
// ONNX model; res_mean -+ sqrt(res_var) = A -+ 0.5 for binary residuals), so float32 ONNX
// runtimes, imcc's double folding and this evaluator agree on every input: no ties exist.
#pragma once
#include <cstdint>
#include <vector>

#include "nas/genome/genome.h"
#include "nas/train/plan.h"

namespace imc::nas {

struct FoldedStage {
  Stage stage;
  std::vector<int8_t> weights;           // conv [out][in][3][3], dense [out][in]: -1, 0, +1
  int levels = 0;                        // 0: raw integer sums (the scores); 1 binary; 2 ternary
  std::vector<int64_t> thresholds;       // [out][levels]: a >= t (stages without a residual)
  std::vector<float> res_mean, res_var;  // [out] (stages with a residual)
  double res_delta = 0;                  // ternary residual levels -+delta (binary: 0)
};

struct FoldedNet {
  NetGenome genome;
  std::vector<FoldedStage> stages;  // one per plan stage (pools and flatten carry no data)
};

}  // namespace imc::nas
