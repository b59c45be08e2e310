#include "rtl/xbar_column_transactor.h"

#include <algorithm>
#include <stdexcept>

namespace imc::rtl {

XbarColumnTransactor::XbarColumnTransactor(sc_core::sc_module_name name, Session& session,
                                           const arch::ChipParams& chip)
    : PinTransactor(name, session, chip.period_ps),
      model_("imc_xbar_column"),
      read_cycles_(chip.tile.crossbar.read_cycles) {
  model_.clk(clk_);
  model_.rst_n(rst_n_);
  model_.cfg_tap(cfg_tap_);
  model_.in_valid(in_valid_);
  model_.in_ready(in_ready_);
  model_.in_x_nz(in_x_nz_);
  model_.in_x_neg(in_x_neg_);
  model_.in_w_nz(in_w_nz_);
  model_.in_w_neg(in_w_neg_);
  model_.out_valid(out_valid_);
  model_.out_ready(out_ready_);
  model_.out_sum(out_sum_);
}

namespace {

// 64 bits of the bit string `v` from bit `start` on (bits past its end read as 0).
uint64_t bits_at(const std::vector<uint64_t>& v, int start) {
  const size_t w = static_cast<size_t>(start / 64);
  const int off = start % 64;
  const uint64_t lo = w < v.size() ? v[w] >> off : 0;
  const uint64_t hi = off != 0 && w + 1 < v.size() ? v[w + 1] << (64 - off) : 0;
  return lo | hi;
}

}  // namespace

XbarColumnTransactor::Bits XbarColumnTransactor::window(const std::vector<uint64_t>& rows,
                                                        const models::MvmStep& step) {
  Bits b;
  for (int k = 0; k < kRows / 64; ++k) {
    // Rows [pos, pos + 64) of the port, cut to the rows the step reads.
    const int pos = step.group_row0 + 64 * k;
    const int lo = std::max(step.row_lo - pos, 0), hi = std::min(step.row_hi - pos, 64);
    uint64_t v = 0;
    if (hi > lo) {
      const uint64_t below_hi = hi >= 64 ? ~uint64_t{0} : (uint64_t{1} << hi) - 1;
      v = bits_at(rows, pos) & below_hi & ~((uint64_t{1} << lo) - 1);
    }
    b.set_word(2 * k, static_cast<sc_dt::sc_digit>(v));
    b.set_word(2 * k + 1, static_cast<sc_dt::sc_digit>(v >> 32));
  }
  return b;
}

int64_t XbarColumnTransactor::run(const models::ColumnJob& job, int32_t* sums) {
  for (int64_t s = 0; s < job.nsteps; ++s) {
    if (job.steps[s].row_hi - job.steps[s].group_row0 > kRows)
      throw std::invalid_argument("XbarColumnTransactor: a read step wider than the RTL column");
  }
  open_trace(model_);
  if (!reset_done_) {
    in_valid_.write(false);
    out_ready_.write(true);
    reset();
    reset_done_ = true;
  }
  cfg_tap_.write(static_cast<uint32_t>(read_cycles_ - 1));
  int64_t cycles = 0;
  for (int j = 0; j < job.ncols; ++j) cycles = std::max(cycles, run_column(job, j, sums));
  return cycles;
}

int64_t XbarColumnTransactor::run_column(const models::ColumnJob& job, int j, int32_t* sums) {
  const bool traced = j == 0 && tracing();
  const models::CrossbarArray& xb = *job.xbar;
  const models::InputVector& in = *job.input;
  // The column's cells, as its read sees them: the effective weight of every row.
  const int rows = xb.params().rows;
  const size_t words = static_cast<size_t>(rows + 63) / 64;
  w_nz_.assign(words, 0);
  w_neg_.assign(words, 0);
  for (int r = 0; r < rows; ++r) {
    const int32_t w = xb.weight(r, job.col0 + j);
    if (w != 0) w_nz_[r / 64] |= uint64_t{1} << (r % 64);
    if (w < 0) w_neg_[r / 64] |= uint64_t{1} << (r % 64);
  }
  int64_t next_in = 0, next_out = 0, edge = 0, first_accept = -1, last_result = -1;
  while (next_out < job.nsteps) {
    // The low half of cycle `edge`: present the next step (if any) and sample.
    const bool valid = next_in < job.nsteps;
    const bool ready_out = stalls_.ready_now();
    in_valid_.write(valid);
    out_ready_.write(ready_out);
    if (valid) {
      const models::MvmStep& st = job.steps[next_in];
      const size_t plane = static_cast<size_t>(st.plane) * in.words;
      x_nz_.assign(in.nz.begin() + plane, in.nz.begin() + plane + in.words);
      x_neg_.assign(in.neg.begin() + plane, in.neg.begin() + plane + in.words);
      in_x_nz_.write(window(x_nz_, st));
      in_x_neg_.write(window(x_neg_, st));
      in_w_nz_.write(window(w_nz_, st));
      in_w_neg_.write(window(w_neg_, st));
    }
    low_half();
    if (traced) dump(job.start_cycle + edge, false);
    // What the rising edge at the end of this cycle does.
    ++edge;
    if (valid && in_ready_.read()) {
      if (first_accept < 0) first_accept = edge;
      ++next_in;
    }
    if (out_valid_.read() && ready_out) {
      sums[next_out * job.ncols + j] = static_cast<int32_t>(out_sum_.read());
      ++next_out;
      last_result = edge;
    }
    rising_edge();
    if (traced) dump(job.start_cycle + edge - 1, true);
  }
  in_valid_.write(false);
  // From the edge accepting the first step to the one taking the last sum.
  return last_result - first_accept;
}

// Made inside the tile's constructor: the transactor becomes tileN.<name>.
std::unique_ptr<models::XbarColumnRtl> make_xbar_column(Session& session, const std::string& name,
                                                        const arch::ChipParams& chip) {
  return std::make_unique<XbarColumnTransactor>(name.c_str(), session, chip);
}

}  // namespace imc::rtl
