#!/bin/sh
# `hardock authz serve` and `check` end to end, driven the way dockerd drives
# the plugin (POST /Plugin.Activate, /AuthZPlugin.AuthZReq, AuthZRes):
#   - the recorded requests of req/ are allowed or denied as named, by the
#     server and by `check`; garbage, bad base64, an AuthZReq over the cap
#     and malformed HTTP are denied (fail closed); unknown endpoints 404,
#     other methods 405;
#   - every decision is one JSON line with user, method, uri, endpoint,
#     decision and rules;
#   - serving: "listening" is printed only once the socket answers; a
#     second server on the same path is refused while the first one lives,
#     and a stale socket is replaced; 2000 idle connections are held while
#     requests are still answered; a client trickling its request is
#     disconnected after --request-timeout; keep-alive, pipelining, chunked
#     bodies and Expect: 100-continue work; the serving process runs with
#     no_new_privs, a seccomp filter and only CAP_DAC_READ_SEARCH, and is
#     restarted when it is killed; SIGTERM stops everything quickly (the
#     socket is removed);
#   - the policy file: refused unless root-owned and not group/other
#     writable, errors name the line; --root reads the protected daemon's
#     -H sockets from a copy of a host's files.
# Prints "N passed, N failed".
set -u
: "${HARDOCK:?}" "${SRCDIR:?}"
PY=/usr/bin/python3
req="$SRCDIR/tests/authz/req"
tmp=$(mktemp -d /tmp/hd-authz-XXXXXX)
sock="$tmp/authz.sock"
pass=0
fail=0
pid=
pid2=
ok() { pass=$((pass + 1)); echo "ok - $1"; }
nok() { fail=$((fail + 1)); echo "not ok - $1"; [ -n "${2:-}" ] && [ -f "$2" ] && sed 's/^/#   /' "$2" | tail -20; }
cleanup() {
	for p in $pid $pid2; do
		kill "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
	rm -rf "$tmp"
}
trap cleanup EXIT INT TERM
finish() {
	echo "$pass passed, $fail failed"
	[ "$fail" = 0 ]
	exit $?
}

for tool in curl pgrep; do
	command -v $tool >/dev/null || { nok "needs $tool"; finish; }
done

# post SOCK PATH FILE: the answer's body in $tmp/out, the HTTP status echoed.
post() {
	curl -s -o "$tmp/out" -w '%{http_code}' --max-time 20 --unix-socket "$1" \
		-H 'Content-Type: application/json' --data-binary "@$3" "http://plugin$2"
}
# allow_is WANT: the last answer is an AuthZ answer with Allow == WANT (true/false).
allow_is() {
	$PY -c 'import json,sys
d = json.load(open(sys.argv[1]))
want = sys.argv[2] == "true"
sys.exit(0 if d.get("Allow") is want and isinstance(d.get("Msg", ""), str) else 1)' "$tmp/out" "$1"
}
# start_server SOCK LOG [ARGS...]: waits for "listening"; sets $started_pid.
start_server() {
	s=$1
	l=$2
	shift 2
	"$HARDOCK" authz serve --socket "$s" "$@" >"$l" 2>&1 &
	started_pid=$!
	i=0
	while ! grep -q "listening on" "$l" 2>/dev/null; do
		i=$((i + 1))
		if [ $i -gt 200 ] || ! kill -0 "$started_pid" 2>/dev/null; then
			return 1
		fi
		sleep 0.05
	done
	return 0
}

if start_server "$sock" "$tmp/serve.log" --request-timeout 2; then
	pid=$started_pid
	ok "serve started"
else
	nok "authz serve did not start" "$tmp/serve.log"
	finish
fi

# "listening" is said only once the socket answers: no wait after it.
echo '{}' >"$tmp/empty.json"
code=$(post "$sock" /Plugin.Activate "$tmp/empty.json")
if [ "$code" = 200 ] && $PY -c 'import json,sys; sys.exit(0 if json.load(open(sys.argv[1])) == {"Implements": ["authz"]} else 1)' "$tmp/out"; then
	ok "activate answered right after 'listening'"
