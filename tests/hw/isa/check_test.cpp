// check_program against a hand-built tile8x8 chip: a valid program passes, and each single
// defect is reported with its line.
#include "hw/isa/check.h"

#include <gtest/gtest.h>

#include "hw/isa/assembler.h"
#include "isa_test_util.h"

namespace imc::isa {
namespace {

using testing::error_of;

// Line numbers matter: the cases below name them.
std::string base_text() {
  std::string t =
      ".input  x gb=0    shape=1x16 type=u8\n"                          // 1
      ".output y gb=4096 shape=1x4  type=b1\n"                          // 2
      ".data w0 type=b1 shape=16x4\n";                                  // 3
  for (int r = 0; r < 16; ++r) t += r % 2 ? "+-+-\n" : "-++-\n";        // 4..19
  t += ".end\n"                                                         // 20
       ".data th type=i32 shape=4x3\n"                                  // 21
       "0 1 0\n"                                                        // 22
       "-1 2 1\n"                                                       // 23
       "3 3 0\n"                                                        // 24
       "0 0 0\n"                                                        // 25
       ".end\n"                                                         // 26
       ".tile 0\n"                                                      // 27
       "  WXB xb=0 data=w0\n"                                           // 28
       "  WTH data=th\n"                                                // 29
       "  LOOP count=batch\n"                                           // 30
       "    LOAD dst=ibuf[0] src=gb[0 + 16*i0] bytes=16\n"              // 31
       "    MVM xb=0 src=ibuf[0] type=u8 elems=16 cols=4 dst=acc[0]\n"  // 32
       "    THRESH src=acc[0] dst=obuf[0] count=4 type=b1\n"            // 33
       "    STORE dst=gb[4096 + 1*i0] src=obuf[0] bytes=1\n"            // 34
       "    SEND tile=1 dst=ibuf[0] src=obuf[0] bytes=1 sem=0\n"        // 35
       "  ENDLOOP\n"                                                    // 36
       "  HALT\n"                                                       // 37
       ".tile 1\n"                                                      // 38
       "  WAIT sem=0 count=1\n"                                         // 39
       "  SIGNAL tile=0 sem=1\n"                                        // 40
       "  HALT\n"                                                       // 41
       ".data t0 type=t2 shape=1x2\n+0\n.end\n"
       ".data t1 type=t2 shape=1x2\n+-\n.end\n";
  return t;
}

std::string replaced(std::string text, const std::string& from, const std::string& to) {
  const size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

std::string check_error(const std::string& text, const arch::ChipParams& chip) {
  return error_of<SyntaxError>([&] { check_program(assemble(text, "c.cmd"), chip); });
}

TEST(CheckProgram, ValidProgramPasses) {
  EXPECT_NO_THROW(check_program(assemble(base_text(), "c.cmd"), testing::tile8x8()));
}

struct Case {
  const char* from;
  const char* to;
  const char* message;
};

const Case kCases[] = {
    {".tile 1", ".tile 64", "c.cmd:38:1: tile 64 is outside the 8x8 mesh (64 tiles)"},
    {"WXB xb=0", "WXB xb=4", "c.cmd:28:1: tile 0: WXB: xb=4 but a tile has 4 crossbars"},
    {"WXB xb=0", "WXB xb=0 row=241",
     "c.cmd:28:1: tile 0: WXB: data block 'w0' (16x4) at row 241, col 0 does not fit the "
     "256x256 crossbar"},
    {"WXB xb=0", "WXB xb=0 col=253",
     "c.cmd:28:1: tile 0: WXB: data block 'w0' (16x4) at row 0, col 253 does not fit the "
     "256x256 crossbar"},
    {"WXB xb=0 data=w0", "WXB xb=0 data=th",
     "c.cmd:28:1: tile 0: WXB: data block 'th' is i32; crossbar weights are b1 or t2"},
    {"WTH data=th", "WTH data=w0",
     "c.cmd:29:1: tile 0: WTH: data block 'w0' must be i32 [n][3] (t0 t1 invert), not b1 16x4"},
    {"WTH data=th", "WTH entry=1021 data=th",
     "c.cmd:29:1: tile 0: WTH: entries 1021 + 4 exceed the 1024 threshold entries"},
    {"-1 2 1", "-1 2 2", "c.cmd:29:1: tile 0: WTH: data block 'th' row 1: invert is 2, not 0 or 1"},
    {"-1 2 1", "3 2 1", "c.cmd:29:1: tile 0: WTH: data block 'th' row 1: t0=3 > t1=2"},
    {"MVM xb=0", "MVM xb=5", "c.cmd:32:1: tile 0: MVM: xb=5 but a tile has 4 crossbars"},
    {"cols=4 dst", "row=241 cols=4 dst",
     "c.cmd:32:1: tile 0: MVM: rows 241 + 16*1*1 exceed the crossbar's 256 rows"},
    {"elems=16", "elems=16 kx=2 ky=8", ""},  // exactly 256 rows
    {"elems=16", "elems=16 kx=2 ky=9",
     "c.cmd:32:1: tile 0: MVM: rows 0 + 16*2*9 exceed the crossbar's 256 rows"},
    {"cols=4 dst", "col=253 cols=4 dst",
     "c.cmd:32:1: tile 0: MVM: columns 253 + 4 exceed the crossbar's 256 columns"},
    {"cols=4 dst", "cols=0 dst", "c.cmd:32:1: tile 0: MVM: cols=0 must be at least 1"},
    {"elems=16", "elems=0", "c.cmd:32:1: tile 0: MVM: elems=0 must be at least 1"},
    {"elems=16", "elems=16 kx=0", "c.cmd:32:1: tile 0: MVM: kx and ky must be at least 1"},
    {"elems=16", "elems=1 kx=33", "c.cmd:32:1: tile 0: MVM: kx*ky = 33 segments, at most 32"},
    {"cols=4 dst=acc[0]", "cols=4 dst=acc[1022]",
     "c.cmd:32:1: tile 0: MVM: dst touches acc[1022 .. +4), outside the accumulator (1024 "
     "entries)"},
    {"type=u8 elems=16", "type=u8 elems=16 row=0", ""},  // still valid: defaults may be written
    {"MVM xb=0 src=ibuf[0]", "MVM xb=0 src=ibuf[8180]",
     "c.cmd:32:1: tile 0: MVM: src touches ibuf[8180 .. +16), outside the input buffer (8192 "
     "bytes)"},
    // Three segments at 16, 0 and -16: the masked one at -16 is never read.
    {"src=ibuf[0] type=u8 elems=16", "src=ibuf[16] type=u8 elems=16 kx=3 sx=-16 mask=0x3", ""},
    {"src=ibuf[0] type=u8 elems=16", "src=ibuf[16] type=u8 elems=16 kx=3 sx=-16",
     "c.cmd:32:1: tile 0: MVM: src touches ibuf[16 - 32 .. +48), outside the input buffer "
     "(8192 bytes)"},
    {"count=4 type=b1", "count=1025 type=b1",
     "c.cmd:33:1: tile 0: THRESH: count=1025 exceeds the 1024 accumulator entries"},
    {"count=4 type=b1", "count=0 type=b1",
     "c.cmd:33:1: tile 0: THRESH: count=0 must be at least 1"},
    {"count=4 type=b1", "count=4 entry=1021 type=b1",
     "c.cmd:33:1: tile 0: THRESH: threshold entries 1021 + 4 exceed the 1024 entries"},
    {"dst=obuf[0] count=4 type=b1", "dst=obuf[8190] count=16 type=b1", ""},  // 2 bytes
    {"dst=obuf[0] count=4 type=b1", "dst=obuf[8190] count=16 type=t2",
     "c.cmd:33:1: tile 0: THRESH: dst touches obuf[8190 .. +4), outside the output buffer "
     "(8192 bytes)"},
    {"THRESH src=acc[0] dst=obuf[0] count=4 type=b1",
     "ACCADD dst=acc[0] src=obuf[0] type=b1 count=1025",
     "c.cmd:33:1: tile 0: ACCADD: count=1025 exceeds the 1024 accumulator entries"},
    // i32 sources take 4 bytes per element: 8 of them from obuf[8160] end at the last byte.
    {"THRESH src=acc[0] dst=obuf[0] count=4 type=b1",
     "ACCADD dst=acc[0] src=obuf[8160] type=i32 count=8", ""},
    {"THRESH src=acc[0] dst=obuf[0] count=4 type=b1",
     "ACCADD dst=acc[0] src=obuf[8164] type=i32 count=8",
     "c.cmd:33:1: tile 0: ACCADD: src touches obuf[8164 .. +32), outside the output buffer "
     "(8192 bytes)"},
    {"THRESH src=acc[0] dst=obuf[0] count=4 type=b1",
     "POOL dst=acc[1020] src=acc[0] type=i32 elems=8",
     "c.cmd:33:1: tile 0: POOL: dst touches acc[1020 .. +8), outside the accumulator (1024 "
     "entries)"},
    {"THRESH src=acc[0] dst=obuf[0] count=4 type=b1",
     "POOL dst=obuf[0] src=ibuf[0] type=u8 elems=16 kx=2 sx=8180",
     "c.cmd:33:1: tile 0: POOL: src touches ibuf[0 .. +8196), outside the input buffer (8192 "
     "bytes)"},
    {"THRESH src=acc[0] dst=obuf[0] count=4 type=b1",
     "POOL dst=obuf[0] src=ibuf[0] type=u8 elems=16 kx=33",
     "c.cmd:33:1: tile 0: POOL: kx*ky = 33 segments, at most 32"},
    {"bytes=1 sem=0", "bytes=1 sem=16", "c.cmd:35:1: tile 0: SEND: sem=16 outside 0..15"},
    {"bytes=1 sem=0", "bytes=1", ""},  // no semaphore
    {"SEND tile=1", "SEND tile=64",
     "c.cmd:35:1: tile 0: SEND: tile=64 outside the 8x8 mesh (64 tiles)"},
    {"SEND tile=1 dst=ibuf[0]", "SEND tile=1 dst=ibuf[8192]",
     "c.cmd:35:1: tile 0: SEND: dst touches ibuf[8192 .. +1), outside the input buffer (8192 "
     "bytes)"},
    {"SIGNAL tile=0", "SIGNAL tile=99",
     "c.cmd:40:1: tile 1: SIGNAL: tile=99 outside the 8x8 mesh (64 tiles)"},
    {"SIGNAL tile=0 sem=1", "SIGNAL tile=0 sem=20",
     "c.cmd:40:1: tile 1: SIGNAL: sem=20 outside 0..15"},
    {"WAIT sem=0 count=1", "WAIT sem=16", "c.cmd:39:1: tile 1: WAIT: sem=16 outside 0..15"},
    {"WAIT sem=0 count=1", "WAIT sem=0 count=0",
     "c.cmd:39:1: tile 1: WAIT: count=0 must be at least 1"},
    {"bytes=16\n", "bytes=0\n", "c.cmd:31:1: tile 0: LOAD: bytes=0 must be at least 1"},
    {"src=gb[0 + 16*i0]", "src=gb[2097150 + 16*i0]",
     "c.cmd:31:1: tile 0: LOAD: src touches gb[2097150 .. +16) on the first iteration, outside "
     "the global buffer (2097152 bytes)"},
    {"LOAD dst=ibuf[0]", "LOAD dst=ibuf[8177]",
     "c.cmd:31:1: tile 0: LOAD: dst touches ibuf[8177 .. +16), outside the input buffer (8192 "
     "bytes)"},
    {"LOAD dst=ibuf[0]", "LOAD dst=ibuf[8176]", ""},
    {"src=obuf[0] bytes=1\n    SEND", "src=obuf[-1] bytes=1\n    SEND",
     "c.cmd:34:1: tile 0: STORE: src touches obuf[-1 .. +1), outside the output buffer (8192 "
     "bytes)"},
    {"  HALT\n.tile 1", ".tile 1", "c.cmd:27:1: tile 0 does not end with HALT"},
    {".input  x gb=0 ", ".input  x gb=2097140 ",
     "c.cmd:1:1: tensor 'x' at gb[2097140 .. +16) is outside the global buffer (2097152 bytes)"},
    {"y gb=4096", "y gb=8", "c.cmd:2:1: tensor 'y' overlaps tensor 'x' in the global buffer"},
    {"y gb=4096", "y gb=16", ""},
    {"type=u8\n", "type=u8 stride=8\n",
     "c.cmd:1:1: tensor 'x': stride=8 is smaller than one inference (16 bytes)"},
    {".data t0", ".input z gb=4 shape=2 type=u8\n.data t0", ""},  // inputs may share bytes
    {".data t0", ".output z gb=4 shape=2 type=u8\n.data t0",
     "c.cmd:42:1: tensor 'z' overlaps tensor 'x' in the global buffer"},
};

TEST(CheckProgram, EachDefectIsReportedWithItsLine) {
  for (const Case& c : kCases) {
    const std::string text = replaced(base_text(), c.from, c.to);
    const std::string want = *c.message ? c.message : "no error";
    EXPECT_EQ(check_error(text, testing::tile8x8()), want) << c.from << " -> " << c.to;
  }
}

TEST(CheckProgram, TernaryWeightsNeedTwoCellsPerWeight) {
  arch::ChipParams chip = testing::tile8x8();
  const std::string t0 = replaced(base_text(), "WXB xb=0 data=w0", "WXB xb=0 data=t0");
  const std::string t1 = replaced(base_text(), "WXB xb=0 data=w0", "WXB xb=0 data=t1");
  EXPECT_EQ(check_error(t0, chip), "no error");
  chip.tile.crossbar.cells_per_weight = 1;
  EXPECT_EQ(check_error(t0, chip),
            "c.cmd:28:1: tile 0: WXB: data block 't0' holds 0 at [0][1], but crossbars with 1 "
            "cell per weight hold only +1/-1");
  EXPECT_EQ(check_error(t1, chip),
            "c.cmd:28:1: tile 0: WXB: data block 't1' is t2; crossbars with 1 cell per weight "
            "take b1 weights");
  EXPECT_EQ(check_error(base_text(), chip), "no error");  // b1 is fine
}

// mcast bit k adds tile `tile` + 1 + k; a chip whose NoC does not multicast refuses any.
TEST(CheckProgram, AMulticastStaysOnTheMeshOfAChipThatHasOne) {
  arch::ChipParams chip = testing::tile8x8();
  chip.noc.multicast = true;
  const std::string to = replaced(base_text(), "SEND tile=1", "SEND tile=1 mcast=0x80000001");
  EXPECT_EQ(check_error(to, chip), "no error");  // tiles 1, 2 and 33
  const std::string past = replaced(base_text(), "SEND tile=1", "SEND tile=40 mcast=0x80000000");
  EXPECT_EQ(check_error(past, chip),
            "c.cmd:35:1: tile 0: SEND: mcast=0x80000000 reaches tile 72, outside the 8x8 mesh "
            "(64 tiles)");
  chip.noc.multicast = false;
  EXPECT_EQ(check_error(to, chip),
            "c.cmd:35:1: tile 0: SEND: mcast needs a NoC that multicasts (noc.multicast: tree; "
            "this chip's is none)");
}

// MVM reps: the last repetition's input and sums stay in their buffers too; a sequencer
// without mvm_repeat takes none.
TEST(CheckProgram, AnMvmRunStaysInItsBuffersOnAChipThatRepeats) {
  arch::ChipParams chip = testing::tile8x8();
  chip.tile.mvm_repeat = true;
  const std::string mvm = "MVM xb=0 src=ibuf[0] type=u8 elems=16 cols=4 dst=acc[0]";
  const std::string ok = replaced(base_text(), mvm, mvm + " reps=3 sstep=16 dstep=4");
  EXPECT_EQ(check_error(ok, chip), "no error");
  EXPECT_EQ(check_error(replaced(base_text(), mvm, mvm + " reps=3 sstep=16 dstep=511"), chip),
            "c.cmd:32:1: tile 0: MVM: dst of repetition r=2 touches acc[1022 .. +4), outside the "
            "accumulator (1024 entries)");
  EXPECT_EQ(check_error(replaced(base_text(), mvm, mvm + " reps=2 sstep=-16"), chip),
            "c.cmd:32:1: tile 0: MVM: src of repetition r=1 touches ibuf[-16 .. +16), outside the "
            "input buffer (8192 bytes)");
  chip.tile.mvm_repeat = false;
  EXPECT_EQ(check_error(ok, chip),
            "c.cmd:32:1: tile 0: MVM: reps=3 needs a sequencer that repeats MVMs "
            "(tile.sequencer.mvm_repeat: strided; this chip's is none)");
}

TEST(CheckProgram, EmptyTileHasNoHalt) {
  EXPECT_EQ(check_error(".tile 3\n", testing::tile8x8()),
            "c.cmd:1:1: tile 3 does not end with HALT");
}

TEST(CheckProgram, HandBuiltProgramsAreCheckedForStructureToo) {
  Program p;
  p.source_file = "built";
  TileProgram t;
  Command c;
  c.op = Opcode::kEndLoop;
  c.line = 7;
  t.commands.push_back(c);
  p.tiles.push_back(t);
  EXPECT_EQ(error_of<SyntaxError>([&] { check_program(p, testing::tile8x8()); }),
            "built:7:1: tile 0: ENDLOOP: ENDLOOP without LOOP");
  p.tiles[0].commands[0].op = Opcode::kLoad;  // defaults: src in ibuf, not gb
  EXPECT_EQ(error_of<SyntaxError>([&] { check_program(p, testing::tile8x8()); }),
            "built:7:1: tile 0: LOAD: LOAD src must be in gb, not ibuf");
}

TEST(CheckProgram, BinaryProgramsReportLineZero) {
  Program p = assemble(replaced(base_text(), "WXB xb=0", "WXB xb=9"), "c.cmd");
  p = decode(encode(p), "c.imcb");
  EXPECT_EQ(error_of<SyntaxError>([&] { check_program(p, testing::tile8x8()); }),
            "c.imcb:0:1: tile 0: WXB: xb=9 but a tile has 4 crossbars");
}

}  // namespace
}  // namespace imc::isa
