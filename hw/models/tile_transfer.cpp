// The tile's data movement and synchronisation: DMA, NoC sends, semaphores, and the traffic
// other tiles send it.
#include "hw/models/tile.h"

#include <algorithm>
#include <cstring>
#include <sstream>

#include "hw/isa/assembler.h"
#include "hw/models/address_map.h"
#include "hw/models/tile_internal.h"

namespace imc::models {

using namespace tile_internal;

void Tile::exec_transfer(const isa::Command& c) {
  const bool load = c.op == isa::Opcode::kLoad;
  const isa::Addr& local = load ? c.dst : c.src;
  const int64_t gb = addr(load ? c.src : c.dst);
  uint8_t* data =
      bytes(local.space, addr(local), c.bytes, load ? "LOAD destination" : "STORE source");
  const Touch touch = span(local.space, addr(local), c.bytes), none;
  int64_t start =
      scoreboard_.earliest_start(kDma, issue_, load ? none : touch, load ? touch : none);
  // A split-transaction engine sends a LOAD's request and goes on with the next command while
  // the data comes back; with `outstanding` LOADs in flight it waits for one to deliver.
  const bool split = load && chip_.tile.dma_outstanding > 1;
  if (split && loads_in_flight_.size() >= static_cast<size_t>(chip_.tile.dma_outstanding)) {
    const auto first = std::min_element(loads_in_flight_.begin(), loads_in_flight_.end());
    start = std::max(start, *first);
    loads_in_flight_.erase(first);
  }
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
    m << (load ? "LOAD source" : "STORE destination") << " gb" << range_text(gb, c.bytes)
      << " is outside the global buffer (" << chip_.global_buffer.capacity_bits / 8 << " bytes)";
    fault(m.str());
  }
  const int64_t end = clock_.cycle_of(sc_core::sc_time_stamp() + delay);
  if (split) loads_in_flight_.push_back(end);
  // The request's one flit takes the engine one cycle when it is split.
  const int64_t engine_until = split ? std::min(end, start + 1) : end;
  scoreboard_.commit(kDma, start, engine_until, end, load ? none : touch, load ? touch : none);
  last_start_ = start;  // --cmd-trace: until the data is in
  last_end_ = end;
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
  const int64_t start = occupy(kDma, n, span(c.src.space, addr(c.src), c.bytes),
                               span(c.dst.space, addr(c.dst), c.bytes));
  charge(EnergyClass::kBuffer, chip_.energy.buffer_access_pj_per_bit * 2.0 * bits, start,
         start + n);
}

void Tile::exec_send(const isa::Command& c) {
  if (c.tile < 0 || c.tile >= chip_.tiles()) fault("no tile " + std::to_string(c.tile));
  if (c.mcast != 0 && !chip_.noc.multicast) fault("mcast on a NoC without multicast");
  if (c.mcast != 0 && int64_t{c.tile} + 32 - __builtin_clz(c.mcast) >= chip_.tiles())
    fault("mcast reaches tile " + std::to_string(int64_t{c.tile} + 32 - __builtin_clz(c.mcast)) +
          ", beyond the mesh");
  const int64_t dst = addr(c.dst);
  uint8_t* data = bytes(c.src.space, addr(c.src), c.bytes, "SEND source");
  const Touch reads = span(c.src.space, addr(c.src), c.bytes);
  const int64_t start = scoreboard_.earliest_start(kNic, issue_, reads, 0);
  sync();
  payload_.set_command(tlm::TLM_WRITE_COMMAND);
  payload_.set_address(tile_address(c.tile, c.dst.space, static_cast<uint64_t>(dst)));
  payload_.set_data_ptr(data);
  payload_.set_data_length(static_cast<unsigned>(c.bytes));
  payload_.set_streaming_width(static_cast<unsigned>(c.bytes));
  payload_.set_byte_enable_ptr(nullptr);
  payload_.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
  const int sem = semaphore(c);
  sem_ext_.sem = sem;
  sem_ext_.origin = {id_, c.line, c.op, start, blocking_waits_};
  if (sem >= 0) payload_.set_extension(&sem_ext_);
  mcast_ext_.more = c.mcast;
  if (c.mcast != 0) payload_.set_extension(&mcast_ext_);
  sc_core::sc_time delay = delay_until(start);
  if (dst >= 0 && dst < static_cast<int64_t>(kObufOffset)) {
    to_noc->b_transport(payload_, delay);
  } else {
    payload_.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
  }
  payload_.clear_extension(&sem_ext_);
  payload_.clear_extension(&mcast_ext_);
  if (!payload_.is_response_ok()) {
    std::ostringstream m;
    m << "SEND destination " << isa::to_string(c.dst.space) << range_text(dst, c.bytes)
      << " is outside the " << space_name(c.dst.space) << " of tile " << c.tile;
    if (sem >= tp_.semaphores) m << ", or semaphore " << sem << " does not exist";
    fault(m.str());
  }
  // The port is busy while the packet's flits leave; the data lands later.
  const int64_t flits = 1 + ceil_div(8 * c.bytes, chip_.noc.link_width_bits);
  scoreboard_.commit(kNic, start, start + flits, start + flits, reads, 0);
  last_start_ = start;  // --cmd-trace: while the flits leave the port
  last_end_ = start + flits;
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
  const int sem = semaphore(c);
  payload_.set_address(semaphore_address(c.tile, sem));
  payload_.set_data_ptr(reinterpret_cast<unsigned char*>(&token));
  payload_.set_data_length(4);
  payload_.set_streaming_width(4);
  payload_.set_byte_enable_ptr(nullptr);
  payload_.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
  sem_ext_.sem = -1;
  sem_ext_.origin = {id_, c.line, c.op, start, blocking_waits_};
  payload_.set_extension(&sem_ext_);
  sc_core::sc_time delay = delay_until(start);
  to_noc->b_transport(payload_, delay);
  payload_.clear_extension(&sem_ext_);
  if (!payload_.is_response_ok()) {
    fault("tile " + std::to_string(c.tile) + " has no semaphore " + std::to_string(sem));
  }
  scoreboard_.commit(kNic, start, start + 2, start + 2, 0, 0);
  last_start_ = start;
  last_end_ = start + 2;
}

