// `imcnas report`: one self-contained HTML page per search — its settings, the Pareto fronts
// as 2-D projections of every pair of objectives, hypervolume against evaluations, and the
// table of candidates. Inline SVG and CSS only.
#pragma once
#include <string>

#include "nas/search/results_view.h"

namespace imc::nas {

std::string report_html(const ResultsView& v);

}  // namespace imc::nas
