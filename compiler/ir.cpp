#include "compiler/ir.h"

#include <sstream>

namespace imc::compiler {

namespace {

std::string value_text(const Graph& g, int id) {
  if (id < 0) return "-";
  const Value& v = g.values[id];
  std::ostringstream s;
  s << "%" << id << " " << v.name << " " << isa::to_string(v.type) << "[" << v.h << "x" << v.w
    << "x" << v.c << "]";
  return s.str();
}

}  // namespace

std::string dump(const Graph& g) {
  std::ostringstream s;
  s << "input " << value_text(g, g.input) << "\n";
  for (const Layer& l : g.layers) {
    if (l.kind == Layer::Kind::kMat) {
      const MatLayer& m = l.mat;
      s << "mat " << m.name << ": " << value_text(g, m.input) << " -> " << value_text(g, m.output)
        << " kernel " << m.kh << "x" << m.kw << " stride " << m.stride_h << "x" << m.stride_w
        << " pad " << m.pad_top << "," << m.pad_left << "," << m.pad_bottom << "," << m.pad_right;
      if (m.sum_shift) s << " shift " << m.sum_shift;
      if (m.residual >= 0 && m.residual_scales.empty())
        s << " + " << m.residual_scale << " * " << value_text(g, m.residual);
      if (m.residual >= 0 && !m.residual_scales.empty()) {
        s << " + [";
        for (size_t j = 0; j < m.residual_scales.size(); ++j)
          s << (j ? " " : "") << m.residual_scales[j];
        s << "] * " << value_text(g, m.residual);
      }
      s << "\n";
      for (size_t j = 0; j < m.thresholds.size(); ++j) {
        const Threshold& t = m.thresholds[j];
        s << "  ch" << j << ": t0 " << t.t0 << " t1 " << t.t1 << (t.invert ? " invert" : "")
          << "\n";
      }
    } else {
      const PoolLayer& p = l.pool;
      s << "maxpool " << p.name << ": " << value_text(g, p.input) << " -> "
        << value_text(g, p.output) << " window " << p.kh << "x" << p.kw << " stride " << p.stride_h
        << "x" << p.stride_w << " pad " << p.pad_top << "," << p.pad_left << "," << p.pad_bottom
        << "," << p.pad_right << "\n";
    }
  }
  s << "outputs";
  for (int o : g.outputs) s << " " << value_text(g, o);
  s << "\n";
  return s.str();
}

}  // namespace imc::compiler
