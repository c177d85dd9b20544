#!/bin/sh
# Proof that `hardock tls init` produces working TLS for dockerd: a real
# dockerd (its own socket, data and exec roots, pidfile; --bridge=none,
# --iptables=false) listens with --tlsverify on 127.0.0.1 with the generated
# server files, and the docker CLI talks to it.  Only a client holding the
# generated client certificate gets in: without a certificate, with a
# certificate from another CA, and over plain HTTP it is refused.  The daemon
# is stopped by its pid.  No daemon is a failure, not a skip.
set -u
: "${HARDOCK:?}"
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL $*"; }
finish() {
	echo "$pass passed, $fail failed"
	[ $fail = 0 ]
	exit $?
}

if [ "$(id -u)" != 0 ]; then
	bad "dockerd must be started as root"
	finish
fi
for prog in dockerd docker; do
	if ! command -v $prog >/dev/null; then
		bad "$prog is not installed (apt-get install docker.io)"
		finish
	fi
done

D=$(mktemp -d /tmp/hdtls.XXXXXX)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
stop() {
	if [ -f "$D/pid" ]; then
		pid=$(cat "$D/pid")
		kill "$pid" 2>/dev/null
		i=0
		while kill -0 "$pid" 2>/dev/null && [ $i -lt 60 ]; do
			sleep 0.5
			i=$((i + 1))
		done
		kill -9 "$pid" 2>/dev/null
	fi
	rm -rf "$D"
}
trap stop EXIT

# The files, as a user would make them (RSA 4096, like seed 001).
if "$HARDOCK" tls init --host localhost --ip 127.0.0.1 --out "$D/tls" --port "$PORT" >"$D/init.out" 2>&1; then ok; else bad "tls init failed"; cat "$D/init.out"; finish; fi
grep -q "export DOCKER_HOST=tcp://localhost:$PORT" "$D/init.out" && ok || bad "tls init: DOCKER_HOST line"
grep -q '"tlsverify": true' "$D/init.out" && ok || bad "tls init: daemon.json snippet"
# A second CA, whose client certificate the daemon must refuse.
"$HARDOCK" tls init --host localhost --out "$D/other" --key p256 >/dev/null 2>&1 || bad "second tls init"

dockerd --host "tcp://127.0.0.1:$PORT" --tlsverify \
	--tlscacert "$D/tls/server/ca.pem" --tlscert "$D/tls/server/server-cert.pem" \
	--tlskey "$D/tls/server/server-key.pem" \
	--host "unix://$D/docker.sock" --data-root "$D/data" --exec-root "$D/exec" \
	--pidfile "$D/pid" --bridge=none --iptables=false >"$D/dockerd.log" 2>&1 &
i=0
until [ -S "$D/docker.sock" ] && docker -H "unix://$D/docker.sock" version >/dev/null 2>&1; do
	i=$((i + 1))
	if [ $i -gt 120 ] || ! kill -0 $! 2>/dev/null; then
		bad "dockerd did not start"
		tail -20 "$D/dockerd.log"
		finish
	fi
	sleep 0.5
done
ok

# With the client certificate, through DOCKER_CERT_PATH as printed: works.
v=$(DOCKER_HOST="tcp://127.0.0.1:$PORT" DOCKER_TLS_VERIFY=1 DOCKER_CERT_PATH="$D/tls/client" \
	docker version --format '{{.Server.Version}}' 2>"$D/with.err")
if [ $? = 0 ] && [ -n "$v" ]; then ok; else bad "with the client certificate: refused"; cat "$D/with.err"; fi
# By name: the server certificate's SAN must match "localhost" too.
if DOCKER_HOST="tcp://localhost:$PORT" DOCKER_TLS_VERIFY=1 DOCKER_CERT_PATH="$D/tls/client" \
	docker info --format '{{.ServerVersion}}' >/dev/null 2>"$D/name.err"; then ok; else bad "by name: refused"; cat "$D/name.err"; fi

# Without a client certificate: refused.
if docker --tlsverify --tlscacert "$D/tls/client/ca.pem" -H "tcp://127.0.0.1:$PORT" version \
	>/dev/null 2>"$D/without.err"; then bad "without a client certificate: accepted"; else ok; fi
grep -qi "certificate" "$D/without.err" && ok || { bad "without: unexpected error"; cat "$D/without.err"; }
# With a client certificate of another CA: refused.
if docker --tlsverify --tlscacert "$D/tls/client/ca.pem" --tlscert "$D/other/client/cert.pem" \
	--tlskey "$D/other/client/key.pem" -H "tcp://127.0.0.1:$PORT" version >/dev/null 2>"$D/other.err"; then
	bad "with another CA's client certificate: accepted"
else
	ok
fi
# Plain HTTP: refused.
if docker -H "tcp://127.0.0.1:$PORT" version >/dev/null 2>"$D/plain.err"; then bad "plain HTTP: accepted"; else ok; fi
# A client that does not trust the daemon's CA refuses the daemon.
if docker --tlsverify --tlscacert "$D/other/client/ca.pem" --tlscert "$D/tls/client/cert.pem" \
	--tlskey "$D/tls/client/key.pem" -H "tcp://127.0.0.1:$PORT" version >/dev/null 2>&1; then
	bad "client trusting another CA: accepted the daemon"
else
	ok
fi

# The running daemon, audited live through its own /proc entry is not done
# here (other daemons may run); the same files audited offline pass.
R="$D/root"
mkdir -p "$R/etc/docker/tls"
cp "$D/tls/server/ca.pem" "$D/tls/server/server-cert.pem" "$D/tls/server/server-key.pem" "$R/etc/docker/tls/"
cat >"$R/etc/docker/daemon.json" <<JSON
{
  "hosts": ["tcp://127.0.0.1:$PORT"],
  "tlsverify": true,
  "tlscacert": "/etc/docker/tls/ca.pem",
  "tlscert": "/etc/docker/tls/server-cert.pem",
  "tlskey": "/etc/docker/tls/server-key.pem"
}
JSON
"$HARDOCK" audit daemon --root "$R" --format json -o "$D/audit.json" 2>/dev/null
python3 -c 'import json,sys
bad = [c["rule"] for c in json.load(open(sys.argv[1]))["checks"] if c["rule"].startswith(("daemon/tls-", "daemon/file-ca", "daemon/file-server")) and c["status"] != "PASS"]
sys.exit(1 if bad else 0)' "$D/audit.json" && ok || bad "the generated files do not pass the TLS checks"

finish
