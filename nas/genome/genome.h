// The network (and optional hardware) genome that imcnas searches over, and the net file
// (`imcnas train --net N.yaml`) that writes one down. No libtorch, no SQLite: every part of
// imcnas speaks this.
#pragma once
#include <string>
#include <vector>

namespace imc::nas {

enum class BlockKind {
  kVgg,   // conv3x3-BN-act, conv3x3-BN-act, maxpool 2x2 stride 2
  kMvgg,  // the same without the pool
  kRes,   // conv3x3-BN-act, conv3x3-BN (+ shortcut) -act; see docs/nas.md for the shortcut
  kSkip,  // no layers (lets the search vary the depth)
};
enum class Precision { kBinary, kTernary };

struct Block {
  BlockKind kind = BlockKind::kSkip;
  int channels = 0;  // output channels of both convs (ignored by kSkip)
  bool operator==(const Block& o) const { return kind == o.kind && channels == o.channels; }
  bool operator!=(const Block& o) const { return !(*this == o); }
};

// uint8 images -> blocks -> head_pools x (maxpool 2x2 stride 2) -> flatten
//   -> [FC head_width -BN-act] -> FC classes (raw int32 sums: the class scores).
struct NetGenome {
  int input_channels = 1, input_height = 28, input_width = 28;
  std::vector<Block> blocks;
  int head_pools = 0;  // extra 2x2 max-pools before the flatten (keeps the FC inside a tile)
  int head_width = 0;  // hidden fully connected layer; 0 = none
  int classes = 10;
  Precision weights = Precision::kBinary;
  Precision activations = Precision::kBinary;
  bool operator==(const NetGenome& o) const;
  bool operator!=(const NetGenome& o) const { return !(*this == o); }
};

// One candidate: the network plus arch-file overrides ("tile.crossbar.rows=128"), applied on
// top of the --arch file exactly as `imcc/imcsim --set` would.
struct Genome {
  NetGenome net;
  std::vector<std::string> arch_overrides;
  bool operator==(const Genome& o) const {
    return net == o.net && arch_overrides == o.arch_overrides;
  }
  bool operator!=(const Genome& o) const { return !(*this == o); }
};

const char* to_string(BlockKind k);  // "vgg", "mvgg", "res", "skip"
const char* to_string(Precision p);  // "binary", "ternary"

// Shape after the blocks (channels, height, width) and the number of features the head sees.
struct FeatureShape {
  int channels, height, width;
  long features() const { return long(channels) * height * width; }
};
FeatureShape shape_after_blocks(const NetGenome& g);
FeatureShape shape_before_head(const NetGenome& g);  // after head_pools too

// Why this network cannot be built ("block 3 pools a 1x1 feature map"), or "" when it can.
std::string check_net(const NetGenome& g);

// One-line summary for logs and reports: "vgg32-res32-vgg64|p1|h128|b/b".
std::string describe(const Genome& g);

// The net file (YAML), the canonical text form of a genome; round-trips exactly.
// Errors throw arch::InputError "FILE:LINE: key 'a.b': what is wrong".
std::string net_to_yaml(const Genome& g);
Genome net_from_yaml(const std::string& text, const std::string& file_name);
Genome read_net_file(const std::string& path);

// Canonical JSON of a genome (for the database and the worker protocol): a stable key, so
// equal genomes compare equal as strings.
std::string genome_to_json(const Genome& g);
Genome genome_from_json(const std::string& json);

}  // namespace imc::nas
