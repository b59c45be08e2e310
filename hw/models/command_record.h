// What a tile records of each command it executes (imcsim --cmd-trace, --critical-path).
// Plain C++, no kernel.
#pragma once

#include <cstdint>

#include "hw/isa/program.h"

namespace imc::models {

// The command that raised a semaphore: its tile, program line and the cycle it started.
struct TokenOrigin {
  int tile = -1;
  int line = 0;
  int64_t sent = 0;
};

// One executed command, for comparing runs command by command (imcsim --cmd-trace) and for
// the critical path (critical_path.h).
struct CommandRecord {
  int line = 0;  // of the command in the program
  isa::Opcode op = isa::Opcode::kHalt;
  int64_t issue = 0;  // cycle it issued
  int64_t start = 0;  // cycle its unit started (= issue for commands without a unit)
  int64_t end = 0;    // cycle its unit became free
  // A WAIT that blocked: the token that let it pass (the last one it needed) and when that
  // token arrived. tile -1: the WAIT found its tokens already there.
  TokenOrigin woken_by;
  int64_t woken_at = 0;
};

}  // namespace imc::models
