// NetBuilder: writes small ONNX binary/ternary test networks with the protobuf API, the way
// PyTorch/Brevitas/FINN export them. Shared by the frontend, reference-executor and imcc
// tests.
//
//   NetBuilder b("BIPOLAR", {1, 3, 8, 8}, /*seed=*/7);
//   b.conv(16, 3, 1, 1);          // Conv, ±1 weights, pad 1
//   b.bn_sign();                  // BatchNormalization + Sign (tie-free thresholds)
//   b.maxpool(2, 2);
//   b.flatten();
//   b.gemm(10);                   // transB = 1 like torch.nn.Linear
//   b.output();                   // raw integer sums are the network output
//   onnx::ModelProto m = b.build();   // or b.save("net.onnx")
//
// Every call appends nodes to the current tensor and returns the new current tensor's name.
// Nodes are named "<kind><layer>" (conv0, bn0, sign0, ...), their constants
// "<node>.<input>" (conv0.W, bn0.scale, ...), readable back with init().
//
// Randomness: one std::mt19937_64 seeded by the constructor. Weights are ±1 (kBinary),
// -1/0/+1 (kTernary), or float latent weights in (-1, 1) \ {0} passed through QONNX
// BipolarQuant (kLatentBipolarQuant) or ONNX Sign (kLatentSign), or latent floats within
// 0.4 scale of -1/0/+1 times a scale 1, 2 or 4 per weight row (dims[0]: the output channel of
// a Conv or of a Gemm with transB 1) through a QONNX Quant of
// 2 signed narrow bits (kLatentQuantTernary, Brevitas's ternary weights). BatchNorm and threshold
// parameters are drawn so that no integer sum is a tie: the decision point tau of the BN
// input (the integer sum plus an integer bias) is k + 0.5, and sigma/|gamma| is an integer
// 1..3 so that residual decision points tau -+ sigma/gamma are half-integers too. The gamma
// sign per channel follows set_gamma().
#pragma once

#include <algorithm>
#include <cstdint>
#include <map>
#include <random>
#include <string>
#include <vector>

#include <onnx/onnx_pb.h>

#include "compiler/reference/reference.h"

namespace imc::compiler::testing {

// A tensor of `shape` (batch first) holding random values of a finn_datatype: UINT8, INT8,
// BIPOLAR or TERNARY.
Tensor random_input(const std::string& finn_type, const std::vector<int64_t>& shape, uint64_t seed);

enum class WeightKind { kBinary, kTernary, kLatentBipolarQuant, kLatentSign, kLatentQuantTernary };
enum class GammaSign { kPositive, kNegative, kMixed };

class NetBuilder {
 public:
  // input_type: a finn_datatype (UINT8, INT8, BIPOLAR, TERNARY) written as the input's
  // quantization annotation, or "" for none. shape: [N,C,H,W] or [N,F]; N <= 0 = symbolic.
  NetBuilder(const std::string& input_type, const std::vector<int64_t>& shape, uint64_t seed = 1);

  // Matmuls (start integer sums). bias: an integer bias in [-2, 2] per output channel.
  std::string conv(int64_t out_c, int k, int stride = 1, int pad = 0,
                   WeightKind kind = WeightKind::kBinary, bool bias = false);
  std::string conv_padded(int64_t out_c, int k, int stride, std::vector<int64_t> pads,
                          WeightKind kind = WeightKind::kBinary, bool bias = false);
  std::string gemm(int64_t out, bool trans_b = true, WeightKind kind = WeightKind::kBinary,
                   bool bias = false);
  std::string matmul(int64_t out, WeightKind kind = WeightKind::kBinary);
  std::string add_bias();  // Add of an integer per-channel constant
  // `op` (Mul, Sub, Div) of the current tensor and a per-channel constant `k`, the constant
  // first when `constant_first` (k - x).
  std::string arith(const std::string& op, const std::vector<float>& k,
                    bool constant_first = false);

