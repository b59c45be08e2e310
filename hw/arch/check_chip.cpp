// Rules between keys. Each message names both keys and their values, since the blamed key
// may be fine on its own (the other may have been changed by --set).
#include <algorithm>
#include <cstdio>
#include <string>

#include "hw/arch/read_chip.h"

namespace imc::arch {
namespace {

std::string str(int64_t v) {
  return std::to_string(v);
}

// Host memory a simulation of the chip allocates, bytes (hw/models: crossbar_array.cpp keeps
// bit planes of weights and cells, summaries for two-cell weights, stuck-at planes and float
// conductances; the tile its buffers, accumulator and thresholds; the global buffer its bytes).
struct HostBytes {
  double global_buffer = 0, tile_buffers = 0, crossbars = 0;
  double total(int64_t tiles) const {
    return global_buffer + double(tiles) * (tile_buffers + crossbars);
  }
};

HostBytes host_bytes(const ChipParams& c) {
  const TileParams& t = c.tile;
  const CrossbarParams& x = t.crossbar;
  const double words = double((x.rows + 63) / 64), col_words = double((x.cols + 63) / 64);
  const double plane = double(x.cols) * words * 8, cells = double(x.rows) * x.cols;
  const bool two = x.cells_per_weight != 1;
  double xb = 4 * plane + (two ? 2 * words * 64 * col_words * 8 : 0);
  if (x.stuck_at_0 > 0 || x.stuck_at_1 > 0) xb += 4 * plane;
  if (x.variation_sigma > 0) xb += cells * 4 * (two ? 2 : 1);
  HostBytes h;
  h.global_buffer = double(c.global_buffer.capacity_bits) / 8;
  h.tile_buffers = double(t.input_buffer.capacity_bits + t.output_buffer.capacity_bits) / 8 +
                   4.0 * t.accumulator_entries + 12.0 * t.threshold_entries;
  h.crossbars = xb * t.crossbars;
  return h;
}

std::string gib(double bytes) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f GiB", bytes / double(int64_t{1} << 30));
  return text;
}

}  // namespace

