# Writes past the end of the global buffer on the second iteration.
.tile 2
  LOOP count=4
    STORE dst=gb[2096640 + 256*i0] src=obuf[0] bytes=512
  ENDLOOP
  HALT
