#!/usr/bin/env python3
"""Write a large, deterministic, learnable CSV for Dendrite's CSV-reading benchmark.

The file has a header row `x1,...,x20,label` and `--rows` data rows (default 1,000,000,
about 150 MB): 20 numeric feature columns and a last column `label`, an integer class
0..3. The label is a linear function of the features, cut into four classes at fixed
thresholds (the quartiles of the score's distribution, so the classes are about
balanced); there is no label noise, so a linear model can learn it.

The columns mix scales and printed precision the way real exported data does:

    x1..x5    standard normal                     %.6g   e.g. -0.123457, 1.5e-05
    x6..x10   normal, mean 10, sd 3               %.5g   e.g. 11.273
    x11..x13  uniform on [0, 100)                 %.4g   e.g. 47.13
    x14..x15  Poisson counts, mean 3              %d     e.g. 4
    x16..x17  exponential, mean 1e-4              %.3g   e.g. 8.21e-05
    x18..x20  normal, mean 5000, sd 1500          %.6g   e.g. 4862.31

The label uses the features standardised by their distributions' known means and
standard deviations, with fixed weights drawn from the seed (x16 and x17 get weight 0:
irrelevant columns). Everything comes from numpy.random.default_rng(seed), drawn chunk
by chunk (100,000 rows at a time), so the same --rows and --seed give the same bytes.

Usage:
    python3 Scripts/make_large_csv.py                      # 1,000,000 rows -> /tmp/large.csv
    python3 Scripts/make_large_csv.py --rows 10000 --output /tmp/small.csv --seed 7

Needs numpy (`pip install numpy`). Takes about 10-20 s for a million rows.
"""

import argparse
import os
import sys
import time

CHUNK_ROWS = 100_000
FEATURES = 20
# Normal quartiles: thresholds on a standard-normal score give four balanced classes.
THRESHOLDS = (-0.6744897501960817, 0.0, 0.6744897501960817)


def column_plan():
    """(name, format, mean, sd) of each feature column, in order."""
    plan = []
    for j in range(1, 6):
        plan.append((f"x{j}", "%.6g", 0.0, 1.0))
    for j in range(6, 11):
        plan.append((f"x{j}", "%.5g", 10.0, 3.0))
    for j in range(11, 14):
        plan.append((f"x{j}", "%.4g", 50.0, 100.0 / 12 ** 0.5))
    for j in range(14, 16):
        plan.append((f"x{j}", "%d", 3.0, 3.0 ** 0.5))
    for j in range(16, 18):
        plan.append((f"x{j}", "%.3g", 1e-4, 1e-4))
    for j in range(18, 21):
        plan.append((f"x{j}", "%.6g", 5000.0, 1500.0))
    assert len(plan) == FEATURES
    return plan


def draw_chunk(np, rng, n):
    """n rows of the 20 features, float64, shape (n, 20)."""
    x = np.empty((n, FEATURES))
    x[:, 0:5] = rng.standard_normal((n, 5))
    x[:, 5:10] = rng.normal(10.0, 3.0, (n, 5))
    x[:, 10:13] = rng.uniform(0.0, 100.0, (n, 3))
    x[:, 13:15] = rng.poisson(3.0, (n, 2))
    x[:, 15:17] = rng.exponential(1e-4, (n, 2))
    x[:, 17:20] = rng.normal(5000.0, 1500.0, (n, 3))
    return x


def main():
    parser = argparse.ArgumentParser(
        description="Write a large deterministic CSV (x1..x20, label 0..3) for CSV-read benchmarks.")
    parser.add_argument("--rows", type=int, default=1_000_000,
                        help="number of data rows (default 1,000,000)")
    parser.add_argument("--output", default="/tmp/large.csv",
                        help="path of the CSV to write (default /tmp/large.csv)")
    parser.add_argument("--seed", type=int, default=20261205,
                        help="seed of numpy.random.default_rng (default 20261205)")
    args = parser.parse_args()

    if args.rows < 1:
        sys.exit(f"make_large_csv: --rows must be at least 1, got {args.rows}")
    out_dir = os.path.dirname(os.path.abspath(args.output))
    if not os.path.isdir(out_dir):
        sys.exit(f"make_large_csv: the directory of --output does not exist: {out_dir}")
    try:
        import numpy as np
    except ImportError:
        sys.exit("make_large_csv: numpy is not installed; run `pip install numpy`")

    plan = column_plan()
    means = np.array([m for _, _, m, _ in plan])
    sds = np.array([s for _, _, _, s in plan])
    rng = np.random.default_rng(args.seed)
    weights = rng.normal(0.0, 1.0, FEATURES)
    weights[15:17] = 0.0                      # x16, x17: irrelevant features
    weights /= np.sqrt(np.sum(weights ** 2))  # score ~ N(0, 1) (approximately)
    coefficients = weights / sds              # linear in the raw feature values
    offset = -float(np.dot(coefficients, means))

    header = ",".join([name for name, _, _, _ in plan] + ["label"])
    fmt = ",".join([f for _, f, _, _ in plan] + ["%d"])
    counts = np.zeros(4, dtype=np.int64)
    start = time.perf_counter()
    tmp_path = args.output + ".partial"
    try:
        with open(tmp_path, "w", newline="\n") as f:
            f.write(header + "\n")
            left = args.rows
            while left > 0:
                n = min(CHUNK_ROWS, left)
                x = draw_chunk(np, rng, n)
                score = x @ coefficients + offset
                label = np.searchsorted(np.array(THRESHOLDS), score)
                counts += np.bincount(label, minlength=4)
                rows = np.column_stack([x, label])
                np.savetxt(f, rows, fmt=fmt, delimiter=",")
                left -= n
        os.replace(tmp_path, args.output)
    except OSError as error:
        sys.exit(f"make_large_csv: cannot write {args.output}: {error}")
    seconds = time.perf_counter() - start
    size = os.path.getsize(args.output)
    print(f"wrote {args.output}: {args.rows} rows x {FEATURES + 1} columns, "
          f"{size} bytes ({size / 1e6:.1f} MB) in {seconds:.1f} s; "
          f"label counts {counts.tolist()}")


if __name__ == "__main__":
    main()
