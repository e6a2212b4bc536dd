"""Many pages training at once: does every one keep receiving frames, and does the server's
memory stay bounded?

Starts `dendrite playground --port 0`, opens N WebSocket sessions (as N browser tabs would:
same Origin as the page), starts training on each (a mix of the 2-D data sets, races among
them), and for DURATION seconds counts the frames each receives and samples the server's
resident memory. Then it closes every session and checks that the server goes idle.

    pip install websockets
    python3 Scripts/playground_load_check.py --sessions 20 --duration 30 [--dendrite PATH] [--json]

Prints, per run: frames per second per session (min / median / max), the server's peak and
final RSS, its CPU use while all sessions trained and after they closed. Exits 1 when a
session received no frame in the last quarter of the run, or the server died.
"""

import argparse
import asyncio
import json
import os
import pathlib
import statistics
import subprocess
import sys
import time

try:
    import websockets
except ImportError:
    sys.exit("playground_load_check: needs the websockets package: pip install websockets")


CONFIGS = [
    {"dataset": "xor", "loss": "sigmoid-cross-entropy", "layers": "4,2"},
    {"dataset": "circle", "loss": "mse", "activation": "sigmoid", "layers": "8,8"},
    {"dataset": "spiral", "layers": "8,8,8", "activation": "relu", "optimizer": "adam", "learningRate": "0.01"},
    {"dataset": "gauss3", "layers": "6"},
    {"dataset": "circle", "compare": "loss", "compareWith": "mse", "layers": "4"},
]


def find_dendrite(given):
    if given:
        return pathlib.Path(given)
    path = subprocess.run(["swift", "build", "--show-bin-path"], capture_output=True, text=True, check=True).stdout.strip()
    return pathlib.Path(path) / "dendrite"


def rss_mib(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def cpu_seconds(pid):
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def session(url, origin, config, stop, counts, index, last_seen):
    async with websockets.connect(url, origin=origin, max_size=8 << 20) as socket:
        await socket.send(json.dumps({"type": "start", "config": config}))
        while not stop.is_set():
            try:
                message = await asyncio.wait_for(socket.recv(), timeout=0.5)
            except asyncio.TimeoutError:
                continue
            if json.loads(message).get("type") == "frame":
                counts[index] += 1
                last_seen[index] = time.monotonic()


async def run(args, port, pid):
    url = f"ws://127.0.0.1:{port}/ws"
    origin = f"http://127.0.0.1:{port}"
    stop = asyncio.Event()
    counts = [0] * args.sessions
    last_seen = [0.0] * args.sessions
    tasks = [asyncio.create_task(session(url, origin, CONFIGS[i % len(CONFIGS)], stop, counts, i, last_seen))
             for i in range(args.sessions)]
    await asyncio.sleep(2)  # every session started
    start_counts = list(counts)
    cpu_start, t_start = cpu_seconds(pid), time.monotonic()
    peak = 0.0
    while time.monotonic() - t_start < args.duration:
        peak = max(peak, rss_mib(pid))
        await asyncio.sleep(0.25)
    elapsed = time.monotonic() - t_start
    cpu_busy = (cpu_seconds(pid) - cpu_start) / elapsed
    rates = [(counts[i] - start_counts[i]) / elapsed for i in range(args.sessions)]
    quiet = [i for i in range(args.sessions) if time.monotonic() - last_seen[i] > args.duration / 4]
    stop.set()
    await asyncio.gather(*tasks, return_exceptions=True)
    await asyncio.sleep(2)  # closed sessions stop training
    cpu_idle_start, t_idle = cpu_seconds(pid), time.monotonic()
    await asyncio.sleep(3)
    cpu_idle = (cpu_seconds(pid) - cpu_idle_start) / (time.monotonic() - t_idle)
    return {
        "sessions": args.sessions,
        "duration_s": round(elapsed, 1),
        "frames_per_s_min": round(min(rates), 1),
        "frames_per_s_median": round(statistics.median(rates), 1),
        "frames_per_s_max": round(max(rates), 1),
        "sessions_without_recent_frames": len(quiet),
        "server_peak_rss_mib": round(peak, 1),
        "server_rss_after_close_mib": round(rss_mib(pid), 1),
        "server_cpu_cores_training": round(cpu_busy, 2),
        "server_cpu_cores_after_close": round(cpu_idle, 3),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--duration", type=float, default=30)
    parser.add_argument("--dendrite", help="the dendrite binary (default: swift build --show-bin-path)/dendrite")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()
    if args.sessions < 1 or args.duration <= 0:
        sys.exit("playground_load_check: --sessions must be ≥ 1 and --duration > 0")
    server = subprocess.Popen([str(find_dendrite(args.dendrite)), "playground", "--port", "0"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = server.stdout.readline().strip()
        if not line.startswith("Dendrite playground: http://"):
            sys.exit(f"playground_load_check: unexpected first line {line!r}; stderr: {server.stderr.read()}")
        port = int(line.rsplit(":", 1)[1].strip("/"))
        figures = asyncio.run(run(args, port, server.pid))
    finally:
        server.terminate()
        server.wait(timeout=15)
    if args.json:
        print(json.dumps(figures))
    else:
        for key, value in figures.items():
            print(f"  {key:34} {value}")
    if figures["sessions_without_recent_frames"]:
        print("playground_load_check: some sessions stopped receiving frames", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
