// What evaluating one candidate takes and gives: the contract between the search (which
// schedules candidates on workers and stores results) and the evaluator (train -> ONNX ->
// imcc -> imcsim). The evaluator runs in a child process (`imcnas evaluate`), so a crash or
// a kill loses that candidate only.
#pragma once
#include <cstdint>
#include <string>
#include "nas/genome/genome.h"

namespace imc::nas {

// How much a candidate is trained and tested: named in the search space YAML (`fidelity:`).
struct Fidelity {
  std::string name = "proxy";
  int epochs = 1;
  double train_fraction = 0.1;  // of the 60000 Fashion-MNIST training images
  int test_images = 500;        // held-out test images run on imcsim (the first N)
  int variation_seeds = 1;      // Monte-Carlo seeds when the arch has variation_sigma > 0
  double noise_sigma = 0;       // variation-aware training: relative weight noise, 0 = off
  int batch_size = 64;
  double learning_rate = 1e-3;
};

struct EvalJob {
  Genome genome;
  Fidelity fidelity;
  uint64_t seed = 1;               // training and variation seeds derive from it
  std::string arch_file;           // the --arch file; the genome's overrides apply on top
  std::string data_dir;            // Fashion-MNIST IDX files (gzipped or not)
  std::string work_dir;            // scratch for model.onnx, net.cmd, x.npy, stats.json
  int threads = 1;                 // intra-op threads for training
  std::string evaluator = "full";  // "full", or "synthetic" (tests of the search machinery)
};

struct Metrics {
  double accuracy = 0;           // on imcsim, mean over variation seeds
  double accuracy_p10 = 0;       // 10th percentile over variation seeds
  double software_accuracy = 0;  // the trained network in libtorch, same test images
  double cycles_per_image = 0;   // pipelined schedule over the test batch
  double energy_pj_per_image = 0;
  int crossbars = 0, tiles = 0;  // programmed (pipeline replicas included) / doing work
  double area_cells = 0;         // array cells of the tiles used (see chip_run.h)
  double train_s = 0, compile_s = 0, simulate_s = 0;
};

struct EvalResult {
  bool ok = false;
  std::string failure;  // why, when !ok: "does not fit: ...", "training diverged", ...
  Metrics metrics;
};

std::string fidelity_to_json(const Fidelity& f);  // every field: part of a search's identity
std::string job_to_json(const EvalJob& job);
EvalJob job_from_json(const std::string& json);
std::string result_to_json(const EvalResult& r);
EvalResult result_from_json(const std::string& json);

}  // namespace imc::nas
