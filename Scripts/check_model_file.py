#!/usr/bin/env python3
"""Check a Dendrite model file from outside Swift, with numpy and safetensors only.

Usage::

    check_model_file.py MODEL.safetensors INPUT.csv [EXPECTED.json]
                        [--expected-values "0.1,0.9;0.8,0.2"] [--rtol 1e-5] [--atol 1e-6]

It reads MODEL with ``safetensors.numpy.load_file`` and its metadata with
``safetensors.safe_open(..., framework="np").metadata()``, checks the tensors against
``dendrite.architecture`` (names ``0.weight``, ``0.bias``, ``2.weight``, ... in PyTorch's
``nn.Sequential`` layout, weights ``[out, in]``, F32), rebuilds the forward pass with numpy
alone (preprocessing from ``dendrite.preprocessing``, each layer, then the output
activation: softmax / sigmoid as ``output_activation`` says, exp after a log-softmax
output) and runs it on INPUT.csv (raw feature rows, one per line, header optional).

It prints ``{"outputs": [[...], ...]}`` on stdout, the shape ``dendrite predict --json``
prints, and when expected values are given (EXPECTED.json as ``{"outputs": [[...], ...]}``,
or ``--expected-values`` with rows separated by ``;`` and values by ``,``) compares them:
a value matches when ``|actual - expected| <= rtol * |expected| + atol`` (relative 1e-5,
with an absolute floor of 1e-6 for values near zero). Exit status: 0 when everything
matches, 1 on a mismatch or a bad file, 2 when numpy or safetensors is missing (the check
fails rather than skips: ``pip install numpy safetensors``).

When PyTorch happens to be importable (it is not required), it also builds the equivalent
``nn.Sequential``, loads the parameters with a strict ``load_state_dict`` and checks that
its outputs agree; without PyTorch that part is skipped silently.

The numpy pass runs in float64 on the file's float32 values and on the inputs rounded to
float32 (as Dendrite reads them), so differences come from Dendrite's float32 arithmetic.
"""

import argparse
import csv
import json
import math
import sys

try:
    import numpy as np
    from safetensors import safe_open
    from safetensors.numpy import load_file
except ImportError as missing:
    print(
        f"error: check_model_file.py needs numpy and safetensors ({missing}); "
        "install them with: pip install numpy safetensors",
        file=sys.stderr,
    )
    sys.exit(2)


class CheckError(Exception):
    """A problem with the model file, the input or the expected values."""


OPTIMIZER_PREFIX = "optimizer."
SELU_SCALE = 1.0507009873554804934193349852946
SELU_ALPHA = 1.6732632423543772848170429916717


def sigmoid(x):
    return 0.5 * (1.0 + np.tanh(0.5 * x))


def softmax(x):
    shifted = x - x.max(axis=-1, keepdims=True)
    e = np.exp(shifted)
    return e / e.sum(axis=-1, keepdims=True)


def log_softmax(x):
    shifted = x - x.max(axis=-1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))


ERF = np.vectorize(math.erf, otypes=[np.float64])

# TensorFlow's definitions, as Dendrite's activations follow them.
ACTIVATIONS = {
    "relu": lambda x: np.maximum(x, 0.0),
    "sigmoid": sigmoid,
    "tanh": np.tanh,
    "leaky-relu": lambda x: np.where(x > 0, x, 0.2 * x),
    "elu": lambda x: np.where(x > 0, x, np.expm1(np.minimum(x, 0.0))),
    "selu": lambda x: SELU_SCALE * np.where(x > 0, x, SELU_ALPHA * np.expm1(np.minimum(x, 0.0))),
    "gelu": lambda x: 0.5 * x * (1.0 + ERF(x / math.sqrt(2.0))),
    "swish": lambda x: x * sigmoid(x),
    "softplus": lambda x: np.maximum(x, 0.0) + np.log1p(np.exp(-np.abs(x))),
    "softmax": softmax,
    "log-softmax": log_softmax,
}