else
	nok "activate: $code" "$tmp/out"
fi
mode=$(stat -c %a "$sock")
[ "$mode" = 660 ] && ok "socket mode 0660" || nok "socket mode is $mode"

for case in create-hardened:true create-minimal:true exec-plain:true list-containers:true \
	create-privileged:false create-socket:false exec-privileged:false create-bad-body:false \
	garbage:false; do
	name=${case%%:*}
	want=${case#*:}
	code=$(post "$sock" /AuthZPlugin.AuthZReq "$req/$name.json")
	if [ "$code" = 200 ] && allow_is "$want"; then ok "AuthZReq $name -> allow=$want"; else nok "AuthZReq $name: $code" "$tmp/out"; fi
	"$HARDOCK" authz check "$req/$name.json" >"$tmp/check.out" 2>&1
	rc=$?
	[ "$want" = true ] && wrc=0 || wrc=1
	[ "$rc" = "$wrc" ] && ok "check $name -> exit $wrc" || nok "check $name: exit $rc" "$tmp/check.out"
done

post "$sock" /AuthZPlugin.AuthZReq "$req/create-privileged.json" >/dev/null
grep -q 'container/privileged' "$tmp/out" && ok "deny message names the rule" || nok "deny message" "$tmp/out"

# Garbage of every kind is denied.
printf 'not json at all' >"$tmp/g1"
printf '{"RequestMethod":"POST","RequestUri":"/v1.41/containers/create","RequestBody":"@@@"}' >"$tmp/g2"
printf '' >"$tmp/g3"
printf '{"RequestMethod":"POST","RequestUri":"/v1.41/containers/%%63reate","RequestHeaders":{"Content-Type":"application/json"},"RequestBody":"eyJJbWFnZSI6IngiLCJIb3N0Q29uZmlnIjp7IlByaXZpbGVnZWQiOnRydWV9fQ=="}' >"$tmp/g4"
for g in g1 g2 g3 g4; do
	code=$(post "$sock" /AuthZPlugin.AuthZReq "$tmp/$g")
	[ "$code" = 200 ] && allow_is false && ok "garbage $g denied" || nok "garbage $g: $code" "$tmp/out"
done
# Over the cap (2 MiB): denied, whole or announced by Expect: 100-continue.
$PY -c 'import sys; sys.stdout.write("{\"RequestMethod\":\"POST\",\"RequestUri\":\"/containers/create\",\"X\":\"" + "a" * (3 * 1024 * 1024) + "\"}")' >"$tmp/big"
code=$(post "$sock" /AuthZPlugin.AuthZReq "$tmp/big")
[ "$code" = 200 ] && allow_is false && ok "oversized request denied" || nok "oversized: $code" "$tmp/out"
code=$(curl -s -o "$tmp/out" -w '%{http_code}' --max-time 20 --unix-socket "$sock" -H 'Expect: 100-continue' \
	--data-binary "@$tmp/big" http://plugin/AuthZPlugin.AuthZReq)
[ "$code" = 200 ] && allow_is false && ok "oversized request with Expect denied" || nok "oversized with Expect: $code" "$tmp/out"
# A 1.3 MiB request (a 1 MiB body, as dockerd forwards it) is decided.
$PY - "$tmp/onemib" <<'EOF'
import base64, json, sys
body = json.dumps({"Image": "busybox", "Env": ["PAD=" + "x" * (1024 * 1024 - 100)], "HostConfig": {"Privileged": True}})
req = {"RequestMethod": "POST", "RequestUri": "/v1.41/containers/create", "RequestHeaders": {"Content-Type": "application/json"},
       "RequestBody": base64.b64encode(body.encode()).decode()}
open(sys.argv[1], "w").write(json.dumps(req))
EOF
code=$(post "$sock" /AuthZPlugin.AuthZReq "$tmp/onemib")
[ "$code" = 200 ] && allow_is false && grep -q container/privileged "$tmp/out" && ok "1 MiB body judged" || nok "1 MiB body: $code" "$tmp/out"

code=$(post "$sock" /AuthZPlugin.AuthZRes "$req/create-privileged.json")
[ "$code" = 200 ] && allow_is true && ok "AuthZRes allows" || nok "AuthZRes: $code" "$tmp/out"
code=$(post "$sock" /Nope "$tmp/empty.json")
[ "$code" = 404 ] && ok "unknown endpoint 404" || nok "unknown endpoint: $code"
code=$(curl -s -o /dev/null -w '%{http_code}' --unix-socket "$sock" http://plugin/Plugin.Activate)
[ "$code" = 405 ] && ok "GET refused" || nok "GET: $code"

# HTTP details: keep-alive, pipelining, chunked bodies, malformed requests, trickling.
$PY - "$sock" "$req/create-privileged.json" "$req/list-containers.json" >"$tmp/http.out" 2>&1 <<'EOF'
import socket, sys, time
path, priv, lst = sys.argv[1], open(sys.argv[2], "rb").read(), open(sys.argv[3], "rb").read()
def conn():
    s = socket.socket(socket.AF_UNIX); s.settimeout(10); s.connect(path); return s
def req(body, extra=b""):
    return b"POST /AuthZPlugin.AuthZReq HTTP/1.1\r\nHost: p\r\nContent-Length: %d\r\n%s\r\n" % (len(body), extra) + body
def read_answers(s, n):
    data, out = b"", []
    while len(out) < n:
        while b"\r\n\r\n" not in data:
            c = s.recv(65536)
            if not c: return out
            data += c
        head, rest = data.split(b"\r\n\r\n", 1)
        cl = int([l.split(b":")[1] for l in head.split(b"\r\n") if l.lower().startswith(b"content-length")][0])
        while len(rest) < cl:
            c = s.recv(65536)
            if not c: return out
            rest += c
        out.append((head.split(b"\r\n")[0], rest[:cl])); data = rest[cl:]
    return out
fails = 0
def check(name, cond):
    global fails
    print(("ok" if cond else "FAIL") + " " + name)
    fails += 0 if cond else 1
# keep-alive: three requests on one connection; pipelined: two in one write.
s = conn()
ans = []
for b in (priv, lst, priv):
    s.sendall(req(b)); ans += read_answers(s, 1)
check("keep-alive", [b'"Allow":false' in a[1] for a in ans] == [True, False, True])
s.sendall(req(lst) + req(priv))
ans = read_answers(s, 2)
check("pipelined", len(ans) == 2 and b'"Allow":true' in ans[0][1] and b'"Allow":false' in ans[1][1])
s.close()
# chunked body
s = conn()
chunks = b"".join(b"%x\r\n%s\r\n" % (len(priv[i:i+100]), priv[i:i+100]) for i in range(0, len(priv), 100)) + b"0\r\n\r\n"
s.sendall(b"POST /AuthZPlugin.AuthZReq HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n" + chunks)
ans = read_answers(s, 1)
check("chunked", len(ans) == 1 and b'"Allow":false' in ans[0][1] and b"container/privileged" in ans[0][1])
s.close()
# malformed: a deny (AuthZReq) or 400, never an allow
for bad in (b"POST /AuthZPlugin.AuthZReq HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!",
            b"POST /AuthZPlugin.AuthZReq HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
            b"GARBAGE\r\n\r\n", b"POST /AuthZPlugin.AuthZReq HTTP/1.1\r\n" + b"X: " + b"a" * 20000 + b"\r\n\r\n"):
    s = conn(); s.sendall(bad)
    try:
        ans = read_answers(s, 1)
    except Exception:
        ans = []
    check("malformed %r" % bad[:40], all(b'"Allow":true' not in a[1] for a in ans) and (not ans or b"200" not in ans[0][0] or b'"Allow":false' in ans[0][1]))
    s.close()
# a trickling client is disconnected (request timeout 2 s)
s = conn(); t0 = time.time(); closed = False
try:
    for ch in req(priv)[:40]:
        s.sendall(bytes([ch])); time.sleep(0.25)
        if time.time() - t0 > 8: break
    s.sendall(b"x"); time.sleep(0.2); closed = s.recv(100) == b""
except (BrokenPipeError, ConnectionResetError):
    closed = True
check("trickling client closed after %.1f s" % (time.time() - t0), closed and time.time() - t0 < 6)
sys.exit(1 if fails else 0)
EOF
rc=$?
sed 's/^/#   /' "$tmp/http.out"
[ $rc = 0 ] && ok "HTTP: keep-alive, pipelining, chunked, malformed, trickling" || nok "HTTP details"

# 2000 idle connections held, requests still answered.
$PY - "$sock" "$req/create-privileged.json" >"$tmp/many.out" 2>&1 <<'EOF'
import resource, socket, sys, time
path, priv = sys.argv[1], open(sys.argv[2], "rb").read()
soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 8192), hard))
held = []
for i in range(2000):
    s = socket.socket(socket.AF_UNIX); s.settimeout(10); s.connect(path); held.append(s)
