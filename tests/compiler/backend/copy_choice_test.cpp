// imcc's choice of copies (copy_choice.h): which copy of each block a loop iteration's MVMs
// read, so that copies sharing crossbars do not load those crossbars more.
#include <gtest/gtest.h>

#include <vector>

#include "compiler/backend/copy_choice.h"

namespace imc::compiler {
namespace {

// Four copies of three row blocks (one column block) on eight crossbars, as imcc packs
// rram4x4's bnn_cnn second conv: copies 0 and 1 on crossbars of their own, copies 2 and 3
// in the columns those left free, two regions on each of crossbars 0, 4, 6 and 7.
Group four_copies_on_eight_crossbars(int banks) {
  Group g;
  g.r0 = 0, g.r1 = 3, g.c0 = 0, g.c1 = 1;
  g.replicas = 4;
  g.banks = banks;
  const int xb[4][3] = {{0, 1, 2}, {3, 4, 5}, {6, 7, 4}, {6, 7, 0}};
  for (const auto& copy : xb)
    for (int r = 0; r < 3; ++r) g.regions.push_back({copy[r], 0, 0});
  return g;
}

TEST(CopyChoice, CopiesSharingCrossbarsAreReadLessOften) {
  const Group g = four_copies_on_eight_crossbars(2);
  const std::vector<double> cycles = {23, 23, 23};
  // Going round the copies: each of the 8 positions of an iteration reads one copy, so the
  // crossbars holding two regions do 4 MVMs, the others 2.
  EXPECT_EQ(busiest_crossbar_cycles(g, cycles, CopyChoice()), 4 * 23);
  const CopyChoice choice(g, cycles);
  ASSERT_TRUE(choice.chosen());
  // 24 MVMs on 8 crossbars: 3 each.
  EXPECT_EQ(busiest_crossbar_cycles(g, cycles, choice), 3 * 23);
  // Every position still reads each block exactly once, from some copy of that block.
  for (int bank = 0; bank < 2; ++bank)
    for (int k = 0; k < 4; ++k)
      for (size_t r = 0; r < 3; ++r) {
        const int copy = choice.of(bank, k, r, 0);
        EXPECT_GE(copy, 0);
        EXPECT_LT(copy, 4);
      }
}

// A border row's positions issue no MVM for the blocks over padding (cycles 0): the others
// are balanced among themselves.
TEST(CopyChoice, BlocksOverPaddingDoNotCount) {
  const Group g = four_copies_on_eight_crossbars(2);
  const std::vector<double> cycles = {0, 23, 23};
  EXPECT_EQ(busiest_crossbar_cycles(g, cycles, CopyChoice()), 4 * 23);
  // 16 MVMs of blocks 1 and 2, on crossbars 1, 4, 7 and 2, 5, 4, 0: at most 3 each.
  EXPECT_EQ(busiest_crossbar_cycles(g, cycles, CopyChoice(g, cycles)), 3 * 23);
}

// Copies on crossbars of their own are already even: the program keeps going round them.
TEST(CopyChoice, EvenLayoutsKeepTheirCopies) {
  Group g;
  g.r0 = 0, g.r1 = 2, g.c0 = 0, g.c1 = 1;
  g.replicas = 2;
  g.regions = {{0, 0, 0}, {1, 0, 0}, {2, 0, 0}, {3, 0, 0}};
  const CopyChoice choice(g, {10, 10});
  EXPECT_FALSE(choice.chosen());
  EXPECT_EQ(choice.of(0, 1, 1, 0), 1);
}

// One copy: nothing to choose.
TEST(CopyChoice, OneCopyIsNoChoice) {
  Group g;
  g.r0 = 0, g.r1 = 1, g.c0 = 0, g.c1 = 1;
  g.regions = {{0, 0, 0}};
  EXPECT_FALSE(CopyChoice(g, {5}).chosen());
}

}  // namespace
}  // namespace imc::compiler
