// A search's candidates as the reports see them: which are feasible, which are on the
// Pareto front of the search's objectives, and the hypervolume after each evaluation.
#pragma once
#include <string>
#include <vector>

#include "nas/search/pareto.h"
#include "nas/store/store.h"

namespace imc::nas {

struct ResultsView {
  SearchRecord search;
  std::vector<Metric> objectives;
  std::vector<Constraint> constraints;
  std::vector<CandidateRecord> candidates;  // by seq
  std::vector<bool> feasible;               // ok and inside the constraints
  std::vector<bool> front;                  // non-dominated among the feasible
  HvFrame frame;                            // normalisation over the feasible (pareto.h)
};

// search_id 0: the latest search. objectives: "" for the search's own.
ResultsView load_results(const Store& store, int64_t search_id, const std::string& objectives);

// Hypervolume of the feasible candidates among the first k evaluated, k = 1..n (by seq).
std::vector<double> hypervolume_curve(const ResultsView& v);

// Rows (indices into v.candidates) as CSV (one header line), JSON (an array) or a text table.
std::string results_csv(const ResultsView& v, const std::vector<size_t>& rows);
std::string results_json(const ResultsView& v, const std::vector<size_t>& rows);
std::string results_table(const ResultsView& v, const std::vector<size_t>& rows);

// Indices of the front, ordered by the first objective.
std::vector<size_t> front_rows(const ResultsView& v);

}  // namespace imc::nas
