#!/usr/bin/env python3
"""Writes the small seed corpus under Fuzz/Seeds/: valid CSV, IDX (raw and gzip) and
safetensors files, each well under 10 KB. Deterministic: run it again and nothing changes.

    python3 Fuzz/make_seeds.py
"""
import gzip
import json
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))


def write(folder, name, data):
    path = os.path.join(HERE, "Seeds", folder)
    os.makedirs(path, exist_ok=True)
    with open(os.path.join(path, name), "wb") as f:
        f.write(data)


def csv_seeds():
    write("csv", "header_classes.csv", b"x,y,label\n0,1,1\n1,0,0\n2.5,-1,2\n")
    write("csv", "no_header.csv", b"1,2,0\n3,4,1\n5,6,1\n")
    write("csv", "regression.csv", b"size,rooms,price\n50,2,120.5\n80,3,199.9\n1e2,4,2.5e2\n")
    write("csv", "bom_crlf_quoted.csv", b'\xef\xbb\xbf"a","b,c",label\r\n"1","2",0\r\n" 3 ","4",1\r\n')
    write("csv", "label_first.csv", b"label,f1,f2\n0,0.5,0.25\n1,-0.5,1e-3\n")
    write("csv", "quotes_newlines.csv", b'"x\ny","z""q",label\r1,2,0\r3,4,1\r')


def idx(magic, dims, body):
    return struct.pack(">I", magic) + b"".join(struct.pack(">I", d) for d in dims) + bytes(body)


def gz(data):
    # mtime 0 keeps the bytes the same on every run.
    return gzip.compress(data, mtime=0)


def idx_seeds():
    images = idx(0x803, [2, 3, 2], range(12))
    labels = idx(0x801, [2], [1, 0])
    write("idx", "images-2x3x2.idx", images)
    write("idx", "labels-2.idx", labels)
    write("idx", "images-4x2x2.idx", idx(0x803, [4, 2, 2], [0, 255, 128, 7] * 4))
    write("idx", "labels-4.idx", idx(0x801, [4], [9, 0, 3, 3]))
    write("idx", "images-2x3x2.idx.gz", gz(images))
    write("idx", "labels-2.idx.gz", gz(labels))
    # Two gzip members back to back (as `cat a.gz b.gz` makes).
    write("idx", "labels-2-two-members.idx.gz", gz(labels[:6]) + gz(labels[6:]))


def safetensors(tensors, metadata):
    header, data = {}, b""
    if metadata:
        header["__metadata__"] = metadata
    for name, shape, values in tensors:
        begin = len(data)
        data += struct.pack("<%df" % len(values), *values)
        header[name] = {"dtype": "F32", "shape": shape, "data_offsets": [begin, len(data)]}
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    return struct.pack("<Q", len(text)) + text + data


def model_metadata(layers, loss, classes, task, outputs, activation):
    return {
        "dendrite.format_version": "1",
        "dendrite.architecture": json.dumps(
            {"layers": layers, "loss": loss, "classes": classes, "task": task, "outputs": outputs,
             "output_activation": activation},
            separators=(",", ":"), sort_keys=True),
        "dendrite.preprocessing": json.dumps({"kind": "none"}),
    }


def safetensors_seeds():
    write("safetensors", "plain.safetensors",
          safetensors([("a", [2, 2], [1, 2, 3, 4]), ("b", [3], [0.5, -1, 0])], {"note": "seed"}))
    write("safetensors", "empty.safetensors", safetensors([], {}))
    write("safetensors", "scalar_and_zero.safetensors",
          safetensors([("s", [], [7]), ("z", [0, 3], [])], None))
    dense = [{"type": "dense", "in": 3, "out": 2}, {"type": "activation", "name": "relu"},
             {"type": "dense", "in": 2, "out": 2}]
    write("safetensors", "classifier.safetensors", safetensors(
        [("0.weight", [2, 3], [0.1, 0.2, 0.3, 0.4, 0.5, 0.6]), ("0.bias", [2], [0, 0]),
         ("2.weight", [2, 2], [1, 0, 0, 1]), ("2.bias", [2], [0.1, -0.1])],
        model_metadata(dense, "softmax-cross-entropy", 2, "classification", 2, "softmax")))
    regression = model_metadata([{"type": "dense", "in": 2, "out": 1}, {"type": "dropout", "rate": 0.1}],
                                "mse", None, "regression", 1, "none")
    regression["dendrite.preprocessing"] = json.dumps({"kind": "standardize", "mean": [0, 1], "std": [1, 2]})
    regression["dendrite.optimizer"] = json.dumps({"name": "sgd", "learning_rate": 0.01, "step": 3})
    write("safetensors", "regression_checkpoint.safetensors", safetensors(
        [("0.weight", [1, 2], [0.5, -0.5]), ("0.bias", [1], [0.25])], regression))


if __name__ == "__main__":
    csv_seeds()
    idx_seeds()
    safetensors_seeds()
