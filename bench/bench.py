#!/usr/bin/env python3
"""Times commands on the same inputs in one run and prints ratios.

Each command runs `--runs` times (after one warm-up); the best wall time,
the best CPU time (user + system: steadier than wall time on a busy
machine) and the peak resident set size (GNU time) are kept. Only the standard library.
"""
import argparse
import json
import os
import subprocess
import sys
import time


RSS_FILE = f"/tmp/hardock-bench-rss.{os.getpid()}"


def run_once(argv, stdin_path=None):
    """Wall time of one run, and its peak RSS measured by GNU time: wait4's
    figure would include the memory of the forked Python before exec."""
    stdin = open(stdin_path, "rb") if stdin_path else subprocess.DEVNULL
    t0 = time.perf_counter()
    proc = subprocess.Popen(["/usr/bin/time", "-f", "%M %U %S", "-o", RSS_FILE] + argv, stdin=stdin,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    code = proc.wait()
    wall = time.perf_counter() - t0
    if stdin_path:
        stdin.close()
    try:
        fields = open(RSS_FILE).read().split()[-3:]
        rss = int(fields[0]) / 1024.0
        cpu = float(fields[1]) + float(fields[2])
    except (OSError, ValueError, IndexError):
        rss, cpu = 0.0, 0.0
    return wall, rss, code, cpu


def measure(name, argv, runs, stdin_path=None):
    run_once(argv, stdin_path)  # warm the page cache
    best, rss, code, best_cpu = None, 0.0, 0, None
    for _ in range(runs):
        wall, peak, code, cpu = run_once(argv, stdin_path)
        best = wall if best is None or wall < best else best
        best_cpu = cpu if best_cpu is None or cpu < best_cpu else best_cpu
        rss = max(rss, peak)
    return {"name": name, "seconds": best, "cpu_seconds": best_cpu, "peak_rss_mib": rss, "exit": code}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--spec", required=True, help="JSON list of {name, argv, runs, scale}")
    args = ap.parse_args()
    spec = json.load(open(args.spec))
    results = []
    for s in spec:
        r = measure(s["name"], s["argv"], s.get("runs", 3), s.get("stdin"))
        r["scale"] = s.get("scale", 1.0)
        r["note"] = s.get("note", "")
        r["files"] = s.get("files", 0)
        r["bytes"] = s.get("bytes", 0)
        results.append(r)
    base = results[0]
    print(f"{'tool':34} {'seconds':>10} {'cpu s':>8} {'files/s':>10} {'MB/s':>8} {'peak MiB':>9} {'vs ' + base['name']:>14}")
    for r in results:
        secs = r["seconds"] * r["scale"]
        fps = r["files"] / secs if secs and r["files"] else 0
        mbs = r["bytes"] / secs / 1e6 if secs and r["bytes"] else 0
        ratio = secs / (base["seconds"] * base["scale"])
        note = f"  ({r['note']})" if r["note"] else ""
        cpu = (r["cpu_seconds"] or 0) * r["scale"]
        print(f"{r['name']:34} {secs:10.3f} {cpu:8.3f} {fps:10.0f} {mbs:8.1f} {r['peak_rss_mib']:9.1f} {ratio:13.2f}x{note}")
    json.dump(results, open(os.environ.get("BENCH_JSON", "/dev/null"), "w"), indent=1)


if __name__ == "__main__":
    sys.exit(main())
