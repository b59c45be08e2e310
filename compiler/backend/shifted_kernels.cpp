#include "compiler/backend/shifted_kernels.h"

#include <algorithm>
#include <cmath>

#include "compiler/backend/mvm_cost.h"
#include "hw/isa/program.h"

namespace imc::compiler {

namespace {

int kernel_width(const MatLayer& m, int positions) {
  return m.kw + (positions - 1) * m.stride_w;
}

// The view's matrix on crossbars: blocks of whole kernel rows (partition's row_blocks: as many
// as a crossbar's rows and one gather's 32 segments hold), each of `rows` crossbar rows but
// the last, one MVM each.
struct Blocks {
  int64_t count, rows;
};
Blocks blocks(const MatLayer& m, const Value& in, const arch::TileParams& t, int positions) {
  const int kw = kernel_width(m, positions);
  const int64_t row = int64_t{kw} * in.c;
  const int64_t per_block =
      std::max<int64_t>(1, std::min<int64_t>(t.crossbar.rows / row, isa::kMaxSegments / kw));
  return {(m.kh + per_block - 1) / per_block, std::min<int64_t>(m.kh, per_block) * row};
}

// Cycles per output position on one tile (docs/platform.md, "Cycles per command"): an MVM per
// block computes `positions` of them; a tile's crossbars hold as many copies of the blocks as
// fit and run them at once, and the sequencer issues one MVM per block.
struct Cost {
  double crossbar, issue;
  double cycles() const { return std::max(crossbar, issue); }
};
Cost cycles_per_position(const MatLayer& m, const Value& in, const Value& out,
                         const arch::TileParams& t, int positions) {
  const Blocks b = blocks(m, in, t, positions);
  const double mvm = mvm_busy_cycles(t, b.rows, positions * out.c, in.type);
  const int64_t copies = std::max<int64_t>(1, t.crossbars / b.count);
  const int64_t waves = (b.count + t.crossbars - 1) / t.crossbars;
  const double crossbar = mvm * double(waves) / double(positions * copies);
  const double issue = double(b.count * t.issue_cycles) / positions;
  return {crossbar, issue};
}

// `blocks`: the view may take several blocks of kernel rows; else it must fit one crossbar
// (and one gather).
bool fits(const MatLayer& m, const Value& in, const Value& out, const arch::TileParams& t,
          int positions, bool blocks) {
  const int kw = kernel_width(m, positions);
  const int64_t channels = positions * out.c;
  const int kh = blocks ? 1 : m.kh;
  return kh * kw <= isa::kMaxSegments && int64_t{kh} * kw * in.c <= t.crossbar.rows &&
         channels <= t.crossbar.cols &&
         channels <= std::min(t.accumulator_entries, t.threshold_entries);
}

}  // namespace

int positions_per_mvm(const MatLayer& m, const Value& in, const Value& out,
                      const arch::TileParams& t) {
  // Copies of other positions' columns hold 0, and P pixels must be one vector of P x out_c.
  if (m.residual >= 0 || t.crossbar.cells_per_weight < 2 || out.w < 2 ||
      (out.c * isa::bits_per_element(out.type)) % 8 != 0)
    return 1;
  // A view split into several blocks has more MVMs and fewer copies per tile than one that
  // fits a crossbar: it pays only where the layer is issue-bound (on crossbars with ADCs,
  // where the crossbars bound it, it was slower: the 5-layer CNN on rram4x4, 8105 -> 9526).
  const Cost plain = cycles_per_position(m, in, out, t, 1);
  const bool blocks = plain.issue >= plain.crossbar;
  int best = 1;
  double best_cost = plain.cycles();
  for (int p = 2; p <= out.w; ++p) {
    if (out.w % p != 0) continue;
    if (!fits(m, in, out, t, p, blocks)) break;  // wider windows only grow
    const double cost = cycles_per_position(m, in, out, t, p).cycles();
    if (cost < best_cost) {
      best = p;
      best_cost = cost;
    }
  }
  return best;
}

MatLayer shifted_copies(const MatLayer& m, const Value& in, const Value& out, int positions) {
  MatLayer v = m;
  const int kw = kernel_width(m, positions);
  v.kw = kw;
  v.stride_w = positions * m.stride_w;
  const int64_t w = out.w / positions;
  v.pad_right = static_cast<int>((w - 1) * v.stride_w + kw - in.w - m.pad_left);
  const int64_t c = out.c, ci = in.c;
  v.weights.assign(static_cast<size_t>(positions * c * m.kh * kw * ci), 0);
  for (int q = 0; q < positions; ++q)
    for (int64_t o = 0; o < c; ++o)
      for (int ky = 0; ky < m.kh; ++ky)
        for (int kx = 0; kx < m.kw; ++kx)
          std::copy_n(
              m.weights.begin() + static_cast<ptrdiff_t>(((o * m.kh + ky) * m.kw + kx) * ci), ci,
              v.weights.begin() + static_cast<ptrdiff_t>(
                                      (((q * c + o) * m.kh + ky) * kw + kx + q * m.stride_w) * ci));
  v.thresholds.clear();
  for (int q = 0; q < positions; ++q)
    v.thresholds.insert(v.thresholds.end(), m.thresholds.begin(), m.thresholds.end());
  return v;
}

Value packed_pixels(const Value& out, int positions) {
  Value v = out;
  v.w = out.w / positions;
  v.c = out.c * positions;
  return v;
}

}  // namespace imc::compiler
