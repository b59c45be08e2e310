// The fold pass's state (internal to compiler/frontend). A tensor of the ONNX graph is
// either an activation already in the IR (Act) or integer sums of a matmul whose
// requantization is still being collected (Sums).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "compiler/frontend/op_view.h"
#include "compiler/frontend/requant.h"
#include "compiler/ir.h"

namespace imc::compiler::frontend {

struct Act {
  int value = -1;
  bool flat = false;  // ONNX sees the [h][w][c] map flattened to [N, c*h*w] (NCHW order)
  std::vector<int64_t> onnx_shape;
  double scale = 1;  // a scaled BipolarQuant's output: ONNX sees scale * (the IR's +-1)
};

struct Sums {
  MatLayer mat;                 // geometry, weights and input; output and thresholds come last
  int64_t h = 1, w = 1, c = 0;  // shape of the sums (after a pending pool)
  std::vector<Affine> f;        // per output channel
  int residual = -1;
  bool has_pool = false;
  PoolLayer pool;                // input/output not yet set
  int64_t pre_h = 1, pre_w = 1;  // shape before the pending pool
  std::vector<int64_t> onnx_shape;
};

struct Sym {
  bool is_sums = false;
  Act act;
  Sums sums;
};

// Larger than any map a chip holds; keeps the shape arithmetic far from overflow.
constexpr int64_t kMaxWindow = 65535;

class Folder {
 public:
  explicit Folder(const OpView& v);
  Graph run();

  // shared helpers
  [[noreturn]] void fail(const OpNode& n, const std::string& why) const;
  const ConstTensor* constant(const std::string& name) const;
  const ConstTensor& need_const(const OpNode& n, size_t i, const std::string& what) const;
  const Act& need_act(const OpNode& n, size_t i) const;
  // The sums at input i; an activation there gets the identity matmul (identity_sums).
  Sums need_sums(const OpNode& n, size_t i) const;
  Sums identity_sums(const OpNode& n, const Act& x) const;
  // A Conv's or MaxPool's window: kernel and strides 1..kMaxWindow, pads 0..kMaxWindow.
  void check_window(const OpNode& n, const std::vector<int64_t>& kernel,
                    const std::vector<int64_t>& strides, const std::vector<int64_t>& pads) const;
  // Which input of a two-input Add/Mul/Sub/Div is the data: the sums, else the non-constant.
  int data_input(const OpNode& n) const;
  bool is_sums(const std::string& name) const;
  void set_act(const std::string& name, const Act& a) { syms_[name] = Sym{false, a, {}}; }
  void set_sums(const OpNode& n, Sums s);
  int add_value(const std::string& name, isa::DType t, int64_t h, int64_t w, int64_t c);
  Act emit(const OpNode& n, Sums s, isa::DType type, std::vector<Threshold> th,
           const std::string& out);

 private:
  void node(const OpNode& n);
  bool fold_constant(const OpNode& n);
  void quant_constant(const OpNode& n, ConstTensor& x) const;
  bool shape_arithmetic(const OpNode& n, ConstTensor& x) const;
  void conv(const OpNode& n);
  void dense(const OpNode& n, bool gemm);
  void batch_norm(const OpNode& n);
  void add(const OpNode& n);
  void arith(const OpNode& n);
  void binarize(const OpNode& n);
  void multi_threshold(const OpNode& n);
  void max_pool(const OpNode& n);
  void flatten(const OpNode& n);
  void alias(const OpNode& n);
  int output(const std::string& name, std::vector<int64_t>* onnx_shape);

  const OpView& v_;
  Graph g_;
  std::map<std::string, ConstTensor> consts_;
  std::map<std::string, Sym> syms_;
  std::map<std::string, int> uses_;
  int64_t batch_ = 1;
};

// Per-channel view of a constant against a tensor whose channel axis is 1 (NCHW or N,F):
// the constant must broadcast (ONNX rules) and vary along the channel axis only. Returns c
// values; throws std::runtime_error otherwise.
std::vector<double> per_channel(const ConstTensor& k, const std::vector<int64_t>& onnx_shape);

}  // namespace imc::compiler::frontend
