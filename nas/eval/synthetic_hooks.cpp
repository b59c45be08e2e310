#include "nas/eval/synthetic_hooks.h"

#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <thread>

namespace imc::nas {
namespace {

std::string env(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

// A marker file per candidate: true the first time only. O_EXCL makes it atomic, so two
// workers racing on the same candidate cannot both see "first".
bool first_attempt(const std::string& dir, const Genome& g) {
  std::filesystem::create_directories(dir);
  const std::string marker = dir + "/" + std::to_string(synthetic_hash(genome_to_json(g)));
  const int fd = ::open(marker.c_str(), O_CREAT | O_EXCL | O_WRONLY, 0644);
  if (fd < 0) return false;
  ::close(fd);
  return true;
}

}  // namespace

uint64_t synthetic_hash(const std::string& text) {
  uint64_t h = 14695981039346656037ull;  // the FNV-1a 64-bit offset basis
  for (unsigned char c : text) h = (h ^ c) * 1099511628211ull;
  return h;
}

bool synthetic_pattern_matches(const std::string& pattern, const Genome& g) {
  if (pattern.empty()) return false;
  if (pattern.rfind("every:", 0) == 0) {
    const long n = std::atol(pattern.c_str() + 6);
    return n > 0 && synthetic_hash(genome_to_json(g)) % uint64_t(n) == 0;
  }
  return describe(g).find(pattern) != std::string::npos;
}

void run_synthetic_hooks_before(const EvalJob& job) {
  if (const long ms = std::atol(env("IMCNAS_SYNTHETIC_SLEEP_MS").c_str()); ms > 0)
    std::this_thread::sleep_for(std::chrono::milliseconds(ms));
  if (synthetic_pattern_matches(env("IMCNAS_SYNTHETIC_CRASH"), job.genome)) {
    const std::string once = env("IMCNAS_SYNTHETIC_CRASH_ONCE_DIR");
    if (once.empty() || first_attempt(once, job.genome)) std::abort();
  }
}

void run_synthetic_hooks_after(const EvalJob& job, EvalResult& r) {
  if (synthetic_pattern_matches(env("IMCNAS_SYNTHETIC_FAIL"), job.genome)) {
    r = EvalResult{};
    r.failure = "synthetic failure (IMCNAS_SYNTHETIC_FAIL)";
  }
  if (const std::string log = env("IMCNAS_SYNTHETIC_LOG"); !log.empty()) {
    // One write(2) with O_APPEND: lines from concurrent children never interleave.
    const std::string line = genome_to_json(job.genome) + "\n";
    const int fd = ::open(log.c_str(), O_CREAT | O_APPEND | O_WRONLY, 0644);
    if (fd >= 0) {
      [[maybe_unused]] const ssize_t written = ::write(fd, line.data(), line.size());
      ::close(fd);
    }
  }
}

}  // namespace imc::nas
