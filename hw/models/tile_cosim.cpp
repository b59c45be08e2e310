// Co-simulation of the crossbar columns and the accumulator (arch file `impl: rtl`,
// docs/rtl.md): the RTL blocks compute each MVM and ACCADD again from the same operands, and
// every value and the cycle count must equal the TLM model's; a difference is a run-time
// fault naming the command, tile, cycle and element. (THRESH's check is in tile_compute.cpp.)
#include <string>

#include "hw/models/tile.h"
#include "hw/models/tile_internal.h"

namespace imc::models {

using namespace tile_internal;

namespace {

std::string num(int64_t v) {
  return std::to_string(v);
}

}  // namespace

// The MVM's read steps through the RTL columns of crossbar c.xbar (checked step by step
// against the TLM crossbar), then its shift-and-add through the RTL accumulator (checked
// against the TLM result `out`). Either block may be the TLM model: the steps then come from
// the TLM crossbar, or the RTL steps are added up in C++.
void Tile::mvm_rtl(const isa::Command& c, const CrossbarArray& xb, const int32_t* out,
                   int64_t start, int64_t buffer) {
  sync();  // the kernel at this tile's issue time: the RTL runs there, in delta cycles
  rtl_steps_ = mvm_steps(input_, xb.params());
  const int64_t nsteps = static_cast<int64_t>(rtl_steps_.size());
  const int ncols = c.cols;
  const int64_t read = xb.mvm_cycles(input_, ncols);  // the TLM model's crossbar cycles
  mvm_step_sums(xb, input_, rtl_steps_, c.col, ncols, tlm_sums_);
  const int32_t* sums = tlm_sums_.data();

  if (!column_rtl_.empty()) {
    ColumnJob job;
    job.xbar = &xb;
    job.input = &input_;
    job.steps = rtl_steps_.data();
    job.nsteps = nsteps;
    job.col0 = c.col;
    job.ncols = ncols;
    job.start_cycle = start + buffer;
    rtl_sums_.assign(tlm_sums_.size(), 0);
    const int64_t cycles = column_rtl_[c.xbar]->run(job, rtl_sums_.data());
    for (int64_t s = 0; s < nsteps; ++s) {
      for (int j = 0; j < ncols; ++j) {
        const int32_t rtl = rtl_sums_[s * ncols + j], tlm = tlm_sums_[s * ncols + j];
        if (rtl == tlm) continue;
        const MvmStep& st = rtl_steps_[s];
        fault("RTL crossbar column differs from the TLM model at column " + num(c.col + j) +
              ", read step " + num(s) + " (input plane " + num(st.plane) + ", rows " +
              num(st.row_lo) + ".." + num(st.row_hi - 1) + "): RTL " + num(rtl) + ", TLM " +
              num(tlm));
      }
    }
    if (cycles != read)
      fault("RTL crossbar columns took " + num(cycles) + " cycles, the TLM model " + num(read));
    sums = rtl_sums_.data();
  }

  rtl_out_.assign(static_cast<size_t>(ncols), 0);
  if (mvm_acc_rtl_.empty()) {
    compose_mvm(rtl_steps_, sums, ncols, c.shift, c.accumulate, rtl_old_.data(), rtl_out_.data());
  } else {
    AccumulateJob job;
    job.count = ncols;
    job.old = rtl_old_.data();
    job.steps = rtl_steps_.data();
    job.nsteps = nsteps;
    job.sums = sums;
    job.shift = c.shift;
    job.accumulate = c.accumulate;
    job.start_cycle = start + buffer + read - nsteps;  // its last step arrives as the reads end
    const int64_t cycles = mvm_acc_rtl_[c.xbar]->run(job, rtl_out_.data());
    if (cycles != tp_.accumulate_cycles)
      fault("RTL accumulator took " + num(cycles) + " cycles after the last read step, the TLM " +
            "model " + num(tp_.accumulate_cycles));
  }
  const char* who =
      mvm_acc_rtl_.empty() ? "RTL crossbar column sums, shifted and added," : "RTL accumulator";
  for (int j = 0; j < ncols; ++j) {
    if (rtl_out_[j] != out[j])
      fault(std::string(who) + " differ" + (mvm_acc_rtl_.empty() ? "" : "s") +
            " from the TLM model at column " + num(c.col + j) + " (acc entry " +
            num(addr(c.dst) + j) + "): RTL " + num(rtl_out_[j]) + ", TLM " + num(out[j]) +
            " (before " + num(rtl_old_[j]) + ")");
  }
}

// ACCADD's residual add through the RTL accumulator of the vector unit.
void Tile::accadd_rtl(const isa::Command& c, const int32_t* out, int64_t start) {
  sync();
  AccumulateJob job;
  job.residual = true;
  job.count = c.count;
  job.old = rtl_old_.data();
  job.src = scratch_.data();
  job.scale = c.scale;
  job.start_cycle = start;
  rtl_out_.assign(static_cast<size_t>(c.count), 0);
  const int64_t cycles = vector_acc_rtl_->run(job, rtl_out_.data());
  const int64_t expected = ceil_div(c.count, tp_.accumulator_lanes) + tp_.accumulate_cycles - 1;
  for (int64_t i = 0; i < c.count; ++i) {
    if (rtl_out_[i] != out[i])
      fault("RTL accumulator differs from the TLM model at element " + num(i) + ": RTL " +
            num(rtl_out_[i]) + ", TLM " + num(out[i]) + " (before " + num(rtl_old_[i]) +
            ", source " + num(scratch_[i]) + ")");
  }
  if (cycles != expected)
    fault("RTL accumulator took " + num(cycles) + " cycles, the TLM model " + num(expected));
}

}  // namespace imc::models
