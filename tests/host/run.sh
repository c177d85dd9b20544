#!/bin/sh
# The host and daemon audits on the fixture roots: every check's verdict on
# tests/fixtures/host-hardened and host-careless (built at run time by
# mkroot.py, which sets the modes, owners and sockets git cannot keep),
# findings at their exact positions, the text report, bad input of every kind
# (a clear finding or error, never a crash or a hang), and `hardock harden`.
# Needs root: the fixtures have files owned by other users.  Never reads the
# real /etc: every command gets --root or --in.
set -u
: "${HARDOCK:?}" "${SRCDIR:?}"
export NO_COLOR=1
pass=0 fail=0
FIX="$SRCDIR/tests/fixtures"
tmp=$(mktemp -d /tmp/hdhost.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL $*"; }
check() { # NAME COMMAND...: the command must succeed
	name=$1
	shift
	if "$@" >"$tmp/check.out" 2>&1; then ok; else bad "$name"; head -c 800 "$tmp/check.out"; fi
}
# run NAME EXITS PATTERN -- hardock args: exit in EXITS, no sanitizer report,
# output (stdout+stderr) matching PATTERN (an extended regexp, may be empty).
run() {
	_n=$1 _exits=$2 _pat=$3
	shift 4
	timeout 60 "$HARDOCK" "$@" >"$tmp/$_n.out" 2>"$tmp/$_n.err"
	_code=$?
	_good=1
	case " $_exits " in *" $_code "*) ;; *) _good=0 ;; esac
	if grep -q "Sanitizer\|runtime error:" "$tmp/$_n.err"; then _good=0; fi
	if [ -n "$_pat" ] && ! cat "$tmp/$_n.out" "$tmp/$_n.err" | grep -E -- "$_pat" >/dev/null; then _good=0; fi
	if [ $_good = 1 ]; then
		ok
	else
		bad "$_n: exit $_code (wanted $_exits, output matching '$_pat')"
		head -c 1200 "$tmp/$_n.err"
		head -c 1200 "$tmp/$_n.out"
	fi
}
verdicts() { # JSON file -> "rule STATUS" lines, sorted
	python3 -c 'import json,sys
d=json.load(open(sys.argv[1]))
for c in sorted(d["checks"], key=lambda c: c["rule"]): print(c["rule"], c["status"])' "$1"
}
mkroot() { python3 "$SRCDIR/tests/host/mkroot.py" "$FIX" "$1" "$2" "$HARDOCK"; }

if [ "$(id -u)" != 0 ]; then
	echo "FAIL: the host fixtures need root (files owned by other users, sockets with groups)"
	echo "0 passed, 1 failed"
	exit 1
fi

# 1. Every check's verdict on both fixture roots.
for name in host-hardened host-careless; do
	root="$tmp/$name"
	if ! mkroot "$name" "$root"; then
		bad "$name: cannot build the fixture root"
		continue
	fi
	run "$name-json" "0 1 2" "" -- audit --root "$root" --format json -o "$tmp/$name.json"
	verdicts "$tmp/$name.json" >"$tmp/$name.verdicts" 2>&1
	if diff -u "$FIX/$name.verdicts" "$tmp/$name.verdicts" >"$tmp/$name.diff"; then
		ok
	else
		bad "$name: verdicts differ"
		cat "$tmp/$name.diff"
	fi
done
H="$tmp/host-hardened" C="$tmp/host-careless"

# Exit codes: the hardened host has nothing at low or above; the careless one
# has a daemon.json dockerd refuses (an input error: exit 2).
run hardened-exit "0" "" -- audit --root "$H" --fail-on low -q
run careless-exit "2" "" -- audit --root "$C" -q

