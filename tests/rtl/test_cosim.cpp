// Co-simulation regressions (label cosim): the same command stream on the same chip, once
// with the TLM models and once with RTL blocks (`--set tile.<block>.impl=rtl`: the
// thresholder, the accumulator, the crossbars' digital columns, in every tile or in the tiles
// of `impl_tiles`, under any `--quantum`), must give
// bit-identical outputs, equal cycle counts and energies, and equal issue/start/end cycles
// for every command (imcsim --cmd-trace). A difference names the first differing command,
// its tile, program line and cycles.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "hw/isa/npy.h"
#include "run_tool.h"

namespace imc::test {
namespace {

using nlohmann::json;

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> v;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);) v.push_back(l);
  return v;
}

struct Run {
  std::string outputs;  // the output .npy bytes
  json stats;
  std::vector<std::string> commands;  // --cmd-trace lines
};

Run run(const Scratch& s, const std::string& tag, const std::string& args) {
  const ToolRun r = run_tool(IMCSIM_BINARY, args + " --output " + s.path(tag + ".npy") +
                                                " --stats " + s.path(tag + ".json") +
                                                " --cmd-trace " + s.path(tag + ".tsv") + " -q");
  EXPECT_EQ(r.status, 0) << tag << ": " << r.err;
  Run out;
  out.outputs = read_text(s.path(tag + ".npy"));
  const std::string st = read_text(s.path(tag + ".json"));
  out.stats = st.empty() ? json::object() : json::parse(st);
  out.commands = lines_of(read_text(s.path(tag + ".tsv")));
  return out;
}

// "tile line command issue start end" -> a readable sentence with the program's source line.
std::string describe(const std::string& record, const std::string& program) {
  std::istringstream in(record);
  std::string tile, line, cmd, issue, start, end;
  in >> tile >> line >> cmd >> issue >> start >> end;
  std::string source;
  const std::vector<std::string> src = lines_of(read_text(program));
  const int n = std::atoi(line.c_str());
  if (n >= 1 && n <= static_cast<int>(src.size())) source = src[n - 1];
  return "tile " + tile + ", " + program + ":" + line + " '" + source + "' (" + cmd + "): issue " +
         issue + ", start " + start + ", end " + end;
}

// Runs `program` with the TLM models and with `rtl_sets`; every difference is a failure.
void expect_same(const std::string& args, const std::string& program, const std::string& rtl_sets,
                 bool has_output = true) {
  Scratch s;
  const Run tlm = run(s, "tlm", args);
  const Run rtl = run(s, "rtl", args + " " + rtl_sets);
  ASSERT_FALSE(tlm.commands.empty());
  for (size_t i = 0; i < std::max(tlm.commands.size(), rtl.commands.size()); ++i) {
    const std::string a = i < tlm.commands.size() ? tlm.commands[i] : "(none)";
    const std::string b = i < rtl.commands.size() ? rtl.commands[i] : "(none)";
    ASSERT_EQ(a, b) << "first differing command:\n  tlm: " << describe(a, program)
                    << "\n  rtl: " << describe(b, program);
  }
  if (has_output) {
    EXPECT_FALSE(tlm.outputs.empty());
    EXPECT_TRUE(tlm.outputs == rtl.outputs) << "outputs differ";
  }
  EXPECT_EQ(tlm.stats.value("cycles", -1), rtl.stats.value("cycles", -2));
  EXPECT_EQ(tlm.stats["commands"], rtl.stats["commands"]);
  // Energies are the same charges; the RTL tile yields to the kernel, so they may be summed
  // in another order: equal up to rounding.
  for (const auto& [cls, pj] : tlm.stats["energy_pj"].items())
    EXPECT_NEAR(pj.get<double>(), rtl.stats["energy_pj"][cls].get<double>(),
                1e-9 * std::max(1.0, std::abs(pj.get<double>())))
        << cls;
  ASSERT_EQ(tlm.stats["tiles"].size(), rtl.stats["tiles"].size());
  for (size_t i = 0; i < tlm.stats["tiles"].size(); ++i) {
    const json& a = tlm.stats["tiles"][i];
    const json& b = rtl.stats["tiles"][i];
    EXPECT_EQ(a["id"], b["id"]);
    EXPECT_EQ(a["busy_cycles"], b["busy_cycles"]);
    EXPECT_EQ(a["done_cycle"], b["done_cycle"]);
  }
}

