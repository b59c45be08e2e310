// --dump-config: the effective YAML reloads to the same parameters.
#include <gtest/gtest.h>

#include "arch_test_util.h"

namespace imc::arch {
namespace {

using test::render;
using test::source_path;

// The YAML after the header comment, which names the file and the overrides.
std::string body(const std::string& dump) {
  return dump.substr(dump.find("\nname:"));
}

void expect_round_trip(const std::string& config, const std::vector<Override>& overrides) {
  const std::string path = source_path(config);
  const ChipParams loaded = load_chip(path, overrides);
  const std::string dumped = dump_effective_config(path, overrides);
  const ChipParams reloaded = load_chip_from_string(dumped, "dump.yaml");
  EXPECT_EQ(render(loaded), render(reloaded)) << dumped;
  // Dumping the dump changes nothing but the header comment.
  const std::string again = [&] {
    // One file per test: ctest runs the tests of this file side by side.
    const std::string tmp = testing::TempDir() + "/arch_dump_" +
                            testing::UnitTest::GetInstance()->current_test_info()->name() + ".yaml";
    std::ofstream(tmp) << dumped;
    return dump_effective_config(tmp, {});
  }();
  EXPECT_EQ(body(dumped), body(again));
}

TEST(DumpConfig, Tile8x8ReloadsEqual) {
  expect_round_trip("configs/tile8x8.yaml", {});
}

TEST(DumpConfig, Rram4x4ReloadsEqual) {
  expect_round_trip("configs/rram4x4.yaml", {});
}

TEST(DumpConfig, OverriddenConfigReloadsEqualWithoutTheOverrides) {
  expect_round_trip("configs/rram4x4.yaml",
                    {parse_override("tile.crossbar.variation_sigma=0.1"),
                     parse_override("energy.adc_conversion=1.8pJ"),
                     parse_override("tile.crossbar.adc.bits=8"), parse_override("clock=400MHz")});
  expect_round_trip(
      "configs/tile8x8.yaml",
      {parse_override("tile.crossbar.readout=adc"), parse_override("tile.crossbar.adc.bits=5"),
       parse_override("tile.crossbar.adc.conversion.value=2ns"),
       parse_override("tile.crossbar.adc.conversion.source=assumed")});
}

TEST(DumpConfig, ShowsDefaultsAndSources) {
  const std::string dumped = dump_effective_config(
      source_path("configs/tile8x8.yaml"),
      {parse_override("tile.crossbar.readout=adc"), parse_override("tile.crossbar.adc.bits=5"),
       parse_override("tile.crossbar.adc.conversion=1cycle")});
  EXPECT_EQ(dumped.rfind("# effective arch file: ", 0), 0u);
  EXPECT_NE(dumped.find("\n#   --set tile.crossbar.readout=adc\n"), std::string::npos) << dumped;
  EXPECT_NE(dumped.find("      full_scale: 256\n"), std::string::npos) << dumped;
  EXPECT_NE(dumped.find("      count: 1\n"), std::string::npos) << dumped;
  EXPECT_NE(dumped.find("source: NeuroSim, 22 nm, 5-bit SAR\n"), std::string::npos) << dumped;
  EXPECT_NE(dumped.find("clock: 1GHz\n"), std::string::npos);  // units kept as written
}

TEST(DumpConfig, RefusesAnInvalidConfiguration) {
  EXPECT_THROW(
      dump_effective_config(source_path("configs/tile8x8.yaml"), {parse_override("mesh.rows=0")}),
      InputError);
}

}  // namespace
}  // namespace imc::arch