# 2. Findings at their positions, with specific messages.
J="$tmp/host-careless.json"
has() { # NAME REGEX: some finding line of the careless JSON (rule|file:line:col|severity|message) matches
	if python3 -c 'import json,sys
for f in json.load(open(sys.argv[1]))["findings"]:
    print("%s|%s:%s:%s|%s|%s" % (f["rule"], f.get("file",""), f.get("line",0), f.get("column",0), f["severity"], f["message"]))' "$J" | grep -E -- "$2" >/dev/null; then ok; else bad "$1: no finding matching '$2'"; fi
}
hasnt() {
	if python3 -c 'import json,sys
for f in json.load(open(sys.argv[1]))["findings"]: print(f["rule"], f["message"])' "$J" | grep -E -- "$2" >/dev/null; then bad "$1: unexpected finding '$2'"; else ok; fi
}
has unknown-key 'daemon/unknown-option\|/etc/docker/daemon.json:13:3\|high\|.*live_restore.*did you mean .live-restore'
has flag-name-key 'daemon/config-ignored\|/etc/docker/daemon.json:6:3\|.*insecure-registries'
has duplicate-key "daemon/config-ignored\|/etc/docker/daemon.json:4:3\|.*'log-level' is given twice"
has bad-type 'daemon/config-invalid\|/etc/docker/daemon.json:14:36\|error\|.*max-file.*must be a string'
has conflict-hosts "daemon/config-conflict\|/etc/docker/daemon.json:2:3\|.*'hosts'.*-H fd://.*10-proxy.conf:4"
has conflict-icc "daemon/config-conflict\|/etc/docker/daemon.json:3:3\|.*'--icc=true'"
has two-execstart 'daemon/config-invalid\|/etc/systemd/system/docker.service.d/10-proxy.conf:4:.*2 ExecStart= lines'
has env-file-line 'daemon/config-ignored\|/etc/default/docker:3:1\|'
has plaintext-tcp 'daemon/tls-auth\|/etc/docker/daemon.json:2:13\|critical\|.*tcp://0.0.0.0:2375 without TLS'
has icc-from-quoted-dropin 'daemon/icc\|/etc/systemd/system/docker.service.d/10-proxy.conf:5:2\|'
has proxy-quoted-word 'daemon/userland-proxy\|/etc/systemd/system/docker.service.d/10-proxy.conf:4:38\|'
has insecure-item 'daemon/insecure-registries\|/etc/docker/daemon.json:5:27\|.*registry.internal:5000'
hasnt insecure-default "insecure-registries .*127.0.0.0/8"
has seccomp-unconfined 'daemon/seccomp-profile\|.*\|high\|'
has cve-runc 'host/runtime-cves\|.*\|high\|runc 1.0.0~rc93.*CVE-2024-21626'
hasnt cve-backported 'CVE-2021-30465'
has cve-engine 'host/runtime-cves\|.*\|medium\|.*CVE-2021-41091'
has kernel-dirty-pipe 'host/kernel-version\|/proc/sys/kernel/osrelease.*CVE-2022-0847'
has group-members "host/docker-group\|/etc/group.*alice, bob, ci \(primary group\)"
has content-trust-off 'host/content-trust\|/etc/profile.d/docker.sh:1:0\|.*DOCKER_CONTENT_TRUST=0'
has partition 'host/separate-partition\|.*/var/lib/docker is on the root filesystem'
has sock-mode "daemon/file-docker-sock-mode\|/run/docker.sock.*mode 0666"
has etc-docker-writable "daemon/file-etc-docker-mode\|.*'/etc/docker/daemon.json' is writable by everyone"
has client-key-mode "daemon/file-certs-d-mode\|.*client.key' has mode 0644; 0400"
has owner-name "daemon/file-daemon-json-owner\|.*owned by alice:alice"
has audit-missing 'host/audit-runc\|.*/usr/bin/runc is not watched by auditd \(no audit rules found\)'

