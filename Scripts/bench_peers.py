#!/usr/bin/env python3
"""Run `dendrite bench` and its peers (numpy always; PyTorch, JAX and TensorFlow when
importable) on the very same workload, interleaved, and print the figures side by side.

The conventions are those of the project's peer benchmarks (benchlib.py in the shared
bench folder; re-implemented here so that this script stands alone):

* MLP 784-256-128-10, y = x @ W + b with W of shape (fan_in, fan_out), ReLU hidden layers,
  linear logits; Glorot-uniform W ~ U(-l, l), l = sqrt(6 / (fan_in + fan_out)), b = 0,
  drawn from numpy.random.default_rng(seed + 1) layer by layer.
* Data ("teacher"): X ~ N(0, 1) float32 (8 * 128, 784) from numpy.random.default_rng(seed),
  Wt ~ N(0, 1) (784, 10) drawn next from the same generator, label = argmax(X @ Wt) in
  float64; 8 batches of 128, step i uses batch i % 8.
* Softmax cross-entropy, mean over the batch; plain SGD at 0.01; `--warmup` untimed steps
  then `--steps` timed ones; final loss = the loss of the last timed step, computed before
  its update.
* Tiny: 2-4-1, sigmoid hidden layer, linear output, MSE (mean over all elements), SGD at
  0.1, the 4 XOR samples, 500 untimed then 5000 timed steps; its initial weights by the
  same convention (default_rng(seed + 1), a fresh generator).
* GEMM: C(M, N) = A(M, K) @ B(K, N), float32, 2*M*K*N flops per product, at one thread and
  at --threads threads.
* CNN (PyTorch only among the peers): conv(32,3), relu, maxpool(2), conv(64,3), relu,
  maxpool(2), flatten, dense(128), relu, dense(10) on 28x28 single-channel images (NCHW),
  softmax cross-entropy, Adam at 1e-3 (beta 0.9/0.999, eps 1e-8), batches of 64: 4 batches of
  pixels U(0, 1) with labels argmax(X @ Wt), Wt ~ N(0, 1), from default_rng(seed + 2);
  He-uniform conv weights U(-l, l), l = sqrt(6 / fan_in), Glorot-uniform dense weights, zero
  biases, from default_rng(seed + 3); `--cnn-warmup` untimed then `--cnn-steps` timed steps.

Dendrite cannot reproduce numpy's random numbers, so this script writes everything random
(initial weights, batches, labels) to a workload file, and Dendrite (`dendrite bench
--workload FILE`) and every peer train from it: their final losses then agree up to
float32 rounding. The file is safetensors, written by hand (no safetensors package):
8-byte little-endian header length, JSON header (space-padded to a multiple of 8), raw
little-endian data. Every tensor is F32 (Dendrite reads F32 only):

    mlp.L.weight  [out, in]   dense layer L = 0, 1, 2: numpy's (fan_in, fan_out) W TRANSPOSED
                              (Dendrite's and PyTorch's layout); peers transpose back on load
    mlp.L.bias    [out]
    mlp.inputs    [8, 128, 784]
    mlp.labels    [8, 128]    class indices 0..9 stored as F32 (exact); peers read int64
    tiny.L.weight [out, in], tiny.L.bias [out]   (2-4-1)
    tiny.inputs   [4, 2], tiny.targets [4, 1]    (XOR)
    cnn.conv1.weight [32, 1, 3, 3], cnn.conv1.bias [32], cnn.conv2.weight [64, 32, 3, 3],
    cnn.conv2.bias [64], cnn.fc1.weight [128, 1600], cnn.fc1.bias [128], cnn.fc2.weight [10, 128],
    cnn.fc2.bias [10]             PyTorch's layouts
    cnn.inputs    [4, 64, 784]    images as rows of 28 x 28 pixels
    cnn.labels    [4, 64]         class indices as F32

Usage:
    swift build -c release
    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python3 Scripts/bench_peers.py --rounds 3 --threads 2
    python3 Scripts/bench_peers.py --dendrite .build/release/dendrite --json > bench.json
    python3 Scripts/bench_peers.py --write-workload workload.safetensors   # only write the file

Machines are noisy: each round runs Dendrite, then each peer, each in its own process. Three
speed ratios (above 1 means Dendrite is faster): Dendrite's median over each peer's best
(conservative: a peer's lucky run counts against Dendrite), over each peer's median, and the
median over rounds of the ratio within a round (paired: both ran back to back, in the same
phase of a machine whose speed swings, so it is the steadiest). OpenBLAS reads OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE where they are
set; to measure a current numpy at full speed, run with them unset as above.
"""

import argparse
import importlib.util
import json
import os
import statistics
import struct
import subprocess
import sys
import tempfile
import time

LAYERS = [784, 256, 128, 10]
TINY_LAYERS = [2, 4, 1]
BATCH = 128
N_BATCHES = 8
MLP_LR = 0.01
TINY_LR = 0.1
TINY_WARMUP = 500
TINY_STEPS = 5000
CNN_BATCH = 64
CNN_BATCHES = 4
CNN_LR = 1e-3
CNN_SHAPES = [("conv1.weight", (32, 1, 3, 3)), ("conv1.bias", (32,)), ("conv2.weight", (64, 32, 3, 3)),
              ("conv2.bias", (64,)), ("fc1.weight", (128, 1600)), ("fc1.bias", (128,)),
              ("fc2.weight", (10, 128)), ("fc2.bias", (10,))]
