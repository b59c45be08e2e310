#include "compiler/backend/halo.h"

#include <algorithm>

namespace imc::compiler {

namespace {

// Index of `part` in its layer's parts.
size_t index_of(const LayerPlan& lp, const Part& part) {
  return static_cast<size_t>(&part - lp.parts.data());
}

std::vector<Rows> intersect(const std::vector<Rows>& own, Rows need) {
  std::vector<Rows> out;
  for (const Rows& r : own) {
    const Rows x{std::max(r.lo, need.lo), std::min(r.hi, need.hi)};
    if (!x.empty()) out.push_back(x);
  }
  return out;
}

// Rows per chunk of the input, each chunk LOADed once. Small chunks couple few parts (a loader
// waits for the credits of every part it feeds), but each LOAD costs a header flit on the
// global buffer's link: take the smallest chunk whose LOADs keep the link busy for at most
// three quarters of `period` per inference (the period is an estimate; the margin keeps the
// link from becoming the bottleneck it would be at 100%); when none does, chunks of at least
// 8 flits, so that headers cost little. Either way a size that
// fills its last flit is preferred when a few more rows do.
int64_t chunk_rows(int64_t h, int64_t row, int64_t link, double period) {
  auto fitted = [&](int64_t least) {  // `least` rows, or a little more to fill the last flit
    int64_t chunk = least;
    for (int64_t k = std::min(h, 2 * least); k >= least; --k)
      if ((k * row) % link == 0) chunk = k;
    return chunk;
  };
  for (int64_t least = 1; least <= h; ++least) {
    const int64_t k = fitted(least);
    double flits = 0;
    for (int64_t lo = 0; lo < h; lo += k)
      flits += static_cast<double>(1 + ((std::min(h, lo + k) - lo) * row + link - 1) / link);
    if (flits <= 0.75 * period) return k;
  }
  return fitted(std::max<int64_t>(1, (8 * link + row - 1) / row));
}

}  // namespace

void assign_input_rows(Plan& p) {
  if (p.schedule != Schedule::kPipelined) return;
  for (size_t e = 0; e < p.edges.size(); ++e) {
    Edge& edge = p.edges[e];
    if (edge.producer >= 0) continue;
    const LayerPlan& lp = p.layers[edge.consumer];
    const size_t n = lp.parts.size();
    std::vector<Rows> need(n);
    int64_t total = 0;
    for (size_t k = 0; k < n; ++k)
      if (reads_edge(p, static_cast<int>(e), lp.parts[k])) {
        need[k] = edge_rows(p, static_cast<int>(e), lp.parts[k]);
        total += std::max<int64_t>(0, need[k].hi - need[k].lo);
      }
    // Rows of the map, or bytes of a vector (byte_rows).
    const bool bytes = byte_rows(p, static_cast<int>(e));
    const int64_t h = bytes ? map_bytes(p.value(edge.value)) : p.value(edge.value).h;
    if (total <= h) continue;  // no row is read twice
    // Worth it only when LOADing every part's rows would keep the global buffer's link busy
    // for longer than the slowest layer keeps its tiles.
    const int64_t link = p.chip->noc.link_width_bits / 8;
    const int64_t row = bytes ? 1 : std::max<int64_t>(1, map_bytes(p.value(edge.value)) / h);
    double flits = 0, period = 0;
    for (size_t k = 0; k < n; ++k)
      if (!need[k].empty())
        flits += 1 + static_cast<double>((need[k].hi - need[k].lo) * row) / link;
    for (size_t i = 0; i < p.layers.size(); ++i)
      period = std::max(period, layer_cost(p, i) / (p.layers[i].parts.back().spatial + 1));
    if (flits <= period) continue;
    // Each chunk is LOADed by the reader that reads most of it (readers of the same rows take
    // turns). A vector's chunks are the byte ranges its readers share (a slice per row group):
    // cut finer, the chunks would only cost headers, since every reader takes whole slices.
    std::vector<Rows> chunks;
    if (bytes) {
      std::vector<int64_t> cuts{0, h};
      for (const Rows& r : need)
        if (!r.empty()) cuts.insert(cuts.end(), {r.lo, r.hi});
      std::sort(cuts.begin(), cuts.end());
      cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());
      for (size_t k = 0; k + 1 < cuts.size(); ++k) chunks.push_back({cuts[k], cuts[k + 1]});
    } else {
      const int64_t chunk = chunk_rows(h, row, link, period);
      for (int64_t lo = 0; lo < h; lo += chunk) chunks.push_back({lo, std::min(h, lo + chunk)});
    }
    edge.own.assign(n, {});
    // Windowed parts hold only the rows they read: a part LOADs only those of its chunk, and
    // the chunk's other rows go to the reader that reads most of them (a worklist of pieces).
    const bool windowed = lp.windowed;
    for (size_t c = 0; c < chunks.size(); ++c) {
      std::vector<Rows> pieces{chunks[c]};
      while (!pieces.empty()) {
        const Rows piece = pieces.back();
        pieces.pop_back();
        std::vector<size_t> best;
        int64_t most = 0;
        for (size_t k = 0; k < n; ++k) {
          const int64_t overlap = std::min(piece.hi, need[k].hi) - std::max(piece.lo, need[k].lo);
          if (overlap <= 0 || overlap < most) continue;
          if (overlap > most) best.clear();
          most = overlap;
          best.push_back(k);
        }
        if (best.empty()) continue;  // nobody reads these rows
        const size_t k = best[static_cast<size_t>(c) % best.size()];
        Rows mine = piece;
        if (windowed) {
          mine = {std::max(piece.lo, need[k].lo), std::min(piece.hi, need[k].hi)};
          if (mine.hi < piece.hi) pieces.push_back({mine.hi, piece.hi});
          if (piece.lo < mine.lo) pieces.push_back({piece.lo, mine.lo});
        }
        std::vector<Rows>& own = edge.own[k];
        if (!own.empty() && own.back().hi == mine.lo)
          own.back().hi = mine.hi;
        else
          own.push_back(mine);
      }
    }
  }
}

std::vector<HaloRows> halo_to(const Plan& p, int e, const Part& from) {
  const Edge& edge = p.edges[e];
  std::vector<HaloRows> out;
  if (edge.own.empty()) return out;
  const LayerPlan& lp = p.layers[edge.consumer];
  const std::vector<Rows>& own = edge.own[index_of(lp, from)];
  for (const Part& to : lp.parts) {
    if (&to == &from || !reads_edge(p, e, to)) continue;
    std::vector<Rows> rows = intersect(own, edge_rows(p, e, to));
    if (!rows.empty()) out.push_back({&to, std::move(rows)});
  }
  return out;
}

std::vector<HaloRows> halo_from(const Plan& p, int e, const Part& to) {
  const Edge& edge = p.edges[e];
  std::vector<HaloRows> out;
  if (edge.own.empty() || !reads_edge(p, e, to)) return out;
  const LayerPlan& lp = p.layers[edge.consumer];
  for (const Part& from : lp.parts) {
    if (&from == &to) continue;
    std::vector<Rows> rows = intersect(edge.own[index_of(lp, from)], edge_rows(p, e, to));
    if (!rows.empty()) out.push_back({&from, std::move(rows)});
  }
  return out;
}

}  // namespace imc::compiler
