// How a run ended, shared by the platform's modules: the first run-time fault wins.
#pragma once

#include <cstdint>
#include <string>

namespace imc::models {

struct RunFault {
  int tile = -1;
  int line = 0;         // of the command in the program, 0 when unknown
  std::string command;  // the command as text
  std::string what;     // what went wrong
  int64_t cycle = 0;    // simulated time of the fault
};

struct RunStatus {
  bool failed = false;
  RunFault fault;
};

}  // namespace imc::models
