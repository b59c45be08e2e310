// The constant-tensor helpers the folding relies on: ONNX Transpose and broadcasting, and the
// per-output-channel magnitudes of scaled weights.
#include <gtest/gtest.h>

#include <limits>
#include <stdexcept>

#include "compiler/frontend/tensor.h"
#include "compiler/frontend/weights.h"

namespace imc::compiler::frontend {
namespace {

ConstTensor iota(std::vector<int64_t> dims) {
  ConstTensor t{dims, {}};
  int64_t n = 1;
  for (int64_t d : dims) n *= d;
  for (int64_t i = 0; i < n; ++i) t.data.push_back(static_cast<double>(i));
  return t;
}

TEST(ConstTensor, TransposeFollowsPerm) {
  const ConstTensor x = iota({2, 3, 4});  // x[a][b][c] = 12a + 4b + c
  const ConstTensor y = transposed(x, {2, 0, 1});
  EXPECT_EQ(y.dims, (std::vector<int64_t>{4, 2, 3}));
  for (int c = 0; c < 4; ++c)
    for (int a = 0; a < 2; ++a)
      for (int b = 0; b < 3; ++b) EXPECT_EQ(y.data[(c * 2 + a) * 3 + b], 12 * a + 4 * b + c);
  const ConstTensor r = transposed(iota({2, 3}), {});  // no perm: the axes reversed
  EXPECT_EQ(r.dims, (std::vector<int64_t>{3, 2}));
  EXPECT_EQ(r.data, (std::vector<double>{0, 3, 1, 4, 2, 5}));
  EXPECT_THROW(transposed(x, {0, 0, 1}), std::runtime_error);
  EXPECT_THROW(transposed(x, {0, 1}), std::runtime_error);
  EXPECT_THROW(transposed(x, {0, 1, 3}), std::runtime_error);
}

TEST(ConstTensor, BroadcastRightAligned) {
  // [2,1,1,1] (per output channel of a conv weight) and a scalar, against [2,3,1,2]
  EXPECT_EQ(broadcast_to(ConstTensor{{2, 1, 1, 1}, {5, 7}}, {2, 3, 1, 2}),
            (std::vector<double>{5, 5, 5, 5, 5, 5, 7, 7, 7, 7, 7, 7}));
  EXPECT_EQ(broadcast_to(ConstTensor{{}, {4}}, {2, 2}), (std::vector<double>{4, 4, 4, 4}));
  EXPECT_EQ(broadcast_to(ConstTensor{{1, 3}, {1, 2, 3}}, {2, 3}),
            (std::vector<double>{1, 2, 3, 1, 2, 3}));  // per column of a MatMul B
  EXPECT_THROW(broadcast_to(ConstTensor{{3}, {1, 2, 3}}, {3, 2}), std::runtime_error);
  EXPECT_THROW(broadcast_to(iota({2, 2, 2}), {2, 2}), std::runtime_error);
}

TEST(ScaledWeights, OneMagnitudePerOutputChannel) {
  // a [K=2][N=3] MatMul B: channel = column (inner 1); column 1 holds zeros only
  const ScaledWeights w =
      scaled_ternary_values(ConstTensor{{2, 3}, {0.5, 0, -2, -0.5, 0, 2}}, 3, 1);
  EXPECT_EQ(w.values, (std::vector<int8_t>{1, 0, -1, -1, 0, 1}));
  EXPECT_EQ(w.scale, (std::vector<double>{0.5, 1, 2}));
  // the same values as a [N=3][K=2] (Conv-like, inner 2): channel 0 mixes 0.5 and 2
  EXPECT_THROW(scaled_ternary_values(ConstTensor{{3, 2}, {0.5, 2, 0, 0, 1, 1}}, 3, 2),
               std::runtime_error);
  EXPECT_THROW(scaled_ternary_values(
                   ConstTensor{{1, 2}, {1, std::numeric_limits<double>::infinity()}}, 2, 1),
               std::runtime_error);
}

}  // namespace
}  // namespace imc::compiler::frontend
