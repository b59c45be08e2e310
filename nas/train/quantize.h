// Quantizers with straight-through estimators (STE) for training binary/ternary networks.
// Forward: the exact values the chip uses. Backward: the gradient of hardtanh, i.e. the
// incoming gradient where |x| <= 1 and zero outside ("clipped STE", BinaryNet), as a custom
// autograd Function.
#pragma once
#include <torch/torch.h>

namespace imc::nas {

// Activations. Binary: x >= 0 -> +1, else -1 (BipolarQuant/Larq: sign(0) = +1, like imcc).
torch::Tensor binarize(const torch::Tensor& x);
// Ternary with a fixed threshold: x >= delta -> +1, x < -delta -> -1, else 0. This is FINN's
// MultiThreshold [x >= -delta] + [x >= delta] - 1 on the BatchNorm output.
torch::Tensor ternarize(const torch::Tensor& x, double delta);
constexpr double kActivationDelta = 0.5;  // ternary activation threshold on the BN output

// Weights. Binary: sign with sign(0) = +1. Ternary (TWN, Li & Liu 2016): per tensor
// delta = 0.7 * mean|w|; w > delta -> +1, w < -delta -> -1, else 0 (a tie is 0).
torch::Tensor binarize_weights(const torch::Tensor& w);
torch::Tensor ternarize_weights(const torch::Tensor& w);
constexpr double kTwnFactor = 0.7;

// The forward values only (no autograd graph): what fold.cpp exports.
torch::Tensor binary_values(const torch::Tensor& x);
torch::Tensor ternary_values(const torch::Tensor& x, double delta);
torch::Tensor twn_values(const torch::Tensor& w);
double twn_delta(const torch::Tensor& w);

}  // namespace imc::nas
