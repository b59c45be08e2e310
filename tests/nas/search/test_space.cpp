// Search spaces: gene vectors <-> genomes (many to one, bounds), the head rule, hardware
// genes as arch overrides, fidelities, and located errors in bad space files.
#include <gtest/gtest.h>

#include <random>

#include "hw/arch/load.h"
#include "nas/genome/space.h"

namespace imc::nas {
namespace {

const std::string kDir = IMCSIM_SOURCE_DIR;

const char* kSmall = R"(input: {channels: 1, height: 28, width: 28}
classes: 10
blocks:
  count: 3
  min: 1
  kinds: [vgg, mvgg, res, skip]
  channels: [16, 32, 64]
head:
  width: [0, 128]
  max_features: 1024
precision:
  weights: [binary, ternary]
  activations: [binary]
hardware:
  tile.crossbar.rows: [64, 128]
  mesh:
    - {mesh.rows: 2, mesh.cols: 2}
    - {mesh.rows: 4, mesh.cols: 4}
fidelity:
  proxy: {epochs: 1, train_fraction: 0.05, test_images: 100}
  full: {epochs: 12, train_fraction: 1, test_images: 10000, variation_seeds: 4}
)";

SearchSpace small() {
  return space_from_yaml(kSmall, "s.yaml");
}

std::string error_of(const std::string& yaml) {
  try {
    space_from_yaml(yaml, "s.yaml");
  } catch (const arch::InputError& e) {
    return e.what();
  }
  return "";
}

// kSmall with one line replaced.
std::string with(const std::string& from, const std::string& to) {
  std::string s = kSmall;
  const size_t at = s.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  return s.replace(at, from.size(), to);
}

TEST(Space, GenesInOrderWithTheirChoices) {
  const SearchSpace s = small();
  ASSERT_EQ(s.size(), 3u * 2 + 3 + 2);
  EXPECT_EQ(s.genes()[0].name, "blocks[0].kind");
  EXPECT_EQ(s.genes()[0].values, (std::vector<std::string>{"vgg", "mvgg", "res"}));  // min 1
  EXPECT_EQ(s.genes()[2].values, (std::vector<std::string>{"vgg", "mvgg", "res", "skip"}));
  EXPECT_EQ(s.genes()[3].values, (std::vector<std::string>{"16", "32", "64"}));
  EXPECT_EQ(s.genes()[6].name, "head.width");
  EXPECT_EQ(s.genes()[8].name, "precision.activations");
  EXPECT_EQ(s.upper_bound(8), 0);
  EXPECT_EQ(s.genes()[9].name, "tile.crossbar.rows");
  EXPECT_EQ(s.genes()[9].line, 15);
  EXPECT_EQ(s.genes()[10].values[1], "mesh.rows=4,mesh.cols=4");
  EXPECT_DOUBLE_EQ(s.cardinality(), 3 * 3 * 4 * 3 * 4 * 3 * 2 * 2 * 1 * 2 * 2);
}

TEST(Space, DecodeDropsSkipsAndTheirChannels) {
  const SearchSpace s = small();
  //                       kind ch  kind ch  kind ch  head w  a  rows mesh
  const Genome a = s.decode({0, 1, 3, 0, 2, 2, 1, 1, 0, 1, 1});
  const Genome b = s.decode({0, 1, 3, 2, 2, 2, 1, 1, 0, 1, 1});  // the skip's channels differ
  EXPECT_EQ(a, b);
  ASSERT_EQ(a.net.blocks.size(), 2u);
  EXPECT_EQ(a.net.blocks[0], (Block{BlockKind::kVgg, 32}));
  EXPECT_EQ(a.net.blocks[1], (Block{BlockKind::kRes, 64}));
  EXPECT_EQ(a.net.head_width, 128);
  EXPECT_EQ(a.net.weights, Precision::kTernary);
  EXPECT_EQ(a.net.activations, Precision::kBinary);
  EXPECT_EQ(a.arch_overrides,
            (std::vector<std::string>{"tile.crossbar.rows=128", "mesh.rows=4", "mesh.cols=4"}));
  // vgg32 then res64: 14x14x64 = 12544 features -> 7x7 (3136) -> 3x3 (576) <= 1024.
  EXPECT_EQ(a.net.head_pools, 2);
  EXPECT_EQ(genome_to_json(a), genome_to_json(b));
}

TEST(Space, EncodeInvertsDecode) {
  const SearchSpace s = small();
  std::mt19937_64 rng(3);
  for (int k = 0; k < 200; ++k) {
    std::vector<int64_t> x(s.size());
    for (size_t i = 0; i < x.size(); ++i)
      x[i] = std::uniform_int_distribution<int64_t>(0, s.upper_bound(i))(rng);
    const Genome g = s.decode(x);
    EXPECT_EQ(s.decode(s.encode(g)), g);
  }
  Genome outside = s.decode(std::vector<int64_t>(s.size(), 0));
  outside.net.blocks[0].channels = 48;
  EXPECT_THROW(s.encode(outside), std::invalid_argument);
}

TEST(Space, DecodeChecksBounds) {
  const SearchSpace s = small();
  std::vector<int64_t> x(s.size(), 0);
  x[0] = 3;  // position 0 has no skip: three kinds
  EXPECT_THROW(s.decode(x), std::out_of_range);
  x[0] = -1;
  EXPECT_THROW(s.decode(x), std::out_of_range);
  EXPECT_THROW(s.decode(std::vector<int64_t>(s.size() - 1, 0)), std::out_of_range);
}

TEST(Space, HeadPoolsAreTheFewestThatFit) {
  NetGenome n;
  n.blocks = {{BlockKind::kMvgg, 64}};    // 28x28x64 = 50176
  EXPECT_EQ(head_pools_for(n, 1024), 3);  // 14: 12544, 7: 3136, 3: 576
  EXPECT_EQ(head_pools_for(n, 3136), 2);
  EXPECT_EQ(head_pools_for(n, 50176), 0);
  n.blocks = {{BlockKind::kVgg, 16},
              {BlockKind::kVgg, 16},
              {BlockKind::kVgg, 16},
              {BlockKind::kVgg, 16}};  // 1x1x16 already
  EXPECT_EQ(head_pools_for(n, 8), 0);  // nothing left to pool: the candidate fails later
}

TEST(Space, Fidelities) {
  const SearchSpace s = small();
  EXPECT_EQ(s.fidelity("proxy").epochs, 1);
  EXPECT_DOUBLE_EQ(s.fidelity("proxy").train_fraction, 0.05);
  EXPECT_EQ(s.fidelity("proxy").variation_seeds, 1);  // the default
  EXPECT_EQ(s.fidelity("full").test_images, 10000);
  EXPECT_EQ(s.fidelity("full").name, "full");
  try {
    s.fidelity("quick");
    FAIL();
  } catch (const arch::InputError& e) {
    EXPECT_EQ(std::string(e.what()), "s.yaml: no fidelity 'quick' (the space defines full, proxy)");
  }
}

TEST(Space, ShippedSpacesLoadAndFitTheirChips) {
  const SearchSpace bnn = read_space_file(kDir + "/configs/nas/fashion_bnn.yaml");
  EXPECT_EQ(bnn.size(), 4u * 2 + 3);
  EXPECT_TRUE(bnn.hardware.empty());
  check_space_against_arch(bnn, kDir + "/configs/tile8x8.yaml");
  const SearchSpace hw = read_space_file(kDir + "/configs/nas/fashion_hw.yaml");
  EXPECT_EQ(hw.size(), 4u * 2 + 3 + 7);
  check_space_against_arch(hw, kDir + "/configs/rram4x4.yaml");
  EXPECT_NO_THROW(hw.fidelity("full"));
}

TEST(Space, HardwareValuesAreCheckedAgainstTheArchFile) {
  const SearchSpace s = space_from_yaml(
      with("tile.crossbar.rows: [64, 128]", "tile.crossbar.rows_per_step: [16, 512]"), "s.yaml");
  try {
    check_space_against_arch(s, kDir + "/configs/rram4x4.yaml");
    FAIL();
  } catch (const arch::InputError& e) {
    const std::string m = e.what();
    EXPECT_EQ(m.rfind("s.yaml:15: key 'hardware.tile.crossbar.rows_per_step': value '512' on ", 0),
              0u)
        << m;
    EXPECT_NE(m.find("must be at most tile.crossbar.rows (64), got 512"), std::string::npos) << m;
  }
}

struct BadSpace {
  std::string from, to, message;
};

TEST(Space, BadFilesNameFileLineAndKey) {
  const std::vector<BadSpace> cases = {
      {"classes: 10", "classes: 10\nblokcs: 3", "s.yaml:3: key 'blokcs': unknown key"},
      {"  channels: [16, 32, 64]", "  channels: []",
       "s.yaml:7: key 'blocks.channels': expected a non-empty list of integers"},
      {"  channels: [16, 32, 64]", "  channels: [16, 32, 16]",
       "s.yaml:7: key 'blocks.channels': a value appears twice (it would be drawn twice as "
       "often)"},
      {"kinds: [vgg, mvgg, res, skip]", "kinds: [vgg, conv]",
       "s.yaml:6: key 'blocks.kinds': 'conv': expected one of vgg, mvgg, res, skip"},
      {"kinds: [vgg, mvgg, res, skip]", "kinds: [skip]",
       "s.yaml:6: key 'blocks.kinds': min > 0 needs a kind other than skip"},
      {"  count: 3", "  count: 40", "s.yaml:4: key 'blocks.count': 40 is out of range [0, 32]"},
      {"  weights: [binary, ternary]", "  weights: [binary, quaternary]",
       "s.yaml:12: key 'precision.weights': 'quaternary': expected one of binary, ternary"},
      {"tile.crossbar.rows: [64, 128]", "tile.crossbar.rowz: [64, 128]",
       "s.yaml:15: key 'hardware.tile.crossbar.rowz': 'tile.crossbar.rowz' is not a key of the "
       "arch file (did you mean 'tile.crossbar.rows'?); see docs/arch-file.md"},
      {"tile.crossbar.rows: [64, 128]", "tile.crossbar: [64, 128]",
       "s.yaml:15: key 'hardware.tile.crossbar': 'tile.crossbar' is a section of the arch file, "
       "not a key"},
      {"tile.crossbar.rows: [64, 128]", "tile.crossbar.rows: []",
       "s.yaml:15: key 'hardware.tile.crossbar.rows': expected a non-empty list of values"},
      {"epochs: 12,", "epochs: 0,",
       "s.yaml:21: key 'fidelity.full.epochs': 0 is out of range [1, 100000]"},
      {"test_images: 100}", "test_imgs: 100}",
       "s.yaml:20: key 'fidelity.proxy.test_imgs': unknown key"},
      {"  activations: [binary]", "  activations: binary",
       "s.yaml:13: key 'precision.activations': expected a non-empty list"},
      {"classes: 10", "classes: [10", "s.yaml:"},  // syntax error somewhere after
      // a byte that is not UTF-8, even in a comment (the search stores the space as JSON)
      {"classes: 10", "classes: 10  # \xb2", "s.yaml:2: not UTF-8 text (byte 0xB2)"},
  };
  for (const BadSpace& c : cases) {
    const std::string e = error_of(with(c.from, c.to));
    EXPECT_EQ(e.substr(0, c.message.size()), c.message) << c.to << "\n  got: " << e;
  }
}

}  // namespace
}  // namespace imc::nas
