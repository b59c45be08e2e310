#include "sim/reports.h"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>

#include "hw/isa/file_io.h"
#include "hw/isa/program.h"

namespace imc::sim {

using models::EnergyClass;
using models::kEnergyClasses;

namespace {

double bin_ns(const models::EnergyMeter& e, size_t bin, int64_t period_ps) {
  const int64_t start = static_cast<int64_t>(bin) * e.bin_cycles();
  const int64_t end = std::min(start + e.bin_cycles(), std::max(e.end_cycles(), start + 1));
  return static_cast<double>(end - start) * period_ps / 1000.0;
}

double bin_total(const std::array<double, kEnergyClasses>& b) {
  double s = 0;
  for (double v : b) s += v;
  return s;
}

// The links that carried traffic, busiest first (ties in link order): where the NoC jams.
nlohmann::json link_loads(const models::Platform& platform, int64_t cycles) {
  const std::vector<int64_t>& busy = platform.noc_stats().link_busy;
  const std::vector<int64_t>& waited = platform.noc_stats().link_contention;
  std::vector<int> used;
  for (size_t k = 0; k < busy.size(); ++k)
    if (busy[k] > 0) used.push_back(static_cast<int>(k));
  std::stable_sort(used.begin(), used.end(), [&](int a, int b) { return busy[a] > busy[b]; });
  nlohmann::json links = nlohmann::json::array();
  for (int k : used)
    links.push_back({{"link", platform.noc_link_name(k)},
                     {"busy_cycles", busy[k]},
                     {"contention_cycles", waited[k]},
                     {"utilization", cycles ? double(busy[k]) / double(cycles) : 0.0}});
  return links;
}

}  // namespace

std::pair<double, double> power_mw(const models::EnergyMeter& energy, int64_t period_ps) {
  const double ns = static_cast<double>(energy.end_cycles()) * period_ps / 1000.0;
  const double average = ns > 0 ? energy.total() / ns : 0.0;  // pJ / ns = mW
  double peak = 0;
  for (size_t b = 0; b < energy.bins().size(); ++b) {
    peak = std::max(peak, bin_total(energy.bins()[b]) / bin_ns(energy, b, period_ps));
  }
  return {average, peak};
}

nlohmann::json make_stats(const models::Platform& platform, const models::RunReport& report,
                          const RunInfo& info) {
  const arch::ChipParams& chip = platform.chip();
  const models::EnergyMeter& energy = platform.energy();
  nlohmann::json s;
  s["arch"] = chip.name;
  s["arch_file"] = info.arch_file;
  s["program"] = info.program_file;
  s["batch"] = info.batch;
  s["seed"] = info.seed;
  s["clock_hz"] = chip.clock_hz;
  s["cycles"] = report.cycles;
  s["time_ns"] = static_cast<double>(report.cycles) * chip.period_ps / 1000.0;
  nlohmann::json e;
  e["total"] = energy.total();
  for (int c = 0; c < kEnergyClasses; ++c) {
    e[models::to_string(static_cast<EnergyClass>(c))] =
        energy.by_class(static_cast<EnergyClass>(c));
  }
  s["energy_pj"] = e;
  s["energy_per_inference_pj"] =
      energy.total() / static_cast<double>(std::max<int64_t>(1, info.batch));
  const auto [average, peak] = power_mw(energy, chip.period_ps);
  s["power_mw"] = {{"average", average}, {"peak", peak}};
  nlohmann::json tiles = nlohmann::json::array();
  for (const models::TileReport& t : report.tiles) {
    tiles.push_back({{"id", t.id},
                     {"busy_cycles", t.busy_cycles},
                     {"done_cycle", t.done_cycle},
                     {"energy_pj", t.energy_pj},
                     {"utilization", report.cycles ? double(t.busy_cycles) / report.cycles : 0.0}});
  }
  s["tiles"] = tiles;
  nlohmann::json commands = nlohmann::json::object();
  for (int op = 0; op <= static_cast<int>(isa::Opcode::kHalt); ++op) {
    if (report.opcode_counts[op] > 0) {
      commands[isa::to_string(static_cast<isa::Opcode>(op))] = report.opcode_counts[op];
    }
  }
  s["commands"] = commands;
  const models::NocStats& n = platform.noc_stats();
  s["noc"] = {{"packets", n.packets},
              {"flits", n.flits},
              {"flit_hops", n.flit_hops},
              {"contention_cycles", n.contention_cycles},
              {"links", link_loads(platform, report.cycles)}};
  return s;
}

void write_stats(const std::string& path, const nlohmann::json& stats) {
  isa::write_file_atomically(path, stats.dump(2) + "\n");
}

void write_command_trace(const std::string& path, const models::Platform& platform) {
  std::ostringstream out;
  out << "tile\tline\tcommand\tissue\tstart\tend\twoken_by_tile\twoken_by_line\twoken_at\n";
  for (const auto& t : platform.tiles()) {
    for (const models::CommandRecord& r : t->commands()) {
      out << t->id() << "\t" << r.line << "\t" << isa::to_string(r.op) << "\t" << r.issue << "\t"
          << r.start << "\t" << r.end;
      if (r.woken_by.tile >= 0)
        out << "\t" << r.woken_by.tile << "\t" << r.woken_by.line << "\t" << r.woken_at << "\n";
      else
        out << "\t\t\t\n";
    }
  }
  isa::write_file_atomically(path, out.str());
}

std::vector<models::PathSegment> critical_path_of(const models::Platform& platform) {
  std::vector<models::TileWaits> tiles;
  for (const auto& t : platform.tiles())
    if (t->has_program())
      tiles.push_back({t->id(), &t->blocking_waits(), t->done_cycle(), t->halt_line()});
  return models::critical_path(tiles);
}

void write_critical_path(const std::string& path, const std::vector<models::PathSegment>& segs) {
  std::ostringstream out;
  out << "begin\tend\tcycles\tkind\ttile\tfrom_tile\tline\tcommand\n";
  for (const models::PathSegment& s : segs) {
    const bool tile = s.kind == models::PathSegment::Kind::kTile;
    out << s.begin << "\t" << s.end << "\t" << s.end - s.begin << "\t" << (tile ? "tile" : "token")
        << "\t" << s.tile << "\t" << (tile ? "" : std::to_string(s.from_tile)) << "\t" << s.line
        << "\t" << isa::to_string(s.op) << "\n";
  }
  isa::write_file_atomically(path, out.str());
}

nlohmann::json critical_path_json(const std::vector<models::PathSegment>& segs) {
  const models::PathShares s = models::path_shares(segs);
  nlohmann::json list = nlohmann::json::array();
  for (const auto& [tile, n] : s.tiles_most_first()) list.push_back({{"id", tile}, {"cycles", n}});
  return {{"cycles", s.cycles}, {"hand_over_cycles", s.token_cycles}, {"tiles", list}};
}

void write_power_csv(const std::string& path, const models::EnergyMeter& energy,
                     int64_t period_ps) {
  std::ostringstream out;
  out << "time_ns,total_mw";
  for (int c = 0; c < kEnergyClasses; ++c)
    out << "," << models::to_string(static_cast<EnergyClass>(c)) << "_mw";
  out << "\n";
  for (size_t b = 0; b < energy.bins().size(); ++b) {
    const double ns = bin_ns(energy, b, period_ps);
    const auto& bin = energy.bins()[b];
    out << static_cast<double>(b * energy.bin_cycles()) * period_ps / 1000.0 << ","
        << bin_total(bin) / ns;
    for (double pj : bin) out << "," << pj / ns;
    out << "\n";
  }
  isa::write_file_atomically(path, out.str());
}

namespace {

std::string vcd_id(size_t n) {  // short printable identifiers, as VCD expects
  std::string id;
  do {
    id.push_back(static_cast<char>(33 + n % 94));
    n /= 94;
  } while (n > 0);
  return id;
}

std::string binary(int64_t v, int width) {
  std::string s;
  for (int b = width - 1; b >= 0; --b) s.push_back(((v >> b) & 1) ? '1' : '0');
  return s;
}

}  // namespace

void write_vcd(const std::string& path, const models::ActivityTrace& trace,
               const models::EnergyMeter& energy, int64_t period_ps) {
  using Kind = models::ActivityTrace::Kind;
  const auto& signals = trace.signals();
  std::ostringstream out;
  out << "$date simulated $end\n$version imcsim 0.1 $end\n$timescale 1ps $end\n";
  out << "$scope module chip $end\n";
  // Group signals by scope, keeping the order scopes first appear in.
  std::vector<std::string> scopes;
  std::map<std::string, std::vector<size_t>> members;
  for (size_t i = 0; i < signals.size(); ++i) {
    if (!members.count(signals[i].scope)) scopes.push_back(signals[i].scope);
    members[signals[i].scope].push_back(i);
  }
  for (const std::string& scope : scopes) {
    out << "$scope module " << scope << " $end\n";
    for (size_t i : members[scope]) {
      const auto& s = signals[i];
      out << "$var wire " << s.width << " " << vcd_id(i) << " " << s.name
          << (s.width > 1 ? " [" + std::to_string(s.width - 1) + ":0]" : "") << " $end\n";
    }
    out << "$upscope $end\n";
  }
  const size_t power_base = signals.size();
  out << "$scope module power $end\n";
  out << "$var real 64 " << vcd_id(power_base) << " total_mw $end\n";
  for (int c = 0; c < kEnergyClasses; ++c) {
    out << "$var real 64 " << vcd_id(power_base + 1 + c) << " "
        << models::to_string(static_cast<EnergyClass>(c)) << "_mw $end\n";
  }
  out << "$upscope $end\n$upscope $end\n$enddefinitions $end\n";

  // Merge activity changes and power bins into one time-ordered stream.
  std::vector<models::ActivityTrace::Change> changes = trace.changes();
  // Same cycle: by signal, so the file does not depend on the order tiles ran in; one
  // signal's changes keep their recorded order (the last value in a cycle wins).
  std::stable_sort(changes.begin(), changes.end(), [](const auto& a, const auto& b) {
    return a.cycle != b.cycle ? a.cycle < b.cycle : a.signal < b.signal;
  });
  std::vector<int64_t> level(signals.size(), 0), shown(signals.size(), -1);
  out << "$dumpvars\n";
  for (size_t i = 0; i < signals.size(); ++i) {
    const auto& s = signals[i];
    out << (s.width > 1 ? "b" + binary(0, s.width) + " " : "0") << vcd_id(i) << "\n";
    shown[i] = 0;
  }
  out << "$end\n";
  const auto& bins = energy.bins();
  size_t next_change = 0, next_bin = 0;
  int64_t last_time = -1;
  std::vector<size_t> touched;
  while (next_change < changes.size() || next_bin < bins.size()) {
    const int64_t tc = next_change < changes.size() ? changes[next_change].cycle : INT64_MAX;
    const int64_t tb =
        next_bin < bins.size() ? static_cast<int64_t>(next_bin) * energy.bin_cycles() : INT64_MAX;
    const int64_t t = std::min(tc, tb);
    std::ostringstream step;
    touched.clear();
    while (next_change < changes.size() && changes[next_change].cycle == t) {
      const auto& c = changes[next_change++];
      if (signals[c.signal].kind == Kind::kBusy)
        level[c.signal] += c.delta_or_value;
      else
        level[c.signal] = c.delta_or_value;
      touched.push_back(static_cast<size_t>(c.signal));
    }
    for (size_t i : touched) {
      const int64_t v = signals[i].kind == Kind::kBusy ? (level[i] > 0 ? 1 : 0) : level[i];
      if (v == shown[i]) continue;
      shown[i] = v;
      if (signals[i].width > 1)
        step << "b" << binary(v, signals[i].width) << " " << vcd_id(i) << "\n";
      else
        step << v << vcd_id(i) << "\n";
    }
    if (tb == t) {
      const auto& bin = bins[next_bin];
      const double ns = bin_ns(energy, next_bin, period_ps);
      step << "r" << bin_total(bin) / ns << " " << vcd_id(power_base) << "\n";
      for (int c = 0; c < kEnergyClasses; ++c)
        step << "r" << bin[c] / ns << " " << vcd_id(power_base + 1 + c) << "\n";
      ++next_bin;
    }
    const std::string text = step.str();
    if (!text.empty()) {
      out << "#" << t * period_ps << "\n" << text;
      last_time = t;
    }
  }
  // Mark the end of the run so viewers show its last interval.
  if (energy.end_cycles() > last_time) out << "#" << energy.end_cycles() * period_ps << "\n";
  isa::write_file_atomically(path, out.str());
}

}  // namespace imc::sim
