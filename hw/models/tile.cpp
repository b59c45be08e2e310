#include "hw/models/tile.h"

#include <algorithm>
#include <cstring>
#include <sstream>
#include <stdexcept>

#include "hw/isa/assembler.h"
#include "hw/models/address_map.h"
#include "hw/models/tile_internal.h"

namespace imc::models {

namespace {

using namespace tile_internal;

// Distinct, reproducible seeds for every crossbar of the chip (splitmix64 finaliser).
uint64_t mix_seed(uint64_t seed, int tile, int xbar) {
  uint64_t z = seed + 0x9E3779B97F4A7C15ull * (1 + static_cast<uint64_t>(tile) * 1024 + xbar);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

}  // namespace

Tile::Tile(sc_core::sc_module_name name, int id, const arch::ChipParams& chip,
           const isa::Program& program, const isa::TileProgram* code, int64_t batch, uint64_t seed,
           EnergyMeter& energy, ActivityTrace& trace, RunStatus& status, const RtlFactory* rtl,
           TileRecording recording)
    : sc_core::sc_module(name),
      to_noc("to_noc"),
      from_noc("from_noc"),
      id_(id),
      chip_(chip),
      tp_(chip.tile),
      program_(program),
      code_(code),
      batch_(batch),
      energy_(energy),
      trace_(trace),
      status_(status),
      clock_(chip.period_ps),
      offset_(id + 1),
      ibuf_(static_cast<size_t>(chip.tile.input_buffer.capacity_bits / 8), 0),
      obuf_(static_cast<size_t>(chip.tile.output_buffer.capacity_bits / 8), 0),
      acc_(static_cast<size_t>(chip.tile.accumulator_entries), 0),
      thresholds_(static_cast<size_t>(chip.tile.threshold_entries)),
      sems_(static_cast<size_t>(chip.tile.semaphores), 0),
      last_token_(static_cast<size_t>(chip.tile.semaphores)),
      scoreboard_(kFirstXbar + chip.tile.crossbars),
      record_commands_(recording.commands),
      record_waits_(recording.waits) {
  from_noc.register_b_transport(this, &Tile::b_transport);
  from_noc.register_transport_dbg(this, &Tile::transport_dbg);
  SC_HAS_PROCESS(Tile);
  SC_METHOD(deliver_semaphores);
  sensitive << deliver_event_;
  dont_initialize();
  if (code_ == nullptr) return;  // an unused tile keeps no crossbars and runs nothing

  // Co-simulated blocks: one RTL instance per unit that runs concurrently (each crossbar has
  // its columns and its shift-and-add; ACCADD runs on the vector unit's adders).
  auto need = [&](bool has, const char* block) {
    if (!has)
      throw std::runtime_error(std::string(block) + ".impl: rtl, but this build has no RTL blocks");
  };
  if (arch::runs_rtl(tp_.thresholder_impl, tp_.thresholder_impl_tiles, id)) {
    need(rtl && rtl->thresholder, "tile.thresholder");
    thresholder_rtl_ = rtl->thresholder(id, chip);
  }
  if (arch::runs_rtl(tp_.accumulator_impl, tp_.accumulator_impl_tiles, id)) {
    need(rtl && rtl->accumulator, "tile.accumulator");
    for (int k = 0; k < tp_.crossbars; ++k)
      mvm_acc_rtl_.push_back(rtl->accumulator(id, "xbar" + std::to_string(k) + "_acc_rtl", chip));
    vector_acc_rtl_ = rtl->accumulator(id, "vector_acc_rtl", chip);
  }
  if (arch::runs_rtl(tp_.crossbar_impl, tp_.crossbar_impl_tiles, id)) {
    need(rtl && rtl->xbar_column, "tile.crossbar");
    for (int k = 0; k < tp_.crossbars; ++k)
      column_rtl_.push_back(rtl->xbar_column(id, "xbar" + std::to_string(k) + "_column_rtl", chip));
  }
  xbars_.reserve(tp_.crossbars);
  for (int k = 0; k < tp_.crossbars; ++k) xbars_.emplace_back(tp_.crossbar, mix_seed(seed, id, k));
  // Match each LOOP with its ENDLOOP once, so a zero-trip loop can be skipped.
  loop_end_.assign(code_->commands.size(), 0);
  std::vector<size_t> open;
  for (size_t i = 0; i < code_->commands.size(); ++i) {
    if (code_->commands[i].op == isa::Opcode::kLoop) open.push_back(i);
    if (code_->commands[i].op == isa::Opcode::kEndLoop && !open.empty()) {
      loop_end_[open.back()] = i;
      open.pop_back();
    }
  }
  if (trace_.enabled()) {
    using K = ActivityTrace::Kind;
    const std::string scope = "tile" + std::to_string(id);
    sig_state_ = trace_.add_signal(scope, "state", K::kValue, 2);
    sig_busy_ = trace_.add_signal(scope, "busy", K::kBusy);
    sig_dma_ = trace_.add_signal(scope, "dma", K::kBusy);
    sig_nic_ = trace_.add_signal(scope, "nic", K::kBusy);
    for (int k = 0; k < tp_.crossbars; ++k)
      sig_xbar_.push_back(trace_.add_signal(scope, "xbar" + std::to_string(k), K::kBusy));
  }
  SC_THREAD(run);
}

Tile::~Tile() = default;

// ---------------------------------------------------------------------------------------
// Sequencer

void Tile::run() {
  set_state(State::kRunning, 0);
  try {
    while (!halted_ && !status_.failed) {
      if (pc_ >= code_->commands.size()) fault("the program ends without HALT");
      current_ = &code_->commands[pc_];
      execute(*current_);
    }
  } catch (const TileFault&) {
    sc_core::sc_stop();
  }
}

void Tile::execute(const isa::Command& c) {
  using Op = isa::Opcode;
  ++opcode_counts_[static_cast<int>(c.op) & 15];
  last_start_ = last_end_ = issue_;
  woken_ = {};
  // Work for inference i0 + not_last (a prefetch, an early hand-over): none past the last one.
  // Outside any LOOP i0 is 0 and the batch counts. The command still takes its issue slot.
  const int64_t index = loops_.empty() ? 0 : loops_[0].index;
  const int64_t count = loops_.empty() ? batch_ : loops_[0].count;
  const bool skipped = c.not_last > 0 && index + c.not_last >= count;
  switch (c.op) {
    case Op::kLoop: {
      const int64_t n = c.count == isa::kBatch ? batch_ : c.count;
      if (n <= 0) {
        pc_ = loop_end_[pc_] + 1;
      } else {
        loops_.push_back({pc_ + 1, n, 0});
        ++pc_;
      }
      return;  // hardware loops cost no issue slot
    }
    case Op::kEndLoop: {
      LoopFrame& f = loops_.back();
      if (++f.index < f.count) {
        pc_ = f.body;
      } else {
        loops_.pop_back();
        ++pc_;
      }
      return;
    }
    case Op::kHalt:
      halt();
      return;
    case Op::kWxb:
      exec_wxb(c);
      break;
    case Op::kWth:
      exec_wth(c);
      break;
    case Op::kLoad:
      if (!skipped) exec_transfer(c);
      break;
    case Op::kStore:
      exec_transfer(c);
      break;
    case Op::kCopy:
      exec_copy(c);
      break;
    case Op::kSend:
      if (!skipped) exec_send(c);
      break;
    case Op::kSignal:
      exec_signal(c);
      break;
    case Op::kWait:
      if (!skipped) exec_wait(c);
      break;
    case Op::kMvm:
      exec_mvm(c);
      break;
    case Op::kAccAdd:
      exec_accadd(c);
      break;
    case Op::kThresh:
      exec_thresh(c);
      break;
    case Op::kPool:
      exec_pool(c);
      break;
  }
  charge(EnergyClass::kControl, chip_.energy.command_issue_pj, issue_, issue_ + tp_.issue_cycles);
  if (record_commands_)
    records_.push_back(
        {c.line, c.op, issue_, last_start_, last_end_, woken_.origin, woken_.arrival});
  issue_ += tp_.issue_cycles;
  ++pc_;
  scoreboard_.settle(issue_);
  qk_.set(local_time_ahead());
  if (qk_.need_sync()) qk_.sync();
}

void Tile::halt() {
  const int64_t done = std::max(issue_, scoreboard_.all_done());
  scoreboard_.finish();
  done_cycle_ = done;
  halted_ = true;
  halt_line_ = current_->line;
  if (record_commands_)
    records_.push_back({current_->line, isa::Opcode::kHalt, issue_, done, done, {}, 0});
  set_state(State::kIdle, done);
  sync();
}

void Tile::sync() {
  qk_.set(local_time_ahead());
  qk_.sync();
}

void Tile::set_state(State s, int64_t at) {
  if (sig_state_ >= 0) trace_.value(sig_state_, at, static_cast<int64_t>(s));
}

int64_t Tile::occupy(int unit, int64_t n, const Touch& reads, const Touch& writes) {
  const int64_t start = scoreboard_.earliest_start(unit, issue_, reads, writes);
  scoreboard_.commit(unit, start, start + n, start + n, reads, writes);
  last_start_ = start;
  last_end_ = start + n;
  if (trace_.enabled()) {
    trace_.busy(sig_busy_, start, start + n);
    if (unit == kDma) trace_.busy(sig_dma_, start, start + n);
    if (unit == kNic) trace_.busy(sig_nic_, start, start + n);
    if (unit >= kFirstXbar) trace_.busy(sig_xbar_[unit - kFirstXbar], start, start + n);
  }
  return start;
}

Touch Tile::span(isa::Space s, int64_t offset, int64_t n) {
  return Touch().add(store_of(s), offset, offset + n);
}

Touch Tile::gather_span(isa::Space s, int64_t src, const isa::Gather& g, isa::DType t,
                        bool masked) {
  const int64_t n = s == isa::Space::kAcc ? g.elems : isa::packed_bytes(t, g.elems);
  Touch touch;
  for (int y = 0; y < g.ky; ++y)
    for (int x = 0; x < g.kx; ++x)
      if (!masked || ((g.mask >> (y * g.kx + x)) & 1u))
        touch.add(store_of(s), src + y * g.sy + x * g.sx, src + y * g.sy + x * g.sx + n);
  return touch;
}

// ---------------------------------------------------------------------------------------
// Operand access, with the checks that turn a bad address into a run-time fault.

int64_t Tile::addr(const isa::Addr& a) {
  // In 128 bits: a program's bases and strides are any int64, and so their sum may not be.
  __int128 v = a.base;
  for (size_t d = 0; d < loops_.size() && d < a.stride.size(); ++d)
    v += static_cast<__int128>(a.stride[d]) * loops_[d].index;
  if (a.rot.depth >= 0 && static_cast<size_t>(a.rot.depth) < loops_.size()) {
    // Both terms are below period <= INT64_MAX, so their unsigned sum cannot wrap.
    const auto period = static_cast<uint64_t>(a.rot.period);
    const uint64_t slot =
        (static_cast<uint64_t>(loops_[static_cast<size_t>(a.rot.depth)].index) % period +
         static_cast<uint64_t>(a.rot.offset)) %
        period;
    v += static_cast<__int128>(a.rot.stride) * static_cast<__int128>(slot);
  }
  // Far beyond any memory; within it, an address plus a count still fits an int64.
  constexpr __int128 kLimit = int64_t{1} << 62;
  if (v > kLimit || v < -kLimit)
    fault("an address with base " + std::to_string(a.base) + " evaluates beyond 2^62");
  return static_cast<int64_t>(v);
}

uint8_t* Tile::bytes(isa::Space s, int64_t offset, int64_t n, const char* role) {
  std::vector<uint8_t>& mem = s == isa::Space::kObuf ? obuf_ : ibuf_;
  if (s != isa::Space::kIbuf && s != isa::Space::kObuf) {
    fault(std::string(role) + " must be in ibuf or obuf, not " + isa::to_string(s));
  }
  const int64_t size = static_cast<int64_t>(mem.size());
  if (offset < 0 || n < 0 || offset > size || n > size - offset) {
    std::ostringstream m;
    m << role << " " << isa::to_string(s) << range_text(offset, n) << " is outside the "
      << space_name(s) << " (" << size << " bytes)";
    fault(m.str());
  }
  return mem.data() + offset;
}

int32_t* Tile::acc_entries(int64_t offset, int64_t n, const char* role) {
  const int64_t size = static_cast<int64_t>(acc_.size());
  if (offset < 0 || n < 0 || offset > size || n > size - offset) {
    std::ostringstream m;
    m << role << " acc" << range_text(offset, n) << " is outside the accumulator (" << size
      << " entries)";
    fault(m.str());
  }
  return acc_.data() + offset;
}

int64_t Tile::buffer_cycles(isa::Space s, int64_t bits) const {
  const arch::BufferParams& b = s == isa::Space::kObuf ? tp_.output_buffer : tp_.input_buffer;
  return b.access_cycles - 1 + std::max<int64_t>(1, ceil_div(bits, b.width_bits));
}

void Tile::fault(const std::string& what) {
  std::ostringstream w;
  w << what;
  if (!loops_.empty()) {
    w << " (loop indices";
    for (size_t d = 0; d < loops_.size(); ++d) w << " i" << d << "=" << loops_[d].index;
    w << ")";
  }
  status_.failed = true;
  status_.fault.tile = id_;
  status_.fault.line = current_ ? current_->line : 0;
  status_.fault.command = current_ ? isa::format_command(*current_, program_) : "";
  status_.fault.what = w.str();
  status_.fault.cycle = issue_;
  throw TileFault{};
}

RunFault Tile::stuck_at() const {
  RunFault f;
  f.tile = id_;
  if (current_ != nullptr) {
    f.line = current_->line;
    f.command = isa::format_command(*current_, program_);
  }
  f.cycle = wait_since_ >= 0 ? wait_since_ : issue_;
  if (current_ != nullptr && current_->op == isa::Opcode::kWait) {
    std::ostringstream w;
    const int sem = semaphore(*current_);
    w << "waits forever: semaphore " << sem << " holds " << sems_[sem] << " of " << current_->count
      << " and no tile can raise it any more";
    f.what = w.str();
  } else {
    f.what = "never reached HALT";
  }
  return f;
}

}  // namespace imc::models
