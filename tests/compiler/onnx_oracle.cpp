#include "tests/compiler/onnx_oracle.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <functional>
#include <limits>
#include <map>
#include <set>
#include <stdexcept>
#include <string>

namespace imc::compiler::testing {

namespace {

// ---- tensors --------------------------------------------------------------------------------

struct DTensor {
  std::vector<int64_t> shape;
  std::vector<double> v;
};

int64_t count(const std::vector<int64_t>& shape) {
  int64_t n = 1;
  for (int64_t d : shape) n *= d;
  return n;
}

std::string shape_text(const std::vector<int64_t>& s) {
  std::string t = "[";
  for (size_t i = 0; i < s.size(); ++i) t += (i ? ", " : "") + std::to_string(s[i]);
  return t + "]";
}

[[noreturn]] void fail(const onnx::NodeProto& n, const std::string& what) {
  throw std::runtime_error("onnx oracle: " + n.op_type() + " '" + n.name() + "': " + what);
}

template <typename T>
void read_raw(const std::string& raw, std::vector<double>* out) {
  size_t n = raw.size() / sizeof(T);
  for (size_t i = 0; i < n; ++i) {
    T x;
    std::memcpy(&x, raw.data() + i * sizeof(T), sizeof(T));
    out->push_back(static_cast<double>(x));
  }
}

DTensor from_proto(const onnx::TensorProto& t) {
  DTensor d;
  d.shape.assign(t.dims().begin(), t.dims().end());
  const std::string& raw = t.raw_data();
  using TP = onnx::TensorProto;
  if (t.data_location() == TP::EXTERNAL)
    throw std::runtime_error("onnx oracle: tensor '" + t.name() + "' has external data");
  switch (t.data_type()) {
    case TP::FLOAT:
      if (!raw.empty()) read_raw<float>(raw, &d.v);
      for (float x : t.float_data()) d.v.push_back(x);
      break;
    case TP::DOUBLE:
      if (!raw.empty()) read_raw<double>(raw, &d.v);
      for (double x : t.double_data()) d.v.push_back(x);
      break;
    case TP::INT64:
      if (!raw.empty()) read_raw<int64_t>(raw, &d.v);
      for (int64_t x : t.int64_data()) d.v.push_back(static_cast<double>(x));
      break;
    case TP::INT32:
    case TP::INT16:
    case TP::INT8:
    case TP::UINT16:
    case TP::UINT8:
    case TP::BOOL:
      if (!raw.empty()) {
        if (t.data_type() == TP::INT32) read_raw<int32_t>(raw, &d.v);
        if (t.data_type() == TP::INT16) read_raw<int16_t>(raw, &d.v);
        if (t.data_type() == TP::INT8) read_raw<int8_t>(raw, &d.v);
        if (t.data_type() == TP::UINT16) read_raw<uint16_t>(raw, &d.v);
        if (t.data_type() == TP::UINT8 || t.data_type() == TP::BOOL) read_raw<uint8_t>(raw, &d.v);
      }
      for (int32_t x : t.int32_data()) d.v.push_back(x);
      break;
    default:
      throw std::runtime_error("onnx oracle: tensor '" + t.name() + "' has unsupported type " +
                               std::to_string(t.data_type()));
  }
  if (static_cast<int64_t>(d.v.size()) != count(d.shape))
    throw std::runtime_error("onnx oracle: tensor '" + t.name() + "' holds " +
                             std::to_string(d.v.size()) + " values for shape " +
                             shape_text(d.shape));
  return d;
}

// ---- attributes -----------------------------------------------------------------------------

const onnx::AttributeProto* attr(const onnx::NodeProto& n, const std::string& name) {
  for (const auto& a : n.attribute())
    if (a.name() == name) return &a;
  return nullptr;
}
int64_t attr_int(const onnx::NodeProto& n, const std::string& name, int64_t dflt) {
  const auto* a = attr(n, name);
  return a ? a->i() : dflt;
}
double attr_float(const onnx::NodeProto& n, const std::string& name, double dflt) {
  const auto* a = attr(n, name);
  return a ? a->f() : dflt;
}
std::string attr_string(const onnx::NodeProto& n, const std::string& name,
                        const std::string& dflt) {
  const auto* a = attr(n, name);
  return a ? a->s() : dflt;
}
std::vector<int64_t> attr_ints(const onnx::NodeProto& n, const std::string& name,
                               std::vector<int64_t> dflt) {
  const auto* a = attr(n, name);
  return a ? std::vector<int64_t>(a->ints().begin(), a->ints().end()) : dflt;
}

// ---- element-wise ---------------------------------------------------------------------------

DTensor map(const DTensor& x, const std::function<double(double)>& f) {
  DTensor y = x;
  for (double& e : y.v) e = f(e);
  return y;
}

// Numpy broadcasting of two tensors.
DTensor broadcast(const onnx::NodeProto& n, const DTensor& a, const DTensor& b,
                  const std::function<double(double, double)>& f) {
  size_t rank = std::max(a.shape.size(), b.shape.size());
  std::vector<int64_t> as(rank, 1), bs(rank, 1), out(rank);
  std::copy(a.shape.begin(), a.shape.end(), as.begin() + (rank - a.shape.size()));
  std::copy(b.shape.begin(), b.shape.end(), bs.begin() + (rank - b.shape.size()));
  for (size_t i = 0; i < rank; ++i) {
    if (as[i] != bs[i] && as[i] != 1 && bs[i] != 1)
      fail(n, "cannot broadcast " + shape_text(a.shape) + " with " + shape_text(b.shape));
    out[i] = std::max(as[i], bs[i]);
  }
  DTensor y;
  y.shape = out;
  int64_t total = count(out);
  y.v.resize(total);
  for (int64_t i = 0; i < total; ++i) {
    int64_t rest = i, ai = 0, bi = 0, astride = 1, bstride = 1;
    for (size_t d = rank; d-- > 0;) {
      int64_t k = rest % out[d];
      rest /= out[d];
      if (as[d] != 1) ai += k * astride;
      if (bs[d] != 1) bi += k * bstride;
      astride *= as[d];
      bstride *= bs[d];
    }
    y.v[i] = f(a.v[ai], b.v[bi]);
  }
  return y;
}

// ---- windows (Conv, MaxPool) ----------------------------------------------------------------

struct Window2d {
  int64_t kh, kw, sh, sw, dh, dw, pt, pl, pb, pr, oh, ow;
};

Window2d window(const onnx::NodeProto& n, const DTensor& x, int64_t kh, int64_t kw,
                bool ceil_mode) {
  if (x.shape.size() != 4) fail(n, "needs NCHW input, got " + shape_text(x.shape));
  Window2d w{kh, kw, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0};
  auto strides = attr_ints(n, "strides", {1, 1});
  auto dil = attr_ints(n, "dilations", {1, 1});
  auto pads = attr_ints(n, "pads", {0, 0, 0, 0});
  if (strides.size() != 2 || dil.size() != 2 || pads.size() != 4) fail(n, "2-D only");
  w.sh = strides[0], w.sw = strides[1], w.dh = dil[0], w.dw = dil[1];
  w.pt = pads[0], w.pl = pads[1], w.pb = pads[2], w.pr = pads[3];
  const int64_t h = x.shape[2], wd = x.shape[3];
  std::string auto_pad = attr_string(n, "auto_pad", "NOTSET");
  if (auto_pad == "VALID") {
    w.pt = w.pl = w.pb = w.pr = 0;
  } else if (auto_pad == "SAME_UPPER" || auto_pad == "SAME_LOWER") {
    auto same = [&](int64_t size, int64_t k, int64_t s, int64_t d, int64_t* lo, int64_t* hi) {
      int64_t out = (size + s - 1) / s;
      int64_t total = std::max<int64_t>(0, (out - 1) * s + d * (k - 1) + 1 - size);
      *lo = auto_pad == "SAME_UPPER" ? total / 2 : total - total / 2;
      *hi = total - *lo;
    };
    same(h, kh, w.sh, w.dh, &w.pt, &w.pb);
    same(wd, kw, w.sw, w.dw, &w.pl, &w.pr);
  } else if (auto_pad != "NOTSET") {
    fail(n, "auto_pad " + auto_pad);
  }
  auto out_size = [&](int64_t size, int64_t k, int64_t s, int64_t d, int64_t lo, int64_t hi) {
    int64_t span = size + lo + hi - d * (k - 1) - 1;
    if (span < 0) fail(n, "kernel larger than the padded input");
    int64_t o = (ceil_mode ? (span + s - 1) / s : span / s) + 1;
    if (ceil_mode && (o - 1) * s >= size + lo) --o;  // last window must start inside
    return o;
  };
  w.oh = out_size(h, kh, w.sh, w.dh, w.pt, w.pb);
  w.ow = out_size(wd, kw, w.sw, w.dw, w.pl, w.pr);
  return w;
}

DTensor conv(const onnx::NodeProto& n, const std::vector<const DTensor*>& in) {
  const DTensor& x = *in[0];
  const DTensor& wt = *in[1];
  if (wt.shape.size() != 4) fail(n, "weights must be [M][C/group][kh][kw]");
  Window2d w = window(n, x, wt.shape[2], wt.shape[3], false);
  const int64_t N = x.shape[0], C = x.shape[1], H = x.shape[2], W = x.shape[3];
  const int64_t M = wt.shape[0], G = attr_int(n, "group", 1), cg = wt.shape[1];
  if (C != cg * G || M % G != 0) fail(n, "channels do not match the weights and group");
  const DTensor* bias = in.size() > 2 ? in[2] : nullptr;
  DTensor y;
  y.shape = {N, M, w.oh, w.ow};
  y.v.assign(count(y.shape), 0.0);
  for (int64_t b = 0; b < N; ++b)
    for (int64_t m = 0; m < M; ++m)
      for (int64_t oy = 0; oy < w.oh; ++oy)
        for (int64_t ox = 0; ox < w.ow; ++ox) {
          double s = bias ? bias->v[m] : 0.0;
          for (int64_t c = 0; c < cg; ++c)
            for (int64_t ky = 0; ky < w.kh; ++ky)
              for (int64_t kx = 0; kx < w.kw; ++kx) {
                int64_t iy = oy * w.sh - w.pt + ky * w.dh, ix = ox * w.sw - w.pl + kx * w.dw;
                if (iy < 0 || iy >= H || ix < 0 || ix >= W) continue;
                int64_t ci = (m / (M / G)) * cg + c;
                s += x.v[((b * C + ci) * H + iy) * W + ix] *
                     wt.v[((m * cg + c) * w.kh + ky) * w.kw + kx];
              }
          y.v[((b * M + m) * w.oh + oy) * w.ow + ox] = s;
        }
  return y;
}

DTensor maxpool(const onnx::NodeProto& n, const DTensor& x) {
  auto k = attr_ints(n, "kernel_shape", {});
  if (k.size() != 2) fail(n, "needs a 2-D kernel_shape");
  if (attr_ints(n, "storage_order", {0}) != std::vector<int64_t>{0}) fail(n, "storage_order");
  Window2d w = window(n, x, k[0], k[1], attr_int(n, "ceil_mode", 0) != 0);
  const int64_t N = x.shape[0], C = x.shape[1], H = x.shape[2], W = x.shape[3];
  DTensor y;
  y.shape = {N, C, w.oh, w.ow};
  y.v.assign(count(y.shape), -std::numeric_limits<double>::infinity());
  for (int64_t bc = 0; bc < N * C; ++bc)
    for (int64_t oy = 0; oy < w.oh; ++oy)
      for (int64_t ox = 0; ox < w.ow; ++ox) {
        double& dst = y.v[(bc * w.oh + oy) * w.ow + ox];
        for (int64_t ky = 0; ky < w.kh; ++ky)
          for (int64_t kx = 0; kx < w.kw; ++kx) {
            int64_t iy = oy * w.sh - w.pt + ky * w.dh, ix = ox * w.sw - w.pl + kx * w.dw;
            if (iy >= 0 && iy < H && ix >= 0 && ix < W)
              dst = std::max(dst, x.v[(bc * H + iy) * W + ix]);
          }
      }
  return y;
}

DTensor global_maxpool(const DTensor& x) {
  const int64_t N = x.shape.at(0), C = x.shape.at(1), HW = x.shape.at(2) * x.shape.at(3);
  DTensor y;
  y.shape = {N, C, 1, 1};
  y.v.assign(N * C, -std::numeric_limits<double>::infinity());
  for (int64_t bc = 0; bc < N * C; ++bc)
    for (int64_t i = 0; i < HW; ++i) y.v[bc] = std::max(y.v[bc], x.v[bc * HW + i]);
  return y;
}

// ---- matrix products ------------------------------------------------------------------------

// [M][K] x [K][N]; `at`/`bt` read the operands transposed.
DTensor matmul2d(const DTensor& a, bool at, const DTensor& b, bool bt, int64_t M, int64_t K,
                 int64_t N) {
  DTensor y;
  y.shape = {M, N};
  y.v.assign(M * N, 0.0);
  for (int64_t i = 0; i < M; ++i)
    for (int64_t j = 0; j < N; ++j) {
      double s = 0;
      for (int64_t k = 0; k < K; ++k)
        s += (at ? a.v[k * M + i] : a.v[i * K + k]) * (bt ? b.v[j * K + k] : b.v[k * N + j]);
      y.v[i * N + j] = s;
    }
  return y;
}

DTensor gemm(const onnx::NodeProto& n, const std::vector<const DTensor*>& in) {
  const DTensor& a = *in[0];
  const DTensor& b = *in[1];
  if (a.shape.size() != 2 || b.shape.size() != 2) fail(n, "needs 2-D A and B");
  bool ta = attr_int(n, "transA", 0) != 0, tb = attr_int(n, "transB", 0) != 0;
  int64_t M = ta ? a.shape[1] : a.shape[0], K = ta ? a.shape[0] : a.shape[1];
  int64_t KB = tb ? b.shape[1] : b.shape[0], N = tb ? b.shape[0] : b.shape[1];
  if (K != KB) fail(n, "inner dimensions differ: " + shape_text(a.shape) + shape_text(b.shape));
  DTensor y = matmul2d(a, ta, b, tb, M, K, N);
  double alpha = attr_float(n, "alpha", 1.0), beta = attr_float(n, "beta", 1.0);
  for (double& e : y.v) e *= alpha;
  if (in.size() > 2 && in[2]) {
    DTensor c = map(*in[2], [beta](double e) { return beta * e; });
    y = broadcast(n, y, c, [](double p, double q) { return p + q; });
  }
  return y;
}

DTensor matmul(const onnx::NodeProto& n, const DTensor& a, const DTensor& b) {
  if (a.shape.size() < 2 || b.shape.size() != 2) fail(n, "needs A of rank >= 2 and 2-D B");
  int64_t K = a.shape.back(), N = b.shape[1], M = count(a.shape) / K;
  if (b.shape[0] != K) fail(n, "inner dimensions differ");
  DTensor y = matmul2d(a, false, b, false, M, K, N);
  y.shape = a.shape;
  y.shape.back() = N;
  return y;
}

// ---- normalization and quantizers -----------------------------------------------------------

// Calls f(channel, element) for a tensor whose channel axis is `axis`.
void per_channel(DTensor* x, size_t axis, const std::function<double(int64_t, double)>& f) {
  int64_t inner = 1;
  for (size_t d = axis + 1; d < x->shape.size(); ++d) inner *= x->shape[d];
  int64_t channels = x->shape[axis];
  for (size_t i = 0; i < x->v.size(); ++i)
    x->v[i] = f((static_cast<int64_t>(i) / inner) % channels, x->v[i]);
}

DTensor batchnorm(const onnx::NodeProto& n, const std::vector<const DTensor*>& in) {
  if (in.size() < 5) fail(n, "needs X, scale, B, mean, var");
  DTensor y = *in[0];
  if (y.shape.size() < 2) fail(n, "needs a channel axis");
  double eps = attr_float(n, "epsilon", 1e-5);
  for (int i = 1; i < 5; ++i)
    if (count(in[i]->shape) != y.shape[1]) fail(n, "per-channel parameter of the wrong size");
  per_channel(&y, 1, [&](int64_t c, double x) {
    return in[1]->v[c] * (x - in[3]->v[c]) / std::sqrt(in[4]->v[c] + eps) + in[2]->v[c];
  });
  return y;
}

DTensor multithreshold(const onnx::NodeProto& n, const DTensor& x, const DTensor& t) {
  if (t.shape.size() != 2) fail(n, "thresholds must be [C][n]");
  std::string layout = attr_string(n, "data_layout", "NCHW");
  size_t axis = layout.size() > 2 && layout.back() == 'C' ? x.shape.size() - 1 : 1;
  if (x.shape.size() < 2) fail(n, "needs a channel axis");
  int64_t channels = x.shape[axis], rows = t.shape[0], steps = t.shape[1];
  if (rows != 1 && rows != channels)
    fail(n, std::to_string(rows) + " threshold rows for " + std::to_string(channels) + " channels");
  double scale = attr_float(n, "out_scale", 1.0), bias = attr_float(n, "out_bias", 0.0);
  DTensor y = x;
  per_channel(&y, axis, [&](int64_t c, double e) {
    const double* row = t.v.data() + (rows == 1 ? 0 : c) * steps;
    int64_t k = 0;
    for (int64_t i = 0; i < steps; ++i) k += e >= row[i];
    return scale * k + bias;
  });
  return y;
}

// ---- shapes ---------------------------------------------------------------------------------

DTensor reshape(const onnx::NodeProto& n, const DTensor& x, const DTensor& s) {
  std::vector<int64_t> shape;
  int64_t known = 1, infer = -1;
  bool allowzero = attr_int(n, "allowzero", 0) != 0;
  for (size_t i = 0; i < s.v.size(); ++i) {
    int64_t d = static_cast<int64_t>(s.v[i]);
    if (d == 0 && !allowzero) d = x.shape.at(i);
    if (d == -1) {
      infer = static_cast<int64_t>(i);
      d = 1;
    } else {
      known *= d;
    }
    shape.push_back(d);
  }
  if (infer >= 0) shape[infer] = known ? count(x.shape) / known : 0;
  if (count(shape) != count(x.shape))
    fail(n, "cannot reshape " + shape_text(x.shape) + " to " + shape_text(shape));
  DTensor y = x;
  y.shape = shape;
  return y;
}

DTensor flatten(const onnx::NodeProto& n, const DTensor& x) {
  int64_t rank = static_cast<int64_t>(x.shape.size()), axis = attr_int(n, "axis", 1);
  if (axis < 0) axis += rank;
  if (axis < 0 || axis > rank) fail(n, "axis out of range");
  int64_t outer = 1;
  for (int64_t d = 0; d < axis; ++d) outer *= x.shape[d];
  DTensor y = x;
  y.shape = {outer, outer ? count(x.shape) / outer : 0};
  return y;
}

DTensor transpose(const onnx::NodeProto& n, const DTensor& x) {
  size_t rank = x.shape.size();
  std::vector<int64_t> perm(rank);
  for (size_t i = 0; i < rank; ++i) perm[i] = static_cast<int64_t>(rank - 1 - i);
  perm = attr_ints(n, "perm", perm);
  if (perm.size() != rank) fail(n, "perm of the wrong length");
  DTensor y;
  for (int64_t p : perm) y.shape.push_back(x.shape.at(p));
  y.v.resize(x.v.size());
  std::vector<int64_t> in_stride(rank, 1);
  for (size_t d = rank; d-- > 1;) in_stride[d - 1] = in_stride[d] * x.shape[d];
  for (size_t i = 0; i < y.v.size(); ++i) {
    int64_t rest = static_cast<int64_t>(i), src = 0;
    for (size_t d = rank; d-- > 0;) {
      src += (rest % y.shape[d]) * in_stride[perm[d]];
      rest /= y.shape[d];
    }
    y.v[i] = x.v[src];
  }
  return y;
}

// Shape, Gather, Unsqueeze and Concat: the shape arithmetic torch exports for x.view(n, -1).
DTensor shape_of(const DTensor& x) {
  return DTensor{{static_cast<int64_t>(x.shape.size())},
                 std::vector<double>(x.shape.begin(), x.shape.end())};
}

int64_t axis_in(const onnx::NodeProto& n, int64_t axis, size_t rank) {
  if (axis < 0) axis += static_cast<int64_t>(rank);
  if (axis < 0 || axis >= static_cast<int64_t>(rank)) fail(n, "axis out of range");
  return axis;
}

DTensor gather(const onnx::NodeProto& n, const DTensor& x, const DTensor& idx) {
  const int64_t axis = axis_in(n, attr_int(n, "axis", 0), x.shape.size());
  int64_t outer = 1, inner = 1;
  for (int64_t d = 0; d < axis; ++d) outer *= x.shape[d];
  for (size_t d = axis + 1; d < x.shape.size(); ++d) inner *= x.shape[d];
  DTensor y;
  y.shape.assign(x.shape.begin(), x.shape.begin() + axis);
  y.shape.insert(y.shape.end(), idx.shape.begin(), idx.shape.end());
  y.shape.insert(y.shape.end(), x.shape.begin() + axis + 1, x.shape.end());
  for (int64_t o = 0; o < outer; ++o)
    for (double iv : idx.v) {
      int64_t i = static_cast<int64_t>(iv);
      if (i < 0) i += x.shape[axis];
      if (i < 0 || i >= x.shape[axis]) fail(n, "index out of range");
      for (int64_t k = 0; k < inner; ++k) y.v.push_back(x.v[(o * x.shape[axis] + i) * inner + k]);
    }
  return y;
}

DTensor unsqueeze(const onnx::NodeProto& n, const std::vector<const DTensor*>& in) {
  std::vector<int64_t> axes = attr_ints(n, "axes", {});
  if (in.size() > 1 && in[1])
    for (double a : in[1]->v) axes.push_back(static_cast<int64_t>(a));
  DTensor y = *in[0];
  const size_t rank = y.shape.size() + axes.size();
  for (int64_t& a : axes) a = axis_in(n, a, rank);
  std::sort(axes.begin(), axes.end());
  for (int64_t a : axes) y.shape.insert(y.shape.begin() + a, 1);
  return y;
}

DTensor concat(const onnx::NodeProto& n, const std::vector<const DTensor*>& in) {
  const DTensor& first = *in.at(0);
  const int64_t axis = axis_in(n, attr_int(n, "axis", 0), first.shape.size());
  int64_t outer = 1;
  for (int64_t d = 0; d < axis; ++d) outer *= first.shape[d];
  DTensor y;
  y.shape = first.shape;
  y.shape[axis] = 0;
  for (const DTensor* t : in) {
    if (t->shape.size() != first.shape.size()) fail(n, "inputs of different ranks");
    y.shape[axis] += t->shape[axis];
  }
  for (int64_t o = 0; o < outer; ++o)
    for (const DTensor* t : in) {
      const int64_t block = count(t->shape) / outer;
      y.v.insert(y.v.end(), t->v.begin() + o * block, t->v.begin() + (o + 1) * block);
    }
  return y;
}

// ---- dispatch -------------------------------------------------------------------------------

bool in_domain(const onnx::NodeProto& n, std::initializer_list<const char*> domains) {
  for (const char* d : domains)
    if (n.domain() == d) return true;
  return false;
}

DTensor eval(const onnx::NodeProto& n, const std::vector<const DTensor*>& in) {
  const std::string& op = n.op_type();
  auto need = [&](size_t k) {
    if (in.size() < k || !in[0]) fail(n, "needs " + std::to_string(k) + " input(s)");
  };
  auto arith = [&](const std::function<double(double, double)>& f) {
    need(2);
    return broadcast(n, *in[0], *in[1], f);
  };
  bool standard = in_domain(n, {"", "ai.onnx"});
  if (in_domain(n, {"qonnx.custom_op.general", "onnx.brevitas", "finn.custom_op.general"}) &&
      op == "BipolarQuant") {
    need(1);
    DTensor y = map(*in[0], [](double x) { return x >= 0 ? 1.0 : -1.0; });
    if (in.size() > 1 && in[1])
      y = broadcast(n, y, *in[1], [](double p, double q) { return p * q; });
    return y;
  }
  if (in_domain(n, {"qonnx.custom_op.general", "onnx.brevitas", "finn.custom_op.general"}) &&
      op == "Quant") {  // QONNX: scale * (clamp(round(x / scale + zeropt), lo, hi) - zeropt)
    need(4);
    if (in[3]->v.size() != 1) fail(n, "bitwidth must be a scalar");
    const double bits = in[3]->v[0];
    const bool sign = attr_int(n, "signed", 1) != 0, narrow = attr_int(n, "narrow", 0) != 0;
    const double lo = sign ? -std::pow(2, bits - 1) + narrow : 0;
    const double hi = sign ? std::pow(2, bits - 1) - 1 : std::pow(2, bits) - 1 - narrow;
    const std::string mode = attr_string(n, "rounding_mode", "ROUND");
    const auto round = [&](double v) {
      if (mode == "ROUND") return std::nearbyint(v);  // half to even, as numpy's round
      if (mode == "CEIL") return std::ceil(v);
      if (mode == "FLOOR") return std::floor(v);
      fail(n, "rounding_mode " + mode);
    };
    DTensor q = broadcast(n, *in[0], *in[1], [](double x, double s) { return x / s; });
    q = broadcast(n, q, *in[2], [](double v, double z) { return v + z; });
    q = map(q, [&](double v) { return std::min(hi, std::max(lo, round(v))); });
    q = broadcast(n, q, *in[2], [](double v, double z) { return v - z; });
    return broadcast(n, q, *in[1], [](double v, double s) { return v * s; });
  }
  if (in_domain(n, {"qonnx.custom_op.general", "finn.custom_op.general"}) &&
      op == "MultiThreshold") {
    need(2);
    return multithreshold(n, *in[0], *in[1]);
  }
  if (!standard) fail(n, "unsupported op in domain '" + n.domain() + "'");
  if (op == "Conv") return need(2), conv(n, in);
  if (op == "Gemm") return need(2), gemm(n, in);
  if (op == "MatMul") return need(2), matmul(n, *in[0], *in[1]);
  if (op == "Add") return arith([](double a, double b) { return a + b; });
  if (op == "Sub") return arith([](double a, double b) { return a - b; });
  if (op == "Mul") return arith([](double a, double b) { return a * b; });
  if (op == "Div") return arith([](double a, double b) { return a / b; });
  if (op == "BatchNormalization") return batchnorm(n, in);
  if (op == "Sign") return need(1), map(*in[0], [](double x) { return (x > 0) - (x < 0) * 1.0; });
  if (op == "Relu") return need(1), map(*in[0], [](double x) { return std::max(x, 0.0); });
  if (op == "Identity") return need(1), *in[0];
  if (op == "MaxPool") return need(1), maxpool(n, *in[0]);
  if (op == "GlobalMaxPool") return need(1), global_maxpool(*in[0]);
  if (op == "Flatten") return need(1), flatten(n, *in[0]);
  if (op == "Reshape") return need(2), reshape(n, *in[0], *in[1]);
  if (op == "Transpose") return need(1), transpose(n, *in[0]);
  if (op == "Shape") return need(1), shape_of(*in[0]);
  if (op == "Gather") return need(2), gather(n, *in[0], *in[1]);
  if (op == "Unsqueeze") return need(1), unsqueeze(n, in);
  if (op == "Concat") return need(1), concat(n, in);
  fail(n, "unsupported op");
}

Tensor to_int(const std::string& name, const DTensor& d) {
  Tensor t;
  t.shape = d.shape;
  for (size_t i = 0; i < d.v.size(); ++i) {
    double r = std::round(d.v[i]);
    if (std::abs(d.v[i] - r) > 1e-6 * std::max(1.0, std::abs(r)) ||
        r < std::numeric_limits<int32_t>::min() || r > std::numeric_limits<int32_t>::max())
      throw std::runtime_error("onnx oracle: output '" + name + "' element " + std::to_string(i) +
                               " = " + std::to_string(d.v[i]) + " is not an int32");
    t.values.push_back(static_cast<int32_t>(r));
  }
  return t;
}

}  // namespace

std::vector<Tensor> run_onnx(const onnx::ModelProto& model, const Tensor& input) {
  const onnx::GraphProto& g = model.graph();
  std::map<std::string, DTensor> env;
  for (const auto& t : g.initializer()) env[t.name()] = from_proto(t);
  const onnx::ValueInfoProto* in = nullptr;
  for (const auto& i : g.input()) {
    if (env.count(i.name())) continue;
    if (in) throw std::runtime_error("onnx oracle: the model has more than one input");
    in = &i;
  }
  if (!in) throw std::runtime_error("onnx oracle: the model has no input");
  const auto& dims = in->type().tensor_type().shape().dim();
  bool ok = dims.size() == static_cast<int>(input.shape.size()) &&
            count(input.shape) == static_cast<int64_t>(input.values.size());
  for (int i = 1; ok && i < dims.size(); ++i)
    ok = !dims[i].has_dim_value() || dims[i].dim_value() == input.shape[i];
  if (!ok)
    throw std::runtime_error("onnx oracle: input shape " + shape_text(input.shape) +
                             " does not match the model's input '" + in->name() + "'");
  env[in->name()] =
      DTensor{input.shape, std::vector<double>(input.values.begin(), input.values.end())};
  for (const auto& n : g.node()) {
    if (n.op_type() == "Constant" && in_domain(n, {"", "ai.onnx"})) {
      const auto* a = attr(n, "value");
      if (!a || !a->has_t()) fail(n, "needs a tensor 'value'");
      env[n.output(0)] = from_proto(a->t());
      continue;
    }
    std::vector<const DTensor*> args;
    for (const auto& name : n.input()) {
      if (name.empty()) {
        args.push_back(nullptr);
        continue;
      }
      auto it = env.find(name);
      if (it == env.end()) fail(n, "input '" + name + "' is not computed yet");
      args.push_back(&it->second);
    }
    if (n.output_size() < 1) fail(n, "has no output");
    env[n.output(0)] = eval(n, args);
  }
  std::vector<Tensor> outs;
  for (const auto& o : g.output()) {
    auto it = env.find(o.name());
    if (it == env.end())
      throw std::runtime_error("onnx oracle: output '" + o.name() + "' is never computed");
    outs.push_back(to_int(o.name(), it->second));
  }
  return outs;
}

}  // namespace imc::compiler::testing
