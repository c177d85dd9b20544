#!/bin/sh
# End-to-end tests of the CLI, as data: each folder under tests/e2e/cases/
# holds `cmd` (a shell line run inside a copy of the folder, with $HARDOCK,
# $SRCDIR and $SHARED set), `expected.exit`, and optionally `expected.out`
# (exact standard output, after replacing the copy's path by %TMP%) and
# `expected.err` (a substring standard error must contain).  A crash (exit
# code above 2, or a sanitizer report) always fails.  HD_UPDATE_GOLDEN=1
# rewrites expected.out from the current output: review the diff before
# committing it.
set -u
: "${HARDOCK:?}" "${SRCDIR:?}"
SHARED=${SHARED:-$SRCDIR/../shared}
export HARDOCK SRCDIR SHARED NO_COLOR=1
pass=0 fail=0
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for dir in "$SRCDIR"/tests/e2e/cases/*/; do
	name=$(basename "$dir")
	case_dir="$work/$name"
	cp -R "$dir" "$case_dir"
	out="$work/$name.out" err="$work/$name.err"
	(cd "$case_dir" && sh ./cmd) >"$out" 2>"$err"
	code=$?
	sed -i "s|$case_dir|%TMP%|g" "$out"
	ok=1 why=""
	want=$(cat "$dir/expected.exit" 2>/dev/null || echo 0)
	if [ "$code" != "$want" ]; then ok=0 why="exit $code, expected $want"; fi
	if grep -q "Sanitizer\|runtime error:" "$err"; then ok=0 why="sanitizer report"; fi
	if [ -f "$dir/expected.out" ]; then
		if [ "${HD_UPDATE_GOLDEN:-0}" = 1 ]; then
			cp "$out" "$dir/expected.out"
		elif ! cmp -s "$out" "$dir/expected.out"; then
			ok=0 why="${why:+$why; }stdout differs"
			diff -u "$dir/expected.out" "$out" | head -40
		fi
	fi
	if [ -f "$dir/expected.err" ]; then
		while IFS= read -r needle; do
			[ -z "$needle" ] && continue
			if ! grep -qF -- "$needle" "$err"; then ok=0 why="${why:+$why; }stderr lacks '$needle'"; fi
		done <"$dir/expected.err"
	fi
	if [ $ok = 1 ]; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAIL $name: $why"
		head -20 "$err"
	fi
done
echo "$pass passed, $fail failed"
[ $fail = 0 ]
