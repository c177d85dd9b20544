#!/bin/sh
# `make bench`: hardock against its peers on ../shared/corpus, as ratios in one
# run.  Peers are npm packages installed here into bench/.peers (never
# globally).  Peers that need one process per file are timed on an evenly
# spread sample and scaled to the whole corpus (marked "scaled"); set
# BENCH_FULL=1 to time them on every file instead.
set -eu
hardock=$(realpath "${1:-build/hardock}")
here=$(cd "$(dirname "$0")" && pwd)
shared=${SHARED:-$here/../../shared}
corpus="$shared/corpus"
peers="$here/.peers"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

if [ ! -x "$peers/node_modules/.bin/dockerfilelint" ] || [ ! -x "$peers/node_modules/.bin/dclint" ]; then
	command -v npm >/dev/null || { printf "npm\n" >"$out/npm.txt"; sh "$here/../tools/install-deps.sh" "$out/npm.txt"; }
	mkdir -p "$peers"
	(cd "$peers" && npm install --no-audit --no-fund --silent dockerfilelint dockerfile-utils dockerfile_lint dclint >/dev/null 2>&1) ||
		echo "bench: could not install the npm peers; timing hardock and cat only" >&2
fi

find "$corpus/dockerfiles" -type f | sort >"$out/df"
find "$corpus/compose" -type f \( -name '*.yml' -o -name '*.yaml' \) | sort >"$out/compose"
n_df=$(wc -l <"$out/df")
b_df=$(cat $(cat "$out/df") | wc -c)
n_c=$(wc -l <"$out/compose")
b_c=$(cat $(cat "$out/compose") | wc -c)
full=${BENCH_FULL:-0}
# Every k-th file, for the one-process-per-file peers.
awk 'NR % 40 == 1' "$out/df" >"$out/df.sample"
n_sample=$(wc -l <"$out/df.sample")
nproc=$(nproc)

export PEERS="$peers"
python3 - "$out" "$hardock" "$peers" "$n_df" "$b_df" "$n_sample" "$full" "$nproc" "$here" <<'PY' >"$out/df.json"
import json, sys
out, hd, peers, n, b, ns, full, nproc, here = sys.argv[1:10]
n, b, ns, full = int(n), int(b), int(ns), full == "1"
files = open(f"{out}/df").read().split()
sample = open(f"{out}/df.sample").read().split()
bin = f"{peers}/node_modules/.bin"
per_file = files if full else sample
scale = 1.0 if full else n / len(sample)
note = "" if full else f"scaled from {len(sample)} files"
loop = 'for f; do "$0" "$f" >/dev/null 2>&1; done'
spec = [
    {"name": f"hardock lint (-j {nproc})", "argv": [hd, "lint", "--kind", "dockerfile", "-q", "--format", "gnu"] + files, "runs": 10, "files": n, "bytes": b},
    {"name": "hardock lint (-j 1)", "argv": [hd, "lint", "-j", "1", "--kind", "dockerfile", "-q", "--format", "gnu"] + files, "runs": 5, "files": n, "bytes": b},
    {"name": "cat", "argv": ["cat"] + files, "runs": 10, "files": n, "bytes": b},
    {"name": "dockerfilelint (npm, one process)", "argv": ["node", f"{here}/peers/dockerfilelint-all.js"] + files, "runs": 3, "files": n, "bytes": b, "note": "its CLI stops at the first of 21 files it crashes on; this driver skips them"},
    {"name": "dockerfile_lint (npm, per file)", "argv": ["sh", "-c", 'for f; do "$0" -p -f "$f" >/dev/null 2>&1; done', f"{bin}/dockerfile_lint"] + per_file, "runs": 1, "files": n, "bytes": b, "scale": scale, "note": note},
    {"name": "dockerfile-utils (npm, per file)", "argv": ["sh", "-c", 'for f; do "$0" lint "$f" >/dev/null 2>&1; done', f"{bin}/dockerfile-utils"] + per_file, "runs": 1, "files": n, "bytes": b, "scale": scale, "note": note},
]
import os
spec = [s for s in spec if os.path.exists(s["argv"][0]) or s["argv"][0] in ("cat", "sh", "node")]
json.dump(spec, sys.stdout)
PY
echo "== Dockerfiles: $n_df files, $b_df bytes =="
python3 "$here/bench.py" --spec "$out/df.json"

if "$hardock" lint --kind compose --help >/dev/null 2>&1 && [ "$n_c" -gt 0 ]; then
	python3 - "$out" "$hardock" "$peers" "$n_c" "$b_c" <<'PY' >"$out/c.json"
import json, os, sys
out, hd, peers, n, b = sys.argv[1:6]
files = open(f"{out}/compose").read().split()
spec = [
    {"name": "hardock lint (compose)", "argv": [hd, "lint", "--kind", "compose", "-q", "--format", "gnu"] + files, "runs": 10, "files": int(n), "bytes": int(b)},
    {"name": "cat", "argv": ["cat"] + files, "runs": 10, "files": int(n), "bytes": int(b)},
    {"name": "dclint (npm)", "argv": [f"{peers}/node_modules/.bin/dclint"] + files, "runs": 1, "files": int(n), "bytes": int(b)},
]
spec = [s for s in spec if os.path.exists(s["argv"][0]) or s["argv"][0] == "cat"]
json.dump(spec, sys.stdout)
PY
	echo
	echo "== Compose files: $n_c files, $b_c bytes =="
	python3 "$here/bench.py" --spec "$out/c.json"
fi

echo
sh "$here/formats.sh" "$hardock"
