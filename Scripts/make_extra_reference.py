#!/usr/bin/env python3
"""Generate TensorFlow reference values for the activations and losses that the
shared fixture ``tf_reference_public.json`` does not cover.

Output: ``Tests/DendriteTests/Fixtures/tf_reference_extra.json``, header key
``"ops": "extra"``. The schema is the one described in
``Tests/DendriteTests/Fixtures/README.md`` (a copy of the shared reference README): one JSON
object, strict JSON (no NaN/Infinity literals), one case per line, tensors as
``{"shape": [...], "data": [...]}`` in row-major order, float32 results widened
exactly to float64, ``input_key`` = sha256 of
``json.dumps({"op", "dtype", "reduction", "inputs"}, sort_keys=True)`` (the same
encoding as the shared file, so the two files can be checked for disjointness).

Ops and the TF / Keras calls that produce them:

* activations (``reduction: "none"``; inputs ``x`` and ``upstream``; ``grad.x``
  is ``tape.gradient(y, x, output_gradients=upstream)``; ``derivative`` is the
  same VJP with an all-ones upstream):
  ``leaky_relu`` (``tf.nn.leaky_relu(x, alpha=0.2)``), ``elu`` (``tf.nn.elu``),
  ``selu`` (``tf.nn.selu``), ``gelu`` (``tf.nn.gelu(x, approximate=False)``),
  ``swish`` (``tf.nn.silu``), ``softplus`` (``tf.math.softplus``).
* losses (``reduction`` ``"mean"`` = Keras ``sum_over_batch_size`` or ``"sum"``;
  ``grad`` is d output / d prediction; ``per_sample`` is Keras
  ``reduction="none"``):
  ``mean_absolute_error`` (``keras.losses.MeanAbsoluteError``),
  ``huber`` (``keras.losses.Huber(delta=delta)``, ``delta`` a shape-[] input),
  ``kl_divergence`` (``keras.losses.KLDivergence``),
  ``softmax_cross_entropy_with_logits_smoothed``
  (``keras.losses.CategoricalCrossentropy(from_logits=True,
  label_smoothing=s)``, ``label_smoothing`` a shape-[] input),
  ``sparse_softmax_cross_entropy_with_logits_smoothed`` (the dense smoothed
  loss applied to ``tf.one_hot(labels, C)``), and ``negative_log_likelihood``
  (``labels`` int32 [B], ``y_pred`` log-probabilities [B, C];
  ``per_sample = -tf.gather(y_pred, labels, batch_dims=1)``, reduced as Keras
  does: sum, then divide by B for ``mean``).

Every input set is evaluated twice, in float32 and in float64 (same ``group``).
For a float32 case each float input is cast to float32 with round-to-nearest-even;
random inputs are pre-rounded to float32 so they are exact in both dtypes, while
hand-picked edge values (e.g. ``0.001``) are written as given. Labels are int32.
Every float64 value (output, grad, derivative, per_sample) is asserted against
closed-form numpy formulas (those of the README, with TF's own constants: alpha
and gelu's 1/sqrt(2) are float32 constants, softplus switches branch at
log(eps)+2) to within 1e-12 absolute + 1e-12 relative. float32 values are checked
against the same formulas at the README's float32 tolerance
(1e-6 + 1e-5 |b|), except for the documented selu tiny-negative divergence.

Tags: ``random``, ``edge_magnitudes`` (0, +-1e-3, +-10, +-100, +-1000 plus
random values), ``saturation`` (large-|x| tails), ``softplus_threshold``
(softplus around its branch switches 13.94 / 34.04), ``tiny_negative`` (selu at
-1e-8 .. -1e-7, where float32 exp(x) - 1 rounds to 0 and TF's output-based
derivative gives lambda instead of lambda*alpha), ``zero_error``,
``delta_boundary`` (Huber errors of exactly +-delta, +-2 delta, +-delta/2, 0),
``one_hot``, ``confident``, ``out_of_range``, ``prob_exact_0_1``,
``soft_labels``, ``edge_logit_<m>`` with ``signs`` / ``offset`` (as in the shared
file), ``readme_example`` (the worked numbers quoted in the README; asserted).

How it was run (from the repository root, in a venv with
``pip install tensorflow-cpu==2.21.0``):

    python3 Scripts/make_extra_reference.py \
        --output Tests/DendriteTests/Fixtures/tf_reference_extra.json

with tensorflow-cpu 2.21.0, keras 3.15.1, numpy 2.4.6 (Python 3.11), eager mode,
CPU only, TF_ENABLE_ONEDNN_OPTS=0 and op determinism on (both set by this
script), seed 1 (numpy ``default_rng(1)``). The output is byte-for-byte
deterministic: running the script twice gives identical files.
"""

import argparse
import hashlib
import json
import math
import os
import sys

