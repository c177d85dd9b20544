#!/bin/sh
# `hardock audit engine --vulns` against a private dockerd (its own socket,
# data root, exec root and bridge; never another daemon's): a Debian
# bookworm image from mmdebstrap (cached under the build folder, shared with
# the image test), a second tag of it, an image built on it and a busybox
# image.  Every image is catalogued once per layer chain and the catalogues
# are cached next to the database: the first audit reads every image from
# the engine, the second none; a damaged cache file is read again.  Known
# answers from a tracker feed written here.  The daemon is stopped by its
# pid at the end, also on failure.
#
# Prints "N passed, N failed"; fails when dockerd or mmdebstrap cannot run.
set -u
: "${HARDOCK:?}" "${SRCDIR:?}"
export NO_COLOR=1
PY=/usr/bin/python3
pass=0
fail=0
ok() { pass=$((pass + 1)); }
nok() { fail=$((fail + 1)); echo "not ok - $1"; [ -n "${2:-}" ] && [ -f "$2" ] && sed 's/^/#   /' "$2" | head -40; }
check() { # WHAT FILE COMMAND...: ok when the command succeeds
	what=$1
	file=$2
	shift 2
	if "$@"; then ok; else nok "$what" "$file"; fi
}
finish() {
	echo "$pass passed, $fail failed"
	[ "$fail" -eq 0 ]
	exit $?
}
if [ "$(id -u)" -ne 0 ]; then
	nok "this test starts its own dockerd and needs root"
	finish
fi
for tool in dockerd docker busybox mmdebstrap ip; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		nok "needs $tool (apt-get install docker.io busybox-static mmdebstrap iproute2)"
		finish
	fi
done

