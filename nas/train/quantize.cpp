#include "nas/train/quantize.h"

namespace imc::nas {
namespace {

enum class Rule : int64_t { kSign, kTernary, kTwn };

torch::Tensor quantized(const torch::Tensor& x, Rule rule, double delta);

// The quantized values forward, the clipped straight-through gradient backward:
// grad * [|x| <= 1], the derivative of hardtanh. A custom Function instead of
// clamp(x) + (q - clamp(x)).detach(): the same gradient with a third of the elementwise
// passes over every activation map, which dominate a binary network's training step.
struct ClippedStraightThrough : torch::autograd::Function<ClippedStraightThrough> {
  static torch::Tensor forward(torch::autograd::AutogradContext* ctx, const torch::Tensor& x,
                               int64_t rule, double delta) {
    ctx->save_for_backward({x});
    return quantized(x, Rule(rule), delta);
  }
  static torch::autograd::tensor_list backward(torch::autograd::AutogradContext* ctx,
                                               torch::autograd::tensor_list grad) {
    const torch::Tensor x = ctx->get_saved_variables()[0];
    return {grad[0] * (x.abs() <= 1).to(grad[0].scalar_type()), torch::Tensor(), torch::Tensor()};
  }
};

torch::Tensor straight_through(const torch::Tensor& x, Rule rule, double delta = 0) {
  return ClippedStraightThrough::apply(x, int64_t(rule), delta);
}

}  // namespace

torch::Tensor binary_values(const torch::Tensor& x) {
  torch::NoGradGuard no_grad;
  return (x >= 0).to(x.scalar_type()) * 2 - 1;
}

torch::Tensor ternary_values(const torch::Tensor& x, double delta) {
  torch::NoGradGuard no_grad;
  return (x >= delta).to(x.scalar_type()) - (x < -delta).to(x.scalar_type());
}

double twn_delta(const torch::Tensor& w) {
  torch::NoGradGuard no_grad;
  return kTwnFactor * w.abs().mean().item<double>();
}

torch::Tensor twn_values(const torch::Tensor& w) {
  // Strict on both sides (TWN): a latent weight exactly at +-delta becomes 0.
  torch::NoGradGuard no_grad;
  const double d = twn_delta(w);
  return (w > d).to(w.scalar_type()) - (w < -d).to(w.scalar_type());
}

namespace {

torch::Tensor quantized(const torch::Tensor& x, Rule rule, double delta) {
  switch (rule) {
    case Rule::kSign:
      return binary_values(x);
    case Rule::kTernary:
      return ternary_values(x, delta);
    case Rule::kTwn:
      break;
  }
  return twn_values(x);
}

}  // namespace

torch::Tensor binarize(const torch::Tensor& x) {
  return straight_through(x, Rule::kSign);
}

torch::Tensor ternarize(const torch::Tensor& x, double delta) {
  return straight_through(x, Rule::kTernary, delta);
}

torch::Tensor binarize_weights(const torch::Tensor& w) {
  return straight_through(w, Rule::kSign);
}

torch::Tensor ternarize_weights(const torch::Tensor& w) {
  return straight_through(w, Rule::kTwn);
}

}  // namespace imc::nas