# 3. The text report: CIS order, verdicts, sections and scores.
run text-hardened "0 1" '^\[PASS\] 1\.1\.1 +- Use a separate partition' -- audit --root "$H"
grep -q '^\[INFO\] Section 3 - Docker daemon configuration files: 24 checks, 20 PASS, 0 WARN' "$tmp/text-hardened.out" && ok || bad "text-hardened: section 3 summary"
grep -q '^\[NOTE\] 1\.1\.15 - Audit containerd-shim' "$tmp/text-hardened.out" && ok || bad "text-hardened: NOTE for an absent path"
grep -q '^\[NOTE\]      \* not present on this host: /usr/bin/containerd-shim, /usr/local/bin/containerd-shim$' "$tmp/text-hardened.out" && ok || bad "text-hardened: precise NOTE reason"
run quiet "1" '' -- audit --root "$H" -q
grep -vq '^\[\(WARN\|INFO\)\]' "$tmp/quiet.out" && bad "quiet: lines other than WARN/INFO" || ok
run text-careless "2" '^\[WARN\]      \* dockerd listens on tcp://0.0.0.0:2375 without TLS' -- audit daemon --root "$C"
grep -q '^\[NOTE\]      \* TLS is off, so there are no certificates to judge' "$tmp/text-careless.out" && ok || bad "text-careless: TLS note"
run text-host-only "1" '^\[INFO\] Checks: 21 ' -- audit host --root "$C"
run show-config "0" 'from daemon.json: /etc/docker/daemon.json:7:3 \(icc\)' -- audit daemon --root "$H" --show-config
grep -q 'drop-in /etc/systemd/system/docker.service.d/override.conf' "$tmp/show-config.out" && ok || bad "show-config: drop-in listed"
run engine-offline "2" "cannot use --root" -- audit engine --root "$H"
run no-root-dir "2" "cannot audit '/nonexistent" -- audit --root /nonexistent/root
run unknown-sub "2" "unknown audit 'hosts'" -- audit hosts --root "$H"

# 4. Bad input: a clear finding or error, never a crash or a hang.
variant() { # NAME: a fresh copy of the hardened root in $V
	V="$tmp/v-$1"
	rm -rf "$V"
	cp -a "$H" "$V"
}
variant malformed
printf '{\n  "icc": false,\n}\n' >"$V/etc/docker/daemon.json"
run malformed "2" 'daemon.json:3:1.*invalid JSON' -- audit daemon --root "$V" --format gnu
variant notobject
printf '["icc"]\n' >"$V/etc/docker/daemon.json"
run notobject "2" 'must hold one JSON object' -- audit daemon --root "$V" --format gnu
variant empty
: >"$V/etc/docker/daemon.json"
run empty-json "0 1" '' -- audit daemon --root "$V" --format gnu
variant bom
printf '\357\273\277{"icc": false}\n' >"$V/etc/docker/daemon.json"
run bom "0 1" '' -- audit daemon --root "$V" --format gnu
variant deep
python3 -c 'print("{\"x\": " + "[" * 100000 + "]" * 100000 + "}")' >"$V/etc/docker/daemon.json"
run deep-nesting "2" 'invalid JSON' -- audit daemon --root "$V" --format gnu
variant nul
printf '{"icc": false, "log-level": "in\000fo"}' >"$V/etc/docker/daemon.json"
run nul-byte "0 1 2" '' -- audit daemon --root "$V" --format gnu
variant dir
rm "$V/etc/docker/daemon.json" && mkdir "$V/etc/docker/daemon.json"
run json-is-dir "2" "cannot read '/etc/docker/daemon.json': not a regular file" -- audit daemon --root "$V" --format gnu
variant fifo
rm "$V/etc/docker/daemon.json" && mkfifo "$V/etc/docker/daemon.json"
run json-is-fifo "2" "not a regular file" -- audit daemon --root "$V" --format gnu
variant loop
rm "$V/etc/docker/daemon.json" && ln -s a.json "$V/etc/docker/daemon.json" && ln -s daemon.json "$V/etc/docker/a.json"
run symlink-loop "2" "cannot read '/etc/docker/daemon.json': symlink loop" -- audit daemon --root "$V" --format gnu
variant abslink
# An absolute link resolves inside the root, never to this machine's files.
mv "$V/etc/docker/daemon.json" "$V/etc/docker/real.json" && ln -s /etc/docker/real.json "$V/etc/docker/daemon.json"
run absolute-symlink "0 1" '' -- audit daemon --root "$V" --fail-on low -q
variant escape
rm "$V/etc/docker/daemon.json" && ln -s ../../../../../../../../../etc/hostname "$V/etc/docker/daemon.json"
run dotdot-escape "0 1" '' -- audit daemon --root "$V" --format gnu
variant unreadable
chmod 0600 "$V/etc/docker/daemon.json"
chmod 0755 "$tmp" "$V" "$V/etc" "$V/etc/docker"
# root reads anything: the unreadable file is tried as nobody.
if command -v setpriv >/dev/null; then
	timeout 60 setpriv --reuid=65534 --regid=65534 --clear-groups "$HARDOCK" audit daemon --root "$V" --format gnu >"$tmp/unreadable-nobody.out" 2>&1
	code=$?
	if [ $code = 2 ] && grep -q "permission denied" "$tmp/unreadable-nobody.out" && ! grep -q Sanitizer "$tmp/unreadable-nobody.out"; then ok; else bad "unreadable as nobody: exit $code"; head -c 600 "$tmp/unreadable-nobody.out"; fi
