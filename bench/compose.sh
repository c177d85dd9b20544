#!/bin/sh
# bench/compose.sh [BUILD_DIR]: lints the compose corpus (../shared/corpus/compose,
# every .yml/.yaml file) with hardock and with the npm compose linter dclint in
# one run, and prints both wall times, their ratio and both peak RSS figures
# (from /usr/bin/time -v).  dclint is installed here, in bench/node_modules,
# by `npm install --prefix bench dclint` (never globally).
#
# hardock is timed with `hardock lint --kind compose` when the CLI knows that
# kind, else with tests/compose-corpus, which runs the same lint entry
# (hd_lint_compose) on every file in one process.  Build BUILD_DIR with
# --buildtype=release for meaningful figures.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=$(realpath "${1:-$here/../build}")
shared=${SHARED:-$here/../../shared}
corpus="$shared/corpus/compose"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

find "$corpus" -type f \( -name '*.yml' -o -name '*.yaml' \) | sort >"$out/files"
n=$(wc -l <"$out/files")
bytes=$(cat $(cat "$out/files") | wc -c)

if [ ! -x "$here/node_modules/.bin/dclint" ]; then
	npm install --prefix "$here" --no-audit --no-fund --silent dclint >/dev/null 2>&1 ||
		echo "bench: could not install dclint; timing hardock only" >&2
fi

# Runs "$@" under /usr/bin/time -v; prints "seconds peak_kib" (wall time from
# date's nanoseconds, /usr/bin/time rounds to 10 ms).
measure() {
	t0=$(date +%s%N)
	/usr/bin/time -v "$@" >"$out/stdout" 2>"$out/time" || true
	t1=$(date +%s%N)
	awk -F': ' -v ns=$((t1 - t0)) '
		/Maximum resident set size/ { rss = $2 }
		END { printf "%.3f %d\n", ns / 1e9, rss }' "$out/time"
}

# Does the CLI lint compose files yet?  A file with a YAML error must give compose/parse-error.
printf 'services: [\n' >"$out/probe.yaml"
if "$build/hardock" lint --kind compose --format gnu "$out/probe.yaml" 2>/dev/null | grep -q 'compose/parse-error'; then
	hd_name="hardock lint --kind compose"
	set -- "$build/hardock" lint --kind compose -q --format gnu $(cat "$out/files")
else
	hd_name="hardock (tests/compose-corpus)"
	set -- "$build/tests/compose-corpus" $(cat "$out/files")
fi
# Best of five runs: the corpus is small and the first run warms the page cache.
best=""
for i in 1 2 3 4 5; do
	r=$(measure "$@")
	t=${r% *}
	if [ -z "$best" ] || awk "BEGIN { exit !($t < ${best% *}) }"; then best=$r; fi
done
hd_t=${best% *}
hd_rss=${best#* }

echo "== compose corpus: $n files, $bytes bytes =="
printf '%-34s %10s s  %8s MiB\n' "$hd_name" "$hd_t" "$(awk "BEGIN { printf \"%.1f\", $hd_rss / 1024 }")"
if [ -x "$here/node_modules/.bin/dclint" ]; then
	r=$(measure "$here/node_modules/.bin/dclint" $(cat "$out/files"))
	dc_t=${r% *}
	dc_rss=${r#* }
	printf '%-34s %10s s  %8s MiB\n' "dclint (npm)" "$dc_t" "$(awk "BEGIN { printf \"%.1f\", $dc_rss / 1024 }")"
	awk "BEGIN { t = $hd_t; if (t < 0.001) t = 0.001; printf \"ratio: hardock is %.0fx faster than dclint (%.3f s vs %.3f s)\\n\", $dc_t / t, $hd_t, $dc_t }"
fi
