// A plain-integer executor of a Graph for tests: unpacked values, one loop per term of the
// ir.h formula, nothing shared with compiler/reference/.
#pragma once

#include "compiler/reference/reference.h"

namespace imc::compiler::testing {

std::vector<Tensor> naive_run(const Graph& g, const Tensor& input);

}  // namespace imc::compiler::testing
