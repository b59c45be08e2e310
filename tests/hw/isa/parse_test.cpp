// Every mnemonic and directive parses to the expected fields.
#include <gtest/gtest.h>

#include "hw/isa/assembler.h"
#include "hw/isa/npy.h"
#include "isa_test_util.h"

namespace imc::isa {
namespace {

using testing::ScratchDir;

constexpr const char* kHeader =
    ".data w0 type=b1 shape=1x2\n+-\n.end\n"
    ".data th type=i32 shape=1x3\n1 2 0\n.end\n"
    ".tile 5\n";

// The only command of `cmd`, assembled inside tile 5 (loop commands around it stripped).
Command parse_one(const std::string& cmd) {
  const Program p = assemble(std::string(kHeader) + cmd + "\n", "t.cmd");
  EXPECT_EQ(p.tiles.size(), 1u);
  EXPECT_EQ(p.tiles[0].commands.size(), 1u);
  return p.tiles[0].commands.at(0);
}

Addr addr(Space s, int64_t base, std::array<int64_t, kMaxLoopDepth> stride = {}) {
  Addr a;
  a.space = s;
  a.base = base;
  a.stride = stride;
  return a;
}

TEST(Assemble, Wxb) {
  Command want;
  want.op = Opcode::kWxb;
  want.xbar = 2;
  want.row = 3;
  want.col = 4;
  want.data = 0;
  const Command c = parse_one("WXB xb=2 row=3 col=4 data=w0");
  EXPECT_EQ(c, want);
  EXPECT_EQ(c.line, 8);
  want.row = want.col = 0;
  want.xbar = 1;
  want.data = 1;
  EXPECT_EQ(parse_one("WXB data=th xb=1"), want);
}

TEST(Assemble, Wth) {
  Command want;
  want.op = Opcode::kWth;
  want.entry = 7;
  want.data = 1;
  EXPECT_EQ(parse_one("WTH entry=7 data=th"), want);
  want.entry = 0;
  EXPECT_EQ(parse_one("WTH data=th"), want);
}

TEST(Assemble, LoadStoreCopy) {
  Command want;
  want.op = Opcode::kLoad;
  want.dst = addr(Space::kObuf, 16);
  want.src = addr(Space::kGb, 0x100);
  want.bytes = 98;
  EXPECT_EQ(parse_one("LOAD dst=obuf[16] src=gb[0x100] bytes=98"), want);
  want.op = Opcode::kStore;
  want.dst = addr(Space::kGb, 4096);
  want.src = addr(Space::kIbuf, 2);
  want.bytes = 16;
  EXPECT_EQ(parse_one("STORE bytes=16 src=ibuf[2] dst=gb[4096]"), want);
  want.op = Opcode::kCopy;
  want.dst = addr(Space::kIbuf, 0);
  want.src = addr(Space::kObuf, 8);
  want.bytes = 1;
  EXPECT_EQ(parse_one("COPY dst=ibuf[0] src=obuf[8] bytes=1"), want);
}

TEST(Assemble, SendSignalWait) {
  Command want;
  want.op = Opcode::kSend;
  want.tile = 3;
  want.dst = addr(Space::kIbuf, 0);
  want.src = addr(Space::kObuf, 8);
  want.bytes = 4;
  want.sem = 2;
  EXPECT_EQ(parse_one("SEND tile=3 dst=ibuf[0] src=obuf[8] bytes=4 sem=2"), want);
  want.sem = -1;
  EXPECT_EQ(parse_one("SEND tile=3 dst=ibuf[0] src=obuf[8] bytes=4"), want);

  Command sig;
  sig.op = Opcode::kSignal;
  sig.tile = 1;
  sig.sem = 0;
  EXPECT_EQ(parse_one("SIGNAL tile=1 sem=0"), sig);

  Command wait;
  wait.op = Opcode::kWait;
  wait.sem = 3;
  wait.count = 1;  // the default
  EXPECT_EQ(parse_one("WAIT sem=3"), wait);
  wait.count = 2;
  EXPECT_EQ(parse_one("WAIT sem=3 count=2"), wait);
}

TEST(Assemble, MvmEveryOperand) {
  Command want;
  want.op = Opcode::kMvm;
  want.xbar = 1;
  want.src = addr(Space::kIbuf, 0);
  want.type = DType::kT2;
  want.gather = Gather{64, 3, 16, 3, -48, 0x1FE};
  want.row = 8;
  want.col = 16;
  want.cols = 32;
  want.dst = addr(Space::kAcc, 64);
  want.shift = 2;
  want.accumulate = true;
  EXPECT_EQ(parse_one("MVM xb=1 src=ibuf[0] type=t2 elems=64 kx=3 sx=16 ky=3 sy=-48 "
                      "mask=0x1fe row=8 col=16 cols=32 dst=acc[64] shift=2 acc=1"),
            want);
}

TEST(Assemble, MvmDefaults) {
  const Command c = parse_one("mvm xb=0 src=obuf[4] type=u8 elems=10 cols=5 dst=acc[0]");
  EXPECT_EQ(c.op, Opcode::kMvm);
  EXPECT_EQ(c.gather, (Gather{10, 1, 0, 1, 0, 0xFFFFFFFFu}));
  EXPECT_EQ(c.type, DType::kU8);
  EXPECT_EQ(c.row, 0);
  EXPECT_EQ(c.col, 0);
  EXPECT_EQ(c.shift, 0);
  EXPECT_FALSE(c.accumulate);
  EXPECT_EQ(c.src, addr(Space::kObuf, 4));
}

TEST(Assemble, AccAddThreshPool) {
  Command add;
  add.op = Opcode::kAccAdd;
  add.dst = addr(Space::kAcc, 0);
  add.src = addr(Space::kObuf, 0);
  add.type = DType::kB1;
  add.count = 128;
  add.scale = -2;
  EXPECT_EQ(parse_one("ACCADD dst=acc[0] src=obuf[0] type=b1 count=128 scale=-2"), add);
  add.scale = 1;
  add.type = DType::kI8;
  EXPECT_EQ(parse_one("AccAdd dst=acc[0] src=obuf[0] type=i8 count=128"), add);
  add.type = DType::kI32;  // partial sums from another tile, 4 bytes each
  EXPECT_EQ(parse_one("ACCADD dst=acc[0] src=obuf[0] type=i32 count=128"), add);

  Command th;
  th.op = Opcode::kThresh;
  th.src = addr(Space::kAcc, 0);
  th.dst = addr(Space::kObuf, 0);
  th.count = 128;
  th.entry = 5;
  th.type = DType::kT2;
  EXPECT_EQ(parse_one("THRESH src=acc[0] dst=obuf[0] count=128 entry=5 type=t2"), th);

  Command pool;
  pool.op = Opcode::kPool;
  pool.dst = addr(Space::kObuf, 0);
  pool.src = addr(Space::kIbuf, 0);
  pool.type = DType::kU8;
  pool.gather = Gather{16, 2, 16, 2, 64, 0xFFFFFFFFu};
  EXPECT_EQ(parse_one("POOL dst=obuf[0] src=ibuf[0] type=u8 elems=16 kx=2 sx=16 ky=2 sy=64"), pool);
  const Command acc = parse_one("POOL dst=acc[8] src=acc[0] type=i32 elems=4 kx=2 sx=4");
  EXPECT_EQ(acc.dst, addr(Space::kAcc, 8));
  EXPECT_EQ(acc.type, DType::kI32);
}

TEST(Assemble, LoopsAndStrides) {
  const Program p = assemble(std::string(kHeader) +
                                 "LOOP count=batch\n"
                                 "  LOOP count=0x10\n"
                                 "    COPY dst=ibuf[64 + 16*i0 - 2*i1] src=obuf[i0 + i0 + 3 + -1] "
                                 "bytes=2\n"
                                 "  ENDLOOP\n"
                                 "endloop\n"
                                 "Halt\n",
                             "t.cmd");
  const auto& cmds = p.tiles[0].commands;
  ASSERT_EQ(cmds.size(), 6u);
  EXPECT_EQ(cmds[0].op, Opcode::kLoop);
  EXPECT_EQ(cmds[0].count, kBatch);
  EXPECT_EQ(cmds[1].count, 16);
  EXPECT_EQ(cmds[2].dst, addr(Space::kIbuf, 64, {16, -2, 0, 0}));
  EXPECT_EQ(cmds[2].src, addr(Space::kObuf, 2, {2, 0, 0, 0}));
  EXPECT_EQ(cmds[3].op, Opcode::kEndLoop);
  EXPECT_EQ(cmds[4].op, Opcode::kEndLoop);
  EXPECT_EQ(cmds[5].op, Opcode::kHalt);
  EXPECT_EQ(cmds[5].line, 13);
}

TEST(Assemble, RotationTerms) {
  const Program p = assemble(std::string(kHeader) +
                                 "LOOP count=batch\n"
                                 "  LOOP count=3\n"
                                 "    COPY dst=ibuf[64 + 16*i1 - 128 * ( i0 % 2 )] "
                                 "src=obuf[(i1%3) + 2] bytes=2\n"
                                 "  ENDLOOP\n"
                                 "ENDLOOP\n"
                                 "HALT\n",
                             "t.cmd");
  const Command& c = p.tiles[0].commands.at(2);
  Addr dst = addr(Space::kIbuf, 64, {0, 16, 0, 0});
  dst.rot = {0, 2, -128};
  Addr src = addr(Space::kObuf, 2);
  src.rot = {1, 3, 1};
  EXPECT_EQ(c.dst, dst);
  EXPECT_EQ(c.src, src);
  EXPECT_NE(disassemble(p).find("COPY dst=ibuf[64 + 16*i1 - 128*(i0%2)] src=obuf[2 + 1*(i1%3)]"),
            std::string::npos)
      << disassemble(p);
}

TEST(Assemble, RotationOffsets) {
  const Program p = assemble(std::string(kHeader) +
                                 "LOOP count=batch\n"
                                 "  LOAD dst=ibuf[8 + 48*( ( i0 + 2 ) % 3 )] src=gb[0] bytes=2\n"
                                 "  LOAD dst=ibuf[8 + 48*((i0+0)%3)] src=gb[0] bytes=2\n"
                                 "ENDLOOP\n"
                                 "HALT\n",
                             "t.cmd");
  Addr dst = addr(Space::kIbuf, 8);
  dst.rot = {0, 3, 48, 2};
  EXPECT_EQ(p.tiles[0].commands.at(1).dst, dst);
  dst.rot.offset = 0;
  EXPECT_EQ(p.tiles[0].commands.at(2).dst, dst);
  const std::string text = disassemble(p);
  EXPECT_NE(text.find("LOAD dst=ibuf[8 + 48*((i0+2)%3)]"), std::string::npos) << text;
  EXPECT_NE(text.find("LOAD dst=ibuf[8 + 48*(i0%3)]"), std::string::npos) << text;
}

TEST(Assemble, TensorsAndDefaultStride) {
  const Program p = assemble(
      ".input  x  gb=0x0    shape=1x784 type=u8\n"
      ".output y  gb=0x1000 shape=10    type=i32 stride=64  # comment\n"
      ".input  z  gb=8192   shape=3x5   type=b1\n",
      "t.cmd");
  ASSERT_EQ(p.inputs.size(), 2u);
  ASSERT_EQ(p.outputs.size(), 1u);
  EXPECT_EQ(p.inputs[0].name, "x");
  EXPECT_EQ(p.inputs[0].shape, (std::vector<int64_t>{1, 784}));
  EXPECT_EQ(p.inputs[0].stride, 784);
  EXPECT_EQ(p.inputs[0].line, 1);
  EXPECT_EQ(p.inputs[1].stride, 2);  // 15 bits
  EXPECT_EQ(p.inputs[1].elements(), 15);
  EXPECT_EQ(p.outputs[0].gb_addr, 4096);
  EXPECT_EQ(p.outputs[0].type, DType::kI32);
  EXPECT_EQ(p.outputs[0].stride, 64);
}

TEST(Assemble, DataBodies) {
  const Program p = assemble(
      "# weights\n"
      ".data w0 type=b1 shape=4x3          # rows x cols\n"
      "+-+\n"
      "- + +   # blanks are layout\n"
      "\n"
      "+--\n"
      "---\n"
      ".end\n"
      ".data t type=t2 shape=1x4\n+0-0\n.END\n"
      ".data th0 type=i32 shape=3x3\n 0 0 0\n 1 1 1\n-2 -2 0x10\n.end\n"
      ".data u type=u8 shape=1x2\n255 0\n.end\n",
      "t.cmd");
  ASSERT_EQ(p.data.size(), 4u);
  EXPECT_EQ(p.data[0].values, (std::vector<int32_t>{1, -1, 1, -1, 1, 1, 1, -1, -1, -1, -1, -1}));
  EXPECT_EQ(p.data[0].rows, 4);
  EXPECT_EQ(p.data[0].cols, 3);
  EXPECT_EQ(p.data[1].values, (std::vector<int32_t>{1, 0, -1, 0}));
  EXPECT_EQ(p.data[2].values, (std::vector<int32_t>{0, 0, 0, 1, 1, 1, -2, -2, 16}));
  EXPECT_EQ(p.data[3].type, DType::kU8);
  EXPECT_EQ(p.data[3].values, (std::vector<int32_t>{255, 0}));
}

TEST(Assemble, DataFromNpyNextToTheProgram) {
  ScratchDir dir("parse");
  write_npy_i32(dir.file("w1.npy"), {2, 3}, {1, -1, 0, 0, 1, -1});
  const std::string prog = dir.write("net.cmd",
                                     ".data w1 type=t2 shape=2x3 file=\"w1.npy\"\n"
                                     ".tile 0\n  WXB xb=0 data=w1\n  HALT\n");
  const Program p = assemble_file(prog);
  ASSERT_EQ(p.data.size(), 1u);
  EXPECT_EQ(p.data[0].values, (std::vector<int32_t>{1, -1, 0, 0, 1, -1}));
  EXPECT_EQ(p.tiles[0].commands[0].data, 0);
  EXPECT_EQ(p.source_file, prog);
}

TEST(Assemble, ForwardDataReferencesAndDirectivesBetweenTiles) {
  const Program p = assemble(
      ".tile 3\n  WXB xb=0 data=late\n"
      ".data late type=b1 shape=1x1\n+\n.end\n"
      "  HALT   # still tile 3\n"
      ".tile 1\n  HALT\n",
      "t.cmd");
  ASSERT_EQ(p.tiles.size(), 2u);
  EXPECT_EQ(p.tiles[0].tile, 3);
  EXPECT_EQ(p.tiles[0].line, 1);
  ASSERT_EQ(p.tiles[0].commands.size(), 2u);
  EXPECT_EQ(p.tiles[0].commands[0].data, 0);
  EXPECT_EQ(p.tiles[1].tile, 1);
}

TEST(Assemble, EmptyTextIsAnEmptyProgram) {
  const Program p = assemble("# nothing\n\n   \n", "t.cmd");
  EXPECT_EQ(p, Program{});
  EXPECT_EQ(p.source_file, "t.cmd");
}

TEST(Assemble, CrLfLineEndings) {
  const Program p = assemble(".tile 0\r\n  LOAD dst=ibuf[0] src=gb[0] bytes=4\r\n  HALT\r\n", "t");
  ASSERT_EQ(p.tiles[0].commands.size(), 2u);
  EXPECT_EQ(p.tiles[0].commands[0].bytes, 4);
}

}  // namespace
}  // namespace imc::isa
