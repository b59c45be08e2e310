// .cmd text -> Program. One pass over the lines; every error names file, line and the column
// of the offending token. Data references may point forward, so they are resolved at the end.
#include "hw/isa/assembler.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <limits>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include "hw/arch/load.h"
#include "hw/isa/file_io.h"
#include "hw/isa/npy.h"
#include "hw/isa/operands.h"
#include "hw/isa/text_scan.h"
#include "hw/isa/validate.h"

namespace imc::isa {

namespace {

constexpr int64_t kI64Max = std::numeric_limits<int64_t>::max();

std::string in_quotes(std::string_view s) {
  return "'" + std::string(s) + "'";
}

bool equals_lower(std::string_view s, std::string_view lower) {
  if (s.size() != lower.size()) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(s[i])) != lower[i]) return false;
  }
  return true;
}

std::optional<DType> dtype_of(std::string_view s) {
  for (DType t : {DType::kB1, DType::kT2, DType::kU8, DType::kI8, DType::kI32}) {
    if (s == to_string(t)) return t;
  }
  return std::nullopt;
}

std::string shape_text(const std::vector<int64_t>& shape, const char* sep) {
  std::string s;
  for (size_t i = 0; i < shape.size(); ++i) {
    if (i) s += sep;
    s += std::to_string(shape[i]);
  }
  return s;
}

class Assembler {
 public:
  Assembler(std::string_view text, const std::string& file) : text_(text), file_(file) {
    prog_.source_file = file;
  }

  Program run() {
    size_t start = 0;
    while (start <= text_.size()) {
      size_t end = text_.find('\n', start);
      if (end == std::string_view::npos) end = text_.size();
      ++line_no_;
      line_ = text_.substr(start, end - start);
      pos_ = 0;
      parse_line();
      start = end + 1;
    }
    if (body_ >= 0) {
      fail_at(body_line_, body_col_,
              "data block " + in_quotes(prog_.data[body_].name) + " has no .end");
    }
    close_tile();
    resolve_data_refs();
    return std::move(prog_);
  }

 private:
  // A `data=NAME` operand waiting for the whole file to be read.
  struct DataRef {
    size_t tile;
    size_t command;
    int line;
    size_t col;
    std::string name;
  };
  struct OpenLoop {
    int line;
    size_t col;
  };

  [[noreturn]] void fail_at(int line, size_t col, const std::string& what) const {
    throw SyntaxError(file_ + ":" + std::to_string(line) + ":" + std::to_string(col) + ": " + what);
  }
  [[noreturn]] void fail(size_t col, const std::string& what) const {
    fail_at(line_no_, col, what);
  }
  size_t col_of(std::string_view tok) const {
    return static_cast<size_t>(tok.data() - line_.data()) + 1;
  }

  // ---- the line cursor ----
  void skip_blanks() {
    while (pos_ < line_.size() && is_blank(line_[pos_])) ++pos_;
  }
  bool at_end() {
    skip_blanks();
    return pos_ >= line_.size() || line_[pos_] == '#';
  }
  std::string_view word() {
    skip_blanks();
    const size_t start = pos_;
    while (pos_ < line_.size() && !is_blank(line_[pos_]) && line_[pos_] != '#') ++pos_;
    return line_.substr(start, pos_ - start);
  }
  // The next `key=value`, false at the end of the line. `value` may be an address with blanks
  // inside its brackets or a "quoted string" (returned without the quotes).
  bool next_operand(std::string_view* key, std::string_view* value, std::string_view after) {
    if (at_end()) return false;
    const size_t start = pos_;
    while (pos_ < line_.size() &&
           (std::isalnum(static_cast<unsigned char>(line_[pos_])) || line_[pos_] == '_')) {
      ++pos_;
    }
    if (pos_ == start || pos_ >= line_.size() || line_[pos_] != '=') {
      pos_ = start;
      const std::string_view junk = word();
      fail(col_of(junk), "junk after " + std::string(after) + ": " + in_quotes(junk) +
                             " is not a key=value operand");
    }
    *key = line_.substr(start, pos_ - start);
    const size_t vstart = ++pos_;
    if (pos_ < line_.size() && line_[pos_] == '"') {
      const size_t close = line_.find('"', pos_ + 1);
      if (close == std::string_view::npos) fail(vstart + 1, "unterminated string");
      *value = line_.substr(pos_ + 1, close - pos_ - 1);
      pos_ = close + 1;
      return true;
    }
    while (pos_ < line_.size() && !is_blank(line_[pos_]) && line_[pos_] != '#') {
      if (line_[pos_] == '[') {
        const size_t close = line_.find_first_of("]#", pos_);
        if (close == std::string_view::npos || line_[close] == '#') {
          fail(vstart + 1, "missing ']' in " + in_quotes(line_.substr(vstart, close - vstart)));
        }
        pos_ = close;
      }
      ++pos_;
    }
    *value = line_.substr(vstart, pos_ - vstart);
    if (value->empty()) fail(vstart + 1, "missing value after " + in_quotes(*key) + "=");
    return true;
  }
  void expect_end(std::string_view after) {
    if (at_end()) return;
    const std::string_view junk = word();
    fail(col_of(junk), "junk after " + std::string(after) + ": " + in_quotes(junk));
  }

