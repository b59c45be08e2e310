// The genome: shapes through blocks and head, the net file (round trip, located errors),
// canonical JSON.
#include <gtest/gtest.h>

#include "hw/arch/load.h"
#include "nas/genome/genome.h"

namespace imc::nas {
namespace {

Genome example() {
  Genome g;
  g.net.blocks = {{BlockKind::kVgg, 32},
                  {BlockKind::kRes, 32},
                  {BlockKind::kSkip, 0},
                  {BlockKind::kMvgg, 64},
                  {BlockKind::kVgg, 64}};
  g.net.head_pools = 1;
  g.net.head_width = 128;
  g.net.activations = Precision::kTernary;
  g.arch_overrides = {"tile.crossbar.rows=128"};
  return g;
}

std::string error_of(const std::string& yaml) {
  try {
    net_from_yaml(yaml, "n.yaml");
  } catch (const arch::InputError& e) {
    return e.what();
  }
  return "";
}

TEST(Genome, ShapesFollowBlocksAndHeadPools) {
  const Genome g = example();
  const FeatureShape after = shape_after_blocks(g.net);  // 28 -> 14 (vgg) -> 7 (vgg)
  EXPECT_EQ(after.channels, 64);
  EXPECT_EQ(after.height, 7);
  EXPECT_EQ(after.width, 7);
  const FeatureShape head = shape_before_head(g.net);  // 7 -> 3 (floor)
  EXPECT_EQ(head.height, 3);
  EXPECT_EQ(head.features(), 64 * 3 * 3);
  EXPECT_EQ(check_net(g.net), "");
}

TEST(Genome, SkipOnlyNetworkKeepsTheInput) {
  Genome g;
  g.net.blocks = {{BlockKind::kSkip, 0}};
  EXPECT_EQ(shape_before_head(g.net).features(), 28 * 28);
  EXPECT_EQ(describe(g), "linear|p0|h0|b/b");
}

TEST(Genome, TooManyPoolsIsExplained) {
  Genome g;
  for (int i = 0; i < 5; ++i) g.net.blocks.push_back({BlockKind::kVgg, 8});  // 28 14 7 3 1 !
  EXPECT_NE(check_net(g.net).find("block 5 pools a 1x1 feature map"), std::string::npos);
}

TEST(Genome, DescribeIsShortAndComplete) {
  EXPECT_EQ(describe(example()), "vgg32-res32-mvgg64-vgg64|p1|h128|b/t|tile.crossbar.rows=128");
}

TEST(Genome, NetFileRoundTripsExactly) {
  const Genome g = example();
  const std::string text = net_to_yaml(g);
  EXPECT_EQ(net_from_yaml(text, "n.yaml"), g);
  EXPECT_EQ(net_to_yaml(net_from_yaml(text, "n.yaml")), text);
}

TEST(Genome, NetFileDefaults) {
  const Genome g = net_from_yaml("blocks:\n  - {kind: vgg, channels: 16}\n", "n.yaml");
  EXPECT_EQ(g.net.input_height, 28);
  EXPECT_EQ(g.net.classes, 10);
  EXPECT_EQ(g.net.weights, Precision::kBinary);
  EXPECT_EQ(g.net.head_width, 0);
}

TEST(Genome, NetFileErrorsNameFileLineAndKey) {
  EXPECT_EQ(error_of("blocks:\n  - {kind: vgg, channels: 16}\nweigths: binary\n"),
            "n.yaml:3: key 'weigths': unknown key");
  EXPECT_EQ(error_of("blocks:\n  - {kind: conv, channels: 16}\n"),
            "n.yaml:2: key 'blocks[0].kind': 'conv': expected one of vgg, mvgg, res, skip");
  EXPECT_EQ(error_of("blocks:\n  - {kind: vgg, channels: -4}\n"),
            "n.yaml:2: key 'blocks[0].channels': -4 is out of range [1, 4096]");
  EXPECT_EQ(error_of("blocks:\n  - {kind: vgg}\n"), "n.yaml:2: key 'blocks[0].channels': missing");
  EXPECT_EQ(error_of("weights: binary\n"), "n.yaml:1: key 'blocks': missing");
  EXPECT_EQ(error_of("blocks: [\n"), "n.yaml:2: end of sequence flow not found");
  EXPECT_EQ(error_of("classes: 3\nblocks: []\nclasses: 4\n"),
            "n.yaml:3: key 'classes': given twice");
  EXPECT_EQ(error_of(", blocks: []\n"),
            "n.yaml:1: YAML syntax error: unexpected character (a stray ',' or bracket?)");
  EXPECT_EQ(error_of("head: {pools: 9}\nblocks:\n  - {kind: vgg, channels: 16}\n"),
            "n.yaml: the head pools a feature map smaller than 2x2");
}

TEST(Genome, JsonIsCanonicalAndRoundTrips) {
  const Genome g = example();
  const std::string json = genome_to_json(g);
  EXPECT_EQ(genome_from_json(json), g);
  EXPECT_EQ(genome_to_json(genome_from_json(json)), json);
  Genome other = g;
  other.net.blocks[0].channels = 16;
  EXPECT_NE(genome_to_json(other), json);
  EXPECT_THROW(genome_from_json("{\"blocks\": 3}"), arch::InputError);
}

}  // namespace
}  // namespace imc::nas
