# The fifth MVM writes accumulator entries 1024..1088 of 1024.
.tile 0
  LOOP count=8
    MVM xb=0 src=ibuf[0] type=b1 elems=256 cols=64 dst=acc[0 + 256*i0]
  ENDLOOP
  HALT
