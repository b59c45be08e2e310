// A seeded generator of well-formed programs for the round-trip tests: every opcode, every
// operand at default and non-default values, extremes of every range, nested loops with
// strides, every data and tensor type. Programs are syntactically valid, not chip-checked.
#pragma once

#include <limits>
#include <random>
#include <string>

#include "hw/isa/program.h"

namespace imc::isa::testing {

class RandomProgram {
 public:
  explicit RandomProgram(uint64_t seed) : rng_(seed) {}

  Program next() {
    Program p;
    const int blocks = static_cast<int>(range(1, 4));
    for (int i = 0; i < blocks; ++i) p.data.push_back(data_block("w" + std::to_string(i)));
    const int inputs = static_cast<int>(range(0, 2));
    const int outputs = static_cast<int>(range(0, 2));
    for (int i = 0; i < inputs; ++i) p.inputs.push_back(tensor("in" + std::to_string(i)));
    for (int i = 0; i < outputs; ++i) p.outputs.push_back(tensor("out_" + std::to_string(i)));
    const int tiles = static_cast<int>(range(0, 3));
    for (int i = 0; i < tiles; ++i) {
      TileProgram t;
      t.tile = i == 0 ? static_cast<int>(range(0, 63))
                      : p.tiles.back().tile + 1 + static_cast<int>(range(0, 1000));
      if (i == tiles - 1 && coin(0.1)) t.tile = std::numeric_limits<int>::max();
      tile_body(t, blocks);
      p.tiles.push_back(t);
    }
    return p;
  }

 private:
  static constexpr int64_t kI64Min = std::numeric_limits<int64_t>::min();
  static constexpr int64_t kI64Max = std::numeric_limits<int64_t>::max();
  static constexpr int64_t kIntMax = std::numeric_limits<int>::max();

  int64_t range(int64_t lo, int64_t hi) {
    return std::uniform_int_distribution<int64_t>(lo, hi)(rng_);
  }
  bool coin(double p) { return std::bernoulli_distribution(p)(rng_); }

  // Mostly small values, sometimes the ends of the range or anything inside it.
  int64_t value(int64_t lo, int64_t hi) {
    const int pick = static_cast<int>(range(0, 9));
    if (pick == 0) return lo;
    if (pick == 1) return hi;
    if (pick == 2) return range(lo, hi);
    const int64_t small_lo = std::max<int64_t>(lo, -300);
    const int64_t small_hi = std::min<int64_t>(hi, 300);
    return small_lo <= small_hi ? range(small_lo, small_hi) : range(lo, hi);
  }

  DType dtype(std::initializer_list<DType> allowed) {
    return *(allowed.begin() + range(0, static_cast<int64_t>(allowed.size()) - 1));
  }
  DType any_dtype() { return dtype({DType::kB1, DType::kT2, DType::kU8, DType::kI8, DType::kI32}); }

  DataBlock data_block(const std::string& name) {
    DataBlock b;
    b.name = name;
    b.type = any_dtype();
    b.rows = range(1, 6);
    b.cols = range(1, 9);
    for (int64_t i = 0; i < b.rows * b.cols; ++i) {
      switch (b.type) {
        case DType::kB1:
          b.values.push_back(coin(0.5) ? 1 : -1);
          break;
        case DType::kT2:
          b.values.push_back(static_cast<int32_t>(range(-1, 1)));
          break;
        case DType::kU8:
          b.values.push_back(static_cast<int32_t>(value(0, 255)));
          break;
        case DType::kI8:
          b.values.push_back(static_cast<int32_t>(value(-128, 127)));
          break;
        case DType::kI32:
          b.values.push_back(static_cast<int32_t>(
              value(std::numeric_limits<int32_t>::min(), std::numeric_limits<int32_t>::max())));
          break;
      }
    }
    return b;
  }

