// The global-buffer layout of a batch: where each tensor ends, which tensors collide, and the
// largest batch a buffer holds.
#include "hw/isa/batch_layout.h"

#include <gtest/gtest.h>

namespace imc::isa {
namespace {

TensorDecl tensor(const char* name, int64_t addr, int64_t elements, DType t, int64_t stride) {
  TensorDecl d;
  d.name = name;
  d.gb_addr = addr;
  d.shape = {elements};
  d.type = t;
  d.stride = stride;
  return d;
}

// fc_one_tile's layout: 784 u8 inputs at 0, 64 i32 scores at 1 MiB.
Program fc_layout() {
  Program p;
  p.inputs.push_back(tensor("x", 0, 784, DType::kU8, 784));
  p.outputs.push_back(tensor("y", 1 << 20, 64, DType::kI32, 256));
  return p;
}

TEST(BatchLayout, EndCountsTheLastInferencesPackedBytes) {
  EXPECT_EQ(batch_end(tensor("b", 100, 20, DType::kB1, 8), 1), 103);  // 20 bits -> 3 bytes
  EXPECT_EQ(batch_end(tensor("b", 100, 20, DType::kB1, 8), 4), 100 + 3 * 8 + 3);
}

TEST(BatchLayout, InputsRunningIntoTheOutputsOverlap) {
  const Program p = fc_layout();
  EXPECT_FALSE(first_overlap(p, 1337));  // 1337 * 784 = 1048208 < 1 MiB
  const auto o = first_overlap(p, 1338);
  ASSERT_TRUE(o);
  EXPECT_EQ(o->low->name, "x");
  EXPECT_EQ(o->high->name, "y");
  EXPECT_EQ(o->fit, 1337);
}

TEST(BatchLayout, MaxBatchIsTheLargestWithoutOverlapOrOverflow) {
  const Program p = fc_layout();
  EXPECT_EQ(max_batch(p, 2 << 20), 1337);
  // A smaller buffer: the outputs' own end limits, (cap - 1 MiB - 256) / 256 + 1 inferences.
  EXPECT_EQ(max_batch(p, (1 << 20) + 256 * 10), 10);
  // Not even one inference fits: 1 (imcsim then says why).
  EXPECT_EQ(max_batch(p, 1000), 1);
}

}  // namespace
}  // namespace imc::isa
