#include "nas/train/network.h"

#include <cmath>

#include "nas/train/quantize.h"

namespace imc::nas {

BnnNet::BnnNet(const NetGenome& g) : genome_(g), plan_(plan_network(g)), layers_(plan_.size()) {
  for (size_t i = 0; i < plan_.size(); ++i) {
    const Stage& s = plan_[i];
    if (!s.has_weights()) continue;
    QuantLayer& l = layers_[i];
    const int fan_in = s.fan_in(), fan_out = s.kind == Stage::Kind::kConv ? 9 * s.out.c : s.out.c;
    // Glorot-uniform latent weights (as BinaryNet/Larq): well inside the [-1, 1] clip.
    const double bound = std::sqrt(6.0 / (fan_in + fan_out));
    const std::vector<int64_t> shape = s.kind == Stage::Kind::kConv
                                           ? std::vector<int64_t>{s.out.c, s.in.c, 3, 3}
                                           : std::vector<int64_t>{s.out.c, s.in.c};
    l.weight = register_parameter(s.name + "_weight", torch::empty(shape).uniform_(-bound, bound));
    if (s.raw) continue;
    l.gamma = register_parameter(s.name + "_gamma", torch::ones({s.out.c}));
    l.beta = register_parameter(s.name + "_beta", torch::zeros({s.out.c}));
    l.running_mean = register_buffer(s.name + "_mean", torch::zeros({s.out.c}));
    l.running_var = register_buffer(s.name + "_var", torch::ones({s.out.c}));
  }
  // A value read by anything but a pool (a conv, the flatten, a residual) is activated.
  activated_.assign(plan_.size(), false);
  for (const Stage& s : plan_) {
    if (s.kind != Stage::Kind::kPool && s.input > 0) activated_[size_t(s.input - 1)] = true;
    if (s.residual > 0) activated_[size_t(s.residual - 1)] = true;
  }
  // Start the logits near unit scale: the raw sums of K random +-1 products spread ~sqrt(K).
  log_scale_ = register_parameter("log_scale",
                                  torch::full({}, -0.5 * std::log(double(plan_.back().fan_in()))));
}

torch::Tensor BnnNet::quantize_weight(const torch::Tensor& w) const {
  return genome_.weights == Precision::kTernary ? ternarize_weights(w) : binarize_weights(w);
}

torch::Tensor BnnNet::activate(const torch::Tensor& y) const {
  return genome_.activations == Precision::kTernary ? ternarize(y, kActivationDelta) : binarize(y);
}

torch::Tensor BnnNet::quantized_weight(size_t stage) const {
  const torch::Tensor& w = layers_.at(stage).weight;
  return genome_.weights == Precision::kTernary ? twn_values(w) : binary_values(w);
}

void BnnNet::clip_latent_weights() {
  torch::NoGradGuard no_grad;
  for (QuantLayer& l : layers_) {
    if (l.weight.defined()) l.weight.clamp_(-1, 1);
  }
}

// Pools see the pre-activations: act(maxpool(y)) equals maxpool(act(y)) because act is
// non-decreasing, so the values are those of the exported network (pool after the
// binarizer), but the gradient reaches the largest y of each window instead of the first of
// several tied +1s. A value only pools read is never activated.
torch::Tensor BnnNet::forward(const torch::Tensor& x, double noise_sigma) {
  std::vector<torch::Tensor> values{x}, pre{torch::Tensor()};
  for (size_t i = 0; i < plan_.size(); ++i) {
    const Stage& s = plan_[i];
    const torch::Tensor& in = values[size_t(s.input)];
    torch::Tensor y;
    switch (s.kind) {
      case Stage::Kind::kPool: {
        const torch::Tensor& p = pre[size_t(s.input)];
        if (!p.defined()) {  // the image
          values.push_back(torch::max_pool2d(in, {2, 2}, {2, 2}));
          pre.emplace_back();
          continue;
        }
        y = torch::max_pool2d(p, {2, 2}, {2, 2});
        break;
      }
      case Stage::Kind::kFlatten:
        values.push_back(in.flatten(1));
        pre.emplace_back();
        continue;
      case Stage::Kind::kConv:
      case Stage::Kind::kDense: {
        const QuantLayer& l = layers_[i];
        torch::Tensor w = quantize_weight(l.weight);
        if (is_training() && noise_sigma > 0) w = w * (1 + noise_sigma * torch::randn_like(w));
        const torch::Tensor sums = s.kind == Stage::Kind::kConv
                                       ? torch::conv2d(in, w, {}, /*stride=*/1, /*padding=*/1)
                                       : torch::matmul(in, w.t());
        if (s.raw) {
          values.push_back(sums * log_scale_.exp());
          pre.emplace_back();
          continue;
        }
        y = torch::batch_norm(sums, l.gamma, l.beta, l.running_mean, l.running_var, is_training(),
                              kBnMomentum, kBnEps, /*cudnn_enabled=*/false);
        if (s.residual >= 0) y = y + values[size_t(s.residual)];
        break;
      }
    }
    values.push_back(activated_[i] ? activate(y) : torch::Tensor());
    pre.push_back(y);
  }
  return values.back();
}

}  // namespace imc::nas
