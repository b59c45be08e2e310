#include "compiler/reference/packed.h"

namespace imc::compiler::reference {

namespace {

void set_bit(uint64_t* words, int64_t i) {
  words[i / 64] |= uint64_t{1} << (i % 64);
}

}  // namespace

PackedMap::PackedMap(const std::vector<int32_t>& values, int64_t h, int64_t w, int64_t c,
                     isa::DType type)
    : h_(h), w_(w), c_(c), words_(words_for(c)), binary_(type == isa::DType::kB1) {
  bits_.assign(static_cast<size_t>(h * w * 2 * words_), 0);
  for (int64_t p = 0; p < h * w; ++p) {
    const int32_t* pixel = values.data() + p * c;
    uint64_t* nz = bits_.data() + p * 2 * words_;
    uint64_t* neg = nz + words_;
    for (int64_t ci = 0; ci < c; ++ci) {
      if (pixel[ci] != 0) set_bit(nz, ci);
      if (pixel[ci] < 0) set_bit(neg, ci);
    }
  }
}

PackedWeights::PackedWeights(const std::vector<int8_t>& weights, int out_c, int segments,
                             int64_t in_c)
    : segments_(segments), words_(words_for(in_c)), binary_(true) {
  bits_.assign(static_cast<size_t>(out_c) * segments * 2 * words_, 0);
  for (int oc = 0; oc < out_c; ++oc) {
    for (int s = 0; s < segments; ++s) {
      const int8_t* row = weights.data() + (static_cast<int64_t>(oc) * segments + s) * in_c;
      uint64_t* nz = bits_.data() + offset(oc, s);
      uint64_t* neg = nz + words_;
      for (int64_t ci = 0; ci < in_c; ++ci) {
        if (row[ci] != 0) set_bit(nz, ci);
        if (row[ci] < 0) set_bit(neg, ci);
        if (row[ci] == 0) binary_ = false;
      }
    }
  }
}

}  // namespace imc::compiler::reference
