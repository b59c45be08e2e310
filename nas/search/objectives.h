// What a search optimises: objectives chosen on the command line among accuracy (max),
// latency (cycles/image, min), energy (pJ/image, min) and area (crossbar cells, min), and
// constraints such as "energy<=5e5". Everything downstream works on "minimised" values:
// 1 - accuracy, and the others as they are.
#pragma once
#include <string>
#include <vector>

#include "nas/eval/candidate.h"

namespace imc::nas {

enum class Metric { kAccuracy, kLatency, kEnergy, kArea };

const char* metric_name(Metric m);                // "accuracy", "latency", "energy", "area"
const char* metric_unit(Metric m);                // "", "cycles/image", "pJ/image", "cells"
double metric_value(Metric m, const Metrics& x);  // as measured
double minimised(Metric m, const Metrics& x);     // 1 - accuracy, or the value

// "accuracy,energy" -> metrics; throws arch::InputError "--objectives 'x': why".
std::vector<Metric> parse_objectives(const std::string& list);
std::string objectives_text(const std::vector<Metric>& objectives);

struct Constraint {
  Metric metric;
  bool at_most;  // <= (true) or >= (false)
  double bound;
  std::string text() const;  // canonical: "energy<=500000"
};
// "energy<=5e5", "accuracy>=0.8"; throws arch::InputError "--constraint 'x': why".
Constraint parse_constraint(const std::string& text);
std::vector<Constraint> parse_constraints(const std::string& joined);  // ';'-separated
std::string constraints_text(const std::vector<Constraint>& cs);       // ';'-separated

// How far outside the constraints, relative to each bound (0: satisfied).
double violation(const std::vector<Constraint>& cs, const Metrics& x);

}  // namespace imc::nas
