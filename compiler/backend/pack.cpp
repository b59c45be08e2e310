#include "compiler/backend/pack.h"

#include <algorithm>
#include <numeric>
#include <tuple>

namespace imc::compiler {

namespace {

struct Rect {
  int row, col, rows, cols;
  bool overlaps(const Rect& o) const {
    return row < o.row + o.rows && o.row < row + rows && col < o.col + o.cols && o.col < col + cols;
  }
};

// First free spot for a rows x cols block among the crossbars, in the order `order`.
bool fit(std::vector<std::vector<Rect>>& used, int xb_rows, int xb_cols, int rows, int cols,
         const std::vector<size_t>& order, Region& out) {
  for (size_t xb : order) {
    std::vector<int> rs{0}, cs{0};
    for (const Rect& r : used[xb]) {
      rs.push_back(r.row + r.rows);
      cs.push_back(r.col + r.cols);
    }
    std::sort(rs.begin(), rs.end());
    std::sort(cs.begin(), cs.end());
    for (int row : rs)
      for (int col : cs) {
        const Rect cand{row, col, rows, cols};
        if (row + rows > xb_rows || col + cols > xb_cols) continue;
        if (std::any_of(used[xb].begin(), used[xb].end(),
                        [&](const Rect& r) { return r.overlaps(cand); }))
          continue;
        used[xb].push_back(cand);
        out.xb = static_cast<int>(xb);
        out.row = row;
        out.col = col;
        return true;
      }
  }
  return false;
}

// Block indices, the largest area first (ties in order).
std::vector<size_t> biggest_first(const std::vector<BlockSize>& blocks) {
  std::vector<size_t> order(blocks.size());
  std::iota(order.begin(), order.end(), 0);
  auto area = [&](size_t k) { return int64_t{blocks[k].rows} * blocks[k].cols; };
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return area(a) > area(b); });
  return order;
}

}  // namespace

bool pack_blocks(const arch::TileParams& t, const std::vector<BlockSize>& blocks, int copies,
                 std::vector<Region>& out, bool spread) {
  const size_t nb = blocks.size();
  out.assign(nb * copies, Region{});
  const std::vector<size_t> order = biggest_first(blocks);
  std::vector<std::vector<Rect>> used(t.crossbars);
  std::vector<int64_t> rows(t.crossbars, 0);  // programmed on each crossbar
  std::vector<int> reads(t.crossbars, 0);     // blocks on each: an MVM each per position
  std::vector<size_t> xbs(t.crossbars);
  for (int u = 0; u < copies; ++u)
    for (size_t k : order) {
      for (size_t n = 0; n < xbs.size(); ++n) xbs[n] = (u * xbs.size() / copies + n) % xbs.size();
      if (spread)
        std::stable_sort(xbs.begin(), xbs.end(), [&](size_t a, size_t b) {
          return std::tie(reads[a], rows[a]) < std::tie(reads[b], rows[b]);
        });
      Region& r = out[u * nb + k];
      if (!fit(used, t.crossbar.rows, t.crossbar.cols, blocks[k].rows, blocks[k].cols, xbs, r))
        return false;
      rows[static_cast<size_t>(r.xb)] += blocks[k].rows;
      ++reads[static_cast<size_t>(r.xb)];
    }
  return true;
}

bool pack_partial_copies(const arch::TileParams& t, const std::vector<BlockSize>& blocks,
                         int positions, std::vector<Region>& out) {
  const size_t nb = blocks.size();
  out.assign(nb * static_cast<size_t>(positions), Region{});
  const std::vector<size_t> order = biggest_first(blocks);
  std::vector<std::vector<Rect>> used(t.crossbars);
  std::vector<int> load(t.crossbars, 0);        // MVMs per iteration so far
  std::vector<std::vector<Region>> copies(nb);  // the copies of each block
  for (int u = 0; u < positions; ++u)
    for (size_t k : order) {
      // The least loaded crossbar holding a copy (the first such copy).
      const Region* have = nullptr;
      for (const Region& r : copies[k])
        if (!have || load[r.xb] < load[have->xb]) have = &r;
      // A new copy: on the least loaded crossbar where it fits, if that one is less loaded.
      std::vector<size_t> xbs(t.crossbars);
      std::iota(xbs.begin(), xbs.end(), 0);
      std::stable_sort(xbs.begin(), xbs.end(),
                       [&](size_t a, size_t b) { return load[a] < load[b]; });
      if (have)
        xbs.erase(std::remove_if(xbs.begin(), xbs.end(),
                                 [&](size_t x) { return load[x] >= load[have->xb]; }),
                  xbs.end());
      Region fresh;
      Region& r = out[static_cast<size_t>(u) * nb + k];
      if (fit(used, t.crossbar.rows, t.crossbar.cols, blocks[k].rows, blocks[k].cols, xbs, fresh)) {
        copies[k].push_back(fresh);
        r = fresh;
      } else if (have) {
        r = *have;
      } else {
        return false;
      }
      ++load[static_cast<size_t>(r.xb)];
    }
  return true;
}

int busiest_crossbar(const std::vector<Region>& regions) {
  std::vector<int> load;
  for (const Region& r : regions) {
    if (static_cast<size_t>(r.xb) >= load.size()) load.resize(static_cast<size_t>(r.xb) + 1, 0);
    ++load[static_cast<size_t>(r.xb)];
  }
  return load.empty() ? 0 : *std::max_element(load.begin(), load.end());
}

std::vector<BlockSize> block_sizes(const MatPlan& m, size_t r0, size_t r1, size_t c0, size_t c1) {
  std::vector<BlockSize> b;
  for (size_t r = r0; r < r1; ++r)
    for (size_t c = c0; c < c1; ++c) b.push_back({m.row_blocks[r].rows(), m.col_blocks[c].n});
  return b;
}

}  // namespace imc::compiler
