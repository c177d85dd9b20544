#!/bin/sh
# `make bench-formats` (and part of `make bench`): every output format on the
# Dockerfiles of ../shared/corpus, named one by one on the command line with
# --kind dockerfile, against the gnu format and `cat` of the same files, in
# one run: best wall time of several runs and the peak RSS (GNU time).  Then
# the goals of issue 8: json and sarif within 1.5x of gnu's time, gnu within
# 1.25x of cat's, and a peak RSS of at most 32 MiB in every format (reports
# stream; memory must not grow with the number of findings).  Prints
# "goal ... ok|MISSED" lines.
set -eu
hardock=$(realpath "${1:-build/hardock}")
here=$(cd "$(dirname "$0")" && pwd)
shared=${SHARED:-$here/../../shared}
corpus="$shared/corpus/dockerfiles"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
runs=${BENCH_RUNS:-10}

find "$corpus" -type f | sort >"$out/files"
n=$(wc -l <"$out/files")
bytes=$(cat $(cat "$out/files") | wc -c)
# Every format hardock has: the list its error message gives for an unknown one.
formats=$("$hardock" lint --format '?' 2>&1 | sed -n "s/.*expected //p" | sed 's/,//g; s/ or / /')
python3 - "$out" "$hardock" "$n" "$bytes" "$runs" $formats <<'PY' >"$out/spec.json"
import json, sys
out, hd, n, b, runs = sys.argv[1:6]
formats = sys.argv[6:]
files = open(f"{out}/files").read().split()
argv = lambda fmt: [hd, "lint", "--kind", "dockerfile", "-q", "--format", fmt] + files
spec = [{"name": "hardock --format gnu", "argv": argv("gnu"), "runs": int(runs), "files": int(n), "bytes": int(b)}]
spec += [{"name": f"hardock --format {f}", "argv": argv(f), "runs": int(runs), "files": int(n), "bytes": int(b)}
         for f in formats if f != "gnu"]
spec.append({"name": "cat", "argv": ["cat"] + files, "runs": int(runs), "files": int(n), "bytes": int(b)})
json.dump(spec, sys.stdout)
PY
echo "== Output formats: $n Dockerfiles, $bytes bytes, explicit paths, --kind dockerfile -q (best of $runs) =="
BENCH_JSON="$out/results.json" python3 "$here/bench.py" --spec "$out/spec.json"
python3 - "$out/results.json" <<'PY'
import json, sys
res = {r["name"]: r for r in json.load(open(sys.argv[1]))}
gnu = res["hardock --format gnu"]
for fmt in ("json", "sarif"):
    x = res[f"hardock --format {fmt}"]
    r = x["seconds"] / gnu["seconds"]
    rc = x["cpu_seconds"] / gnu["cpu_seconds"] if gnu["cpu_seconds"] else 0
    good = r <= 1.5
    print(f"goal {fmt} time <= 1.5x gnu: {r:.2f}x wall, {rc:.2f}x cpu {'ok' if good else 'MISSED'}")
cat = res["cat"]
r = gnu["seconds"] / cat["seconds"]
rc = gnu["cpu_seconds"] / cat["cpu_seconds"] if cat["cpu_seconds"] else 0
print(f"goal gnu time <= 1.25x cat: {r:.2f}x wall, {rc:.2f}x cpu {'ok' if r <= 1.25 else 'MISSED'}")
for name, r in res.items():
    if not name.startswith("hardock"):
        continue
    good = r["peak_rss_mib"] <= 32
    print(f"goal {name} peak RSS <= 32 MiB: {r['peak_rss_mib']:.1f} MiB {'ok' if good else 'MISSED'}")
PY
# The fixed cost every run pays before reading a file: the start of
# `hardock --version` (the dynamic linker's work, src/core/dl.h) beside
# /bin/true's, mean wall and CPU time over many runs (rusage: microseconds).
python3 - "$hardock" "${BENCH_STARTS:-200}" <<'PY'
import os, resource, subprocess, sys, time
hd, n = sys.argv[1], int(sys.argv[2])
def start(argv):
    subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # warm-up
    r0, t0 = resource.getrusage(resource.RUSAGE_CHILDREN), time.perf_counter()
    for _ in range(n):
        subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall, r1 = time.perf_counter() - t0, resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)
    return wall / n * 1e3, cpu / n * 1e3
hw, hc = start([hd, "--version"])
tw, tc = start(["/bin/true"])
print(f"start-up ({n} runs): hardock --version {hw:.2f} ms wall, {hc:.2f} ms cpu; "
      f"/bin/true {tw:.2f} ms wall, {tc:.2f} ms cpu; {hc / tc if tc else 0:.1f}x cpu")
PY