GEMM_SHAPES = [(128, 784, 256), (256, 256, 256), (1024, 1024, 1024)]
PEERS = ["numpy", "torch", "jax", "tf"]
PEER_MODULES = {"numpy": "numpy", "torch": "torch", "jax": "jax", "tf": "tensorflow"}
THREAD_ENV_VARS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS",
                   "BLIS_NUM_THREADS", "NUMEXPR_NUM_THREADS")


# --------------------------------------------------------------------------
# threads, memory
# --------------------------------------------------------------------------

def set_thread_env(threads, env=None):
    """Sets the usual thread-count variables; call BEFORE importing numpy and friends."""
    env = os.environ if env is None else env
    for var in THREAD_ENV_VARS:
        env[var] = str(threads)
    env["DENDRITE_THREADS"] = str(threads)
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    if threads == 1:
        # XLA:CPU (jax) has no run-time thread knob; this keeps it on one thread.
        flags = env.get("XLA_FLAGS", "")
        env["XLA_FLAGS"] = (flags + " --xla_cpu_multi_thread_eigen=false "
                            "intra_op_parallelism_threads=1").strip()
    return env


def peak_rss_mb():
    import resource
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0  # Linux: KiB


# --------------------------------------------------------------------------
# the workload file (safetensors, by hand)
# --------------------------------------------------------------------------

def write_safetensors(path, tensors, metadata):
    """tensors: list of (name, float32 numpy array) in data order."""
    import numpy as np
    header, offset, blobs = {}, 0, []
    if metadata:
        header["__metadata__"] = {k: str(v) for k, v in metadata.items()}
    for name, array in tensors:
        data = np.ascontiguousarray(array, dtype="<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(array.shape),
                        "data_offsets": [offset, offset + len(data)]}
        offset += len(data)
        blobs.append(data)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * ((8 - len(text) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for blob in blobs:
            f.write(blob)


def read_safetensors(path):
    """{name: float32 array} of an F32-only safetensors file."""
    import numpy as np
    with open(path, "rb") as f:
        raw = f.read()
    (length,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8:8 + length].decode("utf-8"))
    base = 8 + length
    out = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        if entry["dtype"] != "F32":
            raise ValueError("%s: tensor %r is %s, expected F32" % (path, name, entry["dtype"]))
        begin, end = entry["data_offsets"]
        out[name] = np.frombuffer(raw[base + begin:base + end], dtype="<f4").reshape(
            entry["shape"]).astype(np.float32)
    return out


def glorot_params(layers, seed):
    """[(W (fan_in, fan_out), b)] from default_rng(seed + 1), layer by layer (benchlib.init_params)."""
    import numpy as np
    rng = np.random.default_rng(seed + 1)
    params = []
    for fan_in, fan_out in zip(layers[:-1], layers[1:]):
        lim = np.sqrt(6.0 / (fan_in + fan_out))
        W = rng.uniform(-lim, lim, size=(fan_in, fan_out)).astype(np.float32)
        params.append((W, np.zeros(fan_out, dtype=np.float32)))
    return params


def make_workload(path, seed):
    """Writes the workload file (layout in this script's docstring)."""
    import numpy as np
    rng = np.random.default_rng(seed)
    d_in, d_out = LAYERS[0], LAYERS[-1]
    X = rng.standard_normal((N_BATCHES * BATCH, d_in), dtype=np.float32)
    Wt = rng.standard_normal((d_in, d_out), dtype=np.float32)
    y = np.argmax(X.astype(np.float64) @ Wt.astype(np.float64), axis=1)
    tensors = []
    for l, (W, b) in enumerate(glorot_params(LAYERS, seed)):
        tensors += [("mlp.%d.weight" % l, W.T), ("mlp.%d.bias" % l, b)]  # [out, in]
    tensors.append(("mlp.inputs", X.reshape(N_BATCHES, BATCH, d_in)))
    tensors.append(("mlp.labels", y.reshape(N_BATCHES, BATCH).astype(np.float32)))
    for l, (W, b) in enumerate(glorot_params(TINY_LAYERS, seed)):
        tensors += [("tiny.%d.weight" % l, W.T), ("tiny.%d.bias" % l, b)]  # [out, in]
    tensors.append(("tiny.inputs", np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float32)))
    tensors.append(("tiny.targets", np.array([[0], [1], [1], [0]], dtype=np.float32)))
    tensors += cnn_tensors(seed)
    write_safetensors(path, tensors, {"dendrite.workload_format": "1",
                                      "generator": "Scripts/bench_peers.py", "seed": seed})


def cnn_tensors(seed):
    """The CNN part of the workload file (layout in this script's docstring)."""
    import numpy as np
    data = np.random.default_rng(seed + 2)
    X = data.uniform(0.0, 1.0, size=(CNN_BATCHES * CNN_BATCH, 784)).astype(np.float32)
    Wt = data.standard_normal((784, 10), dtype=np.float32)
    y = np.argmax(X.astype(np.float64) @ Wt.astype(np.float64), axis=1)
    weights = np.random.default_rng(seed + 3)
    tensors = []
    for name, shape in CNN_SHAPES:
        if len(shape) == 1:
            value = np.zeros(shape, dtype=np.float32)
        else:
            fan_out, fan_in = shape[0], int(np.prod(shape[1:]))
            lim = np.sqrt(6.0 / fan_in) if len(shape) == 4 else np.sqrt(6.0 / (fan_in + fan_out))
            value = weights.uniform(-lim, lim, size=shape).astype(np.float32)
        tensors.append(("cnn." + name, value))
    tensors.append(("cnn.inputs", X.reshape(CNN_BATCHES, CNN_BATCH, 784)))
    tensors.append(("cnn.labels", y.reshape(CNN_BATCHES, CNN_BATCH).astype(np.float32)))
    return tensors


