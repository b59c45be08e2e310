# Bad input: layout=pixels on a 1-D tensor (it is a CxHxW map layout). Everything else is
# valid for configs/tile8x8.yaml.
.input  x gb=0     shape=16 type=b1 layout=pixels
.output y gb=65536 shape=16 type=b1
.tile 0
  LOOP count=batch
    LOAD dst=ibuf[0] src=gb[0 + 2*i0] bytes=2
    STORE dst=gb[65536 + 2*i0] src=ibuf[0] bytes=2
  ENDLOOP
  HALT
