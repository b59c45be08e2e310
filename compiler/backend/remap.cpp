// Remap (pipelined): moves the emitted tile programs to the mesh tiles that spread their NoC
// traffic best. `place` lays the parts out along a snake, which keeps neighbouring layers one
// hop apart but piles the global buffer's traffic, the input passed between tiles and the
// many-to-many hand-overs of split layers onto the same few links, where packets queue. The
// program says exactly what crosses the mesh per inference (the SEND, SIGNAL, LOAD and STORE
// of the batch loop), so remap counts, for every router-to-router link, the flits that would
// cross it under dimension-order routing, and improves the placement by swapping tiles while
// the sum of squared link loads falls (hot links cost most, and so does traffic in general).
// Deterministic: the swaps are tried in a fixed order.
#include <algorithm>
#include <numeric>
#include <vector>

#include "compiler/backend/passes.h"

namespace imc::compiler {

namespace {

struct Flow {
  int src, dst;  // positions: a tile program's index in p.program.tiles, or kGb
  int64_t flits;
  std::vector<int> more = {};  // a multicast's other destinations (positions)
};
constexpr int kGb = -1;

int64_t packet_flits(const arch::ChipParams& chip, int64_t bytes) {
  return 1 + (8 * bytes + chip.noc.link_width_bits - 1) / chip.noc.link_width_bits;
}

// What one inference sends over the mesh: the commands inside the batch loop, times the
// counts of the loops around them.
std::vector<Flow> loop_traffic(const Plan& p, const std::vector<int>& index_of_tile) {
  std::vector<Flow> flows;
  const arch::ChipParams& chip = *p.chip;
  for (size_t k = 0; k < p.program.tiles.size(); ++k) {
    const int self = static_cast<int>(k);
    std::vector<int64_t> counts;  // the enclosing loops' counts, batch loop first
    for (const isa::Command& c : p.program.tiles[k].commands) {
      if (c.op == isa::Opcode::kLoop) {
        counts.push_back(c.count == isa::kBatch ? 1 : c.count);
        continue;
      }
      if (c.op == isa::Opcode::kEndLoop) {
        counts.pop_back();
        continue;
      }
      if (counts.empty()) continue;  // setup: once per run
      const int64_t times =
          std::accumulate(counts.begin(), counts.end(), int64_t{1}, std::multiplies<int64_t>());
      switch (c.op) {
        case isa::Opcode::kSend: {
          Flow f{self, index_of_tile[c.tile], times * packet_flits(chip, c.bytes)};
          for (int k = 0; k < 32; ++k)
            if (c.mcast >> k & 1) f.more.push_back(index_of_tile[c.tile + 1 + k]);
          flows.push_back(std::move(f));
          break;
        }
        case isa::Opcode::kSignal:
          flows.push_back({self, index_of_tile[c.tile], times * packet_flits(chip, 4)});
          break;
        case isa::Opcode::kLoad:
          flows.push_back({self, kGb, times});
          flows.push_back({kGb, self, times * packet_flits(chip, c.bytes)});
          break;
        case isa::Opcode::kStore:
          flows.push_back({self, kGb, times * packet_flits(chip, c.bytes)});
          break;
        default:
          break;
      }
    }
  }
  return flows;
}

// Router-to-router link loads of a placement (position -> mesh tile), XY routing.
class LinkLoads {
 public:
  LinkLoads(const arch::ChipParams& chip, const std::vector<Flow>& flows)
      : chip_(chip),
        flows_(flows),
        gb_router_(chip.global_buffer.attach_y * chip.mesh_cols + chip.global_buffer.attach_x),
        load_(4 * chip.tiles(), 0) {}

  // A multicast loads each link of the union of its paths once (MeshNoc::multicast).
  void add(const std::vector<int>& tile_of, int flow, int sign) {
    const Flow& f = flows_[flow];
    const int cols = chip_.mesh_cols;
    const int from = f.src == kGb ? gb_router_ : tile_of[f.src];
    links_.clear();
    for (size_t k = 0; k <= f.more.size(); ++k) {
      const int d = k == 0 ? f.dst : f.more[k - 1];
      const int to = d == kGb ? gb_router_ : tile_of[d];
      int x = from % cols, y = from / cols;
      const int tx = to % cols, ty = to / cols;
      while (x != tx) {
        links_.push_back(4 * (y * cols + x) + (tx > x ? 0 : 1));
        x += tx > x ? 1 : -1;
      }
      while (y != ty) {
        links_.push_back(4 * (y * cols + x) + (ty > y ? 3 : 2));
        y += ty > y ? 1 : -1;
      }
    }
    if (!f.more.empty()) {
      std::sort(links_.begin(), links_.end());
      links_.erase(std::unique(links_.begin(), links_.end()), links_.end());
    }
    for (int link : links_) bump(link, sign * f.flits);
  }
  // Sum of squared loads: what the search minimises.
  __int128 cost() const { return cost_; }

