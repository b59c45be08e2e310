// The layer sequence of a NetGenome, shared by the training module (network.cpp), the fold
// (fold.cpp), the double-precision evaluator and the ONNX export. Torch-free.
//
// Values are numbered in order: value 0 is the uint8 image, each stage makes one more.
//   vgg  : conv-BN-act, conv-BN-act, maxpool 2x2        mvgg: the same without the pool
//   res  : conv-BN-act (h), conv-BN (+ shortcut) -act; the shortcut is the block input when
//          it is an activation with the block's channel count, else h (it then goes around
//          the second conv only). The image itself is never a shortcut (it is uint8).
//   skip : nothing
//   head : head_pools x maxpool 2x2, flatten, [dense head_width -BN-act], dense classes
//          (raw integer sums: the class scores).
#pragma once
#include <string>
#include <vector>
#include "nas/genome/genome.h"

namespace imc::nas {

struct Shape {
  int c = 0, h = 1, w = 1;
  bool flat = false;  // [N, c] (after the flatten); else [N, c, h, w]
  long elements() const { return long(c) * h * w; }
};

struct Stage {
  enum class Kind { kConv, kPool, kFlatten, kDense };
  Kind kind = Kind::kConv;
  std::string name;   // "conv0", "pool0", "flatten", "fc0": ONNX node names
  int input = 0;      // value index read (always the previous value)
  int residual = -1;  // value index added before the activation, -1 = none
  bool raw = false;   // the last dense layer: integer sums, no BN, no activation
  Shape in, out;
  // conv: 3x3, stride 1, pad 1; pool: 2x2, stride 2
  int fan_in() const { return kind == Kind::kConv ? 9 * in.c : int(in.elements()); }
  bool has_weights() const { return kind == Kind::kConv || kind == Kind::kDense; }
};

// Throws arch::InputError "net: what is wrong" for a genome that makes no network (check_net).
std::vector<Stage> plan_network(const NetGenome& g);

}  // namespace imc::nas
