// The backend of imcc: a folded Graph and a chip -> a command stream (docs/compiler-backend.md).
// A straight pipeline of small passes over one Plan (partition -> place -> allocate ->
// schedule -> emit -> remap), each dumpable. Sees the hardware only through hw/arch and hw/isa.
#pragma once

#include <ostream>
#include <stdexcept>
#include <string>
#include <vector>

#include "compiler/ir.h"
#include "hw/arch/params.h"
#include "hw/isa/program.h"

namespace imc::compiler {

// kSequential: one inference at a time through all layers (the naive baseline).
// kPipelined: every tile loops over the batch on its own, layers overlap across inferences.
enum class Schedule { kSequential, kPipelined };

// Which convolutions compute several neighbouring output positions per MVM (shifted kernel
// copies, docs/compiler-backend.md). A view reads the zero cells of its other copies too, so
// it trades crossbar energy for MVMs, and for tiles.
enum class ShiftedKernels {
  kNone,  // one position per MVM
  // Pipelined, where the greedy placement wants more tiles than the chip has: the layers that
  // read a u8/i8 map (bit-serially: eight crossbar reads per MVM, for a kernel of a few rows),
  // when their views give the placement an estimated period at least 10% shorter.
  kSerial,
  kAll,  // every convolution whose crossbar cycles per position fall
};

// What one tile program computes: a part of a layer (for tools that relate a program's tiles
// to the network, e.g. bench_schedule's lower bound).
struct TilePart {
  int tile = -1;             // its mesh tile, as in isa::TileProgram::tile
  int layer = -1;            // index in Graph::layers
  int group = 0;             // column/row group of a matrix larger than a tile (0 otherwise)
  int64_t oy0 = 0, oy1 = 0;  // its output rows
};

struct BackendOptions {
  Schedule schedule = Schedule::kPipelined;
  // Pipelined: move the tile programs to the mesh tiles that spread their NoC traffic (the
  // remap pass); false keeps place's snake order.
  bool remap = true;
  // Which convolutions compute several output positions per MVM (ShiftedKernels above).
  ShiftedKernels shifted_kernels = ShiftedKernels::kSerial;
  // Pipelined, on a chip with no tile to spare: a max-pool computed on the tiles of the matrix
  // layer before it where they have the time (conv+pool fusion, place); false: its own tiles.
  bool pool_fusion = true;
  // Pipelined: maps between layers whose tiles compute long enough handed over in two halves
  // of their columns, the consumer starting on the first (Edge::halves): one inference sooner
  // done, at a few more issue slots per inference; false: whole maps.
  bool halves = true;
  std::string dump_after;                  // a pass name (backend_pass_names()), "" for none
  std::ostream* dump = nullptr;            // where the dump goes
  std::vector<TilePart>* parts = nullptr;  // when set: every tile program's part, layer order
};

// The network cannot be mapped on this chip (does not fit, unsupported layout, ...).
class BackendError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

isa::Program compile_graph(const Graph& g, const arch::ChipParams& chip, const BackendOptions& o);
std::vector<std::string> backend_pass_names();

// Crossbars one copy of the weights occupies on this chip: every matrix partitioned and
// packed as compile_graph does, without in-tile copies or the pipelined schedule's spatial
// split (a layer cut into row ranges to fit its buffers counts once per range). The network's
// footprint, whereas the pipelined program spreads it over every spare crossbar.
int64_t weight_crossbars(const Graph& g, const arch::ChipParams& chip);

}  // namespace imc::compiler
