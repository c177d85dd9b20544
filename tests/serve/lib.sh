# What the tests of `hardock serve` against a private dockerd and a real
# Prometheus share (sourced by tests/serve/dockerd.sh and vulns-dockerd.sh):
# the counters and the "N passed, N failed" line, the private dockerd (its
# own socket, data root and exec root under $tmp, no bridge) started and
# stopped by its pid, a free loopback port, Prometheus started on one, and
# the cleanup trap.  The caller sets tmp (mktemp -d) before
# serve_test_setup and may set serve_pid and prom_pid.
PY=/usr/bin/python3
pass=0
fail=0
dockerd_pid=
serve_pid=
prom_pid=
ok() { pass=$((pass + 1)); echo "ok - $1"; }
nok() { fail=$((fail + 1)); echo "not ok - $1"; [ -n "${2:-}" ] && [ -f "$2" ] && sed 's/^/#   /' "$2" | tail -30; }
finish() {
	echo "$pass passed, $fail failed"
	[ "$fail" -eq 0 ]
	exit $?
}
D() { docker -H "unix://$sock" "$@"; }

stop_pid() { # PID: TERM, wait up to 30 s, KILL
	[ -n "$1" ] || return 0
	kill "$1" 2>/dev/null
	i=0
	while kill -0 "$1" 2>/dev/null && [ $i -lt 300 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	kill -9 "$1" 2>/dev/null
	return 0
}
serve_test_cleanup() {
	stop_pid "$prom_pid"
	stop_pid "$serve_pid"
	if [ -n "$dockerd_pid" ] && kill -0 "$dockerd_pid" 2>/dev/null; then
		ids=$(D ps -aq 2>/dev/null) || ids=
		[ -n "$ids" ] && D rm -f $ids >/dev/null 2>&1
		stop_pid "$dockerd_pid"
	fi
	awk -v t="$tmp" 'index($2, t) == 1 { print $2 }' /proc/mounts | sort -r | while read -r m; do
		umount -l "$m" 2>/dev/null
	done
	pkill -KILL -f -- "$tmp/" 2>/dev/null || true
	rm -rf "$tmp"
}

# Root and the tools (finishes with a failure otherwise), then the trap.
serve_test_setup() {
	if [ "$(id -u)" -ne 0 ]; then
		nok "this test starts its own dockerd and needs root"
		finish
	fi
	for tool in dockerd docker busybox prometheus promtool curl; do
		if ! command -v "$tool" >/dev/null 2>&1; then
			nok "needs $tool (apt-get install docker.io busybox-static prometheus curl)"
			finish
		fi
	done
	chmod 755 "$tmp"
	sock="$tmp/d.sock"
	trap serve_test_cleanup EXIT
	trap 'exit 1' INT TERM
}

port() { $PY -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

start_dockerd() {
	dockerd --host "unix://$sock" --data-root "$tmp/data" --exec-root "$tmp/exec" --pidfile "$tmp/pid" \
		--bridge none --iptables=false --ip-forward=false --ip-masq=false \
		>>"$tmp/dockerd.log" 2>&1 &
	dockerd_pid=$!
	i=0
	until D version >/dev/null 2>&1; do
		if ! kill -0 "$dockerd_pid" 2>/dev/null || [ $i -ge 600 ]; then
			return 1
		fi
		sleep 0.1
		i=$((i + 1))
	done
	return 0
}

# start_prometheus HARDOCK_PORT [RULE_FILE]: scrapes hardock every second; sets pport and prom_pid.
start_prometheus() {
	pport=$(port)
	{
		printf 'global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n'
		[ -n "${2:-}" ] && printf 'rule_files:\n  - %s\n' "$2"
		printf 'scrape_configs:\n  - job_name: hardock\n    static_configs:\n      - targets: ["127.0.0.1:%s"]\n' "$1"
	} >"$tmp/prometheus.yml"
	promtool check config "$tmp/prometheus.yml" >"$tmp/pcc.txt" 2>&1 || nok "promtool check config" "$tmp/pcc.txt"
	prometheus --config.file="$tmp/prometheus.yml" --storage.tsdb.path="$tmp/tsdb" \
		--web.listen-address="127.0.0.1:$pport" >"$tmp/prom.log" 2>&1 &
	prom_pid=$!
}

# wait_q SECONDS PROMQL: waits until the query (the caller's q) returns something.
wait_q() {
	n=$(($1 * 10))
	i=0
	while [ $i -lt "$n" ]; do
		[ -n "$(q "$2" 2>/dev/null)" ] && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

# scrapes_between T0 SELECTOR: Prometheus' scrapes of hardock after T0 up to the first sample of SELECTOR.
scrapes_between() {
	first=$(curl -fsS "http://127.0.0.1:$pport/api/v1/query" --data-urlencode "query=$2[2m]" |
		$PY -c 'import json,sys; print(json.load(sys.stdin)["data"]["result"][0]["values"][0][0])') || return 1
	curl -fsS "http://127.0.0.1:$pport/api/v1/query" --data-urlencode "query=hardock_up[2m]" |
		$PY -c 'import json, sys
t0, first = float(sys.argv[1]), float(sys.argv[2])
d = json.load(sys.stdin)
print(sum(1 for v in d["data"]["result"][0]["values"] if t0 < float(v[0]) <= first))' "$1" "$first"
}

# serve_stop: SIGTERM; ok when it exits 0 with the sanitizers quiet in $tmp/serve.log.
serve_stop() {
	kill "$serve_pid"
	i=0
	while kill -0 "$serve_pid" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
	if kill -0 "$serve_pid" 2>/dev/null; then
		nok "hardock serve did not stop on SIGTERM"
		return
	fi
	wait "$serve_pid"
	rc=$?
	serve_pid=
	[ "$rc" -eq 0 ] && ! grep -q 'ERROR: \(Address\|Leak\|Undefined\)Sanitizer\|runtime error' "$tmp/serve.log" &&
		ok "SIGTERM: hardock serve exits 0, sanitizers quiet" || nok "hardock serve exit $rc" "$tmp/serve.log"
}
