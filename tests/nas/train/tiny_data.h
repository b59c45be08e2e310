// Small synthetic data and networks for the nas_train tests: images whose class is the
// position of a bright blob (learnable in a few steps), noisy so that sums vary.
#pragma once
#include <cstdint>
#include <string>

#include "nas/genome/genome.h"
#include "nas/train/train.h"

namespace imc::nas::testing {

// count images of size x size, labels 0..classes-1 (blob position), uint8 noise.
ImageSet blob_images(int count, int size, int classes, uint64_t seed);

// A genome for size x size images from a block list such as "vgg4,res4,res8".
NetGenome tiny_net(const std::string& blocks, int size, int head_pools, int head_width,
                   Precision weights, Precision activations);

// A fresh empty directory under the test temp dir.
std::string temp_dir(const std::string& name);

TrainOptions tiny_options(int epochs, uint64_t seed);

}  // namespace imc::nas::testing
