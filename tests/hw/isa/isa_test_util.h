// Helpers shared by the isa tests: error capture, a hand-built chip, scratch files.
#pragma once

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>

#include <unistd.h>

#include "hw/arch/load.h"
#include "hw/arch/params.h"

namespace imc::isa::testing {

// what() of the exception `f` throws, or "no error".
template <typename E = std::exception>
std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const E& e) {
    return e.what();
  }
  return "no error";
}

inline bool starts_with(const std::string& s, const std::string& prefix) {
  return s.compare(0, prefix.size(), prefix) == 0;
}
inline bool contains(const std::string& s, const std::string& part) {
  return s.find(part) != std::string::npos;
}

// configs/tile8x8.yaml as the lead describes it, built by hand so these tests do not depend
// on the YAML reader.
inline arch::ChipParams tile8x8() {
  arch::ChipParams c;
  c.name = "tile8x8";
  c.mesh_rows = 8;
  c.mesh_cols = 8;
  c.tile.crossbars = 4;
  c.tile.crossbar.rows = 256;
  c.tile.crossbar.cols = 256;
  c.tile.crossbar.cells_per_weight = 2;
  c.tile.input_buffer.capacity_bits = 8 * 8192;
  c.tile.output_buffer.capacity_bits = 8 * 8192;
  c.tile.accumulator_entries = 1024;
  c.tile.threshold_entries = 1024;
  c.tile.semaphores = 16;
  c.global_buffer.capacity_bits = 8LL * 2 * 1024 * 1024;
  return c;
}

// A fresh directory under the system temp dir, removed with the object.
class ScratchDir {
 public:
  explicit ScratchDir(const std::string& tag) {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    path_ = std::filesystem::temp_directory_path() /
            ("imc_isa_" + tag + "_" + (info ? std::string(info->name()) : "x") + "_" +
             std::to_string(::getpid()));
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~ScratchDir() { std::filesystem::remove_all(path_); }
  std::string file(const std::string& name) const { return (path_ / name).string(); }
  std::string write(const std::string& name, const std::string& bytes) const {
    std::ofstream(file(name), std::ios::binary) << bytes;
    return file(name);
  }

 private:
  std::filesystem::path path_;
};

}  // namespace imc::isa::testing
