// A self-contained HTML page (inline SVG, no scripts) about one trained model run on the
// chip: accuracy and confusion matrix, cycles and energy per image, energy by component
// class, power over time, resources.
#pragma once
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "nas/eval/chip_run.h"

namespace imc::nas {

struct ModelReport {
  std::string model, arch;
  int images = 0;
  std::vector<int> predictions, labels;
  nlohmann::json stats;        // imcsim's stats.json of the whole test set
  std::string power_csv;       // imcsim's --power-trace of the same run
  int64_t latency_cycles = 0;  // one image alone
  Resources resources;
};

std::string model_report_html(const ModelReport& r);

}  // namespace imc::nas
