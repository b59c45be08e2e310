// One tile: crossbar PEs, input/output buffers, accumulator, thresholder, pooling unit, a
// port on the NoC, and a sequencer that runs the tile's command queue. Commands take effect
// in program order when issued; their timing comes from the scoreboard (in-order issue,
// out-of-order completion), kept ahead of the kernel with temporal decoupling and synced
// only where tiles interact (NoC traffic, semaphores).
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>
#include <tlm_utils/tlm_quantumkeeper.h>
#include <systemc>
#include <tlm>

#include "hw/arch/params.h"
#include "hw/isa/program.h"
#include "hw/models/activity_trace.h"
#include "hw/models/clock.h"
#include "hw/models/command_record.h"
#include "hw/models/crossbar_array.h"
#include "hw/models/energy_meter.h"
#include "hw/models/multicast.h"
#include "hw/models/rtl_port.h"
#include "hw/models/run_status.h"
#include "hw/models/scoreboard.h"
#include "hw/models/thresholder.h"

namespace imc::models {

// Carried by a SEND's write (the semaphore to raise at the destination when the data lands)
// and by a SIGNAL's token (sem -1: the address names it); both say who sent them.
struct SemaphoreExtension : tlm::tlm_extension<SemaphoreExtension> {
  int sem = -1;
  TokenOrigin origin;
  tlm_extension_base* clone() const override { return new SemaphoreExtension(*this); }
  void copy_from(const tlm_extension_base& e) override {
    *this = static_cast<const SemaphoreExtension&>(e);
  }
};

// What a tile keeps of the run besides its results: every executed command, the WAITs that
// blocked.
struct TileRecording {
  bool commands = false;
  bool waits = false;
};

class Tile : public sc_core::sc_module {
 public:
  tlm_utils::simple_initiator_socket<Tile> to_noc;
  tlm_utils::simple_target_socket<Tile> from_noc;

  enum class State { kIdle = 0, kRunning = 1, kWaiting = 2 };

  // `code` may be null: the tile has no program and stays idle. `rtl` makes the blocks the
  // arch file selects `impl: rtl` for (null: none may be selected).
  Tile(sc_core::sc_module_name name, int id, const arch::ChipParams& chip,
       const isa::Program& program, const isa::TileProgram* code, int64_t batch, uint64_t seed,
       EnergyMeter& energy, ActivityTrace& trace, RunStatus& status,
       const RtlFactory* rtl = nullptr, TileRecording recording = {});
  ~Tile() override;

  int id() const { return id_; }
  bool has_program() const { return code_ != nullptr; }
  bool halted() const { return halted_; }
  int64_t done_cycle() const { return done_cycle_; }
  int64_t busy_cycles() const { return scoreboard_.busy_cycles(); }
  const std::array<int64_t, 16>& opcode_counts() const { return opcode_counts_; }
  // Where a tile that never halted is stuck, for the deadlock message.
  RunFault stuck_at() const;
  // Every executed command in order, when constructed with TileRecording::commands.
  const std::vector<CommandRecord>& commands() const { return records_; }
  // The WAITs that blocked, in order, when constructed with TileRecording::waits; and the line
  // of the HALT.
  const std::vector<WaitRecord>& blocking_waits() const { return waits_; }
  int halt_line() const { return halt_line_; }

 private:
  enum Unit { kDma, kNic, kVector, kThresh, kPool, kFirstXbar };

  void run();
  void deliver_semaphores();
  void execute(const isa::Command& c);
  void exec_wxb(const isa::Command& c);
  void exec_wth(const isa::Command& c);
  void exec_transfer(const isa::Command& c);
  void exec_copy(const isa::Command& c);
  void exec_send(const isa::Command& c);
  void exec_signal(const isa::Command& c);
  void exec_wait(const isa::Command& c);
  // The semaphore a SEND, SIGNAL or WAIT uses in this iteration: `altsem` in odd iterations
  // of the outermost LOOP.
  int semaphore(const isa::Command& c) const;
  void exec_mvm(const isa::Command& c);
  int64_t mvm_once(const isa::Command& c, int64_t src, int64_t dst, int64_t start);
  void exec_accadd(const isa::Command& c);
  void exec_thresh(const isa::Command& c);
  void thresh_rtl(const isa::Command& c, const int32_t* acc, int64_t start);
  // Co-simulation of MVM and ACCADD (tile_cosim.cpp): `out` holds the TLM result, rtl_old_
  // the accumulator entries before the command.
  bool mvm_cosim() const { return !column_rtl_.empty() || !mvm_acc_rtl_.empty(); }
  void mvm_rtl(const isa::Command& c, const CrossbarArray& xb, const int32_t* out, int64_t start,
               int64_t buffer);
  void accadd_rtl(const isa::Command& c, const int32_t* out, int64_t start);
  void exec_pool(const isa::Command& c);
  void halt();

  void b_transport(tlm::tlm_generic_payload& p, sc_core::sc_time& delay);
  unsigned transport_dbg(tlm::tlm_generic_payload& p);

