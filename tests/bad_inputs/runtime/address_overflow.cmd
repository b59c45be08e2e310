# The second LOAD's address, 2^62 + 1 bytes past the first, is far outside any memory (and
# 2^63 past it would not fit an int64).
.tile 0
  LOOP count=2
    LOAD dst=ibuf[0 + 4611686018427387905*i0] src=gb[0] bytes=16
  ENDLOOP
  HALT
