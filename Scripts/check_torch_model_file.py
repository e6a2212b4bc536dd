#!/usr/bin/env python3
"""Rebuild a Dendrite model file as a PyTorch model and check it reproduces ``dendrite predict``.

Usage::

    check_torch_model_file.py MODEL.safetensors INPUT.csv EXPECTED.json [--tolerance 1e-4]

It reads ``dendrite.architecture`` and builds the equivalent ``nn.Sequential``, one module
per ``layers`` entry, for every layer type a model file stores:

=============  ==========================================================================
entry          module
=============  ==========================================================================
dense          ``nn.Linear(in, out)``
activation     ``nn.ReLU``, ``nn.Sigmoid``, ``nn.Tanh``, ``nn.LeakyReLU(0.2)``, ``nn.ELU``,
               ``nn.SELU``, ``nn.GELU``, ``nn.SiLU`` (swish), ``nn.Softplus``,
               ``nn.Softmax(-1)``, ``nn.LogSoftmax(-1)``
dropout        ``nn.Dropout(rate)``
conv2d         ``nn.Conv2d(in, out, kernel, stride, padding)``
maxpool2d      ``nn.MaxPool2d(kernel, stride)``
avgpool2d      ``nn.AvgPool2d(kernel, stride)``
flatten        ``nn.Flatten()``
unflatten      ``nn.Unflatten(1, shape)``
batchnorm      ``nn.BatchNorm1d`` for ``input_rank`` 2 or 3, ``nn.BatchNorm2d`` for 4 (any
               rank when the file does not say), ``eps`` and ``momentum`` from the entry
layernorm      ``nn.LayerNorm(features, eps)``
residual       ``Residual``: an ``nn.Sequential`` of the nested ``layers`` whose forward is
               ``x + super().forward(x)``, so its parameters are named ``4.0.weight``
=============  ==========================================================================

then loads the file's tensors (less a checkpoint's ``optimizer.*`` slots) with
``load_state_dict(strict=True)`` (parameters and batch norm's buffers,
``num_batches_tracked`` as int64), puts the model in eval mode, runs INPUT.csv (raw rows,
header optional) through ``dendrite.preprocessing``, the model and the output activation
(softmax / sigmoid as ``output_activation`` says, exp after a log-softmax output, or the
inverse of ``dendrite.targets``), and compares with EXPECTED.json (``{"outputs": [[...]]}``,
as ``dendrite predict --json`` prints): a value matches when
``|actual - expected| <= tolerance * (1 + |expected|)``. Reading the rows, the
preprocessing and the comparison are ``check_model_file.py``'s (beside this script).

Exit status: 0 when everything matches, 1 on a mismatch or a file PyTorch refuses, 2 when
torch, numpy or safetensors is missing (the check fails rather than skips).
"""

import argparse
import json
import os
import sys

try:
    import numpy as np
    import torch
    from torch import nn

    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from check_model_file import OPTIMIZER_PREFIX, CheckError, compare, preprocess, read_model, read_rows
except ImportError as missing:
    print(
        f"error: check_torch_model_file.py needs torch, numpy and safetensors ({missing}); "
        "install them with: pip install torch numpy safetensors",
        file=sys.stderr,
    )
    sys.exit(2)


ACTIVATIONS = {
    "relu": nn.ReLU,
    "sigmoid": nn.Sigmoid,
    "tanh": nn.Tanh,
    "leaky-relu": lambda: nn.LeakyReLU(0.2),
    "elu": lambda: nn.ELU(1.0),
    "selu": nn.SELU,
    "gelu": nn.GELU,
    "swish": nn.SiLU,
    "softplus": nn.Softplus,
    "softmax": lambda: nn.Softmax(dim=-1),
    "log-softmax": lambda: nn.LogSoftmax(dim=-1),
}


class Residual(nn.Sequential):
    """y = x + body(x), the body's modules numbered as in an nn.Sequential (``4.0.weight``)."""

    def forward(self, x):
        return x + super().forward(x)


class AnyRankBatchNorm(nn.modules.batchnorm._BatchNorm):
    """Batch norm over axis 1 of input of any rank, for a file that does not record the rank."""

    def _check_input_dim(self, x):
        if x.dim() < 2:
            raise ValueError(f"batch norm needs input [N, C, ...], got {list(x.shape)}")


def build(layers):
    """The nn.Sequential of the architecture's ``layers``, one module per entry."""
    return nn.Sequential(*[module(entry, index) for index, entry in enumerate(layers)])


