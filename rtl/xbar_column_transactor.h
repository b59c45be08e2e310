// The digital datapath of a crossbar's columns in RTL (rtl/xbar_column/imc_xbar_column.sv,
// one column) behind the tile's XbarColumnRtl interface. Every column of the crossbar has
// its own identical datapath and they all read the same wordlines, so the transactor runs
// each column's read steps through the one Verilated column in turn: per step it drives the
// step's input bits (the wordlines) and the column's effective weights on those rows (the
// cells, after stuck-at faults) and takes back the step's sum. The block takes as long as its
// slowest column; the waveform shows the first column.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "Vimc_xbar_column.h"
#include "rtl/transactor.h"

namespace imc::rtl {

class XbarColumnTransactor : public PinTransactor, public models::XbarColumnRtl {
 public:
  static constexpr int kRows = 256;  // rows per step the RTL counts (arch::kMaxRtlColumnRows)

  XbarColumnTransactor(sc_core::sc_module_name name, Session& session,
                       const arch::ChipParams& chip);

  int64_t run(const models::ColumnJob& job, int32_t* sums) override;

  // Tests only: hold out_ready low on about `permille`/1000 of the cycles.
  void set_output_stalls(int permille, uint32_t seed) { stalls_.set(permille, seed); }

 private:
  using Bits = sc_dt::sc_bv<kRows>;
  int64_t run_column(const models::ColumnJob& job, int j, int32_t* sums);
  // The step's rows of a bit string over crossbar rows, from bit 0 = the group's first row.
  static Bits window(const std::vector<uint64_t>& rows, const models::MvmStep& step);

  Vimc_xbar_column model_;
  sc_core::sc_signal<uint32_t> cfg_tap_{"cfg_tap"}, out_sum_{"out_sum"};
  sc_core::sc_signal<Bits> in_x_nz_{"in_x_nz"}, in_x_neg_{"in_x_neg"}, in_w_nz_{"in_w_nz"},
      in_w_neg_{"in_w_neg"};
  sc_core::sc_signal<bool> in_valid_{"in_valid"}, in_ready_{"in_ready"}, out_valid_{"out_valid"},
      out_ready_{"out_ready"};
  const int64_t read_cycles_;
  bool reset_done_ = false;
  Stalls stalls_;
  std::vector<uint64_t> x_nz_, x_neg_, w_nz_, w_neg_;  // over all rows, for one step / column
};

// The factory entry for Session.
std::unique_ptr<models::XbarColumnRtl> make_xbar_column(Session& session, const std::string& name,
                                                        const arch::ChipParams& chip);

}  // namespace imc::rtl
