// What every TLM<->pin transactor shares (docs/rtl.md): a clock driven in delta cycles, a
// synchronous reset, and the RTL waveform. The tile's sequencer thread calls a transactor
// after syncing its quantum keeper; the transactor drives the Verilated model's pins, lets
// the model's own SystemC process evaluate each half cycle (two delta cycles: one for the
// model to run, one for its outputs to update), and counts rising edges. No simulated time
// passes: the RTL's cycles are counted, not waited for, so the tile keeps its analytical
// timing (temporal decoupling) and the count is checked against it.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <verilated.h>
#include <verilated_vcd_c.h>
#include <systemc>

#include "hw/models/rtl_port.h"

namespace imc::rtl {

struct SessionOptions {
  std::string vcd_path;  // where write_vcd() puts the RTL waveform; "" = no waveform
  int64_t period_ps = 1000;
};

// The RTL side of one simulation: makes the transactors (models::RtlFactory) and collects
// their waveforms. Construct it before the platform (so that Verilated tracing is enabled
// before the first model exists) and keep it alive until after the run.
class Session {
 public:
  explicit Session(SessionOptions options);
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  const models::RtlFactory& factory() const { return factory_; }
  // Opens a waveform for `model` (after elaboration; once per model). Null without --vcd.
  VerilatedVcdC* trace(VerilatedModel& model, void (*attach)(VerilatedModel&, VerilatedVcdC&));
  // Closes every RTL waveform and writes them as one VCD file, one scope per block instance.
  void write_vcd();
  const SessionOptions& options() const { return options_; }

 private:
  struct Part {
    std::string path;
    std::unique_ptr<VerilatedVcdC> vcd;
  };
  SessionOptions options_;
  models::RtlFactory factory_;
  std::vector<Part> parts_;
};

// Tests only: a pseudo-random out_ready (xorshift32, seeded) that is low on about
// `permille`/1000 of the cycles, to exercise a block's back-pressure path.
class Stalls {
 public:
  void set(int permille, uint32_t seed) {
    permille_ = permille;
    state_ = seed | 1u;
  }
  bool ready_now() {
    if (permille_ <= 0) return true;
    state_ ^= state_ << 13;
    state_ ^= state_ >> 17;
    state_ ^= state_ << 5;
    return static_cast<int>(state_ % 1000) >= permille_;
  }

 private:
  int permille_ = 0;
  uint32_t state_ = 1;
};

// Clock, reset and waveform handling for one Verilated model.
class PinTransactor : public sc_core::sc_module {
 public:
  PinTransactor(sc_core::sc_module_name name, Session& session, int64_t period_ps);

 protected:
  sc_core::sc_signal<bool> clk_{"clk"}, rst_n_{"rst_n"};

  // Lets the model evaluate what was just written to its inputs.
  static void settle() {
    sc_core::wait(sc_core::SC_ZERO_TIME);
    sc_core::wait(sc_core::SC_ZERO_TIME);
  }
  // The low half of a cycle: the caller has written its inputs; outputs are valid after.
  void low_half() {
    clk_.write(false);
    settle();
  }
  // The rising edge that ends the cycle.
  void rising_edge() {
    clk_.write(true);
    settle();
  }
  // Waveform samples: cycle `c` of the platform, low half at its start, high half mid-cycle.
  void dump(int64_t cycle, bool high);
  void reset();  // one cycle with rst_n low; not in the waveform
  // Starts the waveform of `model` on first use (Verilated tracing needs elaboration done).
  template <class Model>
  void open_trace(Model& model) {
    if (trace_opened_) return;
    trace_opened_ = true;
    vcd_ = session_.trace(
        model, [](VerilatedModel& m, VerilatedVcdC& v) { static_cast<Model&>(m).trace(&v, 99); });
  }
  bool tracing() const { return vcd_ != nullptr; }

  Session& session_;

 private:
  const int64_t period_ps_;
  VerilatedVcdC* vcd_ = nullptr;
  bool trace_opened_ = false;
  int64_t last_dump_ = -1;
};

}  // namespace imc::rtl