def load_cnn(path):
    """({name: array} parameters, [(X [64, 784], y int64)]) of the workload's CNN, or None."""
    import numpy as np
    t = read_safetensors(path)
    if "cnn.inputs" not in t:
        return None
    params = {name: t["cnn." + name] for name, _ in CNN_SHAPES}
    batches = [(np.ascontiguousarray(X), labels.astype(np.int64)) for X, labels in zip(t["cnn.inputs"], t["cnn.labels"])]
    return params, batches


class TorchCNN:
    """The CNN as an eager nn.Sequential with torch.optim.Adam, the workload's weights loaded."""

    def __init__(self, params, batches, threads):
        import torch
        import torch.nn as nn
        torch.set_num_threads(threads)
        try:
            torch.set_num_interop_threads(threads)
        except RuntimeError:
            pass
        self.torch = torch
        self.version = torch.__version__
        self.model = nn.Sequential(
            nn.Unflatten(1, (1, 28, 28)), nn.Conv2d(1, 32, 3), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(32, 64, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
            nn.Linear(1600, 128), nn.ReLU(), nn.Linear(128, 10))
        names = {"conv1": 1, "conv2": 4, "fc1": 8, "fc2": 10}
        state = {"%d.%s" % (names[name.split(".")[0]], name.split(".")[1]): torch.from_numpy(value.copy())
                 for name, value in params.items()}
        self.model.load_state_dict(state, strict=True)
        self.opt = torch.optim.Adam(self.model.parameters(), lr=CNN_LR, betas=(0.9, 0.999), eps=1e-8)
        self.batches = [(torch.from_numpy(X), torch.from_numpy(y)) for X, y in batches]

    def step(self, i):
        X, y = self.batches[i % len(self.batches)]
        self.opt.zero_grad(set_to_none=True)
        loss = self.torch.nn.functional.cross_entropy(self.model(X), y)
        loss.backward()
        self.opt.step()
        return loss.detach()

    def sync(self, handle):
        pass

    def value(self, handle):
        return float(handle.item())


def load_workload(path):
    """(mlp params [(W (in, out), b)], mlp batches [(X, T one-hot, y int64)],
    tiny params, tiny batches) from a workload file; W transposed back to numpy's layout."""
    import numpy as np
    t = read_safetensors(path)

    def params(prefix):
        out, l = [], 0
        while "%s.%d.weight" % (prefix, l) in t:
            out.append((np.ascontiguousarray(t["%s.%d.weight" % (prefix, l)].T),
                        t["%s.%d.bias" % (prefix, l)].copy()))
            l += 1
        return out

    mlp = params("mlp")
    classes = mlp[-1][0].shape[1]
    eye = np.eye(classes, dtype=np.float32)
    batches = []
    for X, labels in zip(t["mlp.inputs"], t["mlp.labels"]):
        y = labels.astype(np.int64)
        batches.append((np.ascontiguousarray(X), eye[y], y))
    T = t["tiny.targets"]
    tiny_batches = [(t["tiny.inputs"], T, T[:, 0].astype(np.int64))]
    return mlp, batches, params("tiny"), tiny_batches


# --------------------------------------------------------------------------
# the peers, as benchlib implements them: step(i) -> loss handle, sync, value
# --------------------------------------------------------------------------

class NumpyMLP:
    """Hand-written forward/backward in numpy, float32 throughout (benchlib.NumpyMLP)."""

    def __init__(self, params, batches, activation, loss, lr, threads):
        import numpy as np
        self.np = np
        self.version = np.__version__
        self.W = [W.copy() for W, _ in params]
        self.b = [b.copy() for _, b in params]
        self.batches = batches
        self.activation = activation
        self.loss = loss
        self.lr = np.float32(lr)
        self.rows = [np.arange(X.shape[0]) for X, _, _ in batches]

    def step(self, i):
        np = self.np
        k = i % len(self.batches)
        X, T, y = self.batches[k]
        W, b, L = self.W, self.b, len(self.W)
        acts = [X]
        a = X
        for l in range(L):
            z = a @ W[l]
            z += b[l]
            if l < L - 1:
                if self.activation == "relu":
                    a = np.maximum(z, 0.0)
                else:
                    a = 1.0 / (1.0 + np.exp(-z))
                acts.append(a)
            else:
                logits = z
        B = X.shape[0]
        if self.loss == "softmax_ce":
            m = logits.max(axis=1, keepdims=True)
            e = np.exp(logits - m)
            s = e.sum(axis=1, keepdims=True)
            logp_true = logits[self.rows[k], y] - m[:, 0] - np.log(s[:, 0])
            loss = -float(logp_true.mean())
            d = (e / s - T) * np.float32(1.0 / B)
        else:
            diff = logits - T
            loss = float(np.mean(diff * diff))
            d = diff * np.float32(2.0 / diff.size)
        for l in range(L - 1, -1, -1):
            a_prev = acts[l]
            dW = a_prev.T @ d
            db = d.sum(axis=0)
            if l > 0:
                da = d @ W[l].T
                if self.activation == "relu":
                    da *= (a_prev > 0)
                else:
                    da *= a_prev * (1.0 - a_prev)
            W[l] -= self.lr * dW
            b[l] -= self.lr * db
            if l > 0:
                d = da
        return loss

    def sync(self, handle):
        pass

    def value(self, handle):
        return float(handle)


class TorchMLP:
    """nn.Sequential of nn.Linear + torch.optim.SGD, eager mode (benchlib.TorchMLP)."""

    def __init__(self, params, batches, activation, loss, lr, threads):
        import torch
        import torch.nn.functional as F
        torch.set_num_threads(threads)
        try:
            torch.set_num_interop_threads(threads)
        except RuntimeError:
            pass  # can only be set once, before inter-op work starts
        self.torch, self.F = torch, F
        self.version = torch.__version__
        mods = []
        L = len(params)
        for l, (W, b) in enumerate(params):
            lin = torch.nn.Linear(W.shape[0], W.shape[1])
            with torch.no_grad():
                lin.weight.copy_(torch.from_numpy(W.T.copy()))
                lin.bias.copy_(torch.from_numpy(b))
            mods.append(lin)
            if l < L - 1:
                mods.append(torch.nn.ReLU() if activation == "relu" else torch.nn.Sigmoid())
        self.model = torch.nn.Sequential(*mods)
        self.opt = torch.optim.SGD(self.model.parameters(), lr=lr)
        self.batches = [(torch.from_numpy(X), torch.from_numpy(T), torch.from_numpy(y))
                        for X, T, y in batches]
        self.loss = loss

    def step(self, i):
        X, T, y = self.batches[i % len(self.batches)]
        self.opt.zero_grad(set_to_none=True)
        out = self.model(X)
        if self.loss == "softmax_ce":
            loss = self.F.cross_entropy(out, y)
        else:
            loss = self.F.mse_loss(out, T)
        loss.backward()
        self.opt.step()
        return loss.detach()

    def sync(self, handle):
        pass

    def value(self, handle):
        return float(handle.item())


class TFMLP:
    """Raw tf.Variables + GradientTape + assign_sub in one tf.function (benchlib.TFMLP)."""

    def __init__(self, params, batches, activation, loss, lr, threads):
        import tensorflow as tf
        tf.config.threading.set_intra_op_parallelism_threads(threads)
        tf.config.threading.set_inter_op_parallelism_threads(threads)
        self.tf = tf
        self.version = tf.__version__
        self.Ws = [tf.Variable(W) for W, _ in params]
        self.bs = [tf.Variable(b) for _, b in params]
        variables = [v for pair in zip(self.Ws, self.bs) for v in pair]
        act = tf.nn.relu if activation == "relu" else tf.math.sigmoid
        L = len(params)
        lr32 = tf.constant(lr, dtype=tf.float32)
        Ws, bs = self.Ws, self.bs

        def train_step(X, T, y):
            with tf.GradientTape() as tape:
                a = X
                for l in range(L):
                    z = tf.matmul(a, Ws[l]) + bs[l]
                    if l < L - 1:
                        a = act(z)
                if loss == "softmax_ce":
                    lv = tf.reduce_mean(
                        tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=z))
                else:
                    lv = tf.reduce_mean(tf.square(z - T))
            grads = tape.gradient(lv, variables)
            for v, g in zip(variables, grads):
                v.assign_sub(lr32 * g)
            return lv

        self.train_step = tf.function(train_step)
        self.batches = [(tf.constant(X), tf.constant(T), tf.constant(y)) for X, T, y in batches]

    def step(self, i):
        return self.train_step(*self.batches[i % len(self.batches)])

    def sync(self, handle):
        handle.numpy()

    def value(self, handle):
        return float(handle.numpy())


