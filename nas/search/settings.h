// The settings of one search, as given on the command line (docs/nas.md, "imcnas search").
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "nas/search/objectives.h"

namespace imc::nas {

struct SearchSettings {
  std::string space_file, arch_file, db_file;
  std::string algo = "nsga2";  // random, nsga2, tpe
  std::vector<Metric> objectives = {Metric::kAccuracy, Metric::kEnergy};
  std::vector<Constraint> constraints;
  int64_t budget = 64;  // proposals (see docs/nas.md, "Budget")
  int workers = 1;
  std::string fidelity = "proxy";
  uint64_t seed = 1;
  std::string evaluator = "full";  // or "synthetic"
  int population = 16;             // NSGA-II: a multiple of 4, at least 8
  int batch = 8;                   // random and TPE: proposals evaluated together
  int tpe_startup = 16;            // TPE: random proposals before the model takes over
  double timeout_s = 0;            // per candidate attempt; 0 = none
  std::string data_dir;            // Fashion-MNIST
  std::string work_dir;            // scratch; "" = DB.work
  bool keep_work = false;
  bool quiet = false;
};

}  // namespace imc::nas
