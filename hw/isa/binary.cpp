// Program <-> binary image (layout in docs/isa.md, "Binary images"). Integers are LEB128
// varints (signed ones zigzag-coded), so the image is compact; operands follow the canonical
// order of the operand table, so text and binary describe commands the same way. decode()
// accepts only what encode() writes (canonical varints, canonical packed bits): re-encoding
// a decoded image reproduces it byte for byte.
#include <cstring>
#include <limits>
#include <unordered_set>

#include "hw/isa/assembler.h"
#include "hw/isa/file_io.h"
#include "hw/isa/operands.h"
#include "hw/isa/text_scan.h"
#include "hw/isa/validate.h"

namespace imc::isa {

namespace {

constexpr char kMagic[4] = {'I', 'M', 'C', 'B'};
constexpr uint16_t kVersion = 8;  // 2: LOAD's notlast, a tensor's layout; 3: SEND/WAIT notlast;
                                  // 4: SEND/SIGNAL/WAIT altsem; 5: notlast counts inferences;
                                  // 6: a rotation's offset; 7: MVM reps, sstep, dstep;
                                  // 8: SEND/SIGNAL/WAIT thirdsem
constexpr uint64_t kI64Max = static_cast<uint64_t>(std::numeric_limits<int64_t>::max());
constexpr uint8_t kRotationBit = 0x04;  // address head: an (iD%K) term follows the strides
constexpr uint64_t kIntMax = static_cast<uint64_t>(std::numeric_limits<int>::max());

class Writer {
 public:
  void u8(uint8_t v) { out_.push_back(v); }
  void u16(uint16_t v) {
    u8(static_cast<uint8_t>(v & 0xFF));
    u8(static_cast<uint8_t>(v >> 8));
  }
  void tag(const char* t) { out_.insert(out_.end(), t, t + 4); }
  void uvar(uint64_t v) {
    while (v >= 0x80) {
      u8(static_cast<uint8_t>((v & 0x7F) | 0x80));
      v >>= 7;
    }
    u8(static_cast<uint8_t>(v));
  }
  void svar(int64_t v) { uvar((static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63)); }
  void str(const std::string& s) {
    uvar(s.size());
    out_.insert(out_.end(), s.begin(), s.end());
  }
  void bytes(const std::vector<uint8_t>& b) { out_.insert(out_.end(), b.begin(), b.end()); }
  std::vector<uint8_t> take() { return std::move(out_); }

 private:
  std::vector<uint8_t> out_;
};

void put_tensor(Writer& w, const TensorDecl& t) {
  w.str(t.name);
  w.u8(static_cast<uint8_t>(t.type));
  w.uvar(static_cast<uint64_t>(t.gb_addr));
  w.uvar(t.shape.size());
  for (int64_t d : t.shape) w.uvar(static_cast<uint64_t>(d));
  w.uvar(static_cast<uint64_t>(t.stride));
  w.u8(static_cast<uint8_t>(t.layout));
}

void put_command(Writer& w, const Command& c) {
  w.u8(static_cast<uint8_t>(c.op));
  for (const OperandSpec& o : spec_of(c.op).operands) {
    switch (o.kind) {
      case OperandKind::kInt:
      case OperandKind::kLoopCount:
      case OperandKind::kData:
        w.svar(get_field(c, o.field));
        break;
      case OperandKind::kType:
        w.u8(static_cast<uint8_t>(c.type));
        break;
      case OperandKind::kAddr: {
        const Addr& a = addr_field(c, o.field);
        uint8_t strides = 0;
        for (int d = 0; d < kMaxLoopDepth; ++d) {
          if (a.stride[d] != 0) strides |= static_cast<uint8_t>(1u << d);
        }
        const uint8_t rotated = a.rot.depth >= 0 ? kRotationBit : 0;
        w.u8(static_cast<uint8_t>(static_cast<uint8_t>(a.space) | rotated | strides << 4));
        w.svar(a.base);
        for (int d = 0; d < kMaxLoopDepth; ++d) {
          if (a.stride[d] != 0) w.svar(a.stride[d]);
        }
        if (rotated) {
          w.u8(static_cast<uint8_t>(a.rot.depth));
          w.uvar(static_cast<uint64_t>(a.rot.period));
          w.svar(a.rot.stride);
          w.uvar(static_cast<uint64_t>(a.rot.offset));
        }
        break;
      }
    }
  }
}

class Reader {
 public:
  Reader(const std::vector<uint8_t>& b, const std::string& file) : b_(b), file_(file) {}

