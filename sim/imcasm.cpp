// imcasm: the command-stream assembler and disassembler on the command line.
//   imcasm net.cmd -o net.imcb            text -> binary image
//   imcasm net.imcb -d [-o net.cmd]       binary (or text) -> canonical text
//   imcasm net.cmd --arch A.yaml          also check the program against a chip
// Exit status: 0 done; 2 bad input; 1 cannot write.
#include <iostream>
#include <string>
#include <vector>

#include <boost/program_options.hpp>

#include "hw/arch/load.h"
#include "hw/isa/assembler.h"
#include "hw/isa/check.h"
#include "hw/isa/file_io.h"

namespace po = boost::program_options;
using namespace imc;

int main(int argc, char* argv[]) {
  std::string input, output, arch_path;
  std::vector<std::string> sets;
  bool text = false;
  po::options_description opts("imcasm PROGRAM [-o OUT] [-d] [--arch A.yaml [--set k=v ...]]");
  opts.add_options()("help,h", "print this help")("input", po::value(&input),
                                                  "program: .cmd text or binary image")(
      "output,o", po::value(&output), "where to write (default: stdout for text)")(
      "disassemble,d", po::bool_switch(&text), "write canonical text instead of a binary image")(
      "arch", po::value(&arch_path), "check the program against this chip")(
      "set", po::value(&sets)->composing(), "override an arch file field: path.to.key=value");
  po::positional_options_description positional;
  positional.add("input", 1);
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(argc, argv).options(opts).positional(positional).run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    std::cerr << "imcasm: " << e.what() << " (see --help)\n";
    return 2;
  }
  if (vm.count("help") || input.empty()) {
    std::cout << opts;
    return vm.count("help") ? 0 : 2;
  }
  try {
    const isa::Program program = isa::load_program(input);
    if (!arch_path.empty()) {
      std::vector<arch::Override> overrides;
      for (const std::string& s : sets) overrides.push_back(arch::parse_override(s));
      isa::check_program(program, arch::load_chip(arch_path, overrides));
    }
    if (text) {
      const std::string canonical = isa::disassemble(program);
      if (output.empty()) {
        std::cout << canonical;
      } else {
        isa::write_file_atomically(output, canonical);
      }
    } else if (!output.empty()) {
      const std::vector<uint8_t> image = isa::encode(program);
      isa::write_file_atomically(output, std::string(image.begin(), image.end()));
    } else if (arch_path.empty()) {
      std::cerr << "imcasm: nothing to do: give -o FILE, -d or --arch (see --help)\n";
      return 2;
    }
    return 0;
  } catch (const arch::InputError& e) {
    std::cerr << "imcasm: " << e.what() << "\n";
    return 2;
  } catch (const isa::SyntaxError& e) {
    std::cerr << "imcasm: " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "imcasm: " << e.what() << "\n";
    return 1;
  }
}