  // ---- values ----
  int64_t integer(std::string_view v, std::string_view key, int64_t lo, int64_t hi) {
    int64_t x = 0;
    const IntStatus st = parse_integer(v, &x);
    if (st == IntStatus::kBad) fail(col_of(v), "bad integer " + in_quotes(v));
    if (st == IntStatus::kOverflow || x < lo || x > hi) {
      fail(col_of(v), std::string(key) + "=" + std::string(v) + " is out of range (" +
                          std::to_string(lo) + " to " + std::to_string(hi) + ")");
    }
    return x;
  }
  DType dtype(std::string_view v) {
    const std::optional<DType> t = dtype_of(v);
    if (!t) fail(col_of(v), "unknown type " + in_quotes(v) + " (b1, t2, u8, i8 or i32)");
    return *t;
  }
  // `AxBxC`, decimal dimensions >= 1 (hex would be ambiguous next to the x separator).
  std::vector<int64_t> shape(std::string_view v) {
    std::vector<int64_t> dims;
    int64_t elements = 1;
    size_t p = 0;
    for (;;) {
      size_t q = v.find('x', p);
      if (q == std::string_view::npos) q = v.size();
      const std::string_view d = v.substr(p, q - p);
      bool digits = !d.empty();
      for (char c : d) digits = digits && c >= '0' && c <= '9';
      if (!digits) fail(col_of(v) + p, "bad shape " + in_quotes(v) + " (decimal sizes like 4x3)");
      const int64_t n = integer(d, "shape", 1, kI64Max);
      if (__builtin_mul_overflow(elements, n, &elements) || elements > kMaxElements) {
        fail(col_of(v), "shape " + in_quotes(v) + " has too many elements");
      }
      dims.push_back(n);
      if (q == v.size()) break;
      p = q + 1;
    }
    return dims;
  }
  std::string_view name_after(std::string_view directive) {
    const std::string_view name = word();
    if (name.empty()) fail(col_of(directive), std::string(directive) + " needs a name");
    if (!is_name(name)) {
      fail(col_of(name), "bad name " + in_quotes(name) + " (letters, digits, _ . -)");
    }
    return name;
  }

  // ---- lines ----
  void parse_line() {
    if (at_end()) return;  // blank or comment
    if (body_ >= 0) {
      if (line_[pos_] != '.') return data_row();
      const std::string_view d = word();
      if (!equals_lower(d, ".end")) {
        fail(col_of(d), "expected .end of data block " + in_quotes(prog_.data[body_].name) +
                            " (line " + std::to_string(body_line_) + ") before " + in_quotes(d));
      }
      return end_data(d);
    }
    const std::string_view w = word();
    if (w[0] == '.') return directive(w);
    command(w);
  }

  void directive(std::string_view d) {
    if (equals_lower(d, ".input")) return tensor(d, true);
    if (equals_lower(d, ".output")) return tensor(d, false);
    if (equals_lower(d, ".data")) return data(d);
    if (equals_lower(d, ".tile")) return tile(d);
    if (equals_lower(d, ".end")) fail(col_of(d), ".end without .data");
    fail(col_of(d), "unknown directive " + in_quotes(d) + " (.input .output .data .tile .end)");
  }

