// Schedule: the handshakes between tiles. Every tile loops over the batch on its own; a map
// moves producer -> consumer with SEND, raising the consumer's data semaphore, and the
// consumer hands the slot back with SIGNAL on the producer's credit semaphore once it has read
// it (as in examples/two_layer_noc). Layer l works on inference n + 1 while layer l + 1 works
// on inference n (pipelined); a double- or triple-buffered edge (allocate) counts each of its
// slots on semaphores of their own while the tiles have them (docs/isa.md altsem, thirdsem),
// else a triple-buffered edge between layers keeps two slots. The sequential schedule
// adds one token: the tiles that load the network input wait until the tiles that store outputs
// have finished the previous inference, so inferences never overlap. A matrix split over tiles adds
// one more edge per contributor: its partial sums to its owner (plan.h, LayerPlan). The network
// input read by several tiles moves between them once loaded (halo.h).
#include <string>

#include "compiler/backend/halo.h"
#include "compiler/backend/passes.h"

namespace imc::compiler {

namespace {

// The next semaphore of a layer's tiles (their `counter`, which a fused pool shares with its
// producer: host_layer) if they have one more, else -1.
int spare_sem(const Plan& p, int& counter) {
  return counter < p.chip->tile.semaphores ? counter++ : -1;
}

// Double-buffered edges get a semaphore per slot while the tiles have them: the consumer's
// for the odd inferences' maps (or input rows passed between tiles), the producer's (or
// loader's) for the credits of the odd slot.
void assign_slot_sems(Plan& p, std::vector<int>& counter) {
  for (Edge& e : p.edges) {
    if (!e.double_buffered()) continue;
    if (e.producer >= 0) {
      int& consumer = counter[host_layer(p, static_cast<size_t>(e.consumer))];
      int& producer = counter[host_layer(p, static_cast<size_t>(e.producer))];
      if (consumer >= p.chip->tile.semaphores || producer >= p.chip->tile.semaphores) continue;
      e.data_sem_odd = spare_sem(p, consumer);
      e.credit_sem_odd = spare_sem(p, producer);
    } else if (!e.own.empty()) {
      int& tiles = counter[host_layer(p, static_cast<size_t>(e.consumer))];
      if (tiles + 2 > p.chip->tile.semaphores) continue;
      e.halo_sem_odd = spare_sem(p, tiles);
      e.halo_credit_sem_odd = spare_sem(p, tiles);
    }
  }
}

// Then a second set of partial-sum slots (allocate) gets the owner's semaphore for the odd
// inferences, while its tiles have one; without it the slots stay single. An owner with one
// contributor needs none: that contributor's partial sums arrive in order (one route, links
// first in first out), so one semaphore counts both slots (rram4x4's MLP, whose tiles have no
// semaphore left: 556 -> 394 cycles per inference).
void assign_partial_sems(Plan& p, std::vector<int>& counter) {
  for (size_t i = 0; i < p.layers.size(); ++i) {
    LayerPlan& lp = p.layers[i];
    if (lp.partial_alt == lp.partial_slot) continue;
    lp.partial_sem_odd = spare_sem(p, counter[host_layer(p, i)]);
    if (lp.partial_sem_odd < 0 && lp.mat.max_row_groups() == 2) lp.partial_sem_odd = lp.partial_sem;
    if (lp.partial_sem_odd < 0) lp.partial_alt = lp.partial_slot;
  }
}

// Then a triple-buffered edge between layers (allocate) gets a third semaphore on each side,
// while both tiles have one; without them it keeps two slots.
void assign_third_sems(Plan& p, std::vector<int>& counter) {
  for (Edge& e : p.edges) {
    if (e.producer < 0 || e.slots < 3) continue;
    int& consumer = counter[host_layer(p, static_cast<size_t>(e.consumer))];
    int& producer = counter[host_layer(p, static_cast<size_t>(e.producer))];
    if (e.data_sem_odd < 0 || consumer >= p.chip->tile.semaphores ||
        producer >= p.chip->tile.semaphores) {
      e.slots = 2;
      continue;
    }
    e.data_sem_third = spare_sem(p, consumer);
    e.credit_sem_third = spare_sem(p, producer);
  }
}

// The output columns [0, x) of a layer with kernel width kw, stride sw and left padding pl
// whose windows lie inside input columns [0, xin).
int64_t columns_within(int64_t xin, int kw, int sw, int pl) {
  const int64_t reach = xin + pl - kw;  // the last window start inside: x * sw <= reach
  return reach < 0 ? 0 : reach / sw + 1;
}

// The share of layer i's work on its busiest part: its rows over the map's.
double busiest_share(const Plan& p, size_t i) {
  int64_t rows = 0;
  for (const Part& q : p.layers[i].parts) rows = std::max(rows, q.oy1 - q.oy0);
  return double(rows) / double(p.value(p.g->layers[i].output()).h);
}

// Whether edge e may move in halves: between layers each on one tile per row range (no column
// or row groups, no fused pool, no shifted kernel copies), the consumer's input, with a
// semaphore per slot, on a NoC without multicast, on tiles without MVM runs (a split row cuts
// them: the reference model over 64 ran 8612 -> 9129 cycles). And where the halves pay: each part
// of both layers computes for at least kLeastCycles per inference (a half of less saves less than
// its hand-over costs: the 5-layer CNN, all in halves, ran 32.7 -> 49 cycles per inference, one
// inference 360 -> 354), and its issue slots plus the kHalvesIssue more that halves take (a
// WAIT, SENDs per row, THRESHes where the split cuts a group of copies) stay within the
// slowest part's estimate: the reference model's second conv is issue-bound, and with halves
// there it ran 125 -> 131 cycles per image.
constexpr double kLeastCycles = 32, kHalvesIssue = 8;

bool streamable(const Plan& p, const Edge& e) {
  if (e.producer < 0 || p.layers[e.consumer].in_edge < 0 || e.data_sem_odd < 0 ||
      p.chip->noc.multicast || p.chip->tile.mvm_repeat)
    return false;
  if (&p.edges[p.layers[e.consumer].in_edge] != &e) return false;
  double period = 0;
  for (size_t j = 0; j < p.layers.size(); ++j)
    period = std::max(period, layer_cost(p, j) * busiest_share(p, j));
  for (int k : {e.producer, e.consumer}) {
    const size_t i = static_cast<size_t>(k);
    const LayerPlan& lp = p.layers[i];
    if (lp.mat.groups.size() > 1 || lp.positions > 1 || lp.fused_pool >= 0 || lp.fused_into >= 0)
      return false;
    const double share = busiest_share(p, i);
    if (layer_cost(p, i) * share < kLeastCycles ||
        layer_time(p, i).issue * share + kHalvesIssue > period)
      return false;
  }
  return true;
}

// Maps handed over in two halves of their columns (Edge::halves), in layer order: a producer
// computes the columns before its split_col first (half its row, or what its own first half
// of input reaches) and hands them over at once; its consumer computes the output columns
// those reach, then waits for the rest. Where the consumer's tile has the semaphores and both
// halves are at least `kLeast` columns wide.
void assign_halves(Plan& p, std::vector<int>& counter) {
  constexpr int64_t kLeast = 2;
  for (size_t c = 0; c < p.layers.size(); ++c) {
    LayerPlan& lc = p.layers[c];
    if (lc.in_edge < 0) continue;
    Edge& e = p.edges[lc.in_edge];
    if (!streamable(p, e)) continue;
    const Layer& l = p.g->layers[c];
    const int64_t w_in = p.value(e.value).w, w_out = p.value(l.output()).w;
    LayerPlan& lp = p.layers[e.producer];
    const int64_t split_in = lp.split_col > 0 ? lp.split_col : w_in / 2;
    const int64_t split_out =
        l.kind == Layer::Kind::kMat
            ? columns_within(split_in, l.mat.kw, l.mat.stride_w, l.mat.pad_left)
            : columns_within(split_in, l.pool.kw, l.pool.stride_w, l.pool.pad_left);
    if (split_in < kLeast || w_in - split_in < kLeast || split_out < 1 || split_out >= w_out)
      continue;
    int& tiles = counter[host_layer(p, c)];
    const int need = e.data_sem_third >= 0 ? 3 : 2;
    if (tiles + need > p.chip->tile.semaphores) continue;
    e.data_sem_b = spare_sem(p, tiles);
    e.data_sem_b_odd = spare_sem(p, tiles);
    if (need == 3) e.data_sem_b_third = spare_sem(p, tiles);
    lp.split_col = split_in;
    lc.split_col = split_out;
  }
}

int next_sem(const Plan& p, size_t layer, int& counter) {
  if (counter >= p.chip->tile.semaphores)
    throw BackendError("layer '" + p.g->layers[layer].name() + "': needs more than the " +
                       std::to_string(p.chip->tile.semaphores) + " semaphores of a tile");
  return counter++;
}

}  // namespace

void schedule_tiles(Plan& p) {
  std::vector<int> counter(p.layers.size(), 0);
  for (size_t i = 0; i < p.layers.size(); ++i) {
    LayerPlan& lp = p.layers[i];
    for (int e : {lp.in_edge, lp.residual_edge}) {
      if (e < 0 || p.edges[e].producer < 0) continue;
      p.edges[e].data_sem = next_sem(p, i, counter[host_layer(p, i)]);
    }
  }
  for (size_t i = 0; i < p.layers.size(); ++i)
    for (int e : p.layers[i].out_edges)
      p.edges[e].credit_sem = next_sem(p, i, counter[host_layer(p, i)]);
  for (size_t i = 0; i < p.layers.size(); ++i) {
    LayerPlan& lp = p.layers[i];
    if (lp.partial_bytes == 0) continue;
    lp.partial_sem = next_sem(p, i, counter[host_layer(p, i)]);
    lp.partial_credit_sem = next_sem(p, i, counter[host_layer(p, i)]);
  }
  assign_input_rows(p);
  for (Edge& e : p.edges) {
    if (e.own.empty()) continue;
    const size_t c = static_cast<size_t>(e.consumer);
    e.halo_sem = next_sem(p, c, counter[host_layer(p, c)]);
    e.halo_credit_sem = next_sem(p, c, counter[host_layer(p, c)]);
  }
  if (p.schedule != Schedule::kSequential) {
    assign_slot_sems(p, counter);
    assign_partial_sems(p, counter);
    assign_third_sems(p, counter);
    if (p.halves) assign_halves(p, counter);
    return;
  }
  for (size_t i = 0; i < p.layers.size(); ++i)
    if (p.layers[i].in_edge >= 0 && p.edges[p.layers[i].in_edge].producer < 0)
      p.layers[i].seq_sem = next_sem(p, i, counter[host_layer(p, i)]);
}

}  // namespace imc::compiler
