#include "nas/eval/chip_run.h"

#include <algorithm>
#include <filesystem>
#include <limits>
#include <set>

#include "compiler/backend/backend.h"
#include "compiler/frontend/import.h"
#include "hw/isa/assembler.h"
#include "hw/isa/batch_layout.h"
#include "hw/isa/file_io.h"
#include "hw/isa/npy.h"
#include "nas/eval/run_imcsim.h"

namespace imc::nas {

namespace fs = std::filesystem;

CompiledModel compile_model(const std::string& onnx_path, const arch::ChipParams& chip,
                            const std::string& cmd_path) {
  const compiler::Graph g = compiler::import_onnx(onnx_path, {});
  CompiledModel m;
  m.program = compiler::compile_graph(g, chip, {});
  m.weight_crossbars = compiler::weight_crossbars(g, chip);
  isa::write_file_atomically(cmd_path, isa::disassemble(m.program));
  return m;
}

Resources count_resources(const CompiledModel& model, const arch::ChipParams& chip) {
  const isa::Program& program = model.program;
  std::set<std::pair<int, int>> crossbars;
  Resources r;
  for (const isa::TileProgram& t : program.tiles) {
    bool works = false;
    for (const isa::Command& c : t.commands) {
      if (c.op == isa::Opcode::kWxb) crossbars.insert({t.tile, c.xbar});
      works |= c.op != isa::Opcode::kHalt;
    }
    r.tiles += works;
  }
  const arch::CrossbarParams& x = chip.tile.crossbar;
  r.crossbars = int(crossbars.size());
  r.area_cells = double(model.weight_crossbars) * x.rows * x.cols * x.cells_per_weight;
  return r;
}

ImageSet first_images(const ImageSet& all, int n) {
  ImageSet s = all;
  s.count = std::min(all.count, std::max(1, n));
  s.images.resize(size_t(s.count) * s.rows * s.cols);
  s.labels.resize(size_t(s.count));
  return s;
}

int max_batch(const isa::Program& program, const arch::ChipParams& chip) {
  return int(std::min<int64_t>(isa::max_batch(program, chip.global_buffer.capacity_bits / 8),
                               std::numeric_limits<int>::max()));
}

namespace {

ChipRun run_one_batch(const std::string& cmd_path, const ImageSet& images,
                      const ChipRunOptions& o) {
  const fs::path work = o.work_dir;
  fs::create_directories(work);
  const std::string x = (work / "x.npy").string(), y = (work / "y.npy").string();
  const std::string stats = (work / "stats.json").string();
  isa::write_npy_i32(x, {images.count, 1, images.rows, images.cols},
                     std::vector<int32_t>(images.images.begin(), images.images.end()));
  std::vector<std::string> argv = {imcsim_program(),
                                   "--arch",
                                   o.arch_file,
                                   "--prog",
                                   cmd_path,
                                   "--input",
                                   x,
                                   "--output",
                                   y,
                                   "--stats",
                                   stats,
                                   "--seed",
                                   std::to_string(o.seed),
                                   "-q"};
  for (const std::string& s : o.overrides) argv.insert(argv.end(), {"--set", s});
  argv.insert(argv.end(), o.extra_args.begin(), o.extra_args.end());
  const ChildOutcome run = run_child(argv, (work / "imcsim.stderr").string());
  if (run.exit_status != 0) {
    throw ChipRunError("imcsim " +
                       (run.signal ? "died of signal " + std::to_string(run.signal)
                                   : "exited with status " + std::to_string(run.exit_status)) +
                       (run.stderr_text.empty() ? "" : ": " + run.stderr_text));
  }
  const isa::NpyTensor scores = isa::read_npy_integers(y);
  if (scores.shape.size() != 2 || scores.shape[0] != images.count) {
    throw ChipRunError(y + ": expected one row of class scores per image");
  }
  ChipRun r;
  const int64_t classes = scores.shape[1];
  int correct = 0;
  for (int i = 0; i < images.count; ++i) {
    const auto row = scores.values.begin() + i * classes;
    r.predictions.push_back(int(std::max_element(row, row + classes) - row));
    correct += r.predictions.back() == images.labels[size_t(i)];
  }
  r.accuracy = double(correct) / images.count;
  r.stats = nlohmann::json::parse(isa::read_file_bytes(stats));
  return r;
}

ImageSet slice(const ImageSet& all, int first, int count) {
  ImageSet s = all;
  const size_t pixels = size_t(all.rows) * all.cols;
  s.count = count;
  s.images.assign(all.images.begin() + first * pixels,
                  all.images.begin() + (first + count) * pixels);
  s.labels.assign(all.labels.begin() + first, all.labels.begin() + first + count);
  return s;
}

}  // namespace

ChipRun run_on_chip(const std::string& cmd_path, const ImageSet& images, const ChipRunOptions& o) {
  const int batch = o.batch > 0 ? std::min(o.batch, images.count) : images.count;
  if (batch == images.count) return run_one_batch(cmd_path, images, o);
  // Batches one after the other, each its own imcsim run (pipeline fill included): cycles
  // and energy add up; the stats keep the first batch's other fields.
  ChipRun all;
  ChipRunOptions each = o;
  double cycles = 0;
  for (int first = 0; first < images.count; first += batch) {
    const ChipRun r =
        run_one_batch(cmd_path, slice(images, first, std::min(batch, images.count - first)), each);
    each.extra_args.clear();  // --vcd, --power-trace: the first batch only
    if (first == 0) {
      all.stats = r.stats;
    } else {
      for (auto& [name, pj] : all.stats["energy_pj"].items()) {
        pj = pj.get<double>() + r.stats.at("energy_pj").at(name).get<double>();
      }
    }
    cycles += r.stats.at("cycles").get<double>();
    all.predictions.insert(all.predictions.end(), r.predictions.begin(), r.predictions.end());
  }
  int correct = 0;
  for (int i = 0; i < images.count; ++i)
    correct += all.predictions[size_t(i)] == images.labels[size_t(i)];
  all.accuracy = double(correct) / images.count;
  all.stats["cycles"] = cycles;
  all.stats["batch"] = images.count;
  all.stats["energy_per_inference_pj"] =
      all.stats["energy_pj"].at("total").get<double>() / images.count;
  return all;
}

}  // namespace imc::nas
