// tile.<block>.impl: which model computes a block, TLM (default) or co-simulated RTL; `rtl`
// only in builds with the Verilated blocks, and only within what the RTL can do.
#include <gtest/gtest.h>

#include "arch_test_util.h"

namespace imc::arch {
namespace {

using test::load_error;

ChipParams load_with(const std::vector<std::string>& sets) {
  std::vector<Override> o;
  for (const std::string& s : sets) o.push_back(parse_override(s));
  return load_chip_from_string(test::tile8x8_text(), "arch.yaml", o);
}

std::string error_with(const std::vector<std::string>& sets) {
  std::vector<Override> o;
  for (const std::string& s : sets) o.push_back(parse_override(s));
  return load_error(test::tile8x8_text(), o);
}

TEST(Impl, DefaultsToTlm) {
  EXPECT_EQ(load_with({}).tile.thresholder_impl, Impl::kTlm);
  EXPECT_EQ(load_with({"tile.thresholder.impl=tlm"}).tile.thresholder_impl, Impl::kTlm);
}

TEST(Impl, RtlNeedsABuildWithTheRtlBlocks) {
  if (rtl_available()) {
    EXPECT_EQ(load_with({"tile.thresholder.impl=rtl"}).tile.thresholder_impl, Impl::kRtl);
  } else {
    EXPECT_EQ(error_with({"tile.thresholder.impl=rtl"}),
              "--set tile.thresholder.impl=rtl: key 'tile.thresholder.impl': rtl: this build has "
              "no RTL blocks (configure with Verilator and -DIMCSIM_RTL=ON)");
  }
}

TEST(Impl, UnknownChoiceIsAnError) {
  EXPECT_EQ(error_with({"tile.thresholder.impl=verilog"}),
            "--set tile.thresholder.impl=verilog: key 'tile.thresholder.impl': must be one of "
            "tlm, rtl; got 'verilog'");
}

TEST(Impl, RtlThresholderPipelineHasAtMost16Stages) {
  if (!rtl_available()) GTEST_SKIP() << "no RTL blocks in this build";
  EXPECT_EQ(load_with({"tile.thresholder.impl=rtl", "tile.thresholder.latency=16cycles"})
                .tile.threshold_cycles,
            16);
  const std::string e =
      error_with({"tile.thresholder.impl=rtl", "tile.thresholder.latency=17cycles"});
  EXPECT_NE(e.find("key 'tile.thresholder.impl': rtl: the RTL thresholder's pipeline has at most "
                   "16 stages; tile.thresholder.latency is 17 cycles"),
            std::string::npos)
      << e;
}

TEST(Impl, DumpedConfigShowsTheDefault) {
  const std::string path = test::source_path("configs/tile8x8.yaml");
  const std::string dump = dump_effective_config(path, {});
  EXPECT_NE(dump.find("impl: tlm"), std::string::npos);
}

// ---------------------------------------------------------------------------------------
// Accumulator and crossbar column, and impl_tiles (every block): which tiles run the RTL.

TEST(Impl, EveryBlockDefaultsToTlmInEveryTile) {
  const TileParams t = load_with({}).tile;
  EXPECT_EQ(t.accumulator_impl, Impl::kTlm);
  EXPECT_EQ(t.crossbar_impl, Impl::kTlm);
  EXPECT_TRUE(t.accumulator_impl_tiles.empty());
  EXPECT_TRUE(t.crossbar_impl_tiles.empty());
  EXPECT_TRUE(t.thresholder_impl_tiles.empty());
  EXPECT_FALSE(runs_rtl(t.accumulator_impl, t.accumulator_impl_tiles, 0));
}

TEST(Impl, RunsRtlInEveryTileOrInTheListedOnes) {
  EXPECT_TRUE(runs_rtl(Impl::kRtl, {}, 7));
  EXPECT_TRUE(runs_rtl(Impl::kRtl, {0, 7}, 7));
  EXPECT_FALSE(runs_rtl(Impl::kRtl, {0, 5}, 7));
  EXPECT_FALSE(runs_rtl(Impl::kTlm, {7}, 7));
}

TEST(Impl, ImplTilesFromTheFileAndFromSet) {
  if (!rtl_available()) GTEST_SKIP() << "no RTL blocks in this build";
  const std::string text = test::edit_line(test::tile8x8_text(),
                                           "    latency: {value: 1cycle, source: \"assumed, "
                                           "pipelined int32 adders; no published figure\"}",
                                           "    latency: {value: 1cycle, source: \"assumed\"}\n"
                                           "    impl: rtl\n"
                                           "    impl_tiles: [5, 0, 63]")
                               .text;
  const ChipParams c = load_chip_from_string(text, "arch.yaml");
  EXPECT_EQ(c.tile.accumulator_impl, Impl::kRtl);
  EXPECT_EQ(c.tile.accumulator_impl_tiles, (std::vector<int>{5, 0, 63}));
  const ChipParams s = load_with({"tile.crossbar.impl=rtl", "tile.crossbar.impl_tiles=[1,2]",
                                  "tile.thresholder.impl=rtl", "tile.thresholder.impl_tiles=[3]"});
  EXPECT_EQ(s.tile.crossbar_impl_tiles, (std::vector<int>{1, 2}));
  EXPECT_EQ(s.tile.thresholder_impl_tiles, (std::vector<int>{3}));
  EXPECT_TRUE(s.tile.accumulator_impl_tiles.empty());
}

TEST(Impl, ImplTilesErrorsNameTheKeyAndTheTile) {
  if (!rtl_available()) GTEST_SKIP() << "no RTL blocks in this build";
  const std::string k = "--set tile.accumulator.impl_tiles=";
  auto err = [](const std::string& tiles) {
    return error_with({"tile.accumulator.impl=rtl", "tile.accumulator.impl_tiles=" + tiles});
  };
  EXPECT_EQ(err("[0,64]"), k + "[0,64]: key 'tile.accumulator.impl_tiles': tile 64 is outside "
                               "the mesh: its tiles are 0..63 (mesh.rows x mesh.cols)");
  EXPECT_EQ(err("[3,1,3]"),
            k + "[3,1,3]: key 'tile.accumulator.impl_tiles': tile 3 is listed twice");
  EXPECT_EQ(err("[1,-2]"), k + "[1,-2]: key 'tile.accumulator.impl_tiles': element 1: expected "
                               "a tile id (0..63), got '-2'");
  EXPECT_EQ(err("[]"), k + "[]: key 'tile.accumulator.impl_tiles': names no tile; leave the "
                           "key out to mean every tile");
  EXPECT_EQ(err("5"), k + "5: key 'tile.accumulator.impl_tiles': expected a list of tile ids, "
                          "e.g. [0, 5], got '5'");
  EXPECT_EQ(err("[1,"), k + "[1,: key 'tile.accumulator.impl_tiles': expected a list of tile "
                            "ids, e.g. [0, 5], got '[1,'");
}

TEST(Impl, ImplTilesNeedImplRtl) {
  EXPECT_EQ(error_with({"tile.crossbar.impl_tiles=[0]"}),
            "--set tile.crossbar.impl_tiles=[0]: key 'tile.crossbar.impl_tiles': only allowed "
            "with tile.crossbar.impl: rtl (it names the tiles that run the RTL)");
}

TEST(Impl, RtlAccumulatorPipelineHasAtMost16Stages) {
  if (!rtl_available()) GTEST_SKIP() << "no RTL blocks in this build";
  EXPECT_EQ(load_with({"tile.accumulator.impl=rtl", "tile.accumulator.latency=16cycles"})
                .tile.accumulate_cycles,
            16);
  EXPECT_EQ(error_with({"tile.accumulator.impl=rtl", "tile.accumulator.latency=17cycles"}),
            "--set tile.accumulator.impl=rtl: key 'tile.accumulator.impl': rtl: the RTL "
            "accumulator's pipeline has at most 16 stages; tile.accumulator.latency is 17 cycles");
}

TEST(Impl, RtlCrossbarColumnIsTheDigitalReadoutWithinItsLimits) {
  if (!rtl_available()) GTEST_SKIP() << "no RTL blocks in this build";
  EXPECT_EQ(load_with({"tile.crossbar.impl=rtl"}).tile.crossbar_impl, Impl::kRtl);
  const std::string k = "--set tile.crossbar.impl=rtl: key 'tile.crossbar.impl': rtl: ";
  std::vector<Override> adc = {parse_override("tile.crossbar.impl=rtl")};
  EXPECT_EQ(test::load_error(test::rram4x4_text(), adc),
            k + "the RTL column is the digital readout's datapath; tile.crossbar.readout is adc");
  EXPECT_EQ(error_with({"tile.crossbar.impl=rtl", "tile.crossbar.rows=512",
                        "tile.crossbar.rows_per_step=300", "tile.input_buffer.capacity=1MiB"}),
            k + "the RTL column counts at most 256 rows per read step; "
                "tile.crossbar.rows_per_step is 300");
  EXPECT_EQ(error_with({"tile.crossbar.impl=rtl", "tile.crossbar.read=17cycles"}),
            k + "the RTL column times reads of at most 16 cycles; tile.crossbar.read is 17 cycles");
  EXPECT_EQ(error_with({"tile.crossbar.impl=rtl", "tile.crossbar.cell=rram",
                        "tile.crossbar.variation_sigma=0.1"}),
            k + "the RTL column counts bits and has no conductance variation; "
                "tile.crossbar.variation_sigma must be 0");
}

TEST(Impl, DumpedConfigKeepsImplTilesAList) {
  if (!rtl_available()) GTEST_SKIP() << "no RTL blocks in this build";
  const std::string path = test::source_path("configs/tile8x8.yaml");
  const std::string dump =
      dump_effective_config(path, {parse_override("tile.accumulator.impl=rtl"),
                                   parse_override("tile.accumulator.impl_tiles=[2, 9]")});
  EXPECT_NE(dump.find("impl_tiles: [2, 9]"), std::string::npos) << dump;
  // The dump loads again to the same chip.
  const ChipParams again = load_chip_from_string(dump, "dump.yaml");
  EXPECT_EQ(again.tile.accumulator_impl_tiles, (std::vector<int>{2, 9}));
}

}  // namespace
}  // namespace imc::arch
