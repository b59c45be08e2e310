#include "rtl/thresholder_transactor.h"

#include <algorithm>
#include <string>

namespace imc::rtl {

namespace {

// in_mode of imc_thresholder: 0 b1, 1 t2, 2 pass the sum through.
uint32_t mode_of(isa::DType t) {
  switch (t) {
    case isa::DType::kB1:
      return 0;
    case isa::DType::kT2:
      return 1;
    default:
      return 2;
  }
}

// out_code back to the element's value, as isa::unpack reads the packed code.
int32_t value_of(uint32_t code, isa::DType t) {
  switch (t) {
    case isa::DType::kB1:
      return (code & 1u) ? 1 : -1;
    case isa::DType::kT2:
      return (code & 1u) ? ((code & 2u) ? -1 : 1) : 0;
    default:
      return static_cast<int32_t>(code);
  }
}

}  // namespace

ThresholderTransactor::ThresholderTransactor(sc_core::sc_module_name name, Session& session,
                                             const arch::ChipParams& chip)
    : PinTransactor(name, session, chip.period_ps),
      model_("imc_thresholder"),
      lanes_(chip.tile.thresholder_lanes),
      latency_(chip.tile.threshold_cycles) {
  model_.clk(clk_);
  model_.rst_n(rst_n_);
  model_.cfg_tap(cfg_tap_);
  model_.in_valid(in_valid_);
  model_.in_ready(in_ready_);
  model_.in_acc(in_acc_);
  model_.in_t0(in_t0_);
  model_.in_t1(in_t1_);
  model_.in_invert(in_invert_);
  model_.in_mode(in_mode_);
  model_.out_valid(out_valid_);
  model_.out_ready(out_ready_);
  model_.out_code(out_code_);
}

bool ThresholderTransactor::out_ready_now() {
  if (stall_permille_ <= 0) return true;
  stall_state_ ^= stall_state_ << 13;  // xorshift32
  stall_state_ ^= stall_state_ >> 17;
  stall_state_ ^= stall_state_ << 5;
  return static_cast<int>(stall_state_ % 1000) >= stall_permille_;
}

int64_t ThresholderTransactor::run(const models::ThresholdJob& job, int32_t* out) {
  open_trace(model_);
  if (!reset_done_) {
    in_valid_.write(false);
    out_ready_.write(true);
    reset();
    reset_done_ = true;
  }
  cfg_tap_.write(static_cast<uint32_t>(latency_ - 1));
  in_mode_.write(mode_of(job.type));
  int64_t cycles = 0;
  for (int64_t lane = 0; lane < std::min(lanes_, job.count); ++lane)
    cycles = std::max(cycles, run_lane(job, lane, out));
  return cycles;
}

int64_t ThresholderTransactor::run_lane(const models::ThresholdJob& job, int64_t lane,
                                        int32_t* out) {
  const bool traced = lane == 0 && tracing();
  int64_t next_in = lane, next_out = lane;
  int64_t edge = 0, first_accept = -1, last_result = -1;
  while (next_out < job.count) {
    // The low half of cycle `edge`: present the next element (if any) and sample.
    const bool valid = next_in < job.count;
    const bool ready_out = out_ready_now();
    in_valid_.write(valid);
    out_ready_.write(ready_out);
    if (valid) {
      const models::ThresholdEntry& e = job.entries[next_in];
      in_acc_.write(static_cast<uint32_t>(job.acc[next_in]));
      in_t0_.write(static_cast<uint32_t>(e.t0));
      in_t1_.write(static_cast<uint32_t>(e.t1));
      in_invert_.write(e.invert);
    }
    low_half();
    if (traced) dump(job.start_cycle + edge, false);
    // What the rising edge at the end of this cycle does.
    ++edge;
    if (valid && in_ready_.read()) {
      if (first_accept < 0) first_accept = edge;
      next_in += lanes_;
    }
    if (out_valid_.read() && ready_out) {
      out[next_out] = value_of(out_code_.read(), job.type);
      next_out += lanes_;
      last_result = edge;
    }
    rising_edge();
    if (traced) dump(job.start_cycle + edge - 1, true);
  }
  in_valid_.write(false);
  // The last result was registered at the edge before the one that took it.
  return last_result - first_accept;
}

// Made inside the tile's constructor: the transactor becomes tileN.thresholder_rtl.
std::unique_ptr<models::ThresholderRtl> make_thresholder(Session& session, int /*tile*/,
                                                         const arch::ChipParams& chip) {
  return std::make_unique<ThresholderTransactor>("thresholder_rtl", session, chip);
}

}  // namespace imc::rtl
