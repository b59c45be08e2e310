// The typed description of a chip, parsed once from an arch file (see docs/arch-file.md).
// Every quantity is stored in one base unit, named in the field: picoseconds, cycles,
// picojoules, bits. Models receive the const struct of their own block only.
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

namespace imc::arch {

enum class CellKind { kSram, kRram };
enum class Readout { kDigital, kAdc };
// Which model computes a block: the TLM model, or Verilated RTL behind a transactor
// (co-simulation, rtl/; only in builds with Verilator). Same results, same cycles.
enum class Impl { kTlm, kRtl };

// True when `tile` runs a block as RTL: its impl is rtl and its impl_tiles list is empty
// (every tile) or names the tile.
inline bool runs_rtl(Impl impl, const std::vector<int>& impl_tiles, int tile) {
  return impl == Impl::kRtl &&
         (impl_tiles.empty() ||
          std::find(impl_tiles.begin(), impl_tiles.end(), tile) != impl_tiles.end());
}

struct AdcParams {
  int bits = 0;        // resolution of one conversion
  int full_scale = 0;  // |partial sum| at which the converter saturates
  int count = 1;       // converters per crossbar, shared round-robin by the columns
  int64_t conversion_cycles = 1;
};

struct CrossbarParams {
  int rows = 0;
  int cols = 0;
  CellKind cell = CellKind::kSram;
  int cells_per_weight = 2;  // 2: differential pair, ternary capable; 1: binary only
  int rows_per_step = 0;     // wordlines activated together per read step
  Readout readout = Readout::kDigital;
  AdcParams adc;                 // meaningful when readout == kAdc
  double variation_sigma = 0;    // relative σ of each cell's conductance (rram only)
  double stuck_at_0 = 0;         // fraction of cells stuck off
  double stuck_at_1 = 0;         // fraction of cells stuck on
  int64_t read_cycles = 1;       // one read step: drive wordlines, settle bitlines
  int64_t write_row_cycles = 1;  // program one row of cells
};

struct BufferParams {
  int64_t capacity_bits = 0;
  int64_t access_cycles = 1;  // latency of one access
  int64_t width_bits = 64;    // bits moved per cycle
};

struct TileParams {
  int crossbars = 0;
  CrossbarParams crossbar;
  BufferParams input_buffer;
  BufferParams output_buffer;
  int accumulator_entries = 0;    // int32 registers
  int64_t accumulate_cycles = 1;  // per vector add, pipelined over lanes
  int accumulator_lanes = 64;     // int32 adds per cycle
  int threshold_entries = 0;      // per-channel (t0, t1, invert) records
  int thresholder_lanes = 64;     // comparisons per cycle
  int64_t threshold_cycles = 1;   // pipeline latency
  Impl thresholder_impl = Impl::kTlm;
  int pool_lanes = 64;  // elements compared per cycle
  int64_t pool_cycles = 1;
  int semaphores = 16;
  int64_t issue_cycles = 1;  // sequencer: cycles to issue one command
  // true (`mvm_repeat: strided`): one MVM command runs a strided run of MVMs on its crossbar
  // (docs/isa.md, reps), so a tile whose crossbars finish an MVM in fewer cycles than it has
  // crossbars is not held to one MVM per issue slot; false (`none`): one MVM per command.
  bool mvm_repeat = false;
  int dma_outstanding = 1;  // LOADs the DMA engine keeps in flight (split transactions)

  // With impl kRtl, the tiles that run the block as RTL (runs_rtl); empty = every tile.
  std::vector<int> thresholder_impl_tiles;
  Impl accumulator_impl = Impl::kTlm;
  std::vector<int> accumulator_impl_tiles;
  Impl crossbar_impl = Impl::kTlm;  // the crossbars' digital column datapath
  std::vector<int> crossbar_impl_tiles;
};

struct NocParams {
  int64_t link_width_bits = 64;  // one flit per link per cycle
  int64_t hop_cycles = 1;        // router + link traversal of a head flit
  // false (`contention: ignored`): a packet never waits for a busy link — a what-if that
  // bounds what a better network could give, not a buildable chip.
  bool contention = true;
  // true (`multicast: tree`): a router replicates a packet onto several output links, so a
  // SEND can name several destinations (docs/isa.md, mcast) and crosses each link of the
  // union of their XY paths once; false (`none`): one packet per destination.
  bool multicast = false;
};

struct GlobalBufferParams {
  int64_t capacity_bits = 0;
  int64_t port_width_bits = 256;  // bits per cycle through its port
  int64_t access_cycles = 1;
  int attach_x = 0;  // router the buffer's port connects to
  int attach_y = 0;
};

// Energy of one action, picojoules. Each entry's source is kept in the arch file.
struct EnergyParams {
  double cell_read_pj = 0;         // per cell per read step
  double cell_write_pj = 0;        // per cell programmed
  double wordline_pj = 0;          // per row driven per read step
  double adc_conversion_pj = 0;    // per conversion (readout: adc)
  double digital_popcount_pj = 0;  // per column per read step (readout: digital)
  double accumulate_pj = 0;        // per int32 add
  double threshold_pj = 0;         // per element compared
  double pool_pj = 0;              // per element compared
  double buffer_access_pj_per_bit = 0;
  double global_buffer_access_pj_per_bit = 0;
  double noc_hop_pj_per_flit = 0;
  double command_issue_pj = 0;  // sequencer decode + issue
  double leakage_pj_per_tile_cycle = 0;
};

struct ChipParams {
  std::string name;
  std::string source_file;  // where it was read from, for messages
  double clock_hz = 0;
  int64_t period_ps = 0;  // derived from clock_hz, rounded to whole ps
  int mesh_rows = 0;
  int mesh_cols = 0;
  TileParams tile;
  NocParams noc;
  GlobalBufferParams global_buffer;
  EnergyParams energy;
  int tiles() const { return mesh_rows * mesh_cols; }
};

}  // namespace imc::arch