# Must be set before TensorFlow is imported.
os.environ["TF_ENABLE_ONEDNN_OPTS"] = "0"
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ["CUDA_VISIBLE_DEVICES"] = ""
os.environ["KERAS_BACKEND"] = "tensorflow"

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
import keras  # noqa: E402

SEED = 1
GENERATOR = "Scripts/make_extra_reference.py"
EPS = 1e-7  # keras.config.epsilon()

DTYPES = ("float32", "float64")
TF_DTYPE = {"float32": tf.float32, "float64": tf.float64}
NP_DTYPE = {"float32": np.float32, "float64": np.float64}
KERAS_REDUCTION = {"mean": "sum_over_batch_size", "sum": "sum"}

EDGE = [0.0, 1e-3, -1e-3, 10.0, -10.0, 100.0, -100.0, 1000.0, -1000.0]

# TF constants, as the kernels / Python wrappers use them.
LEAKY_ALPHA = 0.2
SELU_SCALE = 1.0507009873554804934193349852946
SELU_ALPHA = 1.6732632423543772848170429916717
SELU_SCALE_ALPHA = 1.7580993408473768599402175208123

ACTIVATION_CALLS = {
    "leaky_relu": ("tf.nn.leaky_relu(x, alpha=0.2)", lambda x: tf.nn.leaky_relu(x, alpha=LEAKY_ALPHA)),
    "elu": ("tf.nn.elu(x)", tf.nn.elu),
    "selu": ("tf.nn.selu(x)", tf.nn.selu),
    "gelu": ("tf.nn.gelu(x, approximate=False)", lambda x: tf.nn.gelu(x, approximate=False)),
    "swish": ("tf.nn.silu(x)", tf.nn.silu),
    "softplus": ("tf.math.softplus(x)", tf.math.softplus),
}

LOSS_CALLS = {
    "mean_absolute_error": "keras.losses.MeanAbsoluteError(reduction=R, dtype=D)(y_true, y_pred)",
    "huber": "keras.losses.Huber(delta=delta, reduction=R, dtype=D)(y_true, y_pred)",
    "kl_divergence": "keras.losses.KLDivergence(reduction=R, dtype=D)(y_true, y_pred)",
    "softmax_cross_entropy_with_logits_smoothed": (
        "keras.losses.CategoricalCrossentropy(from_logits=True, label_smoothing=label_smoothing, "
        "reduction=R, dtype=D)(y_true, logits)"
    ),
    "sparse_softmax_cross_entropy_with_logits_smoothed": (
        "keras.losses.CategoricalCrossentropy(from_logits=True, label_smoothing=label_smoothing, "
        "reduction=R, dtype=D)(tf.one_hot(labels, C, dtype=D), logits)"
    ),
    "negative_log_likelihood": (
        "-tf.gather(y_pred, labels, batch_dims=1), reduced as Keras R: "
        "tf.reduce_sum(.) / B for mean, tf.reduce_sum(.) for sum"
    ),
}

PRED_NAME = {
    "mean_absolute_error": "y_pred",
    "huber": "y_pred",
    "kl_divergence": "y_pred",
    "softmax_cross_entropy_with_logits_smoothed": "logits",
    "sparse_softmax_cross_entropy_with_logits_smoothed": "logits",
    "negative_log_likelihood": "y_pred",
}


# ---------------------------------------------------------------------------
# Input construction helpers
# ---------------------------------------------------------------------------

def f32(a):
    """Round to float32 (nearest even) and widen back to float64."""
    return np.asarray(a, dtype=np.float64).astype(np.float32).astype(np.float64)


class Inputs:
    def __init__(self, rng):
        self.rng = rng

    def normal(self, shape, scale=1.0):
        return f32(self.rng.standard_normal(shape) * scale)

    def uniform(self, shape, lo, hi):
        return f32(self.rng.uniform(lo, hi, shape))

    def upstream(self, shape, ones):
        if ones:
            return np.ones(shape, dtype=np.float64)
        return self.uniform(shape, -1.0, 1.0)

    def edge_vector(self, n):
        """The 9 edge magnitudes plus n - 9 standard normals, shuffled, as [1, n]."""
        vals = np.array(EDGE + list(self.normal(n - len(EDGE))), dtype=np.float64)
        return vals[self.rng.permutation(n)].reshape(1, n)

    def probabilities(self, shape):
        p = self.rng.uniform(0.05, 1.0, shape)
        return f32(p / p.sum(axis=-1, keepdims=True))

    def labels(self, batch, classes):
        return self.rng.integers(0, classes, batch).astype(np.int64)

    def one_hot(self, labels, classes):
        return np.eye(classes, dtype=np.float64)[labels]

    def sign_logits(self, labels, classes, m, correct=True):
        """Logits of +-m: the labelled class gets +m (correct) or -m (wrong), others random signs."""
        b = len(labels)
        x = np.where(self.rng.random((b, classes)) < 0.5, -m, m).astype(np.float64)
        x[np.arange(b), labels] = m if correct else -m
        return x

    def offset_logits(self, shape, m):
        return (m + self.rng.integers(-3, 4, shape)).astype(np.float64)


