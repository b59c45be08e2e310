// Quantizers: exact forward values (ties included) and clipped straight-through gradients.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include "nas/train/quantize.h"

namespace imc::nas {
namespace {

std::vector<float> values(const torch::Tensor& t) {
  const torch::Tensor c = t.detach().contiguous().to(torch::kFloat);
  return {c.data_ptr<float>(), c.data_ptr<float>() + c.numel()};
}

// Gradient of sum(k * q(x)) with respect to x, k = 1..n (distinct weights per element).
std::vector<float> gradient(const std::function<torch::Tensor(const torch::Tensor&)>& q,
                            const std::vector<float>& x) {
  torch::Tensor t = torch::tensor(x).requires_grad_(true);
  const torch::Tensor k = torch::arange(1, int64_t(x.size()) + 1, torch::kFloat);
  (q(t) * k).sum().backward();
  return values(t.grad());
}

const std::vector<float> kX = {-2.f, -1.f, -0.6f, -0.5f, -0.1f, 0.f, 0.3f, 0.5f, 0.9f, 1.f, 1.5f};

TEST(Binarize, MapsZeroToPlusOneLikeTheCompiler) {
  EXPECT_EQ(values(binarize(torch::tensor(kX))),
            (std::vector<float>{-1, -1, -1, -1, -1, 1, 1, 1, 1, 1, 1}));
}

TEST(Binarize, GradientIsTheIncomingGradientInsideTheClipWindowOnly) {
  // |x| <= 1 passes k, outside 0 (hardtanh's derivative).
  EXPECT_EQ(gradient(binarize, kX), (std::vector<float>{0, 2, 3, 4, 5, 6, 7, 8, 9, 10, 0}));
}

TEST(Ternarize, ThresholdsAtPlusMinusDeltaWithFinnConvention) {
  // [x >= -0.5] + [x >= 0.5] - 1: -0.5 is 0, +0.5 is +1.
  const auto q = [](const torch::Tensor& x) { return ternarize(x, 0.5); };
  EXPECT_EQ(values(q(torch::tensor(kX))), (std::vector<float>{-1, -1, -1, 0, 0, 0, 0, 1, 1, 1, 1}));
  EXPECT_EQ(gradient(q, kX), (std::vector<float>{0, 2, 3, 4, 5, 6, 7, 8, 9, 10, 0}));
}

TEST(WeightQuantizers, BinaryIsSignAndTernaryUsesTheTwnThreshold) {
  const std::vector<float> w = {-0.8f, -0.3f, -0.1f, 0.f, 0.1f, 0.3f, 0.8f, 0.2f};
  // mean |w| = 2.6 / 8 = 0.325, delta = 0.7 * 0.325 = 0.2275
  EXPECT_NEAR(twn_delta(torch::tensor(w)), 0.2275, 1e-6);
  EXPECT_EQ(values(binarize_weights(torch::tensor(w))),
            (std::vector<float>{-1, -1, -1, 1, 1, 1, 1, 1}));
  EXPECT_EQ(values(ternarize_weights(torch::tensor(w))),
            (std::vector<float>{-1, -1, 0, 0, 0, 1, 1, 0}));
  EXPECT_EQ(values(twn_values(torch::tensor(w))), values(ternarize_weights(torch::tensor(w))));
  // latent weights stay inside [-1, 1], so every one gets the gradient
  EXPECT_EQ(gradient(ternarize_weights, w), (std::vector<float>{1, 2, 3, 4, 5, 6, 7, 8}));
}

}  // namespace
}  // namespace imc::nas
