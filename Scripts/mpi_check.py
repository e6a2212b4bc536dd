#!/usr/bin/env python3
"""Data-parallel training under real mpirun (Open MPI), against a single process.

Needs a `dendrite` built with the MPI trait (`swift build -c release --traits MPI
--scratch-path .build-mpi`), Open MPI's mpirun, and numpy + safetensors. Checks:

1. Equivalence: `dendrite train` on digits for 3 epochs (global batch 64, Adam) as one process
   and under `mpirun -np 2` and `-np 4`: the saved weights agree with the single process's
   within TOLERANCE (float rounding: the batch's gradient is summed in another grouping, over
   27 steps of Adam), every rank holds the same weights (`ranks_agree` in --json), and the
   test accuracy is the same to 0.01.
2. Failure, never a hang: a data file that only rank 1 cannot read ends every rank, exit 1,
   with rank 1's error on rank 0's stderr; a diverging run ends every rank with exit 1 and
   the divergence message. Each run has a time limit.

    python3 Scripts/mpi_check.py --dendrite .build-mpi/release/dendrite
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile

TOLERANCE = 1e-3
TIME_LIMIT = 300


def mpirun_command(ranks):
    command = ["mpirun", "-np", str(ranks), "--oversubscribe"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-run-as-root")
    return command


def environment():
    env = dict(os.environ)
    # Containers often lack what Open MPI's shared-memory single copy needs (CMA).
    env.setdefault("OMPI_MCA_btl_vader_single_copy_mechanism", "none")
    env.setdefault("OMPI_ALLOW_RUN_AS_ROOT", "1")
    env.setdefault("OMPI_ALLOW_RUN_AS_ROOT_CONFIRM", "1")
    return env


def run(command, cwd, threads=None):
    env = environment()
    if threads is not None:
        env["DENDRITE_THREADS"] = str(threads)
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, env=env, timeout=TIME_LIMIT)
    return done.returncode, done.stdout, done.stderr


def weights(path):
    from safetensors.numpy import load_file
    return load_file(path)


def largest_difference(a, b):
    import numpy as np
    assert sorted(a) == sorted(b), (sorted(a), sorted(b))
    return max(float(np.max(np.abs(a[k].astype(np.float64) - b[k].astype(np.float64)))) for k in a)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dendrite", default=".build-mpi/release/dendrite")
    args = parser.parse_args()
    dendrite = os.path.abspath(args.dendrite)
    failures = []
    work = tempfile.mkdtemp(prefix="dendrite-mpi-")
    train = [dendrite, "train", "--dataset", "digits", "--epochs", "3", "--batch-size", "64", "--seed", "1",
             "--json"]
    try:
        status, out, err = run(train + ["--save", "single.safetensors"], work)
        if status != 0:
            raise SystemExit("single process failed: %s" % err)
        single = json.loads(out)
        reference = weights(os.path.join(work, "single.safetensors"))
        for ranks in (2, 4):
            name = "ranks%d.safetensors" % ranks
            status, out, err = run(mpirun_command(ranks) + train + ["--save", name], work, threads=1)
            if status != 0:
                failures.append("mpirun -np %d failed (exit %d): %s" % (ranks, status, err[-2000:]))
                continue
            result = json.loads(out)
            difference = largest_difference(weights(os.path.join(work, name)), reference)
            print("mpirun -np %d: ranks %s, ranks_agree %s, largest weight difference from one process %.2e, "
                  "test accuracy %.4f (one process %.4f)"
                  % (ranks, result.get("ranks"), result.get("ranks_agree"), difference,
                     result["test_accuracy"], single["test_accuracy"]))
            if result.get("ranks") != ranks or result.get("ranks_agree") is not True:
                failures.append("-np %d: ranks %r, ranks_agree %r" % (ranks, result.get("ranks"), result.get("ranks_agree")))
            if difference > TOLERANCE:
                failures.append("-np %d: weights differ from one process's by %.3g > %g" % (ranks, difference, TOLERANCE))
            if abs(result["test_accuracy"] - single["test_accuracy"]) > 0.01:
                failures.append("-np %d: test accuracy %.4f against %.4f" % (ranks, result["test_accuracy"],
                                                                               single["test_accuracy"]))

        # Rank 1 cannot read its data file; rank 0 can: every rank stops, rank 0 says why.
        shutil.copy(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Sources", "DendriteData",
                                 "Resources", "iris.csv"), os.path.join(work, "data0.csv"))
        status, out, err = run(mpirun_command(2) + [
            "sh", "-c", '"$0" train --dataset "data$OMPI_COMM_WORLD_RANK.csv" --epochs 1', dendrite], work, threads=1)
        print("a file only rank 1 cannot read: exit %d, stderr %r" % (status, err.strip()[:300]))
        if status == 0 or "rank 1" not in err or "data1.csv" not in err:
            failures.append("a file missing on rank 1: exit %d, stderr %r" % (status, err[-1000:]))

        # A learning rate that diverges on every rank.
        status, out, err = run(mpirun_command(2) + [dendrite, "train", "--dataset", "digits", "--epochs", "2",
                                                   "--optimizer", "sgd", "--learning-rate", "1e30"], work, threads=1)
        print("diverging run: exit %d, stderr %r" % (status, err.strip()[:200]))
        if status == 0 or "diverged" not in err:
            failures.append("diverging run: exit %d, stderr %r" % (status, err[-1000:]))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    for failure in failures:
        print("FAIL: " + failure, file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
