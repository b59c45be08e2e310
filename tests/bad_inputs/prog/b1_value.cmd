# Bad input: a 2 inside a b1 data body. Everything else is valid for configs/tile8x8.yaml.
.input  x gb=0     shape=1x16 type=u8
.output y gb=65536 shape=1x16 type=u8

.data w0 type=b1 shape=16x4
-+2-
+-+-
-++-
+-+-
-++-
+-+-
-++-
+-+-
-++-
+-+-
-++-
+-+-
-++-
+-+-
-++-
+-+-
.end
.tile 0
  WXB xb=0 data=w0
  LOOP count=batch
    LOAD dst=ibuf[0] src=gb[0 + 16*i0] bytes=16
    STORE dst=gb[65536 + 16*i0] src=ibuf[0] bytes=16
  ENDLOOP
  HALT
