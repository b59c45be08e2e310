// The thresholder block in RTL (rtl/thresholder/imc_thresholder.sv, one lane) behind the
// tile's ThresholderRtl interface. The block has `tile.thresholder.lanes` identical lanes fed
// round-robin: element i goes to lane i % lanes as that lane's beat i / lanes. The lanes are
// independent, so the transactor runs each lane's beats through the one Verilated lane in
// turn; the block takes as long as its slowest lane (lane 0), and the waveform shows lane 0
// at the cycles the block runs in the platform.
#pragma once

#include <memory>

#include "Vimc_thresholder.h"
#include "rtl/transactor.h"

namespace imc::rtl {

class ThresholderTransactor : public PinTransactor, public models::ThresholderRtl {
 public:
  ThresholderTransactor(sc_core::sc_module_name name, Session& session,
                        const arch::ChipParams& chip);

  int64_t run(const models::ThresholdJob& job, int32_t* out) override;

  // Tests only: hold out_ready low on about `permille`/1000 of the cycles (pseudo-random,
  // seeded), to exercise the handshake; the cycle count then exceeds the TLM's.
  void set_output_stalls(int permille, uint32_t seed) {
    stall_permille_ = permille;
    stall_state_ = seed | 1u;
  }

 private:
  int64_t run_lane(const models::ThresholdJob& job, int64_t lane, int32_t* out);
  bool out_ready_now();

  Vimc_thresholder model_;
  sc_core::sc_signal<uint32_t> cfg_tap_{"cfg_tap"}, in_mode_{"in_mode"};
  sc_core::sc_signal<uint32_t> in_acc_{"in_acc"}, in_t0_{"in_t0"}, in_t1_{"in_t1"};
  sc_core::sc_signal<uint32_t> out_code_{"out_code"};
  sc_core::sc_signal<bool> in_valid_{"in_valid"}, in_ready_{"in_ready"}, in_invert_{"in_invert"};
  sc_core::sc_signal<bool> out_valid_{"out_valid"}, out_ready_{"out_ready"};
  const int64_t lanes_;
  const int64_t latency_;
  bool reset_done_ = false;
  int stall_permille_ = 0;
  uint32_t stall_state_ = 1;
};

// The factory entry for Session.
std::unique_ptr<models::ThresholderRtl> make_thresholder(Session& session, int tile,
                                                         const arch::ChipParams& chip);

}  // namespace imc::rtl
