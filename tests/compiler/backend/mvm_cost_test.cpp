// What imcc expects one MVM to keep its crossbar busy (mvm_cost.h), against the cycles imcsim
// takes for it (docs/platform.md; measured with imcsim --cmd-trace on the shipped chips).
#include <gtest/gtest.h>

#include <string>

#include "compiler/backend/mvm_cost.h"
#include "hw/arch/load.h"

namespace imc::compiler {
namespace {

arch::TileParams tile(const char* arch) {
  return arch::load_chip(std::string(IMCSIM_SOURCE_DIR) + "/configs/" + arch).tile;
}

TEST(MvmCost, DigitalSramCrossbarsOfTile8x8) {
  const arch::TileParams t = tile("tile8x8.yaml");
  // One read step of all 256 rows, a buffer read and an accumulation.
  EXPECT_EQ(mvm_busy_cycles(t, 256, 256, isa::DType::kB1), 3);
  // u8: eight bit planes, one step each (the reference model's first conv, 27 rows).
  EXPECT_EQ(mvm_busy_cycles(t, 27, 224, isa::DType::kU8), 10);
}

TEST(MvmCost, AdcReadoutOfRram4x4) {
  const arch::TileParams t = tile("rram4x4.yaml");
  // bnn_cnn's second conv: 48 rows in 3 steps of 16, each a 3-cycle read and 32 columns on 8
  // ADCs (4 conversions): 23 cycles in imcsim's trace.
  EXPECT_EQ(mvm_busy_cycles(t, 48, 32, isa::DType::kB1), 23);
  // Its first conv: 9 u8 rows, one step per plane, 16 columns: 42 cycles.
  EXPECT_EQ(mvm_busy_cycles(t, 9, 16, isa::DType::kU8), 42);
}

}  // namespace
}  // namespace imc::compiler
