#include "sim/simulate.h"

#include <optional>
#include <sstream>

#include "hw/isa/assembler.h"
#include "hw/isa/batch_layout.h"
#include "hw/isa/check.h"
#include "hw/isa/npy.h"
#include "hw/models/clock.h"
#include "hw/models/platform.h"
#include "sim/reports.h"
#if IMCSIM_HAS_RTL
#include "rtl/transactor.h"
#endif

namespace imc::sim {

namespace {

std::string describe(const models::RunFault& f, const std::string& program, int64_t period_ps) {
  std::ostringstream m;
  m << program << ":" << f.line << ": run-time error in tile " << f.tile << " at cycle " << f.cycle
    << " (" << static_cast<double>(f.cycle) * period_ps / 1000.0 << " ns), command '" << f.command
    << "': " << f.what;
  return m.str();
}

}  // namespace

std::string rtl_vcd_path(const std::string& vcd_path) {
  const std::string ext = ".vcd";
  if (vcd_path.size() > ext.size() &&
      vcd_path.compare(vcd_path.size() - ext.size(), ext.size(), ext) == 0)
    return vcd_path.substr(0, vcd_path.size() - ext.size()) + ".rtl.vcd";
  return vcd_path + ".rtl.vcd";
}

bool uses_rtl(const arch::ChipParams& chip) {
  const arch::TileParams& t = chip.tile;
  return t.thresholder_impl == arch::Impl::kRtl || t.accumulator_impl == arch::Impl::kRtl ||
         t.crossbar_impl == arch::Impl::kRtl;
}

SimResult simulate(const SimOptions& o) {
  const arch::ChipParams chip = arch::load_chip(o.arch_path, o.overrides);
  const isa::Program program = isa::load_program(o.program_path);
  isa::check_program(program, chip);

  // Inputs decide the batch: every input must hold the same number of inferences.
  const auto input_files = bind_tensor_files(program.inputs, o.inputs, "--input");
  const auto output_files = bind_tensor_files(program.outputs, o.outputs, "--output");
  std::map<std::string, BatchTensor> inputs;
  int64_t batch = -1;
  std::string batch_from;
  for (const isa::TensorDecl& d : program.inputs) {
    auto f = input_files.find(d.name);
    if (f == input_files.end()) {
      throw arch::InputError(o.program_path + ":" + std::to_string(d.line) + ": input '" + d.name +
                             "' needs a file: --input " +
                             (program.inputs.size() > 1 ? d.name + "=" : std::string()) + "x.npy");
    }
    BatchTensor t = read_input(f->second, d);
    if (batch >= 0 && t.shape[0] != batch) {
      throw arch::InputError(f->second + ": holds " + std::to_string(t.shape[0]) +
                             " inferences but " + batch_from + " holds " + std::to_string(batch));
    }
    batch = t.shape[0];
    batch_from = f->second;
    inputs.emplace(d.name, std::move(t));
  }
  if (batch < 0) batch = 1;
  const int64_t gb_bytes = chip.global_buffer.capacity_bits / 8;
  auto check_fits = [&](const isa::TensorDecl& d) {
    const int64_t last = isa::batch_end(d, batch);
    if (last > gb_bytes) {
      throw arch::InputError(o.program_path + ":" + std::to_string(d.line) + ": tensor '" + d.name +
                             "' for a batch of " + std::to_string(batch) +
                             " needs global buffer bytes up to " + std::to_string(last) +
                             ", the buffer holds " + std::to_string(gb_bytes));
    }
  };
  for (const auto& d : program.inputs) check_fits(d);
  for (const auto& d : program.outputs) check_fits(d);
  // A batch too large for the program's layout would run its outputs over later inputs
  // (or the reverse) and silently compute on garbage: refuse it.
  if (const auto overlap = isa::first_overlap(program, batch)) {
    throw arch::InputError(o.program_path + ":" + std::to_string(overlap->high->line) +
                           ": tensor '" + overlap->high->name + "' overlaps tensor '" +
                           overlap->low->name + "' in the global buffer for a batch of " +
                           std::to_string(batch) + " (at most " + std::to_string(overlap->fit) +
                           " inferences fit this program's layout)");
  }

  models::Clock::use_femtoseconds();  // before the first sc_time of the process
  models::PlatformOptions po;
#if IMCSIM_HAS_RTL
  // Co-simulated blocks (impl: rtl); their waveform goes next to the platform's.
  rtl::SessionOptions ro;
  if (!o.vcd_path.empty()) ro.vcd_path = rtl_vcd_path(o.vcd_path);
  ro.period_ps = chip.period_ps;
  std::optional<rtl::Session> rtl_session;
  if (uses_rtl(chip)) {
    rtl_session.emplace(ro);
    po.rtl = &rtl_session->factory();
  }
#endif
  po.record_commands = !o.cmd_trace_path.empty();
  po.record_waits = !o.critical_path_path.empty();
  po.seed = o.seed;
  po.batch = batch;
  po.quantum_cycles = o.quantum_cycles;
  po.power_bin_cycles = o.power_bin_cycles;
  po.trace = !o.vcd_path.empty();
  models::Platform platform("chip", chip, program, po);
  for (const isa::TensorDecl& d : program.inputs) {
    const BatchTensor& t = inputs.at(d.name);
    for (int64_t n = 0; n < batch; ++n) {
      const std::vector<uint8_t> bytes = pack_inference(t, d, n);
      platform.write_global(static_cast<uint64_t>(d.gb_addr + n * d.stride), bytes.data(),
                            bytes.size());
    }
  }

  const models::RunReport report = platform.run();
  if (report.fault)
    throw RunError(describe(*report.fault, o.program_path, chip.period_ps), *report.fault);

  SimResult r;
  r.arch_name = chip.name;
  r.batch = batch;
  r.cycles = report.cycles;
  r.time_ns = static_cast<double>(report.cycles) * chip.period_ps / 1000.0;
  r.energy_pj = platform.energy().total();
  std::tie(r.average_power_mw, r.peak_power_mw) = power_mw(platform.energy(), chip.period_ps);
  for (const isa::TensorDecl& d : program.outputs) {
    BatchTensor t;
    t.shape.push_back(batch);
    t.shape.insert(t.shape.end(), d.shape.begin(), d.shape.end());
    const int64_t per = d.elements();
    t.values.resize(static_cast<size_t>(per * batch));
    std::vector<uint8_t> bytes(static_cast<size_t>(d.bytes()));
    for (int64_t n = 0; n < batch; ++n) {
      platform.read_global(static_cast<uint64_t>(d.gb_addr + n * d.stride), bytes.data(),
                           bytes.size());
      unpack_inference(bytes, d, t.values.data() + n * per);
    }
    r.outputs.emplace(d.name, std::move(t));
  }
  r.stats = make_stats(platform, report, {o.arch_path, o.program_path, batch, o.seed});
  if (!o.critical_path_path.empty()) {
    r.critical_path = critical_path_of(platform);
    r.stats["critical_path"] = critical_path_json(r.critical_path);
  }

  for (const auto& [name, path] : output_files) {
    const BatchTensor& t = r.outputs.at(name);
    isa::write_npy_i32(path, t.shape, t.values);
  }
  if (!o.stats_path.empty()) write_stats(o.stats_path, r.stats);
  if (!o.power_path.empty()) write_power_csv(o.power_path, platform.energy(), chip.period_ps);
  if (!o.vcd_path.empty())
    write_vcd(o.vcd_path, platform.trace(), platform.energy(), chip.period_ps);
#if IMCSIM_HAS_RTL
  if (rtl_session) rtl_session->write_vcd();
#endif
  if (!o.cmd_trace_path.empty()) write_command_trace(o.cmd_trace_path, platform);
  if (!o.critical_path_path.empty()) write_critical_path(o.critical_path_path, r.critical_path);
  return r;
}

}  // namespace imc::sim