s = socket.socket(socket.AF_UNIX); s.settimeout(5); s.connect(path)
t0 = time.time()
s.sendall(b"POST /AuthZPlugin.AuthZReq HTTP/1.1\r\nContent-Length: %d\r\n\r\n" % len(priv) + priv)
data = b""
while b'"Err"' not in data:
    c = s.recv(65536)
    if not c: break
    data += c
print("answered in %.3f s with %d connections open" % (time.time() - t0, len(held) + 1))
alive = 0
for h in held:
    h.setblocking(False)
    try:
        alive += 0 if h.recv(1) == b"" else 1
    except BlockingIOError:
        alive += 1
print("%d held connections still open" % alive)
sys.exit(0 if b'"Allow":false' in data and alive == 2000 else 1)
EOF
rc=$?
sed 's/^/#   /' "$tmp/many.out"
[ $rc = 0 ] && ok "2000 concurrent connections" || nok "2000 concurrent connections"

# The decision log: one JSON object per line, with the fields.
$PY - "$tmp/serve.log" >"$tmp/logcheck.out" 2>&1 <<'EOF'
import json, sys
n = deny = 0
for line in open(sys.argv[1]):
    if not line.startswith("{"):
        continue
    d = json.loads(line)
    if "event" in d:
        continue
    for k in ("time", "user", "method", "uri", "endpoint", "decision", "rules"):
        assert k in d, (k, line)
    assert d["decision"] in ("allow", "deny")
    n += 1
    if d["decision"] == "deny":
        deny += 1
        assert d.get("reason"), line
