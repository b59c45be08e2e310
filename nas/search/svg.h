// Small inline-SVG charts for the HTML report: scatter plots and lines with axes, ticks and
// hover titles. No scripts, no external files: the report stays one self-contained page.
#pragma once
#include <string>
#include <vector>

namespace imc::nas {

struct Series {
  std::vector<double> x, y;
  std::vector<std::string> tips;  // hover text per point (may be empty)
  std::string css_class;          // styled by the page: "front", "dominated", ...
  bool line = false;              // joined by a line (in the given order)
  bool dots = true;
};

struct Axis {
  std::string label;
  bool log = false;  // base-10 scale (costs spanning orders of magnitude)
};

std::string svg_chart(const Axis& x, const Axis& y, const std::vector<Series>& series,
                      int width = 460, int height = 330);

std::string xml_escape(const std::string& s);

}  // namespace imc::nas
