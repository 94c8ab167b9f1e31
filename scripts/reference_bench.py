#!/usr/bin/env python3
"""Measures the references issue 3 and 4 compare against, on this machine, in one run.

  /usr/bin/python3 scripts/reference_bench.py [--threads 1,2] [--repeats 7]

- SGEMM through torch.mm, which calls the system BLAS (Debian: libblas.so.3; with
  libopenblas0-pthread installed that is OpenBLAS), on the shapes of GemmBenchmark;
- PyTorch (oneDNN) conv 32->64, 3x3, pad 1 on 64x32x14x14, forward and forward+backward;
- MaxPool2d(2) forward+backward on 64x32x28x28;
- one SGD step of the default network on a batch of 64 (images/s).

Each figure is the median of --repeats timed blocks after a warm-up. Needs PyTorch (Debian's
python3-torch); nothing is downloaded.
"""
import argparse
import os
import statistics
import subprocess
import sys
import time

import torch
import torch.nn as nn

GEMM_SHAPES = [(1024, 1024, 1024), (64, 288, 12544), (16, 27, 65536), (64, 12544, 288), (288, 64, 12544)]


def median_seconds(fn, repeats, min_block=0.2):
    """Median over `repeats` blocks of the time per call; each block runs for at least min_block s."""
    fn()
    fn()
    calls = 1
    while True:  # size a block
        t = time.perf_counter()
        for _ in range(calls):
            fn()
        if time.perf_counter() - t >= min_block:
            break
        calls *= 2
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        for _ in range(calls):
            fn()
        times.append((time.perf_counter() - t) / calls)
    return statistics.median(times)


def default_net():
    return nn.Sequential(
        nn.Conv2d(1, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(64 * 7 * 7, 128), nn.ReLU(), nn.Linear(128, 10))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", default="1,2")
    ap.add_argument("--repeats", type=int, default=7)
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if not args.child:
        # OpenBLAS sizes its thread pool from the environment when it is loaded, so each
        # thread count runs in its own process.
        print(f"torch {torch.__version__}, mkldnn {torch.backends.mkldnn.is_available()}", flush=True)
        for threads in args.threads.split(","):
            env = dict(os.environ, OPENBLAS_NUM_THREADS=threads, OMP_NUM_THREADS=threads)
            subprocess.run([sys.executable, __file__, "--child", "--threads", threads,
                            "--repeats", str(args.repeats)], env=env, check=True)
        return
    torch.manual_seed(0)
    for threads in [int(t) for t in args.threads.split(",")]:
        torch.set_num_threads(threads)
        print(f"\n== {threads} thread(s)")
        for m, k, n in GEMM_SHAPES:
            a, b = torch.randn(m, k), torch.randn(k, n)
            c = torch.empty(m, n)
            s = median_seconds(lambda: torch.mm(a, b, out=c), args.repeats)
            print(f"sgemm {m}x{k}x{n}: {2 * m * n * k / s / 1e9:.1f} GFLOP/s")

        conv = nn.Conv2d(32, 64, 3, padding=1)
        x = torch.randn(64, 32, 14, 14, requires_grad=True)
        g = torch.randn(64, 64, 14, 14)

        def conv_fwd():
            with torch.no_grad():
                conv(x)

        def conv_fwd_bwd():
            conv.zero_grad(set_to_none=True)
            x.grad = None
            conv(x).backward(g)

        print(f"conv 32->64 forward: {median_seconds(conv_fwd, args.repeats) * 1e3:.2f} ms")
        print(f"conv 32->64 forward+backward: {median_seconds(conv_fwd_bwd, args.repeats) * 1e3:.2f} ms")

        conv1 = nn.Conv2d(1, 32, 3, padding=1)
        x1 = torch.randn(64, 1, 28, 28)
        g1 = torch.randn(64, 32, 28, 28)

        def conv1_fwd_bwd():
            conv1.zero_grad(set_to_none=True)
            conv1(x1).backward(g1)

        print(f"conv 1->32 forward+backward (no input gradient): {median_seconds(conv1_fwd_bwd, args.repeats) * 1e3:.2f} ms")

        pool = nn.MaxPool2d(2)
        xp = torch.randn(64, 32, 28, 28, requires_grad=True)
        gp = torch.randn(64, 32, 14, 14)

        def pool_fwd_bwd():
            xp.grad = None
            pool(xp).backward(gp)

        print(f"maxpool 2x2 forward+backward: {median_seconds(pool_fwd_bwd, args.repeats) * 1e3:.2f} ms")

        net = default_net()
        opt = torch.optim.SGD(net.parameters(), lr=0.01, momentum=0.9)
        loss_fn = nn.CrossEntropyLoss()
        xb = torch.rand(64, 1, 28, 28)
        yb = torch.randint(0, 10, (64,))

        def step():
            opt.zero_grad(set_to_none=True)
            loss_fn(net(xb), yb).backward()
            opt.step()

        s = median_seconds(step, args.repeats)
        print(f"training step, batch 64: {s * 1e3:.2f} ms = {64 / s:.0f} images/s")

        net.eval()
        x1b = torch.rand(1, 1, 28, 28)

        def infer():
            with torch.no_grad():
                net(x1b)

        print(f"inference, batch 1: {median_seconds(infer, args.repeats) * 1e3:.3f} ms", flush=True)


if __name__ == "__main__":
    main()
