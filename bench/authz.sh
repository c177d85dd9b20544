#!/bin/sh
# `make bench-authz`: the authorization plugin under load, the figures of
# issue 9, in one run:
#   1. throughput and latency with 200 concurrent keep-alive clients sending
#      a mix of requests (reads, ordinary work, hardened and insecure creates,
#      encoded paths, execs, pulls, unrouted paths), every answer checked
#      against what `hardock authz check` decides for that document: the
#      number of wrong decisions must be 0;
#   2. latency of ordinary requests (20 clients) alone, then while 1,000
#      slow clients trickle one byte each every 0.5 s and are held open;
#   3. memory: peak RSS of the serving process (VmHWM) when it starts, and
#      with 40 concurrent AuthZReqs that each carry a 1 MiB body (what dockerd
#      forwards at most), sent at once on 40 connections;
#   4. how long SIGTERM takes to stop it.
# Then prints "goal ... ok|MISSED" lines for the issue's targets (0 wrong
# decisions, slow clients do not slow ordinary ones more than 2x, memory at
# most twice the bytes in flight, SIGTERM within 0.2 s) and exits 1 when
# one is missed.
# The load generator is bench/authz-load.c (built here with cc).  The
# server runs with its defaults (sandboxed, one worker per CPU).
# usage: sh bench/authz.sh [BUILD-DIR]   (default: build)
set -eu
build=$(realpath "${1:-build}")
hardock="$build/hardock"
here=$(cd "$(dirname "$0")" && pwd)
PY=/usr/bin/python3
tmp=$(mktemp -d /tmp/hd-bench-authz.XXXXXX)
pid=
cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
[ -x "$hardock" ] || { echo "bench-authz: no $hardock (make build)" >&2; exit 2; }
cc -O2 -o "$tmp/authz-load" "$here/authz-load.c"

# ---- the request mix ---------------------------------------------------------------
$PY - "$tmp/req" <<'PY'
import base64, json, os, sys
out = sys.argv[1]
os.makedirs(out)
digest = "sha256:" + "0123456789abcdef" * 4
hard = {"Image": "registry.example.com/app@" + digest, "User": "1000:1000", "Cmd": ["app"],
        "Healthcheck": {"Test": ["CMD", "/app", "health"]},
        "HostConfig": {"ReadonlyRootfs": True, "CapDrop": ["ALL"], "SecurityOpt": ["no-new-privileges:true"],
                       "Memory": 268435456, "NanoCpus": 500000000, "PidsLimit": 100,
                       "RestartPolicy": {"Name": "on-failure", "MaximumRetryCount": 5}}}
def req(name, method, uri, body=None, user=""):
    r = {"User": user, "RequestMethod": method, "RequestUri": uri,
         "RequestHeaders": {"Content-Type": "application/json", "User-Agent": "Docker-Client/20.10.24 (linux)"}}
    if body is not None:
        r["RequestBody"] = base64.b64encode(json.dumps(body).encode()).decode()
    open(f"{out}/{name}.json", "w").write(json.dumps(r))
req("ping", "HEAD", "/_ping")
req("list", "GET", "/v1.41/containers/json?all=1")
req("inspect", "GET", "/v1.41/containers/web/json")
req("logs", "GET", "/v1.41/containers/web/logs?stdout=1&tail=100")
req("kill", "POST", "/v1.41/containers/web/kill?signal=TERM")
req("create-hardened", "POST", "/v1.41/containers/create?name=web", hard)
req("create-minimal", "POST", "/v1.41/containers/create", {"Image": "busybox:1.36", "Cmd": ["sleep", "60"]})
req("create-privileged", "POST", "/v1.41/containers/create?name=evil", {"Image": "busybox", "HostConfig": {"Privileged": True}})
req("create-socket", "POST", "/v1.41/containers/create", {"Image": "busybox", "HostConfig": {"Binds": ["/var/run/docker.sock:/var/run/docker.sock"]}})
req("create-root", "POST", "/v1.41/containers%2Fcreate", {"Image": "busybox", "HostConfig": {"Binds": ["/:/host"], "PidMode": "host"}})
req("create-encoded", "POST", "/v1.41/containers/%63reate", {"Image": "busybox", "HostConfig": {"CapAdd": ["SYS_ADMIN"]}})
req("exec-plain", "POST", "/v1.41/containers/web/exec", {"Cmd": ["ls"], "User": "1000"})
req("exec-privileged", "POST", "/v1.41/containers/web/exec", {"Cmd": ["sh"], "Privileged": True})
req("exec-start", "POST", "/v1.41/exec/0123/start", {"Detach": False, "Tty": False})
req("start-old", "POST", "/v1.23/containers/web/start", {"Binds": ["/:/host"]})
req("pull", "POST", "/v1.41/images/create?fromImage=busybox&tag=1.36")
req("unrouted", "POST", "/v1.41//containers/create", {"Image": "busybox"})
req("plugin-create", "POST", "/v1.41/plugins/create?name=x")
# 1 MiB bodies, for the memory figure (each distinct).
for i in range(40):
    body = {"Image": "busybox", "Env": ["PAD%d=" % i + "x" * (1024 * 1024 - 200)], "HostConfig": {"Privileged": True}}
    req("big-%02d" % i, "POST", "/v1.41/containers/create", body)
