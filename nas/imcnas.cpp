// imcnas: hardware-aware neural architecture search for binary/ternary networks on imcsim.
// Each subcommand parses its own options (imcnas SUBCOMMAND --help).
// Exit status: 0 done; 2 bad input (command line, YAML, database); 3 a run-time failure;
// 1 anything else.
#include <cstring>
#include <iostream>
#include <string>
#include <vector>
#include "nas/eval/evaluate_cli.h"
#include "nas/eval/simulate_cli.h"
#include "nas/search/search_cli.h"
#include "nas/train/train_cli.h"

namespace {

constexpr const char* kUsage =
    "imcnas: hardware-aware NAS for binary/ternary networks on imcsim\n"
    "\n"
    "  imcnas search   --space S.yaml --arch A.yaml --algo random|nsga2|tpe\n"
    "                  --objectives accuracy,energy --budget N --workers W\n"
    "                  --fidelity proxy|full --db runs.sqlite --seed S\n"
    "  imcnas results  --db runs.sqlite [--format csv|json]\n"
    "  imcnas pareto   --db runs.sqlite [--objectives ...]\n"
    "  imcnas report   --db runs.sqlite -o report.html\n"
    "  imcnas train    --net N.yaml -o model.onnx [--epochs E ...]\n"
    "  imcnas simulate --model M.onnx --arch A.yaml [--images N] [--out DIR]\n"
    "  imcnas evaluate --job job.json   (one candidate; what workers run)\n"
    "\n"
    "imcnas SUBCOMMAND --help for its options.\n";

}  // namespace

int main(int argc, char* argv[]) {
  if (argc < 2 || !std::strcmp(argv[1], "--help") || !std::strcmp(argv[1], "-h")) {
    std::cout << kUsage;
    return argc < 2 ? 2 : 0;
  }
  const std::string sub = argv[1];
  const std::vector<std::string> args(argv + 2, argv + argc);
  if (sub == "--version") {
    std::cout << "imcnas 0.1.0\n";
    return 0;
  }
  if (sub == "search") return imc::nas::search_main(args, argv[0]);
  if (sub == "results") return imc::nas::results_main(args);
  if (sub == "pareto") return imc::nas::pareto_main(args);
  if (sub == "report") return imc::nas::report_main(args);
  if (sub == "train") return imc::nas::train_main(args);
  if (sub == "evaluate") return imc::nas::evaluate_main(args);
  if (sub == "simulate") return imc::nas::simulate_main(args);
  std::cerr << "imcnas: unknown subcommand '" << sub << "'\n\n" << kUsage;
  return 2;
}
