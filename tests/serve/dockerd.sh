#!/bin/sh
# `hardock serve` against real components: a private dockerd (its own
# socket, data root, exec root; no bridge), hardock serve following it, and
# Debian's Prometheus scraping hardock every second on loopback, with the
# example alert rules loaded.  Asserted through Prometheus' HTTP API:
#
#   - the target is up and hardock_up, hardock_build_info, hardock_engine_up
#     are there;
#   - a container started with the docker socket mounted is judged within a
#     second of `docker run` (hardock's own /metrics), and Prometheus has its
#     CIS 5.32 warn series, labelled as cAdvisor labels it (name, image),
#     within two scrapes;
#   - promtool check metrics finds nothing wrong in either format;
#   - dockerd stopped: the last results stay, hardock_engine_up is 0, no
#     descriptor leaks; dockerd started again: hardock reconnects.
#
# Prints "N passed, N failed"; a component that cannot start is a failure.
set -u
: "${HARDOCK:?}" "${SRCDIR:?}"
tmp=$(mktemp -d /tmp/hdsv-XXXXXX)
. "$SRCDIR/tests/serve/lib.sh"
serve_test_setup

# ---- dockerd and an image --------------------------------------------------------
start_dockerd || { nok "dockerd did not start" "$tmp/dockerd.log"; finish; }
ok "dockerd $dockerd_pid on $sock"
mkdir -p "$tmp/rootfs/bin" "$tmp/rootfs/etc"
cp "$(command -v busybox)" "$tmp/rootfs/bin/busybox"
for a in sh sleep; do ln -s busybox "$tmp/rootfs/bin/$a"; done
echo 'root:x:0:0:root:/root:/bin/sh' >"$tmp/rootfs/etc/passwd"
tar -C "$tmp/rootfs" -cf "$tmp/base.tar" . && D import "$tmp/base.tar" hd/base:1 >/dev/null ||
	{ nok "docker import of a busybox rootfs"; finish; }
D run -d --name quiet --network none --read-only hd/base:1 sleep 3600 >/dev/null ||
	{ nok "docker run quiet"; finish; }

# ---- hardock serve -------------------------------------------------------------------
hport=$(port)
"$HARDOCK" serve --listen "127.0.0.1:$hport" -H "unix://$sock" --interval 1h --image-layers >"$tmp/serve.log" 2>&1 &
serve_pid=$!
metrics() { curl -fsS --max-time 5 "$@" "http://127.0.0.1:$hport/metrics"; }
i=0
until curl -fsS --max-time 2 "http://127.0.0.1:$hport/healthz" >"$tmp/health" 2>/dev/null; do
	if ! kill -0 "$serve_pid" 2>/dev/null || [ $i -ge 600 ]; then
		nok "hardock serve did not become healthy" "$tmp/serve.log"
		finish
	fi
	sleep 0.1
	i=$((i + 1))
done
ok "hardock serve $serve_pid healthy on 127.0.0.1:$hport"
# The first audit saw the container that was already there.
if metrics | grep '^hardock_check_status{benchmark="cis-docker-1.6.0",id="5.13",section="Container Runtime",target="container",name="quiet",image="hd/base:1",result="pass"} 1$' >/dev/null; then
	ok "first audit: CIS 5.13 (read-only root) passes on container quiet, labelled name/image"
else
	nok "first audit: no pass series of 5.13 for quiet"
	metrics | grep 'name="quiet"' | head -20
fi

# ---- promtool check metrics --------------------------------------------------------------
metrics >"$tmp/m.txt"
if promtool check metrics <"$tmp/m.txt" >"$tmp/pc.txt" 2>&1 && [ ! -s "$tmp/pc.txt" ]; then
	ok "promtool check metrics: nothing to say (text 0.0.4)"
else
	nok "promtool check metrics" "$tmp/pc.txt"
