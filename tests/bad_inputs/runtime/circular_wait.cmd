# Each tile waits for the other before signalling it.
.tile 0
  WAIT sem=0
  SIGNAL tile=1 sem=0
  HALT
.tile 1
  WAIT sem=0
  SIGNAL tile=0 sem=0
  HALT
