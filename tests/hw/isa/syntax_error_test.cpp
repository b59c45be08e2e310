// Malformed text: each case asserts the whole message, FILE:LINE:COLUMN first.
#include <gtest/gtest.h>

#include "hw/isa/assembler.h"
#include "hw/isa/npy.h"
#include "isa_test_util.h"

namespace imc::isa {
namespace {

using testing::error_of;

std::string error(const std::string& text) {
  return error_of<SyntaxError>([&] { assemble(text, "bad.cmd"); });
}

struct Case {
  const char* name;
  const char* text;
  const char* message;
};

// Line 1 of every case is a tile header unless the case is about directives.
const Case kCases[] = {
    {"UnknownMnemonic", ".tile 0\n  FOO x=1\n", "bad.cmd:2:3: unknown mnemonic 'FOO'"},
    {"UnknownOperand", ".tile 0\n  LOAD dst=ibuf[0] src=gb[0] bytes=4 foo=1\n",
     "bad.cmd:2:38: unknown operand 'foo' for LOAD"},
    {"MissingOperand", ".tile 0\n  LOAD dst=ibuf[0] bytes=4\n",
     "bad.cmd:2:3: LOAD needs operand 'src'"},
    {"DuplicateOperand", ".tile 0\n  WAIT sem=1 sem=2\n", "bad.cmd:2:14: duplicate operand 'sem'"},
    {"BadInteger", ".tile 0\n  WAIT sem=1x\n", "bad.cmd:2:12: bad integer '1x'"},
    {"NegativeBytes", ".tile 0\n  COPY dst=ibuf[0] src=obuf[0] bytes=-5\n",
     "bad.cmd:2:38: bytes=-5 is out of range (0 to 9223372036854775807)"},
    {"IntOverflow", ".tile 0\n  WXB xb=99999999999 data=w\n",
     "bad.cmd:2:10: xb=99999999999 is out of range (0 to 2147483647)"},
    {"Int64Overflow", ".tile 0\n  WAIT sem=0 count=9223372036854775808\n",
     "bad.cmd:2:20: count=9223372036854775808 is out of range (0 to 9223372036854775807)"},
    {"ShiftRange", ".tile 0\n  MVM xb=0 src=ibuf[0] type=b1 elems=1 cols=1 dst=acc[0] shift=32\n",
     "bad.cmd:2:64: shift=32 is out of range (0 to 31)"},
    {"WrongSpace", ".tile 0\n  LOAD dst=ibuf[0] src=ibuf[0] bytes=4\n",
     "bad.cmd:2:24: LOAD src must be in gb, not ibuf"},
    {"UnknownSpace", ".tile 0\n  LOAD dst=xbuf[0] src=gb[0] bytes=4\n",
     "bad.cmd:2:12: unknown space 'xbuf' (gb, ibuf, obuf or acc)"},
    {"TypeNotAllowed", ".tile 0\n  MVM xb=0 src=ibuf[0] type=i32 elems=1 cols=1 dst=acc[0]\n",
     "bad.cmd:2:29: type=i32 is not allowed for MVM (b1, t2, u8, i8)"},
    {"UnknownType", ".data w type=b2 shape=1x1\n",
     "bad.cmd:1:14: unknown type 'b2' (b1, t2, u8, i8 or i32)"},
    {"PoolAccNeedsI32", ".tile 0\n  POOL dst=obuf[0] src=acc[0] type=u8 elems=4\n",
     "bad.cmd:2:24: POOL src in acc needs type=i32, not u8"},
    {"UnknownDataBlock", ".tile 0\n  HALT\n  WXB xb=0 data=nope\n",
     "bad.cmd:3:17: unknown data block 'nope'"},
    {"DuplicateData", ".data w type=b1 shape=1x1\n+\n.end\n.data w type=b1 shape=1x1\n+\n.end\n",
     "bad.cmd:4:7: duplicate data block 'w'"},
    {"DuplicateTensor", ".input x gb=0 shape=4 type=u8\n.output x gb=8 shape=4 type=u8\n",
     "bad.cmd:2:9: duplicate tensor 'x'"},
    {"DuplicateTile", ".tile 3\n  HALT\n.tile 3\n", "bad.cmd:3:7: duplicate .tile 3"},
    {"TooFewValuesInRow", ".data w type=b1 shape=2x3\n+-+\n+-\n.end\n",
     "bad.cmd:3:1: row 2 of data block 'w' has 2 values, shape says 3"},
    {"TooManyValuesInRow", ".data w type=i32 shape=1x2\n1 2 3\n.end\n",
     "bad.cmd:2:5: row 1 of data block 'w' has more than 2 values"},
    {"TooFewRows", ".data w type=b1 shape=2x1\n+\n.end\n",
     "bad.cmd:3:1: data block 'w' has 1 rows, shape says 2"},
    {"TooManyRows", ".data w type=b1 shape=1x1\n+\n  -\n.end\n",
     "bad.cmd:3:3: data block 'w' has more than 1 rows"},
    {"TwoInB1", ".data w type=b1 shape=1x3\n+2-\n.end\n",
     "bad.cmd:2:2: '2' is not a b1 value (+ or -)"},
    {"ZeroInB1", ".data w type=b1 shape=1x3\n+0-\n.end\n",
     "bad.cmd:2:2: '0' is not a b1 value (+ or -)"},
    {"ValueDoesNotFitU8", ".data w type=u8 shape=1x2\n1 300\n.end\n",
     "bad.cmd:2:3: 300 does not fit u8"},
    {"EndMissingAtEof", "# w\n.data w type=t2 shape=1x1\n0\n",
     "bad.cmd:2:1: data block 'w' has no .end"},
    {"DirectiveInsideBody", ".data w type=t2 shape=1x1\n0\n.tile 0\n",
     "bad.cmd:3:1: expected .end of data block 'w' (line 1) before '.tile'"},
    {"EndWithoutData", ".end\n", "bad.cmd:1:1: .end without .data"},
    {"EndloopWithoutLoop", ".tile 0\n  ENDLOOP\n", "bad.cmd:2:3: ENDLOOP without LOOP"},
    {"LoopWithoutEndloopAtNextTile", ".tile 0\n  LOOP count=2\n  HALT\n.tile 1\n",
     "bad.cmd:2:3: LOOP without ENDLOOP before the end of tile 0"},
    {"LoopWithoutEndloopAtEof", ".tile 4\n  LOOP count=2\n  LOOP count=3\n  ENDLOOP\n",
     "bad.cmd:2:3: LOOP without ENDLOOP before the end of tile 4"},
    {"NestingDeeperThan4",
     ".tile 0\nLOOP count=2\nLOOP count=2\nLOOP count=2\nLOOP count=2\n LOOP count=2\n",
     "bad.cmd:6:2: LOOP nesting deeper than 4"},
    {"LoopCountZero", ".tile 0\n  LOOP count=0\n",
     "bad.cmd:2:14: count=0 is out of range (1 to 9223372036854775807)"},
    {"CommandBeforeTile", "# header\n  HALT\n", "bad.cmd:2:3: command 'HALT' before any .tile"},
    {"JunkAfterCommand", ".tile 0\n  HALT now\n",
     "bad.cmd:2:8: junk after HALT: 'now' is not a key=value operand"},
    {"JunkAfterTile", ".tile 0 1\n", "bad.cmd:1:9: junk after .tile: '1'"},
    {"UnknownDirective", ".tiles 0\n",
     "bad.cmd:1:1: unknown directive '.tiles' (.input .output .data .tile .end)"},
    {"StrideDeeperThanNesting",
     ".tile 0\n  LOOP count=2\n    COPY dst=ibuf[0 + 4*i1] src=obuf[0] bytes=4\n  ENDLOOP\n",
     "bad.cmd:3:25: i1 needs 2 enclosing LOOPs, this command has 1"},
    {"RotationPeriodOne",
     ".tile 0\n  LOOP count=2\n    COPY dst=ibuf[0 + 4*(i0%1)] src=obuf[0] bytes=4\n  ENDLOOP\n",
     "bad.cmd:3:29: rotation period must be at least 2"},
    {"RotationOutsideItsLoop",
     ".tile 0\n  LOOP count=2\n    COPY dst=ibuf[4*(i1%2)] src=obuf[0] bytes=4\n  ENDLOOP\n",
     "bad.cmd:3:22: i1 needs 2 enclosing LOOPs, this command has 1"},
    {"TwoRotations",
     ".tile 0\n  LOOP count=2\n    COPY dst=ibuf[(i0%2) + 8*(i0%3)] src=obuf[0] bytes=4\n"
     "  ENDLOOP\n",
     "bad.cmd:3:28: more than one (iD%K) term"},
    {"RotationWithoutClosingParen",
     ".tile 0\n  LOOP count=2\n    COPY dst=ibuf[4*(i0%2] src=obuf[0] bytes=4\n  ENDLOOP\n",
     "bad.cmd:3:26: expected ')' after (iD%K"},
    {"RotationOffsetNotBelowThePeriod",
     ".tile 0\n  LOOP count=2\n    COPY dst=ibuf[4*((i0+3)%3)] src=obuf[0] bytes=4\n  ENDLOOP\n",
     "bad.cmd:3:25: rotation offset 3 must be less than the period 3"},
    {"RotationOffsetWithoutPlus",
     ".tile 0\n  LOOP count=2\n    COPY dst=ibuf[4*((i0-1)%3)] src=obuf[0] bytes=4\n  ENDLOOP\n",
     "bad.cmd:3:25: expected '+' in ((iD+O)%K)"},
    {"NoSuchLoopIndex", ".tile 0\n  COPY dst=ibuf[i4] src=obuf[0] bytes=4\n",
     "bad.cmd:2:17: loop index i4 does not exist (i0..i3)"},
    {"MissingBracket", ".tile 0\n  LOAD dst=ibuf[0] src=gb[0 bytes=4\n",
     "bad.cmd:2:24: missing ']' in 'gb[0 bytes=4'"},
    {"BracketSwallowsTheNextOperand", ".tile 0\n  COPY dst=ibuf[0 src=obuf[0] bytes=4\n",
     "bad.cmd:2:19: expected + or - between address terms"},
    {"BadAddressTerm", ".tile 0\n  COPY dst=ibuf[4 4] src=obuf[0] bytes=4\n",
     "bad.cmd:2:19: expected + or - between address terms"},
    {"MissingValue", ".tile 0\n  WAIT sem=\n", "bad.cmd:2:12: missing value after 'sem'="},
    {"UnterminatedString", ".data w type=b1 shape=1x1 file=\"w.npy\n",
     "bad.cmd:1:32: unterminated string"},
    {"TensorNeedsShape", ".input x gb=0 type=u8\n", "bad.cmd:1:1: .input needs shape="},
    {"BadShape", ".input x gb=0 shape=1x0x3 type=u8\n",
     "bad.cmd:1:23: shape=0 is out of range (1 to 9223372036854775807)"},
    {"DataShapeNot2D", ".data w type=u8 shape=4\n",
     "bad.cmd:1:23: data shape must be ROWSxCOLS, not '4'"},
    {"BadName", ".data 9w type=u8 shape=1x1\n",
     "bad.cmd:1:7: bad name '9w' (letters, digits, _ . -)"},
};

TEST(SyntaxErrors, EachCaseNamesFileLineAndColumn) {
  for (const Case& c : kCases) {
    EXPECT_EQ(error(c.text), c.message) << c.name;
  }
}

TEST(SyntaxErrors, MissingNpyNamesTheLineAndTheFile) {
  testing::ScratchDir dir("syntax");
  const std::string prog =
      dir.write("p.cmd", "# weights\n.data w type=t2 shape=2x2 file=\"missing.npy\"\n");
  const std::string e = error_of<SyntaxError>([&] { assemble_file(prog); });
  EXPECT_TRUE(testing::starts_with(
      e, prog + ":2:33: " + dir.file("missing.npy") + ": cannot read: No such file"))
      << e;
}

TEST(SyntaxErrors, NpyOfTheWrongShapeOrValues) {
  testing::ScratchDir dir("syntax");
  write_npy_i32(dir.file("w.npy"), {2, 3}, {1, 0, -1, 1, 1, 1});
  write_npy_i32(dir.file("v.npy"), {1, 2}, {1, 2});
  const std::string shape = dir.write("s.cmd", ".data w type=t2 shape=3x2 file=\"w.npy\"\n");
  EXPECT_EQ(error_of<SyntaxError>([&] { assemble_file(shape); }),
            shape + ":1:33: " + dir.file("w.npy") + ": shape (2, 3) does not match shape=3x2");
  const std::string value = dir.write("v.cmd", ".data v type=t2 shape=1x2 file=v.npy\n");
  EXPECT_EQ(error_of<SyntaxError>([&] { assemble_file(value); }),
            value + ":1:32: " + dir.file("v.npy") + ": element 1 is 2, not a t2 value");
}

TEST(SyntaxErrors, UnreadableProgramIsAnInputError) {
  const std::string e = error_of<arch::InputError>([] { assemble_file("/nonexistent/dir/p.cmd"); });
  EXPECT_EQ(e, "/nonexistent/dir/p.cmd: cannot read: No such file or directory");
}

}  // namespace
}  // namespace imc::isa
