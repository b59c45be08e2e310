// Small helpers to build commands: addresses with loop strides, and one constructor per
// command kind the backend emits.
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "compiler/backend/plan.h"
#include "hw/isa/program.h"

namespace imc::compiler {

// An address `base + stride_d * i_d` for the given (depth, stride) pairs; depth < 0 is skipped
// (that loop was not emitted because it would run once).
isa::Addr addr(isa::Space s, int64_t base,
               std::initializer_list<std::pair<int, int64_t>> strides = {});

// Byte `offset` of edge e's slot as inference i0 + ahead uses it (the two slots in turn when
// it is double buffered), with loop strides as for addr().
isa::Addr slot_addr(const Edge& e, int64_t offset,
                    std::initializer_list<std::pair<int, int64_t>> strides = {}, int ahead = 0);

isa::Command loop(int64_t count);
isa::Command end_loop();
isa::Command halt();
isa::Command wait(int sem, int64_t count = 1);
isa::Command signal(int tile, int sem);
// not_last k: a prefetch of inference i0 + k, skipped where there is none (docs/isa.md)
isa::Command load(isa::Addr dst, isa::Addr src, int64_t bytes, int not_last = 0);
isa::Command store(isa::Addr dst, isa::Addr src, int64_t bytes);
isa::Command send(int tile, isa::Addr dst, isa::Addr src, int64_t bytes, int sem);
isa::Command wxb(int xb, int row, int col, int data);
isa::Command wth(int entry, int data);

}  // namespace imc::compiler
