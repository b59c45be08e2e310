// imcc: compiles an ONNX binary/ternary network into a command stream for a chip described
// by an arch file, or runs the bit-packed reference executor on it (--reference).
// Exit status: 0 done; 2 bad input (command line, arch file, model, unsupported network, a
// network that does not fit the chip, tensors); 1 anything else (e.g. cannot write).
#include <algorithm>
#include <iostream>
#include <string>
#include <utility>
#include <vector>

#include <boost/program_options.hpp>

#include "compiler/backend/backend.h"
#include "compiler/frontend/import.h"
#include "compiler/reference/reference.h"
#include "hw/arch/load.h"
#include "hw/isa/assembler.h"
#include "hw/isa/file_io.h"
#include "hw/isa/npy.h"

namespace po = boost::program_options;
using namespace imc;

namespace {

constexpr const char* kVersion = "imcc 0.1.0";

struct Args {
  std::string arch, model, output, input_type, schedule = "pipelined", placement = "noc",
                                               positions = "1", pool_fusion = "auto",
                                               handover = "halves", dump_after;
  std::string input;  // --reference
  std::vector<std::string> sets;
  bool reference = false, binary = false;
};

void list_passes() {
  std::cout << "passes:";
  for (const std::string& p : compiler::frontend_pass_names()) std::cout << " " << p;
  for (const std::string& p : compiler::backend_pass_names()) std::cout << " " << p;
  std::cout << "\n";
}

bool is_frontend_pass(const std::string& name) {
  for (const std::string& p : compiler::frontend_pass_names())
    if (p == name) return true;
  return false;
}

int reference(const Args& a) {
  if (a.input.empty() || a.output.empty()) {
    throw arch::InputError("--reference needs --model, --input x.npy and -o y.npy");
  }
  const compiler::Graph g = compiler::import_onnx(a.model, {a.input_type});
  const isa::NpyTensor x = isa::read_npy_integers(a.input);
  compiler::Tensor in{x.shape, {}};
  in.values.reserve(x.values.size());
  for (int64_t v : x.values) {
    if (v < INT32_MIN || v > INT32_MAX) throw arch::InputError(a.input + ": value out of range");
    in.values.push_back(static_cast<int32_t>(v));
  }
  const std::vector<compiler::Tensor> out = compiler::run_reference(g, in);
  if (out.size() != 1)
    throw arch::InputError(a.model + ": --reference writes networks with one output");
  isa::write_npy_i32(a.output, out[0].shape, out[0].values);
  return 0;
}

// What option `name`'s `value` selects among `choices`; any other value is refused like a
// bad file (exit 2), naming the values it takes.
template <typename T>
T choice(const std::string& name, const std::string& value,
         const std::vector<std::pair<std::string, T>>& choices) {
  std::string expected;
  for (size_t k = 0; k < choices.size(); ++k) {
    if (value == choices[k].first) return choices[k].second;
    expected += (k == 0 ? "" : k + 1 == choices.size() ? " or " : ", ") + choices[k].first;
  }
  throw arch::InputError("--" + name + " " + value + ": expected " + expected);
}

int compile(const Args& a) {
  if (a.arch.empty() || a.output.empty())
    throw arch::InputError("--arch and -o are required (see --help)");
  std::vector<arch::Override> overrides;
  for (const std::string& s : a.sets) overrides.push_back(arch::parse_override(s));
  const arch::ChipParams chip = arch::load_chip(a.arch, overrides);
  const onnx::ModelProto model = compiler::read_onnx(a.model);
  if (!a.dump_after.empty() && is_frontend_pass(a.dump_after)) {
    std::cout << compiler::frontend_dump_after(model, a.model, {a.input_type}, a.dump_after);
  }
  const compiler::Graph g = compiler::import_onnx(model, a.model, {a.input_type});

  compiler::BackendOptions o;
  o.schedule = choice<compiler::Schedule>("schedule", a.schedule,
                                          {{"sequential", compiler::Schedule::kSequential},
                                           {"pipelined", compiler::Schedule::kPipelined}});
  o.remap = choice<bool>("placement", a.placement, {{"noc", true}, {"snake", false}});
  o.shifted_kernels =
      choice<compiler::ShiftedKernels>("positions-per-mvm", a.positions,
                                       {{"serial", compiler::ShiftedKernels::kSerial},
                                        {"auto", compiler::ShiftedKernels::kAll},
                                        {"1", compiler::ShiftedKernels::kNone}});
  o.pool_fusion = choice<bool>("pool-fusion", a.pool_fusion, {{"auto", true}, {"off", false}});
  o.halves = choice<bool>("handover", a.handover, {{"whole", false}, {"halves", true}});
  if (!a.dump_after.empty() && !is_frontend_pass(a.dump_after)) {
    const auto& names = compiler::backend_pass_names();
    if (std::find(names.begin(), names.end(), a.dump_after) == names.end()) {
      throw arch::InputError("--dump-after " + a.dump_after + ": no such pass (see --list-passes)");
    }
    o.dump_after = a.dump_after;
    o.dump = &std::cout;
  }
  const isa::Program program = compiler::compile_graph(g, chip, o);
  if (a.binary) {
    const std::vector<uint8_t> image = isa::encode(program);
    isa::write_file_atomically(a.output, std::string(image.begin(), image.end()));
  } else {
    isa::write_file_atomically(a.output, isa::disassemble(program));
  }
  return 0;
}

}  // namespace

