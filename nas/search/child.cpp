#include "nas/search/child.h"

#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <stdexcept>

namespace imc::nas {

ChildProcess::ChildProcess(const std::vector<std::string>& argv, const std::string& stderr_path) {
  // Everything the child needs is prepared before fork: after it, only async-signal-safe calls.
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  const pid_t parent = ::getpid();
  pid_ = ::fork();
  if (pid_ < 0) throw std::runtime_error(std::string("cannot start a child: ") + strerror(errno));
  if (pid_ == 0) {
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) ::_exit(126);  // the search died before prctl took effect
    const int null = ::open("/dev/null", O_RDWR);
    const int err = ::open(stderr_path.c_str(), O_CREAT | O_TRUNC | O_WRONLY, 0644);
    if (null >= 0) ::dup2(null, STDIN_FILENO), ::dup2(null, STDOUT_FILENO);
    if (err >= 0) ::dup2(err, STDERR_FILENO);
    ::execv(args[0], args.data());
    ::_exit(127);
  }
}

ChildProcess::~ChildProcess() {
  if (!reaped_) kill();
}

bool ChildProcess::finished() {
  if (reaped_) return true;
  const pid_t r = ::waitpid(pid_, &status_, WNOHANG);
  if (r == pid_) reaped_ = true;
  if (r < 0 && errno == ECHILD) reaped_ = true, status_ = 0x7f00;  // not ours any more
  return reaped_;
}

void ChildProcess::kill() {
  if (reaped_) return;
  ::kill(pid_, SIGKILL);
  while (::waitpid(pid_, &status_, 0) < 0 && errno == EINTR) {
  }
  reaped_ = true;
}

int ChildProcess::exit_status() const {
  return WIFEXITED(status_) ? WEXITSTATUS(status_) : -1;
}
int ChildProcess::signal() const {
  return WIFSIGNALED(status_) ? WTERMSIG(status_) : 0;
}

std::string describe_end(int exit_status, int signal) {
  if (signal) return "killed by signal " + std::to_string(signal) + " (" + strsignal(signal) + ")";
  if (exit_status == 127) return "exit status 127 (the program could not be started)";
  return "exit status " + std::to_string(exit_status);
}

}  // namespace imc::nas
