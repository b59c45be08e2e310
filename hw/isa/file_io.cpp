#include "hw/isa/file_io.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <stdexcept>

#include "hw/arch/load.h"

namespace imc::isa {

std::string read_file_bytes(const std::string& path) {
  auto fail = [&](int err) {
    throw arch::InputError(path + ": cannot read: " + std::strerror(err));
  };
  std::unique_ptr<FILE, int (*)(FILE*)> f(std::fopen(path.c_str(), "rb"), &std::fclose);
  if (!f) fail(errno);
  std::string bytes;
  char buf[1 << 16];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f.get())) > 0) bytes.append(buf, n);
  // fopen succeeds on a directory; the read error tells them apart from an empty file.
  if (std::ferror(f.get())) fail(errno ? errno : EIO);
  return bytes;
}

void write_file_atomically(const std::string& path, const std::string& bytes) {
  auto fail = [&](int err) {
    throw std::runtime_error(path + ": cannot write: " + std::strerror(err));
  };
  const std::string tmp = path + ".tmp";
  FILE* f = std::fopen(tmp.c_str(), "wb");
  if (!f) fail(errno);
  const bool wrote = std::fwrite(bytes.data(), 1, bytes.size(), f) == bytes.size();
  const int write_errno = errno;
  const bool closed = std::fclose(f) == 0;
  if (!wrote || !closed) {
    const int err = !wrote ? write_errno : errno;
    std::remove(tmp.c_str());
    fail(err);
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    const int err = errno;
    std::remove(tmp.c_str());
    fail(err);
  }
}

}  // namespace imc::isa