found = any(json.loads(l).get("rules") == ["container/privileged"] and json.loads(l)["uri"] == "/v1.41/containers/create?name=evil"
            for l in open(sys.argv[1]) if l.startswith("{"))
print(n, "decisions,", deny, "denies")
sys.exit(0 if n >= 20 and deny >= 10 and found else 1)
EOF
[ $? = 0 ] && ok "every decision logged as a JSON line" || nok "decision log" "$tmp/logcheck.out"
grep -q '"rules":\["engine/exec-privileged"\]' "$tmp/serve.log" && ok "exec deny logged with the rule" || nok "exec deny log" "$tmp/serve.log"

# The serving process is sandboxed.
child=$(pgrep -P "$pid" | head -1)
if [ -n "$child" ] && grep -q '^NoNewPrivs:[[:space:]]*1' "/proc/$child/status" &&
	grep -q '^Seccomp:[[:space:]]*2' "/proc/$child/status" &&
	grep -q '^CapEff:[[:space:]]*0000000000000004' "/proc/$child/status"; then
	ok "serving process: no_new_privs, seccomp, only CAP_DAC_READ_SEARCH"
else
	nok "serving process not sandboxed" "/proc/$child/status"
fi
# A killed serving process is replaced; requests keep being answered.
kill -9 "$child"
i=0
while [ $i -lt 100 ]; do
	new=$(pgrep -P "$pid" | head -1)
	[ -n "$new" ] && [ "$new" != "$child" ] && break
	sleep 0.05
	i=$((i + 1))
