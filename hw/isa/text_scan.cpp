#include "hw/isa/text_scan.h"

#include <cctype>
#include <limits>

namespace imc::isa {

namespace {

constexpr uint64_t kMinMagnitude = uint64_t{1} << 63;  // |INT64_MIN|

bool is_alpha(char c) {
  return std::isalpha(static_cast<unsigned char>(c)) != 0;
}
bool is_alnum(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0;
}

// Unsigned digits of `s` (decimal, or hex after 0x). False when not a number or > 2^64-1.
IntStatus parse_magnitude(std::string_view s, uint64_t* out) {
  uint64_t base = 10;
  if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
    base = 16;
    s.remove_prefix(2);
  }
  if (s.empty()) return IntStatus::kBad;
  uint64_t v = 0;
  bool overflow = false;
  for (char c : s) {
    uint64_t d;
    if (c >= '0' && c <= '9') {
      d = static_cast<uint64_t>(c - '0');
    } else if (base == 16 && c >= 'a' && c <= 'f') {
      d = static_cast<uint64_t>(c - 'a' + 10);
    } else if (base == 16 && c >= 'A' && c <= 'F') {
      d = static_cast<uint64_t>(c - 'A' + 10);
    } else {
      return IntStatus::kBad;
    }
    if (v > (std::numeric_limits<uint64_t>::max() - d) / base) overflow = true;
    v = v * base + d;
  }
  *out = v;
  return overflow ? IntStatus::kOverflow : IntStatus::kOk;
}

// sign * magnitude as int64, if it fits.
bool apply_sign(bool negative, uint64_t mag, int64_t* out) {
  if (negative) {
    if (mag > kMinMagnitude) return false;
    *out = mag == kMinMagnitude ? std::numeric_limits<int64_t>::min() : -static_cast<int64_t>(mag);
    return true;
  }
  if (mag > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) return false;
  *out = static_cast<int64_t>(mag);
  return true;
}

std::optional<Space> parse_space(std::string_view s) {
  for (Space sp : {Space::kGb, Space::kIbuf, Space::kObuf, Space::kAcc}) {
    if (s == to_string(sp)) return sp;
  }
  return std::nullopt;
}

}  // namespace

IntStatus parse_integer(std::string_view s, int64_t* out) {
  bool negative = false;
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
    negative = s[0] == '-';
    s.remove_prefix(1);
  }
  uint64_t mag = 0;
  const IntStatus st = parse_magnitude(s, &mag);
  if (st != IntStatus::kOk) return st;
  return apply_sign(negative, mag, out) ? IntStatus::kOk : IntStatus::kOverflow;
}

bool is_name(std::string_view s) {
  if (s.empty() || !(is_alpha(s[0]) || s[0] == '_')) return false;
  for (char c : s) {
    if (!(is_alnum(c) || c == '_' || c == '.' || c == '-')) return false;
  }
  return true;
}

namespace {

// `iD` at *p (pointing at the 'i'): D into *d, *p past it.
std::optional<ScanError> scan_loop_index(std::string_view s, size_t end, int loop_depth, size_t* p,
                                         int64_t* d) {
  const size_t index = *p;
  size_t q = index + 1;
  while (q < end && is_alnum(s[q])) ++q;
  bool digits = q > index + 1 && q - index - 1 < 10;
  for (size_t k = index + 1; k < q && digits; ++k) digits = s[k] >= '0' && s[k] <= '9';
  if (!digits) {
    return ScanError{index, "bad loop index '" + std::string(s.substr(index, q - index)) + "'"};
  }
  *d = 0;
  for (size_t k = index + 1; k < q; ++k) *d = *d * 10 + (s[k] - '0');
  if (*d >= kMaxLoopDepth) {
    return ScanError{index, "loop index i" + std::to_string(*d) + " does not exist (i0..i3)"};
  }
  if (*d >= loop_depth) {
    return ScanError{index, "i" + std::to_string(*d) + " needs " + std::to_string(*d + 1) +
                                " enclosing LOOPs, this command has " + std::to_string(loop_depth)};
  }
  *p = q;
  return std::nullopt;
}

// `OP N)` inside a rotation term, OP being '+' (`((iD+O)%K)`) or '%' (`(iD%K)`): N into *value,
// *at where its digits start, *p past the ')'. `what` names N, `form` the term, `open` what the
// ')' closes, for the messages.
std::optional<ScanError> scan_rotation_part(std::string_view s, size_t end, size_t* p, char op,
                                            const char* what, const char* form, const char* open,
                                            int64_t* value, size_t* at) {
  while (*p < end && is_blank(s[*p])) ++*p;
  if (*p >= end || s[*p] != op) {
    return ScanError{*p, std::string("expected '") + op + "' in " + form};
  }
  ++*p;
  while (*p < end && is_blank(s[*p])) ++*p;
  size_t q = *p;
  while (q < end && is_alnum(s[q])) ++q;
  uint64_t n = 0;
  const std::string_view digits = s.substr(*p, q - *p);
  if (digits.empty() || parse_magnitude(digits, &n) != IntStatus::kOk ||
      n > static_cast<uint64_t>(INT64_MAX)) {
    return ScanError{*p, std::string("bad rotation ") + what + " '" + std::string(digits) + "'"};
  }
  *value = static_cast<int64_t>(n);
  *at = *p;
  *p = q;
  while (*p < end && is_blank(s[*p])) ++*p;
  if (*p >= end || s[*p] != ')') return ScanError{*p, std::string("expected ')' after ") + open};
  ++*p;
  return std::nullopt;
}

// `+ O)` after the loop index of a rotation `((iD+O)%K)`: O (>= 0) into *offset.
std::optional<ScanError> scan_offset(std::string_view s, size_t end, size_t* p, int64_t* offset) {
  size_t at = 0;
  return scan_rotation_part(s, end, p, '+', "offset", "((iD+O)%K)", "(iD+O", offset, &at);
}

// `%K)` after a rotation's loop index: K (>= 2) into *period.
std::optional<ScanError> scan_period(std::string_view s, size_t end, size_t* p, int64_t* period) {
  size_t at = 0;
  if (auto e = scan_rotation_part(s, end, p, '%', "period", "(iD%K)", "(iD%K", period, &at)) {
    return e;
  }
  if (*period < 2) return ScanError{at, "rotation period must be at least 2"};
  return std::nullopt;
}

}  // namespace