# ---------------------------------------------------------------------------
# JSON encoding
# ---------------------------------------------------------------------------

def _num(v):
    v = float(v)
    if math.isnan(v):
        return "NaN"
    if math.isinf(v):
        return "Infinity" if v > 0 else "-Infinity"
    return v


def tensor(a, integer=False):
    a = np.asarray(a)
    data = [int(v) for v in a.reshape(-1)] if integer else [_num(v) for v in a.reshape(-1).astype(np.float64)]
    return {"shape": [int(d) for d in a.shape], "data": data}


def input_key(op, dtype, reduction, inputs):
    blob = json.dumps({"op": op, "dtype": dtype, "reduction": reduction, "inputs": inputs}, sort_keys=True)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


# ---------------------------------------------------------------------------
# Closed forms (numpy, float64 arithmetic; constants per TF dtype)
# ---------------------------------------------------------------------------

def np_sigmoid(x):
    with np.errstate(over="ignore"):
        return np.where(x >= 0, 1.0 / (1.0 + np.exp(-x)), np.exp(x) / (1.0 + np.exp(x)))


def closed_activation(op, x, dtype):
    """Returns (y, derivative) as TF computes them, evaluated in float64."""
    with np.errstate(over="ignore", invalid="ignore"):
        if op == "leaky_relu":
            a = float(np.float32(LEAKY_ALPHA))  # float32 attribute, also in float64 runs
            return np.where(x > 0, x, a * x), np.where(x > 0, 1.0, a)
        if op == "elu":
            y = np.where(x < 0, np.exp(x) - 1.0, x)
            return y, np.where(y < 0, y + 1.0, 1.0)
        if op == "selu":
            y = np.where(x < 0, SELU_SCALE_ALPHA * (np.exp(x) - 1.0), SELU_SCALE * x)
            return y, np.where(y < 0, y + SELU_SCALE_ALPHA, SELU_SCALE)
        if op == "gelu":
            c = float(np.float32(0.7071067811865476))  # TF casts a float32 constant
            erfc = np.vectorize(math.erfc)
            y = 0.5 * x * erfc(-x * c)
            d = 0.5 * erfc(-x * c) + 0.5 * x * (2.0 / math.sqrt(math.pi)) * np.exp(-(x * c) ** 2) * c
            return y, d
        if op == "swish":
            s = np_sigmoid(x)
            return x * s, s * (1.0 + x * (1.0 - s))
        if op == "softplus":
            thr = math.log(np.finfo(NP_DTYPE[dtype]).eps) + 2.0
            y = np.where(x > -thr, x, np.where(x < thr, np.exp(x), np.log1p(np.exp(x))))
            return y, np_sigmoid(x)
    raise ValueError(op)


def closed_gelu_exact(x):
    """x * Phi(x) and Phi(x) + x phi(x), with the exact 1/sqrt(2)."""
    erfc = np.vectorize(math.erfc)
    phi = 0.5 * erfc(-x / math.sqrt(2.0))
    return x * phi, phi + x * np.exp(-0.5 * x * x) / math.sqrt(2.0 * math.pi)


def np_log_softmax(x):
    m = x.max(axis=-1, keepdims=True)
    z = x - m
    return z - np.log(np.exp(z).sum(axis=-1, keepdims=True))


def closed_loss(op, inputs, dtype):
    """Returns (per_sample [B], d per_sample / d pred [B, ...])."""
    eps = float(np.float32(EPS)) if dtype == "float32" else EPS
    if op == "mean_absolute_error":
        e = inputs["y_pred"] - inputs["y_true"]
        d = e.shape[-1]
        return np.abs(e).mean(axis=-1), np.sign(e) / d
    if op == "huber":
        delta = float(inputs["delta"])
        e = inputs["y_pred"] - inputs["y_true"]
        a = np.abs(e)
        quad = a <= delta
        ps = np.where(quad, 0.5 * e * e, delta * a - 0.5 * delta * delta).mean(axis=-1)
        return ps, np.where(quad, e, delta * np.sign(e)) / e.shape[-1]
    if op == "kl_divergence":
        t, p = inputs["y_true"], inputs["y_pred"]
        tc, pc = np.clip(t, eps, 1.0), np.clip(p, eps, 1.0)
        ps = (tc * np.log(tc / pc)).sum(axis=-1)
        return ps, np.where((p >= eps) & (p <= 1.0), -tc / pc, 0.0)
    if op in ("softmax_cross_entropy_with_logits_smoothed", "sparse_softmax_cross_entropy_with_logits_smoothed"):
        x = inputs["logits"]
        c = x.shape[-1]
        s = float(inputs["label_smoothing"])
        t = inputs["y_true"] if "y_true" in inputs else np.eye(c)[inputs["labels"]]
        tp = t * (1.0 - s) + s / c
        ls = np_log_softmax(x)
        ps = -(tp * ls).sum(axis=-1)
        return ps, np.exp(ls) * tp.sum(axis=-1, keepdims=True) - tp
    if op == "negative_log_likelihood":
        p, lab = inputs["y_pred"], inputs["labels"]
        b = np.arange(p.shape[0])
        g = np.zeros_like(p)
        g[b, lab] = -1.0
        return -p[b, lab], g
    raise ValueError(op)


