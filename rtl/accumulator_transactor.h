// The accumulator in RTL (rtl/accumulator/imc_accumulator.sv, one lane) behind the tile's
// AccumulatorRtl interface. The block is a row of identical, independent lanes:
//  - an MVM's shift-and-add has one lane per column: column j's read-step sums enter as beats
//    (first .. last), weighted by their input plane, and leave as one result;
//  - ACCADD has tile.accumulator.lanes lanes fed round-robin: element i is lane i % lanes's
//    beat i / lanes, one beat each.
// The transactor runs each lane's beats through the one Verilated lane in turn; the block
// takes as long as its slowest lane, and the waveform shows lane 0.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "Vimc_accumulator.h"
#include "rtl/transactor.h"

namespace imc::rtl {

class AccumulatorTransactor : public PinTransactor, public models::AccumulatorRtl {
 public:
  AccumulatorTransactor(sc_core::sc_module_name name, Session& session,
                        const arch::ChipParams& chip);

  int64_t run(const models::AccumulateJob& job, int32_t* out) override;

  // Tests only: hold out_ready low on about `permille`/1000 of the cycles; the cycle count
  // then exceeds the TLM's.
  void set_output_stalls(int permille, uint32_t seed) { stalls_.set(permille, seed); }

 private:
  struct Beat {
    bool first = true, last = true, residual = false;
    uint32_t a = 0, scale = 0, old = 0;
    uint32_t plane = 0, shift = 0;
    bool plane_neg = false, add_old = false;
  };
  struct Edges {
    int64_t first_accept = -1, last_accept = -1, last_result = -1;
  };
  // Drives beats_ through the lane from platform cycle `start`; results in order to results_.
  Edges drive(int64_t start, bool traced);
  int64_t run_mvm(const models::AccumulateJob& job, int32_t* out);
  int64_t run_residual(const models::AccumulateJob& job, int32_t* out);

  Vimc_accumulator model_;
  sc_core::sc_signal<uint32_t> cfg_tap_{"cfg_tap"}, in_a_{"in_a"}, in_scale_{"in_scale"},
      in_plane_{"in_plane"}, in_shift_{"in_shift"}, in_old_{"in_old"}, out_sum_{"out_sum"};
  sc_core::sc_signal<bool> in_valid_{"in_valid"}, in_ready_{"in_ready"}, in_first_{"in_first"},
      in_last_{"in_last"}, in_residual_{"in_residual"}, in_plane_neg_{"in_plane_neg"},
      in_add_old_{"in_add_old"}, out_valid_{"out_valid"}, out_ready_{"out_ready"};
  const int64_t lanes_;
  const int64_t latency_;
  bool reset_done_ = false;
  Stalls stalls_;
  std::vector<Beat> beats_;
  std::vector<int32_t> results_;
};

// The factory entry for Session.
std::unique_ptr<models::AccumulatorRtl> make_accumulator(Session& session, const std::string& name,
                                                         const arch::ChipParams& chip);

}  // namespace imc::rtl
