#!/bin/sh
# `hardock serve` as a server, against the fake engine (tests/fake-engine):
#
#   - where it may listen: loopback by default, beyond loopback only with
#     TLS or --insecure-listen; bad addresses and half TLS options are
#     usage errors (exit 2);
#   - TLS with a client CA (certificates from `hardock tls init`): a client
#     certificate the CA signed gets the metrics, none gets nothing;
#   - 1,000 concurrent scrapes all answered, no descriptor left behind;
#   - an event stream of garbage (bytes, an oversized line, JSON that is
#     not an event) that the engine keeps ending: no crash, reconnection,
#     no descriptor leak, /metrics still served;
#   - methods other than GET/HEAD and unknown paths refused;
#   - `hardock audit --format prometheus -o FILE`: the textfile collector's
#     file, replaced by rename, promtool clean;
#   - the example alert rules: promtool check rules and promtool test rules.
#
# Prints "N passed, N failed".
set -u
: "${HARDOCK:?}" "${SRCDIR:?}"
PY=/usr/bin/python3
here="$SRCDIR/tests/serve"
fake="$SRCDIR/tests/fake-engine"
tmp=$(mktemp -d /tmp/hdsrv-XXXXXX)
pass=0
fail=0
fake_pid=
serve_pid=
ok() { pass=$((pass + 1)); echo "ok - $1"; }
nok() { fail=$((fail + 1)); echo "not ok - $1"; [ -n "${2:-}" ] && [ -f "$2" ] && sed 's/^/#   /' "$2" | tail -30; }
finish() {
	echo "$pass passed, $fail failed"
	[ "$fail" -eq 0 ]
	exit $?
}
stop_pid() {
	[ -n "$1" ] || return 0
	kill "$1" 2>/dev/null
	i=0
	while kill -0 "$1" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
	kill -9 "$1" 2>/dev/null
	wait "$1" 2>/dev/null
	return 0
}
cleanup() {
	stop_pid "$serve_pid"
	stop_pid "$fake_pid"
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
for tool in curl promtool; do
	command -v "$tool" >/dev/null 2>&1 || { nok "needs $tool (apt-get install curl prometheus)"; finish; }
done
port() { $PY -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# A scenario: the healthy engine of the fake-engine tests, with an event
# stream of garbage that ends (so hardock reconnects, again and again).
$PY - "$fake/scenarios/healthy.json" "$tmp/garbage.json" <<'EOF'
import json, sys
sc = json.load(open(sys.argv[1]))
lines = [
    "not json at all",
    "\x00\x01\x02\xff\xfe binary",
    "{" + "\"a\":" * 10 + "1",
    json.dumps({"Type": "container"}),
    json.dumps({"Type": "container", "Action": "start", "Actor": {"ID": 17}}),
    json.dumps({"Type": "container", "Action": "start", "Actor": {"ID": "x" * 5000}}),
    json.dumps({"Type": "network", "Action": "connect", "Actor": {"ID": "abc"}}),
    "[" * 2000 + "]" * 2000,
    "y" * 100000,
    json.dumps({"Type": "container", "Action": "start",
                "Actor": {"ID": "f83eff499912875353ed3d4cea98b6204f0bfa9da8cd02bf68919809cbd3964a"}}),
]
sc["routes"].insert(0, {"path": "^/v1\\.41/events", "body": "\n".join(lines * 3) + "\n{\"Type\":"})
json.dump(sc, open(sys.argv[2], "w"))
EOF
rm -f "$tmp/s.sock" "$tmp/s.sock.ready"
$PY "$fake/fake-engine.py" "$tmp/s.sock" "$tmp/garbage.json" "$tmp/requests" >"$tmp/fake.log" 2>&1 &
fake_pid=$!
i=0
until [ -f "$tmp/s.sock.ready" ] || [ $i -ge 100 ]; do sleep 0.1; i=$((i + 1)); done
[ -f "$tmp/s.sock.ready" ] || { nok "the fake engine did not start" "$tmp/fake.log"; finish; }
E="unix://$tmp/s.sock"

# ---- where it may listen --------------------------------------------------------------
refused() { # NAME EXPECTED-MESSAGE ARGS...: exit 2 with the message, nothing served
	name=$1
	msg=$2
	shift 2
	timeout 20 "$HARDOCK" serve -H "$E" "$@" >"$tmp/o" 2>"$tmp/e"
	rc=$?
	if [ "$rc" -eq 2 ] && grep -q -- "$msg" "$tmp/e"; then ok "$name: exit 2, '$msg'"; else nok "$name: exit $rc" "$tmp/e"; fi
}
p=$(port)
refused "0.0.0.0 without TLS" "refusing to listen on 0.0.0.0:$p without TLS" --listen "0.0.0.0:$p"
refused "[::] without TLS" "without TLS" --listen "[::]:$p"
refused "a host name" "host names are not resolved" --listen "example.com:$p"
refused "no port" "expected ADDRESS:PORT" --listen 127.0.0.1
refused "a port out of range" "the port must be" --listen 127.0.0.1:70000
refused "a relative unix path" "expected unix:/absolute/path" --listen unix:x.sock
refused "--tls-cert alone" "go together" --listen "127.0.0.1:$p" --tls-cert /nonexistent
refused "a bad interval" "--interval expects" --interval 5x
refused "an operand" "takes no operand" extra
refused "a missing certificate" "cannot read the certificate '/nonexistent/c.pem'" --listen "127.0.0.1:$p" \
	--tls-cert /nonexistent/c.pem --tls-key /nonexistent/k.pem
if "$HARDOCK" serve --help | grep -q -- '--insecure-listen'; then ok "serve --help lists --insecure-listen"; else nok "serve --help"; fi

start_serve() { # ARGS...: starts hardock serve, waits until /healthz answers on $url
	"$HARDOCK" serve -H "$E" --interval 1h "$@" >"$tmp/serve.log" 2>&1 &
	serve_pid=$!
	i=0
	until curl -fsS $curl_tls --max-time 2 "$url/healthz" >/dev/null 2>&1; do
		if ! kill -0 "$serve_pid" 2>/dev/null || [ $i -ge 300 ]; then
			nok "hardock serve $* did not become healthy" "$tmp/serve.log"
			return 1
		fi
		sleep 0.1
		i=$((i + 1))
	done
	return 0
}
stop_serve() { # exit code 0 on SIGTERM, sanitizers quiet
	kill "$serve_pid"
	wait "$serve_pid"
	rc=$?
	serve_pid=
	if [ "$rc" -eq 0 ] && ! grep -q 'Sanitizer\|runtime error' "$tmp/serve.log"; then
		ok "$1: SIGTERM, exit 0, sanitizers quiet"
	else
		nok "$1: exit $rc" "$tmp/serve.log"
	fi
}

# ---- beyond loopback with --insecure-listen -----------------------------------------------
p=$(port)
curl_tls=
url="http://127.0.0.1:$p"
if start_serve --listen "0.0.0.0:$p" --insecure-listen --no-sandbox; then
	ok "0.0.0.0 with --insecure-listen serves"
	grep -q '^Seccomp:[[:space:]]*0$' "/proc/$serve_pid/status" && ok "--no-sandbox: no syscall filter" ||
		nok "--no-sandbox: filtered" "/proc/$serve_pid/status"
	stop_serve "insecure-listen"
fi

# ---- TLS with a client CA --------------------------------------------------------------------
"$HARDOCK" tls init --host localhost --ip 127.0.0.1 --out "$tmp/tls" --key p256 >"$tmp/tls.log" 2>&1 ||
	{ nok "hardock tls init" "$tmp/tls.log"; finish; }
p=$(port)
url="https://127.0.0.1:$p"
curl_tls="--cacert $tmp/tls/ca/ca.pem --cert $tmp/tls/client/cert.pem --key $tmp/tls/client/key.pem"
if start_serve --listen "0.0.0.0:$p" --tls-cert "$tmp/tls/server/server-cert.pem" \
	--tls-key "$tmp/tls/server/server-key.pem" --tls-client-ca "$tmp/tls/ca/ca.pem"; then
	if curl -fsS $curl_tls "$url/metrics" | grep '^hardock_up 1$' >/dev/null; then
		ok "TLS beyond loopback: a client certificate of the CA gets /metrics"
	else
		nok "TLS: the client with a certificate got no metrics"
	fi
	code=$(curl -s -o /dev/null -w '%{http_code}' --cacert "$tmp/tls/ca/ca.pem" "$url/metrics")
	[ "$code" != 200 ] && ok "TLS: no client certificate, no metrics ($code)" || nok "TLS: served without a client certificate"
	code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$p/metrics")
	[ "$code" != 200 ] && ok "TLS: plain HTTP gets nothing ($code)" || nok "TLS: plain HTTP served"
	stop_serve "TLS"
fi

# ---- plain loopback: methods, paths, 1,000 concurrent scrapes, garbage events --------------------
p=$(port)
curl_tls=
url="http://127.0.0.1:$p"
start_serve --listen "127.0.0.1:$p" || finish
pid=$serve_pid
# The sandbox: no_new_privs, the capabilities that read, a syscall filter on every thread.
tasks=$(cat /proc/$pid/task/*/status | awk '/^Seccomp:/ { n++; if ($2 == 2) f++ } END { print f "/" n }')
if grep -q '^NoNewPrivs:[[:space:]]*1$' "/proc/$pid/status" && grep -q '^Seccomp:[[:space:]]*2$' "/proc/$pid/status" &&
	[ "${tasks%/*}" = "${tasks#*/}" ] && [ "${tasks#*/}" -ge 5 ]; then
	ok "no_new_privs and a seccomp filter on every thread ($tasks)"
else
	nok "no seccomp filter" "/proc/$pid/status"
fi
code=$(curl -s -o /dev/null -w '%{http_code}' -X POST -d x "$url/metrics")
[ "$code" = 405 ] && ok "POST refused (405)" || nok "POST: $code"
code=$(curl -s -o /dev/null -w '%{http_code}' -X GET -d x "$url/metrics")
[ "$code" = 413 ] && ok "GET with a body refused (413)" || nok "GET with a body: $code"
code=$(curl -s -o /dev/null -w '%{http_code}' "$url/etc/passwd")
[ "$code" = 404 ] && ok "unknown path: 404" || nok "unknown path: $code"
code=$(curl -s -o "$tmp/index.html" -w '%{http_code}' "$url/")
[ "$code" = 200 ] && grep -q "Content-Security-Policy" "$tmp/index.html" && ok "/ is the HTML report" || nok "/: $code"
curl -fsS -I "$url/metrics" | grep -i '^content-type: text/plain; version=0.0.4' >/dev/null && ok "HEAD /metrics" || nok "HEAD /metrics"
# The container of the fake engine, labelled as cAdvisor labels it.
curl -fsS "$url/metrics" >"$tmp/m.txt"
grep -q 'target="container",name="run1",image="hd/busybox:1"' "$tmp/m.txt" &&
	ok "the fake engine's containers have name and image labels" || nok "container labels" "$tmp/m.txt"
promtool check metrics <"$tmp/m.txt" >"$tmp/pc" 2>&1 && [ ! -s "$tmp/pc" ] && ok "promtool check metrics: clean" ||
	nok "promtool check metrics" "$tmp/pc"
sleep 3
# fds PID: the fewest descriptors over 2 s (a leak stays; an audit's or a reconnection's connection
# in flight does not, and the garbage stream keeps hardock reconnecting and auditing)
fds() {
	min=
	for _ in 1 2 3 4 5 6 7 8 9 10; do
		c=$(ls "/proc/$1/fd" | wc -l)
		[ -z "$min" ] || [ "$c" -lt "$min" ] && min=$c
		sleep 0.2
	done
	echo "$min"
}
fds0=$(fds "$pid")
$PY - "$p" >"$tmp/conc.txt" 2>&1 <<'EOF'
import asyncio, sys
port = int(sys.argv[1])
N = 1000
async def scrape(i):
    r, w = await asyncio.open_connection("127.0.0.1", port)
    w.write(b"GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    await w.drain()
    data = await r.read()
    w.close()
    return data.startswith(b"HTTP/1.1 200") and b"\nhardock_up 1\n" in data
async def main():
    # Every connection opened before any is read: 1,000 at once.
    res = await asyncio.gather(*(scrape(i) for i in range(N)), return_exceptions=True)
    good = sum(1 for x in res if x is True)
    errs = [repr(x) for x in res if x is not True][:3]
    print(good, errs)
asyncio.run(main())
EOF
read -r good rest <"$tmp/conc.txt"
[ "$good" = 1000 ] && ok "1,000 concurrent scrapes: all answered 200 with the metrics" || nok "concurrent scrapes: $good of 1000" "$tmp/conc.txt"
# The garbage event stream: hardock keeps reconnecting (the fake engine ends every stream).
sleep 4
n=$(grep -c 'events' "$tmp/requests")
[ "$n" -ge 3 ] && ok "garbage event stream: $n connections, hardock reconnects" || nok "garbage events: $n connections" "$tmp/requests"
kill -0 "$pid" 2>/dev/null && curl -fsS "$url/metrics" | grep '^hardock_up 1$' >/dev/null &&
	ok "garbage events and 1,000 scrapes: still serving" || nok "hardock serve died" "$tmp/serve.log"
grep -q "holds something that is not an event" "$tmp/serve.log" && ok "garbage events are said once per connection" ||
	nok "no message about the garbage events" "$tmp/serve.log"
fds1=$(fds "$pid")
[ "$fds1" -le "$fds0" ] && ok "descriptors: $fds0 before, $fds1 after 1,000 scrapes and reconnections" ||
	nok "descriptors grew from $fds0 to $fds1"
stop_serve "loopback"

# ---- a unix socket --------------------------------------------------------------------------------
"$HARDOCK" serve -H "$E" --interval 1h --listen "unix:$tmp/m.sock" >"$tmp/serve.log" 2>&1 &
serve_pid=$!
i=0
until curl -fsS --unix-socket "$tmp/m.sock" http://x/healthz >/dev/null 2>&1 || [ $i -ge 300 ]; do sleep 0.1; i=$((i + 1)); done
if curl -fsS --unix-socket "$tmp/m.sock" http://x/metrics | grep '^hardock_up 1$' >/dev/null; then
	ok "unix socket: metrics served"
else
	nok "unix socket" "$tmp/serve.log"
fi
[ "$(stat -c %a "$tmp/m.sock")" = 660 ] && ok "unix socket mode 660" || nok "unix socket mode $(stat -c %a "$tmp/m.sock")"
timeout 20 "$HARDOCK" serve -H "$E" --listen "unix:$tmp/m.sock" >/dev/null 2>"$tmp/e"
[ $? -eq 2 ] && grep -q "already listening" "$tmp/e" && ok "a live socket is not taken over" || nok "second server on the socket" "$tmp/e"
stop_serve "unix socket"
[ ! -e "$tmp/m.sock" ] && ok "the socket is removed at exit" || nok "socket left behind"

# ---- the textfile collector's file ------------------------------------------------------------------
mkdir "$tmp/tf"
echo old >"$tmp/tf/hardock.prom"
ino0=$(stat -c %i "$tmp/tf/hardock.prom")
"$HARDOCK" audit engine -H "$E" --format prometheus -o "$tmp/tf/hardock.prom" >"$tmp/a.out" 2>"$tmp/a.err"
rc=$?
ino1=$(stat -c %i "$tmp/tf/hardock.prom")
if [ "$rc" -le 1 ] && [ "$ino0" != "$ino1" ] && [ "$(ls "$tmp/tf")" = hardock.prom ] &&
	grep -q '^hardock_engine_up 1$' "$tmp/tf/hardock.prom" &&
	grep -q '^hardock_last_audit_timestamp_seconds ' "$tmp/tf/hardock.prom"; then
	ok "audit --format prometheus -o: a new file renamed over the old one, no temporary left"
else
	nok "audit --format prometheus -o (exit $rc)" "$tmp/a.err"
	ls -la "$tmp/tf"
fi
promtool check metrics <"$tmp/tf/hardock.prom" >"$tmp/pc" 2>&1 && [ ! -s "$tmp/pc" ] &&
	ok "the textfile passes promtool check metrics" || nok "textfile: promtool" "$tmp/pc"
"$HARDOCK" audit engine -H "$E" --format prometheus -o "$tmp/nodir/x.prom" >/dev/null 2>"$tmp/e"
[ $? -eq 2 ] && grep -q "cannot write" "$tmp/e" && ok "unwritable -o: exit 2" || nok "unwritable -o" "$tmp/e"

# ---- the example alert rules ----------------------------------------------------------------------------
ex="$SRCDIR/examples/prometheus"
promtool check rules "$ex/alerts.yml" >"$tmp/pr" 2>&1 && ok "promtool check rules examples/prometheus/alerts.yml" ||
	nok "promtool check rules" "$tmp/pr"
(cd "$ex" && promtool test rules alerts-test.yml) >"$tmp/pt" 2>&1 &&
	ok "promtool test rules: privileged container, pass to warn, stale database fire as expected" ||
	nok "promtool test rules" "$tmp/pt"
promtool check config "$ex/prometheus.yml" >"$tmp/pcc" 2>&1 && ok "promtool check config examples/prometheus/prometheus.yml" ||
	nok "promtool check config" "$tmp/pcc"
finish
