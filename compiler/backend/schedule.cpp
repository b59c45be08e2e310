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
// inferences, while its tiles have one; without it the slots stay single.
void assign_partial_sems(Plan& p, std::vector<int>& counter) {
  for (size_t i = 0; i < p.layers.size(); ++i) {
    LayerPlan& lp = p.layers[i];
    if (lp.partial_alt == lp.partial_slot) continue;
    lp.partial_sem_odd = spare_sem(p, counter[host_layer(p, i)]);
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
    return;
  }
  for (size_t i = 0; i < p.layers.size(); ++i)
    if (p.layers[i].in_edge >= 0 && p.edges[p.layers[i].in_edge].producer < 0)
      p.layers[i].seq_sem = next_sem(p, i, counter[host_layer(p, i)]);
}

}  // namespace imc::compiler
