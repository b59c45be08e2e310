#include "nas/search/local_pool.h"

#include <chrono>
#include <memory>
#include <thread>
#include <utility>

#include "nas/search/task.h"

namespace imc::nas {

LocalPool::LocalPool(std::string program, int workers, double timeout_s, bool keep_dirs)
    : program_(std::move(program)),
      workers_(workers),
      timeout_s_(timeout_s),
      keep_dirs_(keep_dirs) {}

std::string LocalPool::description() const {
  return std::to_string(workers_) + " local worker" + (workers_ == 1 ? "" : "s");
}

void LocalPool::run(const std::vector<EvalJob>& jobs,
                    const std::function<void(size_t, const Outcome&)>& done) {
  // Tasks still running when an exception leaves this function are destroyed with `active`,
  // which kills their children.
  std::vector<std::pair<size_t, std::unique_ptr<CandidateTask>>> active;
  size_t next = 0;
  while (next < jobs.size() || !active.empty()) {
    while (next < jobs.size() && int(active.size()) < workers_) {
      TaskSettings s{program_, jobs[next].work_dir, timeout_s_, keep_dirs_, "local"};
      active.emplace_back(next, std::make_unique<CandidateTask>(jobs[next], s));
      ++next;
    }
    bool progressed = false;
    for (size_t k = 0; k < active.size();) {
      if (active[k].second->poll()) {
        const auto finished = std::move(active[k]);
        active.erase(active.begin() + long(k));
        done(finished.first, finished.second->outcome());
        progressed = true;
      } else {
        ++k;
      }
    }
    // Children take from tens of milliseconds (synthetic) to minutes (training): a short
    // sleep keeps the coordinator's share of a core negligible either way.
    if (!progressed) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

}  // namespace imc::nas
