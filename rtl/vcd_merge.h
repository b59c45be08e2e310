// Merges VCD files (one per co-simulated block instance, each written by Verilated tracing
// in time order) into one: their scopes side by side, their changes in one time order.
#pragma once

#include <string>
#include <vector>

namespace imc::rtl {

// Writes `out` atomically; throws std::runtime_error when a part cannot be read.
void merge_vcd(const std::vector<std::string>& parts, const std::string& out);

}  // namespace imc::rtl