fi
variant quoting
mkdir -p "$V/etc/systemd/system/docker.service.d"
cat >"$V/etc/systemd/system/docker.service.d/override.conf" <<'UNIT'
[Service]
Environment=OPTS="--mtu 1400  --max-concurrent-downloads 2" 'LABEL=a b'
ExecStart=
ExecStart=-/usr/bin/dockerd \
# a comment inside a continuation is skipped
  "--containerd=/run/containerd/containerd.sock" '--label' "${LABEL}" --label=%%n=%n \x2d-init $OPTS $UNSET
UNIT
run odd-quoting "0 1" '' -- audit daemon --root "$V" --fail-on low -q
run odd-quoting-config "0" 'labels +a b, %n=docker.service' -- audit daemon --root "$V" --show-config
grep -q 'init  *true' "$tmp/odd-quoting-config.out" && ok || bad "odd-quoting: \\x2d-init is --init"
grep -q 'mtu  *1400' "$tmp/odd-quoting-config.out" && grep -q 'max-concurrent-downloads  *2' "$tmp/odd-quoting-config.out" && ok || bad "odd-quoting: \$OPTS split into words"
variant unterminated
mkdir -p "$V/etc/systemd/system/docker.service.d"
printf '[Service]\nExecStart=\nExecStart=/usr/bin/dockerd "--icc=false\n' >"$V/etc/systemd/system/docker.service.d/override.conf"
run unterminated-quote "2" 'override.conf:3:.*unterminated double quote' -- audit daemon --root "$V" --format gnu
variant badescape
mkdir -p "$V/etc/systemd/system/docker.service.d"
printf '[Service]\nExecStart=\nExecStart=/usr/bin/dockerd --label=a\\qb %%Z\n' >"$V/etc/systemd/system/docker.service.d/override.conf"
run bad-escape "2" 'override.conf:3:.*unknown escape' -- audit daemon --root "$V" --format gnu
variant badflags
mkdir -p "$V/etc/systemd/system/docker.service.d"
printf '[Service]\nExecStart=\nExecStart=/usr/bin/dockerd --no-such-flag --icc maybe -H\n' >"$V/etc/systemd/system/docker.service.d/override.conf"
run bad-flags "2" "unknown flag '--no-such-flag'" -- audit daemon --root "$V" --format gnu
grep -q "unexpected argument 'maybe'" "$tmp/bad-flags.out" && ok || bad "bad-flags: positional argument"
grep -q "flag '-H' needs a value" "$tmp/bad-flags.out" && ok || bad "bad-flags: -H without value"
variant garbage
head -c 20000 /dev/urandom >"$V/proc/self/mountinfo"
head -c 20000 /dev/urandom >"$V/etc/group"
head -c 20000 /dev/urandom >"$V/etc/passwd"
head -c 20000 /dev/urandom >"$V/etc/audit/rules.d/docker.rules"
head -c 20000 /dev/urandom >"$V/var/lib/dpkg/status"
head -c 20000 /dev/urandom >"$V/lib/systemd/system/docker.socket"
head -c 20000 /dev/urandom >"$V/etc/docker/tls/server-cert.pem"
run garbage-files "0 1 2" '' -- audit --root "$V"
mkdir -p "$tmp/emptyroot"
run empty-root "0 1" '' -- audit --root "$tmp/emptyroot"
grep -q '^\[NOTE\] 1.1.1 ' "$tmp/empty-root.out" && ok || bad "empty-root: no mount table is NOTE, not PASS"
variant certloop
ln -s . "$V/etc/docker/certs.d/loop"
ln -s /etc/docker/certs.d/x "$V/etc/docker/certs.d/x"
run certs-d-loops "0 1" '' -- audit daemon --root "$V" --fail-on low -q

