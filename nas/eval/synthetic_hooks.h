// Test hooks of the synthetic evaluator, read from the environment (which `imcnas evaluate`
// children inherit from the search), so tests can make chosen candidates fail, crash or take
// time without touching the search:
//   IMCNAS_SYNTHETIC_FAIL=PATTERN        matching candidates fail ("synthetic failure")
//   IMCNAS_SYNTHETIC_CRASH=PATTERN       matching candidates abort() (SIGABRT) the process
//   IMCNAS_SYNTHETIC_CRASH_ONCE_DIR=DIR  ... only on their first attempt (a marker in DIR)
//   IMCNAS_SYNTHETIC_SLEEP_MS=N          every evaluation first sleeps N ms
//   IMCNAS_SYNTHETIC_LOG=FILE            every finished evaluation appends its genome JSON
// PATTERN is "every:N" (the genome JSON's hash is a multiple of N) or a substring of
// describe(genome), e.g. "res" or "|t/".
#pragma once
#include <cstdint>
#include <string>
#include "nas/eval/candidate.h"

namespace imc::nas {

uint64_t synthetic_hash(const std::string& text);  // FNV-1a, stable across runs and machines
bool synthetic_pattern_matches(const std::string& pattern, const Genome& g);

void run_synthetic_hooks_before(const EvalJob& job);                // sleep, crash
void run_synthetic_hooks_after(const EvalJob& job, EvalResult& r);  // fail, log

}  // namespace imc::nas
