// imcsim: runs a command stream on a chip described by an arch file (README.md, docs/).
// Exit status: 0 done; 2 bad input (command line, arch file, program, tensors); 3 the program
// failed at run time; 4 outputs differ from --expect; 1 anything else (e.g. cannot write).
#include <cstdlib>
#include <iomanip>
#include <iostream>
#include <sstream>

#include <boost/program_options.hpp>
#include <systemc>

#include "hw/arch/load.h"
#include "hw/isa/assembler.h"
#include "hw/isa/npy.h"
#include "sim/simulate.h"

namespace po = boost::program_options;
using namespace imc;

namespace {

constexpr const char* kVersion = "imcsim 0.1.0 (SystemC 2.3.4, TLM-2.0)";

std::string engineering(double v, const char* unit) {
  const char* prefixes[] = {"f", "p", "n", "u", "m", "", "k", "M", "G"};
  int i = 5;
  double x = v * 1e-12 / 1e-15;  // v is in pico-units: start at femto and climb
  i = 0;
  while (std::abs(x) >= 1000 && i < 8) {
    x /= 1000;
    ++i;
  }
  std::ostringstream s;
  s << std::setprecision(4) << x << " " << prefixes[i] << unit;
  return s.str();
}

void print_outputs(const sim::SimResult& r) {
  for (const auto& [name, t] : r.outputs) {
    std::cout << "output " << name << " [";
    for (size_t i = 0; i < t.shape.size(); ++i) std::cout << (i ? ", " : "") << t.shape[i];
    std::cout << "] int32\n";
    const int64_t per = t.shape[0] ? static_cast<int64_t>(t.values.size()) / t.shape[0] : 0;
    const int64_t show_n = std::min<int64_t>(t.shape[0], 8), show_v = std::min<int64_t>(per, 32);
    for (int64_t n = 0; n < show_n; ++n) {
      std::cout << "  [" << n << "]";
      for (int64_t i = 0; i < show_v; ++i) std::cout << " " << t.values[n * per + i];
      if (show_v < per) std::cout << " ... (" << per << " values)";
      std::cout << "\n";
    }
    if (show_n < t.shape[0]) std::cout << "  ... (" << t.shape[0] << " inferences)\n";
  }
}

// Compares an output with an expected .npy; returns a message, empty when equal.
std::string compare(const sim::BatchTensor& got, const std::string& path) {
  const isa::NpyTensor want = isa::read_npy_integers(path);
  if (want.shape != got.shape) return path + ": shape differs from the output's";
  const int64_t per = got.shape[0] ? static_cast<int64_t>(got.values.size()) / got.shape[0] : 0;
  for (size_t i = 0; i < got.values.size(); ++i) {
    if (got.values[i] != want.values[i]) {
      std::ostringstream m;
      m << "output differs from " << path << " at inference " << i / per << ", element " << i % per
        << ": got " << got.values[i] << ", expected " << want.values[i];
      return m.str();
    }
  }
  return "";
}

// The tiles with the largest shares of the critical path, and the tokens' share.
void print_critical_path(const std::vector<models::PathSegment>& path) {
  const models::PathShares s = models::path_shares(path);
  if (s.cycles == 0) return;
  const std::vector<std::pair<int, int64_t>> tiles = s.tiles_most_first();
  auto pct = [&](int64_t n) { return std::to_string((200 * n + s.cycles) / (2 * s.cycles)) + "%"; };
  std::cout << "critical path " << s.cycles << " cycles: hand-overs " << pct(s.token_cycles);
  for (size_t k = 0; k < tiles.size() && k < 4; ++k)
    std::cout << ", tile " << tiles[k].first << " " << pct(tiles[k].second);
  if (tiles.size() > 4) std::cout << ", " << tiles.size() - 4 << " more tiles";
  std::cout << "\n";
}

int run(int argc, char* argv[]) {
  sim::SimOptions o;
  std::vector<std::string> sets, expects;
  bool dump_config = false, quiet = false;
  po::options_description opts("imcsim --arch A.yaml --prog P.cmd [options]");
  opts.add_options()("help,h", "print this help")("version", "print the version")(
      "arch", po::value(&o.arch_path), "arch file (YAML) describing the chip")(
      "prog", po::value(&o.program_path), "program: .cmd text or binary image")(
      "input", po::value(&o.inputs)->composing(),
      "input tensor .npy (batch first); NAME=PATH when the program has several")(
      "output", po::value(&o.outputs)->composing(),
      "write an output tensor as int32 .npy; NAME=PATH when several")(
      "expect", po::value(&expects)->composing(),
      "compare an output with a .npy (NAME=PATH or PATH); exit 4 on a difference")(
      "stats", po::value(&o.stats_path), "write statistics as JSON")(
      "vcd", po::value(&o.vcd_path),
      "write a VCD waveform (tile states, units, NoC links, power); co-simulated RTL "
      "blocks go to W.rtl.vcd")("power-trace", po::value(&o.power_path),
                                "write power per component class over time as CSV")(
      "cmd-trace", po::value(&o.cmd_trace_path),
      "write every executed command's issue/start/end cycles (TSV), to compare runs")(
      "critical-path", po::value(&o.critical_path_path),
      "write the chain of tile work and semaphore hand-overs that decided the run's end "
      "(TSV) and print each tile's share of it")(
      "power-bin", po::value(&o.power_bin_cycles)->default_value(100),
      "power trace resolution, cycles (doubled until the run fits 2^20 bins)")(
      "seed", po::value(&o.seed)->default_value(1), "seed of device variation and stuck-at maps")(
      "set", po::value(&sets)->composing(),
      "override an arch file field: path.to.key=value (last wins)")(
      "dump-config", po::bool_switch(&dump_config), "print the effective arch file and exit")(
      "quantum", po::value(&o.quantum_cycles)->default_value(10000),
      "temporal decoupling quantum, cycles (speed only)")("quiet,q", po::bool_switch(&quiet),
                                                          "print nothing on success");
  po::variables_map vm;
  try {
    po::store(po::parse_command_line(argc, argv, opts), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    std::cerr << "imcsim: " << e.what() << " (see --help)\n";
    return 2;
  }
  if (vm.count("help")) {
    std::cout << opts
              << "\nExit status: 0 done, 2 bad input, 3 run-time failure, 4 output differs "
                 "from --expect, 1 other errors.\n";
    return 0;
  }
  if (vm.count("version")) {
    std::cout << kVersion << "\n";
    return 0;
  }
  try {
    for (const std::string& s : sets) o.overrides.push_back(arch::parse_override(s));
    if (o.arch_path.empty()) throw arch::InputError("--arch is required (see --help)");
    if (dump_config) {
      std::cout << arch::dump_effective_config(o.arch_path, o.overrides);
      return 0;
    }
    if (o.program_path.empty()) throw arch::InputError("--prog is required (see --help)");
    if (o.power_bin_cycles < 1 || o.quantum_cycles < 1) {
      throw arch::InputError("--power-bin and --quantum must be at least 1 cycle");
    }
    const sim::SimResult r = sim::simulate(o);
    int status = 0;
    for (const std::string& e : expects) {
      const size_t eq = e.find('=');
      const std::string name = eq == std::string::npos
                                   ? (r.outputs.size() == 1 ? r.outputs.begin()->first : "")
                                   : e.substr(0, eq);
      const std::string path = eq == std::string::npos ? e : e.substr(eq + 1);
      auto it = r.outputs.find(name);
      if (it == r.outputs.end()) throw arch::InputError("--expect " + e + ": no such output");
      const std::string diff = compare(it->second, path);
      if (!diff.empty()) {
        std::cerr << "imcsim: " << diff << "\n";
        status = 4;
      } else if (!quiet) {
        std::cout << "output " << name << " matches " << path << "\n";
      }
    }
    if (!quiet) {
      print_outputs(r);
      std::cout << "arch " << r.arch_name << ", batch " << r.batch << "\n"
                << "cycles " << r.cycles << " (" << engineering(r.time_ns * 1000, "s") << ")\n"
                << "energy " << engineering(r.energy_pj, "J") << " total, "
                << engineering(r.energy_pj / r.batch, "J") << " per inference\n"
                << "power  " << engineering(r.average_power_mw * 1e9, "W") << " average, "
                << engineering(r.peak_power_mw * 1e9, "W") << " peak\n";
      if (!o.critical_path_path.empty()) print_critical_path(r.critical_path);
    }
    return status;
  } catch (const arch::InputError& e) {
    std::cerr << "imcsim: " << e.what() << "\n";
    return 2;
  } catch (const isa::SyntaxError& e) {
    std::cerr << "imcsim: " << e.what() << "\n";
    return 2;
  } catch (const sim::RunError& e) {
    std::cerr << "imcsim: " << e.what() << "\n";
    return 3;
  } catch (const std::exception& e) {
    std::cerr << "imcsim: " << e.what() << "\n";
    return 1;
  }
}

}  // namespace

int sc_main(int argc, char* argv[]) {
  // "no activity" is the normal end of a run whose tiles all halted.
  sc_core::sc_report_handler::set_actions(sc_core::SC_ID_NO_SC_START_ACTIVITY_,
                                          sc_core::SC_DO_NOTHING);
  // A faulting tile stops the kernel; the fault is reported as one line of our own.
  sc_core::sc_report_handler::set_actions("/OSCI/SystemC", sc_core::SC_INFO,
                                          sc_core::SC_DO_NOTHING);
  return run(argc, argv);
}
