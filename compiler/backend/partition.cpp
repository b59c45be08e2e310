// Partition: each MatLayer's matrix (rows = kh*kw*in_c, cols = out_c) is cut into blocks that
// fit one crossbar. Row blocks follow the gather structure, so one MVM feeds a whole block:
// whole kernel rows when a kernel row fits, else runs of kernel columns, else channel slices
// starting on byte boundaries. Partial sums of row blocks add up in the accumulator. A
// multi-channel image input (NCHW planes) gets these blocks once per input channel. Column
// blocks, and the split of a matrix larger than one tile over several, come from split.h;
// the row ranges a layer needs for its maps to fit its tiles' buffers from fit.h. A convolution
// whose matrix is small is first seen with shifted kernel copies (shifted_kernels.h), P output
// positions per MVM, when that costs fewer crossbar cycles per position.
#include <algorithm>
#include <numeric>

#include "compiler/backend/fit.h"
#include "compiler/backend/passes.h"
#include "compiler/backend/shifted_kernels.h"
#include "compiler/backend/split.h"

namespace imc::compiler {

namespace {

// Channel slices of a vector longer than a crossbar: as many as slices of `most` rows take,
// evened out in units that cost no extra step: a byte of the packed pixel, a crossbar read
// step, an input-buffer word. A crossbar is written one row per step and its tallest slice
// sets when the layer can start: the MLP's 784 u8 inputs on tile8x8 are 224 + 224 + 224 + 112
// rows, not 256 + 256 + 256 + 16.
int evened_slice(const arch::TileParams& t, int c, int most, int bits) {
  int unit = std::max(1, 8 / std::min(8, bits));
  if (t.crossbar.rows_per_step < t.crossbar.rows) unit = std::lcm(unit, t.crossbar.rows_per_step);
  unit = std::lcm<int64_t>(unit, std::max<int64_t>(1, t.input_buffer.width_bits / bits));
  if (unit > most) return most;
  const int slices = (c + most - 1) / most;
  const int per = ((c + slices - 1) / slices + unit - 1) / unit * unit;
  return std::min(per, most);
}

std::vector<RowBlock> row_blocks(const arch::TileParams& t, const MatLayer& m, const Value& in,
                                 int rows) {
  const int c = static_cast<int>(in.c);
  std::vector<RowBlock> out;
  if (m.kw * c <= rows && m.kw <= isa::kMaxSegments) {
    const int per = std::min({rows / (m.kw * c), isa::kMaxSegments / m.kw, m.kh});
    for (int ky = 0; ky < m.kh; ky += per)
      out.push_back({ky, std::min(per, m.kh - ky), 0, m.kw, 0, c});
  } else if (c <= rows) {
    const int per = std::min(rows / c, isa::kMaxSegments);
    for (int ky = 0; ky < m.kh; ++ky)
      for (int kx = 0; kx < m.kw; kx += per)
        out.push_back({ky, 1, kx, std::min(per, m.kw - kx), 0, c});
  } else {
    // Channel slices must start on a byte of the packed pixel.
    const int per_byte = 8 / std::min(8, isa::bits_per_element(in.type));
    if (rows < per_byte) throw BackendError("layer '" + m.name + "': crossbar has too few rows");
    const int per = evened_slice(t, c, rows - rows % per_byte, isa::bits_per_element(in.type));
    for (int ky = 0; ky < m.kh; ++ky)
      for (int kx = 0; kx < m.kw; ++kx)
        for (int c0 = 0; c0 < c; c0 += per)
          out.push_back({ky, 1, kx, 1, c0, std::min(per, c - c0)});
  }
  return out;
}

}  // namespace

void partition(Plan& p) {
  const arch::CrossbarParams& xb = p.chip->tile.crossbar;
  for (size_t i = 0; i < p.layers.size(); ++i) {
    const Layer& l = p.g->layers[i];
    check_one_row_fits(p, i);  // the map of one output row, before any split is tried
    if (l.kind != Layer::Kind::kMat) {
      const RowFit f = fit_rows(p, i, 1, 0);  // maps larger than a buffer: row ranges
      p.layers[i].min_parts = f.parts;
      p.layers[i].windowed = f.windowed;
      continue;
    }
    LayerPlan& lp = p.layers[i];
    MatPlan& mp = lp.mat;
    const Value& in = p.value(l.mat.input);
    const Value& out = p.value(l.mat.output);
    const bool serial = bit_serial(in.type);
    const bool viewed = p.shifted_kernels == ShiftedKernels::kAll ||
                        (p.shifted_kernels == ShiftedKernels::kSerial && serial);  // chosen_views
    if (viewed && !planar(p, l.mat.input)) {
      lp.positions = positions_per_mvm(l.mat, in, out, p.chip->tile);
      if (lp.positions > 1) {
        lp.view = shifted_copies(l.mat, in, out, lp.positions);
        lp.view_out = packed_pixels(out, lp.positions);
      }
    }
    const MatLayer& m = mat_of(p, i);
    if (planar(p, l.mat.input)) {
      // NCHW planes: the blocks of a one-channel map, once per input channel (rows (c, ky, kx)).
      Value plane = in;
      plane.c = 1;
      for (int c = 0; c < in.c; ++c)
        for (RowBlock b : row_blocks(p.chip->tile, m, plane, xb.rows)) {
          b.c0 = c;
          mp.row_blocks.push_back(b);
        }
    } else {
      mp.row_blocks = row_blocks(p.chip->tile, m, in, xb.rows);
    }
    const bool ternary = std::count(m.weights.begin(), m.weights.end(), 0) > 0;
    mp.weight_type = ternary ? isa::DType::kT2 : isa::DType::kB1;
    if (ternary && xb.cells_per_weight < 2)
      throw BackendError("layer '" + l.mat.name +
                         "': ternary weights need cells_per_weight 2, the chip has 1");
    split_matrix(p, i);  // column blocks, and tiles when the matrix is larger than one
  }
}

}  // namespace imc::compiler
