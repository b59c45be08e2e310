// Emit: one command queue per tile. Setup programs the crossbars and thresholds and hands out
// the initial credits; then, once per inference: wait for the input maps, compute, give the
// input slots back, pass the output on (after a credit from each consumer), store network
// outputs. Contributors of a split matrix pass their partial sums to their owner instead.
// The sequential schedule wraps this in the "previous inference done" token.
#include <algorithm>
#include <array>
#include <functional>

#include "compiler/backend/emit_compute.h"
#include "compiler/backend/emit_util.h"
#include "compiler/backend/halo.h"
#include "compiler/backend/multicast.h"
#include "compiler/backend/mvm_runs.h"
#include "compiler/backend/passes.h"

namespace imc::compiler {

namespace {

using isa::Command;
using isa::Space;

std::vector<int> in_edges(const LayerPlan& lp) {
  std::vector<int> e;
  for (int k : {lp.in_edge, lp.residual_edge})
    if (k >= 0) e.push_back(k);
  return e;
}

// The part of `part`'s fused pool (plan.h) on its tile, or nullptr.
const Part* fused_pool_part(const Plan& p, size_t i, const Part& part) {
  const int q = p.layers[i].fused_pool;
  if (q < 0) return nullptr;
  return &p.layers[q].parts[static_cast<size_t>(&part - p.layers[i].parts.data())];
}

// Rows of the map on edge e that producer part `from` computes and consumer part `to` reads.
Rows overlap(const Plan& p, int e, const Part& from, const Part& to) {
  const Rows need = edge_rows(p, e, to);
  return {std::max(need.lo, from.oy0), std::min(need.hi, from.oy1)};
}

// The parts of edge e's producer that send to consumer part `to` (and get its credits).
std::vector<const Part*> senders(const Plan& p, int e, const Part& to) {
  std::vector<const Part*> s;
  const size_t producer = static_cast<size_t>(p.edges[e].producer);
  for (const Part& from : p.layers[producer].parts)
    if (owns_output(p, producer, from) && !overlap(p, e, from, to).empty()) s.push_back(&from);
  return s;
}

// The parts of edge e's consumer that producer part `from` sends to.
std::vector<const Part*> receivers(const Plan& p, int e, const Part& from) {
  std::vector<const Part*> r;
  for (const Part& to : p.layers[p.edges[e].consumer].parts)
    if (reads_edge(p, e, to) && !overlap(p, e, from, to).empty()) r.push_back(&to);
  return r;
}

// The SENDs of producer part `from` on edge e: whole pixels into whole maps on a NoC that
// multicasts, multicast packets (multicast.h); else one packet per consumer part with all
// the rows it reads (its window's rows sit at other offsets, or a column group's channels are
// not whole pixels).
std::vector<Packet> packets(const Plan& p, int e, const Part& from) {
  const std::vector<const Part*> to = receivers(p, e, from);
  const Edge& edge = p.edges[e];
  const Value& v = p.value(edge.value);
  const Channels ch = part_channels(p, static_cast<size_t>(edge.producer), from);
  std::vector<Packet> out;
  if (!p.chip->noc.multicast || ch.lo != 0 || ch.hi != v.c || p.layers[edge.consumer].windowed) {
    for (const Part* c : to) out.push_back({overlap(p, e, from, *c), {c}});
    return out;
  }
  std::vector<Wanted> wanted;
  for (const Part* c : to) wanted.push_back({c, {overlap(p, e, from, *c)}});
  return multicast_packets(wanted);
}

// The packets consumer part `to` receives on edge e: what its WAIT counts.
int64_t packets_to(const Plan& p, int e, const Part& to) {
  int64_t n = 0;
  for (const Part* from : senders(p, e, to))
    for (const Packet& k : packets(p, e, *from)) n += std::count(k.to.begin(), k.to.end(), &to);
  return n;
}

// The other row groups of owner part `owner`'s column group, on its rows.
std::vector<const Part*> contributors(const Plan& p, size_t i, const Part& owner) {
  std::vector<const Part*> c;
  const MatPlan& m = p.layers[i].mat;
  for (const Part& q : p.layers[i].parts)
    if (q.spatial == owner.spatial && !m.groups[q.group].owner() &&
        m.groups[q.group].cg == m.groups[owner.group].cg)
      c.push_back(&q);
  return c;
}

bool adds_partials(const Plan& p, size_t i, const Part& part) {
  return owns_output(p, i, part) && !p.layers[i].mat.groups.empty() &&
         p.layers[i].mat.groups[part.group].row_groups > 1;
}

// Tiles that store network outputs, and those that load the network input.
std::vector<int> sink_tiles(const Plan& p) {
  std::vector<int> t;
  for (size_t i = 0; i < p.layers.size(); ++i)
    if (p.layers[i].output_index >= 0)
      for (const Part& q : p.layers[i].parts)
        if (owns_output(p, i, q)) t.push_back(q.tile);
  return t;
}

void signal_sources(const Plan& p, std::vector<Command>& out) {
  for (const LayerPlan& src : p.layers)
    if (src.seq_sem >= 0)
      for (const Part& q : src.parts) out.push_back(signal(q.tile, src.seq_sem));
}

// The semaphores of `s` as the command for inference i0 + ahead uses them: the rotation
// started `ahead` places on (docs/isa.md altsem, thirdsem).
isa::Command with_sems(isa::Command c, SlotSems s, int ahead = 0) {
  std::array<int, 3> r{s.first, s.second, s.third};
  const int k = s.third >= 0 ? 3 : s.second >= 0 ? 2 : 1;
  std::rotate(r.begin(), r.begin() + ahead % k, r.begin() + k);
  c.sem = r[0];
  c.alt_sem = r[1];
  c.third_sem = r[2];
  return c;
}

// When a consumer part hands its input slots back to the producer parts (or loaders) that
// fill them. kSetup: one credit per slot. kArrived: a double-buffered edge with one semaphore
// hands the other slot back as soon as this inference's map has arrived (the SIGNAL waits for
// the previous inference's compute, the last reader of that slot); handing it back only then
// keeps every sender at most one inference ahead of the others, so a semaphore counting
// several senders (or receivers) never mixes two inferences. kComputed: a single slot, or a
// slot of an edge with a semaphore per slot (which keeps the inferences apart by itself),
// once this inference is computed.
enum class CreditTime { kSetup, kArrived, kComputed };

void give_credits(const Plan& p, const LayerPlan& lp, const Part& part, CreditTime when,
                  std::vector<Command>& out) {
  for (int e : in_edges(lp)) {
    const Edge& edge = p.edges[e];
    if (!reads_edge(p, e, part)) continue;
    const bool arrived = edge.double_buffered() && !edge.slot_sems();
    if ((when == CreditTime::kArrived) != arrived && when != CreditTime::kSetup) continue;
    std::vector<int> tiles;
    if (edge.producer < 0) {  // the input's rows other parts loaded and sent
      for (const HaloRows& h : halo_from(p, e, part)) tiles.push_back(h.part->tile);
    } else {
      for (const Part* from : senders(p, e, part)) tiles.push_back(from->tile);
    }
    const SlotSems s = edge.producer < 0 ? edge.halo_credit_sems() : edge.credit_sems();
    for (int t : tiles) {
      if (when != CreditTime::kSetup) {
        out.push_back(with_sems(signal(t, s.first), s));
      } else {
        for (int sem : {s.first, s.second, s.third})
          if (sem >= 0) out.push_back(signal(t, sem));
      }
    }
  }
}

void credit_contributors(const Plan& p, size_t i, const Part& part, bool setup,
                         std::vector<Command>& out) {
  if (!adds_partials(p, i, part)) return;
  const LayerPlan& lp = p.layers[i];
  for (const Part* c : contributors(p, i, part)) {
    out.push_back(signal(c->tile, lp.partial_credit_sem));
    // At setup, a credit for each slot of a double-buffered pair.
    if (setup && lp.partial_sem_odd >= 0) out.push_back(signal(c->tile, lp.partial_credit_sem));
  }
}

// The initial credits go first: SIGNAL waits for everything issued before it, and the input
// slots are free while the crossbars are still being programmed.
void emit_setup(const Plan& p, size_t i, const Part& part, std::vector<Command>& out) {
  const LayerPlan& lp = p.layers[i];
  give_credits(p, lp, part, CreditTime::kSetup, out);
  credit_contributors(p, i, part, true, out);
  if (lp.output_index >= 0 && owns_output(p, i, part)) signal_sources(p, out);
  if (lp.fused_pool >= 0 && p.layers[lp.fused_pool].output_index >= 0) signal_sources(p, out);
}

// Crossbar and threshold programming: after the first inference's input LOADs, which the DMA
// engine then streams in while the crossbars are written.
void emit_programming(const Plan& p, size_t i, const Part& part, std::vector<Command>& out) {
  const LayerPlan& lp = p.layers[i];
  if (!lp.mat.groups.empty()) {
    const Group& g = lp.mat.groups[part.group];
    for (const Write& w : g.writes) out.push_back(wxb(w.xb, w.row, w.col, w.data));
    if (g.thresholds_data >= 0) out.push_back(wth(0, g.thresholds_data));
  }
}

// Moves rows r of map v, channels ch of each pixel, from the source (whose first row held is
// `src_lo`) to the destination (first row `dst_lo`): one transfer when the part holds whole
// pixels, else one per pixel (a LOOP at depth 1, inside the batch loop), the last one separate
// so that only it raises a semaphore. `make(dst offset, src offset, bytes, pixel stride,
// last)` builds one transfer.
void move_rows(const Value& v, Rows r, Channels ch, int64_t dst_lo, int64_t src_lo,
               std::vector<Command>& out,
               const std::function<Command(int64_t, int64_t, int64_t, int64_t, bool)>& make) {
  const int64_t pix = pixel_bytes(v), row = v.w * pix;
  if (ch.lo == 0 && ch.hi == v.c) {
    out.push_back(make((r.lo - dst_lo) * row, (r.lo - src_lo) * row, (r.hi - r.lo) * row, 0, true));
    return;
  }
  const int64_t off = ch.lo * isa::bits_per_element(v.type) / 8;
  const int64_t bytes = isa::packed_bytes(v.type, ch.hi - ch.lo);
  const int64_t dst = (r.lo - dst_lo) * row + off, src = (r.lo - src_lo) * row + off;
  const int64_t n = (r.hi - r.lo) * v.w;
  if (n > 1) {
    out.push_back(loop(n - 1));
    out.push_back(make(dst, src, bytes, pix, false));
    out.push_back(end_loop());
  }
  out.push_back(make(dst + (n - 1) * pix, src + (n - 1) * pix, bytes, 0, true));
}

// Rows r of edge e's map as contiguous runs: one, or one per channel plane when the map is
// NCHW and r is not all of it. `map` is the run's offset from the map's start in the global
// buffer; where a part holds it is its window's offset(rows.lo, ch).
struct Span {
  int64_t map, ch;
  Rows rows;
  int64_t bytes;
};

std::vector<Span> row_spans(const Plan& p, int e, Rows r) {
  const Value& v = p.value(p.edges[e].value);
  if (planar(p, p.edges[e].value) && (r.lo > 0 || r.hi < v.h)) {
    const int64_t row = plane_bytes(v) / v.h, plane = plane_bytes(v);
    std::vector<Span> spans;
    for (int64_t c = 0; c < v.c; ++c)
      spans.push_back({c * plane + r.lo * row, c, r, (r.hi - r.lo) * row});
    return spans;
  }
  const int64_t row = byte_rows(p, e) ? 1 : map_bytes(v) / v.h;
  return {{r.lo * row, 0, r, (r.hi - r.lo) * row}};
}

// Where `part` holds span s of edge e, from the slot.
int64_t held_at(const Plan& p, int e, const Part& part, const Span& s) {
  return edge_window(p, e, part).offset(s.rows.lo, s.ch);
}

// The network input: `part` LOADs what it reads, or (halo.h) its own rows. `ahead` k: inference
// i0 + k's (a prefetch into its slot, double buffering; `notlast=k`, so nothing past the batch
// is read); `in_loop` false: before the batch loop, inference k.
void load_rows(const Plan& p, int e, const Part& part, int ahead, bool in_loop,
               std::vector<Command>& out) {
  const Edge& edge = p.edges[e];
  const isa::TensorDecl& x = p.program.inputs[0];
  std::vector<Rows> rows{edge_rows(p, e, part)};
  if (!edge.own.empty())
    rows = edge.own[static_cast<size_t>(&part - p.layers[edge.consumer].parts.data())];
  for (const Rows& r : rows)
    for (const Span& s : r.empty() ? std::vector<Span>{} : row_spans(p, e, r))
      out.push_back(load(
          in_loop
              ? slot_addr(edge, held_at(p, e, part, s), {}, ahead)
              : addr(Space::kIbuf, edge.slot + edge.slot_offset(ahead) + held_at(p, e, part, s)),
          addr(Space::kGb, x.gb_addr + s.map + ahead * x.stride, {{in_loop ? 0 : -1, x.stride}}),
          s.bytes, ahead));
}

// Prefetching: the next inference LOADs into the other slot while this one is computed, so
// the global buffer's latency hides behind the compute. The prefetch is `notlast`: the last
// inference has no next one to read.
bool prefetches(const Plan& p, int e) {
  return p.edges[e].producer < 0 && p.edges[e].double_buffered();
}

// A part that passes input rows on to others (halo.h) prefetches two inferences ahead, so that
// inference i0 + 2's rows have arrived when the part passes them on after computing i0 + 1
// (a LOAD of i0 + 1 at the top of iteration i0 waited behind the hand-over of i0 - 1, and its
// readers behind it). With three input slots it may go at the top of iteration i0, into the
// slot of i0 - 1 (prefetches_at_top); else as soon as i0 is computed, before the output
// hand-over (with two slots into i0's own), after the readers' credits, whose wait then
// delays it (bnn_cnn's loaders passed rows on only when that 47-cycle LOAD had landed).
// Inference 1 is LOADed before the batch loop.
bool prefetches_two_ahead(const Plan& p, int e, const Part& part) {
  return prefetches(p, e) && !halo_to(p, e, part).empty();
}

// Whether that LOAD goes at the top of the iteration: with three slots, and when the whole
// input crosses the global buffer's link in less time than the part computes (the LOAD then
// lands before the part's credit SIGNALs, which wait for it). Else it goes after them. Measured
// in docs/compiler-backend.md (Schedule, prefetched).
bool prefetches_at_top(const Plan& p, int e, size_t layer, const Part& part) {
  if (!prefetches_two_ahead(p, e, part) || p.edges[e].slots < 3) return false;
  const Value& in = p.value(p.edges[e].value);
  const double link = double(map_bytes(in)) * 8.0 / double(p.chip->noc.link_width_bits);
  const double h = double(p.value(p.g->layers[layer].output()).h);
  return link <= layer_cost(p, layer) * double(part.oy1 - part.oy0) / h;
}

// The input rows `part` passes on (halo.h) as multicast packets, when the NoC multicasts and
// its readers hold the map whole (the rows at the same offsets in each); else none, and each
// reader gets one SEND per run of its rows.
std::vector<Packet> halo_packets(const Plan& p, int e, const Part& part) {
  if (!p.chip->noc.multicast || p.layers[p.edges[e].consumer].windowed) return {};
  std::vector<Wanted> wanted;
  for (const HaloRows& h : halo_to(p, e, part)) wanted.push_back({h.part, h.rows});
  return multicast_packets(wanted);
}

// Halo exchange (halo.h), the sending side: the rows other parts read of those `part`
// loaded, after a credit from each. `ahead` and `in_loop` as for load_rows: a prefetched input
// is passed on as soon as it is computed (`notlast`), not at the top of the next iteration,
// so its readers need not wait for this part's output hand-over.
void send_rows(const Plan& p, int e, const Part& part, int ahead, bool in_loop,
               std::vector<Command>& out) {
  const Edge& edge = p.edges[e];
  const std::vector<HaloRows> to = halo_to(p, e, part);
  if (to.empty()) return;
  const bool next = in_loop && ahead > 0;
  auto at = [&](const Part& q, const Span& s) {
    const int64_t off = held_at(p, e, q, s);
    return in_loop ? slot_addr(edge, off, {}, ahead) : addr(Space::kIbuf, edge.slot + off);
  };
  const int ahead_now = in_loop ? ahead : 0;
  Command credit =
      with_sems(wait(edge.halo_credit_sem, static_cast<int64_t>(to.size())),
                in_loop ? edge.halo_credit_sems() : SlotSems{edge.halo_credit_sem}, ahead_now);
  credit.not_last = next;
  out.push_back(credit);
  // One SEND per span; the last of a packet (or of a reader's rows) raises the semaphore.
  auto pass = [&](const std::vector<Span>& spans, const Part& q, uint32_t mcast) {
    for (size_t k = 0; k < spans.size(); ++k) {
      const bool last = k + 1 == spans.size();
      Command c = with_sems(send(q.tile, at(q, spans[k]), at(part, spans[k]), spans[k].bytes, -1),
                            !last     ? SlotSems{}
                            : in_loop ? edge.halo_sems()
                                      : SlotSems{edge.halo_sem},
                            ahead_now);
      c.not_last = next;
      c.mcast = mcast;
      out.push_back(c);
    }
  };
  const std::vector<Packet> packets = halo_packets(p, e, part);
  for (const Packet& k : packets) pass(row_spans(p, e, k.rows), *k.to[0], mcast_mask(k));
  if (!packets.empty()) return;
  for (const HaloRows& h : to) {
    std::vector<Span> spans;
    for (const Rows& r : h.rows)
      for (const Span& s : row_spans(p, e, r)) spans.push_back(s);
    pass(spans, *h.part, 0);
  }
}

// The receiving side: wait for this part's share of the rows the others loaded, a token per
// loader, or per multicast packet that reaches it.
void receive_rows(const Plan& p, int e, const Part& part, std::vector<Command>& out) {
  int64_t from = 0;
  for (const HaloRows& h : halo_from(p, e, part)) {
    const std::vector<Packet> packets = halo_packets(p, e, *h.part);
    from +=
        packets.empty() ? 1 : std::count_if(packets.begin(), packets.end(), [&](const Packet& k) {
          return std::count(k.to.begin(), k.to.end(), &part) > 0;
        });
  }
  const Edge& edge = p.edges[e];
  if (from > 0) out.push_back(with_sems(wait(edge.halo_sem, from), edge.halo_sems()));
}

// Byte `offset` of the output map in obuf (a pixel stride on the depth-1 loop), in the slot
// of inference i0.
isa::Addr out_addr(const LayerPlan& lp, int64_t offset, int64_t stride) {
  isa::Addr a = addr(Space::kObuf, lp.out_addr + offset, {{1, stride}});
  a.rot = lp.out_rotation();
  return a;
}

// Columns [x0, x1) of rows r of edge e's map from producer part `from`'s output buffer into
// consumer part c's slot: a SEND per row (a LOOP over all rows but the last), the last one
// raising `sems`. Whole pixels only (Edge::halves).
void send_columns(const Plan& p, int e, const Part& from, const Part& c, Rows r, int64_t x0,
                  int64_t x1, SlotSems sems, std::vector<Command>& out) {
  const Edge& edge = p.edges[e];
  const LayerPlan& lp = p.layers[edge.producer];
  const Value& v = p.value(edge.value);
  const int64_t pix = pixel_bytes(v), row = v.w * pix;
  const MapWindow dst = edge_window(p, e, c);
  const int64_t src_lo = output_window(p, static_cast<size_t>(edge.producer), from).rows.lo;
  auto one = [&](int64_t y, int64_t stride, SlotSems s) {
    return with_sems(send(c.tile, slot_addr(edge, dst.offset(y) + x0 * pix, {{1, stride}}),
                          out_addr(lp, (y - src_lo) * row + x0 * pix, stride), (x1 - x0) * pix, -1),
                     s);
  };
  if (r.hi - r.lo == 2) out.push_back(one(r.lo, 0, SlotSems{}));
  if (r.hi - r.lo > 2) {
    out.push_back(loop(r.hi - r.lo - 1));
    out.push_back(one(r.lo, row, SlotSems{}));
    out.push_back(end_loop());
  }
  out.push_back(one(r.hi - 1, 0, sems));
}

// A part whose output moves in halves (Edge::halves): its first split_col columns, as soon
// as they are computed, after a credit from each reader.
void pass_first_half(const Plan& p, size_t i, const Part& part, std::vector<Command>& out) {
  const LayerPlan& lp = p.layers[i];
  for (int e : lp.out_edges) {
    const Edge& edge = p.edges[e];
    const std::vector<const Part*> to = receivers(p, e, part);
    if (!edge.halves() || to.empty()) continue;
    out.push_back(
        with_sems(wait(edge.credit_sem, static_cast<int64_t>(to.size())), edge.credit_sems()));
    for (const Part* c : to)
      send_columns(p, e, part, *c, overlap(p, e, part, *c), 0, lp.split_col, edge.data_sems(), out);
  }
}

// An owner part: its output (channels of its column group) to every consumer part that reads
// it, and to the global buffer when it is a network output. A map moving in halves: the rest
// of its columns.
void pass_output(const Plan& p, size_t i, const Part& part, std::vector<Command>& out) {
  const LayerPlan& lp = p.layers[i];
  const Value& o = p.value(p.g->layers[i].output());
  const Channels ch = part_channels(p, i, part);
  const int64_t held = output_window(p, i, part).rows.lo;  // the first row in obuf
  for (int e : lp.out_edges) {
    const Edge& edge = p.edges[e];
    const std::vector<const Part*> to = receivers(p, e, part);
    if (to.empty()) continue;
    if (edge.halves()) {
      for (const Part* c : to)
        send_columns(p, e, part, *c, overlap(p, e, part, *c), lp.split_col, o.w, edge.data_sems_b(),
                     out);
      continue;
    }
    out.push_back(
        with_sems(wait(edge.credit_sem, static_cast<int64_t>(to.size())), edge.credit_sems()));
    for (const Packet& k : packets(p, e, part)) {
      const Part& c = *k.to[0];
      const uint32_t mcast = mcast_mask(k);
      move_rows(o, k.rows, ch, edge_window(p, e, c).rows.lo, held, out,
                [&](int64_t dst, int64_t src, int64_t bytes, int64_t stride, bool last) {
                  Command s = with_sems(send(c.tile, slot_addr(edge, dst, {{1, stride}}),
                                             out_addr(lp, src, stride), bytes, -1),
                                        last ? edge.data_sems() : SlotSems{});
                  s.mcast = mcast;
                  return s;
                });
    }
  }
  if (lp.output_index >= 0) {
    const isa::TensorDecl& y = p.program.outputs[lp.output_index];
    move_rows(o, {part.oy0, part.oy1}, ch, 0, held, out,
              [&](int64_t dst, int64_t src, int64_t bytes, int64_t stride, bool) {
                return store(addr(Space::kGb, y.gb_addr + dst, {{0, y.stride}, {1, stride}}),
                             out_addr(lp, src, stride), bytes);
              });
    signal_sources(p, out);
  }
}

// A contributor part: its int32 partial sums, built at obuf[0], to its owner's slot.
void pass_partials(const Plan& p, size_t i, const Part& part, std::vector<Command>& out) {
  const LayerPlan& lp = p.layers[i];
  const Group& g = lp.mat.groups[part.group];
  const Value& o = p.value(p.g->layers[i].output());
  out.push_back(wait(lp.partial_credit_sem));
  isa::Addr dst = addr(Space::kIbuf, lp.partial_slot + (g.rg - 1) * lp.partial_bytes);
  dst.rot = lp.partial_rotation();
  out.push_back(with_sems(send(owner_of(p, i, part).tile, dst, out_addr(lp, 0, 0),
                               (part.oy1 - part.oy0) * o.w * g.channels() * 4, -1),
                          lp.partial_sems()));
}

void emit_inference(const Plan& p, size_t i, const Part& part, std::vector<Command>& out) {
  const LayerPlan& lp = p.layers[i];
  const Layer& l = p.g->layers[i];
  if (lp.seq_sem >= 0) out.push_back(wait(lp.seq_sem, static_cast<int64_t>(sink_tiles(p).size())));
  // The prefetch of the next inference needs only its slot, which the previous inference's
  // compute freed (the scoreboard orders the LOAD after those reads): it goes before the
  // WAITs for this inference's maps, so the global buffer's latency overlaps them too. Not
  // when arrival-time credits follow: their SIGNAL would wait for the whole LOAD.
  std::vector<Command> arrived;
  give_credits(p, lp, part, CreditTime::kArrived, arrived);
  const bool load_first = arrived.empty();
  if (load_first)
    for (int e : in_edges(lp))
      if (reads_edge(p, e, part) && prefetches(p, e) && !prefetches_two_ahead(p, e, part))
        load_rows(p, e, part, 1, true, out);
  for (int e : in_edges(lp)) {
    if (!reads_edge(p, e, part)) continue;
    if (p.edges[e].producer >= 0) {
      const Edge& edge = p.edges[e];
      const int64_t from = packets_to(p, e, part);  // none: its rows are all padding
      if (from > 0) out.push_back(with_sems(wait(edge.data_sem, from), edge.data_sems()));
      continue;
    }
    if (!prefetches(p, e)) {
      load_rows(p, e, part, 0, true, out);
      send_rows(p, e, part, 0, true, out);
    }
    receive_rows(p, e, part, out);
  }
  // Before a prefetch that follows them: SIGNAL waits for everything issued before it.
  out.insert(out.end(), arrived.begin(), arrived.end());
  if (!load_first)
    for (int e : in_edges(lp))
      if (reads_edge(p, e, part) && prefetches(p, e) && !prefetches_two_ahead(p, e, part))
        load_rows(p, e, part, 1, true, out);
  // Inference i0 + 2's input into the slot inference i0 - 1 used, computed and passed on before
  // this iteration (prefetches_at_top): LOADed now, it has landed by the time the rows are
  // passed on, which waits for the readers' credits after this compute.
  for (int e : in_edges(lp))
    if (reads_edge(p, e, part) && prefetches_at_top(p, e, i, part))
      load_rows(p, e, part, 2, true, out);
  if (adds_partials(p, i, part))
    out.push_back(with_sems(wait(lp.partial_sem, lp.mat.groups[part.group].row_groups - 1),
                            lp.partial_sems()));
  auto compute = [&](Columns cols) {
    if (l.kind == Layer::Kind::kMat)
      emit_mat_compute(p, i, part, out, cols);
    else
      emit_pool_compute(p, i, part, out, cols);
  };
  if (lp.split_col > 0) {  // in halves (Edge::halves): the first, its hand-over, the rest
    compute({0, lp.split_col});
    pass_first_half(p, i, part, out);
    const Edge& in = p.edges[lp.in_edge];
    const int64_t from = in.halves() ? packets_to(p, lp.in_edge, part) : 0;
    if (from > 0) out.push_back(with_sems(wait(in.data_sem_b, from), in.data_sems_b()));
    compute({lp.split_col, INT64_MAX});
  } else {
    compute({});
  }
  for (int e : in_edges(lp))
    if (reads_edge(p, e, part) && prefetches(p, e)) send_rows(p, e, part, 1, true, out);
  give_credits(p, lp, part, CreditTime::kComputed, out);
  credit_contributors(p, i, part, false, out);
  // Else into its slot now (two slots: the one this inference used); after the SIGNALs, which
  // would wait for it.
  for (int e : in_edges(lp))
    if (reads_edge(p, e, part) && prefetches_two_ahead(p, e, part) &&
        !prefetches_at_top(p, e, i, part))
      load_rows(p, e, part, 2, true, out);
  if (const Part* pool = fused_pool_part(p, i, part)) {
    // After the credits: the POOLs read the output buffer, not the input slots.
    const size_t q = static_cast<size_t>(lp.fused_pool);
    emit_pool_compute(p, q, *pool, out);
    pass_output(p, q, *pool, out);
  } else if (owns_output(p, i, part)) {
    pass_output(p, i, part, out);
  } else {
    pass_partials(p, i, part, out);
  }
}

}  // namespace

void emit(Plan& p) {
  for (size_t i = 0; i < p.layers.size(); ++i)
    for (const Part& part : p.layers[i].parts) {
      if (p.layers[i].fused_into >= 0) break;  // in its producer's programs
      isa::TileProgram t;
      t.tile = part.tile;
      emit_setup(p, i, part, t.commands);
      for (int e : in_edges(p.layers[i]))
        if (reads_edge(p, e, part) && prefetches(p, e)) {
          load_rows(p, e, part, 0, false, t.commands);
          if (prefetches_two_ahead(p, e, part)) load_rows(p, e, part, 1, false, t.commands);
          send_rows(p, e, part, 0, false, t.commands);
        }
      emit_programming(p, i, part, t.commands);
      t.commands.push_back(loop(isa::kBatch));
      emit_inference(p, i, part, t.commands);
      t.commands.push_back(end_loop());
      t.commands.push_back(halt());
      if (p.chip->tile.mvm_repeat) fuse_mvm_runs(t.commands);
      p.program.tiles.push_back(std::move(t));
    }
}

}  // namespace imc::compiler
