#!/bin/sh
# Golden cases: each folder tests/cases/<kind>/<name>/ holds one input (a
# Dockerfile, compose file or script; the first file that is not `expected`
# or `cmd`) and `expected`: the findings hardock must report, one per line as
# "LINE:COL RULE-ID", sorted.  They are reviewed by hand; HD_UPDATE_GOLDEN=1
# rewrites them from the current output (review the diff before committing).
# An optional `cmd` file replaces the default `$HARDOCK lint --format gnu`.
set -u
: "${HARDOCK:?}" "${SRCDIR:?}"
export NO_COLOR=1
pass=0 fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for dir in "$SRCDIR"/tests/cases/*/*/; do
	name=${dir#"$SRCDIR"/tests/cases/}
	name=${name%/}
	got="$tmp/got"
	(
		cd "$dir" || exit 99
		if [ -f cmd ]; then
			sh ./cmd
		else
			input=$(ls -A | grep -v -e '^expected$' -e '^cmd$' -e '^\.dockerignore$' -e '^\.env$' -e '^README' | head -n 1)
			"$HARDOCK" lint --format gnu "$input"
		fi
	) >"$tmp/raw" 2>"$tmp/err"
	code=$?
	# "file:L:C: level: message [rule]" -> "L:C rule"
	sed -n 's/^[^:]*:\([0-9]*\):\([0-9]*\): [a-z]*: .* \[\([^]]*\)\]$/\1:\2 \3/p' "$tmp/raw" | sort -t: -k1,1n -k2,2n -s >"$got"
	ok=1
	if [ "$code" -gt 2 ] || grep -q "Sanitizer\|runtime error:" "$tmp/err"; then
		ok=0
		echo "FAIL $name: crashed (exit $code)"
		head -20 "$tmp/err"
	elif [ "${HD_UPDATE_GOLDEN:-0}" = 1 ]; then
		cp "$got" "$dir/expected"
	elif ! cmp -s "$got" "$dir/expected"; then
		ok=0
		echo "FAIL $name:"
		diff -u "$dir/expected" "$got" | tail -n +3 | head -40
	fi
	if [ $ok = 1 ]; then pass=$((pass + 1)); else fail=$((fail + 1)); fi
done
echo "$pass passed, $fail failed"
[ $fail = 0 ]
