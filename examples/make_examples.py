#!/usr/bin/env python3
"""Writes the hand-written example programs with their weights, inputs and expected outputs.

The command streams below are written by hand; the weights and inputs are drawn from a fixed
seed, and expected.npy is computed here with NumPy from the layers' definitions, independently
of imcsim's C++ code. Run from anywhere with python3-numpy: /usr/bin/python3 examples/make_examples.py
"""
import os

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))


def signs(rows):
    """A b1/t2 data body: one character per value."""
    table = {1: "+", -1: "-", 0: "0"}
    return "\n".join("".join(table[int(v)] for v in row) for row in rows)


def ints(rows):
    return "\n".join(" ".join(str(int(v)) for v in row) for row in rows)


def data_block(name, dtype, matrix):
    body = ints(matrix) if dtype == "i32" else signs(matrix)
    rows, cols = matrix.shape
    return f".data {name} type={dtype} shape={rows}x{cols}\n{body}\n.end\n"


def binarize(acc, th):
    """Binary requantization: +1 where acc >= t0, flipped where the channel is inverted."""
    y = np.where(acc >= th[:, 0], 1, -1)
    return np.where(th[:, 2] != 0, -y, y)


def ternarize(acc, th):
    y = (acc >= th[:, 0]).astype(np.int64) + (acc >= th[:, 1]).astype(np.int64) - 1
    return np.where(th[:, 2] != 0, -y, y)


def write(folder, program, x, y):
    path = os.path.join(HERE, folder)
    os.makedirs(path, exist_ok=True)
    with open(os.path.join(path, "program.cmd"), "w") as f:
        f.write(program)
    np.save(os.path.join(path, "input.npy"), x)
    np.save(os.path.join(path, "expected.npy"), y.astype(np.int32))


def fc_one_tile(rng):
    """784 uint8 pixels -> 64 binary neurons on one tile: the 784 rows split over four
    256-row crossbars whose partial sums meet in the accumulator; inputs fed bit-serially."""
    n, k, m = 8, 784, 64
    x = rng.integers(0, 256, size=(n, k), dtype=np.uint8)
    w = rng.choice([-1, 1], size=(k, m))
    acc = x.astype(np.int64) @ w
    t0 = np.round(np.median(acc, axis=0)).astype(np.int64) + rng.integers(-200, 200, size=m)
    th = np.stack([t0, t0, rng.integers(0, 2, size=m)], axis=1)
    y = binarize(acc, th)
    blocks = "".join(data_block(f"w{i}", "b1", w[256 * i:256 * (i + 1)]) for i in range(4))
    program = f"""# One fully connected layer on one tile of tile8x8:
#   y = sign_threshold(x @ W), x: 784 uint8 pixels, W: 784x64 binary weights.
# The 784 weight rows do not fit one 256-row crossbar: rows 0-255, 256-511, 512-767 and
# 768-783 go to crossbars 0..3, whose column sums add up in the accumulator. The uint8
# input is fed bit-serially (8 planes, shift-and-add).
.input  x gb=0        shape=784 type=u8
.output y gb=0x100000 shape=64  type=b1

{blocks}
# per channel: t0, t1 (unused for binary), invert
{data_block("th", "i32", th)}
.tile 0
  WXB xb=0 data=w0
  WXB xb=1 data=w1
  WXB xb=2 data=w2
  WXB xb=3 data=w3
  WTH data=th
  LOOP count=batch
    LOAD dst=ibuf[0] src=gb[0 + 784*i0] bytes=784
    MVM xb=0 src=ibuf[0]   type=u8 elems=256 cols=64 dst=acc[0]
    MVM xb=1 src=ibuf[256] type=u8 elems=256 cols=64 dst=acc[0] acc=1
    MVM xb=2 src=ibuf[512] type=u8 elems=256 cols=64 dst=acc[0] acc=1
    MVM xb=3 src=ibuf[768] type=u8 elems=16  cols=64 dst=acc[0] acc=1
    THRESH src=acc[0] dst=obuf[0] count=64 type=b1
    STORE dst=gb[0x100000 + 8*i0] src=obuf[0] bytes=8
  ENDLOOP
  HALT
"""
    write("fc_one_tile", program, x, y)


