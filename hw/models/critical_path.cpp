#include "hw/models/critical_path.h"

#include <algorithm>

namespace imc::models {

namespace {

// The record of the command that started at `sent` on program line `line` (the sender of a
// token): the records are in issue order and it issued at or before `sent`.
size_t sender_index(const std::vector<CommandRecord>& r, int line, int64_t sent) {
  auto it = std::upper_bound(r.begin(), r.end(), sent,
                             [](int64_t t, const CommandRecord& c) { return t < c.issue; });
  for (size_t k = static_cast<size_t>(it - r.begin()); k > 0; --k)
    if (r[k - 1].line == line && r[k - 1].start == sent) return k - 1;
  return r.size();
}

}  // namespace

std::vector<PathSegment> critical_path(const std::vector<TileCommands>& tiles) {
  std::vector<PathSegment> path;
  const TileCommands* cur = nullptr;
  for (const TileCommands& t : tiles)
    if (t.commands != nullptr && !t.commands->empty() &&
        (cur == nullptr || t.commands->back().end > cur->commands->back().end))
      cur = &t;
  if (cur == nullptr) return path;
  std::map<int, const TileCommands*> by_id;
  for (const TileCommands& t : tiles) by_id[t.tile] = &t;

  size_t k = cur->commands->size() - 1;
  int64_t t = (*cur->commands)[k].end;
  for (;;) {
    const std::vector<CommandRecord>& r = *cur->commands;
    size_t j = k + 1;
    while (j > 0 &&
           !(r[j - 1].op == isa::Opcode::kWait && r[j - 1].woken_by.tile >= 0 && r[j - 1].end <= t))
      --j;
    PathSegment work{PathSegment::Kind::kTile, 0, t, cur->tile, -1, r[k].line, r[k].op};
    if (j == 0) {  // no blocking WAIT before: the tile worked from the start
      path.push_back(work);
      break;
    }
    const CommandRecord& w = r[j - 1];
    work.begin = w.end;
    path.push_back(work);
    const TokenOrigin& from = w.woken_by;
    const auto sender = by_id.find(from.tile);
    const size_t m = sender == by_id.end() || sender->second->commands == nullptr
                         ? 0
                         : sender_index(*sender->second->commands, from.line, from.sent);
    PathSegment token{PathSegment::Kind::kToken, from.sent, w.end, cur->tile, from.tile, from.line,
                      isa::Opcode::kHalt};
    if (sender == by_id.end() || m >= sender->second->commands->size() || from.sent >= t) {
      path.push_back(token);  // the sender's record is missing: the chain ends here
      break;
    }
    token.op = (*sender->second->commands)[m].op;
    path.push_back(token);
    cur = sender->second;
    k = m;
    t = from.sent;
  }
  std::reverse(path.begin(), path.end());
  return path;
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