fi
# promtool reads only the text format; Prometheus itself asks for OpenMetrics
# first (its scrape Accept header), so the scrapes below parse this one.
metrics -H 'Accept: application/openmetrics-text; version=1.0.0' -D "$tmp/om.h" >"$tmp/om.txt"
if grep -qi '^content-type: application/openmetrics-text; version=1.0.0' "$tmp/om.h" &&
	[ "$(tail -n 1 "$tmp/om.txt")" = "# EOF" ] && grep -q '^# TYPE hardock_build info$' "$tmp/om.txt" &&
	grep -q '^# UNIT hardock_audit_duration_seconds seconds$' "$tmp/om.txt"; then
	ok "OpenMetrics when Accept asks for it: content type, info and unit metadata, # EOF"
else
	nok "OpenMetrics exposition" "$tmp/om.txt"
	cat "$tmp/om.h"
fi
# The scrape header Prometheus sends: OpenMetrics first.
metrics -H 'Accept: application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1' -D "$tmp/om2.h" >/dev/null
grep -qi '^content-type: application/openmetrics-text' "$tmp/om2.h" && ok "Prometheus' Accept header gets OpenMetrics" ||
	nok "Prometheus' Accept header does not get OpenMetrics" "$tmp/om2.h"
metrics -H 'Accept: text/plain;version=0.0.4;q=0.9,application/openmetrics-text;q=0.5' -D "$tmp/t.h" >/dev/null
grep -qi '^content-type: text/plain; version=0.0.4' "$tmp/t.h" && ok "text preferred by q gets text 0.0.4" ||
	nok "text preferred by q" "$tmp/t.h"

# ---- Prometheus --------------------------------------------------------------------------
cp "$SRCDIR/examples/prometheus/alerts.yml" "$tmp/alerts.yml"
start_prometheus "$hport" alerts.yml
q() { # PROMQL: the result vector as JSON lines (metric labels and value), via the HTTP API
	curl -fsS --max-time 5 "http://127.0.0.1:$pport/api/v1/query" --data-urlencode "query=$1" |
		$PY -c 'import json,sys
d=json.load(sys.stdin)
assert d["status"]=="success", d
for r in d["data"]["result"]:
    print(json.dumps({"m": r["metric"], "v": r["value"][1]}, sort_keys=True))'
}
if wait_q 60 'up{job="hardock"} == 1'; then
	ok "Prometheus $prom_pid scrapes hardock (up == 1)"
else
	nok "Prometheus never scraped hardock" "$tmp/prom.log"
	finish
fi
v=$(q 'hardock_up' | $PY -c 'import json,sys; print(json.loads(sys.stdin.readline())["v"])' 2>/dev/null)
[ "$v" = "1" ] && ok "hardock_up 1 through Prometheus" || nok "hardock_up through Prometheus: '$v'"
v=$(q 'hardock_build_info' | $PY -c 'import json,sys; print(json.loads(sys.stdin.readline())["m"]["version"])' 2>/dev/null)
[ -n "$v" ] && [ "$v" = "$("$HARDOCK" version | awk '{print $NF}')" ] && ok "hardock_build_info{version=\"$v\"}" ||
	nok "hardock_build_info version '$v'"
wait_q 10 'hardock_engine_up == 1' && ok "hardock_engine_up 1" || nok "hardock_engine_up is not 1"
n=$(q 'count(hardock_check_status{target="host"})' | $PY -c 'import json,sys; print(json.loads(sys.stdin.readline())["v"])' 2>/dev/null)
d=$(q 'count(count by (id) (hardock_check_status{target="host"}))' | $PY -c 'import json,sys; print(json.loads(sys.stdin.readline())["v"])' 2>/dev/null)
[ -n "$n" ] && [ "$n" = "$d" ] && [ "$n" -gt 10 ] && ok "host controls appear once each ($n series)" ||
	nok "host controls: $n series for $d ids"

# ---- a container with the docker socket: judged within 1 s, in Prometheus within two scrapes --------
sel='hardock_check_status{id="5.32",target="container",name="sockpeek",image="hd/base:1",result="warn"}'
D run -d --name sockpeek --network none -v "$sock:/var/run/docker.sock" hd/base:1 sleep 3600 >/dev/null ||
	{ nok "docker run sockpeek"; finish; }
