# Bad input: a layout that does not exist (packed or pixels). Everything else is valid for
# configs/tile8x8.yaml.
.input  x gb=0     shape=2x4x4 type=b1 layout=planar
.output y gb=65536 shape=2x4x4 type=b1 layout=pixels
.tile 0
  LOOP count=batch
    LOAD dst=ibuf[0] src=gb[0 + 16*i0] bytes=16
    STORE dst=gb[65536 + 16*i0] src=ibuf[0] bytes=16
  ENDLOOP
  HALT
