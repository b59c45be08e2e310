#include "hw/isa/file_io.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

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

}  // namespace imc::isa
