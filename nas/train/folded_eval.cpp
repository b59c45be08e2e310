#include "nas/train/folded_eval.h"

#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace imc::nas {
namespace {

// 100 images keep every activation map under glibc's 32 MiB mmap threshold (train.cpp).
constexpr int kBatch = 100;

torch::Tensor floats(const std::vector<int8_t>& v, std::vector<int64_t> shape) {
  return torch::from_blob(const_cast<int8_t*>(v.data()), shape, torch::kInt8).to(torch::kFloat);
}

// Largest |sum| of a stage: fan-in times the largest |input| (255 for the image).
double sum_bound(const Stage& s) {
  return double(s.fan_in()) * (s.input == 0 ? 255 : 1);
}

template <class T>
torch::Tensor per_channel(const std::vector<T>& v, size_t stride, size_t offset, bool map) {
  std::vector<double> d;
  for (size_t i = offset; i < v.size(); i += stride) d.push_back(double(v[i]));
  torch::Tensor t = torch::tensor(d, torch::kDouble);
  return map ? t.view({1, -1, 1, 1}) : t.view({1, -1});
}

torch::Tensor at_least(const torch::Tensor& a, const torch::Tensor& t) {
  return (a >= t).to(torch::kDouble);
}

// One conv/dense stage: sums, then requantization (folded.h). Activations and sums travel as
// float32: every partial sum of -1/0/+1 weights times integer inputs is an integer of
// magnitude <= sum_bound < 2^24, so float32 holds it exactly in any summation order (and the
// convolution runs on oneDNN; double has no fast path). The round() guards against a
// convolution algorithm with inexact intermediates. The comparisons are done in double.
torch::Tensor run_matmul(const FoldedStage& f, const torch::Tensor& in, const torch::Tensor& w,
                         const torch::Tensor* residual) {
  const Stage& s = f.stage;
  const bool map = s.kind == Stage::Kind::kConv;
  const torch::Tensor a =
      (map ? torch::conv2d(in, w, {}, 1, 1) : torch::matmul(in, w.t())).round().to(torch::kDouble);
  if (f.levels == 0) return a;
  if (s.residual < 0) {
    const torch::Tensor t0 = per_channel(f.thresholds, size_t(f.levels), 0, map);
    if (f.levels == 1) return (2 * at_least(a, t0) - 1).to(torch::kFloat);
    return (at_least(a, t0) + at_least(a, per_channel(f.thresholds, 2, 1, map)) - 1)
        .to(torch::kFloat);
  }
  const torch::Tensor m = per_channel(f.res_mean, 1, 0, map);
  const torch::Tensor d = per_channel(f.res_var, 1, 0, map).sqrt();
  const torch::Tensor y = (a - m) / d + residual->to(torch::kDouble);
  if (f.levels == 1) return (2 * (y >= 0).to(torch::kFloat) - 1);
  return (y >= -f.res_delta).to(torch::kFloat) + (y >= f.res_delta).to(torch::kFloat) - 1;
}

}  // namespace

std::vector<int32_t> folded_scores(const FoldedNet& net, const ImageSet& set, int count) {
  torch::NoGradGuard no_grad;
  count = std::min(count, set.count);
  std::vector<torch::Tensor> weights;
  for (const FoldedStage& f : net.stages) {
    const Stage& s = f.stage;
    if (s.has_weights() && sum_bound(s) >= double(1 << 24))
      throw std::invalid_argument(s.name + ": sums up to " + std::to_string(sum_bound(s)) +
                                  " are not exact in float32");
    if (s.kind == Stage::Kind::kConv)
      weights.push_back(floats(f.weights, {s.out.c, s.in.c, 3, 3}));
    else if (s.kind == Stage::Kind::kDense)
      weights.push_back(floats(f.weights, {s.out.c, s.in.c}));
    else
      weights.emplace_back();
  }
  const int classes = net.stages.back().stage.out.c;
  std::vector<int32_t> scores;
  scores.reserve(size_t(count) * classes);
  const int64_t pixels = int64_t(set.rows) * set.cols;
  for (int first = 0; first < count; first += kBatch) {
    const int n = std::min(kBatch, count - first);
    std::vector<torch::Tensor> values{
        torch::from_blob(const_cast<uint8_t*>(set.images.data()) + first * pixels,
                         {n, 1, set.rows, set.cols}, torch::kUInt8)
            .to(torch::kFloat)};
    for (size_t i = 0; i < net.stages.size(); ++i) {
      const FoldedStage& f = net.stages[i];
      const torch::Tensor& in = values[size_t(f.stage.input)];
      switch (f.stage.kind) {
        case Stage::Kind::kPool:
          values.push_back(torch::max_pool2d(in, {2, 2}, {2, 2}));
          break;
        case Stage::Kind::kFlatten:
          values.push_back(in.flatten(1));
          break;
        default:
          values.push_back(
              run_matmul(f, in, weights[i],
                         f.stage.residual >= 0 ? &values[size_t(f.stage.residual)] : nullptr));
      }
    }
    const torch::Tensor out = values.back().round().to(torch::kInt32).contiguous();
    scores.insert(scores.end(), out.data_ptr<int32_t>(), out.data_ptr<int32_t>() + out.numel());
  }
  return scores;
}

double accuracy_of_scores(const std::vector<int32_t>& scores, int classes, const ImageSet& set,
                          int count) {
  count = std::min(count, set.count);
  if (count <= 0) return 0;
  int correct = 0;
  for (int i = 0; i < count; ++i) {
    const auto row = scores.begin() + int64_t(i) * classes;
    correct += std::max_element(row, row + classes) - row == set.labels[size_t(i)];
  }
  return double(correct) / count;
}

}  // namespace imc::nas
