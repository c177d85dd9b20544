#!/bin/sh
# `hardock authz serve` end to end: the plugin is started on a private unix
# socket and driven with curl the way dockerd drives it: /Plugin.Activate,
# AuthZReq for allowed and denied requests (the recorded ones of req/),
# AuthZRes, garbage and an oversized body (denied: fail closed), unknown
# endpoints.  Denies must be logged with their rule ids, the socket must be
# mode 0660, and SIGTERM must stop the server cleanly (exit 0, socket gone).
# Also `hardock authz check` on the same requests (exit 0 allow, 1 deny).
# Prints "N passed, N failed".
set -u
: "${HARDOCK:?}" "${SRCDIR:?}"
req="$SRCDIR/tests/authz/req"
tmp=$(mktemp -d /tmp/hd-authz-XXXXXX)
sock="$tmp/authz.sock"
pass=0
fail=0
pid=
ok() { pass=$((pass + 1)); echo "ok - $1"; }
nok() { fail=$((fail + 1)); echo "not ok - $1"; [ -n "${2:-}" ] && [ -f "$2" ] && sed 's/^/#   /' "$2" | head -20; }
cleanup() {
	if [ -n "$pid" ]; then
		kill "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT INT TERM
finish() {
	echo "$pass passed, $fail failed"
	[ "$fail" = 0 ]
	exit $?
}

for tool in curl python3; do
	command -v $tool >/dev/null || { nok "needs $tool"; finish; }
done

# post PATH FILE: the answer's body in $tmp/out, the HTTP status echoed.
post() {
	curl -s -o "$tmp/out" -w '%{http_code}' --max-time 20 --unix-socket "$sock" \
		-H 'Content-Type: application/json' --data-binary "@$2" "http://plugin$1"
}
# allow_is WANT: the last answer is an AuthZ answer with Allow == WANT (true/false).
allow_is() {
	python3 -c 'import json,sys
d = json.load(open(sys.argv[1]))
want = sys.argv[2] == "true"
sys.exit(0 if d.get("Allow") is want and d.get("Err") == "" and isinstance(d.get("Msg"), str) else 1)' "$tmp/out" "$1"
}

"$HARDOCK" authz serve --socket "$sock" >"$tmp/serve.log" 2>&1 &
pid=$!
i=0
while [ ! -S "$sock" ]; do
	i=$((i + 1))
	if [ $i -gt 100 ] || ! kill -0 "$pid" 2>/dev/null; then
		nok "authz serve did not start" "$tmp/serve.log"
		pid=
		finish
	fi
	sleep 0.1
done
ok "serve started"

mode=$(stat -c %a "$sock")
[ "$mode" = 660 ] && ok "socket mode 0660" || nok "socket mode is $mode"

echo '{}' >"$tmp/empty.json"
code=$(post /Plugin.Activate "$tmp/empty.json")
if [ "$code" = 200 ] && python3 -c 'import json,sys; sys.exit(0 if json.load(open(sys.argv[1])) == {"Implements": ["authz"]} else 1)' "$tmp/out"; then
	ok "activate"
else
	nok "activate: $code" "$tmp/out"
fi

for case in create-hardened:true create-minimal:true exec-plain:true list-containers:true \
	create-privileged:false create-socket:false exec-privileged:false create-bad-body:false \
	garbage:false; do
	name=${case%%:*}
	want=${case#*:}
	code=$(post /AuthZPlugin.AuthZReq "$req/$name.json")
	if [ "$code" = 200 ] && allow_is "$want"; then ok "AuthZReq $name -> allow=$want"; else nok "AuthZReq $name: $code" "$tmp/out"; fi
	"$HARDOCK" authz check "$req/$name.json" >"$tmp/check.out" 2>&1
	rc=$?
	[ "$want" = true ] && wrc=0 || wrc=1
	[ "$rc" = "$wrc" ] && ok "check $name -> exit $wrc" || nok "check $name: exit $rc" "$tmp/check.out"
done

# The deny message names the rule for the user of the docker CLI.
post /AuthZPlugin.AuthZReq "$req/create-privileged.json" >/dev/null
grep -q 'container/privileged' "$tmp/out" && ok "deny message names the rule" || nok "deny message" "$tmp/out"

# Garbage of every kind is denied.
printf 'not json at all' >"$tmp/g1"
printf '{"RequestMethod":"POST","RequestUri":"/v1.41/containers/create","RequestBody":"@@@"}' >"$tmp/g2"
printf '' >"$tmp/g3"
for g in g1 g2 g3; do
	code=$(post /AuthZPlugin.AuthZReq "$tmp/$g")
	[ "$code" = 200 ] && allow_is false && ok "garbage $g denied" || nok "garbage $g: $code" "$tmp/out"
done
# Over the body cap (16 MiB): denied, not crashed.
python3 -c 'import sys; sys.stdout.write("{\"RequestMethod\":\"POST\",\"RequestUri\":\"/containers/create\",\"X\":\"" + "a" * (17 * 1024 * 1024) + "\"}")' >"$tmp/big"
code=$(post /AuthZPlugin.AuthZReq "$tmp/big")
[ "$code" = 200 ] && allow_is false && ok "oversized request denied" || nok "oversized: $code" "$tmp/out"

code=$(post /AuthZPlugin.AuthZRes "$req/create-privileged.json")
[ "$code" = 200 ] && allow_is true && ok "AuthZRes allows" || nok "AuthZRes: $code" "$tmp/out"
code=$(post /Nope "$tmp/empty.json")
[ "$code" = 404 ] && ok "unknown endpoint 404" || nok "unknown endpoint: $code"
code=$(curl -s -o /dev/null -w '%{http_code}' --unix-socket "$sock" http://plugin/Plugin.Activate)
[ "$code" = 405 ] && ok "GET refused" || nok "GET: $code"

# Every deny is logged with its rule ids.
grep -q 'deny POST /v1.41/containers/create?name=evil rules=\[container/privileged\]' "$tmp/serve.log" &&
	ok "deny logged with rule ids" || nok "deny log" "$tmp/serve.log"
grep -q 'rules=\[exec/privileged\]' "$tmp/serve.log" && ok "exec deny logged" || nok "exec deny log" "$tmp/serve.log"

# --deny-at: a bare create is denied at medium.
"$HARDOCK" authz check --deny-at medium "$req/create-minimal.json" >"$tmp/check.out" 2>&1
[ $? = 1 ] && grep -q 'container/no-memory-limit' "$tmp/check.out" && ok "check --deny-at medium" || nok "check --deny-at medium" "$tmp/check.out"
"$HARDOCK" authz check --deny-at bogus "$req/create-minimal.json" >/dev/null 2>&1
[ $? = 2 ] && ok "bad --deny-at is a usage error" || nok "bad --deny-at"
"$HARDOCK" authz check "$tmp/nonexistent.json" >/dev/null 2>&1
[ $? = 2 ] && ok "missing file is exit 2" || nok "missing file"
"$HARDOCK" authz serve >/dev/null 2>&1
[ $? = 2 ] && ok "serve without --socket is exit 2" || nok "serve without --socket"

# SIGTERM stops the server cleanly and removes the socket.
kill -TERM "$pid"
wait "$pid"
rc=$?
pid=
[ "$rc" = 0 ] && ok "SIGTERM: exit 0" || nok "SIGTERM: exit $rc" "$tmp/serve.log"
[ ! -e "$sock" ] && ok "socket removed" || nok "socket left behind"

finish
