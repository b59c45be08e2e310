// `mpirun -np K imcnas search ...`: rank 0 runs the search (and alone touches the database);
// ranks 1..K-1 are workers, each running one candidate at a time in an `imcnas evaluate`
// child (CandidateTask: a crash loses only that candidate, retried once). Messages are JSON
// strings: a job to a worker, an outcome back, an empty "stop" at the end.
#pragma once
#include <set>
#include <string>

#include "nas/search/pool.h"

namespace imc::nas {

// True when this process was started by mpirun (Open MPI's or a PMI launcher's environment)
// with more than one rank.
bool launched_by_mpirun();

// MPI_Init ... MPI_Finalize.
class MpiSession {
 public:
  MpiSession();
  ~MpiSession();
  MpiSession(const MpiSession&) = delete;
  MpiSession& operator=(const MpiSession&) = delete;
  int rank() const { return rank_; }
  int size() const { return size_; }

 private:
  int rank_ = 0, size_ = 1;
};

// The coordinator's side: farms jobs out to the worker ranks. Its destructor tells every
// worker to stop (after collecting what is still in flight).
class MpiPool : public WorkerPool {
 public:
  explicit MpiPool(const MpiSession& session);
  ~MpiPool() override;
  void run(const std::vector<EvalJob>& jobs,
           const std::function<void(size_t, const Outcome&)>& done) override;
  int slots() const override { return size_ - 1; }
  std::string description() const override;

 private:
  int size_;
  std::set<int> busy_;
};

// A worker rank: evaluates jobs until rank 0 says stop. Returns the exit status.
int serve_mpi_jobs(const MpiSession& session, const std::string& program, double timeout_s,
                   bool keep_dirs);

}  // namespace imc::nas
