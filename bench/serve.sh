#!/bin/sh
# bench/serve.sh [BUILD_DIR]: the cost of a scrape of `hardock serve` with
# 100 containers (BENCH_CONTAINERS, created) on a private dockerd, from 10 images.
# Measured in one run, on the same server, over the same connection kind:
#
#   /metrics          text 0.0.4 (what a scrape costs; goal: under 50 ms)
#   /metrics (OM)     OpenMetrics
#   /healthz          the floor: the same server answering a few bytes
#
# Prints the median, p99 and max latency of 300 sequential GETs of each, the
# body size, the series count (goal: under 5,000) and the ratio of /metrics
# to the floor; then the time from `docker run` of one more container to its
# series on /metrics (goal: under 1 s).  Exits 1 when a goal is missed.
#
# Starts its own dockerd as root on a private socket and data root (no
# bridge) and stops it by its pid at the end.  Build BUILD_DIR with
# --buildtype=release for meaningful figures.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=$(realpath "${1:-$here/../build}")
hardock="$build/hardock"
PY=/usr/bin/python3
[ -x "$hardock" ] || { echo "bench: no $hardock; build it first" >&2; exit 2; }
[ "$(id -u)" -eq 0 ] || { echo "bench: needs root to start dockerd" >&2; exit 2; }
n=${BENCH_CONTAINERS:-100}

tmp=$(mktemp -d /tmp/hdbs-XXXXXX)
chmod 755 "$tmp"
sock="$tmp/d.sock"
dpid=
spid=
D() { docker -H "unix://$sock" "$@"; }
cleanup() {
	[ -n "$spid" ] && kill "$spid" 2>/dev/null || true
	if [ -n "$dpid" ]; then
		ids=$(D ps -aq 2>/dev/null) || ids=
		[ -n "$ids" ] && D rm -f $ids >/dev/null 2>&1 || true
		kill "$dpid" 2>/dev/null || true
		i=0
		while kill -0 "$dpid" 2>/dev/null && [ $i -lt 600 ]; do sleep 0.1; i=$((i + 1)); done
		kill -9 "$dpid" 2>/dev/null || true
	fi
	awk -v t="$tmp" 'index($2, t) == 1 { print $2 }' /proc/mounts | sort -r | while read -r m; do
		umount -l "$m" 2>/dev/null || true
	done
	pkill -KILL -f -- "$tmp/" 2>/dev/null || true
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

dockerd --host "unix://$sock" --data-root "$tmp/data" --exec-root "$tmp/exec" --pidfile "$tmp/pid" \
	--bridge none --iptables=false --ip-forward=false --ip-masq=false >"$tmp/dockerd.log" 2>&1 &
dpid=$!
i=0
until D version >/dev/null 2>&1; do
	kill -0 "$dpid" 2>/dev/null && [ $i -lt 600 ] || { echo "bench: dockerd did not start" >&2; exit 2; }
	sleep 0.1
	i=$((i + 1))
done
mkdir -p "$tmp/rootfs/bin"
cp "$(command -v busybox)" "$tmp/rootfs/bin/busybox"
for a in sh sleep; do ln -s busybox "$tmp/rootfs/bin/$a"; done
tar -C "$tmp/rootfs" -cf "$tmp/base.tar" .
D import "$tmp/base.tar" bench/base:0 >/dev/null
for k in 1 2 3 4 5 6 7 8 9; do D tag bench/base:0 "bench/app$k:1"; done
echo "creating $n containers..." >&2
k=1
pids=
while [ $k -le "$n" ]; do
	img=bench/base:0
	[ $((k % 10)) -gt 0 ] && img=bench/app$((k % 10)):1
	extra=
	[ $((k % 3)) -eq 0 ] && extra="--read-only"
	[ $((k % 7)) -eq 0 ] && extra="$extra -v /:/host:ro"
	# Created, not started: judged the same (state "created"), and far cheaper to make.
	D create --name "c$k" --network none $extra "$img" sleep 3600 >/dev/null &
	pids="$pids $!"
	# Four at a time; a bare wait would wait for dockerd too.
	if [ $((k % 4)) -eq 0 ] || [ $k -eq "$n" ]; then
		for p in $pids; do wait "$p" || true; done
		pids=
	fi
	k=$((k + 1))
done
[ "$(D ps -aq | wc -l)" -eq "$n" ] || { echo "bench: not all $n containers were created" >&2; exit 2; }
port=$($PY -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$hardock" serve --listen "127.0.0.1:$port" -H "unix://$sock" --interval 1h >"$tmp/serve.log" 2>&1 &
spid=$!
i=0
until curl -fsS --max-time 2 "http://127.0.0.1:$port/healthz" >/dev/null 2>&1; do
	kill -0 "$spid" 2>/dev/null && [ $i -lt 1200 ] || { echo "bench: hardock serve not healthy" >&2; cat "$tmp/serve.log" >&2; exit 2; }
	sleep 0.1
	i=$((i + 1))
done
echo "load: $(cat /proc/loadavg)"
$PY - "$port" "$n" "$sock" <<'EOF'
import http.client, subprocess, sys, time
port, n, sock = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
def bench(path, headers, runs=300):
    lat, size, body = [], 0, b""
    for _ in range(runs):
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        t = time.perf_counter()
        c.request("GET", path, headers=headers)
        r = c.getresponse()
        body = r.read()
        lat.append((time.perf_counter() - t) * 1000)
        c.close()
        assert r.status == 200, r.status
        size = len(body)
    lat.sort()
    return lat[len(lat) // 2], lat[int(len(lat) * 0.99) - 1], lat[-1], size, body
om = {"Accept": "application/openmetrics-text;version=1.0.0"}
floor = bench("/healthz", {})
text = bench("/metrics", {})
omr = bench("/metrics", om)
series = sum(1 for l in text[4].decode().splitlines() if l and not l.startswith("#"))
ctrs = len({l.split('name="')[1].split('"')[0] for l in text[4].decode().splitlines()
            if 'target="container",name="' in l})
print("%d containers judged, %d series (goal < 5000)" % (ctrs, series))
print("%-16s %9s %9s %9s %10s %8s" % ("", "median ms", "p99 ms", "max ms", "bytes", "ratio"))
for name, r in (("/healthz floor", floor), ("/metrics text", text), ("/metrics OM", omr)):
    print("%-16s %9.2f %9.2f %9.2f %10d %8.1f" % (name, r[0], r[1], r[2], r[3], r[0] / floor[0]))
# One more container: from docker run's return to its series on /metrics.
subprocess.run(["docker", "-H", "unix://" + sock, "run", "-d", "--name", "late", "--network", "none",
                "-v", sock + ":/var/run/docker.sock", "bench/base:0", "sleep", "3600"],
               check=True, stdout=subprocess.DEVNULL)
t = time.perf_counter()
late = None
while time.perf_counter() - t < 10:
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    c.request("GET", "/metrics")
    if b'id="5.32",section="Container Runtime",target="container",name="late"' in c.getresponse().read():
        late = time.perf_counter() - t
        break
    c.close()
    time.sleep(0.01)
print("docker run -> series on /metrics: %s" % ("%.3f s" % late if late is not None else "never"))
bad = []
if ctrs < n: bad.append("only %d of %d containers" % (ctrs, n))
if series >= 5000: bad.append("%d series" % series)
if text[0] >= 50 or omr[0] >= 50: bad.append("median scrape over 50 ms")
if late is None or late >= 1: bad.append("event latency")
print("goals: " + ("met" if not bad else "MISSED: " + ", ".join(bad)))
sys.exit(1 if bad else 0)
EOF
