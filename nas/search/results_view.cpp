#include "nas/search/results_view.h"

#include <algorithm>
#include <cstdio>
#include <sstream>

#include <nlohmann/json.hpp>

#include "hw/arch/load.h"

namespace imc::nas {
namespace {

std::string number(double v) {
  char text[32];
  std::snprintf(text, sizeof text, "%.10g", v);
  return text;
}

// RFC 4180: quote fields holding commas, quotes or line breaks.
std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string q = "\"";
  for (char c : s) q += c == '"' ? std::string("\"\"") : std::string(1, c);
  return q + "\"";
}

struct Column {
  const char* name;
  std::string (*value)(const ResultsView&, size_t);
  bool text = false;  // JSON: a string (else a number, or null when empty)
};

template <double Metrics::*Field>
std::string metric_cell(const ResultsView& v, size_t i) {
  return v.candidates[i].ok() ? number(v.candidates[i].metrics.*Field) : "";
}
template <int Metrics::*Field>
std::string count_cell(const ResultsView& v, size_t i) {
  return v.candidates[i].ok() ? std::to_string(v.candidates[i].metrics.*Field) : "";
}

const std::vector<Column>& columns() {
  static const std::vector<Column> c = {
      {"id", [](const ResultsView& v, size_t i) { return std::to_string(v.candidates[i].id); }},
      {"search",
       [](const ResultsView& v, size_t i) { return std::to_string(v.candidates[i].search_id); }},
      {"seq", [](const ResultsView& v, size_t i) { return std::to_string(v.candidates[i].seq); }},
      {"status", [](const ResultsView& v, size_t i) { return v.candidates[i].status; }, true},
      {"feasible",
       [](const ResultsView& v, size_t i) { return std::string(v.feasible[i] ? "1" : "0"); }},
      {"pareto",
       [](const ResultsView& v, size_t i) { return std::string(v.front[i] ? "1" : "0"); }},
      {"accuracy", metric_cell<&Metrics::accuracy>},
      {"cycles", metric_cell<&Metrics::cycles_per_image>},
      {"energy_pj", metric_cell<&Metrics::energy_pj_per_image>},
      {"area_cells", metric_cell<&Metrics::area_cells>},
      {"accuracy_p10", metric_cell<&Metrics::accuracy_p10>},
      {"software_accuracy", metric_cell<&Metrics::software_accuracy>},
      {"crossbars", count_cell<&Metrics::crossbars>},
      {"tiles", count_cell<&Metrics::tiles>},
      {"train_s", metric_cell<&Metrics::train_s>},
      {"compile_s", metric_cell<&Metrics::compile_s>},
      {"simulate_s", metric_cell<&Metrics::simulate_s>},
      {"wall_s", [](const ResultsView& v, size_t i) { return number(v.candidates[i].wall_s); }},
      {"attempts",
       [](const ResultsView& v, size_t i) { return std::to_string(v.candidates[i].attempts); }},
      {"worker", [](const ResultsView& v, size_t i) { return v.candidates[i].worker; }, true},
      {"fidelity", [](const ResultsView& v, size_t i) { return v.candidates[i].fidelity; }, true},
      {"seed", [](const ResultsView& v, size_t i) { return std::to_string(v.candidates[i].seed); }},
      {"genome", [](const ResultsView& v, size_t i) { return v.candidates[i].description; }, true},
      {"failure", [](const ResultsView& v, size_t i) { return v.candidates[i].failure; }, true},
      {"genome_json", [](const ResultsView& v, size_t i) { return v.candidates[i].genome; }},
  };
  return c;
}

}  // namespace

