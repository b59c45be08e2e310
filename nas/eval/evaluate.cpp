#include "nas/eval/evaluate.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>

#include "compiler/backend/backend.h"
#include "compiler/frontend/compile_error.h"
#include "hw/arch/load.h"
#include "nas/eval/chip_run.h"
#include "nas/train/train.h"

namespace imc::nas {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

EvalResult failed(std::string why, const Metrics& so_far) {
  EvalResult r;
  r.failure = std::move(why);
  r.metrics = so_far;
  return r;
}

// The p-th quantile (0..1) of values, interpolating linearly between order statistics.
double quantile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  const double pos = p * double(v.size() - 1);
  const size_t lo = size_t(std::floor(pos)), hi = std::min(lo + 1, v.size() - 1);
  return v[lo] + (pos - double(lo)) * (v[hi] - v[lo]);
}

struct Setup {
  ImageSet train, test;
};

// What is wrong here is the user's, not the candidate's: the search should stop.
Setup load_setup(const EvalJob& job) {
  try {
    arch::load_chip(job.arch_file, {});
    Setup s;
    s.train = load_fashion_mnist(job.data_dir, true);
    s.test = first_images(load_fashion_mnist(job.data_dir, false), job.fidelity.test_images);
    return s;
  } catch (const arch::InputError& e) {
    throw SetupError(e.what());
  }
}

}  // namespace

EvalResult evaluate_full(const EvalJob& job) {
  const Setup setup = load_setup(job);
  Metrics m;
  arch::ChipParams chip;
  try {
    std::vector<arch::Override> overrides;
    for (const std::string& s : job.genome.arch_overrides) {
      overrides.push_back(arch::parse_override(s));
    }
    chip = arch::load_chip(job.arch_file, overrides);
  } catch (const arch::InputError& e) {
    return failed(std::string("hardware genome: ") + e.what(), m);
  }
  const fs::path work = job.work_dir;
  fs::create_directories(work);
  const std::string onnx = (work / "model.onnx").string();

  TrainOptions options;
  options.fidelity = job.fidelity;
  options.seed = job.seed;
  options.threads = job.threads;

  // Fit check first: whether imcc can map the network does not depend on the weights, and
  // training is the expensive step, so an untrained export is compiled before anything else.
  const std::string cmd = (work / "net.cmd").string();
  try {
    TrainOptions untrained = options;
    untrained.fidelity.epochs = 0;
    train_and_export(job.genome.net, first_images(setup.train, 1), first_images(setup.test, 1),
                     untrained, onnx);
  } catch (const std::exception& e) {  // TrainError, or data that does not match the net
    return failed(std::string("export: ") + e.what(), m);
  }
  std::string why_not;
  try {
    compile_model(onnx, chip, cmd);
  } catch (const compiler::BackendError& e) {
    why_not = e.what();
  } catch (const compiler::CompileError& e) {
    why_not = e.what();
  } catch (const arch::InputError& e) {
    why_not = e.what();
  }
  if (!why_not.empty()) return failed("imcc: " + why_not, m);

  try {
    const TrainOutcome t = train_and_export(job.genome.net, setup.train, setup.test, options, onnx);
    m.software_accuracy = t.software_accuracy;
    m.train_s = t.train_s;
  } catch (const TrainError& e) {
    return failed(std::string("training: ") + e.what(), m);
  }

  const Clock::time_point compile_start = Clock::now();
  int batch = 0;
  try {
    const CompiledModel compiled = compile_model(onnx, chip, cmd);
    batch = max_batch(compiled.program, chip);
    const Resources used = count_resources(compiled, chip);
    m.crossbars = used.crossbars;
    m.tiles = used.tiles;
    m.area_cells = used.area_cells;
  } catch (const compiler::BackendError& e) {
    return failed(std::string("imcc: ") + e.what(), m);
  } catch (const compiler::CompileError& e) {
    return failed(std::string("imcc: ") + e.what(), m);
  } catch (const arch::InputError& e) {
    return failed(std::string("imcc: ") + e.what(), m);
  }
  m.compile_s = seconds_since(compile_start);

  // With variation or stuck-at cells every seed is another chip: Monte-Carlo over seeds.
  const Clock::time_point sim_start = Clock::now();
  const arch::CrossbarParams& xb = chip.tile.crossbar;
  const bool varies = xb.variation_sigma > 0 || xb.stuck_at_0 > 0 || xb.stuck_at_1 > 0;
  const int seeds = varies ? std::max(1, job.fidelity.variation_seeds) : 1;
  ChipRunOptions run;
  run.arch_file = job.arch_file;
  run.overrides = job.genome.arch_overrides;
  run.work_dir = work.string();
  run.batch = batch;
  std::vector<double> accuracies;
  try {
    for (int i = 0; i < seeds; ++i) {
      run.seed = job.seed + uint64_t(i);
      const ChipRun r = run_on_chip(cmd, setup.test, run);
      accuracies.push_back(r.accuracy);
      m.cycles_per_image = r.stats.at("cycles").get<double>() / setup.test.count;
      m.energy_pj_per_image = r.stats.at("energy_per_inference_pj").get<double>();
    }
  } catch (const ChipRunError& e) {
    return failed(e.what(), m);
  }
  double sum = 0;
  for (double a : accuracies) sum += a;
  m.accuracy = sum / double(accuracies.size());
  m.accuracy_p10 = quantile(accuracies, 0.1);
  m.simulate_s = seconds_since(sim_start);
  EvalResult r;
  r.ok = true;
  r.metrics = m;
  return r;
}

}  // namespace imc::nas