def close(a, b, atol, rtol):
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    return a.shape == b.shape and bool(np.all(np.abs(a - b) <= atol + rtol * np.abs(b)))


# ---------------------------------------------------------------------------
# TensorFlow evaluation
# ---------------------------------------------------------------------------

def to_tf(a, dtype):
    """Cast float64 inputs to the case dtype (round to nearest even)."""
    return tf.constant(np.asarray(a, dtype=np.float64).astype(NP_DTYPE[dtype]))


def widen(t):
    return np.asarray(t.numpy()).astype(np.float64)


def run_activation(op, x, upstream, dtype):
    fn = ACTIVATION_CALLS[op][1]
    with tf.device("/CPU:0"):
        xt = to_tf(x, dtype)
        ut = to_tf(upstream, dtype)
        with tf.GradientTape(persistent=True) as tape:
            tape.watch(xt)
            y = fn(xt)
        g = tape.gradient(y, xt, output_gradients=ut)
        d = tape.gradient(y, xt, output_gradients=tf.ones_like(y))
        del tape
    for t in (y, g, d):
        assert t.dtype == TF_DTYPE[dtype], (op, dtype, t.dtype)
    return widen(y), widen(g), widen(d)


def keras_loss(op, inputs, reduction, dtype):
    """Returns a callable (pred tensor) -> loss, with the other inputs bound."""
    red = KERAS_REDUCTION.get(reduction, reduction)
    if op == "mean_absolute_error":
        loss = keras.losses.MeanAbsoluteError(reduction=red, dtype=dtype)
        yt = to_tf(inputs["y_true"], dtype)
        return lambda p: loss(yt, p)
    if op == "huber":
        delta = float(NP_DTYPE[dtype](inputs["delta"]))
        loss = keras.losses.Huber(delta=delta, reduction=red, dtype=dtype)
        yt = to_tf(inputs["y_true"], dtype)
        return lambda p: loss(yt, p)
    if op == "kl_divergence":
        loss = keras.losses.KLDivergence(reduction=red, dtype=dtype)
        yt = to_tf(inputs["y_true"], dtype)
        return lambda p: loss(yt, p)
    if op in ("softmax_cross_entropy_with_logits_smoothed", "sparse_softmax_cross_entropy_with_logits_smoothed"):
        s = float(NP_DTYPE[dtype](inputs["label_smoothing"]))
        loss = keras.losses.CategoricalCrossentropy(
            from_logits=True, label_smoothing=s, reduction=red, dtype=dtype)
        if "y_true" in inputs:
            yt = to_tf(inputs["y_true"], dtype)
        else:
            c = inputs["logits"].shape[-1]
            yt = tf.one_hot(tf.constant(inputs["labels"], dtype=tf.int32), c, dtype=TF_DTYPE[dtype])
        return lambda p: loss(yt, p)
    if op == "negative_log_likelihood":
        labels = tf.constant(inputs["labels"], dtype=tf.int32)
        batch = int(inputs["labels"].shape[0])

        def nll(p):
            ps = -tf.gather(p, labels, batch_dims=1)
            if reduction == "none":
                return ps
            total = tf.reduce_sum(ps)
            if reduction == "sum":
                return total
            return total / tf.constant(batch, dtype=p.dtype)
        return nll
    raise ValueError(op)


def run_loss(op, inputs, reduction, dtype):
    pred_name = PRED_NAME[op]
    with tf.device("/CPU:0"):
        pred = to_tf(inputs[pred_name], dtype)
        fn = keras_loss(op, inputs, reduction, dtype)
        with tf.GradientTape() as tape:
            tape.watch(pred)
            out = fn(pred)
        g = tape.gradient(out, pred)
        ps = keras_loss(op, inputs, "none", dtype)(pred)
    for t in (out, g, ps):
        assert t.dtype == TF_DTYPE[dtype], (op, dtype, t.dtype)
    assert tuple(out.shape) == () and tuple(ps.shape) == (inputs[pred_name].shape[0],), (op, out.shape, ps.shape)
    return widen(out), widen(g), widen(ps)


