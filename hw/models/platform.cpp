#include "hw/models/platform.h"

#include <algorithm>
#include <cstring>
#include <stdexcept>
#include <string>

namespace imc::models {

Platform::Platform(sc_core::sc_module_name name, const arch::ChipParams& chip,
                   const isa::Program& program, const PlatformOptions& options)
    : sc_core::sc_module(name),
      host("host"),
      chip_(chip),
      program_(program),
      energy_(chip.tiles(), options.power_bin_cycles),
      trace_(options.trace) {
  Clock::use_femtoseconds();
  const Clock clock(chip.period_ps);
  // Tile t acts t + 1 kernel ticks into a cycle (see clock.h): the ticks must not run out.
  if (static_cast<uint64_t>(chip.tiles()) + 1 >= clock.ticks_per_cycle()) {
    throw std::runtime_error("the kernel's time resolution is too coarse for " +
                             std::to_string(chip.tiles()) + " tiles");
  }
  tlm::tlm_global_quantum::instance().set(clock.at(options.quantum_cycles));

  gb_ = std::make_unique<GlobalBuffer>("global_buffer", chip, energy_);
  noc_ = std::make_unique<MeshNoc>("noc", chip, energy_, trace_);
  std::vector<const isa::TileProgram*> code(chip.tiles(), nullptr);
  for (const isa::TileProgram& t : program.tiles) {
    if (t.tile >= 0 && t.tile < chip.tiles()) code[t.tile] = &t;
  }
  for (int t = 0; t < chip.tiles(); ++t) {
    tiles_.push_back(
        std::make_unique<Tile>(("tile" + std::to_string(t)).c_str(), t, chip, program, code[t],
                               options.batch, options.seed, energy_, trace_, status_, options.rtl,
                               TileRecording{options.record_commands, options.record_waits}));
  }
  // Initiators in tile order, then the host; targets in tile order, then the buffer.
  for (auto& t : tiles_) t->to_noc.bind(noc_->from_tiles);
  host.bind(noc_->from_tiles);
  for (auto& t : tiles_) noc_->to_targets.bind(t->from_noc);
  noc_->to_targets.bind(gb_->socket);
}

Platform::~Platform() = default;

void Platform::host_access(bool write, uint64_t address, uint8_t* data, size_t n) {
  if (!dmi_valid_) {
    tlm::tlm_generic_payload p;
    p.set_address(0);
    p.set_command(tlm::TLM_READ_COMMAND);
    dmi_valid_ = host->get_direct_mem_ptr(p, dmi_);
  }
  if (dmi_valid_ && address + n - 1 <= dmi_.get_end_address()) {
    uint8_t* mem = dmi_.get_dmi_ptr() + address;
    if (write)
      std::memcpy(mem, data, n);
    else
      std::memcpy(data, mem, n);
    return;
  }
  tlm::tlm_generic_payload p;
  p.set_command(write ? tlm::TLM_WRITE_COMMAND : tlm::TLM_READ_COMMAND);
  p.set_address(address);
  p.set_data_ptr(data);
  p.set_data_length(static_cast<unsigned>(n));
  if (host->transport_dbg(p) != n) {
    throw std::out_of_range("global buffer access outside the buffer at " +
                            std::to_string(address));
  }
}

void Platform::write_global(uint64_t address, const uint8_t* data, size_t n) {
  if (!started_) {  // multi-sockets complete their bindings only at end of elaboration
    pending_writes_.emplace_back(address, std::vector<uint8_t>(data, data + n));
    return;
  }
  host_access(true, address, const_cast<uint8_t*>(data), n);
}

void Platform::start_of_simulation() {
  started_ = true;
  for (auto& [address, bytes] : pending_writes_)
    host_access(true, address, bytes.data(), bytes.size());
  pending_writes_.clear();
}

void Platform::read_global(uint64_t address, uint8_t* data, size_t n) {
  host_access(false, address, data, n);
}

RunReport Platform::run() {
  sc_core::sc_start();
  RunReport r;
  int64_t end = Clock(chip_.period_ps).now();
  for (const auto& t : tiles_) {
    if (!t->has_program()) continue;
    end = std::max(end, t->done_cycle());
    for (int i = 0; i < 16; ++i) r.opcode_counts[i] += t->opcode_counts()[i];
  }
  if (status_.failed) {
    r.fault = status_.fault;
  } else {
    for (const auto& t : tiles_) {
      if (t->has_program() && !t->halted()) {
        r.fault = t->stuck_at();
        break;
      }
    }
  }
  r.cycles = end;
  energy_.finish(end, chip_.energy.leakage_pj_per_tile_cycle);
  for (const auto& t : tiles_) {
    if (!t->has_program()) continue;
    r.tiles.push_back({t->id(), t->busy_cycles(), t->done_cycle(), energy_.by_tile(t->id())});
  }
  return r;
}

}  // namespace imc::models