  void tensor(std::string_view d, bool input) {
    TensorDecl t;
    t.line = line_no_;
    const std::string_view name = name_after(d);
    if (!tensor_names_.insert(std::string(name)).second) {
      fail(col_of(name), "duplicate tensor " + in_quotes(name));
    }
    t.name = std::string(name);
    bool has_gb = false, has_shape = false, has_type = false, has_stride = false;
    bool has_layout = false;
    std::string_view key, v;
    while (next_operand(&key, &v, d)) {
      bool* seen = key == "gb"       ? &has_gb
                   : key == "shape"  ? &has_shape
                   : key == "type"   ? &has_type
                   : key == "stride" ? &has_stride
                   : key == "layout" ? &has_layout
                                     : nullptr;
      if (!seen) fail(col_of(key), "unknown key " + in_quotes(key) + " for " + std::string(d));
      if (*seen) fail(col_of(key), "duplicate key " + in_quotes(key));
      *seen = true;
      if (key == "gb") t.gb_addr = integer(v, key, 0, kI64Max);
      if (key == "shape") t.shape = shape(v);
      if (key == "type") t.type = dtype(v);
      if (key == "stride") t.stride = integer(v, key, 0, kI64Max);
      if (key == "layout") {
        if (v != "packed" && v != "pixels")
          fail(col_of(v), "layout must be packed or pixels, not " + in_quotes(v));
        t.layout = v == "pixels" ? Layout::kPixels : Layout::kPacked;
      }
    }
    if (t.layout == Layout::kPixels && t.shape.size() != 3)
      fail(col_of(d), "layout=pixels needs a 3-D shape CxHxW");
    if (!has_gb) fail(col_of(d), std::string(d) + " needs gb=");
    if (!has_shape) fail(col_of(d), std::string(d) + " needs shape=");
    if (!has_type) fail(col_of(d), std::string(d) + " needs type=");
    if (!has_stride) t.stride = t.bytes();
    (input ? prog_.inputs : prog_.outputs).push_back(std::move(t));
  }

  void data(std::string_view d) {
    DataBlock b;
    const std::string_view name = name_after(d);
    if (data_index_.count(std::string(name))) {
      fail(col_of(name), "duplicate data block " + in_quotes(name));
    }
    b.name = std::string(name);
    bool has_type = false, has_shape = false, has_file = false;
    std::string_view key, v, file;
    while (next_operand(&key, &v, d)) {
      if (key == "type") {
        if (has_type) fail(col_of(key), "duplicate key 'type'");
        has_type = true;
        b.type = dtype(v);
      } else if (key == "shape") {
        if (has_shape) fail(col_of(key), "duplicate key 'shape'");
        has_shape = true;
        const std::vector<int64_t> dims = shape(v);
        if (dims.size() != 2) fail(col_of(v), "data shape must be ROWSxCOLS, not " + in_quotes(v));
        b.rows = dims[0];
        b.cols = dims[1];
      } else if (key == "file") {
        if (has_file) fail(col_of(key), "duplicate key 'file'");
        has_file = true;
        file = v;
        if (file.empty()) fail(col_of(key), "empty file name");
      } else {
        fail(col_of(key), "unknown key " + in_quotes(key) + " for .data");
      }
    }
    if (!has_type) fail(col_of(d), ".data needs type=");
    if (!has_shape) fail(col_of(d), ".data needs shape=");
    data_index_.emplace(b.name, static_cast<int>(prog_.data.size()));
    if (has_file) {
      load_npy(b, file);
      prog_.data.push_back(std::move(b));
      return;
    }
    // Reserve what is cheap; a huge shape with a short body fails on the rows anyway.
    b.values.reserve(static_cast<size_t>(std::min<int64_t>(b.rows * b.cols, int64_t{1} << 20)));
    body_ = static_cast<int>(prog_.data.size());
    body_line_ = line_no_;
    body_col_ = col_of(d);
    body_rows_ = 0;
    prog_.data.push_back(std::move(b));
  }

  void load_npy(DataBlock& b, std::string_view file) {
    const std::filesystem::path path =
        std::filesystem::path(file_).parent_path() / std::filesystem::path(std::string(file));
    const size_t col = col_of(file);
    NpyTensor t;
    try {
      t = read_npy_integers(path.string());
    } catch (const arch::InputError& e) {
      fail(col, e.what());
    }
    if (t.shape != std::vector<int64_t>{b.rows, b.cols}) {
      std::string s = "(" + shape_text(t.shape, ", ") + (t.shape.size() == 1 ? ",)" : ")");
      fail(col, path.string() + ": shape " + s + " does not match shape=" + std::to_string(b.rows) +
                    "x" + std::to_string(b.cols));
    }
    b.values.resize(t.values.size());
    for (size_t i = 0; i < t.values.size(); ++i) {
      if (!value_fits(b.type, t.values[i])) {
        fail(col, path.string() + ": element " + std::to_string(i) + " is " +
                      std::to_string(t.values[i]) + ", not a " + to_string(b.type) + " value");
      }
      b.values[i] = static_cast<int32_t>(t.values[i]);
    }
  }

