#include "hw/arch/units.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace imc::arch {
namespace {

struct Unit {
  std::string_view name;
  Dimension dimension;
  double factor;  // base units per one of this unit
};

// Case-sensitive on purpose: "mW" and "MW" differ by 10^9.
constexpr Unit kUnits[] = {
    {"Hz", Dimension::kFrequency, 1},
    {"kHz", Dimension::kFrequency, 1e3},
    {"MHz", Dimension::kFrequency, 1e6},
    {"GHz", Dimension::kFrequency, 1e9},
    {"ps", Dimension::kTime, 1},
    {"ns", Dimension::kTime, 1e3},
    {"us", Dimension::kTime, 1e6},
    {"ms", Dimension::kTime, 1e9},
    {"s", Dimension::kTime, 1e12},
    {"cycle", Dimension::kTime, 0},
    {"cycles", Dimension::kTime, 0},
    {"aJ", Dimension::kEnergy, 1e-6},
    {"fJ", Dimension::kEnergy, 1e-3},
    {"pJ", Dimension::kEnergy, 1},
    {"nJ", Dimension::kEnergy, 1e3},
    {"uJ", Dimension::kEnergy, 1e6},
    {"mJ", Dimension::kEnergy, 1e9},
    {"J", Dimension::kEnergy, 1e12},
    {"bit", Dimension::kSize, 1},
    {"bits", Dimension::kSize, 1},
    {"B", Dimension::kSize, 8},
    {"KiB", Dimension::kSize, 8.0 * 1024},
    {"MiB", Dimension::kSize, 8.0 * 1024 * 1024},
    {"GiB", Dimension::kSize, 8.0 * 1024 * 1024 * 1024},
    {"nW", Dimension::kPower, 1e-9},
    {"uW", Dimension::kPower, 1e-6},
    {"mW", Dimension::kPower, 1e-3},
    {"W", Dimension::kPower, 1},
};

const Unit* find_unit(std::string_view name) {
  for (const Unit& u : kUnits)
    if (u.name == name) return &u;
  return nullptr;
}

bool same_ignoring_case(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  return true;
}

// Why `unit` is not accepted, with a hint when the intent is clear.
std::string unknown_unit(const std::string& text, std::string_view unit, Dimension expected) {
  std::string msg = "unknown unit '" + std::string(unit) + "' in '" + text + "'";
  if (unit == "KB" || unit == "kB" || unit == "MB" || unit == "GB" || unit == "Kb" ||
      unit == "kb" || unit == "Mb")
    return msg + " (decimal or ambiguous; write B, KiB, MiB or GiB for bytes, bit for bits)";
  for (const Unit& u : kUnits)
    if (same_ignoring_case(u.name, unit))
      return msg + " (units are case-sensitive: did you mean '" + std::string(u.name) + "'?)";
  return msg + ", expected " + dimension_name(expected) + " in " + dimension_units(expected);
}

// Length of the leading decimal number in `s` ([+-]digits[.digits][e[+-]digits]); 0 if none.
// Written out because strtod also accepts "inf", "nan" and hex floats.
size_t number_length(const std::string& s) {
  size_t i = 0, digits = 0;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
  while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i, ++digits;
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i, ++digits;
  }
  if (digits == 0) return 0;
  if (i + 1 < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    size_t j = i + 1;
    if (s[j] == '+' || s[j] == '-') ++j;
    if (j < s.size() && std::isdigit(static_cast<unsigned char>(s[j]))) {
      while (j < s.size() && std::isdigit(static_cast<unsigned char>(s[j]))) ++j;
      i = j;
    }
  }
  return i;
}

std::string example(Dimension d) {
  switch (d) {
    case Dimension::kFrequency:
      return "'1GHz' or '500MHz'";
    case Dimension::kTime:
      return "'2.5ns', '800ps' or '3cycles'";
    case Dimension::kEnergy:
      return "'0.8pJ' or '42fJ'";
    case Dimension::kSize:
      return "'64KiB', '512B' or '256bit'";
    case Dimension::kPower:
      return "'0.5mW'";
  }
  return "";
}

}  // namespace

