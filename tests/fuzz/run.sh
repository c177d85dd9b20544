#!/bin/sh
# Runs every libFuzzer target of a build (tests/fuzz/fuzz-*) for SECONDS
# each, on a scratch copy of its seed corpus tests/fuzz/corpus-<name>, with
# crash artifacts written under BUILD_DIR/fuzz-artifacts/.  Prints
# "N passed, N failed" last; exits 1 when a target crashed.
#   tests/fuzz/run.sh BUILD_DIR [SECONDS]
set -u
build=${1:?usage: run.sh BUILD_DIR [SECONDS]}
secs=${2:-60}
here=$(cd "$(dirname "$0")" && pwd)
passed=0
failed=0
mkdir -p "$build/fuzz-artifacts"
for exe in "$build"/tests/fuzz/fuzz-*; do
	[ -x "$exe" ] && [ -f "$exe" ] || continue
	name=${exe##*/fuzz-}
	work="$build/fuzz-work/$name"
	mkdir -p "$work"
	if [ -d "$here/corpus-$name" ]; then
		cp -R "$here/corpus-$name/." "$work/"
	fi
	echo "== fuzz-$name for ${secs}s"
	if "$exe" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
		-artifact_prefix="$build/fuzz-artifacts/$name-" -print_final_stats=1 "$work" \
		>"$build/fuzz-artifacts/$name.log" 2>&1; then
		passed=$((passed + 1))
		grep -E "stat::number_of_executed_units|^#[0-9]+.*DONE" "$build/fuzz-artifacts/$name.log" | tail -2
	else
		failed=$((failed + 1))
		echo "fuzz-$name FAILED; see $build/fuzz-artifacts/$name.log"
		grep -E "ERROR|SUMMARY|==[0-9]+==" "$build/fuzz-artifacts/$name.log" | head -5
	fi
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