  [[noreturn]] void fail_at(size_t offset, const std::string& what) const {
    throw SyntaxError(file_ + ": byte " + std::to_string(offset) + ": " + what);
  }
  size_t pos() const { return pos_; }
  size_t left() const { return b_.size() - pos_; }
  bool at_end() const { return pos_ == b_.size(); }

  uint8_t u8(const char* what) {
    if (pos_ >= b_.size()) fail_at(pos_, std::string("truncated: expected ") + what);
    return b_[pos_++];
  }
  uint16_t u16(const char* what) {
    const uint16_t lo = u8(what);
    return static_cast<uint16_t>(lo | u8(what) << 8);
  }
  void tag(const char* t) {
    const size_t at = pos_;
    if (left() < 4) fail_at(at, std::string("truncated: expected section '") + t + "'");
    if (std::memcmp(&b_[pos_], t, 4) != 0) fail_at(at, std::string("expected section '") + t + "'");
    pos_ += 4;
  }
  uint64_t uvar(const char* what) {
    const size_t at = pos_;
    uint64_t v = 0;
    for (int i = 0;; ++i) {
      const uint8_t byte = u8(what);
      if (i == 9 && byte > 1) fail_at(at, std::string(what) + " overflows 64 bits");
      v |= static_cast<uint64_t>(byte & 0x7F) << (7 * i);
      if (!(byte & 0x80)) {
        // A trailing zero group could be dropped: only the shortest form is canonical.
        if (i > 0 && byte == 0) fail_at(at, std::string(what) + ": overlong varint");
        return v;
      }
    }
  }
  int64_t svar(const char* what) {
    const uint64_t u = uvar(what);
    return static_cast<int64_t>((u >> 1) ^ (0 - (u & 1)));
  }
  // A uvar that must fit in [lo, hi].
  uint64_t bounded(const char* what, uint64_t lo, uint64_t hi) {
    const size_t at = pos_;
    const uint64_t v = uvar(what);
    if (v < lo || v > hi) {
      fail_at(at, std::string(what) + " " + std::to_string(v) + " is out of range (" +
                      std::to_string(lo) + " to " + std::to_string(hi) + ")");
    }
    return v;
  }
  // An item count, each item taking at least one byte: larger counts cannot be real.
  uint64_t count(const char* what) {
    const size_t at = pos_;
    const uint64_t v = uvar(what);
    if (v > left()) {
      fail_at(at, std::string(what) + " " + std::to_string(v) + " exceeds the " +
                      std::to_string(left()) + " bytes left");
    }
    return v;
  }
  std::string name(const char* what) {
    const size_t at = pos_;
    const uint64_t n = count(what);
    std::string s(reinterpret_cast<const char*>(b_.data() + pos_), n);
    pos_ += n;
    if (!is_name(s)) fail_at(at, std::string("bad ") + what + " '" + s + "'");
    return s;
  }
  DType dtype(const char* what) {
    const size_t at = pos_;
    const uint8_t t = u8(what);
    if (t > static_cast<uint8_t>(DType::kI32)) {
      fail_at(at, std::string(what) + " " + std::to_string(t) + " does not exist");
    }
    return static_cast<DType>(t);
  }
  const uint8_t* take(size_t n) {
    const uint8_t* p = b_.data() + pos_;
    pos_ += n;
    return p;
  }

