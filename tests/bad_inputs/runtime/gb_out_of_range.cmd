# Reads past the end of the 2 MiB global buffer on the third iteration.
.tile 5
  LOOP count=10
    LOAD dst=ibuf[0] src=gb[2096000 + 512*i0] bytes=512
  ENDLOOP
  HALT
