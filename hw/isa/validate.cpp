#include "hw/isa/validate.h"

#include <stdexcept>
#include <unordered_set>

#include "hw/isa/operands.h"
#include "hw/isa/text_scan.h"

namespace imc::isa {

namespace {

bool valid_type(DType t) {
  return static_cast<int>(t) <= static_cast<int>(DType::kI32);
}

std::optional<Problem> data_problem(const DataBlock& b) {
  auto bad = [&](const std::string& what) {
    return Problem{0, "data block '" + b.name + "': " + what};
  };
  if (!is_name(b.name)) return bad("bad name");
  if (!valid_type(b.type)) return bad("type does not exist");
  if (b.rows < 1 || b.cols < 1) return bad("shape must be at least 1x1");
  int64_t n = 0;
  if (__builtin_mul_overflow(b.rows, b.cols, &n) || n > kMaxElements) {
    return bad("too many elements");
  }
  if (static_cast<int64_t>(b.values.size()) != n) {
    return bad(std::to_string(b.values.size()) + " values for shape " + std::to_string(b.rows) +
               "x" + std::to_string(b.cols));
  }
  for (size_t i = 0; i < b.values.size(); ++i) {
    if (!value_fits(b.type, b.values[i])) {
      return bad("value " + std::to_string(i) + " is " + std::to_string(b.values[i]) + ", not a " +
                 to_string(b.type) + " value");
    }
  }
  return std::nullopt;
}

std::optional<Problem> tensor_problem(const TensorDecl& t) {
  auto bad = [&](const std::string& what) {
    return Problem{t.line, "tensor '" + t.name + "': " + what};
  };
  if (!is_name(t.name)) return bad("bad name");
  if (!valid_type(t.type)) return bad("type does not exist");
  if (t.shape.empty()) return bad("empty shape");
  int64_t n = 1;
  for (int64_t d : t.shape) {
    if (d < 1) return bad("dimension " + std::to_string(d) + " < 1");
    if (__builtin_mul_overflow(n, d, &n) || n > kMaxElements) return bad("too many elements");
  }
  if (t.gb_addr < 0) return bad("negative gb address");
  if (t.stride < 0) return bad("negative stride");
  if (t.layout != Layout::kPacked && t.layout != Layout::kPixels)
    return bad("layout does not exist");
  if (t.layout == Layout::kPixels && t.shape.size() != 3)
    return bad("layout=pixels needs a 3-D shape");
  return std::nullopt;
}

std::optional<Problem> tile_problem(const TileProgram& t, size_t data_blocks) {
  int depth = 0;
  int open_line = 0;
  for (const Command& c : t.commands) {
    auto bad = [&](const std::string& what) {
      const bool known = static_cast<int>(c.op) < kOpcodeCount;
      return Problem{c.line, "tile " + std::to_string(t.tile) + ": " +
                                 (known ? to_string(c.op) : "?") + ": " + what};
    };
    const std::string p = command_problem(c, depth, data_blocks);
    if (!p.empty()) return bad(p);
    if (c.op == Opcode::kLoop) {
      if (depth == kMaxLoopDepth) {
        return bad("LOOP nesting deeper than " + std::to_string(kMaxLoopDepth));
      }
      if (++depth == 1) open_line = c.line;
    } else if (c.op == Opcode::kEndLoop) {
      if (depth == 0) return bad("ENDLOOP without LOOP");
      --depth;
    }
  }
  if (depth > 0) {
    return Problem{open_line, "tile " + std::to_string(t.tile) + ": LOOP without ENDLOOP"};
  }
  return std::nullopt;
}

}  // namespace

std::optional<Problem> find_structure_problem(const Program& p) {
  std::unordered_set<std::string> names;
  for (const DataBlock& b : p.data) {
    if (auto e = data_problem(b)) return e;
    if (!names.insert(b.name).second) return Problem{0, "duplicate data block '" + b.name + "'"};
  }
  names.clear();
  for (const auto* list : {&p.inputs, &p.outputs}) {
    for (const TensorDecl& t : *list) {
      if (auto e = tensor_problem(t)) return e;
      if (!names.insert(t.name).second) return Problem{t.line, "duplicate tensor '" + t.name + "'"};
    }
  }
  std::unordered_set<int> ids;
  for (const TileProgram& t : p.tiles) {
    if (t.tile < 0) return Problem{t.line, "negative tile id " + std::to_string(t.tile)};
    if (!ids.insert(t.tile).second) {
      return Problem{t.line, "duplicate tile " + std::to_string(t.tile)};
    }
    if (auto e = tile_problem(t, p.data.size())) return e;
  }
  return std::nullopt;
}

void require_well_formed(const Program& p, const char* who) {
  if (auto e = find_structure_problem(p)) {
    throw std::invalid_argument(std::string(who) + ": " + e->what);
  }
}

}  // namespace imc::isa
