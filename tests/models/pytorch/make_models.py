#!/usr/bin/python3
"""Writes the PyTorch-export corpus next to this file: binary/ternary networks as
torch.onnx.export writes them (eval mode: BatchNorm fused into the Conv before it, float
weights w*gamma/sigma and a bias; torch.sign on latent weights; x.view / torch.flatten; Linear
as Gemm or MatMul), at opsets 11, 13 and 17, each with a batch of inputs (x.npy) and the
outputs PyTorch computes for them (y.npy, int32). tests/compiler/e2e/test_imcc_e2e.cpp
compiles and simulates them and compares with y.npy.

Run by hand after changing it (the files are checked in; the tests do not need PyTorch):
    apt-get install python3-torch python3-onnx   # Debian bookworm: torch 1.13, onnx 1.12
    /usr/bin/python3 tests/models/pytorch/make_models.py

No pre-binarizer value is ever 0 (torch.sign(0) = 0, imcc's binarizer gives +1): the
BatchNorm means are integers + 0.5 and its biases 0, so |a - mean| >= 0.5 for integer sums a.
"""
import os

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))


def binary_(t, gen):
    with torch.no_grad():
        t.copy_(torch.randint(0, 2, t.shape, generator=gen).float() * 2 - 1)


def ternary_(t, gen):
    with torch.no_grad():
        t.copy_(torch.randint(-1, 2, t.shape, generator=gen).float())


def batch_norm_(bn, gen, typical_sum, mixed_gamma):
    """Means at integer + 0.5 around the sums' scale, gamma of either sign, beta 0."""
    c = bn.num_features
    with torch.no_grad():
        bn.running_mean.copy_(torch.randint(-typical_sum, typical_sum + 1, (c,), generator=gen) + 0.5)
        bn.running_var.copy_(torch.rand(c, generator=gen) * 4 + 0.5)
        gamma = torch.rand(c, generator=gen) + 0.25
        if mixed_gamma:
            gamma *= torch.randint(0, 2, (c,), generator=gen).float() * 2 - 1
        bn.weight.copy_(gamma)
        bn.bias.zero_()


class FusedCnn(nn.Module):
    """u8 12x12 -> conv3x3(16) BN sign pool -> conv3x3/2 ternary(32) BN sign -> view -> Linear."""

    def __init__(s, gen):
        super().__init__()
        s.c1, s.b1 = nn.Conv2d(1, 16, 3, padding=1, bias=False), nn.BatchNorm2d(16)
        s.c2, s.b2 = nn.Conv2d(16, 32, 3, stride=2, padding=1, bias=False), nn.BatchNorm2d(32)
        s.fc = nn.Linear(32 * 3 * 3, 10, bias=False)
        binary_(s.c1.weight, gen)
        ternary_(s.c2.weight, gen)
        binary_(s.fc.weight, gen)
        batch_norm_(s.b1, gen, 300, False)
        batch_norm_(s.b2, gen, 20, True)

    def forward(s, x):
        x = F.max_pool2d(torch.sign(s.b1(s.c1(x))), 2)
        x = torch.sign(s.b2(s.c2(x)))
        return s.fc(x.view(x.size(0), -1))


class LatentCnn(nn.Module):
    """Latent float weights binarized by torch.sign in forward; torch.flatten; F.linear."""

    def __init__(s, gen):
        super().__init__()
        s.w1 = nn.Parameter(torch.randn(8, 1, 5, 5, generator=gen))
        s.b1 = nn.BatchNorm2d(8)
        s.w2 = nn.Parameter(torch.randn(10, 8 * 5 * 5, generator=gen))
        batch_norm_(s.b1, gen, 400, True)

    def forward(s, x):
        x = torch.sign(s.b1(F.conv2d(x, torch.sign(s.w1), stride=2, padding=2)))
        x = F.max_pool2d(x, 2)
        return F.linear(torch.flatten(x, 1), torch.sign(s.w2))


class BipolarMlp(nn.Module):
    """Bipolar 8x8 input -> nn.Flatten -> Linear(128) BatchNorm1d sign -> Linear(10)."""

    def __init__(s, gen):
        super().__init__()
        s.flat = nn.Flatten()
        s.fc1, s.bn1 = nn.Linear(64, 128, bias=False), nn.BatchNorm1d(128)
        s.fc2 = nn.Linear(128, 10, bias=False)
        binary_(s.fc1.weight, gen)
        binary_(s.fc2.weight, gen)
        batch_norm_(s.bn1, gen, 8, True)

    def forward(s, x):
        return s.fc2(torch.sign(s.bn1(s.fc1(s.flat(x)))))


class ResidualRgb(nn.Module):
    """RGB u8 8x8 -> conv(12) BN sign -> conv(12) BN + skip, sign -> pool -> Linear(10)."""

    def __init__(s, gen):
        super().__init__()
        s.c1, s.b1 = nn.Conv2d(3, 12, 3, padding=1, bias=False), nn.BatchNorm2d(12)
        s.c2, s.b2 = nn.Conv2d(12, 12, 3, padding=1, bias=False), nn.BatchNorm2d(12)
        s.fc = nn.Linear(12 * 4 * 4, 10, bias=False)
        for w in (s.c1.weight, s.c2.weight, s.fc.weight):
            binary_(w, gen)
        batch_norm_(s.b1, gen, 600, False)
        batch_norm_(s.b2, gen, 10, True)

    def forward(s, x):
        skip = torch.sign(s.b1(s.c1(x)))
        x = torch.sign(s.b2(s.c2(skip)) + skip)
        x = F.max_pool2d(x, 2)
        return s.fc(torch.flatten(x, 1))


def write(name, model, x, opset, x_dtype, names=True):
    """names False: PyTorch's own tensor names ("input.1", "21"), not valid in a .cmd."""
    d = os.path.join(HERE, name)
    os.makedirs(d, exist_ok=True)
    model.eval()
    with torch.no_grad():
        y = model(x)
    assert torch.equal(y, torch.round(y)), name + ": the outputs are not integers"
    io = dict(input_names=["image"], output_names=["logits"],
              dynamic_axes={"image": {0: "batch"}, "logits": {0: "batch"}}) if names else {}
    torch.onnx.export(model, x[:1], os.path.join(d, "net.onnx"), opset_version=opset, **io)
    np.save(os.path.join(d, "x.npy"), x.numpy().astype(x_dtype))
    np.save(os.path.join(d, "y.npy"), y.numpy().astype(np.int32))


def main():
    gen = torch.Generator().manual_seed(2026)
    u8 = lambda *shape: torch.randint(0, 256, shape, generator=gen).float()
    write("fused_bn_cnn_opset13", FusedCnn(gen), u8(6, 1, 12, 12), 13, np.uint8)
    write("latent_sign_cnn_opset11", LatentCnn(gen), u8(6, 1, 20, 20), 11, np.uint8, names=False)
    bipolar = torch.randint(0, 2, (6, 1, 8, 8), generator=gen).float() * 2 - 1
    write("bipolar_mlp_opset17", BipolarMlp(gen), bipolar, 17, np.float32)
    write("residual_rgb_opset13", ResidualRgb(gen), u8(6, 3, 8, 8), 13, np.uint8)


if __name__ == "__main__":
    main()
