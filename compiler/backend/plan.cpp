#include "compiler/backend/plan.h"

#include <algorithm>
#include <sstream>

#include "hw/isa/assembler.h"

namespace imc::compiler {

int pool_rows_per_run(const PoolLayer& m) {
  return m.kh * m.kw <= isa::kMaxSegments ? m.kh : isa::kMaxSegments / m.kw;
}

int pool_row_runs(const PoolLayer& m) {
  const int rows = pool_rows_per_run(m);
  return (m.kh + rows - 1) / rows;
}

int64_t pixel_bytes(const Value& v) {
  return isa::packed_bytes(v.type, v.c);
}

int64_t map_bytes(const Value& v) {
  return v.h * v.w * pixel_bytes(v);
}

std::string map_text(const Value& v) {
  std::ostringstream s;
  s << v.h << "x" << v.w << "x" << v.c << " " << isa::to_string(v.type);
  return s.str();
}

bool gb_layout_matches(const Value& v) {
  if (v.h * v.w == 1) return true;
  return v.c == 1 && isa::bits_per_element(v.type) >= 8;
}

bool planar(const Plan& p, int value) {
  const Value& v = p.value(value);
  return value == p.g->input && !gb_layout_matches(v) && isa::bits_per_element(v.type) >= 8;
}

int64_t plane_bytes(const Value& v) {
  return v.h * v.w * isa::bits_per_element(v.type) / 8;
}

const MatLayer& mat_of(const Plan& p, size_t layer) {
  const LayerPlan& lp = p.layers[layer];
  return lp.positions > 1 ? lp.view : p.g->layers[layer].mat;
}

const Value& computed_map(const Plan& p, size_t layer) {
  const LayerPlan& lp = p.layers[layer];
  return lp.positions > 1 ? lp.view_out : p.value(p.g->layers[layer].output());
}

Rows input_rows(const Plan& p, size_t layer, int64_t oy0, int64_t oy1) {
  const Layer& l = p.g->layers[layer];
  const int kh = l.kind == Layer::Kind::kMat ? l.mat.kh : l.pool.kh;
  const int sh = l.kind == Layer::Kind::kMat ? l.mat.stride_h : l.pool.stride_h;
  const int pad = l.kind == Layer::Kind::kMat ? l.mat.pad_top : l.pool.pad_top;
  const int64_t h = p.value(l.input()).h;
  return {std::max<int64_t>(0, oy0 * sh - pad), std::min<int64_t>(h, (oy1 - 1) * sh - pad + kh)};
}

Rows kernel_rows(const Plan& p, size_t layer, const Part& part) {
  const Layer& l = p.g->layers[layer];
  if (l.kind != Layer::Kind::kMat) return {0, l.pool.kh};
  const MatPlan& m = p.layers[layer].mat;
  if (m.groups.empty()) return {0, l.mat.kh};
  const Group& g = m.groups[part.group];
  Rows k{l.mat.kh, 0};
  for (size_t r = g.r0; r < g.r1; ++r) {
    k.lo = std::min<int64_t>(k.lo, m.row_blocks[r].ky0);
    k.hi = std::max<int64_t>(k.hi, m.row_blocks[r].ky0 + m.row_blocks[r].nky);
  }
  return k;
}

bool sliced_vector_input(const Plan& p, size_t i) {
  const Layer& l = p.g->layers[i];
  if (l.kind != Layer::Kind::kMat || l.mat.input != p.g->input) return false;
  const Value& v = p.value(l.mat.input);
  return v.h == 1 && v.w == 1 && l.mat.kh == 1 && l.mat.kw == 1;
}

bool byte_rows(const Plan& p, int edge) {
  const Edge& e = p.edges[edge];
  return e.producer < 0 && edge != p.layers[e.consumer].residual_edge &&
         sliced_vector_input(p, static_cast<size_t>(e.consumer));
}

Rows group_bytes(const MatPlan& m, const Group& g, const Value& v) {
  int64_t lo = v.c, hi = 0;  // channels under its row blocks (kernel 1x1: rows = channels)
  for (size_t r = g.r0; r < g.r1; ++r) {
    lo = std::min<int64_t>(lo, m.row_blocks[r].c0);
    hi = std::max<int64_t>(hi, m.row_blocks[r].c0 + m.row_blocks[r].nc);
  }
  const int bits = isa::bits_per_element(v.type);
  return {lo * bits / 8, (hi * bits + 7) / 8};
}

Rows edge_rows(const Plan& p, int edge, const Part& c) {
  const Edge& e = p.edges[edge];
  const size_t layer = static_cast<size_t>(e.consumer);
  if (byte_rows(p, edge)) {
    const Value& v = p.value(e.value);
    const MatPlan& m = p.layers[layer].mat;
    if (m.groups.empty()) return {0, map_bytes(v)};
    return group_bytes(m, m.groups[c.group], v);
  }
  if (edge == p.layers[layer].residual_edge) return {c.oy0, c.oy1};
  const Rows all = input_rows(p, layer, c.oy0, c.oy1);
  const Layer& l = p.g->layers[layer];
  if (l.kind != Layer::Kind::kMat) return all;
  // A row group reads only the rows under its kernel rows.
  const Rows k = kernel_rows(p, layer, c);
  const int64_t top = c.oy0 * l.mat.stride_h - l.mat.pad_top;
  const int64_t bottom = (c.oy1 - 1) * l.mat.stride_h - l.mat.pad_top;
  return {std::max(all.lo, top + k.lo), std::min(all.hi, bottom + k.hi)};
}

Rows part_rows(int64_t h, int k, int n) {
  return {h * k / n, h * (k + 1) / n};
}

namespace {

MapWindow window_of(const Value& v, bool planar_map, bool windowed, Rows rows) {
  MapWindow w;
  w.rows = windowed ? rows : Rows{0, v.h};
  w.planes = planar_map ? v.c : 1;
  w.row = planar_map ? plane_bytes(v) / v.h : map_bytes(v) / v.h;
  w.plane = std::max<int64_t>(0, w.rows.hi - w.rows.lo) * w.row;
  return w;
}

}  // namespace

MapWindow edge_window(const Plan& p, int edge, const Part& c) {
  const Edge& e = p.edges[edge];
  if (byte_rows(p, edge)) {  // the bytes under the part's row blocks, one byte per row
    MapWindow w;
    w.rows = edge_rows(p, edge, c);
    w.row = 1;
    w.plane = w.rows.hi - w.rows.lo;
    return w;
  }
  return window_of(p.value(e.value), planar(p, e.value), p.layers[e.consumer].windowed,
                   edge_rows(p, edge, c));
}

MapWindow output_window(const Plan& p, size_t layer, const Part& part) {
  return window_of(p.value(p.g->layers[layer].output()), false, p.layers[layer].windowed,
                   {part.oy0, part.oy1});
}

int MatPlan::max_row_groups() const {
  int n = 1;
  for (const Group& g : groups) n = std::max(n, g.row_groups);
  return n;
}

bool owns_output(const Plan& p, size_t layer, const Part& part) {
  const MatPlan& m = p.layers[layer].mat;
  return m.groups.empty() || m.groups[part.group].owner();
}

bool reads_edge(const Plan& p, int edge, const Part& to) {
  const Edge& e = p.edges[edge];
  return edge != p.layers[e.consumer].residual_edge ||
         owns_output(p, static_cast<size_t>(e.consumer), to);
}

Channels part_channels(const Plan& p, size_t layer, const Part& part) {
  const MatPlan& m = p.layers[layer].mat;
  // A shifted-kernel view has one group, whose channels are P pixels' worth of all of them.
  if (m.groups.empty() || p.layers[layer].positions > 1)
    return {0, p.value(p.g->layers[layer].output()).c};
  return {m.groups[part.group].ch0, m.groups[part.group].ch1};
}

const Part& owner_of(const Plan& p, size_t layer, const Part& part) {
  const LayerPlan& lp = p.layers[layer];
  const int cg = lp.mat.groups[part.group].cg;
  for (const Part& q : lp.parts)
    if (q.spatial == part.spatial && lp.mat.groups[q.group].owner() &&
        lp.mat.groups[q.group].cg == cg)
      return q;
  throw BackendError("layer '" + p.g->layers[layer].name() + "': a row group has no owner");
}

int producer_of(const Graph& g, int value) {
  for (size_t i = 0; i < g.layers.size(); ++i)
    if (g.layers[i].output() == value) return static_cast<int>(i);
  return -1;
}

size_t host_layer(const Plan& p, size_t layer) {
  const int into = p.layers[layer].fused_into;
  return into >= 0 ? static_cast<size_t>(into) : layer;
}

const Part& producer_part(const Plan& p, size_t layer, const Part& part) {
  const LayerPlan& lp = p.layers[layer];
  return p.layers[host_layer(p, layer)].parts[static_cast<size_t>(&part - lp.parts.data())];
}

namespace {

std::string edge_text(const Plan& p, const Edge& e) {
  std::ostringstream s;
  s << p.value(e.value).name << " ("
    << (e.producer < 0 ? std::string("gb") : p.g->layers[e.producer].name()) << " -> "
    << p.g->layers[e.consumer].name() << ") ibuf[" << e.slot << "]";
  if (e.slots == 3)
    s << ", ibuf[" << e.alt << "] and ibuf[" << 2 * e.alt - e.slot << "]";
  else if (e.double_buffered())
    s << " and ibuf[" << e.alt << "]";
  if (e.data_sem >= 0) s << " data_sem " << e.data_sem;
  if (e.credit_sem >= 0) s << " credit_sem " << e.credit_sem;
  if (e.data_sem_third >= 0)
    s << " (inferences 1, 4, ...: " << e.data_sem_odd << ", " << e.credit_sem_odd
      << "; 2, 5, ...: " << e.data_sem_third << ", " << e.credit_sem_third << ")";
  else if (e.data_sem_odd >= 0)
    s << " (odd inferences: " << e.data_sem_odd << ", " << e.credit_sem_odd << ")";
  if (e.halves()) {
    s << ", in halves: the second on data_sem " << e.data_sem_b << ", " << e.data_sem_b_odd;
    if (e.data_sem_b_third >= 0) s << ", " << e.data_sem_b_third;
  }
  return s.str();
}

void dump_mat(std::ostringstream& s, const MatPlan& m) {
  const size_t nc = m.col_blocks.size();
  for (size_t r = 0; r < m.row_blocks.size(); ++r) {
    const RowBlock& rb = m.row_blocks[r];
    for (size_t c = 0; c < nc; ++c) {
      const ColBlock& cb = m.col_blocks[c];
      s << "  block r" << r << " c" << c << ": kernel rows " << rb.ky0 << "+" << rb.nky << " cols "
        << rb.kx0 << "+" << rb.nkx << " channels " << rb.c0 << "+" << rb.nc << " (" << rb.rows()
        << " rows) x out " << cb.c0 << "+" << cb.n;
      for (size_t k = 0; k < m.groups.size(); ++k) {
        const Group& g = m.groups[k];
        if (r < g.r0 || r >= g.r1 || c < g.c0 || c >= g.c1 || g.regions.empty()) continue;
        if (m.groups.size() > 1) s << " group " << k;
        for (int u = 0; u < g.replicas; ++u) {
          const Region& x = g.region(u, r, c);
          s << (u ? "," : " ->") << " xb " << x.xb << " row " << x.row << " col " << x.col;
        }
      }
      s << "\n";
    }
  }
  if (m.groups.size() < 2) return;
  for (size_t k = 0; k < m.groups.size(); ++k) {
    const Group& g = m.groups[k];
    s << "  group " << k << ": column group " << g.cg << " (out " << g.ch0 << ".." << g.ch1 - 1
      << "), row group " << g.rg << " of " << g.row_groups << ", row blocks " << g.r0 << ".."
      << g.r1 - 1 << (g.owner() ? " (owner)" : " (partial sums to the owner)") << "\n";
  }
}

}  // namespace

std::string dump_plan(const Plan& p) {
  std::ostringstream s;
  for (size_t i = 0; i < p.layers.size(); ++i) {
    const Layer& l = p.g->layers[i];
    const LayerPlan& lp = p.layers[i];
    s << (l.kind == Layer::Kind::kMat ? "mat " : "maxpool ") << l.name() << ": "
      << map_text(p.value(l.input())) << " -> " << map_text(p.value(l.output()));
    if (lp.parts.size() > 1) {
      s << " on tiles";
      for (const Part& q : lp.parts) {
        s << " " << q.tile << " (rows " << q.oy0 << ".." << q.oy1 - 1;
        if (lp.mat.groups.size() > 1) s << ", group " << q.group;
        s << ")";
      }
    } else if (lp.tile >= 0) {
      s << " on tile " << lp.tile;
    }
    s << "\n";
    if (lp.positions > 1)
      s << "  " << lp.positions << " output positions per MVM (shifted kernel copies): computed as "
        << map_text(lp.view_out) << ", kernel " << lp.view.kh << "x" << lp.view.kw << " stride "
        << lp.view.stride_h << "x" << lp.view.stride_w << "\n";
    if (lp.windowed && !lp.parts.empty()) {
      // One row range per spatial part (its groups hold the same rows).
      std::ostringstream in, out;
      for (const Part& q : lp.parts) {
        if (q.group != 0) continue;
        const Rows r = input_rows(p, i, q.oy0, q.oy1);
        in << " " << r.lo << ".." << r.hi - 1;
        out << " " << q.oy0 << ".." << q.oy1 - 1;
      }
      s << "  windows: input rows" << in.str() << "; output rows" << out.str() << "\n";
    }
    if (lp.split_col > 0) s << "  output columns 0.." << lp.split_col - 1 << " computed first\n";
    if (lp.fused_into >= 0)
      s << "  fused: on the tiles of " << p.g->layers[lp.fused_into].name()
        << ", reading its output in their output buffers\n";
    dump_mat(s, lp.mat);
    if (lp.in_edge >= 0) s << "  in " << edge_text(p, p.edges[lp.in_edge]) << "\n";
    if (lp.residual_edge >= 0)
      s << "  residual " << edge_text(p, p.edges[lp.residual_edge]) << "\n";
    if (lp.in_edge >= 0 || (lp.fused_into >= 0 && p.layers[lp.fused_into].in_edge >= 0)) {
      s << "  out obuf[" << lp.out_addr << "]";
      if (lp.out_alt != lp.out_addr) s << " and obuf[" << lp.out_alt << "]";
      s << "\n";
    }
    if (lp.output_index >= 0) s << "  stored as network output " << lp.output_index << "\n";
    if (lp.seq_sem >= 0) s << "  sequence sem " << lp.seq_sem << "\n";
    if (lp.partial_bytes > 0) {
      s << "  partial sums ibuf[" << lp.partial_slot << "]";
      if (lp.partial_alt != lp.partial_slot) s << " and ibuf[" << lp.partial_alt << "]";
      s << " " << lp.partial_bytes << " B per row group, sem " << lp.partial_sem;
      if (lp.partial_sem_odd >= 0) s << " and " << lp.partial_sem_odd;
      s << ", credit sem " << lp.partial_credit_sem << "\n";
    }
  }
  if (!p.program.tiles.empty()) s << isa::disassemble(p.program);
  return s.str();
}

}  // namespace imc::compiler
