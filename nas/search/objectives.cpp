#include "nas/search/objectives.h"

#include <cmath>
#include <cstdlib>
#include <sstream>

#include "hw/arch/load.h"

namespace imc::nas {
namespace {

const std::vector<std::pair<const char*, Metric>> kNames = {{"accuracy", Metric::kAccuracy},
                                                            {"latency", Metric::kLatency},
                                                            {"energy", Metric::kEnergy},
                                                            {"area", Metric::kArea}};

bool metric_of(const std::string& word, Metric* m) {
  for (const auto& [name, metric] : kNames) {
    if (word == name) return *m = metric, true;
  }
  return false;
}

std::string trimmed(const std::string& s) {
  const size_t a = s.find_first_not_of(" \t");
  if (a == std::string::npos) return "";
  return s.substr(a, s.find_last_not_of(" \t") - a + 1);
}

}  // namespace

const char* metric_name(Metric m) {
  for (const auto& [name, metric] : kNames) {
    if (m == metric) return name;
  }
  return "?";
}

const char* metric_unit(Metric m) {
  switch (m) {
    case Metric::kAccuracy:
      return "";
    case Metric::kLatency:
      return "cycles/image";
    case Metric::kEnergy:
      return "pJ/image";
    case Metric::kArea:
      return "cells";
  }
  return "";
}

double metric_value(Metric m, const Metrics& x) {
  switch (m) {
    case Metric::kAccuracy:
      return x.accuracy;
    case Metric::kLatency:
      return x.cycles_per_image;
    case Metric::kEnergy:
      return x.energy_pj_per_image;
    case Metric::kArea:
      return x.area_cells;
  }
  return 0;
}

double minimised(Metric m, const Metrics& x) {
  return m == Metric::kAccuracy ? 1 - x.accuracy : metric_value(m, x);
}

std::vector<Metric> parse_objectives(const std::string& list) {
  std::vector<Metric> out;
  std::stringstream in(list);
  std::string word;
  while (std::getline(in, word, ',')) {
    word = trimmed(word);
    Metric m;
    if (!metric_of(word, &m))
      throw arch::InputError("--objectives '" + list + "': unknown objective '" + word +
                             "' (expected accuracy, latency, energy, area)");
    for (Metric seen : out) {
      if (seen == m) throw arch::InputError("--objectives '" + list + "': '" + word + "' twice");
    }
    out.push_back(m);
  }
  if (out.empty()) throw arch::InputError("--objectives is empty (expected e.g. accuracy,energy)");
  return out;
}

std::string objectives_text(const std::vector<Metric>& objectives) {
  std::string s;
  for (Metric m : objectives) s += (s.empty() ? "" : ",") + std::string(metric_name(m));
  return s;
}

std::string Constraint::text() const {
  std::ostringstream s;
  s.precision(17);
  s << metric_name(metric) << (at_most ? "<=" : ">=") << bound;
  return s.str();
}

Constraint parse_constraint(const std::string& text) {
  const auto fail = [&](const std::string& why) -> Constraint {
    throw arch::InputError("--constraint '" + text + "': " + why);
  };
  const size_t le = text.find("<="), ge = text.find(">=");
  if ((le == std::string::npos) == (ge == std::string::npos))
    return fail("expected METRIC<=BOUND or METRIC>=BOUND, e.g. energy<=5e5");
  const size_t op = le != std::string::npos ? le : ge;
  Constraint c;
  if (!metric_of(trimmed(text.substr(0, op)), &c.metric))
    return fail("unknown metric '" + trimmed(text.substr(0, op)) +
                "' (expected accuracy, latency, energy, area)");
  c.at_most = op == le;
  const std::string number = trimmed(text.substr(op + 2));
  char* end = nullptr;
  c.bound = std::strtod(number.c_str(), &end);
  if (number.empty() || *end != '\0' || !std::isfinite(c.bound))
    return fail("'" + number + "' is not a number");
  return c;
}

std::vector<Constraint> parse_constraints(const std::string& joined) {
  std::vector<Constraint> out;
  std::stringstream in(joined);
  std::string one;
  while (std::getline(in, one, ';')) {
    if (!trimmed(one).empty()) out.push_back(parse_constraint(trimmed(one)));
  }
  return out;
}

std::string constraints_text(const std::vector<Constraint>& cs) {
  std::string s;
  for (const Constraint& c : cs) s += (s.empty() ? "" : ";") + c.text();
  return s;
}

double violation(const std::vector<Constraint>& cs, const Metrics& x) {
  double v = 0;
  for (const Constraint& c : cs) {
    const double value = metric_value(c.metric, x);
    const double over = c.at_most ? value - c.bound : c.bound - value;
    if (over > 0) v += over / std::max(std::abs(c.bound), 1e-12);
  }
  return v;
}

}  // namespace imc::nas
