// The pass pipeline: each pass extends one Plan; --dump-after PASS prints it after PASS.
#include "compiler/backend/backend.h"

#include "compiler/backend/passes.h"

namespace imc::compiler {

namespace {

struct Pass {
  const char* name;
  void (*run)(Plan&);
};

constexpr Pass kPasses[] = {
    {"check", check_graph}, {"partition", partition},     {"place", place},
    {"allocate", allocate}, {"schedule", schedule_tiles}, {"emit", emit},
    {"remap", remap},
};

}  // namespace

std::vector<std::string> backend_pass_names() {
  std::vector<std::string> names;
  for (const Pass& p : kPasses) names.push_back(p.name);
  return names;
}

isa::Program compile_graph(const Graph& g, const arch::ChipParams& chip, const BackendOptions& o) {
  Plan plan;
  plan.g = &g;
  plan.chip = &chip;
  plan.schedule = o.schedule;
  plan.remap = o.remap;
  plan.shifted_kernels = o.shifted_kernels;
  plan.pool_fusion = o.pool_fusion;
  plan.halves = o.halves;
  plan.layers.resize(g.layers.size());
  for (const Pass& pass : kPasses) {
    pass.run(plan);
    if (o.dump && o.dump_after == pass.name)
      *o.dump << "# after backend pass " << pass.name << "\n" << dump_plan(plan);
  }
  if (o.parts) {
    o.parts->clear();
    for (size_t i = 0; i < plan.layers.size(); ++i)
      for (const Part& q : plan.layers[i].parts)
        o.parts->push_back({q.tile, static_cast<int>(i), q.group, q.oy0, q.oy1});
  }
  return std::move(plan.program);
}

}  // namespace imc::compiler
