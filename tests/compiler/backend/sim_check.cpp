#include "sim_check.h"

#include <gtest/gtest.h>

#include <sstream>

#include "hw/isa/check.h"
#include "tests/compiler/common/naive_graph.h"

namespace imc::test {

std::string Target::extra() const {
  std::string s;
  for (const arch::Override& o : sets) s += " --set " + o.path + "=" + o.value;
  return s;
}

arch::ChipParams Target::chip() const {
  return arch::load_chip(std::string(IMCSIM_SOURCE_DIR) + "/" + arch, sets);
}

Target rram_exact() {
  return {kRram4x4, {{"tile.crossbar.adc.bits", "6"}}};
}

int64_t check(compiler::testing::GraphBuilder& b, compiler::Schedule s, const Target& t, int n,
              compiler::ShiftedKernels shifted_kernels) {
  compiler::BackendOptions o;
  o.schedule = s;
  o.shifted_kernels = shifted_kernels;
  return check_with(b, o, t, n);
}

int64_t check_with(compiler::testing::GraphBuilder& b, const compiler::BackendOptions& o,
                   const Target& t, int n) {
  const compiler::Graph g = b.graph();
  const arch::ChipParams chip = t.chip();
  const isa::Program prog = compiler::compile_graph(g, chip, o);
  EXPECT_NO_THROW(isa::check_program(prog, chip));
  const compiler::Tensor input = b.random_input(n);  // ONNX layout (NCHW)
  const SimRun r = simulate(prog, t.arch, n, input.values, t.extra());
  EXPECT_EQ(r.status, 0) << r.err;
  const std::vector<int32_t> want = compiler::testing::naive_run(g, input)[0].values;
  EXPECT_EQ(r.output, want);
  if (!chip.tile.mvm_repeat) {
    // Again with MVM runs: moving MVMs into runs must keep every sum.
    Target runs = t;
    runs.sets.push_back({"tile.sequencer.mvm_repeat", "strided"});
    const isa::Program fused = compiler::compile_graph(g, runs.chip(), o);
    EXPECT_NO_THROW(isa::check_program(fused, runs.chip()));
    const SimRun f = simulate(fused, runs.arch, n, input.values, runs.extra());
    EXPECT_EQ(f.status, 0) << f.err;
    EXPECT_EQ(f.output, want) << "with tile.sequencer.mvm_repeat: strided";
  }
  return r.cycles;
}

std::string dumped(const compiler::testing::GraphBuilder& b, const char* pass, compiler::Schedule s,
                   const Target& t, compiler::ShiftedKernels shifted_kernels) {
  std::ostringstream dump;
  compiler::BackendOptions o;
  o.schedule = s;
  o.shifted_kernels = shifted_kernels;
  o.dump_after = pass;
  o.dump = &dump;
  compiler::compile_graph(b.graph(), t.chip(), o);
  return dump.str();
}

bool has(const std::string& text, const std::string& what) {
  return text.find(what) != std::string::npos;
}

}  // namespace imc::test
