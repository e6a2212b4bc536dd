#!/usr/bin/env python3
"""Run `dendrite bench`'s configurations in numpy (always) and PyTorch (when importable),
interleaved with Dendrite itself, and print the figures side by side.

Configuration (as `dendrite bench`): MLP 784-256-128-10, ReLU, softmax cross-entropy,
batch 128, plain SGD at 0.01, Glorot uniform weights, 8 synthetic "teacher" batches
cycled (X ~ N(0, 1), label = argmax(X @ Wt)); a tiny 2-4-1 ReLU network on XOR with MSE,
one step; SGEMM at 128x784x256, 256^3 and 1024^3.

Usage:
    swift build -c release
    python3 Scripts/bench_peers.py [--dendrite .build/release/dendrite] [--rounds 3] [--threads 1]

Machines are noisy: each round runs Dendrite then each peer; the summary compares
Dendrite's median with each peer's best. OpenBLAS reads OPENBLAS_CORETYPE/OPENBLAS_L2_SIZE
where they are set; to measure a current numpy at full speed, run with
`env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE`.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time


def numpy_figures(threads, steps=300, warmup=30):
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[var] = str(threads)
    import numpy as np

    rng = np.random.default_rng(0)
    sizes = [784, 256, 128, 10]
    x = rng.standard_normal((8 * 128, 784), dtype=np.float32)
    teacher = rng.standard_normal((784, 10), dtype=np.float32)
    labels = np.argmax(x @ teacher, axis=1)
    init = np.random.default_rng(1)
    weights = []
    for fan_in, fan_out in zip(sizes, sizes[1:]):
        limit = np.sqrt(6.0 / (fan_in + fan_out))
        weights.append([init.uniform(-limit, limit, (fan_in, fan_out)).astype(np.float32), np.zeros(fan_out, np.float32)])

    def step(i):
        b = i % 8
        xb, yb = x[b * 128:(b + 1) * 128], labels[b * 128:(b + 1) * 128]
        activations = [xb]
        for j, (w, bias) in enumerate(weights):
            z = activations[-1] @ w + bias
            activations.append(np.maximum(z, 0) if j < len(weights) - 1 else z)
        logits = activations[-1]
        shifted = logits - logits.max(axis=1, keepdims=True)
        p = np.exp(shifted)
        p /= p.sum(axis=1, keepdims=True)
        loss = -np.log(p[np.arange(128), yb] + 1e-30).mean()
        delta = p
        delta[np.arange(128), yb] -= 1
        delta /= 128
        for j in range(len(weights) - 1, -1, -1):
            w, bias = weights[j]
            grad_w = activations[j].T @ delta
            grad_b = delta.sum(axis=0)
            if j > 0:
                delta = (delta @ w.T) * (activations[j] > 0)
            w -= 0.01 * grad_w
            bias -= 0.01 * grad_b
        return float(loss)

    for i in range(warmup):
        step(i)
    start = time.perf_counter()
    for i in range(steps):
        loss = step(warmup + i)
    mlp = steps * 128 / (time.perf_counter() - start)

    xor_x = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], np.float32)
    xor_y = np.array([[0], [1], [1], [0]], np.float32)
    w1 = init.uniform(-1, 1, (2, 4)).astype(np.float32)
    b1 = np.zeros(4, np.float32)
    w2 = init.uniform(-1, 1, (4, 1)).astype(np.float32)
    b2 = np.zeros(1, np.float32)

    def tiny():
        nonlocal w1, b1, w2, b2
        h = np.maximum(xor_x @ w1 + b1, 0)
        out = h @ w2 + b2
        d = 2 * (out - xor_y) / 4
        gw2, gb2 = h.T @ d, d.sum(0)
        dh = (d @ w2.T) * (h > 0)
        gw1, gb1 = xor_x.T @ dh, dh.sum(0)
        w1 -= 0.1 * gw1; b1 -= 0.1 * gb1; w2 -= 0.1 * gw2; b2 -= 0.1 * gb2

    for _ in range(500):
        tiny()
    start = time.perf_counter()
    for _ in range(5000):
        tiny()
    tiny_us = (time.perf_counter() - start) / 5000 * 1e6

    gemm = []
    for m, k, n in ((128, 784, 256), (256, 256, 256), (1024, 1024, 1024)):
        a = rng.standard_normal((m, k), dtype=np.float32)
        b = rng.standard_normal((k, n), dtype=np.float32)
        a @ b
        count, start = 0, time.perf_counter()
        while time.perf_counter() - start < 0.25 or count < 3:
            a @ b
            count += 1
        gemm.append({"shape": f"{m}x{k}x{n}", "threads": threads,
                     "gflops": round(2 * m * n * k * count / (time.perf_counter() - start) / 1e9, 1)})
    import resource
    return {"mlp_samples_per_s": round(mlp), "mlp_final_loss": loss, "tiny_step_us": round(tiny_us, 2),
            "gemm": gemm, "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)}


def run_peer(name, threads):
    """Runs one peer in a fresh process so its memory and threads are its own."""
    output = subprocess.run([sys.executable, __file__, "--peer", name, "--threads", str(threads)],
                            capture_output=True, text=True, check=True).stdout
    return json.loads(output)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dendrite", default=".build/release/dendrite")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--peer", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.peer == "numpy":
        print(json.dumps(numpy_figures(args.threads)))
        return
    runs = {"dendrite": [], "numpy": []}
    for _ in range(args.rounds):
        out = subprocess.run([args.dendrite, "bench", "--json"], capture_output=True, text=True, check=True).stdout
        runs["dendrite"].append(json.loads(out))
        runs["numpy"].append(run_peer("numpy", args.threads))
    for name, results in runs.items():
        mlp = [r["mlp_samples_per_s"] for r in results]
        tiny = [r["tiny_step_us"] for r in results]
        print(f"{name:9s} MLP samples/s median {statistics.median(mlp):>9.0f} best {max(mlp):>9.0f}   "
              f"tiny step µs median {statistics.median(tiny):7.2f}   peak RSS MB {results[-1]['peak_rss_mb']}   "
              f"GEMM GFLOP/s {[g['gflops'] for g in results[-1]['gemm']]}")
    ratio = statistics.median(r["mlp_samples_per_s"] for r in runs["dendrite"]) / max(
        r["mlp_samples_per_s"] for r in runs["numpy"])
    print(f"MLP ratio, Dendrite median / numpy best: {ratio:.2f}")


if __name__ == "__main__":
    main()
