#include "hw/isa/check.h"

#include <algorithm>
#include <limits>
#include <string>

#include "hw/isa/assembler.h"
#include "hw/isa/validate.h"

namespace imc::isa {

namespace {

std::string str(int64_t v) {
  return std::to_string(v);
}

class Checker {
 public:
  Checker(const Program& p, const arch::ChipParams& chip) : p_(p), chip_(chip) {}

  void run() {
    if (auto e = find_structure_problem(p_)) fail(e->line, e->what);
    tensors();
    for (const TileProgram& t : p_.tiles) tile(t);
  }

 private:
  [[noreturn]] void fail(int line, const std::string& what) const {
    throw SyntaxError(p_.source_file + ":" + str(line) + ":1: " + what);
  }
  // Problems inside a command are prefixed with where they are.
  [[noreturn]] void bad(const std::string& what) const {
    fail(cmd_->line, "tile " + str(tile_->tile) + ": " + to_string(cmd_->op) + ": " + what);
  }

  int64_t capacity(Space s) const {
    switch (s) {
      case Space::kGb:
        return chip_.global_buffer.capacity_bits / 8;
      case Space::kIbuf:
        return chip_.tile.input_buffer.capacity_bits / 8;
      case Space::kObuf:
        return chip_.tile.output_buffer.capacity_bits / 8;
      case Space::kAcc:
        return chip_.tile.accumulator_entries;
    }
    return 0;
  }
  static const char* capacity_text(Space s) {
    switch (s) {
      case Space::kGb:
        return "the global buffer";
      case Space::kIbuf:
        return "the input buffer";
      case Space::kObuf:
        return "the output buffer";
      case Space::kAcc:
        return "the accumulator";
    }
    return "?";
  }
  // acc counts int32 entries, the other spaces bytes.
  static int64_t units(Space s, DType t, int64_t elements) {
    return s == Space::kAcc ? elements : packed_bytes(t, elements);
  }

  // The units [base + lo, base + lo + len) an operand touches on the first iteration of its
  // loops. Every LOOP runs at least once, so this range is always accessed.
  void extent(const char* operand, const Addr& a, int64_t lo, int64_t len) {
    int64_t start = 0, end = 0;
    const int64_t cap = capacity(a.space);
    if (__builtin_add_overflow(a.base, lo, &start) || __builtin_add_overflow(start, len, &end) ||
        start < 0 || end > cap) {
      const bool strided =
          std::any_of(a.stride.begin(), a.stride.end(), [](int64_t s) { return s != 0; });
      bad(std::string(operand) + " touches " + to_string(a.space) + "[" + str(a.base) +
          (lo ? (lo > 0 ? " + " : " - ") + str(lo > 0 ? lo : -lo) : "") + " .. +" + str(len) + ")" +
          (strided ? " on the first iteration" : "") + ", outside " + capacity_text(a.space) +
          " (" + str(cap) + (a.space == Space::kAcc ? " entries)" : " bytes)"));
    }
  }

  // The segments of a gather that are read (mask bit set), each `elems` elements long.
  void gather_extent(const Addr& a, const Gather& g, DType t, const char* operand = "src") {
    int64_t lo = std::numeric_limits<int64_t>::max(), hi = std::numeric_limits<int64_t>::min();
    const int64_t seg = units(a.space, t, g.elems);
    for (int y = 0; y < g.ky; ++y) {
      for (int x = 0; x < g.kx; ++x) {
        if (!(g.mask >> (y * g.kx + x) & 1)) continue;
        int64_t oy = 0, ox = 0, off = 0, end = 0;
        if (__builtin_mul_overflow(int64_t{y}, g.sy, &oy) ||
            __builtin_mul_overflow(int64_t{x}, g.sx, &ox) || __builtin_add_overflow(oy, ox, &off) ||
            __builtin_add_overflow(off, seg, &end)) {
          bad("segment offsets overflow");
        }
        lo = std::min(lo, off);
        hi = std::max(hi, end);
      }
    }
    if (lo <= hi) extent(operand, a, lo, hi - lo);  // nothing is read when every bit is clear
  }

