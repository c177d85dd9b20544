#!/bin/sh
# The fleet on Docker's own orchestrator, against real components: hardock's
# image is built from deploy/Dockerfile (Debian root file systems made by
# mmdebstrap, cached in the build directory) on a private dockerd started
# here; the image runs as nobody, reaches the engine through the socket's
# group only, with a read-only root file system and no capabilities; a swarm
# is initialised on a loopback address, deploy/stack.yaml is deployed (one
# global task serving /metrics over TLS with client certificates), and a
# real Prometheus (Debian's) configured from deploy/prometheus-swarm.yml finds
# the task through dockerswarm_sd_configs and scrapes it: the test asks its
# HTTP API for the target and for query results.  The deployment files pass
# hardock's own lint with nothing above low.
#
# Everything started here is stopped by its pid at the end, also on failure
# (HACKING.md, "Tests that start a dockerd").  Prints "N passed, N failed";
# fails loudly when dockerd, mmdebstrap, the image build, the swarm or
# Prometheus cannot run: a fleet that did not run is not a pass.
set -u
: "${HARDOCK:?}" "${SRCDIR:?}"
py=/usr/bin/python3
deploy="$SRCDIR/deploy"
pass=0
fail=0
ok() { pass=$((pass + 1)); echo "ok - $1"; }
nok() { fail=$((fail + 1)); echo "not ok - $1"; [ -n "${2:-}" ] && [ -f "$2" ] && sed 's/^/#   /' "$2" | tail -40; }
check() { # NAME COMMAND...: ok when the command succeeds
	name=$1
	shift
	if "$@" >"$tmp/check.out" 2>&1; then ok "$name"; else nok "$name" "$tmp/check.out"; fi
}
finish() {
	echo "$pass passed, $fail failed"
	[ "$fail" -eq 0 ]
	exit $?
}

tmp=$(mktemp -d /tmp/hdf-XXXXXX)
chmod 755 "$tmp"
if [ "$(id -u)" -ne 0 ]; then
	nok "the fleet test starts its own dockerd and needs root"
	finish
fi
for tool in dockerd docker mmdebstrap prometheus promtool ip; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		nok "needs $tool (apt-get install docker.io mmdebstrap prometheus iproute2)"
		finish
	fi
done