class JaxMLP:
    """Pure-function MLP; the whole train step (fwd+bwd+SGD) is one jax.jit (benchlib.JaxMLP)."""

    def __init__(self, params, batches, activation, loss, lr, threads):
        import jax
        import jax.numpy as jnp
        self.jax = jax
        self.version = jax.__version__
        act = jax.nn.relu if activation == "relu" else jax.nn.sigmoid
        L = len(params)

        def loss_fn(p, X, T, y):
            a = X
            for l, (W, b) in enumerate(p):
                z = a @ W + b
                if l < L - 1:
                    a = act(z)
            if loss == "softmax_ce":
                logp = jax.nn.log_softmax(z, axis=-1)
                return -jnp.mean(jnp.take_along_axis(logp, y[:, None], axis=1))
            return jnp.mean((z - T) ** 2)

        def train_step(p, X, T, y):
            lv, g = jax.value_and_grad(loss_fn)(p, X, T, y)
            p = jax.tree_util.tree_map(lambda w, gw: w - lr * gw, p, g)
            return p, lv

        self.train_step = jax.jit(train_step, donate_argnums=0)
        self.params = [(jnp.asarray(W), jnp.asarray(b)) for W, b in params]
        self.batches = [(jnp.asarray(X), jnp.asarray(T), jnp.asarray(y.astype("int32")))
                        for X, T, y in batches]

    def step(self, i):
        self.params, lv = self.train_step(self.params, *self.batches[i % len(self.batches)])
        return lv

    def sync(self, handle):
        handle.block_until_ready()
        self.jax.block_until_ready(self.params)

    def value(self, handle):
        return float(handle)


