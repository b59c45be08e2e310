// Program -> canonical .cmd text: fixed operand order, defaults omitted, decimal except the
// MVM mask, data blocks inline. assemble() of this text gives the same Program back.
#include <charconv>

#include "hw/isa/assembler.h"
#include "hw/isa/operands.h"
#include "hw/isa/validate.h"

namespace imc::isa {

namespace {

void put_int(std::string& out, int64_t v) {
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, r.ptr);
}

void put_hex(std::string& out, uint64_t v) {
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, v, 16);
  out += "0x";
  out.append(buf, r.ptr);
}

void put_tensor(std::string& out, const char* directive, const TensorDecl& t) {
  out += directive;
  out += ' ';
  out += t.name;
  out += " gb=";
  put_int(out, t.gb_addr);
  out += " shape=";
  for (size_t i = 0; i < t.shape.size(); ++i) {
    if (i) out += 'x';
    put_int(out, t.shape[i]);
  }
  out += " type=";
  out += to_string(t.type);
  if (t.layout == Layout::kPixels) out += " layout=pixels";
  if (t.stride != t.bytes()) {
    out += " stride=";
    put_int(out, t.stride);
  }
  out += '\n';
}

void put_data(std::string& out, const DataBlock& b) {
  out += "\n.data ";
  out += b.name;
  out += " type=";
  out += to_string(b.type);
  out += " shape=";
  put_int(out, b.rows);
  out += 'x';
  put_int(out, b.cols);
  out += '\n';
  const bool chars = b.type == DType::kB1 || b.type == DType::kT2;
  for (int64_t r = 0; r < b.rows; ++r) {
    const int32_t* row = b.values.data() + r * b.cols;
    for (int64_t c = 0; c < b.cols; ++c) {
      if (chars) {
        out += row[c] > 0 ? '+' : (row[c] < 0 ? '-' : '0');
      } else {
        if (c) out += ' ';
        put_int(out, row[c]);
      }
    }
    out += '\n';
  }
  out += ".end\n";
}

void put_command(std::string& out, const Program& p, const Command& c, int depth) {
  if (depth >= 0) out.append(2 + 2 * static_cast<size_t>(depth), ' ');  // -1: no indent
  const OpcodeSpec& spec = spec_of(c.op);
  out += spec.mnemonic;
  for (const OperandSpec& o : spec.operands) {
    if (o.kind == OperandKind::kAddr) {
      out += ' ';
      out += o.name;
      out += '=';
      append_addr(out, addr_field(c, o.field));
      continue;
    }
    const int64_t v = get_field(c, o.field);
    if (!o.required && v == o.default_value) continue;
    out += ' ';
    out += o.name;
    out += '=';
    switch (o.kind) {
      case OperandKind::kInt:
        if (o.hex) {
          put_hex(out, static_cast<uint64_t>(v));
        } else {
          put_int(out, v);
        }
        break;
      case OperandKind::kLoopCount:
        if (v == kBatch) {
          out += "batch";
        } else {
          put_int(out, v);
        }
        break;
      case OperandKind::kType:
        out += to_string(static_cast<DType>(v));
        break;
      case OperandKind::kData:
        out += p.data[static_cast<size_t>(v)].name;
        break;
      case OperandKind::kAddr:
        break;
    }
  }
  out += '\n';
}

}  // namespace

std::string format_command(const Command& c, const Program& p) {
  std::string out;
  put_command(out, p, c, -1);
  if (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

std::string disassemble(const Program& p) {
  require_well_formed(p, "disassemble");
  std::string out;
  size_t commands = 0;
  for (const TileProgram& t : p.tiles) commands += t.commands.size();
  out.reserve(64 * commands + 4096);
  out += "# imcsim program, canonical text (docs/isa.md)\n";
  for (const TensorDecl& t : p.inputs) put_tensor(out, ".input", t);
  for (const TensorDecl& t : p.outputs) put_tensor(out, ".output", t);
  for (const DataBlock& b : p.data) put_data(out, b);
  for (const TileProgram& t : p.tiles) {
    out += "\n.tile ";
    put_int(out, t.tile);
    out += '\n';
    int depth = 0;
    for (const Command& c : t.commands) {
      if (c.op == Opcode::kEndLoop) --depth;
      put_command(out, p, c, depth);
      if (c.op == Opcode::kLoop) ++depth;
    }
  }
  return out;
}

}  // namespace imc::isa
