#!/usr/bin/env python3
"""Measure how fast `dendrite train` reads a large CSV, against pandas.read_csv.

The target it checks: `dendrite train --epochs 1` on the large CSV (Scripts/make_large_csv.py)
reads the file in at most twice the time `pandas.read_csv` takes in the same run, and its
peak resident memory stays below 4x the data's size as float32 (rows x columns x 4 bytes;
for 1,000,000 x 21 that is 80.1 MiB, so the limit is about 320 MiB).

What it does:

1. pandas: reads the CSV once untimed (a warm-up, so the page cache is warm for both
   sides, and to learn rows x columns), then `--repeats` timed `pandas.read_csv(path)`
   calls in this process; the figure is the best wall-clock time.
2. Dendrite: runs `DENDRITE train --dataset CSV --epochs 1 --layers 16
   --validation-fraction 0` `--repeats` times. Each run goes through a fresh
   `python3 -c` wrapper process that starts Dendrite, waits for it and reports
   getrusage(RUSAGE_CHILDREN).ru_maxrss, so the peak RSS is that run's alone. The read
   time is Dendrite's own: it prints on stderr a line like
       read large.csv: 1000000 rows, 21 columns in 1.234 s
   and the seconds are taken with the regex `in ([0-9.]+) s` from the line starting with
   `read `. The figures are the best read time and the largest peak RSS over the runs.

Memory figures are in MiB (2^20 bytes); ru_maxrss is KiB on Linux and bytes on macOS.

Usage:
    python3 Scripts/make_large_csv.py                     # writes /tmp/large.csv
    swift build -c release
    python3 Scripts/measure_csv_read.py --dendrite .build/release/dendrite --csv /tmp/large.csv [--repeats 3] [--json]

Exit status: 0 when measured (whether or not the target is met; see the `meets` fields),
1 on bad arguments or a missing pandas, 2 when a Dendrite run fails or prints no `read`
line (its stderr is shown).
"""

import argparse
import gc
import json
import os
import re
import subprocess
import sys
import time

READ_LINE = re.compile(r"in ([0-9.]+) s")
READ_SHAPE = re.compile(r"(\d+) rows, (\d+) columns")

# Runs the command given as a JSON list in argv[1], then prints one JSON object: its exit
# status, wall time, stdout, stderr, and this wrapper's RUSAGE_CHILDREN peak RSS (the
# command's alone, as it is this process's only child).
WRAPPER = r"""
import json, resource, subprocess, sys, time
command = json.loads(sys.argv[1])
start = time.perf_counter()
try:
    child = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
except OSError as error:
    json.dump({"error": str(error)}, sys.stdout)
    sys.exit(0)
wall = time.perf_counter() - start
maxrss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
json.dump({"returncode": child.returncode, "wall": wall, "maxrss": maxrss,
           "stdout": child.stdout.decode("utf-8", "replace"),
           "stderr": child.stderr.decode("utf-8", "replace")}, sys.stdout)
"""

MIB = 1024 * 1024


def fail(message, code=1):
    print(f"measure_csv_read: {message}", file=sys.stderr)
    sys.exit(code)


def maxrss_to_mib(maxrss):
    """ru_maxrss is in bytes on macOS, in KiB on Linux (and the other Unixes)."""
    return maxrss / MIB if sys.platform == "darwin" else maxrss / 1024


def time_pandas(pd, path, repeats):
    frame = pd.read_csv(path)              # warm-up: page cache, pandas' lazy imports
    rows, columns = frame.shape
    del frame
    gc.collect()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        frame = pd.read_csv(path)
        times.append(time.perf_counter() - start)
        del frame
        gc.collect()
    return rows, columns, times


