// Emit: one command queue per tile. Setup programs the crossbars and thresholds and hands out
// the initial credits; then, once per inference: wait for the input maps, compute, give the
// input slots back, pass the output on (after a credit from each consumer), store network
// outputs. The sequential schedule wraps this in the "previous inference done" token.
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

// Tiles that store network outputs, and the layers whose tiles load the network input.
std::vector<int> sink_tiles(const Plan& p) {
  std::vector<int> t;
  for (const LayerPlan& lp : p.layers)
    if (lp.output_index >= 0) t.push_back(lp.tile);
  return t;
}

void emit_setup(const Plan& p, size_t i, std::vector<Command>& out) {
  const LayerPlan& lp = p.layers[i];
  for (const Region& r : lp.mat.regions) out.push_back(wxb(r.xb, r.row, r.col, r.data));
  if (lp.mat.thresholds_data >= 0) out.push_back(wth(0, lp.mat.thresholds_data));
  for (int e : in_edges(lp)) {
    const Edge& edge = p.edges[e];
    if (edge.producer >= 0) out.push_back(signal(p.layers[edge.producer].tile, edge.credit_sem));
  }
  if (lp.output_index >= 0)
    for (const LayerPlan& src : p.layers)
      if (src.seq_sem >= 0) out.push_back(signal(src.tile, src.seq_sem));
}

void emit_inference(const Plan& p, size_t i, std::vector<Command>& out) {
  const LayerPlan& lp = p.layers[i];
  const Layer& l = p.g->layers[i];
  if (lp.seq_sem >= 0) out.push_back(wait(lp.seq_sem, static_cast<int64_t>(sink_tiles(p).size())));
  for (int e : in_edges(lp)) {
    const Edge& edge = p.edges[e];
    if (edge.producer >= 0) {
      out.push_back(wait(edge.data_sem));
    } else {
      const isa::TensorDecl& x = p.program.inputs[0];
      out.push_back(load(addr(Space::kIbuf, edge.slot),
                         addr(Space::kGb, x.gb_addr, {{0, x.stride}}),
                         map_bytes(p.value(edge.value))));
    }
  }
  if (l.kind == Layer::Kind::kMat)
    emit_mat_compute(p, i, out);
  else
    emit_pool_compute(p, i, out);
  for (int e : in_edges(lp)) {
    const Edge& edge = p.edges[e];
    if (edge.producer >= 0) out.push_back(signal(p.layers[edge.producer].tile, edge.credit_sem));
  }
  const int64_t bytes = map_bytes(p.value(l.output()));
  for (int e : lp.out_edges) {
    const Edge& edge = p.edges[e];
    out.push_back(wait(edge.credit_sem));
    out.push_back(send(p.layers[edge.consumer].tile, addr(Space::kIbuf, edge.slot),
                       addr(Space::kObuf, lp.out_addr), bytes, edge.data_sem));
  }
  if (lp.output_index >= 0) {
    const isa::TensorDecl& y = p.program.outputs[lp.output_index];
    out.push_back(store(addr(Space::kGb, y.gb_addr, {{0, y.stride}}),
                        addr(Space::kObuf, lp.out_addr), bytes));
    for (const LayerPlan& src : p.layers)
      if (src.seq_sem >= 0) out.push_back(signal(src.tile, src.seq_sem));
  }
}

}  // namespace

void emit(Plan& p) {
  for (size_t i = 0; i < p.layers.size(); ++i) {
    isa::TileProgram t;
    t.tile = p.layers[i].tile;
    emit_setup(p, i, t.commands);
    t.commands.push_back(loop(isa::kBatch));
    emit_inference(p, i, t.commands);
    t.commands.push_back(end_loop());
    t.commands.push_back(halt());
    p.program.tiles.push_back(std::move(t));
  }
}

}  // namespace imc::compiler
