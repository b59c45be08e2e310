#include "compiler/backend/fit.h"

#include <algorithm>

namespace imc::compiler {

namespace {

// Bytes a part's buffers need (the largest part's), with n row ranges.
struct Need {
  int64_t in = 0, residual = 0, out = 0;
  int64_t in_rows = 0;  // input rows of the largest input window
  int64_t rows = 0;     // output rows of the largest part
};

int64_t row_bytes(const Value& v) {
  return map_bytes(v) / v.h;
}

// `slice`: the bytes of a sliced input vector (sliced_vector_input) a part holds, or -1.
Need need(const Plan& p, size_t i, int n, bool windowed, int64_t slice = -1) {
  const Layer& l = p.g->layers[i];
  const Value& in = p.value(l.input());
  const Value& out = p.value(l.output());
  const int residual = l.kind == Layer::Kind::kMat ? l.mat.residual : -1;
  Need x;
  for (int k = 0; k < n; ++k) {
    const Rows r = part_rows(out.h, k, n);
    x.rows = std::max(x.rows, r.hi - r.lo);
    const Rows ir = input_rows(p, i, r.lo, r.hi);
    x.in_rows = std::max(x.in_rows, ir.hi - ir.lo);
  }
  if (slice >= 0) {  // one pixel: windows change nothing
    x.in = slice;
    x.residual = residual >= 0 ? map_bytes(p.value(residual)) : 0;
    x.out = map_bytes(out);
    return x;
  }
  if (!windowed) {
    x.in = map_bytes(in);
    x.residual = residual >= 0 ? map_bytes(p.value(residual)) : 0;
    x.out = map_bytes(out);
    return x;
  }
  x.in = x.in_rows * row_bytes(in);  // NCHW planes: as many bytes as channel-last
  x.residual = residual >= 0 ? x.rows * row_bytes(p.value(residual)) : 0;
  x.out = x.rows * row_bytes(out);
  return x;
}

struct Capacity {
  int64_t ibuf, obuf;
};

Capacity capacity(const Plan& p) {
  const arch::TileParams& t = p.chip->tile;
  return {t.input_buffer.capacity_bits / 8, t.output_buffer.capacity_bits / 8};
}

bool maps_fit(const Plan& p, const Need& x) {
  const Capacity c = capacity(p);
  return x.in + x.residual <= c.ibuf && x.out <= c.obuf;
}

// Partial sums: one slot per other row group after the maps in the owner's input buffer;
// a contributor builds its own at obuf[0].
int64_t partial_bytes(const Plan& p, size_t i, const Need& x, int64_t channels) {
  return x.rows * p.value(p.g->layers[i].output()).w * channels * 4;
}

bool fits(const Plan& p, size_t i, int n, bool windowed, int row_groups, int64_t channels,
          int64_t slice) {
  const Need x = need(p, i, n, windowed, slice);
  if (!maps_fit(p, x)) return false;
  if (row_groups < 2 || channels == 0) return true;
  const Capacity c = capacity(p);
  const int64_t part = partial_bytes(p, i, x, channels);
  return x.in + x.residual + (row_groups - 1) * part <= c.ibuf && part <= c.obuf;
}

std::string rows_text(int64_t n, const char* what) {
  return std::to_string(n) + " " + what + (n == 1 ? " row" : " rows");
}

std::string too_big(const Plan& p, size_t i, const char* what, const Value& v, int64_t bytes,
                    const std::string& rows, const std::string& buffer, int64_t capacity) {
  return "layer '" + p.g->layers[i].name() + "': " + what + " map " + map_text(v) + " needs " +
         std::to_string(bytes) + " B for one output row" + rows + ", tile " + buffer + " holds " +
         std::to_string(capacity) + " B";
}

// The message for maps of one output row that do not fit, or "".
std::string one_row_problem(const Plan& p, size_t i, int64_t slice) {
  const Layer& l = p.g->layers[i];
  const Value& out = p.value(l.output());
  const Need x = need(p, i, static_cast<int>(out.h), true, slice);
  const Capacity c = capacity(p);
  if (x.in > c.ibuf && slice > 0)
    return "layer '" + l.name() + "': a row group's slice of the input vector " +
           map_text(p.value(l.input())) + " needs " + std::to_string(x.in) +
           " B, tile input buffer holds " + std::to_string(c.ibuf) + " B";
  if (x.in > c.ibuf)
    return too_big(p, i, "input", p.value(l.input()), x.in,
                   " (" + rows_text(x.in_rows, "input") + ")", "input buffer", c.ibuf);
  if (x.in + x.residual > c.ibuf)
    return too_big(p, i, "residual", p.value(l.mat.residual), x.residual, "",
                   "input buffer (after " + rows_text(x.in_rows, "input") + ")", c.ibuf - x.in);
  if (x.out > c.obuf) return too_big(p, i, "output", out, x.out, "", "output buffer", c.obuf);
  return "";
}

}  // namespace

RowFit fit_rows(const Plan& p, size_t i, int row_groups, int64_t partial_channels, int64_t slice) {
  const int h = static_cast<int>(p.value(p.g->layers[i].output()).h);
  RowFit f;
  // Whole maps as long as they fit: the layout of a layer on one tile; then windows.
  for (const bool windowed : {false, true}) {
    if (!windowed && !maps_fit(p, need(p, i, 1, false, slice))) continue;
    for (int n = 1; n <= h; ++n)
      if (fits(p, i, n, windowed, row_groups, partial_channels, slice)) return {n, windowed, ""};
  }
  f.problem = one_row_problem(p, i, slice);
  if (f.problem.empty()) {
    const Need x = need(p, i, h, true, slice);
    f.problem = "the partial sums of one output row (" +
                std::to_string(partial_bytes(p, i, x, partial_channels)) +
                " B per row group) do not fit the tile buffers";
  }
  return f;
}

int64_t vector_slice(const Plan& p, size_t i, const MatPlan& m, const std::vector<Group>& groups) {
  if (!sliced_vector_input(p, i) || groups.empty()) return -1;
  const Value& v = p.value(p.g->layers[i].mat.input);
  int64_t bytes = 0;
  for (const Group& g : groups) {
    const Rows b = group_bytes(m, g, v);
    bytes = std::max(bytes, b.hi - b.lo);
  }
  return bytes;
}

bool rows_fit(const Plan& p, size_t i, int n) {
  const LayerPlan& lp = p.layers[i];
  int64_t channels = 0;
  for (const Group& g : lp.mat.groups)
    if (g.row_groups > 1) channels = std::max(channels, g.channels());
  return fits(p, i, n, lp.windowed, lp.mat.max_row_groups(), channels,
              vector_slice(p, i, lp.mat, lp.mat.groups));
}

void check_one_row_fits(const Plan& p, size_t i) {
  // A sliced input vector: its slices are known, and checked, once the matrix is split.
  const std::string problem = one_row_problem(p, i, sliced_vector_input(p, i) ? 0 : -1);
  if (!problem.empty()) throw BackendError(problem);
}

}  // namespace imc::compiler
