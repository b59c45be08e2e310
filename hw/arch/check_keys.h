// Rejects any key the schema does not know, and any key given twice, anywhere in the tree.
#pragma once

#include "hw/arch/tree.h"

namespace imc::arch {

void check_known_keys(const Tree& tree);

}  // namespace imc::arch
