// One `imcnas evaluate` child process: started with fork/exec, polled without blocking, killed
// with the search (PR_SET_PDEATHSIG) so a SIGKILLed search leaves no orphans behind.
#pragma once
#include <sys/types.h>

#include <string>
#include <vector>

namespace imc::nas {

class ChildProcess {
 public:
  // argv[0] is the program. stdout goes to /dev/null, stderr to stderr_path.
  // Throws std::runtime_error when fork fails.
  ChildProcess(const std::vector<std::string>& argv, const std::string& stderr_path);
  ~ChildProcess();  // a child still running is killed and reaped
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  bool finished();          // non-blocking; true once reaped
  void kill();              // SIGKILL, then reap
  int exit_status() const;  // -1 when killed by a signal
  int signal() const;       // the signal that ended it, or 0

 private:
  pid_t pid_ = -1;
  int status_ = 0;
  bool reaped_ = false;
};

// "killed by signal 6 (Aborted)" / "exit status 3".
std::string describe_end(int exit_status, int signal);

}  // namespace imc::nas
