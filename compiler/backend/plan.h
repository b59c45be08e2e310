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
};

// One WXB: the weights in Plan::program.data[data] written into crossbar xb from (row, col).
struct Write {
  int xb = -1, row = 0, col = 0;
  int data = -1;
};

// One tile's share of a MatLayer's matrix: row blocks r0..r1-1 times column blocks c0..c1-1,
// i.e. output channels ch0..ch1-1. A matrix that fits one tile has one group holding it all.
// Larger ones are split (partition): column groups own disjoint channel ranges; inside a
// column group, row group 0 (the owner) adds the int32 partial sums of its other row groups
// (ACCADD type=i32), then adds the residual and requantizes.
struct Group {
  int rg = 0, cg = 0;  // row group (0 = owner) within column group cg
  int row_groups = 1;  // row groups of column group cg
  size_t r0 = 0, r1 = 0, c0 = 0, c1 = 0;
  int64_t ch0 = 0, ch1 = 0;
  // Copies of the group's blocks on otherwise idle crossbars: consecutive output positions go
  // to different copies (and accumulator ranges), so their MVMs overlap.
  int replicas = 1;
  // Fewer copies of some blocks than `replicas` (pack_partial_copies): positions of an
  // iteration share them, region(u, ...) naming the same region for several u.
  bool partial_copies = false;
  // Accumulator ranges per copy: the positions of one loop iteration go round the `banks` sets
  // of ranges, so the next positions' MVMs overlap the THRESH of the previous ones and a range
  // is written again only after all the others were requantized.
  int banks = 1;
  int ranges() const { return replicas * banks; }  // accumulator ranges (and threshold tables)
  std::vector<Region> regions;                     // [(replica * rows + r - r0) * cols + c - c0]
  // The WXBs that program the regions. Blocks side by side on the same rows of a crossbar
  // are one write: a crossbar row is written in one step whatever its width.
  std::vector<Write> writes;
  int thresholds_data = -1;  // WTH block of an owner, -1 for contributors and i32 outputs
  bool owner() const { return rg == 0; }
  int64_t channels() const { return ch1 - ch0; }
  size_t blocks() const { return (r1 - r0) * (c1 - c0); }
  const Region& region(int replica, size_t r, size_t c) const {
    return regions[(replica * (r1 - r0) + r - r0) * (c1 - c0) + c - c0];
  }
};

struct MatPlan {
  std::vector<RowBlock> row_blocks;
  std::vector<ColBlock> col_blocks;
  std::vector<Group> groups;  // column group by column group, its row groups in order
  isa::DType weight_type = isa::DType::kB1;
  int max_row_groups() const;
};

// Rows [lo, hi) of a map.
struct Rows {
  int64_t lo = 0, hi = 0;
  bool empty() const { return hi <= lo; }
};

// The semaphores one count rotates over, inference n using the (n % k)-th of the k >= 0 given
// (-1: none), as SEND SIGNAL WAIT's sem, altsem and thirdsem do (docs/isa.md).
struct SlotSems {
  int first = -1, second = -1, third = -1;
};

