#!/bin/sh
# `hardock audit engine` against a fake engine (fake-engine.py) replaying
# answers recorded from dockerd 20.10: a healthy engine, one that goes away
# mid-audit, garbage answers, something that is not HTTP or not Docker, an
# API too old, a remote engine, a socket we may not open, and no socket at
# all.  Each case checks the exit code, the messages and, where a report is
# due, its content; the requests the client made are checked too (GET only,
# versioned paths).  Prints "N passed, N failed".
set -u
: "${HARDOCK:?}" "${SRCDIR:?}"
here="$SRCDIR/tests/fake-engine"
tmp=$(mktemp -d /tmp/hd-fake-XXXXXX)
pass=0
fail=0
fake_pid=

stop_fake() {
	if [ -n "$fake_pid" ]; then
		kill "$fake_pid" 2>/dev/null
		wait "$fake_pid" 2>/dev/null
		fake_pid=
	fi
}
cleanup() {
	stop_fake
	rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

ok() { pass=$((pass + 1)); echo "ok - $1"; }
nok() { fail=$((fail + 1)); echo "not ok - $1"; [ -n "${2:-}" ] && sed 's/^/#   /' "$2"; }

# start_fake SCENARIO: serves $tmp/s.sock; the request log is $tmp/requests.
start_fake() {
	rm -f "$tmp/s.sock" "$tmp/s.sock.ready" "$tmp/requests" "$tmp/requests.answered"
	: >"$tmp/requests"
	python3 "$here/fake-engine.py" "$tmp/s.sock" "$here/scenarios/$1.json" "$tmp/requests" \
		>"$tmp/fake.log" 2>&1 &
	fake_pid=$!
	i=0
	while [ ! -e "$tmp/s.sock.ready" ] && [ $i -lt 100 ]; do
		sleep 0.05
		i=$((i + 1))
	done
	[ -e "$tmp/s.sock.ready" ] || { echo "fake engine did not start"; cat "$tmp/fake.log"; exit 1; }
}

# audit [ARGS...]: runs hardock on the fake socket; sets rc, $tmp/out, $tmp/err.
audit() {
	"$HARDOCK" audit engine -H "unix://$tmp/s.sock" "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
}

expect_rc() { # NAME WANT
	if [ "$rc" -eq "$2" ]; then ok "$1: exit $2"; else nok "$1: exit $rc, expected $2" "$tmp/err"; fi
}
expect_err() { # NAME TEXT
	if grep -qF -- "$2" "$tmp/err"; then ok "$1: says '$2'"; else nok "$1: no '$2' on stderr" "$tmp/err"; fi
}
# json_check NAME PYTHON-EXPR (d is the report): true or the case fails.
json_check() {
	if python3 -c "
import json,sys
d=json.load(open('$tmp/out'))
sys.exit(0 if ($2) else 1)" 2>"$tmp/py.err"; then ok "$1"; else nok "$1" "$tmp/py.err"; fi
}
no_crash() { # NAME
	if grep -qE 'AddressSanitizer|runtime error|LeakSanitizer' "$tmp/err"; then
		nok "$1: sanitizer report" "$tmp/err"
	else
		ok "$1: no sanitizer report"
	fi
}

# 1. A healthy engine: every container (created ones too) and the image are judged.
start_fake healthy
audit -f json
expect_rc healthy 1
no_crash healthy
json_check "healthy: three containers, running and created" \
	"sorted({c['subject'] for c in d['checks'] if c['subject'].startswith('container ')}) == \
	 ['container insp1 (created)', 'container priv1 (created)', 'container run1 (running)']"
json_check "healthy: privileged created container is WARN" \
	"any(c['rule']=='container/privileged' and c['subject']=='container priv1 (created)' and c['status']=='WARN' for c in d['checks'])"
json_check "healthy: processes from top are judged (sshd check)" \
	"[c['status'] for c in d['checks'] if c['rule']=='container/sshd-running' and 'run1' in c['subject']] == ['PASS']"
if grep -q '/top?ps_args=' "$tmp/requests"; then ok "healthy: top asked for the running container"; else nok "healthy: top asked" "$tmp/requests"; fi
json_check "healthy: exec session as root is WARN" \
	"any(c['rule']=='engine/exec-root' and 'run1' in c['subject'] and c['status']=='WARN' for c in d['checks'])"
json_check "healthy: swarm checks are NOTE with swarm off" \
	"all(c['status']=='NOTE' for c in d['checks'] if c['rule'].startswith('swarm/')) and \
	 sum(c['rule'].startswith('swarm/') for c in d['checks']) >= 9"
json_check "healthy: image judged" \
	"any(c['rule']=='image/root-user' and c['subject']=='image hd/busybox:1' and c['status']=='WARN' for c in d['checks'])"
if grep -qv '^GET ' "$tmp/requests"; then nok "healthy: only GET requests" "$tmp/requests"; else ok "healthy: only GET requests"; fi
if grep -v '^GET /_ping ' "$tmp/requests" | grep -qv '^GET /v1\.41/'; then
	nok "healthy: versioned paths after negotiation" "$tmp/requests"
else
	ok "healthy: versioned paths after negotiation"
fi
if grep -q '/swarm ' "$tmp/requests"; then nok "healthy: never asks /swarm (join tokens)"; else ok "healthy: never asks /swarm (join tokens)"; fi
stop_fake

# 2. The engine goes away after five answers (ping, the container list, then
# three of images, info and the inspects, which are sent concurrently: which
# of them are answered depends on arrival order, so the report must hold the
# containers whose inspect was answered, and only those).
start_fake goes-away
audit -f json
expect_rc goes-away 2
no_crash goes-away
expect_err goes-away "the engine stopped answering"
expect_err goes-away "could not be read"
inspected=$(grep -cE '^GET /v1\.41/containers/[0-9a-f]{64}/json ' "$tmp/requests.answered")
json_check "goes-away: the report has what was read ($inspected inspects answered), and only that" \
	"$inspected >= 1 and len({c['subject'] for c in d['checks'] if c['subject'].startswith('container ')}) == $inspected"
stop_fake

# 3. /info is HTML: an error naming it; containers still judged.
start_fake garbage-info
audit -f json
expect_rc garbage-info 2
expect_err garbage-info "/info: engine info: the engine's answer is not JSON"
json_check "garbage-info: containers still judged" \
	"len({c['subject'] for c in d['checks'] if c['subject'].startswith('container ')}) == 3"
stop_fake

# 4. One container's inspect has a wrong type: that container is named, others judged.
start_fake garbage-inspect
audit -f json
expect_rc garbage-inspect 2
expect_err garbage-inspect "container 'priv1': HostConfig.Privileged: expected a boolean"
json_check "garbage-inspect: the other two are judged" \
	"sorted({c['subject'] for c in d['checks'] if c['subject'].startswith('container ')}) == \
	 ['container insp1 (created)', 'container run1 (running)']"
stop_fake

# 5. Not HTTP at all.
start_fake not-http
audit
expect_rc not-http 2
expect_err not-http "not HTTP"
no_crash not-http
stop_fake

# 6. HTTP, but not a Docker engine.
start_fake not-docker
audit
expect_rc not-docker 2
expect_err not-docker "does not answer like a Docker engine"
stop_fake

# 7. An engine older than API 1.24.
start_fake old-api
audit
expect_rc old-api 2
expect_err old-api "speaks API 1.12"
stop_fake

# 8. A remote engine: said, and no host or daemon check of this machine is attributed to it.
start_fake remote
audit -f json
expect_rc remote 1
expect_err remote "runs on 'build-server-7', not on this machine"
json_check "remote: engine audit only has engine, container and image subjects" \
	"all(c['subject']=='engine' or c['subject'].startswith(('container ','image ')) for c in d['checks'])"
: >"$tmp/requests"
"$HARDOCK" audit -H "unix://$tmp/s.sock" -f json >"$tmp/out" 2>"$tmp/err"
rc=$?
json_check "remote: a bare audit reports no host or daemon check as the remote engine's" \
	"not any(c['rule'].startswith(('host/','daemon/')) and c['status'] in ('PASS','WARN') for c in d['checks'])"
json_check "remote: host and daemon checks are SKIP, saying why" \
	"[c for c in d['checks'] if c['subject'] in ('host','daemon')] and \
	 all(c['status']=='SKIP' and 'build-server-7' in c['note'] for c in d['checks'] if c['subject'] in ('host','daemon'))"
json_check "remote: a bare audit still judges the engine's containers" \
	"any(c['rule']=='container/privileged' and c['subject']=='container priv1 (created)' and c['status']=='WARN' for c in d['checks'])"
# The daemon part's connection and /info serve the engine part too.
n_ping=$(grep -c '^GET /_ping ' "$tmp/requests")
n_info=$(grep -c '^GET /v1\.41/info ' "$tmp/requests")
if [ "$n_ping" -eq 1 ] && [ "$n_info" -eq 1 ]; then
	ok "remote: a bare audit asks /_ping and /info once"
else
	nok "remote: a bare audit asks /_ping and /info once (asked $n_ping and $n_info times)" "$tmp/requests"
fi
stop_fake

# 9. A socket we may not open (as nobody): permission denied, root-equivalence said.
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null; then
	start_fake permission
	chmod 755 "$tmp"
	setpriv --reuid=65534 --regid=65534 --clear-groups "$HARDOCK" audit engine \
		-H "unix://$tmp/s.sock" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	expect_rc permission 2
	expect_err permission "permission denied"
	expect_err permission "root-equivalent"
	stop_fake
else
	nok "permission: needs root and setpriv to drop to nobody"
fi

# 10. No socket at all.
"$HARDOCK" audit engine -H "unix://$tmp/none.sock" >"$tmp/out" 2>"$tmp/err"
rc=$?
expect_rc no-socket 2
expect_err no-socket "no socket at '$tmp/none.sock'"

# 11. An unsupported transport is refused with advice.
"$HARDOCK" audit engine -H "ssh://me@example.com" >"$tmp/out" 2>"$tmp/err"
rc=$?
expect_rc ssh 2
expect_err ssh "ssh:// engines are not supported"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
