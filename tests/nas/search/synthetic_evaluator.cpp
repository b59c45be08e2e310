// imcnas_synthetic_evaluator: `evaluate --job J --result R` for synthetic jobs only, with the
// exit statuses of `imcnas evaluate`. It does not load libtorch, so it starts in milliseconds
// where imcnas takes seconds: the CLI tests run the search machinery (workers, crashes,
// SIGKILL and resume, MPI) through it via IMCNAS_EVALUATOR. One test still uses imcnas.
#include <iostream>
#include <string>

#include "hw/arch/load.h"
#include "hw/isa/file_io.h"
#include "nas/eval/synthetic.h"

int main(int argc, char** argv) {
  using namespace imc;
  std::string job_path, result_path;
  if (argc != 6 || std::string(argv[1]) != "evaluate" || std::string(argv[2]) != "--job" ||
      std::string(argv[4]) != "--result") {
    std::cerr << "usage: imcnas_synthetic_evaluator evaluate --job J --result R\n";
    return 2;
  }
  job_path = argv[3], result_path = argv[5];
  try {
    const nas::EvalJob job = nas::job_from_json(isa::read_file_bytes(job_path));
    if (job.evaluator != "synthetic") throw arch::InputError("only synthetic jobs run here");
    isa::write_file_atomically(result_path,
                               nas::result_to_json(nas::evaluate_synthetic(job)) + "\n");
    return 0;
  } catch (const arch::InputError& e) {
    std::cerr << "imcnas_synthetic_evaluator: " << job_path << ": " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "imcnas_synthetic_evaluator: " << e.what() << "\n";
    return 3;
  }
}
