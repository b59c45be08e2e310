// Writes the malformed and unsupported ONNX models of tests/bad_inputs/onnx/ (run once by
// hand, the outputs are checked in): make_bad_onnx tests/bad_inputs/onnx
// Each is a small NetBuilder network with one thing wrong; expect.tsv there says what imcc
// must answer.
#include <cstdint>
#include <fstream>
#include <iostream>
#include <string>

#include "tests/compiler/model_builder.h"

using imc::compiler::testing::NetBuilder;
using imc::compiler::testing::WeightKind;

namespace {

std::string dir;

void save(const onnx::ModelProto& m, const std::string& name) {
  std::ofstream out(dir + "/" + name, std::ios::binary);
  if (!out || !m.SerializeToOstream(&out)) throw std::runtime_error("cannot write " + name);
}

void add_ints(onnx::NodeProto& n, const std::string& name, std::initializer_list<int64_t> v) {
  auto* a = n.add_attribute();
  a->set_name(name);
  a->set_type(onnx::AttributeProto::INTS);
  for (int64_t x : v) a->add_ints(x);
}

// A fine MLP: the starting point of the one-change files.
NetBuilder mlp() {
  NetBuilder b("BIPOLAR", {1, 64}, 1);
  b.gemm(32);
  b.bn_sign();
  return b;
}

}  // namespace

