// The backend plan: what the passes decide about a graph, filled in pass by pass.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "compiler/backend/backend.h"

namespace imc::compiler {

// A slice of a MatLayer's crossbar matrix rows that one gather can feed: kernel rows
// ky0..ky0+nky-1, kernel columns kx0..kx0+nkx-1, input channels c0..c0+nc-1. Its physical
// rows are in gather order: segment (y, x) -> rows (y * nkx + x) * nc.
struct RowBlock {
  int ky0 = 0, nky = 1, kx0 = 0, nkx = 1, c0 = 0, nc = 0;
  int rows() const { return nky * nkx * nc; }
};

// Output channels c0..c0+n-1 (crossbar columns of one block).
struct ColBlock {
  int c0 = 0, n = 0;
};

// Where block (row block r, col block c) lives: crossbar xb, cells from (row, col).
struct Region {
  int xb = -1, row = 0, col = 0;
  int data = -1;  // index of its weights in Plan::program.data
};

struct MatPlan {
  std::vector<RowBlock> row_blocks;
  std::vector<ColBlock> col_blocks;
  // Copies of the whole matrix on otherwise idle crossbars: consecutive output positions go
  // to different copies (and accumulator ranges), so their MVMs overlap.
  int replicas = 1;
  std::vector<Region> regions;  // [(replica * row_blocks.size() + r) * col_blocks.size() + c]
  const Region& region(int replica, size_t r, size_t c) const {
    return regions[(replica * row_blocks.size() + r) * col_blocks.size() + c];
  }
  isa::DType weight_type = isa::DType::kB1;
  int thresholds_data = -1;  // WTH block, -1 for i32 outputs
};

// One activation map moving from its producer (a layer's tile, or the global buffer for the
// network input) into a consumer tile's input buffer.
struct Edge {
  int value = -1;
  int producer = -1;    // layer index, -1: the network input in the global buffer
  int consumer = -1;    // layer index
  int64_t slot = 0;     // consumer's ibuf address of the map
  int data_sem = -1;    // consumer's semaphore counting arrived maps
  int credit_sem = -1;  // producer's semaphore counting free slots at the consumer
};

// One tile's share of a layer: output rows oy0..oy1-1 (spatial split; a layer has one part
// covering every row unless place() split its bottleneck across tiles).
struct Part {
  int tile = -1;
  int64_t oy0 = 0, oy1 = 0;
};

struct LayerPlan {
  int tile = -1;            // the first part's tile
  std::vector<Part> parts;  // place(): at least one
  MatPlan mat;
  int in_edge = -1;        // the layer's input map
  int residual_edge = -1;  // its residual map (MatLayer::residual), or -1
  std::vector<int> out_edges;
  int64_t out_addr = 0;   // obuf address of the output map
  int output_index = -1;  // index in Program::outputs when the output is a network output
  int seq_sem = -1;       // sequential schedule: tokens "the previous inference is done"
};

struct Plan {
  const Graph* g = nullptr;
  const arch::ChipParams* chip = nullptr;
  Schedule schedule = Schedule::kPipelined;
  std::vector<LayerPlan> layers;  // parallel to g->layers
  std::vector<Edge> edges;
  isa::Program program;  // tensors and data blocks, then the tiles (emit)
  const Value& value(int id) const { return g->values[id]; }
};

// Input rows [lo, hi) of `layer`'s input map that output rows [oy0, oy1) read (clipped to
// the map); for its residual map (same rows as the output) use residual_rows.
struct Rows {
  int64_t lo = 0, hi = 0;
  bool empty() const { return hi <= lo; }
};
Rows input_rows(const Plan& p, size_t layer, int64_t oy0, int64_t oy1);
// Rows of edge e's map that consumer part c needs.
Rows edge_rows(const Plan& p, int edge, const Part& c);

// Bytes of one pixel's packed channel vector (whole bytes) and of a whole map, channel-last.
int64_t pixel_bytes(const Value& v);
int64_t map_bytes(const Value& v);
std::string map_text(const Value& v);  // "32x32x64 b1"
// A multi-channel image input (h*w > 1, c > 1): its tile keeps it as the global buffer does,
// NCHW planes (plane c at c * plane_bytes), and its MatLayers gather one channel per MVM.
bool planar(const Plan& p, int value);
int64_t plane_bytes(const Value& v);  // h * w elements of one channel

// Readable text of everything the plan holds so far (--dump-after).
std::string dump_plan(const Plan& p);

}  // namespace imc::compiler
