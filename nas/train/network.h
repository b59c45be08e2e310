// The training-time network of a NetGenome (plan.h) as a libtorch module: latent float
// weights quantized in the forward pass (quantize.h), BatchNorm, binary/ternary activations,
// max-pools of quantized activations, and a final dense layer whose integer sums, times a
// learnable positive scale, are the logits (the export drops the scale: argmax unchanged).
#pragma once
#include <torch/torch.h>

#include <vector>

#include "nas/genome/genome.h"
#include "nas/train/plan.h"

namespace imc::nas {

// One conv or dense stage's trainable state. BatchNorm is applied functionally (one code path
// for [N,C,H,W] and [N,C]); the raw output layer has no BatchNorm tensors.
struct QuantLayer {
  torch::Tensor weight;  // latent, [out][in][3][3] or [out][in]
  torch::Tensor gamma, beta, running_mean, running_var;
};

class BnnNet : public torch::nn::Module {
 public:
  explicit BnnNet(const NetGenome& g);

  // x: float [N, C, H, W] holding the raw uint8 pixel values. Returns logits [N, classes].
  // In training mode BatchNorm uses batch statistics and, when noise_sigma > 0, every
  // quantized weight is multiplied by (1 + N(0, noise_sigma)).
  torch::Tensor forward(const torch::Tensor& x, double noise_sigma = 0);

  // The quantized weight values of a stage as the forward pass uses them (no noise).
  torch::Tensor quantized_weight(size_t stage) const;
  // Clamps the latent weights to [-1, 1] (after each optimizer step; BinaryConnect).
  void clip_latent_weights();

  const NetGenome& genome() const { return genome_; }
  const std::vector<Stage>& plan() const { return plan_; }
  const QuantLayer& layer(size_t stage) const { return layers_.at(stage); }
  double logit_scale() const { return log_scale_.exp().item<double>(); }

  static constexpr double kBnEps = 1e-5, kBnMomentum = 0.1;

 private:
  torch::Tensor quantize_weight(const torch::Tensor& w) const;
  torch::Tensor activate(const torch::Tensor& y) const;

  NetGenome genome_;
  std::vector<Stage> plan_;
  std::vector<QuantLayer> layers_;  // one per stage (empty tensors for pools and flatten)
  std::vector<bool> activated_;     // per stage: is its output value read as an activation
  torch::Tensor log_scale_;
};

}  // namespace imc::nas
