#include "hw/models/activity_trace.h"

#include <utility>

namespace imc::models {

int ActivityTrace::add_signal(std::string scope, std::string name, Kind kind, int width) {
  signals_.push_back({std::move(scope), std::move(name), kind, kind == Kind::kBusy ? 1 : width});
  return static_cast<int>(signals_.size()) - 1;
}

}  // namespace imc::models
