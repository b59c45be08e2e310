#include "nas/search/report.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

#include "nas/search/svg.h"

namespace imc::nas {
namespace {

constexpr const char* kStyle = R"css(
body { font: 14px/1.4 system-ui, sans-serif; margin: 24px; color: #222; }
h1 { font-size: 22px; } h2 { font-size: 17px; margin-top: 28px; }
table { border-collapse: collapse; } td, th { padding: 2px 8px; text-align: right; }
th { border-bottom: 1px solid #999; } tr:nth-child(even) td { background: #f4f4f4; }
td.text { text-align: left; font-family: monospace; white-space: nowrap; }
td.why { text-align: left; font-family: monospace; min-width: 40em; }
table.settings td { text-align: left; }
tr.failed td { color: #a33; } tr.front td { font-weight: 600; }
.charts { display: flex; flex-wrap: wrap; gap: 16px; }
rect.plot { fill: #fff; stroke: #888; } line.grid { stroke: #eee; }
text.tick { font-size: 10px; fill: #555; } text.axis { font-size: 12px; }
circle.dominated { fill: #bbb; } circle.infeasible { fill: none; stroke: #e08a00; }
circle.front { fill: #1f5fbf; } polyline.front { fill: none; stroke: #1f5fbf; }
polyline.hv { fill: none; stroke: #1f5fbf; stroke-width: 1.5; } circle.hv { fill: #1f5fbf; }
p.note { color: #555; max-width: 60em; }
)css";

std::string num(double v, const char* format = "%.6g") {
  char text[32];
  std::snprintf(text, sizeof text, format, v);
  return text;
}

std::string axis_label(Metric m) {
  const std::string unit = metric_unit(m);
  return std::string(metric_name(m)) + (unit.empty() ? "" : " (" + unit + ")");
}

// Costs spanning more than a factor 30 read better on a log axis.
bool wants_log(const ResultsView& v, Metric m) {
  if (m == Metric::kAccuracy) return false;
  double lo = INFINITY, hi = 0;
  for (size_t i = 0; i < v.candidates.size(); ++i) {
    if (!v.candidates[i].ok()) continue;
    const double x = metric_value(m, v.candidates[i].metrics);
    if (x > 0) lo = std::min(lo, x), hi = std::max(hi, x);
  }
  return hi > 30 * lo;
}

std::string tip(const CandidateRecord& c) {
  return "#" + std::to_string(c.seq) + " " + c.description + "\naccuracy " +
         num(c.metrics.accuracy, "%.4f") + ", " + num(c.metrics.cycles_per_image) + " cycles, " +
         num(c.metrics.energy_pj_per_image) + " pJ, " + num(c.metrics.area_cells) + " cells";
}

// One projection: every successful candidate, the front joined in order of x.
std::string projection(const ResultsView& v, Metric mx, Metric my) {
  Series dominated{{}, {}, {}, "dominated"}, infeasible{{}, {}, {}, "infeasible"};
  Series front{{}, {}, {}, "front", true};
  std::vector<size_t> rows;
  for (size_t i = 0; i < v.candidates.size(); ++i) {
    if (v.candidates[i].ok()) rows.push_back(i);
  }
  std::sort(rows.begin(), rows.end(), [&](size_t a, size_t b) {
    return metric_value(mx, v.candidates[a].metrics) < metric_value(mx, v.candidates[b].metrics);
  });
  for (size_t i : rows) {
    const CandidateRecord& c = v.candidates[i];
    Series& s = v.front[i] ? front : v.feasible[i] ? dominated : infeasible;
    s.x.push_back(metric_value(mx, c.metrics));
    s.y.push_back(metric_value(my, c.metrics));
    s.tips.push_back(tip(c));
  }
  // The front of all objectives projected on two is not a staircase: join it only when these
  // two are all the objectives.
  front.line = v.objectives.size() == 2;
  return svg_chart({axis_label(mx), wants_log(v, mx)}, {axis_label(my), wants_log(v, my)},
                   {dominated, infeasible, front});
}

std::string settings_table(const ResultsView& v, double final_hv) {
  int ok = 0, failed = 0, running = 0, front = 0;
  for (size_t i = 0; i < v.candidates.size(); ++i) {
    const std::string& st = v.candidates[i].status;
    ok += st == "ok", failed += st == "failed", running += st == "running";
    front += v.front[i];
  }
  std::ostringstream o;
  auto row = [&](const std::string& k, const std::string& value) {
    o << "<tr><th>" << xml_escape(k) << "</th><td>" << xml_escape(value) << "</td></tr>\n";
  };
  o << "<table class=\"settings\">\n";
  row("algorithm", v.search.algo);
  row("objectives", objectives_text(v.objectives));
  row("constraints", v.search.constraints.empty() ? "none" : v.search.constraints);
  row("fidelity", v.search.fidelity);
  row("seed", std::to_string(v.search.seed));
  row("budget", std::to_string(v.search.budget) + " proposals");
  row("status",
      v.search.status + " (created " + v.search.created + ", updated " + v.search.updated + ")");
  row("candidates", std::to_string(v.candidates.size()) + ": " + std::to_string(ok) + " ok, " +
                        std::to_string(failed) + " failed" +
                        (running ? ", " + std::to_string(running) + " running" : ""));
  row("Pareto front", std::to_string(front) + " candidates");
  row("hypervolume", num(final_hv, "%.6f"));
  o << "</table>\n";
  return o.str();
}

std::string candidates_table(const ResultsView& v) {
  std::ostringstream o;
  o << "<table>\n<tr><th>#</th><th>id</th><th>status</th><th>front</th><th>accuracy</th>"
       "<th>cycles</th><th>energy pJ</th><th>area cells</th><th>crossbars</th><th>tiles</th>"
       "<th>wall s</th><th>attempts</th><th>worker</th><th>genome</th><th>failure</th></tr>\n";
  for (size_t i = 0; i < v.candidates.size(); ++i) {
    const CandidateRecord& c = v.candidates[i];
    const Metrics& m = c.metrics;
    o << "<tr class=\""
      << (v.front[i] ? "front"
          : c.ok()   ? "ok"
                     : c.status)
      << "\"><td>" << c.seq << "</td><td>" << c.id << "</td><td>" << c.status << "</td><td>"
      << (v.front[i] ? "&#9679;" : "") << "</td>";
    if (c.ok()) {
      o << "<td>" << num(m.accuracy, "%.4f") << "</td><td>" << num(m.cycles_per_image)
        << "</td><td>" << num(m.energy_pj_per_image) << "</td><td>" << num(m.area_cells)
        << "</td><td>" << m.crossbars << "</td><td>" << m.tiles << "</td>";
    } else {
      o << "<td></td><td></td><td></td><td></td><td></td><td></td>";
    }
    o << "<td>" << num(c.wall_s, "%.2f") << "</td><td>" << c.attempts << "</td><td class=\"text\">"
      << xml_escape(c.worker) << "</td><td class=\"text\">" << xml_escape(c.description)
      << "</td><td class=\"why\">" << xml_escape(c.failure) << "</td></tr>\n";
  }
  o << "</table>\n";
  return o.str();
}

}  // namespace

std::string report_html(const ResultsView& v) {
  const std::vector<double> hv = hypervolume_curve(v);
  std::ostringstream o;
  o << "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>imcnas search "
    << v.search.id << "</title>\n<style>" << kStyle << "</style></head><body>\n";
  o << "<h1>imcnas search " << v.search.id << "</h1>\n";
  o << settings_table(v, hv.empty() ? 0 : hv.back());

  o << "<h2>Pareto fronts</h2>\n<p class=\"note\">Every successful candidate; blue: the "
       "non-dominated feasible ones (over all objectives: "
    << xml_escape(objectives_text(v.objectives))
    << "), grey: dominated, orange rings: outside the constraints. Hover for the genome.</p>\n"
       "<div class=\"charts\">\n";
  if (v.objectives.size() == 1) {
    Series s{{}, {}, {}, "front"};
    for (size_t i = 0; i < v.candidates.size(); ++i) {
      if (!v.candidates[i].ok()) continue;
      s.x.push_back(double(v.candidates[i].seq));
      s.y.push_back(metric_value(v.objectives[0], v.candidates[i].metrics));
      s.tips.push_back(tip(v.candidates[i]));
    }
    o << svg_chart({"candidate (order of proposal)"}, {axis_label(v.objectives[0])}, {s});
  }
  for (size_t a = 0; a < v.objectives.size(); ++a) {
    for (size_t b = a + 1; b < v.objectives.size(); ++b) {
      // Costs on x, accuracy on y: the usual picture of a trade-off.
      const bool swap = v.objectives[a] == Metric::kAccuracy;
      o << projection(v, swap ? v.objectives[b] : v.objectives[a],
                      swap ? v.objectives[a] : v.objectives[b]);
    }
  }
  o << "</div>\n";

  o << "<h2>Hypervolume against evaluations</h2>\n<p class=\"note\">Hypervolume of the "
       "feasible candidates among the first n evaluated, in the normalised objective space: "
       "1 &minus; accuracy and log<sub>10</sub> of each cost, each mapped linearly onto [0, 1] "
       "between its best and worst value among this search's feasible candidates; reference "
       "point (1.1, &hellip;, 1.1), just beyond the worst of every objective. The largest "
       "possible value is 1.1<sup>d</sup> for d objectives.</p>\n";
  Series curve{{}, {}, {}, "hv", true, false};
  for (size_t i = 0; i < hv.size(); ++i) curve.x.push_back(double(i + 1)), curve.y.push_back(hv[i]);
  o << svg_chart({"candidates evaluated"}, {"hypervolume"}, {curve}, 620, 300);

  o << "<h2 id=\"candidates\">Candidates</h2>\n" << candidates_table(v);
  o << "</body></html>\n";
  return o.str();
}

}  // namespace imc::nas
