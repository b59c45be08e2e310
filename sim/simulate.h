// One simulation, from files to files: what `imcsim` does, usable as a library (one per
// process: SystemC elaborates once).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "hw/arch/load.h"
#include "hw/models/critical_path.h"
#include "hw/models/run_status.h"
#include "sim/tensor_io.h"

namespace imc::sim {

struct SimOptions {
  std::string arch_path;
  std::string program_path;
  std::vector<arch::Override> overrides;
  std::vector<std::string> inputs;   // "PATH" or "NAME=PATH"
  std::vector<std::string> outputs;  // "PATH" or "NAME=PATH"
  std::string stats_path, vcd_path, power_path;
  std::string cmd_trace_path;      // every executed command's issue/start/end cycles (TSV)
  std::string critical_path_path;  // the chain of work and hand-overs that set the run's end
  uint64_t seed = 1;
  int64_t quantum_cycles = 10000;
  int64_t power_bin_cycles = 100;
};

// A program that failed while running: what() names the command and the simulated time.
class RunError : public std::runtime_error {
 public:
  RunError(const std::string& what, models::RunFault fault)
      : std::runtime_error(what), fault_(std::move(fault)) {}
  const models::RunFault& fault() const { return fault_; }

 private:
  models::RunFault fault_;
};

struct SimResult {
  std::string arch_name;
  int64_t batch = 1;
  int64_t cycles = 0;
  double time_ns = 0;
  double energy_pj = 0;
  double average_power_mw = 0;
  double peak_power_mw = 0;
  std::map<std::string, BatchTensor> outputs;
  nlohmann::json stats;
  std::vector<models::PathSegment> critical_path;  // with critical_path_path only
};

// Throws arch::InputError / isa::SyntaxError for bad input (exit 2), RunError for a program
// that fails at run time (exit 3), std::runtime_error when a result cannot be written.
SimResult simulate(const SimOptions& options);

// Where --vcd w.vcd puts the waveform of the co-simulated RTL blocks: w.rtl.vcd.
std::string rtl_vcd_path(const std::string& vcd_path);
// Whether the chip runs any block as RTL (arch file `impl: rtl`).
bool uses_rtl(const arch::ChipParams& chip);

}  // namespace imc::sim
