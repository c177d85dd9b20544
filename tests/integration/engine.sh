#!/bin/sh
# `hardock audit engine` against a real dockerd started here, on a private
# socket, data root, exec root and bridge (never another daemon's), with
# images built from a busybox rootfs and ~25 containers in secure and
# insecure set-ups, running, exited and created.  The verdict of every
# container check for every container is compared with the reviewed table
# engine-expected.txt (one line per container, rule and verdict); the
# "be right where docker-bench-security is wrong" cases are also asserted
# one by one.  Then a swarm is initialised on loopback and its checks are
# asserted.  The daemon is stopped by its pid at the end, also on failure.
#
# HD_UPDATE_GOLDEN=1 rewrites engine-expected.txt from this run (review the
# diff by hand).  Prints "N passed, N failed"; fails loudly when dockerd
# cannot start: an audit that did not run is not a pass.
set -u
: "${HARDOCK:?}" "${SRCDIR:?}"
here="$SRCDIR/tests/integration"
expected="$here/engine-expected.txt"
pass=0
fail=0
ok() { pass=$((pass + 1)); }
nok() { fail=$((fail + 1)); echo "not ok - $1"; [ -n "${2:-}" ] && [ -f "$2" ] && sed 's/^/#   /' "$2" | head -40; }
check() { # NAME COMMAND...: ok when the command succeeds
	name=$1
	shift
	if "$@" >/dev/null 2>&1; then ok; echo "ok - $name"; else nok "$name"; fi
}
finish() {
	echo "$pass passed, $fail failed"
	[ "$fail" -eq 0 ]
	exit $?
}

if [ "$(id -u)" -ne 0 ]; then
	nok "the engine integration test starts its own dockerd and needs root"
	finish
fi
for tool in dockerd docker busybox cc python3 ip; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		nok "needs $tool (apt-get install docker.io busybox-static gcc iproute2)"
		finish
	fi
done

tmp=$(mktemp -d /tmp/hde-XXXXXX)
chmod 755 "$tmp"
sock="$tmp/d.sock"
br="hde$$"
br=$(printf '%.15s' "$br")
dockerd_pid=
D() { docker -H "unix://$sock" "$@"; }