  TensorDecl tensor(const std::string& name) {
    TensorDecl t;
    t.name = name;
    t.type = any_dtype();
    const int dims = static_cast<int>(range(1, 3));
    for (int i = 0; i < dims; ++i) t.shape.push_back(range(1, 40));
    t.gb_addr = value(0, kI64Max);
    if (t.shape.size() == 3 && coin(0.5)) t.layout = Layout::kPixels;
    t.stride = coin(0.5) ? t.bytes() : value(0, kI64Max);
    return t;
  }

  Addr addr(std::initializer_list<Space> spaces, int depth) {
    Addr a;
    a.space = *(spaces.begin() + range(0, static_cast<int64_t>(spaces.size()) - 1));
    a.base = value(kI64Min, kI64Max);
    for (int d = 0; d < depth; ++d) {
      if (coin(0.5)) a.stride[d] = value(kI64Min, kI64Max);
    }
    if (depth > 0 && coin(0.25)) {
      a.rot.depth = static_cast<int>(range(0, depth - 1));
      a.rot.period = range(2, kI64Max);
      do a.rot.stride = value(kI64Min, kI64Max);
      while (a.rot.stride == 0);
      if (coin(0.5)) a.rot.offset = range(0, a.rot.period - 1);
    }
    return a;
  }

  // An optional operand: its default half the time.
  int64_t opt(int64_t def, int64_t lo, int64_t hi) { return coin(0.5) ? def : value(lo, hi); }

  void gather(Command& c, bool with_mask) {
    c.gather.elems = value(0, kI64Max);
    c.gather.kx = static_cast<int>(opt(1, 0, kIntMax));
    c.gather.sx = opt(0, kI64Min, kI64Max);
    c.gather.ky = static_cast<int>(opt(1, 0, kIntMax));
    c.gather.sy = opt(0, kI64Min, kI64Max);
    if (with_mask) c.gather.mask = static_cast<uint32_t>(opt(0xFFFFFFFF, 0, 0xFFFFFFFF));
  }