 private:
  const std::vector<uint8_t>& b_;
  const std::string& file_;
  size_t pos_ = 0;
};

DataBlock read_data(Reader& r) {
  DataBlock b;
  b.name = r.name("data block name");
  b.type = r.dtype("data type");
  const size_t shape_at = r.pos();
  b.rows = static_cast<int64_t>(r.bounded("rows", 1, kMaxElements));
  b.cols = static_cast<int64_t>(r.bounded("cols", 1, kMaxElements));
  int64_t n = 0;
  if (__builtin_mul_overflow(b.rows, b.cols, &n) || n > kMaxElements) {
    r.fail_at(shape_at, "data block '" + b.name + "' has too many elements");
  }
  const size_t bytes = static_cast<size_t>(packed_bytes(b.type, n));
  const size_t at = r.pos();
  if (r.left() < bytes) r.fail_at(at, "truncated: data block '" + b.name + "' values");
  const uint8_t* packed = r.take(bytes);
  b.values.resize(static_cast<size_t>(n));
  unpack(b.type, packed, n, b.values.data());
  // t2 code 10 and set padding bits read as something else: refuse them.
  if (pack(b.type, b.values) != std::vector<uint8_t>(packed, packed + bytes)) {
    r.fail_at(at, "data block '" + b.name + "': non-canonical packed values");
  }
  return b;
}

TensorDecl read_tensor(Reader& r) {
  TensorDecl t;
  t.name = r.name("tensor name");
  t.type = r.dtype("tensor type");
  t.gb_addr = static_cast<int64_t>(r.bounded("gb address", 0, kI64Max));
  const size_t at = r.pos();
  const uint64_t dims = r.count("dimension count");
  if (dims == 0) r.fail_at(at, "tensor '" + t.name + "' has no dimensions");
  int64_t n = 1;
  for (uint64_t i = 0; i < dims; ++i) {
    const int64_t d = static_cast<int64_t>(r.bounded("dimension", 1, kMaxElements));
    if (__builtin_mul_overflow(n, d, &n) || n > kMaxElements) {
      r.fail_at(at, "tensor '" + t.name + "' has too many elements");
    }
    t.shape.push_back(d);
  }
  t.stride = static_cast<int64_t>(r.bounded("stride", 0, kI64Max));
  const size_t lat = r.pos();
  const uint8_t layout = r.u8("layout");
  if (layout > 1) r.fail_at(lat, "layout " + std::to_string(layout) + " does not exist");
  t.layout = static_cast<Layout>(layout);
  if (t.layout == Layout::kPixels && t.shape.size() != 3)
    r.fail_at(lat, "tensor '" + t.name + "': layout=pixels needs a 3-D shape");
  return t;
}

Command read_command(Reader& r, int depth, size_t data_blocks) {
  const size_t at = r.pos();
  const uint8_t op = r.u8("opcode");
  if (op >= kOpcodeCount) r.fail_at(at, "opcode " + std::to_string(op) + " does not exist");
  Command c;
  c.op = static_cast<Opcode>(op);
  const OpcodeSpec& spec = spec_of(c.op);
  for (const OperandSpec& o : spec.operands) {
    const size_t oat = r.pos();
    std::string problem;
    if (o.kind == OperandKind::kAddr) {
      const uint8_t head = r.u8(o.name);
      if (head & 0x08) r.fail_at(oat, std::string(o.name) + ": reserved address bit set");
      Addr& a = addr_field(c, o.field);
      a.space = static_cast<Space>(head & 0x03);
      a.base = r.svar(o.name);
      for (int d = 0; d < kMaxLoopDepth; ++d) {
        if (!(head >> (4 + d) & 1)) continue;
        const size_t sat = r.pos();
        a.stride[d] = r.svar(o.name);
        if (a.stride[d] == 0) r.fail_at(sat, std::string(o.name) + ": zero stride marked present");
      }
      if (head & kRotationBit) {
        a.rot.depth = r.u8(o.name);
        a.rot.period = static_cast<int64_t>(r.bounded(o.name, 0, kI64Max));
        a.rot.stride = r.svar(o.name);
        a.rot.offset = static_cast<int64_t>(r.bounded(o.name, 0, kI64Max));
      }
      problem = addr_problem(spec, o, a, depth);
    } else {
      const int64_t v = o.kind == OperandKind::kType ? r.u8(o.name) : r.svar(o.name);
      problem = value_problem(spec, o, v, data_blocks);
      if (problem.empty()) set_field(c, o.field, v);
    }
    if (!problem.empty()) r.fail_at(oat, std::string(spec.mnemonic) + ": " + problem);
  }
  int blame = 0;
  const std::string p = cross_problem(c, &blame);
  if (!p.empty()) r.fail_at(at, p);
  return c;
}

TileProgram read_tile(Reader& r, size_t data_blocks) {
  TileProgram t;
  t.tile = static_cast<int>(r.bounded("tile id", 0, kIntMax));
  const uint64_t n = r.count("command count");
  t.commands.reserve(n);
  std::vector<size_t> open;  // offsets of unmatched LOOPs
  for (uint64_t i = 0; i < n; ++i) {
    const size_t at = r.pos();
    const int depth = static_cast<int>(open.size());
    Command c = read_command(r, depth, data_blocks);
    if (c.op == Opcode::kLoop) {
      if (depth == kMaxLoopDepth) {
        r.fail_at(at, "LOOP nesting deeper than " + std::to_string(kMaxLoopDepth));
      }
      open.push_back(at);
    } else if (c.op == Opcode::kEndLoop) {
      if (open.empty()) r.fail_at(at, "ENDLOOP without LOOP");
      open.pop_back();
    }
    t.commands.push_back(c);
  }
  if (!open.empty()) {
    r.fail_at(open.back(), "LOOP without ENDLOOP before the end of tile " + std::to_string(t.tile));
  }
  return t;
}

}  // namespace

std::vector<uint8_t> encode(const Program& p) {
  require_well_formed(p, "encode");
  Writer w;
  w.tag(kMagic);
  w.u16(kVersion);
  w.u16(0);  // reserved flags
  w.tag("DATA");
  w.uvar(p.data.size());
  for (const DataBlock& b : p.data) {
    w.str(b.name);
    w.u8(static_cast<uint8_t>(b.type));
    w.uvar(static_cast<uint64_t>(b.rows));
    w.uvar(static_cast<uint64_t>(b.cols));
    w.bytes(pack(b.type, b.values));
  }
  w.tag("INPT");
  w.uvar(p.inputs.size());
  for (const TensorDecl& t : p.inputs) put_tensor(w, t);
  w.tag("OUTP");
  w.uvar(p.outputs.size());
  for (const TensorDecl& t : p.outputs) put_tensor(w, t);
  w.tag("TILE");
  w.uvar(p.tiles.size());
  for (const TileProgram& t : p.tiles) {
    w.uvar(static_cast<uint64_t>(t.tile));
    w.uvar(t.commands.size());
    for (const Command& c : t.commands) put_command(w, c);
  }
  w.tag("END.");
  return w.take();
}

Program decode(const std::vector<uint8_t>& image, const std::string& file_name) {
  Reader r(image, file_name);
  if (image.size() < 4 || std::memcmp(image.data(), kMagic, 4) != 0) {
    r.fail_at(0, "not an imcsim binary program (bad magic)");
  }
  r.take(4);
  const uint16_t version = r.u16("version");
  if (version != kVersion)
    r.fail_at(4, "unsupported version " + std::to_string(version) + " (this build reads " +
                     std::to_string(kVersion) + "; re-encode the .cmd)");
  if (r.u16("flags") != 0) r.fail_at(6, "reserved flags must be 0");

  Program p;
  p.source_file = file_name;
  r.tag("DATA");
  std::unordered_set<std::string> names;
  for (uint64_t n = r.count("data block count"); n > 0; --n) {
    const size_t at = r.pos();
    p.data.push_back(read_data(r));
    if (!names.insert(p.data.back().name).second) {
      r.fail_at(at, "duplicate data block '" + p.data.back().name + "'");
    }
  }
  names.clear();
  for (auto [tag, list] : {std::pair{"INPT", &p.inputs}, std::pair{"OUTP", &p.outputs}}) {
    r.tag(tag);
    for (uint64_t n = r.count("tensor count"); n > 0; --n) {
      const size_t at = r.pos();
      list->push_back(read_tensor(r));
      if (!names.insert(list->back().name).second) {
        r.fail_at(at, "duplicate tensor '" + list->back().name + "'");
      }
    }
  }
  r.tag("TILE");
  std::unordered_set<int> ids;
  for (uint64_t n = r.count("tile count"); n > 0; --n) {
    const size_t at = r.pos();
    p.tiles.push_back(read_tile(r, p.data.size()));
    if (!ids.insert(p.tiles.back().tile).second) {
      r.fail_at(at, "duplicate tile " + std::to_string(p.tiles.back().tile));
    }
  }
  r.tag("END.");
  if (!r.at_end()) r.fail_at(r.pos(), std::to_string(r.left()) + " bytes of junk after the end");
  return p;
}

Program load_program(const std::string& path) {
  const std::string bytes = read_file_bytes(path);
  if (bytes.size() >= 4 && std::memcmp(bytes.data(), kMagic, 4) == 0) {
    return decode(std::vector<uint8_t>(bytes.begin(), bytes.end()), path);
  }
  return assemble(bytes, path);
}

}  // namespace imc::isa