PY
# Ground truth: what the dry run decides of each document.
mix=
for f in "$tmp"/req/*.json; do
	case $(basename "$f") in big-*) continue ;; esac
	if "$hardock" authz check "$f" >/dev/null 2>&1; then v=allow; else v=deny; fi
	mix="$mix $f=$v"
done
big=
for f in "$tmp"/req/big-*.json; do big="$big $f=deny"; done
ordinary="$tmp/req/list.json=allow $tmp/req/inspect.json=allow $tmp/req/ping.json=allow $tmp/req/create-hardened.json=allow"

start() {
	"$hardock" authz serve --socket "$tmp/a.sock" --log "$tmp/decisions.log" >"$tmp/serve.log" 2>&1 &
	pid=$!
	while ! grep -q listening "$tmp/serve.log" 2>/dev/null; do sleep 0.02; done
	child=
	while [ -z "$child" ]; do child=$(pgrep -P "$pid" | head -1); sleep 0.02; done
}
stop() {
	t0=$(date +%s%N)
	kill -TERM "$pid"
	wait "$pid" || true
	stop_ms=$(( ($(date +%s%N) - t0) / 1000000 ))
	pid=
}
kb() { awk -v k="$1:" '$1 == k { print $2 }' "/proc/$child/status"; }

# field NAME LINE: the value of NAME=... in a load generator's line.
field() { echo "$2" | tr ' ' '\n' | awk -F= -v k="$1" '$1 == k { print $2 }'; }

echo "hardock authz serve, $(nproc) CPUs, $(basename "$build") build, load $(cut -d' ' -f1-3 /proc/loadavg)"
start
echo "1. 200 keep-alive clients, 10 s, $(echo $mix | wc -w) kinds of request:"
l1=$("$tmp/authz-load" --socket "$tmp/a.sock" --conns 200 --seconds 10 $mix)
echo "   $l1"
echo "2. 20 clients of ordinary requests, 8 s, alone:"
l2=$("$tmp/authz-load" --socket "$tmp/a.sock" --conns 20 --seconds 8 $ordinary)
echo "   $l2"
echo "   the same while 1,000 slow clients are held (one byte every 0.5 s each):"
l3=$("$tmp/authz-load" --socket "$tmp/a.sock" --conns 20 --seconds 8 --slow 1000 $ordinary)
echo "   $l3"
stop
start
base_rss=$(kb VmRSS)
echo "3. memory of the serving process: $base_rss kB RSS at start"
l4=$("$tmp/authz-load" --socket "$tmp/a.sock" --conns 40 --once $big)
echo "   40 concurrent 1 MiB bodies: $l4"
hwm=$(kb VmHWM)
echo "   peak RSS (VmHWM) $hwm kB, RSS after $(kb VmRSS) kB"
stop
echo "4. SIGTERM to exit: $stop_ms ms"
echo "   decisions logged: $(wc -l <"$tmp/decisions.log") JSON lines"

# The goals of issue 9, as ratios within this run where they can be.
inflight=$(cat "$tmp"/req/big-*.json | wc -c)
missed=0
goal() { # TEXT CONDITION-EXIT-STATUS
	if [ "$2" = 0 ]; then echo "goal $1 ok"; else echo "goal $1 MISSED"; missed=$((missed + 1)); fi
}
w=0
for l in "$l1" "$l2" "$l3" "$l4"; do
	w=$((w + $(field wrong "$l") + $(field errors "$l")))
done
goal "0 wrong decisions and 0 errors in every phase: $w" "$([ "$w" = 0 ]; echo $?)"
goal "1,000 slow clients all held: $(field slow_held "$l3")" "$([ "$(field slow_held "$l3")" = 1000 ]; echo $?)"
p_alone=$(field p99_us "$l2")
p_slow=$(field p99_us "$l3")
goal "p99 of ordinary requests with 1,000 slow clients <= 2x alone (+1 ms): $p_slow us vs $p_alone us" \
	"$([ "$p_slow" -le $((2 * p_alone + 1000)) ]; echo $?)"
grow=$(( (hwm - base_rss) * 1024 ))
goal "peak RSS growth with 40 x 1 MiB bodies <= 2x the bytes in flight: $((grow >> 20)) MiB for $((inflight >> 20)) MiB" \
	"$([ "$grow" -le $((2 * inflight)) ]; echo $?)"
goal "SIGTERM to exit <= 200 ms: $stop_ms ms" "$([ "$stop_ms" -le 200 ]; echo $?)"
[ "$missed" = 0 ]