void check_chip(const ChipParams& c, const Reader& r) {
  // Tile t acts t + 1 femtosecond ticks into a cycle (hw/models/clock.h): a cycle must have
  // more ticks than the mesh has tiles.
  const int64_t ticks = c.period_ps * 1000;
  if (int64_t{c.tiles()} + 1 >= ticks)
    r.fail("mesh.rows", "mesh.rows x mesh.cols = " + str(c.tiles()) +
                            " tiles; at this clock a cycle has " + str(ticks) +
                            " femtosecond ticks of the simulation kernel, and each tile needs one: "
                            "at most " +
                            str(ticks - 2) + " tiles");
  // A chip whose model would not fit a workstation's memory is refused before allocating it.
  const HostBytes h = host_bytes(c);
  if (h.total(c.tiles()) > kMaxHostBytes) {
    const double buffers = double(c.tiles()) * h.tile_buffers,
                 xbars = double(c.tiles()) * h.crossbars;
    const char* key = h.global_buffer >= std::max(buffers, xbars) ? "global_buffer.capacity"
                      : buffers >= xbars                          ? "tile.input_buffer.capacity"
                                                                  : "tile.crossbars";
    r.fail(key, "the chip's model needs " + gib(h.total(c.tiles())) +
                    " of host memory to simulate (global buffer " + gib(h.global_buffer) + ", " +
                    str(c.tiles()) + " tiles' buffers " + gib(buffers) + ", their crossbars " +
                    gib(xbars) + "), more than the " + gib(kMaxHostBytes) + " imcsim allows");
  }

  const CrossbarParams& x = c.tile.crossbar;
  const TileParams& t = c.tile;

  // The sequencer feeds a crossbar from the input buffer with u8 elements at most.
  const int64_t input_bits = int64_t{x.rows} * 8;
  if (t.input_buffer.capacity_bits < input_bits)
    r.fail("tile.input_buffer.capacity",
           "must hold one crossbar input of u8 elements (tile.crossbar.rows " + str(x.rows) +
               " x 8bit = " + str(input_bits) + "bit), got " + str(t.input_buffer.capacity_bits) +
               "bit");
  // One column readout, packed as b1, must fit the output buffer.
  if (t.output_buffer.capacity_bits < x.cols)
    r.fail("tile.output_buffer.capacity",
           "must hold one crossbar readout packed as b1 (tile.crossbar.cols " + str(x.cols) +
               " x 1bit = " + str(x.cols) + "bit), got " + str(t.output_buffer.capacity_bits) +
               "bit");
  if (t.accumulator_entries < x.cols)
    r.fail("tile.accumulator.entries", "must be at least tile.crossbar.cols (" + str(x.cols) +
                                           "): one int32 per column, got " +
                                           str(t.accumulator_entries));
  if (t.threshold_entries < x.cols)
    r.fail("tile.thresholder.entries", "must be at least tile.crossbar.cols (" + str(x.cols) +
                                           "): one record per column, got " +
                                           str(t.threshold_entries));

  // The RTL thresholder's pipeline is at most 16 stages (rtl/thresholder/imc_thresholder.sv).
  if (t.thresholder_impl == Impl::kRtl && t.threshold_cycles > kMaxRtlThresholderLatency)
    r.fail("tile.thresholder.impl",
           "rtl: the RTL thresholder's pipeline has at most " + str(kMaxRtlThresholderLatency) +
               " stages; tile.thresholder.latency is " + str(t.threshold_cycles) + " cycles");
  if (t.accumulator_impl == Impl::kRtl && t.accumulate_cycles > kMaxRtlAccumulatorLatency)
    r.fail("tile.accumulator.impl",
           "rtl: the RTL accumulator's pipeline has at most " + str(kMaxRtlAccumulatorLatency) +
               " stages; tile.accumulator.latency is " + str(t.accumulate_cycles) + " cycles");
  // The RTL crossbar column is the digital readout's datapath: XNOR and an adder tree.
  if (t.crossbar_impl == Impl::kRtl) {
    const std::string p = "tile.crossbar.impl";
    if (x.readout != Readout::kDigital)
      r.fail(p,
             "rtl: the RTL column is the digital readout's datapath; tile.crossbar.readout is "
             "adc");
    if (x.variation_sigma != 0)
      r.fail(p,
             "rtl: the RTL column counts bits and has no conductance variation; "
             "tile.crossbar.variation_sigma must be 0");
    if (x.rows_per_step > kMaxRtlColumnRows)
      r.fail(p, "rtl: the RTL column counts at most " + str(kMaxRtlColumnRows) +
                    " rows per read step; tile.crossbar.rows_per_step is " + str(x.rows_per_step));
    if (x.read_cycles > kMaxRtlColumnReadCycles)
      r.fail(p, "rtl: the RTL column times reads of at most " + str(kMaxRtlColumnReadCycles) +
                    " cycles; tile.crossbar.read is " + str(x.read_cycles) + " cycles");
  }

  const GlobalBufferParams& g = c.global_buffer;
  if (g.capacity_bits < g.port_width_bits)
    r.fail("global_buffer.capacity", "must hold at least one port word (global_buffer.port_width " +
                                         str(g.port_width_bits) + "bit), got " +
                                         str(g.capacity_bits) + "bit");
  if (g.attach_x >= c.mesh_cols)
    r.fail("global_buffer.attach.x", "must be a column of the mesh, 0.." + str(c.mesh_cols - 1) +
                                         " (mesh.cols " + str(c.mesh_cols) + "), got " +
                                         str(g.attach_x));
  if (g.attach_y >= c.mesh_rows)
    r.fail("global_buffer.attach.y", "must be a row of the mesh, 0.." + str(c.mesh_rows - 1) +
                                         " (mesh.rows " + str(c.mesh_rows) + "), got " +
                                         str(g.attach_y));
}

}  // namespace imc::arch