t1=$($PY -c 'import time; print(time.time())')
# hardock's own /metrics: polled every 20 ms from the moment docker run returned.
lat=$($PY - "$hport" "$t1" <<'EOF'
import sys, time, urllib.request
port, t1 = sys.argv[1], float(sys.argv[2])
want = 'id="5.32",section="Container Runtime",target="container",name="sockpeek",image="hd/base:1",result="warn"} 1'
while time.time() - t1 < 10:
    body = urllib.request.urlopen("http://127.0.0.1:%s/metrics" % port, timeout=5).read().decode()
    if want in body:
        print("%.3f" % (time.time() - t1))
        sys.exit(0)
    time.sleep(0.02)
print("never")
EOF
)
case $lat in
0.*) ok "container sockpeek judged ${lat}s after docker run returned (CIS 5.32 warn on /metrics)" ;;
*) nok "sockpeek judged after ${lat}s (must be under 1 s)" "$tmp/serve.log" ;;
esac
if wait_q 20 "$sel == 1"; then
	# The scrapes between docker run's return and the first sample of the new series.
	scrapes=$(scrapes_between "$t1" "$sel")
	if [ -n "$scrapes" ] && [ "$scrapes" -le 2 ]; then
		ok "Prometheus has $sel at the $scrapes. scrape after docker run returned"
	else
		nok "Prometheus saw sockpeek only after $scrapes scrapes"
	fi
else
	nok "Prometheus never saw $sel"
fi
v=$(q 'sum(hardock_findings{target="container",name="sockpeek",severity="critical"})' |
	$PY -c 'import json,sys; print(json.loads(sys.stdin.readline())["v"])' 2>/dev/null)
[ -n "$v" ] && [ "$v" -ge 1 ] && ok "hardock_findings{severity=critical,name=sockpeek} $v" ||
	nok "no critical finding counted for sockpeek ('$v')"
# A PromQL join on cAdvisor's labels works (name, image) with the quiet container.
v=$(q 'count(hardock_check_status{name="quiet"} * on (name, image) group_left hardock_check_status{id="5.32",name="quiet"})' |
	$PY -c 'import json,sys; print(json.loads(sys.stdin.readline())["v"])' 2>/dev/null)
[ -n "$v" ] && [ "$v" -gt 5 ] && ok "joins on (name, image) work ($v series of quiet)" || nok "join on (name, image): '$v'"
# Removing the container removes its series.
D rm -f sockpeek >/dev/null
i=0
while metrics | grep 'name="sockpeek"' >/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
metrics | grep 'name="sockpeek"' >/dev/null && nok "sockpeek's series stay after docker rm" ||
	ok "docker rm: sockpeek's series gone within $((i * 100)) ms"

# ---- --image-layers: an image imported while serving has its files judged -------------------------
mkdir -p "$tmp/rootfs2/bin" "$tmp/rootfs2/root/.ssh"
cp "$(command -v busybox)" "$tmp/rootfs2/bin/busybox"
chmod 4755 "$tmp/rootfs2/bin/busybox"
printf -- '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\n-----END OPENSSH PRIVATE KEY-----\n' >"$tmp/rootfs2/root/.ssh/id_ed25519"
tar -C "$tmp/rootfs2" -cf "$tmp/suid.tar" . && D import "$tmp/suid.tar" hd/suid:1 >/dev/null ||
	{ nok "docker import hd/suid:1"; finish; }
# The import's events (import, then tag) are judged in turn: wait for the last, under the tag.
i=0
until metrics | grep -q '^hardock_check_status{benchmark="cis-docker-1.6.0",id="4.8",.*image="hd/suid:1",result="warn"} 1$' || [ $i -ge 150 ]; do
	sleep 0.1
	i=$((i + 1))
