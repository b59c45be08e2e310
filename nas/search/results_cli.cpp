// `imcnas results`, `imcnas pareto`, `imcnas report`: read a database, write CSV, JSON, a
// table or the HTML report (files written atomically).
#include <iostream>

#include <boost/program_options.hpp>

#include "hw/arch/load.h"
#include "hw/isa/file_io.h"
#include "nas/search/report.h"
#include "nas/search/results_view.h"
#include "nas/search/search_cli.h"

namespace imc::nas {
namespace {

namespace po = boost::program_options;

struct Options {
  std::string db, format = "csv", output, objectives;
  int64_t search = 0;
};

// Parses the shared options; returns false after --help. Throws arch::InputError.
bool parse(const std::vector<std::string>& args, const std::string& usage, bool with_format,
           bool with_objectives, Options& o) {
  po::options_description d(usage);
  d.add_options()("help,h", "print this help")("db", po::value(&o.db), "the results database")(
      "search", po::value(&o.search)->default_value(0), "search id (default: the latest)")(
      "output,o", po::value(&o.output), with_format ? "write here (default: stdout)" : "the page");
  if (with_format)
    d.add_options()("format", po::value(&o.format)->default_value(o.format), "csv, json or table");
  if (with_objectives)
    d.add_options()("objectives", po::value(&o.objectives),
                    "the front of these objectives (default: the search's)");
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(args).options(d).run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    throw arch::InputError(std::string(e.what()) + " (see --help)");
  }
  if (vm.count("help")) {
    std::cout << d;
    return false;
  }
  if (o.db.empty()) throw arch::InputError("--db is required (see --help)");
  if (!with_format && o.output.empty()) throw arch::InputError("-o is required (see --help)");
  if (o.format != "csv" && o.format != "json" && o.format != "table")
    throw arch::InputError("--format '" + o.format + "': expected csv, json or table");
  return true;
}

void emit(const Options& o, const std::string& text) {
  if (o.output.empty()) {
    std::cout << text;
  } else {
    isa::write_file_atomically(o.output, text);
  }
}

std::string render(const Options& o, const ResultsView& v, const std::vector<size_t>& rows) {
  if (o.format == "json") return results_json(v, rows);
  if (o.format == "table") return results_table(v, rows);
  return results_csv(v, rows);
}

template <typename F>
int guarded(const char* name, F&& body) {
  try {
    return body();
  } catch (const arch::InputError& e) {
    std::cerr << "imcnas " << name << ": " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "imcnas " << name << ": " << e.what() << "\n";
    return 3;
  }
}

}  // namespace

int results_main(const std::vector<std::string>& args) {
  return guarded("results", [&] {
    Options o;
    if (!parse(args, "imcnas results --db runs.sqlite [--format csv|json|table] [-o FILE]", true,
               false, o))
      return 0;
    const Store store(o.db, Store::Mode::kReadOnly);
    const ResultsView v = load_results(store, o.search, "");
    std::vector<size_t> rows(v.candidates.size());
    for (size_t i = 0; i < rows.size(); ++i) rows[i] = i;
    emit(o, render(o, v, rows));
    return 0;
  });
}

int pareto_main(const std::vector<std::string>& args) {
  return guarded("pareto", [&] {
    Options o;
    if (!parse(args, "imcnas pareto --db runs.sqlite [--objectives ...] [--format ...]", true, true,
               o))
      return 0;
    const Store store(o.db, Store::Mode::kReadOnly);
    const ResultsView v = load_results(store, o.search, o.objectives);
    emit(o, render(o, v, front_rows(v)));
    return 0;
  });
}

int report_main(const std::vector<std::string>& args) {
  return guarded("report", [&] {
    Options o;
    if (!parse(args, "imcnas report --db runs.sqlite -o report.html", false, false, o)) return 0;
    const Store store(o.db, Store::Mode::kReadOnly);
    isa::write_file_atomically(o.output, report_html(load_results(store, o.search, "")));
    return 0;
  });
}

}  // namespace imc::nas
