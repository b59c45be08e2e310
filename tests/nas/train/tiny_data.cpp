#include "tests/nas/train/tiny_data.h"

#include <filesystem>
#include <random>
#include <sstream>

namespace imc::nas::testing {

ImageSet blob_images(int count, int size, int classes, uint64_t seed) {
  std::mt19937_64 rng(seed);
  ImageSet s;
  s.count = count;
  s.rows = s.cols = size;
  s.images.resize(size_t(count) * size * size);
  s.labels.resize(size_t(count));
  const int cells = (size / 2) * (size / 2);
  for (int i = 0; i < count; ++i) {
    const int label = int(rng() % unsigned(classes));
    s.labels[size_t(i)] = uint8_t(label);
    const int cell = label * cells / classes, cy = 2 * (cell / (size / 2)),
              cx = 2 * (cell % (size / 2));
    for (int y = 0; y < size; ++y) {
      for (int x = 0; x < size; ++x) {
        const bool blob = y >= cy && y < cy + 2 && x >= cx && x < cx + 2;
        const int noise = int(rng() % 96);
        s.images[size_t(i) * size * size + size_t(y) * size + x] =
            uint8_t(blob ? 255 - noise : noise);
      }
    }
  }
  return s;
}

NetGenome tiny_net(const std::string& blocks, int size, int head_pools, int head_width,
                   Precision weights, Precision activations) {
  NetGenome g;
  g.input_height = g.input_width = size;
  std::stringstream in(blocks);
  for (std::string item; std::getline(in, item, ',');) {
    if (item.empty()) continue;
    Block b;
    const size_t digits = item.find_first_of("0123456789");
    const std::string kind = item.substr(0, digits);
    b.kind = kind == "vgg"    ? BlockKind::kVgg
             : kind == "mvgg" ? BlockKind::kMvgg
             : kind == "res"  ? BlockKind::kRes
                              : BlockKind::kSkip;
    b.channels = digits == std::string::npos ? 0 : std::stoi(item.substr(digits));
    g.blocks.push_back(b);
  }
  g.head_pools = head_pools;
  g.head_width = head_width;
  g.weights = weights;
  g.activations = activations;
  return g;
}

std::string temp_dir(const std::string& name) {
  namespace fs = std::filesystem;
  const fs::path p = fs::temp_directory_path() / ("imcnas_train_test_" + name);
  fs::remove_all(p);
  fs::create_directories(p);
  return p.string();
}

TrainOptions tiny_options(int epochs, uint64_t seed) {
  TrainOptions o;
  o.fidelity.epochs = epochs;
  o.fidelity.train_fraction = 1;
  o.fidelity.batch_size = 32;
  o.fidelity.learning_rate = 1e-2;
  o.fidelity.test_images = 64;
  o.seed = seed;
  o.threads = 1;
  return o;
}

}  // namespace imc::nas::testing
