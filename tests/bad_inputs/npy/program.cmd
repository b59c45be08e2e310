# The program the .npy corpus is fed to: 16 uint8 values in, the same 16 back out.
.input  x gb=0    shape=16 type=u8
.output y gb=4096 shape=16 type=u8
.tile 0
  LOOP count=batch
    LOAD dst=ibuf[0] src=gb[0 + 16*i0] bytes=16
    STORE dst=gb[4096 + 16*i0] src=ibuf[0] bytes=16
  ENDLOOP
  HALT
