// NAS-sized batches through the reference executor: a 1M-binary-weight network and a conv net
// on 100 inferences each. Prints the time (never asserted: machines are noisy) and checks
// the results against the naive executor.
#include <gtest/gtest.h>

#include <chrono>

#include "tests/compiler/common/naive_graph.h"
#include "tests/compiler/common/random_graph.h"

namespace imc::compiler::testing {
namespace {

using isa::DType;

double seconds_for(const Graph& g, const Tensor& x) {
  auto t0 = std::chrono::steady_clock::now();
  run_reference(g, x);
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

TEST(ReferenceSpeed, MillionBinaryWeightMlpOnABatchOf100) {
  GraphBuilder b(7);
  int x = b.input(DType::kB1, 1, 1, 1024, 2);
  int h = b.mat(x, DType::kB1, 512, Window{}, false);
  h = b.mat(h, DType::kB1, 1024, Window{}, false);
  b.output(b.mat(h, DType::kI32, 10, Window{}, false));  // 1,058,816 weights
  Tensor in = b.random_input(100);
  double s = seconds_for(b.graph(), in);
  std::printf("1M-weight binary MLP, batch 100: %.4f s\n", s);
  RecordProperty("seconds", std::to_string(s));
  Tensor one{{1, 1024}, std::vector<int32_t>(in.values.begin(), in.values.begin() + 1024)};
  EXPECT_EQ(run_reference(b.graph(), one)[0].values, naive_run(b.graph(), one)[0].values);
}

TEST(ReferenceSpeed, BinaryConvNetOnABatchOf100) {
  GraphBuilder b(8);
  int x = b.input(DType::kU8, 32, 32, 3);
  Window same{3, 3, 1, 1, 1, 1, 1, 1}, pool{2, 2, 2, 2};
  int h = b.pool(b.mat(x, DType::kB1, 64, same, false), pool);
  h = b.pool(b.mat(h, DType::kB1, 128, same, false), pool);
  h = b.pool(b.mat(h, DType::kB1, 256, same, false), pool);
  b.output(b.mat(h, DType::kI32, 10, Window{4, 4}, false));  // ~0.43M weights
  const Tensor in = b.random_input(100);
  double s = seconds_for(b.graph(), in);
  std::printf("binary conv net (3 conv + dense, 32x32x3 u8), batch 100: %.4f s\n", s);
  RecordProperty("seconds", std::to_string(s));
  const int64_t per = 32 * 32 * 3;
  Tensor one{{1, 3, 32, 32}, std::vector<int32_t>(in.values.begin(), in.values.begin() + per)};
  EXPECT_EQ(run_reference(b.graph(), one)[0].values, naive_run(b.graph(), one)[0].values);
}

}  // namespace
}  // namespace imc::compiler::testing