# Issue 11: the socket that docker.socket creates is judged by the unit when the
# socket file is not there to examine (an offline copy of a host).
variant nosock
rm -f "$V/run/docker.sock"
sed -i 's/^SocketMode=.*/SocketMode=0666/' "$V/lib/systemd/system/docker.socket"
run socket-unit-mode "1" '' -- audit daemon --root "$V" --format json -o "$tmp/nosock.json"
J="$tmp/nosock.json"
has socket-unit-mode "daemon/file-docker-sock-mode\|/lib/systemd/system/docker.socket:6:[0-9]+\|critical\|docker.socket creates '/(var/)?run/docker.sock' with SocketMode=0666"
verdicts "$tmp/nosock.json" | grep -q '^daemon/file-docker-sock-mode WARN$' && ok || bad "socket-unit-mode: verdict"
variant nosockdefault
rm -f "$V/run/docker.sock"
sed -i '/^SocketMode=/d; s/^SocketGroup=.*/SocketGroup=staff/' "$V/lib/systemd/system/docker.socket"
run socket-unit-default "1" '' -- audit daemon --root "$V" --format json -o "$tmp/nosockdef.json"
J="$tmp/nosockdef.json"
has socket-unit-default "daemon/file-docker-sock-mode\|/lib/systemd/system/docker.socket:0:0\|critical\|.*systemd's default mode 0666 \(no SocketMode=\)"
has socket-unit-group "daemon/file-docker-sock-owner\|/lib/systemd/system/docker.socket:[0-9]+:[0-9]+\|high\|.*owned by root:staff, not root:docker"
variant nosockgood
rm -f "$V/run/docker.sock"
run socket-unit-good "0" '' -- audit daemon --root "$V" --fail-on low --format json -o "$tmp/nosockgood.json"
verdicts "$tmp/nosockgood.json" | grep -q '^daemon/file-docker-sock-mode PASS$' && ok || bad "socket-unit-good: 0660 in the unit is a PASS"
variant sockrecreated
sed -i 's/^SocketMode=.*/SocketMode=0666/' "$V/lib/systemd/system/docker.socket"
run socket-unit-recreate "1" "has mode 0660 now, but docker.socket creates it with SocketMode=0666 at the next start" -- audit daemon --root "$V" --format gnu