cache="$(dirname "$HARDOCK")/image-cache"
mkdir -p "$cache"
tmp=$(mktemp -d /tmp/hdv-XXXXXX)
chmod 755 "$tmp"
sock="$tmp/d.sock"
br=$(printf 'hdv%.12s' "$$")
dockerd_pid=
D() { docker -H "unix://$sock" "$@"; }
cleanup() {
	if [ -n "$dockerd_pid" ]; then
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
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

deb="$cache/bookworm-minbase.tar"
# The vuln test's copy, when the image test has not made its own.
[ -s "$deb" ] || [ ! -s "$(dirname "$HARDOCK")/vuln-cache/bookworm-minbase.tar" ] ||
	deb="$(dirname "$HARDOCK")/vuln-cache/bookworm-minbase.tar"
if [ ! -s "$deb" ]; then
	rm -rf "$cache/part.tar"
	mmdebstrap --quiet --variant=minbase bookworm "$cache/part.tar" http://deb.debian.org/debian \
		>"$tmp/mmdebstrap.log" 2>&1 && mv "$cache/part.tar" "$deb" || {
		nok "mmdebstrap bookworm" "$tmp/mmdebstrap.log"
		finish
	}
fi

net=$(( $(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % 200 + 20 ))
ip link add "$br" type bridge && ip addr add "10.218.$net.1/24" dev "$br" && ip link set "$br" up || {
	nok "cannot create the private bridge $br"
	finish
}
dockerd --host "unix://$sock" --data-root "$tmp/data" --exec-root "$tmp/exec" --pidfile "$tmp/pid" \
	--bridge "$br" --iptables=false --ip-forward=false --ip-masq=false >"$tmp/dockerd.log" 2>&1 &
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
ok

# ---- images: bookworm, a second tag of it, an image on top, busybox ---------------------------
D import "$deb" hd/debian:12 >/dev/null && D tag hd/debian:12 hd/debian:copy || { nok "docker import of bookworm"; finish; }
mkdir -p "$tmp/ctx" "$tmp/bb/bin"
printf 'FROM hd/debian:12\nRUN useradd -r -u 10001 app\nUSER 10001\n' >"$tmp/ctx/Dockerfile"
DOCKER_BUILDKIT=0 D build -q -t hd/debian-app:1 "$tmp/ctx" >"$tmp/build.log" 2>&1 || { nok "docker build" "$tmp/build.log"; finish; }
cp "$(command -v busybox)" "$tmp/bb/bin/busybox"
tar -C "$tmp/bb" -cf "$tmp/bb.tar" . && D import "$tmp/bb.tar" hd/busybox:1 >/dev/null || { nok "docker import of busybox"; finish; }
ok

# ---- the database: glibc issues for bookworm ------------------------------------------------
$PY - "$tmp/tracker.json" <<'PY'
import json, sys
json.dump({"glibc": {
    "CVE-2099-0001": {"description": "fixed in a later point release", "releases": {
        "bookworm": {"status": "resolved", "fixed_version": "2.36-9+deb12u9999", "urgency": "high"}}},
    "CVE-2099-0002": {"description": "already fixed", "releases": {
        "bookworm": {"status": "resolved", "fixed_version": "2.36-9+deb12u1", "urgency": "high"}}},
    "CVE-2099-0005": {"description": "no fix yet", "releases": {
        "bookworm": {"status": "open", "urgency": "medium"}}}}}, open(sys.argv[1], "w"))
PY
db="$tmp/db"
"$HARDOCK" db import --db "$db" "$tmp/tracker.json" >"$tmp/import.log" 2>&1 || { nok "db import" "$tmp/import.log"; finish; }

# vulns FILE.json: "object package id" lines of image/vulnerable-package findings, sorted
vulns() {
	$PY - "$1" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
for f in doc["findings"]:
    if f["rule"] == "image/vulnerable-package":
        w = f["message"].split()
        print(f["object"], w[1], f["message"].split(" is affected by ")[1].split(":")[0])
PY
}
expect="$tmp/expect.txt"
for img in hd/debian-app:1 hd/debian:12; do
	for p in libc-bin libc6; do
		for c in CVE-2099-0001 CVE-2099-0005; do echo "$img $p $c"; done
	done
done | sort >"$expect"

audit() { # NAME [options]: the audit's JSON in $tmp/NAME.json, its stderr in $tmp/NAME.err, exit in $rc
	name=$1
	shift
	"$HARDOCK" audit engine -H "unix://$sock" --vulns --db "$db" -f json "$@" >"$tmp/$name.json" 2>"$tmp/$name.err"
	rc=$?
	if grep -q "Sanitizer\|runtime error:" "$tmp/$name.err" || [ $rc -gt 2 ]; then nok "no crash: audit $name" "$tmp/$name.err"; fi
}

audit first
vulns "$tmp/first.json" | sort >"$tmp/first.txt"
check "first audit: exit 1 with the findings of the vulnerable package" "$tmp/first.err" test "$rc" -eq 1
check "first audit: bookworm's glibc issues in both images built on it, once for the two tags" "$tmp/first.txt" \
	cmp -s "$tmp/first.txt" "$expect"
check "first audit: 3 images read from the engine, none from the cache" "$tmp/first.err" \
	grep -q "3 images: 3 read from the engine, 0 catalogues from the cache '$db/images', 0 failed" "$tmp/first.err"
check "the database's age is stated" "$tmp/first.err" grep -q "vulnerability database '$db/vuln.db': data" "$tmp/first.err"
n=$(ls "$db/images" | grep -c '^[0-9a-f]\{64\}\.json$')
check "one cache file per layer chain, next to the database ($n)" "$tmp/first.err" test "$n" -eq 3

audit second
vulns "$tmp/second.json" | sort >"$tmp/second.txt"
check "second audit: every catalogue from the cache" "$tmp/second.err" \
	grep -q "3 images: 0 read from the engine, 3 catalogues from the cache" "$tmp/second.err"
check "second audit: the same findings" "$tmp/second.txt" cmp -s "$tmp/second.txt" "$expect"

for f in "$db"/images/*.json; do
	if grep -q libc6 "$f"; then printf '{"format": "hardock-catalog-1", "packages": 7}' >"$f"; break; fi
done
audit damaged
vulns "$tmp/damaged.json" | sort >"$tmp/damaged.txt"
check "a damaged cache file: that image is read again" "$tmp/damaged.err" \
	grep -q "3 images: 1 read from the engine, 2 catalogues from the cache" "$tmp/damaged.err"
check "a damaged cache file: noted" "$tmp/damaged.err" grep -q "is not a catalogue of this version" "$tmp/damaged.err"
check "a damaged cache file: the same findings" "$tmp/damaged.txt" cmp -s "$tmp/damaged.txt" "$expect"

audit unfixed --ignore-unfixed
vulns "$tmp/unfixed.json" | sort >"$tmp/unfixed.txt"
grep -v CVE-2099-0005 "$expect" >"$tmp/expect-unfixed.txt"
check "--ignore-unfixed hides CVE-2099-0005" "$tmp/unfixed.txt" cmp -s "$tmp/unfixed.txt" "$tmp/expect-unfixed.txt"

# An engine image given to `hardock image`: its SBOM (streamed from the engine) and its findings.
"$HARDOCK" image -H "unix://$sock" hd/debian-app:1 --sbom spdx -o "$tmp/app.spdx.json" --vulns --db "$db" \
	-f json >"$tmp/img.json" 2>"$tmp/img.err"
rc=$?
n=$($PY -c 'import json, sys; d = json.load(open(sys.argv[1])); print(sum(1 for p in d["packages"] for r in p.get("externalRefs", []) if r["referenceLocator"].startswith("pkg:deb/debian/")))' "$tmp/app.spdx.json" 2>/dev/null)
check "hardock image of an engine image: an SPDX SBOM with its dpkg packages ($n)" "$tmp/img.err" test "${n:-0}" -ge 80
vulns "$tmp/img.json" | sort >"$tmp/img.txt"
grep hd/debian-app "$expect" >"$tmp/expect-img.txt"
check "hardock image of an engine image: exit 1 and the same findings" "$tmp/img.txt" \
	sh -c "[ $rc -eq 1 ] && cmp -s '$tmp/img.txt' '$tmp/expect-img.txt'"

"$HARDOCK" audit engine -H "unix://$sock" --vulns --db "$tmp/none" -q >"$tmp/nodb.out" 2>"$tmp/nodb.err"
rc=$?
check "no database: exit 2 with a clear error" "$tmp/nodb.err" sh -c "[ $rc -eq 2 ] && grep -q 'no vulnerability database' '$tmp/nodb.err'"
"$HARDOCK" audit host --vulns --db "$db" -q >"$tmp/host.out" 2>"$tmp/host.err"
rc=$?
check "--vulns without the engine part: exit 2" "$tmp/host.err" sh -c "[ $rc -eq 2 ] && grep -q 'audit the engine' '$tmp/host.err'"
finish