// One activation map moving from its producer (a layer's tile, or the global buffer for the
// network input) into a consumer tile's input buffer.
struct Edge {
  int value = -1;
  int producer = -1;  // layer index, -1: the network input in the global buffer
  int consumer = -1;  // layer index
  int64_t slot = 0;   // consumer's ibuf address where the map lands (LOAD, SEND) and is read
  // Double buffering (pipelined): a second slot at `alt`. Inference n uses `slot` for even n
  // and `alt` for odd n (the rotation term (i0%2), docs/isa.md: no copy), so that the next
  // inference's map can land while this one is computed. Equal to `slot`: one slot.
  int64_t alt = 0;
  // A third slot, at alt + (alt - slot): inference n then uses slot n % 3. The network input's
  // lets a prefetch two inferences ahead land in a slot no one reads any more; a map from
  // another layer's lets its producer hand inference n + 2 over while n is being read.
  int slots = 1;
  bool double_buffered() const { return alt != slot; }
  // Where inference i0 + ahead's map sits, from `slot`, in the loop and before it (i0 = 0).
  int64_t slot_offset(int ahead) const { return slots > 1 ? ahead % slots * (alt - slot) : 0; }
  // The term that moves an address in `slot` to the slot of inference i0 + ahead.
  isa::Addr::Rotation rotation(int ahead = 0) const {
    return double_buffered() ? isa::Addr::Rotation{0, slots, alt - slot, ahead % slots}
                             : isa::Addr::Rotation{};
  }
  int data_sem = -1;    // consumer's semaphore counting arrived maps
  int credit_sem = -1;  // producer's semaphore counting free slots at the consumer
  // A double-buffered edge whose tiles have the semaphores for it: one semaphore per slot
  // (these count the odd inferences' maps and the credits of the odd slot; data_sem and
  // credit_sem the even ones', docs/isa.md altsem), so both slots can be handed back as soon
  // as they are read. -1: one semaphore for both slots, the second slot handed back only
  // once the next map has arrived.
  int data_sem_odd = -1, credit_sem_odd = -1;
  // A triple-buffered edge between layers (slots 3): the third slot's semaphores, inference n
  // counting on data_sem, data_sem_odd, data_sem_third for n % 3 = 0, 1, 2 (and the credits
  // alike; docs/isa.md thirdsem), so the producer may run two inferences ahead of a reader.
  int data_sem_third = -1, credit_sem_third = -1;
  // Streamed in two halves (schedule, assign_halves): the producer parts SEND the columns
  // before their layer's split_col as soon as they are computed, raising data_sems(), the rest
  // after, raising these (one per slot, as the first); the consumer computes the output
  // columns its first half reaches, then WAITs for the rest. -1: the map moves whole.
  int data_sem_b = -1, data_sem_b_odd = -1, data_sem_b_third = -1;
  bool halves() const { return data_sem_b >= 0; }
  SlotSems data_sems_b() const { return {data_sem_b, data_sem_b_odd, data_sem_b_third}; }
  // The network input read by several parts (pipelined): own[k] are the rows consumer part k
  // LOADs; it SENDs those another part reads to it (raising that part's halo_sem, after a
  // credit on its own halo_credit_sem), so the global buffer sends every byte once. Empty:
  // each part LOADs what it reads.
  std::vector<std::vector<Rows>> own;
  int halo_sem = -1, halo_credit_sem = -1;
  int halo_sem_odd = -1, halo_credit_sem_odd = -1;  // as data_sem_odd, for these rows
  bool slot_sems() const { return data_sem_odd >= 0 || halo_sem_odd >= 0; }
  SlotSems data_sems() const { return {data_sem, data_sem_odd, data_sem_third}; }
  SlotSems credit_sems() const { return {credit_sem, credit_sem_odd, credit_sem_third}; }
  // Two semaphores at most: with a third (tried), the CNN 28x28 went 1978 -> 1990 cycles over 16.
  SlotSems halo_sems() const { return {halo_sem, halo_sem_odd}; }
  SlotSems halo_credit_sems() const { return {halo_credit_sem, halo_credit_sem_odd}; }
};

// One tile's share of a layer: output rows oy0..oy1-1 (spatial split: place() splits the
// bottleneck's rows across tiles, and rows of layers whose maps or partial sums would not fit
// a buffer), and of a MatLayer's matrix, MatPlan::groups[group]. Each spatial part has one part
// per group.
struct Part {
  int tile = -1;
  int64_t oy0 = 0, oy1 = 0;
  int group = 0;    // MatLayers: index in MatPlan::groups; pools: 0
  int spatial = 0;  // index of the row range
};