// Every block with an RTL model (the crossbar column needs readout: digital).
const char* kRtlAll =
    "--set tile.thresholder.impl=rtl --set tile.accumulator.impl=rtl --set tile.crossbar.impl=rtl";
const char* kRtlNoColumn = "--set tile.thresholder.impl=rtl --set tile.accumulator.impl=rtl";

// ---------------------------------------------------------------------------------------
// Shipped examples and a compiled network.

std::string source(const std::string& rel) {
  return std::string(IMCSIM_SOURCE_DIR) + "/" + rel;
}

TEST(Cosim, ExampleFcOneTile) {
  const std::string p = source("examples/fc_one_tile/program.cmd");
  expect_same("--arch configs/tile8x8.yaml --prog " + p + " --input examples/fc_one_tile/input.npy",
              p, kRtlAll);
}

TEST(Cosim, ExampleTwoLayerNoc) {
  const std::string p = source("examples/two_layer_noc/program.cmd");
  expect_same(
      "--arch configs/tile8x8.yaml --prog " + p + " --input examples/two_layer_noc/input.npy", p,
      kRtlAll);
}

// Each block alone, the others TLM: the RTL accumulator then adds the TLM crossbar's read
// steps, and the RTL columns' steps are added up by the TLM accumulator.
TEST(Cosim, EachBlockAloneOnTheCompiledNetwork) {
  Scratch s;
  const std::string p = s.path("net.cmd");
  const ToolRun c = run_tool(IMCC_BINARY,
                             "--arch configs/tile8x8.yaml --model "
                             "examples/bnn_cnn/model.onnx -o " +
                                 p);
  ASSERT_EQ(c.status, 0) << c.err;
  for (const char* block : {"accumulator", "crossbar"}) {
    SCOPED_TRACE(block);
    expect_same("--arch configs/tile8x8.yaml --prog " + p + " --input examples/bnn_cnn/input.npy",
                p, std::string("--set tile.") + block + ".impl=rtl");
  }
}

// impl_tiles: only the named tiles run the RTL; the others keep the TLM models.
TEST(Cosim, ImplTilesSelectsTheTilesThatRunRtl) {
  Scratch s;
  const std::string p = source("examples/two_layer_noc/program.cmd");
  const std::string args =
      "--arch configs/tile8x8.yaml --prog " + p + " --input examples/two_layer_noc/input.npy";
  const std::string sets =
      std::string(kRtlAll) +
      " --set tile.accumulator.impl_tiles=[27] --set tile.crossbar.impl_tiles=[27,5]"
      " --set tile.thresholder.impl_tiles=[0]";
  expect_same(args, p, sets);
  const ToolRun r = run_tool(IMCSIM_BINARY, args + " -q --vcd " + s.path("w.vcd") + " " + sets);
  ASSERT_EQ(r.status, 0) << r.err;
  // One scope per RTL instance, named by its place in the platform.
  const std::string vcd = read_text(s.path("w.rtl.vcd"));
  EXPECT_NE(vcd.find("$scope module chip.tile0.thresholder_rtl.imc_thresholder $end"),
            std::string::npos);
  EXPECT_NE(vcd.find("$scope module chip.tile27.xbar0_column_rtl.imc_xbar_column $end"),
            std::string::npos);
  EXPECT_NE(vcd.find("$scope module chip.tile27.xbar0_acc_rtl.imc_accumulator $end"),
            std::string::npos);
  // Tile 0's MVM ran on the TLM crossbar and accumulator, tile 27's THRESH on the TLM
  // thresholder (tile 5 has no program: no instance at all).
  EXPECT_EQ(vcd.find("chip.tile0.xbar"), std::string::npos);
  EXPECT_EQ(vcd.find("chip.tile27.thresholder"), std::string::npos);
  EXPECT_EQ(vcd.find("chip.tile5."), std::string::npos);
}

// Temporal decoupling changes the speed only: co-simulated runs under quanta of 1, 7 and
// 10000 cycles equal the TLM run command by command.
TEST(Cosim, QuantumChangesNothing) {
  const std::string p = source("examples/two_layer_noc/program.cmd");
  for (const char* q : {"1", "7", "10000"}) {
    SCOPED_TRACE(std::string("--quantum ") + q);
    expect_same(
        "--arch configs/tile8x8.yaml --prog " + p + " --input examples/two_layer_noc/input.npy", p,
        std::string(kRtlAll) + " --quantum " + q);
  }
}

