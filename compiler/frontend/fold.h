// Pass "fold": the op-level view -> the IR Graph. Walks the nodes in graph order and folds
// each matmul (Conv, Gemm, MatMul) with what follows it — bias Adds, BatchNorm, a b1/t2
// residual Add, a MaxPool before the binarizer, and the binarizer (Sign, BipolarQuant,
// MultiThreshold) — into one MatLayer with integer thresholds. See docs/compiler-frontend.md.
#pragma once

#include "compiler/frontend/op_view.h"
#include "compiler/ir.h"

namespace imc::compiler::frontend {

// Throws CompileError naming the node for anything it cannot fold exactly.
Graph fold(const OpView& v);

}  // namespace imc::compiler::frontend
