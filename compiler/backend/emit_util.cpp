#include "compiler/backend/emit_util.h"

namespace imc::compiler {

using isa::Command;
using isa::Opcode;

isa::Addr addr(isa::Space s, int64_t base, std::initializer_list<std::pair<int, int64_t>> strides) {
  isa::Addr a;
  a.space = s;
  a.base = base;
  for (const auto& [depth, stride] : strides)
    if (depth >= 0) a.stride[depth] += stride;
  return a;
}

isa::Addr slot_addr(const Edge& e, int64_t offset,
                    std::initializer_list<std::pair<int, int64_t>> strides, int ahead) {
  isa::Addr a = addr(isa::Space::kIbuf, e.slot + offset, strides);
  a.rot = e.rotation(ahead);
  return a;
}

static Command op(Opcode o) {
  Command c;
  c.op = o;
  return c;
}

Command loop(int64_t count) {
  Command c = op(Opcode::kLoop);
  c.count = count;
  return c;
}
Command end_loop() {
  return op(Opcode::kEndLoop);
}
Command halt() {
  return op(Opcode::kHalt);
}

Command wait(int sem, int64_t count) {
  Command c = op(Opcode::kWait);
  c.sem = sem;
  c.count = count;
  return c;
}

Command signal(int tile, int sem) {
  Command c = op(Opcode::kSignal);
  c.tile = tile;
  c.sem = sem;
  return c;
}

static Command move(Opcode o, isa::Addr dst, isa::Addr src, int64_t bytes) {
  Command c = op(o);
  c.dst = dst;
  c.src = src;
  c.bytes = bytes;
  return c;
}

Command load(isa::Addr dst, isa::Addr src, int64_t bytes, int not_last) {
  Command c = move(Opcode::kLoad, dst, src, bytes);
  c.not_last = not_last;
  return c;
}
Command store(isa::Addr dst, isa::Addr src, int64_t bytes) {
  return move(Opcode::kStore, dst, src, bytes);
}

Command send(int tile, isa::Addr dst, isa::Addr src, int64_t bytes, int sem) {
  Command c = move(Opcode::kSend, dst, src, bytes);
  c.tile = tile;
  c.sem = sem;
  return c;
}

Command wxb(int xb, int row, int col, int data) {
  Command c = op(Opcode::kWxb);
  c.xbar = xb;
  c.row = row;
  c.col = col;
  c.data = data;
  return c;
}

Command wth(int entry, int data) {
  Command c = op(Opcode::kWth);
  c.entry = entry;
  c.data = data;
  return c;
}

}  // namespace imc::compiler
