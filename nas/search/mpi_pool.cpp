#include "nas/search/mpi_pool.h"

#include <mpi.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <thread>

#include <nlohmann/json.hpp>

#include "nas/search/task.h"

namespace imc::nas {
namespace {

using Json = nlohmann::json;
constexpr int kTagJob = 1, kTagOutcome = 2, kTagStop = 3;

void send(const std::string& text, int to, int tag) {
  MPI_Send(text.data(), int(text.size()), MPI_CHAR, to, tag, MPI_COMM_WORLD);
}

// Waits for a message without spinning a core: MPI's blocking calls busy-poll, which would
// take a CPU from the evaluations on a small machine.
MPI_Status wait_for(int source, int tag) {
  MPI_Status st;
  int ready = 0;
  while (true) {
    MPI_Iprobe(source, tag, MPI_COMM_WORLD, &ready, &st);
    if (ready) return st;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

std::string receive(const MPI_Status& st) {
  int n = 0;
  MPI_Get_count(&st, MPI_CHAR, &n);
  std::string text(size_t(n), '\0');
  MPI_Recv(text.data(), n, MPI_CHAR, st.MPI_SOURCE, st.MPI_TAG, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
  return text;
}

int env_int(const char* name, int fallback) {
  const char* v = std::getenv(name);
  return v && std::atoi(v) > 0 ? std::atoi(v) : fallback;
}

}  // namespace

bool launched_by_mpirun() {
  return env_int("OMPI_COMM_WORLD_SIZE", 0) > 1 || env_int("PMI_SIZE", 0) > 1 ||
         env_int("PMIX_SIZE", 0) > 1;
}

MpiSession::MpiSession() {
  MPI_Init(nullptr, nullptr);
  MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
  MPI_Comm_size(MPI_COMM_WORLD, &size_);
}

MpiSession::~MpiSession() {
  MPI_Finalize();
}

MpiPool::MpiPool(const MpiSession& session) : size_(session.size()) {}

MpiPool::~MpiPool() {
  for (int rank : busy_) receive(wait_for(rank, kTagOutcome));  // drain what is in flight
  for (int rank = 1; rank < size_; ++rank) send("", rank, kTagStop);
}

std::string MpiPool::description() const {
  return "MPI: " + std::to_string(size_ - 1) + " worker rank" + (size_ == 2 ? "" : "s");
}

void MpiPool::run(const std::vector<EvalJob>& jobs,
                  const std::function<void(size_t, const Outcome&)>& done) {
  std::vector<size_t> job_of(size_t(size_), 0);
  size_t next = 0, finished = 0;
  while (finished < jobs.size()) {
    for (int rank = 1; rank < size_ && next < jobs.size(); ++rank) {
      if (busy_.count(rank)) continue;
      send(Json{{"index", next}, {"job", Json::parse(job_to_json(jobs[next]))}}.dump(), rank,
           kTagJob);
      job_of[size_t(rank)] = next++;
      busy_.insert(rank);
    }
    const MPI_Status st = wait_for(MPI_ANY_SOURCE, kTagOutcome);
    const Json j = Json::parse(receive(st));
    busy_.erase(st.MPI_SOURCE);
    ++finished;
    if (!j.at("setup_error").get<std::string>().empty())
      throw SetupFailure(j.at("setup_error").get<std::string>());
    Outcome o;
    o.result = result_from_json(j.at("result").dump());
    o.attempts = j.at("attempts").get<int>();
    o.wall_s = j.at("wall_s").get<double>();
    o.worker = j.at("worker").get<std::string>();
    done(job_of[size_t(st.MPI_SOURCE)], o);
  }
}

int serve_mpi_jobs(const MpiSession& session, const std::string& program, double timeout_s,
                   bool keep_dirs) {
  char host[256] = "?";
  gethostname(host, sizeof host - 1);
  const std::string worker = "rank " + std::to_string(session.rank()) + " on " + host;
  // Scratch on this machine: the coordinator's work directory may not exist here.
  const std::string root =
      (std::filesystem::temp_directory_path() /
       ("imcnas-rank" + std::to_string(session.rank()) + "-" + std::to_string(getpid())))
          .string();
  const int cores = int(std::max(1u, std::thread::hardware_concurrency()));
  const int threads = std::max(1, cores / env_int("OMPI_COMM_WORLD_LOCAL_SIZE", 1));
  while (true) {
    const MPI_Status st = wait_for(0, MPI_ANY_TAG);
    const std::string text = receive(st);
    if (st.MPI_TAG == kTagStop) break;
    Json reply = {{"setup_error", ""}, {"attempts", 0}, {"wall_s", 0.0}, {"worker", worker}};
    try {
      EvalJob job = job_from_json(Json::parse(text).at("job").dump());
      job.work_dir = root + "/" + std::filesystem::path(job.work_dir).filename().string();
      job.threads = threads;
      CandidateTask task(job, TaskSettings{program, job.work_dir, timeout_s, keep_dirs, worker});
      while (!task.poll()) std::this_thread::sleep_for(std::chrono::milliseconds(5));
      reply["result"] = Json::parse(result_to_json(task.outcome().result));
      reply["attempts"] = task.outcome().attempts;
      reply["wall_s"] = task.outcome().wall_s;
    } catch (const std::exception& e) {  // SetupFailure, or this machine cannot run children
      reply["setup_error"] = worker + ": " + e.what();
      reply["result"] = Json::parse(result_to_json(EvalResult{}));
    }
    send(reply.dump(), 0, kTagOutcome);
  }
  std::error_code ignored;
  if (!keep_dirs) std::filesystem::remove_all(root, ignored);
  return 0;
}

}  // namespace imc::nas
