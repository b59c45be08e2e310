// train_and_export: seed, train, fold, export, evaluate the export.
#include "nas/train/train.h"

#include <malloc.h>
#include <torch/torch.h>

#include <algorithm>
#include <chrono>

#include "hw/arch/load.h"
#include "nas/train/fold.h"
#include "nas/train/folded_eval.h"
#include "nas/train/onnx_export.h"
#include "nas/train/trainer.h"

namespace imc::nas {
namespace {

void check_data(const NetGenome& net, const ImageSet& set, const std::string& what) {
  if (net.input_channels != 1 || net.input_height != set.rows || net.input_width != set.cols)
    throw arch::InputError("net: input " + std::to_string(net.input_channels) + "x" +
                           std::to_string(net.input_height) + "x" +
                           std::to_string(net.input_width) + " does not match the " + what +
                           " images 1x" + std::to_string(set.rows) + "x" +
                           std::to_string(set.cols));
  for (uint8_t l : set.labels) {
    if (l >= net.classes)
      throw arch::InputError("net: " + std::to_string(net.classes) + " classes, but the " + what +
                             " set has label " + std::to_string(l));
  }
}

void check_options(const TrainOptions& o) {
  const Fidelity& f = o.fidelity;
  auto bad = [](const std::string& why) { throw arch::InputError("training options: " + why); };
  if (f.epochs < 0) bad("epochs must be >= 0");
  if (!(f.train_fraction > 0 && f.train_fraction <= 1)) bad("train fraction must be in (0, 1]");
  if (f.batch_size < 2) bad("batch size must be >= 2 (BatchNorm statistics)");
  if (!(f.learning_rate > 0)) bad("learning rate must be positive");
  if (!(f.noise_sigma >= 0)) bad("noise sigma must be >= 0");
  if (f.test_images < 0) bad("test images must be >= 0");
  if (o.threads < 1) bad("threads must be >= 1");
}

// Every step allocates and frees dozens of activation-sized tensors (MBs each). By default
// glibc serves those with mmap and returns them with munmap, so each step page-faults its
// memory in again: measured 5x slower than keeping the memory (13.6 s vs 2.6 s for 1200
// images of vgg32-vgg64). Keep freed blocks up to 32 MiB (glibc's mmap threshold maximum)
// in the heap instead; process-wide, harmless for the rest of imcnas.
void keep_freed_memory() {
  mallopt(M_MMAP_THRESHOLD, 32 << 20);
  mallopt(M_TRIM_THRESHOLD, 1 << 30);
}

}  // namespace

TrainOutcome train_and_export(const NetGenome& net, const ImageSet& train, const ImageSet& test,
                              const TrainOptions& options, const std::string& onnx_path) {
  check_options(options);
  check_data(net, train, "training");
  check_data(net, test, "test");
  keep_freed_memory();
  torch::set_num_threads(options.threads);
  torch::manual_seed(options.seed);
  const auto t0 = std::chrono::steady_clock::now();
  BnnNet model(net);
  TrainOutcome out;
  out.final_loss = train_network(model, train, test, options);
  out.train_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const FoldedNet folded = fold_network(model);
  write_onnx(folded, onnx_path);
  const int n = std::min(options.fidelity.test_images, test.count);
  out.test_scores = folded_scores(folded, test, n);
  out.software_accuracy = accuracy_of_scores(out.test_scores, net.classes, test, n);
  return out;
}

}  // namespace imc::nas
