# Tile 0 waits for a token nobody sends.
.tile 0
  WAIT sem=0
  HALT