def run_dendrite(dendrite, path):
    command = [dendrite, "train", "--dataset", path, "--epochs", "1", "--layers", "16",
               "--validation-fraction", "0"]
    wrapper = subprocess.run([sys.executable, "-c", WRAPPER, json.dumps(command)],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if wrapper.returncode != 0:
        fail(f"the measuring wrapper failed (exit {wrapper.returncode}):\n{wrapper.stderr}")
    report = json.loads(wrapper.stdout)
    if "error" in report:
        fail(f"cannot run {dendrite}: {report['error']}")
    shown = " ".join(command)
    if report["returncode"] != 0:
        sys.stderr.write(report["stderr"])
        fail(f"`{shown}` exited with status {report['returncode']} (its stderr is above)", 2)
    read_lines = [line for line in report["stderr"].splitlines() if line.startswith("read ")]
    match = None
    for line in read_lines:
        match = READ_LINE.search(line)
        if match:
            break
    if match is None:
        sys.stderr.write(report["stderr"])
        where = "its whole stderr is above" if report["stderr"] else "its stderr was empty"
        fail(f"`{shown}` printed no line `read FILE: R rows, C columns in S s` on stderr "
             f"({where}); does this dendrite report its CSV read time?", 2)
    try:
        seconds = float(match.group(1))
    except ValueError:
        fail(f"cannot parse the seconds in {line!r}", 2)
    shape = READ_SHAPE.search(line)
    return {
        "read_seconds": seconds,
        "wall_seconds": report["wall"],
        "peak_rss_mib": maxrss_to_mib(report["maxrss"]),
        "rows": int(shape.group(1)) if shape else None,
        "columns": int(shape.group(2)) if shape else None,
        "line": line,
    }


def main():
    parser = argparse.ArgumentParser(
        description="Time Dendrite's CSV read (dendrite train --epochs 1) against pandas.read_csv "
                    "and measure its peak RSS.")
    parser.add_argument("--dendrite", required=True,
                        help="the dendrite executable, e.g. .build/release/dendrite")
    parser.add_argument("--csv", required=True,
                        help="the CSV to read, e.g. /tmp/large.csv (Scripts/make_large_csv.py)")
    parser.add_argument("--repeats", type=int, default=3,
                        help="timed reads on each side (default 3); the best time counts")
    parser.add_argument("--json", action="store_true",
                        help="print the figures as one JSON object instead of a table")
    args = parser.parse_args()

    if args.repeats < 1:
        fail(f"--repeats must be at least 1, got {args.repeats}")
    if not os.path.isfile(args.csv):
        fail(f"no such file: {args.csv} (make it with `python3 Scripts/make_large_csv.py`)")
    if not (os.path.isfile(args.dendrite) and os.access(args.dendrite, os.X_OK)):
        fail(f"not an executable file: {args.dendrite} (build it with `swift build -c release`)")
    try:
        import pandas as pd
    except ImportError:
        fail("pandas is not installed; run `pip install pandas`")

    rows, columns, pandas_times = time_pandas(pd, args.csv, args.repeats)
    runs = [run_dendrite(os.path.abspath(args.dendrite), args.csv) for _ in range(args.repeats)]

    pandas_seconds = min(pandas_times)
    dendrite_seconds = min(run["read_seconds"] for run in runs)
    peak_rss_mib = max(run["peak_rss_mib"] for run in runs)
    float32_mib = rows * columns * 4 / MIB
    ratio = dendrite_seconds / pandas_seconds
    rss_limit_mib = 4 * float32_mib
    result = {
        "csv": args.csv,
        "csv_bytes": os.path.getsize(args.csv),
        "rows": rows,
        "columns": columns,
        "repeats": args.repeats,
        "pandas_version": pd.__version__,
        "pandas_seconds": round(pandas_seconds, 4),
        "pandas_seconds_all": [round(t, 4) for t in pandas_times],
        "dendrite_read_seconds": round(dendrite_seconds, 4),
        "dendrite_read_seconds_all": [run["read_seconds"] for run in runs],
        "dendrite_wall_seconds_all": [round(run["wall_seconds"], 3) for run in runs],
        "ratio": round(ratio, 3),
        "dendrite_peak_rss_mib": round(peak_rss_mib, 1),
        "dendrite_peak_rss_mib_all": [round(run["peak_rss_mib"], 1) for run in runs],
        "float32_mib": round(float32_mib, 1),
        "rss_limit_mib": round(rss_limit_mib, 1),
        "meets_time": ratio <= 2.0,
        "meets_memory": peak_rss_mib < rss_limit_mib,
    }
    result["meets_target"] = result["meets_time"] and result["meets_memory"]

    mismatched = [run for run in runs
                  if run["rows"] is not None and (run["rows"], run["columns"]) != (rows, columns)]
    if mismatched:
        print(f"measure_csv_read: warning: dendrite read {mismatched[0]['rows']} rows x "
              f"{mismatched[0]['columns']} columns, pandas {rows} x {columns}", file=sys.stderr)

    if args.json:
        print(json.dumps(result))
        return
    yes = lambda ok: "yes" if ok else "NO"
    print(f"{args.csv}: {rows} rows x {columns} columns, {result['csv_bytes'] / 1e6:.1f} MB; "
          f"best of {args.repeats}")
    print(f"  pandas {pd.__version__} read_csv      {pandas_seconds:8.3f} s   "
          f"(all: {', '.join(f'{t:.3f}' for t in pandas_times)})")
    print(f"  dendrite read              {dendrite_seconds:8.3f} s   "
          f"(all: {', '.join(f'{t:.3f}' for t in result['dendrite_read_seconds_all'])})")
    print(f"  ratio dendrite / pandas    {ratio:8.2f}     <= 2: {yes(result['meets_time'])}")
    print(f"  dendrite peak RSS          {peak_rss_mib:8.1f} MiB "
          f"(all: {', '.join(f'{m:.1f}' for m in result['dendrite_peak_rss_mib_all'])})")
    print(f"  data as float32            {float32_mib:8.1f} MiB "
          f"(rows x columns x 4); 4x = {rss_limit_mib:.1f} MiB")
    print(f"  peak RSS < 4x float32      {yes(result['meets_memory'])}")
    print(f"  target met                 {yes(result['meets_target'])}")


if __name__ == "__main__":
    main()
