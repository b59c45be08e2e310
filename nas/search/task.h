// One candidate evaluated in `imcnas evaluate` child processes: a crashed child (a signal, an
// unexpected exit status, an unreadable result) is retried once, then the candidate fails
// with the reason; a child over the time limit is killed and fails the candidate. Local
// workers and MPI worker ranks both run candidates this way.
#pragma once
#include <chrono>
#include <memory>
#include <string>

#include "nas/search/child.h"
#include "nas/search/pool.h"

namespace imc::nas {

struct TaskSettings {
  std::string program;   // the imcnas binary
  std::string dir;       // this candidate's scratch directory (created; removed when done)
  double timeout_s = 0;  // per attempt; 0 = none
  bool keep_dir = false;
  std::string worker;  // recorded as Outcome::worker
};

class CandidateTask {
 public:
  CandidateTask(EvalJob job, TaskSettings settings);

  // Advances without blocking: starts an attempt, notices its end, retries once. True once
  // the outcome is known. Throws SetupFailure when the evaluator rejects the job (exit 2).
  bool poll();
  const Outcome& outcome() const { return outcome_; }

 private:
  void start_attempt();
  void finish(EvalResult r, bool post_mortem = false);

  using Clock = std::chrono::steady_clock;
  EvalJob job_;
  TaskSettings s_;
  std::unique_ptr<ChildProcess> child_;
  std::string attempt_dir_;
  Clock::time_point started_, attempt_started_;
  Outcome outcome_;
  bool done_ = false;
};

}  // namespace imc::nas
