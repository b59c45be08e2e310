// 2D mesh network-on-chip: XY routing, a fixed per-hop latency, one flit per link per cycle,
// and contention: a packet waits at each link for a gap between the packets reserved on it
// before (link_calendar.h). Each tile
// and the global buffer's port inject and eject through links of their own. TLM-2.0 LT:
// b_transport forwards the payload to its target and annotates the arrival time.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <tlm_utils/multi_passthrough_initiator_socket.h>
#include <tlm_utils/multi_passthrough_target_socket.h>
#include <systemc>
#include <tlm>

#include "hw/arch/params.h"
#include "hw/models/activity_trace.h"
#include "hw/models/address_map.h"
#include "hw/models/clock.h"
#include "hw/models/energy_meter.h"
#include "hw/models/link_calendar.h"

namespace imc::models {

struct NocStats {
  int64_t packets = 0;
  int64_t flits = 0;
  int64_t flit_hops = 0;
  int64_t contention_cycles = 0;  // cycles packets spent waiting for busy links
  // Cycles each link carried flits, by link id (MeshNoc::link_name); where the traffic jams.
  std::vector<int64_t> link_busy;
  // Cycles packets waited for each link (the share of contention_cycles it caused): a link
  // can be busy without delaying anyone, or hold up bursts at a modest load.
  std::vector<int64_t> link_contention;
};

class MeshNoc : public sc_core::sc_module {
 public:
  // Tile t binds its initiator socket as index t; targets: tiles 0..n-1, then the buffer.
  tlm_utils::multi_passthrough_target_socket<MeshNoc> from_tiles;
  tlm_utils::multi_passthrough_initiator_socket<MeshNoc> to_targets;

  MeshNoc(sc_core::sc_module_name name, const arch::ChipParams& chip, EnergyMeter& energy,
          ActivityTrace& trace);

  // Moves a packet of `bytes` payload (plus one header flit) from node `src` to `dst`, where
  // a node is a tile id or gb_node(); injection no earlier than `start` (cycles). Reserves
  // the links and returns the cycle its tail arrives.
  int64_t transfer(int src, int dst, int64_t start, int64_t bytes);
  // One packet from `src` to every tile of `dsts` (multicast): along the union of the XY paths
  // (a tree: paths from one source share a prefix and never meet again), each of its links
  // reserved once. Fills `arrivals` with the cycle the tail lands at each destination.
  void multicast(int src, const std::vector<int>& dsts, int64_t start, int64_t bytes,
                 std::vector<int64_t>& arrivals);
  int gb_node() const { return tiles_; }
  int hops(int src, int dst) const;  // links a packet crosses, inject and eject included
  // "link_X_Y_D" (router X,Y towards E/W/N/S), "inject_T", "eject_T", "gb_inject", "gb_eject";
  // empty for ids of links the mesh does not have (beyond its edge).
  std::string link_name(int link) const;
  const NocStats& stats() const { return stats_; }

 private:
  void b_transport(int id, tlm::tlm_generic_payload& p, sc_core::sc_time& delay);
  void multicast_write(int id, const Decoded& d, tlm::tlm_generic_payload& p,
                       sc_core::sc_time& delay);
  unsigned transport_dbg(int id, tlm::tlm_generic_payload& p);
  bool get_direct_mem_ptr(int id, tlm::tlm_generic_payload& p, tlm::tlm_dmi& dmi);
  void path(int src, int dst, std::vector<int>& links) const;
  // Reserves `link` for a packet of `flits` whose head reaches it at `head`; returns when the
  // head reaches the next router.
  int64_t cross(int link, int64_t head, int64_t flits, int64_t forget);
  void count_packet(int64_t flits, int64_t links, int64_t start, int64_t end);
  int64_t stream_start(int64_t done, int64_t bytes) const;  // a read's response injection
  void add_link_signal(int link);

  const arch::ChipParams& chip_;
  EnergyMeter& energy_;
  ActivityTrace& trace_;
  int tiles_;
  int gb_router_;
  std::vector<LinkCalendar> links_;  // the cycles each link is taken
  std::vector<int> link_signal_;     // trace signal per link, -1 when not traced
  std::vector<int> scratch_path_;
  NocStats stats_;
  Clock clock_;
};

}  // namespace imc::models
