// What the backend supports, checked once up front so later passes can rely on it.
#include <string>

#include "compiler/backend/passes.h"

namespace imc::compiler {

namespace {

[[noreturn]] void fail(const std::string& layer, const std::string& what) {
  throw BackendError("layer '" + layer + "': " + what);
}

bool is_activation(isa::DType t) {
  return t != isa::DType::kI32;
}

int64_t out_size(int64_t in, int pad0, int pad1, int k, int stride) {
  return (in + pad0 + pad1 - k) / stride + 1;
}

void check_window(const std::string& name, const Value& in, const Value& out, int kh, int kw,
                  int sh, int sw, int pt, int pl, int pb, int pr) {
  if (kh < 1 || kw < 1 || sh < 1 || sw < 1) fail(name, "kernel and stride must be >= 1");
  if (kh > isa::kMaxSegments || kw > isa::kMaxSegments)
    fail(name, "a " + std::to_string(kh) + "x" + std::to_string(kw) +
                   " window: kernels are at most 32 wide and 32 high (one gather's segments)");
  // A window made only of padding would leave its sums undefined in the accumulator.
  if (pt >= kh || pb >= kh || pl >= kw || pr >= kw || pt < 0 || pl < 0 || pb < 0 || pr < 0)
    fail(name, "padding must be smaller than the kernel");
  if (out.h != out_size(in.h, pt, pb, kh, sh) || out.w != out_size(in.w, pl, pr, kw, sw))
    fail(name, "output map " + map_text(out) + " does not match input " + map_text(in) +
                   " with this kernel, stride and padding");
}

void check_mat(const Graph& g, const MatLayer& m) {
  const Value& in = g.values[m.input];
  const Value& out = g.values[m.output];
  if (!is_activation(in.type)) fail(m.name, "input must be b1, t2, u8 or i8, not i32");
  check_window(m.name, in, out, m.kh, m.kw, m.stride_h, m.stride_w, m.pad_top, m.pad_left,
               m.pad_bottom, m.pad_right);
  if (static_cast<int64_t>(m.weights.size()) != out.c * m.kh * m.kw * in.c)
    fail(m.name, "weights do not match [out_c][kh][kw][in_c]");
  const bool raw = out.type == isa::DType::kI32;
  if (!raw && static_cast<int64_t>(m.thresholds.size()) != out.c)
    fail(m.name, "needs one threshold per output channel");
  if (out.type == isa::DType::kU8 || out.type == isa::DType::kI8)
    fail(m.name, "outputs are b1, t2 (thresholded) or i32 (raw sums)");
  if (m.residual >= 0) {
    const Value& r = g.values[m.residual];
    if (r.h != out.h || r.w != out.w || r.c != out.c || !is_activation(r.type))
      fail(m.name,
           "residual " + map_text(r) + " must be an activation map shaped like " + map_text(out));
    if (!m.residual_scales.empty() && static_cast<int64_t>(m.residual_scales.size()) != out.c)
      fail(m.name, "needs one residual scale per output channel");
  }
}

void check_pool(const Graph& g, const PoolLayer& p) {
  const Value& in = g.values[p.input];
  const Value& out = g.values[p.output];
  if (!is_activation(in.type) || out.type != in.type || out.c != in.c)
    fail(p.name, "max pooling keeps the activation type and channels of its input");
  check_window(p.name, in, out, p.kh, p.kw, p.stride_h, p.stride_w, p.pad_top, p.pad_left,
               p.pad_bottom, p.pad_right);
  // check_window keeps kh, kw <= 32: a window of more than 32 pixels is pooled in runs of
  // rows of at most 32 pixels, then over the runs' maxima (emit_compute.cpp), at most 32.
}

// A multi-channel u8/i8 image input stays NCHW in its tiles (plan.h: planar), read only by
// MatLayers as their input (one MVM per input channel gathers its plane).
void check_planar_input(const Graph& g) {
  for (const Layer& l : g.layers) {
    const bool as_input = l.input() == g.input;
    if (as_input && l.kind != Layer::Kind::kMat)
      fail(l.name(), "a multi-channel image input (NCHW) can only feed conv/dense layers");
    if (l.kind == Layer::Kind::kMat && l.mat.residual == g.input)
      fail(l.name(), "a multi-channel image input (NCHW) cannot be a residual");
  }
}

}  // namespace

void check_graph(Plan& p) {
  const Graph& g = *p.g;
  if (g.input < 0 || g.layers.empty() || g.outputs.empty())
    throw BackendError("graph has no input, layers or outputs");
  for (const Layer& l : g.layers) {
    if (l.kind == Layer::Kind::kMat)
      check_mat(g, l.mat);
    else
      check_pool(g, l.pool);
  }
  if (planar(p, g.input)) check_planar_input(g);
  for (int o : g.outputs) {
    const Value& v = g.values[o];
    if (o == g.input) throw BackendError("network output '" + v.name + "' is the input itself");
  }
}

}  // namespace imc::compiler