int main(int argc, char* argv[]) {
  Args a;
  po::options_description opts(
      "imcc --arch A.yaml --model net.onnx -o net.cmd [options]\n"
      "imcc --reference --model net.onnx --input x.npy -o y.npy");
  opts.add_options()("help,h", "print this help")("version", "print the version")(
      "arch", po::value(&a.arch), "arch file (YAML) of the target chip")(
      "model", po::value(&a.model), "ONNX model of a binary/ternary network")(
      "output,o", po::value(&a.output),
      "command stream to write (.cmd text, or binary with --binary)")(
      "input-type", po::value(&a.input_type),
      "precision of the network input: UINT8, INT8, BIPOLAR, TERNARY (or u8, i8, b1, t2; "
      "default: the model's finn_datatype annotation)")(
      "schedule", po::value(&a.schedule)->default_value("pipelined"),
      "pipelined (layers of consecutive inferences overlap) or sequential (the naive baseline)")(
      "placement", po::value(&a.placement)->default_value("noc"),
      "pipelined: noc (tiles chosen to spread NoC traffic) or snake (layers in order along a "
      "snake over the mesh)")(
      "positions-per-mvm", po::value(&a.positions)->default_value("serial"),
      "serial (pipelined, where the chip is short of tiles: the layers that read a u8/i8 map "
      "compute several neighbouring output positions per MVM, with shifted kernel copies, when "
      "that promises a 10% shorter period), auto (every convolution with a small matrix) or 1 "
      "(one position per MVM)")(
      "pool-fusion", po::value(&a.pool_fusion)->default_value("auto"),
      "pipelined: auto (a max-pool is computed on the tiles of the conv before it when the "
      "chip has no tile to spare and those tiles have the time) or off")(
      "handover", po::value(&a.handover)->default_value("halves"),
      "pipelined: whole (a layer hands its rows over once computed) or halves (where its "
      "tiles compute long enough, the first half of the columns as soon as it is computed, "
      "and the next layer starts on it: lower latency, a few more issue slots)")(
      "dump-after", po::value(&a.dump_after), "print the IR after this pass (--list-passes)")(
      "list-passes", "print the pass names")("set", po::value(&a.sets)->composing(),
                                             "override an arch file field: path.to.key=value")(
      "binary", po::bool_switch(&a.binary), "write a binary image instead of .cmd text")(
      "reference", po::bool_switch(&a.reference),
      "run the bit-packed reference executor on --input, write the outputs to -o")(
      "input", po::value(&a.input), "input tensor .npy for --reference (batch first)");
  po::variables_map vm;
  try {
    po::store(po::parse_command_line(argc, argv, opts), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    std::cerr << "imcc: " << e.what() << " (see --help)\n";
    return 2;
  }
  if (vm.count("help")) {
    std::cout << opts
              << "\nExit status: 0 done, 2 bad input (including networks the compiler "
                 "does not support or that do not fit the chip), 1 other errors.\n";
    return 0;
  }
  if (vm.count("version")) {
    std::cout << kVersion << "\n";
    return 0;
  }
  if (vm.count("list-passes")) {
    list_passes();
    return 0;
  }
  try {
    if (a.model.empty()) throw arch::InputError("--model is required (see --help)");
    return a.reference ? reference(a) : compile(a);
  } catch (const arch::InputError& e) {
    std::cerr << "imcc: " << e.what() << "\n";
    return 2;
  } catch (const compiler::CompileError& e) {
    std::cerr << "imcc: " << e.what() << "\n";
    return 2;
  } catch (const compiler::BackendError& e) {
    std::cerr << "imcc: " << a.model << ": " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "imcc: " << e.what() << "\n";
    return 1;
  }
}