struct LayerPlan {
  int tile = -1;  // the first part's tile
  // partition(): a MatLayer whose MVMs each compute `positions` neighbouring output positions
  // (shifted kernel copies, shifted_kernels.h) is compiled as `view`, computing the map
  // `view_out` (the same bytes as its output); 1: as itself. Use mat_of and computed_map.
  int positions = 1;
  MatLayer view;
  Value view_out;
  std::vector<Part> parts;  // place(): at least one
  // partition(): row ranges needed for the maps (and partial sums) to fit the buffers
  int min_parts = 1;
  // partition(): each part holds only the rows of its maps it reads or writes (windows: input
  // rows its windows read, residual and output rows its own), because the whole maps do not
  // fit its buffers; false: every part holds them whole (at the same offsets as a tile would).
  bool windowed = false;
  MatPlan mat;
  int in_edge = -1;        // the layer's input map
  int residual_edge = -1;  // its residual map (MatLayer::residual), or -1
  std::vector<int> out_edges;
  int64_t out_addr = 0;  // obuf address of the output map (a contributor's partial sums)
  // Double buffering of the output (pipelined): a second slot at `out_alt`, inference n
  // computes into `out_addr` for even n and `out_alt` for odd n, so that its THRESHes need
  // not wait for the previous inference's SENDs and STOREs to read the map. Equal to
  // `out_addr`: one slot.
  int64_t out_alt = 0;
  isa::Addr::Rotation out_rotation() const {
    return out_alt != out_addr ? isa::Addr::Rotation{0, 2, out_alt - out_addr}
                               : isa::Addr::Rotation{};
  }
  // A max-pool window of more than 32 pixels (pool_row_runs > 1): the maxima of its runs of
  // rows, one pixel each, at this obuf address before the POOL over them; -1 when none.
  int64_t pool_scratch = -1;
  // Conv+pool fusion (place): a max-pool computed on the tiles of the matrix layer before it,
  // part k on that layer's part k, reading its output where the THRESHes left it in the output
  // buffer. fused_into: the pool's producer (the pool has no input edge); fused_pool: the
  // matrix layer's pool. -1: none.
  int fused_into = -1, fused_pool = -1;
  // Output columns [0, split_col) are computed (and, on a streamed out edge, handed over)
  // before the rest (Edge::halves); 0: the whole rows in one pass.
  int64_t split_col = 0;
  int output_index = -1;  // index in Program::outputs when the output is a network output
  int seq_sem = -1;       // sequential schedule: tokens "the previous inference is done"
  // Split matrices: contributor rg (>= 1) of a column group sends its partial sums, int32
  // [position of the part][channel of the group], to its owner's ibuf at partial_slot +
  // (rg - 1) * partial_bytes, raising the owner's partial_sem; the owner returns the slot on
  // the contributor's partial_credit_sem.
  int64_t partial_slot = 0, partial_bytes = 0;
  int partial_sem = -1, partial_credit_sem = -1;
  // Double buffering of the partial sums (pipelined): a second set of slots at partial_alt for
  // odd inferences, counted on the owner's partial_sem_odd; each contributor then starts with
  // two credits and may run an inference ahead of its owner. Equal to partial_slot: one set.
  int64_t partial_alt = 0;
  int partial_sem_odd = -1;
  isa::Addr::Rotation partial_rotation() const {
    return partial_alt != partial_slot ? isa::Addr::Rotation{0, 2, partial_alt - partial_slot}
                                       : isa::Addr::Rotation{};
  }
  SlotSems partial_sems() const { return {partial_sem, partial_sem_odd}; }
};

struct Plan {
  const Graph* g = nullptr;
  const arch::ChipParams* chip = nullptr;
  Schedule schedule = Schedule::kPipelined;
  bool remap = true;  // BackendOptions::remap
  // The layers partition() compiles as shifted-kernel views: kSerial, those that read a u8/i8
  // map (compile_graph has already decided that they pay).
  ShiftedKernels shifted_kernels = ShiftedKernels::kNone;
  bool pool_fusion = true;        // BackendOptions::pool_fusion
  bool halves = true;             // BackendOptions::halves
  std::vector<LayerPlan> layers;  // parallel to g->layers
  // place(), pipelined: the tiles its greedy had left before fusing pools (0: it wanted more
  // than the chip has), and the cycles per inference it expects of the busiest tile or the
  // global buffer's link, whichever is longer (compile_graph compares plans by it).
  int spare_tiles = 0;
  double period = 0;
  std::vector<Edge> edges;
  isa::Program program;  // tensors and data blocks, then the tiles (emit)
  const Value& value(int id) const { return g->values[id]; }
};

// The layer whose output is `value`, or -1 (the network input).
int producer_of(const Graph& g, int value);
// The layer whose tiles hold `layer`'s parts: its fused_into, or itself.
size_t host_layer(const Plan& p, size_t layer);
// Part `part` of fused pool `layer`'s producer: the one on the same tile.
const Part& producer_part(const Plan& p, size_t layer, const Part& part);

// The matrix layer `layer` as its tiles compute it, and the output map as they see it: the
// shifted-kernel view when partition() chose one, else the graph's layer and map.
const MatLayer& mat_of(const Plan& p, size_t layer);
const Value& computed_map(const Plan& p, size_t layer);

