// The guarantees of assembler.h on 200 random programs:
//   assemble(disassemble(P)) == P, disassemble is a fixed point byte for byte,
//   decode(encode(P)) == P, encode(assemble(disassemble(decode(B)))) == B.
#include <gtest/gtest.h>

#include <map>
#include <random>
#include <set>

#include "hw/isa/assembler.h"
#include "hw/isa/operands.h"
#include "random_program.h"

namespace imc::isa {
namespace {

constexpr int kPrograms = 200;

TEST(RoundTrip, TextAndBinaryOnRandomPrograms) {
  testing::RandomProgram gen(20240601);
  for (int i = 0; i < kPrograms; ++i) {
    SCOPED_TRACE("program " + std::to_string(i));
    const Program p = gen.next();
    const std::string text = disassemble(p);
    const Program back = assemble(text, "random.cmd");
    ASSERT_EQ(back, p) << text;
    ASSERT_EQ(disassemble(back), text);

    const std::vector<uint8_t> image = encode(p);
    const Program decoded = decode(image, "random.imcb");
    ASSERT_EQ(decoded, p);
    ASSERT_EQ(encode(assemble(disassemble(decode(image, "b")), "t")), image);
  }
}

TEST(RoundTrip, LineNumbersFollowTheCanonicalText) {
  testing::RandomProgram gen(5);
  const Program p = gen.next();
  const std::string text = disassemble(p);
  const Program back = assemble(text, "x.cmd");
  // Each command's line holds its mnemonic.
  std::vector<std::string> lines;
  size_t start = 0;
  for (size_t end; (end = text.find('\n', start)) != std::string::npos; start = end + 1) {
    lines.push_back(text.substr(start, end - start));
  }
  for (const TileProgram& t : back.tiles) {
    EXPECT_EQ(lines.at(t.line - 1), ".tile " + std::to_string(t.tile));
    for (const Command& c : t.commands) {
      EXPECT_NE(lines.at(c.line - 1).find(to_string(c.op)), std::string::npos);
    }
  }
}

// The generator must reach every opcode and every operand away from its default, or the
// round trips above prove less than they claim.
TEST(RoundTrip, GeneratorCoversEveryOpcodeAndOperand) {
  testing::RandomProgram gen(20240601);
  std::set<Opcode> ops;
  std::set<std::pair<Opcode, std::string>> non_default;
  std::set<DType> data_types, tensor_types;
  std::set<Space> spaces;
  int strides = 0, rotations = 0, batch_loops = 0;
  for (int i = 0; i < kPrograms; ++i) {
    const Program p = gen.next();
    for (const DataBlock& b : p.data) data_types.insert(b.type);
    for (const TensorDecl& t : p.inputs) tensor_types.insert(t.type);
    for (const TileProgram& t : p.tiles) {
      for (const Command& c : t.commands) {
        ops.insert(c.op);
        if (c.op == Opcode::kLoop && c.count == kBatch) ++batch_loops;
        for (const OperandSpec& o : spec_of(c.op).operands) {
          if (o.kind == OperandKind::kAddr) {
            const Addr& a = addr_field(c, o.field);
            spaces.insert(a.space);
            for (int64_t s : a.stride) strides += s != 0;
            rotations += a.rot.depth >= 0;
            continue;
          }
          if (o.required || get_field(c, o.field) != o.default_value) {
            non_default.insert({c.op, o.name});
          }
        }
      }
    }
  }
  EXPECT_EQ(ops.size(), static_cast<size_t>(kOpcodeCount));
  for (int op = 0; op < kOpcodeCount; ++op) {
    for (const OperandSpec& o : spec_of(static_cast<Opcode>(op)).operands) {
      if (o.kind == OperandKind::kAddr) continue;
      EXPECT_TRUE(non_default.count({static_cast<Opcode>(op), o.name}))
          << to_string(static_cast<Opcode>(op)) << " " << o.name;
    }
  }
  EXPECT_EQ(data_types.size(), 5u);
  EXPECT_EQ(tensor_types.size(), 5u);
  EXPECT_EQ(spaces.size(), 4u);
  EXPECT_GT(strides, 100);
  EXPECT_GT(rotations, 20);
  EXPECT_GT(batch_loops, 10);
}

// Mangled text either fails with a SyntaxError or gives a well-formed program that survives
// its own round trip; never another exception, never a crash.
TEST(RoundTrip, MangledTextFailsCleanlyOrRoundTrips) {
  testing::RandomProgram gen(99);
  std::mt19937 rng(4);
  const std::string alphabet = "+-0123456789xi*[]()%=# \n.abcdefgilmnoprstuyABCDEHILMOPRSTW\"";
  int parsed = 0;
  for (int i = 0; i < 40; ++i) {
    const std::string text = disassemble(gen.next());
    for (int k = 0; k < 50; ++k) {
      std::string bad = text;
      const int edits = 1 + static_cast<int>(rng() % 3);
      for (int e = 0; e < edits; ++e) {
        const size_t at = rng() % bad.size();
        const char c = alphabet[rng() % alphabet.size()];
        switch (rng() % 3) {
          case 0:
            bad[at] = c;
            break;
          case 1:
            bad.insert(bad.begin() + static_cast<std::ptrdiff_t>(at), c);
            break;
          case 2:
            bad.erase(at, 1 + rng() % 8);
            break;
        }
      }
      try {
        const Program p = assemble(bad, "m.cmd");
        ++parsed;
        const std::string again = disassemble(p);
        EXPECT_EQ(assemble(again, "m2.cmd"), p);
        EXPECT_EQ(decode(encode(p), "m.imcb"), p);
      } catch (const SyntaxError& e) {
        EXPECT_EQ(std::string(e.what()).rfind("m.cmd:", 0), 0u) << e.what();
      }
    }
  }
  EXPECT_GT(parsed, 100);
}

}  // namespace
}  // namespace imc::isa