# ---------------------------------------------------------------------------
# Case assembly and checks
# ---------------------------------------------------------------------------

class Builder:
    def __init__(self):
        self.cases = []
        self.counters = {}
        self.float32_notes = []

    def _group(self, op):
        n = self.counters.get(op, 0)
        self.counters[op] = n + 1
        return f"{op}/{n:03d}"

    def activation(self, op, x, upstream, tags, note=None):
        group = self._group(op)
        enc_inputs = {"x": tensor(x), "upstream": tensor(upstream)}
        for dtype in DTYPES:
            y, g, d = run_activation(op, x, upstream, dtype)
            xin = f32(x) if dtype == "float32" else x
            uin = f32(upstream) if dtype == "float32" else upstream
            cy, cd = closed_activation(op, xin, dtype)
            cg = uin * cd
            self._check(group, dtype, tags, {"output": (y, cy), "grad.x": (g, cg), "derivative": (d, cd)})
            if op == "gelu" and dtype == "float64":
                # The exact-1/sqrt(2) formula differs only through TF's float32 constant: relative
                # error ~1.7e-8 * (1 + x^2), growing in the negative tail (1.7e-6 at x = -10).
                ey, ed = closed_gelu_exact(x)
                rel = 3e-8 * (1.0 + x * x)
                assert np.all(np.abs(y - ey) <= 1e-8 + rel * np.abs(ey)), group
                assert np.all(np.abs(d - ed) <= 1e-8 + rel * np.abs(ed)), group
            case = {
                "id": f"{group}/{dtype}", "group": group, "op": op, "dtype": dtype, "reduction": "none",
                "inputs": enc_inputs, "output": tensor(y), "grad": {"x": tensor(g)}, "derivative": tensor(d),
                "tags": list(tags),
            }
            if note:
                case["note"] = note
            case["framework_call"] = ACTIVATION_CALLS[op][0]
            case["input_key"] = input_key(op, dtype, "none", enc_inputs)
            self.cases.append(case)
        return group

    def loss(self, op, inputs, reduction, tags, note=None):
        group = self._group(op)
        enc_inputs = {k: tensor(v, integer=(k == "labels")) for k, v in inputs.items()}
        pred_name = PRED_NAME[op]
        for dtype in DTYPES:
            out, g, ps = run_loss(op, inputs, reduction, dtype)
            cin = {k: (v if k == "labels" or dtype == "float64" else f32(v)) for k, v in inputs.items()}
            cps, cdps = closed_loss(op, cin, dtype)
            batch = cps.shape[0]
            cout = cps.sum() / batch if reduction == "mean" else cps.sum()
            cg = cdps / batch if reduction == "mean" else cdps
            self._check(group, dtype, tags, {"output": (out, cout), f"grad.{pred_name}": (g, cg),
                                             "per_sample": (ps, cps)})
            case = {
                "id": f"{group}/{dtype}", "group": group, "op": op, "dtype": dtype, "reduction": reduction,
                "inputs": enc_inputs, "output": tensor(out), "grad": {pred_name: tensor(g)},
                "per_sample": tensor(ps), "tags": list(tags),
            }
            if note:
                case["note"] = note
            case["framework_call"] = LOSS_CALLS[op]
            case["input_key"] = input_key(op, dtype, reduction, enc_inputs)
            self.cases.append(case)
        return group

    def _check(self, group, dtype, tags, pairs):
        for name, (tf_val, ref) in pairs.items():
            assert np.all(np.isfinite(tf_val)), (group, dtype, name, "non-finite TF value")
            if dtype == "float64":
                ok = close(tf_val, ref, 1e-12, 1e-12)
                assert ok, (group, dtype, name, np.max(np.abs(tf_val - ref)), tf_val, ref)
            else:
                ok = close(tf_val, ref, 1e-6, 1e-5)
                if not ok:
                    # Documented in the README: float32 selu of x in (-3e-8, 0) gives y = 0 and so a
                    # derivative of lambda, where the float64 formula gives ~lambda*alpha.
                    assert "tiny_negative" in tags and name in ("grad.x", "derivative"), (
                        group, dtype, name, np.max(np.abs(tf_val - ref)), tf_val, ref)
                    self.float32_notes.append(f"{group}/{dtype} {name}")

    def by_group(self, group, dtype):
        for c in self.cases:
            if c["id"] == f"{group}/{dtype}":
                return c
        raise KeyError(group)


