// The backend passes, in pipeline order. Each reads and extends the Plan; each throws
// BackendError naming the layer when the network does not fit the chip.
#pragma once

#include "compiler/backend/plan.h"

namespace imc::compiler {

void check_graph(Plan& p);     // shapes, types and layouts the backend supports
void partition(Plan& p);       // matrices -> crossbar-sized row/col blocks
void place(Plan& p);           // layers -> tiles, blocks -> crossbar regions, weight blocks
void allocate(Plan& p);        // buffers, global-buffer tensors, edges, semaphores
void schedule_tiles(Plan& p);  // handshakes of the chosen schedule
void emit(Plan& p);            // the command queues
void remap(Plan& p);           // pipelined: tile programs -> mesh tiles that spread NoC traffic

}  // namespace imc::compiler
