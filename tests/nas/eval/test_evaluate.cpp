// Evaluating one candidate on the simulated chip: accuracy on imcsim equals the trained
// network's own accuracy in exact mode, resources and costs are counted, and every way a
// candidate can fail comes back as a failed result with its reason (or a setup error).
#include <gtest/gtest.h>

#include "hw/isa/file_io.h"
#include "nas/eval/candidate.h"
#include "nas/eval/chip_run.h"
#include "nas/eval/evaluate.h"
#include "nas/train/train.h"
#include "run_tool.h"

namespace imc::nas {
namespace {

// A small network that trains in seconds: conv 1->8 (uint8, bit-serial), pool, pool, FC.
EvalJob tiny_job(const test::Scratch& s) {
  EvalJob job;
  job.genome.net.blocks = {{BlockKind::kVgg, 8}};
  job.genome.net.head_pools = 1;  // 28 -> 14 -> 7: the classifier sees 8*7*7 = 392 features
  job.fidelity.epochs = 1;
  job.fidelity.train_fraction = 0.05;  // 3000 images
  job.fidelity.batch_size = 32;
  job.fidelity.test_images = 100;
  job.seed = 3;
  job.arch_file = std::string(IMCSIM_SOURCE_DIR) + "/configs/tile8x8.yaml";
  job.data_dir = kDefaultDataDir;
  job.work_dir = s.path("work");
  return job;
}

TEST(Evaluate, AccuracyOnTheChipEqualsTheTrainedNetworkInExactMode) {
  test::Scratch s;
  const EvalJob job = tiny_job(s);
  const EvalResult r = evaluate_full(job);
  ASSERT_TRUE(r.ok) << r.failure;
  const Metrics& m = r.metrics;
  EXPECT_EQ(m.accuracy, m.software_accuracy);  // the same 100 predictions, bit for bit
  EXPECT_EQ(m.accuracy_p10, m.accuracy);       // one seed: no variation in exact mode
  EXPECT_GT(m.accuracy, 0.3);                  // chance is 0.1
  // The pipelined schedule copies the convs (the bottleneck) onto spare tiles.
  EXPECT_GE(m.crossbars, 3);
  EXPECT_GE(m.tiles, 2);
  // One copy of the weights: a crossbar per conv, and the FC's two row blocks (256 and 136
  // rows of 10 columns) share one on disjoint columns; 256x256 cells of 2 per weight.
  EXPECT_EQ(m.area_cells, 3 * 256.0 * 256 * 2) << m.area_cells / (256.0 * 256 * 2);
  EXPECT_GT(m.cycles_per_image, 0);
  EXPECT_GT(m.energy_pj_per_image, 0);

  // Same job, same seed: the same numbers (timings aside).
  test::Scratch again;
  EvalJob job2 = job;
  job2.work_dir = again.path("work");
  const EvalResult r2 = evaluate_full(job2);
  ASSERT_TRUE(r2.ok) << r2.failure;
  EXPECT_EQ(r2.metrics.accuracy, m.accuracy);
  EXPECT_EQ(r2.metrics.cycles_per_image, m.cycles_per_image);
  EXPECT_EQ(r2.metrics.energy_pj_per_image, m.energy_pj_per_image);
  EXPECT_EQ(test::read_text(job.work_dir + "/net.cmd"),
            test::read_text(job2.work_dir + "/net.cmd"));
}

TEST(Evaluate, VariationIsMonteCarloOverSeeds) {
  test::Scratch s;
  EvalJob job = tiny_job(s);
  job.arch_file = std::string(IMCSIM_SOURCE_DIR) + "/configs/rram4x4.yaml";
  job.genome.arch_overrides = {"tile.crossbar.variation_sigma=0.3"};
  job.fidelity.variation_seeds = 4;
  const EvalResult r = evaluate_full(job);
  ASSERT_TRUE(r.ok) << r.failure;
  EXPECT_LE(r.metrics.accuracy_p10, r.metrics.accuracy);
  EXPECT_NE(r.metrics.accuracy, r.metrics.software_accuracy);  // sigma 0.3 flips decisions
}

TEST(Evaluate, MoreTestImagesThanTheGlobalBufferHoldsRunInBatches) {
  // rram4x4's 512 KiB global buffer holds about 330 images of this network's layout.
  test::Scratch s;
  EvalJob job = tiny_job(s);
  job.arch_file = std::string(IMCSIM_SOURCE_DIR) + "/configs/rram4x4.yaml";
  job.fidelity.test_images = 800;
  const EvalResult r = evaluate_full(job);
  ASSERT_TRUE(r.ok) << r.failure;
  EXPECT_EQ(r.metrics.accuracy, r.metrics.software_accuracy);  // no image lost to overlap
}

TEST(Evaluate, ANetworkThatDoesNotFitIsAFailedCandidate) {
  test::Scratch s;
  EvalJob job = tiny_job(s);
  job.genome.arch_overrides = {"mesh.rows=1", "mesh.cols=1", "tile.crossbars=1"};
  const EvalResult r = evaluate_full(job);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.failure.rfind("imcc: ", 0), 0u) << r.failure;
  EXPECT_EQ(r.metrics.train_s, 0);  // refused before any training
}

TEST(Evaluate, ABadHardwareGenomeIsAFailedCandidate) {
  test::Scratch s;
  EvalJob job = tiny_job(s);
  job.genome.arch_overrides = {"tile.crossbar.rows=many"};
  const EvalResult r = evaluate_full(job);
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.failure.find("hardware genome: "), std::string::npos) << r.failure;
  EXPECT_NE(r.failure.find("tile.crossbar.rows"), std::string::npos) << r.failure;
}

