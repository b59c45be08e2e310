# The third SEND lands past the end of tile 1's input buffer.
.tile 0
  LOOP count=3
    SEND tile=1 dst=ibuf[0 + 4096*i0] src=obuf[0] bytes=4096
  ENDLOOP
  HALT