# 5. TLS checks on variants of the hardened root.
variant tlsbad
# A certificate for another name, from another CA, expiring in 10 days.
"$HARDOCK" tls init --host other.example --days 10 --key p256 --out "$tmp/tls2" >/dev/null
cp "$tmp/tls2/server/server-cert.pem" "$tmp/tls2/server/server-key.pem" "$V/etc/docker/tls/"
sed -i 's|tcp://0.0.0.0:2376|tcp://docker.example:2376|' "$V/etc/docker/daemon.json"
run tls-bad "1" '' -- audit daemon --root "$V" --format json -o "$tmp/tls-bad.json"
J="$tmp/tls-bad.json"
has tls-expiring 'daemon/tls-cert-expiry\|/etc/docker/daemon.json:5:3\|medium\|server certificate .CN = other.example. expires in (9|10) days'
has tls-san "daemon/tls-server-cert\|/etc/docker/daemon.json:2:44\|.*listens on 'docker.example'"
has tls-wrong-ca 'daemon/tls-server-cert\|.*not issued by the CA in tlscacert'
variant tlscakey
# The CA's own key beside the daemon's files, and an encrypted key named like one.
cp "$H.tls/ca/ca-key.pem" "$V/etc/docker/tls/ca-key.pem"
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -aes256 -pass pass:x -out "$V/etc/docker/tls/old-ca.key.pem" 2>/dev/null
run tls-ca-key "1" '' -- audit daemon --root "$V" --format json -o "$tmp/tls-ca-key.json"
J="$tmp/tls-ca-key.json"
has tls-ca-key 'daemon/tls-ca-key-exposed\|/etc/docker/tls/ca-key.pem:0:0\|high\|'
has tls-ca-key-encrypted 'daemon/tls-ca-key-exposed\|.*old-ca.key.pem \(encrypted, named like a CA key\)'
variant tlsnoverify
sed -i 's|"tlsverify": true|"tls": true|' "$V/etc/docker/daemon.json"
run tls-no-verify "1" '' -- audit daemon --root "$V" --format json -o "$tmp/tls-nv.json"
J="$tmp/tls-nv.json"
has tls-without-verify 'daemon/tls-auth\|.*\|critical\|.*with TLS but without "tlsverify"'
variant tlsmissing
rm "$V/etc/docker/tls/server-key.pem"
run tls-missing "1" "tlskey '/etc/docker/tls/server-key.pem' does not exist: dockerd refuses to start" -- audit daemon --root "$V" --format gnu

