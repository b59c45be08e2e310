#include "nas/eval/model_report.h"

#include <algorithm>
#include <iomanip>
#include <sstream>

namespace imc::nas {
namespace {

std::string escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '&':
        out += "&amp;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string fixed(double v, int digits) {
  std::ostringstream s;
  s << std::fixed << std::setprecision(digits) << v;
  return s.str();
}

const char* kClasses[] = {"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                          "Sandal",      "Shirt",   "Sneaker",  "Bag",   "Ankle boot"};

std::string confusion_table(const ModelReport& r) {
  const int n = 1 + std::max(*std::max_element(r.labels.begin(), r.labels.end()),
                             *std::max_element(r.predictions.begin(), r.predictions.end()));
  std::vector<int> counts(size_t(n * n), 0);
  for (size_t i = 0; i < r.labels.size(); ++i) ++counts[size_t(r.labels[i] * n + r.predictions[i])];
  std::ostringstream h;
  h << "<table class=cm><tr><th>true \\ predicted</th>";
  for (int c = 0; c < n; ++c) h << "<th>" << c << "</th>";
  h << "<th>recall</th></tr>\n";
  for (int t = 0; t < n; ++t) {
    int row = 0;
    for (int p = 0; p < n; ++p) row += counts[size_t(t * n + p)];
    h << "<tr><th>" << t << " " << (n == 10 ? kClasses[t] : "") << "</th>";
    for (int p = 0; p < n; ++p) {
      const int k = counts[size_t(t * n + p)];
      const double share = row ? double(k) / row : 0;
      h << "<td style=\"background:rgba(" << (t == p ? "40,120,200," : "200,60,40,")
        << fixed(std::min(1.0, share * (t == p ? 1.0 : 4.0)), 2) << ")\">" << k << "</td>";
    }
    h << "<td>" << fixed(row ? 100.0 * counts[size_t(t * n + t)] / row : 0, 1) << "%</td></tr>\n";
  }
  h << "</table>\n";
  return h.str();
}

std::string energy_bars(const nlohmann::json& energy) {
  std::vector<std::pair<std::string, double>> parts;
  for (const auto& [name, pj] : energy.items()) {
    if (name != "total" && pj.get<double>() > 0) parts.push_back({name, pj.get<double>()});
  }
  std::sort(parts.begin(), parts.end(), [](auto& a, auto& b) { return a.second > b.second; });
  const double total = energy.at("total").get<double>();
  const int bar_h = 22, width = 640, label_w = 170;
  std::ostringstream s;
  s << "<svg width=" << width << " height=" << bar_h * parts.size() + 10
    << " xmlns=\"http://www.w3.org/2000/svg\" font-size=12>\n";
  for (size_t i = 0; i < parts.size(); ++i) {
    const double share = total > 0 ? parts[i].second / total : 0;
    const int y = int(i) * bar_h;
    s << "<text x=0 y=" << y + 15 << ">" << escape(parts[i].first) << "</text>"
      << "<rect x=" << label_w << " y=" << y + 3 << " width=" << int(share * (width - label_w - 70))
      << " height=" << bar_h - 6 << " fill=\"#2878c8\"/>"
      << "<text x=" << label_w + int(share * (width - label_w - 70)) + 5 << " y=" << y + 15 << ">"
      << fixed(100 * share, 1) << "%</text>\n";
  }
  s << "</svg>\n";
  return s.str();
}

// time_ns,total_mw,... -> a polyline of total power over time.
std::string power_plot(const std::string& csv) {
  std::vector<std::pair<double, double>> points;
  std::istringstream in(csv);
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    std::istringstream cells(line);
    std::string t, p;
    if (std::getline(cells, t, ',') && std::getline(cells, p, ',')) {
      points.push_back({std::stod(t), std::stod(p)});
    }
  }
  if (points.size() < 2) return "<p>(too short for a power trace)</p>";
  double t_max = points.back().first, p_max = 0;
  for (const auto& pt : points) p_max = std::max(p_max, pt.second);
  const int w = 640, h = 200, left = 60, bottom = 30;
  std::ostringstream s;
  s << "<svg width=" << w << " height=" << h + bottom
    << " xmlns=\"http://www.w3.org/2000/svg\" font-size=11>\n"
    << "<polyline fill=none stroke=\"#c85028\" stroke-width=1 points=\"";
  for (const auto& [t, p] : points) {
    s << fixed(left + (w - left - 10) * t / t_max, 1) << ","
      << fixed(h - (h - 10) * (p_max > 0 ? p / p_max : 0), 1) << " ";
  }
  s << "\"/>\n<line x1=" << left << " y1=" << h << " x2=" << w - 10 << " y2=" << h
    << " stroke=black/><line x1=" << left << " y1=10 x2=" << left << " y2=" << h
    << " stroke=black/>\n<text x=0 y=15>" << fixed(p_max, 1) << " mW</text><text x=0 y=" << h
    << ">0</text><text x=" << w - 120 << " y=" << h + 20 << ">" << fixed(t_max / 1000, 1)
    << " µs</text>\n</svg>\n";
  return s.str();
}

}  // namespace

std::string model_report_html(const ModelReport& r) {
  int correct = 0;
  for (size_t i = 0; i < r.labels.size(); ++i) correct += r.labels[i] == r.predictions[i];
  const double cycles = r.stats.at("cycles").get<double>();
  const double clock_hz = r.stats.at("clock_hz").get<double>();
  std::ostringstream h;
  h << "<!DOCTYPE html>\n<html><head><meta charset=utf-8><title>imcnas: " << escape(r.model)
    << "</title>\n<style>body{font-family:sans-serif;max-width:60em;"
       "margin:2em auto}table{border-collapse:collapse}td,th{border:1px solid #ccc;"
       "padding:2px 6px;text-align:right}table.cm td{min-width:2.5em}</style></head><body>\n"
    << "<h1>" << escape(r.model) << " on " << escape(r.arch) << "</h1>\n<table>\n"
    << "<tr><th>test images</th><td>" << r.images << "</td></tr>\n"
    << "<tr><th>accuracy on the simulated chip</th><td>" << fixed(100.0 * correct / r.images, 2)
    << "% (" << correct << "/" << r.images << ")</td></tr>\n"
    << "<tr><th>cycles per image (pipelined batch)</th><td>" << fixed(cycles / r.images, 1)
    << "</td></tr>\n<tr><th>latency of one image</th><td>" << r.latency_cycles << " cycles ("
    << fixed(r.latency_cycles / clock_hz * 1e6, 2) << " µs)</td></tr>\n"
    << "<tr><th>throughput</th><td>" << fixed(clock_hz / (cycles / r.images), 0)
    << " images/s</td></tr>\n<tr><th>energy per image</th><td>"
    << fixed(r.stats.at("energy_per_inference_pj").get<double>() / 1000, 2) << " nJ</td></tr>\n"
    << "<tr><th>average / peak power</th><td>"
    << fixed(r.stats.at("power_mw").at("average").get<double>(), 2) << " / "
    << fixed(r.stats.at("power_mw").at("peak").get<double>(), 2) << " mW</td></tr>\n"
    << "<tr><th>crossbars / tiles used</th><td>" << r.resources.crossbars << " / "
    << r.resources.tiles << "</td></tr>\n</table>\n"
    << "<h2>Energy by component</h2>\n"
    << energy_bars(r.stats.at("energy_pj")) << "<h2>Power over the first batch</h2>\n"
    << power_plot(r.power_csv) << "<h2>Confusion matrix</h2>\n"
    << confusion_table(r) << "</body></html>\n";
  return h.str();
}

}  // namespace imc::nas
