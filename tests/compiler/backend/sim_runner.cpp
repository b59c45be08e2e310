#include "sim_runner.h"

#include <cstdlib>
#include <fstream>

#include <nlohmann/json.hpp>

#include "hw/isa/assembler.h"
#include "hw/isa/npy.h"
#include "run_tool.h"

namespace imc::test {

SimRun simulate(const isa::Program& prog, const std::string& arch, int n,
                const std::vector<int32_t>& input, const std::string& extra) {
  const std::string dir = temp_dir();
  std::ofstream(dir + "/p.cmd") << isa::disassemble(prog);
  std::vector<int64_t> shape{n};
  shape.insert(shape.end(), prog.inputs[0].shape.begin(), prog.inputs[0].shape.end());
  isa::write_npy_i32(dir + "/x.npy", shape, input);
  const ToolRun r = run_tool(IMCSIM_BINARY, "--arch " + arch + " --prog " + dir +
                                                "/p.cmd --input " + dir + "/x.npy --output " + dir +
                                                "/y.npy --stats " + dir + "/s.json -q " + extra);
  SimRun out;
  out.status = r.status;
  out.err = r.err;
  if (r.status == 0) {
    for (int64_t v : isa::read_npy_integers(dir + "/y.npy").values)
      out.output.push_back(static_cast<int32_t>(v));
    const nlohmann::json stats = nlohmann::json::parse(read_text(dir + "/s.json"));
    out.cycles = stats["cycles"].get<int64_t>();
    out.energy_per_inference_pj = stats["energy_per_inference_pj"].get<double>();
  }
  if (!std::getenv("IMC_KEEP_TEST_FILES")) std::system(("rm -rf '" + dir + "'").c_str());
  return out;
}

}  // namespace imc::test
