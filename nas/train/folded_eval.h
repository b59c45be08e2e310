// Evaluates a FoldedNet (folded.h) in libtorch: the sums of -1/0/+1 weights and integer
// inputs are exact integers (float32 holds them: |sum| < 2^24, checked) and every
// requantization compares them in double precision, exactly as imcc's reference executor and
// imcsim do.
#pragma once
#include <cstdint>
#include <vector>

#include "nas/train/folded.h"
#include "nas/train/train.h"

namespace imc::nas {

// The integer class scores of the first `count` images of `set`: [count][classes] row-major.
std::vector<int32_t> folded_scores(const FoldedNet& net, const ImageSet& set, int count);

// Fraction of the first `count` images whose first maximal score is their label.
double accuracy_of_scores(const std::vector<int32_t>& scores, int classes, const ImageSet& set,
                          int count);

}  // namespace imc::nas