  Command command(Opcode op, int depth, int blocks) {
    const auto bufs = {Space::kIbuf, Space::kObuf};
    Command c;
    c.op = op;
    switch (op) {
      case Opcode::kWxb:
        c.xbar = static_cast<int>(value(0, kIntMax));
        c.row = static_cast<int>(opt(0, 0, kIntMax));
        c.col = static_cast<int>(opt(0, 0, kIntMax));
        c.data = static_cast<int>(range(0, blocks - 1));
        break;
      case Opcode::kWth:
        c.entry = static_cast<int>(opt(0, 0, kIntMax));
        c.data = static_cast<int>(range(0, blocks - 1));
        break;
      case Opcode::kLoad:
        c.dst = addr(bufs, depth);
        c.src = addr({Space::kGb}, depth);
        c.bytes = value(0, kI64Max);
        c.not_last = coin(0.3) ? static_cast<int>(value(1, 3)) : 0;
        break;
      case Opcode::kStore:
        c.dst = addr({Space::kGb}, depth);
        c.src = addr(bufs, depth);
        c.bytes = value(0, kI64Max);
        break;
      case Opcode::kCopy:
      case Opcode::kSend:
        c.dst = addr(bufs, depth);
        c.src = addr(bufs, depth);
        c.bytes = value(0, kI64Max);
        if (op == Opcode::kSend) {
          c.tile = static_cast<int>(value(0, kIntMax));
          c.mcast = static_cast<uint32_t>(opt(0, 0, 0xFFFFFFFF));
          c.sem = static_cast<int>(opt(-1, -1, kIntMax));
          c.alt_sem = static_cast<int>(opt(-1, -1, kIntMax));
          c.third_sem = static_cast<int>(opt(-1, -1, kIntMax));
          c.not_last = coin(0.3) ? static_cast<int>(value(1, 3)) : 0;
        }
        break;
      case Opcode::kSignal:
        c.tile = static_cast<int>(value(0, kIntMax));
        c.sem = static_cast<int>(value(0, kIntMax));
        c.alt_sem = static_cast<int>(opt(-1, -1, kIntMax));
        c.third_sem = static_cast<int>(opt(-1, -1, kIntMax));
        break;
      case Opcode::kWait:
        c.sem = static_cast<int>(value(0, kIntMax));
        c.alt_sem = static_cast<int>(opt(-1, -1, kIntMax));
        c.third_sem = static_cast<int>(opt(-1, -1, kIntMax));
        c.count = opt(1, 0, kI64Max);
        c.not_last = coin(0.3) ? static_cast<int>(value(1, 3)) : 0;
        break;
      case Opcode::kMvm:
        c.xbar = static_cast<int>(value(0, kIntMax));
        c.src = addr(bufs, depth);
        c.type = dtype({DType::kB1, DType::kT2, DType::kU8, DType::kI8});
        gather(c, true);
        c.row = static_cast<int>(opt(0, 0, kIntMax));
        c.col = static_cast<int>(opt(0, 0, kIntMax));
        c.cols = static_cast<int>(value(0, kIntMax));
        c.dst = addr({Space::kAcc}, depth);
        c.shift = static_cast<int>(opt(0, 0, 31));
        c.accumulate = coin(0.5);
        c.reps = static_cast<int>(opt(1, 1, kIntMax));
        c.src_step = opt(0, kI64Min, kI64Max);
        c.dst_step = opt(0, kI64Min, kI64Max);
        break;
      case Opcode::kAccAdd:
        c.dst = addr({Space::kAcc}, depth);
        c.src = addr(bufs, depth);
        c.type = dtype({DType::kB1, DType::kT2, DType::kU8, DType::kI8, DType::kI32});
        c.count = value(0, kI64Max);
        c.scale = static_cast<int>(
            opt(1, std::numeric_limits<int32_t>::min(), std::numeric_limits<int32_t>::max()));
        break;
      case Opcode::kThresh:
        c.src = addr({Space::kAcc}, depth);
        c.dst = addr(bufs, depth);
        c.count = value(0, kI64Max);
        c.entry = static_cast<int>(opt(0, 0, kIntMax));
        c.type = dtype({DType::kB1, DType::kT2, DType::kI32});
        break;
      case Opcode::kPool:
        c.type = any_dtype();
        if (c.type == DType::kI32) {
          c.dst = addr({Space::kIbuf, Space::kObuf, Space::kAcc}, depth);
          c.src = addr({Space::kIbuf, Space::kObuf, Space::kAcc}, depth);
        } else {
          c.dst = addr(bufs, depth);
          c.src = addr(bufs, depth);
        }
        gather(c, false);
        break;
      case Opcode::kLoop:
        c.count = coin(0.3) ? kBatch : value(1, kI64Max);
        break;
      case Opcode::kEndLoop:
      case Opcode::kHalt:
        break;
    }
    return c;
  }

  void tile_body(TileProgram& t, int blocks) {
    const int n = static_cast<int>(range(0, 40));
    int depth = 0;
    for (int i = 0; i < n; ++i) {
      Opcode op = static_cast<Opcode>(range(0, static_cast<int>(Opcode::kHalt)));
      if (op == Opcode::kLoop && depth == kMaxLoopDepth) op = Opcode::kEndLoop;
      if (op == Opcode::kEndLoop && depth == 0) op = Opcode::kLoop;
      t.commands.push_back(command(op, depth, blocks));
      if (op == Opcode::kLoop) ++depth;
      if (op == Opcode::kEndLoop) --depth;
    }
    for (; depth > 0; --depth) t.commands.push_back(command(Opcode::kEndLoop, 0, blocks));
    if (coin(0.8)) t.commands.push_back(command(Opcode::kHalt, 0, blocks));
  }

  std::mt19937_64 rng_;
};

}  // namespace imc::isa::testing