cleanup() {
	if [ -n "$dockerd_pid" ]; then
		D swarm leave --force >/dev/null 2>&1
		# Containers first: killing dockerd alone leaves their shims running.
		ids=$(D ps -aq 2>/dev/null) || ids=
		[ -n "$ids" ] && D rm -f $ids >/dev/null 2>&1
		# Networks too: their bridges outlive a killed dockerd and use up address pools.
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
	# Mounts the daemon may have left under our directories, deepest first.
	awk -v t="$tmp" 'index($2, t) == 1 { print $2 }' /proc/mounts | sort -r | while read -r m; do
		umount -l "$m" 2>/dev/null
	done
	ip link del "$br" 2>/dev/null
	# A bridge of our network that dockerd did not remove (it sometimes does
	# not, when stopped while the network is busy) goes too.
	if [ -n "${net_subnet:-}" ]; then
		for l in $(ip -o -4 addr show to "$net_subnet" 2>/dev/null | awk '{print $2}'); do
			ip link del "$l" 2>/dev/null
		done
	fi
	# Whatever still runs from our directories (shims of containers dockerd
	# could not stop) is ours to stop too.
	pkill -KILL -f -- "$tmp/" 2>/dev/null || true
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

# ---- the daemon --------------------------------------------------------------------
# Several runs of this test may share the machine: random subnet, loopback
# address and ports, so that none of them collide.
rnd() { od -An -N2 -tu2 /dev/urandom | tr -d ' '; }
net=$(( $(rnd) % 200 + 20 ))
ip link add "$br" type bridge && ip addr add "10.213.$net.1/24" dev "$br" && ip link set "$br" up || {
	nok "cannot create the private bridge $br"
	finish
}
# TLS files for a TCP listener beside the socket, made by hardock itself.
tport=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$HARDOCK" tls init --host localhost --ip 127.0.0.1 --out "$tmp/tls" --key p256 --port "$tport" \
	>"$tmp/tls.log" 2>&1 || { nok "hardock tls init" "$tmp/tls.log"; finish; }
dockerd --host "unix://$sock" --host "tcp://127.0.0.1:$tport" --tlsverify \
	--tlscacert "$tmp/tls/server/ca.pem" --tlscert "$tmp/tls/server/server-cert.pem" \
	--tlskey "$tmp/tls/server/server-key.pem" --data-root "$tmp/data" --exec-root "$tmp/exec" \
	--pidfile "$tmp/pid" --bridge "$br" --iptables=false --ip-forward=false --ip-masq=false \
	>"$tmp/dockerd.log" 2>&1 &
dockerd_pid=$!
i=0
until D version >/dev/null 2>&1; do
	if ! kill -0 "$dockerd_pid" 2>/dev/null || [ $i -ge 600 ]; then
		nok "dockerd did not start" "$tmp/dockerd.log"
		tail -20 "$tmp/dockerd.log"
		finish
	fi
	sleep 0.1
	i=$((i + 1))
done
echo "ok - dockerd $dockerd_pid on $sock"
ok

# ---- images -----------------------------------------------------------------------
mkdir -p "$tmp/rootfs/bin" "$tmp/rootfs/usr/sbin" "$tmp/rootfs/tmp" "$tmp/rootfs/etc"
cp "$(command -v busybox)" "$tmp/rootfs/bin/busybox"
# No ps on purpose: docker-bench's sshd check needs one in the image.
for a in sh sleep cat true false id mkdir cp echo env; do ln -s busybox "$tmp/rootfs/bin/$a"; done
echo 'root:x:0:0:root:/root:/bin/sh' >"$tmp/rootfs/etc/passwd"
echo 'app:x:1000:1000:app:/tmp:/bin/sh' >>"$tmp/rootfs/etc/passwd"
tar -C "$tmp/rootfs" -cf "$tmp/base.tar" . && D import "$tmp/base.tar" hd/base:1 >/dev/null || {
	nok "docker import of the busybox rootfs failed"
	finish
}
build() { # TAG DOCKERFILE-TEXT [FILE...]
	tag=$1
	dir="$tmp/ctx-$(echo "$tag" | tr '/:' '__')"
	mkdir -p "$dir"
	printf '%s\n' "$2" >"$dir/Dockerfile"
	shift 2
	for f in "$@"; do cp "$f" "$dir/"; done
	DOCKER_BUILDKIT=0 D build -q -t "$tag" "$dir" >"$tmp/build.log" 2>&1 || {
		nok "docker build $tag" "$tmp/build.log"
		finish
	}
}
# A static program that sleeps, installed as /usr/sbin/sshd: busybox cannot
# run under that name (it picks the applet from argv[0]).
printf '#include <unistd.h>\nint main(void) { for (;;) pause(); }\n' >"$tmp/sleeper.c"
cc -static -O2 -o "$tmp/sshd" "$tmp/sleeper.c" || { nok "cannot build the static sleeper"; finish; }
build hd/root:1 'FROM hd/base:1
CMD ["sleep", "3600"]'
build hd/app:1 'FROM hd/base:1
USER 1000:1000
HEALTHCHECK --interval=5s CMD ["true"]
CMD ["sleep", "3600"]'
build hd/sshd:1 'FROM hd/base:1
COPY sshd /usr/sbin/sshd
EXPOSE 22
CMD ["/usr/sbin/sshd", "-D"]' "$tmp/sshd"
build hd/sick:1 'FROM hd/base:1
USER 1000
HEALTHCHECK --interval=1s --timeout=1s --retries=1 CMD ["false"]
CMD ["sleep", "3600"]'
build hd/leaky:1 'FROM hd/base:1
ENV API_TOKEN=ghp_0123456789abcdefghijABCDEFGHIJ012345
USER 1000
CMD ["sleep", "3600"]'
# An explicit random subnet: dockerd's default pools can be taken by other
# daemons' networks on this machine.
net_subnet="10.215.$(( $(od -An -N2 -tu2 /dev/urandom | tr -d " ") % 250 + 1 )).0/24"
D network create --subnet "$net_subnet" hdnet >/dev/null || { nok "docker network create"; finish; }

# ---- containers --------------------------------------------------------------------
SEC="--network hdnet --cgroupns private -u 1000:1000 --read-only --cap-drop ALL --security-opt no-new-privileges -m 64m --cpus 0.5 --pids-limit 64 --restart on-failure:5"
run() { # NAME ARGS... (image and command last)
	n=$1
	shift
	D run -d --name "$n" "$@" >"$tmp/run.log" 2>&1 || nok "docker run $n" "$tmp/run.log"
}
mkdir -p "$tmp/data-a" "$tmp/data-b"
# shellcheck disable=SC2086
{
run secure $SEC hd/app:1
run defaults hd/root:1
run hostnet --network host hd/root:1
run rootfs-ro --network hdnet -v /:/host:ro hd/root:1
run own-socket --network hdnet -v "$sock:/var/run/docker.sock" hd/root:1
run run-dir --network hdnet -v /var/run:/x hd/root:1
run daemon-dir --network hdnet -v "$tmp:/t" hd/root:1
run hostpid --network hdnet --pid host hd/root:1
run hostipc --network hdnet --ipc host hd/root:1
run caps --network hdnet --cap-add SYS_ADMIN --cap-add NET_ADMIN hd/root:1
run readonly --network hdnet --read-only hd/root:1
run nnp --network hdnet --security-opt no-new-privileges hd/root:1
run user1000 --network hdnet -u 1000 hd/root:1
run port-all --network hdnet -p 80 hd/root:1
run port-local --network hdnet -p 127.0.0.1::80 hd/root:1
run restart-always --network hdnet --restart always hd/root:1
run restart-limited --network hdnet --restart on-failure:5 hd/root:1
run restart-many --network hdnet --restart on-failure:10 hd/root:1
run auth-off --network hdnet -e POSTGRES_HOST_AUTH_METHOD=trust -p 127.0.0.1::5432 hd/root:1
run cmdline-secret --network hdnet hd/root:1 sh -c 'sleep 600' x --password s3cr3t-Passw0rd
run ulimits --network hdnet --ulimit nofile=1024:2048 hd/root:1
run pids --network hdnet --pids-limit 100 hd/root:1
run sshd --network hdnet hd/sshd:1
run unconfined --network hdnet --security-opt seccomp=unconfined --security-opt apparmor=unconfined --security-opt label=disable hd/root:1
run order-a --network hdnet -v /etc:/a:ro -v "$tmp/data-a:/b" hd/root:1
run order-b --network hdnet -v "$tmp/data-a:/b" -v /etc:/a:ro hd/root:1
run sick --network hdnet hd/sick:1
run leaky --network hdnet hd/leaky:1
}
run crashloop --network hdnet --restart always hd/root:1 false
D create --name privileged --network hdnet --privileged hd/root:1 >/dev/null || nok "docker create privileged"
# shellcheck disable=SC2086
D create --name created-secure $SEC hd/app:1 >/dev/null || nok "docker create created-secure"
D run --name exited --network hdnet hd/root:1 true >/dev/null 2>&1 || nok "docker run exited"
D exec -d defaults sleep 600 || nok "docker exec defaults"
D exec -d -u 1000 secure sleep 600 || nok "docker exec secure"
# Wait for the crash loop (restarts back off from 100 ms) and the failing healthcheck.
i=0
until [ "$(D inspect -f '{{.RestartCount}}' crashloop 2>/dev/null)" -gt 5 ] 2>/dev/null || [ $i -ge 200 ]; do
	sleep 0.2
	i=$((i + 1))
done
i=0
until [ "$(D inspect -f '{{.State.Health.Status}}' sick 2>/dev/null)" = unhealthy ] || [ $i -ge 100 ]; do
	sleep 0.2
	i=$((i + 1))
done

# ---- the audit ---------------------------------------------------------------------
"$HARDOCK" audit engine -H "unix://$sock" -f json >"$tmp/audit.json" 2>"$tmp/audit.err"
rc=$?
if [ $rc -eq 1 ]; then ok; echo "ok - audit exits 1 (findings)"; else nok "audit exit $rc, expected 1" "$tmp/audit.err"; fi
if grep -qE 'AddressSanitizer|runtime error|LeakSanitizer' "$tmp/audit.err"; then
	nok "sanitizer report" "$tmp/audit.err"
fi
verdicts() { # JSON: "name state rule status" per container check, sorted
	python3 - "$1" <<'EOF' | sort
import json, sys
d = json.load(open(sys.argv[1]))
for c in d["checks"]:
    s = c["subject"]
    if not s.startswith("container "):
        continue
    name, state = s[len("container "):].rsplit(" (", 1)
    print(name, state.rstrip(")"), c["rule"], c["status"])
EOF
}
verdicts "$tmp/audit.json" >"$tmp/all.txt" || nok "cannot read the audit's JSON"
# The crash-looping container changes state between runs: checked on its own below.
grep -v '^crashloop ' "$tmp/all.txt" >"$tmp/actual.txt"
if [ "${HD_UPDATE_GOLDEN:-0}" = 1 ]; then
	cp "$tmp/actual.txt" "$expected"
	echo "# wrote $expected"
fi
# Every expected verdict, one assertion each; then nothing unexpected.
while read -r name state rule status; do
	if grep -qx "$name $state $rule $status" "$tmp/actual.txt"; then
		ok
	else
		got=$(awk -v n="$name" -v r="$rule" '$1 == n && $3 == r { print $2, $4 }' "$tmp/actual.txt")
		nok "$name: $rule expected $status ($state), got ${got:-nothing}"
	fi
done <"$expected"
extra=$(sort "$expected" | comm -13 - "$tmp/actual.txt")
if [ -n "$extra" ]; then
	echo "$extra" >"$tmp/extra.txt"
	nok "verdicts not in $expected" "$tmp/extra.txt"
else
	ok
fi
echo "ok - $(wc -l <"$expected") container verdicts compared"

# ---- be right where docker-bench-security is wrong ------------------------------------
v() { awk -v n="$1" -v r="$2" '$1 == n && $3 == r { print $4 }' "$tmp/actual.txt"; }
is() { # NAME CONTAINER RULE STATUS
	got=$(v "$2" "$3")
	if [ "$got" = "$4" ]; then ok; echo "ok - $1"; else nok "$1: $2 $3 is '${got:-missing}', expected $4"; fi
}
is "restart always is not a pass" restart-always container/restart-policy WARN
is "a bounded restart policy passes" restart-limited container/restart-policy PASS
is "a mount of the socket's directory is a socket mount" run-dir container/docker-socket-mount WARN
is "the engine's own socket away from /var/run is a socket mount" own-socket container/docker-socket-mount WARN
is "a directory holding the engine's socket is a socket mount" daemon-dir container/docker-socket-mount WARN
is "a directory holding the engine's data root is a sensitive mount" daemon-dir container/sensitive-host-mount WARN
is "created containers are audited" privileged container/privileged WARN
is "stopped containers are audited" exited container/runs-as-root WARN
is "label=disable (which dockerd adds itself for --privileged, --pid host, --ipc host) is no warning where there is no SELinux" unconfined container/selinux-disabled NOTE
is "an explicit apparmor=unconfined is a warning even on a host without AppArmor" unconfined container/apparmor-unconfined WARN
is "no AppArmor option on a host without AppArmor is a note" defaults container/apparmor-unconfined NOTE
is "on-failure:10 is more than CIS 5.15's 5 retries" restart-many container/restart-policy WARN
is "authentication turned off by environment" auth-off container/auth-disabled WARN
is "no authentication switch, no warning" defaults container/auth-disabled PASS
is "a password on the container's command line" cmdline-secret container/secret-on-command-line WARN
is "no secret on the command line" defaults container/secret-on-command-line PASS
is "seccomp=unconfined is a warning" unconfined container/seccomp-unconfined WARN
is "sshd found through top in an image without ps" sshd container/sshd-running WARN
is "no sshd, no warning" defaults container/sshd-running PASS
a=$(v order-a container/sensitive-host-mount)
b=$(v order-b container/sensitive-host-mount)
if [ "$a" = WARN ] && [ "$a" = "$b" ]; then ok; echo "ok - sensitive-mount verdict does not depend on mount order"; else nok "mount order: $a vs $b"; fi
grep -q "container privileged (created)" "$tmp/audit.json" && grep -q "container exited (exited)" "$tmp/audit.json" &&
	grep -q '(all audited)' "$tmp/audit.err" && { ok; echo "ok - states said"; } || nok "states of containers not said" "$tmp/audit.err"
is "exec as root is a warning" defaults engine/exec-root WARN
is "exec as 1000 is fine" secure engine/exec-root PASS
is "containers on the default bridge (docker0)" defaults engine/default-bridge WARN
is "containers on a user network are not" secure engine/default-bridge PASS
is "an unhealthy container is reported" sick engine/health-failing WARN
cl=$(awk '$1 == "crashloop" && $3 == "engine/restart-loop" { print $4 }' "$tmp/all.txt")
if [ "$cl" = WARN ]; then ok; echo "ok - a crash loop is reported"; else nok "crashloop: engine/restart-loop is '$cl'"; fi
is "no crash loop, no warning" restart-always engine/restart-loop PASS

# Image checks.
python3 - "$tmp/audit.json" >"$tmp/images.txt" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
for c in d["checks"]:
    if c["subject"].startswith("image "):
        print(c["subject"][6:], c["rule"], c["status"])
EOF
iv() { awk -v n="$1" -v r="$2" '$1 == n && $2 == r { print $3 }' "$tmp/images.txt"; }
iis() { got=$(iv "$2" "$3"); if [ "$got" = "$4" ]; then ok; echo "ok - $1"; else nok "$1: $2 $3 is '${got:-missing}', expected $4"; fi; }
iis "image without USER" hd/root:1 image/root-user WARN
iis "image with USER 1000" hd/app:1 image/root-user PASS
iis "image without HEALTHCHECK" hd/root:1 image/no-healthcheck WARN
iis "image with HEALTHCHECK" hd/app:1 image/no-healthcheck PASS
iis "token in the image's ENV" hd/leaky:1 image/secret-in-env WARN
iis "image exposing 22" hd/sshd:1 image/admin-port-exposed WARN
iis "image in use" hd/app:1 image/unused PASS

# Engine-wide checks with swarm off: NOTE, never PASS.
python3 - "$tmp/audit.json" >"$tmp/engine.txt" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
for c in d["checks"]:
    if c["subject"] == "engine":
        print(c["rule"], c["status"], c.get("note", "-"))
EOF
if awk '$1 ~ /^swarm\// && $2 != "NOTE" { bad = 1 } END { exit bad }' "$tmp/engine.txt" &&
	[ "$(grep -c '^swarm/.* NOTE swarm mode is off' "$tmp/engine.txt")" -ge 9 ]; then
	ok; echo "ok - swarm checks are NOTE (swarm is off), not PASS"
else
	nok "swarm checks with swarm off" "$tmp/engine.txt"
fi
check "swarm mode off passes 5.1" grep -q '^engine/swarm-mode PASS' "$tmp/engine.txt"
# Issue 11: a cgroup namespace shared by the daemon's default is one engine-level
# finding naming the containers, not one finding per container.
cgv=$(D info --format '{{.CgroupVersion}}' 2>/dev/null)
if [ "$cgv" = 1 ]; then
	check "cgroup v1: engine/cgroupns-host-default once" python3 -c "
import json; d=json.load(open('$tmp/audit.json'))
f=[x for x in d['findings'] if x['rule']=='engine/cgroupns-host-default']
assert not [x for x in d['findings'] if x['rule']=='container/host-cgroupns'], 'per-container findings'
n=[c for c in d['checks'] if c['rule']=='container/host-cgroupns' and c['status']=='NOTE']
assert n and all('engine/cgroupns-host-default' in c['note'] for c in n)
assert len(f) == 1 and ('%d containers share it' % len(n)) in f[0]['message'], (len(n), f)"
else
	check "cgroup v$cgv: engine/cgroupns-host-default passes" grep -q '^engine/cgroupns-host-default PASS' "$tmp/engine.txt"
fi

# The same verdicts when processes come from the engine's top endpoint instead of /proc.
"$HARDOCK" audit engine -H "unix://$sock" --engine-top -f json >"$tmp/top.json" 2>/dev/null
check "--engine-top: sshd found through the top endpoint" python3 -c "
import json; d=json.load(open('$tmp/top.json'))
v={c['subject']: c['status'] for c in d['checks'] if c['rule']=='container/sshd-running'}
assert v['container sshd (running)'] == 'WARN' and v['container defaults (running)'] == 'PASS', v
assert any(f['field'].startswith('top: PID') for f in d['findings'] if f['rule']=='container/sshd-running')"
check "/proc: sshd found without the top endpoint" python3 -c "
import json; d=json.load(open('$tmp/audit.json'))
assert any(f['field'].startswith('proc: PID') for f in d['findings'] if f['rule']=='container/sshd-running')"

# Narrowing to one container.
"$HARDOCK" audit engine -H "unix://$sock" --container sshd -f json >"$tmp/one.json" 2>/dev/null
check "--container narrows the audit" python3 -c "
import json; d=json.load(open('$tmp/one.json'))
s={c['subject'] for c in d['checks']}
assert s == {'container sshd (running)'}, s"
"$HARDOCK" audit engine -H "unix://$sock" --container nosuch >/dev/null 2>"$tmp/err"
rc=$?
check "--container with an unknown name is an error (exit 2)" test $rc -eq 2
check "... that names it" grep -q "no container 'nosuch'" "$tmp/err"
D tag hd/base:1 hd/plain >/dev/null
"$HARDOCK" audit engine -H "unix://$sock" --image hd/plain -f json >"$tmp/one.json" 2>/dev/null
check "--image NAME means NAME:latest and narrows to that image" python3 -c "
import json; d=json.load(open('$tmp/one.json'))
s={c['subject'] for c in d['checks']}
assert len(s) == 1 and list(s)[0].startswith('image hd/'), s"

# ---- the same engine over TCP with TLS, chosen as the docker CLI chooses ----------------
subjects() { python3 -c "
import json,sys; d=json.load(open(sys.argv[1]))
print(' '.join(sorted(c['subject'] for c in d['checks'] if c['subject'].startswith('container ') and 'crashloop' not in c['subject'])))" "$1"; }
subjects "$tmp/audit.json" >"$tmp/subjects.unix"
tls_case() { # NAME, then the command's environment and arguments
	name=$1
	shift
	env "$@" -f json >"$tmp/tls.json" 2>"$tmp/tls.err"
	rc=$?
	if [ $rc -eq 1 ] && subjects "$tmp/tls.json" | cmp -s - "$tmp/subjects.unix"; then
		ok; echo "ok - $name"
	else
		nok "$name: exit $rc" "$tmp/tls.err"
	fi
}
C="$tmp/tls/client"
tls_case "TCP+TLS from flags" "$HARDOCK" audit engine -H "tcp://127.0.0.1:$tport" --tlsverify \
	--tlscacert "$C/ca.pem" --tlscert "$C/cert.pem" --tlskey "$C/key.pem"
tls_case "TCP+TLS from DOCKER_HOST, DOCKER_TLS_VERIFY, DOCKER_CERT_PATH" \
	DOCKER_HOST="tcp://localhost:$tport" DOCKER_TLS_VERIFY=1 DOCKER_CERT_PATH="$C" \
	"$HARDOCK" audit engine
# A context made by the docker CLI itself, current in its config.json.
cfg="$tmp/docker-config"
mkdir -p "$cfg"
if docker --config "$cfg" context create hdctx --docker \
	"host=tcp://localhost:$tport,ca=$C/ca.pem,cert=$C/cert.pem,key=$C/key.pem" >/dev/null 2>&1 &&
	docker --config "$cfg" context use hdctx >/dev/null 2>&1; then
	tls_case "the docker CLI's current context (DOCKER_CONFIG)" DOCKER_CONFIG="$cfg" "$HARDOCK" audit engine
	tls_case "--context NAME with --docker-config" "$HARDOCK" audit engine --docker-config "$cfg" --context hdctx
	tls_case "DOCKER_HOST wins over the current context" DOCKER_CONFIG="$cfg" DOCKER_HOST="unix://$sock" \
		"$HARDOCK" audit engine
else
	nok "docker context create"
fi
"$HARDOCK" audit engine -H "tcp://127.0.0.1:$tport" --tlsverify --tlscacert "$C/ca.pem" >/dev/null 2>"$tmp/err"
rc=$?
check "TLS without the client certificate: exit 2" test $rc -eq 2
check "... and the error says TLS" grep -qi "tls" "$tmp/err"
"$HARDOCK" audit engine -H "tcp://127.0.0.1:$tport" >/dev/null 2>"$tmp/err"
rc=$?
check "plain HTTP to a TLS port: exit 2" test $rc -eq 2

# ---- swarm --------------------------------------------------------------------------
# Its own loopback address (gossip binds port 7946 on it) and free ports.
lo="127.$(( $(rnd) % 250 + 2 )).$(( $(rnd) % 250 + 2 )).$(( $(rnd) % 250 + 2 ))"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
# The data path (VXLAN) port must be in 1024-49151.
dport=$(python3 -c '
import random, socket
for _ in range(200):
    p = random.randint(20000, 49151)
    try:
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("0.0.0.0", p)); s.close(); break
    except OSError:
        pass
print(p)')
if D swarm init --listen-addr "$lo:$port" --advertise-addr "$lo:$port" \
	--data-path-port "$dport" >"$tmp/swarm.log" 2>&1; then
	ok
	D network create -d overlay plain-ovl >/dev/null
	D network create -d overlay --opt encrypted secret-ovl >/dev/null
	D service create -d --name web --network plain-ovl -p 80 hd/app:1 >/dev/null 2>&1
	"$HARDOCK" audit engine -H "unix://$sock" -f json >"$tmp/swarm.json" 2>"$tmp/swarm.err"
	python3 - "$tmp/swarm.json" >"$tmp/engine.txt" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
for c in d["checks"]:
    if c["subject"] == "engine":
        print(c["rule"], c["status"])
EOF
	sw() { check "swarm: $1 $2" grep -qx "$1 $2" "$tmp/engine.txt"; }
	sw engine/swarm-mode INFO
	sw swarm/autolock-disabled WARN
	sw swarm/manager-count PASS
	sw swarm/listen-all-interfaces PASS
	sw swarm/overlay-unencrypted WARN
	sw swarm/service-published-everywhere WARN
	sw swarm/no-secrets INFO
	sw swarm/node-cert-expiry PASS
	sw swarm/ca-cert-expiry PASS
	check "swarm: only the unencrypted overlay is named" \
		python3 -c "
import json; d=json.load(open('$tmp/swarm.json'))
m=[f['message'] for f in d['findings'] if f['rule']=='swarm/overlay-unencrypted']
assert len(m)==1 and 'plain-ovl' in m[0], m"
	D service rm web >/dev/null 2>&1
	D swarm leave --force >/dev/null 2>&1
else
	nok "docker swarm init on $lo:$port" "$tmp/swarm.log"
fi

finish