TEST(Cosim, CompiledBnnCnnOnBothChips) {
  for (const char* arch : {"configs/tile8x8.yaml", "configs/rram4x4.yaml"}) {
    // rram4x4 reads out through ADCs: no RTL column there.
    const bool digital = std::string(arch) == "configs/tile8x8.yaml";
    Scratch s;
    const std::string p = s.path("net.cmd");
    const ToolRun c = run_tool(IMCC_BINARY, std::string("--arch ") + arch +
                                                " --model examples/bnn_cnn/model.onnx -o " + p);
    ASSERT_EQ(c.status, 0) << c.err;
    expect_same(
        std::string("--arch ") + arch + " --prog " + p + " --input examples/bnn_cnn/input.npy", p,
        digital ? kRtlAll : kRtlNoColumn);
  }
}

TEST(Cosim, VcdAlsoWritesTheRtlSignals) {
  Scratch s;
  const std::string p = source("examples/fc_one_tile/program.cmd");
  const ToolRun r = run_tool(IMCSIM_BINARY, "--arch configs/tile8x8.yaml --prog " + p +
                                                " --input examples/fc_one_tile/input.npy -q "
                                                "--vcd " +
                                                s.path("w.vcd") + " " + kRtlAll);
  ASSERT_EQ(r.status, 0) << r.err;
  const std::string vcd = read_text(s.path("w.rtl.vcd"));
  ASSERT_FALSE(vcd.empty());
  EXPECT_NE(vcd.find("$scope module imc_thresholder $end"), std::string::npos);
  EXPECT_NE(vcd.find(" out_code "), std::string::npos);
  EXPECT_NE(vcd.find("$scope module imc_accumulator $end"), std::string::npos);
  EXPECT_NE(vcd.find(" out_sum "), std::string::npos);
  EXPECT_NE(vcd.find("$scope module imc_xbar_column $end"), std::string::npos);
  EXPECT_NE(vcd.find(" in_x_nz "), std::string::npos);
  EXPECT_NE(vcd.find("$enddefinitions $end"), std::string::npos);
  EXPECT_FALSE(read_text(s.path("w.vcd")).empty());
  EXPECT_TRUE(read_text(s.path("w.rtl.vcd.part0")).empty()) << "part files are removed";
  // GTKWave's converter reads it.
  if (std::system("command -v vcd2fst >/dev/null 2>&1") == 0) {
    EXPECT_EQ(std::system(("vcd2fst '" + s.path("w.rtl.vcd") + "' '" + s.path("w.fst") +
                           "' >/dev/null 2>&1")
                              .c_str()),
              0);
  }
  // Without impl: rtl there is no RTL waveform.
  const ToolRun t = run_tool(IMCSIM_BINARY, "--arch configs/tile8x8.yaml --prog " + p +
                                                " --input examples/fc_one_tile/input.npy -q "
                                                "--vcd " +
                                                s.path("t.vcd"));
  ASSERT_EQ(t.status, 0) << t.err;
  EXPECT_TRUE(read_text(s.path("t.rtl.vcd")).empty());
}

// ---------------------------------------------------------------------------------------
// Random command streams: MVMs with u8/i8/t2/b1 inputs on random ternary weights, residual
// ACCADDs, then THRESH to b1/t2/i32 with random thresholds near the sums, on several tiles,
// under random lanes and latencies of the thresholder and accumulator, rows per read step and
// read latencies of the crossbar; RTL for a random set of blocks, sometimes in some tiles only.

struct RandomStream {
  std::string cmd;
  std::vector<int32_t> input;  // batch x 256 u8 values
  int64_t batch = 0;
  std::string sets;      // --set options of the chip
  std::string rtl_sets;  // the blocks that run as RTL
};

