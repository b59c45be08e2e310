// The search space (configs/nas/*.yaml): which genomes the search may propose, as a vector
// of integer genes, each choosing one of a list of values. Decoding is many-to-one on
// purpose (skip blocks vanish, a skipped block's channels do not matter), so equal networks
// become equal genomes and the database evaluates each once. The file also names the
// fidelities (how much a candidate is trained and tested) and the head rule. Format:
// docs/nas.md, "Search spaces".
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "nas/eval/candidate.h"
#include "nas/genome/genome.h"

namespace imc::nas {

struct Gene {
  std::string name;                 // "blocks[2].kind", "head.width", "tile.crossbar.rows"
  std::vector<std::string> values;  // the choices as written, for reports
  int line = 0;                     // in the space file, for messages
};

// One choice of a hardware gene: the arch-file overrides it applies ("tile.crossbar.rows=128").
using HardwareChoice = std::vector<std::string>;

class SearchSpace {
 public:
  std::string file;  // where it was read from
  std::string text;  // its content: part of a search's identity
  int input_channels = 1, input_height = 28, input_width = 28, classes = 10;
  int block_count = 0;  // positions in the stack
  int min_blocks = 0;   // the first min_blocks positions are never skip
  std::vector<BlockKind> kinds;
  std::vector<BlockKind> non_skip_kinds;  // kinds without skip: the first min_blocks positions
  std::vector<int> channels;
  std::vector<int> head_widths;  // 0 = no hidden layer
  long max_head_features = 0;    // head_pools: fewest pools bringing C*H*W to at most this
  std::vector<Precision> weight_precisions, activation_precisions;
  std::vector<std::vector<HardwareChoice>> hardware;  // one entry per hardware gene
  std::map<std::string, Fidelity> fidelities;

  const std::vector<BlockKind>& kinds_at(int position) const {
    return position < min_blocks ? non_skip_kinds : kinds;
  }
  const std::vector<Gene>& genes() const { return genes_; }
  size_t size() const { return genes_.size(); }
  int64_t upper_bound(size_t gene) const { return int64_t(genes_[gene].values.size()) - 1; }
  double cardinality() const;  // number of gene vectors (not of distinct genomes)

  // Gene vector -> genome. Throws std::out_of_range when x has the wrong length or a gene
  // is outside [0, upper_bound].
  Genome decode(const std::vector<int64_t>& x) const;
  // A gene vector that decodes to g (skips last). Throws std::invalid_argument naming what
  // is not in the space.
  std::vector<int64_t> encode(const Genome& g) const;

  // The fidelity called `name`; throws arch::InputError listing the known ones.
  const Fidelity& fidelity(const std::string& name) const;

  // Called by the loader once the lists above are filled in: builds genes().
  void add_gene(Gene g) { genes_.push_back(std::move(g)); }

 private:
  std::vector<Gene> genes_;
};

// Reads a space file. Errors throw arch::InputError "FILE:LINE: key 'a.b': what is wrong".
SearchSpace space_from_yaml(const std::string& text, const std::string& file_name);
SearchSpace read_space_file(const std::string& path);

// Checks every hardware choice against the arch file (as `--set` would apply it), so a typo
// or an impossible value is reported at its line in the space file before the search starts.
void check_space_against_arch(const SearchSpace& space, const std::string& arch_path);

// The smallest number of extra 2x2 pools that brings the flattened features of `net` to at
// most max_features (or as many as the feature map allows, when none does).
int head_pools_for(const NetGenome& net, long max_features);

}  // namespace imc::nas
