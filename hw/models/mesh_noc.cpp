#include "hw/models/mesh_noc.h"

#include <algorithm>
#include <string>

#include "hw/models/address_map.h"
#include "hw/models/multicast.h"

namespace imc::models {

namespace {
enum Dir { kEast, kWest, kNorth, kSouth };
// Cycles before the kernel's time after which a link's reservations are forgotten: requests
// reach the NoC at the kernel's time and no packet (a read's reply neither) starts before it;
// the margin is for safety only.
constexpr int64_t kForgetMargin = 64;
const char* kDirName[] = {"E", "W", "N", "S"};
}  // namespace

MeshNoc::MeshNoc(sc_core::sc_module_name name, const arch::ChipParams& chip, EnergyMeter& energy,
                 ActivityTrace& trace)
    : sc_core::sc_module(name),
      from_tiles("from_tiles"),
      to_targets("to_targets"),
      chip_(chip),
      energy_(energy),
      trace_(trace),
      tiles_(chip.tiles()),
      gb_router_(chip.global_buffer.attach_y * chip.mesh_cols + chip.global_buffer.attach_x),
      links_(static_cast<size_t>(6 * tiles_ + 2)),
      link_signal_(6 * tiles_ + 2, -1),
      clock_(chip.period_ps) {
  stats_.link_busy.assign(links_.size(), 0);
  stats_.link_contention.assign(links_.size(), 0);
  from_tiles.register_b_transport(this, &MeshNoc::b_transport);
  from_tiles.register_transport_dbg(this, &MeshNoc::transport_dbg);
  from_tiles.register_get_direct_mem_ptr(this, &MeshNoc::get_direct_mem_ptr);
  if (trace_.enabled()) {  // in the order waveforms have always listed them
    for (int r = 0; r < tiles_; ++r) {
      for (int d = 0; d < 4; ++d) add_link_signal(4 * r + d);
      add_link_signal(4 * tiles_ + r);
      add_link_signal(5 * tiles_ + r);
    }
    add_link_signal(6 * tiles_);
    add_link_signal(6 * tiles_ + 1);
  }
}

void MeshNoc::add_link_signal(int link) {
  const std::string name = link_name(link);
  if (!name.empty())
    link_signal_[link] = trace_.add_signal("noc", name, ActivityTrace::Kind::kBusy);
}

std::string MeshNoc::link_name(int link) const {
  if (link == 6 * tiles_) return "gb_inject";
  if (link == 6 * tiles_ + 1) return "gb_eject";
  if (link >= 5 * tiles_) return "eject_" + std::to_string(link - 5 * tiles_);
  if (link >= 4 * tiles_) return "inject_" + std::to_string(link - 4 * tiles_);
  const int r = link / 4, d = link % 4;
  const int x = r % chip_.mesh_cols, y = r / chip_.mesh_cols;
  const bool has[] = {x + 1 < chip_.mesh_cols, x > 0, y > 0, y + 1 < chip_.mesh_rows};
  if (!has[d]) return "";
  return "link_" + std::to_string(x) + "_" + std::to_string(y) + "_" + kDirName[d];
}

void MeshNoc::path(int src, int dst, std::vector<int>& links) const {
  links.clear();
  const int cols = chip_.mesh_cols;
  int r = src == tiles_ ? gb_router_ : src;
  const int to = dst == tiles_ ? gb_router_ : dst;
  links.push_back(src == tiles_ ? 6 * tiles_ : 4 * tiles_ + src);
  int x = r % cols, y = r / cols;
  const int tx = to % cols, ty = to / cols;
  while (x != tx) {  // X first, then Y: deadlock-free dimension-order routing
    links.push_back(4 * (y * cols + x) + (tx > x ? kEast : kWest));
    x += tx > x ? 1 : -1;
  }
  while (y != ty) {
    links.push_back(4 * (y * cols + x) + (ty > y ? kSouth : kNorth));
    y += ty > y ? 1 : -1;
  }
  links.push_back(dst == tiles_ ? 6 * tiles_ + 1 : 5 * tiles_ + dst);
}

int MeshNoc::hops(int src, int dst) const {
  std::vector<int> links;
  path(src, dst, links);
  return static_cast<int>(links.size());
}

int64_t MeshNoc::cross(int link, int64_t head, int64_t flits, int64_t forget) {
  LinkCalendar& cal = links_[static_cast<size_t>(link)];
  cal.forget_until(forget);
  const int64_t enter = chip_.noc.contention ? cal.reserve(head, flits) : head;
  stats_.contention_cycles += enter - head;
  stats_.link_contention[link] += enter - head;
  stats_.link_busy[link] += flits;
  if (link_signal_[link] >= 0) trace_.busy(link_signal_[link], enter, enter + flits);
  return enter + chip_.noc.hop_cycles;
}

void MeshNoc::count_packet(int64_t flits, int64_t links, int64_t start, int64_t end) {
  ++stats_.packets;
  stats_.flits += flits;
  stats_.flit_hops += flits * links;
  energy_.charge(EnergyClass::kNoc, -1, chip_.energy.noc_hop_pj_per_flit * flits * links, start,
                 end);
}

namespace {
int64_t packet_flits(const arch::ChipParams& chip, int64_t bytes) {
  const int64_t w = chip.noc.link_width_bits;
  return 1 + (bytes * 8 + w - 1) / w;  // a header flit, then the payload
}
}  // namespace

int64_t MeshNoc::transfer(int src, int dst, int64_t start, int64_t bytes) {
  const int64_t flits = packet_flits(chip_, bytes);
  path(src, dst, scratch_path_);
  // Requests reach the NoC in simulated-time order, none starting before the kernel's time;
  // reservations far enough in the past can no longer matter.
  const int64_t forget = clock_.cycle_of(sc_core::sc_time_stamp()) - kForgetMargin;
  int64_t head = start;
  for (int link : scratch_path_) head = cross(link, head, flits, forget);
  const int64_t arrival = head + flits - 1;
  count_packet(flits, static_cast<int64_t>(scratch_path_.size()), start, arrival);
  return arrival;
}

void MeshNoc::multicast(int src, const std::vector<int>& dsts, int64_t start, int64_t bytes,
                        std::vector<int64_t>& arrivals) {
  const int64_t flits = packet_flits(chip_, bytes);
  const int64_t forget = clock_.cycle_of(sc_core::sc_time_stamp()) - kForgetMargin;
  std::vector<std::pair<int, int64_t>> taken;  // links of the tree so far, head after each
  arrivals.clear();
  int64_t last = start;
  for (int dst : dsts) {
    path(src, dst, scratch_path_);
    int64_t head = start;
    for (int link : scratch_path_) {
      const auto it =
          std::find_if(taken.begin(), taken.end(),
                       [&](const std::pair<int, int64_t>& t) { return t.first == link; });
      if (it != taken.end()) {
        head = it->second;
        continue;
      }
      head = cross(link, head, flits, forget);
      taken.emplace_back(link, head);
    }
    arrivals.push_back(head + flits - 1);
    last = std::max(last, arrivals.back());
  }
  count_packet(flits, static_cast<int64_t>(taken.size()), start, last);
}

// A read's data streams out of the global buffer: the header leaves as soon as the first port
// word is out, and each payload flit as soon as its word is, so the port (usually wider than
// a link) overlaps the link instead of preceding it. `done` is when the target finished the
// whole access (its last word plus the access latency); the port moved port_width bits a
// cycle before that.
int64_t MeshNoc::stream_start(int64_t done, int64_t bytes) const {
  const int64_t bits = 8 * bytes;
  const int64_t port_words =
      (bits + chip_.global_buffer.port_width_bits - 1) / chip_.global_buffer.port_width_bits;
  const int64_t payload_flits = (bits + chip_.noc.link_width_bits - 1) / chip_.noc.link_width_bits;
  // first word out at done - (port_words - 1); the last flit must not leave before done
  return std::max(done - (port_words - 1), done - payload_flits);
}

void MeshNoc::b_transport(int id, tlm::tlm_generic_payload& p, sc_core::sc_time& delay) {
  const uint64_t address = p.get_address();
  const Decoded d = decode_address(address);
  const int dst = d.global_buffer ? tiles_ : d.tile;
  if (!d.global_buffer && (d.tile < 0 || d.tile >= tiles_)) {
    p.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
    return;
  }
  const sc_core::sc_time now = sc_core::sc_time_stamp();
  const int64_t start = clock_.cycle_of(now + delay);
  const bool read = p.get_command() == tlm::TLM_READ_COMMAND;
  const auto* mc = p.get_extension<MulticastExtension>();
  if (mc != nullptr && mc->more != 0 && !read && !d.global_buffer) {
    multicast_write(id, d, p, delay);
    return;
  }
  // A read sends a header-only request and gets the data back; a write carries the data.
  int64_t t = transfer(id, dst, start, read ? 0 : p.get_data_length());
  sc_core::sc_time target_delay = clock_.at(t) - now;
  p.set_address(d.global_buffer ? d.offset : address);
  to_targets[dst]->b_transport(p, target_delay);
  p.set_address(address);
  t = clock_.cycle_of(now + target_delay);
  if (read && p.is_response_ok()) {
    const int64_t n = p.get_data_length();
    t = transfer(dst, id, d.global_buffer ? stream_start(t, n) : t, n);
  }
  delay = clock_.at(t) - now;
}

// A write to tile d.tile and the tiles its MulticastExtension adds: all are checked before any
// is written, then each gets the data (and the semaphore) when the tail lands there.
void MeshNoc::multicast_write(int id, const Decoded& d, tlm::tlm_generic_payload& p,
                              sc_core::sc_time& delay) {
  const uint32_t more = p.get_extension<MulticastExtension>()->more;
  std::vector<int> dsts{d.tile};
  for (int k = 0; k < 32; ++k)
    if (more >> k & 1) dsts.push_back(d.tile + 1 + k);
  if (dsts.back() >= tiles_) {
    p.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
    return;
  }
  const sc_core::sc_time now = sc_core::sc_time_stamp();
  std::vector<int64_t> arrivals;
  multicast(id, dsts, clock_.cycle_of(now + delay), p.get_data_length(), arrivals);
  const uint64_t address = p.get_address();
  // Every tile has the same buffers and semaphores: an address one of them refuses, the first
  // refuses, before anything is written.
  for (size_t k = 0; k < dsts.size() && (k == 0 || p.is_response_ok()); ++k) {
    sc_core::sc_time target_delay = clock_.at(arrivals[k]) - now;
    p.set_address(tile_address(dsts[k], isa::Space::kIbuf, d.offset));
    to_targets[dsts[k]]->b_transport(p, target_delay);
  }
  p.set_address(address);
  delay = clock_.at(*std::max_element(arrivals.begin(), arrivals.end())) - now;
}

unsigned MeshNoc::transport_dbg(int, tlm::tlm_generic_payload& p) {
  const uint64_t address = p.get_address();
  const Decoded d = decode_address(address);
  if (!d.global_buffer && (d.tile < 0 || d.tile >= tiles_)) return 0;
  p.set_address(d.global_buffer ? d.offset : address);
  const unsigned n = to_targets[d.global_buffer ? tiles_ : d.tile]->transport_dbg(p);
  p.set_address(address);
  return n;
}

// Only the global buffer (mapped at 0, so addresses need no translation) grants DMI.
bool MeshNoc::get_direct_mem_ptr(int, tlm::tlm_generic_payload& p, tlm::tlm_dmi& dmi) {
  if (!decode_address(p.get_address()).global_buffer) return false;
  return to_targets[tiles_]->get_direct_mem_ptr(p, dmi);
}

}  // namespace imc::models
