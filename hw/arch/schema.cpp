#include "hw/arch/schema.h"

#include <algorithm>

namespace imc::arch::schema {
namespace {

constexpr bool kReq = true;
constexpr bool kOpt = false;

// The order here is the order of docs/arch-file.md and of the shipped configs.
const std::vector<Key> kKeys = {
    {"name", Kind::kText, kReq},
    {"clock", Kind::kFrequency, kReq},
    {"mesh", Kind::kSection, kReq},
    {"mesh.rows", Kind::kCount, kReq},
    {"mesh.cols", Kind::kCount, kReq},
    {"tile", Kind::kSection, kReq},
    {"tile.crossbars", Kind::kCount, kReq},
    {"tile.crossbar", Kind::kSection, kReq},
    {"tile.crossbar.rows", Kind::kCount, kReq},
    {"tile.crossbar.cols", Kind::kCount, kReq},
    {"tile.crossbar.cell", Kind::kChoice, kReq},
    {"tile.crossbar.cells_per_weight", Kind::kCount, kReq},
    {"tile.crossbar.rows_per_step", Kind::kCount, kReq},
    {"tile.crossbar.readout", Kind::kChoice, kReq},
    {"tile.crossbar.adc", Kind::kSection, kOpt},  // required iff readout: adc
    {"tile.crossbar.adc.bits", Kind::kCount, kReq},
    {"tile.crossbar.adc.full_scale", Kind::kCount, kOpt},
    {"tile.crossbar.adc.count", Kind::kCount, kOpt},
    {"tile.crossbar.adc.conversion", Kind::kLatency, kReq},
    {"tile.crossbar.variation_sigma", Kind::kReal, kOpt},
    {"tile.crossbar.stuck_at_0", Kind::kReal, kOpt},
    {"tile.crossbar.stuck_at_1", Kind::kReal, kOpt},
    {"tile.crossbar.read", Kind::kLatency, kReq},
    {"tile.crossbar.write_row", Kind::kLatency, kReq},
    {"tile.crossbar.impl", Kind::kChoice, kOpt},
    {"tile.crossbar.impl_tiles", Kind::kTileList, kOpt},
    {"tile.input_buffer", Kind::kSection, kReq},
    {"tile.input_buffer.capacity", Kind::kSize, kReq},
    {"tile.input_buffer.width", Kind::kSize, kReq},
    {"tile.input_buffer.access", Kind::kLatency, kReq},
    {"tile.output_buffer", Kind::kSection, kReq},
    {"tile.output_buffer.capacity", Kind::kSize, kReq},
    {"tile.output_buffer.width", Kind::kSize, kReq},
    {"tile.output_buffer.access", Kind::kLatency, kReq},
    {"tile.accumulator", Kind::kSection, kReq},
    {"tile.accumulator.entries", Kind::kCount, kReq},
    {"tile.accumulator.lanes", Kind::kCount, kReq},
    {"tile.accumulator.latency", Kind::kLatency, kReq},
    {"tile.accumulator.impl", Kind::kChoice, kOpt},
    {"tile.accumulator.impl_tiles", Kind::kTileList, kOpt},
    {"tile.thresholder", Kind::kSection, kReq},
    {"tile.thresholder.entries", Kind::kCount, kReq},
    {"tile.thresholder.lanes", Kind::kCount, kReq},
    {"tile.thresholder.latency", Kind::kLatency, kReq},
    {"tile.thresholder.impl", Kind::kChoice, kOpt},
    {"tile.thresholder.impl_tiles", Kind::kTileList, kOpt},
    {"tile.pooling", Kind::kSection, kReq},
    {"tile.pooling.lanes", Kind::kCount, kReq},
    {"tile.pooling.latency", Kind::kLatency, kReq},
    {"tile.semaphores", Kind::kCount, kReq},
    {"tile.sequencer", Kind::kSection, kReq},
    {"tile.sequencer.issue", Kind::kLatency, kReq},
    {"tile.sequencer.mvm_repeat", Kind::kChoice, kOpt},
    {"tile.dma", Kind::kSection, kOpt},
    {"tile.dma.outstanding", Kind::kCount, kOpt},
    {"noc", Kind::kSection, kReq},
    {"noc.link_width", Kind::kSize, kReq},
    {"noc.hop", Kind::kLatency, kReq},
    {"noc.contention", Kind::kChoice, kOpt},
    {"noc.multicast", Kind::kChoice, kOpt},
    {"global_buffer", Kind::kSection, kReq},
    {"global_buffer.capacity", Kind::kSize, kReq},
    {"global_buffer.port_width", Kind::kSize, kReq},
    {"global_buffer.access", Kind::kLatency, kReq},
    {"global_buffer.attach", Kind::kSection, kReq},
    {"global_buffer.attach.x", Kind::kCount, kReq},
    {"global_buffer.attach.y", Kind::kCount, kReq},
    {"energy", Kind::kSection, kReq},
    {"energy.cell_read", Kind::kEnergy, kReq},
    {"energy.cell_write", Kind::kEnergy, kReq},
    {"energy.wordline", Kind::kEnergy, kReq},
    {"energy.adc_conversion", Kind::kEnergy, kReq},
    {"energy.digital_popcount", Kind::kEnergy, kReq},
    {"energy.accumulate", Kind::kEnergy, kReq},
    {"energy.threshold", Kind::kEnergy, kReq},
    {"energy.pool", Kind::kEnergy, kReq},
    {"energy.buffer_access_per_bit", Kind::kEnergy, kReq},
    {"energy.global_buffer_access_per_bit", Kind::kEnergy, kReq},
    {"energy.noc_hop_per_flit", Kind::kEnergy, kReq},
    {"energy.command_issue", Kind::kEnergy, kReq},
    {"energy.leakage_per_tile", Kind::kPower, kReq},
};

// Edits (insert, delete, substitute) turning a into b.
size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diag = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diag = up;
    }
  }
  return row[b.size()];
}

}  // namespace

const std::vector<Key>& keys() {
  return kKeys;
}

const Key* find(std::string_view path) {
  for (const Key& k : kKeys)
    if (k.path == path) return &k;
  return nullptr;
}

bool is_entry(Kind k) {
  return k == Kind::kLatency || k == Kind::kEnergy || k == Kind::kPower;
}

std::string_view parent_of(std::string_view path) {
  const size_t dot = path.rfind('.');
  return dot == std::string_view::npos ? std::string_view() : path.substr(0, dot);
}

std::string_view last_of(std::string_view path) {
  const size_t dot = path.rfind('.');
  return dot == std::string_view::npos ? path : path.substr(dot + 1);
}

std::vector<std::string> children(std::string_view path) {
  if (const Key* k = find(path); k && is_entry(k->kind)) return {"value", "source"};
  std::vector<std::string> names;
  for (const Key& k : kKeys)
    if (parent_of(k.path) == path) names.emplace_back(last_of(k.path));
  return names;
}

std::string closest(std::string_view path, std::string_view name) {
  std::string best;
  size_t best_distance = std::max<size_t>(1, name.size() / 3) + 1;  // a typo, not a guess
  for (const std::string& c : children(path)) {
    const size_t d = edit_distance(name, c);
    if (d < best_distance) best = c, best_distance = d;
  }
  return best;
}

}  // namespace imc::arch::schema
