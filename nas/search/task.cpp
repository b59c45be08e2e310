#include "nas/search/task.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "hw/arch/load.h"
#include "hw/isa/file_io.h"

namespace imc::nas {
namespace {

namespace fs = std::filesystem;

constexpr int kMaxAttempts = 2;

// The last non-empty line a child printed on stderr: its error message.
std::string last_line(const std::string& path) {
  std::ifstream in(path);
  std::string line, last;
  while (std::getline(in, line)) {
    if (!line.empty()) last = line;
  }
  return last;
}

}  // namespace

CandidateTask::CandidateTask(EvalJob job, TaskSettings settings)
    : job_(std::move(job)), s_(std::move(settings)), started_(Clock::now()) {
  outcome_.worker = s_.worker;
  outcome_.attempts = 0;
}

void CandidateTask::start_attempt() {
  ++outcome_.attempts;
  attempt_dir_ = s_.dir + "/attempt-" + std::to_string(outcome_.attempts);
  fs::remove_all(attempt_dir_);
  fs::create_directories(attempt_dir_);
  EvalJob job = job_;
  job.work_dir = attempt_dir_;
  const std::string job_file = attempt_dir_ + "/job.json";
  isa::write_file_atomically(job_file, job_to_json(job));
  child_ = std::make_unique<ChildProcess>(
      std::vector<std::string>{s_.program, "evaluate", "--job", job_file, "--result",
                               attempt_dir_ + "/result.json"},
      attempt_dir_ + "/stderr.txt");
  attempt_started_ = Clock::now();
}

void CandidateTask::finish(EvalResult r, bool post_mortem) {
  outcome_.result = std::move(r);
  outcome_.wall_s = std::chrono::duration<double>(Clock::now() - started_).count();
  child_.reset();
  done_ = true;
  // Crashed candidates keep their directory (job, stderr) for a post-mortem.
  if (!s_.keep_dir && !post_mortem) {
    std::error_code ignored;
    fs::remove_all(s_.dir, ignored);
  }
}

bool CandidateTask::poll() {
  if (done_) return true;
  if (!child_) start_attempt();
  if (!child_->finished()) {
    const double running = std::chrono::duration<double>(Clock::now() - attempt_started_).count();
    if (s_.timeout_s <= 0 || running < s_.timeout_s) return false;
    child_->kill();
    EvalResult r;
    std::ostringstream why;
    why << "timed out after " << s_.timeout_s << " s";
    r.failure = why.str();
    finish(r);
    return true;
  }
  const int status = child_->exit_status(), signal = child_->signal();
  const std::string err = last_line(attempt_dir_ + "/stderr.txt");
  if (status == 2) {  // the job itself is bad: stop the search (see pool.h)
    throw SetupFailure("the evaluator rejected the job (" + attempt_dir_ +
                       "/job.json): " + (err.empty() ? "exit status 2" : err));
  }
  std::string why;
  if (status == 0) {
    try {
      finish(result_from_json(isa::read_file_bytes(attempt_dir_ + "/result.json")));
      return true;
    } catch (const arch::InputError& e) {
      why = std::string("unreadable result: ") + e.what();
    }
  } else {
    why = describe_end(status, signal) + (err.empty() ? "" : ": " + err);
  }
  if (outcome_.attempts < kMaxAttempts) {
    start_attempt();
    return false;
  }
  EvalResult r;
  r.failure = "evaluator crashed " + std::to_string(outcome_.attempts) + " times: " + why;
  finish(r, true);
  return true;
}

}  // namespace imc::nas