def module(entry, index):
    kind = entry.get("type")
    if kind == "dense":
        return nn.Linear(entry["in"], entry["out"])
    if kind == "activation":
        if entry.get("name") not in ACTIVATIONS:
            raise CheckError(f"layer {index}: unknown activation {entry.get('name')!r}")
        return ACTIVATIONS[entry["name"]]()
    if kind == "dropout":
        return nn.Dropout(entry["rate"])
    if kind == "conv2d":
        return nn.Conv2d(
            entry["in"], entry["out"], tuple(entry["kernel"]), stride=entry["stride"], padding=entry["padding"]
        )
    if kind == "maxpool2d":
        return nn.MaxPool2d(entry["kernel"], stride=entry["stride"])
    if kind == "avgpool2d":
        return nn.AvgPool2d(entry["kernel"], stride=entry["stride"])
    if kind == "flatten":
        return nn.Flatten()
    if kind == "unflatten":
        return nn.Unflatten(1, tuple(entry["shape"]))
    if kind == "batchnorm":
        rank = entry.get("input_rank")
        kind_of_norm = {2: nn.BatchNorm1d, 3: nn.BatchNorm1d, 4: nn.BatchNorm2d}.get(rank, AnyRankBatchNorm)
        return kind_of_norm(entry["features"], eps=entry["epsilon"], momentum=entry["momentum"])
    if kind == "layernorm":
        return nn.LayerNorm(entry["features"], eps=entry["epsilon"])
    if kind == "residual":
        return Residual(*[module(inner, f"{index}.{position}") for position, inner in enumerate(entry["layers"])])
    raise CheckError(f"layer {index}: PyTorch cannot rebuild a layer of type {kind!r} (a custom layer?)")


def torch_state(path, tensors):
    """The file's tensors as PyTorch's state_dict, less a checkpoint's optimizer slots;
    every tensor float32 but ``num_batches_tracked``, int64 as PyTorch keeps it."""
    state = {}
    for name, value in tensors.items():
        if name.startswith(OPTIMIZER_PREFIX):
            continue
        state[name] = torch.from_numpy(np.array(value))
        expected = torch.int64 if name.endswith(".num_batches_tracked") else torch.float32
        if state[name].dtype != expected:
            raise CheckError(f'{path}: tensor "{name}" is {state[name].dtype}, PyTorch keeps it as {expected}')
    return state


def finish(outputs, architecture, targets):
    """The network's outputs as ``dendrite predict`` gives them: targets unscaled, or the
    output activation applied (exp after a log-softmax output)."""
    if targets is not None:
        return outputs * torch.tensor(targets["std"]) + torch.tensor(targets["mean"])
    activation = architecture.get("output_activation", "none")
    if activation == "softmax":
        return torch.softmax(outputs, dim=-1)
    if activation == "sigmoid":
        return torch.sigmoid(outputs)
    modules = [entry for entry in architecture["layers"] if entry["type"] != "dropout"]
    if modules and modules[-1] == {"type": "activation", "name": "log-softmax"}:
        return torch.exp(outputs)
    return outputs


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("model", help="the .safetensors model file")
    parser.add_argument("input", help="CSV of raw feature rows (header optional)")
    parser.add_argument("expected", help='JSON {"outputs": [[...], ...]} as dendrite predict --json prints')
    parser.add_argument("--tolerance", type=float, default=1e-4, help="allowed difference (default 1e-4)")
    args = parser.parse_args()
    try:
        tensors, architecture, preprocessing = read_model(args.model)
        targets = preprocessing.pop("_targets", None)
        state = torch_state(args.model, tensors)
        model = build(architecture["layers"])
        try:
            model.load_state_dict(state, strict=True)
        except RuntimeError as error:
            raise CheckError(f"PyTorch's strict load_state_dict refuses {args.model}: {error}") from error
        model.eval()
        rows = preprocess(read_rows(args.input), preprocessing).astype(np.float32)
        with torch.no_grad():
            actual = finish(model(torch.from_numpy(rows)), architecture, targets).double().numpy()
        with open(args.expected) as handle:
            document = json.load(handle)["outputs"]
        expected = np.asarray([row if isinstance(row, list) else [row] for row in document], dtype=np.float64)
        if expected.shape != actual.shape:
            raise CheckError(f"expected outputs have shape {list(expected.shape)}, PyTorch gives {list(actual.shape)}")
        compare("PyTorch vs dendrite predict", actual, expected, args.tolerance, args.tolerance)
    except (CheckError, OSError, KeyError, ValueError, TypeError) as error:
        message = str(error) if isinstance(error, CheckError) else f"{type(error).__name__}: {error}"
        print(f"error: {message}", file=sys.stderr)
        return 1
    names = ", ".join(sorted({entry["type"] for entry in walk(architecture["layers"])}))
    print(f"ok: PyTorch reproduces {actual.size} outputs of {args.model} ({names}) within {args.tolerance}")
    return 0


def walk(layers):
    for entry in layers:
        yield entry
        if entry.get("type") == "residual":
            yield from walk(entry.get("layers", []))


if __name__ == "__main__":
    sys.exit(main())