def two_layer_noc(rng):
    """256 bipolar inputs -> 256 ternary neurons (ternary weights) on tile 0 -> over the NoC
    -> 10 integer outputs (binary weights) on tile 27. The tiles work on consecutive
    inferences at the same time; a semaphore credit keeps tile 0 from overwriting data
    tile 27 has not used yet."""
    n, k, h, m = 16, 256, 256, 10
    x = rng.choice([-1, 1], size=(n, k)).astype(np.int8)
    w1 = rng.choice([-1, 0, 1], size=(k, h), p=[0.4, 0.2, 0.4])
    w2 = rng.choice([-1, 1], size=(h, m))
    acc1 = x.astype(np.int64) @ w1
    lo = np.round(np.percentile(acc1, 33, axis=0)).astype(np.int64)
    hi = np.maximum(lo, np.round(np.percentile(acc1, 67, axis=0)).astype(np.int64))
    th1 = np.stack([lo, hi, rng.integers(0, 2, size=h)], axis=1)
    hid = ternarize(acc1, th1)
    y = hid @ w2
    program = f"""# Two layers on two tiles that exchange activations over the NoC:
#   h = ternary_threshold(x @ W1)  on tile 0   (x: 256 bipolar, W1: 256x256 ternary)
#   y = h @ W2                     on tile 27  (W2: 256x10 binary, raw int32 sums out)
# Tile 27 (x=3, y=3) is six hops from tile 0. The two tiles pipeline consecutive inferences:
# semaphore 0 of tile 27 counts activation vectors that arrived; semaphore 0 of tile 0
# counts free slots in tile 27's input buffer (one slot, granted once at start).
.input  x gb=0        shape=256 type=b1
.output y gb=0x100000 shape=10  type=i32

{data_block("w1", "t2", w1)}
{data_block("th1", "i32", th1)}
{data_block("w2", "b1", w2)}
# THRESH type=i32 passes sums through unchanged; its table entries are still programmed.
{data_block("th_raw", "i32", np.zeros((m, 3), dtype=np.int64))}
.tile 0
  WXB xb=0 data=w1
  WTH data=th1
  LOOP count=batch
    LOAD dst=ibuf[0] src=gb[0 + 32*i0] bytes=32
    MVM xb=0 src=ibuf[0] type=b1 elems=256 cols=256 dst=acc[0]
    THRESH src=acc[0] dst=obuf[0] count=256 type=t2
    WAIT sem=0                                      # a free slot at tile 27
    SEND tile=27 dst=ibuf[0] src=obuf[0] bytes=64 sem=0
  ENDLOOP
  HALT

.tile 27
  WXB xb=0 data=w2
  WTH data=th_raw
  SIGNAL tile=0 sem=0                               # the slot is free
  LOOP count=batch
    WAIT sem=0                                      # activations arrived
    MVM xb=0 src=ibuf[0] type=t2 elems=256 cols=10 dst=acc[0]
    SIGNAL tile=0 sem=0                             # after the MVM has read the slot
    THRESH src=acc[0] dst=obuf[0] count=10 type=i32
    STORE dst=gb[0x100000 + 40*i0] src=obuf[0] bytes=40
  ENDLOOP
  HALT
"""
    write("two_layer_noc", program, x, y)


def fc64_for_tests(rng):
    """tests/sim/data/fc64: 64 bipolar inputs -> 32 raw sums, small enough for every shipped
    chip (configs/rram4x4.yaml has 64x64 crossbars), for the ADC and variation tests."""
    n, k, m = 8, 64, 32
    x = rng.choice([-1, 1], size=(n, k)).astype(np.int8)
    w = rng.choice([-1, 1], size=(k, m))
    y = x.astype(np.int64) @ w
    program = f"""# 64 bipolar inputs -> 32 raw int32 sums on one 64x64 crossbar (fits every shipped chip).
.input  x gb=0    shape=64 type=b1
.output y gb=4096 shape=32 type=i32

{data_block("w", "b1", w)}
{data_block("th", "i32", np.zeros((m, 3), dtype=np.int64))}
.tile 0
  WXB xb=0 data=w
  WTH data=th
  LOOP count=batch
    LOAD dst=ibuf[0] src=gb[0 + 8*i0] bytes=8
    MVM xb=0 src=ibuf[0] type=b1 elems=64 cols=32 dst=acc[0]
    THRESH src=acc[0] dst=obuf[0] count=32 type=i32
    STORE dst=gb[4096 + 128*i0] src=obuf[0] bytes=128
  ENDLOOP
  HALT
"""
    write(os.path.join("..", "tests", "sim", "data", "fc64"), program, x, y)


def main():
    rng = np.random.default_rng(20261123)
    fc_one_tile(rng)
    two_layer_noc(rng)
    fc64_for_tests(rng)


if __name__ == "__main__":
    main()