  // The last repetition of an MVM run stays in its buffers too (the first was checked).
  void mvm_reps(const Command& c) {
    if (!chip_.tile.mvm_repeat)
      bad("reps=" + str(c.reps) +
          " needs a sequencer that repeats MVMs (tile.sequencer.mvm_repeat: strided; this "
          "chip's is none)");
    Addr src = c.src, dst = c.dst;
    const int64_t n = c.reps - 1;
    if (__builtin_mul_overflow(n, c.src_step, &src.base) ||
        __builtin_add_overflow(src.base, c.src.base, &src.base) ||
        __builtin_mul_overflow(n, c.dst_step, &dst.base) ||
        __builtin_add_overflow(dst.base, c.dst.base, &dst.base)) {
      bad("reps=" + str(c.reps) + " with sstep=" + str(c.src_step) + " dstep=" + str(c.dst_step) +
          " overflows the addresses");
    }
    const std::string last = "of repetition r=" + str(n);
    gather_extent(src, c.gather, c.type, ("src " + last).c_str());
    extent(("dst " + last).c_str(), dst, 0, c.cols);
  }

  void gather_shape(const Gather& g) {
    if (g.elems < 1) bad("elems=" + str(g.elems) + " must be at least 1");
    if (g.kx < 1 || g.ky < 1) bad("kx and ky must be at least 1");
    if (int64_t{g.kx} * g.ky > kMaxSegments) {
      bad("kx*ky = " + str(int64_t{g.kx} * g.ky) + " segments, at most " + str(kMaxSegments));
    }
  }

  void positive(const char* name, int64_t v) {
    if (v < 1) bad(std::string(name) + "=" + str(v) + " must be at least 1");
  }
  void xbar(int x) {
    if (x >= chip_.tile.crossbars) {
      bad("xb=" + str(x) + " but a tile has " + str(chip_.tile.crossbars) + " crossbars");
    }
  }
  void sem(int s, const char* key = "sem") {
    if (s < 0 || s >= chip_.tile.semaphores) {
      bad(std::string(key) + "=" + str(s) + " outside 0.." + str(chip_.tile.semaphores - 1));
    }
  }
  // altsem, and thirdsem (which rotates with the other two, so needs altsem).
  void alt_sems(const Command& c) {
    if (c.alt_sem != -1) sem(c.alt_sem, "altsem");
    if (c.third_sem == -1) return;
    if (c.alt_sem == -1) bad("thirdsem needs altsem (the three rotate)");
    sem(c.third_sem, "thirdsem");
  }
  void dest_tile(int t) {
    if (t >= chip_.tiles()) {
      bad("tile=" + str(t) + " outside the " + str(chip_.mesh_rows) + "x" + str(chip_.mesh_cols) +
          " mesh (" + str(chip_.tiles()) + " tiles)");
    }
  }
  // The highest tile a multicast reaches (bit k: tile + 1 + k).
  void mcast_tiles(int tile, uint32_t mcast) {
    const int64_t last = int64_t{tile} + 32 - __builtin_clz(mcast);
    if (last >= chip_.tiles()) {
      char hex[16];
      std::snprintf(hex, sizeof hex, "%#x", mcast);
      bad(std::string("mcast=") + hex + " reaches tile " + str(last) + ", outside the " +
          str(chip_.mesh_rows) + "x" + str(chip_.mesh_cols) + " mesh (" + str(chip_.tiles()) +
          " tiles)");
    }
  }
  void acc_count(int64_t count) {
    positive("count", count);
    if (count > chip_.tile.accumulator_entries) {
      bad("count=" + str(count) + " exceeds the " + str(chip_.tile.accumulator_entries) +
          " accumulator entries");
    }
  }

