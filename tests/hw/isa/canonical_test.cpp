// disassemble() prints one fixed text for a program, whatever the input looked like.
#include <gtest/gtest.h>

#include "hw/isa/assembler.h"

namespace imc::isa {
namespace {

constexpr const char* kMessy = R"(# a hand-written program, formatted loosely
.output y gb=0x1000 shape=10 type=i32 stride=0x40
.input  x  gb=0x0    shape=1x784 type=u8 stride=784    # the default stride
.data th0 type=i32 shape=2x3
 0   0 0
-2 5 1
.end
.tile 0
  wxb data=w0 col=0 xb=0 row=3
  WTH data=th0
  loop count=batch
    LOAD bytes=98 src=gb[98*i0+0x0] dst=ibuf[0]
    LOOP count=3
      MVM acc=1 dst=acc[16*i1] cols=16 mask=4294967295 type=b1 src=ibuf[0*i0 + 2*i1] elems=256 xb=0
      MVM xb=1 src=obuf[7] type=i8 elems=3 kx=3 sx=3 ky=2 sy=-9 mask=63 row=1 col=2 cols=4 dst=acc[0] shift=1 acc=0
      ACCADD dst=acc[0] src=obuf[0] type=t2 count=16 scale=1
    ENDLOOP
    THRESH src=acc[0] dst=obuf[0] count=128 entry=0 type=b1
    POOL dst=acc[4] src=acc[0] type=i32 elems=4 kx=2 sx=4 sy=0
    COPY dst=obuf[0] src=ibuf[-0] bytes=1
    STORE dst=gb[4096 + 16*i0 - 0*i0] src=obuf[0] bytes=16
    SEND tile=1 dst=ibuf[0] src=obuf[0] bytes=16 sem=-1
    SEND tile=1 dst=ibuf[0] src=obuf[0] bytes=16 sem=3
    SIGNAL sem=2 tile=9
    WAIT sem=2 count=1
    WAIT sem=2 count=4
  ENDLOOP
  HALT
.data w0 type=t2 shape=2x3
+ 0 -
0-+
.end
.tile 7
)";

constexpr const char* kCanonical = R"(# imcsim program, canonical text (docs/isa.md)
.input x gb=0 shape=1x784 type=u8
.output y gb=4096 shape=10 type=i32 stride=64

.data th0 type=i32 shape=2x3
0 0 0
-2 5 1
.end

.data w0 type=t2 shape=2x3
+0-
0-+
.end

.tile 0
  WXB xb=0 row=3 data=w0
  WTH data=th0
  LOOP count=batch
    LOAD dst=ibuf[0] src=gb[0 + 98*i0] bytes=98
    LOOP count=3
      MVM xb=0 src=ibuf[0 + 2*i1] type=b1 elems=256 cols=16 dst=acc[0 + 16*i1] acc=1
      MVM xb=1 src=obuf[7] type=i8 elems=3 kx=3 sx=3 ky=2 sy=-9 mask=0x3f row=1 col=2 cols=4 dst=acc[0] shift=1
      ACCADD dst=acc[0] src=obuf[0] type=t2 count=16
    ENDLOOP
    THRESH src=acc[0] dst=obuf[0] count=128 type=b1
    POOL dst=acc[4] src=acc[0] type=i32 elems=4 kx=2 sx=4
    COPY dst=obuf[0] src=ibuf[0] bytes=1
    STORE dst=gb[4096 + 16*i0] src=obuf[0] bytes=16
    SEND tile=1 dst=ibuf[0] src=obuf[0] bytes=16
    SEND tile=1 dst=ibuf[0] src=obuf[0] bytes=16 sem=3
    SIGNAL tile=9 sem=2
    WAIT sem=2
    WAIT sem=2 count=4
  ENDLOOP
  HALT

.tile 7
)";

TEST(Canonical, HandWrittenProgramPrintsTheExpectedText) {
  const Program p = assemble(kMessy, "messy.cmd");
  EXPECT_EQ(disassemble(p), kCanonical);
}

TEST(Canonical, CanonicalTextIsAFixedPoint) {
  EXPECT_EQ(disassemble(assemble(kCanonical, "c.cmd")), kCanonical);
  EXPECT_EQ(assemble(kCanonical, "c.cmd"), assemble(kMessy, "m.cmd"));
}

TEST(Canonical, NegativeAndExtremeAddresses) {
  Program p;
  TileProgram t;
  Command c;
  c.op = Opcode::kLoop;
  c.count = 2;
  t.commands.push_back(c);
  c = Command{};
  c.op = Opcode::kCopy;
  c.bytes = 1;
  c.dst.space = Space::kObuf;
  c.dst.base = -5;
  c.dst.stride[0] = std::numeric_limits<int64_t>::min();
  c.src.base = std::numeric_limits<int64_t>::min();
  c.src.stride[0] = -1;
  t.commands.push_back(c);
  c = Command{};
  c.op = Opcode::kEndLoop;
  t.commands.push_back(c);
  p.tiles.push_back(t);
  const std::string text = disassemble(p);
  EXPECT_NE(text.find("COPY dst=obuf[-5 - 9223372036854775808*i0] "
                      "src=ibuf[-9223372036854775808 - 1*i0] bytes=1\n"),
            std::string::npos)
      << text;
  EXPECT_EQ(assemble(text, "x"), p);
}

TEST(Canonical, UnwritableProgramsAreRefused) {
  Program p;
  DataBlock b{"w", DType::kB1, 1, 2, {1, 0}};  // 0 is not a b1 value
  p.data.push_back(b);
  EXPECT_THROW(disassemble(p), std::invalid_argument);
  EXPECT_THROW(encode(p), std::invalid_argument);
  p.data[0].values = {1, -1};
  TileProgram t;
  Command c;
  c.op = Opcode::kWxb;
  c.data = 3;  // no such block
  t.commands.push_back(c);
  p.tiles.push_back(t);
  EXPECT_THROW(disassemble(p), std::invalid_argument);
}

}  // namespace
}  // namespace imc::isa
