// .npy reading of every accepted dtype from raw bytes, every refusal, and the int32 writer.
#include "hw/isa/npy.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>

#include "isa_test_util.h"

namespace imc::isa {
namespace {

using testing::error_of;
using testing::ScratchDir;

// A .npy file: magic, version, header length, `dict` padded to 64 bytes, then `data`.
std::string npy(const std::string& dict, const std::string& data, int major = 1) {
  const size_t prefix = major == 1 ? 10 : 12;
  std::string h = dict;
  while ((prefix + h.size() + 1) % 64) h += ' ';
  h += '\n';
  std::string out = "\x93NUMPY";
  out += static_cast<char>(major);
  out += '\0';
  for (size_t k = 0; k < prefix - 8; ++k) out += static_cast<char>((h.size() >> (8 * k)) & 0xFF);
  return out + h + data;
}

std::string header(const std::string& descr, const std::string& shape) {
  return "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }";
}

// Values as little-endian bytes (this host is little-endian, as the format requires).
template <typename T>
std::string le(std::initializer_list<T> v) {
  std::string s;
  for (T x : v) {
    char b[sizeof(T)];
    std::memcpy(b, &x, sizeof x);
    s.append(b, sizeof b);
  }
  return s;
}

NpyTensor read_bytes(const ScratchDir& dir, const std::string& bytes) {
  return read_npy_integers(dir.write("t.npy", bytes));
}

TEST(Npy, ReadsEveryIntegerDtype) {
  ScratchDir dir("npy");
  struct Case {
    std::string descr;
    std::string data;
    std::vector<int64_t> want;
  };
  const std::vector<Case> cases = {
      {"|u1", le<uint8_t>({0, 200, 255}), {0, 200, 255}},
      {"<u1", le<uint8_t>({1, 2, 3}), {1, 2, 3}},
      {"|i1", le<int8_t>({-128, 0, 127}), {-128, 0, 127}},
      {"<u2", le<uint16_t>({0, 1000, 65535}), {0, 1000, 65535}},
      {"<i2", le<int16_t>({-32768, -1, 32767}), {-32768, -1, 32767}},
      {"<u4", le<uint32_t>({0, 7, 4294967295u}), {0, 7, 4294967295LL}},
      {"<i4", le<int32_t>({-2147483647 - 1, 5, 2147483647}), {-2147483648LL, 5, 2147483647}},
      {"<i8",
       le<int64_t>({std::numeric_limits<int64_t>::min(), -3, 9}),
       {std::numeric_limits<int64_t>::min(), -3, 9}},
      {"<u8", le<uint64_t>({0, 1, 9223372036854775807ULL}), {0, 1, 9223372036854775807LL}},
      {"<f4", le<float>({-1.0f, 0.0f, 16777216.0f}), {-1, 0, 16777216}},
      {"<f8", le<double>({-300.0, 2.0, 1e15}), {-300, 2, 1000000000000000LL}},
      {"|b1", le<uint8_t>({0, 1, 1}), {0, 1, 1}},
  };
  for (const Case& c : cases) {
    const NpyTensor t = read_bytes(dir, npy(header(c.descr, "(3,)"), c.data));
    EXPECT_EQ(t.shape, (std::vector<int64_t>{3})) << c.descr;
    EXPECT_EQ(t.values, c.want) << c.descr;
  }
}

TEST(Npy, ShapesVersionsAndHeaderSpelling) {
  ScratchDir dir("npy");
  const std::string six = le<int16_t>({1, 2, 3, 4, 5, 6});
  NpyTensor t = read_bytes(dir, npy(header("<i2", "(2, 3)"), six));
  EXPECT_EQ(t.shape, (std::vector<int64_t>{2, 3}));
  EXPECT_EQ(t.values, (std::vector<int64_t>{1, 2, 3, 4, 5, 6}));
  t = read_bytes(dir, npy(header("<i2", "(1, 2, 3)"), six, 2));
  EXPECT_EQ(t.shape, (std::vector<int64_t>{1, 2, 3}));
  t = read_bytes(dir, npy(header("<i2", "(6,)"), six, 3));
  EXPECT_EQ(t.values.size(), 6u);
  // Scalars, key order, double quotes, no trailing comma, Python 2 longs.
  t = read_bytes(
      dir, npy("{\"shape\": (), \"fortran_order\": False, \"descr\": \"<i4\"}", le<int32_t>({-9})));
  EXPECT_TRUE(t.shape.empty());
  EXPECT_EQ(t.values, (std::vector<int64_t>{-9}));
  t = read_bytes(dir, npy(header("<i2", "(2L, 3L)"), six));
  EXPECT_EQ(t.shape, (std::vector<int64_t>{2, 3}));
  t = read_bytes(dir, npy(header("<i2", "(0, 3)"), ""));
  EXPECT_EQ(t.shape, (std::vector<int64_t>{0, 3}));
  EXPECT_TRUE(t.values.empty());
}

TEST(Npy, RefusesBrokenFiles) {
  ScratchDir dir("npy");
  const std::string path = dir.file("t.npy");
  auto err = [&](const std::string& bytes) {
    return error_of<arch::InputError>([&] { read_bytes(dir, bytes); });
  };
  const std::string ok_dict = header("<i4", "(2,)");
  const std::string two = le<int32_t>({1, 2});
  EXPECT_EQ(err(""), path + ": empty file, not a .npy file");
  EXPECT_EQ(err("PK\x03\x04 zip"), path + ": not a .npy file (bad magic)");
  EXPECT_EQ(err("\x93NUM"), path + ": truncated header");
  EXPECT_EQ(err(npy(ok_dict, two).substr(0, 40)), path + ": truncated header");
  std::string v4 = npy(ok_dict, two);
  v4[6] = 4;
  EXPECT_EQ(err(v4), path + ": unsupported .npy version 4.0");
  EXPECT_EQ(err(npy(header("<c8", "(2,)"), two + two)),
            path + ": unsupported dtype '<c8' (u1 i1 u2 i2 u4 i4 u8 i8 f4 f8 b1 only)");
  EXPECT_EQ(err(npy(header("<U3", "(2,)"), two)),
            path + ": unsupported dtype '<U3' (u1 i1 u2 i2 u4 i4 u8 i8 f4 f8 b1 only)");
  EXPECT_EQ(err(npy(header(">i4", "(2,)"), two)),
            path + ": big-endian data ('>i4') is not supported; save it little-endian");
  EXPECT_EQ(err(npy("{'descr': '<i4', 'fortran_order': True, 'shape': (2,), }", two)),
            path + ": fortran_order True is not supported; save a C-order array");
  EXPECT_EQ(err(npy(ok_dict, two.substr(0, 7))),
            path + ": truncated data: 7 bytes, shape (2,) needs 8");
  EXPECT_EQ(err(npy(ok_dict, two + "x")), path + ": 1 bytes of junk after the data");
  EXPECT_EQ(err(npy(ok_dict + " junk", two)), path + ": bad header: junk after the dictionary");
  EXPECT_EQ(err(npy("{'descr': '<i4', 'fortran_order': False, 'shape': (2,), 'x': 1}", two)),
            path + ": bad header: unknown key 'x'");
  EXPECT_EQ(err(npy("{'descr': '<i4', 'shape': (2,)}", two)),
            path + ": bad header: needs 'descr', 'fortran_order' and 'shape'");
  EXPECT_EQ(err(npy("{'descr': '<i4', 'fortran_order': False, 'shape': (2,x)}", two)),
            path + ": bad header: bad dimension in 'shape'");
  EXPECT_EQ(err(npy("{'descr': [('a', '<i4')], 'fortran_order': False, 'shape': (2,)}", two)),
            path + ": unsupported dtype: structured arrays are not supported");

  std::string floats;
  for (int i = 0; i < 12; ++i) floats += le<float>({static_cast<float>(i)});
  floats += le<float>({0.5f});
  EXPECT_EQ(err(npy(header("<f4", "(13,)"), floats)), path + ": element 12 is 0.5, not an integer");
  EXPECT_EQ(err(npy(header("<f8", "(1,)"), le<double>({std::nan("")}))),
            path + ": element 0 is nan, not an integer");
  EXPECT_EQ(err(npy(header("<f8", "(1,)"), le<double>({1e19}))),
            path + ": element 0 is 1e+19, out of the int64 range");
  EXPECT_EQ(err(npy(header("<u8", "(1,)"), le<uint64_t>({18446744073709551615ULL}))),
            path + ": element 0 is 18446744073709551615, out of the int64 range");

  EXPECT_EQ(error_of<arch::InputError>([&] { read_npy_integers(dir.file("none.npy")); }),
            dir.file("none.npy") + ": cannot read: No such file or directory");
}

TEST(Npy, WriteI32RoundTrip) {
  ScratchDir dir("npy");
  const std::string path = dir.file("out.npy");
  const std::vector<int32_t> v = {1, -2, 3, std::numeric_limits<int32_t>::min(), 0, 7};
  write_npy_i32(path, {2, 3}, v);
  const NpyTensor t = read_npy_integers(path);
  EXPECT_EQ(t.shape, (std::vector<int64_t>{2, 3}));
  EXPECT_EQ(t.values, std::vector<int64_t>(v.begin(), v.end()));
  EXPECT_FALSE(std::filesystem::exists(path + ".tmp"));
  // numpy's layout: version 1.0, '<i4', data 64-byte aligned.
  EXPECT_EQ(std::filesystem::file_size(path), 128u + 24u);
  write_npy_i32(path, {4}, {1, 2, 3, 4});
  EXPECT_EQ(read_npy_integers(path).shape, (std::vector<int64_t>{4}));
  write_npy_i32(path, {}, {42});
  EXPECT_EQ(read_npy_integers(path).values, (std::vector<int64_t>{42}));
}

TEST(Npy, WriteFailuresNameThePathAndLeaveNothingBehind) {
  ScratchDir dir("npy");
  const std::string path = dir.file("out.npy");
  write_npy_i32(path, {1}, {5});
  const std::string e = error_of<std::runtime_error>([&] { write_npy_i32(path, {2, 2}, {1}); });
  EXPECT_EQ(e, path + ": cannot write: 1 values for shape (2, 2)");
  EXPECT_EQ(read_npy_integers(path).values, (std::vector<int64_t>{5}));  // untouched
  const std::string missing = dir.file("no/such/dir/out.npy");
  EXPECT_EQ(error_of<std::runtime_error>([&] { write_npy_i32(missing, {1}, {1}); }),
            missing + ": cannot write: No such file or directory");
  EXPECT_FALSE(std::filesystem::exists(missing + ".tmp"));
}

}  // namespace
}  // namespace imc::isa
