# Bad input: a threshold record with invert=2. Everything else is valid for configs/tile8x8.yaml.
.input  x gb=0     shape=1x16 type=u8
.output y gb=65536 shape=1x16 type=u8

.data w0 type=b1 shape=16x4
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
-++-
+-+-
.end
.data th type=i32 shape=4x3
0 0 0
1 1 1
-2 -2 0
5 6 2
.end
.tile 0
  WXB xb=0 data=w0
  WTH data=th
  LOOP count=batch
    LOAD dst=ibuf[0] src=gb[0 + 16*i0] bytes=16
    MVM xb=0 src=ibuf[0] type=u8 elems=16 cols=4 dst=acc[0]
    THRESH src=acc[0] dst=obuf[0] count=4 type=b1
    STORE dst=gb[65536 + 16*i0] src=ibuf[0] bytes=16
  ENDLOOP
  HALT