 private:
  void bump(int link, int64_t d) {
    const __int128 old = load_[link];
    load_[link] += d;
    cost_ += static_cast<__int128>(load_[link]) * load_[link] - old * old;
  }

  const arch::ChipParams& chip_;
  const std::vector<Flow>& flows_;
  int gb_router_;
  std::vector<int64_t> load_;
  std::vector<int> links_;  // scratch: the links of one flow
  __int128 cost_ = 0;
};

}  // namespace

void remap(Plan& p) {
  if (p.schedule != Schedule::kPipelined || !p.remap) return;  // the baseline stays as placed
  const arch::ChipParams& chip = *p.chip;
  const int n = static_cast<int>(p.program.tiles.size());
  const int tiles = chip.tiles();
  std::vector<int> index_of_tile(static_cast<size_t>(tiles), -1);
  for (int k = 0; k < n; ++k) index_of_tile[p.program.tiles[k].tile] = k;
  const std::vector<Flow> flows = loop_traffic(p, index_of_tile);

  // slot_of[m]: the position on mesh tile m (-1: free); tile_of[position]: its mesh tile.
  std::vector<int> tile_of(static_cast<size_t>(n)), slot_of = index_of_tile;
  for (int k = 0; k < n; ++k) tile_of[k] = p.program.tiles[k].tile;
  std::vector<std::vector<int>> flows_of(static_cast<size_t>(n));
  for (size_t f = 0; f < flows.size(); ++f) {
    if (flows[f].src != kGb) flows_of[flows[f].src].push_back(static_cast<int>(f));
    if (flows[f].dst != kGb && flows[f].dst != flows[f].src)
      flows_of[flows[f].dst].push_back(static_cast<int>(f));
    for (int d : flows[f].more) flows_of[d].push_back(static_cast<int>(f));
  }
  LinkLoads loads(chip, flows);
  for (size_t f = 0; f < flows.size(); ++f) loads.add(tile_of, static_cast<int>(f), +1);

  // Swap the contents of mesh tiles a and b (either may be free) if that lowers the cost.
  auto touched = [&](int a, int b) {
    std::vector<int> fs;
    for (int m : {a, b})
      if (slot_of[m] >= 0)
        fs.insert(fs.end(), flows_of[slot_of[m]].begin(), flows_of[slot_of[m]].end());
    std::sort(fs.begin(), fs.end());
    fs.erase(std::unique(fs.begin(), fs.end()), fs.end());
    return fs;
  };
  auto swap_tiles = [&](int a, int b) {
    std::swap(slot_of[a], slot_of[b]);
    if (slot_of[a] >= 0) tile_of[slot_of[a]] = a;
    if (slot_of[b] >= 0) tile_of[slot_of[b]] = b;
  };
  for (int round = 0; round < 8; ++round) {
    bool improved = false;
    for (int a = 0; a < tiles; ++a)
      for (int b = a + 1; b < tiles; ++b) {
        if (slot_of[a] < 0 && slot_of[b] < 0) continue;
        const std::vector<int> fs = touched(a, b);
        const __int128 before = loads.cost();
        for (int f : fs) loads.add(tile_of, f, -1);
        swap_tiles(a, b);
        for (int f : fs) loads.add(tile_of, f, +1);
        if (loads.cost() < before) {
          improved = true;
          continue;
        }
        for (int f : fs) loads.add(tile_of, f, -1);
        swap_tiles(a, b);
        for (int f : fs) loads.add(tile_of, f, +1);
      }
    if (!improved) break;
  }

  std::vector<int> new_tile(static_cast<size_t>(tiles), -1);
  for (int k = 0; k < n; ++k) new_tile[p.program.tiles[k].tile] = tile_of[k];
  for (LayerPlan& lp : p.layers) {
    for (Part& q : lp.parts) q.tile = new_tile[q.tile];
    if (!lp.parts.empty()) lp.tile = lp.parts[0].tile;
  }
  // Emitted again on the new tiles, not renamed: a multicast names its destinations relative
  // to its first one, and which of them one mask can reach depends on where they are.
  p.program.tiles.clear();
  emit(p);
}

}  // namespace imc::compiler