# 6. harden daemon-json.
before=$(sha256sum "$C/etc/docker/daemon.json")
run harden-print "0" '"live_restore": true' -- harden daemon-json --root "$C"
# The user's keys stay; a key written as the flag's name ("insecure-registry",
# ignored by dockerd) is moved into the real key, whose registries are kept.
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert "insecure-registry" not in d and d["insecure-registries"] == ["registry.internal:5000", "127.0.0.0/8", "other.internal:5000"] and d["hosts"][0] == "tcp://0.0.0.0:2375" and d["userns-remap"] == "default"' "$tmp/harden-print.out" && ok || bad "harden-print: user's keys kept and ours added"
grep -q 'insecure-registries .*moved from "insecure-registry"' "$tmp/harden-print.err" && ok || bad "harden-print: flag-named key moved"
grep -q 'insecure-registries .*kept: removing them stops pulls' "$tmp/harden-print.err" && ok || bad "harden-print: insecure registries kept and explained"
grep -q "icc .*not added: '--icc=true' is on dockerd's command line" "$tmp/harden-print.err" && ok || bad "harden-print: command-line option explained"
grep -q 'may break: existing images, containers and volumes are not visible' "$tmp/harden-print.err" && ok || bad "harden-print: userns-remap breakage explained"
grep -q 'removed log-opts "max-size", "max-file"' "$tmp/harden-print.err" && ok || bad "harden-print: json-file options removed with the driver change"
run harden-refuses "2" "not written: dockerd would not accept the result" -- harden daemon-json --root "$C" --write
[ "$before" = "$(sha256sum "$C/etc/docker/daemon.json")" ] && ok || bad "harden without a valid result changed the file"
variant harden
cat >"$V/etc/docker/daemon.json" <<'JSON'
{
  "tlsverify": true,
  "tlscacert": "/etc/docker/tls/ca.pem",
  "tlscert": "/etc/docker/tls/server-cert.pem",
  "tlskey": "/etc/docker/tls/server-key.pem",
  "hosts": ["unix:///var/run/docker.sock", "tcp://0.0.0.0:2376"],
  "authorization-plugins": ["authz-broker"],
  "icc": true,
  "log-level": "debug",
  "experimental": true,
  "iptables": false,
  "insecure-registries": ["registry.internal:5000"],
  "seccomp-profile": "unconfined",
  "log-driver": "json-file",
  "log-opts": { "max-size": "10m", "tag": "{{.Name}}" },
  "data-root": "/var/lib/docker",
  "dns": ["192.0.2.53"]
}
JSON
chmod 0640 "$V/etc/docker/daemon.json"
run harden-write "0" 'wrote .*/etc/docker/daemon.json \(previous file kept as .*daemon.json.hardock-bak' -- harden daemon-json --root "$V" --write
ls "$V"/etc/docker/daemon.json.hardock-bak.* >/dev/null 2>&1 && ok || bad "harden-write: no backup"
[ "$(stat -c %a "$V/etc/docker/daemon.json")" = 640 ] && ok || bad "harden-write: mode not kept"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["dns"] == ["192.0.2.53"] and d["log-opts"] == {"tag": "{{.Name}}"} and d["log-driver"] == "journald" or d["log-driver"] == "syslog"' "$V/etc/docker/daemon.json" && ok || bad "harden-write: user's keys kept"
run harden-passes "1" '' -- audit daemon --root "$V" --fail-on low --format json -o "$tmp/harden-passes.json"
# Only what harden leaves to the site stays: the insecure registry, kept and explained.
verdicts "$tmp/harden-passes.json" | grep -E ' (WARN)$' | grep -v '^daemon/insecure-registries ' && bad "harden-write: the result still has WARN checks" || ok
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["insecure-registries"] == ["registry.internal:5000"]' "$V/etc/docker/daemon.json" && ok || bad "harden-write: insecure-registries removed"
variant swarm
mkdir -p "$V/var/lib/docker/swarm" && echo '[]' >"$V/var/lib/docker/swarm/state.json"
sed -i '/live-restore/d' "$V/etc/docker/daemon.json"
run harden-swarm "0" 'live-restore +not added: this node is in a swarm' -- harden daemon-json --root "$V"
run audit-swarm "0 1" '^\[NOTE\] 2.15 ' -- audit daemon --root "$V"
printf '{"icc": true,,}' >"$tmp/in.json"
run harden-in-malformed "2" "cannot merge '.*in.json': 1:14" -- harden daemon-json --in "$tmp/in.json"
printf '{"icc": true, "custom-runtime-key": 1}' >"$tmp/in2.json"
run harden-in-unknown "2" "unknown key 'custom-runtime-key'" -- harden daemon-json --in "$tmp/in2.json" --root "$tmp/emptyroot" --write
run harden-in-print "0" '"custom-runtime-key": 1' -- harden daemon-json --in "$tmp/in2.json" --root "$tmp/emptyroot"

# 7. harden audit-rules.
run rules-print "0" '^-w /usr/sbin/dockerd -p wa -k docker$' -- harden audit-rules --root "$C"
grep -q '^-w /etc/containerd/config.toml' "$tmp/rules-print.out" && bad "rules-print: a rule for a path the host lacks" || ok
variant rules
rm -f "$V/etc/audit/rules.d/docker.rules" "$V/etc/audit/audit.rules"
run rules-write "0" 'wrote 12 watches to .*/etc/audit/rules.d/hardock-docker.rules' -- harden audit-rules --root "$V" --write
[ "$(stat -c %a "$V/etc/audit/rules.d/hardock-docker.rules")" = 640 ] && ok || bad "rules-write: mode"
run rules-pass "0" '' -- audit host --root "$V" --fail-on low -q
run rules-rewrite "0" 'previous file kept as' -- harden audit-rules --root "$V" --write

