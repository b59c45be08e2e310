// Shifted kernel copies (SDK mapping with a 1 x P parallel window: Rhe, Moon and Ko, "VW-SDK",
// DATE 2022, and the SDK mapping it extends). A convolution whose matrix leaves most of a
// crossbar empty gets P copies of its kernel side by side in the columns, copy q shifted by
// q x stride input columns: one gather reads the window of P neighbouring output positions
// (kw + (P - 1) x stride input columns) and one MVM computes all P, their sums in P x out_c
// neighbouring columns. Seen so, the layer is an ordinary convolution — kernel width
// kw + (P - 1) x stride, stride P x stride, P x out_c channels (the weights of the other
// copies' columns are 0) — over an output map P times narrower whose pixels are P real ones:
// the same bytes, when a pixel is whole bytes. The backend compiles that view; the map's
// consumers read the real one.
#pragma once

#include "compiler/ir.h"
#include "hw/arch/params.h"

namespace imc::compiler {

// Output positions per MVM for layer m (input `in`, output `out`) on tile t: the P (a divisor
// of the output width, so that no window runs past the row) that costs the fewest cycles per
// position on a tile — crossbar time over the copies a tile holds, or the sequencer's issue
// slots, one per MVM, whichever is larger — among those whose kernel row fits a crossbar's
// rows and whose P x out_c columns fit its columns (a taller view is split into blocks of
// whole kernel rows, an MVM each, as any matrix is); 1 when none gains or the layer cannot be
// seen so (a residual, a pixel of partial bytes, no cells for 0).
int positions_per_mvm(const MatLayer& m, const Value& in, const Value& out,
                      const arch::TileParams& t);

// The view: the layer with P shifted kernel copies, and its output map.
MatLayer shifted_copies(const MatLayer& m, const Value& in, const Value& out, int positions);
Value packed_pixels(const Value& out, int positions);

}  // namespace imc::compiler
