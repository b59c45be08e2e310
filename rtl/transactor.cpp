#include "rtl/transactor.h"

#include <cstdio>
#include <utility>

#include "rtl/accumulator_transactor.h"
#include "rtl/thresholder_transactor.h"
#include "rtl/vcd_merge.h"
#include "rtl/xbar_column_transactor.h"

namespace imc::rtl {

Session::Session(SessionOptions options) : options_(std::move(options)) {
  // Tracing must be on before the first model is built (Verilator's rule).
  if (!options_.vcd_path.empty()) Verilated::traceEverOn(true);
  factory_.thresholder = [this](int tile, const arch::ChipParams& chip) {
    return make_thresholder(*this, tile, chip);
  };
  factory_.accumulator = [this](int, const std::string& name, const arch::ChipParams& chip) {
    return make_accumulator(*this, name, chip);
  };
  factory_.xbar_column = [this](int, const std::string& name, const arch::ChipParams& chip) {
    return make_xbar_column(*this, name, chip);
  };
}

Session::~Session() {
  for (Part& p : parts_) {
    p.vcd->close();
    std::remove(p.path.c_str());
  }
}

VerilatedVcdC* Session::trace(VerilatedModel& model,
                              void (*attach)(VerilatedModel&, VerilatedVcdC&)) {
  if (options_.vcd_path.empty()) return nullptr;
  Part p;
  p.path = options_.vcd_path + ".part" + std::to_string(parts_.size());
  p.vcd = std::make_unique<VerilatedVcdC>();
  attach(model, *p.vcd);
  p.vcd->set_time_unit("1ps");
  p.vcd->set_time_resolution("1ps");
  p.vcd->open(p.path.c_str());
  parts_.push_back(std::move(p));
  return parts_.back().vcd.get();
}

void Session::write_vcd() {
  if (options_.vcd_path.empty()) return;
  std::vector<std::string> paths;
  for (Part& p : parts_) {
    p.vcd->close();
    paths.push_back(p.path);
  }
  merge_vcd(paths, options_.vcd_path);
}

PinTransactor::PinTransactor(sc_core::sc_module_name name, Session& session, int64_t period_ps)
    : sc_core::sc_module(name), session_(session), period_ps_(period_ps) {}

void PinTransactor::reset() {
  rst_n_.write(false);
  low_half();
  rising_edge();
  rst_n_.write(true);
}

void PinTransactor::dump(int64_t cycle, bool high) {
  const int64_t t = cycle * period_ps_ + (high ? period_ps_ / 2 : 0);
  if (t <= last_dump_) return;  // a block restarting in the cycle its last command ended
  last_dump_ = t;
  vcd_->dump(static_cast<uint64_t>(t));
}

}  // namespace imc::rtl
