#include "nas/genome/space.h"

#include <set>
#include <stdexcept>

#include "hw/arch/load.h"
#include "hw/arch/schema.h"
#include "hw/isa/file_io.h"
#include "nas/genome/yaml_fields.h"

namespace imc::nas {
namespace {

const std::vector<std::string> kKindWords = {"vgg", "mvgg", "res", "skip"};
const std::vector<std::string> kPrecisionWords = {"binary", "ternary"};

int line_of(const YAML::Node& n) {
  return n.Mark().line + 1;
}

template <typename T>
void require_unique(Fields& f, const YAML::Node& list, const std::string& key,
                    const std::vector<T>& values) {
  std::set<T> seen;
  for (size_t i = 0; i < values.size(); ++i) {
    if (!seen.insert(values[i]).second)
      f.fail(list[i], key, "a value appears twice (it would be drawn twice as often)");
  }
}

template <typename E>
std::vector<E> words_of(Fields& f, const std::string& key, const std::vector<std::string>& known) {
  const YAML::Node list = f.required(key);
  if (!list.IsSequence() || list.size() == 0) f.fail(list, key, "expected a non-empty list");
  std::vector<E> out;
  for (const YAML::Node& item : list) {
    const std::string w = f.as_word(item, key);
    size_t i = 0;
    while (i < known.size() && known[i] != w) ++i;
    if (i == known.size()) {
      std::string all;
      for (const std::string& k : known) all += (all.empty() ? "" : ", ") + k;
      f.fail(item, key, "'" + w + "': expected one of " + all);
    }
    out.push_back(E(i));
  }
  require_unique(f, list, key, out);
  return out;
}

std::vector<int> unique_integers(Fields& f, const std::string& key, int lo, int hi) {
  const std::vector<int> v = f.integers(key, lo, hi);
  require_unique(f, f.required(key), key, v);
  return v;
}

// "tile.crossbar.rows" must be a key of the arch file (not a section).
void check_arch_key(Fields& f, const YAML::Node& at, const std::string& gene,
                    const std::string& path) {
  const arch::schema::Key* k = arch::schema::find(path);
  if (!k) {
    const std::string near =
        arch::schema::closest(arch::schema::parent_of(path), arch::schema::last_of(path));
    f.fail(at, gene,
           "'" + path + "' is not a key of the arch file" +
               (near.empty() ? ""
                             : " (did you mean '" + std::string(arch::schema::parent_of(path)) +
                                   "." + near + "'?)") +
               "; see docs/arch-file.md");
  }
  if (k->kind == arch::schema::Kind::kSection)
    f.fail(at, gene, "'" + path + "' is a section of the arch file, not a key");
}

// hardware: {KEY: [v1, v2, ...]} or {NAME: [{KEY: v, KEY2: v}, ...]} (keys set together).
void read_hardware(Fields& top, SearchSpace& s) {
  const std::optional<YAML::Node> hw = top.optional("hardware");
  if (!hw) return;
  if (!hw->IsMap()) top.fail(*hw, "hardware", "expected a map of arch-file keys to value lists");
  Fields f(*hw, "hardware", top.file());
  for (const auto& entry : *hw) {
    const std::string name = entry.first.Scalar();
    const YAML::Node list = f.required(name);
    if (!list.IsSequence() || list.size() == 0)
      f.fail(list, name, "expected a non-empty list of values");
    Gene gene{name, {}, line_of(entry.first)};
    std::vector<HardwareChoice> choices;
    for (const YAML::Node& item : list) {
      HardwareChoice choice;
      if (item.IsScalar()) {
        check_arch_key(f, entry.first, name, name);
        choice.push_back(name + "=" + item.Scalar());
      } else if (item.IsMap() && item.size() > 0) {
        for (const auto& kv : item) {
          if (!kv.second.IsScalar()) f.fail(kv.second, name, "expected a scalar value");
          check_arch_key(f, kv.first, name, kv.first.Scalar());
          choice.push_back(kv.first.Scalar() + "=" + kv.second.Scalar());
        }
      } else {
        f.fail(item, name, "expected a value or a map of arch-file keys to values");
      }
      std::string shown;
      for (const std::string& o : choice) shown += (shown.empty() ? "" : ",") + o;
      gene.values.push_back(item.IsScalar() ? item.Scalar() : shown);
      choices.push_back(choice);
    }
    require_unique(f, list, name, gene.values);
    s.hardware.push_back(choices);
    s.add_gene(gene);
  }
  f.done();
}

Fidelity read_fidelity(const YAML::Node& node, const std::string& name, const std::string& file) {
  Fields f(node, "fidelity." + name, file);
  Fidelity d;  // the defaults of candidate.h
  d.name = name;
  d.epochs = f.integer("epochs", 1, 100000, d.epochs);
  d.train_fraction = f.real("train_fraction", 1e-6, 1, d.train_fraction);
  d.test_images = f.integer("test_images", 1, 10000, d.test_images);
  d.variation_seeds = f.integer("variation_seeds", 1, 10000, d.variation_seeds);
  d.noise_sigma = f.real("noise_sigma", 0, 10, d.noise_sigma);
  d.batch_size = f.integer("batch_size", 1, 60000, d.batch_size);
  d.learning_rate = f.real("learning_rate", 1e-12, 100, d.learning_rate);
  f.done();
  return d;
}

void read_fidelities(Fields& top, SearchSpace& s) {
  const std::optional<YAML::Node> node = top.optional("fidelity");
  if (!node) {
    s.fidelities["proxy"] = Fidelity{};
    return;
  }
  if (!node->IsMap() || node->size() == 0)
    top.fail(*node, "fidelity", "expected a map of named fidelities (proxy: {epochs: ...})");
  for (const auto& entry : *node) {
    const std::string name = entry.first.Scalar();
    if (!entry.second.IsMap())
      top.fail(entry.second, "fidelity." + name, "expected a map (epochs, train_fraction, ...)");
    s.fidelities[name] = read_fidelity(entry.second, name, top.file());
  }
}

}  // namespace

double SearchSpace::cardinality() const {
  double n = 1;
  for (const Gene& g : genes_) n *= double(g.values.size());
  return n;
}

int head_pools_for(const NetGenome& net, long max_features) {
  NetGenome n = net;
  for (n.head_pools = 0;; ++n.head_pools) {
    const FeatureShape s = shape_before_head(n);
    if (s.features() <= max_features || s.height < 2 || s.width < 2) return n.head_pools;
  }
}

Genome SearchSpace::decode(const std::vector<int64_t>& x) const {
  if (x.size() != genes_.size())
    throw std::out_of_range("gene vector of length " + std::to_string(x.size()) + ", the space " +
                            file + " has " + std::to_string(genes_.size()) + " genes");
  for (size_t i = 0; i < x.size(); ++i) {
    if (x[i] < 0 || x[i] > upper_bound(i))
      throw std::out_of_range("gene " + genes_[i].name + " = " + std::to_string(x[i]) +
                              " is outside [0, " + std::to_string(upper_bound(i)) + "]");
  }
  Genome g;
  NetGenome& n = g.net;
  n.input_channels = input_channels, n.input_height = input_height, n.input_width = input_width;
  n.classes = classes;
  size_t i = 0;
  for (int b = 0; b < block_count; ++b, i += 2) {
    const BlockKind kind = kinds_at(b)[size_t(x[i])];
    if (kind != BlockKind::kSkip) n.blocks.push_back({kind, channels[size_t(x[i + 1])]});
  }
  n.head_width = head_widths[size_t(x[i++])];
  n.weights = weight_precisions[size_t(x[i++])];
  n.activations = activation_precisions[size_t(x[i++])];
  for (const std::vector<HardwareChoice>& gene : hardware) {
    for (const std::string& o : gene[size_t(x[i])]) g.arch_overrides.push_back(o);
    ++i;
  }
  n.head_pools = head_pools_for(n, max_head_features);
  return g;
}

std::vector<int64_t> SearchSpace::encode(const Genome& g) const {
  auto index_of = [](const auto& list, const auto& value, const std::string& what) {
    for (size_t i = 0; i < list.size(); ++i) {
      if (list[i] == value) return int64_t(i);
    }
    throw std::invalid_argument("not in the search space: " + what);
  };
  const NetGenome& n = g.net;
  std::vector<Block> blocks;
  for (const Block& b : n.blocks) {
    if (b.kind != BlockKind::kSkip) blocks.push_back(b);
  }
  if (int(blocks.size()) > block_count || int(blocks.size()) < min_blocks)
    throw std::invalid_argument("not in the search space: " + std::to_string(blocks.size()) +
                                " blocks");
  std::vector<int64_t> x;
  for (int b = 0; b < block_count; ++b) {
    const bool real = b < int(blocks.size());
    const BlockKind kind = real ? blocks[size_t(b)].kind : BlockKind::kSkip;
    x.push_back(index_of(kinds_at(b), kind, std::string("block kind ") + to_string(kind)));
    x.push_back(real ? index_of(channels, blocks[size_t(b)].channels,
                                std::to_string(blocks[size_t(b)].channels) + " channels")
                     : 0);
  }
  x.push_back(index_of(head_widths, n.head_width, "head width " + std::to_string(n.head_width)));
  x.push_back(index_of(weight_precisions, n.weights, "weight precision"));
  x.push_back(index_of(activation_precisions, n.activations, "activation precision"));
  size_t used = 0;
  for (const std::vector<HardwareChoice>& gene : hardware) {
    bool found = false;
    for (size_t c = 0; c < gene.size() && !found; ++c) {
      const HardwareChoice& choice = gene[c];
      if (used + choice.size() <= g.arch_overrides.size() &&
          std::equal(choice.begin(), choice.end(), g.arch_overrides.begin() + long(used))) {
        x.push_back(int64_t(c));
        used += choice.size();
        found = true;
      }
    }
    if (!found) throw std::invalid_argument("not in the search space: arch overrides");
  }
  if (used != g.arch_overrides.size())
    throw std::invalid_argument("not in the search space: arch overrides");
  if (decode(x) != g) throw std::invalid_argument("not in the search space: head or input");
  return x;
}

const Fidelity& SearchSpace::fidelity(const std::string& name) const {
  const auto it = fidelities.find(name);
  if (it != fidelities.end()) return it->second;
  std::string known;
  for (const auto& f : fidelities) known += (known.empty() ? "" : ", ") + f.first;
  throw arch::InputError(file + ": no fidelity '" + name + "' (the space defines " + known + ")");
}

SearchSpace space_from_yaml(const std::string& text, const std::string& file_name) {
  const YAML::Node root = parse_yaml(text, file_name);
  Fields top(root, "", file_name);
  SearchSpace s;
  s.file = file_name;
  s.text = text;
  if (top.has("input")) {
    Fields in = top.map("input");
    s.input_channels = in.integer("channels", 1, 4096, 1);
    s.input_height = in.integer("height", 1, 4096, 28);
    s.input_width = in.integer("width", 1, 4096, 28);
    in.done();
  } else {
    top.optional("input");
  }
  s.classes = top.integer("classes", 2, 65536, 10);

  Fields blocks = top.map("blocks");
  s.block_count = blocks.integer("count", 0, 32);
  s.min_blocks = blocks.integer("min", 0, s.block_count, 0);
  s.kinds = words_of<BlockKind>(blocks, "kinds", kKindWords);
  s.channels = unique_integers(blocks, "channels", 1, 4096);
  for (BlockKind k : s.kinds) {
    if (k != BlockKind::kSkip) s.non_skip_kinds.push_back(k);
  }
  if (s.min_blocks > 0 && s.non_skip_kinds.empty())
    blocks.fail(blocks.required("kinds"), "kinds", "min > 0 needs a kind other than skip");
  const int kinds_line = line_of(blocks.required("kinds"));
  const int channels_line = line_of(blocks.required("channels"));
  blocks.done();

  Fields head = top.map("head");
  s.head_widths = unique_integers(head, "width", 0, 65536);
  s.max_head_features = head.integer("max_features", 1, 1 << 30, 1 << 30);
  const int head_line = line_of(head.required("width"));
  head.done();

  Fields prec = top.map("precision");
  s.weight_precisions = words_of<Precision>(prec, "weights", kPrecisionWords);
  s.activation_precisions = words_of<Precision>(prec, "activations", kPrecisionWords);
  const int weights_line = line_of(prec.required("weights"));
  const int activations_line = line_of(prec.required("activations"));
  prec.done();

  // The gene vector: per block position its kind and channels, then the head, the
  // precisions, and the hardware genes in file order (read_hardware adds those).
  auto names = [](const auto& list, auto to_text) {
    std::vector<std::string> out;
    for (const auto& v : list) out.push_back(to_text(v));
    return out;
  };
  auto kind_text = [](BlockKind k) { return std::string(to_string(k)); };
  auto int_text = [](int v) { return std::to_string(v); };
  auto prec_text = [](Precision p) { return std::string(to_string(p)); };
  for (int b = 0; b < s.block_count; ++b) {
    const std::string at = "blocks[" + std::to_string(b) + "]";
    s.add_gene({at + ".kind", names(s.kinds_at(b), kind_text), kinds_line});
    s.add_gene({at + ".channels", names(s.channels, int_text), channels_line});
  }
  s.add_gene({"head.width", names(s.head_widths, int_text), head_line});
  s.add_gene({"precision.weights", names(s.weight_precisions, prec_text), weights_line});
  s.add_gene(
      {"precision.activations", names(s.activation_precisions, prec_text), activations_line});
  read_hardware(top, s);
  read_fidelities(top, s);
  top.done();
  return s;
}

SearchSpace read_space_file(const std::string& path) {
  return space_from_yaml(isa::read_file_bytes(path), path);
}

void check_space_against_arch(const SearchSpace& space, const std::string& arch_path) {
  arch::load_chip(arch_path);  // the file itself first: its own errors name its own lines
  size_t gene = space.size() - space.hardware.size();
  for (const std::vector<HardwareChoice>& choices : space.hardware) {
    const Gene& g = space.genes()[gene++];
    for (size_t c = 0; c < choices.size(); ++c) {
      std::vector<arch::Override> overrides;
      for (const std::string& o : choices[c]) overrides.push_back(arch::parse_override(o));
      try {
        arch::load_chip(arch_path, overrides);
      } catch (const arch::InputError& e) {
        throw arch::InputError(space.file + ":" + std::to_string(g.line) + ": key 'hardware." +
                               g.name + "': value '" + g.values[c] + "' on " + arch_path + ": " +
                               e.what());
      }
    }
  }
}

}  // namespace imc::nas
