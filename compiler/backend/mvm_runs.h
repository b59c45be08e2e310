// MVM runs (a sequencer with `tile.sequencer.mvm_repeat: strided`, docs/isa.md `reps`): the
// MVMs that a stretch of consecutive MVM commands issues on the same crossbar columns with the
// same gather, at addresses that advance by a constant step, become one command. A b1 MVM
// keeps its crossbar busy for a few cycles while the sequencer issues one command a cycle, so
// a tile with four crossbars computing neighbouring positions was held to one MVM per cycle.
#pragma once

#include <vector>

#include "hw/isa/program.h"

namespace imc::compiler {

// Rewrites `commands` in place; the runs go out in the order of their first MVMs. A later MVM
// joins the run of an earlier one only when it does not move ahead of an MVM that writes
// accumulator entries it writes (the order of the sums is kept), so the program computes the
// same values.
void fuse_mvm_runs(std::vector<isa::Command>& commands);

}  // namespace imc::compiler
