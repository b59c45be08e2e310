# Tile 1 waits on semaphore 2 in every iteration, but tile 0 raises semaphore 3 in the odd
# ones (altsem): the second iteration's WAIT never passes.
.tile 0
  LOOP count=2
    SIGNAL tile=1 sem=2 altsem=3
  ENDLOOP
  HALT
.tile 1
  LOOP count=2
    WAIT sem=2
  ENDLOOP
  HALT