  // Timing and energy of a command that runs on `unit` for `cycles`.
  int64_t occupy(int unit, int64_t cycles, const Touch& reads, const Touch& writes);
  // What the scoreboard tracks: [offset, offset + n) of space s (bytes; entries in acc), and
  // the hull of the segments of a gather that are read (`masked`: only the mask's, as MVM).
  static Touch span(isa::Space s, int64_t offset, int64_t n);
  static Touch gather_span(isa::Space s, int64_t src, const isa::Gather& g, isa::DType t,
                           bool masked);
  void charge(EnergyClass c, double pj, int64_t from, int64_t to) {
    energy_.charge(c, id_, pj, from, to);
  }
  int64_t addr(const isa::Addr& a);  // evaluates loop strides (faults beyond 2^62)
  uint8_t* bytes(isa::Space s, int64_t offset, int64_t n, const char* role);
  int32_t* acc_entries(int64_t offset, int64_t n, const char* role);
  int64_t buffer_cycles(isa::Space s, int64_t bits) const;
  [[noreturn]] void fault(const std::string& what);
  void sync();  // brings the kernel to this tile's issue time (at its offset in the cycle)
  sc_core::sc_time local_time_ahead() const { return clock_.until(issue_, offset_); }
  // Annotated delay of a request that starts at cycle `start` >= the issue cycle.
  sc_core::sc_time delay_until(int64_t start) const { return clock_.until(start, offset_); }
  void set_state(State s, int64_t at);

  const int id_;
  const arch::ChipParams& chip_;
  const arch::TileParams& tp_;
  const isa::Program& program_;
  const isa::TileProgram* code_;
  const int64_t batch_;
  EnergyMeter& energy_;
  ActivityTrace& trace_;
  RunStatus& status_;
  Clock clock_;
  int64_t offset_;  // kernel ticks after each cycle's start at which this tile acts

  std::vector<CrossbarArray> xbars_;
  std::vector<uint8_t> ibuf_, obuf_;
  std::vector<int32_t> acc_;
  std::vector<ThresholdEntry> thresholds_;
  std::vector<int64_t> sems_;
  struct PendingToken {
    int sem;
    TokenOrigin origin;
  };
  std::multimap<int64_t, PendingToken> pending_sems_;  // arrival cycle -> token
  struct LastToken {
    TokenOrigin origin;
    int64_t arrival = 0;
  };
  std::vector<LastToken> last_token_;  // per semaphore, the latest token delivered
  sc_core::sc_event deliver_event_, sem_changed_;

  Scoreboard scoreboard_;
  tlm_utils::tlm_quantumkeeper qk_;
  tlm::tlm_generic_payload payload_;
  SemaphoreExtension sem_ext_;
  MulticastExtension mcast_ext_;
  InputVector input_;
  std::vector<int32_t> scratch_, scratch2_;

  // Sequencer state.
  int64_t issue_ = 0;  // cycle at which the next command issues
  size_t pc_ = 0;
  struct LoopFrame {
    size_t body;  // index of the first command of the body
    int64_t count;
    int64_t index;
  };
  std::vector<LoopFrame> loops_;
  std::vector<size_t> loop_end_;  // LOOP index -> index of its ENDLOOP
  const isa::Command* current_ = nullptr;
  bool halted_ = false;
  int64_t done_cycle_ = 0;
  int64_t wait_since_ = -1;
  std::array<int64_t, 16> opcode_counts_{};

  // Co-simulated RTL blocks (arch file `impl: rtl`); null when the TLM model computes.
  std::unique_ptr<ThresholderRtl> thresholder_rtl_;
  std::vector<std::unique_ptr<XbarColumnRtl>> column_rtl_;    // per crossbar
  std::vector<std::unique_ptr<AccumulatorRtl>> mvm_acc_rtl_;  // per crossbar: its shift-and-add
  std::unique_ptr<AccumulatorRtl> vector_acc_rtl_;            // the vector unit: ACCADD
  std::vector<int32_t> rtl_out_, rtl_old_, rtl_sums_, tlm_sums_;
  std::vector<MvmStep> rtl_steps_;

  // Per-command record (--cmd-trace): the last occupy() of the current command.
  bool record_commands_ = false, record_waits_ = false;
  int64_t last_start_ = 0, last_end_ = 0;
  // When each LOAD still in flight delivers its data (tile.dma.outstanding > 1); at most
  // `outstanding` of them.
  std::vector<int64_t> loads_in_flight_;
  LastToken woken_;             // the current WAIT's releasing token, if it blocked
  int64_t blocking_waits_ = 0;  // WAITs that blocked so far (TokenOrigin::waits_before)
  std::vector<CommandRecord> records_;
  std::vector<WaitRecord> waits_;
  int halt_line_ = 0;

  // Trace signals.
  int sig_state_ = -1, sig_busy_ = -1, sig_dma_ = -1, sig_nic_ = -1;
  std::vector<int> sig_xbar_;
};

}  // namespace imc::models
