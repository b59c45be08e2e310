// NoC timing against the closed form: a packet of F flits over H links with hop latency L
// arrives at start + H*L + F - 1, later when it meets earlier packets on a link.
#include <gtest/gtest.h>

#include <vector>

#include "hw/models/mesh_noc.h"

namespace imc::models {
namespace {

arch::ChipParams mesh(int rows, int cols, int64_t link_bits, int64_t hop) {
  arch::ChipParams c;
  c.name = "test";
  c.mesh_rows = rows;
  c.mesh_cols = cols;
  c.period_ps = 1000;
  c.clock_hz = 1e9;
  c.noc.link_width_bits = link_bits;
  c.noc.hop_cycles = hop;
  c.energy.noc_hop_pj_per_flit = 0.5;
  return c;
}

struct NocBench {
  explicit NocBench(const char* name, arch::ChipParams p)
      : chip(std::move(p)),
        energy(chip.tiles(), 100),
        trace(false),
        noc(name, chip, energy, trace) {}
  arch::ChipParams chip;
  EnergyMeter energy;
  ActivityTrace trace;
  MeshNoc noc;
};

TEST(MeshNoc, LatencyWithoutContentionIsHopsTimesLatencyPlusSerialisation) {
  NocBench b("noc_a", mesh(4, 4, 64, 2));
  // Tile 0 (0,0) -> tile 15 (3,3): inject + 3 east + 3 south + eject = 8 links.
  EXPECT_EQ(b.noc.hops(0, 15), 8);
  // 64 bytes = 8 payload flits + 1 header flit.
  EXPECT_EQ(b.noc.transfer(0, 15, 100, 64), 100 + 8 * 2 + 9 - 1);
  EXPECT_EQ(b.noc.stats().flits, 9);
  EXPECT_EQ(b.noc.stats().flit_hops, 72);
  EXPECT_DOUBLE_EQ(b.energy.by_class(EnergyClass::kNoc), 72 * 0.5);
  EXPECT_EQ(b.noc.stats().contention_cycles, 0);
}

// A multicast is one packet over the union of the XY paths: from tile 0 (0,0) to tiles 1 (1,0),
// 5 (1,1) and 6 (2,1) on a 4x4 mesh, all three share inject_0 and link_0_0_E; at router (1,0)
// the path to 5 turns south and the one to 6 goes on east (X first). Each tail lands as if the
// packet went to that tile alone; the links of the tree carry it once.
TEST(MeshNoc, AMulticastCrossesEachLinkOfItsTreeOnce) {
  NocBench b("noc_m", mesh(4, 4, 64, 2));
  std::vector<int64_t> at;
  b.noc.multicast(0, {1, 5, 6}, 100, 64, at);
  // 9 flits; 3, 4 and 5 links of 2 cycles.
  EXPECT_EQ(at, (std::vector<int64_t>{100 + 3 * 2 + 8, 100 + 4 * 2 + 8, 100 + 5 * 2 + 8}));
  // inject_0, link_0_0_E, eject_1, link_1_0_S, eject_5, link_1_0_E, link_2_0_S, eject_6: 8
  // links, not the 3 + 4 + 5 of three packets.
  EXPECT_EQ(b.noc.stats().packets, 1);
  EXPECT_EQ(b.noc.stats().flits, 9);
  EXPECT_EQ(b.noc.stats().flit_hops, 9 * 8);
  EXPECT_DOUBLE_EQ(b.energy.by_class(EnergyClass::kNoc), 9 * 8 * 0.5);
  EXPECT_EQ(b.noc.stats().contention_cycles, 0);
  // Three packets instead queue behind each other on inject_0: the third leaves 18 cycles late.
  NocBench u("noc_u", mesh(4, 4, 64, 2));
  u.noc.transfer(0, 1, 100, 64);
  u.noc.transfer(0, 5, 100, 64);
  EXPECT_EQ(u.noc.transfer(0, 6, 100, 64), 100 + 18 + 5 * 2 + 8);
  EXPECT_EQ(u.noc.stats().flit_hops, 9 * 12);
}

TEST(MeshNoc, RoutesXFirstThenY) {
  NocBench b("noc_b", mesh(4, 4, 64, 1));
  // (0,0) -> (1,1): inject, east along row 0, south in column 1, eject; one flit, so
  // the eject link of tile 5 is taken during cycle 3.
  EXPECT_EQ(b.noc.transfer(0, 5, 0, 0), 4);
  int64_t east = -1, south = -1;
  for (size_t l = 0; l < b.noc.stats().link_busy.size(); ++l) {
    if (b.noc.link_name(static_cast<int>(l)) == "link_0_0_E") east = b.noc.stats().link_busy[l];
    if (b.noc.link_name(static_cast<int>(l)) == "link_0_0_S") south = b.noc.stats().link_busy[l];
  }
  EXPECT_EQ(east, 1);
  EXPECT_EQ(south, 0);
  // Tile 4 (0,1) -> tile 5 (1,1) goes east along row 1 and meets the first packet only at
  // tile 5's eject link, which it reaches at cycle 3, taken then: it enters at 4.
  EXPECT_EQ(b.noc.transfer(4, 5, 1, 0), 5);
  EXPECT_EQ(b.noc.stats().contention_cycles, 1);
}

TEST(MeshNoc, SharedLinkDelaysTheSecondPacketBySerialisation) {
  NocBench b("noc_c", mesh(1, 4, 32, 1));
  // Both cross the link 1->2 (east) at the same time; 32 bytes = 8 + 1 flits each.
  const int64_t first = b.noc.transfer(0, 3, 0, 32);
  const int64_t second = b.noc.transfer(1, 2, 1, 32);
  EXPECT_EQ(first, 0 + 5 * 1 + 9 - 1);
  // The second waits at link 1->2 until cycle 2 + 9 = 11 where the first's tail leaves.
  EXPECT_EQ(second, 11 + 1 + 1 + 9 - 1);
  EXPECT_EQ(b.noc.stats().contention_cycles, 11 - 2);
  // All of it at that link.
  for (size_t l = 0; l < b.noc.stats().link_contention.size(); ++l)
    EXPECT_EQ(b.noc.stats().link_contention[l],
              b.noc.link_name(static_cast<int>(l)) == "link_1_0_E" ? 9 : 0)
        << b.noc.link_name(static_cast<int>(l));
}

TEST(MeshNoc, APacketReservedAheadDoesNotHoldTheLinkBeforeItsFlitsAreThere) {
  NocBench b("noc_f", mesh(1, 4, 64, 1));
  // A reply reserved when its request was made: it leaves tile 0 at cycle 100.
  const int64_t reply = b.noc.transfer(0, 3, 100, 64);
  EXPECT_EQ(reply, 100 + 5 + 9 - 1);
  // A one-flit token crossing the same links at cycle 10 passes long before it.
  EXPECT_EQ(b.noc.transfer(1, 3, 10, 0), 10 + 4);
  // One that would still be on the link when the reply's head reaches it waits for its tail:
  // the reply takes link 1->2 in cycles 102..110, so a 9-flit packet reaching it at 96 goes
  // at 111, then one hop to tile 2's eject link.
  EXPECT_EQ(b.noc.transfer(1, 2, 95, 64), 111 + 2 + 9 - 1);
  EXPECT_EQ(b.noc.stats().contention_cycles, 111 - 96);
}

TEST(MeshNoc, DisjointPathsDoNotInterfere) {
  NocBench b("noc_d", mesh(2, 2, 64, 1));
  const int64_t a = b.noc.transfer(0, 1, 0, 128);
  const int64_t c = b.noc.transfer(2, 3, 0, 128);
  EXPECT_EQ(a, c);
  EXPECT_EQ(b.noc.stats().contention_cycles, 0);
}

TEST(MeshNoc, GlobalBufferHasItsOwnPort) {
  arch::ChipParams p = mesh(2, 2, 64, 1);
  p.global_buffer.attach_x = 1;
  p.global_buffer.attach_y = 1;
  NocBench b("noc_e", p);
  // gb port -> router 3 -> west to 2 -> north to 0 -> eject: 4 links.
  EXPECT_EQ(b.noc.hops(b.noc.gb_node(), 0), 4);
  EXPECT_EQ(b.noc.hops(b.noc.gb_node(), 3), 2);
}

}  // namespace
}  // namespace imc::models
