// Trained module -> FoldedNet (folded.h): quantized weights, BatchNorm (running statistics)
// folded into integer thresholds per channel, computed in double from the float parameters.
#pragma once
#include "nas/train/folded.h"
#include "nas/train/network.h"

namespace imc::nas {

FoldedNet fold_network(const BnnNet& net);

}  // namespace imc::nas