ResultsView load_results(const Store& store, int64_t search_id, const std::string& objectives) {
  ResultsView v;
  v.search = store.search(search_id);
  v.objectives = parse_objectives(objectives.empty() ? v.search.objectives : objectives);
  v.constraints = parse_constraints(v.search.constraints);
  v.candidates = store.candidates(v.search.id);
  for (const CandidateRecord& c : v.candidates)  // genome_to_json wrote them; `json` shows them
    if (!nlohmann::json::accept(c.genome))
      throw arch::InputError(store.path() + ": candidate " + std::to_string(c.id) +
                             ": its genome is not JSON; the database is damaged");
  std::vector<Metrics> ok;
  std::vector<size_t> feasible_rows;
  for (size_t i = 0; i < v.candidates.size(); ++i) {
    const CandidateRecord& c = v.candidates[i];
    v.feasible.push_back(c.ok() && violation(v.constraints, c.metrics) == 0);
    if (v.feasible.back()) ok.push_back(c.metrics), feasible_rows.push_back(i);
  }
  v.frame = hv_frame(v.objectives, ok);
  std::vector<Point> points;
  for (const Metrics& m : ok) points.push_back(v.frame.normalised(m));
  v.front.assign(v.candidates.size(), false);
  for (size_t k : pareto_front(points)) v.front[feasible_rows[k]] = true;
  return v;
}

std::vector<double> hypervolume_curve(const ResultsView& v) {
  std::vector<double> curve;
  std::vector<Point> points;
  ParetoArchive front;  // only the front matters, and it stays small
  for (size_t i = 0; i < v.candidates.size(); ++i) {
    if (v.feasible[i]) {
      front.insert(v.frame.normalised(v.candidates[i].metrics));
      points = front.points();
    }
    curve.push_back(hypervolume(points, v.frame.reference()));
  }
  return curve;
}

std::vector<size_t> front_rows(const ResultsView& v) {
  std::vector<size_t> rows;
  for (size_t i = 0; i < v.candidates.size(); ++i) {
    if (v.front[i]) rows.push_back(i);
  }
  const Metric first = v.objectives[0];
  std::stable_sort(rows.begin(), rows.end(), [&](size_t a, size_t b) {
    return minimised(first, v.candidates[a].metrics) < minimised(first, v.candidates[b].metrics);
  });
  return rows;
}

std::string results_csv(const ResultsView& v, const std::vector<size_t>& rows) {
  std::string out;
  for (const Column& c : columns()) out += (out.empty() ? "" : ",") + std::string(c.name);
  out += "\n";
  for (size_t i : rows) {
    std::string line;
    for (const Column& c : columns()) line += (line.empty() ? "" : ",") + csv_field(c.value(v, i));
    out += line + "\n";
  }
  return out;
}

std::string results_json(const ResultsView& v, const std::vector<size_t>& rows) {
  nlohmann::json all = nlohmann::json::array();
  for (size_t i : rows) {
    nlohmann::json row;
    for (const Column& c : columns()) {
      const std::string cell = c.value(v, i);
      if (std::string(c.name) == "genome_json") {
        row[c.name] = nlohmann::json::parse(cell);
      } else if (c.text) {
        row[c.name] = cell;
      } else {
        row[c.name] = cell.empty() ? nlohmann::json() : nlohmann::json::parse(cell);
      }
    }
    all.push_back(row);
  }
  // Text from the database may be damaged into bytes that are not UTF-8: shown as U+FFFD.
  return all.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

std::string results_table(const ResultsView& v, const std::vector<size_t>& rows) {
  std::ostringstream out;
  char line[512];
  std::snprintf(line, sizeof line, "%5s %-7s %2s %9s %12s %14s %12s  %s\n", "id", "status", "P",
                "accuracy", "cycles", "energy_pj", "area_cells", "genome / failure");
  out << line;
  for (size_t i : rows) {
    const CandidateRecord& c = v.candidates[i];
    if (c.ok()) {
      std::snprintf(line, sizeof line, "%5lld %-7s %2s %9.4f %12.6g %14.6g %12.6g  %s\n",
                    static_cast<long long>(c.id), c.status.c_str(), v.front[i] ? "*" : "",
                    c.metrics.accuracy, c.metrics.cycles_per_image, c.metrics.energy_pj_per_image,
                    c.metrics.area_cells, c.description.c_str());
    } else {
      std::snprintf(line, sizeof line, "%5lld %-7s %2s %9s %12s %14s %12s  %s: %s\n",
                    static_cast<long long>(c.id), c.status.c_str(), "", "", "", "", "",
                    c.description.c_str(), c.failure.c_str());
    }
    out << line;
  }
  return out.str();
}

}  // namespace imc::nas
