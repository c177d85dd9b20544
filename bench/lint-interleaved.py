#!/usr/bin/python3
"""Issue 8's lint goals measured interleaved: rounds of hardock lint (gnu,
json, sarif) and cat of the same corpus Dockerfiles, one after another, so a
load that comes and goes weighs on every tool alike.  Prints the minimum,
25th percentile and median wall time of each, and the ratios the issue asks
for (gnu within 1.25x of cat; json and sarif within 1.5x of gnu).

Usage: bench/lint-interleaved.py HARDOCK [ROUNDS]  (SHARED: the shared folder)
"""
import os
import subprocess
import sys
import time

here = os.path.dirname(os.path.abspath(__file__))
shared = os.environ.get("SHARED", os.path.join(here, "..", "..", "shared"))
corpus = os.path.join(shared, "corpus", "dockerfiles")
files = sorted(os.path.join(d, f) for d, _, fs in os.walk(corpus) for f in fs)
hd = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else "build/hardock")
rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 30
lint = [hd, "lint", "--kind", "dockerfile", "-q", "--format"]
cmds = {"gnu": lint + ["gnu"] + files, "json": lint + ["json"] + files,
        "sarif": lint + ["sarif"] + files, "cat": ["cat"] + files}
times = {k: [] for k in cmds}
for _ in range(rounds):
    for k, c in cmds.items():
        t = time.perf_counter()
        subprocess.run(c, stdout=subprocess.DEVNULL)
        times[k].append(time.perf_counter() - t)
print(f"== {len(files)} Dockerfiles, {rounds} interleaved rounds, load {os.getloadavg()[0]:.2f} ==")
stat = {}
for k, v in times.items():
    v.sort()
    stat[k] = (v[0], v[len(v) // 4], v[len(v) // 2])
    print(f"{k:6s} min {v[0] * 1000:6.1f} ms  p25 {stat[k][1] * 1000:6.1f} ms  median {stat[k][2] * 1000:6.1f} ms")
for name, a, b, goal in (("gnu/cat", "gnu", "cat", 1.25), ("json/gnu", "json", "gnu", 1.5),
                         ("sarif/gnu", "sarif", "gnu", 1.5)):
    r = stat[a][0] / stat[b][0]
    print(f"goal {name} <= {goal}x: {r:.2f}x at the minimum, {stat[a][1] / stat[b][1]:.2f}x at p25 "
          f"{'ok' if r <= goal else 'MISSED'}")
