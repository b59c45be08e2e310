// The chip's global buffer: a TLM-2.0 target with one port of fixed width; accesses queue
// for the port. Offers DMI and debug transport for loading inputs and reading outputs.
#pragma once

#include <cstdint>
#include <vector>

#include <tlm_utils/simple_target_socket.h>
#include <systemc>
#include <tlm>

#include "hw/arch/params.h"
#include "hw/models/clock.h"
#include "hw/models/energy_meter.h"

namespace imc::models {

class GlobalBuffer : public sc_core::sc_module {
 public:
  tlm_utils::simple_target_socket<GlobalBuffer> socket;

  GlobalBuffer(sc_core::sc_module_name name, const arch::ChipParams& chip, EnergyMeter& energy);

  uint8_t* data() { return mem_.data(); }
  int64_t size() const { return static_cast<int64_t>(mem_.size()); }
  int64_t bits_accessed() const { return bits_accessed_; }

 private:
  void b_transport(tlm::tlm_generic_payload& p, sc_core::sc_time& delay);
  bool get_direct_mem_ptr(tlm::tlm_generic_payload& p, tlm::tlm_dmi& dmi);
  unsigned transport_dbg(tlm::tlm_generic_payload& p);

  const arch::GlobalBufferParams& params_;
  const arch::EnergyParams& energy_params_;
  EnergyMeter& energy_;
  std::vector<uint8_t> mem_;
  int64_t port_free_ = 0;
  int64_t bits_accessed_ = 0;
  Clock clock_;
};

}  // namespace imc::models