int Tile::semaphore(const isa::Command& c) const {
  if (loops_.empty() || c.alt_sem < 0) return c.sem;
  const int64_t i0 = loops_[0].index;
  if (c.third_sem >= 0) return i0 % 3 == 0 ? c.sem : i0 % 3 == 1 ? c.alt_sem : c.third_sem;
  return i0 % 2 == 1 ? c.alt_sem : c.sem;
}

void Tile::exec_wait(const isa::Command& c) {
  const int sem = semaphore(c);
  if (sem < 0 || sem >= tp_.semaphores) fault("no semaphore " + std::to_string(sem));
  sync();
  if (sems_[sem] < c.count) {
    wait_since_ = issue_;
    set_state(State::kWaiting, issue_);
    while (sems_[sem] < c.count) wait(sem_changed_);
    woken_ = last_token_[sem];
    issue_ = std::max(issue_, clock_.now());
    ++blocking_waits_;
    if (record_waits_) waits_.push_back({c.line, issue_, woken_.origin, woken_.arrival});
    set_state(State::kRunning, issue_);
    wait_since_ = -1;
  }
  last_end_ = issue_;  // --cmd-trace: from its issue until the semaphore let it pass
  sems_[sem] -= c.count;
}

// ---------------------------------------------------------------------------------------
// Incoming NoC traffic: data written by other tiles' SENDs, and semaphore tokens.

void Tile::b_transport(tlm::tlm_generic_payload& p, sc_core::sc_time& delay) {
  const uint64_t offset = decode_address(p.get_address()).offset;
  const int64_t arrival = clock_.cycle_of(sc_core::sc_time_stamp() + delay);
  const auto* ext = p.get_extension<SemaphoreExtension>();
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
    if (ext != nullptr) sem = ext->sem;
  }
  if (sem >= static_cast<int>(sems_.size())) {
    p.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
    return;
  }
  if (sem >= 0) {
    pending_sems_.emplace(arrival, PendingToken{sem, ext ? ext->origin : TokenOrigin{}});
    // Tokens count from the start of their arrival cycle: a WAIT issued then sees them.
    deliver_event_.notify(clock_.until(std::max(arrival, clock_.now() + 1)));
  }
  p.set_response_status(tlm::TLM_OK_RESPONSE);
}

void Tile::deliver_semaphores() {
  const int64_t now = clock_.now();
  bool raised = false;
  while (!pending_sems_.empty() && pending_sems_.begin()->first <= now) {
    const auto& [arrival, token] = *pending_sems_.begin();
    ++sems_[token.sem];
    last_token_[token.sem] = {token.origin, arrival};
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
