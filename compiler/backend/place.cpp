// Place: every layer gets its own tiles (one per matrix group, times its row ranges), in layer
// order along a snake path over the mesh (row 0 left to right, row 1 right to left, ...), so
// neighbouring layers sit on neighbouring tiles and each hand-over is one NoC hop. A group's
// blocks are packed into its tile's crossbars first-fit (pack.h), as many copies as fit, and
// the weights become WXB data blocks in gather order, one per write: blocks packed side by
// side on the same rows of a crossbar are written together (a row is one write step).
#include <algorithm>
#include <cmath>
#include <map>
#include <string>
#include <tuple>
#include <utility>

#include <cctype>

#include "compiler/backend/fit.h"
#include "compiler/backend/pack.h"
#include "compiler/backend/passes.h"
#include "compiler/backend/split.h"

namespace imc::compiler {

namespace {

int snake_tile(const arch::ChipParams& chip, int k) {
  const int y = k / chip.mesh_cols;
  const int x = (y % 2 == 0) ? k % chip.mesh_cols : chip.mesh_cols - 1 - k % chip.mesh_cols;
  return y * chip.mesh_cols + x;
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

// Sets of accumulator ranges for `replicas` copies of group g: as many as the entries hold, up
// to one per `replicas` positions of an output row (the unrolled loop's run): a bank is written
// again only after the others' requantization. Rows of at most `replicas` positions get two
// banks: an iteration then takes two rows (emit_compute.cpp), the second's MVMs overlapping the
// first's requantization.
int banks_for(const arch::TileParams& t, const Value& out, int64_t channels, int replicas) {
  const int64_t entries = std::min(t.accumulator_entries, t.threshold_entries);
  const int64_t run =
      out.w > 1 ? std::max(out.w, std::min(out.h * out.w, int64_t{2} * replicas)) : out.h;
  return static_cast<int>(std::max<int64_t>(
      1, std::min(entries / (replicas * channels), (run + replicas - 1) / replicas)));
}

// Copies of the group's blocks, as many as crossbars, accumulator ranges, threshold entries and
// output positions allow (partition() made sure one copy fits) — fewer where group_cost says
// fewer are faster: more copies compute more positions at once, but may leave one set of
// accumulator ranges, whose requantization the next positions' MVMs then wait for (rram4x4's
// 256 entries: bnn_cnn's second conv, 5 copies of 32 channels in one bank, ran at 244 cycles
// per inference; 4 copies in two banks, 184).
void place_group(const Plan& p, size_t i, Group& g) {
  const arch::TileParams& t = p.chip->tile;
  const MatLayer& m = mat_of(p, i);
  const Value& out = computed_map(p, i);
  const MatPlan& mp = p.layers[i].mat;
  const int64_t c = std::max<int64_t>(1, g.channels());
  const int64_t most = std::min<int64_t>(
      {t.crossbars, t.accumulator_entries / c, t.threshold_entries / c, out.h * out.w});
  const std::vector<BlockSize> sizes = block_sizes(mp, g.r0, g.r1, g.c0, g.c1);
  auto pack = [&](int r) {
    return pack_blocks(t, sizes, r, g.regions, true) || pack_blocks(t, sizes, r, g.regions);
  };
  auto set = [&](int r, bool partial) {
    g.replicas = r;
    g.banks = banks_for(t, out, c, r);
    g.partial_copies = partial;
    return partial ? pack_partial_copies(t, sizes, r, g.regions) : pack(r);
  };
  int best = 0;
  double best_cost = 0;
  for (int r = static_cast<int>(std::max<int64_t>(1, most)); r >= 1; --r) {
    if (!set(r, false)) continue;
    const double cost = group_cost(p, i, g);
    if (!best || cost < best_cost) best = r, best_cost = cost;
  }
  if (!best)
    throw BackendError("layer '" + m.name + "': its blocks do not fit the " +
                       std::to_string(t.crossbars) + " crossbars of " +
                       std::to_string(t.crossbar.rows) + "x" + std::to_string(t.crossbar.cols) +
                       " of one tile");
  // More positions per iteration than whole copies fit, sharing copies of some blocks, where
  // that promises a quarter less time (both costed by their busiest crossbar). The estimate
  // does not see an iteration's MVMs queue for a shared copy: asking for 10% less, the shifted
  // reference model on tile8x8 ran 4.6% slower (2474 -> 2588 cycles over 16). rram4x4's
  // reference model, nine 64-row blocks per position of its third conv: 10755 -> 8514 cycles
  // per image.
  set(best, false);
  Group whole = g;
  whole.partial_copies = true;  // costed by its regions
  double to_beat = 0.75 * group_cost(p, i, whole);
  int partial = 0;
  for (int r = best + 1; r <= most; ++r) {
    if (!set(r, true)) break;
    const double cost = group_cost(p, i, g);
    if (cost < to_beat) partial = r, to_beat = cost;
  }
  set(partial ? partial : best, partial > 0);
}

// A block of the matrix: (row block, column block).
using BlockId = std::pair<size_t, size_t>;

// A block in a write: where it sits from the write's first row and column.
struct Piece {
  BlockId id;
  int row = 0, col = 0;
  bool operator<(const Piece& o) const {
    return std::tie(id, row, col) < std::tie(o.id, o.row, o.col);
  }
};

// The writes of group g, in the order of their first region: the regions of a crossbar whose
// rows overlap are one write of their bounding box (a crossbar row is written in one step
// whatever its width), and so is any other region inside that box. Its other cells are never
// read: an MVM drives only its block's rows and reads only its columns. The fmnist reference
// model's second conv has a 192-row and a 96-row block on one crossbar: 192 row writes, not 288.
std::vector<std::vector<Piece>> merged_writes(const MatPlan& mp, const Group& g,
                                              std::vector<Write>& writes) {
  struct Placed {
    Region at;
    BlockId id;
    int rows, cols;
  };
  std::vector<Placed> placed;
  for (int u = 0; u < g.replicas; ++u)
    for (size_t r = g.r0; r < g.r1; ++r)
      for (size_t c = g.c0; c < g.c1; ++c) {
        const Region& at = g.region(u, r, c);
        const bool again = std::any_of(placed.begin(), placed.end(), [&](const Placed& q) {
          return q.at.xb == at.xb && q.at.row == at.row && q.at.col == at.col;
        });  // a copy positions share (Group::partial_copies) is written once
        if (!again) placed.push_back({at, {r, c}, mp.row_blocks[r].rows(), mp.col_blocks[c].n});
      }
  const size_t n = placed.size();
  struct Box {
    int row0, row1, col0, col1;
  };
  std::vector<size_t> write_of(n);  // the region that stands for its write
  std::vector<Box> box(n);          // a write's bounding box, at the region standing for it
  for (size_t k = 0; k < n; ++k) {
    const Placed& q = placed[k];
    write_of[k] = k;
    box[k] = {q.at.row, q.at.row + q.rows, q.at.col, q.at.col + q.cols};
  }
  for (bool changed = true; changed;) {
    changed = false;
    for (size_t a = 0; a < n; ++a) {
      if (write_of[a] != a) continue;
      for (size_t b = 0; b < n; ++b) {
        if (write_of[b] == a || placed[b].at.xb != placed[a].at.xb) continue;
        const Box& x = box[a];
        const Placed& q = placed[b];
        // Rows that overlap: one write of both is shorter (side by side on the same rows, as
        // before); a region inside the box would be overwritten: it joins.
        const bool rows_meet = q.at.row < x.row1 && x.row0 < q.at.row + q.rows;
        if (!rows_meet) continue;
        const size_t from = write_of[b];
        box[a] = {std::min(x.row0, box[from].row0), std::max(x.row1, box[from].row1),
                  std::min(x.col0, box[from].col0), std::max(x.col1, box[from].col1)};
        for (size_t& w : write_of)
          if (w == from) w = a;
        changed = true;
      }
    }
  }
  std::vector<std::vector<Piece>> out;
  std::vector<bool> taken(n, false);
  writes.clear();
  for (size_t k = 0; k < n; ++k) {
    const size_t w = write_of[k];
    if (taken[w]) continue;
    taken[w] = true;
    const Box& b = box[w];
    writes.push_back({placed[k].at.xb, b.row0, b.col0, -1});
    std::vector<Piece> pieces;
    for (size_t j = 0; j < n; ++j)
      if (write_of[j] == w)
        pieces.push_back({placed[j].id, placed[j].at.row - b.row0, placed[j].at.col - b.col0});
    std::sort(pieces.begin(), pieces.end());
    out.push_back(std::move(pieces));
  }
  return out;
}

// The weights of a write: each block at its place, the cells between them +1 (b1) or 0 (t2).
isa::DataBlock write_data(const MatLayer& m, const MatPlan& mp, int in_c,
                          const std::vector<Piece>& pieces, std::string name) {
  std::vector<isa::DataBlock> parts;
  int64_t rows = 0, cols = 0;
  for (const Piece& p : pieces) {
    parts.push_back(block_data(m, in_c, mp.row_blocks[p.id.first], mp.col_blocks[p.id.second],
                               mp.weight_type, ""));
    rows = std::max(rows, p.row + parts.back().rows);
    cols = std::max(cols, p.col + parts.back().cols);
  }
  if (parts.size() == 1) {
    parts[0].name = std::move(name);
    return std::move(parts[0]);
  }
  isa::DataBlock d{std::move(name), mp.weight_type, rows, cols, {}};
  d.values.assign(static_cast<size_t>(rows) * cols, mp.weight_type == isa::DType::kT2 ? 0 : 1);
  for (size_t k = 0; k < pieces.size(); ++k)
    for (int64_t r = 0; r < parts[k].rows; ++r)
      std::copy_n(
          parts[k].values.begin() + static_cast<ptrdiff_t>(r) * parts[k].cols, parts[k].cols,
          d.values.begin() + static_cast<ptrdiff_t>(pieces[k].row + r) * cols + pieces[k].col);
  return d;
}

std::string block_suffix(const BlockId& b) {
  return "w" + std::to_string(b.first) + "_" + std::to_string(b.second);
}

void place_mat(Plan& p, size_t i) {
  const MatLayer& m = mat_of(p, i);
  MatPlan& mp = p.layers[i].mat;
  const int in_c = static_cast<int>(p.value(m.input).c);
  for (Group& g : mp.groups) place_group(p, i, g);
  // One data block per distinct write (copies of the same blocks share it).
  std::map<std::vector<Piece>, int> data_of;
  for (Group& g : mp.groups) {
    const std::vector<std::vector<Piece>> blocks = merged_writes(mp, g, g.writes);
    for (size_t k = 0; k < blocks.size(); ++k) {
      auto [it, added] = data_of.emplace(blocks[k], static_cast<int>(p.program.data.size()));
      if (added) {
        std::string suffix = "." + block_suffix(blocks[k].front().id);
        if (blocks[k].size() > 1) suffix += ".." + block_suffix(blocks[k].back().id);
        p.program.data.push_back(
            write_data(m, mp, in_c, blocks[k], data_name(p.program, m.name, suffix)));
      }
      g.writes[k].data = it->second;
    }
  }
  if (m.thresholds.empty()) return;
  for (Group& g : mp.groups) {
    if (!g.owner()) continue;
    const std::string suffix = mp.groups.size() > 1 ? ".th" + std::to_string(g.cg) : ".th";
    isa::DataBlock th{
        data_name(p.program, m.name, suffix), isa::DType::kI32, g.channels() * g.ranges(), 3, {}};
    // One table per accumulator range: the THRESH of several positions reads entries
    // range * channels + j.
    for (int u = 0; u < g.ranges(); ++u)
      for (int64_t ch = g.ch0; ch < g.ch1; ++ch) {
        const Threshold& x = m.thresholds[static_cast<size_t>(ch)];
        th.values.insert(th.values.end(), {x.t0, x.t1, x.invert});
      }
    g.thresholds_data = static_cast<int>(p.program.data.size());
    p.program.data.push_back(std::move(th));
  }
}

}  // namespace

// Cycles one tile spends on one inference of group g of layer i (a rough model of
// docs/platform.md: the largest of issue slots, crossbar time and thresholder time, per
// output position: per MVM's positions for a shifted-kernel view).
double group_cost(const Plan& p, size_t i, const Group& g, int crossbars) {
  const GroupTime t = group_time(p, i, g, crossbars);
  return std::max(t.issue, t.busy);
}

GroupTime group_time(const Plan& p, size_t i, const Group& g, int crossbars) {
  const arch::TileParams& t = p.chip->tile;
  const Value& out = computed_map(p, i);  // positions of one MVM each
  const double positions = static_cast<double>(out.h * out.w);
  const MatPlan& mp = p.layers[i].mat;
  const Value& in = p.value(mat_of(p, i).input);
  const bool serial = bit_serial(in.type);
  const double blocks = static_cast<double>(g.blocks());
  const int rows = mp.row_blocks[g.r0].rows();
  const double mvm =
      (serial ? 8.0 : 1.0) * std::ceil(double(rows) / t.crossbar.rows_per_step) *
          t.crossbar.read_cycles +
      std::ceil(double(rows) * isa::bits_per_element(in.type) / t.input_buffer.width_bits) +
      t.accumulate_cycles;
  const double r = g.replicas;
  // Per copy group of positions: its MVMs, one THRESH, an owner's ACCADD of each partial sum.
  // A sequencer that repeats MVMs issues a copy's MVMs of a block once per run of positions
  // (about half a row's share: border positions and requantizations break the runs).
  const double partials = g.owner() ? g.row_groups - 1 : 0;
  const double run = t.mvm_repeat ? std::max(1.0, double(out.w) / (2.0 * g.replicas)) : 1.0;
  const double issue = (blocks / run + (1.0 + partials) / r) * t.issue_cycles;
  // Copies shared by positions: the busiest crossbar's MVMs per iteration of r positions.
  const double xbar = g.partial_copies ? (mvm * busiest_crossbar(g.regions) + 2.0) / r
                                       : (mvm * blocks + 2.0) / std::max<double>(r, crossbars);
  // The one thresholder requantizes every position's channels, lanes at a time, one THRESH
  // (with its pipeline latency) per group of copies.
  const double lanes = double(g.channels()) / t.thresholder_lanes + double(t.threshold_cycles) / r;
  // With one set of accumulator ranges, the next copy group's MVMs wait for the requantization.
  const bool waits = g.banks == 1 && positions > r;
  return {positions * issue, positions * (waits ? xbar + lanes : std::max(xbar, lanes))};
}

GroupTime layer_time(const Plan& p, size_t i) {
  const Layer& l = p.g->layers[i];
  if (l.kind == Layer::Kind::kMat) {
    GroupTime worst;
    for (const Group& g : p.layers[i].mat.groups) {
      const GroupTime t = group_time(p, i, g);
      if (std::max(t.issue, t.busy) >= std::max(worst.issue, worst.busy)) worst = t;
    }
    return worst;
  }
  const arch::TileParams& t = p.chip->tile;
  const Value& out = p.value(l.output());
  const Value& in = p.value(l.input());
  // A window of more than 32 pixels takes a POOL per run of rows and one over their maxima.
  const int runs = pool_row_runs(l.pool);
  const int pools = runs > 1 ? runs + 1 : 1;
  const double pool = std::ceil(double(in.c * l.pool.kh * l.pool.kw) / t.pool_lanes) +
                      (runs > 1 ? std::ceil(double(in.c * runs) / t.pool_lanes) : 0.0);
  const double positions = static_cast<double>(out.h * out.w);
  return {positions * t.issue_cycles * pools, positions * pool};
}

double layer_cost(const Plan& p, size_t i) {
  const GroupTime t = layer_time(p, i);
  return std::max(t.issue, t.busy);
}

namespace {

int tiles_per_part(const Plan& p, size_t i) {
  return std::max<int>(1, static_cast<int>(p.layers[i].mat.groups.size()));
}

// How many times layer i's output rows leave a tile: once per consumer part that reads them
// (a kernel of kh rows at stride sh reads a row in up to ceil(kh / sh) parts), once for a
// residual, once for the global buffer. `parts`: the row ranges of each layer so far.
double output_reads(const Plan& p, size_t i, const std::vector<int>& parts) {
  const Layer& l = p.g->layers[i];
  double reads = 0;
  for (size_t c = 0; c < p.g->layers.size(); ++c) {
    const Layer& x = p.g->layers[c];
    const bool residual = x.kind == Layer::Kind::kMat && x.mat.residual == l.output();
    if (x.input() != l.output() && !residual) continue;
    const int kh = x.kind == Layer::Kind::kMat ? x.mat.kh : x.pool.kh;
    const int sh = x.kind == Layer::Kind::kMat ? x.mat.stride_h : x.pool.stride_h;
    reads += residual ? 1 : std::min<int>(parts[c], (kh + sh - 1) / sh);
  }
  if (std::find(p.g->outputs.begin(), p.g->outputs.end(), l.output()) != p.g->outputs.end())
    reads += 1;
  return reads;
}

double link_cycles(const Plan& p, double in_bytes, double out_bytes) {
  return std::max(in_bytes, out_bytes) * 8.0 / double(p.chip->noc.link_width_bits);
}

// Cycles the busiest of layer i's tiles, computing `rows` output rows, spends per inference
// on each of its links: input rows in (a window of the input map), output rows out to every
// consumer part that reads them or to the global buffer.
double link_cycles(const Plan& p, size_t i, int64_t rows, const std::vector<int>& parts) {
  const Layer& l = p.g->layers[i];
  const Value& in = p.value(l.input());
  const Value& out = p.value(l.output());
  const Rows window = input_rows(p, i, 0, rows);
  const double in_bytes = double(window.hi - window.lo) * double(map_bytes(in) / in.h);
  const double out_bytes =
      double(rows) * double(map_bytes(out) / out.h) * output_reads(p, i, parts);
  return link_cycles(p, in_bytes, out_bytes);
}

// A matrix layer with a one-pixel output (a dense layer, or one over a whole map) has no output
// rows to split over tiles; for speed its column groups get more row groups instead.
bool one_pixel(const Plan& p, size_t i) {
  const Value& out = p.value(p.g->layers[i].output());
  return p.g->layers[i].kind == Layer::Kind::kMat && out.h * out.w == 1;
}

// One-pixel layer i with k row groups per column group: cycles per inference of its busiest
// tile, an owner with the longest run of row blocks. Its compute (those MVMs, then adding the
// k - 1 partial sums), or its links: its share of the input and the partial sums in, its
// channels of the output out.
double row_group_cycles(const Plan& p, size_t i, int k, const std::vector<int>& parts,
                        bool* link_bound = nullptr) {
  const MatPlan& mp = p.layers[i].mat;
  const size_t n = mp.row_blocks.size(), run = (n + static_cast<size_t>(k) - 1) / k;
  const Value& in = p.value(p.g->layers[i].input());
  const Value& out = p.value(p.g->layers[i].output());
  double worst = 0;
  for (const Group& a : mp.groups) {
    if (!a.owner()) continue;
    Group g = a;
    g.row_groups = k;
    g.r0 = 0;
    g.r1 = run;
    g.replicas = g.banks = 1;
    const double share = double(g.channels()) / double(out.c);
    const double in_bytes = double(map_bytes(in)) * double(run) / double(n) +
                            double(k - 1) * double(g.channels()) * 4.0;
    const double out_bytes = double(map_bytes(out)) * share * output_reads(p, i, parts);
    // Its blocks spread over the crossbars (one copy: one position).
    const int crossbars =
        static_cast<int>(std::min<size_t>(static_cast<size_t>(p.chip->tile.crossbars), g.blocks()));
    const double compute = group_cost(p, i, g, crossbars),
                 link = link_cycles(p, in_bytes, out_bytes);
    if (link_bound && std::max(compute, link) >= worst) *link_bound = link > compute;
    worst = std::max({worst, compute, link});
  }
  return worst;
}

// Cycles per inference of the busiest of layer i's tiles with k row ranges, `cost` its
// layer_cost: its share of the compute (part_rows gives some parts one row more than others),
// or the time its input rows take to arrive or its output rows to leave through its one NoC
// link each way, whichever is longer.
double tile_cycles(const Plan& p, size_t i, int k, const std::vector<int>& parts, double cost) {
  if (one_pixel(p, i)) return row_group_cycles(p, i, p.layers[i].mat.max_row_groups(), parts);
  const int64_t h = p.value(p.g->layers[i].output()).h;
  const int64_t rows = (h + k - 1) / k;
  return std::max(cost * double(rows) / double(h), link_cycles(p, i, rows, parts));
}

// Row ranges per layer: what the maps and partial sums need to fit the buffers, and in the
// pipelined schedule, while tiles are left, one more for the slowest layer that can take one
// (PIMCOMP-style greedy on the bottleneck); a one-pixel layer takes one more row group per
// column group instead (split_rows_further). Splits stop when no layer can be split further
// or the slowest is already fast enough that transfers would dominate. From `parts` (the
// counts so far), with `spare` tiles left; layers `done` keep their count. Returns the tiles
// still spare.
int split_counts(Plan& p, std::vector<int>& parts, std::vector<bool> done, int spare) {
  const size_t n = p.layers.size();
  if (p.schedule != Schedule::kPipelined) return spare;
  std::vector<double> cost(n);
  std::vector<int64_t> h(n);
  for (size_t i = 0; i < n; ++i) {
    cost[i] = layer_cost(p, i);
    h[i] = p.value(p.g->layers[i].output()).h;
  }
  // Cycles per inference: below this, stop splitting (24 rather than 32 or 16, measured:
  // docs/compiler-backend.md, "Spatial split of the bottleneck").
  constexpr double kFastEnough = 24;
  auto per_tile = [&](size_t i, int k) { return tile_cycles(p, i, k, parts, cost[i]); };
  // The fewest parts that give the busiest tile fewer rows (28 rows on 25 tiles leave three
  // with two rows: only 28 tiles help), n + 1 when none do.
  auto next_count = [&](size_t i) {
    int k = parts[i] + 1;
    while (k <= h[i] && (h[i] + k - 1) / k == (h[i] + parts[i] - 1) / parts[i]) ++k;
    return k;
  };
  // One more row group per column group of one-pixel layer i, if the tiles are there and the
  // runs fit; false when not.
  auto more_row_groups = [&](size_t i) {
    MatPlan& mp = p.layers[i].mat;
    const int k = mp.max_row_groups() + 1;
    const int more = (mp.groups.back().cg + 1) * k - static_cast<int>(mp.groups.size());
    bool link_bound = false;
    const double now = row_group_cycles(p, i, k - 1, parts, &link_bound);
    if (!link_bound || more > spare || row_group_cycles(p, i, k, parts) >= now ||
        !split_rows_further(p, i, k))
      return false;
    spare -= more;
    return true;
  };
  // done: at one output row per tile, or the tiles are not there
  for (;;) {
    size_t worst = n;
    for (size_t i = 0; i < n; ++i)
      if (!done[i] && (worst == n || per_tile(i, parts[i]) > per_tile(worst, parts[worst])))
        worst = i;
    if (worst == n || per_tile(worst, parts[worst]) < kFastEnough) break;
    if (one_pixel(p, worst)) {
      if (!more_row_groups(worst)) done[worst] = true;
      continue;
    }
    const int k = next_count(worst);
    const int more = (k - parts[worst]) * tiles_per_part(p, worst);
    if (k > h[worst] || more > spare || !rows_fit(p, worst, k)) {
      done[worst] = true;  // the next slowest may still gain
      continue;
    }
    parts[worst] = k;
    spare -= more;
  }
  return spare;
}

// How many layers read value v (as their input or residual), plus one if it is a network output.
int readers(const Plan& p, int v) {
  int n = static_cast<int>(std::count(p.g->outputs.begin(), p.g->outputs.end(), v));
  for (const Layer& l : p.g->layers)
    n += (l.input() == v) + (l.kind == Layer::Kind::kMat && l.mat.residual == v);
  return n;
}

// Bytes of a part's output window (plan.h output_window), 4-byte aligned as allocate lays the
// slots out.
int64_t window_bytes(const Plan& p, size_t layer, Rows r) {
  return (output_window(p, layer, Part{-1, r.lo, r.hi, 0, 0}).bytes() + 3) / 4 * 4;
}

// A tile computing its shares of a conv (c) and of the pool fused into it (f): one sequencer
// issues both layers' commands (issue slots add up), while the crossbars and the pooling unit
// work side by side.
double fused_cycles(const GroupTime& c, double conv_share, const GroupTime& f, double pool_share) {
  return std::max(
      {c.issue * conv_share + f.issue * pool_share, c.busy * conv_share, f.busy * pool_share});
}

// Conv+pool fusion (pipelined): a max-pool whose windows each lie inside one row range of the
// matrix layer before it (stride = kernel, no padding, that layer on one tile per row range and
// read by the pool alone) is computed on that layer's tiles: a stage fewer in every inference's
// path, its tiles free, and a quarter of the bytes (2x2) handed over. Only where those tiles
// have the time for it: fused into the bottleneck (every pool with whole windows, an earlier
// version), the reference model's second conv ran 137 -> 152 cycles per image.
bool fuse_pools(Plan& p, const std::vector<int>& parts) {
  if (p.schedule != Schedule::kPipelined || !p.pool_fusion) return false;
  bool any = false;
  const size_t n = p.layers.size();
  const int64_t obuf = p.chip->tile.output_buffer.capacity_bits / 8;
  double period = 0;
  for (size_t i = 0; i < n; ++i)
    period = std::max(period, tile_cycles(p, i, parts[i], parts, layer_cost(p, i)));
  for (size_t q = 0; q < n; ++q) {
    if (p.g->layers[q].kind != Layer::Kind::kPool) continue;
    const PoolLayer& m = p.g->layers[q].pool;
    const int i = producer_of(*p.g, m.input);
    // Not into a shifted-kernel view: its output rows hold packed pixels (no program has
    // needed it, so none is tested).
    if (i < 0 || p.g->layers[i].kind != Layer::Kind::kMat || tiles_per_part(p, i) != 1 ||
        p.layers[i].positions > 1 || p.layers[i].fused_pool >= 0 || readers(p, m.input) != 1)
      continue;
    if (m.kh != m.stride_h || m.kw != m.stride_w || m.pad_top || m.pad_left || m.pad_bottom ||
        m.pad_right || pool_row_runs(m) > 1)
      continue;
    const int64_t h = p.value(m.input).h, ph = p.value(m.output).h;
    if (ph != h / m.kh) continue;
    bool whole_windows = true;
    int64_t rows = 0, pooled = 0, bytes = 0;
    for (int k = 0; k < parts[i]; ++k) {
      const Rows r = part_rows(h, k, parts[i]);
      const Rows pr{r.lo / m.kh, r.hi == h ? ph : r.hi / m.kh};
      whole_windows &= r.lo % m.kh == 0 && (r.hi % m.kh == 0 || r.hi == h) && !pr.empty();
      rows = std::max(rows, r.hi - r.lo);
      pooled = std::max(pooled, pr.hi - pr.lo);
      bytes = std::max(bytes, window_bytes(p, i, r) + window_bytes(p, q, pr));
    }
    const double fused = fused_cycles(layer_time(p, i), double(rows) / double(h), layer_time(p, q),
                                      double(pooled) / double(ph));
    if (!whole_windows || bytes > obuf) continue;
    if (fused > period) continue;
    p.layers[q].fused_into = i;
    p.layers[i].fused_pool = static_cast<int>(q);
    any = true;
  }
  return any;
}

// Cycles per inference of the busiest tile, or of the global buffer's link for the network's
// input and outputs, whichever is longer. A tile with a fused pool issues both layers'
// commands, while its crossbars and its pooling unit work side by side.
double estimated_period(const Plan& p, const std::vector<int>& parts) {
  double out_bytes = 0;
  for (int v : p.g->outputs) out_bytes += double(map_bytes(p.value(v)));
  double period = link_cycles(p, double(map_bytes(p.value(p.g->input))), out_bytes);
  for (size_t i = 0; i < p.layers.size(); ++i) {
    if (p.layers[i].fused_into >= 0) continue;
    double t = tile_cycles(p, i, parts[i], parts, layer_cost(p, i));
    if (p.layers[i].fused_pool >= 0) {
      const int64_t h = p.value(p.g->layers[i].output()).h;
      const double share = double((h + parts[i] - 1) / parts[i]) / double(h);
      t = std::max(t,
                   fused_cycles(layer_time(p, i), share,
                                layer_time(p, static_cast<size_t>(p.layers[i].fused_pool)), share));
    }
    period = std::max(period, t);
  }
  return period;
}

// The tiles every layer needs at least; a clear error when the chip has fewer.
int check_tiles(const Plan& p) {
  int need = 0;
  std::string split;
  for (size_t i = 0; i < p.layers.size(); ++i) {
    const int n = p.layers[i].min_parts * tiles_per_part(p, i);
    need += n;
    if (n > 1)
      split += (split.empty() ? "" : ", ") + p.g->layers[i].name() + " " + std::to_string(n);
  }
  if (need <= p.chip->tiles()) return need;
  if (split.empty())
    throw BackendError("the network has " + std::to_string(p.layers.size()) +
                       " layers, the chip has " + std::to_string(p.chip->tiles()) +
                       " tiles (one layer per tile)");
  throw BackendError("the network needs " + std::to_string(need) + " tiles (layers on several " +
                     "tiles, for their weights or their maps: " + split + "), the chip has " +
                     std::to_string(p.chip->tiles()));
}

}  // namespace

void place(Plan& p) {
  const int need = check_tiles(p);
  // Copies per group first: the cost model of the split counts them.
  for (size_t i = 0; i < p.layers.size(); ++i)
    if (p.g->layers[i].kind == Layer::Kind::kMat)
      for (Group& g : p.layers[i].mat.groups) place_group(p, i, g);
  const size_t n = p.layers.size();
  std::vector<int> parts(n);
  for (size_t i = 0; i < n; ++i) parts[i] = p.layers[i].min_parts;
  const int spare = split_counts(p, parts, std::vector<bool>(n, false), p.chip->tiles() - need);
  p.spare_tiles = spare;
  // With no tile left, fused pools hand theirs to the layers still waiting for one; a fused pair
  // keeps its rows (its windows must stay whole). Undone where no layer takes the tiles and
  // the estimated period is no shorter: on rram4x4 bnn_cnn's pools, fused into convs already
  // at their finest split with whole windows, left three tiles idle and every batch about
  // 360 cycles longer.
  const std::vector<int> unfused = parts;
  const double before = spare == 0 ? estimated_period(p, parts) : 0;
  if (spare == 0 && fuse_pools(p, parts)) {
    std::vector<bool> done(n, false);
    int freed = 0;
    for (size_t i = 0; i < n; ++i)
      if (p.layers[i].fused_into >= 0) {
        done[i] = done[static_cast<size_t>(p.layers[i].fused_into)] = true;
        freed += parts[i];
      }
    const int idle = split_counts(p, parts, done, freed);
    if (idle == freed && estimated_period(p, parts) >= before) {
      for (LayerPlan& l : p.layers) l.fused_into = l.fused_pool = -1;
      parts = unfused;
    }
  }
  p.period = estimated_period(p, parts);
  for (size_t i = 0; i < n; ++i)
    if (p.g->layers[i].kind == Layer::Kind::kMat) place_mat(p, i);
  int next = 0;
  for (size_t i = 0; i < p.layers.size(); ++i) {
    const int64_t h = p.value(p.g->layers[i].output()).h;
    LayerPlan& lp = p.layers[i];
    if (lp.fused_into >= 0) {  // on its producer's tiles, part k's pooled rows on part k's
      const PoolLayer& m = p.g->layers[i].pool;
      const int64_t in_h = p.value(m.input).h;
      for (const Part& q : p.layers[lp.fused_into].parts)
        lp.parts.push_back({q.tile, q.oy0 / m.kh, q.oy1 == in_h ? h : q.oy1 / m.kh, 0, q.spatial});
      lp.tile = lp.parts[0].tile;
      continue;
    }
    for (int k = 0; k < parts[i]; ++k) {
      const Rows r = part_rows(h, k, parts[i]);
      for (int g = 0; g < tiles_per_part(p, i); ++g)
        lp.parts.push_back({snake_tile(*p.chip, next++), r.lo, r.hi, g, k});
    }
    lp.tile = lp.parts[0].tile;
  }
}

}  // namespace imc::compiler
