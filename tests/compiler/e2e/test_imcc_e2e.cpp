// End to end, as a user runs it: an ONNX network -> imcc -> imcsim, bit-identical to the ONNX
// semantics (computed independently by the oracle) and to the reference executor, for both
// schedules and every shipped chip the network fits; networks imcc does not support are
// refused with exit status 2 and one line saying why.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "compiler/frontend/import.h"
#include "compiler/reference/reference.h"
#include "hw/isa/npy.h"
#include "model_builder.h"
#include "onnx_oracle.h"
#include "run_tool.h"

namespace imc::compiler {
namespace {

using testing::NetBuilder;
using testing::WeightKind;

struct Net {
  std::string name;
  std::string input_type;
  std::vector<int64_t> shape;  // batch first
  std::function<void(NetBuilder&)> layers;
};

std::vector<Net> networks() {
  return {
      {"mlp_u8_larger_than_a_crossbar",
       "UINT8",
       {1, 600},
       [](NetBuilder& b) {
         b.gemm(300);
         b.bn_sign();
         b.gemm(10);
       }},
      {"ternary_weights_and_activations",
       "BIPOLAR",
       {1, 256},
       [](NetBuilder& b) {
         b.gemm(128, true, WeightKind::kTernary);
         b.multithreshold_ternary();
         b.gemm(10);
       }},
      {"cnn_u8_pool_strided_5x5_negative_gamma",
       "UINT8",
       {1, 1, 12, 12},
       [](NetBuilder& b) {
         b.conv(16, 3, 1, 1);
         b.bn_sign();
         b.maxpool(2, 2);
         b.set_gamma(testing::GammaSign::kMixed);
         b.conv(16, 5, 2, 2);
         b.bn_sign();
         b.flatten();
         b.gemm(10);
       }},
      {"latent_weights_matmul_bipolarquant",
       "BIPOLAR",
       {1, 64},
       [](NetBuilder& b) {
         b.matmul(64, WeightKind::kLatentBipolarQuant);
         b.bn_bipolarquant();
         b.matmul(10);
       }},
      {"residual_block",
       "BIPOLAR",
       {1, 64},
       [](NetBuilder& b) {
         b.set_bn_ratio(2);
         b.gemm(64);
         const std::string skip = b.bn_sign();
         b.gemm(64);
         b.bn();
         b.residual_from(skip);
         b.sign();
         b.gemm(10);
       }},
      {"int8_gemm_transb0",
       "INT8",
       {1, 100},
       [](NetBuilder& b) {
         b.gemm(32, false);
         b.bn_sign();
         b.gemm(10);
       }},
      // 3x3 conv from 64 channels to 300: a 576x300 matrix, 3x2 blocks of 256x256.
      {"conv_576x300_larger_than_a_crossbar_both_ways",
       "UINT8",
       {1, 1, 8, 8},
       [](NetBuilder& b) {
         b.conv(64, 3, 1, 1);
         b.bn_sign();
         b.conv(300, 3, 1, 1);
         b.bn_sign();
         b.maxpool(2, 2);
         b.maxpool(2, 2);
         b.flatten();
         b.gemm(10);
       }},
      // RGB u8 image: NCHW planes in the first tile, one MVM per input channel.
      {"rgb_u8_image_conv_pad1_then_stride2",
       "UINT8",
       {1, 3, 8, 8},
       [](NetBuilder& b) {
         b.conv(8, 3, 1, 1);
         b.bn_sign();
         b.conv(16, 3, 2, 1);
         b.bn_sign();
         b.flatten();
         b.gemm(10);
       }},
      // No set_bn_ratio: sigma/gamma differs between channels, one residual scale each.
      {"residual_block_per_channel_scales",
       "BIPOLAR",
       {1, 64},
       [](NetBuilder& b) {
         b.set_gamma(testing::GammaSign::kMixed);
         b.gemm(64);
         const std::string skip = b.bn_sign();
         b.gemm(64);
         b.bn();
         b.residual_from(skip);
         b.sign();
         b.gemm(10);
       }},
      {"rgb_residual_around_convs_per_channel_scales",
       "UINT8",
       {1, 3, 8, 8},
       [](NetBuilder& b) {
         b.conv(13, 3, 1, 1);
         const std::string skip = b.bn_sign();
         b.conv(13, 3, 1, 1);
         b.bn();
         b.residual_from(skip);
         b.sign();
         b.flatten();
         b.gemm(10);
       }},
      {"multithreshold_binary",
       "BIPOLAR",
       {1, 128},
       [](NetBuilder& b) {
         b.gemm(64);
         b.multithreshold_binary();
         b.gemm(10);
       }},
      {"residual_block_around_convs",
       "UINT8",
       {1, 1, 8, 8},
       [](NetBuilder& b) {
         b.set_bn_ratio(2);
         b.conv(16, 3, 1, 1);
         const std::string skip = b.bn_sign();
         b.conv(16, 3, 1, 1);
         b.bn();
         b.residual_from(skip);
         b.sign();
         b.flatten();
         b.gemm(10);
       }},
      {"padded_maxpool",
       "UINT8",
       {1, 1, 9, 9},
       [](NetBuilder& b) {
         b.conv(8, 3, 1, 1);
         b.bn_sign();
         b.maxpool(3, 2, 1);
         b.flatten();
         b.gemm(10);
       }},
      // Windows of more than the 32 pixels one POOL compares: in runs of rows, then over the
      // runs' maxima (once imcc refused these, and before that emitted programs imcsim refused).
      {"global_maxpool_8x8_then_7x7_stride_1",
       "UINT8",
       {1, 1, 16, 16},
       [](NetBuilder& b) {
         b.conv(8, 3, 1, 1);
         b.bn_sign();
         b.maxpool(7, 1, 3);  // 49 pixels, borders shrunk by the padding
         b.maxpool(8, 8);     // 64 pixels, a 2x2 map of windows
         b.flatten();
         b.gemm(10);
       }},
      {"global_maxpool_op_on_ternary_maps",
       "BIPOLAR",
       {1, 4, 9, 9},
       [](NetBuilder& b) {
         b.conv(12, 3, 1, 0, WeightKind::kTernary);
         b.multithreshold_ternary();
         b.global_maxpool();  // 7x7 = 49 pixels
         b.flatten();
         b.gemm(10);
       }},
      // Maxima of binary maps saturate at +1 (a wrong run could go unseen); u8 pixels do not.
      {"global_maxpool_op_on_the_u8_image",
       "UINT8",
       {1, 1, 11, 11},
       [](NetBuilder& b) {
         b.global_maxpool();  // 121 pixels: 11 runs of 2 rows, 1 of 1
         b.flatten();
         b.gemm(10);
       }},
      {"gemm_transb0_with_bias",
       "BIPOLAR",
       {1, 96},
       [](NetBuilder& b) {
         b.gemm(48, false, WeightKind::kBinary, true);
         b.bn_sign();
         b.gemm(24, false, WeightKind::kTernary, true);
         b.bn_sign();
         b.gemm(10, false);  // a bias here is refused (ImccRefuses below)
       }},
      {"torch_view_before_classifier",
       "UINT8",
       {0, 1, 6, 6},
       [](NetBuilder& b) {
         b.conv(8, 3, 1, 1);
         b.bn_sign();
         b.reshape_dynamic();
         b.gemm(10);
       }},
      // Multi-channel bipolar/ternary images sit in the global buffer as layout=pixels (each
      // pixel's channels in whole bytes, the tiles' layout); imcsim converts x.npy's NCHW.
      {"bipolar_multichannel_image",
       "BIPOLAR",
       {1, 3, 8, 8},
       [](NetBuilder& b) {
         b.conv(8, 3, 1, 1);
         b.bn_sign();
         b.maxpool(2, 2);
         b.flatten();
         b.gemm(10);
       }},
      {"ternary_multichannel_image_strided",
       "TERNARY",
       {1, 5, 9, 9},
       [](NetBuilder& b) {
         b.conv(12, 3, 2, 1, WeightKind::kTernary);
         b.bn_sign();
         b.flatten();
         b.gemm(10);
       }},
      // Feature-map outputs (segmentation-like heads), layout=pixels too: binary, ternary and
      // raw int32 maps of several channels.
      {"binary_feature_map_output",
       "UINT8",
       {1, 1, 10, 10},
       [](NetBuilder& b) {
         b.conv(12, 3, 1, 1);
         b.bn_sign();
         b.conv(9, 3, 1, 1);
         b.bn_sign();
       }},
      {"ternary_feature_map_output",
       "UINT8",
       {1, 2, 8, 8},
       [](NetBuilder& b) {
         b.conv(6, 3, 1, 1);
         b.multithreshold_ternary();
       }},
      {"raw_int32_feature_map_output",
       "BIPOLAR",
       {1, 4, 7, 7},
       [](NetBuilder& b) {
         b.conv(8, 3, 1, 1);
         b.bn_sign();
         b.maxpool(2, 2, 1);
         b.conv(5, 3, 1, 1);
       }},
      // FINN's input quantization: a MultiThreshold binarizing the u8 pixels, no matmul before
      // it (an identity 1x1 convolution on the chip).
      {"multithreshold_on_the_input_image",
       "UINT8",
       {1, 3, 8, 8},
       [](NetBuilder& b) {
         b.multithreshold_binary();
         b.conv(8, 3, 1, 1);
         b.bn_sign();
         b.maxpool(2, 2);
         b.flatten();
         b.gemm(10);
       }},
      // Brevitas's ternary weights: QONNX Quant (2 signed narrow bits, a scale per channel).
      {"quant_ternary_weights",
       "UINT8",
       {1, 1, 8, 8},
       [](NetBuilder& b) {
         b.conv(8, 3, 1, 1, WeightKind::kLatentQuantTernary);
         b.bn_sign();
         b.flatten();
         b.gemm(10);
       }},
      {"ternary_input",
       "TERNARY",
       {1, 200},
       [](NetBuilder& b) {
         b.gemm(64, true, WeightKind::kTernary);
         b.bn_sign();
         b.gemm(10);
       }},
      {"binarized_output",
       "BIPOLAR",
       {1, 128},
       [](NetBuilder& b) {
         b.gemm(64);
         b.bn_sign();
         b.gemm(16);
         b.bn_sign();
       }},
      // Layers larger than one tile (docs/compiler-backend.md): a flattened 7x7x64 map into
      // 128 features, 3136x128: row groups adding int32 partial sums on tile8x8, row and
      // column groups on rram4x4.
      {"fc_3136x128_larger_than_a_tile",
       "BIPOLAR",
       {1, 3136},
       [](NetBuilder& b) {
         b.gemm(128);
         b.bn_sign();
         b.gemm(10);
       }},
      // 3x3 conv 128 -> 256 (1152x256, 5 crossbars of tile8x8): two column groups, each
      // sending its channels of every pixel; too big for rram4x4.
      {"conv_128_to_256_larger_than_a_tile8x8_tile",
       "UINT8",
       {1, 1, 8, 8},
       [](NetBuilder& b) {
         b.conv(128, 3, 1, 1);
         b.bn_sign();
         b.conv(256, 3, 1, 1);
         b.bn_sign();
         b.maxpool(2, 2);
         b.flatten();
         b.gemm(10);
       }},
      // 3x3 conv 64 -> 64 (576x64: 9 crossbars of 64x64, rram4x4 tiles have 8); one tile of
      // tile8x8.
      {"conv_64_to_64_larger_than_a_rram4x4_tile",
       "UINT8",
       {1, 1, 6, 6},
       [](NetBuilder& b) {
         b.conv(64, 3, 1, 1);
         b.bn_sign();
         b.conv(64, 3, 1, 1);
         b.bn_sign();
         b.flatten();
         b.gemm(10);
       }},
      // Maps larger than a tile's buffers (docs/compiler-backend.md, Layout): the layer's output
      // rows are split over tiles, each holding only its window of each map. A 28x28x64 t2
      // map (12544 B) leaves the first conv and enters the pool: more than an 8 KiB buffer.
      {"conv_output_map_larger_than_the_output_buffer",
       "UINT8",
       {1, 1, 28, 28},
       [](NetBuilder& b) {
         b.conv(64, 3, 1, 1);
         b.multithreshold_ternary();
         b.maxpool(2, 2);
         b.conv(16, 3, 1, 1);
         b.bn_sign();
         b.maxpool(2, 2);
         b.flatten();
         b.gemm(10);
       }},
      // The residual conv holds its 28x28x64 b1 input (6272 B) and the residual map (6272 B):
      // together more than 8 KiB; per-channel residual scales.
      {"residual_map_larger_than_the_input_buffer",
       "UINT8",
       {1, 1, 28, 28},
       [](NetBuilder& b) {
         b.set_gamma(testing::GammaSign::kMixed);
         b.conv(64, 3, 1, 1);
         const std::string skip = b.bn_sign();
         b.conv(64, 3, 1, 1);
         b.bn();
         b.residual_from(skip);
         b.sign();
         b.maxpool(2, 2);
         b.maxpool(2, 2);
         b.flatten();
         b.gemm(10);
       }},
      // A 96x96 u8 image (9216 B) into a stride-2 conv: each part LOADs its input rows.
      {"conv_input_map_larger_than_the_input_buffer",
       "UINT8",
       {1, 1, 96, 96},
       [](NetBuilder& b) {
         b.conv(8, 3, 2, 1);
         b.bn_sign();
         b.maxpool(2, 2);
         b.conv(16, 3, 1, 1);
         b.bn_sign();
         b.maxpool(2, 2);
         b.flatten();
         b.gemm(10);
       }},
      {"domain_onnx_brevitas",
       "BIPOLAR",
       {1, 64},
       [](NetBuilder& b) {
         b.set_domain("onnx.brevitas");
         b.matmul(32, WeightKind::kLatentBipolarQuant);
         b.bn_bipolarquant();
         b.matmul(10);
       }},
      {"domain_finn_custom_op_general",
       "BIPOLAR",
       {1, 64},
       [](NetBuilder& b) {
         b.set_domain("finn.custom_op.general");
         b.gemm(32);
         b.multithreshold_ternary();
         b.gemm(16);
         b.multithreshold_binary();
         b.gemm(10);
       }},
      // Ternary residuals (ACCADD type=t2): a ternary activation feeding the residual of a
      // binarized dense layer; sigma/gamma and its sign differ between channels.
      {"ternary_residual_around_dense_per_channel_scales",
       "BIPOLAR",
       {1, 64},
       [](NetBuilder& b) {
         b.set_gamma(testing::GammaSign::kMixed);
         b.gemm(64);
         const std::string skip = b.multithreshold_ternary();
         b.gemm(64, true, WeightKind::kTernary);
         b.bn();
         b.residual_from(skip);
         b.sign();
         b.gemm(10);
       }},
      // Ternary activations around convs: BatchNorm + ternary MultiThreshold into the
      // residual, the residual layer ternarized too (t2 maps, 4 channels per byte).
      {"ternary_residual_around_convs_ternary_output",
       "UINT8",
       {1, 1, 8, 8},
       [](NetBuilder& b) {
         b.set_gamma(testing::GammaSign::kMixed);
         b.conv(16, 3, 1, 1);
         const std::string skip = b.bn_ternarize();
         b.conv(16, 3, 1, 1, WeightKind::kTernary);
         b.bn();
         b.residual_from(skip);
         b.ternarize();
         b.flatten();
         b.gemm(10);
       }},
      // A b1 residual into a ternarized conv layer.
      {"binary_residual_into_ternary_conv",
       "UINT8",
       {1, 1, 6, 6},
       [](NetBuilder& b) {
         b.set_gamma(testing::GammaSign::kMixed);
         b.conv(12, 3, 1, 1);
         const std::string skip = b.bn_sign();
         b.conv(12, 3, 1, 1);
         b.bn();
         b.residual_from(skip);
         b.ternarize(-2, 1);
         b.flatten();
         b.gemm(10);
       }},
      // Two residual blocks as imcnas exports them with ternary activations (BatchNorm scale
      // 1 with float mean/var, MultiThreshold {-0.5, 0.5}): cuts not linear in r, so the
      // layers get a sum shift.
      {"imcnas_ternary_res_blocks",
       "UINT8",
       {1, 1, 8, 8},
       [](NetBuilder& b) {
         b.conv(12, 3, 1, 1);
         const std::string skip = b.multithreshold_ternary();
         b.conv(12, 3, 1, 1, WeightKind::kTernary);
         b.bn_unit_scale();
         b.residual_from(skip);
         const std::string t = b.ternarize(-0.5f, 0.5f);
         b.conv(12, 3, 1, 1, WeightKind::kTernary);
         b.bn_unit_scale();
         b.residual_from(t);
         b.ternarize(-0.5f, 0.5f);
         b.maxpool(2, 2);
         b.flatten();
         b.gemm(10);
       }},
  };
}

// imcc and then imcsim on `dir`/net.onnx and `dir`/x.npy for one chip and schedule.
struct ChipRun {
  test::ToolRun imcc, imcsim;
  isa::NpyTensor y;
  int64_t cycles = 0;
};

ChipRun compile_and_run(const std::string& dir, const std::string& arch,
                        const std::string& schedule, const std::string& imcc_options = "") {
  ChipRun run;
  const std::string prog = dir + "/net_" + schedule + ".cmd";
  run.imcc = test::run_tool(IMCC_BINARY, "--arch " + arch + " --model " + dir + "/net.onnx -o " +
                                             prog + " --schedule " + schedule + imcc_options);
  if (run.imcc.status != 0) return run;
  run.imcsim = test::run_tool(IMCSIM_BINARY, "--arch " + arch + " --prog " + prog + " --input " +
                                                 dir + "/x.npy -q --output " + dir +
                                                 "/y.npy --stats " + dir + "/s.json");
  if (run.imcsim.status != 0) return run;
  run.y = isa::read_npy_integers(dir + "/y.npy");
  run.cycles = nlohmann::json::parse(test::read_text(dir + "/s.json"))["cycles"];
  return run;
}

// A network saved as net.onnx with 4 random inputs as x.npy in a fresh directory.
struct Saved {
  onnx::ModelProto model;
  std::string dir;
  Tensor x;
};

Saved save(const Net& net) {
  NetBuilder b(net.input_type, net.shape, 11);
  net.layers(b);
  b.output();
  Saved s{b.build(), test::temp_dir(), {}};
  b.save(s.dir + "/net.onnx");
  std::vector<int64_t> shape = net.shape;
  shape[0] = 4;
  s.x = testing::random_input(net.input_type, shape, 5);
  isa::write_npy_i32(s.dir + "/x.npy", s.x.shape, s.x.values);
  return s;
}

void remove_dir(const std::string& dir) {
  if (!std::getenv("IMC_KEEP_TEST_FILES")) std::system(("rm -rf '" + dir + "'").c_str());
}

class Imcc : public ::testing::TestWithParam<Net> {};

TEST_P(Imcc, SimulatedOutputEqualsOnnxAndReference) {
  const Net& net = GetParam();
  const Saved n = save(net);
  const std::string& dir = n.dir;
  const Tensor& x = n.x;
  const onnx::ModelProto& model = n.model;

  const std::vector<Tensor> want = testing::run_onnx(model, x);
  ASSERT_EQ(want.size(), 1u);
  const std::vector<Tensor> ref = run_reference(import_onnx(model, net.name, {}), x);
  ASSERT_EQ(ref.size(), 1u);
  EXPECT_EQ(ref[0].values, want[0].values) << "reference executor vs ONNX";

  int64_t cycles[2] = {0, 0};
  const char* schedules[] = {"sequential", "pipelined"};
  for (int s = 0; s < 2; ++s) {
    for (const std::string arch : {"configs/tile8x8.yaml", "configs/rram4x4.yaml"}) {
      const ChipRun r = compile_and_run(dir, arch, schedules[s]);
      if (r.imcc.status == 2 && arch.find("rram") != std::string::npos) {
        // does not fit the small chip: said clearly, which is all we ask there
        if (s == 0)
          std::printf("%s: not on %s: %s", net.name.c_str(), arch.c_str(), r.imcc.err.c_str());
        continue;
      }
      ASSERT_EQ(r.imcc.status, 0) << arch << ": " << r.imcc.err;
      ASSERT_EQ(r.imcsim.status, 0) << arch << " " << schedules[s] << ": " << r.imcsim.err;
      std::vector<int32_t> got(r.y.values.begin(), r.y.values.end());
      EXPECT_EQ(got, want[0].values) << arch << " " << schedules[s];
      EXPECT_EQ(r.y.shape, want[0].shape);
      if (arch.find("tile8x8") != std::string::npos) cycles[s] = r.cycles;
    }
  }
  EXPECT_LE(cycles[1], cycles[0]) << "pipelined should not be slower than sequential";
  remove_dir(dir);
}

// Networks imcc does not support must be refused with exit 2, one line saying why, and no
// output file.
void expect_refused(const Net& net, const std::string& why) {
  const Saved n = save(net);
  const ChipRun r = compile_and_run(n.dir, "configs/tile8x8.yaml", "pipelined");
  EXPECT_EQ(r.imcc.status, 2) << r.imcc.err;
  EXPECT_NE(r.imcc.err.find(why), std::string::npos) << r.imcc.err;
  EXPECT_EQ(r.imcc.err.find('\n'), r.imcc.err.size() - 1) << r.imcc.err;
  EXPECT_FALSE(std::ifstream(n.dir + "/net_pipelined.cmd").good());
  remove_dir(n.dir);
}

TEST(ImccRefuses, BiasOnTheRawIntegerOutput) {
  expect_refused({"raw_output_bias",
                  "BIPOLAR",
                  {1, 96},
                  [](NetBuilder& b) {
                    b.gemm(48, false, WeightKind::kBinary, true);
                    b.bn_sign();
                    b.gemm(10, false, WeightKind::kBinary, true);
                  }},
                 "node 'gemm1' (output): a bias on a raw integer output is not supported yet");
}

// A pooling window wider than 32 pixels: even one row of it is more than a POOL compares.
TEST(ImccRefuses, GlobalPoolWiderThan32Pixels) {
  expect_refused({"global_maxpool_33_wide",
                  "BIPOLAR",
                  {1, 8, 2, 33},
                  [](NetBuilder& b) {
                    b.global_maxpool();
                    b.flatten();
                    b.gemm(10);
                  }},
                 "a 2x33 window: kernels are at most 32 wide");
}

// PyTorch's own exports (tests/models/pytorch/make_models.py, torch 1.13 at opsets 11, 13 and
// 17: BatchNorm fused into the Conv's float weights, torch.sign on latent weights, x.view's
// shape arithmetic, Transpose, Flatten of a bipolar image): imcsim's outputs equal the ones
// PyTorch computed (y.npy) on both schedules and both chips, and so do the reference's.
struct TorchExport {
  std::string name, input_type;
};

class ImccTorchExport : public ::testing::TestWithParam<TorchExport> {};

TEST_P(ImccTorchExport, SimulatedOutputEqualsPyTorch) {
  const std::string src =
      std::string(IMCSIM_SOURCE_DIR) + "/tests/models/pytorch/" + GetParam().name;
  const test::Scratch dir;
  for (const char* f : {"net.onnx", "x.npy"})
    std::filesystem::copy_file(src + "/" + f, dir.path(f));
  const isa::NpyTensor x = isa::read_npy_integers(src + "/x.npy");
  const isa::NpyTensor want = isa::read_npy_integers(src + "/y.npy");
  ASSERT_EQ(want.shape[0], 6);

  const std::vector<Tensor> ref =
      run_reference(import_onnx(src + "/net.onnx", {GetParam().input_type}),
                    Tensor{x.shape, std::vector<int32_t>(x.values.begin(), x.values.end())});
  ASSERT_EQ(ref.size(), 1u);
  EXPECT_EQ(std::vector<int64_t>(ref[0].values.begin(), ref[0].values.end()), want.values)
      << "reference executor vs PyTorch";
  for (const std::string schedule : {"sequential", "pipelined"})
    for (const std::string arch : {"configs/tile8x8.yaml", "configs/rram4x4.yaml"}) {
      const ChipRun r =
          compile_and_run(dir.dir, arch, schedule, " --input-type " + GetParam().input_type);
      ASSERT_EQ(r.imcc.status, 0) << arch << ": " << r.imcc.err;
      ASSERT_EQ(r.imcsim.status, 0) << arch << " " << schedule << ": " << r.imcsim.err;
      EXPECT_EQ(r.y.values, want.values) << arch << " " << schedule;
      EXPECT_EQ(r.y.shape, want.shape);
    }
}

INSTANTIATE_TEST_SUITE_P(PyTorch, ImccTorchExport,
                         ::testing::Values(TorchExport{"fused_bn_cnn_opset13", "u8"},
                                           TorchExport{"latent_sign_cnn_opset11", "UINT8"},
                                           TorchExport{"bipolar_mlp_opset17", "b1"},
                                           TorchExport{"residual_rgb_opset13", "u8"}),
                         [](const ::testing::TestParamInfo<TorchExport>& info) {
                           return info.param.name;
                         });

std::string name_of(const ::testing::TestParamInfo<Net>& info) {
  return info.param.name;
}
void PrintTo(const Net& n, std::ostream* os) {
  *os << n.name;
}

INSTANTIATE_TEST_SUITE_P(Networks, Imcc, ::testing::ValuesIn(networks()), name_of);

}  // namespace
}  // namespace imc::compiler
