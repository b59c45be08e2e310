#include "compiler/frontend/weights.h"

#include <cmath>
#include <stdexcept>
#include <string>

namespace imc::compiler::frontend {

ScaledWeights scaled_ternary_values(const ConstTensor& w, int64_t channels, int64_t inner) {
  ScaledWeights out{std::vector<int8_t>(w.data.size()), std::vector<double>(channels, 0)};
  const auto channel = [&](size_t i) { return static_cast<int64_t>(i) / inner % channels; };
  for (size_t i = 0; i < w.data.size(); ++i) {
    const double v = w.data[i];
    double& m = out.scale[channel(i)];
    if (!std::isfinite(v))
      throw std::runtime_error("weight " + std::to_string(i) + " is " + std::to_string(v));
    if (v == 0) continue;
    if (m == 0) m = std::fabs(v);
    if (std::fabs(v) != m)
      throw std::runtime_error(
          "weight " + std::to_string(i) + " is " + std::to_string(v) + ", but output channel " +
          std::to_string(channel(i)) + " has weights of magnitude " + std::to_string(m) +
          ": the weights must be -1, 0, +1 times one magnitude per output channel (binarize "
          "latent weights with BipolarQuant or Sign)");
    out.values[i] = static_cast<int8_t>(v > 0 ? 1 : -1);
  }
  for (double& m : out.scale)
    if (m == 0) m = 1;
  return out;
}

std::vector<int8_t> conv_weights(const std::vector<int8_t>& mckk, int64_t m, int64_t c, int64_t kh,
                                 int64_t kw) {
  std::vector<int8_t> out(mckk.size());
  for (int64_t o = 0; o < m; ++o)
    for (int64_t ci = 0; ci < c; ++ci)
      for (int64_t y = 0; y < kh; ++y)
        for (int64_t x = 0; x < kw; ++x)
          out[((o * kh + y) * kw + x) * c + ci] = mckk[((o * c + ci) * kh + y) * kw + x];
  return out;
}

std::vector<int8_t> dense_weights(const std::vector<int8_t>& kn, int64_t n, int64_t h, int64_t w,
                                  int64_t c) {
  std::vector<int8_t> out(kn.size());
  for (int64_t ci = 0; ci < c; ++ci)
    for (int64_t y = 0; y < h; ++y)
      for (int64_t x = 0; x < w; ++x) {
        const int64_t k = (ci * h + y) * w + x;
        for (int64_t o = 0; o < n; ++o) out[((o * h + y) * w + x) * c + ci] = kn[k * n + o];
      }
  return out;
}

std::vector<int8_t> transpose(const std::vector<int8_t>& rc, int64_t rows, int64_t cols) {
  std::vector<int8_t> out(rc.size());
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t c = 0; c < cols; ++c) out[c * rows + r] = rc[r * cols + c];
  return out;
}

}  // namespace imc::compiler::frontend
