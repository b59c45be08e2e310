// `--workers N`: at most N `imcnas evaluate` children at a time on this machine.
#pragma once
#include "nas/search/pool.h"

namespace imc::nas {

class LocalPool : public WorkerPool {
 public:
  // program: the imcnas binary. Each job runs in its job.work_dir.
  LocalPool(std::string program, int workers, double timeout_s, bool keep_dirs);
  void run(const std::vector<EvalJob>& jobs,
           const std::function<void(size_t, const Outcome&)>& done) override;
  int slots() const override { return workers_; }
  std::string description() const override;

 private:
  std::string program_;
  int workers_;
  double timeout_s_;
  bool keep_dirs_;
};

}  // namespace imc::nas
