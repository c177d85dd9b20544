#!/bin/sh
# The binary is built hardened: a position-independent executable, full
# RELRO (GNU_RELRO and BIND_NOW: the GOT is read-only once started), stack
# protection, and, in optimised builds (argument "optimised"), glibc's
# checked functions from _FORTIFY_SOURCE (calls to *_chk).
set -u
: "${HARDOCK:?}"
pass=0 fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
check() { # NAME COMMAND...
	name=$1
	shift
	if "$@"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: $name"; fi
}
readelf -hW "$HARDOCK" >"$tmp/h" && readelf -dW "$HARDOCK" >"$tmp/d" && readelf -lW "$HARDOCK" >"$tmp/l" &&
	readelf -sW --dyn-syms "$HARDOCK" >"$tmp/s" || { echo "FAIL: readelf"; echo "0 passed, 1 failed"; exit 1; }
check "position-independent executable" grep -q 'Type:.*DYN' "$tmp/h"
check "PIE flag" grep -q 'FLAGS_1.*PIE' "$tmp/d"
check "GNU_RELRO segment" grep -q 'GNU_RELRO' "$tmp/l"
check "BIND_NOW (full RELRO)" grep -Eq 'BIND_NOW|FLAGS_1.*NOW' "$tmp/d"
check "stack protector" grep -q '__stack_chk_fail' "$tmp/s"
if [ "${1:-}" = optimised ]; then
	check "_FORTIFY_SOURCE (checked calls)" grep -Eq '__(memcpy|snprintf|vsnprintf|fprintf|read|strcpy|memset)_chk' "$tmp/s"
fi
echo "$pass passed, $fail failed"
[ $fail = 0 ]
