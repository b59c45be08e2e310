// imcsim as a user runs it: outputs, exact cycle counts and energies of small programs worked
// out by hand from configs/tile8x8.yaml, the files it writes, determinism, and its options.
#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "hw/isa/dtype.h"
#include "hw/isa/npy.h"
#include "run_tool.h"

namespace imc::test {
namespace {

using nlohmann::json;

json run_stats(const Scratch& s, const std::string& program_text, const std::string& extra = "") {
  const std::string prog = s.file("p.cmd", program_text);
  const ToolRun r = run_tool(IMCSIM_BINARY, "--arch configs/tile8x8.yaml --prog " + prog +
                                                " --stats " + s.path("s.json") + " -q " + extra);
  EXPECT_EQ(r.status, 0) << r.err;
  return json::parse(read_text(s.path("s.json")));
}

// 64 bytes from tile 0 at (0,0) to tile 63 at (7,7).
constexpr const char* kCornerToCorner =
    ".tile 0\n"
    "  SEND tile=63 dst=ibuf[0] src=obuf[0] bytes=64 sem=0\n"
    "  HALT\n"
    ".tile 63\n"
    "  WAIT sem=0\n"
    "  HALT\n";

// tile8x8: 1 GHz, 256-bit buffer ports with 1-cycle access, 1-cycle crossbar read, 1-cycle
// accumulate, 64-bit links with 1-cycle hops, one command issued per cycle.
TEST(ImcsimCycles, OneMvmTakesBufferReadCrossbarReadAndAccumulate) {
  Scratch s;
  const json st = run_stats(s,
                            ".tile 0\n"
                            "  MVM xb=0 src=ibuf[0] type=b1 elems=256 cols=256 dst=acc[0]\n"
                            "  HALT\n");
  // 256 input bits in one 256-bit buffer read (1) + one 256-row read step (1) + accumulate (1).
  EXPECT_EQ(st["cycles"], 3);
  EXPECT_EQ(st["commands"]["MVM"], 1);
  EXPECT_EQ(st["commands"]["HALT"], 1);
  const json& e = st["energy_pj"];
  // 256 rows x 256 columns x 2 cells x 1.12 fJ, plus 256 wordlines x 40 fJ.
  EXPECT_NEAR(e["crossbar"].get<double>(), 256 * 256 * 2 * 1.12e-3 + 256 * 40e-3, 1e-6);
  EXPECT_NEAR(e["readout"].get<double>(), 256 * 0.384, 1e-6);     // one popcount per column
  EXPECT_NEAR(e["accumulator"].get<double>(), 256 * 0.05, 1e-6);  // one add per column
  EXPECT_NEAR(e["buffer"].get<double>(), 256 * 0.0671875, 1e-6);  // 256 bits read
  EXPECT_NEAR(e["control"].get<double>(), 0.2, 1e-9);             // one issued command
  EXPECT_NEAR(e["leakage"].get<double>(), 64 * 0.5 * 3, 1e-6);    // 64 tiles x 0.5 mW x 3 ns
  double sum = 0;
  for (auto it = e.begin(); it != e.end(); ++it)
    if (it.key() != "total") sum += it.value().get<double>();
  EXPECT_NEAR(sum, e["total"].get<double>(), 1e-6);
  EXPECT_NEAR(st["power_mw"]["average"].get<double>(), e["total"].get<double>() / 3.0, 1e-6);
}

TEST(ImcsimCycles, CrossbarsOfOneTileWorkInParallel) {
  Scratch s;
  std::string prog = ".tile 0\n";
  for (int k = 0; k < 4; ++k) {
    prog += "  MVM xb=" + std::to_string(k) + " src=ibuf[0] type=b1 elems=256 cols=256 dst=acc[0]" +
            (k ? " acc=1\n" : "\n");
  }
  prog += "  HALT\n";
  // Issued on cycles 0..3, each 3 cycles long: the last ends at 6, not 12.
  EXPECT_EQ(run_stats(s, prog)["cycles"], 6);
}

TEST(ImcsimCycles, BitSerialInputsTakeOneReadStepPerBit) {
  Scratch s;
  const json st = run_stats(s,
                            ".tile 0\n"
                            "  MVM xb=0 src=ibuf[0] type=u8 elems=256 cols=256 dst=acc[0]\n"
                            "  HALT\n");
  // 2048 input bits over a 256-bit port (8) + 8 planes x 1 read step (8) + accumulate (1).
  EXPECT_EQ(st["cycles"], 17);
}

TEST(ImcsimCycles, NocLatencyIsHopsPlusSerialisation) {
  Scratch s;
  const json st = run_stats(s, kCornerToCorner);
  // (0,0) -> (7,7): inject + 7 east + 7 south + eject = 16 one-cycle hops; 64 bytes are
  // 8 flits of 64 bits plus a header: the tail lands at 16 + 9 - 1 = 24; tile 63 issues its
  // next command one cycle later.
  EXPECT_EQ(st["cycles"], 25);
  EXPECT_EQ(st["noc"]["flits"], 9);
  EXPECT_EQ(st["noc"]["flit_hops"], 9 * 16);
  EXPECT_EQ(st["noc"]["contention_cycles"], 0);
  EXPECT_NEAR(st["energy_pj"]["noc"].get<double>(), 9 * 16 * 0.64, 1e-6);
}

// --cmd-trace rows `tile line command issue start end [woken_by...]`, by tile and program
// line: the cycles.
std::map<std::pair<int, int>, std::array<int64_t, 3>> read_cmd_trace(const std::string& path) {
  std::ifstream in(path);
  std::string header, op;
  std::getline(in, header);
  std::map<std::pair<int, int>, std::array<int64_t, 3>> rows;
  for (std::string row; std::getline(in, row);) {
    std::istringstream fields(row);
    int tile = 0, line = 0;
    std::array<int64_t, 3> t{};
    if (fields >> tile >> line >> op >> t[0] >> t[1] >> t[2]) rows[{tile, line}] = t;
  }
  return rows;
}

// Runs `program_text` on tile8x8 with --cmd-trace and reads the trace back.
std::map<std::pair<int, int>, std::array<int64_t, 3>> run_cmd_trace(
    const Scratch& s, const std::string& program_text) {
  const std::string prog = s.file("p.cmd", program_text);
  const ToolRun r = run_tool(IMCSIM_BINARY, "--arch configs/tile8x8.yaml -q --prog " + prog +
                                                " --cmd-trace " + s.path("t.tsv"));
  EXPECT_EQ(r.status, 0) << r.err;
  return read_cmd_trace(s.path("t.tsv"));
}

TEST(ImcsimTrace, TransfersAndWaitsShowHowLongTheyTake) {
  Scratch s;
  const auto t = run_cmd_trace(s,
                               ".tile 0\n"
                               "  SEND tile=63 dst=ibuf[0] src=ibuf[0] bytes=64 sem=0\n"
                               "  HALT\n"
                               ".tile 5\n"
                               "  LOAD dst=ibuf[0] src=gb[0] bytes=64\n"
                               "  COPY dst=ibuf[64] src=ibuf[0] bytes=64\n"
                               "  HALT\n"
                               ".tile 63\n"
                               "  WAIT sem=0\n"
                               "  COPY dst=obuf[0] src=ibuf[0] bytes=64\n"
                               "  HALT\n");
  ASSERT_EQ(t.size(), 8u);  // every command traced once
  // The SEND holds tile 0's port for its 9 flits; the tail lands at 24 (as in
  // NocLatencyIsHopsPlusSerialisation), so the WAIT, issued at 0, passes at 24.
  EXPECT_EQ(t.at({0, 2}), (std::array<int64_t, 3>{0, 0, 9}));
  EXPECT_EQ(t.at({63, 9}), (std::array<int64_t, 3>{24, 0, 24}));
  // 512 bits through the 256-bit buffer port: 2 cycles, right after the WAIT.
  EXPECT_EQ(t.at({63, 10}), (std::array<int64_t, 3>{25, 25, 27}));
  // The LOAD lasts until its data is in (a request to the buffer and 9 flits back over 5
  // hops), and the COPY that reads the data starts then.
  const auto load = t.at({5, 5}), copy = t.at({5, 6});
  EXPECT_GT(load[2] - load[1], 9 + 5);
  EXPECT_EQ(copy[1], load[2]);
}

// A LOAD's data streams out of the global buffer while its port is still reading: tile 0
// sits at the buffer's router, the request lands at 2, the port reads 784 B in 25 words
// (2..27) and the last one is out at 30 (4 cycles of access), but the first is out at 6 and
// the 99 flits follow it over gb_inject and eject_0: in at 6 + 2 + 98 = 106, not the 130 of
// store-and-forward. Tile 9's 8-byte LOAD queues for the port (27) and then for gb_inject,
// which tile 0's data holds until 105.
TEST(ImcsimCycles, LoadStreamsOutOfTheGlobalBuffer) {
  Scratch s;
  const auto t = run_cmd_trace(s,
                               ".tile 0\n"
                               "  LOAD dst=ibuf[0] src=gb[0] bytes=784\n"
                               "  HALT\n"
                               ".tile 9\n"
                               "  LOAD dst=ibuf[0] src=gb[0] bytes=8\n"
                               "  HALT\n");
  ASSERT_EQ(t.size(), 4u);
  EXPECT_EQ(t.at({0, 2}), (std::array<int64_t, 3>{0, 0, 106}));
  // 2 flits (header + 8 B) leave gb_inject at 105 and 106, 4 links to tile 9 = (1, 1).
  EXPECT_EQ(t.at({9, 5}), (std::array<int64_t, 3>{0, 0, 110}));
}

// Two packets that meet on link (1,0)->(2,0) and tile 2's eject link.
constexpr const char* kSharedLink =
    ".tile 0\n"
    "  SEND tile=2 dst=ibuf[0] src=ibuf[0] bytes=64 sem=0\n"
    "  HALT\n"
    ".tile 1\n"
    "  COPY dst=obuf[0] src=ibuf[0] bytes=8\n"
    "  SEND tile=2 dst=ibuf[64] src=ibuf[0] bytes=64 sem=0\n"
    "  HALT\n"
    ".tile 2\n"
    "  WAIT sem=0 count=2\n"
    "  HALT\n";

TEST(ImcsimCycles, PacketsSharingALinkQueue) {
  Scratch s;
  const json st = run_stats(s, kSharedLink);
  // Tile 0's packet holds link (1,0)->(2,0) during cycles 2..10 and tile 2's eject link
  // during 3..11; tile 1's packet, sent at cycle 1, waits 9 cycles for the first and lands
  // at 13 + 9 - 1 = 21 instead of 12.
  EXPECT_EQ(st["noc"]["contention_cycles"], 9);
  EXPECT_EQ(st["cycles"], 22);
  // Both packets' 9 flits cross link (1,0)->(2,0) and tile 2's eject link: the busiest two.
  std::vector<std::pair<std::string, int64_t>> links;
  for (const json& l : st["noc"]["links"]) links.emplace_back(l["link"], l["busy_cycles"]);
  const std::vector<std::pair<std::string, int64_t>> want = {
      {"link_1_0_E", 18}, {"eject_2", 18}, {"link_0_0_E", 9}, {"inject_0", 9}, {"inject_1", 9}};
  EXPECT_EQ(links, want);
  EXPECT_DOUBLE_EQ(st["noc"]["links"][0]["utilization"].get<double>(), 18.0 / 22.0);
  // The 9 cycles were lost at link (1,0)->(2,0), none at the eject link just as busy.
  EXPECT_EQ(st["noc"]["links"][0]["contention_cycles"], 9);
  EXPECT_EQ(st["noc"]["links"][1]["contention_cycles"], 0);
}

// The what-if `noc.contention: ignored`: tile 1's packet no longer waits the 9 cycles and
// lands at 12 (11 + 1: it left a cycle later); the links still count both packets' flits.
TEST(ImcsimCycles, IgnoredContentionLetsPacketsCrossAsIfAlone) {
  Scratch s;
  const json st = run_stats(s, kSharedLink, "--set noc.contention=ignored");
  EXPECT_EQ(st["noc"]["contention_cycles"], 0);
  EXPECT_EQ(st["cycles"], 13);
  EXPECT_EQ(st["noc"]["links"][0]["busy_cycles"], 18);
}

// Tile 0 computes, then signals tile 1, which waits for it.
constexpr const char* kSignalAfterMvm =
    ".tile 0\n"
    "  MVM xb=0 src=ibuf[0] type=u8 elems=256 cols=256 dst=acc[0]\n"
    "  SIGNAL tile=1 sem=2\n"
    "  HALT\n"
    ".tile 1\n"
    "  WAIT sem=2\n"
    "  HALT\n";

TEST(ImcsimCycles, SignalWaitsForEverythingIssuedBefore) {
  Scratch s;
  const json st = run_stats(s, kSignalAfterMvm);
  // The MVM ends at 17, so the token leaves then: a header flit and one flit for its 4 bytes
  // cross inject, one east hop and eject, landing at 17 + 3 + 2 - 1 = 21; tile 1 halts at 22.
  EXPECT_EQ(st["cycles"], 22);
}

// The same two tiles: the critical path is tile 0's MVM up to its SIGNAL (17 cycles), the
// token in flight (17..21), tile 1 from its WAIT to HALT (21..22); the trace names the token
// that released the WAIT.
TEST(ImcsimCriticalPath, FollowsTheTokenThatReleasedTheWait) {
  Scratch s;
  const std::string prog = s.file("p.cmd", kSignalAfterMvm);
  const ToolRun r =
      run_tool(IMCSIM_BINARY, "--arch configs/tile8x8.yaml --prog " + prog + " --critical-path " +
                                  s.path("cp.tsv") + " --cmd-trace " + s.path("t.tsv") +
                                  " --stats " + s.path("s.json"));
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(json::parse(read_text(s.path("s.json")))["critical_path"],
            json::parse(R"({"cycles": 22, "hand_over_cycles": 4,
                            "tiles": [{"id": 0, "cycles": 17}, {"id": 1, "cycles": 1}]})"));
  EXPECT_EQ(read_text(s.path("cp.tsv")),
            "begin\tend\tcycles\tkind\ttile\tfrom_tile\tline\tcommand\n"
            "0\t17\t17\ttile\t0\t\t3\tSIGNAL\n"
            "17\t21\t4\ttoken\t1\t0\t3\tSIGNAL\n"
            "21\t22\t1\ttile\t1\t\t7\tHALT\n");
  EXPECT_NE(r.out.find("critical path 22 cycles: hand-overs 18%, tile 0 77%, tile 1 5%\n"),
            std::string::npos)
      << r.out;
  const std::string trace = read_text(s.path("t.tsv"));
  EXPECT_NE(trace.find("1\t6\tWAIT\t21\t0\t21\t0\t3\t21\n"), std::string::npos) << trace;
  EXPECT_NE(trace.find("0\t3\tSIGNAL\t1\t17\t19\t\t\t\n"), std::string::npos) << trace;
}

// Runs `prog` on tile8x8 with the scratch's x.npy; the y.npy it writes (empty on failure).
std::vector<int64_t> run_on_x(const Scratch& s, const std::string& prog) {
  const ToolRun r =
      run_tool(IMCSIM_BINARY, "--arch configs/tile8x8.yaml --prog " + prog + " --input " +
                                  s.path("x.npy") + " -q --output " + s.path("y.npy"));
  EXPECT_EQ(r.status, 0) << r.err;
  return r.status == 0 ? isa::read_npy_integers(s.path("y.npy")).values : std::vector<int64_t>{};
}

// SEND mcast on a NoC that multicasts (noc.multicast: tree): one packet to tile 1 and, bit 7,
// tile 1 + 1 + 7 = 9; both get the data and a token on semaphore 0 when its tail lands there
// (3 and 4 one-cycle hops + 9 flits - 1), and the port is busy for the 9 flits once.
TEST(ImcsimTrace, AMulticastSendReachesEveryTileOfItsMask) {
  Scratch s;
  const std::string prog =
      ".input x gb=0 shape=16 type=i32\n"
      ".output y gb=0x100 shape=32 type=i32\n"
      ".tile 0\n"
      "  LOAD dst=ibuf[0] src=gb[0] bytes=64\n"
      "  SEND tile=1 mcast=0x80 dst=ibuf[0] src=ibuf[0] bytes=64 sem=0\n"
      "  HALT\n"
      ".tile 1\n"
      "  WAIT sem=0\n"
      "  STORE dst=gb[0x100] src=ibuf[0] bytes=64\n"
      "  HALT\n"
      ".tile 9\n"
      "  WAIT sem=0\n"
      "  STORE dst=gb[0x140] src=ibuf[0] bytes=64\n"
      "  HALT\n";
  std::vector<int32_t> x;
  for (int k = 0; k < 16; ++k) x.push_back(3 * k - 7);
  isa::write_npy_i32(s.path("x.npy"), {1, 16}, x);
  const std::string run = "--arch configs/tile8x8.yaml -q --prog " + s.file("p.cmd", prog) +
                          " --input " + s.path("x.npy") + " --output " + s.path("y.npy");
  const ToolRun r =
      run_tool(IMCSIM_BINARY, run + " --set noc.multicast=tree --cmd-trace " + s.path("t.tsv"));
  ASSERT_EQ(r.status, 0) << r.err;
  std::vector<int64_t> twice(x.begin(), x.end());
  twice.insert(twice.end(), x.begin(), x.end());
  EXPECT_EQ(isa::read_npy_integers(s.path("y.npy")).values, twice);
  const auto t = read_cmd_trace(s.path("t.tsv"));
  const int64_t sent = t.at({0, 5})[1];  // once the LOAD's data is in
  EXPECT_EQ(t.at({0, 5})[2], sent + 9);
  EXPECT_EQ(t.at({1, 8})[2], sent + 3 + 8);
  EXPECT_EQ(t.at({9, 12})[2], sent + 4 + 8);
  // The shipped tile8x8 has no multicast: the program is refused before the run.
  const ToolRun plain = run_tool(IMCSIM_BINARY, run);
  EXPECT_EQ(plain.status, 2);
  EXPECT_NE(plain.err.find("p.cmd:5:1: tile 0: SEND: mcast needs a NoC that multicasts "
                           "(noc.multicast: tree; this chip's is none)"),
            std::string::npos)
      << plain.err;
  // So is a mask reaching past the mesh.
  const ToolRun bad =
      run_tool(IMCSIM_BINARY, "--arch configs/tile8x8.yaml --set noc.multicast=tree -q --prog " +
                                  s.file("bad.cmd",
                                         ".tile 40\n  SEND tile=41 mcast=0x800000 "
                                         "dst=ibuf[0] src=ibuf[0] bytes=4\n  HALT\n"));
  EXPECT_EQ(bad.status, 2);
  EXPECT_NE(bad.err.find("bad.cmd:2:1: tile 40: SEND: mcast=0x800000 reaches tile 65, outside "
                         "the 8x8 mesh (64 tiles)"),
            std::string::npos)
      << bad.err;
}

// Partial sums another tile computed arrive as i32 vectors and are added with ACCADD type=i32:
// 32 bits per element through the buffer port, wrapping modulo 2^32 like the adders.
TEST(ImcsimAccAdd, I32SourcesAddScaledAndWrap) {
  Scratch s;
  isa::write_npy_i32(s.path("x.npy"), {1, 8}, {1, -2, 2147483647, 5, 10, 20, 30, -7});
  const std::string prog = s.file("p.cmd",
                                  ".input x gb=0 shape=8 type=i32\n"
                                  ".output y gb=0x100 shape=4 type=i32\n"
                                  ".tile 0\n"
                                  "  LOAD dst=ibuf[0] src=gb[0] bytes=32\n"
                                  "  ACCADD dst=acc[0] src=ibuf[0] type=i32 count=4 scale=3\n"
                                  "  ACCADD dst=acc[0] src=ibuf[16] type=i32 count=4 scale=-1\n"
                                  "  THRESH src=acc[0] dst=obuf[0] count=4 type=i32\n"
                                  "  STORE dst=gb[0x100] src=obuf[0] bytes=16\n"
                                  "  HALT\n");
  // 3 * 2147483647 wraps to 2147483645.
  EXPECT_EQ(run_on_x(s, prog), (std::vector<int64_t>{3 - 10, -6 - 20, 2147483645 - 30, 15 + 7}));
}

// Inference n lands in slot n % 3 of ibuf (16 bytes each) and is added to the running sum in
// acc: the rotation term walks the slots over a batch loop of run-time length.
TEST(ImcsimAddresses, RotationTermsCycleThroughSlots) {
  Scratch s;
  std::vector<int32_t> x;
  for (int n = 0; n < 5; ++n)
    for (int k = 0; k < 4; ++k) x.push_back(10 * n + k);
  isa::write_npy_i32(s.path("x.npy"), {5, 4}, x);
  const std::string prog =
      s.file("p.cmd",
             ".input x gb=0 shape=4 type=i32\n"
             ".output y gb=0x100 shape=5 type=i32\n"
             ".tile 0\n"
             "  LOOP count=batch\n"
             "    LOAD dst=ibuf[16 + 16*(i0%3)] src=gb[0 + 16*i0] bytes=16\n"
             "    ACCADD dst=acc[0] src=ibuf[16 + 16*(i0%3)] type=i32 count=4\n"
             "    ACCADD dst=acc[4] src=ibuf[32 - 16*(i0%3)] type=i32 count=1\n"
             "    THRESH src=acc[0] dst=obuf[0] count=5 type=i32\n"
             "    STORE dst=gb[0x100 + 20*i0] src=obuf[0] bytes=20\n"
             "  ENDLOOP\n"
             "  HALT\n");
  // acc[0..3]: the running sum of inferences 0..n. acc[4] adds the first word at
  // ibuf[32 - 16*(n%3)]: slot 1, slot 0, then ibuf[0] (never written, zero) for n%3 = 0, 1, 2.
  std::vector<int64_t> want;
  int64_t sum[4] = {0, 0, 0, 0}, last = 0;
  int64_t slot[3][4] = {};
  for (int n = 0; n < 5; ++n) {
    for (int k = 0; k < 4; ++k) {
      slot[n % 3][k] = 10 * n + k;
      sum[k] += 10 * n + k;
    }
    const int other = 1 - n % 3;  // ibuf[32 - 16*(n%3)] = slot index 1 - n%3 (-1: ibuf[0])
    last += other >= 0 ? slot[other][0] : 0;
    for (int k = 0; k < 4; ++k) want.push_back(sum[k]);
    want.push_back(last);
  }
  EXPECT_EQ(run_on_x(s, prog), want);
}

// A prefetch: inference n+1 LOADs into the other slot while n is added up. `notlast=1` skips
// it in the batch loop's last iteration, which has no next inference: no transfer, no time.
constexpr const char* kPrefetch =
    ".input x gb=0 shape=4 type=i32\n"
    ".output y gb=0x100 shape=4 type=i32\n"
    ".tile 0\n"
    "  LOAD dst=ibuf[0] src=gb[0] bytes=16\n"
    "  LOOP count=batch\n"
    "    LOAD dst=ibuf[16 - 16*(i0%2)] src=gb[16 + 16*i0] bytes=16 notlast=1\n"
    "    ACCADD dst=acc[0] src=ibuf[0 + 16*(i0%2)] type=i32 count=4\n"
    "    THRESH src=acc[0] dst=obuf[0] count=4 type=i32\n"
    "    STORE dst=gb[0x100 + 16*i0] src=obuf[0] bytes=16\n"
    "  ENDLOOP\n"
    "  HALT\n";

// Runs a program that sums up the inferences of x = 0, 10, 20, ... (3 inferences of 4), checks
// the running sums and returns its --cmd-trace.
std::map<std::pair<int, int>, std::array<int64_t, 3>> run_sums_traced(
    const std::string& program_text, const std::string& options = "") {
  Scratch s;
  std::vector<int32_t> x;
  for (int k = 0; k < 12; ++k) x.push_back(10 * k);
  isa::write_npy_i32(s.path("x.npy"), {3, 4}, x);
  EXPECT_EQ(run_on_x(s, s.file("p.cmd", program_text)),
            (std::vector<int64_t>{0, 10, 20, 30, 40, 60, 80, 100, 120, 150, 180, 210}));
  const ToolRun r = run_tool(IMCSIM_BINARY, "--arch configs/tile8x8.yaml -q --prog " +
                                                s.path("p.cmd") + " --input " + s.path("x.npy") +
                                                " --cmd-trace " + s.path("t.tsv") + " " + options);
  EXPECT_EQ(r.status, 0) << r.err;
  return read_cmd_trace(s.path("t.tsv"));
}

TEST(ImcsimCycles, NotLastLoadIsSkippedInTheLastIteration) {
  const auto t = run_sums_traced(kPrefetch);
  // the last record of each line: inference 2's. Its LOAD (issued at 9) does nothing; the
  // others of line 6 took the 10 cycles a 16-byte LOAD next to the global buffer takes.
  EXPECT_EQ(t.at({0, 6}), (std::array<int64_t, 3>{9, 9, 9}));
  EXPECT_EQ(t.at({0, 4}), (std::array<int64_t, 3>{0, 0, 10}));
  // HALT: all done at 44 (56 with tile.dma.outstanding=1, where each STORE waited for the
  // prefetch's data before the engine took it)
  EXPECT_EQ(t.at({0, 11}), (std::array<int64_t, 3>{13, 44, 44}));
}

// A prefetch two inferences ahead: inference 1 is LOADed before the batch loop (`notlast=1`:
// only when the batch has a second inference), inference n+2 into n's slot right after n is
// read (`notlast=2`: not in the last two iterations, which have no inference n+2).
constexpr const char* kPrefetchTwoAhead =
    ".input x gb=0 shape=4 type=i32\n"
    ".output y gb=0x100 shape=4 type=i32\n"
    ".tile 0\n"
    "  LOAD dst=ibuf[0] src=gb[0] bytes=16\n"
    "  LOAD dst=ibuf[16] src=gb[16] bytes=16 notlast=1\n"
    "  LOOP count=batch\n"
    "    ACCADD dst=acc[0] src=ibuf[0 + 16*(i0%2)] type=i32 count=4\n"
    "    LOAD dst=ibuf[0 + 16*(i0%2)] src=gb[32 + 16*i0] bytes=16 notlast=2\n"
    "    THRESH src=acc[0] dst=obuf[0] count=4 type=i32\n"
    "    STORE dst=gb[0x100 + 16*i0] src=obuf[0] bytes=16\n"
    "  ENDLOOP\n"
    "  HALT\n";

TEST(ImcsimCycles, NotLastTwoSkipsTheLastTwoIterationsAndOneInferenceBatches) {
  // Three inferences: line 8's LOAD runs in iteration 0 only; its last record, iteration 2's,
  // does nothing. Inference 1's LOAD before the loop takes the 13 cycles of a second LOAD in
  // flight.
  const auto t = run_sums_traced(kPrefetchTwoAhead);
  const std::array<int64_t, 3> last = t.at({0, 8});
  EXPECT_EQ(last[1], last[2]);
  EXPECT_EQ(t.at({0, 5}), (std::array<int64_t, 3>{1, 1, 13}));
  // One inference: nothing past it is read, before the loop or in it.
  Scratch s;
  isa::write_npy_i32(s.path("x.npy"), {1, 4}, {1, 2, 3, 4});
  const std::string prog = s.file("p.cmd", kPrefetchTwoAhead);
  EXPECT_EQ(run_on_x(s, prog), (std::vector<int64_t>{1, 2, 3, 4}));
  const ToolRun r =
      run_tool(IMCSIM_BINARY, "--arch configs/tile8x8.yaml -q --prog " + prog + " --input " +
                                  s.path("x.npy") + " --cmd-trace " + s.path("t.tsv"));
  ASSERT_EQ(r.status, 0) << r.err;
  const auto one = read_cmd_trace(s.path("t.tsv"));
  EXPECT_EQ(one.at({0, 5}), (std::array<int64_t, 3>{1, 1, 1}));
  EXPECT_EQ(one.at({0, 8})[1], one.at({0, 8})[2]);
}

// Triple buffering: inference n in slot n % 3, and the prefetch of inference n + 2 into slot
// (n + 2) % 3 (the rotation offset), which no command of inference n reads: the LOAD starts when
// it issues. With two slots (i0%2), inference n + 2 goes into n's slot and waits for its read.
TEST(ImcsimCycles, ARotationOffsetPrefetchesIntoAThirdSlotWithoutWaiting) {
  const std::string three =
      std::string(kPrefetchTwoAhead)
          .replace(std::string(kPrefetchTwoAhead).find("16*(i0%2)] type"), 9, "16*(i0%3)")
          .replace(std::string(kPrefetchTwoAhead).find("16*(i0%2)] src"), 9, "16*((i0+2)%3)");
  ASSERT_NE(three.find("LOAD dst=ibuf[0 + 16*((i0+2)%3)] src=gb[32 + 16*i0]"), std::string::npos)
      << three;
  for (const std::string& text : {std::string(kPrefetchTwoAhead), three}) {
    Scratch s;
    std::vector<int32_t> x;
    for (int k = 0; k < 16; ++k) x.push_back(10 * k);
    isa::write_npy_i32(s.path("x.npy"), {4, 4}, x);
    const std::string prog = s.file("p.cmd", text);
    EXPECT_EQ(run_on_x(s, prog), (std::vector<int64_t>{0, 10, 20, 30, 40, 60, 80, 100, 120, 150,
                                                       180, 210, 240, 280, 320, 360}));
    const ToolRun r =
        run_tool(IMCSIM_BINARY, "--arch configs/tile8x8.yaml -q --prog " + prog + " --input " +
                                    s.path("x.npy") + " --cmd-trace " + s.path("t.tsv"));
    ASSERT_EQ(r.status, 0) << r.err;
    std::ifstream in(s.path("t.tsv"));
    std::string row;
    std::getline(in, row);
    std::array<int64_t, 3> first{-1, -1, -1};  // iteration 0's LOAD of inference 2 (line 8)
    while (std::getline(in, row) && first[0] < 0) {
      std::istringstream f(row);
      int tile = 0, line = 0;
      std::string op;
      std::array<int64_t, 3> t{};
      if (f >> tile >> line >> op >> t[0] >> t[1] >> t[2] && line == 8) first = t;
    }
    // Issued at 3; with two slots it waits for the ACCADD reading slot 0 (10..12).
    EXPECT_EQ(first, (text == three ? std::array<int64_t, 3>{3, 3, 16}
                                    : std::array<int64_t, 3>{3, 12, 22}));
  }
}

// MVM reps (tile.sequencer.mvm_repeat: strided): one command, four MVMs of the pairs of a u8
// vector (a+b, a-b) at src + 2r, into acc[2r..], the same sums as four MVMs.
TEST(ImcsimTrace, AnMvmRunComputesWhatItsRepetitionsWould) {
  const std::string one_run =
      "    MVM xb=0 src=ibuf[0] type=u8 elems=2 cols=2 dst=acc[0] "
      "reps=4 sstep=2 dstep=2\n";
  std::string four;
  for (int r = 0; r < 4; ++r)
    four += "    MVM xb=0 src=ibuf[" + std::to_string(2 * r) + "] type=u8 elems=2 cols=2 dst=acc[" +
            std::to_string(2 * r) + "]\n";
  for (const std::string& mvms : {one_run, four}) {
    Scratch s;
    isa::write_npy_i32(s.path("x.npy"), {1, 8}, {1, 2, 3, 4, 5, 6, 7, 8});
    const std::string prog = s.file("p.cmd",
                                    ".input x gb=0 shape=8 type=u8\n"
                                    ".output y gb=0x100 shape=8 type=i32\n"
                                    ".data w type=b1 shape=2x2\n++\n+-\n.end\n"
                                    ".tile 0\n"
                                    "  WXB xb=0 data=w\n"
                                    "  LOOP count=batch\n"
                                    "    LOAD dst=ibuf[0] src=gb[0 + 8*i0] bytes=8\n" +
                                        mvms +
                                        "    THRESH src=acc[0] dst=obuf[0] count=8 type=i32\n"
                                        "    STORE dst=gb[0x100 + 32*i0] src=obuf[0] bytes=32\n"
                                        "  ENDLOOP\n"
                                        "  HALT\n");
    const ToolRun r =
        run_tool(IMCSIM_BINARY,
                 "--arch configs/tile8x8.yaml --set "
                 "tile.sequencer.mvm_repeat=strided -q --prog " +
                     prog + " --input " + s.path("x.npy") + " --output " + s.path("y.npy"));
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(isa::read_npy_integers(s.path("y.npy")).values,
              (std::vector<int64_t>{3, -1, 7, -1, 11, -1, 15, -1}));
    if (mvms != one_run) continue;
    // The shipped tile8x8's sequencer issues one MVM per command: refused before the run.
    const ToolRun plain = run_tool(IMCSIM_BINARY, "--arch configs/tile8x8.yaml -q --prog " + prog +
                                                      " --input " + s.path("x.npy"));
    EXPECT_EQ(plain.status, 2);
    EXPECT_NE(plain.err.find("p.cmd:11:1: tile 0: MVM: reps=4 needs a sequencer that repeats MVMs "
                             "(tile.sequencer.mvm_repeat: strided; this chip's is none)"),
              std::string::npos)
        << plain.err;
  }
}

// A run that a loop stride pushes toward int64's end: a run-time error naming the command
// and the cycle, not a wrapped address (an address beyond 2^62 is refused before the run's
// repetitions are added to it).
TEST(ImcsimTrace, AnMvmRunWhoseAddressOverflowsIsARunTimeError) {
  Scratch s;
  const std::string prog =
      s.file("p.cmd",
             ".tile 0\n  LOOP count=2\n"
             "    MVM xb=0 src=ibuf[0 + 9223372036854775000*i0] type=b1 elems=8 cols=4 dst=acc[0] "
             "reps=2 sstep=1000\n"
             "  ENDLOOP\n  HALT\n");
  const ToolRun r = run_tool(IMCSIM_BINARY,
                             "--arch configs/tile8x8.yaml --set "
                             "tile.sequencer.mvm_repeat=strided -q --prog " +
                                 prog);
  EXPECT_EQ(r.status, 3);
  EXPECT_NE(r.err.find("p.cmd:3: run-time error in tile 0 at cycle 1"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("an address with base 0 evaluates beyond 2^62 (loop indices i0=1)"),
            std::string::npos)
      << r.err;
}

// Sixteen b1 MVMs, four per crossbar: one command each is issued on cycles 0..15 and the last
// (crossbar 3, 3 cycles) ends at 18; as one run per crossbar, the four commands issue on cycles
// 0..3 and keep their crossbars busy 4 x 3 cycles: the last ends at 15. The same work is done
// (the same crossbar, readout, accumulator and buffer energy); 12 fewer commands are issued.
TEST(ImcsimCycles, AnMvmRunTakesOneIssueSlotAndItsCrossbarForEveryRepetition) {
  std::string runs = ".tile 0\n", single = ".tile 0\n";
  for (int k = 0; k < 4; ++k)
    runs += "  MVM xb=" + std::to_string(k) + " src=ibuf[0] type=b1 elems=256 cols=256 dst=acc[" +
            std::to_string(256 * k) + "] reps=4 sstep=32 dstep=0 acc=1\n";
  for (int r = 0; r < 4; ++r)
    for (int k = 0; k < 4; ++k)
      single += "  MVM xb=" + std::to_string(k) + " src=ibuf[" + std::to_string(32 * r) +
                "] type=b1 elems=256 cols=256 dst=acc[" + std::to_string(256 * k) + "] acc=1\n";
  runs += "  HALT\n";
  single += "  HALT\n";
  Scratch s;
  const std::string strided = "--set tile.sequencer.mvm_repeat=strided";
  const json a = run_stats(s, runs, strided), b = run_stats(s, single, strided);
  EXPECT_EQ(a["cycles"], 15);
  EXPECT_EQ(b["cycles"], 18);
  EXPECT_EQ(a["commands"]["MVM"], 4);
  EXPECT_EQ(b["commands"]["MVM"], 16);
  for (const char* k : {"crossbar", "readout", "accumulator", "buffer"})
    EXPECT_NEAR(a["energy_pj"][k].get<double>(), b["energy_pj"][k].get<double>(), 1e-6) << k;
  EXPECT_NEAR(b["energy_pj"]["control"].get<double>() - a["energy_pj"]["control"].get<double>(),
              12 * 0.2, 1e-9);
}

// tile.dma.outstanding: the engine sends a LOAD's request and takes the next command a cycle
// later, while at most `outstanding` LOADs are in flight. Three 16-byte LOADs next to the
// global buffer take 10 cycles each alone (request, 4-cycle access, 3 flits back); with 4 in
// flight their replies follow each other on the buffer's link, 3 cycles apart; with 2 the
// third starts when the first has delivered; with 1 they run one after the other.
constexpr const char* kThreeLoads =
    ".input x gb=0 shape=4 type=i32\n"
    ".output y gb=0x100 shape=4 type=i32\n"
    ".tile 0\n"
    "  LOAD dst=ibuf[0] src=gb[0] bytes=16\n"
    "  LOAD dst=ibuf[16] src=gb[16] bytes=16\n"
    "  LOAD dst=ibuf[32] src=gb[32] bytes=16\n"
    "  LOOP count=batch\n"
    "    ACCADD dst=acc[0] src=ibuf[0 + 16*i0] type=i32 count=4\n"
    "    THRESH src=acc[0] dst=obuf[0] count=4 type=i32\n"
    "    STORE dst=gb[0x100 + 16*i0] src=obuf[0] bytes=16\n"
    "  ENDLOOP\n"
    "  HALT\n";

TEST(ImcsimCycles, SplitTransactionLoadsOverlapUpToTheOutstandingLimit) {
  using Starts = std::array<int64_t, 3>;
  auto loads = [](const std::string& outstanding) {
    const auto t = run_sums_traced(kThreeLoads, "--set tile.dma.outstanding=" + outstanding);
    return std::array<Starts, 3>{t.at({0, 4}), t.at({0, 5}), t.at({0, 6})};
  };
  EXPECT_EQ(loads("1"), (std::array<Starts, 3>{{{0, 0, 10}, {1, 10, 20}, {2, 20, 30}}}));
  EXPECT_EQ(loads("2"), (std::array<Starts, 3>{{{0, 0, 10}, {1, 1, 13}, {2, 10, 20}}}));
  EXPECT_EQ(loads("4"), (std::array<Starts, 3>{{{0, 0, 10}, {1, 1, 13}, {2, 2, 16}}}));
}

// An early hand-over: tile 0 passes inference n+1 (prefetched) to tile 1 in iteration n, after
// tile 1's credit for that slot. The WAIT and SEND are `notlast`: in the last iteration there
// is no next inference to pass on, and tile 1 gives no credit that would let it through.
constexpr const char* kEarlySend =
    ".input x gb=0 shape=4 type=i32\n"
    ".output y gb=0x100 shape=4 type=i32\n"
    ".tile 0\n"
    "  LOAD dst=ibuf[0] src=gb[0] bytes=16\n"
    "  WAIT sem=0\n"
    "  SEND tile=1 dst=ibuf[0] src=ibuf[0] bytes=16 sem=0\n"
    "  LOOP count=batch\n"
    "    LOAD dst=ibuf[16 - 16*(i0%2)] src=gb[16 + 16*i0] bytes=16 notlast=1\n"
    "    WAIT sem=0 notlast=1\n"
    "    SEND tile=1 dst=ibuf[16 - 16*(i0%2)] src=ibuf[16 - 16*(i0%2)] bytes=16 sem=0 notlast=1\n"
    "  ENDLOOP\n"
    "  HALT\n"
    ".tile 1\n"
    "  SIGNAL tile=0 sem=0\n"
    "  LOOP count=batch\n"
    "    WAIT sem=0\n"
    "    ACCADD dst=acc[0] src=ibuf[0 + 16*(i0%2)] type=i32 count=4\n"
    "    THRESH src=acc[0] dst=obuf[0] count=4 type=i32\n"
    "    STORE dst=gb[0x100 + 16*i0] src=obuf[0] bytes=16\n"
    "    SIGNAL tile=0 sem=0\n"
    "  ENDLOOP\n"
    "  HALT\n";

TEST(ImcsimCycles, NotLastWaitAndSendAreSkippedInTheLastIteration) {
  const auto t = run_sums_traced(kEarlySend);
  // the last records of lines 9 and 10: inference 2's WAIT and SEND, issued and done at once
  const std::array<int64_t, 3> wait = t.at({0, 9}), send = t.at({0, 10});
  EXPECT_EQ(wait[1], wait[0]);
  EXPECT_EQ(wait[2], wait[0]);
  EXPECT_EQ(send, (std::array<int64_t, 3>{wait[0] + 1, wait[0] + 1, wait[0] + 1}));
}

// altsem: odd iterations of the batch loop use the other semaphore. Tile 0 raises tile 1's
// sem 0 in iterations 0 and 2 and its sem 1 in iterations 1 and 3 (by SIGNAL and by SEND);
// tile 1 takes exactly those tokens. Were altsem ignored, sem 1 would never be raised and
// tile 1 would wait forever (exit 3).
TEST(ImcsimSemaphores, OddIterationsUseTheAlternateSemaphore) {
  Scratch s;
  const json st = run_stats(s,
                            ".tile 0\n"
                            "  LOOP count=4\n"
                            "    SIGNAL tile=1 sem=0 altsem=1\n"
                            "    SEND tile=1 dst=ibuf[0] src=ibuf[0] bytes=8 sem=2 altsem=3\n"
                            "  ENDLOOP\n"
                            "  WAIT sem=4\n"
                            "  WAIT sem=5\n"
                            "  HALT\n"
                            ".tile 1\n"
                            "  WAIT sem=0 count=2\n"
                            "  WAIT sem=1 count=2\n"
                            "  WAIT sem=2 count=2\n"
                            "  WAIT sem=3 count=2\n"
                            "  LOOP count=2\n"
                            "    SIGNAL tile=0 sem=4 altsem=5\n"
                            "  ENDLOOP\n"
                            "  HALT\n");
  EXPECT_EQ(st["commands"]["WAIT"], 6);
  EXPECT_EQ(st["commands"]["SIGNAL"], 6);
}

// thirdsem: iteration n of the batch loop uses sem, altsem, thirdsem for n % 3 = 0, 1, 2. Over
// 8 iterations tile 0 raises tile 1's sems 0, 1, 2 three, three and two times by SIGNAL (3, 4,
// 5 by SEND); tile 1 takes exactly those tokens. Were thirdsem ignored, sem 2 (and 5) would
// never be raised; were altsem and thirdsem swapped, sem 2 would get three and sem 1 two:
// either way tile 1 would wait forever (exit 3).
TEST(ImcsimSemaphores, ThreeSemaphoresRotateOverTheIterations) {
  Scratch s;
  const json st = run_stats(s,
                            ".tile 0\n"
                            "  LOOP count=8\n"
                            "    SIGNAL tile=1 sem=0 altsem=1 thirdsem=2\n"
                            "    SEND tile=1 dst=ibuf[0] src=ibuf[0] bytes=8 sem=3 altsem=4 "
                            "thirdsem=5\n"
                            "  ENDLOOP\n"
                            "  HALT\n"
                            ".tile 1\n"
                            "  WAIT sem=0 count=3\n"
                            "  WAIT sem=1 count=3\n"
                            "  WAIT sem=2 count=2\n"
                            "  WAIT sem=3 count=3\n"
                            "  WAIT sem=4 count=3\n"
                            "  WAIT sem=5 count=2\n"
                            "  HALT\n");
  EXPECT_EQ(st["commands"]["WAIT"], 6);
  EXPECT_EQ(st["commands"]["SIGNAL"], 8);
}

// A b1 map of 3 channels in layout=pixels: imcsim packs x.npy's CHW values pixel by pixel
// (each pixel's 3 bits in a byte of its own) and unpacks the output the same way; the raw
// bytes, stored to a packed u8 output, show the layout.
TEST(ImcsimTensors, PixelLayoutPacksEachPixelsChannels) {
  Scratch s;
  const std::vector<int32_t> x = {1, -1, 1, 1, /*c1*/ -1, -1, 1, 1, /*c2*/ 1, 1, -1, 1};
  isa::write_npy_i32(s.path("x.npy"), {1, 3, 2, 2}, x);
  const std::string prog = s.file("p.cmd",
                                  ".input x gb=0 shape=3x2x2 type=b1 layout=pixels\n"
                                  ".output y gb=0x100 shape=3x2x2 type=b1 layout=pixels\n"
                                  ".output raw gb=0x200 shape=4 type=u8\n"
                                  ".tile 0\n"
                                  "  LOAD dst=ibuf[0] src=gb[0] bytes=4\n"
                                  "  STORE dst=gb[0x100] src=ibuf[0] bytes=4\n"
                                  "  STORE dst=gb[0x200] src=ibuf[0] bytes=4\n"
                                  "  HALT\n");
  const ToolRun r =
      run_tool(IMCSIM_BINARY, "--arch configs/tile8x8.yaml -q --prog " + prog + " --input " +
                                  s.path("x.npy") + " --output y=" + s.path("y.npy") +
                                  " --output raw=" + s.path("raw.npy"));
  ASSERT_EQ(r.status, 0) << r.err;
  const isa::NpyTensor y = isa::read_npy_integers(s.path("y.npy"));
  EXPECT_EQ(y.shape, (std::vector<int64_t>{1, 3, 2, 2}));
  EXPECT_EQ(y.values, std::vector<int64_t>(x.begin(), x.end()));
  std::vector<int64_t> want;
  for (int p = 0; p < 4; ++p) {
    const int32_t pixel[3] = {x[p], x[4 + p], x[8 + p]};
    uint8_t byte = 0;
    isa::pack(isa::DType::kB1, pixel, 3, &byte);
    want.push_back(byte);
  }
  EXPECT_EQ(isa::read_npy_integers(s.path("raw.npy")).values, want);
}

TEST(ImcsimCycles, AccAddOfI32ReadsThirtyTwoBitsPerElement) {
  Scratch s;
  // 100 x 32 bits over a 256-bit port (13) + 100 / 64 lanes (2) + latency - 1 (0).
  EXPECT_EQ(run_stats(s,
                      ".tile 0\n"
                      "  ACCADD dst=acc[0] src=ibuf[0] type=i32 count=100\n"
                      "  HALT\n")["cycles"],
            15);
}

TEST(ImcsimExamples, TwoTilesPipelineConsecutiveInferences) {
  Scratch s;
  const ToolRun r = run_tool(IMCSIM_BINARY,
                             "--arch configs/tile8x8.yaml --prog examples/two_layer_noc/program.cmd"
                             " --input examples/two_layer_noc/input.npy"
                             " --expect examples/two_layer_noc/expected.npy --stats " +
                                 s.path("s.json"));
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("matches"), std::string::npos);
  const json st = json::parse(read_text(s.path("s.json")));
  ASSERT_EQ(st["tiles"].size(), 2u);
  const int64_t busy =
      st["tiles"][0]["busy_cycles"].get<int64_t>() + st["tiles"][1]["busy_cycles"].get<int64_t>();
  EXPECT_LT(st["cycles"].get<int64_t>(), busy);  // the tiles overlap in time
  EXPECT_EQ(st["batch"], 16);
  EXPECT_EQ(st["commands"]["MVM"], 32);
  EXPECT_EQ(st["commands"]["SEND"], 16);
}

// Same inputs, same files; the temporal-decoupling quantum changes only the speed: tiles that
// meet on the NoC in one cycle are served in tile order, not in the kernel's process order.
TEST(ImcsimOutputs, SameInputsGiveIdenticalFilesWhateverTheQuantum) {
  Scratch s;
  auto once = [&](const std::string& tag, const std::string& extra) {
    const ToolRun r =
        run_tool(IMCSIM_BINARY,
                 "--arch configs/tile8x8.yaml --prog examples/two_layer_noc/program.cmd"
                 " --input examples/two_layer_noc/input.npy -q --output " +
                     s.path(tag + ".npy") + " --stats " + s.path(tag + ".json") + " --vcd " +
                     s.path(tag + ".vcd") + " --power-trace " + s.path(tag + ".csv") + extra);
    EXPECT_EQ(r.status, 0) << r.err;
  };
  once("a", "");
  once("b", "");
  once("c", " --quantum 1");
  once("d", " --quantum 7");
  for (const char* ext : {".npy", ".json", ".vcd", ".csv"}) {
    const std::string a = read_text(s.path(std::string("a") + ext));
    EXPECT_FALSE(a.empty()) << ext;
    for (const char* other : {"b", "c", "d"}) {
      EXPECT_EQ(a, read_text(s.path(other + std::string(ext)))) << other << ext;
    }
  }
}

TEST(ImcsimOutputs, WaveformAndPowerTraceDescribeTheRun) {
  Scratch s;
  const ToolRun r = run_tool(IMCSIM_BINARY,
                             "--arch configs/tile8x8.yaml --prog examples/two_layer_noc/program.cmd"
                             " --input examples/two_layer_noc/input.npy -q --vcd " +
                                 s.path("w.vcd") + " --power-trace " + s.path("p.csv") +
                                 " --stats " + s.path("s.json"));
  ASSERT_EQ(r.status, 0) << r.err;
  const std::string vcd = read_text(s.path("w.vcd"));
  for (const char* needle : {"$timescale 1ps $end", "$scope module tile0 $end",
                             "$scope module tile27 $end", " state [1:0] $end", " xbar0 $end",
                             "link_0_0_E", "$var real 64", "total_mw", "$enddefinitions $end"}) {
    EXPECT_NE(vcd.find(needle), std::string::npos) << needle;
  }
  // The power trace integrates to the total energy.
  const json st = json::parse(read_text(s.path("s.json")));
  std::ifstream csv(s.path("p.csv"));
  std::string line;
  std::getline(csv, line);
  EXPECT_EQ(line.rfind("time_ns,total_mw,crossbar_mw", 0), 0u);
  double energy = 0, last_t = -1;
  const double cycles = st["cycles"].get<double>();
  int rows = 0;
  while (std::getline(csv, line)) {
    const double t = std::stod(line.substr(0, line.find(',')));
    const double mw = std::stod(line.substr(line.find(',') + 1));
    const double bin_ns = std::min(100.0, cycles - t);
    energy += mw * bin_ns;
    EXPECT_GT(t, last_t);
    last_t = t;
    ++rows;
  }
  EXPECT_EQ(rows, static_cast<int>(std::ceil(cycles / 100.0)));
  EXPECT_NEAR(energy, st["energy_pj"]["total"].get<double>(), 1e-6 * energy);
}

TEST(ImcsimOutputs, NothingIsWrittenWhenTheRunFails) {
  Scratch s;
  const ToolRun r =
      run_tool(IMCSIM_BINARY,
               "--arch configs/tile8x8.yaml --prog tests/bad_inputs/runtime/deadlock_wait.cmd"
               " --stats " +
                   s.path("s.json") + " --vcd " + s.path("w.vcd"));
  EXPECT_EQ(r.status, 3);
  EXPECT_FALSE(std::ifstream(s.path("s.json")).good());
  EXPECT_FALSE(std::ifstream(s.path("w.vcd")).good());
}

// tests/sim/data/fc64: 64 bipolar inputs, 32 raw sums; its expected.npy is exact arithmetic.
constexpr const char* kFc64 =
    " --prog tests/sim/data/fc64/program.cmd --input tests/sim/data/fc64/input.npy";

std::string fc64_output(const Scratch& s, const std::string& arch_and_options) {
  const std::string out = s.path("y.npy");
  const ToolRun r =
      run_tool(IMCSIM_BINARY, "--arch " + arch_and_options + kFc64 + " -q --output " + out);
  EXPECT_EQ(r.status, 0) << r.err;
  return read_text(out);
}

TEST(ImcsimAnalog, EveryShippedChipIsExactOnBinarySums) {
  Scratch s;
  const std::string expected = " --expect tests/sim/data/fc64/expected.npy -q";
  // tile8x8 reads digitally; rram4x4's 6-bit ADC has a step of 1 over 16-row steps. Even a
  // 5-bit ADC (step 2) is exact here: 16 bipolar products always sum to an even number.
  for (const char* arch : {"configs/tile8x8.yaml", "configs/rram4x4.yaml",
                           "configs/rram4x4.yaml --set tile.crossbar.adc.bits=5"}) {
    const ToolRun r = run_tool(IMCSIM_BINARY, std::string("--arch ") + arch + kFc64 + expected);
    EXPECT_EQ(r.status, 0) << arch << ": " << r.err;
  }
}

TEST(ImcsimAnalog, ACoarseAdcLosesPrecisionDeterministically) {
  Scratch s;
  // 3 bits: step ceil(16 / 3) = 6, so partial sums round to multiples of 6.
  const std::string coarse = "configs/rram4x4.yaml --set tile.crossbar.adc.bits=3";
  const ToolRun r = run_tool(
      IMCSIM_BINARY, "--arch " + coarse + kFc64 + " -q --expect tests/sim/data/fc64/expected.npy");
  EXPECT_EQ(r.status, 4) << r.err;
  EXPECT_EQ(fc64_output(s, coarse), fc64_output(s, coarse));
}

TEST(ImcsimAnalog, DeviceVariationFollowsTheSeed) {
  Scratch s;
  const std::string noisy =
      "configs/rram4x4.yaml --set tile.crossbar.adc.bits=6 --set tile.crossbar.variation_sigma=0.3";
  const std::string a = fc64_output(s, noisy + " --seed 1");
  EXPECT_EQ(a, fc64_output(s, noisy + " --seed 1"));
  EXPECT_NE(a, fc64_output(s, noisy + " --seed 2"));
  // Without variation a 6-bit ADC (step 1) is exact again.
  const ToolRun r = run_tool(
      IMCSIM_BINARY, "--arch configs/rram4x4.yaml --set tile.crossbar.adc.bits=6" +
                         std::string(kFc64) + " -q --expect tests/sim/data/fc64/expected.npy");
  EXPECT_EQ(r.status, 0) << r.err;
}

TEST(ImcsimOptions, ExpectReportsTheFirstDifference) {
  Scratch s;
  const ToolRun r = run_tool(IMCSIM_BINARY,
                             "--arch configs/tile8x8.yaml --prog examples/fc_one_tile/program.cmd"
                             " --input examples/fc_one_tile/input.npy"
                             " --expect examples/two_layer_noc/expected.npy -q");
  EXPECT_EQ(r.status, 4);
  EXPECT_NE(r.err.find("shape differs"), std::string::npos) << r.err;
}

TEST(ImcsimOptions, HelpAndVersion) {
  ToolRun r = run_tool(IMCSIM_BINARY, "--help");
  EXPECT_EQ(r.status, 0);
  for (const char* opt : {"--arch", "--prog", "--input", "--output", "--stats", "--vcd",
                          "--power-trace", "--seed", "--set", "--dump-config"}) {
    EXPECT_NE(r.out.find(opt), std::string::npos) << opt;
  }
  r = run_tool(IMCSIM_BINARY, "--version");
  EXPECT_EQ(r.status, 0);
  EXPECT_NE(r.out.find("imcsim 0.1"), std::string::npos);
  r = run_tool(IMCSIM_BINARY,
               "--arch configs/tile8x8.yaml --prog examples/fc_one_tile/program.cmd --bogus");
  EXPECT_EQ(r.status, 2);
}

TEST(ImcsimOptions, MissingInputIsABadInputError) {
  const ToolRun r = run_tool(IMCSIM_BINARY,
                             "--arch configs/tile8x8.yaml --prog examples/fc_one_tile/program.cmd");
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("input 'x' needs a file"), std::string::npos) << r.err;
}

TEST(ImcsimOptions, SetOverridesTheArchFile) {
  Scratch s;
  // With a 128-bit link the 64-byte packet needs 4 + 1 flits instead of 8 + 1.
  const json st = run_stats(s, kCornerToCorner, "--set noc.link_width=128bit");
  EXPECT_EQ(st["cycles"], 25 - 4);
  const ToolRun r =
      run_tool(IMCSIM_BINARY, "--arch configs/tile8x8.yaml --set mesh.rows=2 --dump-config");
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("rows: 2"), std::string::npos) << r.out;
}

}  // namespace

TEST(ImcsimCli, ABatchWhoseOutputsWouldRunOverItsInputsIsRefused) {
  // fc_one_tile keeps its inputs (784 B each) at 0 and its outputs at 1 MiB: 1337 inputs
  // fit below the outputs, 1338 would be overwritten by the first scores.
  Scratch s;
  for (const int batch : {1337, 1338}) {
    const std::string x = s.path("x" + std::to_string(batch) + ".npy");
    isa::write_npy_i32(x, {batch, 784}, std::vector<int32_t>(size_t(batch) * 784, 3));
    const ToolRun r = run_tool(IMCSIM_BINARY,
                               "--arch configs/tile8x8.yaml --prog "
                               "examples/fc_one_tile/program.cmd -q --input " +
                                   x);
    if (batch == 1337) {
      EXPECT_EQ(r.status, 0) << r.err;
    } else {
      EXPECT_EQ(r.status, 2);
      EXPECT_NE(r.err.find("program.cmd:7: tensor 'y' overlaps tensor 'x' in the global buffer "
                           "for a batch of 1338 (at most 1337 inferences fit"),
                std::string::npos)
          << r.err;
    }
  }
}

}  // namespace imc::test
