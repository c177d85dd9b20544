#!/bin/sh
# The rule pages in docs/rules/ are exactly what the catalogue generates now
# (run `make docs` after changing a rule), and every rule has a page.
set -u
: "${HARDOCK:?}" "${SRCDIR:?}"
pass=0 fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$HARDOCK" rules docs "$tmp/rules"
if diff -r "$SRCDIR/docs/rules" "$tmp/rules" >"$tmp/diff"; then
	pass=$((pass + 1))
else
	fail=$((fail + 1))
	echo "FAIL: docs/rules is out of date; run 'make docs'"
	head -40 "$tmp/diff"
fi
n_rules=$("$HARDOCK" rules | wc -l)
n_pages=$(find "$tmp/rules" -name '*.md' ! -name README.md | wc -l)
if [ "$n_rules" = "$n_pages" ]; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: $n_rules rules, $n_pages pages"; fi
echo "$pass passed, $fail failed"
[ $fail = 0 ]
