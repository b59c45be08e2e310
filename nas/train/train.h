// Training a genome's network with libtorch and exporting it as ONNX that imcc compiles.
// The header has no libtorch types: the evaluator and the CLI include it without torch.
#pragma once
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>
#include "nas/eval/candidate.h"
#include "nas/genome/genome.h"

namespace imc::nas {

// Fashion-MNIST (or any IDX image/label pair): images row-major uint8, count x rows x cols.
struct ImageSet {
  int count = 0, rows = 0, cols = 0;
  std::vector<uint8_t> images;
  std::vector<uint8_t> labels;
};
// dir holds {train,t10k}-{images-idx3,labels-idx1}-ubyte[.gz] (Debian: dpkg -L
// dataset-fashion-mnist). Bad or missing files throw arch::InputError naming the file.
ImageSet load_fashion_mnist(const std::string& dir, bool train);
// Where Debian's dataset-fashion-mnist puts the files.
constexpr const char* kDefaultDataDir = "/usr/share/datasets/fashion-mnist";

class TrainError : public std::runtime_error {  // diverged, NaN loss, ...
 public:
  using std::runtime_error::runtime_error;
};

struct TrainOptions {
  Fidelity fidelity;  // epochs, train_fraction, batch_size, learning_rate, noise_sigma, test_images
  uint64_t seed = 1;
  int threads = 1;
  bool verbose = false;  // per-epoch loss and accuracy on stderr
};

struct TrainOutcome {
  double final_loss = 0;
  // The exported network's accuracy on the first fidelity.test_images test images, evaluated
  // in libtorch in double precision with the same Sign(0)=+1 convention as the ONNX model.
  double software_accuracy = 0;
  double train_s = 0;
  // The exported network's integer class scores on those test images, [n][classes]
  // row-major: exactly what imcc --reference and imcsim must output for them.
  std::vector<int32_t> test_scores;
};

// Trains the network of `net` on train, tests on test, writes the ONNX model (atomically) to
// onnx_path. Throws TrainError when training diverges, arch::InputError when the net, the
// data and the options do not fit together (input shape, labels >= classes, batch size < 2).
TrainOutcome train_and_export(const NetGenome& net, const ImageSet& train, const ImageSet& test,
                              const TrainOptions& options, const std::string& onnx_path);

}  // namespace imc::nas
