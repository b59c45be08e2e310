// --set overrides: applied before typing, last one wins, errors name the --set.
#include <gtest/gtest.h>

#include "arch_test_util.h"
#include "hw/arch/schema.h"

namespace imc::arch {
namespace {

using test::load_error;

const std::string& tile8x8() {
  static const std::string text = test::tile8x8_text();
  return text;
}

ChipParams load_with(const std::vector<std::string>& sets, const std::string& text = tile8x8()) {
  std::vector<Override> overrides;
  for (const std::string& s : sets) overrides.push_back(parse_override(s));
  return load_chip_from_string(text, "arch.yaml", overrides);
}

std::string error_with(const std::vector<std::string>& sets, const std::string& text = tile8x8()) {
  try {
    load_with(sets, text);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

TEST(ParseOverride, SplitsAtTheFirstEquals) {
  const Override o = parse_override("energy.cell_read.source=a=b, c");
  EXPECT_EQ(o.path, "energy.cell_read.source");
  EXPECT_EQ(o.value, "a=b, c");
  const Override t = parse_override(" tile.crossbar.rows = 128 ");
  EXPECT_EQ(t.path, "tile.crossbar.rows");
  EXPECT_EQ(t.value, "128");
}

TEST(ParseOverride, RejectsMalformedAssignments) {
  auto error_of = [](const std::string& s) {
    try {
      parse_override(s);
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  EXPECT_EQ(error_of("tile.crossbar.rows"),
            "--set tile.crossbar.rows: expected path=value, e.g. --set tile.crossbar.rows=128");
  EXPECT_EQ(error_of("=5"), "--set =5: the key path before '=' is empty");
  EXPECT_EQ(error_of("tile..rows=5"),
            "--set tile..rows=5: key 'tile..rows': empty part in the key path");
  EXPECT_EQ(
      error_of("tile.rows!=5"),
      "--set tile.rows!=5: key 'tile.rows!': a key name holds letters, digits and '_', not '!'");
  // --stats and imcnas's database write the values as JSON, which holds UTF-8 only.
  EXPECT_EQ(error_of("name=chip\xb2"),
            "--set name=chip\xb2: key 'name': not UTF-8 text (byte 0xB2)");
  EXPECT_EQ(error_of("name=\xc3\xa9t\xc3\xa9"), "");  // "été" is UTF-8
}

TEST(Overrides, ReplaceAValue) {
  const ChipParams c = load_with({"tile.crossbar.rows_per_step=64"});
  EXPECT_EQ(c.tile.crossbar.rows_per_step, 64);
  EXPECT_EQ(c.tile.crossbar.rows, 256);
}

TEST(Overrides, LastOneWins) {
  const ChipParams c = load_with({"mesh.rows=2", "mesh.rows=3", "clock=250MHz"});
  EXPECT_EQ(c.mesh_rows, 3);
  EXPECT_EQ(c.period_ps, 4000);
  // The second override applies to the already overridden tree.
  EXPECT_EQ(load_with({"mesh.rows=0", "mesh.rows=5"}).mesh_rows, 5);
}

TEST(Overrides, UnknownPathIsAnError) {
  EXPECT_EQ(error_with({"tile.crossbar.rowz=5"}),
            "--set tile.crossbar.rowz=5: key 'tile.crossbar.rowz': unknown key (did you mean "
            "'tile.crossbar.rows'?)");
  EXPECT_EQ(error_with({"tile.foo.bar=1"}),
            "--set tile.foo.bar=1: key 'tile.foo.bar': unknown key");
  EXPECT_EQ(error_with({"name.first=x"}), "--set name.first=x: key 'name.first': unknown key");
  EXPECT_EQ(error_with({"energy.cell_read.unit=fJ"}),
            "--set energy.cell_read.unit=fJ: key 'energy.cell_read.unit': unknown key");
}

TEST(Overrides, SectionPathIsAnError) {
  EXPECT_EQ(error_with({"mesh=8"}),
            "--set mesh=8: key 'mesh': is a section; set one of its keys (rows, cols)");
}

TEST(Overrides, ValueErrorsNameTheSetInsteadOfTheFile) {
  EXPECT_EQ(error_with({"tile.crossbar.rows=0"}),
            "--set tile.crossbar.rows=0: key 'tile.crossbar.rows': must be at least 1, got 0");
  EXPECT_EQ(error_with({"clock=3"}),
            "--set clock=3: key 'clock': '3' has no unit, expected a frequency such as '1GHz' or "
            "'500MHz'");
  EXPECT_EQ(error_with({"tile.crossbar.read.value=3pJ"}),
            "--set tile.crossbar.read.value=3pJ: key 'tile.crossbar.read.value': '3pJ' is an "
            "energy, expected a time in ps, ns, us, ms, s, cycle(s)");
  EXPECT_EQ(error_with({"tile.crossbar.read.source="}),
            "--set tile.crossbar.read.source=: key 'tile.crossbar.read.source': must not be empty");
}

TEST(Overrides, ErrorsInUntouchedKeysStillNameTheFile) {
  // rows shrinks below the file's rows_per_step: the file's key is blamed at its line, and the
  // message quotes the overridden rows.
  const int line = test::line_of(tile8x8(), "    rows_per_step: 256");
  EXPECT_EQ(error_with({"tile.crossbar.rows=128"}),
            test::at(line) +
                "key 'tile.crossbar.rows_per_step': must be at most "
                "tile.crossbar.rows (128), got 256");
}

TEST(Overrides, EntryValueKeepsItsSource) {
  const std::string dump = [] {
    const std::string path = test::source_path("configs/tile8x8.yaml");
    return dump_effective_config(path, {parse_override("energy.adc_conversion.value=1.8pJ")});
  }();
  EXPECT_NE(dump.find("value: 1.8pJ"), std::string::npos);
  EXPECT_NE(dump.find("source: NeuroSim, 22 nm, 5-bit SAR"), std::string::npos) << dump;
  EXPECT_DOUBLE_EQ(load_with({"energy.adc_conversion.value=1.8pJ"}).energy.adc_conversion_pj, 1.8);
}

TEST(Overrides, EntryShorthandReplacesValueAndSource) {
  const std::string dump = dump_effective_config(test::source_path("configs/tile8x8.yaml"),
                                                 {parse_override("energy.adc_conversion=15.6pJ")});
  EXPECT_NE(dump.find("value: 15.6pJ"), std::string::npos);
  EXPECT_NE(dump.find("source: \"command line: --set energy.adc_conversion=15.6pJ\""),
            std::string::npos)
      << dump;
  EXPECT_EQ(dump.find("NeuroSim"), std::string::npos);
  EXPECT_DOUBLE_EQ(load_with({"energy.adc_conversion=15.6pJ"}).energy.adc_conversion_pj, 15.6);
  EXPECT_EQ(load_with({"tile.crossbar.read=2.5ns"}).tile.crossbar.read_cycles, 3);
}

TEST(Overrides, CanSwitchReadoutAndCreateTheAdcSection) {
  EXPECT_EQ(error_with({"tile.crossbar.readout=adc", "tile.crossbar.adc.bits=6"}),
            "--set tile.crossbar.adc.bits=6: key 'tile.crossbar.adc.conversion': missing "
            "required key");
  const ChipParams c =
      load_with({"tile.crossbar.readout=adc", "tile.crossbar.adc.bits=6",
                 "tile.crossbar.adc.conversion=1ns", "tile.crossbar.rows_per_step=32"});
  EXPECT_EQ(c.tile.crossbar.readout, Readout::kAdc);
  EXPECT_EQ(c.tile.crossbar.adc.bits, 6);
  EXPECT_EQ(c.tile.crossbar.adc.full_scale, 32);  // default: rows_per_step
  EXPECT_EQ(c.tile.crossbar.adc.count, 1);
  EXPECT_EQ(c.tile.crossbar.adc.conversion_cycles, 1);
}

TEST(Overrides, TurnOnDeviceNonIdealities) {
  const std::string rram = test::rram4x4_text();
  const ChipParams c =
      load_with({"tile.crossbar.variation_sigma=0.05", "tile.crossbar.stuck_at_0=0.001",
                 "tile.crossbar.stuck_at_1=0.002"},
                rram);
  EXPECT_DOUBLE_EQ(c.tile.crossbar.variation_sigma, 0.05);
  EXPECT_DOUBLE_EQ(c.tile.crossbar.stuck_at_0, 0.001);
  EXPECT_DOUBLE_EQ(c.tile.crossbar.stuck_at_1, 0.002);
  EXPECT_EQ(error_with({"tile.crossbar.variation_sigma=0.05"}),
            "--set tile.crossbar.variation_sigma=0.05: key 'tile.crossbar.variation_sigma': must "
            "be 0 for cell: sram (SRAM cells store exact bits; conductance variation applies to "
            "rram), got 0.05");
}

TEST(Overrides, IntoAKeyThatIsNotAMapNamesTheFile) {
  const test::Edited e =
      test::edit_line(tile8x8(), "mesh: {rows: 8, cols: 8}", "mesh: 8\nmesh_unused: 0");
  const std::string text = test::edit_line(e.text, "mesh_unused: 0", "").text;
  EXPECT_EQ(
      error_with({"mesh.rows=8"}, text),
      test::at(e.line) + "key 'mesh': expected a map, got '8'; cannot apply --set mesh.rows=8");
}

TEST(Overrides, FileIsNotChangedByOverrides) {
  const std::string path = test::source_path("configs/tile8x8.yaml");
  EXPECT_EQ(load_chip(path, {{"mesh.rows", "2"}}).mesh_rows, 2);
  EXPECT_EQ(load_chip(path).mesh_rows, 8);
}

// Every key of the schema is read by the loader: a bad value there is always reported.
TEST(Overrides, EverySchemaKeyIsReadAndChecked) {
  const std::string rram = test::rram4x4_text();  // has every section, adc included
  for (const schema::Key& key : schema::keys()) {
    if (key.kind == schema::Kind::kSection || key.kind == schema::Kind::kText) continue;
    const std::string path(key.path);
    const std::string err = error_with({path + "=@@"}, rram);
    const std::string named = schema::is_entry(key.kind) ? path + ".value" : path;
    EXPECT_EQ(err.rfind("--set " + path + "=@@: key '" + named + "': ", 0), 0u) << err;
  }
}

}  // namespace
}  // namespace imc::arch
