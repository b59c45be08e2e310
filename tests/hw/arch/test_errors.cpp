// Each defect is reported as "FILE:LINE: key 'path': what", at the line of the defect.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "arch_test_util.h"

namespace imc::arch {
namespace {

using test::at;
using test::edit_line;
using test::Edited;
using test::line_of;
using test::load_error;

// The error of loading an edited file, and the line of the edit.
struct Outcome {
  std::string err;
  int line = 0;
};

// Checks that `o` failed with exactly at(o.line + delta) + rest.
::testing::AssertionResult fails_at(const Outcome& o, int delta, const std::string& rest) {
  const std::string want = at(o.line + delta) + rest;
  if (o.err == want) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "\n  got:  " << o.err << "\n  want: " << want;
}

// tile8x8.yaml / rram4x4.yaml with one line replaced.
Outcome tile_error(const std::string& old_line, const std::string& new_lines) {
  const Edited e = edit_line(test::tile8x8_text(), old_line, new_lines);
  return {load_error(e.text), e.line};
}

Outcome rram_error(const std::string& old_line, const std::string& new_lines) {
  const Edited e = edit_line(test::rram4x4_text(), old_line, new_lines);
  return {load_error(e.text), e.line};
}

TEST(ArchErrors, UnknownKeyNamesTheKeyAndSuggestsTheNearest) {
  EXPECT_TRUE(fails_at(tile_error("    cols: 256", "    colz: 256"), 0,
                       "key 'tile.crossbar.colz': unknown key (did you mean 'cols'?)"));
}

TEST(ArchErrors, UnknownKeyFarFromAnyListsTheKnownOnes) {
  const Outcome o = tile_error("  semaphores: 16", "  semaphores: 16\n  turbo: 1");
  EXPECT_EQ(
      o.err.rfind(at(o.line + 1) + "key 'tile.turbo': unknown key; 'tile' takes crossbars, ", 0),
      0u)
      << o.err;
}

TEST(ArchErrors, UnknownKeyInsideAnEntry) {
  const Outcome o = tile_error(
      "    write_row: {value: 1cycle, source: \"assumed: one SRAM row written per cycle; no "
      "published figure\"}",
      "    write_row: {value: 1cycle, sauce: x, source: y}");
  EXPECT_TRUE(fails_at(o, 0,
                       "key 'tile.crossbar.write_row.sauce': unknown key; "
                       "'tile.crossbar.write_row' takes value, source"));
}

TEST(ArchErrors, MissingKeyPointsAtItsParentMap) {
  const std::string text = test::tile8x8_text();
  const int parent = line_of(text, "  crossbar:");
  const std::string err = load_error(edit_line(text, "    cols: 256", "").text);
  EXPECT_EQ(err, at(parent) + "key 'tile.crossbar.cols': missing required key");
}

TEST(ArchErrors, MissingSectionIsNamedWithItsKeys) {
  const std::string text = test::tile8x8_text();
  std::string cut = edit_line(text, "noc:", "").text;
  cut = edit_line(cut, "  link_width: 64bit", "").text;
  cut = edit_line(cut,
                  "  hop: {value: 1cycle, source: \"assumed, single-cycle router plus link; no "
                  "published figure\"}",
                  "")
            .text;
  cut = edit_line(cut, "  multicast: none", "").text;
  const int root = line_of(text, "name: tile8x8");  // the top-level map starts here
  EXPECT_EQ(load_error(cut), at(root) +
                                 "key 'noc': missing required section (with keys "
                                 "link_width, hop, contention, multicast)");
}

TEST(ArchErrors, BadUnit) {
  EXPECT_TRUE(fails_at(tile_error("clock: 1GHz", "clock: 1GHZ"), 0,
                       "key 'clock': unknown unit 'GHZ' in '1GHZ' (units are case-sensitive: "
                       "did you mean 'GHz'?)"));
}

TEST(ArchErrors, BareNumberWhereAUnitIsRequired) {
  EXPECT_TRUE(fails_at(tile_error("  link_width: 64bit", "  link_width: 64"), 0,
                       "key 'noc.link_width': '64' has no unit, expected a size such as "
                       "'64KiB', '512B' or '256bit'"));
}

TEST(ArchErrors, WrongDimension) {
  const Outcome o = tile_error(
      "  hop: {value: 1cycle, source: \"assumed, single-cycle router plus link; no published "
      "figure\"}",
      "  hop: {value: 3pJ, source: x}");
  EXPECT_TRUE(fails_at(o, 0,
                       "key 'noc.hop.value': '3pJ' is an energy, expected a time in ps, "
                       "ns, us, ms, s, cycle(s)"));
}

TEST(ArchErrors, ZeroRows) {
  EXPECT_TRUE(fails_at(tile_error("    rows: 256", "    rows: 0"), 0,
                       "key 'tile.crossbar.rows': must be at least 1, got 0"));
}

TEST(ArchErrors, ZeroAndNegativeCounts) {
  EXPECT_TRUE(fails_at(tile_error("mesh: {rows: 8, cols: 8}", "mesh: {rows: 8, cols: -2}"), 0,
                       "key 'mesh.cols': must be at least 1, got -2"));
  EXPECT_TRUE(fails_at(tile_error("  crossbars: 4", "  crossbars: 0"), 0,
                       "key 'tile.crossbars': must be at least 1, got 0"));
}

TEST(ArchErrors, DmaWithoutLoadsInFlight) {
  EXPECT_TRUE(fails_at(tile_error("    outstanding: 4", "    outstanding: 0"), 0,
                       "key 'tile.dma.outstanding': must be at least 1, got 0"));
  EXPECT_TRUE(fails_at(tile_error("    outstanding: 4", "    outstanding: 65"), 0,
                       "key 'tile.dma.outstanding': must be at most 64, got 65"));
}

// An arch file without `tile.dma` gets the engine that waits for each LOAD's data, and
// --dump-config says so.
TEST(ArchDefaults, NoDmaSectionMeansOneLoadInFlight) {
  std::string text = test::tile8x8_text();
  const size_t from = text.find("  dma:\n"), to = text.find("    outstanding: 4\n");
  ASSERT_NE(from, std::string::npos);
  ASSERT_NE(to, std::string::npos);
  text.erase(from, to + std::string("    outstanding: 4\n").size() - from);
  EXPECT_EQ(load_chip_from_string(text, "arch.yaml", {}).tile.dma_outstanding, 1);
  const std::string path =
      (std::filesystem::temp_directory_path() / ("nodma_" + std::to_string(::getpid()) + ".yaml"))
          .string();
  std::ofstream(path) << text;
  const std::string dumped = dump_effective_config(path, {});
  std::filesystem::remove(path);
  EXPECT_NE(dumped.find("  dma:\n    outstanding: 1\n"), std::string::npos) << dumped;
}

TEST(ArchErrors, AdcBits17) {
  EXPECT_TRUE(fails_at(rram_error("      bits: 6", "      bits: 17"), 0,
                       "key 'tile.crossbar.adc.bits': must be at most 16, got 17"));
}

TEST(ArchErrors, OneBitAdcHasNoLevelAboveZero) {
  EXPECT_TRUE(fails_at(rram_error("      bits: 6", "      bits: 1"), 0,
                       "key 'tile.crossbar.adc.bits': must be at least 2, got 1: a signed ADC "
                       "needs a level above zero"));
}

TEST(ArchErrors, AdcRequiredIffReadoutIsAdc) {
  // Missing: reported at its parent map, tile.crossbar.
  const int parent = line_of(test::tile8x8_text(), "  crossbar:");
  const Outcome o = tile_error("    readout: digital", "    readout: adc");
  EXPECT_TRUE(fails_at(o, parent - o.line,
                       "key 'tile.crossbar.adc': missing; required with readout: adc (bits, "
                       "conversion, ...)"));
  EXPECT_TRUE(fails_at(rram_error("    readout: adc", "    readout: digital"), 1,
                       "key 'tile.crossbar.adc': only allowed with readout: adc; this "
                       "crossbar reads out digital"));
}

TEST(ArchErrors, AdcCountAboveColumns) {
  EXPECT_TRUE(fails_at(
      rram_error("      count: 8          # 64 columns / 8 columns per ADC", "      count: 65"), 0,
      "key 'tile.crossbar.adc.count': must be at most tile.crossbar.cols (64): each ADC serves "
      "at least one column, got 65"));
}

// The shipped tile8x8 with the first `old_line` after `anchor` replaced.
Outcome tile_error_after(const std::string& anchor, const std::string& old_line,
                         const std::string& new_line) {
  const Edited e = test::edit_line_after(test::tile8x8_text(), anchor, old_line, new_line);
  return {load_error(e.text), e.line};
}

const char kInputBuffer[] =
    "  input_buffer:         # one u8 crossbar input is 256 B: 32 of them fit";

TEST(ArchErrors, InputBufferTooSmallForOneCrossbarInput) {
  // 256 rows of u8 need 2048 bit = 256 B.
  EXPECT_TRUE(fails_at(tile_error_after(kInputBuffer, "    capacity: 8KiB", "    capacity: 255B"),
                       0,
                       "key 'tile.input_buffer.capacity': must hold one crossbar input of u8 "
                       "elements (tile.crossbar.rows 256 x 8bit = 2048bit), got 2040bit"));
  EXPECT_EQ(tile_error_after(kInputBuffer, "    capacity: 8KiB", "    capacity: 256B").err, "");
}

TEST(ArchErrors, OutputBufferTooSmallForOneReadout) {
  EXPECT_TRUE(
      fails_at(tile_error_after("  output_buffer:", "    capacity: 8KiB", "    capacity: 16B"), 0,
               "key 'tile.output_buffer.capacity': must hold one crossbar readout packed "
               "as b1 (tile.crossbar.cols 256 x 1bit = 256bit), got 128bit"));
}

TEST(ArchErrors, CapacitiesAreWholeBytes) {
  EXPECT_TRUE(fails_at(tile_error("  capacity: 2MiB", "  capacity: 16777217bit"), 0,
                       "key 'global_buffer.capacity': must be a whole number of bytes, got "
                       "16777217bit"));
}

TEST(ArchErrors, AccumulatorAndThresholderHoldOneEntryPerColumn) {
  EXPECT_TRUE(fails_at(tile_error_after("  accumulator:", "    entries: 1024", "    entries: 255"),
                       0,
                       "key 'tile.accumulator.entries': must be at least tile.crossbar.cols "
                       "(256): one int32 per column, got 255"));
  EXPECT_TRUE(fails_at(tile_error_after("  thresholder:", "    entries: 1024", "    entries: 128"),
                       0,
                       "key 'tile.thresholder.entries': must be at least tile.crossbar.cols "
                       "(256): one record per column, got 128"));
}

TEST(ArchErrors, SigmaOnSram) {
  EXPECT_TRUE(fails_at(tile_error("    variation_sigma: 0", "    variation_sigma: 0.05"), 0,
                       "key 'tile.crossbar.variation_sigma': must be 0 for cell: sram (SRAM "
                       "cells store exact bits; conductance variation applies to rram), got 0.05"));
}

TEST(ArchErrors, SigmaAndStuckAtRanges) {
  EXPECT_TRUE(fails_at(rram_error("    variation_sigma: 0", "    variation_sigma: -0.1"), 0,
                       "key 'tile.crossbar.variation_sigma': must be in [0, 1] (relative sigma), "
                       "got -0.1"));
  EXPECT_TRUE(fails_at(rram_error("    stuck_at_0: 0", "    stuck_at_0: 1"), 0,
                       "key 'tile.crossbar.stuck_at_0': must be a fraction in [0, 1), got 1"));
  EXPECT_EQ(rram_error("    stuck_at_0: 0", "    stuck_at_0: 0.5").err, "");
  EXPECT_EQ(rram_error("    stuck_at_1: 0", "    stuck_at_1: 0.5").err, "");
  const std::string both =
      edit_line(edit_line(test::rram4x4_text(), "    stuck_at_0: 0", "    stuck_at_0: 0.5").text,
                "    stuck_at_1: 0", "    stuck_at_1: 0.5")
          .text;
  const int line = line_of(test::rram4x4_text(), "    stuck_at_1: 0");
  EXPECT_EQ(load_error(both), at(line) +
                                  "key 'tile.crossbar.stuck_at_1': stuck_at_0 + "
                                  "stuck_at_1 must be below 1, got 0.5 + 0.5");
}

TEST(ArchErrors, RowsPerStepWithinRows) {
  EXPECT_TRUE(fails_at(rram_error("    rows_per_step: 16", "    rows_per_step: 65"), 0,
                       "key 'tile.crossbar.rows_per_step': must be at most tile.crossbar.rows "
                       "(64), got 65"));
  EXPECT_TRUE(fails_at(rram_error("    rows_per_step: 16", "    rows_per_step: 0"), 0,
                       "key 'tile.crossbar.rows_per_step': must be at least 1, got 0"));
}

TEST(ArchErrors, ChoicesAndCellsPerWeight) {
  EXPECT_TRUE(fails_at(tile_error("    cell: sram", "    cell: dram"), 0,
                       "key 'tile.crossbar.cell': must be one of sram, rram; got 'dram'"));
  EXPECT_TRUE(fails_at(tile_error("    readout: digital", "    readout: analog"), 0,
                       "key 'tile.crossbar.readout': must be one of digital, adc; got 'analog'"));
  EXPECT_TRUE(fails_at(tile_error("    cells_per_weight: 2", "    cells_per_weight: 3"), 0,
                       "key 'tile.crossbar.cells_per_weight': must be at most 2, got 3"));
}

TEST(ArchErrors, WrongTypes) {
  EXPECT_TRUE(fails_at(tile_error("    rows: 256", "    rows: [1, 2]"), 0,
                       "key 'tile.crossbar.rows': expected an integer, got a list"));
  EXPECT_TRUE(fails_at(tile_error("    rows: 256", "    rows: 256.0"), 0,
                       "key 'tile.crossbar.rows': expected an integer, got '256.0' (a count "
                       "takes no unit and no fraction)"));
  EXPECT_TRUE(fails_at(tile_error("    rows: 256", "    rows:"), 0,
                       "key 'tile.crossbar.rows': has no value, expected an integer"));
  EXPECT_TRUE(fails_at(tile_error("mesh: {rows: 8, cols: 8}", "mesh: 8"), 0,
                       "key 'mesh': expected a map of keys (rows, cols), got '8'"));
  EXPECT_TRUE(
      fails_at(tile_error("    variation_sigma: 0", "    variation_sigma: small"), 0,
               "key 'tile.crossbar.variation_sigma': expected a plain number, got 'small'"));
}

TEST(ArchErrors, EntriesNeedAValueAndASource) {
  const std::string read =
      "    read: {value: 1cycle, source: \"assumed: one 256-row SRAM read and column count per "
      "cycle at 1 GHz; no published figure\"}";
  EXPECT_TRUE(fails_at(tile_error(read, "    read: 1cycle"), 0,
                       "key 'tile.crossbar.read': expected {value: ..., source: ...}, got "
                       "'1cycle'; every latency names where its number comes from"));
  EXPECT_TRUE(fails_at(tile_error(read, "    read: {value: 1cycle}"), 0,
                       "key 'tile.crossbar.read.source': missing; say where this latency comes "
                       "from (a paper, a tool, or \"assumed, ...\")"));
  EXPECT_TRUE(fails_at(tile_error(read, "    read: {value: 1cycle, source: \" \"}"), 0,
                       "key 'tile.crossbar.read.source': must not be empty"));
  EXPECT_TRUE(fails_at(tile_error(read, "    read: {source: x}"), 0,
                       "key 'tile.crossbar.read.value': missing required key"));
  EXPECT_EQ(tile_error(read, "    read:\n      source: x\n      value: 2ns").err, "");
}

TEST(ArchErrors, LatenciesAreAtLeastOneCycle) {
  const std::string hop =
      "  hop: {value: 1cycle, source: \"assumed, single-cycle router plus link; no published "
      "figure\"}";
  EXPECT_TRUE(fails_at(tile_error(hop, "  hop: {value: 0ns, source: x}"), 0,
                       "key 'noc.hop.value': '0ns' is 0 cycles at 1GHz; a latency must be at "
                       "least 1 cycle"));
  EXPECT_TRUE(fails_at(tile_error(hop, "  hop: {value: 0cycles, source: x}"), 0,
                       "key 'noc.hop.value': '0cycles'; a latency must be at least 1 cycle"));
  EXPECT_EQ(tile_error(hop, "  hop: {value: 1ps, source: x}").err, "");  // rounds up to 1
}

TEST(ArchErrors, NegativeEnergyAndPower) {
  EXPECT_TRUE(fails_at(tile_error("    value: 0.2pJ", "    value: -0.2pJ"), 0,
                       "key 'energy.command_issue.value': must not be negative, got '-0.2pJ'"));
  EXPECT_TRUE(fails_at(tile_error("    value: 0.5mW", "    value: 0.5mJ"), 0,
                       "key 'energy.leakage_per_tile.value': '0.5mJ' is an energy, expected a "
                       "power in nW, uW, mW, W"));
}

TEST(ArchErrors, ClockMustBePositive) {
  EXPECT_TRUE(fails_at(tile_error("clock: 1GHz", "clock: 0GHz"), 0,
                       "key 'clock': must be above 0Hz, got 0Hz"));
  EXPECT_TRUE(fails_at(tile_error("clock: 1GHz", "clock: -1GHz"), 0,
                       "key 'clock': must be above 0Hz, got -1e+09Hz"));
  EXPECT_TRUE(fails_at(tile_error("clock: 1GHz", "clock: 2000GHz"), 0,
                       "key 'clock': must be at most 1000GHz (the period is kept in whole ps), "
                       "got 2000GHz"));
}

TEST(ArchErrors, LinkAndPortWidths) {
  EXPECT_TRUE(fails_at(tile_error("  link_width: 64bit", "  link_width: 4bit"), 0,
                       "key 'noc.link_width': must be at least 8bit, got 4bit"));
  EXPECT_TRUE(fails_at(tile_error("  port_width: 256bit", "  port_width: 12bit"), 0,
                       "key 'global_buffer.port_width': must be a whole number of bytes, got "
                       "12bit"));
}

TEST(ArchErrors, GlobalBufferAttachedInsideTheMesh) {
  EXPECT_TRUE(fails_at(tile_error("  attach: {x: 0, y: 0}  # x is the mesh column, y the mesh row",
                                  "  attach: {x: 8, y: 0}"),
                       0,
                       "key 'global_buffer.attach.x': must be a column of the mesh, 0..7 "
                       "(mesh.cols 8), got 8"));
  EXPECT_TRUE(fails_at(tile_error("  attach: {x: 0, y: 0}  # x is the mesh column, y the mesh row",
                                  "  attach: {x: 0, y: -1}"),
                       0, "key 'global_buffer.attach.y': must be at least 0, got -1"));
}

TEST(ArchErrors, DuplicateKeyPointsAtTheSecond) {
  EXPECT_TRUE(fails_at(tile_error("  semaphores: 16", "  semaphores: 16\n  semaphores: 8"), 1,
                       "key 'tile.semaphores': given twice; one key holds one fact"));
}

TEST(ArchErrors, YamlSyntaxErrorHasItsLine) {
  EXPECT_TRUE(fails_at(tile_error("    cell: sram", "    cell: [sram"), 1,
                       "YAML syntax error: end of sequence flow not found"));
  EXPECT_TRUE(fails_at(tile_error("  crossbars: 4", "   crossbars: 4"), 1,
                       "YAML syntax error: end of map not found"));
}

TEST(ArchErrors, DocumentShape) {
  EXPECT_EQ(load_error(""), "arch.yaml:1: the arch file is empty; see docs/arch-file.md");
  EXPECT_EQ(load_error("# only a comment\n"),
            "arch.yaml:1: the arch file is empty; see docs/arch-file.md");
  EXPECT_EQ(load_error("\n- a\n- b\n"),
            "arch.yaml:2: expected a map of keys (name, clock, mesh, tile, ...), got a list");
  const std::string text = test::tile8x8_text();
  const int lines = static_cast<int>(std::count(text.begin(), text.end(), '\n'));
  EXPECT_EQ(load_error(text + "---\nname: second\n"),
            at(lines + 2) +
                "unexpected content after the first YAML document (a stray ',' or "
                "a second document); the file must hold one");
}

TEST(ArchErrors, StrayCommaIsASyntaxErrorNotAHang) {
  // yaml-cpp 0.7 alone would report endless empty documents here (jbeder/yaml-cpp#1040).
  EXPECT_EQ(load_error(",\n" + test::tile8x8_text()),
            at(1) + "YAML syntax error: unexpected character (a stray ',' or bracket?)");
  EXPECT_EQ(load_error("# header\n, name: x\n"),
            at(2) + "YAML syntax error: unexpected character (a stray ',' or bracket?)");
  EXPECT_EQ(load_error("- a\n,\n"),
            at(2) +
                "unexpected content after the first YAML document (a stray ',' or a second "
                "document); the file must hold one");
}

TEST(ArchErrors, MessagesUseThePathAsGiven) {
  const std::string err = load_error("name: x\nclock: 1Gz\n", {}, "../some dir/chip.yaml");
  EXPECT_EQ(err.rfind("../some dir/chip.yaml:2: key 'clock': unknown unit 'Gz'", 0), 0u) << err;
}

TEST(ArchErrors, UnreadableFileNamesThePath) {
  try {
    load_chip("/nonexistent/chip.yaml");
    FAIL() << "loaded a missing file";
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()).rfind("/nonexistent/chip.yaml: cannot open the arch file", 0),
              0u);
  }
}

}  // namespace
}  // namespace imc::arch
