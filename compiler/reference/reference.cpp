#include "compiler/reference/reference.h"

#include <memory>
#include <stdexcept>
#include <string>

#include "compiler/reference/layout.h"
#include "compiler/reference/mat_layer.h"
#include "compiler/reference/pool_layer.h"

namespace imc::compiler {

namespace {

using Map = std::vector<int32_t>;

// Checks the whole graph and packs the weights of every MatLayer once for the batch.
std::vector<std::unique_ptr<reference::MatKernel>> prepare(const Graph& g) {
  std::vector<std::unique_ptr<reference::MatKernel>> kernels;
  std::vector<bool> defined(g.values.size(), false);
  if (g.input >= 0 && g.input < static_cast<int>(g.values.size())) defined[g.input] = true;
  for (const Layer& l : g.layers) {
    if (l.kind == Layer::Kind::kMat) {
      kernels.push_back(std::make_unique<reference::MatKernel>(g, l.mat));
    } else {
      reference::check_pool_layer(g, l.pool);
      kernels.push_back(nullptr);
    }
    bool ready = defined[l.input()] &&
                 (l.kind != Layer::Kind::kMat || l.mat.residual < 0 || defined[l.mat.residual]);
    if (!ready)
      throw std::invalid_argument("reference: layer '" + l.name() +
                                  "' reads a value "
                                  "no earlier layer writes");
    defined[l.output()] = true;
  }
  if (g.outputs.empty()) throw std::invalid_argument("reference: the graph has no outputs");
  for (int o : g.outputs) {
    if (o < 0 || o >= static_cast<int>(g.values.size()) || !defined[o])
      throw std::invalid_argument("reference: output value " + std::to_string(o) +
                                  " is never written");
  }
  if (!g.onnx_output_shapes.empty() && g.onnx_output_shapes.size() != g.outputs.size())
    throw std::invalid_argument("reference: onnx_output_shapes and outputs differ in count");
  return kernels;
}

}  // namespace

std::vector<Tensor> run_reference(const Graph& g, const Tensor& input) {
  auto kernels = prepare(g);
  std::vector<Map> inputs = reference::split_input(g, input);
  std::vector<std::vector<Map>> outputs(g.outputs.size(), std::vector<Map>(inputs.size()));
  std::vector<Map> values(g.values.size());
  for (size_t b = 0; b < inputs.size(); ++b) {
    values[g.input] = std::move(inputs[b]);
    for (size_t li = 0; li < g.layers.size(); ++li) {
      const Layer& l = g.layers[li];
      if (l.kind == Layer::Kind::kMat) {
        const Map* residual = l.mat.residual >= 0 ? &values[l.mat.residual] : nullptr;
        values[l.output()] = kernels[li]->run(values[l.input()], residual);
      } else {
        values[l.output()] = reference::run_pool_layer(g, l.pool, values[l.input()]);
      }
    }
    for (size_t o = 0; o < g.outputs.size(); ++o) outputs[o][b] = values[g.outputs[o]];
  }
  std::vector<Tensor> result;
  for (size_t o = 0; o < g.outputs.size(); ++o) {
    static const std::vector<int64_t> kNone;
    const auto& shape = g.onnx_output_shapes.empty() ? kNone : g.onnx_output_shapes[o];
    result.push_back(reference::join_output(g, g.outputs[o], shape, outputs[o]));
  }
  return result;
}

}  // namespace imc::compiler
