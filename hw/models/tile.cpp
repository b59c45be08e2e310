#include "hw/models/tile.h"

#include <algorithm>
#include <cstring>
#include <sstream>

#include "hw/isa/assembler.h"
#include "hw/models/address_map.h"

namespace imc::models {

namespace {

// Thrown inside the sequencer to unwind to run(), which reports it.
struct TileFault {};

int64_t ceil_div(int64_t a, int64_t b) {
  return (a + b - 1) / b;
}

Store store_of(isa::Space s) {
  switch (s) {
    case isa::Space::kIbuf:
      return Store::kIbuf;
    case isa::Space::kObuf:
      return Store::kObuf;
    default:
      return Store::kAcc;
  }
}

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
           EnergyMeter& energy, ActivityTrace& trace, RunStatus& status)
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
      scoreboard_(kFirstXbar + chip.tile.crossbars) {
  from_noc.register_b_transport(this, &Tile::b_transport);
  from_noc.register_transport_dbg(this, &Tile::transport_dbg);
  SC_HAS_PROCESS(Tile);
  SC_METHOD(deliver_semaphores);
  sensitive << deliver_event_;
  dont_initialize();
  if (code_ == nullptr) return;  // an unused tile keeps no crossbars and runs nothing

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
    case Op::kStore:
      exec_transfer(c);
      break;
    case Op::kCopy:
      exec_copy(c);
      break;
    case Op::kSend:
      exec_send(c);
      break;
    case Op::kSignal:
      exec_signal(c);
      break;
    case Op::kWait:
      exec_wait(c);
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

int64_t Tile::occupy(int unit, int64_t n, uint32_t reads, uint32_t writes) {
  const int64_t start = scoreboard_.earliest_start(unit, issue_, reads, writes);
  scoreboard_.commit(unit, start, start + n, start + n, reads, writes);
  if (trace_.enabled()) {
    trace_.busy(sig_busy_, start, start + n);
    if (unit == kDma) trace_.busy(sig_dma_, start, start + n);
    if (unit == kNic) trace_.busy(sig_nic_, start, start + n);
    if (unit >= kFirstXbar) trace_.busy(sig_xbar_[unit - kFirstXbar], start, start + n);
  }
  return start;
}

// ---------------------------------------------------------------------------------------
// Operand access, with the checks that turn a bad address into a run-time fault.

int64_t Tile::addr(const isa::Addr& a) const {
  int64_t v = a.base;
  for (size_t d = 0; d < loops_.size() && d < a.stride.size(); ++d)
    v += a.stride[d] * loops_[d].index;
  return v;
}

static const char* space_name(isa::Space s) {
  switch (s) {
    case isa::Space::kIbuf:
      return "input buffer";
    case isa::Space::kObuf:
      return "output buffer";
    case isa::Space::kAcc:
      return "accumulator";
    case isa::Space::kGb:
      return "global buffer";
  }
  return "?";
}

uint8_t* Tile::bytes(isa::Space s, int64_t offset, int64_t n, const char* role) {
  std::vector<uint8_t>& mem = s == isa::Space::kObuf ? obuf_ : ibuf_;
  if (s != isa::Space::kIbuf && s != isa::Space::kObuf) {
    fault(std::string(role) + " must be in ibuf or obuf, not " + isa::to_string(s));
  }
  const int64_t size = static_cast<int64_t>(mem.size());
  if (offset < 0 || n < 0 || offset > size || n > size - offset) {
    std::ostringstream m;
    m << role << " " << isa::to_string(s) << "[" << offset << ".." << offset + n
      << ") is outside the " << space_name(s) << " (" << size << " bytes)";
    fault(m.str());
  }
  return mem.data() + offset;
}

int32_t* Tile::acc_entries(int64_t offset, int64_t n, const char* role) {
  const int64_t size = static_cast<int64_t>(acc_.size());
  if (offset < 0 || n < 0 || offset > size || n > size - offset) {
    std::ostringstream m;
    m << role << " acc[" << offset << ".." << offset + n << ") is outside the accumulator (" << size
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
    w << "waits forever: semaphore " << current_->sem << " holds " << sems_[current_->sem] << " of "
      << current_->count << " and no tile can raise it any more";
    f.what = w.str();
  } else {
    f.what = "never reached HALT";
  }
  return f;
}

// ---------------------------------------------------------------------------------------
// Commands

void Tile::exec_wxb(const isa::Command& c) {
  const isa::DataBlock& w = program_.data.at(c.data);
  if (c.xbar < 0 || c.xbar >= tp_.crossbars) fault("no crossbar " + std::to_string(c.xbar));
  if (!xbars_[c.xbar].program(c.row, c.col, static_cast<int>(w.rows), static_cast<int>(w.cols),
                              w.values.data())) {
    fault("data block '" + w.name + "' does not fit crossbar " + std::to_string(c.xbar) +
          " at that position, or holds a value its cells cannot store");
  }
  const int64_t start = occupy(kFirstXbar + c.xbar, w.rows * tp_.crossbar.write_row_cycles, 0, 0);
  const double cells = static_cast<double>(w.rows * w.cols * tp_.crossbar.cells_per_weight);
  charge(EnergyClass::kCrossbar, cells * chip_.energy.cell_write_pj, start,
         start + w.rows * tp_.crossbar.write_row_cycles);
}

void Tile::exec_wth(const isa::Command& c) {
  const isa::DataBlock& t = program_.data.at(c.data);
  if (t.cols != 3 || c.entry < 0 || c.entry + t.rows > static_cast<int64_t>(thresholds_.size())) {
    fault("threshold block '" + t.name + "' does not fit the threshold table");
  }
  for (int64_t i = 0; i < t.rows; ++i) {
    thresholds_[c.entry + i] = {t.values[3 * i], t.values[3 * i + 1], t.values[3 * i + 2] != 0};
  }
  const int64_t n = ceil_div(t.rows, tp_.thresholder_lanes);
  occupy(kThresh, n, 0, 0);
}

void Tile::exec_transfer(const isa::Command& c) {
  const bool load = c.op == isa::Opcode::kLoad;
  const isa::Addr& local = load ? c.dst : c.src;
  const int64_t gb = addr(load ? c.src : c.dst);
  uint8_t* data =
      bytes(local.space, addr(local), c.bytes, load ? "LOAD destination" : "STORE source");
  const uint32_t touch = bit(store_of(local.space));
  const int64_t start =
      scoreboard_.earliest_start(kDma, issue_, load ? 0 : touch, load ? touch : 0);
  sync();  // the NoC sees requests in simulated-time order
  payload_.set_command(load ? tlm::TLM_READ_COMMAND : tlm::TLM_WRITE_COMMAND);
  payload_.set_address(static_cast<uint64_t>(std::max<int64_t>(gb, 0)));
  payload_.set_data_ptr(data);
  payload_.set_data_length(static_cast<unsigned>(c.bytes));
  payload_.set_streaming_width(static_cast<unsigned>(c.bytes));
  payload_.set_byte_enable_ptr(nullptr);
  payload_.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
  sc_core::sc_time delay = delay_until(start);
  if (gb < 0 || static_cast<uint64_t>(gb) >= kTileBase) {
    payload_.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
  } else {
    to_noc->b_transport(payload_, delay);
  }
  if (!payload_.is_response_ok()) {
    std::ostringstream m;
    m << (load ? "LOAD source" : "STORE destination") << " gb[" << gb << ".." << gb + c.bytes
      << ") is outside the global buffer (" << chip_.global_buffer.capacity_bits / 8 << " bytes)";
    fault(m.str());
  }
  const int64_t end = clock_.cycle_of(sc_core::sc_time_stamp() + delay);
  scoreboard_.commit(kDma, start, end, end, load ? 0 : touch, load ? touch : 0);
  if (trace_.enabled()) {
    trace_.busy(sig_busy_, start, end);
    trace_.busy(sig_dma_, start, end);
  }
  charge(EnergyClass::kBuffer, chip_.energy.buffer_access_pj_per_bit * 8.0 * c.bytes, start, end);
}

void Tile::exec_copy(const isa::Command& c) {
  uint8_t* src = bytes(c.src.space, addr(c.src), c.bytes, "COPY source");
  uint8_t* dst = bytes(c.dst.space, addr(c.dst), c.bytes, "COPY destination");
  std::memmove(dst, src, static_cast<size_t>(c.bytes));
  const int64_t bits = 8 * c.bytes;
  const int64_t n = std::max(buffer_cycles(c.src.space, bits), buffer_cycles(c.dst.space, bits));
  const int64_t start = occupy(kDma, n, bit(store_of(c.src.space)), bit(store_of(c.dst.space)));
  charge(EnergyClass::kBuffer, chip_.energy.buffer_access_pj_per_bit * 2.0 * bits, start,
         start + n);
}

void Tile::exec_send(const isa::Command& c) {
  if (c.tile < 0 || c.tile >= chip_.tiles()) fault("no tile " + std::to_string(c.tile));
  const int64_t dst = addr(c.dst);
  uint8_t* data = bytes(c.src.space, addr(c.src), c.bytes, "SEND source");
  const uint32_t reads = bit(store_of(c.src.space));
  const int64_t start = scoreboard_.earliest_start(kNic, issue_, reads, 0);
  sync();
  payload_.set_command(tlm::TLM_WRITE_COMMAND);
  payload_.set_address(tile_address(c.tile, c.dst.space, static_cast<uint64_t>(dst)));
  payload_.set_data_ptr(data);
  payload_.set_data_length(static_cast<unsigned>(c.bytes));
  payload_.set_streaming_width(static_cast<unsigned>(c.bytes));
  payload_.set_byte_enable_ptr(nullptr);
  payload_.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
  sem_ext_.sem = c.sem;
  if (c.sem >= 0) payload_.set_extension(&sem_ext_);
  sc_core::sc_time delay = delay_until(start);
  if (dst >= 0 && dst < static_cast<int64_t>(kObufOffset)) {
    to_noc->b_transport(payload_, delay);
  } else {
    payload_.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
  }
  payload_.clear_extension(&sem_ext_);
  if (!payload_.is_response_ok()) {
    std::ostringstream m;
    m << "SEND destination " << isa::to_string(c.dst.space) << "[" << dst << ".." << dst + c.bytes
      << ") is outside the " << space_name(c.dst.space) << " of tile " << c.tile;
    if (c.sem >= tp_.semaphores) m << ", or semaphore " << c.sem << " does not exist";
    fault(m.str());
  }
  // The port is busy while the packet's flits leave; the data lands later.
  const int64_t flits = 1 + ceil_div(8 * c.bytes, chip_.noc.link_width_bits);
  scoreboard_.commit(kNic, start, start + flits, start + flits, reads, 0);
  if (trace_.enabled()) {
    trace_.busy(sig_busy_, start, start + flits);
    trace_.busy(sig_nic_, start, start + flits);
  }
  charge(EnergyClass::kBuffer, chip_.energy.buffer_access_pj_per_bit * 8.0 * c.bytes, start,
         start + flits);
}

void Tile::exec_signal(const isa::Command& c) {
  if (c.tile < 0 || c.tile >= chip_.tiles()) fault("no tile " + std::to_string(c.tile));
  // A fence: the token leaves once everything issued before it has completed.
  const int64_t start = std::max(issue_, scoreboard_.all_done());
  sync();
  uint32_t token = 1;
  payload_.set_command(tlm::TLM_WRITE_COMMAND);
  payload_.set_address(semaphore_address(c.tile, c.sem));
  payload_.set_data_ptr(reinterpret_cast<unsigned char*>(&token));
  payload_.set_data_length(4);
  payload_.set_streaming_width(4);
  payload_.set_byte_enable_ptr(nullptr);
  payload_.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
  sc_core::sc_time delay = delay_until(start);
  to_noc->b_transport(payload_, delay);
  if (!payload_.is_response_ok()) {
    fault("tile " + std::to_string(c.tile) + " has no semaphore " + std::to_string(c.sem));
  }
  scoreboard_.commit(kNic, start, start + 2, start + 2, 0, 0);
}

void Tile::exec_wait(const isa::Command& c) {
  if (c.sem < 0 || c.sem >= tp_.semaphores) fault("no semaphore " + std::to_string(c.sem));
  sync();
  if (sems_[c.sem] < c.count) {
    wait_since_ = issue_;
    set_state(State::kWaiting, issue_);
    while (sems_[c.sem] < c.count) wait(sem_changed_);
    issue_ = std::max(issue_, clock_.now());
    set_state(State::kRunning, issue_);
    wait_since_ = -1;
  }
  sems_[c.sem] -= c.count;
}

void Tile::exec_mvm(const isa::Command& c) {
  if (c.xbar < 0 || c.xbar >= tp_.crossbars) fault("no crossbar " + std::to_string(c.xbar));
  const isa::Gather& g = c.gather;
  if (g.sx < 0 || g.sy < 0 || g.kx < 1 || g.ky < 1 || g.elems < 1 ||
      c.row + g.total() > tp_.crossbar.rows || c.col + c.cols > tp_.crossbar.cols) {
    fault("the input or the columns do not fit the crossbar");
  }
  const int64_t src = addr(c.src);
  // Only segments the mask enables are read: disabled ones (padding) may point anywhere.
  const int64_t seg_bytes = isa::packed_bytes(c.type, g.elems);
  const uint8_t* mem = bytes(c.src.space, 0, 0, "MVM input");  // the buffer's base
  for (int y = 0; y < g.ky; ++y) {
    for (int x = 0; x < g.kx; ++x) {
      if (!((g.mask >> (y * g.kx + x)) & 1u)) continue;
      const int64_t seg = src + y * g.sy + x * g.sx;
      bytes(c.src.space, seg, seg_bytes, "MVM input");
    }
  }
  int32_t* out = acc_entries(addr(c.dst), c.cols, "MVM output");
  const CrossbarArray& xb = xbars_[c.xbar];
  gather_input(c.type, mem, src, g, c.row, tp_.crossbar.rows, input_);
  MvmCounts counts;
  xb.mvm(input_, c.col, c.cols, c.shift, c.accumulate, out, counts);

  const int64_t bits = g.total() * isa::bits_per_element(c.type);
  const int64_t n =
      buffer_cycles(c.src.space, bits) + xb.mvm_cycles(input_, c.cols) + tp_.accumulate_cycles;
  const int64_t start =
      occupy(kFirstXbar + c.xbar, n, bit(store_of(c.src.space)), bit(Store::kAcc));
  const arch::EnergyParams& e = chip_.energy;
  const int64_t end = start + n;
  charge(EnergyClass::kBuffer, e.buffer_access_pj_per_bit * bits, start, end);
  charge(EnergyClass::kCrossbar, counts.cells * e.cell_read_pj + counts.wordlines * e.wordline_pj,
         start, end);
  charge(EnergyClass::kReadout,
         counts.conversions * e.adc_conversion_pj + counts.popcounts * e.digital_popcount_pj, start,
         end);
  charge(EnergyClass::kAccumulator, static_cast<double>(c.cols) * input_.planes * e.accumulate_pj,
         start, end);
}

void Tile::exec_accadd(const isa::Command& c) {
  int32_t* acc = acc_entries(addr(c.dst), c.count, "ACCADD destination");
  const uint8_t* src =
      bytes(c.src.space, addr(c.src), isa::packed_bytes(c.type, c.count), "ACCADD source");
  scratch_.resize(static_cast<size_t>(c.count));
  isa::unpack(c.type, src, c.count, scratch_.data());
  for (int64_t i = 0; i < c.count; ++i) acc[i] += c.scale * scratch_[i];
  const int64_t bits = c.count * isa::bits_per_element(c.type);
  const int64_t n = buffer_cycles(c.src.space, bits) + ceil_div(c.count, tp_.accumulator_lanes) +
                    tp_.accumulate_cycles - 1;
  const int64_t start = occupy(kVector, n, bit(store_of(c.src.space)), bit(Store::kAcc));
  charge(EnergyClass::kBuffer, chip_.energy.buffer_access_pj_per_bit * bits, start, start + n);
  charge(EnergyClass::kAccumulator, chip_.energy.accumulate_pj * c.count, start, start + n);
}

void Tile::exec_thresh(const isa::Command& c) {
  const int32_t* acc = acc_entries(addr(c.src), c.count, "THRESH source");
  if (c.entry < 0 || c.entry + c.count > static_cast<int64_t>(thresholds_.size())) {
    fault("threshold entries " + std::to_string(c.entry) + ".." +
          std::to_string(c.entry + c.count) + " are outside the threshold table (" +
          std::to_string(thresholds_.size()) + ")");
  }
  uint8_t* dst =
      bytes(c.dst.space, addr(c.dst), isa::packed_bytes(c.type, c.count), "THRESH destination");
  scratch_.resize(static_cast<size_t>(c.count));
  for (int64_t i = 0; i < c.count; ++i)
    scratch_[i] = requantize(acc[i], thresholds_[c.entry + i], c.type);
  isa::pack(c.type, scratch_.data(), c.count, dst);
  const int64_t bits = c.count * isa::bits_per_element(c.type);
  const int64_t n = ceil_div(c.count, tp_.thresholder_lanes) + tp_.threshold_cycles - 1 +
                    buffer_cycles(c.dst.space, bits);
  const int64_t start = occupy(kThresh, n, bit(Store::kAcc), bit(store_of(c.dst.space)));
  charge(EnergyClass::kThresholder, chip_.energy.threshold_pj * c.count, start, start + n);
  charge(EnergyClass::kBuffer, chip_.energy.buffer_access_pj_per_bit * bits, start, start + n);
}

void Tile::exec_pool(const isa::Command& c) {
  const isa::Gather& g = c.gather;
  if (g.sx < 0 || g.sy < 0 || g.kx < 1 || g.ky < 1 || g.elems < 1) fault("bad pooling window");
  const bool in_acc = c.src.space == isa::Space::kAcc;
  const bool out_acc = c.dst.space == isa::Space::kAcc;
  const int64_t segments = static_cast<int64_t>(g.kx) * g.ky;
  const int64_t src = addr(c.src);
  scratch_.assign(static_cast<size_t>(g.elems), INT32_MIN);
  scratch2_.resize(static_cast<size_t>(g.elems));
  for (int y = 0; y < g.ky; ++y) {
    for (int x = 0; x < g.kx; ++x) {
      const int64_t off = src + y * g.sy + x * g.sx;
      if (in_acc) {
        const int32_t* a = acc_entries(off, g.elems, "POOL source");
        std::copy(a, a + g.elems, scratch2_.begin());
      } else {
        isa::unpack(c.type,
                    bytes(c.src.space, off, isa::packed_bytes(c.type, g.elems), "POOL source"),
                    g.elems, scratch2_.data());
      }
      for (int64_t i = 0; i < g.elems; ++i) scratch_[i] = std::max(scratch_[i], scratch2_[i]);
    }
  }
  const int64_t dst = addr(c.dst);
  if (out_acc) {
    std::copy(scratch_.begin(), scratch_.end(), acc_entries(dst, g.elems, "POOL destination"));
  } else {
    isa::pack(c.type, scratch_.data(), g.elems,
              bytes(c.dst.space, dst, isa::packed_bytes(c.type, g.elems), "POOL destination"));
  }
  const int64_t n = ceil_div(g.elems * segments, tp_.pool_lanes) + tp_.pool_cycles - 1;
  const int64_t start = occupy(kPool, n, bit(store_of(c.src.space)), bit(store_of(c.dst.space)));
  charge(EnergyClass::kPooling, chip_.energy.pool_pj * static_cast<double>(g.elems * segments),
         start, start + n);
  if (!in_acc || !out_acc) {
    const int64_t bits = g.elems * isa::bits_per_element(c.type) * (in_acc ? 1 : segments + 1);
    charge(EnergyClass::kBuffer, chip_.energy.buffer_access_pj_per_bit * bits, start, start + n);
  }
}

// ---------------------------------------------------------------------------------------
// Incoming NoC traffic: data written by other tiles' SENDs, and semaphore tokens.

void Tile::b_transport(tlm::tlm_generic_payload& p, sc_core::sc_time& delay) {
  const uint64_t offset = decode_address(p.get_address()).offset;
  const int64_t arrival = clock_.cycle_of(sc_core::sc_time_stamp() + delay);
  int sem = -1;
  if (offset >= kSemOffset) {
    sem = static_cast<int>((offset - kSemOffset) / 4);
  } else {
    const bool out = offset >= kObufOffset;
    std::vector<uint8_t>& mem = out ? obuf_ : ibuf_;
    const uint64_t local = offset - (out ? kObufOffset : 0);
    const uint64_t n = p.get_data_length();
    if (!p.is_write() || local > mem.size() || n > mem.size() - local) {
      p.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
      return;
    }
    std::memcpy(mem.data() + local, p.get_data_ptr(), n);
    energy_.charge(EnergyClass::kBuffer, id_, chip_.energy.buffer_access_pj_per_bit * 8.0 * n,
                   arrival, arrival);
    if (auto* ext = p.get_extension<SemaphoreExtension>()) sem = ext->sem;
  }
  if (sem >= static_cast<int>(sems_.size())) {
    p.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
    return;
  }
  if (sem >= 0) {
    pending_sems_.emplace(arrival, sem);
    // Tokens count from the start of their arrival cycle: a WAIT issued then sees them.
    deliver_event_.notify(clock_.until(std::max(arrival, clock_.now() + 1)));
  }
  p.set_response_status(tlm::TLM_OK_RESPONSE);
}

void Tile::deliver_semaphores() {
  const int64_t now = clock_.now();
  bool raised = false;
  while (!pending_sems_.empty() && pending_sems_.begin()->first <= now) {
    ++sems_[pending_sems_.begin()->second];
    pending_sems_.erase(pending_sems_.begin());
    raised = true;
  }
  if (raised) sem_changed_.notify(sc_core::SC_ZERO_TIME);
  if (!pending_sems_.empty()) deliver_event_.notify(clock_.until(pending_sems_.begin()->first));
}

unsigned Tile::transport_dbg(tlm::tlm_generic_payload& p) {
  const uint64_t offset = decode_address(p.get_address()).offset;
  if (offset >= kSemOffset) return 0;
  const bool out = offset >= kObufOffset;
  std::vector<uint8_t>& mem = out ? obuf_ : ibuf_;
  const uint64_t local = offset - (out ? kObufOffset : 0);
  if (local >= mem.size()) return 0;
  const uint64_t n = std::min<uint64_t>(p.get_data_length(), mem.size() - local);
  if (p.is_write()) {
    std::memcpy(mem.data() + local, p.get_data_ptr(), n);
  } else {
    std::memcpy(p.get_data_ptr(), mem.data() + local, n);
  }
  return static_cast<unsigned>(n);
}

}  // namespace imc::models
