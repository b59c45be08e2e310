// `--set path=value` overrides: checked against the schema, then written into the YAML tree
// before it is typed, so they go through exactly the same checks as the file.
#pragma once

#include <vector>

#include "hw/arch/load.h"
#include "hw/arch/tree.h"

namespace imc::arch {

// Applies `overrides` in order (last wins), noting each as the origin of what it wrote.
void apply_overrides(Tree& tree, const std::vector<Override>& overrides);

}  // namespace imc::arch
