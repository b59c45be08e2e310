# The 64th LOAD runs past the 8 KiB input buffer.
.tile 0
  LOOP count=100
    LOAD dst=ibuf[0 + 128*i0] src=gb[0] bytes=128
  ENDLOOP
  HALT
