#include "rtl/accumulator_transactor.h"

#include <algorithm>

namespace imc::rtl {

AccumulatorTransactor::AccumulatorTransactor(sc_core::sc_module_name name, Session& session,
                                             const arch::ChipParams& chip)
    : PinTransactor(name, session, chip.period_ps),
      model_("imc_accumulator"),
      lanes_(chip.tile.accumulator_lanes),
      latency_(chip.tile.accumulate_cycles) {
  model_.clk(clk_);
  model_.rst_n(rst_n_);
  model_.cfg_tap(cfg_tap_);
  model_.in_valid(in_valid_);
  model_.in_ready(in_ready_);
  model_.in_first(in_first_);
  model_.in_last(in_last_);
  model_.in_residual(in_residual_);
  model_.in_a(in_a_);
  model_.in_scale(in_scale_);
  model_.in_plane(in_plane_);
  model_.in_plane_neg(in_plane_neg_);
  model_.in_shift(in_shift_);
  model_.in_add_old(in_add_old_);
  model_.in_old(in_old_);
  model_.out_valid(out_valid_);
  model_.out_ready(out_ready_);
  model_.out_sum(out_sum_);
}

int64_t AccumulatorTransactor::run(const models::AccumulateJob& job, int32_t* out) {
  open_trace(model_);
  if (!reset_done_) {
    in_valid_.write(false);
    out_ready_.write(true);
    reset();
    reset_done_ = true;
  }
  cfg_tap_.write(static_cast<uint32_t>(latency_ - 1));
  return job.residual ? run_residual(job, out) : run_mvm(job, out);
}

// One lane per column; its beats are the column's read steps, back to back.
int64_t AccumulatorTransactor::run_mvm(const models::AccumulateJob& job, int32_t* out) {
  int64_t cycles = 0;
  for (int64_t j = 0; j < job.count; ++j) {
    beats_.assign(static_cast<size_t>(job.nsteps), Beat{});
    for (int64_t s = 0; s < job.nsteps; ++s) {
      const models::MvmStep& st = job.steps[s];
      Beat& b = beats_[s];
      b.first = s == 0;
      b.last = s == job.nsteps - 1;
      b.a = static_cast<uint32_t>(job.sums[s * job.count + j]);
      b.plane = static_cast<uint32_t>(st.plane);
      b.plane_neg = st.weight < 0;
      b.shift = static_cast<uint32_t>(job.shift);
      b.add_old = job.accumulate;
      b.old = static_cast<uint32_t>(job.old[j]);
    }
    const Edges e = drive(job.start_cycle, j == 0 && tracing());
    out[j] = results_.at(0);
    // The last beat's accepting edge through the edge that registers the sum, inclusive.
    cycles = std::max(cycles, e.last_result - e.last_accept);
  }
  return cycles;
}

// tile.accumulator.lanes lanes; element i is lane i % lanes's beat i / lanes.
int64_t AccumulatorTransactor::run_residual(const models::AccumulateJob& job, int32_t* out) {
  int64_t cycles = 0;
  for (int64_t lane = 0; lane < std::min(lanes_, job.count); ++lane) {
    beats_.clear();
    for (int64_t i = lane; i < job.count; i += lanes_) {
      Beat b;
      b.residual = true;
      b.a = static_cast<uint32_t>(job.src[i]);
      b.scale = static_cast<uint32_t>(job.scale);
      b.add_old = true;
      b.old = static_cast<uint32_t>(job.old[i]);
      beats_.push_back(b);
    }
    const Edges e = drive(job.start_cycle, lane == 0 && tracing());
    for (size_t k = 0; k < results_.size(); ++k)
      out[lane + static_cast<int64_t>(k) * lanes_] = results_[k];
    cycles = std::max(cycles, e.last_result - e.first_accept);
  }
  return cycles;
}

AccumulatorTransactor::Edges AccumulatorTransactor::drive(int64_t start, bool traced) {
  const int64_t results =
      std::count_if(beats_.begin(), beats_.end(), [](const Beat& b) { return b.last; });
  results_.clear();
  Edges e;
  size_t next = 0;
  int64_t edge = 0;
  while (static_cast<int64_t>(results_.size()) < results) {
    // The low half of cycle `edge`: present the next beat (if any) and sample.
    const bool valid = next < beats_.size();
    const bool ready_out = stalls_.ready_now();
    in_valid_.write(valid);
    out_ready_.write(ready_out);
    if (valid) {
      const Beat& b = beats_[next];
      in_first_.write(b.first);
      in_last_.write(b.last);
      in_residual_.write(b.residual);
      in_a_.write(b.a);
      in_scale_.write(b.scale);
      in_plane_.write(b.plane);
      in_plane_neg_.write(b.plane_neg);
      in_shift_.write(b.shift);
      in_add_old_.write(b.add_old);
      in_old_.write(b.old);
    }
    low_half();
    if (traced) dump(start + edge, false);
    // What the rising edge at the end of this cycle does.
    ++edge;
    if (valid && in_ready_.read()) {
      if (e.first_accept < 0) e.first_accept = edge;
      e.last_accept = edge;
      ++next;
    }
    if (out_valid_.read() && ready_out) {
      results_.push_back(static_cast<int32_t>(out_sum_.read()));
      e.last_result = edge;
    }
    rising_edge();
    if (traced) dump(start + edge - 1, true);
  }
  in_valid_.write(false);
  return e;
}

// Made inside the tile's constructor: the transactor becomes tileN.<name>.
std::unique_ptr<models::AccumulatorRtl> make_accumulator(Session& session, const std::string& name,
                                                         const arch::ChipParams& chip) {
  return std::make_unique<AccumulatorTransactor>(name.c_str(), session, chip);
}

}  // namespace imc::rtl
