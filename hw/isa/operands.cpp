#include "hw/isa/operands.h"

#include <algorithm>
#include <charconv>
#include <limits>

namespace imc::isa {

namespace {

constexpr int64_t kI64Max = std::numeric_limits<int64_t>::max();
constexpr int64_t kI64Min = std::numeric_limits<int64_t>::min();
constexpr int64_t kIntMax = std::numeric_limits<int>::max();
constexpr int64_t kI32Min = std::numeric_limits<int32_t>::min();

constexpr uint8_t bit(DType t) {
  return static_cast<uint8_t>(1u << static_cast<int>(t));
}
constexpr uint8_t bit(Space s) {
  return static_cast<uint8_t>(1u << static_cast<int>(s));
}

constexpr uint8_t kBufs = bit(Space::kIbuf) | bit(Space::kObuf);
constexpr uint8_t kInputTypes =
    bit(DType::kB1) | bit(DType::kT2) | bit(DType::kU8) | bit(DType::kI8);

// Builders keep the table below readable: one line per operand.
OperandSpec req_int(const char* n, Field f, int64_t lo, int64_t hi) {
  return {n, f, OperandKind::kInt, true, 0, lo, hi, 0, false};
}
OperandSpec opt_int(const char* n, Field f, int64_t def, int64_t lo, int64_t hi) {
  return {n, f, OperandKind::kInt, false, def, lo, hi, 0, false};
}
OperandSpec addr(const char* n, Field f, uint8_t spaces) {
  return {n, f, OperandKind::kAddr, true, 0, 0, 0, spaces, false};
}
OperandSpec type(uint8_t types) {
  return {"type", Field::kType, OperandKind::kType, true, 0, 0, 0, types, false};
}
OperandSpec data() {
  return {"data", Field::kData, OperandKind::kData, true, 0, 0, 0, 0, false};
}

// The gather operands shared by MVM and POOL.
std::vector<OperandSpec> gather_ops() {
  return {req_int("elems", Field::kElems, 0, kI64Max), opt_int("kx", Field::kKx, 1, 0, kIntMax),
          opt_int("sx", Field::kSx, 0, kI64Min, kI64Max), opt_int("ky", Field::kKy, 1, 0, kIntMax),
          opt_int("sy", Field::kSy, 0, kI64Min, kI64Max)};
}

std::vector<OpcodeSpec> build_table() {
  std::vector<OpcodeSpec> t(kOpcodeCount);
  auto set = [&](Opcode op, const char* m, std::vector<OperandSpec> ops) {
    t[static_cast<int>(op)] = OpcodeSpec{op, m, std::move(ops)};
  };
  const OperandSpec xb = req_int("xb", Field::kXbar, 0, kIntMax);
  const OperandSpec row = opt_int("row", Field::kRow, 0, 0, kIntMax);
  const OperandSpec col = opt_int("col", Field::kCol, 0, 0, kIntMax);
  const OperandSpec entry = opt_int("entry", Field::kEntry, 0, 0, kIntMax);
  const OperandSpec bytes = req_int("bytes", Field::kBytes, 0, kI64Max);
  const OperandSpec tile = req_int("tile", Field::kTile, 0, kIntMax);
  const OperandSpec count = req_int("count", Field::kCount, 0, kI64Max);
  // Work for inference i0 + notlast: skipped in the batch loop's last notlast iterations.
  const OperandSpec not_last = opt_int("notlast", Field::kNotLast, 0, 0, kIntMax);
  // The semaphore of odd iterations of the batch loop: one per slot of a double buffer.
  const OperandSpec alt_sem = opt_int("altsem", Field::kAltSem, -1, -1, kIntMax);
  // With altsem, the semaphore of iterations 2, 5, 8, ...: one per slot of a triple buffer.
  const OperandSpec third_sem = opt_int("thirdsem", Field::kThirdSem, -1, -1, kIntMax);

  set(Opcode::kWxb, "WXB", {xb, row, col, data()});
  set(Opcode::kWth, "WTH", {entry, data()});
  set(Opcode::kLoad, "LOAD",
      {addr("dst", Field::kDst, kBufs), addr("src", Field::kSrc, bit(Space::kGb)), bytes,
       not_last});
  set(Opcode::kStore, "STORE",
      {addr("dst", Field::kDst, bit(Space::kGb)), addr("src", Field::kSrc, kBufs), bytes});
  set(Opcode::kCopy, "COPY",
      {addr("dst", Field::kDst, kBufs), addr("src", Field::kSrc, kBufs), bytes});
  // More destinations of a SEND (multicast): bit k is tile `tile + 1 + k`.
  OperandSpec mcast = opt_int("mcast", Field::kMcast, 0, 0, 0xFFFFFFFF);
  mcast.hex = true;
  set(Opcode::kSend, "SEND",
      {tile, mcast, addr("dst", Field::kDst, kBufs), addr("src", Field::kSrc, kBufs), bytes,
       opt_int("sem", Field::kSem, -1, -1, kIntMax), alt_sem, third_sem, not_last});
  set(Opcode::kSignal, "SIGNAL",
      {tile, req_int("sem", Field::kSem, 0, kIntMax), alt_sem, third_sem});
  set(Opcode::kWait, "WAIT",
      {req_int("sem", Field::kSem, 0, kIntMax), alt_sem, third_sem,
       opt_int("count", Field::kCount, 1, 0, kI64Max), not_last});

  std::vector<OperandSpec> mvm = {xb, addr("src", Field::kSrc, kBufs), type(kInputTypes)};
  for (const OperandSpec& g : gather_ops()) mvm.push_back(g);
  OperandSpec mask = opt_int("mask", Field::kMask, 0xFFFFFFFF, 0, 0xFFFFFFFF);
  mask.hex = true;
  mvm.insert(mvm.end(),
             {mask, row, col, req_int("cols", Field::kCols, 0, kIntMax),
              addr("dst", Field::kDst, bit(Space::kAcc)), opt_int("shift", Field::kShift, 0, 0, 31),
              opt_int("acc", Field::kAccumulate, 0, 0, 1),
              // A strided run of MVMs in one command (arch: tile.sequencer.mvm_repeat).
              opt_int("reps", Field::kReps, 1, 1, kIntMax),
              opt_int("sstep", Field::kSrcStep, 0, kI64Min, kI64Max),
              opt_int("dstep", Field::kDstStep, 0, kI64Min, kI64Max)});
  set(Opcode::kMvm, "MVM", mvm);

  set(Opcode::kAccAdd, "ACCADD",
      {addr("dst", Field::kDst, bit(Space::kAcc)), addr("src", Field::kSrc, kBufs),
       type(kInputTypes | bit(DType::kI32)), count,
       opt_int("scale", Field::kScale, 1, kI32Min, -kI32Min - 1)});
  set(Opcode::kThresh, "THRESH",
      {addr("src", Field::kSrc, bit(Space::kAcc)), addr("dst", Field::kDst, kBufs), count, entry,
       type(bit(DType::kB1) | bit(DType::kT2) | bit(DType::kI32))});

  const uint8_t any_space = kBufs | bit(Space::kAcc);
  std::vector<OperandSpec> pool = {addr("dst", Field::kDst, any_space),
                                   addr("src", Field::kSrc, any_space),
                                   type(kInputTypes | bit(DType::kI32))};
  for (const OperandSpec& g : gather_ops()) pool.push_back(g);
  set(Opcode::kPool, "POOL", pool);

  set(Opcode::kLoop, "LOOP",
      {{"count", Field::kCount, OperandKind::kLoopCount, true, 0, 1, kI64Max, 0, false}});
  set(Opcode::kEndLoop, "ENDLOOP", {});
  set(Opcode::kHalt, "HALT", {});
  return t;
}

const std::vector<OpcodeSpec>& table() {
  static const std::vector<OpcodeSpec> t = build_table();
  return t;
}

std::string dec(int64_t v) {
  return std::to_string(v);
}

}  // namespace

const OpcodeSpec& spec_of(Opcode op) {
  return table()[static_cast<int>(op)];
}

const OpcodeSpec* find_opcode(std::string_view mnemonic) {
  for (const OpcodeSpec& s : table()) {
    if (mnemonic == s.mnemonic) return &s;
  }
  return nullptr;
}

int find_operand(const OpcodeSpec& spec, std::string_view key) {
  for (size_t i = 0; i < spec.operands.size(); ++i) {
    if (key == spec.operands[i].name) return static_cast<int>(i);
  }
  return -1;
}

int64_t get_field(const Command& c, Field f) {
  switch (f) {
    case Field::kXbar:
      return c.xbar;
    case Field::kRow:
      return c.row;
    case Field::kCol:
      return c.col;
    case Field::kCols:
      return c.cols;
    case Field::kData:
      return c.data;
    case Field::kEntry:
      return c.entry;
    case Field::kElems:
      return c.gather.elems;
    case Field::kKx:
      return c.gather.kx;
    case Field::kSx:
      return c.gather.sx;
    case Field::kKy:
      return c.gather.ky;
    case Field::kSy:
      return c.gather.sy;
    case Field::kMask:
      return c.gather.mask;
    case Field::kType:
      return static_cast<int64_t>(c.type);
    case Field::kBytes:
      return c.bytes;
    case Field::kCount:
      return c.count;
    case Field::kTile:
      return c.tile;
    case Field::kSem:
      return c.sem;
    case Field::kShift:
      return c.shift;
    case Field::kAccumulate:
      return c.accumulate ? 1 : 0;
    case Field::kScale:
      return c.scale;
    case Field::kNotLast:
      return c.not_last;
    case Field::kAltSem:
      return c.alt_sem;
    case Field::kThirdSem:
      return c.third_sem;
    case Field::kMcast:
      return c.mcast;
    case Field::kReps:
      return c.reps;
    case Field::kSrcStep:
      return c.src_step;
    case Field::kDstStep:
      return c.dst_step;
    case Field::kSrc:
    case Field::kDst:
      break;
  }
  return 0;
}

// Callers have range-checked `v` against the operand's spec, so the narrowing is exact.
void set_field(Command& c, Field f, int64_t v) {
  const int i = static_cast<int>(v);
  switch (f) {
    case Field::kXbar:
      c.xbar = i;
      return;
    case Field::kRow:
      c.row = i;
      return;
    case Field::kCol:
      c.col = i;
      return;
    case Field::kCols:
      c.cols = i;
      return;
    case Field::kData:
      c.data = i;
      return;
    case Field::kEntry:
      c.entry = i;
      return;
    case Field::kElems:
      c.gather.elems = v;
      return;
    case Field::kKx:
      c.gather.kx = i;
      return;
    case Field::kSx:
      c.gather.sx = v;
      return;
    case Field::kKy:
      c.gather.ky = i;
      return;
    case Field::kSy:
      c.gather.sy = v;
      return;
    case Field::kMask:
      c.gather.mask = static_cast<uint32_t>(v);
      return;
    case Field::kType:
      c.type = static_cast<DType>(v);
      return;
    case Field::kBytes:
      c.bytes = v;
      return;
    case Field::kCount:
      c.count = v;
      return;
    case Field::kTile:
      c.tile = i;
      return;
    case Field::kSem:
      c.sem = i;
      return;
    case Field::kShift:
      c.shift = i;
      return;
    case Field::kAccumulate:
      c.accumulate = v != 0;
      return;
    case Field::kScale:
      c.scale = i;
      return;
    case Field::kNotLast:
      c.not_last = i;
      return;
    case Field::kAltSem:
      c.alt_sem = i;
      return;
    case Field::kThirdSem:
      c.third_sem = i;
      return;
    case Field::kMcast:
      c.mcast = static_cast<uint32_t>(v);
      return;
    case Field::kReps:
      c.reps = i;
      return;
    case Field::kSrcStep:
      c.src_step = v;
      return;
    case Field::kDstStep:
      c.dst_step = v;
      return;
    case Field::kSrc:
    case Field::kDst:
      return;
  }
}

const Addr& addr_field(const Command& c, Field f) {
  return f == Field::kSrc ? c.src : c.dst;
}
Addr& addr_field(Command& c, Field f) {
  return f == Field::kSrc ? c.src : c.dst;
}

std::string allowed_types(uint8_t allowed) {
  std::string s;
  for (DType t : {DType::kB1, DType::kT2, DType::kU8, DType::kI8, DType::kI32}) {
    if (!allows(allowed, t)) continue;
    if (!s.empty()) s += ", ";
    s += to_string(t);
  }
  return s;
}

std::string allowed_spaces(uint8_t allowed) {
  std::string s;
  for (Space sp : {Space::kGb, Space::kIbuf, Space::kObuf, Space::kAcc}) {
    if (!allows(allowed, sp)) continue;
    if (!s.empty()) s += " or ";
    s += to_string(sp);
  }
  return s;
}

std::string value_problem(const OpcodeSpec& spec, const OperandSpec& o, int64_t v,
                          size_t data_blocks) {
  switch (o.kind) {
    case OperandKind::kInt:
    case OperandKind::kLoopCount:
      if (o.kind == OperandKind::kLoopCount && v == kBatch) return "";
      if (v < o.min || v > o.max) {
        return std::string(o.name) + "=" + dec(v) + " is out of range (" + dec(o.min) + " to " +
               dec(o.max) + ")";
      }
      return "";
    case OperandKind::kType:
      if (v < 0 || v > static_cast<int>(DType::kI32)) return "type " + dec(v) + " does not exist";
      if (!allows(o.allowed, static_cast<DType>(v))) {
        return std::string("type=") + to_string(static_cast<DType>(v)) + " is not allowed for " +
               spec.mnemonic + " (" + allowed_types(o.allowed) + ")";
      }
      return "";
    case OperandKind::kData:
      if (v < 0 || static_cast<size_t>(v) >= data_blocks) {
        return "data block " + dec(v) + " does not exist (" + std::to_string(data_blocks) +
               " blocks)";
      }
      return "";
    case OperandKind::kAddr:
      break;
  }
  return "";
}

std::string addr_problem(const OpcodeSpec& spec, const OperandSpec& o, const Addr& a,
                         int loop_depth) {
  if (static_cast<int>(a.space) > static_cast<int>(Space::kAcc)) return "space does not exist";
  if (!allows(o.allowed, a.space)) {
    return std::string(spec.mnemonic) + " " + o.name + " must be in " + allowed_spaces(o.allowed) +
           ", not " + to_string(a.space);
  }
  for (int d = std::max(loop_depth, 0); d < kMaxLoopDepth; ++d) {
    if (a.stride[d] != 0) {
      return "i" + std::to_string(d) + " needs " + std::to_string(d + 1) +
             " enclosing LOOPs, this command has " + std::to_string(loop_depth);
    }
  }
  const Addr::Rotation& r = a.rot;
  if (r.depth == -1 && r.period == 0 && r.stride == 0 && r.offset == 0) return "";
  if (r.depth < 0 || r.depth >= kMaxLoopDepth)
    return "rotation on a loop index that does not exist";
  if (r.depth >= loop_depth) {
    return "(i" + std::to_string(r.depth) + "%" + std::to_string(r.period) + ") needs " +
           std::to_string(r.depth + 1) + " enclosing LOOPs, this command has " +
           std::to_string(loop_depth);
  }
  if (r.period < 2) return "rotation period must be at least 2, not " + std::to_string(r.period);
  if (r.stride == 0) return "rotation with a zero stride";
  if (r.offset < 0 || r.offset >= r.period)
    return "rotation offset must be 0.." + std::to_string(r.period - 1) + ", not " +
           std::to_string(r.offset);
  return "";
}

std::string cross_problem(const Command& c, int* blame) {
  if (c.op != Opcode::kPool || c.type == DType::kI32) return "";
  // POOL table order: dst (0), src (1).
  for (int i = 0; i < 2; ++i) {
    const Addr& a = i == 0 ? c.dst : c.src;
    if (a.space == Space::kAcc) {
      *blame = i;
      return std::string("POOL ") + (i == 0 ? "dst" : "src") + " in acc needs type=i32, not " +
             to_string(c.type);
    }
  }
  return "";
}

std::string command_problem(const Command& c, int loop_depth, size_t data_blocks) {
  if (static_cast<int>(c.op) >= kOpcodeCount) return "opcode does not exist";
  const OpcodeSpec& spec = spec_of(c.op);
  for (const OperandSpec& o : spec.operands) {
    std::string p = o.kind == OperandKind::kAddr
                        ? addr_problem(spec, o, addr_field(c, o.field), loop_depth)
                        : value_problem(spec, o, get_field(c, o.field), data_blocks);
    if (!p.empty()) return p;
  }
  int blame = 0;
  return cross_problem(c, &blame);
}

void append_addr(std::string& out, const Addr& a) {
  char buf[24];
  auto put = [&](uint64_t v) {
    auto r = std::to_chars(buf, buf + sizeof buf, v);
    out.append(buf, r.ptr);
  };
  out += to_string(a.space);
  out += '[';
  // The magnitude as unsigned: INT64_MIN has no positive int64 counterpart.
  if (a.base < 0) out += '-';
  put(a.base < 0 ? 0 - static_cast<uint64_t>(a.base) : static_cast<uint64_t>(a.base));
  for (int d = 0; d < kMaxLoopDepth; ++d) {
    const int64_t s = a.stride[d];
    if (s == 0) continue;
    out += s < 0 ? " - " : " + ";
    put(s < 0 ? 0 - static_cast<uint64_t>(s) : static_cast<uint64_t>(s));
    out += "*i";
    out += static_cast<char>('0' + d);
  }
  if (a.rot.depth >= 0) {
    const int64_t s = a.rot.stride;
    out += s < 0 ? " - " : " + ";
    put(s < 0 ? 0 - static_cast<uint64_t>(s) : static_cast<uint64_t>(s));
    out += a.rot.offset ? "*((i" : "*(i";
    out += static_cast<char>('0' + a.rot.depth);
    if (a.rot.offset) {
      out += '+';
      put(static_cast<uint64_t>(a.rot.offset));
      out += ')';
    }
    out += '%';
    put(static_cast<uint64_t>(a.rot.period));
    out += ')';
  }
  out += ']';
}

}  // namespace imc::isa
