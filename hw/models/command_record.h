// What a tile records of the commands it executes: every command (imcsim --cmd-trace) or
// only the WAITs that blocked (imcsim --critical-path, critical_path.h). Plain C++.
#pragma once

#include <cstdint>

#include "hw/isa/program.h"

namespace imc::models {

// The command that raised a semaphore: its tile, program line, opcode, the cycle it started,
// and how many blocking WAITs its tile had passed before it.
struct TokenOrigin {
  int tile = -1;
  int line = 0;
  isa::Opcode op = isa::Opcode::kHalt;
  int64_t sent = 0;
  int64_t waits_before = 0;
};

// One executed command, for comparing runs command by command (imcsim --cmd-trace).
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

// A WAIT that blocked: the cycle it passed and the token that let it pass.
struct WaitRecord {
  int line = 0;
  int64_t passed = 0;
  TokenOrigin woken_by;
  int64_t woken_at = 0;
};

}  // namespace imc::models
