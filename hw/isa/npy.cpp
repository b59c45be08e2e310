#include "hw/isa/npy.h"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>
#include <stdexcept>
#include <string_view>

#include "hw/arch/load.h"
#include "hw/isa/file_io.h"

namespace imc::isa {

namespace {

constexpr char kMagic[] = "\x93NUMPY";
constexpr size_t kMagicSize = 6;

[[noreturn]] void fail(const std::string& name, const std::string& what) {
  throw arch::InputError(name + ": " + what);
}

struct Header {
  std::string descr;
  bool fortran_order = false;
  std::vector<int64_t> shape;
};

// The header is a Python dict literal, e.g.
//   {'descr': '<i4', 'fortran_order': False, 'shape': (2, 3), }
// Only what numpy writes is accepted: string keys; string, bool and int-tuple values.
class HeaderParser {
 public:
  HeaderParser(std::string_view text, const std::string& name) : s_(text), name_(name) {}

  Header parse() {
    Header h;
    bool seen[3] = {false, false, false};
    ws();
    expect('{');
    for (;;) {
      ws();
      if (peek() == '}') break;
      const std::string key = str();
      ws();
      expect(':');
      ws();
      int k = key == "descr" ? 0 : key == "fortran_order" ? 1 : key == "shape" ? 2 : -1;
      if (k < 0) junk("unknown key '" + key + "'");
      if (seen[k]) junk("duplicate key '" + key + "'");
      seen[k] = true;
      if (k == 0) {
        if (peek() == '[') fail(name_, "unsupported dtype: structured arrays are not supported");
        h.descr = str();
      } else if (k == 1) {
        h.fortran_order = boolean();
      } else {
        h.shape = tuple();
      }
      ws();
      if (peek() == ',') {
        ++p_;
        continue;
      }
      if (peek() != '}') junk("expected ',' or '}'");
    }
    ++p_;
    ws();
    if (p_ != s_.size()) junk("junk after the dictionary");
    if (!seen[0] || !seen[1] || !seen[2]) junk("needs 'descr', 'fortran_order' and 'shape'");
    return h;
  }

 private:
  char peek() const { return p_ < s_.size() ? s_[p_] : '\0'; }
  void ws() {
    while (p_ < s_.size() && (s_[p_] == ' ' || s_[p_] == '\t' || s_[p_] == '\n' || s_[p_] == '\r'))
      ++p_;
  }
  [[noreturn]] void junk(const std::string& what) { fail(name_, "bad header: " + what); }
  void expect(char c) {
    if (peek() != c) junk(std::string("expected '") + c + "'");
    ++p_;
  }
  std::string str() {
    const char q = peek();
    if (q != '\'' && q != '"') junk("expected a string");
    const size_t end = s_.find(q, p_ + 1);
    if (end == std::string_view::npos) junk("unterminated string");
    std::string v(s_.substr(p_ + 1, end - p_ - 1));
    if (v.find('\\') != std::string::npos) junk("escapes in strings are not supported");
    p_ = end + 1;
    return v;
  }
  bool boolean() {
    for (bool b : {true, false}) {
      const std::string_view w = b ? "True" : "False";
      if (s_.substr(p_, w.size()) == w) {
        p_ += w.size();
        return b;
      }
    }
    junk("expected True or False");
  }
  std::vector<int64_t> tuple() {
    std::vector<int64_t> dims;
    expect('(');
    for (;;) {
      ws();
      if (peek() == ')') break;
      const size_t start = p_;
      while (p_ < s_.size() && s_[p_] >= '0' && s_[p_] <= '9') ++p_;
      int64_t d = 0;
      auto r = std::from_chars(s_.data() + start, s_.data() + p_, d);
      if (p_ == start || r.ec != std::errc()) junk("bad dimension in 'shape'");
      if (peek() == 'L') ++p_;  // Python 2 longs, written by old numpy
      dims.push_back(d);
      ws();
      if (peek() == ',') {
        ++p_;
        continue;
      }
      if (peek() != ')') junk("expected ',' or ')' in 'shape'");
    }
    ++p_;
    return dims;
  }

