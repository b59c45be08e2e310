// Quantities with units, as written in arch files: "1GHz", "2.5ns", "3cycles", "42fJ",
// "64KiB", "0.5mW". Each is converted to its dimension's base unit (Hz, ps, pJ, bit, W)
// so that a number can never be read in the wrong unit. No YAML here: callers add the
// file, line and key to a UnitError's message.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>

namespace imc::arch {

enum class Dimension { kFrequency, kTime, kEnergy, kSize, kPower };

// What is wrong with one quantity's text, without its location.
class UnitError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct Quantity {
  Dimension dimension = Dimension::kTime;
  double value = 0;     // in Hz, ps, pJ, bit or W; in cycles when `cycles` is set
  bool cycles = false;  // a time given as "3cycles" rather than as a duration
};

// Parses "<number><unit>" (one optional space between them) of the `expected` dimension.
// Throws UnitError for a bare number, an unknown unit or a unit of another dimension.
Quantity parse_quantity(const std::string& text, Dimension expected);

double parse_frequency_hz(const std::string& text);
double parse_energy_pj(const std::string& text);
double parse_power_w(const std::string& text);
int64_t parse_size_bits(const std::string& text);  // must come to a whole number of bits

// A latency: "Ncycles" as written, or a duration rounded up to whole cycles of the clock.
// The result may be 0 or negative; callers decide what a latency may be.
int64_t parse_latency_cycles(const std::string& text, double clock_hz);

// Cycles of `clock_hz` needed to cover `ps` picoseconds, rounded up; a relative tolerance
// keeps 1ns at 1GHz at exactly one cycle despite floating point.
int64_t ceil_cycles(double ps, double clock_hz);

// "1GHz", "500MHz", "2.5kHz": for messages that quote the clock back.
std::string format_frequency(double hz);

const char* dimension_name(Dimension d);   // "a time", "an energy", ...
const char* dimension_units(Dimension d);  // the accepted units, for messages

}  // namespace imc::arch
