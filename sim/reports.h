// What a run leaves behind besides its outputs: stats.json, the power trace (CSV) and the
// waveform (VCD). Each file is written to PATH.tmp and renamed, so a failure leaves no
// half-written file.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "hw/models/critical_path.h"
#include "hw/models/platform.h"

namespace imc::sim {

struct RunInfo {
  std::string arch_file;
  std::string program_file;
  int64_t batch = 1;
  uint64_t seed = 1;
};

nlohmann::json make_stats(const models::Platform& platform, const models::RunReport& report,
                          const RunInfo& info);
// Average and peak power in mW over the run (peak over power-trace bins).
std::pair<double, double> power_mw(const models::EnergyMeter& energy, int64_t period_ps);

void write_stats(const std::string& path, const nlohmann::json& stats);
void write_power_csv(const std::string& path, const models::EnergyMeter& energy, int64_t period_ps);
// One line per executed command, tile by tile in execution order:
// tile, program line, mnemonic, issue, start and end cycle (tab-separated, with a header).
void write_command_trace(const std::string& path, const models::Platform& platform);
// The critical path (hw/models/critical_path.h) of a run made with record_waits, and its
// TSV: one line per segment in time order, begin, end, cycles, kind (tile or token), the
// tile, the sending tile of a token, the program line and mnemonic of the command ending a
// tile's segment or sending a token.
std::vector<models::PathSegment> critical_path_of(const models::Platform& platform);
void write_critical_path(const std::string& path, const std::vector<models::PathSegment>& segs);
// Its shares for stats.json: {cycles, hand_over_cycles, tiles: [{id, cycles}] most first}.
nlohmann::json critical_path_json(const std::vector<models::PathSegment>& segs);
void write_vcd(const std::string& path, const models::ActivityTrace& trace,
               const models::EnergyMeter& energy, int64_t period_ps);

}  // namespace imc::sim