  void data_row() {
    DataBlock& b = prog_.data[body_];
    if (body_rows_ == b.rows) {
      fail(pos_ + 1, "data block " + in_quotes(b.name) + " has more than " +
                         std::to_string(b.rows) + " rows");
    }
    int64_t n = 0;
    auto too_many = [&](size_t col) {
      fail(col, "row " + std::to_string(body_rows_ + 1) + " of data block " + in_quotes(b.name) +
                    " has more than " + std::to_string(b.cols) + " values");
    };
    if (b.type == DType::kB1 || b.type == DType::kT2) {
      // One character per value; blanks between them are only layout.
      for (; pos_ < line_.size() && line_[pos_] != '#'; ++pos_) {
        const char c = line_[pos_];
        if (is_blank(c)) continue;
        int32_t v;
        if (c == '+') {
          v = 1;
        } else if (c == '-') {
          v = -1;
        } else if (c == '0' && b.type == DType::kT2) {
          v = 0;
        } else {
          fail(pos_ + 1, in_quotes(std::string_view(&line_[pos_], 1)) + " is not a " +
                             to_string(b.type) + " value (" +
                             (b.type == DType::kB1 ? "+ or -" : "+, - or 0") + ")");
        }
        if (n == b.cols) too_many(pos_ + 1);
        b.values.push_back(v);
        ++n;
      }
    } else {
      while (!at_end()) {
        const std::string_view tok = word();
        int64_t v = 0;
        const IntStatus st = parse_integer(tok, &v);
        if (st == IntStatus::kBad) fail(col_of(tok), "bad integer " + in_quotes(tok));
        if (st == IntStatus::kOverflow || !value_fits(b.type, v)) {
          fail(col_of(tok), std::string(tok) + " does not fit " + to_string(b.type));
        }
        if (n == b.cols) too_many(col_of(tok));
        b.values.push_back(static_cast<int32_t>(v));
        ++n;
      }
    }
    if (n < b.cols) {
      fail(1, "row " + std::to_string(body_rows_ + 1) + " of data block " + in_quotes(b.name) +
                  " has " + std::to_string(n) + " values, shape says " + std::to_string(b.cols));
    }
    ++body_rows_;
  }

  void end_data(std::string_view d) {
    expect_end(".end");
    const DataBlock& b = prog_.data[body_];
    if (body_rows_ < b.rows) {
      fail(col_of(d), "data block " + in_quotes(b.name) + " has " + std::to_string(body_rows_) +
                          " rows, shape says " + std::to_string(b.rows));
    }
    body_ = -1;
  }

  void tile(std::string_view d) {
    const std::string_view v = word();
    if (v.empty()) fail(col_of(d), ".tile needs a tile id");
    const int64_t id = integer(v, "tile", 0, std::numeric_limits<int>::max());
    expect_end(".tile");
    if (!tile_ids_.insert(id).second) fail(col_of(v), "duplicate .tile " + std::string(v));
    close_tile();
    TileProgram t;
    t.tile = static_cast<int>(id);
    t.line = line_no_;
    t.commands.reserve(lines_in_section());
    prog_.tiles.push_back(std::move(t));
  }

  // Lines from here to the next .tile: an upper bound on this tile's commands. Reserving it
  // saves the vector's regrowth, which dominates assembly time for big programs (a Command is
  // over 200 bytes). Each section is scanned once, so the whole text is scanned once.
  size_t lines_in_section() const {
    const size_t from = static_cast<size_t>(line_.data() - text_.data()) + line_.size();
    size_t lines = 0;
    for (size_t p = from; p < text_.size();) {
      size_t q = p + 1;
      while (q < text_.size() && is_blank(text_[q])) ++q;
      if (q + 5 <= text_.size() && equals_lower(text_.substr(q, 5), ".tile")) break;
      ++lines;
      p = text_.find('\n', q);
      if (p == std::string_view::npos) break;
    }
    return lines;
  }

  void close_tile() {
    if (loops_.empty()) return;
    fail_at(
        loops_.back().line, loops_.back().col,
        "LOOP without ENDLOOP before the end of tile " + std::to_string(prog_.tiles.back().tile));
  }

