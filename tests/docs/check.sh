#!/bin/sh
# The rule pages in docs/rules/ are exactly what the catalogue generates now
# (run `make docs` after changing a rule), and every rule has a page; the
# man page docs/hardock.1 is exactly what the option tables generate (run
# `make docs` after changing an option or a command's help), and it is
# well-formed roff.
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
"$HARDOCK" help --man >"$tmp/hardock.1"
if cmp -s "$SRCDIR/docs/hardock.1" "$tmp/hardock.1"; then
	pass=$((pass + 1))
else
	fail=$((fail + 1))
	echo "FAIL: docs/hardock.1 is out of date; run 'make docs'"
	diff -u "$SRCDIR/docs/hardock.1" "$tmp/hardock.1" | head -40
fi
# groff renders it without a warning (unknown requests, bad escapes).
if groff -man -Tutf8 -ww -z "$tmp/hardock.1" >"$tmp/groff.err" 2>&1 && [ ! -s "$tmp/groff.err" ]; then
	pass=$((pass + 1))
else
	fail=$((fail + 1))
	echo "FAIL: groff warns about docs/hardock.1"
	head -20 "$tmp/groff.err"
fi
echo "$pass passed, $fail failed"
[ $fail = 0 ]
