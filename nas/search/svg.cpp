#include "nas/search/svg.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

namespace imc::nas {
namespace {

struct Scale {
  double lo = 0, hi = 1;
  bool log = false;
  double pixel_lo = 0, pixel_hi = 1;
  double value(double v) const { return log ? std::log10(std::max(v, 1e-300)) : v; }
  double operator()(double v) const {
    return pixel_lo + (value(v) - lo) / (hi - lo) * (pixel_hi - pixel_lo);
  }
};

// Range of the data (in the scale's own units), widened a little and never empty.
Scale scale_of(const std::vector<Series>& series, bool x, bool log) {
  Scale s;
  s.log = log;
  double lo = INFINITY, hi = -INFINITY;
  for (const Series& ser : series) {
    for (double v : x ? ser.x : ser.y) {
      lo = std::min(lo, s.value(v)), hi = std::max(hi, s.value(v));
    }
  }
  if (!std::isfinite(lo)) lo = 0, hi = 1;
  if (hi - lo < 1e-12) lo -= 0.5, hi += 0.5;
  const double pad = 0.04 * (hi - lo);
  s.lo = lo - pad, s.hi = hi + pad;
  return s;
}

// Tick positions: decades on a log scale, 1/2/5 x 10^k steps otherwise.
std::vector<double> ticks(const Scale& s) {
  std::vector<double> t;
  if (s.log) {
    for (double e = std::ceil(s.lo); e <= s.hi; e += 1) t.push_back(std::pow(10.0, e));
    if (t.size() >= 2) return t;
    t.clear();  // less than a decade: linear ticks in data units below
  }
  const double lo = s.log ? std::pow(10.0, s.lo) : s.lo, hi = s.log ? std::pow(10.0, s.hi) : s.hi;
  const double raw = (hi - lo) / 5, mag = std::pow(10.0, std::floor(std::log10(raw)));
  const double step = raw / mag < 2 ? 2 * mag : raw / mag < 5 ? 5 * mag : 10 * mag;
  for (double v = std::ceil(lo / step) * step; v <= hi + 1e-9 * step; v += step)
    t.push_back(std::abs(v) < 1e-12 * step ? 0 : v);
  return t;
}

std::string label(double v) {
  char text[32];
  std::snprintf(text, sizeof text, "%.4g", v);
  return text;
}

}  // namespace

std::string xml_escape(const std::string& s) {
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

std::string svg_chart(const Axis& x_axis, const Axis& y_axis, const std::vector<Series>& series,
                      int width, int height) {
  const int left = 70, right = 14, top = 12, bottom = 46;
  Scale x = scale_of(series, true, x_axis.log), y = scale_of(series, false, y_axis.log);
  x.pixel_lo = left, x.pixel_hi = width - right;
  y.pixel_lo = height - bottom, y.pixel_hi = top;
  std::ostringstream o;
  o << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << width << "\" height=\"" << height
    << "\" viewBox=\"0 0 " << width << " " << height << "\">\n";
  o << "<rect class=\"plot\" x=\"" << left << "\" y=\"" << top << "\" width=\""
    << width - left - right << "\" height=\"" << height - top - bottom << "\"/>\n";
  for (double t : ticks(x)) {
    const double px = x(t);
    if (px < left - 0.5 || px > width - right + 0.5) continue;
    o << "<line class=\"grid\" x1=\"" << px << "\" x2=\"" << px << "\" y1=\"" << top << "\" y2=\""
      << height - bottom << "\"/><text class=\"tick\" x=\"" << px << "\" y=\""
      << height - bottom + 14 << "\" text-anchor=\"middle\">" << label(t) << "</text>\n";
  }
  for (double t : ticks(y)) {
    const double py = y(t);
    if (py < top - 0.5 || py > height - bottom + 0.5) continue;
    o << "<line class=\"grid\" x1=\"" << left << "\" x2=\"" << width - right << "\" y1=\"" << py
      << "\" y2=\"" << py << "\"/><text class=\"tick\" x=\"" << left - 4 << "\" y=\"" << py + 4
      << "\" text-anchor=\"end\">" << label(t) << "</text>\n";
  }
  o << "<text class=\"axis\" x=\"" << (left + width - right) / 2 << "\" y=\"" << height - 8
    << "\" text-anchor=\"middle\">" << xml_escape(x_axis.label) << "</text>\n";
  o << "<text class=\"axis\" transform=\"translate(14," << (top + height - bottom) / 2
    << ") rotate(-90)\" text-anchor=\"middle\">" << xml_escape(y_axis.label) << "</text>\n";
  for (const Series& s : series) {
    if (s.line && s.x.size() > 1) {
      o << "<polyline class=\"" << s.css_class << "\" points=\"";
      for (size_t i = 0; i < s.x.size(); ++i) o << x(s.x[i]) << "," << y(s.y[i]) << " ";
      o << "\"/>\n";
    }
    if (!s.dots) continue;
    for (size_t i = 0; i < s.x.size(); ++i) {
      o << "<circle class=\"" << s.css_class << "\" cx=\"" << x(s.x[i]) << "\" cy=\"" << y(s.y[i])
        << "\" r=\"3.5\">";
      if (i < s.tips.size()) o << "<title>" << xml_escape(s.tips[i]) << "</title>";
      o << "</circle>\n";
    }
  }
  o << "</svg>\n";
  return o.str();
}

}  // namespace imc::nas