  // Requantization pieces and the usual combinations.
  std::string bn();
  std::string sign();
  std::string bipolar_quant();
  std::string bn_sign() { return bn(), sign(); }
  std::string bn_bipolarquant() { return bn(), bipolar_quant(); }
  std::string multithreshold_binary();                   // on the sums (k + 0.5 thresholds)
  std::string multithreshold_ternary();                  // two thresholds k0 + 0.5 <= k1 + 0.5
  std::string residual_from(const std::string& tensor);  // Add(current, tensor)
  // FINN ternary MultiThreshold [1][2] = {lo, hi} on a BatchNorm output (plus a residual), as
  // imcnas exports ternary activations. Integer levels keep bn()'s decision points
  // tau + (level - r) * sigma/gamma half-integers (no ties).
  std::string ternarize(float lo = -1, float hi = 1);
  std::string bn_ternarize(float lo = -1, float hi = 1) { return bn(), ternarize(lo, hi); }
  // BatchNormalization(scale 1, B 0, random mean, var = d^2, epsilon 0), imcnas's BatchNorm
  // before a residual: random float parameters, ties only by (vanishing) chance.
  std::string bn_unit_scale();

  // Shape ops.
  std::string maxpool(int k, int stride, int pad = 0);
  std::string global_maxpool();  // GlobalMaxPool: [N,C,H,W] -> [N,C,1,1]
  std::string flatten();
  std::string reshape_flat();  // Reshape to [N, -1] with the constant shape [0, -1]
  // x.view(x.size(0), -1) as torch exports it: Shape, Gather, Unsqueeze, Concat, Reshape
  std::string reshape_dynamic();

  // Marks the current tensor as a graph output (output_raw: the same, for integer sums).
  void output();
  void output_raw() { output(); }

  void set_gamma(GammaSign s) { gamma_ = s; }
  // sigma/|gamma| of every BatchNorm channel: 0 = random 1..3 per channel, else this value
  // (a residual layer needs one ratio for all channels, see docs/compiler-frontend.md).
  void set_bn_ratio(int m) { bn_ratio_ = m; }
  void set_domain(const std::string& d) { qonnx_domain_ = d; }  // for BipolarQuant etc.

  const std::string& current() const { return cur_; }
  const std::vector<int64_t>& shape() const { return shape_; }  // ONNX shape, batch first
  int64_t fan_in() const { return fan_in_; }                    // of the last matmul
  int64_t max_input() const { return max_in_; }            // max |element| entering the last matmul
  std::vector<float> init(const std::string& name) const;  // a constant written so far
  onnx::NodeProto& last_node();                            // to tweak attributes for error tests

  onnx::ModelProto build() const;
  void save(const std::string& path) const;

 private:
  std::string name(const std::string& kind) const {
    return kind + std::to_string(std::max(layer_, 0));
  }
  std::string constant(const std::string& node, const std::string& input,
                       const std::vector<int64_t>& dims, const std::vector<float>& v);
  onnx::NodeProto& node(const std::string& op, const std::string& node_name,
                        const std::vector<std::string>& inputs, const std::string& domain = "");
  std::string weights(const std::string& node, const std::vector<int64_t>& dims, WeightKind kind);
  std::vector<float> channel_taus(int64_t c);
  int64_t channels() const { return shape_.at(1); }
  std::vector<int64_t> channel_dims() const;  // [1,C,1,1] or [1,C]
  void flatten_shape();                       // [N, ...] -> [N, product]

  onnx::ModelProto model_;
  std::map<std::string, std::vector<float>> inits_;
  std::mt19937_64 rng_;
  std::string cur_;
  std::vector<int64_t> shape_;
  int64_t batch_ = 1;
  int64_t fan_in_ = 0, max_in_ = 1, in_max_ = 1;
  int layer_ = -1;
  GammaSign gamma_ = GammaSign::kPositive;
  int bn_ratio_ = 0;
  std::string qonnx_domain_ = "qonnx.custom_op.general";
  bool uses_qonnx_ = false;
};

}  // namespace imc::compiler::testing
