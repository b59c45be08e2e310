// Place: every layer gets its own tile, in layer order along a snake path over the mesh
// (row 0 left to right, row 1 right to left, ...), so neighbouring layers sit on neighbouring
// tiles and each hand-over is one NoC hop. A layer's blocks are packed into its tile's
// crossbars first-fit (blocks on disjoint rows or columns share a crossbar), and their weights
// become WXB data blocks in gather order.
#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>

#include <cctype>

#include "compiler/backend/passes.h"

namespace imc::compiler {

namespace {

struct Rect {
  int row, col, rows, cols;
  bool overlaps(const Rect& o) const {
    return row < o.row + o.rows && o.row < row + rows && col < o.col + o.cols && o.col < col + cols;
  }
};

int snake_tile(const arch::ChipParams& chip, int k) {
  const int y = k / chip.mesh_cols;
  const int x = (y % 2 == 0) ? k % chip.mesh_cols : chip.mesh_cols - 1 - k % chip.mesh_cols;
  return y * chip.mesh_cols + x;
}

// First free spot for a rows x cols block among the crossbars, trying crossbar `first` first
// (copies of a matrix start on different crossbars so that they can work at once).
bool fit(std::vector<std::vector<Rect>>& used, int xb_rows, int xb_cols, int rows, int cols,
         size_t first, Region& out) {
  for (size_t n = 0; n < used.size(); ++n) {
    const size_t xb = (first + n) % used.size();
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

// The weights of one block, [rows][cols] = [inputs in gather order][outputs].
// A data block name the .cmd syntax accepts ([A-Za-z_][A-Za-z0-9_.-]*), unique in the program:
// ONNX node names may hold any character (the frontend joins folded nodes with '+').
std::string data_name(const isa::Program& prog, const std::string& layer,
                      const std::string& suffix) {
  std::string base;
  for (char c : layer)
    base +=
        (std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-') ? c : '_';
  if (base.empty() || !(std::isalpha(static_cast<unsigned char>(base[0])) || base[0] == '_'))
    base = "_" + base;
  std::string name = base + suffix;
  auto taken = [&](const std::string& n) {
    for (const isa::DataBlock& d : prog.data)
      if (d.name == n) return true;
    return false;
  };
  for (int k = 2; taken(name); ++k) name = base + "_" + std::to_string(k) + suffix;
  return name;
}

isa::DataBlock block_data(const MatLayer& m, int in_c, const RowBlock& rb, const ColBlock& cb,
                          isa::DType type, std::string name) {
  isa::DataBlock d{std::move(name), type, rb.rows(), cb.n, {}};
  d.values.resize(static_cast<size_t>(d.rows * d.cols));
  for (int y = 0; y < rb.nky; ++y)
    for (int x = 0; x < rb.nkx; ++x)
      for (int c = 0; c < rb.nc; ++c) {
        const int r = (y * rb.nkx + x) * rb.nc + c;
        const int ky = rb.ky0 + y, kx = rb.kx0 + x, ci = rb.c0 + c;
        for (int j = 0; j < cb.n; ++j) {
          const int o = cb.c0 + j;
          const size_t w = ((static_cast<size_t>(o) * m.kh + ky) * m.kw + kx) * in_c + ci;
          d.values[static_cast<size_t>(r) * cb.n + j] = m.weights[w];
        }
      }
  return d;
}

// Packs `copies` copies of all blocks, biggest first; false when they do not fit.
bool pack(const arch::TileParams& t, const MatPlan& mp, int copies, std::vector<Region>& out) {
  const size_t nc = mp.col_blocks.size(), nb = mp.row_blocks.size() * nc;
  out.assign(nb * copies, Region{});
  std::vector<size_t> order(nb);
  std::iota(order.begin(), order.end(), 0);
  auto area = [&](size_t k) {
    return static_cast<int64_t>(mp.row_blocks[k / nc].rows()) * mp.col_blocks[k % nc].n;
  };
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return area(a) > area(b); });
  std::vector<std::vector<Rect>> used(t.crossbars);
  for (int u = 0; u < copies; ++u)
    for (size_t k : order)
      if (!fit(used, t.crossbar.rows, t.crossbar.cols, mp.row_blocks[k / nc].rows(),
               mp.col_blocks[k % nc].n, static_cast<size_t>(u) * t.crossbars / copies,
               out[u * nb + k]))
        return false;
  return true;
}

void place_mat(Plan& p, const MatLayer& m, MatPlan& mp) {
  const arch::TileParams& t = p.chip->tile;
  const int in_c = static_cast<int>(p.value(m.input).c);
  const Value& out = p.value(m.output);
  const size_t nc = mp.col_blocks.size();
  // As many copies as crossbars, accumulator ranges and output positions allow.
  const int64_t c = std::max<int64_t>(1, out.c);
  const int64_t most = std::min<int64_t>(
      {t.crossbars, t.accumulator_entries / c, t.threshold_entries / c, out.h * out.w});
  mp.replicas = 0;
  for (int r = static_cast<int>(std::max<int64_t>(1, most)); r >= 1 && !mp.replicas; --r)
    if (pack(t, mp, r, mp.regions)) mp.replicas = r;
  if (!mp.replicas)
    throw BackendError(
        "layer '" + m.name + "': its " + std::to_string(m.kh * m.kw * in_c) + "x" +
        std::to_string(out.c) + " weight matrix (" + std::to_string(mp.row_blocks.size() * nc) +
        " blocks) does not fit the " + std::to_string(t.crossbars) + " crossbars of " +
        std::to_string(t.crossbar.rows) + "x" + std::to_string(t.crossbar.cols) + " of one tile");
  const size_t nb = mp.row_blocks.size() * nc;
  for (size_t k = 0; k < nb; ++k) {
    const std::string name =
        data_name(p.program, m.name, ".w" + std::to_string(k / nc) + "_" + std::to_string(k % nc));
    const int data = static_cast<int>(p.program.data.size());
    for (int u = 0; u < mp.replicas; ++u) mp.regions[u * nb + k].data = data;
    p.program.data.push_back(
        block_data(m, in_c, mp.row_blocks[k / nc], mp.col_blocks[k % nc], mp.weight_type, name));
  }
  if (!m.thresholds.empty()) {
    isa::DataBlock th{data_name(p.program, m.name, ".th"),
                      isa::DType::kI32,
                      static_cast<int64_t>(m.thresholds.size()),
                      3,
                      {}};
    // One table per copy: the THRESH of several positions reads entries copy * out_c + j.
    th.rows *= mp.replicas;
    for (int u = 0; u < mp.replicas; ++u)
      for (const Threshold& x : m.thresholds)
        th.values.insert(th.values.end(), {x.t0, x.t1, x.invert});
    mp.thresholds_data = static_cast<int>(p.program.data.size());
    p.program.data.push_back(std::move(th));
  }
}

// Cycles one tile spends on one inference of layer i (a rough model of docs/platform.md: the
// larger of issue slots and crossbar time, per output position), to find the bottleneck.
double layer_cost(const Plan& p, size_t i) {
  const Layer& l = p.g->layers[i];
  const arch::TileParams& t = p.chip->tile;
  const Value& out = p.value(l.output());
  const double positions = static_cast<double>(out.h * out.w);
  if (l.kind != Layer::Kind::kMat) {
    const Value& in = p.value(l.input());
    const double pool = std::ceil(double(in.c * l.pool.kh * l.pool.kw) / t.pool_lanes);
    return positions * std::max<double>(t.issue_cycles, pool);
  }
  const MatPlan& mp = p.layers[i].mat;
  const Value& in = p.value(l.mat.input);
  const bool serial = in.type == isa::DType::kU8 || in.type == isa::DType::kI8;
  const double blocks = static_cast<double>(mp.row_blocks.size() * mp.col_blocks.size());
  const int rows = mp.row_blocks.empty() ? 1 : mp.row_blocks[0].rows();
  const double mvm =
      (serial ? 8.0 : 1.0) * std::ceil(double(rows) / t.crossbar.rows_per_step) *
          t.crossbar.read_cycles +
      std::ceil(double(rows) * isa::bits_per_element(in.type) / t.input_buffer.width_bits) +
      t.accumulate_cycles;
  const double r = mp.replicas;
  const double issue = (blocks + 1.0 / r) * t.issue_cycles;
  const double xbar = (mvm * blocks + 2.0) / r;
  return positions * std::max(issue, xbar);
}

// Pipelined schedule: while tiles are left, split the slowest layer's output rows over one
// more tile (PIMCOMP-style greedy on the bottleneck). Splits stop when the slowest layer
// cannot be split further or is already fast enough that transfers would dominate.
std::vector<int> split_counts(const Plan& p) {
  const size_t n = p.layers.size();
  std::vector<int> parts(n, 1);
  if (p.schedule != Schedule::kPipelined) return parts;
  std::vector<double> cost(n);
  for (size_t i = 0; i < n; ++i) cost[i] = layer_cost(p, i);
  constexpr double kFastEnough = 128;  // cycles per inference: below this, stop splitting
  for (int spare = p.chip->tiles() - static_cast<int>(n); spare > 0; --spare) {
    size_t worst = 0;
    for (size_t i = 1; i < n; ++i)
      if (cost[i] / parts[i] > cost[worst] / parts[worst]) worst = i;
    const int64_t rows = p.value(p.g->layers[worst].output()).h;
    if (parts[worst] >= rows || cost[worst] / parts[worst] < kFastEnough) break;
    ++parts[worst];
  }
  return parts;
}

}  // namespace

void place(Plan& p) {
  if (static_cast<int>(p.layers.size()) > p.chip->tiles())
    throw BackendError("the network has " + std::to_string(p.layers.size()) +
                       " layers, the chip has " + std::to_string(p.chip->tiles()) +
                       " tiles (one layer per tile)");
  for (size_t i = 0; i < p.layers.size(); ++i) {
    const Layer& l = p.g->layers[i];
    if (l.kind == Layer::Kind::kMat) place_mat(p, l.mat, p.layers[i].mat);
  }
  const std::vector<int> parts = split_counts(p);
  int next = 0;
  for (size_t i = 0; i < p.layers.size(); ++i) {
    const int64_t h = p.value(p.g->layers[i].output()).h;
    LayerPlan& lp = p.layers[i];
    for (int k = 0; k < parts[i]; ++k)
      lp.parts.push_back({snake_tile(*p.chip, next++), h * k / parts[i], h * (k + 1) / parts[i]});
    lp.tile = lp.parts[0].tile;
  }
}

}  // namespace imc::compiler
