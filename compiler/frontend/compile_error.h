// The frontend's error: an ONNX model it cannot compile exactly.
#pragma once

#include <stdexcept>
#include <string>

namespace imc::compiler {

// what(): "MODEL: node 'NAME' (OpType): reason", or "MODEL: reason" for the whole model.
// An unsupported op or pattern is always this error, never a silent miscompile.
class CompileError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace imc::compiler
