// Output positions are grouped into rectangles whose windows hit the same kernel positions
// (the interior, each border row/column): one rectangle is one set of commands inside LOOPs
// over its rows and columns, with addresses striding by the map's row and pixel sizes.
// Border rectangles mask the segments that fall into padding (MVM) or shrink the window
// (POOL: padding never wins a max).
#include "compiler/backend/emit_compute.h"

#include <algorithm>
#include <cstdint>
#include <functional>
#include <string>
#include <utility>

#include "compiler/backend/emit_util.h"

namespace imc::compiler {

namespace {

using isa::Command;
using isa::Space;

// Output positions lo..lo+n-1 whose windows cover the same kernel positions `valid` (bit k:
// kernel position k lies inside the input).
struct Run {
  int64_t lo = 0, n = 0;
  uint64_t valid = 0;
};

std::vector<Run> runs(int64_t lo, int64_t hi, int64_t in, int k, int stride, int pad) {
  std::vector<Run> r;
  for (int64_t o = lo; o < hi; ++o) {
    uint64_t v = 0;
    for (int j = 0; j < k; ++j) {
      const int64_t i = o * stride - pad + j;
      if (i >= 0 && i < in) v |= uint64_t{1} << j;
    }
    if (!r.empty() && r.back().valid == v)
      ++r.back().n;
    else
      r.push_back({o, 1, v});
  }
  return r;
}

// Depths of the LOOPs over a rectangle's rows and columns (-1 when omitted because they
// would run once). The batch loop is depth 0.
struct Rect {
  int dy = -1, dx = -1;
};

// One output position of a rectangle at loop indices 0: the loops advance it by ystep rows
// and xstep columns per iteration; `copy` is the matrix copy (and accumulator range) it uses.
struct At {
  int64_t oy, ox, ystep, xstep;
  Rect d;
  int copy;
};

// `each` emits one position's MVMs; `after` the requantization of `count` positions
// emitted together, neighbours in memory when `contiguous`.
struct Body {
  std::function<void(const At&)> each;
  std::function<void(const At& first, int64_t count, bool contiguous)> after;
};

// Commands for all positions of rectangle ry x rx. With `copies` > 1 the inner dimension is
// unrolled: each loop iteration handles `copies` neighbouring positions, one per copy, whose
// MVMs run on different crossbars at once; leftover positions follow.
void emit_rect(const Run& ry, const Run& rx, int copies, const Body& body,
               std::vector<Command>& out) {
  const bool along_x = rx.n > 1 || ry.n == 1;
  const Run& inner = along_x ? rx : ry;
  const int64_t u = std::min<int64_t>(copies, inner.n), q = inner.n / u, rem = inner.n % u;
  auto block = [&](int64_t first, int64_t count, int64_t iterations) {
    Rect d;
    int depth = 1, loops = 0;
    if (along_x && ry.n > 1) {
      out.push_back(loop(ry.n));
      d.dy = depth++;
      ++loops;
    }
    if (iterations > 1) {
      out.push_back(loop(iterations));
      (along_x ? d.dx : d.dy) = depth++;
      ++loops;
    }
    auto position = [&](int64_t k) {
      const int64_t at = inner.lo + first + k;
      return At{
          along_x ? ry.lo : at, along_x ? at : rx.lo, along_x ? 1 : count, along_x ? count : 1, d,
          static_cast<int>(k)};
    };
    for (int64_t k = 0; k < count; ++k) body.each(position(k));
    body.after(position(0), count, along_x);
    for (int i = 0; i < loops; ++i) out.push_back(end_loop());
  };
  block(0, u, q);
  if (rem) block(q * u, rem, 1);
}

struct Geometry {
  int64_t slot, pix, row;  // input map: ibuf address, bytes per pixel, bytes per row
  int64_t out_pix, out_row;
  int64_t plane;  // NCHW input (planar): bytes per channel plane, pix/row of one plane; else 0
};

Geometry geometry(const Plan& p, size_t layer) {
  const Layer& l = p.g->layers[layer];
  const Value& in = p.value(l.input());
  const Value& out = p.value(l.output());
  const int64_t slot = p.edges[p.layers[layer].in_edge].slot;
  if (planar(p, l.input())) {
    const int64_t e = isa::bits_per_element(in.type) / 8;
    return {slot, e, in.w * e, pixel_bytes(out), out.w * pixel_bytes(out), plane_bytes(in)};
  }
  return {slot, pixel_bytes(in), in.w * pixel_bytes(in), pixel_bytes(out), out.w * pixel_bytes(out),
          0};
}

uint32_t segment_mask(const RowBlock& b, uint64_t vy, uint64_t vx) {
  uint32_t m = 0;
  for (int y = 0; y < b.nky; ++y)
    for (int x = 0; x < b.nkx; ++x)
      if ((vy >> (b.ky0 + y) & 1) && (vx >> (b.kx0 + x) & 1)) m |= 1u << (y * b.nkx + x);
  const uint32_t all = b.nky * b.nkx == 32 ? 0xFFFFFFFFu : (1u << (b.nky * b.nkx)) - 1;
  return m == all ? 0xFFFFFFFFu : m;
}

void mat_body(const Plan& p, size_t layer, const Run& ry, const Run& rx, const At& at,
              std::vector<Command>& out) {
  const MatLayer& m = p.g->layers[layer].mat;
  const MatPlan& mp = p.layers[layer].mat;
  const Value& in = p.value(m.input);
  const Value& o = p.value(m.output);
  const Geometry g = geometry(p, layer);
  const int64_t iy = at.oy * m.stride_h - m.pad_top, ix = at.ox * m.stride_w - m.pad_left;
  const int64_t acc0 = int64_t{at.copy} * o.c;
  for (size_t c = 0; c < mp.col_blocks.size(); ++c) {
    bool first = true;
    for (size_t r = 0; r < mp.row_blocks.size(); ++r) {
      const RowBlock& b = mp.row_blocks[r];
      const uint32_t mask = segment_mask(b, ry.valid, rx.valid);
      if (mask == 0) continue;  // the whole block reads padding
      const Region& reg = mp.region(at.copy, r, c);
      Command x;
      x.op = isa::Opcode::kMvm;
      x.xbar = reg.xb;
      x.row = reg.row;
      x.col = reg.col;
      x.cols = mp.col_blocks[c].n;
      // Channel-last: channel c0's byte in the pixel; NCHW planes: channel c0's plane.
      const int64_t channel =
          g.plane ? b.c0 * g.plane : int64_t{b.c0} * isa::bits_per_element(in.type) / 8;
      const int64_t base = g.slot + (iy + b.ky0) * g.row + (ix + b.kx0) * g.pix + channel;
      x.src = addr(
          Space::kIbuf, base,
          {{at.d.dy, at.ystep * m.stride_h * g.row}, {at.d.dx, at.xstep * m.stride_w * g.pix}});
      x.type = in.type;
      x.gather = {b.nc, b.nkx, b.nkx > 1 ? g.pix : 0, b.nky, b.nky > 1 ? g.row : 0, mask};
      x.dst = addr(Space::kAcc, acc0 + mp.col_blocks[c].c0);
      x.shift = m.sum_shift;
      x.accumulate = !first;
      out.push_back(x);
      first = false;
    }
    if (first) throw BackendError("layer '" + m.name + "': a window lies entirely in padding");
  }
}

// The ACCADDs adding the residual of `n` positions: (count, scale) each, all reading from the
// start of the residual pixel (a packed vector must start on a byte). One scale: one ACCADD of
// every channel. Per-channel scales (one position): one ACCADD per run of equal scales, as
// prefixes: the ACCADD of the run ending at channel e covers channels 0..e-1 with the scale
// difference to the next run, so channel j gets the sum of the differences from its run on.
std::vector<std::pair<int64_t, int>> residual_adds(const MatLayer& m, int64_t channels, int64_t n) {
  if (m.residual_scales.empty()) return {{n * channels, m.residual_scale}};
  std::vector<std::pair<int64_t, int>> adds;
  for (int64_t c = 0; c < channels; ++c) {
    const int s = m.residual_scales[c];
    const int next = c + 1 < channels ? m.residual_scales[c + 1] : 0;
    if (c + 1 < channels && next == s) continue;
    const int64_t d = int64_t{s} - next;
    if (d < INT32_MIN || d > INT32_MAX)
      throw BackendError("layer '" + m.name + "': residual scales " + std::to_string(s) + " and " +
                         std::to_string(next) + " of neighbouring channels differ " +
                         "by more than an ACCADD scale (int32) holds");
    if (d != 0) adds.push_back({c + 1, static_cast<int>(d)});
  }
  return adds;
}

// Residual add and requantization of `count` positions from `at` on, whose sums sit in
// consecutive accumulator ranges: one ACCADD/THRESH for all of them when their pixels are
// neighbours in memory with no padding bits, else one per position.
void mat_after(const Plan& p, size_t layer, const At& at, int64_t count, bool contiguous,
               std::vector<Command>& out) {
  const MatLayer& m = p.g->layers[layer].mat;
  const Value& o = p.value(m.output);
  const Geometry g = geometry(p, layer);
  const bool whole =
      contiguous && (o.c * isa::bits_per_element(o.type)) % 8 == 0 &&
      (m.residual < 0 || ((o.c * isa::bits_per_element(p.value(m.residual).type)) % 8 == 0 &&
                          m.residual_scales.empty()));
  const int64_t n = whole ? count : 1;
  for (int64_t k = 0; k < count; k += n) {
    const int64_t pos = at.oy * o.w + at.ox + (contiguous ? k : k * o.w);
    if (m.residual >= 0) {
      const Value& rv = p.value(m.residual);
      const int64_t rp = pixel_bytes(rv);
      for (const auto& [channels, scale] : residual_adds(m, o.c, n)) {
        Command a;
        a.op = isa::Opcode::kAccAdd;
        a.dst = addr(Space::kAcc, k * o.c);
        a.src = addr(Space::kIbuf, p.edges[p.layers[layer].residual_edge].slot + pos * rp,
                     {{at.d.dy, at.ystep * o.w * rp}, {at.d.dx, at.xstep * rp}});
        a.type = rv.type;
        a.count = channels;
        a.scale = scale;
        out.push_back(a);
      }
    }
    Command t;
    t.op = isa::Opcode::kThresh;
    t.src = addr(Space::kAcc, k * o.c);
    t.dst = addr(Space::kObuf, p.layers[layer].out_addr + pos * g.out_pix,
                 {{at.d.dy, at.ystep * g.out_row}, {at.d.dx, at.xstep * g.out_pix}});
    t.count = n * o.c;
    t.entry = static_cast<int>(k * o.c);
    t.type = o.type;
    out.push_back(t);
  }
}

int lowest_bit(uint64_t v) {
  return __builtin_ctzll(v);
}
int bit_count(uint64_t v) {
  return __builtin_popcountll(v);
}

void pool_body(const Plan& p, size_t layer, const Run& ry, const Run& rx, const At& at,
               std::vector<Command>& out) {
  const PoolLayer& m = p.g->layers[layer].pool;
  const Value& in = p.value(m.input);
  const Value& o = p.value(m.output);
  const Geometry g = geometry(p, layer);
  const int64_t iy = at.oy * m.stride_h - m.pad_top + lowest_bit(ry.valid);
  const int64_t ix = at.ox * m.stride_w - m.pad_left + lowest_bit(rx.valid);
  const int ny = bit_count(ry.valid), nx = bit_count(rx.valid);
  Command c;
  c.op = isa::Opcode::kPool;
  c.src = addr(Space::kIbuf, g.slot + iy * g.row + ix * g.pix,
               {{at.d.dy, m.stride_h * g.row}, {at.d.dx, m.stride_w * g.pix}});
  c.dst = addr(Space::kObuf, p.layers[layer].out_addr + (at.oy * o.w + at.ox) * g.out_pix,
               {{at.d.dy, g.out_row}, {at.d.dx, g.out_pix}});
  c.type = in.type;
  c.gather = {in.c, nx, nx > 1 ? g.pix : 0, ny, ny > 1 ? g.row : 0, 0xFFFFFFFFu};
  out.push_back(c);
}

}  // namespace

void emit_mat_compute(const Plan& p, size_t layer, const Part& part, std::vector<Command>& out) {
  const MatLayer& m = p.g->layers[layer].mat;
  const Value& in = p.value(m.input);
  const Value& o = p.value(m.output);
  for (const Run& ry : runs(part.oy0, part.oy1, in.h, m.kh, m.stride_h, m.pad_top))
    for (const Run& rx : runs(0, o.w, in.w, m.kw, m.stride_w, m.pad_left))
      emit_rect(ry, rx, p.layers[layer].mat.replicas,
                {[&](const At& at) { mat_body(p, layer, ry, rx, at, out); },
                 [&](const At& at, int64_t n, bool contiguous) {
                   mat_after(p, layer, at, n, contiguous, out);
                 }},
                out);
}

void emit_pool_compute(const Plan& p, size_t layer, const Part& part, std::vector<Command>& out) {
  const PoolLayer& m = p.g->layers[layer].pool;
  const Value& in = p.value(m.input);
  const Value& o = p.value(m.output);
  for (const Run& ry : runs(part.oy0, part.oy1, in.h, m.kh, m.stride_h, m.pad_top))
    for (const Run& rx : runs(0, o.w, in.w, m.kw, m.stride_w, m.pad_left))
      emit_rect(ry, rx, 1,
                {[&](const At& at) { pool_body(p, layer, ry, rx, at, out); },
                 [](const At&, int64_t, bool) {}},
                out);
}

}  // namespace imc::compiler