done
curl -fsS "http://127.0.0.1:$hport/" >"$tmp/report.html"
if grep -q 'image/setuid-file' "$tmp/report.html" && grep -q 'image/private-key' "$tmp/report.html"; then
	ok "--image-layers: hd/suid:1 imported while serving, its setuid file and private key reported within $((i * 100)) ms"
else
	nok "--image-layers: no layer findings for hd/suid:1" "$tmp/serve.log"
fi
metrics | grep 'hardock_findings{severity="[a-z]*",target="image",name="",image="hd/suid:1"}' >"$tmp/suid.txt"
[ -s "$tmp/suid.txt" ] && ok "hd/suid:1's layer findings counted under image=\"hd/suid:1\"" ||
	nok "no hardock_findings for image hd/suid:1"

# One CIS 4.8 verdict per image, from the audit session's --image-layers (the code of `audit --image-layers`).
metrics >"$tmp/m48.txt"
if grep -q '^hardock_check_status{benchmark="cis-docker-1.6.0",id="4.8",section="Container Images and Build File",target="image",name="",image="hd/suid:1",result="warn"} 1$' "$tmp/m48.txt" &&
	grep -q '^hardock_check_status{benchmark="cis-docker-1.6.0",id="4.8",section="Container Images and Build File",target="image",name="",image="hd/base:1",result="pass"} 1$' "$tmp/m48.txt"; then
	ok "--image-layers: CIS 4.8 per image (hd/suid:1 warn, hd/base:1 pass)"
else
	nok "--image-layers: no per-image CIS 4.8 series"
	grep 'id="4.8"' "$tmp/m48.txt" | head
fi
wait_q 10 'hardock_check_status{id="4.8",target="image",image="hd/suid:1",result="warn"} == 1' &&
	ok "Prometheus has hd/suid:1's CIS 4.8 warn" || nok "Prometheus: no CIS 4.8 series of hd/suid:1"

# ---- series count and scrape cost here ------------------------------------------------------------
n=$(metrics | grep -vc '^#')
ok "$n series with 1 container and 2 images"

# ---- the engine goes away and comes back -----------------------------------------------------------
fds0=$(ls "/proc/$serve_pid/fd" | wc -l)
kill "$dockerd_pid"
i=0
while kill -0 "$dockerd_pid" 2>/dev/null && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
i=0
until metrics | grep '^hardock_engine_up 0$' >/dev/null || [ $i -ge 50 ]; do sleep 0.1; i=$((i + 1)); done
metrics >"$tmp/down.txt"
if grep -q '^hardock_engine_up 0$' "$tmp/down.txt" && grep -q 'name="quiet"' "$tmp/down.txt"; then
	ok "dockerd stopped: hardock_engine_up 0 within $((i * 100)) ms, the last results stay"
else
	nok "dockerd stopped: engine_up or last results" "$tmp/down.txt"
fi
wait_q 10 'hardock_engine_up == 0' && ok "Prometheus sees hardock_engine_up 0" || nok "Prometheus: engine_up 0"
kill -0 "$serve_pid" 2>/dev/null && ok "hardock serve survives the engine going away" ||
	nok "hardock serve died" "$tmp/serve.log"
sleep 3
start_dockerd || { nok "dockerd did not start again" "$tmp/dockerd.log"; finish; }
i=0
until metrics | grep '^hardock_engine_up 1$' >/dev/null || [ $i -ge 400 ]; do sleep 0.1; i=$((i + 1)); done
metrics | grep '^hardock_engine_up 1$' >/dev/null && ok "dockerd back: hardock reconnected within $((i * 100)) ms" ||
	nok "no reconnection to dockerd" "$tmp/serve.log"
sleep 1
fds1=$(ls "/proc/$serve_pid/fd" | wc -l)
[ "$fds1" -le "$fds0" ] && ok "descriptors: $fds0 before, $fds1 after the engine went and came back" ||
	nok "descriptors grew from $fds0 to $fds1"

# ---- a clean stop ------------------------------------------------------------------------------------
serve_stop
finish
