// imcnas train: one net file -> trained, exported ONNX model (+ optional test tensors).
#include "nas/train/train_cli.h"

#include <boost/program_options.hpp>

#include <cstdio>
#include <iostream>

#include "hw/arch/load.h"
#include "hw/isa/npy.h"
#include "nas/train/train.h"

namespace imc::nas {
namespace {

namespace po = boost::program_options;

struct Args {
  std::string net, output, data = kDefaultDataDir, test_inputs, scores;
  TrainOptions options;
};

constexpr const char* kHelp =
    "imcnas train --net N.yaml -o model.onnx [options]\n"
    "Trains the network of a net file on Fashion-MNIST with libtorch (binary/ternary,\n"
    "straight-through estimators) and exports it as ONNX that imcc compiles.\n";

// Defaults train a usable model: every training image, 10 epochs, the whole test set.
po::options_description options_of(Args& a) {
  Fidelity& f = a.options.fidelity;
  f.epochs = 10;
  f.train_fraction = 1;
  f.test_images = 10000;
  f.batch_size = 100;
  po::options_description d("options");
  // One option per line reads better than the formatter's chain.
  // clang-format off
  d.add_options()
      ("help,h", "this text")
      ("net", po::value(&a.net)->required(), "net file (YAML, docs/nas.md)")
      ("output,o", po::value(&a.output)->required(), "ONNX model to write")
      ("epochs", po::value(&f.epochs)->default_value(f.epochs), "passes over the training images")
      ("train-fraction", po::value(&f.train_fraction)->default_value(f.train_fraction),
       "fraction of the 60000 training images (the first ones)")
      ("batch-size", po::value(&f.batch_size)->default_value(f.batch_size), "images per step")
      ("lr", po::value(&f.learning_rate)->default_value(f.learning_rate),
       "Adam learning rate at the start (cosine decay to 0)")
      ("seed", po::value(&a.options.seed)->default_value(a.options.seed), "weights, order, noise")
      ("threads", po::value(&a.options.threads)->default_value(a.options.threads),
       "intra-op threads (results depend on it)")
      ("noise-sigma", po::value(&f.noise_sigma)->default_value(f.noise_sigma),
       "relative weight noise while training (variation-aware), 0 = off")
      ("test-images", po::value(&f.test_images)->default_value(f.test_images),
       "test images for the software accuracy (the first N)")
      ("data", po::value(&a.data)->default_value(a.data), "Fashion-MNIST IDX directory")
      ("test-inputs", po::value(&a.test_inputs),
       "write those test images as .npy [N,1,H,W] (imcsim --input)")
      ("scores", po::value(&a.scores),
       "write the exported network's int32 scores on them as .npy (imcsim --expect)")
      ("verbose,v", po::bool_switch(&a.options.verbose), "per-epoch loss and accuracy on stderr");
  // clang-format on
  return d;
}

void write_test_inputs(const std::string& path, const ImageSet& test, int n) {
  const size_t pixels = size_t(test.rows) * test.cols;
  const std::vector<int32_t> v(test.images.begin(), test.images.begin() + n * pixels);
  isa::write_npy_i32(path, {n, 1, test.rows, test.cols}, v);
}

}  // namespace

int train_main(const std::vector<std::string>& args) {
  Args a;
  const po::options_description desc = options_of(a);
  try {
    po::variables_map vm;
    po::store(po::command_line_parser(args).options(desc).run(), vm);
    if (vm.count("help")) {
      std::cout << kHelp << desc;
      return 0;
    }
    po::notify(vm);
  } catch (const po::error& e) {
    std::cerr << "imcnas train: " << e.what() << "\n" << kHelp << desc;
    return 2;
  }
  try {
    const Genome g = read_net_file(a.net);
    const ImageSet train = load_fashion_mnist(a.data, true);
    const ImageSet test = load_fashion_mnist(a.data, false);
    const TrainOutcome t = train_and_export(g.net, train, test, a.options, a.output);
    const int n = std::min(a.options.fidelity.test_images, test.count);
    if (!a.test_inputs.empty()) write_test_inputs(a.test_inputs, test, n);
    if (!a.scores.empty()) isa::write_npy_i32(a.scores, {n, g.net.classes}, t.test_scores);
    std::printf("%s: %s\n  software accuracy %.4f on %d test images, final loss %.4f, %.1f s\n",
                a.output.c_str(), describe(g).c_str(), t.software_accuracy, n, t.final_loss,
                t.train_s);
    return 0;
  } catch (const arch::InputError& e) {
    std::cerr << "imcnas train: " << e.what() << "\n";
    return 2;
  } catch (const TrainError& e) {
    std::cerr << "imcnas train: " << e.what() << "\n";
    return 3;
  } catch (const std::exception& e) {
    std::cerr << "imcnas train: " << e.what() << "\n";
    return 1;
  }
}

}  // namespace imc::nas
