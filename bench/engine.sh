#!/bin/sh
# bench/engine.sh [BUILD_DIR]: the engine audit (`hardock audit engine`:
# /info, every container inspected, processes of every running one, images)
# and the full live audit (`hardock audit`: host, daemon and engine: this
# machine's files, the kernel's audit rules, the binaries' versions, then the
# same engine audit) against a private dockerd holding 10, 50 and 200 running
# containers, beside the floor: one `docker inspect` CLI call of the same
# containers.  Prints wall time (median of 5 runs) and peak RSS of each, and
# their ratios to the floor, in one run.  For scale: docker-bench-security
# needs about 37 s for 29 containers.
#
# Starts its own dockerd as root on a private socket, data root and bridge
# (never another daemon's) and stops it by its pid at the end.  Build
# BUILD_DIR with --buildtype=release for meaningful figures.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=$(realpath "${1:-$here/../build}")
hardock="$build/hardock"
[ -x "$hardock" ] || { echo "bench: no $hardock; build it first" >&2; exit 2; }
[ "$(id -u)" -eq 0 ] || { echo "bench: needs root to start dockerd" >&2; exit 2; }
sizes=${BENCH_SIZES:-10 50 200}
runs=${BENCH_RUNS:-5}

tmp=$(mktemp -d /tmp/hdb-XXXXXX)
chmod 755 "$tmp"
sock="$tmp/d.sock"
br=$(printf 'hdb%.12s' "$$")
dpid=
D() { docker -H "unix://$sock" "$@"; }
cleanup() {
	if [ -n "$dpid" ]; then
		# Containers first: killing dockerd alone leaves their shims running.
		ids=$(D ps -aq 2>/dev/null) || ids=
		[ -n "$ids" ] && D rm -f $ids >/dev/null 2>&1 || true
		# Networks too: their bridges outlive a killed dockerd and use up address pools.
		D network prune -f >/dev/null 2>&1 || true
		D network rm docker_gwbridge >/dev/null 2>&1 || true
		kill "$dpid" 2>/dev/null || true
		i=0
		while kill -0 "$dpid" 2>/dev/null && [ $i -lt 600 ]; do sleep 0.1; i=$((i + 1)); done
		kill -9 "$dpid" 2>/dev/null || true
	fi
	awk -v t="$tmp" 'index($2, t) == 1 { print $2 }' /proc/mounts | sort -r | while read -r m; do
		umount -l "$m" 2>/dev/null || true
	done
	ip link del "$br" 2>/dev/null || true
	# Whatever still runs from our directories (shims of containers dockerd
	# could not stop) is ours to stop too.
	pkill -KILL -f -- "$tmp/" 2>/dev/null || true
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

ip link add "$br" type bridge
ip addr add "10.214.$(( $(od -An -N2 -tu2 /dev/urandom | tr -d " ") % 200 + 20 )).1/24" dev "$br"
ip link set "$br" up
dockerd --host "unix://$sock" --data-root "$tmp/data" --exec-root "$tmp/exec" --pidfile "$tmp/pid" \
	--bridge "$br" --iptables=false --ip-forward=false --ip-masq=false >"$tmp/dockerd.log" 2>&1 &
dpid=$!
i=0
until D version >/dev/null 2>&1; do
	kill -0 "$dpid" 2>/dev/null && [ $i -lt 600 ] || { tail "$tmp/dockerd.log"; exit 1; }
	sleep 0.1
	i=$((i + 1))
done
mkdir -p "$tmp/rootfs/bin"
cp "$(command -v busybox)" "$tmp/rootfs/bin/busybox"
ln -s busybox "$tmp/rootfs/bin/sleep"
tar -C "$tmp/rootfs" -cf "$tmp/base.tar" .
D import "$tmp/base.tar" bench/busybox:1 >/dev/null

# measure CMD...: "seconds peak_kib cpu_seconds" of one run (wall time from
# date's nanoseconds; /usr/bin/time rounds to 10 ms).  CPU time (user + sys of
# the client alone) says less about the daemon and more about the tool, and
# varies less on a loaded machine.
measure() {
	t0=$(date +%s%N)
	/usr/bin/time -v "$@" >"$tmp/stdout" 2>"$tmp/time" || true
	t1=$(date +%s%N)
	awk -F': ' -v ns=$((t1 - t0)) '/Maximum resident set size/ { rss = $2 }
		/User time/ { cpu += $2 } /System time/ { cpu += $2 }
		END { printf "%.4f %d %.2f\n", ns / 1e9, rss, cpu }' "$tmp/time"
}
# median (by wall time) of $runs measurements: "seconds peak_kib cpu_seconds"
median() {
	: >"$tmp/m"
	n=0
	while [ $n -lt "$runs" ]; do
		measure "$@" >>"$tmp/m"
		n=$((n + 1))
	done
	sort -n "$tmp/m" | awk -v k="$runs" 'NR == int((k + 1) / 2) { print }'
}

printf '%-10s %10s %8s %8s %10s %8s %8s %16s %8s %8s %7s %7s\n' containers engine_s cpu_s rss_MiB full_s cpu_s rss_MiB docker_inspect_s cpu_s rss_MiB ratio_e ratio_f
have=0
for n in $sizes; do
	# Start the missing containers, 8 at a time.
	seq $((have + 1)) "$n" | xargs -P 8 -I{} docker -H "unix://$sock" run -d --name c{} \
		--network none bench/busybox:1 sleep 86400 >/dev/null
	have=$n
	D ps -q >"$tmp/ids"
	[ "$(wc -l <"$tmp/ids")" -eq "$n" ] || { echo "bench: $(wc -l <"$tmp/ids") containers running, not $n" >&2; exit 1; }
	# Warm the daemon once, then time.
	"$hardock" audit engine -H "unix://$sock" -f json >/dev/null 2>&1 || true
	set -- $(median "$hardock" audit engine -H "unix://$sock" -f json)
	h_s=$1 h_kib=$2 h_cpu=$3
	set -- $(median "$hardock" audit -H "unix://$sock" -f json)
	a_s=$1 a_kib=$2 a_cpu=$3
	# The floor: the same containers inspected by the docker CLI in one call.
	set -- $(median docker -H "unix://$sock" inspect $(cat "$tmp/ids"))
	d_s=$1 d_kib=$2 d_cpu=$3
	awk -v n="$n" -v hs="$h_s" -v hk="$h_kib" -v hc="$h_cpu" -v as="$a_s" -v ak="$a_kib" -v ac="$a_cpu" \
	    -v ds="$d_s" -v dk="$d_kib" -v dc="$d_cpu" 'BEGIN {
		printf "%-10d %10.3f %8.2f %8.1f %10.3f %8.2f %8.1f %16.3f %8.2f %8.1f %7.2f %7.2f\n", n, hs, hc,
		       hk / 1024, as, ac, ak / 1024, ds, dc, dk / 1024, hs / ds, as / ds }'
done
echo "engine: audit engine (info, lists, inspect of every container and image, processes, exec sessions, all rules, JSON report)"
echo "full: audit (host and daemon of this machine, then the engine audit), JSON report"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) CPUs"
echo "floor: one 'docker inspect' CLI call of the same running containers; ratio = hardock / floor"
