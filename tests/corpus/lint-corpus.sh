#!/bin/sh
# Lints every Dockerfile and compose file of the shared corpus with the
# sanitizer build: no crash, no sanitizer report, and no parse error except
# for the files listed (with the reason) in tests/corpus/*-invalid.txt.
set -u
: "${HARDOCK:?}" "${SRCDIR:?}"
SHARED=${SHARED:-$SRCDIR/../shared}
pass=0 fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
find "$SHARED/corpus/dockerfiles" -type f | sort >"$tmp/files"
n=$(wc -l <"$tmp/files")
# xargs exits 123 when hardock exits 1 or 2 (findings, parse errors) and
# 125 when it is killed by a signal.
xargs "$HARDOCK" lint --kind dockerfile --format gnu <"$tmp/files" >"$tmp/out" 2>"$tmp/err"
code=$?
if { [ $code = 0 ] || [ $code = 123 ]; } && ! grep -q "Sanitizer\|runtime error:" "$tmp/err"; then
	pass=$((pass + 1))
else
	fail=$((fail + 1))
	echo "FAIL: linting the corpus crashed (exit $code)"
	head -30 "$tmp/err"
fi
# Files with a parse error must be the known-invalid ones.
grep '\[dockerfile/parse-error\]$' "$tmp/out" | cut -d: -f1 | sort -u | sed "s|^$SHARED/corpus/dockerfiles/||" >"$tmp/bad"
grep -v '^#' "$SRCDIR/tests/corpus/dockerfile-invalid.txt" 2>/dev/null | awk 'NF {print $1}' | sort -u >"$tmp/known"
unexpected=$(comm -23 "$tmp/bad" "$tmp/known")
if [ -z "$unexpected" ]; then
	pass=$((pass + 1))
else
	fail=$((fail + 1))
	echo "FAIL: parse errors in valid corpus files:"
	echo "$unexpected" | head -20 | while read -r f; do grep -F "$f" "$tmp/out" | grep parse-error | head -2; done
fi
stale=$(comm -13 "$tmp/bad" "$tmp/known")
if [ -z "$stale" ]; then
	pass=$((pass + 1))
else
	fail=$((fail + 1))
	echo "FAIL: listed as invalid but parse fine: $stale"
fi
echo "corpus: $n Dockerfiles, $(wc -l <"$tmp/bad") with parse errors (all known)"
echo "$pass passed, $fail failed"
[ $fail = 0 ]
