// JSON of the evaluation contract: what `imcnas evaluate --job` reads and writes back.
#include <nlohmann/json.hpp>

#include "hw/arch/load.h"
#include "nas/eval/candidate.h"

namespace imc::nas {
namespace {

using Json = nlohmann::json;

Json fidelity_json(const Fidelity& f) {
  return {{"name", f.name},
          {"epochs", f.epochs},
          {"train_fraction", f.train_fraction},
          {"test_images", f.test_images},
          {"variation_seeds", f.variation_seeds},
          {"noise_sigma", f.noise_sigma},
          {"batch_size", f.batch_size},
          {"learning_rate", f.learning_rate}};
}

Fidelity fidelity_from(const Json& j) {
  Fidelity f;
  f.name = j.at("name").get<std::string>();
  f.epochs = j.at("epochs").get<int>();
  f.train_fraction = j.at("train_fraction").get<double>();
  f.test_images = j.at("test_images").get<int>();
  f.variation_seeds = j.at("variation_seeds").get<int>();
  f.noise_sigma = j.at("noise_sigma").get<double>();
  f.batch_size = j.at("batch_size").get<int>();
  f.learning_rate = j.at("learning_rate").get<double>();
  return f;
}

template <typename F>
auto parsed(const std::string& text, const char* what, F&& read) {
  try {
    return read(Json::parse(text));
  } catch (const Json::exception& e) {
    throw arch::InputError(std::string(what) + ": " + e.what());
  }
}

}  // namespace

std::string fidelity_to_json(const Fidelity& f) {
  return fidelity_json(f).dump();
}

std::string job_to_json(const EvalJob& job) {
  const Json j = {{"genome", Json::parse(genome_to_json(job.genome))},
                  {"fidelity", fidelity_json(job.fidelity)},
                  {"seed", job.seed},
                  {"arch_file", job.arch_file},
                  {"data_dir", job.data_dir},
                  {"work_dir", job.work_dir},
                  {"threads", job.threads},
                  {"evaluator", job.evaluator}};
  return j.dump(2);
}

EvalJob job_from_json(const std::string& text) {
  return parsed(text, "job", [](const Json& j) {
    EvalJob job;
    job.genome = genome_from_json(j.at("genome").dump());
    job.fidelity = fidelity_from(j.at("fidelity"));
    job.seed = j.at("seed").get<uint64_t>();
    job.arch_file = j.at("arch_file").get<std::string>();
    job.data_dir = j.at("data_dir").get<std::string>();
    job.work_dir = j.at("work_dir").get<std::string>();
    job.threads = j.at("threads").get<int>();
    job.evaluator = j.at("evaluator").get<std::string>();
    if (job.evaluator != "full" && job.evaluator != "synthetic") {
      throw arch::InputError("job: evaluator '" + job.evaluator + "': expected full or synthetic");
    }
    return job;
  });
}

std::string result_to_json(const EvalResult& r) {
  const Metrics& m = r.metrics;
  const Json j = {{"ok", r.ok},
                  {"failure", r.failure},
                  {"metrics",
                   {{"accuracy", m.accuracy},
                    {"accuracy_p10", m.accuracy_p10},
                    {"software_accuracy", m.software_accuracy},
                    {"cycles_per_image", m.cycles_per_image},
                    {"energy_pj_per_image", m.energy_pj_per_image},
                    {"crossbars", m.crossbars},
                    {"tiles", m.tiles},
                    {"area_cells", m.area_cells},
                    {"train_s", m.train_s},
                    {"compile_s", m.compile_s},
                    {"simulate_s", m.simulate_s}}}};
  return j.dump(2);
}

EvalResult result_from_json(const std::string& text) {
  return parsed(text, "result", [](const Json& j) {
    EvalResult r;
    r.ok = j.at("ok").get<bool>();
    r.failure = j.at("failure").get<std::string>();
    const Json& m = j.at("metrics");
    r.metrics.accuracy = m.at("accuracy").get<double>();
    r.metrics.accuracy_p10 = m.at("accuracy_p10").get<double>();
    r.metrics.software_accuracy = m.at("software_accuracy").get<double>();
    r.metrics.cycles_per_image = m.at("cycles_per_image").get<double>();
    r.metrics.energy_pj_per_image = m.at("energy_pj_per_image").get<double>();
    r.metrics.crossbars = m.at("crossbars").get<int>();
    r.metrics.tiles = m.at("tiles").get<int>();
    r.metrics.area_cells = m.at("area_cells").get<double>();
    r.metrics.train_s = m.at("train_s").get<double>();
    r.metrics.compile_s = m.at("compile_s").get<double>();
    r.metrics.simulate_s = m.at("simulate_s").get<double>();
    return r;
  });
}

}  // namespace imc::nas