RandomStream random_stream(uint32_t seed) {
  std::mt19937 rng(seed);
  auto pick = [&](int n) { return static_cast<int>(rng() % n); };
  RandomStream r;
  r.batch = 1 + pick(3);
  const int tiles = 1 + pick(3);
  const int lanes[] = {1, 3, 16, 64, 100};
  const int rows_per_step[] = {256, 100, 64, 16};
  r.sets = " --set tile.thresholder.lanes=" + std::to_string(lanes[pick(5)]) +
           " --set tile.thresholder.latency=" + std::to_string(1 + pick(6)) + "cycles" +
           " --set tile.accumulator.lanes=" + std::to_string(lanes[pick(5)]) +
           " --set tile.accumulator.latency=" + std::to_string(1 + pick(6)) + "cycles" +
           " --set tile.crossbar.rows_per_step=" + std::to_string(rows_per_step[pick(4)]) +
           " --set tile.crossbar.read=" + std::to_string(1 + pick(3)) + "cycles";
  const char* blocks[] = {"thresholder", "accumulator", "crossbar"};
  const int chosen = 1 + static_cast<int>(seed % 7);  // a nonempty set of blocks, by seed
  for (int b = 0; b < 3; ++b) {
    if (!((chosen >> b) & 1)) continue;
    r.rtl_sets += std::string(" --set tile.") + blocks[b] + ".impl=rtl";
    if (pick(3) == 0) r.rtl_sets += std::string(" --set tile.") + blocks[b] + ".impl_tiles=[0]";
  }
  std::ostringstream o;
  o << "# random co-simulation stream, seed " << seed << "\n";
  o << ".input x gb=0 shape=1x256 type=u8\n";
  o << ".output y gb=0x10000 shape=" << tiles << "x64 type=b1\n";
  for (int t = 0; t < tiles; ++t) {
    o << ".data w" << t << " type=t2 shape=256x64\n";
    for (int i = 0; i < 256; ++i) {
      for (int j = 0; j < 64; ++j) o << "+0-"[pick(3)];
      o << "\n";
    }
    o << ".end\n.data th" << t << " type=i32 shape=64x3\n";
    for (int j = 0; j < 64; ++j) {
      int a = pick(6001) - 3000, b = pick(6001) - 3000;
      if (a > b) std::swap(a, b);
      o << a << " " << b << " " << pick(2) << "\n";
    }
    o << ".end\n";
  }
  for (int t = 0; t < tiles; ++t) {
    o << ".tile " << t * 9 << "\n  WXB xb=0 data=w" << t << "\n  WTH data=th" << t << "\n";
    o << "  LOOP count=batch\n";
    o << "    LOAD dst=ibuf[0] src=gb[0 + 256*i0] bytes=256\n";
    const char* types[] = {"u8", "i8", "t2", "b1"};
    const char* type = types[pick(4)];
    o << "    MVM xb=0 src=ibuf[0] type=" << type << " elems=" << 64 + pick(193)
      << " cols=64 dst=acc[0] shift=" << pick(2) << "\n";
    if (pick(2))
      o << "    ACCADD dst=acc[0] src=ibuf[0] type=" << types[pick(4)]
        << " count=64 scale=" << pick(7) - 3 << "\n";
    // Three THRESHes over parts of the sums, each its own type; the b1 one is the output.
    const int n1 = 1 + pick(64);
    o << "    THRESH src=acc[0] dst=obuf[0] count=64 type=b1\n";
    o << "    THRESH src=acc[0] dst=obuf[64] count=" << n1 << " type=t2\n";
    o << "    THRESH src=acc[" << 64 - n1 << "] dst=obuf[128] count=" << n1 << " entry=" << 64 - n1
      << " type=i32\n";
    o << "    STORE dst=gb[" << 0x10000 + t * 8 << " + " << tiles * 8
      << "*i0] src=obuf[0] bytes=8\n";
    o << "  ENDLOOP\n  HALT\n";
  }
  r.cmd = o.str();
  r.input.resize(static_cast<size_t>(r.batch * 256));
  for (int32_t& v : r.input) v = pick(256);
  return r;
}

class CosimRandom : public ::testing::TestWithParam<uint32_t> {};

TEST_P(CosimRandom, SameOutputsAndCyclesAsTlm) {
  Scratch s;
  const RandomStream r = random_stream(GetParam());
  const std::string prog = s.path("random.cmd");
  std::ofstream(prog) << r.cmd;
  const std::string input = s.path("x.npy");
  isa::write_npy_i32(input, {r.batch, 1, 256}, r.input);
  expect_same("--arch configs/tile8x8.yaml --prog " + prog + " --input " + input + r.sets, prog,
              r.rtl_sets);
}

INSTANTIATE_TEST_SUITE_P(Seeds, CosimRandom, ::testing::Range(1u, 13u));

}  // namespace
}  // namespace imc::test