done
code=$(post "$sock" /AuthZPlugin.AuthZReq "$req/create-privileged.json")
[ -n "$new" ] && [ "$new" != "$child" ] && [ "$code" = 200 ] && allow_is false && ok "killed serving process restarted" ||
	nok "restart after kill: $code" "$tmp/serve.log"

# A second server on the same path is refused while the first lives.
"$HARDOCK" authz serve --socket "$sock" >"$tmp/second.log" 2>&1 &
pid2=$!
i=0
while kill -0 "$pid2" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
wait "$pid2"
rc=$?
pid2=
[ $rc = 2 ] && grep -q 'already listening' "$tmp/second.log" && ok "second server refused" || nok "second server: exit $rc" "$tmp/second.log"
code=$(post "$sock" /Plugin.Activate "$tmp/empty.json")
[ "$code" = 200 ] && ok "first server still answers" || nok "first server lost its socket: $code"

# SIGTERM stops the server promptly and removes the socket.
t0=$(date +%s%N)
kill -TERM "$pid"
wait "$pid"
rc=$?
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
pid=
[ "$rc" = 0 ] && ok "SIGTERM: exit 0 after $ms ms" || nok "SIGTERM: exit $rc" "$tmp/serve.log"
[ "$ms" -lt 1000 ] && ok "SIGTERM: stopped within 1 s" || nok "SIGTERM took $ms ms"
[ ! -e "$sock" ] && ok "socket removed" || nok "socket left behind"

# Without the sandbox the serving process ends through exit(), so a
# sanitizer build checks it for leaks and errors after real traffic.
if start_server "$tmp/ns.sock" "$tmp/ns.log" --no-sandbox; then
	nspid=$started_pid
	for f in "$req/create-privileged.json" "$req/exec-privileged.json" "$tmp/big" "$tmp/onemib" "$tmp/g1"; do
		post "$tmp/ns.sock" /AuthZPlugin.AuthZReq "$f" >/dev/null
	done
	child=$(pgrep -P "$nspid" | head -1)
	grep -q '^Seccomp:[[:space:]]*0' "/proc/$child/status" && ok "--no-sandbox: no seccomp filter" || nok "--no-sandbox still filtered"
	kill -TERM "$nspid"
	wait "$nspid"
	rc=$?
	if [ $rc = 0 ] && ! grep -qE 'LeakSanitizer|AddressSanitizer|runtime error' "$tmp/ns.log"; then
		ok "serving process exits cleanly (no leak or sanitizer report)"
	else
		nok "serving process exit: $rc" "$tmp/ns.log"
	fi
else
	nok "--no-sandbox server" "$tmp/ns.log"
fi

# The budget of bodies held at once: with 4 MiB, a third 1.3 MiB body
# arriving while two are still being read is denied as busy; the two held
# ones are decided normally once complete.
if start_server "$tmp/mb.sock" "$tmp/mb.log" --memory-limit 4; then
	mbpid=$started_pid
	$PY - "$tmp/mb.sock" "$tmp/onemib" >"$tmp/mb.out" 2>&1 <<'EOF2'