def build():
    rng = np.random.default_rng(SEED)
    gen = Inputs(rng)
    b = Builder()

    # ----------------------------- activations -----------------------------
    for op in ACTIVATION_CALLS:
        x = gen.edge_vector(12)
        b.activation(op, x, gen.upstream(x.shape, True), ["edge_magnitudes"])
        x = gen.edge_vector(14)
        b.activation(op, x, gen.upstream(x.shape, False), ["edge_magnitudes"])
        for shape, ones in (((7, 3), True), ((1, 10), False), ((7, 10), False), ((7, 2), True), ((3, 1), False)):
            x = gen.normal(shape, 3.0)
            b.activation(op, x, gen.upstream(shape, ones), ["random"])
        if op in ("gelu", "swish", "elu", "selu"):
            x = np.array([[5.0, -5.0, 8.0, -8.0, 12.0, -12.0, 20.0, -20.0, 30.0, -30.0, 40.0, -40.0]])
            b.activation(op, x, gen.upstream(x.shape, True), ["saturation"])
        if op == "softplus":
            x = np.array([[13.9, -13.9, 14.0, -14.0, 20.0, -20.0, 34.0, -34.0, 34.1, -34.1, 40.0, -40.0]])
            b.activation(op, x, gen.upstream(x.shape, True), ["softplus_threshold"],
                         note="TF softplus returns x above -(log(eps)+2) = 13.94 (float32) / 34.04 (float64), "
                              "exp(x) below log(eps)+2, log1p(exp(x)) in between")
        if op == "selu":
            x = np.array([[-1e-8, -2e-8, -3e-8, -5e-8, -1e-7, 0.0, 1e-8, -1e-6]])
            b.activation(op, x, gen.upstream(x.shape, True), ["tiny_negative"],
                         note="float32 exp(x) - 1 rounds to 0 for x in (-3e-8, 0), so y = 0 and TF's "
                              "output-based derivative is lambda = 1.0507 there; float64 gives ~lambda*alpha = "
                              "1.7581. Accept either (README either-or rule)")

    # ------------------------------- losses --------------------------------
    # mean_absolute_error
    op = "mean_absolute_error"
    for shape, red in (((1, 1), "mean"), ((7, 1), "mean"), ((7, 3), "mean"), ((1, 10), "mean"),
                       ((7, 10), "sum"), ((3, 2), "mean")):
        b.loss(op, {"y_true": gen.normal(shape), "y_pred": gen.normal(shape)}, red, ["random"])
    t = gen.normal((7, 3))
    p = gen.normal((7, 3))
    mask = gen.rng.random((7, 3)) < 0.5
    mask[0, :] = True  # one sample with zero loss
    p = np.where(mask, t, p)
    b.loss(op, {"y_true": t, "y_pred": p}, "mean", ["zero_error"])
    p = np.concatenate([gen.edge_vector(12), gen.edge_vector(12)], axis=0)
    b.loss(op, {"y_true": gen.normal(p.shape), "y_pred": p}, "mean", ["edge_magnitudes"])

    # huber
    op = "huber"
    for shape, delta, red in (((7, 3), 1.0, "mean"), ((1, 10), 1.0, "mean"), ((7, 2), 0.5, "sum"),
                              ((3, 10), 1.5, "mean"), ((1, 1), 1.0, "mean")):
        b.loss(op, {"y_true": gen.normal(shape), "y_pred": gen.normal(shape, 1.5),
                    "delta": np.array(delta)}, red, ["random"])
    nice = np.array([-1.5, -0.25, 0.0, 0.75, 2.0, 0.5, -3.0])  # exactly representable targets
    for delta, rows, red in ((1.0, 3, "mean"), (0.5, 3, "sum")):
        errs = np.array([delta, -delta, 2 * delta, -2 * delta, delta / 2, -delta / 2, 0.0])
        e = np.stack([errs[gen.rng.permutation(7)] for _ in range(rows)])
        t = np.stack([nice[gen.rng.permutation(7)] for _ in range(rows)])
        b.loss(op, {"y_true": t, "y_pred": t + e, "delta": np.array(delta)}, red, ["delta_boundary"])
    t = np.array([-1.5, -0.25, 0.0, 0.75, 2.0, 0.5, -3.0, 1.0, -1.0])[gen.rng.permutation(9)].reshape(1, 9)
    e = np.array(EDGE)[gen.rng.permutation(9)].reshape(1, 9)
    b.loss(op, {"y_true": t, "y_pred": t + e, "delta": np.array(1.0)}, "mean", ["edge_magnitudes"])

    # kl_divergence
    op = "kl_divergence"
    for shape, red in (((7, 3), "mean"), ((1, 10), "mean"), ((7, 2), "sum"), ((3, 10), "mean")):
        b.loss(op, {"y_true": gen.probabilities(shape), "y_pred": gen.probabilities(shape)}, red, ["random"])
    lab = gen.labels(7, 3)
    b.loss(op, {"y_true": gen.one_hot(lab, 3), "y_pred": gen.probabilities((7, 3))}, "mean", ["one_hot"])
    b.loss(op, {"y_true": np.array([[0.0, 1.0, 0.0]]), "y_pred": np.array([[0.05, 0.9, 0.05]])}, "mean",
           ["one_hot", "confident", "readme_example"],
           note="README example: KL of labels (0, 1, 0) from (0.05, 0.9, 0.05) is 0.10535789118515086 "
                "(ln(1/0.9) = 0.10536051565782628; the clipped zero labels add -2.6e-6), "
                "grad (-2e-6, -1.1111111, -2e-6)")
    lab = gen.labels(3, 10)
    conf = np.full((3, 10), 0.001)
    conf[np.arange(3), lab] = 0.991
    b.loss(op, {"y_true": gen.one_hot(lab, 10), "y_pred": conf}, "sum", ["one_hot", "confident"])
    b.loss(op, {"y_true": np.array([[0.2, 0.0, 0.3, 0.5, 1.0, 0.0], [1.2, -0.3, 0.0, 0.1, 0.4, 0.6]]),
                "y_pred": np.array([[-0.1, 0.0, 1.5, 1.0, 1e-8, 1e-7], [0.5, 0.2, 1.0000001, 0.0, -1e-3, 2.0]])},
           "mean", ["out_of_range", "prob_exact_0_1"])
    b.loss(op, {"y_true": np.array([[1.0, 0.0, 0.0]]), "y_pred": np.array([[1.0, 0.0, 0.0]])}, "mean",
           ["one_hot", "prob_exact_0_1"])

    # softmax_cross_entropy_with_logits_smoothed
    op = "softmax_cross_entropy_with_logits_smoothed"
    sm = np.array(0.1)
    b.loss(op, {"y_true": np.array([[0.0, 1.0, 0.0]]), "logits": np.array([[1.0, 5.0, 3.0]]),
                "label_smoothing": sm}, "mean", ["one_hot", "readme_example"],
           note="README example: t' = (1/30, 14/15, 1/30), loss 0.34293162849989967, "
                "grad (-0.017457093, -0.066520001, 0.083977094)")
    for shape, s, red in (((7, 10), 0.1, "mean"), ((1, 2), 0.2, "sum"), ((1, 3), 0.1, "mean")):
        lab = gen.labels(shape[0], shape[1])
        b.loss(op, {"y_true": gen.one_hot(lab, shape[1]), "logits": gen.normal(shape, 2.0),
                    "label_smoothing": np.array(s)}, red, ["random", "one_hot"])
    b.loss(op, {"y_true": gen.probabilities((7, 3)), "logits": gen.normal((7, 3), 2.0),
                "label_smoothing": np.array(0.2)}, "mean", ["random", "soft_labels"])
    lab = gen.labels(3, 3)
    b.loss(op, {"y_true": gen.one_hot(lab, 3), "logits": gen.sign_logits(lab, 3, 1000.0),
                "label_smoothing": np.array(0.1)}, "mean", ["confident", "edge_logit_1000", "signs"])
    lab = gen.labels(7, 10)
    b.loss(op, {"y_true": gen.one_hot(lab, 10), "logits": gen.offset_logits((7, 10), 1000.0),
                "label_smoothing": np.array(0.2)}, "mean", ["edge_logit_1000", "offset"])
    lab = gen.labels(3, 10)
    b.loss(op, {"y_true": gen.one_hot(lab, 10), "logits": gen.sign_logits(lab, 10, 1000.0, correct=False),
                "label_smoothing": np.array(0.2)}, "sum", ["edge_logit_1000", "signs"])
    b.loss(op, {"y_true": gen.one_hot(np.array([0]), 3), "logits": gen.offset_logits((1, 3), -1000.0),
                "label_smoothing": np.array(0.1)}, "mean", ["edge_logit_-1000", "offset"])

    # sparse_softmax_cross_entropy_with_logits_smoothed
    op = "sparse_softmax_cross_entropy_with_logits_smoothed"
    b.loss(op, {"labels": np.array([1]), "logits": np.array([[1.0, 5.0, 3.0]]), "label_smoothing": sm},
           "mean", ["readme_example"],
           note="README example: t' = (1/30, 14/15, 1/30), loss 0.34293162849989967, "
                "grad (-0.017457093, -0.066520001, 0.083977094)")
    for shape, s, red in (((7, 10), 0.1, "mean"), ((7, 3), 0.2, "mean"), ((1, 2), 0.2, "sum"),
                          ((3, 3), 0.1, "mean")):
        b.loss(op, {"labels": gen.labels(shape[0], shape[1]), "logits": gen.normal(shape, 2.0),
                    "label_smoothing": np.array(s)}, red, ["random"])
    lab = gen.labels(3, 3)
    b.loss(op, {"labels": lab, "logits": gen.sign_logits(lab, 3, 1000.0), "label_smoothing": np.array(0.1)},
           "mean", ["confident", "edge_logit_1000", "signs"])
    b.loss(op, {"labels": gen.labels(7, 10), "logits": gen.offset_logits((7, 10), 1000.0),
                "label_smoothing": np.array(0.2)}, "mean", ["edge_logit_1000", "offset"])
    lab = gen.labels(7, 2)
    b.loss(op, {"labels": lab, "logits": gen.sign_logits(lab, 2, 1000.0, correct=False),
                "label_smoothing": np.array(0.1)}, "sum", ["edge_logit_1000", "signs"])
    b.loss(op, {"labels": np.array([2]), "logits": gen.offset_logits((1, 3), -1000.0),
                "label_smoothing": np.array(0.2)}, "mean", ["edge_logit_-1000", "offset"])

    # negative_log_likelihood: y_pred = float32-rounded tf.nn.log_softmax of random logits
    op = "negative_log_likelihood"

    def log_probs(logits):
        return f32(tf.nn.log_softmax(tf.constant(logits, dtype=tf.float64), axis=-1).numpy())

    for shape, red in (((7, 10), "mean"), ((7, 3), "mean"), ((1, 2), "mean"), ((3, 10), "sum"),
                       ((1, 3), "mean")):
        b.loss(op, {"labels": gen.labels(shape[0], shape[1]), "y_pred": log_probs(gen.normal(shape, 2.0))},
               red, ["random"])
    lab = gen.labels(7, 3)
    b.loss(op, {"labels": lab, "y_pred": log_probs(gen.sign_logits(lab, 3, 100.0))}, "mean",
           ["confident", "edge_logit_100", "signs"])
    lab = gen.labels(3, 10)
    b.loss(op, {"labels": lab, "y_pred": log_probs(gen.offset_logits((3, 10), -1000.0))}, "sum",
           ["edge_logit_-1000", "offset"])

    return b


