#include "hw/models/critical_path.h"

#include <algorithm>

namespace imc::models {

std::vector<PathSegment> critical_path(const std::vector<TileWaits>& tiles) {
  std::vector<PathSegment> path;
  const TileWaits* cur = nullptr;
  for (const TileWaits& t : tiles)
    if (t.waits != nullptr && (cur == nullptr || t.done > cur->done)) cur = &t;
  if (cur == nullptr) return path;
  std::map<int, const TileWaits*> by_id;
  for (const TileWaits& t : tiles) by_id[t.tile] = &t;

  // On tile `cur`: the work up to cycle t, ending with command (line, op), after the first
  // `waits` blocking WAITs of the tile.
  int64_t t = cur->done;
  int line = cur->halt_line;
  isa::Opcode op = isa::Opcode::kHalt;
  size_t waits = cur->waits->size();
  for (;;) {
    if (waits == 0) {  // no blocking WAIT before: the tile worked from the start
      path.push_back({PathSegment::Kind::kTile, 0, t, cur->tile, -1, line, op});
      break;
    }
    const WaitRecord& w = (*cur->waits)[waits - 1];
    path.push_back({PathSegment::Kind::kTile, w.passed, t, cur->tile, -1, line, op});
    const TokenOrigin& from = w.woken_by;
    path.push_back(
        {PathSegment::Kind::kToken, from.sent, w.passed, cur->tile, from.tile, from.line, from.op});
    const auto sender = by_id.find(from.tile);
    if (sender == by_id.end() || sender->second->waits == nullptr || from.sent >= t ||
        from.waits_before > static_cast<int64_t>(sender->second->waits->size()))
      break;  // not a tile this run recorded: the chain ends here
    cur = sender->second;
    t = from.sent;
    line = from.line;
    op = from.op;
    waits = static_cast<size_t>(from.waits_before);
  }
  std::reverse(path.begin(), path.end());
  return path;
}

std::vector<std::pair<int, int64_t>> PathShares::tiles_most_first() const {
  std::vector<std::pair<int, int64_t>> v(tiles.begin(), tiles.end());
  std::stable_sort(v.begin(), v.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  return v;
}

PathShares path_shares(const std::vector<PathSegment>& path) {
  PathShares s;
  for (const PathSegment& p : path) {
    const int64_t n = p.end - p.begin;
    s.cycles += n;
    if (p.kind == PathSegment::Kind::kTile) {
      s.tiles[p.tile] += n;
    } else {
      s.tokens[{p.from_tile, p.tile}] += n;
      s.token_cycles += n;
    }
  }
  return s;
}

}  // namespace imc::models
