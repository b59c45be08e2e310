// The binary image: its exact layout, its validation, and load_program's format detection.
#include <gtest/gtest.h>

#include <random>

#include "hw/isa/assembler.h"
#include "isa_test_util.h"
#include "random_program.h"

namespace imc::isa {
namespace {

using testing::error_of;

std::vector<uint8_t> bytes(std::initializer_list<int> v) {
  return std::vector<uint8_t>(v.begin(), v.end());
}
std::vector<uint8_t> operator+(std::vector<uint8_t> a, const std::vector<uint8_t>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}
std::vector<uint8_t> tag(const char* t) {
  return std::vector<uint8_t>(t, t + 4);
}

const std::vector<uint8_t> kHeader = tag("IMCB") + bytes({8, 0, 0, 0});

std::string decode_error(const std::vector<uint8_t>& image) {
  return error_of<SyntaxError>([&] { decode(image, "f.imcb"); });
}

TEST(BinaryImage, LayoutOfASmallProgram) {
  const Program p = assemble(
      ".data w type=t2 shape=1x3\n+-0\n.end\n"
      ".input x gb=16 shape=2x3 type=u8 stride=8\n"
      ".tile 2\n"
      "  LOOP count=batch\n"
      "    LOAD dst=ibuf[0 + 16*i0] src=gb[-1] bytes=98\n"
      "  ENDLOOP\n"
      "  HALT\n",
      "p.cmd");
  const std::vector<uint8_t> want =
      kHeader + tag("DATA") + bytes({1, 1, 'w', 1, 1, 3, 0b001101}) +  // t2 codes 01 11 00
      tag("INPT") + bytes({1, 1, 'x', 2, 16, 2, 2, 3, 8, 0}) + tag("OUTP") + bytes({0}) +
      tag("TILE") + bytes({1, 2, 4}) +                   // tile 2, 4 commands
      bytes({12, 1}) +                                   // LOOP count=batch (zigzag -1 = 1)
      bytes({2, 0x11, 0, 32, 0x00, 1, 0xC4, 0x01, 0}) +  // LOAD ibuf+stride i0, gb, bytes=98,
                                                         // notlast=0
      bytes({13}) + bytes({14}) + tag("END.");
  EXPECT_EQ(encode(p), want);
  EXPECT_EQ(decode(want, "p.imcb"), p);
  EXPECT_EQ(decode(want, "p.imcb").source_file, "p.imcb");
}

TEST(BinaryImage, EmptyProgram) {
  const std::vector<uint8_t> image = kHeader + tag("DATA") + bytes({0}) + tag("INPT") + bytes({0}) +
                                     tag("OUTP") + bytes({0}) + tag("TILE") + bytes({0}) +
                                     tag("END.");
  EXPECT_EQ(encode(Program{}), image);
  EXPECT_EQ(decode(image, "e"), Program{});
}

// A valid image to corrupt: tile 0 holding `cmds`.
std::vector<uint8_t> with_commands(const std::vector<uint8_t>& cmds, int n, int data = 0) {
  std::vector<uint8_t> d = bytes({data});
  if (data) d = d + bytes({1, 'w', 0, 1, 1, 0x01});  // b1 1x1 {+1}
  return kHeader + tag("DATA") + d + tag("INPT") + bytes({0}) + tag("OUTP") + bytes({0}) +
         tag("TILE") + bytes({1, 0, n}) + cmds + tag("END.");
}

TEST(BinaryImage, DecodeRefusesBadImages) {
  EXPECT_EQ(decode_error(bytes({'I', 'M', 'C'})),
            "f.imcb: byte 0: not an imcsim binary program (bad magic)");
  EXPECT_EQ(decode_error(tag("IMCX") + bytes({1, 0, 0, 0})),
            "f.imcb: byte 0: not an imcsim binary program (bad magic)");
  EXPECT_EQ(decode_error(tag("IMCB") + bytes({9, 0, 0, 0})),
            "f.imcb: byte 4: unsupported version 9 (this build reads 8; re-encode the .cmd)");
  EXPECT_EQ(decode_error(tag("IMCB") + bytes({1, 0, 0, 0})),  // before LOAD had notlast
            "f.imcb: byte 4: unsupported version 1 (this build reads 8; re-encode the .cmd)");
  EXPECT_EQ(decode_error(tag("IMCB") + bytes({2, 0, 0, 0})),  // before SEND and WAIT had it
            "f.imcb: byte 4: unsupported version 2 (this build reads 8; re-encode the .cmd)");
  EXPECT_EQ(decode_error(tag("IMCB") + bytes({3, 0, 0, 0})),  // before altsem
            "f.imcb: byte 4: unsupported version 3 (this build reads 8; re-encode the .cmd)");
  EXPECT_EQ(decode_error(tag("IMCB") + bytes({4, 0, 0, 0})),  // before notlast counted
            "f.imcb: byte 4: unsupported version 4 (this build reads 8; re-encode the .cmd)");
  EXPECT_EQ(decode_error(tag("IMCB") + bytes({5, 0, 0, 0})),  // before rotation offsets
            "f.imcb: byte 4: unsupported version 5 (this build reads 8; re-encode the .cmd)");
  EXPECT_EQ(decode_error(tag("IMCB") + bytes({6, 0, 0, 0})),  // before MVM reps
            "f.imcb: byte 4: unsupported version 6 (this build reads 8; re-encode the .cmd)");
  EXPECT_EQ(decode_error(tag("IMCB") + bytes({7, 0, 0, 0})),  // before thirdsem
            "f.imcb: byte 4: unsupported version 7 (this build reads 8; re-encode the .cmd)");
  EXPECT_EQ(decode_error(tag("IMCB") + bytes({8, 0, 1, 0})),
            "f.imcb: byte 6: reserved flags must be 0");
  EXPECT_EQ(decode_error(kHeader + tag("DATB")), "f.imcb: byte 8: expected section 'DATA'");
  EXPECT_EQ(decode_error(kHeader + tag("DATA")),
            "f.imcb: byte 12: truncated: expected data block count");
  EXPECT_EQ(decode_error(with_commands(bytes({99}), 1)),
            "f.imcb: byte 30: opcode 99 does not exist");
  EXPECT_EQ(decode_error(with_commands(bytes({13}), 1)), "f.imcb: byte 30: ENDLOOP without LOOP");
  EXPECT_EQ(decode_error(with_commands(bytes({12, 4, 14}), 2)),
            "f.imcb: byte 30: LOOP without ENDLOOP before the end of tile 0");
  EXPECT_EQ(decode_error(with_commands(bytes({12, 0}), 1)),
            "f.imcb: byte 31: LOOP: count=0 is out of range (1 to 9223372036854775807)");
  // LOAD with src in ibuf.
  EXPECT_EQ(decode_error(with_commands(bytes({2, 1, 0, 1, 0, 8}), 1)),
            "f.imcb: byte 33: LOAD: LOAD src must be in gb, not ibuf");
  // A stride on i0 outside any LOOP.
  EXPECT_EQ(decode_error(with_commands(bytes({2, 0x11, 0, 2, 0, 0, 8}), 1)),
            "f.imcb: byte 31: LOAD: i0 needs 1 enclosing LOOPs, this command has 0");
  EXPECT_EQ(decode_error(with_commands(bytes({12, 2, 2, 0x11, 0, 0, 0, 0, 8, 13}), 3)),
            "f.imcb: byte 35: dst: zero stride marked present");
  EXPECT_EQ(decode_error(with_commands(bytes({2, 0x09, 0, 0, 0, 8}), 1)),
            "f.imcb: byte 31: dst: reserved address bit set");
  // Rotations (depth, period, stride, offset): (i0%1) inside a LOOP, (i0%2) outside any, a
  // zero rotation stride, ((i0+2)%2).
  EXPECT_EQ(decode_error(with_commands(bytes({12, 2, 2, 0x05, 0, 0, 1, 2, 0, 0, 0, 8, 13}), 3)),
            "f.imcb: byte 33: LOAD: rotation period must be at least 2, not 1");
  EXPECT_EQ(decode_error(with_commands(bytes({2, 0x05, 0, 0, 2, 2, 0, 0, 0, 8}), 1)),
            "f.imcb: byte 31: LOAD: (i0%2) needs 1 enclosing LOOPs, this command has 0");
  EXPECT_EQ(decode_error(with_commands(bytes({12, 2, 2, 0x05, 0, 0, 2, 0, 0, 0, 0, 8, 13}), 3)),
            "f.imcb: byte 33: LOAD: rotation with a zero stride");
  EXPECT_EQ(decode_error(with_commands(bytes({12, 2, 2, 0x05, 0, 0, 2, 2, 2, 0, 0, 8, 13}), 3)),
            "f.imcb: byte 33: LOAD: rotation offset must be 0..1, not 2");
  // WXB naming data block 3 of 1.
  EXPECT_EQ(decode_error(with_commands(bytes({0, 0, 0, 0, 6}), 1, 1)),
            "f.imcb: byte 40: WXB: data block 3 does not exist (1 blocks)");
  // An overlong varint: 0x80 0x00 for 0.
  EXPECT_EQ(decode_error(with_commands(bytes({7, 0x80, 0x00, 2}), 1)),
            "f.imcb: byte 31: sem: overlong varint");
  EXPECT_EQ(decode_error(with_commands(bytes({14}), 1) + bytes({0})),
            "f.imcb: byte 35: 1 bytes of junk after the end");
}

TEST(BinaryImage, DecodeRefusesNonCanonicalData) {
  // t2 1x1 with code 10, which reads as 0 but is never written.
  const std::vector<uint8_t> t2 = kHeader + tag("DATA") + bytes({1, 1, 'w', 1, 1, 1, 0b10}) +
                                  tag("INPT") + bytes({0}) + tag("OUTP") + bytes({0}) +
                                  tag("TILE") + bytes({0}) + tag("END.");
  EXPECT_EQ(decode_error(t2), "f.imcb: byte 18: data block 'w': non-canonical packed values");
  // b1 1x1 with a padding bit set.
  std::vector<uint8_t> b1 = t2;
  b1[15] = 0;
  b1[18] = 0b11;
  EXPECT_EQ(decode_error(b1), "f.imcb: byte 18: data block 'w': non-canonical packed values");
  std::vector<uint8_t> bad_type = t2;
  bad_type[15] = 5;
  EXPECT_EQ(decode_error(bad_type), "f.imcb: byte 15: data type 5 does not exist");
}

TEST(BinaryImage, EveryTruncationIsAnErrorNotACrash) {
  testing::RandomProgram gen(11);
  for (int i = 0; i < 20; ++i) {
    const std::vector<uint8_t> image = encode(gen.next());
    for (size_t n = 0; n < image.size(); ++n) {
      const std::vector<uint8_t> cut(image.begin(), image.begin() + n);
      EXPECT_THROW(decode(cut, "cut"), SyntaxError) << n;
    }
  }
}

// Flipped bytes either fail cleanly or decode to a program that encodes back to the same
// image: decode accepts only canonical images.
TEST(BinaryImage, CorruptedImagesFailOrReencodeExactly) {
  testing::RandomProgram gen(12);
  std::mt19937 rng(3);
  int decoded = 0;
  for (int i = 0; i < 50; ++i) {
    const std::vector<uint8_t> image = encode(gen.next());
    for (int k = 0; k < 40; ++k) {
      std::vector<uint8_t> bad = image;
      bad[rng() % bad.size()] ^= static_cast<uint8_t>(1u << (rng() % 8));
      try {
        const Program p = decode(bad, "x");
        EXPECT_EQ(encode(p), bad);
        ++decoded;
      } catch (const SyntaxError&) {
      }
    }
  }
  EXPECT_GT(decoded, 0);
}

TEST(BinaryImage, LoadProgramDetectsTextAndBinary) {
  testing::ScratchDir dir("binary");
  const std::string text = ".tile 1\n  WAIT sem=2\n  HALT\n";
  const Program p = assemble(text, "x");
  const std::vector<uint8_t> image = encode(p);
  const std::string bin = dir.write("p.imcb", std::string(image.begin(), image.end()));
  const std::string cmd = dir.write("p.cmd", text);
  EXPECT_EQ(load_program(bin), p);
  EXPECT_EQ(load_program(cmd), p);
  EXPECT_EQ(load_program(cmd).tiles[0].commands[0].line, 2);
  EXPECT_EQ(load_program(bin).tiles[0].commands[0].line, 0);
  EXPECT_EQ(error_of<arch::InputError>([&] { load_program(dir.file("none.cmd")); }),
            dir.file("none.cmd") + ": cannot read: No such file or directory");
  const std::string bad = dir.write("bad.imcb", "IMCB\x07");
  EXPECT_EQ(error_of<SyntaxError>([&] { load_program(bad); }),
            bad + ": byte 5: truncated: expected version");
}

}  // namespace
}  // namespace imc::isa
