// The command set of imcsim chips (docs/isa.md): one Program holds the data blocks, the
// network's input/output tensors in the global buffer, and a command queue per tile.
// Shared by the compiler (which writes programs) and the simulator (which runs them).
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "hw/isa/dtype.h"

namespace imc::isa {

// Storage a command operand can name. gb, ibuf and obuf are byte-addressed; acc is
// addressed in int32 entries.
enum class Space : uint8_t { kGb, kIbuf, kObuf, kAcc };
const char* to_string(Space s);

constexpr int kMaxLoopDepth = 4;
constexpr int kMaxSegments = 32;  // kx * ky of one gather

// base + sum_d stride[d] * i_d + rot.stride * ((i_rot.depth + rot.offset) % rot.period), where
// i_d is the index of the loop at nesting depth d (0 = outermost enclosing LOOP). The rotation
// term lets consecutive iterations of a batch loop use `period` buffer slots in turn (double or
// triple buffering without a copy); the offset names the slot of a later iteration (a
// prefetch). Text: `ibuf[64 + 16*i0 + 2*i1 + 128*(i0%2)]`, `ibuf[128*((i0+2)%3)]`.
struct Addr {
  struct Rotation {
    int depth = -1;  // -1: no rotation term
    int64_t period = 0;
    int64_t stride = 0;
    int64_t offset = 0;  // 0..period-1
    bool operator==(const Rotation& o) const {
      return depth == o.depth && period == o.period && stride == o.stride && offset == o.offset;
    }
  };
  Space space = Space::kIbuf;
  int64_t base = 0;
  std::array<int64_t, kMaxLoopDepth> stride{};
  Rotation rot;
  bool operator==(const Addr& o) const {
    return space == o.space && base == o.base && stride == o.stride && rot == o.rot;
  }
};

// An input vector made of ky x kx segments of `elems` elements each; segment (y, x) starts at
// byte `addr + y*sy + x*sx`. Segments whose bit (y*kx + x) in `mask` is clear feed zeros
// (their rows are not driven): that is how padding at image borders is expressed.
struct Gather {
  int64_t elems = 0;
  int kx = 1;
  int64_t sx = 0;
  int ky = 1;
  int64_t sy = 0;
  uint32_t mask = 0xFFFFFFFFu;
  int64_t total() const { return elems * kx * ky; }
  bool operator==(const Gather& o) const {
    return elems == o.elems && kx == o.kx && sx == o.sx && ky == o.ky && sy == o.sy &&
           mask == o.mask;
  }
};

enum class Opcode : uint8_t {
  kWxb,     // program crossbar `xbar` at (row, col) with data block `data`
  kWth,     // program threshold entries from `entry` with data block `data` ([n][3]: t0,t1,inv)
  kLoad,    // DMA: gb -> ibuf/obuf, `bytes`
  kStore,   // DMA: ibuf/obuf -> gb, `bytes`
  kCopy,    // inside a tile: ibuf/obuf -> ibuf/obuf, `bytes`
  kSend,    // NoC: own ibuf/obuf -> ibuf/obuf of `tile`, then +1 on that tile's `sem`
  kSignal,  // NoC: +1 on `sem` of `tile`, after every earlier command of this tile completed
  kWait,    // block until own `sem` >= `count`, then subtract `count`
  kMvm,     // crossbar MVM: gather `src` (type) onto rows row..; columns col..col+cols -> acc
  kAccAdd,  // acc[dst + i] += scale * src[i], src a b1/t2/u8/i8/i32 vector of `count` elements
  kThresh,  // dst[i] = requantize(acc[src + i]) with threshold entry `entry + i`, as `type`
  kPool,    // dst = elementwise max over the ky x kx segments of `gather` at `src`
  kLoop,    // repeat up to the matching ENDLOOP `count` times (kBatch: once per inference)
  kEndLoop,
  kHalt,
};
const char* to_string(Opcode op);

constexpr int64_t kBatch = -1;  // LOOP count standing for the number of inferences

struct Command {
  Opcode op = Opcode::kHalt;
  int xbar = 0;             // WXB, MVM
  int row = 0;              // WXB, MVM: first crossbar row
  int col = 0;              // WXB, MVM: first crossbar column
  int cols = 0;             // MVM: columns read
  int data = -1;            // WXB, WTH: index into Program::data
  int entry = 0;            // WTH, THRESH: first threshold entry
  Addr src;                 // LOAD STORE COPY SEND MVM ACCADD THRESH POOL
  Addr dst;                 // LOAD STORE COPY SEND MVM ACCADD THRESH POOL
  Gather gather;            // MVM, POOL
  DType type = DType::kB1;  // MVM ACCADD POOL: input type; THRESH: output type
  int64_t bytes = 0;        // LOAD STORE COPY SEND
  int64_t count = 0;        // ACCADD THRESH: elements; LOOP: iterations or kBatch; WAIT: tokens
  int tile = -1;            // SEND SIGNAL: destination tile id (y * mesh_cols + x)
  int sem = -1;             // SEND SIGNAL WAIT
  int shift = 0;            // MVM: sums are shifted left by this before accumulating
  bool accumulate = false;  // MVM: add into acc (true) or overwrite it (false)
  // MVM: `reps` MVMs in one command, repetition r reading src + r*src_step (bytes) and writing
  // dst + r*dst_step (acc entries): one issue slot for a strided run of positions.
  int reps = 1;
  int64_t src_step = 0;
  int64_t dst_step = 0;
  int scale = 1;  // ACCADD
  // LOAD/SEND/WAIT: work for inference i0 + not_last, skipped when there is none (in the last
  // not_last iterations of the outermost LOOP; outside any LOOP when the batch has at most
  // not_last inferences). 0: always performed.
  int not_last = 0;
  int alt_sem = -1;  // SEND SIGNAL WAIT: the semaphore used instead of `sem` in odd iterations of
                     // the outermost LOOP (-1: always `sem`)
  // SEND SIGNAL WAIT, with alt_sem: a third semaphore, iteration n of the outermost LOOP then
  // using sem, alt_sem, third_sem for n % 3 = 0, 1, 2 (-1: the two alternate)
  int third_sem = -1;
  // SEND: more destinations (multicast), bit k = tile `tile + 1 + k`; the same dst and
  // semaphore on each. 0: `tile` only.
  uint32_t mcast = 0;
  int line = 0;  // source line in the .cmd file (0 when unknown), for messages
  bool operator==(const Command& o) const;
};

// A matrix of values, row-major, e.g. crossbar weights [rows][cols] = [inputs][outputs].
struct DataBlock {
  std::string name;
  DType type = DType::kB1;
  int64_t rows = 0;
  int64_t cols = 0;
  std::vector<int32_t> values;
  bool operator==(const DataBlock& o) const {
    return name == o.name && type == o.type && rows == o.rows && cols == o.cols &&
           values == o.values;
  }
};

// How one inference of a tensor lies in the global buffer. kPacked: its elements in shape
// order (C order), packed. kPixels: a 3-D shape [C][H][W] stored as the tiles hold maps, H x W
// pixels in row-major order, each pixel's C elements packed and padded to whole bytes
// (a multi-channel map of sub-byte elements, which C order would pack across pixels).
enum class Layout : uint8_t { kPacked = 0, kPixels = 1 };

// A network input or output living in the global buffer. Inference n of a batch uses the
// bytes at gb_addr + n * stride; `shape` is one inference's shape (the ONNX one, C order).
struct TensorDecl {
  std::string name;
  int64_t gb_addr = 0;
  std::vector<int64_t> shape;
  DType type = DType::kU8;
  int64_t stride = 0;  // bytes between inferences; bytes() when not given
  int line = 0;
  Layout layout = Layout::kPacked;
  int64_t elements() const;
  int64_t bytes() const;  // one inference's bytes in the global buffer
  bool operator==(const TensorDecl& o) const {
    return name == o.name && gb_addr == o.gb_addr && shape == o.shape && type == o.type &&
           stride == o.stride && layout == o.layout;
  }
};

struct TileProgram {
  int tile = 0;
  int line = 0;
  std::vector<Command> commands;
  bool operator==(const TileProgram& o) const { return tile == o.tile && commands == o.commands; }
};

struct Program {
  std::string source_file;
  std::vector<DataBlock> data;
  std::vector<TensorDecl> inputs;
  std::vector<TensorDecl> outputs;
  std::vector<TileProgram> tiles;
  bool operator==(const Program& o) const {
    return data == o.data && inputs == o.inputs && outputs == o.outputs && tiles == o.tiles;
  }
};

}  // namespace imc::isa
