#include "rtl/vcd_merge.h"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <tuple>

#include "hw/isa/file_io.h"

namespace imc::rtl {

namespace {

std::string trim(const std::string& s) {
  const size_t b = s.find_first_not_of(" \t\r");
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(" \t\r") - b + 1);
}

// A fixed-length suffix per part keeps identifiers unique: equal length means the split
// between identifier and suffix is unambiguous.
std::string suffix(size_t part) {
  return {static_cast<char>(33 + part / 94 % 94), static_cast<char>(33 + part % 94)};
}

struct Change {
  uint64_t time;
  size_t part;
  std::string text;  // value change lines, identifiers renamed
};

}  // namespace

void merge_vcd(const std::vector<std::string>& parts, const std::string& out) {
  std::ostringstream header, body;
  std::vector<Change> changes;
  std::string timescale = "$timescale 1ps $end";
  for (size_t p = 0; p < parts.size(); ++p) {
    std::ifstream in(parts[p]);
    if (!in) throw std::runtime_error(parts[p] + ": cannot read the RTL waveform");
    const std::string sfx = suffix(p);
    std::string line;
    bool defs = true;
    uint64_t time = 0;
    std::string pending;
    auto flush = [&] {
      if (!pending.empty()) changes.push_back({time, p, pending});
      pending.clear();
    };
    while (std::getline(in, line)) {
      const std::string l = trim(line);
      if (l.empty()) continue;
      if (defs) {
        if (l.rfind("$enddefinitions", 0) == 0) {
          defs = false;
        } else if (l.rfind("$var", 0) == 0) {
          std::istringstream t(l);
          std::vector<std::string> w;
          for (std::string x; t >> x;) w.push_back(x);
          if (w.size() >= 5) w[3] += sfx;
          for (size_t i = 0; i < w.size(); ++i) header << (i ? " " : " ") << w[i];
          header << "\n";
        } else if (l.rfind("$scope", 0) == 0 || l.rfind("$upscope", 0) == 0) {
          header << " " << l << "\n";
        } else if (l.rfind("$timescale", 0) == 0 && l.find("$end") != std::string::npos) {
          timescale = l;
        }
        continue;
      }
      if (l[0] == '#') {
        flush();
        time = std::stoull(l.substr(1));
      } else if (l[0] == '$') {
        continue;  // $dumpvars / $end around the initial values
      } else if (l[0] == 'b' || l[0] == 'B' || l[0] == 'r' || l[0] == 'R') {
        pending += l + sfx + "\n";
      } else {
        pending += l + sfx + "\n";  // scalar: value character, then the identifier
      }
    }
    flush();
  }
  std::stable_sort(changes.begin(), changes.end(),
                   [](const Change& a, const Change& b) { return a.time < b.time; });
  std::ostringstream o;
  o << "$version imcsim RTL co-simulation (Verilated) $end\n" << timescale << "\n";
  o << header.str() << "$enddefinitions $end\n";
  bool first = true;
  uint64_t last = 0;
  for (const Change& c : changes) {
    if (first || c.time != last) o << "#" << c.time << "\n";
    first = false;
    last = c.time;
    o << c.text;
  }
  isa::write_file_atomically(out, o.str());
}

}  // namespace imc::rtl
