# One token is sent, two are awaited.
.tile 0
  WAIT sem=3 count=2
  HALT
.tile 1
  SIGNAL tile=0 sem=3
  HALT
