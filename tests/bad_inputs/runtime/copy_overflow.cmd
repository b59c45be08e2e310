# The second COPY writes past the end of the output buffer.
.tile 0
  LOOP count=2
    COPY dst=obuf[4096 + 4096*i0] src=ibuf[0] bytes=4096
  ENDLOOP
  HALT
