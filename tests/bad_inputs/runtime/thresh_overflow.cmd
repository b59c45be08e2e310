# The third THRESH reads accumulator entries 1024..1536.
.tile 0
  LOOP count=3
    THRESH src=acc[0 + 512*i0] dst=obuf[0] count=512 type=b1
  ENDLOOP
  HALT