TEST(Evaluate, AMissingDataSetIsASetupError) {
  test::Scratch s;
  EvalJob job = tiny_job(s);
  job.data_dir = s.path("nowhere");
  EXPECT_THROW(evaluate_full(job), SetupError);
}

TEST(EvaluateCli, WritesTheResultOfAJob) {
  test::Scratch s;
  EvalJob job = tiny_job(s);
  job.fidelity.test_images = 20;
  const std::string job_file = s.file("job.json", job_to_json(job));
  const test::ToolRun run =
      test::run_tool(IMCNAS_BINARY, "evaluate --job " + job_file + " --result " + s.path("r.json"));
  ASSERT_EQ(run.status, 0) << run.err;
  const EvalResult r = result_from_json(test::read_text(s.path("r.json")));
  EXPECT_TRUE(r.ok) << r.failure;
  EXPECT_EQ(r.metrics.accuracy, r.metrics.software_accuracy);
}

TEST(EvaluateCli, BadJobsExitTwoWithTheFileName) {
  test::Scratch s;
  const std::string bad = s.file("job.json", "{\"genome\": 1}");
  test::ToolRun run = test::run_tool(IMCNAS_BINARY, "evaluate --job " + bad);
  EXPECT_EQ(run.status, 2);
  EXPECT_NE(run.err.find(bad), std::string::npos) << run.err;
  run = test::run_tool(IMCNAS_BINARY, "evaluate --job " + s.path("missing.json"));
  EXPECT_EQ(run.status, 2);
  EXPECT_NE(run.err.find("cannot read"), std::string::npos) << run.err;
  EvalJob job = tiny_job(s);
  job.data_dir = s.path("nowhere");
  run = test::run_tool(IMCNAS_BINARY, "evaluate --job " + s.file("j2.json", job_to_json(job)));
  EXPECT_EQ(run.status, 2) << run.err;
  EXPECT_NE(run.err.find("nowhere"), std::string::npos) << run.err;
}

}  // namespace
}  // namespace imc::nas

namespace imc::nas {
namespace {

TEST(SimulateCli, RunsATrainedModelOverTheTestSetAndWritesEverything) {
  test::Scratch s;
  const EvalJob job = tiny_job(s);
  TrainOptions options;
  options.fidelity = job.fidelity;
  options.seed = job.seed;
  const ImageSet train = load_fashion_mnist(kDefaultDataDir, true);
  const ImageSet test = first_images(load_fashion_mnist(kDefaultDataDir, false), 40);
  const std::string model = s.path("m.onnx");
  const TrainOutcome t = train_and_export(job.genome.net, train, test, options, model);

  const test::ToolRun run = test::run_tool(
      IMCNAS_BINARY, "simulate --model " + model +
                         " --arch configs/tile8x8.yaml --images 40 --out " + s.path("out"));
  ASSERT_EQ(run.status, 0) << run.err;
  const int correct = int(t.software_accuracy * 40 + 0.5);
  EXPECT_NE(run.out.find("(" + std::to_string(correct) + "/40)"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("energy/image"), std::string::npos) << run.out;
  for (const char* f : {"net.cmd", "stats.json", "power.csv", "wave.vcd", "report.html"}) {
    EXPECT_FALSE(test::read_text(s.path("out/") + f).empty()) << f;
  }
  const std::string html = test::read_text(s.path("out/report.html"));
  EXPECT_NE(html.find("(" + std::to_string(correct) + "/40)"), std::string::npos);
  EXPECT_NE(html.find("<svg"), std::string::npos);
}

TEST(SimulateCli, BadInputsExitTwo) {
  test::Scratch s;
  test::ToolRun run = test::run_tool(IMCNAS_BINARY, "simulate --arch configs/tile8x8.yaml");
  EXPECT_EQ(run.status, 2);
  EXPECT_NE(run.err.find("--model and --arch are required"), std::string::npos) << run.err;
  const std::string junk = s.file("junk.onnx", "not a model");
  run = test::run_tool(IMCNAS_BINARY,
                       "simulate --model " + junk + " --arch configs/tile8x8.yaml --out " + s.dir);
  EXPECT_EQ(run.status, 2);
  EXPECT_NE(run.err.find(junk), std::string::npos) << run.err;
  run = test::run_tool(IMCNAS_BINARY, "simulate --model " + junk + " --arch " +
                                          s.file("a.yaml", "clock: fast\n") + " --out " + s.dir);
  EXPECT_EQ(run.status, 2);
  EXPECT_NE(run.err.find("a.yaml:1"), std::string::npos) << run.err;
}

}  // namespace
}  // namespace imc::nas
