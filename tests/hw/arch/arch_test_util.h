// Helpers for the arch-file tests: shipped files, one-line edits with their line number, the
// error text of a load, and a full-text rendering of ChipParams for equality checks.
#pragma once

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "hw/arch/load.h"

namespace imc::arch::test {

inline std::string source_path(const std::string& rel) {
  return std::string(IMCSIM_SOURCE_DIR) + "/" + rel;
}

inline std::string read_text(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// `text` with its one line equal to `old_line` replaced by `new_lines` (several lines may be
// given, or none to delete it); `line` is the 1-based line number of `old_line`.
struct Edited {
  std::string text;
  int line = 0;
};

inline Edited edit_line(const std::string& text, const std::string& old_line,
                        const std::string& new_lines) {
  std::istringstream in(text);
  std::string l, out;
  Edited e;
  int n = 0, hits = 0;
  while (std::getline(in, l)) {
    ++n;
    if (l == old_line) {
      ++hits;
      e.line = n;
      if (!new_lines.empty()) out += new_lines + "\n";
    } else {
      out += l + "\n";
    }
  }
  EXPECT_EQ(hits, 1) << "line '" << old_line << "' must occur exactly once";
  e.text = out;
  return e;
}

// As edit_line, for the first line equal to `old_line` after the line equal to `anchor`.
inline Edited edit_line_after(const std::string& text, const std::string& anchor,
                              const std::string& old_line, const std::string& new_line) {
  std::istringstream in(text);
  std::string l, out;
  Edited e;
  int n = 0;
  bool armed = false;
  while (std::getline(in, l)) {
    ++n;
    if (l == anchor) armed = true;
    if (armed && e.line == 0 && l == old_line) {
      e.line = n;
      out += new_line + "\n";
    } else {
      out += l + "\n";
    }
  }
  EXPECT_NE(e.line, 0) << "no line '" << old_line << "' after '" << anchor << "'";
  e.text = out;
  return e;
}

inline int line_of(const std::string& text, const std::string& whole_line) {
  return edit_line(text, whole_line, whole_line).line;
}

// The InputError message of loading `text` as "arch.yaml", or "" when it loads.
inline std::string load_error(const std::string& text, const std::vector<Override>& overrides = {},
                              const std::string& file = "arch.yaml") {
  try {
    load_chip_from_string(text, file, overrides);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

inline std::string at(int line) {
  return "arch.yaml:" + std::to_string(line) + ": ";
}

inline std::string tile8x8_text() {
  return read_text(source_path("configs/tile8x8.yaml"));
}
inline std::string rram4x4_text() {
  return read_text(source_path("configs/rram4x4.yaml"));
}

// Every field, one per line: two chips are equal iff their renderings are.
inline std::string render(const ChipParams& c) {
  std::ostringstream s;
  s.precision(17);
  const CrossbarParams& x = c.tile.crossbar;
  const TileParams& t = c.tile;
  const EnergyParams& e = c.energy;
  s << "name " << c.name << "\nclock_hz " << c.clock_hz << "\nperiod_ps " << c.period_ps
    << "\nmesh " << c.mesh_rows << "x" << c.mesh_cols << "\ncrossbars " << t.crossbars << "\nxbar "
    << x.rows << "x" << x.cols << " cell " << int(x.cell) << " cpw " << x.cells_per_weight
    << " rps " << x.rows_per_step << " readout " << int(x.readout) << "\nadc " << x.adc.bits << " "
    << x.adc.full_scale << " " << x.adc.count << " " << x.adc.conversion_cycles << "\nsigma "
    << x.variation_sigma << " sa0 " << x.stuck_at_0 << " sa1 " << x.stuck_at_1 << "\nread "
    << x.read_cycles << " write_row " << x.write_row_cycles;
  for (const BufferParams* b : {&t.input_buffer, &t.output_buffer})
    s << "\nbuffer " << b->capacity_bits << " " << b->access_cycles << " " << b->width_bits;
  s << "\nacc " << t.accumulator_entries << " " << t.accumulate_cycles << " " << t.accumulator_lanes
    << "\nthr " << t.threshold_entries << " " << t.thresholder_lanes << " " << t.threshold_cycles
    << " impl " << int(t.thresholder_impl) << "\npool " << t.pool_lanes << " " << t.pool_cycles
    << "\nsem " << t.semaphores << " issue " << t.issue_cycles << "\nnoc " << c.noc.link_width_bits
    << " " << c.noc.hop_cycles << "\ngb " << c.global_buffer.capacity_bits << " "
    << c.global_buffer.port_width_bits << " " << c.global_buffer.access_cycles << " "
    << c.global_buffer.attach_x << "," << c.global_buffer.attach_y << "\nenergy " << e.cell_read_pj
    << " " << e.cell_write_pj << " " << e.wordline_pj << " " << e.adc_conversion_pj << " "
    << e.digital_popcount_pj << " " << e.accumulate_pj << " " << e.threshold_pj << " " << e.pool_pj
    << " " << e.buffer_access_pj_per_bit << " " << e.global_buffer_access_pj_per_bit << " "
    << e.noc_hop_pj_per_flit << " " << e.command_issue_pj << " " << e.leakage_pj_per_tile_cycle
    << "\n";
  auto impl = [&](const char* block, Impl i, const std::vector<int>& tiles) {
    s << "impl " << block << " " << int(i) << " tiles";
    for (int t : tiles) s << " " << t;
    s << "\n";
  };
  impl("crossbar", t.crossbar_impl, t.crossbar_impl_tiles);
  impl("accumulator", t.accumulator_impl, t.accumulator_impl_tiles);
  impl("thresholder", t.thresholder_impl, t.thresholder_impl_tiles);
  return s.str();
}

}  // namespace imc::arch::test
