// Emit: one command queue per tile. Setup programs the crossbars and thresholds and hands out
// the initial credits; then, once per inference: wait for the input maps, compute, give the
// input slots back, pass the output on (after a credit from each consumer), store network
// outputs. The sequential schedule wraps this in the "previous inference done" token.
#include <algorithm>

#include "compiler/backend/emit_compute.h"
#include "compiler/backend/emit_util.h"
#include "compiler/backend/passes.h"

namespace imc::compiler {

namespace {

using isa::Command;
using isa::Space;

std::vector<int> in_edges(const LayerPlan& lp) {
  std::vector<int> e{lp.in_edge};
  if (lp.residual_edge >= 0) e.push_back(lp.residual_edge);
  return e;
}

// Rows of the map on edge e that producer part `from` computes and consumer part `to` reads.
Rows overlap(const Plan& p, int e, const Part& from, const Part& to) {
  const Rows need = edge_rows(p, e, to);
  return {std::max(need.lo, from.oy0), std::min(need.hi, from.oy1)};
}

// The parts of edge e's producer that send to consumer part `to` (and get its credits).
std::vector<const Part*> senders(const Plan& p, int e, const Part& to) {
  std::vector<const Part*> s;
  for (const Part& from : p.layers[p.edges[e].producer].parts)
    if (!overlap(p, e, from, to).empty()) s.push_back(&from);
  return s;
}

// The parts of edge e's consumer that producer part `from` sends to.
std::vector<const Part*> receivers(const Plan& p, int e, const Part& from) {
  std::vector<const Part*> r;
  for (const Part& to : p.layers[p.edges[e].consumer].parts)
    if (!overlap(p, e, from, to).empty()) r.push_back(&to);
  return r;
}

// Tiles that store network outputs, and those that load the network input.
std::vector<int> sink_tiles(const Plan& p) {
  std::vector<int> t;
  for (const LayerPlan& lp : p.layers)
    if (lp.output_index >= 0)
      for (const Part& q : lp.parts) t.push_back(q.tile);
  return t;
}

void signal_sources(const Plan& p, std::vector<Command>& out) {
  for (const LayerPlan& src : p.layers)
    if (src.seq_sem >= 0)
      for (const Part& q : src.parts) out.push_back(signal(q.tile, src.seq_sem));
}

// Credits for consumer part `part`'s input slots, to every producer part that fills them.
void give_credits(const Plan& p, const LayerPlan& lp, const Part& part, std::vector<Command>& out) {
  for (int e : in_edges(lp)) {
    const Edge& edge = p.edges[e];
    if (edge.producer < 0) continue;
    for (const Part* from : senders(p, e, part)) out.push_back(signal(from->tile, edge.credit_sem));
  }
}

void emit_setup(const Plan& p, size_t i, const Part& part, std::vector<Command>& out) {
  const LayerPlan& lp = p.layers[i];
  for (const Region& r : lp.mat.regions) out.push_back(wxb(r.xb, r.row, r.col, r.data));
  if (lp.mat.thresholds_data >= 0) out.push_back(wth(0, lp.mat.thresholds_data));
  give_credits(p, lp, part, out);
  if (lp.output_index >= 0) signal_sources(p, out);
}

void emit_inference(const Plan& p, size_t i, const Part& part, std::vector<Command>& out) {
  const LayerPlan& lp = p.layers[i];
  const Layer& l = p.g->layers[i];
  if (lp.seq_sem >= 0) out.push_back(wait(lp.seq_sem, static_cast<int64_t>(sink_tiles(p).size())));
  for (int e : in_edges(lp)) {
    const Edge& edge = p.edges[e];
    if (edge.producer >= 0) {
      out.push_back(wait(edge.data_sem, static_cast<int64_t>(senders(p, e, part).size())));
    } else {
      const isa::TensorDecl& x = p.program.inputs[0];
      const Value& v = p.value(edge.value);
      const Rows r = edge_rows(p, e, part);
      if (planar(p, edge.value) && (r.lo > 0 || r.hi < v.h)) {
        // NCHW planes: the rows of each channel's plane (one LOAD per channel).
        const int64_t row = plane_bytes(v) / v.h, plane = plane_bytes(v);
        for (int64_t c = 0; c < v.c; ++c)
          out.push_back(load(addr(Space::kIbuf, edge.slot + c * plane + r.lo * row),
                             addr(Space::kGb, x.gb_addr + c * plane + r.lo * row, {{0, x.stride}}),
                             (r.hi - r.lo) * row));
      } else {
        const int64_t row = map_bytes(v) / v.h;
        out.push_back(load(addr(Space::kIbuf, edge.slot + r.lo * row),
                           addr(Space::kGb, x.gb_addr + r.lo * row, {{0, x.stride}}),
                           (r.hi - r.lo) * row));
      }
    }
  }
  if (l.kind == Layer::Kind::kMat)
    emit_mat_compute(p, i, part, out);
  else
    emit_pool_compute(p, i, part, out);
  give_credits(p, lp, part, out);
  const Value& o = p.value(l.output());
  const int64_t row = o.w * pixel_bytes(o);
  for (int e : lp.out_edges) {
    const Edge& edge = p.edges[e];
    const std::vector<const Part*> to = receivers(p, e, part);
    if (to.empty()) continue;
    out.push_back(wait(edge.credit_sem, static_cast<int64_t>(to.size())));
    for (const Part* c : to) {
      const Rows r = overlap(p, e, part, *c);
      out.push_back(send(c->tile, addr(Space::kIbuf, edge.slot + r.lo * row),
                         addr(Space::kObuf, lp.out_addr + r.lo * row), (r.hi - r.lo) * row,
                         edge.data_sem));
    }
  }
  if (lp.output_index >= 0) {
    const isa::TensorDecl& y = p.program.outputs[lp.output_index];
    const int64_t lo = part.oy0 * row;
    out.push_back(store(addr(Space::kGb, y.gb_addr + lo, {{0, y.stride}}),
                        addr(Space::kObuf, lp.out_addr + lo), (part.oy1 - part.oy0) * row));
    signal_sources(p, out);
  }
}

}  // namespace

void emit(Plan& p) {
  for (size_t i = 0; i < p.layers.size(); ++i)
    for (const Part& part : p.layers[i].parts) {
      isa::TileProgram t;
      t.tile = part.tile;
      emit_setup(p, i, part, t.commands);
      t.commands.push_back(loop(isa::kBatch));
      emit_inference(p, i, part, t.commands);
      t.commands.push_back(end_loop());
      t.commands.push_back(halt());
      p.program.tiles.push_back(std::move(t));
    }
}

}  // namespace imc::compiler