  std::string_view s_;
  const std::string& name_;
  size_t p_ = 0;
};

enum class Kind { kUnsigned, kSigned, kFloat, kBool };

struct Element {
  Kind kind;
  int size;
};

Element element_of(const std::string& descr, const std::string& name) {
  const std::string unsupported =
      "unsupported dtype '" + descr + "' (u1 i1 u2 i2 u4 i4 u8 i8 f4 f8 b1 only)";
  if (descr.size() < 2) fail(name, unsupported);
  size_t p = 0;
  char order = '\0';
  if (descr[0] == '<' || descr[0] == '>' || descr[0] == '|' || descr[0] == '=') order = descr[p++];
  const std::string code = descr.substr(p);
  static const struct {
    const char* code;
    Element e;
  } kCodes[] = {
      {"u1", {Kind::kUnsigned, 1}}, {"i1", {Kind::kSigned, 1}},   {"u2", {Kind::kUnsigned, 2}},
      {"i2", {Kind::kSigned, 2}},   {"u4", {Kind::kUnsigned, 4}}, {"i4", {Kind::kSigned, 4}},
      {"u8", {Kind::kUnsigned, 8}}, {"i8", {Kind::kSigned, 8}},   {"f4", {Kind::kFloat, 4}},
      {"f8", {Kind::kFloat, 8}},    {"b1", {Kind::kBool, 1}}};
  for (const auto& c : kCodes) {
    if (code != c.code) continue;
    // Byte order only matters for multi-byte elements; numpy writes '|' for single bytes.
    if (c.e.size > 1 && order == '>') {
      fail(name, "big-endian data ('" + descr + "') is not supported; save it little-endian");
    }
    if (c.e.size > 1 && order != '<') fail(name, "unsupported byte order in dtype '" + descr + "'");
    return c.e;
  }
  fail(name, unsupported);
}

uint64_t load_le(const uint8_t* p, int size) {
  uint64_t v = 0;
  for (int k = 0; k < size; ++k) v |= static_cast<uint64_t>(p[k]) << (8 * k);
  return v;
}

std::string float_text(double v) {
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, r.ptr);
}

int64_t element_value(const uint8_t* p, Element e, int64_t index, const std::string& name) {
  const uint64_t raw = load_le(p, e.size);
  switch (e.kind) {
    case Kind::kBool:
      return raw != 0 ? 1 : 0;
    case Kind::kUnsigned:
      if (raw > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
        fail(name, "element " + std::to_string(index) + " is " + std::to_string(raw) +
                       ", out of the int64 range");
      }
      return static_cast<int64_t>(raw);
    case Kind::kSigned: {
      // Sign-extend from `size` bytes.
      const int shift = 64 - 8 * e.size;
      return static_cast<int64_t>(raw << shift) >> shift;
    }
    case Kind::kFloat: {
      double v;
      if (e.size == 4) {
        float f;
        const uint32_t r32 = static_cast<uint32_t>(raw);
        std::memcpy(&f, &r32, 4);
        v = f;
      } else {
        std::memcpy(&v, &raw, 8);
      }
      if (!std::isfinite(v) || v != std::trunc(v)) {
        fail(name,
             "element " + std::to_string(index) + " is " + float_text(v) + ", not an integer");
      }
      // [-2^63, 2^63): the doubles that convert to int64 exactly.
      if (v < -9223372036854775808.0 || v >= 9223372036854775808.0) {
        fail(name, "element " + std::to_string(index) + " is " + float_text(v) +
                       ", out of the int64 range");
      }
      return static_cast<int64_t>(v);
    }
  }
  return 0;
}

std::string shape_text(const std::vector<int64_t>& shape) {
  std::string s = "(";
  for (size_t i = 0; i < shape.size(); ++i) {
    if (i) s += ", ";
    s += std::to_string(shape[i]);
  }
  if (shape.size() == 1) s += ",";
  return s + ")";
}

}  // namespace

