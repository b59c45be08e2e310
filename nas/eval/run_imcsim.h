// Runs the imcsim program as a child process (SystemC elaborates once per process, so a
// search that simulates thousands of candidates cannot call it as a library).
#pragma once
#include <string>
#include <vector>

namespace imc::nas {

// The imcsim binary: $IMCSIM if set, else the one built next to imcnas.
std::string imcsim_program();

struct ChildOutcome {
  int exit_status = -1;     // the child's exit status, or -1 when killed by a signal
  int signal = 0;           // the signal that killed it
  std::string stderr_text;  // what it printed on stderr (its error messages)
};

// Runs `argv` (argv[0] = the program path), waits for it; stdout goes to /dev/null and stderr
// to `stderr_file`, which is read back.
ChildOutcome run_child(const std::vector<std::string>& argv, const std::string& stderr_file);

}  // namespace imc::nas
