// `imcnas evaluate`: one candidate in this (child) process. Exit status: 0 the result was
// written (the candidate may still have failed: see its "ok" and "failure"); 2 a bad job or
// setup (missing data set, bad arch file): the search should stop; 3 an unexpected failure.
#include <iostream>

#include <boost/program_options.hpp>

#include "hw/arch/load.h"
#include "hw/isa/file_io.h"
#include "nas/eval/evaluate.h"
#include "nas/eval/evaluate_cli.h"
#include "nas/eval/synthetic.h"

namespace imc::nas {

namespace po = boost::program_options;

int evaluate_main(const std::vector<std::string>& args) {
  std::string job_path, result_path;
  po::options_description opts("imcnas evaluate --job job.json [--result result.json]");
  opts.add_options()("help,h", "print this help")(
      "job", po::value(&job_path), "the candidate: genome, fidelity, seed, arch file (JSON)")(
      "result", po::value(&result_path), "where the result JSON goes (default: stdout)");
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(args).options(opts).run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    std::cerr << "imcnas evaluate: " << e.what() << " (see --help)\n";
    return 2;
  }
  if (vm.count("help")) {
    std::cout << opts;
    return 0;
  }
  try {
    if (job_path.empty()) throw arch::InputError("--job is required (see --help)");
    const EvalJob job = job_from_json(isa::read_file_bytes(job_path));
    const EvalResult r =
        job.evaluator == "synthetic" ? evaluate_synthetic(job) : evaluate_full(job);
    const std::string json = result_to_json(r);
    if (result_path.empty()) {
      std::cout << json << "\n";
    } else {
      isa::write_file_atomically(result_path, json + "\n");
    }
    return 0;
  } catch (const arch::InputError& e) {
    std::cerr << "imcnas evaluate: " << job_path << ": " << e.what() << "\n";
    return 2;
  } catch (const SetupError& e) {
    std::cerr << "imcnas evaluate: " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "imcnas evaluate: " << e.what() << "\n";
    return 3;
  }
}

}  // namespace imc::nas
