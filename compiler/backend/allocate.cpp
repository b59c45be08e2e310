// Allocate: the maps each tile holds and the network tensors in the global buffer.
// A tile keeps each incoming map (input, residual) in its input buffer and its output map in
// its output buffer: whole, or (LayerPlan::windowed) only the rows its part reads or writes,
// in slots as large as the largest part's window (all parts of a layer share the addresses).
// Global buffer: inputs from address 0 (inference n at n * its size); outputs from the middle,
// all outputs of one inference side by side (inference n at n * their total size).
#include <algorithm>
#include <cctype>
#include <string>

#include "compiler/backend/passes.h"

namespace imc::compiler {

namespace {

[[noreturn]] void too_big(const std::string& layer, const char* what, const Value& v, int64_t bytes,
                          const char* buffer, int64_t capacity) {
  throw BackendError("layer '" + layer + "': " + what + " map " + map_text(v) + " needs " +
                     std::to_string(bytes) + " B, tile " + buffer + " holds " +
                     std::to_string(capacity) + " B");
}

std::vector<int64_t> tensor_shape(const std::vector<int64_t>& onnx, const Value& v) {
  if (onnx.size() >= 2) return std::vector<int64_t>(onnx.begin() + 1, onnx.end());
  return {v.elements()};
}

int64_t shape_elements(const std::vector<int64_t>& s) {
  int64_t n = 1;
  for (int64_t d : s) n *= d;
  return n;
}

// Bytes of edge e's slot: the largest window among the consumer parts that read it.
int64_t slot_bytes(const Plan& p, int e) {
  int64_t bytes = 0;
  for (const Part& q : p.layers[p.edges[e].consumer].parts)
    if (reads_edge(p, e, q)) bytes = std::max(bytes, edge_window(p, e, q).bytes());
  return bytes;
}

// A new edge into `consumer`'s input buffer at `slot` (its size: slot_bytes, once the layer
// knows which of its edges is the residual).
int add_edge(Plan& p, int value, int consumer, int64_t slot) {
  Edge e;
  e.value = value;
  e.producer = value == p.g->input ? -1 : producer_of(*p.g, value);
  e.consumer = consumer;
  e.slot = e.alt = slot;
  p.edges.push_back(e);
  const int id = static_cast<int>(p.edges.size()) - 1;
  if (e.producer >= 0) p.layers[e.producer].out_edges.push_back(id);
  return id;
}

// Split matrices: one slot per contributor of a column group after the input maps, each
// holding a part's int32 partial sums; contributors build them at obuf[0].
void allocate_partials(Plan& p, size_t i, int64_t slot, int64_t ibuf, int64_t obuf) {
  LayerPlan& lp = p.layers[i];
  const Value& out = p.value(p.g->layers[i].output());
  int64_t channels = 0;
  for (const Group& g : lp.mat.groups)
    if (g.row_groups > 1) channels = std::max(channels, g.channels());
  if (channels == 0) return;
  int64_t rows = 0;
  for (const Part& q : lp.parts) rows = std::max(rows, q.oy1 - q.oy0);
  lp.partial_slot = lp.partial_alt = slot;
  lp.partial_bytes = rows * out.w * channels * 4;
  const int64_t end = slot + (lp.mat.max_row_groups() - 1) * lp.partial_bytes;
  if (end > ibuf || lp.partial_bytes > obuf)
    throw BackendError("layer '" + p.g->layers[i].name() + "': partial sums of " +
                       std::to_string(rows) + " output rows need " +
                       std::to_string(lp.partial_bytes) + " B per row group, beyond the " +
                       std::to_string(ibuf) + " B input buffer after the input maps");
}

// Double buffering: a second slot for each input map after everything else, while the input
// buffer has room (the input map first, it is the one every part reads).
void allocate_alt_slots(Plan& p, size_t i, int64_t ibuf) {
  LayerPlan& lp = p.layers[i];
  int64_t end =
      lp.partial_bytes > 0 ? lp.partial_slot + (lp.mat.max_row_groups() - 1) * lp.partial_bytes : 0;
  for (int e : {lp.in_edge, lp.residual_edge})
    if (e >= 0) end = std::max(end, p.edges[e].slot + slot_bytes(p, e));
  for (int e : {lp.in_edge, lp.residual_edge}) {
    if (e < 0) continue;
    const int64_t bytes = slot_bytes(p, e);
    if (end + bytes > ibuf) break;
    p.edges[e].alt = end;
    p.edges[e].slots = 2;
    end += bytes;
  }
  // Then a second set of partial-sum slots, when they still fit.
  const int64_t partials = (lp.mat.max_row_groups() - 1) * lp.partial_bytes;
  if (partials > 0 && end + partials <= ibuf) {
    lp.partial_alt = end;
    end += partials;
  }
  // Then a third slot for each, evenly spaced after the other two (the network input first).
  // One between layers keeps it only if schedule() finds the semaphores for it.
  for (int e : {lp.in_edge, lp.residual_edge}) {
    if (e < 0 || !p.edges[e].double_buffered()) continue;
    Edge& edge = p.edges[e];
    const int64_t third = 2 * edge.alt - edge.slot;
    if (third < end || third + slot_bytes(p, e) > ibuf) continue;
    edge.slots = 3;
    end = third + slot_bytes(p, e);
  }
}

int64_t output_bytes(const Plan& p, size_t i) {
  int64_t bytes = 0;
  for (const Part& q : p.layers[i].parts) bytes = std::max(bytes, output_window(p, i, q).bytes());
  return bytes;
}

// A pool fused into its producer (place): no input of its own; its output after the
// producer's output slots in the same output buffer, two slots while they fit.
void allocate_fused_pool(Plan& p, size_t i) {
  const int64_t obuf = p.chip->tile.output_buffer.capacity_bits / 8;
  LayerPlan& lp = p.layers[i];
  LayerPlan& producer = p.layers[lp.fused_into];
  const int64_t producer_slot = (output_bytes(p, lp.fused_into) + 3) / 4 * 4;
  const int64_t bytes = output_bytes(p, i), slot = (bytes + 3) / 4 * 4;
  // The producer's second output slot goes if both leave the pool no room (place checked
  // that one of each fits).
  if (producer.out_alt + producer_slot + slot > obuf) producer.out_alt = producer.out_addr;
  lp.out_addr = lp.out_alt = std::max(producer.out_addr, producer.out_alt) + producer_slot;
  if (lp.out_addr + bytes > obuf)
    too_big(p.g->layers[i].name(), "output (after its producer's)",
            p.value(p.g->layers[i].output()), lp.out_addr + bytes, "output buffer", obuf);
  if (lp.out_addr + 2 * slot <= obuf) lp.out_alt = lp.out_addr + slot;
}

void allocate_tile(Plan& p, size_t i) {
  const arch::TileParams& t = p.chip->tile;
  const int64_t ibuf = t.input_buffer.capacity_bits / 8, obuf = t.output_buffer.capacity_bits / 8;
  const Layer& l = p.g->layers[i];
  LayerPlan& lp = p.layers[i];
  if (lp.fused_into >= 0) return allocate_fused_pool(p, i);
  // partition() chose the row ranges so that these fit (fit.h); checked again here.
  int64_t slot = 0;
  lp.in_edge = add_edge(p, l.input(), static_cast<int>(i), slot);
  slot += slot_bytes(p, lp.in_edge);
  if (slot > ibuf) too_big(l.name(), "input", p.value(l.input()), slot, "input buffer", ibuf);
  if (l.kind == Layer::Kind::kMat && l.mat.residual >= 0) {
    const int64_t input = slot;
    lp.residual_edge = add_edge(p, l.mat.residual, static_cast<int>(i), slot);
    slot += slot_bytes(p, lp.residual_edge);
    if (slot > ibuf)
      too_big(l.name(), "residual", p.value(l.mat.residual), slot - input,
              "input buffer (after the input)", ibuf - input);
  }
  const Value& out = p.value(l.output());
  lp.out_addr = 0;
  const int64_t out_bytes = output_bytes(p, i);
  if (out_bytes > obuf) too_big(l.name(), "output", out, out_bytes, "output buffer", obuf);
  if (l.kind == Layer::Kind::kMat) allocate_partials(p, i, slot, ibuf, obuf);
  lp.out_alt = lp.out_addr;
  if (p.schedule == Schedule::kPipelined) {
    allocate_alt_slots(p, i, ibuf);
    // A second output slot (4-byte aligned, as i32 maps are) while the output buffer has
    // room: the slot holds the output map or a contributor's partial sums.
    const int64_t slot_bytes = (std::max(out_bytes, lp.partial_bytes) + 3) / 4 * 4;
    if (2 * slot_bytes <= obuf) lp.out_alt = lp.out_addr + slot_bytes;
  }
  if (l.kind == Layer::Kind::kPool && pool_row_runs(l.pool) > 1) {
    // After the output slots; the second one goes if both do not leave room.
    const int64_t slot_bytes = (out_bytes + 3) / 4 * 4;
    const int64_t need = pool_row_runs(l.pool) * pixel_bytes(out);
    if (lp.out_alt + slot_bytes + need > obuf) lp.out_alt = lp.out_addr;
    lp.pool_scratch = lp.out_alt + slot_bytes;
    if (lp.pool_scratch + need > obuf)
      too_big(l.name(), "output (and the maxima of the window's runs of rows)", out,
              lp.pool_scratch + need, "output buffer", obuf);
  }
}

// The program's name for an ONNX tensor: tensor names in a .cmd are [A-Za-z_][A-Za-z0-9_.-]*
// (docs/isa.md), PyTorch's are "input.1", "21" or "onnx::Conv_0": other characters become
// '_', a name not starting with a letter gets "t_" before it, and a suffix keeps them apart.
std::string tensor_name(const std::string& onnx_name, const isa::Program& prog) {
  std::string s;
  for (char c : onnx_name)
    s += std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-' ? c : '_';
  if (s.empty() || !(std::isalpha(static_cast<unsigned char>(s[0])) || s[0] == '_')) s = "t_" + s;
  const auto taken = [&](const std::string& n) {
    for (const auto* list : {&prog.inputs, &prog.outputs})
      for (const isa::TensorDecl& t : *list)
        if (t.name == n) return true;
    return false;
  };
  std::string name = s;
  for (int k = 2; taken(name); ++k) name = s + "_" + std::to_string(k);
  return name;
}

// A map whose NCHW form is not the tiles' layout (plan.h gb_layout_matches) sits in the global
// buffer as the tiles hold it; imcsim converts it from and to the NCHW .npy.
void set_pixel_layout(isa::TensorDecl& t, const Value& v) {
  if (t.shape == std::vector<int64_t>{v.elements()}) t.shape = {v.c, v.h, v.w};  // no ONNX shape
  if (t.shape != std::vector<int64_t>{v.c, v.h, v.w})
    throw BackendError("network tensor '" + v.name + "' " + map_text(v) +
                       ": a multi-channel map needs the ONNX shape [N, C, H, W]");
  t.layout = isa::Layout::kPixels;
}

void allocate_tensors(Plan& p) {
  const Graph& g = *p.g;
  const int64_t gb = p.chip->global_buffer.capacity_bits / 8;
  const Value& in = p.value(g.input);
  isa::TensorDecl x{tensor_name(in.name, p.program),
                    0,
                    tensor_shape(g.onnx_input_shape, in),
                    in.type,
                    map_bytes(in),
                    0};
  if (shape_elements(x.shape) != in.elements())
    throw BackendError("network input '" + in.name + "': ONNX shape does not match " +
                       map_text(in));
  if (!gb_layout_matches(in) && !planar(p, g.input)) set_pixel_layout(x, in);
  p.program.inputs.push_back(x);
  int64_t addr = gb / 2, total = 0;
  for (size_t k = 0; k < g.outputs.size(); ++k) {
    const Value& v = p.value(g.outputs[k]);
    const std::vector<int64_t> none;
    isa::TensorDecl y{
        tensor_name(v.name, p.program),
        addr + total,
        tensor_shape(k < g.onnx_output_shapes.size() ? g.onnx_output_shapes[k] : none, v),
        v.type,
        0,
        0};
    if (shape_elements(y.shape) != v.elements())
      throw BackendError("network output '" + v.name + "': ONNX shape does not match " +
                         map_text(v));
    if (!gb_layout_matches(v)) set_pixel_layout(y, v);
    total += (map_bytes(v) + 3) / 4 * 4;  // keep int32 outputs aligned
    p.program.outputs.push_back(y);
    p.layers[producer_of(g, g.outputs[k])].output_index = static_cast<int>(k);
  }
  for (isa::TensorDecl& y : p.program.outputs) y.stride = total;
  if (map_bytes(in) > gb / 2 || total > gb / 2)
    throw BackendError("one inference's input or outputs do not fit half the global buffer");
}

}  // namespace

void allocate(Plan& p) {
  for (size_t i = 0; i < p.layers.size(); ++i) allocate_tile(p, i);
  allocate_tensors(p);
}

}  // namespace imc::compiler
