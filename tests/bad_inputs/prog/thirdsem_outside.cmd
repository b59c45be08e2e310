# Bad input: the third semaphore is 16 of 16. Everything else is valid for
# configs/tile8x8.yaml.
.input  x gb=0     shape=1x16 type=u8
.output y gb=65536 shape=1x16 type=u8

.tile 0
  LOOP count=batch
    SIGNAL tile=1 sem=0 altsem=1 thirdsem=16
    LOAD dst=ibuf[0] src=gb[0 + 16*i0] bytes=16
    STORE dst=gb[65536 + 16*i0] src=ibuf[0] bytes=16
  ENDLOOP
  HALT
.tile 1
  HALT
