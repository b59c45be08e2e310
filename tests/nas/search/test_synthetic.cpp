// The synthetic evaluator: deterministic, the trade-offs the search should find, the limits
// of the chip, and the test hooks.
#include <gtest/gtest.h>
#include <stdlib.h>

#include "nas/eval/synthetic.h"
#include "nas/eval/synthetic_hooks.h"
#include "nas/genome/space.h"

namespace imc::nas {
namespace {

const std::string kDir = IMCSIM_SOURCE_DIR;

EvalJob job_of(std::vector<Block> blocks, Precision w = Precision::kBinary,
               Precision a = Precision::kBinary, const std::string& arch = "tile8x8") {
  EvalJob j;
  j.genome.net.blocks = std::move(blocks);
  j.genome.net.head_pools = head_pools_for(j.genome.net, 512);
  j.genome.net.weights = w;
  j.genome.net.activations = a;
  j.arch_file = kDir + "/configs/" + arch + ".yaml";
  j.evaluator = "synthetic";
  j.fidelity.epochs = 10;
  j.fidelity.train_fraction = 1;
  return j;
}

struct ScopedEnv {
  ScopedEnv(const char* name, const std::string& value) : name_(name) {
    setenv(name, value.c_str(), 1);
  }
  ~ScopedEnv() { unsetenv(name_); }
  const char* name_;
};

TEST(Synthetic, SameJobSameResult) {
  const EvalJob j = job_of({{BlockKind::kVgg, 32}, {BlockKind::kRes, 32}});
  const EvalResult a = evaluate_synthetic(j), b = evaluate_synthetic(j);
  ASSERT_TRUE(a.ok) << a.failure;
  EXPECT_EQ(result_to_json(a), result_to_json(b));
  EXPECT_GT(a.metrics.accuracy, 0.5);
  EXPECT_LT(a.metrics.accuracy, 0.95);
  EXPECT_GT(a.metrics.cycles_per_image, 0);
  EXPECT_GT(a.metrics.energy_pj_per_image, 0);
  EXPECT_GT(a.metrics.crossbars, 0);
  EXPECT_GE(a.metrics.tiles, 3);  // one per layer at least: 4 convs + classifier
  EXPECT_DOUBLE_EQ(a.metrics.area_cells, a.metrics.crossbars * 256.0 * 256 * 2);
}

TEST(Synthetic, WiderNetworksBuyAccuracyWithEnergyAndCycles) {
  const EvalResult narrow =
      evaluate_synthetic(job_of({{BlockKind::kVgg, 16}, {BlockKind::kVgg, 16}}));
  const EvalResult wide =
      evaluate_synthetic(job_of({{BlockKind::kVgg, 64}, {BlockKind::kVgg, 64}}));
  ASSERT_TRUE(narrow.ok && wide.ok);
  EXPECT_GT(wide.metrics.accuracy, narrow.metrics.accuracy + 0.02);
  EXPECT_GT(wide.metrics.energy_pj_per_image, narrow.metrics.energy_pj_per_image);
  EXPECT_GT(wide.metrics.area_cells, narrow.metrics.area_cells);
  // Whole-row reads on tile8x8: width costs crossbars, not read steps.
  EXPECT_GE(wide.metrics.cycles_per_image, narrow.metrics.cycles_per_image);
}

TEST(Synthetic, TernaryActivationsBuyAccuracyWithCycles) {
  const auto blocks = std::vector<Block>{{BlockKind::kVgg, 32}, {BlockKind::kVgg, 32}};
  const EvalResult b = evaluate_synthetic(job_of(blocks));
  const EvalResult t = evaluate_synthetic(job_of(blocks, Precision::kBinary, Precision::kTernary));
  ASSERT_TRUE(b.ok && t.ok);
  EXPECT_GT(t.metrics.accuracy, b.metrics.accuracy);
  EXPECT_GT(t.metrics.cycles_per_image, b.metrics.cycles_per_image);
}

TEST(Synthetic, ProxyFidelityScoresLower) {
  EvalJob j = job_of({{BlockKind::kVgg, 32}});
  const double full = evaluate_synthetic(j).metrics.accuracy;
  j.fidelity.epochs = 1;
  j.fidelity.train_fraction = 0.1;
  EXPECT_LT(evaluate_synthetic(j).metrics.accuracy, full - 0.05);
}

TEST(Synthetic, LayerLargerThanATileDoesNotFit) {
  // 128 -> 128 channels: 1152 inputs = 5 crossbars of 256 rows; a tile8x8 tile has 4.
  const EvalResult r = evaluate_synthetic(job_of({{BlockKind::kVgg, 128}}));
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.failure, "does not fit: block 1 conv 2 needs 5 crossbars, a tile has 4");
}

TEST(Synthetic, ArchOverridesChangeTheChip) {
  EvalJob j = job_of({{BlockKind::kVgg, 32}}, Precision::kBinary, Precision::kBinary, "rram4x4");
  const EvalResult base = evaluate_synthetic(j);
  ASSERT_TRUE(base.ok) << base.failure;
  j.genome.arch_overrides = {"tile.crossbar.variation_sigma=0.1"};
  const EvalResult noisy = evaluate_synthetic(j);
  ASSERT_TRUE(noisy.ok);
  EXPECT_LT(noisy.metrics.accuracy, base.metrics.accuracy - 0.03);
  EXPECT_LT(noisy.metrics.accuracy_p10, noisy.metrics.accuracy);
  j.genome.arch_overrides = {"tile.crossbar.rows_per_step=128"};  // > 64 rows
  const EvalResult bad = evaluate_synthetic(j);
  EXPECT_FALSE(bad.ok);
  EXPECT_NE(bad.failure.find("must be at most tile.crossbar.rows (64)"), std::string::npos)
      << bad.failure;
}

TEST(Synthetic, FailHookMatchesDescriptionOrHash) {
  const EvalJob res = job_of({{BlockKind::kRes, 16}}), vgg = job_of({{BlockKind::kVgg, 16}});
  {
    ScopedEnv fail("IMCNAS_SYNTHETIC_FAIL", "res16");
    EXPECT_FALSE(evaluate_synthetic(res).ok);
    EXPECT_EQ(evaluate_synthetic(res).failure, "synthetic failure (IMCNAS_SYNTHETIC_FAIL)");
    EXPECT_TRUE(evaluate_synthetic(vgg).ok);
  }
  EXPECT_TRUE(evaluate_synthetic(res).ok);
  EXPECT_TRUE(synthetic_pattern_matches("every:1", res.genome));
  const uint64_t h = synthetic_hash(genome_to_json(res.genome));
  EXPECT_EQ(synthetic_pattern_matches("every:7", res.genome), h % 7 == 0);
  EXPECT_FALSE(synthetic_pattern_matches("", res.genome));
}

TEST(Synthetic, HashIsFnv1a) {
  EXPECT_EQ(synthetic_hash(""), 0xcbf29ce484222325ull);
  EXPECT_EQ(synthetic_hash("a"), 0xaf63dc4c8601ec8cull);
}

}  // namespace
}  // namespace imc::nas
