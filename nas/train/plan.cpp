#include "nas/train/plan.h"

#include <map>

#include "hw/arch/load.h"

namespace imc::nas {
namespace {

class Planner {
 public:
  explicit Planner(const NetGenome& g) {
    shapes_.push_back({g.input_channels, g.input_height, g.input_width});
  }

  // Appends a stage reading the last value; returns the new value's index.
  int add(Stage::Kind kind, const std::string& prefix, Shape out, int residual = -1,
          bool raw = false) {
    Stage s;
    s.kind = kind;
    s.name = prefix == "flatten" ? prefix : prefix + std::to_string(count_[prefix]++);
    s.input = last();
    s.residual = residual;
    s.raw = raw;
    s.in = shapes_.back();
    s.out = out;
    stages_.push_back(s);
    shapes_.push_back(out);
    return last();
  }
  int conv(int channels, int residual = -1) {
    const Shape& in = shapes_.back();
    return add(Stage::Kind::kConv, "conv", {channels, in.h, in.w}, residual);
  }
  int pool() {
    const Shape& in = shapes_.back();
    return add(Stage::Kind::kPool, "pool", {in.c, in.h / 2, in.w / 2});
  }
  int flatten() {
    return add(Stage::Kind::kFlatten, "flatten", {int(shapes_.back().elements()), 1, 1, true});
  }
  int dense(int out, bool raw) {
    return add(Stage::Kind::kDense, "fc", {out, 1, 1, true}, -1, raw);
  }

  int last() const { return int(shapes_.size()) - 1; }
  const Shape& shape(int v) const { return shapes_[size_t(v)]; }
  std::vector<Stage> stages() const { return stages_; }

 private:
  std::vector<Shape> shapes_;
  std::vector<Stage> stages_;
  std::map<std::string, int> count_;
};

}  // namespace

std::vector<Stage> plan_network(const NetGenome& g) {
  if (const std::string why = check_net(g); !why.empty()) throw arch::InputError("net: " + why);
  Planner p(g);
  for (const Block& b : g.blocks) {
    switch (b.kind) {
      case BlockKind::kSkip:
        break;
      case BlockKind::kVgg:
      case BlockKind::kMvgg:
        p.conv(b.channels);
        p.conv(b.channels);
        if (b.kind == BlockKind::kVgg) p.pool();
        break;
      case BlockKind::kRes: {
        const int x = p.last();
        const int h = p.conv(b.channels);
        p.conv(b.channels, x != 0 && p.shape(x).c == b.channels ? x : h);
        break;
      }
    }
  }
  for (int i = 0; i < g.head_pools; ++i) p.pool();
  p.flatten();
  if (g.head_width > 0) p.dense(g.head_width, false);
  p.dense(g.classes, true);
  return p.stages();
}

}  // namespace imc::nas
