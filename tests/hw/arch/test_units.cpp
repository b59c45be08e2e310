// Units: each accepted unit converts to the right base value; each kind of mistake is refused.
#include <gtest/gtest.h>

#include "hw/arch/units.h"

namespace imc::arch {
namespace {

struct Case {
  const char* text;
  Dimension dim;
  double base;  // Hz, ps, pJ, bit or W
};

class UnitTable : public ::testing::TestWithParam<Case> {};

TEST_P(UnitTable, ConvertsToBaseUnit) {
  const Case& c = GetParam();
  const Quantity q = parse_quantity(c.text, c.dim);
  EXPECT_DOUBLE_EQ(q.value, c.base) << c.text;
  EXPECT_FALSE(q.cycles);
}

INSTANTIATE_TEST_SUITE_P(
    AllUnits, UnitTable,
    ::testing::Values(
        Case{"10Hz", Dimension::kFrequency, 10}, Case{"100kHz", Dimension::kFrequency, 1e5},
        Case{"500MHz", Dimension::kFrequency, 5e8}, Case{"1GHz", Dimension::kFrequency, 1e9},
        Case{"1 GHz", Dimension::kFrequency, 1e9}, Case{"800ps", Dimension::kTime, 800},
        Case{"2.5ns", Dimension::kTime, 2500}, Case{"1us", Dimension::kTime, 1e6},
        Case{"1ms", Dimension::kTime, 1e9}, Case{"1s", Dimension::kTime, 1e12},
        Case{"1e3ns", Dimension::kTime, 1e6}, Case{"500aJ", Dimension::kEnergy, 5e-4},
        Case{"42fJ", Dimension::kEnergy, 0.042}, Case{"0.8pJ", Dimension::kEnergy, 0.8},
        Case{"1.2nJ", Dimension::kEnergy, 1200}, Case{"1uJ", Dimension::kEnergy, 1e6},
        Case{"1mJ", Dimension::kEnergy, 1e9}, Case{"1J", Dimension::kEnergy, 1e12},
        Case{"256bit", Dimension::kSize, 256}, Case{"1bits", Dimension::kSize, 1},
        Case{"512B", Dimension::kSize, 4096}, Case{"64KiB", Dimension::kSize, 524288},
        Case{"1MiB", Dimension::kSize, 8388608}, Case{"1GiB", Dimension::kSize, 8589934592.0},
        Case{"10nW", Dimension::kPower, 1e-8}, Case{"10uW", Dimension::kPower, 1e-5},
        Case{"0.5mW", Dimension::kPower, 5e-4}, Case{"2W", Dimension::kPower, 2}));

TEST(Units, TypedParsersReturnBaseUnits) {
  EXPECT_DOUBLE_EQ(parse_frequency_hz("500MHz"), 5e8);
  EXPECT_DOUBLE_EQ(parse_energy_pj("42fJ"), 0.042);
  EXPECT_DOUBLE_EQ(parse_power_w("0.5mW"), 5e-4);
  EXPECT_EQ(parse_size_bits("64KiB"), 524288);
  EXPECT_EQ(parse_size_bits("1.5KiB"), 12288);
}

TEST(Units, CyclesAreCountedNotConverted) {
  EXPECT_EQ(parse_latency_cycles("3cycles", 1e9), 3);
  EXPECT_EQ(parse_latency_cycles("1cycle", 1e9), 1);
  EXPECT_EQ(parse_latency_cycles("3cycles", 5e8), 3);  // independent of the clock
  EXPECT_TRUE(parse_quantity("3cycles", Dimension::kTime).cycles);
}

TEST(Units, DurationsRoundUpToWholeCycles) {
  EXPECT_EQ(parse_latency_cycles("2.5ns", 1e9), 3);
  EXPECT_EQ(parse_latency_cycles("800ps", 1e9), 1);
  EXPECT_EQ(parse_latency_cycles("1001ps", 1e9), 2);
  EXPECT_EQ(parse_latency_cycles("5ns", 5e8), 3);
  EXPECT_EQ(parse_latency_cycles("2ns", 5e8), 1);
  EXPECT_EQ(parse_latency_cycles("1us", 1e9), 1000);
  EXPECT_EQ(parse_latency_cycles("0ns", 1e9), 0);  // the caller refuses a zero latency
}

TEST(Units, ExactMultiplesOfThePeriodDoNotRoundUp) {
  // 1e-12 * 1e9 * 1000 is not exactly 1 in floating point; still one cycle.
  EXPECT_EQ(parse_latency_cycles("1ns", 1e9), 1);
  EXPECT_EQ(parse_latency_cycles("3ns", 1e9), 3);
  EXPECT_EQ(parse_latency_cycles("10ns", 3e8), 3);
  EXPECT_EQ(ceil_cycles(3000, 1e9), 3);
  EXPECT_EQ(ceil_cycles(3001, 1e9), 4);
}

std::string error_of(const std::string& text, Dimension d) {
  try {
    parse_quantity(text, d);
  } catch (const UnitError& e) {
    return e.what();
  }
  return "";
}

TEST(Units, BareNumberIsRefused) {
  EXPECT_EQ(error_of("3", Dimension::kTime),
            "'3' has no unit, expected a time such as '2.5ns', '800ps' or '3cycles'");
  EXPECT_NE(error_of("1000000000", Dimension::kFrequency).find("has no unit"), std::string::npos);
}

TEST(Units, WrongDimensionIsRefused) {
  EXPECT_EQ(error_of("3pJ", Dimension::kTime),
            "'3pJ' is an energy, expected a time in ps, ns, us, ms, s, cycle(s)");
  EXPECT_EQ(error_of("2ns", Dimension::kEnergy),
            "'2ns' is a time, expected an energy in aJ, fJ, pJ, nJ, uJ, mJ, J");
  EXPECT_EQ(error_of("1GHz", Dimension::kSize),
            "'1GHz' is a frequency, expected a size in bit(s), B, KiB, MiB, GiB");
  EXPECT_EQ(error_of("1mW", Dimension::kEnergy),
            "'1mW' is a power, expected an energy in aJ, fJ, pJ, nJ, uJ, mJ, J");
}

TEST(Units, UnknownUnitIsRefused) {
  EXPECT_EQ(error_of("3xs", Dimension::kTime),
            "unknown unit 'xs' in '3xs', expected a time in ps, ns, us, ms, s, cycle(s)");
}

TEST(Units, UnknownUnitHintsAtTheIntendedOne) {
  EXPECT_EQ(error_of("1ghz", Dimension::kFrequency),
            "unknown unit 'ghz' in '1ghz' (units are case-sensitive: did you mean 'GHz'?)");
  EXPECT_NE(error_of("8KB", Dimension::kSize).find("write B, KiB, MiB or GiB"), std::string::npos);
}

TEST(Units, TextWithoutNumberIsRefused) {
  EXPECT_EQ(error_of("GHz", Dimension::kFrequency),
            "expected a frequency such as '1GHz' or '500MHz', got 'GHz'");
  EXPECT_NE(error_of("", Dimension::kTime), "");
  EXPECT_NE(error_of("inf ns", Dimension::kTime), "");
  EXPECT_NE(error_of("nanJ", Dimension::kEnergy), "");
  EXPECT_NE(error_of("0x10B", Dimension::kSize), "");
  EXPECT_NE(error_of("1  GHz", Dimension::kFrequency), "");  // one space at most
}

TEST(Units, FractionsOfCyclesAndBitsAreRefused) {
  EXPECT_THROW(parse_latency_cycles("2.5cycles", 1e9), UnitError);
  EXPECT_THROW(parse_size_bits("0.1B"), UnitError);
  EXPECT_THROW(parse_size_bits("1e30B"), UnitError);
  EXPECT_THROW(parse_energy_pj("1e308J"), UnitError);  // finite number, infinite in pJ
  EXPECT_THROW(parse_frequency_hz("1e999GHz"), UnitError);
}

TEST(Units, NegativeNumbersParseSoRulesCanNameThem) {
  EXPECT_DOUBLE_EQ(parse_energy_pj("-30fJ"), -0.03);
  EXPECT_EQ(parse_latency_cycles("-1cycle", 1e9), -1);
}

TEST(Units, FormatsFrequencies) {
  EXPECT_EQ(format_frequency(1e9), "1GHz");
  EXPECT_EQ(format_frequency(5e8), "500MHz");
  EXPECT_EQ(format_frequency(2500), "2.5kHz");
  EXPECT_EQ(format_frequency(10), "10Hz");
}

}  // namespace
}  // namespace imc::arch
