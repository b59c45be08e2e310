// Static validation of a program against one chip: everything that can be known without
// running it (ids, sizes, fits, first-iteration address ranges). Loops that walk addresses
// out of range are caught by the simulator at run time.
#pragma once

#include "hw/arch/params.h"
#include "hw/isa/program.h"

namespace imc::isa {

// Throws SyntaxError "FILE:LINE:1: what is wrong" (FILE = program.source_file, LINE the
// command's, tile's or tensor's line; 0 for binary programs) on the first problem found.
void check_program(const Program& program, const arch::ChipParams& chip);

}  // namespace imc::isa
