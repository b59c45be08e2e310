// Output positions are grouped into rectangles whose windows hit the same kernel positions
// (the interior, each border row/column): one rectangle is one set of commands inside LOOPs
// over its rows and columns, with addresses striding by the map's row and pixel sizes.
// Border rectangles mask the segments that fall into padding (MVM) or shrink the window
// (POOL: padding never wins a max).
#include "compiler/backend/emit_compute.h"

#include <algorithm>
#include <cstdint>
#include <functional>
#include <numeric>
#include <string>
#include <utility>

#include "compiler/backend/copy_choice.h"
#include "compiler/backend/emit_util.h"
#include "compiler/backend/mvm_cost.h"

namespace imc::compiler {

namespace {

using isa::Command;
using isa::Space;

// Output positions lo..lo+n-1 whose windows cover the same kernel positions `valid` (bit k:
// kernel position k lies inside the input).
struct Run {
  int64_t lo = 0, n = 0;
  uint64_t valid = 0;
  bool per_position = false;  // `valid` differs along the run: each position computes its own
};

// Bit j: kernel tap j of output position o lies inside the input.
uint64_t valid_taps(int64_t o, int64_t in, int k, int stride, int pad) {
  uint64_t v = 0;
  for (int j = 0; j < k; ++j) {
    const int64_t i = o * stride - pad + j;
    if (i >= 0 && i < in) v |= uint64_t{1} << j;
  }
  return v;
}

std::vector<Run> runs(int64_t lo, int64_t hi, int64_t in, int k, int stride, int pad) {
  std::vector<Run> r;
  for (int64_t o = lo; o < hi; ++o) {
    const uint64_t v = valid_taps(o, in, k, stride, pad);
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
// and xstep columns per iteration; it uses matrix copy `copy` and accumulator range `range`.
struct At {
  int64_t oy, ox, ystep, xstep;
  Rect d;
  int copy, range;
};

// `each` emits one position's MVMs; `after` the requantization of `count` positions
// emitted together, neighbours in memory when `contiguous`.
struct Body {
  std::function<void(const At&)> each;
  std::function<void(const At& first, int64_t count, bool contiguous)> after;
};

// Commands for all positions of rectangle ry x rx. With `copies` > 1 the inner dimension is
// unrolled: each loop iteration handles `copies` neighbouring positions, one per copy, whose
// MVMs run on different crossbars at once; with `banks` > 1, that many times more, each
// further `copies` in other accumulator ranges, each bank requantized on its own. Leftover
// positions follow. A row shorter than the ranges (copies x banks) leaves ranges unused: an
// iteration of the row loop then handles several rows, so that the next row's MVMs need not
// wait for this row's requantization. Copies and banks go round robin across rectangles
// (`next`), so that short rectangles (corners, borders) neither all land on the first copy nor
// wait for the requantization of the rectangle before.
struct Rotation {
  int copy = 0, bank = 0;
};

// `even_rows`: rx is a whole row of a crossbar-bound layer (bit-serial input). A row whose
// width is not a multiple of the copies gives the first copies one position more in every row
// (12 on 8 copies: 2, 2, 2, 2, 1, 1, 1, 1); an iteration then covers as many rows as make the
// copies come round evenly (two rows of 12: three each), its positions numbered on across
// rows, so that a group of copies may end one row and start the next (neighbours in memory).
void emit_rect(const Run& ry, const Run& rx, int copies, int banks, int merge, bool even_rows,
               Rotation& next, const Body& body, std::vector<Command>& out) {
  const bool along_x = rx.n > 1 || ry.n == 1;
  const Run& inner = along_x ? rx : ry;
  const int64_t ranges = int64_t{copies} * banks;
  const int64_t u = std::min<int64_t>(ranges, inner.n), q = inner.n / u, rem = inner.n % u;
  // `count` positions from `first` of the inner run, `iterations` times along it; along x,
  // rows row0.. in `row_iterations` iterations of `rows` rows each.
  auto block = [&](int64_t first, int64_t count, int64_t iterations, int64_t row0,
                   int64_t row_iterations, int64_t rows, bool across_rows) {
    Rect d;
    int depth = 1, loops = 0;
    if (along_x && row_iterations > 1) {
      out.push_back(loop(row_iterations));
      d.dy = depth++;
      ++loops;
    }
    if (iterations > 1) {
      out.push_back(loop(iterations));
      (along_x ? d.dx : d.dy) = depth++;
      ++loops;
    }
    // A row's positions take whole groups of `copies` ranges, so that the ranges one THRESH
    // reads (a group of copies) are consecutive; across rows, the rows' positions in turn.
    const int64_t row_slots = across_rows ? count : (count + copies - 1) / copies * copies;
    auto position = [&](int64_t j, int64_t k) {  // position k of row j of the iteration
      const int64_t at = inner.lo + first + k, slot = j * row_slots + k;
      return At{along_x ? row0 + j : at,
                along_x ? at : rx.lo,
                along_x ? rows : count,
                along_x ? count : 1,
                d,
                static_cast<int>((next.copy + slot) % copies),
                static_cast<int>(((next.bank + slot / copies) % banks) * copies + slot % copies)};
    };
    // The positions in turn, row by row (or all rows as one sequence): up to `merge` groups of
    // copies whose ranges follow each other are requantized by one THRESH, after the last of
    // them: fewer issue slots.
    const int64_t sequences = across_rows ? 1 : rows, length = across_rows ? rows * count : count;
    for (int64_t j = 0; j < sequences; ++j) {
      auto at = [&](int64_t s) { return position(j + s / count, s % count); };
      int64_t first = -1, held = 0;
      for (int64_t b = 0; b < length; b += copies) {
        const int64_t n = std::min<int64_t>(copies, length - b);
        if (first >= 0 && at(b).range != at(first).range + held) {
          body.after(at(first), held, along_x);
          first = -1;
        }
        for (int64_t k = b; k < b + n; ++k) body.each(at(k));
        if (first < 0) first = b, held = 0;
        held += n;
        if (held + copies > int64_t{merge} * copies || b + n >= length) {
          body.after(at(first), held, along_x);
          first = -1;
        }
      }
    }
    for (int i = 0; i < loops; ++i) out.push_back(end_loop());
    next.copy = static_cast<int>((next.copy + rows * count) % copies);
    next.bank = static_cast<int>((next.bank + (across_rows ? (rows * count + copies - 1) / copies
                                                           : rows * row_slots / copies)) %
                                 banks);
  };
  const int64_t rows = along_x ? ry.n : 1;
  const int64_t cycle = copies / std::gcd(u, int64_t{copies});  // rows for the copies to come round
  if (even_rows && along_x && q == 1 && rem == 0 && cycle > 1 && rows >= cycle) {
    block(0, u, 1, ry.lo, rows / cycle, cycle, true);
    if (rows % cycle) block(0, u, 1, ry.lo + rows / cycle * cycle, 1, rows % cycle, true);
    return;
  }
  const int64_t row_slots = (u + copies - 1) / copies * copies;
  const int64_t per = along_x && q == 1 && rem == 0 ? std::min(rows, ranges / row_slots) : 1;
  block(0, u, q, ry.lo, rows / per, per, false);
  if (rows % per) block(0, u, q, ry.lo + rows / per * per, 1, rows % per, false);
  if (rem) block(q * u, rem, 1, ry.lo, rows, 1, false);
}

// Addresses of row 0 of the part's maps (`slot` input, `out` output, `res` residual): where
// row y is at + y * row bytes. A part holding a window of rows lo.. keeps row y at
// + (y - lo) * row, so these may lie before the buffer (only rows it holds are accessed).
struct Geometry {
  int64_t slot, pix, row;  // input map: row 0's ibuf address, bytes per pixel, bytes per row
  int64_t out_pix, out_row;
  int64_t plane;  // NCHW input (planar): bytes per channel plane, pix/row of one plane; else 0
  int64_t out, res;
  // Double-buffered input, residual and output maps: the term selecting inference i0's slot.
  isa::Addr::Rotation slot_rot, res_rot, out_rot;
  isa::Space in_space = isa::Space::kIbuf;  // obuf: a fused pool reads its producer's output
};

Geometry geometry(const Plan& p, size_t layer, const Part& part) {
  const Layer& l = p.g->layers[layer];
  const LayerPlan& lp = p.layers[layer];
  const Value& in = p.value(l.input());
  const Value& out = l.kind == Layer::Kind::kMat ? computed_map(p, layer) : p.value(l.output());
  const int64_t o = lp.out_addr + output_window(p, layer, part).offset(0);
  if (lp.fused_into >= 0) {
    const size_t from = static_cast<size_t>(lp.fused_into);
    const LayerPlan& fp = p.layers[from];
    const int64_t slot =
        fp.out_addr + output_window(p, from, producer_part(p, layer, part)).offset(0);
    Geometry g{slot,
               pixel_bytes(in),
               in.w * pixel_bytes(in),
               pixel_bytes(out),
               out.w * pixel_bytes(out),
               0,
               o,
               0,
               fp.out_rotation(),
               {},
               lp.out_rotation()};
    g.in_space = isa::Space::kObuf;
    return g;
  }
  const MapWindow w = edge_window(p, lp.in_edge, part);
  const int64_t slot = p.edges[lp.in_edge].slot + w.offset(0);
  const int64_t r = lp.residual_edge < 0 ? 0
                                         : p.edges[lp.residual_edge].slot +
                                               edge_window(p, lp.residual_edge, part).offset(0);
  Geometry g{slot,
             pixel_bytes(in),
             in.w * pixel_bytes(in),
             pixel_bytes(out),
             out.w * pixel_bytes(out),
             0,
             o,
             r,
             p.edges[lp.in_edge].rotation(),
             lp.residual_edge < 0 ? isa::Addr::Rotation{} : p.edges[lp.residual_edge].rotation(),
             lp.out_rotation()};
  if (planar(p, l.input())) {
    const int64_t e = isa::bits_per_element(in.type) / 8;
    g.pix = e;
    g.row = in.w * e;
    g.plane = w.plane;
  }
  return g;
}

uint32_t segment_mask(const RowBlock& b, uint64_t vy, uint64_t vx) {
  uint32_t m = 0;
  for (int y = 0; y < b.nky; ++y)
    for (int x = 0; x < b.nkx; ++x)
      if ((vy >> (b.ky0 + y) & 1) && (vx >> (b.kx0 + x) & 1)) m |= 1u << (y * b.nkx + x);
  const uint32_t all = b.nky * b.nkx == 32 ? 0xFFFFFFFFu : (1u << (b.nky * b.nkx)) - 1;
  return m == all ? 0xFFFFFFFFu : m;
}

void mat_body(const Plan& p, size_t layer, const Part& part, const Run& ry, const Run& rx,
              const At& at, const CopyChoice& choice, std::vector<Command>& out) {
  const MatLayer& m = mat_of(p, layer);
  const MatPlan& mp = p.layers[layer].mat;
  const Group& grp = mp.groups[part.group];
  const Value& in = p.value(m.input);
  const Geometry g = geometry(p, layer, part);
  const int64_t iy = at.oy * m.stride_h - m.pad_top, ix = at.ox * m.stride_w - m.pad_left;
  const int64_t acc0 = int64_t{at.range} * grp.channels();
  // A per-position run has no loop along it (emit_mat_compute): at.ox is the position.
  const uint64_t vx =
      rx.per_position ? valid_taps(at.ox, in.w, m.kw, m.stride_w, m.pad_left) : rx.valid;
  for (size_t c = grp.c0; c < grp.c1; ++c) {
    bool first = true;
    auto mvm = [&](size_t r, uint32_t mask) {
      const RowBlock& b = mp.row_blocks[r];
      const Region& reg = grp.region(choice.of(at.range / grp.replicas, at.copy, r, c), r, c);
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
      x.src.rot = g.slot_rot;
      x.type = in.type;
      x.gather = {b.nc, b.nkx, b.nkx > 1 ? g.pix : 0, b.nky, b.nky > 1 ? g.row : 0, mask};
      x.dst = addr(Space::kAcc, acc0 + mp.col_blocks[c].c0 - grp.ch0);
      x.shift = m.sum_shift;
      x.accumulate = !first;
      out.push_back(x);
      first = false;
    };
    for (size_t r = grp.r0; r < grp.r1; ++r) {
      const uint32_t mask = segment_mask(mp.row_blocks[r], ry.valid, vx);
      if (mask != 0) mvm(r, mask);  // else the whole block reads padding
    }
    // A row group whose blocks all read padding here still owes its (zero) sums: an MVM
    // reading no segment writes zeros.
    if (first) mvm(grp.r0, 0);
  }
}

// How long each MVM of group g keeps its crossbar busy, [(r - r0) * columns + c - c0]; 0 for
// the blocks whose kernel rows all fall outside `valid_rows` (a border row's positions issue
// no MVM for them).
std::vector<double> mvm_cycles(const Plan& p, size_t layer, const Group& g, uint64_t valid_rows) {
  const MatPlan& mp = p.layers[layer].mat;
  const isa::DType in = p.value(mat_of(p, layer).input).type;
  std::vector<double> cycles;
  for (size_t r = g.r0; r < g.r1; ++r)
    for (size_t c = g.c0; c < g.c1; ++c)
      cycles.push_back(
          segment_mask(mp.row_blocks[r], valid_rows, ~uint64_t{0}) == 0
              ? 0.0
              : mvm_busy_cycles(p.chip->tile, mp.row_blocks[r].rows(), mp.col_blocks[c].n, in));
  return cycles;
}

// The ACCADDs adding the residual to channels ch0..ch1-1 of `n` positions: (count, scale)
// each, all reading from channel ch0 of the residual pixel (a packed vector must start on a
// byte). One scale: one ACCADD of every channel. Per-channel scales (one position): one ACCADD
// per run of equal scales, as prefixes: the ACCADD of the run ending at channel e covers
// channels ch0..e-1 with the scale difference to the next run, so channel j gets the sum of
// the differences from its run on.
std::vector<std::pair<int64_t, int>> residual_adds(const MatLayer& m, int64_t ch0, int64_t ch1,
                                                   int64_t n) {
  if (m.residual_scales.empty()) return {{n * (ch1 - ch0), m.residual_scale}};
  std::vector<std::pair<int64_t, int>> adds;
  for (int64_t c = ch0; c < ch1; ++c) {
    const int s = m.residual_scales[c];
    const int next = c + 1 < ch1 ? m.residual_scales[c + 1] : 0;
    if (c + 1 < ch1 && next == s) continue;
    const int64_t d = int64_t{s} - next;
    if (d < INT32_MIN || d > INT32_MAX)
      throw BackendError("layer '" + m.name + "': residual scales " + std::to_string(s) + " and " +
                         std::to_string(next) + " of neighbouring channels differ " +
                         "by more than an ACCADD scale (int32) holds");
    if (d != 0) adds.push_back({c + 1 - ch0, static_cast<int>(d)});
  }
  return adds;
}

// After the MVMs of `count` positions from `at` on, whose sums sit in consecutive accumulator
// ranges (neighbours in memory when `contiguous`). A contributor writes them as int32 partial
// sums, [position of the part][channel], at obuf[0]. An owner adds its contributors' partial
// sums and the residual, then requantizes into its channels of the output pixels. One command
// covers all positions when their vectors are neighbours in memory with no padding bits, else
// one per position.
void mat_after(const Plan& p, size_t layer, const Part& part, const At& at, int64_t count,
               bool contiguous, std::vector<Command>& out) {
  const MatLayer& m = mat_of(p, layer);
  const LayerPlan& lp = p.layers[layer];
  const Group& grp = lp.mat.groups[part.group];
  const Value& o = computed_map(p, layer);
  const Geometry g = geometry(p, layer, part);
  const int64_t nch = grp.channels(), pp = nch * 4, prow = o.w * pp;
  const bool whole_pixel = grp.ch0 == 0 && grp.ch1 == o.c;
  const bool whole =
      contiguous &&
      (!grp.owner() ||
       (whole_pixel && (o.c * isa::bits_per_element(o.type)) % 8 == 0 &&
        (m.residual < 0 || ((o.c * isa::bits_per_element(p.value(m.residual).type)) % 8 == 0 &&
                            m.residual_scales.empty()))));
  const int64_t n = whole ? count : 1;
  for (int64_t j = 0; j < count; j += n) {
    const int64_t k = at.range + j;  // accumulator range
    const int64_t step = contiguous ? j : j * o.w;
    const int64_t pos = at.oy * o.w + at.ox + step;
    const int64_t ppos = (at.oy - part.oy0) * o.w + at.ox + step;  // in the part's partial map
    const isa::Addr partial_src =
        addr(Space::kIbuf, ppos * pp, {{at.d.dy, at.ystep * prow}, {at.d.dx, at.xstep * pp}});
    if (!grp.owner()) {
      Command t;
      t.op = isa::Opcode::kThresh;
      t.src = addr(Space::kAcc, k * nch);
      t.dst = partial_src;
      t.dst.space = Space::kObuf;
      t.dst.rot = g.out_rot;
      t.count = n * nch;
      t.type = isa::DType::kI32;
      out.push_back(t);
      continue;
    }
    for (int rg = 1; rg < grp.row_groups; ++rg) {
      Command a;
      a.op = isa::Opcode::kAccAdd;
      a.dst = addr(Space::kAcc, k * nch);
      a.src = partial_src;
      a.src.base += lp.partial_slot + (rg - 1) * lp.partial_bytes;
      a.src.rot = lp.partial_rotation();
      a.type = isa::DType::kI32;
      a.count = n * nch;
      out.push_back(a);
    }
    if (m.residual >= 0) {
      const Value& rv = p.value(m.residual);
      const int64_t rp = pixel_bytes(rv);
      const int64_t off = grp.ch0 * isa::bits_per_element(rv.type) / 8;
      for (const auto& [channels, scale] : residual_adds(m, grp.ch0, grp.ch1, n)) {
        Command a;
        a.op = isa::Opcode::kAccAdd;
        a.dst = addr(Space::kAcc, k * nch);
        a.src = addr(Space::kIbuf, g.res + pos * rp + off,
                     {{at.d.dy, at.ystep * o.w * rp}, {at.d.dx, at.xstep * rp}});
        a.src.rot = g.res_rot;
        a.type = rv.type;
        a.count = channels;
        a.scale = scale;
        out.push_back(a);
      }
    }
    Command t;
    t.op = isa::Opcode::kThresh;
    t.src = addr(Space::kAcc, k * nch);
    t.dst =
        addr(Space::kObuf, g.out + pos * g.out_pix + grp.ch0 * isa::bits_per_element(o.type) / 8,
             {{at.d.dy, at.ystep * g.out_row}, {at.d.dx, at.xstep * g.out_pix}});
    t.dst.rot = g.out_rot;
    t.count = n * nch;
    t.entry = static_cast<int>(k * nch);
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

void pool_body(const Plan& p, size_t layer, const Part& part, const Run& ry, const Run& rx,
               const At& at, std::vector<Command>& out) {
  const PoolLayer& m = p.g->layers[layer].pool;
  const Value& in = p.value(m.input);
  const Value& o = p.value(m.output);
  const Geometry g = geometry(p, layer, part);
  const int64_t iy = at.oy * m.stride_h - m.pad_top + lowest_bit(ry.valid);
  const int64_t ix = at.ox * m.stride_w - m.pad_left + lowest_bit(rx.valid);
  const int ny = bit_count(ry.valid), nx = bit_count(rx.valid);
  Command c;
  c.op = isa::Opcode::kPool;
  c.src = addr(g.in_space, g.slot + iy * g.row + ix * g.pix,
               {{at.d.dy, m.stride_h * g.row}, {at.d.dx, m.stride_w * g.pix}});
  c.src.rot = g.slot_rot;
  c.dst = addr(Space::kObuf, g.out + (at.oy * o.w + at.ox) * g.out_pix,
               {{at.d.dy, g.out_row}, {at.d.dx, g.out_pix}});
  c.dst.rot = g.out_rot;
  c.type = in.type;
  c.gather = {in.c, nx, nx > 1 ? g.pix : 0, ny, ny > 1 ? g.row : 0, 0xFFFFFFFFu};
  if (ny * nx <= isa::kMaxSegments) {
    out.push_back(c);
    return;
  }
  // More pixels than one POOL compares: each run of rows to a scratch pixel, then the maximum
  // of those (max is associative; the pooling unit runs its POOLs in order).
  const int64_t scratch = p.layers[layer].pool_scratch;
  const int rows = isa::kMaxSegments / nx;
  const int runs = (ny + rows - 1) / rows;
  for (int k = 0; k < runs; ++k) {
    Command run = c;
    run.src.base += k * rows * g.row;
    run.dst = addr(Space::kObuf, scratch + k * g.out_pix, {});
    run.gather.ky = std::min(rows, ny - k * rows);
    run.gather.sy = run.gather.ky > 1 ? g.row : 0;
    out.push_back(run);
  }
  c.src = addr(Space::kObuf, scratch, {});
  c.gather = {in.c, runs, g.out_pix, 1, 0, 0xFFFFFFFFu};
  out.push_back(c);
}

// The runs of output columns a row is emitted in: one per set of kernel taps inside the input
// (border columns, the interior), or one run of the whole row, its border positions masked one
// by one, when the accumulator ranges hold the row: its border positions are then requantized
// with their neighbours, not by THRESHes of their own. A bit-serial input's MVMs keep their
// crossbars busy longer than the copies take to issue: there, only when no copy gets more
// positions per row than the separate runs give it (a loop iteration gives each copy the same
// positions, so the remainder of a row loads some crossbars more in every row; the border
// positions of separate runs go round all copies).
std::vector<Run> column_runs(const MatLayer& m, const Value& in, const Value& o, const Group& g) {
  std::vector<Run> xs = runs(0, o.w, in.w, m.kw, m.stride_w, m.pad_left);
  const int64_t c = g.replicas;
  if (xs.size() < 2 || o.w > c * g.banks) return xs;
  int64_t interior = 0;
  for (const Run& r : xs) interior = std::max(interior, r.n);
  // Positions per row, times the copies; a run of one position goes round the copies along y.
  const int64_t split = (interior > 1 ? (interior + c - 1) / c * c : interior) + o.w - interior;
  const bool serial = bit_serial(in.type);
  if (serial && (o.w + c - 1) / c * c > split) return xs;
  return {Run{0, o.w, 0, true}};
}

// The parts of runs `xs` inside columns c.
std::vector<Run> clipped(const std::vector<Run>& xs, Columns c) {
  std::vector<Run> out;
  for (const Run& r : xs) {
    const int64_t lo = std::max(r.lo, c.lo), hi = std::min(r.lo + r.n, c.hi);
    if (hi > lo) out.push_back({lo, hi - lo, r.valid, r.per_position});
  }
  return out;
}

}  // namespace

void emit_mat_compute(const Plan& p, size_t layer, const Part& part, std::vector<Command>& out,
                      Columns cols) {
  const MatLayer& m = mat_of(p, layer);
  const Value& in = p.value(m.input);
  const Value& o = computed_map(p, layer);
  const Group& g = p.layers[layer].mat.groups[part.group];
  Rotation next;
  const bool serial = bit_serial(in.type);
  const std::vector<Run> xs = clipped(column_runs(m, in, o, g), cols);
  // One THRESH for up to half the banks: the other half take the next positions' MVMs.
  for (const Run& ry : runs(part.oy0, part.oy1, in.h, m.kh, m.stride_h, m.pad_top)) {
    const CopyChoice choice(g, mvm_cycles(p, layer, g, ry.valid));
    for (const Run& rx : xs)
      emit_rect(ry, rx, g.replicas, g.banks, std::max(1, g.banks / 2),
                serial && rx.lo == 0 && rx.n == o.w, next,
                {[&](const At& at) { mat_body(p, layer, part, ry, rx, at, choice, out); },
                 [&](const At& at, int64_t n, bool contiguous) {
                   mat_after(p, layer, part, at, n, contiguous, out);
                 }},
                out);
  }
}

void emit_pool_compute(const Plan& p, size_t layer, const Part& part, std::vector<Command>& out,
                       Columns cols) {
  Rotation next;
  const PoolLayer& m = p.g->layers[layer].pool;
  const Value& in = p.value(m.input);
  const Value& o = p.value(m.output);
  for (const Run& ry : runs(part.oy0, part.oy1, in.h, m.kh, m.stride_h, m.pad_top))
    for (const Run& rx : clipped(runs(0, o.w, in.w, m.kw, m.stride_w, m.pad_left), cols))
      emit_rect(ry, rx, 1, 1, 1, false, next,
                {[&](const At& at) { pool_body(p, layer, part, ry, rx, at, out); },
                 [](const At&, int64_t, bool) {}},
                out);
}

}  // namespace imc::compiler