int main(int argc, char* argv[]) {
  if (argc != 2) {
    std::cerr << "usage: make_bad_onnx DIR\n";
    return 2;
  }
  dir = argv[1];
  std::ofstream(dir + "/not_protobuf.onnx") << "this is not an ONNX model \xff\xff\xff\n";
  {
    NetBuilder b = mlp();
    b.gemm(10);
    b.output();
    std::string bytes = b.build().SerializeAsString();
    std::ofstream(dir + "/truncated.onnx", std::ios::binary) << bytes.substr(0, bytes.size() / 2);
  }
  {
    onnx::ModelProto m;
    m.set_ir_version(8);
    m.add_opset_import()->set_version(13);
    m.mutable_graph()->set_name("empty");
    save(m, "empty_graph.onnx");
  }
  {
    NetBuilder b = mlp();
    b.gemm(10);
    onnx::ModelProto m = b.build();
    auto* n = m.mutable_graph()->add_node();
    n->set_op_type("Softmax");
    n->set_name("softmax0");
    n->add_input(b.current());
    n->add_output("probs");
    auto* o = m.mutable_graph()->add_output();
    o->set_name("probs");
    save(m, "unsupported_softmax.onnx");
  }
  {
    NetBuilder b = mlp();
    b.gemm(10);
    b.output();
    onnx::ModelProto m = b.build();
    m.mutable_graph()->mutable_node(2)->set_op_type("Relu");  // sign0 -> Relu
    save(m, "relu_activation.onnx");
  }
  {
    NetBuilder b("UINT8", {1, 1, 8, 8}, 2);
    b.conv(8, 3, 1, 1);
    b.bn_sign();
    b.conv(8, 3, 1, 1);
    auto* a = b.last_node().add_attribute();
    a->set_name("group");
    a->set_type(onnx::AttributeProto::INT);
    a->set_i(2);
    b.bn_sign();
    b.flatten();
    b.gemm(10);
    b.output();
    save(b.build(), "group_conv.onnx");
  }
  {
    NetBuilder b("UINT8", {1, 1, 8, 8}, 3);
    b.conv(8, 3, 1, 1);
    add_ints(b.last_node(), "dilations", {2, 2});
    b.bn_sign();
    b.flatten();
    b.gemm(10);
    b.output();
    save(b.build(), "dilated_conv.onnx");
  }
  {
    NetBuilder b = mlp();
    b.gemm(10);
    b.output();
    onnx::ModelProto m = b.build();
    for (auto& t : *m.mutable_graph()->mutable_initializer())
      if (t.name() == "gemm1.W") t.set_float_data(7, 0.5f);
    save(m, "weights_not_pm1.onnx");
  }
  {
    NetBuilder b = mlp();
    b.gemm(16);
    b.bn();  // no Sign after it: real-valued activations into the next matmul
    b.gemm(10);
    b.output();
    save(b.build(), "bn_without_binarizer.onnx");
  }
  {
    NetBuilder b("BIPOLAR", {1, 16}, 4);  // one layer per tile: 65 layers, 64 tiles
    for (int i = 0; i < 64; ++i) {
      b.gemm(16);
      b.bn_sign();
    }
    b.gemm(10);
    b.output();
    save(b.build(), "too_many_layers_for_chip.onnx");
  }
  {
    // A map split over tiles by output rows still needs the 3 input rows of one output row
    // (3 x 3000 B) in a tile's 8 KiB input buffer.
    NetBuilder b("UINT8", {1, 1, 4, 3000}, 6);
    b.conv(1, 3, 1, 1);
    b.output_raw();
    save(b.build(), "map_row_larger_than_tile_buffer.onnx");
  }
  {
    NetBuilder b("", {1, 64}, 5);
    b.gemm(10);
    b.output();
    save(b.build(), "no_input_type.onnx");
  }
  // Malformed graphs that mutation fuzzing (scripts/fuzz) found crashing the frontend.
  auto small_cnn = [](uint64_t seed) {
    NetBuilder b("UINT8", {1, 1, 8, 8}, seed);
    b.conv(8, 3, 1, 1);
    return b;
  };
  auto finish_cnn = [](NetBuilder& b) {
    b.bn_sign();
    b.flatten();
    b.gemm(10);
    b.output();
  };
  {
    NetBuilder b = small_cnn(7);
    finish_cnn(b);
    onnx::ModelProto m = b.build();
    for (auto& n : *m.mutable_graph()->mutable_node())
      if (n.op_type() == "Sign") n.clear_output();
    save(m, "node_without_output.onnx");
  }
  {
    NetBuilder b = small_cnn(8);
    finish_cnn(b);
    onnx::ModelProto m = b.build();
    for (auto& n : *m.mutable_graph()->mutable_node())
      if (n.op_type() == "BatchNormalization") n.mutable_input()->DeleteSubrange(3, 2);
    save(m, "batchnorm_three_inputs.onnx");
  }
  auto with_attr = [&](const std::string& file, const std::string& attr,
                       std::initializer_list<int64_t> v) {
    NetBuilder b = small_cnn(9);
    onnx::NodeProto& conv = b.last_node();
    for (int i = 0; i < conv.attribute_size(); ++i)
      if (conv.attribute(i).name() == attr) conv.mutable_attribute()->DeleteSubrange(i, 1);
    add_ints(conv, attr, v);
    finish_cnn(b);
    save(b.build(), file);
  };
  with_attr("conv_stride_zero.onnx", "strides", {0, 0});               // was a division by zero
  with_attr("conv_pads_overflow.onnx", "pads", {INT64_MAX, 1, 1, 1});  // was an overflow
  {
    NetBuilder b = small_cnn(10);
    finish_cnn(b);
    onnx::ModelProto m = b.build();
    for (auto& t : *m.mutable_graph()->mutable_initializer())
      if (t.name() == "gemm1.W") t.set_dims(1, INT64_MAX);  // the product of dims overflowed
    save(m, "initializer_dims_overflow.onnx");
  }
  {
    NetBuilder b = mlp();
    b.gemm(10);
    b.output();
    onnx::ModelProto m = b.build();
    m.mutable_graph()
        ->mutable_input(0)
        ->mutable_type()
        ->mutable_tensor_type()
        ->mutable_shape()
        ->mutable_dim(1)
        ->set_dim_value(int64_t{1} << 40);
    save(m, "input_too_large.onnx");
  }
  return 0;
}
