#!/usr/bin/env python3
"""Times the inception block of LayerBenchmark ("inceptionblock") in PyTorch, forward + backward,
batch 64 of [32, 14, 14]: median of REPS after warm-up, for the README's same-session comparison.

    python3 scripts/pytorch_inception_block.py --threads 1|2 [--reps 200]

Branches 1x1 (16) and 1x1 (16) -> 3x3 (32), each with ReLU, concatenated, plus a 1x1 projection
(48) of the input, then ReLU: the same graph, shapes and batch as the JMH benchmark.
"""
import argparse, statistics, time

import torch
import torch.nn as nn


class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.b1 = nn.Conv2d(32, 16, 1)
        self.b3a = nn.Conv2d(32, 16, 1)
        self.b3 = nn.Conv2d(16, 32, 3, padding=1)
        self.proj = nn.Conv2d(32, 48, 1)

    def forward(self, x):
        cat = torch.cat([torch.relu(self.b1(x)), torch.relu(self.b3(torch.relu(self.b3a(x))))], 1)
        return torch.relu(cat + self.proj(x))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--reps", type=int, default=200)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    block = Block()
    x = torch.randn(64, 32, 14, 14, requires_grad=True)
    g = torch.randn(64, 48, 14, 14)
    times = []
    for i in range(a.reps + 50):
        t = time.perf_counter()
        block.zero_grad(set_to_none=False)
        x.grad = None
        block(x).backward(g)
        if i >= 50:
            times.append(time.perf_counter() - t)
    print(f"torch {torch.__version__}, {a.threads} thread(s): inception block forward+backward median "
          f"{1000 * statistics.median(times):.3f} ms over {a.reps}")


if __name__ == "__main__":
    main()
