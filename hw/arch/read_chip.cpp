#include "hw/arch/read_chip.h"

#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "hw/arch/load.h"
#include "hw/arch/units.h"

namespace imc::arch {
namespace {

std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

// Buffers are byte addressed: capacities and port widths are whole bytes.
int64_t bytes_as_bits(Reader& r, const std::string& path, int64_t min_bits) {
  const int64_t bits = r.size_bits(path);
  if (bits < min_bits)
    r.fail(path, "must be at least " + std::to_string(min_bits) + "bit, got " +
                     std::to_string(bits) + "bit");
  if (bits % 8 != 0)
    r.fail(path, "must be a whole number of bytes, got " + std::to_string(bits) + "bit");
  return bits;
}

double fraction(Reader& r, const std::string& path) {
  const double v = r.real_or(path, 0);
  if (v < 0 || v >= 1) r.fail(path, "must be a fraction in [0, 1), got " + num(v));
  return v;
}

void read_adc(Reader& r, double f, const CrossbarParams& x, AdcParams& a) {
  const std::string p = "tile.crossbar.adc.";
  a.bits = r.count(p + "bits", 1, 16);
  // The step delta = ceil(full_scale / (2^(bits-1) - 1)) needs one level above zero.
  if (a.bits == 1)
    r.fail(p + "bits", "must be at least 2, got 1: a signed ADC needs a level above zero");
  a.full_scale = r.count_or(p + "full_scale", 1, kMaxCount, x.rows_per_step);
  a.count = r.count_or(p + "count", 1, kMaxCount, 1);
  if (a.count > x.cols)
    r.fail(p + "count", "must be at most tile.crossbar.cols (" + std::to_string(x.cols) +
                            "): each ADC serves at least one column, got " +
                            std::to_string(a.count));
  a.conversion_cycles = r.latency_cycles(p + "conversion", f);
}

void read_crossbar(Reader& r, double f, CrossbarParams& x) {
  const std::string p = "tile.crossbar.";
  x.rows = r.count(p + "rows", 1, kMaxCrossbarSide);
  x.cols = r.count(p + "cols", 1, kMaxCrossbarSide);
  x.cell = r.choice(p + "cell", {"sram", "rram"}) == "sram" ? CellKind::kSram : CellKind::kRram;
  x.cells_per_weight = r.count(p + "cells_per_weight", 1, 2);
  x.rows_per_step = r.count(p + "rows_per_step", 1, kMaxCrossbarSide);
  if (x.rows_per_step > x.rows)
    r.fail(p + "rows_per_step", "must be at most tile.crossbar.rows (" + std::to_string(x.rows) +
                                    "), got " + std::to_string(x.rows_per_step));
  x.readout =
      r.choice(p + "readout", {"digital", "adc"}) == "adc" ? Readout::kAdc : Readout::kDigital;
  const bool has_adc = r.has(p + "adc");
  if (x.readout == Readout::kAdc && !has_adc)
    r.fail(p + "adc", "missing; required with readout: adc (bits, conversion, ...)");
  if (x.readout == Readout::kDigital && has_adc)
    r.fail(p + "adc", "only allowed with readout: adc; this crossbar reads out digital");
  if (has_adc) read_adc(r, f, x, x.adc);

  x.variation_sigma = r.real_or(p + "variation_sigma", 0);
  if (x.variation_sigma < 0 || x.variation_sigma > 1)
    r.fail(p + "variation_sigma",
           "must be in [0, 1] (relative sigma), got " + num(x.variation_sigma));
  if (x.cell == CellKind::kSram && x.variation_sigma != 0)
    r.fail(p + "variation_sigma",
           "must be 0 for cell: sram (SRAM cells store exact bits; "
           "conductance variation applies to rram), got " +
               num(x.variation_sigma));
  x.stuck_at_0 = fraction(r, p + "stuck_at_0");
  x.stuck_at_1 = fraction(r, p + "stuck_at_1");
  if (x.stuck_at_0 + x.stuck_at_1 >= 1)
    r.fail(p + "stuck_at_1", "stuck_at_0 + stuck_at_1 must be below 1, got " + num(x.stuck_at_0) +
                                 " + " + num(x.stuck_at_1));
  x.read_cycles = r.latency_cycles(p + "read", f);
  x.write_row_cycles = r.latency_cycles(p + "write_row", f);
}

void read_buffer(Reader& r, const std::string& p, double f, BufferParams& b) {
  b.capacity_bits = bytes_as_bits(r, p + ".capacity", 8);
  b.width_bits = bytes_as_bits(r, p + ".width", 8);
  b.access_cycles = r.latency_cycles(p + ".access", f);
}

// `impl: rtl` needs a build with the Verilated blocks (CMake option IMCSIM_RTL).
Impl read_impl(Reader& r, const std::string& path) {
  if (r.choice_or(path, {"tlm", "rtl"}, "tlm") == "tlm") return Impl::kTlm;
  if (!rtl_available())
    r.fail(path,
           "rtl: this build has no RTL blocks (configure with Verilator and -DIMCSIM_RTL=ON)");
  return Impl::kRtl;
}

// `<block>.impl` and `<block>.impl_tiles`: the tiles that run the block as RTL.
void read_impl_tiles(Reader& r, const std::string& block, int64_t tiles, Impl& impl,
                     std::vector<int>& impl_tiles) {
  impl = read_impl(r, block + ".impl");
  impl_tiles = r.tile_list(block + ".impl_tiles", tiles);
  if (!impl_tiles.empty() && impl != Impl::kRtl)
    r.fail(block + ".impl_tiles",
           "only allowed with " + block + ".impl: rtl (it names the tiles that run the RTL)");
}

void read_tile(Reader& r, double f, int64_t tiles, TileParams& t) {
  t.crossbars = r.count("tile.crossbars", 1, kMaxCrossbars);
  read_crossbar(r, f, t.crossbar);
  read_impl_tiles(r, "tile.crossbar", tiles, t.crossbar_impl, t.crossbar_impl_tiles);
  read_buffer(r, "tile.input_buffer", f, t.input_buffer);
  read_buffer(r, "tile.output_buffer", f, t.output_buffer);
  t.accumulator_entries = r.count("tile.accumulator.entries", 1, kMaxCount);
  t.accumulator_lanes = r.count("tile.accumulator.lanes", 1, kMaxCount);
  t.accumulate_cycles = r.latency_cycles("tile.accumulator.latency", f);
  read_impl_tiles(r, "tile.accumulator", tiles, t.accumulator_impl, t.accumulator_impl_tiles);
  t.threshold_entries = r.count("tile.thresholder.entries", 1, kMaxCount);
  t.thresholder_lanes = r.count("tile.thresholder.lanes", 1, kMaxCount);
  t.threshold_cycles = r.latency_cycles("tile.thresholder.latency", f);
  read_impl_tiles(r, "tile.thresholder", tiles, t.thresholder_impl, t.thresholder_impl_tiles);
  t.pool_lanes = r.count("tile.pooling.lanes", 1, kMaxCount);
  t.pool_cycles = r.latency_cycles("tile.pooling.latency", f);
  t.semaphores = r.count("tile.semaphores", 1, kMaxCount);
  t.issue_cycles = r.latency_cycles("tile.sequencer.issue", f);
  t.mvm_repeat = r.choice_or("tile.sequencer.mvm_repeat", {"strided", "none"}, "none") == "strided";
  // 1: the engine waits for a LOAD's data before it starts the next (the model until December
  // 2026, and what an arch file without the key gets).
  t.dma_outstanding = static_cast<int>(r.count_or("tile.dma.outstanding", 1, 64, 1));
}

void read_energy(Reader& r, double f, EnergyParams& e) {
  e.cell_read_pj = r.energy_pj("energy.cell_read");
  e.cell_write_pj = r.energy_pj("energy.cell_write");
  e.wordline_pj = r.energy_pj("energy.wordline");
  e.adc_conversion_pj = r.energy_pj("energy.adc_conversion");
  e.digital_popcount_pj = r.energy_pj("energy.digital_popcount");
  e.accumulate_pj = r.energy_pj("energy.accumulate");
  e.threshold_pj = r.energy_pj("energy.threshold");
  e.pool_pj = r.energy_pj("energy.pool");
  e.buffer_access_pj_per_bit = r.energy_pj("energy.buffer_access_per_bit");
  e.global_buffer_access_pj_per_bit = r.energy_pj("energy.global_buffer_access_per_bit");
  e.noc_hop_pj_per_flit = r.energy_pj("energy.noc_hop_per_flit");
  e.command_issue_pj = r.energy_pj("energy.command_issue");
  // Power times the exact clock period (not the rounded period_ps): W / Hz = J, in pJ.
  e.leakage_pj_per_tile_cycle = r.power_w("energy.leakage_per_tile") / f * 1e12;
}

}  // namespace

bool rtl_available() {
  return IMCSIM_HAS_RTL != 0;
}

ChipParams read_chip(Reader& r) {
  ChipParams c;
  c.name = r.text("name");
  c.clock_hz = r.frequency_hz("clock");
  if (!(c.clock_hz > 0)) r.fail("clock", "must be above 0Hz, got " + num(c.clock_hz) + "Hz");
  if (c.clock_hz > 1e12)
    r.fail("clock", "must be at most 1000GHz (the period is kept in whole ps), got " +
                        format_frequency(c.clock_hz));
  c.period_ps = std::llround(1e12 / c.clock_hz);
  const double f = c.clock_hz;
  c.mesh_rows = r.count("mesh.rows", 1, kMaxMeshSide);
  c.mesh_cols = r.count("mesh.cols", 1, kMaxMeshSide);
  read_tile(r, f, int64_t{c.mesh_rows} * c.mesh_cols, c.tile);
  c.noc.link_width_bits = bytes_as_bits(r, "noc.link_width", 8);
  c.noc.hop_cycles = r.latency_cycles("noc.hop", f);
  c.noc.contention = r.choice_or("noc.contention", {"modeled", "ignored"}, "modeled") == "modeled";
  c.noc.multicast = r.choice_or("noc.multicast", {"tree", "none"}, "none") == "tree";
  GlobalBufferParams& g = c.global_buffer;
  g.capacity_bits = bytes_as_bits(r, "global_buffer.capacity", 8);
  g.port_width_bits = bytes_as_bits(r, "global_buffer.port_width", 8);
  g.access_cycles = r.latency_cycles("global_buffer.access", f);
  g.attach_x = r.count("global_buffer.attach.x", 0, kMaxMeshSide);
  g.attach_y = r.count("global_buffer.attach.y", 0, kMaxMeshSide);
  read_energy(r, f, c.energy);
  return c;
}

}  // namespace imc::arch
