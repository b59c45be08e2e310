# The third MVM gathers its input past the end of the input buffer.
.tile 0
  LOOP count=3
    MVM xb=1 src=ibuf[0 + 4096*i0] type=u8 elems=256 cols=8 dst=acc[0]
  ENDLOOP
  HALT