std::optional<ScanError> parse_addr(std::string_view s, int loop_depth, Addr* out) {
  size_t p = 0;
  while (p < s.size() && is_alpha(s[p])) ++p;
  const std::optional<Space> space = parse_space(s.substr(0, p));
  if (!space) {
    return ScanError{0,
                     "unknown space '" + std::string(s.substr(0, p)) + "' (gb, ibuf, obuf or acc)"};
  }
  if (p >= s.size() || s[p] != '[') return ScanError{p, "expected '[' after the space name"};
  if (s.back() != ']') return ScanError{s.size(), "missing ']'"};
  const size_t end = s.size() - 1;
  Addr a;
  a.space = *space;
  ++p;
  bool first = true;
  for (;;) {
    while (p < end && is_blank(s[p])) ++p;
    if (p >= end) break;
    bool negative = false;
    if (s[p] == '+' || s[p] == '-') {
      negative = s[p] == '-';
      ++p;
      while (p < end && is_blank(s[p])) ++p;
      // `0 + -4` is accepted: an integer carries its own optional sign.
      if (p < end && !first && (s[p] == '+' || s[p] == '-')) {
        negative = negative != (s[p] == '-');
        ++p;
      }
    } else if (!first) {
      return ScanError{p, "expected + or - between address terms"};
    }
    first = false;
    const size_t term = p;
    uint64_t mag = 1;  // `iD` alone
    if (p >= end || (s[p] != 'i' && s[p] != '(')) {
      size_t q = p;
      while (q < end && is_alnum(s[q])) ++q;
      const std::string_view digits = s.substr(p, q - p);
      if (digits.empty()) return ScanError{p, "expected an integer or a loop index"};
      const IntStatus st = parse_magnitude(digits, &mag);
      if (st == IntStatus::kBad) return ScanError{p, "bad integer '" + std::string(digits) + "'"};
      if (st == IntStatus::kOverflow) {
        return ScanError{p, "integer '" + std::string(digits) + "' is out of range"};
      }
      p = q;
      while (p < end && is_blank(s[p])) ++p;
      if (p >= end || s[p] != '*') {
        int64_t v = 0;
        if (!apply_sign(negative, mag, &v) || __builtin_add_overflow(a.base, v, &a.base)) {
          return ScanError{term, "address base is out of range"};
        }
        continue;
      }
      ++p;
      while (p < end && is_blank(s[p])) ++p;
      if (p >= end || (s[p] != 'i' && s[p] != '(')) {
        return ScanError{p, "expected a loop index i0..i3 or (iD%K) after '*'"};
      }
    }
    const bool rotation = s[p] == '(';
    bool offset_form = false;  // ((iD+O)%K)
    if (rotation) {
      ++p;
      while (p < end && is_blank(s[p])) ++p;
      if (p < end && s[p] == '(') {
        offset_form = true;
        ++p;
        while (p < end && is_blank(s[p])) ++p;
      }
      if (p >= end || s[p] != 'i') return ScanError{p, "expected a loop index i0..i3 after '('"};
    }
    int64_t d = 0;
    if (auto e = scan_loop_index(s, end, loop_depth, &p, &d)) return e;
    int64_t offset = 0;
    const size_t offset_at = p;
    if (offset_form) {
      if (auto e = scan_offset(s, end, &p, &offset)) return e;
    }
    int64_t v = 0;
    if (!rotation) {
      if (!apply_sign(negative, mag, &v) || __builtin_add_overflow(a.stride[d], v, &a.stride[d])) {
        return ScanError{term, "stride of i" + std::to_string(d) + " is out of range"};
      }
      continue;
    }
    int64_t period = 0;
    if (auto e = scan_period(s, end, &p, &period)) return e;
    if (a.rot.depth >= 0) return ScanError{term, "more than one (iD%K) term"};
    if (!apply_sign(negative, mag, &v)) return ScanError{term, "rotation stride is out of range"};
    if (v == 0) return ScanError{term, "rotation with a zero stride"};
    if (offset >= period) {
      return ScanError{offset_at, "rotation offset " + std::to_string(offset) +
                                      " must be less than the period " + std::to_string(period)};
    }
    a.rot = {static_cast<int>(d), period, v, offset};
  }
  if (first) return ScanError{end, "empty address"};
  *out = a;
  return std::nullopt;
}

}  // namespace imc::isa
