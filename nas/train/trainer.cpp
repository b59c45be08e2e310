#include "nas/train/trainer.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <random>

namespace imc::nas {
namespace {

constexpr double kPi = 3.14159265358979323846;
// Evaluation batches small enough that every activation map stays under glibc's 32 MiB mmap
// threshold (train.cpp keep_freed_memory).
constexpr int kEvalBatch = 100;

// Images [n, 1, rows, cols] as float pixel values 0..255.
torch::Tensor image_batch(const ImageSet& s, const std::vector<int64_t>& index, size_t first,
                          size_t n) {
  const int64_t pixels = int64_t(s.rows) * s.cols;
  torch::Tensor x = torch::empty({int64_t(n), 1, s.rows, s.cols}, torch::kUInt8);
  uint8_t* dst = x.data_ptr<uint8_t>();
  for (size_t i = 0; i < n; ++i) {
    const uint8_t* src = s.images.data() + index[first + i] * pixels;
    std::copy(src, src + pixels, dst + int64_t(i) * pixels);
  }
  return x.to(torch::kFloat);
}

torch::Tensor label_batch(const ImageSet& s, const std::vector<int64_t>& index, size_t first,
                          size_t n) {
  torch::Tensor y = torch::empty({int64_t(n)}, torch::kInt64);
  int64_t* dst = y.data_ptr<int64_t>();
  for (size_t i = 0; i < n; ++i) dst[i] = s.labels[size_t(index[first + i])];
  return y;
}

}  // namespace

std::vector<int64_t> permutation(int n, uint64_t seed) {
  std::vector<int64_t> p(size_t(std::max(n, 0)));
  for (size_t i = 0; i < p.size(); ++i) p[i] = int64_t(i);
  std::mt19937_64 rng(seed);
  for (size_t i = p.size(); i > 1; --i) {
    const size_t j = size_t(rng() % i);
    std::swap(p[i - 1], p[j]);
  }
  return p;
}

int training_images(const ImageSet& train, double fraction, int batch_size) {
  const int n = int(std::lround(fraction * train.count));
  return std::clamp(n, std::min(batch_size, train.count), train.count);
}

double float_accuracy(BnnNet& net, const ImageSet& set, int n) {
  n = std::min(n, set.count);
  if (n <= 0) return 0;
  torch::NoGradGuard no_grad;
  const bool was_training = net.is_training();
  net.eval();
  std::vector<int64_t> index(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) index[size_t(i)] = i;
  int64_t correct = 0;
  for (int first = 0; first < n; first += kEvalBatch) {
    const size_t b = size_t(std::min(kEvalBatch, n - first));
    const torch::Tensor logits = net.forward(image_batch(set, index, size_t(first), b));
    correct += logits.argmax(1).eq(label_batch(set, index, size_t(first), b)).sum().item<int64_t>();
  }
  net.train(was_training);
  return double(correct) / n;
}

double train_network(BnnNet& net, const ImageSet& train, const ImageSet& test,
                     const TrainOptions& options) {
  const Fidelity& fid = options.fidelity;
  int n = training_images(train, fid.train_fraction, fid.batch_size);
  // BatchNorm needs two samples per channel in training mode: drop a last batch of one.
  if (n > 1 && n % fid.batch_size == 1) --n;
  const int steps_per_epoch = (n + fid.batch_size - 1) / fid.batch_size;
  const int total_steps = std::max(1, fid.epochs * steps_per_epoch);
  torch::optim::Adam adam(net.parameters(), torch::optim::AdamOptions(fid.learning_rate));
  net.train();
  double epoch_loss = 0;
  int step = 0;
  for (int epoch = 0; epoch < fid.epochs; ++epoch) {
    const auto t0 = std::chrono::steady_clock::now();
    const std::vector<int64_t> order = permutation(n, options.seed * 1000003u + uint64_t(epoch));
    double loss_sum = 0;
    int64_t correct = 0;
    for (int first = 0; first < n; first += fid.batch_size, ++step) {
      const size_t b = size_t(std::min(fid.batch_size, n - first));
      const double lr = 0.5 * fid.learning_rate * (1 + std::cos(kPi * step / total_steps));
      for (auto& group : adam.param_groups())
        static_cast<torch::optim::AdamOptions&>(group.options()).lr(lr);
      const torch::Tensor x = image_batch(train, order, size_t(first), b);
      const torch::Tensor y = label_batch(train, order, size_t(first), b);
      const torch::Tensor logits = net.forward(x, fid.noise_sigma);
      const torch::Tensor loss = torch::nn::functional::cross_entropy(logits, y);
      const double l = loss.item<double>();
      if (!std::isfinite(l))
        throw TrainError("training diverged: loss " + std::to_string(l) + " at epoch " +
                         std::to_string(epoch + 1) + ", step " + std::to_string(step + 1));
      adam.zero_grad();
      loss.backward();
      adam.step();
      net.clip_latent_weights();
      loss_sum += l * double(b);
      correct += logits.argmax(1).eq(y).sum().item<int64_t>();
    }
    epoch_loss = loss_sum / n;
    if (options.verbose) {
      const double secs =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      std::fprintf(stderr,
                   "epoch %d/%d  loss %.4f  train acc %.4f  test acc (float) %.4f  %.1f s\n",
                   epoch + 1, fid.epochs, epoch_loss, double(correct) / n,
                   float_accuracy(net, test, fid.test_images), secs);
    }
  }
  return epoch_loss;
}

}  // namespace imc::nas
