// The training loop: Adam on the latent weights, cross-entropy, latent weights clipped to
// [-1, 1] after each step, a cosine learning-rate decay from fidelity.learning_rate to 0 over
// the run, BatchNorm in batch mode. Shuffling uses its own std::mt19937_64 seeded from
// options.seed (torch::manual_seed seeds the weights and the noise), so a seed and a thread
// count give identical weights.
#pragma once
#include <cstdint>
#include <vector>

#include "nas/train/network.h"
#include "nas/train/train.h"

namespace imc::nas {

// Which training images a fidelity uses: the first round(fraction * count) of the file
// (Fashion-MNIST's files are already in random order), at least one batch's worth.
int training_images(const ImageSet& train, double fraction, int batch_size);

// Trains `net` in place; returns the mean loss of the last epoch. Throws TrainError when the
// loss becomes NaN or infinite. Per-epoch lines on stderr when options.verbose (test
// accuracy of the float network in eval mode on the first options.fidelity.test_images of
// `test`, which may be empty).
double train_network(BnnNet& net, const ImageSet& train, const ImageSet& test,
                     const TrainOptions& options);

// Float forward pass in eval mode (BatchNorm running statistics): accuracy on the first n.
double float_accuracy(BnnNet& net, const ImageSet& set, int n);

// Deterministic Fisher-Yates permutation of 0..n-1 (std::shuffle's algorithm is not
// specified by the standard; this one is).
std::vector<int64_t> permutation(int n, uint64_t seed);

}  // namespace imc::nas