def read_model(path):
    """The tensors (float32 arrays) and the parsed Dendrite metadata of a model file."""
    try:
        tensors = load_file(path)
        with safe_open(path, framework="np") as handle:
            metadata = handle.metadata() or {}
    except Exception as error:  # safetensors raises several types for a bad file
        raise CheckError(f"{path}: safetensors cannot read it: {error}") from error
    if "dendrite.architecture" not in metadata:
        raise CheckError(f"{path}: no dendrite.architecture metadata (not written by Dendrite?)")
    if metadata.get("dendrite.format_version") != "1":
        raise CheckError(f"{path}: dendrite.format_version is {metadata.get('dendrite.format_version')!r}, expected '1'")
    try:
        architecture = json.loads(metadata["dendrite.architecture"])
        preprocessing = json.loads(metadata.get("dendrite.preprocessing", '{"kind": "none"}'))
        # A regressor trained on standardised targets (dendrite.targets): outputs are
        # mapped back to the targets' units, y = y'·std + mean, after the network.
        if "dendrite.targets" in metadata:
            preprocessing["_targets"] = json.loads(metadata["dendrite.targets"])
    except json.JSONDecodeError as error:
        raise CheckError(f"{path}: metadata is not valid JSON: {error}") from error
    return tensors, architecture, preprocessing


def expected_parameters(layers):
    """The parameter names and shapes PyTorch's nn.Sequential would have."""
    names = {}
    for index, layer in enumerate(layers):
        if layer["type"] == "dense":
            names[f"{index}.weight"] = (layer["out"], layer["in"])
            names[f"{index}.bias"] = (layer["out"],)
    return names


def check_tensors(path, tensors, layers):
    expected = expected_parameters(layers)
    for name, shape in expected.items():
        if name not in tensors:
            raise CheckError(f'{path}: tensor "{name}" is missing')
        if tensors[name].dtype != np.float32:
            raise CheckError(f'{path}: tensor "{name}" is {tensors[name].dtype}, expected float32')
        if tuple(tensors[name].shape) != tuple(shape):
            raise CheckError(f'{path}: tensor "{name}" has shape {list(tensors[name].shape)}, expected {list(shape)}')
    for name in tensors:
        if name not in expected and not name.startswith(OPTIMIZER_PREFIX):
            raise CheckError(f'{path}: unexpected tensor "{name}"')


def preprocess(x, preprocessing):
    kind = preprocessing.get("kind")
    as32 = lambda key: np.asarray(preprocessing[key], dtype=np.float32).astype(np.float64)
    if kind == "none":
        return x
    if kind == "standardize":
        return (x - as32("mean")) / as32("std")
    if kind == "min-max":
        low, high = as32("min"), as32("max")
        span = np.where(high - low > 0, high - low, 1.0)
        return (x - low) / span
    raise CheckError(f"unknown preprocessing kind {kind!r}")


def forward(x, tensors, architecture, preprocessing):
    """Preprocessing, the layers (dropout is the identity at inference), the output activation."""
    x = preprocess(x, preprocessing)
    layers = architecture["layers"]
    for index, layer in enumerate(layers):
        kind = layer["type"]
        if kind == "dense":
            weight = tensors[f"{index}.weight"].astype(np.float64)
            bias = tensors[f"{index}.bias"].astype(np.float64)
            x = x @ weight.T + bias
        elif kind == "activation":
            if layer["name"] not in ACTIVATIONS:
                raise CheckError(f"unknown activation {layer['name']!r}")
            x = ACTIVATIONS[layer["name"]](x)
        elif kind != "dropout":
            raise CheckError(f"unknown layer type {kind!r}")
    output_activation = architecture.get("output_activation", "none")
    modules = [layer for layer in layers if layer["type"] != "dropout"]
    targets = preprocessing.get("_targets")
    if targets is not None:
        if targets.get("kind") != "standardize":
            raise CheckError(f"unknown dendrite.targets kind {targets.get('kind')!r}")
        as32 = lambda key: np.asarray(targets[key], dtype=np.float32).astype(np.float64)
        return x * as32("std") + as32("mean")
    if output_activation == "softmax":
        return softmax(x)
    if output_activation == "sigmoid":
        return sigmoid(x)
    if output_activation != "none":
        raise CheckError(f"unknown output_activation {output_activation!r}")
    if modules and modules[-1] == {"type": "activation", "name": "log-softmax"}:
        return np.exp(x)
    return x


def read_rows(path, width=None):
    """Raw feature rows as float32 values widened to float64; a non-numeric first row is a
    header. With `width`, every row must have that many values."""
    rows = []
    with open(path, newline="") as handle:
        for line_number, fields in enumerate(csv.reader(handle), start=1):
            if not fields or all(not field.strip() for field in fields):
                continue
            try:
                values = [float(field) for field in fields]
            except ValueError:
                if not rows and line_number == 1:
                    continue  # header
                raise CheckError(f"{path} line {line_number}: not a row of numbers: {','.join(fields)}")
            if width is not None and len(values) != width:
                raise CheckError(f"{path} line {line_number}: {len(values)} values, the model takes {width}")
            rows.append(values)
    if not rows:
        raise CheckError(f"{path}: no rows")
    return np.asarray(rows, dtype=np.float32).astype(np.float64)