MODELS = {"numpy": NumpyMLP, "torch": TorchMLP, "tf": TFMLP, "jax": JaxMLP}


def time_steps(model, warmup, steps):
    """`warmup` untimed steps, then `steps` timed ones: (seconds, final loss)."""
    h = None
    for i in range(warmup):
        h = model.step(i)
    if h is not None:
        model.sync(h)
    t0 = time.perf_counter()
    for i in range(warmup, warmup + steps):
        h = model.step(i)
    model.sync(h)
    return time.perf_counter() - t0, model.value(h)


def gemm_callable(framework, m, k, n, threads):
    """A function computing one m x k x n float32 product (waiting for it), as the peer runs it."""
    import numpy as np
    rng = np.random.default_rng(2)
    a = rng.standard_normal((m, k), dtype=np.float32)
    b = rng.standard_normal((k, n), dtype=np.float32)
    if framework == "numpy":
        c = np.empty((m, n), dtype=np.float32)
        return lambda: np.matmul(a, b, out=c)
    if framework == "torch":
        import torch
        ta, tb, tc = torch.from_numpy(a), torch.from_numpy(b), torch.empty(m, n)
        return lambda: torch.mm(ta, tb, out=tc)
    if framework == "jax":
        import jax
        import jax.numpy as jnp
        ja, jb = jnp.asarray(a), jnp.asarray(b)
        f = jax.jit(jnp.matmul)
        return lambda: f(ja, jb).block_until_ready()
    if framework == "tf":
        import tensorflow as tf
        tf.config.threading.set_intra_op_parallelism_threads(threads)
        ta, tb = tf.constant(a), tf.constant(b)
        return lambda: tf.linalg.matmul(ta, tb).numpy()
    raise ValueError(framework)


def measure_gemm(framework, threads):
    """GFLOP/s per shape, timed as `dendrite bench` does: ≥ 0.25 s and ≥ 3 products."""
    out = []
    for m, k, n in GEMM_SHAPES:
        fn = gemm_callable(framework, m, k, n, threads)
        fn()
        count, t0 = 0, time.perf_counter()
        elapsed = 0.0
        while elapsed < 0.25 or count < 3:
            fn()
            count += 1
            elapsed = time.perf_counter() - t0
        out.append({"shape": "%dx%dx%d" % (m, k, n), "threads": threads,
                    "gflops": round(2.0 * m * k * n * count / elapsed / 1e9, 1)})
    return out


