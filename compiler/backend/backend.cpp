// The pass pipeline: each pass extends one Plan; --dump-after PASS prints it after PASS.
#include "compiler/backend/backend.h"

#include <algorithm>
#include <iomanip>
#include <sstream>
#include <string>

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

struct Views {
  ShiftedKernels chosen;
  std::string why;  // for the dumps: how kSerial decided ("" when it did not have to)
};

std::string cycles_text(double c) {
  std::ostringstream s;
  s << std::fixed << std::setprecision(1) << c;
  return s.str();
}

// ShiftedKernels::kSerial: views for the layers that read a u8/i8 map, where they pay. Such a
// layer's MVM reads its few rows eight times; its views free tiles (the reference model's first
// conv: 28 tiles of one row, or 14 of two at 7 positions per MVM), so only where tiles are
// short, and only when the placement's estimate promises 10%, which it does not resolve much
// finer. The reference model: 126 -> 98 estimated cycles per image (its busiest tile -> the
// global buffer's link), measured 125 -> 113, at 2.6% more energy per image. Stay plain:
// tile8x8's CNN 28x28 (the link's 98 either way), rram4x4's 5-layer CNN (168 -> 157.5,
// measured 3% slower).
Views chosen_views(const Graph& g, const arch::ChipParams& chip, const BackendOptions& o) {
  constexpr double kLeastGain = 0.10;
  if (o.shifted_kernels != ShiftedKernels::kSerial) return {o.shifted_kernels, ""};
  if (std::none_of(g.layers.begin(), g.layers.end(),
                   [&](const Layer& l) { return reads_serial(g, l); }))
    return {ShiftedKernels::kNone, ""};
  const std::string none = "views for u8/i8 layers: none (";
  if (o.schedule != Schedule::kPipelined)
    return {ShiftedKernels::kNone, none + "sequential schedule)"};
  const Plan plain = placed(g, chip, o, ShiftedKernels::kNone);
  if (plain.spare_tiles > 0)
    return {ShiftedKernels::kNone, none + std::to_string(plain.spare_tiles) + " tiles spare)"};
  Plan viewed;
  try {
    viewed = placed(g, chip, o, ShiftedKernels::kSerial);
  } catch (const BackendError& e) {
    return {ShiftedKernels::kNone, none + "they do not fit: " + e.what() + ")"};
  }
  if (std::none_of(viewed.layers.begin(), viewed.layers.end(),
                   [](const LayerPlan& l) { return l.positions > 1; }))
    return {ShiftedKernels::kNone, none + "no view saves crossbar cycles)"};
  const std::string estimate = "estimated " + cycles_text(plain.period) + " -> " +
                               cycles_text(viewed.period) + " cycles per inference";
  if (viewed.period > (1 - kLeastGain) * plain.period)
    return {ShiftedKernels::kNone, none + estimate + ", less than 10% shorter)"};
  return {ShiftedKernels::kSerial, "views for u8/i8 layers: taken (" + estimate + ")"};
}

}  // namespace

std::vector<std::string> backend_pass_names() {
  std::vector<std::string> names;
  for (const Pass& p : kPasses) names.push_back(p.name);
  return names;
}

isa::Program compile_graph(const Graph& g, const arch::ChipParams& chip, const BackendOptions& o) {
  const Views views = chosen_views(g, chip, o);
  Plan plan = new_plan(g, chip, o, views.chosen);
  for (const Pass& pass : kPasses) {
    pass.run(plan);
    if (o.dump && o.dump_after == pass.name) {
      *o.dump << "# after backend pass " << pass.name << "\n";
      if (!views.why.empty()) *o.dump << "# --positions-per-mvm serial: " << views.why << "\n";
      *o.dump << dump_plan(plan);
    }
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
