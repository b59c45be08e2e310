// A whole chip built from its parameters: tiles on a mesh NoC with a global buffer, loaded
// with a program, run to completion. Takes no files: sim/ reads them and hands over structs.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include <tlm_utils/simple_initiator_socket.h>
#include <systemc>
#include <tlm>

#include "hw/arch/params.h"
#include "hw/isa/program.h"
#include "hw/models/activity_trace.h"
#include "hw/models/energy_meter.h"
#include "hw/models/global_buffer.h"
#include "hw/models/mesh_noc.h"
#include "hw/models/run_status.h"
#include "hw/models/tile.h"

namespace imc::models {

struct PlatformOptions {
  uint64_t seed = 1;                // device variation and stuck-at maps
  int64_t batch = 1;                // inferences: the trip count of `LOOP count=batch`
  int64_t quantum_cycles = 10000;   // temporal-decoupling quantum
  int64_t power_bin_cycles = 100;   // resolution of the power trace
  bool trace = false;               // record activity for waveforms
  bool record_commands = false;     // keep every executed command's cycles (Tile::commands)
  bool record_waits = false;        // keep the blocking WAITs (Tile::blocking_waits)
  const RtlFactory* rtl = nullptr;  // makes the blocks the arch file selects `impl: rtl` for
};

struct TileReport {
  int id = 0;
  int64_t busy_cycles = 0;
  int64_t done_cycle = 0;
  double energy_pj = 0;
};

struct RunReport {
  int64_t cycles = 0;
  std::optional<RunFault> fault;  // a run-time fault or a deadlock
  std::vector<TileReport> tiles;  // tiles that have a program
  std::array<int64_t, 16> opcode_counts{};
};

class Platform : public sc_core::sc_module {
 public:
  Platform(sc_core::sc_module_name name, const arch::ChipParams& chip, const isa::Program& program,
           const PlatformOptions& options);
  ~Platform() override;

  // Host access to the global buffer (DMI when granted, else debug transport); no time passes.
  // Writes before the run are applied when the simulation starts.
  void write_global(uint64_t address, const uint8_t* data, size_t n);
  void read_global(uint64_t address, uint8_t* data, size_t n);

  // Runs until every tile halts, a tile faults, or nothing can make progress. Once.
  RunReport run();

  const EnergyMeter& energy() const { return energy_; }
  const ActivityTrace& trace() const { return trace_; }
  const NocStats& noc_stats() const { return noc_->stats(); }
  std::string noc_link_name(int link) const { return noc_->link_name(link); }
  const arch::ChipParams& chip() const { return chip_; }
  const std::vector<std::unique_ptr<Tile>>& tiles() const { return tiles_; }

  tlm_utils::simple_initiator_socket<Platform> host;

 private:
  void start_of_simulation() override;
  void host_access(bool write, uint64_t address, uint8_t* data, size_t n);

  const arch::ChipParams& chip_;
  const isa::Program& program_;
  EnergyMeter energy_;
  ActivityTrace trace_;
  RunStatus status_;
  std::unique_ptr<GlobalBuffer> gb_;
  std::unique_ptr<MeshNoc> noc_;
  std::vector<std::unique_ptr<Tile>> tiles_;
  bool started_ = false;
  std::vector<std::pair<uint64_t, std::vector<uint8_t>>> pending_writes_;
  bool dmi_valid_ = false;
  tlm::tlm_dmi dmi_;
};

}  // namespace imc::models