  void tensors() {
    const int64_t cap = capacity(Space::kGb);
    struct Range {
      const TensorDecl* t;
      bool output;
      int64_t lo, hi;
    };
    std::vector<Range> ranges;
    for (const auto* list : {&p_.inputs, &p_.outputs}) {
      for (const TensorDecl& t : *list) {
        const int64_t bytes = t.bytes();
        int64_t end = 0;
        if (__builtin_add_overflow(t.gb_addr, bytes, &end) || end > cap) {
          fail(t.line, "tensor '" + t.name + "' at gb[" + str(t.gb_addr) + " .. +" + str(bytes) +
                           ") is outside the global buffer (" + str(cap) + " bytes)");
        }
        if (t.stride < bytes) {
          fail(t.line, "tensor '" + t.name + "': stride=" + str(t.stride) +
                           " is smaller than one inference (" + str(bytes) + " bytes)");
        }
        ranges.push_back({&t, list == &p_.outputs, t.gb_addr, end});
      }
    }
    // Inputs may share bytes with each other; an output overwriting anything is a bug.
    for (size_t i = 0; i < ranges.size(); ++i) {
      for (size_t j = 0; j < i; ++j) {
        const Range& a = ranges[j];
        const Range& b = ranges[i];
        if (!(a.output || b.output) || a.hi <= b.lo || b.hi <= a.lo) continue;
        fail(b.t->line,
             "tensor '" + b.t->name + "' overlaps tensor '" + a.t->name + "' in the global buffer");
      }
    }
  }

  void tile(const TileProgram& t) {
    if (t.tile >= chip_.tiles()) {
      fail(t.line, "tile " + str(t.tile) + " is outside the " + str(chip_.mesh_rows) + "x" +
                       str(chip_.mesh_cols) + " mesh (" + str(chip_.tiles()) + " tiles)");
    }
    if (t.commands.empty() || t.commands.back().op != Opcode::kHalt) {
      fail(t.line, "tile " + str(t.tile) + " does not end with HALT");
    }
    tile_ = &t;
    for (const Command& c : t.commands) {
      cmd_ = &c;
      command(c);
    }
  }

  void command(const Command& c) {
    const arch::CrossbarParams& xb = chip_.tile.crossbar;
    switch (c.op) {
      case Opcode::kWxb:
        return wxb(c);
      case Opcode::kWth:
        return wth(c);
      case Opcode::kLoad:
      case Opcode::kStore:
      case Opcode::kCopy:
      case Opcode::kSend:
        if (c.op == Opcode::kSend) {
          dest_tile(c.tile);
          if (c.mcast && !chip_.noc.multicast)
            bad("mcast needs a NoC that multicasts (noc.multicast: tree; this chip's is none)");
          if (c.mcast) mcast_tiles(c.tile, c.mcast);
          if (c.sem != -1) sem(c.sem);
          alt_sems(c);
        }
        positive("bytes", c.bytes);
        extent("dst", c.dst, 0, c.bytes);
        extent("src", c.src, 0, c.bytes);
        return;
      case Opcode::kSignal:
        dest_tile(c.tile);
        sem(c.sem);
        alt_sems(c);
        return;
      case Opcode::kWait:
        sem(c.sem);
        alt_sems(c);
        positive("count", c.count);
        return;
      case Opcode::kMvm: {
        xbar(c.xbar);
        gather_shape(c.gather);
        positive("cols", c.cols);
        // elems is bounded first so that total() (at most 32 segments) cannot overflow.
        if (c.gather.elems > xb.rows || c.row + c.gather.total() > xb.rows) {
          bad("rows " + str(c.row) + " + " + str(c.gather.elems) + "*" + str(c.gather.kx) + "*" +
              str(c.gather.ky) + " exceed the crossbar's " + str(xb.rows) + " rows");
        }
        if (int64_t{c.col} + c.cols > xb.cols) {
          bad("columns " + str(c.col) + " + " + str(c.cols) + " exceed the crossbar's " +
              str(xb.cols) + " columns");
        }
        gather_extent(c.src, c.gather, c.type);
        extent("dst", c.dst, 0, c.cols);
        if (c.reps > 1) mvm_reps(c);
        return;
      }
      case Opcode::kAccAdd:
        acc_count(c.count);
        extent("dst", c.dst, 0, c.count);
        extent("src", c.src, 0, packed_bytes(c.type, c.count));
        return;
      case Opcode::kThresh:
        acc_count(c.count);
        if (c.entry + c.count > chip_.tile.threshold_entries) {
          bad("threshold entries " + str(c.entry) + " + " + str(c.count) + " exceed the " +
              str(chip_.tile.threshold_entries) + " entries");
        }
        extent("src", c.src, 0, c.count);
        extent("dst", c.dst, 0, packed_bytes(c.type, c.count));
        return;
      case Opcode::kPool:
        gather_shape(c.gather);
        if (c.gather.elems > (int64_t{1} << 40)) bad("elems is too large");
        gather_extent(c.src, c.gather, c.type);
        extent("dst", c.dst, 0, units(c.dst.space, c.type, c.gather.elems));
        return;
      case Opcode::kLoop:
      case Opcode::kEndLoop:
      case Opcode::kHalt:
        return;
    }
  }

