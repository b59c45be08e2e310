#include "hw/isa/program.h"

namespace imc::isa {

const char* to_string(Space s) {
  switch (s) {
    case Space::kGb:
      return "gb";
    case Space::kIbuf:
      return "ibuf";
    case Space::kObuf:
      return "obuf";
    case Space::kAcc:
      return "acc";
  }
  return "?";
}

const char* to_string(Opcode op) {
  switch (op) {
    case Opcode::kWxb:
      return "WXB";
    case Opcode::kWth:
      return "WTH";
    case Opcode::kLoad:
      return "LOAD";
    case Opcode::kStore:
      return "STORE";
    case Opcode::kCopy:
      return "COPY";
    case Opcode::kSend:
      return "SEND";
    case Opcode::kSignal:
      return "SIGNAL";
    case Opcode::kWait:
      return "WAIT";
    case Opcode::kMvm:
      return "MVM";
    case Opcode::kAccAdd:
      return "ACCADD";
    case Opcode::kThresh:
      return "THRESH";
    case Opcode::kPool:
      return "POOL";
    case Opcode::kLoop:
      return "LOOP";
    case Opcode::kEndLoop:
      return "ENDLOOP";
    case Opcode::kHalt:
      return "HALT";
  }
  return "?";
}

// Every field but `line`: two commands are the same command wherever they were written.
bool Command::operator==(const Command& o) const {
  return op == o.op && xbar == o.xbar && row == o.row && col == o.col && cols == o.cols &&
         data == o.data && entry == o.entry && src == o.src && dst == o.dst && gather == o.gather &&
         type == o.type && bytes == o.bytes && count == o.count && tile == o.tile && sem == o.sem &&
         shift == o.shift && accumulate == o.accumulate && scale == o.scale &&
         not_last == o.not_last && alt_sem == o.alt_sem && third_sem == o.third_sem &&
         mcast == o.mcast && reps == o.reps && src_step == o.src_step && dst_step == o.dst_step;
}

int64_t TensorDecl::elements() const {
  int64_t n = 1;
  for (int64_t d : shape) n *= d;
  return n;
}

int64_t TensorDecl::bytes() const {
  if (layout == Layout::kPixels && shape.size() == 3)
    return shape[1] * shape[2] * packed_bytes(type, shape[0]);
  return packed_bytes(type, elements());
}

}  // namespace imc::isa
