// Writes the shipped example network, examples/bnn_cnn/: a small binary CNN as an ONNX model
// (the way PyTorch/Brevitas export one: Conv, BatchNormalization, Sign, MaxPool, Flatten,
// Gemm), a batch of uint8 images, and the expected output computed by the ONNX oracle, which
// evaluates the model with ONNX semantics independently of the compiler.
//   make_onnx_example OUTPUT_DIR
#include <cstdio>
#include <random>
#include <string>

#include "hw/isa/npy.h"
#include "model_builder.h"
#include "onnx_oracle.h"

using namespace imc::compiler;

int main(int argc, char* argv[]) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: make_onnx_example OUTPUT_DIR\n");
    return 2;
  }
  const std::string dir = argv[1];
  testing::NetBuilder b("UINT8", {-1, 1, 16, 16}, 2026);
  b.conv(16, 3, 1, 1);  // 3x3, 16 channels, "same" padding
  b.bn_sign();
  b.maxpool(2, 2);
  b.set_gamma(testing::GammaSign::kMixed);
  b.conv(32, 3, 1, 1);
  b.bn_sign();
  b.maxpool(2, 2);
  b.flatten();
  b.gemm(10);  // raw integer class scores
  b.output();
  b.save(dir + "/model.onnx");

  std::mt19937_64 rng(7);
  Tensor x{{8, 1, 16, 16}, {}};
  for (int i = 0; i < 8 * 16 * 16; ++i) x.values.push_back(static_cast<int32_t>(rng() % 256));
  imc::isa::write_npy_i32(dir + "/input.npy", x.shape, x.values);
  const Tensor y = testing::run_onnx(b.build(), x).at(0);
  imc::isa::write_npy_i32(dir + "/expected.npy", y.shape, y.values);
  return 0;
}
