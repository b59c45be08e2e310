// IDX reader: plain and gzipped files, header validation, the Fashion-MNIST pair.
#include <gtest/gtest.h>
#include <zlib.h>

#include <filesystem>
#include <fstream>

#include "hw/arch/load.h"
#include "nas/train/idx.h"
#include "nas/train/train.h"
#include "tests/nas/train/tiny_data.h"

namespace imc::nas {
namespace {

using testing::temp_dir;

std::string idx_bytes(std::vector<uint32_t> dims, const std::vector<uint8_t>& data,
                      uint8_t type = 0x08) {
  std::string b = {0, 0, char(type), char(dims.size())};
  for (uint32_t d : dims) {
    for (int shift = 24; shift >= 0; shift -= 8) b.push_back(char((d >> shift) & 0xff));
  }
  b.append(data.begin(), data.end());
  return b;
}

void write_plain(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

void write_gz(const std::string& path, const std::string& bytes) {
  gzFile f = gzopen(path.c_str(), "wb");
  ASSERT_NE(f, nullptr);
  ASSERT_EQ(gzwrite(f, bytes.data(), unsigned(bytes.size())), int(bytes.size()));
  gzclose(f);
}

std::string error_of(const std::string& path, int ndim) {
  try {
    read_idx(path, ndim);
  } catch (const arch::InputError& e) {
    return e.what();
  }
  return "no error";
}

const std::vector<uint8_t> kPixels = {0, 1, 2, 3, 4, 5, 250, 251, 252, 253, 254, 255};

TEST(Idx, ReadsPlainAndGzippedFilesAlike) {
  const std::string dir = temp_dir("idx_read");
  write_plain(dir + "/a", idx_bytes({2, 2, 3}, kPixels));
  write_gz(dir + "/a.gz", idx_bytes({2, 2, 3}, kPixels));
  for (const std::string& p : {dir + "/a", dir + "/a.gz"}) {
    const IdxArray a = read_idx(p, 3);
    EXPECT_EQ(a.dims, (std::vector<uint32_t>{2, 2, 3})) << p;
    EXPECT_EQ(a.data, kPixels) << p;
  }
}

TEST(Idx, BadMagicNumberIsAnInputErrorNamingTheFile) {
  const std::string dir = temp_dir("idx_magic");
  write_plain(dir + "/floats", idx_bytes({2, 2, 3}, kPixels, 0x0d));  // type float
  write_plain(dir + "/labels", idx_bytes({12}, kPixels));             // 1-D where 3-D expected
  write_plain(dir + "/text", "hello world, not an IDX file");
  EXPECT_EQ(error_of(dir + "/floats", 3),
            dir +
                "/floats: bad IDX magic number 0x00000d03 (expected 0x00000803: unsigned "
                "bytes, 3 dimensions)");
  EXPECT_NE(error_of(dir + "/labels", 3).find("bad IDX magic number 0x00000801"),
            std::string::npos);
  EXPECT_NE(error_of(dir + "/text", 1).find(dir + "/text: bad IDX magic"), std::string::npos);
}

TEST(Idx, SizeMismatchesAreInputErrors) {
  const std::string dir = temp_dir("idx_size");
  std::vector<uint8_t> short_body(kPixels.begin(), kPixels.end() - 1), long_body = kPixels;
  long_body.push_back(7);
  write_gz(dir + "/short.gz", idx_bytes({2, 2, 3}, short_body));
  write_plain(dir + "/long", idx_bytes({2, 2, 3}, long_body));
  write_plain(dir + "/header", idx_bytes({2, 2, 3}, {}).substr(0, 9));
  write_plain(dir + "/zero", idx_bytes({0, 2, 3}, {}));
  EXPECT_EQ(error_of(dir + "/short.gz", 3),
            dir + "/short.gz: truncated: the header announces 12 bytes of data");
  EXPECT_EQ(error_of(dir + "/long", 3),
            dir + "/long: trailing bytes after the 12 announced by the header");
  EXPECT_EQ(error_of(dir + "/header", 3), dir + "/header: truncated IDX header");
  EXPECT_EQ(error_of(dir + "/zero", 3), dir + "/zero: dimension 0 is 0");
  EXPECT_EQ(error_of(dir + "/missing", 3), dir + "/missing: cannot open");
}

TEST(FashionMnist, PairsImagesWithLabelsAndChecksTheirCounts) {
  const std::string dir = temp_dir("fmnist_pair");
  write_gz(dir + "/t10k-images-idx3-ubyte.gz", idx_bytes({2, 2, 3}, kPixels));
  write_plain(dir + "/t10k-labels-idx1-ubyte", idx_bytes({2}, {7, 3}));
  const ImageSet s = load_fashion_mnist(dir, false);
  EXPECT_EQ(s.count, 2);
  EXPECT_EQ(s.rows, 2);
  EXPECT_EQ(s.cols, 3);
  EXPECT_EQ(s.images, kPixels);
  EXPECT_EQ(s.labels, (std::vector<uint8_t>{7, 3}));

  write_plain(dir + "/t10k-labels-idx1-ubyte", idx_bytes({3}, {7, 3, 1}));
  try {
    load_fashion_mnist(dir, false);
    ADD_FAILURE() << "no error";
  } catch (const arch::InputError& e) {
    EXPECT_EQ(std::string(e.what()), dir + "/t10k-labels-idx1-ubyte: 3 labels for 2 images in " +
                                         dir + "/t10k-images-idx3-ubyte.gz");
  }
  write_plain(dir + "/t10k-labels-idx1-ubyte", idx_bytes({2}, {7, 10}));
  EXPECT_THROW(load_fashion_mnist(dir, false), arch::InputError);
  EXPECT_THROW(load_fashion_mnist(dir, true), arch::InputError);  // no train files
}

TEST(FashionMnist, DebianDatasetHasTheKnownShape) {
  if (!std::filesystem::exists(std::string(kDefaultDataDir) + "/t10k-labels-idx1-ubyte.gz"))
    GTEST_SKIP() << "dataset-fashion-mnist is not installed";
  const ImageSet test = load_fashion_mnist(kDefaultDataDir, false);
  EXPECT_EQ(test.count, 10000);
  EXPECT_EQ(test.rows, 28);
  EXPECT_EQ(test.cols, 28);
  std::vector<int> per_class(10);
  for (uint8_t l : test.labels) ++per_class.at(l);
  for (int c : per_class) EXPECT_EQ(c, 1000);  // Fashion-MNIST's test set is balanced
  EXPECT_EQ(test.labels[0], 9);                // the first test image is an ankle boot
}

}  // namespace
}  // namespace imc::nas