  void command(std::string_view mnemonic) {
    const size_t mcol = col_of(mnemonic);
    if (prog_.tiles.empty()) fail(mcol, "command " + in_quotes(mnemonic) + " before any .tile");
    char upper[8] = {};
    const OpcodeSpec* spec = nullptr;
    if (mnemonic.size() < sizeof upper) {
      for (size_t i = 0; i < mnemonic.size(); ++i) {
        upper[i] = static_cast<char>(std::toupper(static_cast<unsigned char>(mnemonic[i])));
      }
      spec = find_opcode(std::string_view(upper, mnemonic.size()));
    }
    if (!spec) fail(mcol, "unknown mnemonic " + in_quotes(mnemonic));
    Command c;
    c.op = spec->op;
    c.line = line_no_;
    const int depth = static_cast<int>(loops_.size());
    uint32_t seen = 0;
    size_t cols[32] = {};
    std::string_view key, v;
    while (next_operand(&key, &v, spec->mnemonic)) {
      const int i = find_operand(*spec, key);
      if (i < 0) fail(col_of(key), "unknown operand " + in_quotes(key) + " for " + spec->mnemonic);
      if (seen & (1u << i)) fail(col_of(key), "duplicate operand " + in_quotes(key));
      seen |= 1u << i;
      cols[i] = col_of(v);
      const OperandSpec& o = spec->operands[i];
      switch (o.kind) {
        case OperandKind::kInt:
          set_field(c, o.field, integer(v, key, o.min, o.max));
          break;
        case OperandKind::kLoopCount:
          c.count = v == "batch" ? kBatch : integer(v, key, o.min, o.max);
          break;
        case OperandKind::kType: {
          const DType t = dtype(v);
          const std::string p = value_problem(*spec, o, static_cast<int64_t>(t), 0);
          if (!p.empty()) fail(cols[i], p);
          c.type = t;
          break;
        }
        case OperandKind::kData:
          if (!is_name(v)) fail(cols[i], "bad data block name " + in_quotes(v));
          data_refs_.push_back({prog_.tiles.size() - 1, prog_.tiles.back().commands.size(),
                                line_no_, cols[i], std::string(v)});
          break;
        case OperandKind::kAddr: {
          Addr a;
          if (auto e = parse_addr(v, depth, &a)) fail(cols[i] + e->offset, e->what);
          const std::string p = addr_problem(*spec, o, a, depth);
          if (!p.empty()) fail(cols[i], p);
          addr_field(c, o.field) = a;
          break;
        }
      }
    }
    for (size_t i = 0; i < spec->operands.size(); ++i) {
      if (seen & (1u << i)) continue;
      const OperandSpec& o = spec->operands[i];
      if (o.required) {
        fail(mcol, std::string(spec->mnemonic) + " needs operand " + in_quotes(o.name));
      }
      set_field(c, o.field, o.default_value);
    }
    int blame = 0;
    const std::string p = cross_problem(c, &blame);
    if (!p.empty()) fail(cols[blame], p);
    if (c.op == Opcode::kLoop) {
      if (depth == kMaxLoopDepth) {
        fail(mcol, "LOOP nesting deeper than " + std::to_string(kMaxLoopDepth));
      }
      loops_.push_back({line_no_, mcol});
    } else if (c.op == Opcode::kEndLoop) {
      if (loops_.empty()) fail(mcol, "ENDLOOP without LOOP");
      loops_.pop_back();
    }
    prog_.tiles.back().commands.push_back(c);
  }

  void resolve_data_refs() {
    for (const DataRef& r : data_refs_) {
      const auto it = data_index_.find(r.name);
      if (it == data_index_.end())
        fail_at(r.line, r.col, "unknown data block " + in_quotes(r.name));
      prog_.tiles[r.tile].commands[r.command].data = it->second;
    }
  }

  std::string_view text_;
  const std::string& file_;
  Program prog_;

  int line_no_ = 0;
  std::string_view line_;
  size_t pos_ = 0;

  int body_ = -1;  // the data block whose body lines are being read
  int body_line_ = 0;
  size_t body_col_ = 0;
  int64_t body_rows_ = 0;

  std::vector<OpenLoop> loops_;
  std::unordered_map<std::string, int> data_index_;
  std::unordered_set<std::string> tensor_names_;
  std::unordered_set<int64_t> tile_ids_;
  std::vector<DataRef> data_refs_;
};

}  // namespace

Program assemble(const std::string& text, const std::string& file_name) {
  return Assembler(text, file_name).run();
}

Program assemble_file(const std::string& path) {
  return assemble(read_file_bytes(path), path);
}

}  // namespace imc::isa
