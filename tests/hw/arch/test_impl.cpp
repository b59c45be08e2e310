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

}  // namespace
}  // namespace imc::arch