# 8. tls init.
run tls-init "0" 'export DOCKER_CERT_PATH=.*/tls3/client' -- tls init --host build.example --ip 192.0.2.10 --dns alt.example --key p256 --days 30 --out "$tmp/tls3"
[ "$(stat -c %a "$tmp/tls3/server/server-key.pem") $(stat -c %a "$tmp/tls3/server/server-cert.pem") $(stat -c %a "$tmp/tls3/ca/ca-key.pem")" = "400 444 400" ] && ok || bad "tls-init: modes"
openssl verify -CAfile "$tmp/tls3/ca/ca.pem" "$tmp/tls3/server/server-cert.pem" "$tmp/tls3/client/cert.pem" >/dev/null 2>&1 && ok || bad "tls-init: chain does not verify"
openssl x509 -in "$tmp/tls3/server/server-cert.pem" -noout -ext subjectAltName,extendedKeyUsage >"$tmp/san.txt" 2>&1
grep -q 'DNS:build.example, DNS:alt.example, IP Address:192.0.2.10' "$tmp/san.txt" && grep -q 'TLS Web Server Authentication' "$tmp/san.txt" && ok || bad "tls-init: server SANs / serverAuth"
openssl x509 -in "$tmp/tls3/client/cert.pem" -noout -ext extendedKeyUsage 2>/dev/null | grep -q 'TLS Web Client Authentication' && ok || bad "tls-init: client clientAuth"
run tls-exists "2" 'server/ca.pem|ca/ca.pem.*File exists' -- tls init --host build.example --out "$tmp/tls3" --key p256
run tls-bad-ip "2" "'999.1.1.1' is not an IP address" -- tls init --host h --ip 999.1.1.1 --out "$tmp/tls4"
run tls-no-host "2" 'needs --host' -- tls init --out "$tmp/tls5"
[ ! -e "$tmp/tls4/ca/ca.pem" ] && ok || bad "tls-bad-ip left files behind"
# Issue 11: the printed settings bind the addresses given, and the suggested
# ExecStart= keeps every flag of the unit (Debian's: -H fd:// --containerd=...).
snippet() { # FILE: the daemon.json snippet tls init printed
	python3 -c 'import json,sys
t=open(sys.argv[1]).read(); i=t.index("{", t.index("Daemon:"))
print(json.dumps(json.JSONDecoder().raw_decode(t[i:])[0], sort_keys=True))' "$1"
}
mkdir -p "$tmp/tlsroot/lib/systemd/system" "$tmp/tlsroot2"
printf '[Service]\nExecStart=/usr/sbin/dockerd -H fd:// --containerd=/run/containerd/containerd.sock\n' >"$tmp/tlsroot/lib/systemd/system/docker.service"
run tls-keep-flags "0" '' -- tls init --host build.example --ip 192.0.2.10 --key p256 --out "$tmp/tls6" --root "$tmp/tlsroot"
grep -qx '  ExecStart=/usr/sbin/dockerd -H fd:// --containerd=/run/containerd/containerd.sock -H tcp://192.0.2.10:2376' "$tmp/tls-keep-flags.out" && ok || bad "tls-keep-flags: ExecStart= with the unit's flags and the TCP socket"
snippet "$tmp/tls-keep-flags.out" | grep -q '"hosts"' && bad "tls-keep-flags: \"hosts\" in daemon.json beside -H" || ok
grep -q '0\.0\.0\.0' "$tmp/tls-keep-flags.out" && bad "tls-keep-flags: binds every interface" || ok
run tls-bind "0" '' -- tls init --host 2001:db8::7 --ip 192.0.2.10 --key p256 --out "$tmp/tls7" --root "$tmp/tlsroot2"
[ "$(snippet "$tmp/tls-bind.out" | python3 -c 'import json,sys; print(json.load(sys.stdin)["hosts"])')" = "['unix:///var/run/docker.sock', 'tcp://192.0.2.10:2376', 'tcp://[2001:db8::7]:2376']" ] && ok || bad "tls-bind: hosts are the unix socket and the given addresses"
run tls-any "0" 'No address given \(--ip\): dockerd listens on every interface' -- tls init --host build.example --key p256 --out "$tmp/tls8" --root "$tmp/tlsroot2"

echo "$pass passed, $fail failed"
[ $fail = 0 ]
