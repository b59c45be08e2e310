#include "compiler/frontend/import.h"

#include <fstream>
#include <stdexcept>

#include "compiler/frontend/fold.h"
#include "compiler/frontend/op_view.h"
#include "hw/arch/load.h"

namespace imc::compiler {

onnx::ModelProto read_onnx(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw arch::InputError(path + ": cannot open the file");
  onnx::ModelProto model;
  if (!model.ParseFromIstream(&in)) throw arch::InputError(path + ": not an ONNX model protobuf");
  if (!model.has_graph() || model.graph().node_size() == 0)
    throw arch::InputError(path + ": the model has no graph");
  return model;
}

Graph import_onnx(const std::string& path, const ImportOptions& options) {
  return import_onnx(read_onnx(path), path, options);
}

Graph import_onnx(const onnx::ModelProto& model, const std::string& name,
                  const ImportOptions& options) {
  return frontend::fold(frontend::make_op_view(model, name, options.input_type));
}

std::vector<std::string> frontend_pass_names() {
  return {"import", "fold"};
}

std::string frontend_dump_after(const onnx::ModelProto& model, const std::string& name,
                                const ImportOptions& options, const std::string& pass) {
  if (pass != "import" && pass != "fold")
    throw std::invalid_argument("unknown frontend pass '" + pass + "' (import, fold)");
  const frontend::OpView v = frontend::make_op_view(model, name, options.input_type);
  if (pass == "import") return frontend::dump(v);
  return dump(frontend::fold(v));
}

}  // namespace imc::compiler
