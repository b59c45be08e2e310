// The operand table: for every opcode, the operands it takes in canonical order, with their
// ranges, defaults and allowed spaces/types. The assembler, the disassembler, the binary codec
// and the static checks all read this one table, so each operand is described exactly once.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "hw/isa/program.h"

namespace imc::isa {

enum class OperandKind : uint8_t {
  kInt,        // an integer field, within [min, max]
  kLoopCount,  // LOOP count: an integer within [min, max], or `batch` (kBatch)
  kType,       // a DType out of `allowed`
  kData,       // a data block: by name in text, an index into Program::data in memory
  kAddr,       // an address in one of the spaces in `allowed`
};

// The Command member an operand lives in.
enum class Field : uint8_t {
  kXbar,
  kRow,
  kCol,
  kCols,
  kData,
  kEntry,
  kSrc,
  kDst,
  kElems,
  kKx,
  kSx,
  kKy,
  kSy,
  kMask,
  kType,
  kBytes,
  kCount,
  kTile,
  kSem,
  kShift,
  kAccumulate,
  kScale,
  kNotLast,
  kAltSem,
  kThirdSem,
  kMcast,
  kReps,
  kSrcStep,
  kDstStep,
};

struct OperandSpec {
  const char* name;  // the text key, e.g. "bytes"
  Field field;
  OperandKind kind;
  bool required;
  int64_t default_value;  // stored when the operand is absent (not required)
  int64_t min;
  int64_t max;
  uint8_t allowed;  // kType: bit (1 << DType); kAddr: bit (1 << Space)
  bool hex;         // written in hex in canonical text (mask)
};

struct OpcodeSpec {
  Opcode op;
  const char* mnemonic;
  std::vector<OperandSpec> operands;  // canonical order
};

constexpr int kOpcodeCount = static_cast<int>(Opcode::kHalt) + 1;

const OpcodeSpec& spec_of(Opcode op);
// `mnemonic` in upper case; nullptr when there is no such opcode.
const OpcodeSpec* find_opcode(std::string_view mnemonic);
// Index of `key` in spec.operands, or -1.
int find_operand(const OpcodeSpec& spec, std::string_view key);

// Integer view of every non-address field (type as its enum value, accumulate as 0/1).
int64_t get_field(const Command& c, Field f);
void set_field(Command& c, Field f, int64_t v);
const Addr& addr_field(const Command& c, Field f);
Addr& addr_field(Command& c, Field f);

inline bool allows(uint8_t allowed, DType t) {
  return allowed & (1u << static_cast<int>(t));
}
inline bool allows(uint8_t allowed, Space s) {
  return allowed & (1u << static_cast<int>(s));
}
std::string allowed_types(uint8_t allowed);   // "b1, t2, u8"
std::string allowed_spaces(uint8_t allowed);  // "ibuf or obuf"

// What is wrong with one operand value, or "" when it is fine. `data_blocks` bounds kData;
// `loop_depth` is the number of LOOPs enclosing the command (strides on deeper indices are
// wrong). Messages name the operand, e.g. "bytes=-5 is out of range (0 to ...)".
std::string value_problem(const OpcodeSpec& spec, const OperandSpec& o, int64_t v,
                          size_t data_blocks);
std::string addr_problem(const OpcodeSpec& spec, const OperandSpec& o, const Addr& a,
                         int loop_depth);
// Rules that tie operands together (POOL: acc only with type i32). Returns the index of the
// operand to blame in `*blame` (for columns), or leaves it alone when there is no problem.
std::string cross_problem(const Command& c, int* blame);
// All of the above for a whole command.
std::string command_problem(const Command& c, int loop_depth, size_t data_blocks);

// Canonical text of an address: `ibuf[64 + 16*i0 - 2*i1]`.
void append_addr(std::string& out, const Addr& a);

}  // namespace imc::isa
