// Compiles the model, runs the test images through imcsim, prints accuracy, cycles and energy
// per image and writes OUT/{net.cmd, stats.json, power.csv, wave.vcd, report.html}. The
// waveform covers one image (a separate run): the whole test set's would be gigabytes.
// Exit status: 0 done; 2 bad input (model, arch file, data set, options); 3 imcsim failed.
#include <algorithm>
#include <filesystem>
#include <iomanip>
#include <iostream>

#include <boost/program_options.hpp>

#include "compiler/backend/backend.h"
#include "compiler/frontend/compile_error.h"
#include "hw/arch/load.h"
#include "hw/isa/file_io.h"
#include "nas/eval/chip_run.h"
#include "nas/eval/model_report.h"
#include "nas/eval/simulate_cli.h"

namespace imc::nas {
namespace {

namespace po = boost::program_options;
namespace fs = std::filesystem;

struct Args {
  std::string model, arch, data = kDefaultDataDir, out = "out";
  std::vector<std::string> sets;
  int images = 10000;
  int batch = 1000;
  uint64_t seed = 1;
};

int run(const Args& a) {
  std::vector<arch::Override> overrides;
  for (const std::string& s : a.sets) overrides.push_back(arch::parse_override(s));
  const arch::ChipParams chip = arch::load_chip(a.arch, overrides);
  const ImageSet test = first_images(load_fashion_mnist(a.data, false), a.images);
  fs::create_directories(a.out);
  const fs::path out = a.out;
  const std::string cmd = (out / "net.cmd").string();
  const CompiledModel compiled = compile_model(a.model, chip, cmd);
  const Resources used = count_resources(compiled, chip);

  ChipRunOptions o;
  o.arch_file = a.arch;
  o.overrides = a.sets;
  o.seed = a.seed;
  o.work_dir = (out / "one_image").string();
  o.extra_args = {"--vcd", (out / "wave.vcd").string()};
  const ChipRun one = run_on_chip(cmd, first_images(test, 1), o);

  // The global buffer holds a bounded batch: the test set runs in batches of at most
  // --batch images (each its own imcsim run); cycles and energy add up.
  o.work_dir = out.string();
  o.extra_args = {"--power-trace", (out / "power.csv").string()};
  o.batch = std::min(a.batch, max_batch(compiled.program, chip));
  const ChipRun all = run_on_chip(cmd, test, o);
  isa::write_file_atomically((out / "stats.json").string(), all.stats.dump(2) + "\n");

  ModelReport report;
  report.model = a.model;
  report.arch = chip.name + " (" + a.arch + ")";
  report.images = test.count;
  report.predictions = all.predictions;
  report.labels.assign(test.labels.begin(), test.labels.end());
  report.stats = all.stats;
  report.power_csv = isa::read_file_bytes((out / "power.csv").string());
  report.latency_cycles = one.stats.at("cycles").get<int64_t>();
  report.resources = used;
  isa::write_file_atomically((out / "report.html").string(), model_report_html(report));

  const double cycles = all.stats.at("cycles").get<double>() / test.count;
  const int correct = int(all.accuracy * test.count + 0.5);
  std::cout << std::fixed << "model          " << a.model << " on " << chip.name << ": "
            << used.crossbars << " crossbars on " << used.tiles << " tiles\n"
            << "images         " << test.count << " Fashion-MNIST test images\n"
            << "accuracy       " << std::setprecision(2) << 100 * all.accuracy << "% (" << correct
            << "/" << test.count << ")\n"
            << "cycles/image   " << std::setprecision(1) << cycles << " (pipelined over the batch; "
            << one.stats.at("cycles").get<int64_t>() << " for one image alone)\n"
            << "energy/image   " << std::setprecision(2)
            << all.stats.at("energy_per_inference_pj").get<double>() / 1000 << " nJ\n"
            << "wrote          " << (out / "stats.json").string() << ", "
            << (out / "power.csv").string() << ", " << (out / "wave.vcd").string()
            << " (one image), " << (out / "report.html").string() << "\n";
  return 0;
}

}  // namespace

int simulate_main(const std::vector<std::string>& args) {
  Args a;
  po::options_description opts(
      "imcnas simulate --model M.onnx --arch A.yaml [--images N] [--out DIR]");
  opts.add_options()("help,h", "print this help")("model", po::value(&a.model),
                                                  "trained model (ONNX) to compile and run")(
      "arch", po::value(&a.arch), "arch file of the chip")(
      "set", po::value(&a.sets)->composing(), "override an arch file field: path.to.key=value")(
      "images", po::value(&a.images)->default_value(10000), "test images to run (the first N)")(
      "batch", po::value(&a.batch)->default_value(1000),
      "images per imcsim run (the global buffer holds a bounded batch)")(
      "data", po::value(&a.data)->default_value(kDefaultDataDir), "Fashion-MNIST directory")(
      "out", po::value(&a.out)->default_value("out"),
      "directory for net.cmd, stats.json, power.csv, wave.vcd, report.html")(
      "seed", po::value(&a.seed)->default_value(1), "imcsim seed (device variation)");
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(args).options(opts).run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    std::cerr << "imcnas simulate: " << e.what() << " (see --help)\n";
    return 2;
  }
  if (vm.count("help")) {
    std::cout << opts;
    return 0;
  }
  try {
    if (a.model.empty() || a.arch.empty()) {
      throw arch::InputError("--model and --arch are required (see --help)");
    }
    if (a.images < 1 || a.batch < 1) {
      throw arch::InputError("--images and --batch must be at least 1");
    }
    return run(a);
  } catch (const arch::InputError& e) {
    std::cerr << "imcnas simulate: " << e.what() << "\n";
    return 2;
  } catch (const compiler::CompileError& e) {
    std::cerr << "imcnas simulate: " << e.what() << "\n";
    return 2;
  } catch (const compiler::BackendError& e) {
    std::cerr << "imcnas simulate: " << a.model << ": " << e.what() << "\n";
    return 2;
  } catch (const ChipRunError& e) {
    std::cerr << "imcnas simulate: " << e.what() << "\n";
    return 3;
  } catch (const std::exception& e) {
    std::cerr << "imcnas simulate: " << e.what() << "\n";
    return 1;
  }
}

}  // namespace imc::nas
