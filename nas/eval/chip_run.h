// The two steps every use of a trained model on the chip shares: compile it with imcc for a
// chip, and run a set of images through imcsim (a child process), reading back predictions,
// accuracy and the statistics.
#pragma once
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "hw/arch/params.h"
#include "hw/isa/program.h"
#include "nas/train/train.h"

namespace imc::nas {

// An ONNX model compiled for a chip (pipelined schedule), and the crossbars one copy of its
// weights needs there (compiler::weight_crossbars).
struct CompiledModel {
  isa::Program program;
  int64_t weight_crossbars = 0;
};

// Compiles an ONNX model and writes the .cmd text to cmd_path. Throws
// compiler::CompileError / compiler::BackendError / arch::InputError as imcc would.
CompiledModel compile_model(const std::string& onnx_path, const arch::ChipParams& chip,
                            const std::string& cmd_path);

// What the network occupies on this chip. `crossbars`: programmed by the pipelined program
// (distinct tile, crossbar pairs: the copies that balance the pipeline included); `tiles`:
// doing any work there. `area_cells`: the array cells of one copy of the weights,
// weight_crossbars x rows x cols x cells per weight: the pipelined program fills every spare
// tile with copies, so only this follows the network (and the hardware genome), not the chip.
struct Resources {
  int crossbars = 0, tiles = 0;
  double area_cells = 0;
};
Resources count_resources(const CompiledModel& model, const arch::ChipParams& chip);

struct ChipRunOptions {
  std::string arch_file;
  std::vector<std::string> overrides;   // --set path=value, applied by imcsim
  std::string work_dir;                 // x.npy, y.npy, stats.json, imcsim.stderr go here
  uint64_t seed = 1;                    // imcsim --seed (device variation)
  std::vector<std::string> extra_args;  // e.g. {"--vcd", "w.vcd"}: the first batch only
  int batch = 0;                        // images per imcsim run (0: all at once); see max_batch()
};

struct ChipRun {
  std::vector<int> predictions;  // argmax of each image's class scores (first wins a tie)
  double accuracy = 0;
  nlohmann::json stats;  // imcsim's stats.json
};

// The largest batch the program's global-buffer layout holds (inputs and outputs must
// neither overlap nor leave the buffer; imcsim refuses such a batch).
int max_batch(const isa::Program& program, const arch::ChipParams& chip);

// Runs `images` through the program at cmd_path. Throws ChipRunError when imcsim fails.
ChipRun run_on_chip(const std::string& cmd_path, const ImageSet& images, const ChipRunOptions& o);

class ChipRunError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The first n images of a set (at least one).
ImageSet first_images(const ImageSet& all, int n);

}  // namespace imc::nas