def peer_main(args):
    """In a child process: one peer's figures as one JSON line."""
    set_thread_env(args.threads)  # before any numerical import
    if args.part == "gemm":
        record = {"gemm": measure_gemm(args.peer, args.threads)}
    else:
        mlp, batches, tiny, tiny_batches = load_workload(args.workload)
        model = MODELS[args.peer](mlp, batches, "relu", "softmax_ce", MLP_LR, args.threads)
        seconds, mlp_loss = time_steps(model, args.warmup, args.steps)
        tiny_model = MODELS[args.peer](tiny, tiny_batches, "sigmoid", "mse", TINY_LR, args.threads)
        tiny_seconds, tiny_loss = time_steps(tiny_model, TINY_WARMUP, args.tiny_steps)
        record = {
            "version": model.version,
            "mlp_samples_per_s": round(BATCH * args.steps / seconds),
            "mlp_final_loss": mlp_loss,
            "tiny_step_us": round(1e6 * tiny_seconds / args.tiny_steps, 2),
            "tiny_final_loss": tiny_loss,
            "gemm": measure_gemm(args.peer, args.threads),
        }
        cnn = load_cnn(args.workload) if args.peer == "torch" and args.cnn_steps > 0 else None
        if cnn is not None:
            cnn_seconds, cnn_loss = time_steps(TorchCNN(cnn[0], cnn[1], args.threads), args.cnn_warmup, args.cnn_steps)
            record["cnn_samples_per_s"] = round(CNN_BATCH * args.cnn_steps / cnn_seconds)
            record["cnn_final_loss"] = cnn_loss
    record["peak_rss_mb"] = round(peak_rss_mb(), 1)
    record["env"] = {k: os.environ.get(k) for k in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")}
    sys.stdout.write(json.dumps(record) + "\n")


# --------------------------------------------------------------------------
# the driver
# --------------------------------------------------------------------------

def run_json(command, threads):
    env = set_thread_env(threads, dict(os.environ))
    done = subprocess.run(command, capture_output=True, text=True, env=env)
    if done.returncode != 0:
        raise RuntimeError("%s failed (exit %d): %s" % (" ".join(command), done.returncode,
                                                       done.stderr.strip()[-2000:]))
    return json.loads(done.stdout.strip().splitlines()[-1])


def run_dendrite(args, workload):
    base = [args.dendrite, "bench", "--json", "--workload", workload, "--steps", str(args.steps),
            "--tiny-steps", str(args.tiny_steps), "--cnn-steps", str(args.cnn_steps)]
    record = run_json(base + ["--threads", str(args.threads)], args.threads)
    record.setdefault("version", dendrite_version(args.dendrite))
    have = {g["threads"] for g in record["gemm"]}
    if 1 not in have:
        one = run_json([args.dendrite, "bench", "--json", "--gemm-only", "--threads", "1"], 1)
        record["gemm"] += one["gemm"]
    return record


def dendrite_version(path):
    done = subprocess.run([path, "--version"], capture_output=True, text=True)
    return done.stdout.strip() if done.returncode == 0 else ""


def float64_reference(workload, steps, warmup, tiny_steps):
    """Final losses of the same training in float64 numpy (untimed): where exact arithmetic
    lands, so that the float32 runs' differences can be read as rounding."""
    import numpy as np
    mlp, batches, tiny, tiny_batches = load_workload(workload)
    up = lambda items: [tuple(a.astype(np.float64) if a.dtype == np.float32 else a for a in item)
                        for item in items]
    model = NumpyMLP(up(mlp), up(batches), "relu", "softmax_ce", MLP_LR, 1)
    model.lr = np.float64(MLP_LR)
    _, mlp_loss = time_steps(model, warmup, steps)
    tiny_model = NumpyMLP(up(tiny), up(tiny_batches), "sigmoid", "mse", TINY_LR, 1)
    tiny_model.lr = np.float64(TINY_LR)
    _, tiny_loss = time_steps(tiny_model, TINY_WARMUP, tiny_steps)
    return {"mlp_final_loss": mlp_loss, "tiny_final_loss": tiny_loss}


def run_peer(args, name, workload):
    """One peer in fresh processes, so that its memory and threads are its own."""
    base = [sys.executable, os.path.abspath(__file__), "--peer", name, "--workload", workload,
            "--steps", str(args.steps), "--warmup", str(args.warmup),
            "--tiny-steps", str(args.tiny_steps), "--cnn-steps", str(args.cnn_steps),
            "--cnn-warmup", str(args.cnn_warmup)]
    record = run_json(base + ["--threads", str(args.threads)], args.threads)
    if args.threads != 1:
        record["gemm"] += run_json(base + ["--threads", "1", "--part", "gemm"], 1)["gemm"]
    return record


def summarize(runs):
    """Per framework: medians and bests over the rounds."""
    summary = {}
    for name, records in runs.items():
        if not records:
            continue
        mlp = [r["mlp_samples_per_s"] for r in records]
        tiny = [r["tiny_step_us"] for r in records]
        gemm = {}
        for r in records:
            for g in r["gemm"]:
                gemm.setdefault("%s@%d" % (g["shape"], g["threads"]), []).append(g["gflops"])
        summary[name] = {
            "version": records[-1].get("version", ""),
            "mlp_samples_per_s_median": statistics.median(mlp),
            "mlp_samples_per_s_best": max(mlp),
            "mlp_final_loss": records[-1]["mlp_final_loss"],
            "mlp_final_losses": sorted({r["mlp_final_loss"] for r in records}),
            "tiny_step_us_median": statistics.median(tiny),
            "tiny_step_us_best": min(tiny),
            "tiny_final_loss": records[-1]["tiny_final_loss"],
            "tiny_tape_step_us_median": statistics.median(
                [r["tiny_tape_step_us"] for r in records if "tiny_tape_step_us" in r] or [float("nan")]),
            "peak_rss_mb_median": statistics.median(r["peak_rss_mb"] for r in records),
            "cnn_samples_per_s_median": statistics.median(
                [r["cnn_samples_per_s"] for r in records if "cnn_samples_per_s" in r] or [float("nan")]),
            "cnn_samples_per_s_best": max(
                [r["cnn_samples_per_s"] for r in records if "cnn_samples_per_s" in r] or [float("nan")]),
            "cnn_final_loss": records[-1].get("cnn_final_loss", float("nan")),
            "gemm_gflops_median": {k: statistics.median(v) for k, v in gemm.items()},
            "gemm_gflops_best": {k: max(v) for k, v in gemm.items()},
        }
    return summary


def ratios(summary, peer="best"):
    """Dendrite median / peer best (peer="best", the conservative ratio the README quotes)
    or / peer median (peer="median"), as speeds (above 1: Dendrite faster)."""
    d = summary.get("dendrite")
    out = {}
    for name, s in summary.items():
        if name == "dendrite" or d is None:
            continue
        r = {"mlp_samples_per_s": d["mlp_samples_per_s_median"] / s["mlp_samples_per_s_" + peer],
             "tiny_steps_per_s": s["tiny_step_us_" + peer] / d["tiny_step_us_median"]}
        if s["cnn_samples_per_s_" + peer] == s["cnn_samples_per_s_" + peer]:  # not NaN
            r["cnn_samples_per_s"] = d["cnn_samples_per_s_median"] / s["cnn_samples_per_s_" + peer]
        for key, value in s["gemm_gflops_" + peer].items():
            if key in d["gemm_gflops_median"] and value > 0:
                r["gemm " + key] = d["gemm_gflops_median"][key] / value
        out[name] = r
    return out


def paired_ratios(runs):
    """Per peer: the median over rounds of Dendrite's speed over the peer's in the same round.
    Both ran back to back, so both met the machine in the same phase; on a machine whose
    speed swings between phases this is the steadiest of the three ratios."""
    d = runs.get("dendrite") or []
    out = {}
    for name, records in runs.items():
        if name == "dendrite" or not records or not d:
            continue
        pairs = list(zip(d, records))
        r = {"mlp_samples_per_s": statistics.median(a["mlp_samples_per_s"] / b["mlp_samples_per_s"] for a, b in pairs),
             "tiny_steps_per_s": statistics.median(b["tiny_step_us"] / a["tiny_step_us"] for a, b in pairs)}
        cnn_pairs = [a["cnn_samples_per_s"] / b["cnn_samples_per_s"] for a, b in pairs
                     if "cnn_samples_per_s" in a and "cnn_samples_per_s" in b]
        if cnn_pairs:
            r["cnn_samples_per_s"] = statistics.median(cnn_pairs)
        keys = {"%s@%d" % (g["shape"], g["threads"]) for g in records[0]["gemm"]}
        for key in sorted(keys):
            values = []
            for a, b in pairs:
                mine = {"%s@%d" % (g["shape"], g["threads"]): g["gflops"] for g in a["gemm"]}
                theirs = {"%s@%d" % (g["shape"], g["threads"]): g["gflops"] for g in b["gemm"]}
                if key in mine and theirs.get(key, 0) > 0:
                    values.append(mine[key] / theirs[key])
            if values:
                r["gemm " + key] = statistics.median(values)
        out[name] = r
    return out


def relative_difference(a, b):
    return abs(a - b) / max(abs(b), 1e-30)


def print_table(header, rows):
    widths = [max(len(str(x)) for x in col) for col in zip(header, *rows)]
    line = lambda cells: "  ".join(str(c).ljust(w) for c, w in zip(cells, widths)).rstrip()
    print(line(header))
    print(line(["-" * w for w in widths]))
    for row in rows:
        print(line(row))


def print_report(summary, ratio, median_ratio, paired, unavailable, args, workload, reference):
    print("Workload %s (seed %d); MLP %s steps after %s warmup; %d rounds; --threads %d"
          % (workload, args.seed, args.steps, args.warmup, args.rounds, args.threads))
    rows = []
    for name, s in summary.items():
        rows.append([name, s["version"],
                     "%.0f" % s["mlp_samples_per_s_median"], "%.0f" % s["mlp_samples_per_s_best"],
                     "%.7g" % s["mlp_final_loss"],
                     "%.2f" % s["tiny_step_us_median"], "%.2f" % s["tiny_step_us_best"],
                     "%.7g" % s["tiny_final_loss"], "%.1f" % s["peak_rss_mb_median"]])
    print_table(["framework", "version", "MLP samples/s median", "best", "MLP final loss",
                 "tiny µs median", "best", "tiny final loss", "peak RSS MB"], rows)
    cnn_rows = [[name, "%.0f" % s["cnn_samples_per_s_median"], "%.0f" % s["cnn_samples_per_s_best"],
                 "%.7g" % s["cnn_final_loss"]]
                for name, s in summary.items() if s["cnn_samples_per_s_median"] == s["cnn_samples_per_s_median"]]
    if cnn_rows:
        print()
        print("CNN (conv32-conv64-dense128 on 28x28, batch 64, Adam 1e-3), %d steps after %d warmup"
              % (args.cnn_steps, args.cnn_warmup))
        print_table(["framework", "CNN samples/s median", "best", "CNN final loss"], cnn_rows)
    print()
    keys = []
    for s in summary.values():
        for k in s["gemm_gflops_median"]:
            if k not in keys:
                keys.append(k)
    keys.sort(key=lambda k: (int(k.split("@")[1]), GEMM_SHAPES.index(
        tuple(int(x) for x in k.split("@")[0].split("x")))))
    rows = [[name] + ["%.1f / %.1f" % (s["gemm_gflops_median"][k], s["gemm_gflops_best"][k])
                      if k in s["gemm_gflops_median"] else "-" for k in keys]
            for name, s in summary.items()]
    print("GEMM GFLOP/s, median / best (shape MxKxN @ threads)")
    print_table(["framework"] + keys, rows)
    if ratio:
        print()
        print("Speed ratios, Dendrite median / peer best (above 1: Dendrite faster)")
        cols = ["mlp_samples_per_s", "cnn_samples_per_s", "tiny_steps_per_s"] + ["gemm " + k for k in keys]
        print_table(["peer"] + [c.replace("gemm ", "") for c in cols],
                    [[name] + ["%.2f" % r[c] if c in r else "-" for c in cols]
                     for name, r in ratio.items()])
        print()
        print("Speed ratios, Dendrite median / peer median")
        print_table(["peer"] + [c.replace("gemm ", "") for c in cols],
                    [[name] + ["%.2f" % r[c] if c in r else "-" for c in cols]
                     for name, r in median_ratio.items()])
        print()
        print("Speed ratios, median over rounds of Dendrite / peer in the same round (paired)")
        print_table(["peer"] + [c.replace("gemm ", "") for c in cols],
                    [[name] + ["%.2f" % r[c] if c in r else "-" for c in cols]
                     for name, r in paired.items()])
    if "dendrite" in summary:
        print()
        print("Dendrite's tiny step through the gradient tape (valueWithGradients + optimizer.update): "
              "median %.2f µs" % summary["dendrite"]["tiny_tape_step_us_median"])
    if "numpy" in summary:
        n = summary["numpy"]
        print()
        print("Final losses relative to numpy's (float64 numpy: MLP %.9g, tiny %.9g)"
              % (reference["mlp_final_loss"], reference["tiny_final_loss"]))
        rows = []
        for name, s in list(summary.items()) + [("numpy float64", reference)]:
            rows.append([name, "%.9g" % s["mlp_final_loss"],
                         "%.1e" % relative_difference(s["mlp_final_loss"], n["mlp_final_loss"]),
                         "%.9g" % s["tiny_final_loss"],
                         "%.1e" % relative_difference(s["tiny_final_loss"], n["tiny_final_loss"])])
        print_table(["framework", "MLP final loss", "rel. diff", "tiny final loss", "rel. diff"], rows)
    for name, reason in unavailable.items():
        print("%s: not run (%s)" % (name, reason))


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0],
                                epilog="Conventions and the workload layout: see the script's docstring.")
    p.add_argument("--dendrite", default=".build/release/dendrite",
                   help="the dendrite executable (default %(default)s)")
    p.add_argument("--rounds", type=int, default=3, help="interleaved rounds (default %(default)s)")
    p.add_argument("--threads", type=int, default=2, help="compute threads (default %(default)s)")
    p.add_argument("--steps", type=int, default=300, help="timed MLP steps (default %(default)s)")
    p.add_argument("--warmup", type=int, default=30,
                   help="untimed MLP steps first; dendrite bench uses 30 (default %(default)s)")
    p.add_argument("--tiny-steps", type=int, default=TINY_STEPS,
                   help="timed tiny-network steps, after %d untimed (default %%(default)s)" % TINY_WARMUP)
    p.add_argument("--cnn-steps", type=int, default=40,
                   help="timed CNN steps, Dendrite and PyTorch; 0 skips the CNN (default %(default)s)")
    p.add_argument("--cnn-warmup", type=int, default=5,
                   help="untimed CNN steps first; dendrite bench uses 5 (default %(default)s)")
    p.add_argument("--seed", type=int, default=0, help="workload seed (default %(default)s)")
    p.add_argument("--peers", default=",".join(PEERS),
                   help="peers to run when importable (default %(default)s)")
    p.add_argument("--workload", help="keep the workload file here (default: a temporary file)")
    p.add_argument("--write-workload", metavar="FILE", help="only write the workload file and exit")
    p.add_argument("--json", action="store_true", help="print one JSON object instead of tables")
    p.add_argument("--peer", choices=PEERS, help=argparse.SUPPRESS)
    p.add_argument("--part", choices=["main", "gemm"], default="main", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if min(args.rounds, args.threads, args.steps, args.tiny_steps) < 1 or min(args.warmup, args.cnn_steps, args.cnn_warmup) < 0:
        p.error("--rounds, --threads, --steps and --tiny-steps must be positive, --warmup, --cnn-steps and "
                "--cnn-warmup not negative")

    if args.peer:
        peer_main(args)
        return 0

    set_thread_env(args.threads)  # before numpy is imported to write the workload
    if args.write_workload:
        make_workload(args.write_workload, args.seed)
        return 0
    if not os.path.isfile(args.dendrite) or not os.access(args.dendrite, os.X_OK):
        p.error("no dendrite executable at %s; run `swift build -c release` or pass --dendrite PATH"
                % args.dendrite)
    if args.warmup != 30:
        print("note: dendrite bench always warms up for 30 steps; the peers for %d" % args.warmup,
              file=sys.stderr)

    peers, unavailable = [], {}
    for name in [n.strip() for n in args.peers.split(",") if n.strip()]:
        if name not in PEERS:
            p.error("unknown peer %r; choose from %s" % (name, ", ".join(PEERS)))
        if importlib.util.find_spec(PEER_MODULES[name]) is None:
            unavailable[name] = "%s is not importable" % PEER_MODULES[name]
        else:
            peers.append(name)

    with tempfile.TemporaryDirectory(prefix="dendrite-bench-") as scratch:
        workload = args.workload or os.path.join(scratch, "workload.safetensors")
        make_workload(workload, args.seed)
        runs = {"dendrite": []}
        runs.update({name: [] for name in peers})
        for round_index in range(args.rounds):
            print("round %d/%d: dendrite" % (round_index + 1, args.rounds), file=sys.stderr)
            try:
                runs["dendrite"].append(run_dendrite(args, workload))
            except (RuntimeError, ValueError) as error:
                print("error: %s" % error, file=sys.stderr)
                return 1
            for name in peers:
                if name in unavailable:
                    continue
                print("round %d/%d: %s" % (round_index + 1, args.rounds, name), file=sys.stderr)
                try:
                    runs[name].append(run_peer(args, name, workload))
                except (RuntimeError, ValueError) as error:
                    unavailable[name] = str(error).splitlines()[-1][:300]
        summary = summarize({k: v for k, v in runs.items() if k not in unavailable or v})
        ratio, median_ratio = ratios(summary), ratios(summary, peer="median")
        paired = paired_ratios({k: v for k, v in runs.items() if k not in unavailable or v})
        reference = float64_reference(workload, args.steps, args.warmup, args.tiny_steps)
        if args.json:
            print(json.dumps({"config": {"rounds": args.rounds, "threads": args.threads,
                                         "steps": args.steps, "warmup": args.warmup,
                                         "tiny_steps": args.tiny_steps, "cnn_steps": args.cnn_steps,
                                         "cnn_warmup": args.cnn_warmup,
                                         "seed": args.seed, "workload": args.workload},
                              "runs": runs, "summary": summary, "ratios": ratio,
                              "ratios_to_median": median_ratio, "ratios_paired": paired,
                              "float64_reference": reference,
                              "unavailable": unavailable}, indent=1))
        else:
            print_report(summary, ratio, median_ratio, paired, unavailable, args, args.workload or "(temporary)", reference)
    return 0


if __name__ == "__main__":
    sys.exit(main())
