#!/bin/sh
# Runs the whole test suite of a configured build directory and prints the
# totals as "N passed, N failed": cmocka's per-test counts, the counts that
# script tests print, and one per meson test otherwise.
set -u
dir=${1:-build-asan}
shift 2>/dev/null; meson test -C "$dir" --print-errorlogs --num-processes 2 "$@" 2>&1 | tail -n 60 >"$dir/test-tail.txt"
rc=$?
cat "$dir/test-tail.txt" | grep -v '^$' | tail -n 25
python3 tools/test-totals.py "$dir/meson-logs/testlog.json"
exit $?