sock="$tmp/d.sock"
br=$(printf 'hdf%.12s' "$$")
gwbr=$(printf 'hdg%.12s' "$$")
dockerd_pid=
prom_pid=
stack=hdfleet
D() { docker -H "unix://$sock" "$@"; }
cleanup() {
	[ -n "$prom_pid" ] && kill "$prom_pid" 2>/dev/null && wait "$prom_pid" 2>/dev/null
	if [ -n "$dockerd_pid" ]; then
		D stack rm "$stack" >/dev/null 2>&1
		D swarm leave --force >/dev/null 2>&1
		# Containers first: killing dockerd alone leaves their shims running.
		ids=$(D ps -aq 2>/dev/null) || ids=
		[ -n "$ids" ] && D rm -f $ids >/dev/null 2>&1
		# Networks too: their bridges outlive a killed dockerd.
		D network prune -f >/dev/null 2>&1
		D network rm docker_gwbridge >/dev/null 2>&1
		kill "$dockerd_pid" 2>/dev/null
		i=0
		while kill -0 "$dockerd_pid" 2>/dev/null && [ $i -lt 300 ]; do
			sleep 0.1
			i=$((i + 1))
		done
		kill -9 "$dockerd_pid" 2>/dev/null
	fi
	awk -v t="$tmp" 'index($2, t) == 1 { print $2 }' /proc/mounts | sort -r | while read -r m; do
		umount -l "$m" 2>/dev/null
	done
	ip link del "$br" 2>/dev/null
	ip link del "$gwbr" 2>/dev/null
	# Whatever still runs from our directory (shims, docker-proxy) is ours.
	pkill -KILL -f -- "$tmp/" 2>/dev/null || true
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

rnd() { od -An -N2 -tu2 /dev/urandom | tr -d ' '; }
free_port() { "$py" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# ---- the deployment files pass hardock's own lint ------------------------------------
check "deploy/Dockerfile: nothing above low" \
	"$HARDOCK" lint --fail-on medium "$deploy/Dockerfile"
check "deploy/stack.yaml and compose.yaml: nothing above low" \
	"$HARDOCK" lint --kind compose --env DOCKER_GID=999 --fail-on medium "$deploy/stack.yaml" "$deploy/compose.yaml"
# ... and the lint is not blind: without the accepted exceptions it fires.
sed '/hardock ignore=/d' "$deploy/stack.yaml" >"$tmp/stack-noignore.yaml"
"$HARDOCK" lint --kind compose --env DOCKER_GID=999 --format json "$tmp/stack-noignore.yaml" \
	>"$tmp/noignore.json" 2>&1
check "without its ignore comments the stack's socket mount is critical" "$py" -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert any(f["rule"] == "container/docker-socket-mount" and f["severity"] == "critical" for f in d["findings"]), d
' "$tmp/noignore.json"

# ---- the root file systems (mmdebstrap, cached: the mirror is slow to ask every run) --
cache="$(dirname "$HARDOCK")/fleet-cache"
mkdir -p "$cache"
if ! sh "$deploy/mkrootfs.sh" "$cache" >"$tmp/mkrootfs.log" 2>&1; then
	nok "deploy/mkrootfs.sh (mmdebstrap)" "$tmp/mkrootfs.log"
	finish
fi
ok "Debian root file systems from mmdebstrap"

# ---- the daemon --------------------------------------------------------------------
# The socket's group: a group id no account uses, so that only it opens the socket.
gid=$(( $(rnd) % 10000 + 40000 ))
net=$(( $(rnd) % 200 + 20 ))
ip link add "$br" type bridge && ip addr add "10.214.$net.1/24" dev "$br" && ip link set "$br" up || {
	nok "cannot create the private bridge $br"
	finish
}
dockerd --host "unix://$sock" --group "$gid" --data-root "$tmp/data" --exec-root "$tmp/exec" \
	--pidfile "$tmp/pid" --bridge "$br" --iptables=false --ip-forward=false --ip-masq=false \
	>"$tmp/dockerd.log" 2>&1 &
dockerd_pid=$!
i=0
until D version >/dev/null 2>&1; do
	if ! kill -0 "$dockerd_pid" 2>/dev/null || [ $i -ge 600 ]; then
		nok "dockerd did not start" "$tmp/dockerd.log"
		finish
	fi
	sleep 0.1
	i=$((i + 1))
done
ok "dockerd $dockerd_pid on $sock (socket group $gid)"
check "the socket belongs to group $gid, mode 0660" test "$(stat -c '%g %a' "$sock")" = "$gid 660"

# ---- the image -----------------------------------------------------------------------
img=hardock:fleet-test
rm -rf "$cache"/context.* # what an interrupted build may have left
if DOCKER_HOST="unix://$sock" sh "$deploy/build-image.sh" "$img" "$cache" >"$tmp/build.log" 2>&1; then
	ok "deploy/build-image.sh: docker build -f deploy/Dockerfile (compiles hardock on the Debian rootfs)"
else
	nok "deploy/build-image.sh (docker build -f deploy/Dockerfile)" "$tmp/build.log"
	finish
fi
check "the image runs as nobody" test "$(D image inspect -f '{{.Config.User}}' "$img")" = "65534:65534"
D run --rm --network none "$img" --version >"$tmp/version.out" 2>&1
check "hardock --version in the image" grep -q '^hardock ' "$tmp/version.out"
# hardock's own image pass over the image, from the engine: nobody, no
# setuid or setgid file, nothing above low.  Except in hardock itself: the
# binary holds its rule catalogue, whose examples are a PEM private key, a
# GitHub token and an AWS key id shaped to fire the secret rules.
"$HARDOCK" image -H "unix://$sock" --format json "$img" >"$tmp/image.json" 2>"$tmp/image.err"
check "hardock image $img: nothing above low, no setuid file" "$py" -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert d["findings"], "no finding at all: was the image read?"
bad = [(f["rule"], f["severity"], f["message"]) for f in d["findings"]
       if f["rule"] in ("image/setuid-file", "image/root-user") or
       (f["severity"] in ("medium", "high", "critical", "error") and
        not ("/usr/bin/hardock holds" in f["message"] and f["rule"] in ("image/private-key", "image/token-in-file")))]
assert not bad, bad
' "$tmp/image.json"
# The container as deployed: nobody in the socket's group, read-only root,
# no capabilities; it reaches the engine through that group and nothing else.
run_audit() { # GROUP
	D run --rm --network none --read-only --cap-drop ALL --security-opt no-new-privileges \
		--user "65534:$1" -v "$sock:/var/run/docker.sock:ro" "$img" audit engine --format json
}
run_audit "$gid" >"$tmp/audit.json" 2>"$tmp/audit.err"
rc=$?
check "audit engine in the container as nobody:$gid (exit $rc)" "$py" -c '
import json, sys
rc = int(sys.argv[2])
d = json.load(open(sys.argv[1]))
assert rc in (0, 1), rc
assert any(c["subject"] == "engine" for c in d["checks"]), "no engine verdict"
' "$tmp/audit.json" "$rc"
run_audit 65534 >/dev/null 2>"$tmp/audit-nogroup.err"
rc=$?
check "without the socket's group the engine is out of reach (exit $rc)" test "$rc" -eq 2

# ---- the swarm -----------------------------------------------------------------------
# Its own loopback address, ports and address pools, so that runs do not collide.
lo="127.$(( $(rnd) % 250 + 2 )).$(( $(rnd) % 250 + 2 )).$(( $(rnd) % 250 + 2 ))"
sport=$(free_port)
dport=$("$py" -c '
import random, socket
for _ in range(200):
    p = random.randint(20000, 49151)
    try:
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("0.0.0.0", p)); s.close(); break
    except OSError:
        pass
print(p)')
hport=$(free_port)
# docker_gwbridge (where host-mode ports are published) on a subnet of ours.
D network create --driver bridge --subnet "10.215.$net.0/24" \
	--opt "com.docker.network.bridge.name=$gwbr" \
	--opt com.docker.network.bridge.enable_icc=false \
	--opt com.docker.network.bridge.enable_ip_masquerade=false docker_gwbridge >"$tmp/gw.log" 2>&1 ||
	{ nok "docker_gwbridge on 10.215.$net.0/24" "$tmp/gw.log"; finish; }
if D swarm init --listen-addr "$lo:$sport" --advertise-addr "$lo:$sport" --data-path-port "$dport" \
	--default-addr-pool "10.$(( $(rnd) % 50 + 150 )).0.0/16" >"$tmp/swarm.log" 2>&1; then
	ok "docker swarm init on $lo:$sport"
else
	nok "docker swarm init on $lo:$sport" "$tmp/swarm.log"
	finish
fi

# ---- the stack ------------------------------------------------------------------------
"$HARDOCK" tls init --host hardock --out "$tmp/certs" --key p256 >"$tmp/tls.log" 2>&1 ||
	{ nok "hardock tls init" "$tmp/tls.log"; finish; }
if DOCKER_GID=$gid HARDOCK_SOCKET=$sock HARDOCK_CERTS=$tmp/certs HARDOCK_IMAGE=$img HARDOCK_PORT=$hport \
	D stack deploy -c "$deploy/stack.yaml" "$stack" >"$tmp/deploy.log" 2>&1; then
	ok "docker stack deploy -c deploy/stack.yaml"
else
	nok "docker stack deploy -c deploy/stack.yaml" "$tmp/deploy.log"
	finish
fi
svc="${stack}_hardock"
i=0
until [ "$(D service ps -q -f desired-state=running -f "name=$svc" "$svc" 2>/dev/null | wc -l)" -ge 1 ] &&
	D service ps --format '{{.CurrentState}}' -f desired-state=running "$svc" 2>/dev/null | grep -q '^Running'; do
	if [ $i -ge 120 ]; then
		D service ps --no-trunc "$svc" >"$tmp/ps.log" 2>&1
		D service logs --raw "$svc" >>"$tmp/ps.log" 2>&1
		nok "the global task of $svc runs" "$tmp/ps.log"
		finish
	fi
	sleep 0.5
	i=$((i + 1))
done
ok "the global task of $svc runs"
D service inspect "$svc" >"$tmp/svc.json"
check "the service: global, nobody:$gid, read-only, no capability, read-only mounts" "$py" -c '
import json, sys
s = json.load(open(sys.argv[1]))[0]["Spec"]
gid = sys.argv[2]
c = s["TaskTemplate"]["ContainerSpec"]
assert "Global" in s["Mode"], s["Mode"]
assert c["User"] == "65534:" + gid, c["User"]
assert c.get("ReadOnly") is True, c
assert c.get("CapabilityDrop") == ["ALL"], c.get("CapabilityDrop")
m = c["Mounts"]
assert m and all(x.get("ReadOnly") for x in m), m
assert any(x["Target"] == "/var/run/docker.sock" for x in m), m
assert c["Args"][0] == "serve", c["Args"]
' "$tmp/svc.json" "$gid"

# The exporter on the node's address: TLS, a client certificate required.
scrape() { # yes|no (the client certificate) -> the body of /metrics on stdout
	"$py" - "$lo" "$hport" "$tmp/certs" "$1" <<'EOF'
import socket, ssl, sys
lo, port, certs, client = sys.argv[1:5]
ctx = ssl.create_default_context(cafile=certs + "/client/ca.pem")
if client == "yes":
    ctx.load_cert_chain(certs + "/client/cert.pem", certs + "/client/key.pem")
# The one server certificate of every node names "hardock", not an address.
s = ctx.wrap_socket(socket.create_connection((lo, int(port)), 10), server_hostname="hardock")
s.sendall(b"GET /metrics HTTP/1.0\r\nHost: hardock\r\n\r\n")
data = b""
while True:
    chunk = s.recv(65536)
    if not chunk:
        break
    data += chunk
head, _, body = data.partition(b"\r\n\r\n")
sys.stdout.write(body.decode())
sys.exit(0 if head.split(b" ")[1:2] == [b"200"] else 1)
EOF
}
i=0
until scrape yes >"$tmp/metrics.txt" 2>"$tmp/scrape.err" && grep -q '^hardock_up 1' "$tmp/metrics.txt"; do
	if [ $i -ge 120 ]; then
		D service logs --raw "$svc" >>"$tmp/scrape.err" 2>&1
		nok "GET https://$lo:$hport/metrics with the client certificate" "$tmp/scrape.err"
		break
	fi
	sleep 0.5
	i=$((i + 1))
done
[ $i -lt 120 ] && ok "GET https://$lo:$hport/metrics with the client certificate: hardock_up 1"
scrape no >/dev/null 2>&1
check "without a client certificate the exporter refuses" test $? -ne 0

# ---- Prometheus, through Docker Swarm service discovery ---------------------------------
pport=$(free_port)
sed -e "s|unix:///var/run/docker.sock|unix://$sock|" \
	-e "s|/etc/prometheus/hardock/|$tmp/certs/client/|" \
	-e 's|scrape_interval: 30s|scrape_interval: 2s|' \
	-e 's|refresh_interval: 30s|refresh_interval: 2s|' \
	"$deploy/prometheus-swarm.yml" >"$tmp/prometheus.yml"
check "promtool check config deploy/prometheus-swarm.yml" promtool check config "$tmp/prometheus.yml"
prometheus --config.file="$tmp/prometheus.yml" --storage.tsdb.path="$tmp/prom" \
	--web.listen-address="127.0.0.1:$pport" >"$tmp/prometheus.log" 2>&1 &
prom_pid=$!
api() { # PATH -> JSON on stdout
	"$py" -c '
import sys, urllib.request
print(urllib.request.urlopen("http://127.0.0.1:%s%s" % (sys.argv[1], sys.argv[2]), timeout=5).read().decode())
' "$pport" "$1"
}
# The target: found by dockerswarm_sd (the task, global, host-mode port on
# the node's address), and up.
i=0
until api /api/v1/targets >"$tmp/targets.json" 2>/dev/null && "$py" -c '
import json, sys
t = [x for x in json.load(open(sys.argv[1]))["data"]["activeTargets"] if x["labels"]["job"] == "hardock"]
sys.exit(0 if t and all(x["health"] == "up" for x in t) else 1)
' "$tmp/targets.json"; do
	if [ $i -ge 90 ] || ! kill -0 "$prom_pid" 2>/dev/null; then
		cat "$tmp/targets.json" "$tmp/prometheus.log" >"$tmp/prom.err" 2>/dev/null
		nok "Prometheus finds and scrapes the task" "$tmp/prom.err"
		finish
	fi
	sleep 1
	i=$((i + 1))
done
ok "Prometheus finds and scrapes the task"
check "the target is the task of the global service, on the node's address, over TLS" "$py" -c '
import json, sys
lo, port, svc = sys.argv[2], sys.argv[3], sys.argv[4]
t = [x for x in json.load(open(sys.argv[1]))["data"]["activeTargets"] if x["labels"]["job"] == "hardock"]
assert len(t) == 1, t
d = t[0]["discoveredLabels"]
assert d["__address__"] == "%s:%s" % (lo, port), d["__address__"]
assert d["__meta_dockerswarm_service_name"] == svc, d
assert d["__meta_dockerswarm_service_mode"] == "global", d
assert d["__meta_dockerswarm_task_port_publish_mode"] == "host", d
assert d["__meta_dockerswarm_node_address"] == lo, d
assert t[0]["scrapeUrl"] == "https://%s:%s/metrics" % (lo, port), t[0]["scrapeUrl"]
assert t[0]["labels"]["instance"] == d["__meta_dockerswarm_node_hostname"], t[0]["labels"]
' "$tmp/targets.json" "$lo" "$hport" "$svc"
# What Prometheus stored from the scrapes.
query() { # PROMQL -> the result vector as JSON
	"$py" -c '
import json, sys, urllib.parse, urllib.request
u = "http://127.0.0.1:%s/api/v1/query?query=%s" % (sys.argv[1], urllib.parse.quote(sys.argv[2]))
d = json.load(urllib.request.urlopen(u, timeout=5))
assert d["status"] == "success", d
print(json.dumps(d["data"]["result"]))
' "$pport" "$1"
}
value_is() { # PROMQL EXPECTED
	v=$(query "$1" | "$py" -c 'import json,sys; r=json.load(sys.stdin); print(r[0]["value"][1] if len(r)==1 else "n=%d" % len(r))')
	[ "$v" = "$2" ] || { echo "$1 = $v, expected $2"; return 1; }
}
check "up{job=\"hardock\"} is 1" value_is 'up{job="hardock"}' 1
check "hardock_up is 1" value_is 'hardock_up{job="hardock"}' 1
check "hardock_engine_up is 1 (the task reaches its node's engine)" value_is 'hardock_engine_up{job="hardock"}' 1
# The task judges the node it runs on (its hostname is the node's): daemon
# verdicts, not SKIP, and its own container among the engine's.
check "the node's daemon is judged (pass or warn verdicts)" "$py" -c '
import sys; n = int(sys.argv[1]); assert n > 5, n
' "$(query 'count(hardock_check_status{job="hardock",target="daemon",result=~"pass|warn"})' |
	"$py" -c 'import json,sys; r=json.load(sys.stdin); print(r[0]["value"][1] if r else 0)')"
query 'hardock_check_status{job="hardock",target="container"}' >"$tmp/own.json"
check "the exporter's own container is judged" "$py" -c '
import json, sys
r = json.load(open(sys.argv[1]))
names = sorted({x["metric"].get("name", "") for x in r})
assert any(n.startswith(sys.argv[2] + ".") for n in names), names
' "$tmp/own.json" "$svc"
check "the CIS verdicts are stored" "$py" -c '
import sys; n = int(sys.argv[1]); assert n > 20, n
' "$(query 'count(hardock_check_status{job="hardock",benchmark="cis-docker-1.6.0"})' |
	"$py" -c 'import json,sys; r=json.load(sys.stdin); print(r[0]["value"][1] if r else 0)')"

finish
