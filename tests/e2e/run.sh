#!/bin/sh
# End-to-end tests of the CLI, as data: each folder under tests/e2e/cases/
# holds `cmd` (a shell script run inside a copy of the folder, with
# $HARDOCK, $SRCDIR and $SHARED set), `expected.exit` (the exit code of
# cmd), `expected.out` (its whole standard output) and, when it writes any,
# `expected.err` (its whole standard error; without the file, standard
# error must be empty).  Volatile parts are placeholders in the goldens:
# %TMP% the case's copy, %SRCDIR% the source tree, %SHARED% the shared
# folder, %VERSION% hardock's version.
#
# A case never hides an exit code: hardock's output is never piped into
# another program, and a cmd running hardock more than once records each
# exit code in its output (`echo "exit $?"`).  A crash (an exit code above
# 2, a sanitizer report) always fails.  HD_UPDATE_GOLDEN=1 rewrites the
# goldens from the current output: review the diff before committing it.
set -u
: "${HARDOCK:?}" "${SRCDIR:?}"
SHARED=${SHARED:-$SRCDIR/../shared}
export HARDOCK SRCDIR SHARED NO_COLOR=1
pass=0 fail=0
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
version=$("$HARDOCK" version | sed -n 's/^hardock //p')
if [ -z "$version" ]; then
	echo "FAIL: 'hardock version' prints no version"
	echo "0 passed, 1 failed"
	exit 1
fi
# Escapes a string for a sed pattern (| is the delimiter).
pat() { printf '%s' "$1" | sed 's/[][\.*^$|]/\\&/g'; }
placeholders() { # FILE CASE_DIR
	sed -i -e "s|$(pat "$2")|%TMP%|g" -e "s|$(pat "$SRCDIR")|%SRCDIR%|g" -e "s|$(pat "$SHARED")|%SHARED%|g" \
		-e "s|$(pat "$version")|%VERSION%|g" "$1"
}
for dir in "$SRCDIR"/tests/e2e/cases/*/; do
	name=$(basename "$dir")
	case_dir="$work/$name"
	cp -R "$dir" "$case_dir"
	out="$work/$name.out" err="$work/$name.err"
	(cd "$case_dir" && sh ./cmd) >"$out" 2>"$err"
	code=$?
	placeholders "$out" "$case_dir"
	placeholders "$err" "$case_dir"
	ok=1 why=""
	if grep -Eq '\$HARDOCK([^|]|\|\|)*\|([^|]|$)' "$dir/cmd"; then
		ok=0 why="cmd pipes hardock's output into another program (its exit code is lost)"
	fi
	if [ ! -f "$dir/expected.exit" ] || [ ! -f "$dir/expected.out" ]; then
		ok=0 why="expected.exit and expected.out are required"
	fi
	if grep -q "Sanitizer\|runtime error:" "$err"; then ok=0 why="${why:+$why; }sanitizer report"; fi
	if [ "$code" -gt 2 ]; then ok=0 why="${why:+$why; }exit $code (a crash?)"; fi
	if [ "${HD_UPDATE_GOLDEN:-0}" = 1 ]; then
		echo "$code" >"$dir/expected.exit"
		cp "$out" "$dir/expected.out"
		if [ -s "$err" ]; then cp "$err" "$dir/expected.err"; else rm -f "$dir/expected.err"; fi
	else
		want=$(cat "$dir/expected.exit" 2>/dev/null)
		if [ "$code" != "$want" ]; then ok=0 why="${why:+$why; }exit $code, expected $want"; fi
		if [ -f "$dir/expected.out" ] && ! cmp -s "$out" "$dir/expected.out"; then
			ok=0 why="${why:+$why; }stdout differs"
			diff -u "$dir/expected.out" "$out" | head -40
		fi
		if [ -f "$dir/expected.err" ]; then
			if ! cmp -s "$err" "$dir/expected.err"; then
				ok=0 why="${why:+$why; }stderr differs"
				diff -u "$dir/expected.err" "$err" | head -20
			fi
		elif [ -s "$err" ]; then
			ok=0 why="${why:+$why; }unexpected stderr"
		fi
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
