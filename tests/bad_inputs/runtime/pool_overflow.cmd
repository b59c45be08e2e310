# A 2x2 window whose lower row lies past the end of the output buffer.
.tile 0
  LOOP count=2
    POOL dst=ibuf[0] src=obuf[0 + 8000*i0] type=b1 elems=64 kx=2 sx=8 ky=2 sy=192
  ENDLOOP
  HALT
