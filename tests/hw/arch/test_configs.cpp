// The shipped arch files load to exactly the numbers they state.
#include <gtest/gtest.h>

#include "arch_test_util.h"

namespace imc::arch {
namespace {

using test::source_path;

TEST(ShippedConfigs, Tile8x8LoadsToItsStatedNumbers) {
  const std::string path = source_path("configs/tile8x8.yaml");
  const ChipParams c = load_chip(path);
  EXPECT_EQ(c.name, "tile8x8");
  EXPECT_EQ(c.source_file, path);
  EXPECT_DOUBLE_EQ(c.clock_hz, 1e9);
  EXPECT_EQ(c.period_ps, 1000);
  EXPECT_EQ(c.mesh_rows, 8);
  EXPECT_EQ(c.mesh_cols, 8);
  EXPECT_EQ(c.tiles(), 64);

  const TileParams& t = c.tile;
  EXPECT_EQ(t.crossbars, 4);
  const CrossbarParams& x = t.crossbar;
  EXPECT_EQ(x.rows, 256);
  EXPECT_EQ(x.cols, 256);
  EXPECT_EQ(x.cell, CellKind::kSram);
  EXPECT_EQ(x.cells_per_weight, 2);
  EXPECT_EQ(x.rows_per_step, 256);
  EXPECT_EQ(x.readout, Readout::kDigital);
  EXPECT_EQ(x.variation_sigma, 0);
  EXPECT_EQ(x.stuck_at_0, 0);
  EXPECT_EQ(x.stuck_at_1, 0);
  EXPECT_EQ(x.read_cycles, 1);
  EXPECT_EQ(x.write_row_cycles, 1);
  EXPECT_EQ(x.adc.bits, 0);  // untouched: no ADC on this chip

  for (const BufferParams* b : {&t.input_buffer, &t.output_buffer}) {
    EXPECT_EQ(b->capacity_bits, 8 * 1024 * 8);
    EXPECT_EQ(b->width_bits, 256);
    EXPECT_EQ(b->access_cycles, 1);
  }
  EXPECT_EQ(t.accumulator_entries, 1024);
  EXPECT_EQ(t.accumulator_lanes, 64);
  EXPECT_EQ(t.accumulate_cycles, 1);
  EXPECT_EQ(t.threshold_entries, 1024);
  EXPECT_EQ(t.thresholder_lanes, 64);
  EXPECT_EQ(t.threshold_cycles, 1);
  EXPECT_EQ(t.pool_lanes, 64);
  EXPECT_EQ(t.pool_cycles, 1);
  EXPECT_EQ(t.semaphores, 16);
  EXPECT_EQ(t.issue_cycles, 1);
  EXPECT_EQ(t.dma_outstanding, 4);

  EXPECT_EQ(c.noc.link_width_bits, 64);
  EXPECT_EQ(c.noc.hop_cycles, 1);
  EXPECT_EQ(c.global_buffer.capacity_bits, 2 * 1024 * 1024 * 8);
  EXPECT_EQ(c.global_buffer.port_width_bits, 256);
  EXPECT_EQ(c.global_buffer.access_cycles, 4);
  EXPECT_EQ(c.global_buffer.attach_x, 0);
  EXPECT_EQ(c.global_buffer.attach_y, 0);

  const EnergyParams& e = c.energy;
  EXPECT_DOUBLE_EQ(e.cell_read_pj, 0.00112);
  EXPECT_DOUBLE_EQ(e.cell_write_pj, 0.002);
  EXPECT_DOUBLE_EQ(e.wordline_pj, 0.04);
  EXPECT_DOUBLE_EQ(e.adc_conversion_pj, 0.042);
  EXPECT_DOUBLE_EQ(e.digital_popcount_pj, 0.384);
  EXPECT_DOUBLE_EQ(e.accumulate_pj, 0.05);
  EXPECT_DOUBLE_EQ(e.threshold_pj, 0.05);
  EXPECT_DOUBLE_EQ(e.pool_pj, 0.03);
  EXPECT_DOUBLE_EQ(e.buffer_access_pj_per_bit, 17.2 / 256);
  EXPECT_DOUBLE_EQ(e.global_buffer_access_pj_per_bit, 17.2 / 256);
  EXPECT_DOUBLE_EQ(e.noc_hop_pj_per_flit, 0.64);
  EXPECT_DOUBLE_EQ(e.command_issue_pj, 0.2);
  EXPECT_DOUBLE_EQ(e.leakage_pj_per_tile_cycle, 0.5);  // 0.5 mW x 1 ns
}

TEST(ShippedConfigs, Rram4x4LoadsToItsStatedNumbers) {
  const ChipParams c = load_chip(source_path("configs/rram4x4.yaml"));
  EXPECT_EQ(c.name, "rram4x4");
  EXPECT_DOUBLE_EQ(c.clock_hz, 5e8);
  EXPECT_EQ(c.period_ps, 2000);
  EXPECT_EQ(c.mesh_rows, 4);
  EXPECT_EQ(c.mesh_cols, 4);
  EXPECT_EQ(c.tiles(), 16);

  const TileParams& t = c.tile;
  EXPECT_EQ(t.crossbars, 8);
  const CrossbarParams& x = t.crossbar;
  EXPECT_EQ(x.rows, 64);
  EXPECT_EQ(x.cols, 64);
  EXPECT_EQ(x.cell, CellKind::kRram);
  EXPECT_EQ(x.cells_per_weight, 2);
  EXPECT_EQ(x.rows_per_step, 16);
  EXPECT_EQ(x.readout, Readout::kAdc);
  EXPECT_EQ(x.adc.bits, 6);
  EXPECT_EQ(x.adc.full_scale, 16);
  EXPECT_EQ(x.adc.count, 8);
  EXPECT_EQ(x.adc.conversion_cycles, 1);  // 2ns at 500 MHz
  EXPECT_EQ(x.variation_sigma, 0);
  EXPECT_EQ(x.stuck_at_0, 0);
  EXPECT_EQ(x.stuck_at_1, 0);
  EXPECT_EQ(x.read_cycles, 3);        // 5ns at 500 MHz, rounded up
  EXPECT_EQ(x.write_row_cycles, 50);  // 100ns

  for (const BufferParams* b : {&t.input_buffer, &t.output_buffer}) {
    EXPECT_EQ(b->capacity_bits, 2 * 1024 * 8);
    EXPECT_EQ(b->width_bits, 128);
    EXPECT_EQ(b->access_cycles, 1);
  }
  EXPECT_EQ(t.accumulator_entries, 256);
  EXPECT_EQ(t.accumulator_lanes, 16);
  EXPECT_EQ(t.accumulate_cycles, 1);
  EXPECT_EQ(t.threshold_entries, 256);
  EXPECT_EQ(t.thresholder_lanes, 16);
  EXPECT_EQ(t.threshold_cycles, 1);
  EXPECT_EQ(t.pool_lanes, 16);
  EXPECT_EQ(t.pool_cycles, 1);
  EXPECT_EQ(t.semaphores, 8);
  EXPECT_EQ(t.issue_cycles, 1);
  EXPECT_EQ(t.dma_outstanding, 4);

  EXPECT_EQ(c.noc.link_width_bits, 32);
  EXPECT_EQ(c.noc.hop_cycles, 2);
  EXPECT_EQ(c.global_buffer.capacity_bits, 512 * 1024 * 8);
  EXPECT_EQ(c.global_buffer.port_width_bits, 128);
  EXPECT_EQ(c.global_buffer.access_cycles, 3);
  EXPECT_EQ(c.global_buffer.attach_x, 1);
  EXPECT_EQ(c.global_buffer.attach_y, 0);

  const EnergyParams& e = c.energy;
  EXPECT_DOUBLE_EQ(e.cell_read_pj, 0.00024);
  EXPECT_DOUBLE_EQ(e.cell_write_pj, 2);
  EXPECT_DOUBLE_EQ(e.wordline_pj, 0.01);
  EXPECT_DOUBLE_EQ(e.adc_conversion_pj, 0.084);
  EXPECT_DOUBLE_EQ(e.digital_popcount_pj, 0.0241);
  EXPECT_DOUBLE_EQ(e.accumulate_pj, 0.05);
  EXPECT_DOUBLE_EQ(e.threshold_pj, 0.05);
  EXPECT_DOUBLE_EQ(e.pool_pj, 0.03);
  EXPECT_DOUBLE_EQ(e.buffer_access_pj_per_bit, 17.2 / 256);
  EXPECT_DOUBLE_EQ(e.global_buffer_access_pj_per_bit, 17.2 / 256);
  EXPECT_DOUBLE_EQ(e.noc_hop_pj_per_flit, 0.32);
  EXPECT_DOUBLE_EQ(e.command_issue_pj, 0.2);
  EXPECT_DOUBLE_EQ(e.leakage_pj_per_tile_cycle, 0.4);  // 0.2 mW x 2 ns
}

TEST(ShippedConfigs, OptionalKeysTakeTheirDefaults) {
  // full_scale defaults to rows_per_step, count to 1, the non-idealities to 0.
  std::string text = test::rram4x4_text();
  text = test::edit_line(text, "      full_scale: 16", "").text;
  text = test::edit_line(text, "      count: 8          # 64 columns / 8 columns per ADC", "").text;
  text = test::edit_line(text, "    variation_sigma: 0", "").text;
  text = test::edit_line(text, "    stuck_at_0: 0", "").text;
  text = test::edit_line(text, "    stuck_at_1: 0", "").text;
  const ChipParams c = load_chip_from_string(text, "arch.yaml");
  EXPECT_EQ(c.tile.crossbar.adc.full_scale, 16);
  EXPECT_EQ(c.tile.crossbar.adc.count, 1);
  EXPECT_EQ(c.tile.crossbar.variation_sigma, 0);
  EXPECT_EQ(c.tile.crossbar.stuck_at_0, 0);
  EXPECT_EQ(c.tile.crossbar.stuck_at_1, 0);
}

TEST(ShippedConfigs, NonRoundClockRoundsThePeriodToWholePicoseconds) {
  const ChipParams c = load_chip(source_path("configs/tile8x8.yaml"), {{"clock", "300MHz"}});
  EXPECT_EQ(c.period_ps, 3333);
  // Leakage uses the exact period: 0.5 mW / 300 MHz.
  EXPECT_DOUBLE_EQ(c.energy.leakage_pj_per_tile_cycle, 0.5e-3 / 3e8 * 1e12);
}

TEST(ShippedConfigs, BlockAndFlowStylesReadTheSame) {
  std::string text = test::tile8x8_text();
  text = test::edit_line(text, "mesh: {rows: 8, cols: 8}", "mesh:\n  rows: 8\n  cols: 8").text;
  const ChipParams flow = load_chip(source_path("configs/tile8x8.yaml"));
  const ChipParams block = load_chip_from_string(text, "arch.yaml");
  EXPECT_EQ(test::render(flow), test::render(block));
}

}  // namespace
}  // namespace imc::arch
