// The reference executor against the naive executor on random hand-built Graphs.
#include <gtest/gtest.h>

#include "tests/compiler/common/naive_graph.h"
#include "tests/compiler/common/random_graph.h"

namespace imc::compiler::testing {
namespace {

using isa::DType;

void expect_same(const GraphBuilder& b, const Tensor& input) {
  std::vector<Tensor> want = naive_run(b.graph(), input);
  std::vector<Tensor> got = run_reference(b.graph(), input);
  ASSERT_EQ(got.size(), want.size());
  for (size_t o = 0; o < want.size(); ++o) {
    ASSERT_EQ(got[o].shape, want[o].shape) << "output " << o;
    ASSERT_EQ(got[o].values, want[o].values) << "output " << o << "\n" << dump(b.graph());
  }
}

const DType kActivations[] = {DType::kB1, DType::kT2, DType::kU8, DType::kI8};

// A conv window over an h x w map that fits once padded.
Window fitting_window(GraphBuilder& b, int64_t h, int64_t w, int max_pad) {
  static const int kKernels[] = {1, 3, 5};
  for (;;) {
    Window k = b.random_window(1, 2, max_pad);
    k.kh = kKernels[b.uniform(0, 2)];
    k.kw = kKernels[b.uniform(0, 2)];
    if (h + k.pad_top + k.pad_bottom >= k.kh && w + k.pad_left + k.pad_right >= k.kw) return k;
  }
}

TEST(ReferenceExecutor, DenseLayersMatchNaiveForSizesAroundWordBoundaries) {
  unsigned seed = 0;
  for (int64_t in_c : {1, 2, 63, 64, 65, 127, 128, 129, 300}) {
    for (DType in_type : kActivations) {
      for (DType out_type : {DType::kB1, DType::kT2, DType::kI32}) {
        for (bool ternary : {false, true}) {
          GraphBuilder b(++seed);
          int x = b.input(in_type, 1, 1, in_c, 2);
          b.output(b.mat(x, out_type, b.uniform(1, 70), Window{}, ternary));
          expect_same(b, b.random_input(3));
        }
      }
    }
  }
}

TEST(ReferenceExecutor, ConvLayersMatchNaiveOverKernelsStridesAndPadding) {
  for (unsigned seed = 1; seed <= 300; ++seed) {
    GraphBuilder b(seed);
    int64_t h = b.uniform(1, 9), w = b.uniform(1, 9);
    int x = b.input(kActivations[seed % 4], h, w, b.uniform(1, 70), 4);
    Window k = fitting_window(b, h, w, 2);
    DType out = seed % 3 == 0 ? DType::kI32 : (seed % 3 == 1 ? DType::kB1 : DType::kT2);
    b.output(b.mat(x, out, b.uniform(1, 80), k, (seed / 4) % 2 == 0));
    expect_same(b, b.random_input(2));
  }
}

TEST(ReferenceExecutor, ChainsWithPoolingResidualAndSeveralOutputsMatchNaive) {
  for (unsigned seed = 1; seed <= 150; ++seed) {
    GraphBuilder b(1000 + seed);
    int64_t h = b.uniform(2, 10), w = b.uniform(2, 10);
    int x = b.input(kActivations[seed % 4], h, w, b.uniform(1, 20), 4);
    Window k = fitting_window(b, h, w, 2);
    DType act = seed % 2 ? DType::kB1 : DType::kT2;
    int a = b.mat(x, act, b.uniform(1, 70), k, seed % 3 == 0);
    // A "same" 3x3 conv with a residual of its input (b1 or t2) and sum_shift 0..2; its
    // output b1 or t2 independently of the residual's type, sometimes i32.
    Window same{3, 3, 1, 1, 1, 1, 1, 1};
    const Value av = b.graph().values[a];
    const DType rout = seed % 5 == 0 ? DType::kI32 : (seed % 7 < 3 ? DType::kB1 : DType::kT2);
    int r = b.mat(a, rout, av.c, same, seed % 4 == 0, a, b.uniform(0, 2), b.uniform(-2, 2));
    if (seed % 3 == 1) {  // per-channel residual scales
      MatLayer& rm = b.graph().layers.back().mat;
      for (int64_t c = 0; c < av.c; ++c) rm.residual_scales.push_back(b.uniform(-4, 4));
    }
    const Value rv = b.graph().values[r];
    Window pw{b.uniform(1, 3), b.uniform(1, 3), b.uniform(1, 2), b.uniform(1, 2)};
    pw.pad_top = b.uniform(0, pw.kh - 1);
    pw.pad_bottom = b.uniform(0, pw.kh - 1);
    pw.pad_left = b.uniform(0, pw.kw - 1);
    pw.pad_right = b.uniform(0, pw.kw - 1);
    if (rv.h + pw.pad_top + pw.pad_bottom < pw.kh || rv.w + pw.pad_left + pw.pad_right < pw.kw)
      pw = Window{};
    int p = b.pool(r, pw);
    const Value pv = b.graph().values[p];
    Window full{static_cast<int>(pv.h), static_cast<int>(pv.w)};  // flatten + dense
    int d = b.mat(p, DType::kI32, b.uniform(1, 12), full, seed % 2 == 0);
    b.output(d);
    if (seed % 3 == 0) b.output(a);
    expect_same(b, b.random_input(2));
  }
}

TEST(ReferenceExecutor, MaxPoolOverEveryTypeIgnoresPadding) {
  for (unsigned seed = 1; seed <= 60; ++seed) {
    GraphBuilder b(5000 + seed);
    DType t = seed % 5 == 4 ? DType::kI32 : kActivations[seed % 4];
    int x = b.input(t, b.uniform(2, 7), b.uniform(2, 7), b.uniform(1, 9), 4);
    Window k{2, 3, 2, 1, 1, 2, 1, 0};
    b.output(b.pool(x, k));
    expect_same(b, b.random_input(2));
  }
}

}  // namespace
}  // namespace imc::compiler::testing