std::string format_frequency(double hz) {
  const char* unit = "Hz";
  double v = hz;
  if (hz >= 1e9)
    v = hz / 1e9, unit = "GHz";
  else if (hz >= 1e6)
    v = hz / 1e6, unit = "MHz";
  else if (hz >= 1e3)
    v = hz / 1e3, unit = "kHz";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%g%s", v, unit);
  return buf;
}

const char* dimension_name(Dimension d) {
  switch (d) {
    case Dimension::kFrequency:
      return "a frequency";
    case Dimension::kTime:
      return "a time";
    case Dimension::kEnergy:
      return "an energy";
    case Dimension::kSize:
      return "a size";
    case Dimension::kPower:
      return "a power";
  }
  return "a quantity";
}

const char* dimension_units(Dimension d) {
  switch (d) {
    case Dimension::kFrequency:
      return "Hz, kHz, MHz, GHz";
    case Dimension::kTime:
      return "ps, ns, us, ms, s, cycle(s)";
    case Dimension::kEnergy:
      return "aJ, fJ, pJ, nJ, uJ, mJ, J";
    case Dimension::kSize:
      return "bit(s), B, KiB, MiB, GiB";
    case Dimension::kPower:
      return "nW, uW, mW, W";
  }
  return "";
}

Quantity parse_quantity(const std::string& text, Dimension expected) {
  const size_t n = number_length(text);
  if (n == 0)
    throw UnitError("expected " + std::string(dimension_name(expected)) + " such as " +
                    example(expected) + ", got '" + text + "'");
  size_t u = n;
  if (u < text.size() && text[u] == ' ') ++u;  // "1 GHz" reads as well as "1GHz"
  const std::string_view unit = std::string_view(text).substr(u);
  if (unit.empty())
    throw UnitError("'" + text + "' has no unit, expected " + dimension_name(expected) +
                    " such as " + example(expected));
  const Unit* found = find_unit(unit);
  if (!found) throw UnitError(unknown_unit(text, unit, expected));
  if (found->dimension != expected)
    throw UnitError("'" + text + "' is " + dimension_name(found->dimension) + ", expected " +
                    dimension_name(expected) + " in " + dimension_units(expected));
  const double number = std::strtod(text.substr(0, n).c_str(), nullptr);
  if (!std::isfinite(number)) throw UnitError("'" + text + "' is out of range");
  Quantity q;
  q.dimension = expected;
  q.cycles = found->factor == 0;
  q.value = q.cycles ? number : number * found->factor;
  if (!std::isfinite(q.value)) throw UnitError("'" + text + "' is out of range");
  return q;
}

double parse_frequency_hz(const std::string& text) {
  return parse_quantity(text, Dimension::kFrequency).value;
}

double parse_energy_pj(const std::string& text) {
  return parse_quantity(text, Dimension::kEnergy).value;
}

double parse_power_w(const std::string& text) {
  return parse_quantity(text, Dimension::kPower).value;
}

int64_t parse_size_bits(const std::string& text) {
  const double bits = parse_quantity(text, Dimension::kSize).value;
  if (std::fabs(bits) > 0x1p62) throw UnitError("'" + text + "' is out of range");
  const double whole = std::round(bits);
  if (std::fabs(bits - whole) > 1e-6)
    throw UnitError("'" + text + "' is not a whole number of bits");
  return static_cast<int64_t>(whole);
}

int64_t ceil_cycles(double ps, double clock_hz) {
  const double x = ps * 1e-12 * clock_hz;
  return static_cast<int64_t>(std::ceil(x - 1e-9 * std::max(1.0, std::fabs(x))));
}

int64_t parse_latency_cycles(const std::string& text, double clock_hz) {
  const Quantity q = parse_quantity(text, Dimension::kTime);
  const double cycles = q.cycles ? q.value : q.value * 1e-12 * clock_hz;
  if (std::fabs(cycles) > 0x1p62) throw UnitError("'" + text + "' is out of range");
  if (!q.cycles) return ceil_cycles(q.value, clock_hz);
  if (q.value != std::floor(q.value))
    throw UnitError("'" + text + "' is not a whole number of cycles");
  return static_cast<int64_t>(q.value);
}

}  // namespace imc::arch
