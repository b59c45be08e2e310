// A matrix that does not fit one tile is cut two ways. Column groups own disjoint ranges of
// output channels (aligned to whole bytes of the packed output) and need no partial sums.
// Inside a column group, row groups take contiguous runs of row blocks; each computes int32
// partial sums that its owner (row group 0) adds before requantizing. Among the splits that
// fit, the fewest tiles win; ties go to fewer partial sums for feature maps (one int32 per
// channel and position crosses the NoC) and to fewer column groups for vectors (row groups
// share the MVMs of one output, so each tile has fewer to run).
#include "compiler/backend/split.h"

#include <algorithm>
#include <map>
#include <string>
#include <utility>

#include "compiler/backend/fit.h"
#include "compiler/backend/pack.h"

namespace imc::compiler {

namespace {

using Range = std::pair<size_t, size_t>;  // [first, last)

std::vector<ColBlock> col_blocks(int64_t ch0, int64_t ch1, int xb_cols) {
  std::vector<ColBlock> out;
  for (int64_t c = ch0; c < ch1; c += xb_cols)
    out.push_back({static_cast<int>(c), static_cast<int>(std::min<int64_t>(xb_cols, ch1 - c))});
  return out;
}

bool fits(const arch::TileParams& t, const MatPlan& m, Range r, Range c) {
  std::vector<Region> unused;
  return pack_blocks(t, block_sizes(m, r.first, r.second, c.first, c.second), 1, unused);
}

// Contiguous runs of row blocks that each fit one tile with column blocks `c`: greedy, then
// evened out when equal runs fit too. Empty when a single row block does not fit.
std::vector<Range> row_groups(const arch::TileParams& t, const MatPlan& m, Range c) {
  const size_t n = m.row_blocks.size();
  std::vector<Range> greedy;
  for (size_t r0 = 0; r0 < n;) {
    // The longest run from r0 that fits: doubling, then bisection (fewer packs than one by
    // one; each run taken is packed for real).
    size_t good = r0, bad = n + 1;
    for (size_t len = 1; r0 + len <= n; len *= 2) {
      if (!fits(t, m, {r0, r0 + len}, c)) {
        bad = r0 + len;
        break;
      }
      good = r0 + len;
    }
    if (bad == n + 1 && good < n) bad = fits(t, m, {r0, n}, c) ? n + 1 : n;
    if (bad == n + 1) good = n;
    while (bad - good > 1) {
      const size_t mid = good + (bad - good) / 2;
      (fits(t, m, {r0, mid}, c) ? good : bad) = mid;
    }
    if (good == r0) return {};
    greedy.push_back({r0, good});
    r0 = good;
  }
  const size_t k = greedy.size();
  if (k < 2) return greedy;
  std::vector<Range> even;
  for (size_t g = 0, r0 = 0; g < k; ++g) {
    const size_t r1 = r0 + n / k + (g < n % k ? 1 : 0);
    if (!fits(t, m, {r0, r1}, c)) return greedy;
    even.push_back({r0, r1});
    r0 = r1;
  }
  return even;
}

struct Candidate {
  std::vector<ColBlock> col_blocks;
  std::vector<Group> groups;
  int64_t spatial = 1;  // row ranges needed for the maps and partial sums to fit
  bool windowed = false;
  int64_t tiles = 0;
  int64_t partial = 0;  // bytes of partial sums per inference
  std::string problem;  // why it does not fit, "" when it does
};

// Output channels per packed byte: column groups start on a byte of the output pixel.
int64_t channel_align(isa::DType t) {
  const int bits = isa::bits_per_element(t);
  return bits < 8 ? 8 / bits : 1;
}

// Column groups start on a byte of the output pixel and of the residual pixel, whose
// channels they add from there (a t2 output with a b1 residual: 8 channels, not 4).
int64_t group_align(const Plan& p, const MatLayer& l) {
  const int64_t out = channel_align(p.value(l.output).type);
  return l.residual < 0 ? out : std::max(out, channel_align(p.value(l.residual).type));
}

Candidate candidate(const Plan& p, size_t i, MatPlan m, int64_t ncg) {
  const MatLayer& l = mat_of(p, i);
  const arch::TileParams& t = p.chip->tile;
  const Value& out = computed_map(p, i);
  Candidate c;
  const int64_t align = group_align(p, l);  // powers of two: the larger is both
  const int64_t width = (out.c + ncg - 1) / ncg + align - 1;
  const int64_t step = width - width % align;
  auto fail = [&](std::string why) {
    c.problem = std::move(why);
    return c;
  };
  if (step * (ncg - 1) >= out.c) return fail("empty column group");
  if (step > std::min(t.accumulator_entries, t.threshold_entries))
    return fail(std::to_string(step) + " output channels per tile exceed the " +
                std::to_string(std::min(t.accumulator_entries, t.threshold_entries)) +
                " accumulator/threshold entries");
  int64_t max_rg = 1, max_ch = 0;
  std::map<std::vector<int>, std::vector<Range>> memo;
  for (int64_t cg = 0; cg < ncg; ++cg) {
    const int64_t ch0 = cg * step, ch1 = std::min(out.c, ch0 + step);
    const size_t first = m.col_blocks.size();
    for (const ColBlock& b : col_blocks(ch0, ch1, t.crossbar.cols)) m.col_blocks.push_back(b);
    const Range cols{first, m.col_blocks.size()};
    // Equal column widths give equal row groups: pack each width once.
    std::vector<int> widths;
    for (size_t k = cols.first; k < cols.second; ++k) widths.push_back(m.col_blocks[k].n);
    auto known = memo.find(widths);
    if (known == memo.end()) known = memo.emplace(widths, row_groups(t, m, cols)).first;
    const std::vector<Range>& rgs = known->second;
    if (rgs.empty()) return fail("a row block does not fit a tile");
    for (size_t rg = 0; rg < rgs.size(); ++rg) {
      Group g;
      g.rg = static_cast<int>(rg);
      g.cg = static_cast<int>(cg);
      g.row_groups = static_cast<int>(rgs.size());
      std::tie(g.r0, g.r1) = rgs[rg];
      std::tie(g.c0, g.c1) = cols;
      g.ch0 = ch0;
      g.ch1 = ch1;
      c.groups.push_back(g);
    }
    if (rgs.size() > 1) {
      max_rg = std::max<int64_t>(max_rg, static_cast<int64_t>(rgs.size()));
      max_ch = std::max(max_ch, ch1 - ch0);
      c.partial += static_cast<int64_t>(rgs.size() - 1) * out.h * out.w * (ch1 - ch0) * 4;
    }
  }
  c.col_blocks = std::move(m.col_blocks);
  // Row ranges for the maps and the owner's partial-sum slots (one per other row group) to fit.
  const RowFit f = fit_rows(p, i, static_cast<int>(max_rg), max_rg > 1 ? max_ch : 0,
                            vector_slice(p, i, m, c.groups));
  if (f.parts == 0) return fail(f.problem);
  c.spatial = f.parts;
  c.windowed = f.windowed;
  c.tiles = c.spatial * static_cast<int64_t>(c.groups.size());
  return c;
}

}  // namespace

bool split_rows_further(Plan& p, size_t i, int k) {
  const arch::TileParams& t = p.chip->tile;
  MatPlan& mp = p.layers[i].mat;
  std::vector<Group> regrouped;
  for (size_t first = 0; first < mp.groups.size();) {
    // Column group cg: its row groups are consecutive and cover row blocks r0..r1-1.
    const Group& a = mp.groups[first];
    size_t last = first;
    while (last + 1 < mp.groups.size() && mp.groups[last + 1].cg == a.cg) ++last;
    const size_t r0 = a.r0, n = mp.groups[last].r1 - r0;
    if (static_cast<size_t>(k) > n) return false;
    for (int rg = 0; rg < k; ++rg) {
      Group g;
      g.rg = rg;
      g.cg = a.cg;
      g.row_groups = k;
      g.r0 = r0 + n * static_cast<size_t>(rg) / static_cast<size_t>(k);
      g.r1 = r0 + n * static_cast<size_t>(rg + 1) / static_cast<size_t>(k);
      g.c0 = a.c0;
      g.c1 = a.c1;
      g.ch0 = a.ch0;
      g.ch1 = a.ch1;
      if (!fits(t, mp, {g.r0, g.r1}, {g.c0, g.c1})) return false;
      regrouped.push_back(g);
    }
    first = last + 1;
  }
  std::swap(mp.groups, regrouped);
  if (rows_fit(p, i, p.layers[i].min_parts)) return true;
  std::swap(mp.groups, regrouped);
  return false;
}

void split_matrix(Plan& p, size_t i) {
  const MatLayer& l = mat_of(p, i);
  const Value& out = computed_map(p, i);
  const arch::TileParams& t = p.chip->tile;
  MatPlan& mp = p.layers[i].mat;
  const bool map = out.h * out.w > 1;
  const int64_t rows = int64_t{l.kh} * l.kw * p.value(l.input).c;
  const int64_t per_tile = int64_t{t.crossbars} * t.crossbar.rows * t.crossbar.cols;
  const int64_t lower = (rows * out.c + per_tile - 1) / per_tile;  // tiles by area alone
  auto too_big = [&](int64_t tiles, const char* at_least) {
    return BackendError(
        "layer '" + l.name + "': its " + std::to_string(rows) + "x" + std::to_string(out.c) +
        " weight matrix needs " + at_least + std::to_string(tiles) + " tiles, the chip has " +
        std::to_string(p.chip->tiles()) + " (" + std::to_string(t.crossbars) + " crossbars of " +
        std::to_string(t.crossbar.rows) + "x" + std::to_string(t.crossbar.cols) + " per tile)");
  };
  if (lower > p.chip->tiles()) throw too_big(lower, "at least ");
  Candidate best;
  std::string problem;
  auto done = [&](int64_t ncg) {
    // No split has fewer tiles than column groups, or than the area needs.
    return best.tiles > 0 &&
           (ncg >= best.tiles || (best.tiles == lower && (!map || best.partial == 0)));
  };
  for (int64_t ncg = 1; ncg <= std::min<int64_t>(p.chip->tiles(), out.c) && !done(ncg); ++ncg) {
    Candidate c = candidate(p, i, mp, ncg);
    if (!c.problem.empty()) {
      if (problem.empty() || c.problem.find("partial") != std::string::npos) problem = c.problem;
      continue;
    }
    auto key = [&](const Candidate& x) { return std::make_pair(x.tiles, x.partial); };
    if (best.tiles == 0 || key(c) < key(best)) best = std::move(c);
  }
  if (best.tiles == 0)
    throw BackendError("layer '" + l.name + "': its " + std::to_string(rows) + "x" +
                       std::to_string(out.c) +
                       " weight matrix cannot be split over tiles: " + problem);
  if (best.tiles > p.chip->tiles()) throw too_big(best.tiles, "");
  mp.col_blocks = std::move(best.col_blocks);
  mp.groups = std::move(best.groups);
  p.layers[i].min_parts = static_cast<int>(best.spatial);
  p.layers[i].windowed = best.windowed;
}

}  // namespace imc::compiler
