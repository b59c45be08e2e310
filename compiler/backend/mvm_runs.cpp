#include "compiler/backend/mvm_runs.h"

#include <cstdint>
#include <cstdlib>

namespace imc::compiler {

namespace {

using isa::Command;
using isa::Opcode;

bool same_terms(const isa::Addr& a, const isa::Addr& b) {
  return a.space == b.space && a.stride == b.stride && a.rot == b.rot;
}

// Everything but the addresses' constant parts.
bool same_shape(const Command& a, const Command& b) {
  return a.xbar == b.xbar && a.row == b.row && a.col == b.col && a.cols == b.cols &&
         a.type == b.type && a.gather == b.gather && a.shift == b.shift &&
         a.accumulate == b.accumulate && same_terms(a.src, b.src) && same_terms(a.dst, b.dst);
}

// Whether the accumulator entries two MVMs write may overlap (addresses with different loop
// terms: assume so).
bool may_overlap(const Command& a, const Command& b) {
  if (!same_terms(a.dst, b.dst)) return true;
  return a.dst.base < b.dst.base + b.cols && b.dst.base < a.dst.base + a.cols;
}

// One stretch of consecutive MVMs [lo, hi) of `in`, fused, appended to `out`.
void fuse_stretch(const std::vector<Command>& in, size_t lo, size_t hi, std::vector<Command>& out) {
  std::vector<Command> runs;
  std::vector<size_t> first, last;  // per run: index in `in` of its first and last member
  std::vector<int> run_of(hi - lo, -1);
  for (size_t j = lo; j < hi; ++j) {
    const Command& m = in[j];
    int joined = -1;
    for (size_t r = 0; r < runs.size() && joined < 0; ++r) {
      Command& run = runs[r];
      if (!same_shape(run, m)) continue;
      const Command& prev = in[last[r]];
      const int64_t ds = m.src.base - prev.src.base, dd = m.dst.base - prev.dst.base;
      if (run.reps > 1 && (ds != run.src_step || dd != run.dst_step)) continue;
      if (std::llabs(dd) < m.cols) continue;  // its own sums: keep them apart
      // Runs go out in the order of their first MVMs: m moves ahead of the MVMs between
      // this run's first and m that belong to runs begun later.
      bool clear = true;
      for (size_t k = first[r] + 1; k < j && clear; ++k)
        if (first[static_cast<size_t>(run_of[k - lo])] > first[r] && may_overlap(in[k], m))
          clear = false;
      if (!clear) continue;
      run.src_step = ds;
      run.dst_step = dd;
      ++run.reps;
      last[r] = j;
      joined = static_cast<int>(r);
    }
    if (joined < 0) {
      joined = static_cast<int>(runs.size());
      runs.push_back(m);
      first.push_back(j);
      last.push_back(j);
    }
    run_of[j - lo] = joined;
  }
  out.insert(out.end(), runs.begin(), runs.end());
}

}  // namespace

void fuse_mvm_runs(std::vector<Command>& commands) {
  std::vector<Command> out;
  out.reserve(commands.size());
  for (size_t i = 0; i < commands.size();) {
    if (commands[i].op != Opcode::kMvm || commands[i].reps != 1) {
      out.push_back(commands[i++]);
      continue;
    }
    size_t j = i;
    while (j < commands.size() && commands[j].op == Opcode::kMvm && commands[j].reps == 1) ++j;
    fuse_stretch(commands, i, j, out);
    i = j;
  }
  commands = std::move(out);
}

}  // namespace imc::compiler
