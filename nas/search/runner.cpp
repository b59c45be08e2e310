#include "nas/search/runner.h"

#include <algorithm>
#include <thread>

#include "hw/arch/load.h"

namespace imc::nas {

bool CandidateRunner::feasible(const CandidateRecord& c) const {
  return c.ok() && violation(ctx_.settings.constraints, c.metrics) == 0;
}

std::string CandidateRunner::precheck(const Genome& g) {
  if (std::string why = check_net(g.net); !why.empty()) return "cannot be built: " + why;
  std::string key;
  for (const std::string& o : g.arch_overrides) key += o + "\n";
  auto it = arch_checks_.find(key);
  if (it == arch_checks_.end()) {
    std::string why;
    try {
      std::vector<arch::Override> overrides;
      for (const std::string& o : g.arch_overrides) overrides.push_back(arch::parse_override(o));
      arch::load_chip(ctx_.settings.arch_file, overrides);
    } catch (const arch::InputError& e) {
      why = std::string("the arch file refuses these overrides: ") + e.what();
    }
    it = arch_checks_.emplace(key, why).first;
  }
  return it->second;
}

EvalJob CandidateRunner::job_for(const Genome& g, const CandidateRecord& c) const {
  EvalJob job;
  job.genome = g;
  job.fidelity = ctx_.fidelity;
  job.seed = ctx_.settings.seed;
  job.arch_file = ctx_.settings.arch_file;
  job.data_dir = ctx_.settings.data_dir;
  job.work_dir = ctx_.work_root + "/candidate-" + std::to_string(c.seq);
  const int cores = int(std::max(1u, std::thread::hardware_concurrency()));
  job.threads = std::max(1, cores / std::max(1, ctx_.pool.slots()));
  job.evaluator = ctx_.settings.evaluator;
  return job;
}

std::vector<CandidateRecord> CandidateRunner::evaluate(const std::vector<Genome>& batch) {
  const int64_t search = ctx_.search.id, seed = int64_t(ctx_.settings.seed);
  const std::string& fidelity = ctx_.fidelity.name;
  std::vector<CandidateRecord> records(batch.size());
  std::vector<size_t> first(batch.size());  // the proposal whose record a repeat shares
  std::map<std::string, size_t> in_batch;
  std::vector<EvalJob> jobs;
  std::vector<size_t> job_owner;  // proposal of each job
  for (size_t i = 0; i < batch.size(); ++i) {
    const std::string key = genome_to_json(batch[i]);
    const auto [it, added] = in_batch.emplace(key, i);
    first[i] = it->second;
    if (!added) continue;
    std::optional<CandidateRecord> c = ctx_.store.find(search, key, fidelity, seed);
    if (c && c->done()) {
      records[i] = *c;
      ctx_.progress.resolved(*c, false);
      continue;
    }
    if (c) {
      ctx_.store.restart(c->id);  // was running when an earlier run of this search died
    } else {
      c = ctx_.store.add_running(search, key, describe(batch[i]), fidelity, seed);
    }
    if (const std::string why = precheck(batch[i]); !why.empty()) {
      EvalResult r;
      r.failure = why;
      ctx_.store.finish(c->id, r, 0, 0, "coordinator");
      records[i] = *ctx_.store.find(search, key, fidelity, seed);
      ctx_.progress.resolved(records[i], true);
      continue;
    }
    records[i] = *c;
    jobs.push_back(job_for(batch[i], *c));
    job_owner.push_back(i);
  }
  ctx_.pool.run(jobs, [&](size_t j, const Outcome& o) {
    CandidateRecord& c = records[job_owner[j]];
    ctx_.store.finish(c.id, o.result, o.wall_s, o.attempts, o.worker);
    c = *ctx_.store.find(search, c.genome, fidelity, seed);
    ctx_.progress.resolved(c, true);
  });
  for (size_t i = 0; i < batch.size(); ++i) {
    if (first[i] != i) {
      records[i] = records[first[i]];
      ctx_.progress.resolved(records[i], false);
    }
  }
  proposed_ += int64_t(batch.size());
  return records;
}

}  // namespace imc::nas