def check_readme_examples(b):
    """Assert the worked numbers quoted in the shared README."""
    for op in ("softmax_cross_entropy_with_logits_smoothed", "sparse_softmax_cross_entropy_with_logits_smoothed"):
        c = b.by_group(f"{op}/000", "float64")
        assert "readme_example" in c["tags"]
        assert abs(c["output"]["data"][0] - 0.34293162849989967) <= 1e-15, c["output"]
        g = c["grad"]["logits"]["data"]
        assert close(g, [-0.017457093, -0.066520001, 0.083977094], 6e-10, 0), g
    c = b.by_group("kl_divergence/005", "float64")
    assert "readme_example" in c["tags"]
    assert abs(c["output"]["data"][0] - 0.10535789118515086) <= 1e-15, c["output"]
    assert close(c["grad"]["y_pred"]["data"], [-2e-6, -1.0 / 0.9, -2e-6], 1e-12, 1e-12), c["grad"]


def dump(header, cases):
    head = json.dumps(header)  # default separators, as the shared file
    assert head.endswith("}")
    lines = [json.dumps(c, separators=(",", ":"), allow_nan=False) for c in cases]
    return head[:-1] + ",\n\"cases\":[\n" + ",\n".join(lines) + "\n]}\n"


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--output", required=True, help="path of the JSON file to write")
    args = ap.parse_args(argv)

    tf.config.experimental.enable_op_determinism()
    tf.config.set_visible_devices([], "GPU")
    assert tf.executing_eagerly()
    assert keras.config.epsilon() == EPS, keras.config.epsilon()

    b = build()
    check_readme_examples(b)

    ids = [c["id"] for c in b.cases]
    assert len(set(ids)) == len(ids)
    keys = [c["input_key"] for c in b.cases]
    assert len(set(keys)) == len(keys)

    header = {
        "schema_version": 1,
        "generator": GENERATOR,
        "ops": "extra",
        "seed": SEED,
        "extreme": False,
        "tensorflow_version": tf.__version__,
        "keras_version": keras.__version__,
        "numpy_version": np.__version__,
        "keras_epsilon": keras.config.epsilon(),
        "env": {"TF_ENABLE_ONEDNN_OPTS": os.environ["TF_ENABLE_ONEDNN_OPTS"], "mode": "eager, CPU"},
        "case_count": len(b.cases),
    }
    text = dump(header, b.cases)
    json.loads(text)  # strict JSON round trip
    with open(args.output, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)

    counts = {}
    for c in b.cases:
        counts[c["op"]] = counts.get(c["op"], 0) + 1
    print(f"wrote {args.output}: {len(b.cases)} cases, {len(text.encode('utf-8'))} bytes, "
          f"sha256 {hashlib.sha256(text.encode('utf-8')).hexdigest()}", file=sys.stderr)
    for op, n in counts.items():
        print(f"  {op}: {n}", file=sys.stderr)
    for n in b.float32_notes:
        print(f"  float32 vs closed form beyond tolerance (documented): {n}", file=sys.stderr)


if __name__ == "__main__":
    main()
