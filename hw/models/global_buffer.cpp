#include "hw/models/global_buffer.h"

#include <algorithm>
#include <cstring>

namespace imc::models {

GlobalBuffer::GlobalBuffer(sc_core::sc_module_name name, const arch::ChipParams& chip,
                           EnergyMeter& energy)
    : sc_core::sc_module(name),
      socket("socket"),
      params_(chip.global_buffer),
      energy_params_(chip.energy),
      energy_(energy),
      mem_(static_cast<size_t>(chip.global_buffer.capacity_bits / 8), 0),
      clock_(chip.period_ps) {
  socket.register_b_transport(this, &GlobalBuffer::b_transport);
  socket.register_get_direct_mem_ptr(this, &GlobalBuffer::get_direct_mem_ptr);
  socket.register_transport_dbg(this, &GlobalBuffer::transport_dbg);
}

void GlobalBuffer::b_transport(tlm::tlm_generic_payload& p, sc_core::sc_time& delay) {
  const uint64_t a = p.get_address();
  const uint64_t n = p.get_data_length();
  if (a > mem_.size() || n > mem_.size() - a) {
    p.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
    return;
  }
  if (p.is_write()) {
    std::memcpy(mem_.data() + a, p.get_data_ptr(), n);
  } else {
    std::memcpy(p.get_data_ptr(), mem_.data() + a, n);
  }
  // The port moves port_width bits a cycle; a later access waits for an earlier one.
  const sc_core::sc_time now = sc_core::sc_time_stamp();
  const int64_t arrive = clock_.cycle_of(now + delay);
  const int64_t bits = static_cast<int64_t>(n) * 8;
  const int64_t start = std::max(arrive, port_free_);
  port_free_ = start + (bits + params_.port_width_bits - 1) / params_.port_width_bits;
  const int64_t done = port_free_ + params_.access_cycles - 1;
  bits_accessed_ += bits;
  energy_.charge(EnergyClass::kGlobalBuffer, -1,
                 energy_params_.global_buffer_access_pj_per_bit * static_cast<double>(bits), start,
                 done);
  delay = clock_.at(done) - now;
  p.set_dmi_allowed(true);
  p.set_response_status(tlm::TLM_OK_RESPONSE);
}

bool GlobalBuffer::get_direct_mem_ptr(tlm::tlm_generic_payload& p, tlm::tlm_dmi& dmi) {
  dmi.allow_read_write();
  dmi.set_dmi_ptr(mem_.data());
  dmi.set_start_address(0);
  dmi.set_end_address(mem_.size() - 1);
  dmi.set_read_latency(clock_.at(params_.access_cycles));
  dmi.set_write_latency(clock_.at(params_.access_cycles));
  return p.get_address() < mem_.size();
}

unsigned GlobalBuffer::transport_dbg(tlm::tlm_generic_payload& p) {
  const uint64_t a = p.get_address();
  if (a >= mem_.size()) return 0;
  const uint64_t n = std::min<uint64_t>(p.get_data_length(), mem_.size() - a);
  if (p.is_write()) {
    std::memcpy(mem_.data() + a, p.get_data_ptr(), n);
  } else {
    std::memcpy(p.get_data_ptr(), mem_.data() + a, n);
  }
  return static_cast<unsigned>(n);
}

}  // namespace imc::models