  void wxb(const Command& c) {
    const arch::CrossbarParams& xb = chip_.tile.crossbar;
    xbar(c.xbar);
    const DataBlock& d = p_.data[static_cast<size_t>(c.data)];
    const std::string name = "data block '" + d.name + "'";
    if (d.type != DType::kB1 && d.type != DType::kT2) {
      bad(name + " is " + to_string(d.type) + "; crossbar weights are b1 or t2");
    }
    if (d.type == DType::kT2 && xb.cells_per_weight == 1) {
      // Name the first zero when there is one: that is the weight the cell cannot hold.
      const auto zero = std::find(d.values.begin(), d.values.end(), 0);
      if (zero != d.values.end()) {
        const int64_t i = zero - d.values.begin();
        bad(name + " holds 0 at [" + str(i / d.cols) + "][" + str(i % d.cols) +
            "], but crossbars with 1 cell per weight hold only +1/-1");
      }
      bad(name + " is t2; crossbars with 1 cell per weight take b1 weights");
    }
    if (c.row + d.rows > xb.rows || c.col + d.cols > xb.cols) {
      bad(name + " (" + str(d.rows) + "x" + str(d.cols) + ") at row " + str(c.row) + ", col " +
          str(c.col) + " does not fit the " + str(xb.rows) + "x" + str(xb.cols) + " crossbar");
    }
  }

  void wth(const Command& c) {
    const DataBlock& d = p_.data[static_cast<size_t>(c.data)];
    const std::string name = "data block '" + d.name + "'";
    if (d.type != DType::kI32 || d.cols != 3) {
      bad(name + " must be i32 [n][3] (t0 t1 invert), not " + to_string(d.type) + " " +
          str(d.rows) + "x" + str(d.cols));
    }
    if (c.entry + d.rows > chip_.tile.threshold_entries) {
      bad("entries " + str(c.entry) + " + " + str(d.rows) + " exceed the " +
          str(chip_.tile.threshold_entries) + " threshold entries");
    }
    for (int64_t r = 0; r < d.rows; ++r) {
      const int32_t t0 = d.values[3 * r], t1 = d.values[3 * r + 1], inv = d.values[3 * r + 2];
      if (inv != 0 && inv != 1) {
        bad(name + " row " + str(r) + ": invert is " + str(inv) + ", not 0 or 1");
      }
      if (t0 > t1) bad(name + " row " + str(r) + ": t0=" + str(t0) + " > t1=" + str(t1));
    }
  }

  const Program& p_;
  const arch::ChipParams& chip_;
  const TileProgram* tile_ = nullptr;
  const Command* cmd_ = nullptr;
};

}  // namespace

void check_program(const Program& program, const arch::ChipParams& chip) {
  Checker(program, chip).run();
}

}  // namespace imc::isa
