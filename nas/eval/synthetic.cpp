// The synthetic evaluator: smooth analytic metrics of a genome on the arch file (with the
// genome's overrides), shaped like the real ones so that the search sees the real trade-off:
// more channels, depth and ternary precision buy accuracy and cost cycles, energy and
// crossbars; aggressive read-outs (many rows per ADC step, variation) cost accuracy. Layers
// that need more crossbars than a tile holds, or more tiles than the chip has, fail as
// "does not fit" (imcc's limit), so failed candidates occur naturally too.
#include "nas/eval/synthetic.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "hw/arch/load.h"
#include "nas/eval/synthetic_hooks.h"

namespace imc::nas {
namespace {

struct Layer {
  std::string name;
  long fan_in;     // weights per output
  int outs;        // outputs (columns)
  long positions;  // output pixels per image
  int passes;      // crossbar reads per position: input bit planes
};

// The network's crossbar layers in order (convs 3x3 "same", the head's FCs).
std::vector<Layer> layers_of(const NetGenome& n) {
  std::vector<Layer> out;
  const int act_passes = n.activations == Precision::kTernary ? 2 : 1;
  int c = n.input_channels, h = n.input_height, w = n.input_width;
  int passes = 8;  // uint8 images run bit-serially
  int index = 0;
  for (const Block& b : n.blocks) {
    if (b.kind == BlockKind::kSkip) continue;
    const std::string id = std::to_string(++index);
    out.push_back({"block " + id + " conv 1", 9L * c, b.channels, long(h) * w, passes});
    out.push_back(
        {"block " + id + " conv 2", 9L * b.channels, b.channels, long(h) * w, act_passes});
    if (b.kind == BlockKind::kRes && c != b.channels)  // a 1x1 projection on the shortcut
      out.push_back({"block " + id + " shortcut", long(c), b.channels, long(h) * w, passes});
    c = b.channels;
    passes = act_passes;
    if (b.kind == BlockKind::kVgg) h /= 2, w /= 2;
  }
  for (int i = 0; i < n.head_pools; ++i) h /= 2, w /= 2;
  long features = long(c) * h * w;
  if (n.head_width > 0) {
    out.push_back({"head fc", features, n.head_width, 1, passes});
    features = n.head_width;
    passes = act_passes;
  }
  out.push_back({"classifier", features, n.classes, 1, passes});
  return out;
}

long ceil_div(long a, long b) {
  return (a + b - 1) / b;
}

// A deterministic value in [-1, 1] per (genome, seed): the spread of training runs.
double jitter(const std::string& key, uint64_t seed) {
  const uint64_t h = synthetic_hash(key) ^ (seed * 0x9E3779B97F4A7C15ull);
  return double(h % 20001) / 10000.0 - 1.0;
}

EvalResult failure(std::string why) {
  EvalResult r;
  r.failure = std::move(why);
  return r;
}

// Software accuracy: a saturating function of the weight count, with small bonuses for
// depth, residual blocks, ternary precision and a hidden head, and a loss per head pool.
double software_accuracy(const NetGenome& n, const std::vector<Layer>& layers, const Fidelity& f) {
  double weights = 0;
  int convs = 0, res = 0;
  for (const Layer& l : layers) weights += double(l.fan_in) * l.outs;
  for (const Block& b : n.blocks) {
    convs += b.kind == BlockKind::kSkip ? 0 : 2;
    res += b.kind == BlockKind::kRes;
  }
  double acc = 0.10 + 0.80 * (1 - std::exp(-std::sqrt(weights / 30000.0)));
  acc += 0.03 * (1 - std::exp(-convs / 4.0)) + 0.004 * res;
  acc += n.weights == Precision::kTernary ? 0.015 : 0;
  acc += n.activations == Precision::kTernary ? 0.02 : 0;
  acc += n.head_width > 0 ? 0.01 : 0;
  acc -= 0.015 * n.head_pools;
  // Short training (the proxy fidelity) reaches a fraction of it.
  acc *= 1 - 0.25 * std::exp(-3.0 * f.epochs * f.train_fraction);
  return acc;
}

// Accuracy lost on the chip: ADC rounding and saturation, conductance variation.
double hardware_loss(const arch::CrossbarParams& x) {
  double loss = 0;
  if (x.readout == arch::Readout::kAdc) {
    const double levels = std::pow(2.0, x.adc.bits - 1) - 1;
    const double delta = std::max(1.0, std::ceil(x.adc.full_scale / levels));
    loss += 0.03 * std::log2(delta);
    loss += 0.02 * std::max(0.0, std::log2(double(x.rows_per_step) / x.adc.full_scale));
  }
  loss += 0.6 * x.variation_sigma * std::sqrt(x.rows_per_step / 16.0);
  return loss;
}

EvalResult model(const EvalJob& job) {
  const Genome& g = job.genome;
  std::vector<arch::Override> overrides;
  for (const std::string& o : g.arch_overrides) overrides.push_back(arch::parse_override(o));
  arch::ChipParams chip;
  try {
    chip = arch::load_chip(job.arch_file, overrides);
  } catch (const arch::InputError& e) {  // e.g. rows_per_step > rows for this combination
    return failure(std::string("arch overrides: ") + e.what());
  }
  if (const std::string why = check_net(g.net); !why.empty()) return failure(why);
  const arch::CrossbarParams& x = chip.tile.crossbar;
  if (g.net.weights == Precision::kTernary && x.cells_per_weight < 2)
    return failure("unsupported: ternary weights need cells_per_weight 2");

  const std::vector<Layer> layers = layers_of(g.net);
  const arch::EnergyParams& e = chip.energy;
  int crossbars = 0, tiles = 0;
  double slowest = 0, total = 0, energy = 0;
  for (const Layer& l : layers) {
    const long row_blocks = ceil_div(l.fan_in, x.rows);
    const long col_blocks = ceil_div(l.outs, x.cols);
    const long xbars = row_blocks * col_blocks;
    if (xbars > chip.tile.crossbars)
      return failure("does not fit: " + l.name + " needs " + std::to_string(xbars) +
                     " crossbars, a tile has " + std::to_string(chip.tile.crossbars));
    crossbars += int(xbars);
    tiles += int(ceil_div(xbars, chip.tile.crossbars));
    // One position: every row block reads in parallel, ceil(rows used / rows per step) steps.
    const long steps = ceil_div(std::min<long>(l.fan_in, x.rows), x.rows_per_step);
    const long cols_used = std::min<long>(l.outs, x.cols);
    double read = double(steps) * x.read_cycles;
    double readout_pj = double(steps) * cols_used * e.digital_popcount_pj;
    if (x.readout == arch::Readout::kAdc) {
      read += double(steps) * ceil_div(cols_used, x.adc.count) * x.adc.conversion_cycles;
      readout_pj = double(steps) * cols_used * e.adc_conversion_pj;
    }
    const double reads = double(l.positions) * l.passes;
    // The vector unit adds the partial sums of every read (lanes per cycle) and thresholds
    // each output once per position.
    const arch::TileParams& t = chip.tile;
    const double vector =
        reads * ceil_div(l.outs * row_blocks, t.accumulator_lanes) * t.accumulate_cycles +
        double(l.positions) * ceil_div(l.outs, t.thresholder_lanes) * t.threshold_cycles;
    const double cycles = reads * read + vector;
    slowest = std::max(slowest, cycles);
    total += cycles;
    const double cells = double(x.rows_per_step) * cols_used * x.cells_per_weight;
    energy += reads * xbars *
              (steps * (cells * e.cell_read_pj + x.rows_per_step * e.wordline_pj) + readout_pj);
    energy += double(l.positions) * l.outs * (row_blocks * e.accumulate_pj + e.threshold_pj);
  }
  if (tiles > chip.tiles())
    return failure("does not fit: needs " + std::to_string(tiles) + " tiles, the chip has " +
                   std::to_string(chip.tiles()));

  EvalResult r;
  r.ok = true;
  Metrics& m = r.metrics;
  // Pipelined: the slowest layer sets the pace; filling the pipeline adds a share of the rest.
  m.cycles_per_image = slowest + total / 8;
  m.energy_pj_per_image = energy + tiles * m.cycles_per_image * e.leakage_pj_per_tile_cycle;
  m.crossbars = crossbars;
  m.tiles = tiles;
  m.area_cells = double(crossbars) * x.rows * x.cols * x.cells_per_weight;
  const double sw =
      software_accuracy(g.net, layers, job.fidelity) + 0.004 * jitter(genome_to_json(g), job.seed);
  m.software_accuracy = std::clamp(sw, 0.05, 0.99);
  m.accuracy = std::clamp(sw - hardware_loss(x), 0.05, 0.99);
  m.accuracy_p10 = std::clamp(m.accuracy - 0.5 * x.variation_sigma, 0.05, 0.99);
  return r;
}

}  // namespace

EvalResult evaluate_synthetic(const EvalJob& job) {
  run_synthetic_hooks_before(job);
  EvalResult r = model(job);
  run_synthetic_hooks_after(job, r);
  return r;
}

}  // namespace imc::nas
