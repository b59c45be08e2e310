// The pass pipeline: each pass extends one Plan; --dump-after PASS prints it after PASS.
#include "compiler/backend/backend.h"

#include <algorithm>

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

Plan new_plan(const Graph& g, const arch::ChipParams& chip, const BackendOptions& o,
              ShiftedKernels views) {
  Plan plan;
  plan.g = &g;
  plan.chip = &chip;
  plan.schedule = o.schedule;
  plan.remap = o.remap;
  plan.shifted_kernels = views;
  plan.pool_fusion = o.pool_fusion;
  plan.halves = o.halves;
  plan.layers.resize(g.layers.size());
  return plan;
}

// The plan up to and including place.
Plan placed(const Graph& g, const arch::ChipParams& chip, const BackendOptions& o,
            ShiftedKernels views) {
  Plan plan = new_plan(g, chip, o, views);
  for (const Pass& pass : kPasses) {
    pass.run(plan);
    if (pass.run == place) break;
  }
  return plan;
}

bool reads_serial(const Graph& g, const Layer& l) {
  return l.kind == Layer::Kind::kMat && bit_serial(g.values[l.input()].type);
}

// ShiftedKernels::kSerial: views for the layers that read a u8/i8 map, where they pay. Such a
// layer's MVM reads its few rows eight times; its views free tiles (the reference model's first
// conv: 28 tiles of one row, or 14 of two at 7 positions per MVM), so only where tiles are
// short, and only when the placement's estimate promises 10%, which it does not resolve much
// finer. The reference model: 126 -> 98 estimated cycles per image (its busiest tile -> the
// global buffer's link), measured 125 -> 113, at 2.6% more energy per image. Stay plain:
// tile8x8's CNN 28x28 (the link's 98 either way), rram4x4's 5-layer CNN (168 -> 157.5,
// measured 3% slower).
ShiftedKernels chosen_views(const Graph& g, const arch::ChipParams& chip, const BackendOptions& o) {
  constexpr double kLeastGain = 0.10;
  if (o.shifted_kernels != ShiftedKernels::kSerial) return o.shifted_kernels;
  if (o.schedule != Schedule::kPipelined ||
      std::none_of(g.layers.begin(), g.layers.end(),
                   [&](const Layer& l) { return reads_serial(g, l); }))
    return ShiftedKernels::kNone;
  const Plan plain = placed(g, chip, o, ShiftedKernels::kNone);
  if (plain.spare_tiles > 0) return ShiftedKernels::kNone;
  Plan viewed;
  try {
    viewed = placed(g, chip, o, ShiftedKernels::kSerial);
  } catch (const BackendError&) {
    return ShiftedKernels::kNone;  // the views do not fit where the plain layers do
  }
  const bool any = std::any_of(viewed.layers.begin(), viewed.layers.end(),
                               [](const LayerPlan& l) { return l.positions > 1; });
  return any && viewed.period <= (1 - kLeastGain) * plain.period ? ShiftedKernels::kSerial
                                                                 : ShiftedKernels::kNone;
}

}  // namespace

std::vector<std::string> backend_pass_names() {
  std::vector<std::string> names;
  for (const Pass& p : kPasses) names.push_back(p.name);
  return names;
}

isa::Program compile_graph(const Graph& g, const arch::ChipParams& chip, const BackendOptions& o) {
  Plan plan = new_plan(g, chip, o, chosen_views(g, chip, o));
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
