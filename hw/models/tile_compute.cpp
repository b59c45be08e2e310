// The tile's compute commands: programming crossbars and thresholds, MVM, accumulation,
// requantization and pooling.
#include "hw/models/tile.h"

#include <algorithm>
#include <cstring>
#include <sstream>

#include "hw/isa/assembler.h"
#include "hw/models/address_map.h"
#include "hw/models/tile_internal.h"

namespace imc::models {

using namespace tile_internal;

void Tile::exec_wxb(const isa::Command& c) {
  const isa::DataBlock& w = program_.data.at(c.data);
  if (c.xbar < 0 || c.xbar >= tp_.crossbars) fault("no crossbar " + std::to_string(c.xbar));
  if (!xbars_[c.xbar].program(c.row, c.col, static_cast<int>(w.rows), static_cast<int>(w.cols),
                              w.values.data())) {
    fault("data block '" + w.name + "' does not fit crossbar " + std::to_string(c.xbar) +
          " at that position, or holds a value its cells cannot store");
  }
  const int64_t start = occupy(kFirstXbar + c.xbar, w.rows * tp_.crossbar.write_row_cycles, 0, 0);
  const double cells = static_cast<double>(w.rows * w.cols * tp_.crossbar.cells_per_weight);
  charge(EnergyClass::kCrossbar, cells * chip_.energy.cell_write_pj, start,
         start + w.rows * tp_.crossbar.write_row_cycles);
}

void Tile::exec_wth(const isa::Command& c) {
  const isa::DataBlock& t = program_.data.at(c.data);
  if (t.cols != 3 || c.entry < 0 || c.entry + t.rows > static_cast<int64_t>(thresholds_.size())) {
    fault("threshold block '" + t.name + "' does not fit the threshold table");
  }
  for (int64_t i = 0; i < t.rows; ++i) {
    thresholds_[c.entry + i] = {t.values[3 * i], t.values[3 * i + 1], t.values[3 * i + 2] != 0};
  }
  const int64_t n = ceil_div(t.rows, tp_.thresholder_lanes);
  occupy(kThresh, n, 0, 0);
}

void Tile::exec_mvm(const isa::Command& c) {
  if (c.xbar < 0 || c.xbar >= tp_.crossbars) fault("no crossbar " + std::to_string(c.xbar));
  const isa::Gather& g = c.gather;
  if (g.sx < 0 || g.sy < 0 || g.kx < 1 || g.ky < 1 || g.elems < 1 ||
      c.row + g.total() > tp_.crossbar.rows || c.col + c.cols > tp_.crossbar.cols) {
    fault("the input or the columns do not fit the crossbar");
  }
  if (c.reps > 1 && !tp_.mvm_repeat) fault("reps on a sequencer without mvm_repeat");
  const int64_t src0 = addr(c.src), dst0 = addr(c.dst);
  // Repetition r's input and sums; a later loop iteration may walk them out of int64 too.
  auto at_rep = [&](int r, int64_t& src, int64_t& dst) {
    if (__builtin_mul_overflow(int64_t{r}, c.src_step, &src) ||
        __builtin_add_overflow(src, src0, &src) ||
        __builtin_mul_overflow(int64_t{r}, c.dst_step, &dst) ||
        __builtin_add_overflow(dst, dst0, &dst))
      fault("MVM repetition " + std::to_string(r) + ": its address overflows");
  };
  // A run of `reps` MVMs occupies the crossbar for all of them, from one issue slot; it reads
  // and writes the hull of its repetitions' spans.
  Touch reads, writes;
  int64_t src = 0, dst = 0;
  for (int r = 0; r < c.reps; ++r) {
    at_rep(r, src, dst);
    for (const Touch::Span& t : gather_span(c.src.space, src, g, c.type, true))
      reads.add(t.store, t.lo, t.hi);
    writes.add(Store::kAcc, dst, dst + c.cols);
  }
  const int unit = kFirstXbar + c.xbar;
  const int64_t start = scoreboard_.earliest_start(unit, issue_, reads, writes);
  int64_t at = start;
  for (int r = 0; r < c.reps; ++r) {
    at_rep(r, src, dst);
    at += mvm_once(c, src, dst, at);
  }
  occupy(unit, at - start, reads, writes);
}

// One MVM of a run, reading the gather at byte `src` and writing acc[dst..], starting at
// cycle `start`; returns its cycles on the crossbar.
int64_t Tile::mvm_once(const isa::Command& c, int64_t src, int64_t dst, int64_t start) {
  const isa::Gather& g = c.gather;
  // Only segments the mask enables are read: disabled ones (padding) may point anywhere.
  const int64_t seg_bytes = isa::packed_bytes(c.type, g.elems);
  const uint8_t* mem = bytes(c.src.space, 0, 0, "MVM input");  // the buffer's base
  for (int y = 0; y < g.ky; ++y) {
    for (int x = 0; x < g.kx; ++x) {
      if (!((g.mask >> (y * g.kx + x)) & 1u)) continue;
      const int64_t seg = src + y * g.sy + x * g.sx;
      bytes(c.src.space, seg, seg_bytes, "MVM input");
    }
  }
  int32_t* out = acc_entries(dst, c.cols, "MVM output");
  const CrossbarArray& xb = xbars_[c.xbar];
  gather_input(c.type, mem, src, g, c.row, tp_.crossbar.rows, input_);
  if (mvm_cosim()) rtl_old_.assign(out, out + c.cols);  // the RTL starts from these too
  MvmCounts counts;
  xb.mvm(input_, c.col, c.cols, c.shift, c.accumulate, out, counts);

  const int64_t bits = g.total() * isa::bits_per_element(c.type);
  const int64_t n =
      buffer_cycles(c.src.space, bits) + xb.mvm_cycles(input_, c.cols) + tp_.accumulate_cycles;
  if (mvm_cosim()) mvm_rtl(c, xb, out, start, buffer_cycles(c.src.space, bits));
  const arch::EnergyParams& e = chip_.energy;
  const int64_t end = start + n;
  charge(EnergyClass::kBuffer, e.buffer_access_pj_per_bit * bits, start, end);
  charge(EnergyClass::kCrossbar, counts.cells * e.cell_read_pj + counts.wordlines * e.wordline_pj,
         start, end);
  charge(EnergyClass::kReadout,
         counts.conversions * e.adc_conversion_pj + counts.popcounts * e.digital_popcount_pj, start,
         end);
  charge(EnergyClass::kAccumulator, static_cast<double>(c.cols) * input_.planes * e.accumulate_pj,
         start, end);
  return n;
}

void Tile::exec_accadd(const isa::Command& c) {
  int32_t* acc = acc_entries(addr(c.dst), c.count, "ACCADD destination");
  const uint8_t* src =
      bytes(c.src.space, addr(c.src), isa::packed_bytes(c.type, c.count), "ACCADD source");
  scratch_.resize(static_cast<size_t>(c.count));
  isa::unpack(c.type, src, c.count, scratch_.data());
  if (vector_acc_rtl_) rtl_old_.assign(acc, acc + c.count);  // the RTL starts from these too
  // int32 wrap-around (docs/isa.md): i32 sources times a scale can leave the int32 range.
  for (int64_t i = 0; i < c.count; ++i)
    acc[i] =
        static_cast<int32_t>(static_cast<uint32_t>(acc[i]) +
                             static_cast<uint32_t>(c.scale) * static_cast<uint32_t>(scratch_[i]));
  const int64_t bits = c.count * isa::bits_per_element(c.type);
  const int64_t n = buffer_cycles(c.src.space, bits) + ceil_div(c.count, tp_.accumulator_lanes) +
                    tp_.accumulate_cycles - 1;
  const int64_t start =
      occupy(kVector, n, span(c.src.space, addr(c.src), isa::packed_bytes(c.type, c.count)),
             span(isa::Space::kAcc, addr(c.dst), c.count));
  if (vector_acc_rtl_) accadd_rtl(c, acc, start + buffer_cycles(c.src.space, bits));
  charge(EnergyClass::kBuffer, chip_.energy.buffer_access_pj_per_bit * bits, start, start + n);
  charge(EnergyClass::kAccumulator, chip_.energy.accumulate_pj * c.count, start, start + n);
}

void Tile::exec_thresh(const isa::Command& c) {
  const int32_t* acc = acc_entries(addr(c.src), c.count, "THRESH source");
  if (c.entry < 0 || c.count > static_cast<int64_t>(thresholds_.size()) - c.entry) {
    fault("threshold entries " + range_text(c.entry, c.count) +
          " are outside the threshold table (" + std::to_string(thresholds_.size()) + ")");
  }
  uint8_t* dst =
      bytes(c.dst.space, addr(c.dst), isa::packed_bytes(c.type, c.count), "THRESH destination");
  scratch_.resize(static_cast<size_t>(c.count));
  for (int64_t i = 0; i < c.count; ++i)
    scratch_[i] = requantize(acc[i], thresholds_[c.entry + i], c.type);
  const int64_t bits = c.count * isa::bits_per_element(c.type);
  const Touch reads = span(isa::Space::kAcc, addr(c.src), c.count),
              writes = span(c.dst.space, addr(c.dst), isa::packed_bytes(c.type, c.count));
  if (thresholder_rtl_)
    thresh_rtl(c, acc, scoreboard_.earliest_start(kThresh, issue_, reads, writes));
  isa::pack(c.type, scratch_.data(), c.count, dst);
  const int64_t n = ceil_div(c.count, tp_.thresholder_lanes) + tp_.threshold_cycles - 1 +
                    buffer_cycles(c.dst.space, bits);
  const int64_t start = occupy(kThresh, n, reads, writes);
  charge(EnergyClass::kThresholder, chip_.energy.threshold_pj * c.count, start, start + n);
  charge(EnergyClass::kBuffer, chip_.energy.buffer_access_pj_per_bit * bits, start, start + n);
}

// Co-simulation: the RTL thresholder computes the same elements; its values and its cycle
// count must equal the TLM model's (scratch_ and the formula of docs/platform.md).
void Tile::thresh_rtl(const isa::Command& c, const int32_t* acc, int64_t start) {
  sync();  // the kernel at this tile's issue time: the RTL runs there, in delta cycles
  rtl_out_.assign(static_cast<size_t>(c.count), 0);
  ThresholdJob job;
  job.acc = acc;
  job.entries = &thresholds_[c.entry];
  job.count = c.count;
  job.type = c.type;
  job.start_cycle = start;
  const int64_t cycles = thresholder_rtl_->run(job, rtl_out_.data());
  const int64_t expected = ceil_div(c.count, tp_.thresholder_lanes) + tp_.threshold_cycles - 1;
  for (int64_t i = 0; i < c.count; ++i) {
    if (rtl_out_[i] != scratch_[i]) {
      fault("RTL thresholder differs from the TLM model at element " + std::to_string(i) +
            ": RTL " + std::to_string(rtl_out_[i]) + ", TLM " + std::to_string(scratch_[i]) +
            " (acc " + std::to_string(acc[i]) + ")");
    }
  }
  if (cycles != expected) {
    fault("RTL thresholder took " + std::to_string(cycles) + " cycles, the TLM model " +
          std::to_string(expected));
  }
}

void Tile::exec_pool(const isa::Command& c) {
  const isa::Gather& g = c.gather;
  if (g.sx < 0 || g.sy < 0 || g.kx < 1 || g.ky < 1 || g.elems < 1) fault("bad pooling window");
  const bool in_acc = c.src.space == isa::Space::kAcc;
  const bool out_acc = c.dst.space == isa::Space::kAcc;
  const int64_t segments = static_cast<int64_t>(g.kx) * g.ky;
  const int64_t src = addr(c.src);
  scratch_.assign(static_cast<size_t>(g.elems), INT32_MIN);
  scratch2_.resize(static_cast<size_t>(g.elems));
  for (int y = 0; y < g.ky; ++y) {
    for (int x = 0; x < g.kx; ++x) {
      const int64_t off = src + y * g.sy + x * g.sx;
      if (in_acc) {
        const int32_t* a = acc_entries(off, g.elems, "POOL source");
        std::copy(a, a + g.elems, scratch2_.begin());
      } else {
        isa::unpack(c.type,
                    bytes(c.src.space, off, isa::packed_bytes(c.type, g.elems), "POOL source"),
                    g.elems, scratch2_.data());
      }
      for (int64_t i = 0; i < g.elems; ++i) scratch_[i] = std::max(scratch_[i], scratch2_[i]);
    }
  }
  const int64_t dst = addr(c.dst);
  if (out_acc) {
    std::copy(scratch_.begin(), scratch_.end(), acc_entries(dst, g.elems, "POOL destination"));
  } else {
    isa::pack(c.type, scratch_.data(), g.elems,
              bytes(c.dst.space, dst, isa::packed_bytes(c.type, g.elems), "POOL destination"));
  }
  const int64_t n = ceil_div(g.elems * segments, tp_.pool_lanes) + tp_.pool_cycles - 1;
  const int64_t start =
      occupy(kPool, n, gather_span(c.src.space, src, g, c.type, false),
             span(c.dst.space, dst, out_acc ? g.elems : isa::packed_bytes(c.type, g.elems)));
  charge(EnergyClass::kPooling, chip_.energy.pool_pj * static_cast<double>(g.elems * segments),
         start, start + n);
  if (!in_acc || !out_acc) {
    const int64_t bits = g.elems * isa::bits_per_element(c.type) * (in_acc ? 1 : segments + 1);
    charge(EnergyClass::kBuffer, chip_.energy.buffer_access_pj_per_bit * bits, start, start + n);
  }
}

}  // namespace imc::models
