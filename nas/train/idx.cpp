#include "nas/train/idx.h"

#include <zlib.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <memory>

#include "hw/arch/load.h"
#include "nas/train/train.h"

namespace imc::nas {
namespace {

using GzFile = std::unique_ptr<gzFile_s, int (*)(gzFile)>;

// Reads exactly n bytes; false at a clean or truncated end of data.
bool read_exact(gzFile f, void* out, size_t n) {
  auto* p = static_cast<unsigned char*>(out);
  while (n > 0) {
    const unsigned chunk = static_cast<unsigned>(std::min<size_t>(n, 1u << 30));
    const int got = gzread(f, p, chunk);
    if (got <= 0) return false;
    p += got;
    n -= static_cast<size_t>(got);
  }
  return true;
}

uint32_t big_endian(const unsigned char b[4]) {
  return uint32_t(b[0]) << 24 | uint32_t(b[1]) << 16 | uint32_t(b[2]) << 8 | uint32_t(b[3]);
}

std::string find_file(const std::string& dir, const std::string& stem) {
  namespace fs = std::filesystem;
  for (const char* ext : {".gz", ""}) {
    const fs::path p = fs::path(dir) / (stem + ext);
    if (fs::exists(p)) return p.string();
  }
  throw arch::InputError((std::filesystem::path(dir) / stem).string() +
                         "[.gz]: no such file (Fashion-MNIST: apt-get install "
                         "dataset-fashion-mnist, or --data DIR)");
}

}  // namespace

IdxArray read_idx(const std::string& path, int expected_ndim) {
  GzFile f(gzopen(path.c_str(), "rb"), gzclose);
  if (!f) throw arch::InputError(path + ": cannot open");
  unsigned char magic[4];
  if (!read_exact(f.get(), magic, 4)) throw arch::InputError(path + ": empty or not an IDX file");
  if (magic[0] != 0 || magic[1] != 0 || magic[2] != 0x08 || magic[3] != expected_ndim) {
    char got[16];
    std::snprintf(got, sizeof got, "%02x%02x%02x%02x", magic[0], magic[1], magic[2], magic[3]);
    throw arch::InputError(path + ": bad IDX magic number 0x" + got + " (expected 0x000008" +
                           (expected_ndim < 16 ? "0" : "") + std::to_string(expected_ndim) +
                           ": unsigned bytes, " + std::to_string(expected_ndim) + " dimensions)");
  }
  IdxArray a;
  size_t total = 1;
  for (int i = 0; i < expected_ndim; ++i) {
    unsigned char b[4];
    if (!read_exact(f.get(), b, 4)) throw arch::InputError(path + ": truncated IDX header");
    a.dims.push_back(big_endian(b));
    if (a.dims.back() == 0)
      throw arch::InputError(path + ": dimension " + std::to_string(i) + " is 0");
    total *= a.dims.back();
    if (total > (size_t(1) << 32)) throw arch::InputError(path + ": IDX array too large");
  }
  a.data.resize(total);
  if (!read_exact(f.get(), a.data.data(), total))
    throw arch::InputError(path + ": truncated: the header announces " + std::to_string(total) +
                           " bytes of data");
  unsigned char extra;
  if (gzread(f.get(), &extra, 1) != 0)
    throw arch::InputError(path + ": trailing bytes after the " + std::to_string(total) +
                           " announced by the header");
  return a;
}

ImageSet load_fashion_mnist(const std::string& dir, bool train) {
  const std::string prefix = train ? "train" : "t10k";
  const std::string image_path = find_file(dir, prefix + "-images-idx3-ubyte");
  const std::string label_path = find_file(dir, prefix + "-labels-idx1-ubyte");
  IdxArray images = read_idx(image_path, 3), labels = read_idx(label_path, 1);
  if (images.dims[0] != labels.dims[0])
    throw arch::InputError(label_path + ": " + std::to_string(labels.dims[0]) + " labels for " +
                           std::to_string(images.dims[0]) + " images in " + image_path);
  for (size_t i = 0; i < labels.data.size(); ++i) {
    if (labels.data[i] > 9)
      throw arch::InputError(label_path + ": label " + std::to_string(labels.data[i]) +
                             " of item " + std::to_string(i) + " is not a class 0..9");
  }
  ImageSet s;
  s.count = int(images.dims[0]);
  s.rows = int(images.dims[1]);
  s.cols = int(images.dims[2]);
  s.images = std::move(images.data);
  s.labels = std::move(labels.data);
  return s;
}

}  // namespace imc::nas