NpyTensor parse_npy_integers(const std::string& bytes, const std::string& name) {
  const auto* b = reinterpret_cast<const uint8_t*>(bytes.data());
  const size_t size = bytes.size();
  if (size == 0) fail(name, "empty file, not a .npy file");
  if (std::memcmp(b, kMagic, std::min(size, kMagicSize)) != 0) {
    fail(name, "not a .npy file (bad magic)");
  }
  if (size < 10) fail(name, "truncated header");
  const int major = b[6], minor = b[7];
  if (major < 1 || major > 3) {
    fail(name, "unsupported .npy version " + std::to_string(major) + "." + std::to_string(minor));
  }
  const size_t prefix = major == 1 ? 10 : 12;
  if (size < prefix) fail(name, "truncated header");
  const size_t header_len = static_cast<size_t>(load_le(b + 8, major == 1 ? 2 : 4));
  if (size - prefix < header_len) fail(name, "truncated header");
  const Header h = HeaderParser(std::string_view(bytes).substr(prefix, header_len), name).parse();
  const Element e = element_of(h.descr, name);
  if (h.fortran_order) {
    fail(name, "fortran_order True is not supported; save a C-order array");
  }
  int64_t count = 1;
  for (int64_t d : h.shape) {
    if (__builtin_mul_overflow(count, d, &count) || count > (int64_t{1} << 56)) {
      fail(name, "shape " + shape_text(h.shape) + " is too large");
    }
  }
  const size_t data_at = prefix + header_len;
  const uint64_t need = static_cast<uint64_t>(count) * static_cast<uint64_t>(e.size);
  const uint64_t have = size - data_at;
  if (have < need) {
    fail(name, "truncated data: " + std::to_string(have) + " bytes, shape " + shape_text(h.shape) +
                   " needs " + std::to_string(need));
  }
  if (have > need) {
    fail(name, std::to_string(have - need) + " bytes of junk after the data");
  }
  NpyTensor t;
  t.shape = h.shape;
  t.values.resize(static_cast<size_t>(count));
  for (int64_t i = 0; i < count; ++i) {
    t.values[static_cast<size_t>(i)] = element_value(b + data_at + i * e.size, e, i, name);
  }
  return t;
}

NpyTensor read_npy_integers(const std::string& path) {
  return parse_npy_integers(read_file_bytes(path), path);
}

void write_npy_i32(const std::string& path, const std::vector<int64_t>& shape,
                   const std::vector<int32_t>& values) {
  auto fail_write = [&](const std::string& why) -> void {
    throw std::runtime_error(path + ": cannot write: " + why);
  };
  int64_t count = 1;
  for (int64_t d : shape) {
    if (d < 0 || __builtin_mul_overflow(count, d, &count)) fail_write("bad shape");
  }
  if (static_cast<uint64_t>(count) != values.size()) {
    fail_write(std::to_string(values.size()) + " values for shape " + shape_text(shape));
  }
  std::string dict =
      "{'descr': '<i4', 'fortran_order': False, 'shape': " + shape_text(shape) + ", }";
  // numpy pads the header with spaces and a newline so the data starts 64-byte aligned.
  auto padded_total = [&](size_t prefix) { return (prefix + dict.size() + 1 + 63) / 64 * 64; };
  const bool v1 = padded_total(10) - 10 <= 0xFFFF;  // version 1 has a u16 header length
  const size_t prefix = v1 ? 10 : 12;
  const size_t total = padded_total(prefix);
  dict.append(total - prefix - dict.size() - 1, ' ');
  dict += '\n';

  std::string out(kMagic, kMagicSize);
  out += static_cast<char>(v1 ? 1 : 2);
  out += '\0';
  for (size_t k = 0; k < prefix - 8; ++k) out += static_cast<char>((dict.size() >> (8 * k)) & 0xFF);
  out += dict;
  out.reserve(out.size() + 4 * values.size());
  for (int32_t v : values) {
    const uint32_t u = static_cast<uint32_t>(v);
    for (int k = 0; k < 4; ++k) out += static_cast<char>((u >> (8 * k)) & 0xFF);
  }

  write_file_atomically(path, out);
}

}  // namespace imc::isa
