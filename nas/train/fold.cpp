#include "nas/train/fold.h"

#include <algorithm>
#include <cmath>

#include "nas/train/quantize.h"

namespace imc::nas {
namespace {

std::vector<double> to_doubles(const torch::Tensor& t) {
  const torch::Tensor c = t.detach().to(torch::kDouble).contiguous();
  return {c.data_ptr<double>(), c.data_ptr<double>() + c.numel()};
}

// One channel's BatchNorm after the sign flip: y = g * (a - mean) + beta with g >= 0.
struct Channel {
  double g, mean, beta;
  // The smallest integer a with y(a) + r >= level, clamped to [-k, k + 1] (always/never for
  // the reachable sums |a| <= k).
  int64_t cut(double level, double r, int64_t k) const {
    if (g == 0) return beta + r >= level ? -k : k + 1;
    const double tau = mean + (level - r - beta) / g;
    return int64_t(std::clamp(std::ceil(tau), double(-k), double(k + 1)));
  }
};

void fold_stage(const BnnNet& net, size_t i, FoldedStage& f) {
  const Stage& s = f.stage;
  const QuantLayer& l = net.layer(i);
  const torch::Tensor q = net.quantized_weight(i).to(torch::kInt8).contiguous();
  f.weights.assign(q.data_ptr<int8_t>(), q.data_ptr<int8_t>() + q.numel());
  if (s.raw) return;
  const bool ternary_act = net.genome().activations == Precision::kTernary;
  f.levels = ternary_act ? 2 : 1;
  const std::vector<double> gamma = to_doubles(l.gamma), beta = to_doubles(l.beta),
                            mean = to_doubles(l.running_mean), var = to_doubles(l.running_var);
  const int64_t k = int64_t(s.fan_in()) * (s.input == 0 ? 255 : 1);
  const size_t row = f.weights.size() / size_t(s.out.c);
  for (int c = 0; c < s.out.c; ++c) {
    const double sigma = std::sqrt(var[c] + BnnNet::kBnEps);
    const bool flip = gamma[c] < 0;
    if (flip) {
      for (size_t j = 0; j < row; ++j) f.weights[c * row + j] = int8_t(-f.weights[c * row + j]);
    }
    const Channel ch{std::abs(gamma[c]) / sigma, flip ? -mean[c] : mean[c], beta[c]};
    if (s.residual < 0) {
      if (ternary_act) {
        f.thresholds.push_back(ch.cut(-kActivationDelta, 0, k));
        f.thresholds.push_back(ch.cut(kActivationDelta, 0, k));
      } else {
        f.thresholds.push_back(ch.cut(0, 0, k));
      }
    } else if (!ternary_act) {
      // A+ (r = +1) <= A- (r = -1); decision points A -+ 0.5 as (a - m) / d + r >= 0.
      const int64_t ap = ch.cut(0, 1, k), am = ch.cut(0, -1, k);
      const double d = am > ap ? 0.5 * double(am - ap) : 0.25;
      const double m = am > ap ? 0.5 * double(ap + am - 1) : double(ap) - 0.5;
      f.res_mean.push_back(float(m));
      f.res_var.push_back(float(d * d));
    } else {
      // Ternary residuals: the BatchNorm itself, scale 1/d (imcc folds the t2 residual).
      const double g = std::max(ch.g, 1e-12), d = 1 / g;
      f.res_mean.push_back(float(ch.mean - ch.beta * d));
      f.res_var.push_back(float(d * d));
      f.res_delta = kActivationDelta;
    }
  }
}

}  // namespace

FoldedNet fold_network(const BnnNet& net) {
  torch::NoGradGuard no_grad;
  FoldedNet f;
  f.genome = net.genome();
  for (size_t i = 0; i < net.plan().size(); ++i) {
    f.stages.push_back({});
    f.stages.back().stage = net.plan()[i];
    if (net.plan()[i].has_weights()) fold_stage(net, i, f.stages.back());
  }
  return f;
}

}  // namespace imc::nas