import socket, sys
path, body = sys.argv[1], open(sys.argv[2], "rb").read()
head = b"POST /AuthZPlugin.AuthZReq HTTP/1.1\r\nContent-Length: %d\r\n\r\n" % len(body)
conns = []
for i in range(3):
    s = socket.socket(socket.AF_UNIX); s.settimeout(20); s.connect(path)
    s.sendall(head + body[:len(body) // 2]); conns.append(s)
answers = []
for s in conns:
    s.sendall(body[len(body) // 2:])
    data = b""
    while b'"Err"' not in data and b'}' not in data[-2:]:
        c = s.recv(65536)
        if not c: break
        data += c
    answers.append(data)
print([("busy" if b"too many large requests" in a else "privileged" if b"container/privileged" in a else a[-80:]) for a in answers])
sys.exit(0 if b"container/privileged" in answers[0] and b"container/privileged" in answers[1] and b"too many large requests" in answers[2] else 1)
EOF2
	rc=$?
	sed 's/^/#   /' "$tmp/mb.out"
	[ $rc = 0 ] && ok "over the memory limit: denied as busy, the others decided" || nok "memory limit" "$tmp/mb.log"
	kill "$mbpid"; wait "$mbpid"
else
	nok "--memory-limit server" "$tmp/mb.log"
fi

# A stale socket (its server killed outright) is replaced.
if start_server "$sock" "$tmp/s3.log"; then
	kill -9 "$started_pid"
	wait "$started_pid" 2>/dev/null
	sleep 0.2
	[ -S "$sock" ] || nok "the killed server left no socket"
	if start_server "$sock" "$tmp/s4.log"; then
		pid=$started_pid
		code=$(post "$sock" /Plugin.Activate "$tmp/empty.json")
		[ "$code" = 200 ] && ok "stale socket replaced" || nok "stale socket: $code" "$tmp/s4.log"
		kill "$pid"; wait "$pid"; pid=
	else
		nok "no start over a stale socket" "$tmp/s4.log"
	fi
else
	nok "third start" "$tmp/s3.log"
fi
printf 'x' >"$tmp/notasocket"
"$HARDOCK" authz serve --socket "$tmp/notasocket" >"$tmp/nas.log" 2>&1
[ $? = 2 ] && [ -f "$tmp/notasocket" ] && ok "a file that is not a socket is left alone" || nok "not-a-socket" "$tmp/nas.log"

# Options.
"$HARDOCK" authz check --deny-at medium "$req/create-minimal.json" >"$tmp/check.out" 2>&1
[ $? = 1 ] && grep -q 'container/no-memory-limit' "$tmp/check.out" && ok "check --deny-at medium" || nok "check --deny-at medium" "$tmp/check.out"
"$HARDOCK" authz check --deny-at bogus "$req/create-minimal.json" >/dev/null 2>&1
[ $? = 2 ] && ok "bad --deny-at is a usage error" || nok "bad --deny-at"
"$HARDOCK" authz check "$tmp/nonexistent.json" >/dev/null 2>&1
[ $? = 2 ] && ok "missing file is exit 2" || nok "missing file"
"$HARDOCK" authz serve >/dev/null 2>&1
[ $? = 2 ] && ok "serve without --socket is exit 2" || nok "serve without --socket"

# The policy file.
cat >"$tmp/policy.yml" <<'EOF'
deny-at: medium
exceptions:
  - user: alice
    rules: [container/privileged]
EOF
chmod 644 "$tmp/policy.yml"
"$HARDOCK" authz check --policy "$tmp/policy.yml" "$req/create-minimal.json" >"$tmp/check.out" 2>&1
[ $? = 1 ] && grep -q 'container/no-memory-limit' "$tmp/check.out" && ok "policy deny-at" || nok "policy deny-at" "$tmp/check.out"
"$HARDOCK" authz check --policy "$tmp/policy.yml" --deny-at critical "$req/create-privileged.json" >"$tmp/check.out" 2>&1
[ $? = 0 ] && ok "policy exception for user alice" || nok "policy exception" "$tmp/check.out"
chmod 664 "$tmp/policy.yml"
"$HARDOCK" authz check --policy "$tmp/policy.yml" "$req/create-minimal.json" >"$tmp/check.out" 2>&1
[ $? = 2 ] && grep -q 'owned by root and writable by nobody else' "$tmp/check.out" && ok "group-writable policy refused" || nok "group-writable policy" "$tmp/check.out"
chmod 644 "$tmp/policy.yml"
chown 1 "$tmp/policy.yml"
"$HARDOCK" authz serve --socket "$tmp/p.sock" --policy "$tmp/policy.yml" >"$tmp/check.out" 2>&1
[ $? = 2 ] && [ ! -e "$tmp/p.sock" ] && ok "policy not owned by root refused by serve" || nok "foreign policy" "$tmp/check.out"
printf 'deny-at: high\nbogus: 1\n' >"$tmp/bad.yml"
"$HARDOCK" authz check --policy "$tmp/bad.yml" "$req/create-minimal.json" >"$tmp/check.out" 2>&1
[ $? = 2 ] && grep -q "line 2, column 1: unknown policy setting 'bogus'" "$tmp/check.out" && ok "policy error names the line" || nok "policy error" "$tmp/check.out"

# The policy is never discovered: configuration files in the working
# directory (and its parents) that would disable the rule change nothing,
# and a policy file placed there is not read.
mkdir -p "$tmp/cwd/sub"
printf 'ignored: [container/privileged]\ndeny-at: none\n' >"$tmp/cwd/.hardock.yaml"
cp "$tmp/cwd/.hardock.yaml" "$tmp/cwd/.hardock.yml"
cp "$tmp/cwd/.hardock.yaml" "$tmp/cwd/sub/policy.yml"
cp "$tmp/cwd/.hardock.yaml" "$tmp/cwd/sub/.hardock.yaml"
(cd "$tmp/cwd/sub" && "$HARDOCK" authz check "$req/create-privileged.json") >"$tmp/check.out" 2>&1
[ $? = 1 ] && grep -q 'container/privileged' "$tmp/check.out" && ok "no policy or configuration is read from the working directory" ||
	nok "configuration discovered from the working directory" "$tmp/check.out"
(cd "$tmp/cwd/sub" && "$HARDOCK" authz check --policy policy.yml "$req/create-privileged.json") >"$tmp/check.out" 2>&1
[ $? = 0 ] && ok "a policy named by --policy is read (relative to the working directory)" || nok "--policy policy.yml" "$tmp/check.out"

# --root: the protected daemon's -H sockets from its daemon.json.
mkdir -p "$tmp/root/etc/docker"
echo '{"hosts": ["unix:///srv/engine/api.sock", "tcp://127.0.0.1:2376"]}' >"$tmp/root/etc/docker/daemon.json"
$PY - "$tmp/sockbind.json" <<'EOF'
import base64, json, sys
body = json.dumps({"Image": "busybox", "HostConfig": {"Binds": ["/srv/engine/api.sock:/var/run/docker.sock"]}})
json.dump({"RequestMethod": "POST", "RequestUri": "/v1.41/containers/create", "RequestHeaders": {"Content-Type": "application/json"},
           "RequestBody": base64.b64encode(body.encode()).decode()}, open(sys.argv[1], "w"))
EOF
"$HARDOCK" authz check --root "$tmp/root" "$req/../req/create-minimal.json" >/dev/null 2>&1 &&
	"$HARDOCK" authz check --root "$tmp/root" "$tmp/sockbind.json" >"$tmp/check.out" 2>&1
rc=$?
[ $rc = 1 ] && grep -q "protected daemon's API socket" "$tmp/check.out" && ok "daemon's -H socket from its configuration" || nok "--root sockets: exit $rc" "$tmp/check.out"

finish
