// IDX files (the MNIST/Fashion-MNIST format), gzipped or plain: a big-endian header
// {0, 0, type 0x08 = ubyte, ndim} then ndim uint32 sizes, then the bytes.
// Torch-free; load_fashion_mnist (train.h) pairs an image file with a label file.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace imc::nas {

struct IdxArray {
  std::vector<uint32_t> dims;
  std::vector<uint8_t> data;  // row-major, product(dims) bytes
};

// Reads an unsigned-byte IDX file; gzip is detected by zlib (plain files pass through).
// expected_ndim: 3 for images, 1 for labels. A missing file, a bad magic number, other
// dimensions, a truncated body or trailing bytes throw arch::InputError "PATH: what is wrong".
IdxArray read_idx(const std::string& path, int expected_ndim);

}  // namespace imc::nas