// Input rows [lo, hi) of `layer`'s input map that output rows [oy0, oy1) read (clipped to
// the map); for its residual map (same rows as the output) use residual_rows.
Rows input_rows(const Plan& p, size_t layer, int64_t oy0, int64_t oy1);
// Kernel rows [lo, hi) part's crossbar blocks hold: all of them, but for a row group of a
// matrix split over tiles, whose blocks are a run of the kernel's rows.
Rows kernel_rows(const Plan& p, size_t layer, const Part& part);
// Rows of edge e's map that consumer part c needs (a row group: under its kernel rows; may be
// empty when those are all padding). On a byte-row edge, bytes of the vector instead.
Rows edge_rows(const Plan& p, int edge, const Part& c);
// Whether layer i reads the network's input vector a byte per row (byte_rows): each of its
// tiles then holds only the bytes under its row group's blocks.
bool sliced_vector_input(const Plan& p, size_t i);
// Bytes of vector v (kernel 1x1: rows are channels) under group g's row blocks.
Rows group_bytes(const MatPlan& m, const Group& g, const Value& v);
// The network input as a vector (1x1xC) into a matrix: its "rows" are its bytes, so that a
// row group LOADs, passes on and receives only the bytes under its row blocks (a vector is
// one map row, which every group would otherwise take whole). Windows, spans and the input
// passed between tiles then count bytes (edge_window: rows of one byte).
bool byte_rows(const Plan& p, int edge);
// Output rows of part k of n of a map with h rows (place(): contiguous, evened out).
Rows part_rows(int64_t h, int k, int n);

// The rows of a map a part holds in its buffer and where: row y (of channel plane ch, NCHW
// maps) at offset (y - rows.lo) * row + ch * plane from the slot. Whole maps (the layer not
// windowed): rows 0..h-1, plane = h * row.
struct MapWindow {
  Rows rows;
  int64_t row = 0, plane = 0, planes = 1;
  int64_t offset(int64_t y, int64_t ch = 0) const { return (y - rows.lo) * row + ch * plane; }
  int64_t bytes() const { return planes * plane; }
};
// The window of edge e's map in consumer part c's slot, and of layer i's output map in part
// `part`'s output buffer.
MapWindow edge_window(const Plan& p, int edge, const Part& c);
MapWindow output_window(const Plan& p, size_t layer, const Part& part);

// Parts of a layer that hold output channels (owners of their column group; every part of a
// pool), and whether part `to` of edge e's consumer reads e (the residual: owners only).
bool owns_output(const Plan& p, size_t layer, const Part& part);
bool reads_edge(const Plan& p, int edge, const Part& to);
// Output channels of a part: its group's range, or all of them.
struct Channels {
  int64_t lo = 0, hi = 0;
};
Channels part_channels(const Plan& p, size_t layer, const Part& part);
// The owner part of contributor `part` (same rows, row group 0 of its column group).
const Part& owner_of(const Plan& p, size_t layer, const Part& part);

// A POOL compares at most 32 pixels (isa::kMaxSegments): a larger window is pooled in runs of
// whole kernel rows of at most 32 pixels each, then over the runs' maxima. The runs of a full
// window (1: one POOL) and the rows in each.
int pool_row_runs(const PoolLayer& m);
int pool_rows_per_run(const PoolLayer& m);

// Bytes of one pixel's packed channel vector (whole bytes) and of a whole map, channel-last.
int64_t pixel_bytes(const Value& v);
int64_t map_bytes(const Value& v);
std::string map_text(const Value& v);  // "32x32x64 b1"
// ONNX tensors are NCHW (C order); tiles keep maps channel-last with each pixel padded to
// whole bytes. The two agree when the map is a vector (h = w = 1) or has a single channel of
// byte-sized elements. Network inputs and outputs where they do not are declared
// `layout=pixels` in the global buffer (the tiles' layout; imcsim converts from and to NCHW,
// docs/isa.md) — except u8/i8 image inputs, which stay planar.
bool gb_layout_matches(const Value& v);
// A multi-channel u8/i8 image input (h*w > 1, c > 1): its tile keeps it as the global buffer
// does, NCHW planes (plane c at c * plane_bytes), and its MatLayers gather one channel per MVM.
bool planar(const Plan& p, int value);
int64_t plane_bytes(const Value& v);  // h * w elements of one channel

// Estimated cycles of one inference of layer i on the slowest of its tiles, when the layer has
// one row range (place.cpp; a rough model of docs/platform.md: issue slots or crossbar time
// per output position), and of group g.
double layer_cost(const Plan& p, size_t i);
// The two sides of that estimate: the sequencer's issue slots, and the busiest unit's time
// (crossbars, thresholder, pooling unit); the cost is the larger.
struct GroupTime {
  double issue = 0, busy = 0;
};
GroupTime layer_time(const Plan& p, size_t i);
GroupTime group_time(const Plan& p, size_t i, const Group& g, int crossbars = 0);
// `crossbars`: how many of them its MVMs spread over; 0: one per copy (Group::replicas).
double group_cost(const Plan& p, size_t i, const Group& g, int crossbars = 0);

// Readable text of everything the plan holds so far (--dump-after).
std::string dump_plan(const Plan& p);

}  // namespace imc::compiler