def read_expected(args, count, outputs):
    if args.expected is not None and args.expected_values is not None:
        raise CheckError("give EXPECTED.json or --expected-values, not both")
    if args.expected is not None:
        with open(args.expected) as handle:
            document = json.load(handle)
        if not isinstance(document, dict) or "outputs" not in document:
            raise CheckError(f'{args.expected}: expected an object {{"outputs": [[...], ...]}}')
        rows = document["outputs"]
    elif args.expected_values is not None:
        rows = [[float(value) for value in row.split(",")] for row in args.expected_values.split(";") if row.strip()]
    else:
        return None
    rows = [row if isinstance(row, list) else [row] for row in rows]
    expected = np.asarray(rows, dtype=np.float64)
    if expected.shape != (count, outputs):
        raise CheckError(f"expected values have shape {list(expected.shape)}, the model gives {[count, outputs]}")
    return expected


def compare(label, actual, expected, rtol, atol):
    """Fails with the worst mismatch, naming row and column."""
    difference = np.abs(actual - expected)
    allowed = rtol * np.abs(expected) + atol
    bad = ~(difference <= allowed)  # NaN counts as a mismatch
    if bad.any():
        row, column = np.unravel_index(np.argmax(np.where(bad, difference - allowed, -np.inf)), bad.shape)
        raise CheckError(
            f"{label}: {int(bad.sum())} of {bad.size} values differ; worst at row {row}, output {column}: "
            f"{float(actual[row, column])!r} vs expected {float(expected[row, column])!r}"
        )


def check_with_torch(tensors, architecture, scaled, outputs, rtol, atol):
    """The PyTorch round trip: strict load_state_dict into the equivalent nn.Sequential
    (built by check_torch_model_file.py), run on the preprocessed rows `scaled`
    (preprocessing is not a module)."""
    try:
        import torch
        from check_torch_model_file import build, finish
    except ImportError:
        return
    state = {
        name: torch.from_numpy(np.array(value)) for name, value in tensors.items() if not name.startswith(OPTIMIZER_PREFIX)
    }
    try:
        model = build(architecture["layers"]).eval()
        model.load_state_dict(state, strict=True)
    except Exception as error:  # the builder's own CheckError, or PyTorch's RuntimeError
        raise CheckError(f"PyTorch's strict load_state_dict refuses the file: {error}") from error
    with torch.no_grad():
        result = finish(model(torch.from_numpy(scaled.astype(np.float32))), architecture, None).double()
    compare("PyTorch vs numpy", result.numpy(), outputs, rtol, atol)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("model", help="the .safetensors model file")
    parser.add_argument("input", help="CSV of raw feature rows (header optional)")
    parser.add_argument("expected", nargs="?", help='JSON {"outputs": [[...], ...]} as dendrite predict --json prints')
    parser.add_argument("--expected-values", help='expected outputs: rows separated by ";", values by ","')
    parser.add_argument("--rtol", type=float, default=1e-5, help="relative tolerance (default 1e-5)")
    parser.add_argument("--atol", type=float, default=1e-6, help="absolute floor near zero (default 1e-6)")
    args = parser.parse_args()

    try:
        tensors, architecture, preprocessing = read_model(args.model)
        layers = architecture["layers"]
        check_tensors(args.model, tensors, layers)
        dense = [layer for layer in layers if layer["type"] == "dense"]
        if not dense:
            raise CheckError(f"{args.model}: the architecture has no dense layer")
        x = read_rows(args.input, dense[0]["in"])
        outputs = forward(x, tensors, architecture, preprocessing)
        print(json.dumps({"outputs": outputs.tolist()}))
        expected = read_expected(args, x.shape[0], outputs.shape[1])
        if expected is not None:
            compare(f"{args.model} vs expected", expected=expected, actual=outputs, rtol=args.rtol, atol=args.atol)
        if "_targets" not in preprocessing:  # the PyTorch module has no target scaling to undo
            check_with_torch(tensors, architecture, preprocess(x, preprocessing), outputs, args.rtol, args.atol)
    except (CheckError, OSError, KeyError, ValueError, TypeError) as error:
        message = str(error) if isinstance(error, CheckError) else f"{type(error).__name__}: {error}"
        print(f"error: {message}", file=sys.stderr)
        return 1
    if expected is not None:
        print(f"ok: {outputs.size} outputs of {args.model} match", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
