#include "nas/genome/genome.h"

#include <sstream>

#include <nlohmann/json.hpp>

#include "hw/arch/load.h"
#include "hw/isa/file_io.h"
#include "nas/genome/yaml_fields.h"

namespace imc::nas {
namespace {

using Json = nlohmann::json;

const std::vector<std::string> kKindWords = {"vgg", "mvgg", "res", "skip"};
const std::vector<std::string> kPrecisionWords = {"binary", "ternary"};

BlockKind kind_from(const std::string& w) {
  for (size_t i = 0; i < kKindWords.size(); ++i) {
    if (w == kKindWords[i]) return BlockKind(i);
  }
  throw arch::InputError("unknown block kind '" + w + "'");
}

Precision precision_from(const std::string& w) {
  return w == "ternary" ? Precision::kTernary : Precision::kBinary;
}

// A 2x2 stride-2 max-pool without padding (ONNX ceil_mode 0).
int pooled(int size) {
  return size / 2;
}

}  // namespace

bool NetGenome::operator==(const NetGenome& o) const {
  return input_channels == o.input_channels && input_height == o.input_height &&
         input_width == o.input_width && blocks == o.blocks && head_pools == o.head_pools &&
         head_width == o.head_width && classes == o.classes && weights == o.weights &&
         activations == o.activations;
}

const char* to_string(BlockKind k) {
  return kKindWords[size_t(k)].c_str();
}
const char* to_string(Precision p) {
  return kPrecisionWords[size_t(p)].c_str();
}

FeatureShape shape_after_blocks(const NetGenome& g) {
  FeatureShape s{g.input_channels, g.input_height, g.input_width};
  for (const Block& b : g.blocks) {
    if (b.kind == BlockKind::kSkip) continue;
    s.channels = b.channels;
    if (b.kind == BlockKind::kVgg) s = {s.channels, pooled(s.height), pooled(s.width)};
  }
  return s;
}

FeatureShape shape_before_head(const NetGenome& g) {
  FeatureShape s = shape_after_blocks(g);
  for (int i = 0; i < g.head_pools; ++i) s = {s.channels, pooled(s.height), pooled(s.width)};
  return s;
}

std::string check_net(const NetGenome& g) {
  FeatureShape s{g.input_channels, g.input_height, g.input_width};
  if (s.channels < 1 || s.height < 1 || s.width < 1) return "the input shape is empty";
  if (g.classes < 2) return "a classifier needs at least 2 classes";
  if (g.head_width < 0 || g.head_pools < 0) return "negative head width or pool count";
  int index = 0;
  for (const Block& b : g.blocks) {
    ++index;
    if (b.kind == BlockKind::kSkip) continue;
    if (b.channels < 1) return "block " + std::to_string(index) + " has no channels";
    if (b.kind == BlockKind::kVgg && (s.height < 2 || s.width < 2)) {
      return "block " + std::to_string(index) + " pools a " + std::to_string(s.height) + "x" +
             std::to_string(s.width) + " feature map";
    }
    s.channels = b.channels;
    if (b.kind == BlockKind::kVgg) s = {s.channels, pooled(s.height), pooled(s.width)};
  }
  for (int i = 0; i < g.head_pools; ++i) {
    if (s.height < 2 || s.width < 2) return "the head pools a feature map smaller than 2x2";
    s = {s.channels, pooled(s.height), pooled(s.width)};
  }
  return "";
}

std::string describe(const Genome& g) {
  std::string s;
  for (const Block& b : g.net.blocks) {
    if (b.kind == BlockKind::kSkip) continue;
    s += (s.empty() ? "" : "-") + std::string(to_string(b.kind)) + std::to_string(b.channels);
  }
  if (s.empty()) s = "linear";
  s += "|p" + std::to_string(g.net.head_pools) + "|h" + std::to_string(g.net.head_width) + "|" +
       to_string(g.net.weights)[0] + "/" + to_string(g.net.activations)[0];
  for (const std::string& o : g.arch_overrides) s += "|" + o;
  return s;
}

std::string net_to_yaml(const Genome& g) {
  const NetGenome& n = g.net;
  std::ostringstream y;
  y << "# imcnas net file (docs/nas.md): uint8 images -> blocks -> head -> class scores\n"
    << "input: {channels: " << n.input_channels << ", height: " << n.input_height
    << ", width: " << n.input_width << "}\n"
    << "weights: " << to_string(n.weights) << "\n"
    << "activations: " << to_string(n.activations) << "\n"
    << "blocks:" << (n.blocks.empty() ? " []" : "") << "\n";
  for (const Block& b : n.blocks) {
    y << "  - {kind: " << to_string(b.kind);
    if (b.kind != BlockKind::kSkip) y << ", channels: " << b.channels;
    y << "}\n";
  }
  y << "head: {pools: " << n.head_pools << ", width: " << n.head_width << "}\n"
    << "classes: " << n.classes << "\n";
  if (!g.arch_overrides.empty()) {
    y << "arch_overrides:\n";
    for (const std::string& o : g.arch_overrides) y << "  - \"" << o << "\"\n";
  }
  return y.str();
}

Genome net_from_yaml(const std::string& text, const std::string& file_name) {
  const YAML::Node root = parse_yaml(text, file_name);
  Fields top(root, "", file_name);
  Genome g;
  NetGenome& n = g.net;
  if (top.has("input")) {
    Fields in = top.map("input");
    n.input_channels = in.integer("channels", 1, 4096, 1);
    n.input_height = in.integer("height", 1, 4096, 28);
    n.input_width = in.integer("width", 1, 4096, 28);
    in.done();
  } else {
    top.optional("input");
  }
  n.weights = precision_from(top.word("weights", kPrecisionWords, std::string("binary")));
  n.activations = precision_from(top.word("activations", kPrecisionWords, std::string("binary")));
  const YAML::Node blocks = top.required("blocks");
  if (!blocks.IsSequence()) top.fail(blocks, "blocks", "expected a list of blocks");
  for (size_t i = 0; i < blocks.size(); ++i) {
    Fields b = top.element(blocks[i], "blocks", i);
    Block block;
    block.kind = kind_from(b.word("kind", kKindWords));
    if (block.kind != BlockKind::kSkip) block.channels = b.integer("channels", 1, 4096);
    b.done();
    n.blocks.push_back(block);
  }
  if (top.has("head")) {
    Fields h = top.map("head");
    n.head_pools = h.integer("pools", 0, 16, 0);
    n.head_width = h.integer("width", 0, 65536, 0);
    h.done();
  } else {
    top.optional("head");
  }
  n.classes = top.integer("classes", 2, 65536, 10);
  g.arch_overrides = top.strings("arch_overrides");
  for (const std::string& o : g.arch_overrides) {
    if (o.find('=') == std::string::npos) {
      top.fail(root["arch_overrides"], "arch_overrides", "'" + o + "': expected path.to.key=value");
    }
  }
  top.done();
  const std::string problem = check_net(n);
  if (!problem.empty()) throw arch::InputError(file_name + ": " + problem);
  return g;
}

Genome read_net_file(const std::string& path) {
  return net_from_yaml(isa::read_file_bytes(path), path);
}

std::string genome_to_json(const Genome& g) {
  Json blocks = Json::array();
  for (const Block& b : g.net.blocks) {
    blocks.push_back({{"kind", to_string(b.kind)}, {"channels", b.channels}});
  }
  const NetGenome& n = g.net;
  const Json j = {{"input", {n.input_channels, n.input_height, n.input_width}},
                  {"blocks", blocks},
                  {"head_pools", n.head_pools},
                  {"head_width", n.head_width},
                  {"classes", n.classes},
                  {"weights", to_string(n.weights)},
                  {"activations", to_string(n.activations)},
                  {"arch_overrides", g.arch_overrides}};
  return j.dump();  // nlohmann orders object keys: the text is canonical
}

Genome genome_from_json(const std::string& text) {
  try {
    const Json j = Json::parse(text);
    Genome g;
    NetGenome& n = g.net;
    const auto in = j.at("input").get<std::vector<int>>();
    if (in.size() != 3) throw arch::InputError("genome: 'input' needs 3 numbers");
    n.input_channels = in[0];
    n.input_height = in[1];
    n.input_width = in[2];
    for (const Json& b : j.at("blocks")) {
      n.blocks.push_back({kind_from(b.at("kind").get<std::string>()), b.at("channels").get<int>()});
    }
    n.head_pools = j.at("head_pools").get<int>();
    n.head_width = j.at("head_width").get<int>();
    n.classes = j.at("classes").get<int>();
    n.weights = precision_from(j.at("weights").get<std::string>());
    n.activations = precision_from(j.at("activations").get<std::string>());
    g.arch_overrides = j.at("arch_overrides").get<std::vector<std::string>>();
    const std::string problem = check_net(n);
    if (!problem.empty()) throw arch::InputError("genome: " + problem);
    return g;
  } catch (const Json::exception& e) {
    throw arch::InputError(std::string("genome JSON: ") + e.what());
  }
}

}  // namespace imc::nas
