#!/bin/sh
# `hardock image` on real images, built here: a Debian bookworm root file
# system from the Debian mirror (mmdebstrap --variant=minbase, cached under
# the build folder), a busybox-static one, imported into a private dockerd
# (its own socket, data root, exec root and bridge; never another daemon's),
# built upon with insecure Dockerfiles and saved with `docker save`; the same
# images as OCI layouts written by skopeo, and one changed by umoci; a
# Docker 25 layout written by the tests, loaded into dockerd 20.10 with
# `docker load`; and the images streamed from the daemon itself.  The daemon
# is stopped by its pid at the end, also on failure.  No container is run.
#
# Prints "N passed, N failed"; fails when dockerd or mmdebstrap cannot run:
# a test that did not run is not a pass.
set -u
: "${HARDOCK:?}" "${SRCDIR:?}"
export NO_COLOR=1
PY=/usr/bin/python3
pass=0
fail=0
ok() { pass=$((pass + 1)); }
nok() { fail=$((fail + 1)); echo "not ok - $1"; [ -n "${2:-}" ] && [ -f "$2" ] && sed 's/^/#   /' "$2" | head -40; }
finish() {
	echo "$pass passed, $fail failed"
	[ "$fail" -eq 0 ]
	exit $?
}
if [ "$(id -u)" -ne 0 ]; then
	nok "this test starts its own dockerd and needs root"
	finish
fi
for tool in dockerd docker busybox mmdebstrap skopeo umoci ip zstd; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		nok "needs $tool (apt-get install docker.io busybox-static mmdebstrap skopeo umoci iproute2 zstd)"
		finish
	fi
done

cache="$(dirname "$HARDOCK")/image-cache"
mkdir -p "$cache"
tmp=$(mktemp -d /tmp/hdi-XXXXXX)
chmod 755 "$tmp"
sock="$tmp/d.sock"
br=$(printf 'hdi%.12s' "$$")
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

# ---- a Debian root file system (cached: the mirror is slow to ask every run) -----------------
deb="$cache/bookworm-minbase.tar"
if [ ! -s "$deb" ]; then
	# The name must end in .tar: mmdebstrap picks the output format from it.
	rm -rf "$cache/part.tar"
	mmdebstrap --quiet --variant=minbase bookworm "$cache/part.tar" http://deb.debian.org/debian \
		>"$tmp/mmdebstrap.log" 2>&1 && mv "$cache/part.tar" "$deb" || {
		nok "mmdebstrap bookworm" "$tmp/mmdebstrap.log"
		finish
	}
fi
ok

# ---- the daemon --------------------------------------------------------------------
net=$(( $(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % 200 + 20 ))
ip link add "$br" type bridge && ip addr add "10.217.$net.1/24" dev "$br" && ip link set "$br" up || {
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

# ---- images ------------------------------------------------------------------------
D import "$deb" hd/debian:12 >/dev/null || { nok "docker import of the Debian root file system"; finish; }
mkdir -p "$tmp/bb/bin" "$tmp/bb/etc" "$tmp/bb/tmp"
cp "$(command -v busybox)" "$tmp/bb/bin/busybox"
for a in sh ls cat chmod cp mkdir rm echo ln; do ln -s busybox "$tmp/bb/bin/$a"; done
printf 'root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000::/tmp:/bin/sh\n' >"$tmp/bb/etc/passwd"
printf 'root:*:19000:0:99999:7:::\napp:!:19000::::::\n' >"$tmp/bb/etc/shadow"
chmod 640 "$tmp/bb/etc/shadow"
printf 'root:x:0:\napp:x:1000:\n' >"$tmp/bb/etc/group"
tar -C "$tmp/bb" -cf "$tmp/bb.tar" . && D import "$tmp/bb.tar" hd/busybox:1 >/dev/null ||
	{ nok "docker import of busybox"; finish; }
build() { # TAG DOCKERFILE [FILE...]
	dir="$tmp/ctx-$(echo "$1" | tr '/:' '__')"
	mkdir -p "$dir"
	printf '%s\n' "$2" >"$dir/Dockerfile"
	tag=$1
	shift 2
	for f in "$@"; do cp -R "$f" "$dir/"; done
	DOCKER_BUILDKIT=0 D build -q -t "$tag" "$dir" >"$tmp/build.log" 2>&1 || { nok "docker build $tag" "$tmp/build.log"; finish; }
}
printf 'ghp_R8fQ2wLp0ZsX4vT6yB1nM3kJ7hD9cE5aG2uI\n' >"$tmp/token.txt"
build hd/bb-bad:1 'FROM hd/busybox:1
ARG NPM_TOKEN=npm_0123456789abcdefghijABCDEFGHIJ0123
COPY token.txt /app/token.txt
RUN cp /bin/busybox /bin/suidbox && chmod 4755 /bin/suidbox && mkdir -m 777 /data && chmod 644 /etc/shadow
RUN rm /app/token.txt
EXPOSE 22
CMD ["sh"]' "$tmp/token.txt"
build hd/bb-good:1 'FROM hd/busybox:1
USER 1000:1000
HEALTHCHECK CMD ["true"]
CMD ["sh"]'
build hd/debian-app:1 'FROM hd/debian:12
RUN useradd -r -u 10001 app && chmod u+s /usr/bin/env
USER 10001
HEALTHCHECK CMD ["true"]'
for t in hd/bb-bad:1 hd/bb-good:1 hd/debian-app:1; do
	f="$tmp/$(echo "$t" | tr '/:' '__').tar"
	D save -o "$f" "$t" || { nok "docker save $t"; finish; }
done
ok

# rules FILE.json: "rule field severity" lines, sorted
rules() { $PY -c '
import json, sys
for f in json.load(open(sys.argv[1]))["findings"]:
    print(f["rule"], f.get("field", ""), f["severity"])' "$1" | sort; }
# hd NAME EXITS ARGS...
hd() {
	name=$1 exits=$2
	shift 2
	timeout 600 "$HARDOCK" image "$@" >"$tmp/$name.out" 2>"$tmp/$name.err"
	code=$?
	case " $exits " in *" $code "*) ok ;; *) nok "$name: exit $code, wanted $exits" "$tmp/$name.err"; head -c 1500 "$tmp/$name.out"; return 1 ;; esac
	if grep -q "Sanitizer\|runtime error:" "$tmp/$name.err"; then nok "$name: sanitizer" "$tmp/$name.err"; fi
}
has() { if grep -qE -- "$2" "$tmp/$1.out"; then ok; else nok "$1: nothing matches '$2'"; head -c 2000 "$tmp/$1.out"; fi; }
hasnt() { if grep -qE -- "$2" "$tmp/$1.out" "$tmp/$1.err"; then nok "$1: something matches '$2'"; grep -E -- "$2" "$tmp/$1.out" | head -3; else ok; fi; }

# ---- Debian: setuid files of packages are low and named; shadow, root and accounts are fine -----
hd debian 1 "$tmp/hd_debian-app_1.tar"
has debian 'low \[image/setuid-file\].*/usr/bin/passwd is setuid.*installed by package .passwd.'
has debian 'low \[image/setuid-file\].*/usr/bin/su is setuid.*installed by package .util-linux.'
has debian 'medium \[image/setuid-file\].*/usr/bin/env is setuid.*no OS package owns it|low \[image/setuid-file\].*/usr/bin/env is setuid.*coreutils'
hasnt debian 'image/shadow-readable|image/root-password|image/empty-password|image/uid0-account|image/duplicate-id'
hasnt debian 'image/unreadable|image/private-key|image/token-in-file'
hd debian-json 1 --format json "$tmp/hd_debian-app_1.tar"
rules "$tmp/debian-json.out" >"$tmp/debian.rules"

# ---- busybox: what the Dockerfile did, at its layer and step -------------------------------
hd bb 1 "$tmp/hd_bb-bad_1.tar"
has bb 'medium \[image/setuid-file\].*/bin/suidbox is setuid.*(no OS package owns it|no package database)'
has bb 'image/world-writable-dir.*folder /data'
has bb 'image/shadow-readable'
has bb 'image/token-in-file.*/app/token.txt holds a GitHub token.*a later layer .* deletes or replaces it'
has bb 'dockerfile/secret-variable.*NPM_TOKEN'
has bb 'image/admin-port-exposed.*port 22'
has bb 'image/root-user'
hasnt bb 'ghp_R8fQ2wLp0ZsX4vT6yB1nM3kJ7hD9cE5aG2uI|npm_0123456789abcdefghijABCDEFGHIJ0123'
hd bb-good 0 --ignore image/stale "$tmp/hd_bb-good_1.tar"
hd bb-json 1 --format json "$tmp/hd_bb-bad_1.tar"
rules "$tmp/bb-json.out" >"$tmp/bb.rules"

# ---- the same images streamed from the engine: the same findings --------------------------
hd engine-bb 1 --format json -H "unix://$sock" hd/bb-bad:1
rules "$tmp/engine-bb.out" >"$tmp/engine-bb.rules"
if cmp -s "$tmp/bb.rules" "$tmp/engine-bb.rules"; then ok; else nok "the engine's stream finds other things than docker save"; diff "$tmp/bb.rules" "$tmp/engine-bb.rules" | head; fi
hd engine-debian 1 --format json -H "unix://$sock" hd/debian-app:1
rules "$tmp/engine-debian.out" >"$tmp/engine-debian.rules"
if cmp -s "$tmp/debian.rules" "$tmp/engine-debian.rules"; then ok; else nok "engine Debian differs"; diff "$tmp/debian.rules" "$tmp/engine-debian.rules" | head; fi
hd engine-missing 2 -H "unix://$sock" hd/nope:1
if grep -q "hd/nope:1" "$tmp/engine-missing.err"; then ok; else nok "a missing engine image is not named" "$tmp/engine-missing.err"; fi
hd engine-down 2 -H "unix://$tmp/nothing.sock" hd/bb-bad:1
# Nothing written while streaming: the daemon's tmp and our folder hold no export.
if find "$tmp" -maxdepth 1 -name '*.tar' -newer "$tmp/bb-json.out" | grep -q .; then nok "a tar was written"; else ok; fi

# ---- hardock audit --image-layers: the engine's images judged with the file checks -----------
# au NAME EXITS ARGS...: hardock audit engine on the private daemon, TMPDIR an empty folder
mkdir -p "$tmp/audit-tmp"
au() {
	name=$1 exits=$2
	shift 2
	TMPDIR="$tmp/audit-tmp" timeout 900 "$HARDOCK" audit engine -H "unix://$sock" "$@" >"$tmp/$name.out" 2>"$tmp/$name.err"
	code=$?
	case " $exits " in *" $code "*) ok ;; *) nok "$name: exit $code, wanted $exits" "$tmp/$name.err"; head -c 1500 "$tmp/$name.out"; return 1 ;; esac
	if grep -q "Sanitizer\|runtime error:" "$tmp/$name.err"; then nok "$name: sanitizer" "$tmp/$name.err"; fi
}
"$HARDOCK" rules --format json | $PY -c '
import json, sys
for r in json.load(sys.stdin):
    if r["target"] == "image-files":
        print(r["id"])' >"$tmp/files-rules"
[ -s "$tmp/files-rules" ] && ok || nok "no image-files rules listed"
# filesof FILE.json: "rule object field layer" of the image-files findings, sorted
filesof() { $PY - "$1" "$tmp/files-rules" <<'PYEOF'
import json, sys
rules = set(open(sys.argv[2]).read().split())
for f in json.load(open(sys.argv[1]))["findings"]:
    if f["rule"] in rules:
        print(f["rule"], f.get("object", ""), f.get("field", ""), f.get("layer", ""))
PYEOF
}
au audit-plain 1 --image hd/bb-bad:1 --format json
if grep -q '"rule": "image/setuid-file"' "$tmp/audit-plain.out"; then nok "audit without --image-layers read the layers"; else ok; fi
au audit-layers 1 --image hd/bb-bad:1 --image-layers --format json
filesof "$tmp/audit-layers.out" | sort >"$tmp/audit-layers.files"
filesof "$tmp/engine-bb.out" | sort >"$tmp/image-bb.files"
# The same file findings as `hardock image`, at the same layers, named after the image.
if [ -s "$tmp/audit-layers.files" ] && cmp -s "$tmp/image-bb.files" "$tmp/audit-layers.files"; then ok; else
	nok "audit --image-layers finds other files than hardock image"; diff "$tmp/image-bb.files" "$tmp/audit-layers.files" | head; fi
if grep -qE '^image/setuid-file hd/bb-bad:1 /bin/suidbox sha256:[0-9a-f]{64}$' "$tmp/audit-layers.files"; then ok; else
	nok "no setuid finding with image, path and layer" "$tmp/audit-layers.files"; fi
if grep -qE '^image/token-in-file hd/bb-bad:1 /app/token.txt sha256:[0-9a-f]{64}$' "$tmp/audit-layers.files"; then ok; else
	nok "no token finding in a deleted file" "$tmp/audit-layers.files"; fi
# The history judged by the Dockerfile rules too, as `hardock image` judges it.
histof() { $PY -c '
import json, sys
for f in json.load(open(sys.argv[1]))["findings"]:
    if f.get("field", "").startswith("history["):
        print(f["rule"], f.get("object", ""), f["field"])' "$1" | sort; }
histof "$tmp/audit-layers.out" >"$tmp/audit-layers.hist"
histof "$tmp/engine-bb.out" >"$tmp/image-bb.hist"
if [ -s "$tmp/audit-layers.hist" ] && cmp -s "$tmp/image-bb.hist" "$tmp/audit-layers.hist"; then ok; else
	nok "audit --image-layers judges the history otherwise than hardock image"; diff "$tmp/image-bb.hist" "$tmp/audit-layers.hist" | head; fi
# One verdict per image-files rule for the image: WARN for what fired, PASS for the rest.
$PY - "$tmp/audit-layers.out" "$tmp/files-rules" >"$tmp/audit-checks.out" <<'PYEOF'
import json, sys
rules = set(open(sys.argv[2]).read().split())
seen = {}
for c in json.load(open(sys.argv[1]))["checks"]:
    if c["rule"] in rules and c.get("subject") == "image hd/bb-bad:1":
        seen[c["rule"]] = c["status"]
print("missing", sorted(rules - set(seen)))
for k in sorted(seen):
    print(k, seen[k])
PYEOF
has audit-checks '^missing \[\]$'
has audit-checks '^image/setuid-file WARN$'
has audit-checks '^image/world-writable-dir WARN$'
has audit-checks '^image/private-key PASS$'
hasnt audit-layers 'ghp_R8fQ2wLp0ZsX4vT6yB1nM3kJ7hD9cE5aG2uI|npm_0123456789abcdefghijABCDEFGHIJ0123'
# Every format carries the image, the path and the layer; none prints the token.
for fmt in text sarif junit github gnu html; do
	au "audit-layers-$fmt" 1 --image hd/bb-bad:1 --image-layers --format "$fmt"
	has "audit-layers-$fmt" 'hd/bb-bad:1'
	has "audit-layers-$fmt" '/bin/suidbox'
	has "audit-layers-$fmt" 'sha256:[0-9a-f]{12}'
	hasnt "audit-layers-$fmt" 'ghp_R8fQ2wLp0ZsX4vT6yB1nM3kJ7hD9cE5aG2uI'
done
has audit-layers-text '/bin/suidbox is setuid.*(no OS package owns it|no package database)'
has audit-layers-junit '<testcase classname="image hd/bb-bad:1" name="4.8 image/setuid-file">'
# Debian: the packages' setuid files are low and named, CIS 4.8 automated in the audit.
au audit-debian 1 --image hd/debian-app:1 --image-layers
has audit-debian '/usr/bin/passwd is setuid.*installed by package .passwd.'
# Every image of the engine when none is named: a verdict of setuid-file for each.
au audit-all 1 --image-layers --format json
$PY -c '
import json, sys
for c in json.load(open(sys.argv[1]))["checks"]:
    if c["rule"] == "image/setuid-file":
        print(c.get("subject", ""), c["status"])' "$tmp/audit-all.out" | sort -u >"$tmp/audit-all.images"
for im in "hd/bb-bad:1 WARN" "hd/debian-app:1 WARN" "hd/busybox:1 PASS" "hd/bb-good:1 PASS"; do
	if grep -qx "image $im" "$tmp/audit-all.images"; then ok; else nok "audit --image-layers: no 'image $im' setuid verdict" "$tmp/audit-all.images"; fi
done
# Streamed, never written: the audit's TMPDIR stays empty, no tar appeared.
if [ -z "$(ls -A "$tmp/audit-tmp")" ]; then ok; else nok "the audit wrote into TMPDIR: $(ls -A "$tmp/audit-tmp")"; fi
if find "$tmp" -maxdepth 1 -name '*.tar' -newer "$tmp/audit-plain.out" | grep -q .; then nok "a tar was written"; else ok; fi
# --image-layers needs the engine part.
"$HARDOCK" audit host --image-layers >/dev/null 2>"$tmp/au-host.err"
if [ $? -eq 2 ] && grep -q -- "--image-layers goes with" "$tmp/au-host.err"; then ok; else nok "audit host --image-layers accepted" "$tmp/au-host.err"; fi

# ---- OCI layouts written by skopeo, and one changed by umoci -------------------------------
skopeo copy "docker-archive:$tmp/hd_bb-bad_1.tar" "oci:$tmp/oci-bb:1" >"$tmp/skopeo.log" 2>&1 ||
	nok "skopeo copy to an OCI layout" "$tmp/skopeo.log"
hd oci-dir 1 --format json "$tmp/oci-bb"
rules "$tmp/oci-dir.out" | grep -v ' RepoTags \| image/latest-tag ' >"$tmp/oci.rules"
grep -v ' RepoTags \| image/latest-tag ' "$tmp/bb.rules" >"$tmp/bb-notag.rules"
if cmp -s "$tmp/bb-notag.rules" "$tmp/oci.rules"; then ok; else nok "skopeo's OCI layout finds other things"; diff "$tmp/bb-notag.rules" "$tmp/oci.rules" | head; fi
skopeo copy "docker-archive:$tmp/hd_debian-app_1.tar" "oci-archive:$tmp/oci-debian.tar:1" >"$tmp/skopeo2.log" 2>&1 ||
	nok "skopeo copy to an OCI archive" "$tmp/skopeo2.log"
hd oci-archive 1 "$tmp/oci-debian.tar"
has oci-archive '/usr/bin/passwd is setuid.*package .passwd.'
umoci unpack --image "$tmp/oci-bb:1" "$tmp/bundle" >"$tmp/umoci.log" 2>&1 || nok "umoci unpack" "$tmp/umoci.log"
mkdir -p "$tmp/bundle/rootfs/opt/.idea" && echo x >"$tmp/bundle/rootfs/opt/.idea/ws.xml"
cp "$tmp/bundle/rootfs/bin/busybox" "$tmp/bundle/rootfs/opt/sgidbox" && chmod 2755 "$tmp/bundle/rootfs/opt/sgidbox"
umoci repack --image "$tmp/oci-bb:2" "$tmp/bundle" >"$tmp/umoci2.log" 2>&1 || nok "umoci repack" "$tmp/umoci2.log"
hd umoci 1 --platform linux/amd64 "$tmp/oci-bb"
has umoci '/opt/sgidbox is setgid'
has umoci 'image/unnecessary-file.*/opt/.idea'

# ---- the Docker 25 layout, written here, loads into dockerd 20.10 and reads the same ---------
cat >"$tmp/d25.spec" <<'EOF'
layout docker25
tag hd/d25:1
config user=0:0 healthcheck=x
layer gzip "/bin/sh -c #(nop) ADD file:0d25 in / "
file /bin/sh mode=755 content=ELF
file /opt/tool mode=4755 content=ELF
layer zstd "RUN /bin/sh -c echo"
file /app/.env content="DB_PASSWORD=s3cr3t-from-env\n"
EOF
$PY "$SRCDIR/tests/image/mkimage.py" "$tmp/d25.spec" "$tmp/d25.tar" || nok "mkimage docker25"
# dockerd 20.10 cannot unpack zstd layers: load a gzip-only twin.
sed 's/^layer zstd/layer gzip/' "$tmp/d25.spec" >"$tmp/d25g.spec"
$PY "$SRCDIR/tests/image/mkimage.py" "$tmp/d25g.spec" "$tmp/d25g.tar" || nok "mkimage docker25 gzip"
if D load -i "$tmp/d25g.tar" >"$tmp/load.log" 2>&1; then ok; else nok "docker load of the Docker 25 layout" "$tmp/load.log"; fi
hd d25 1 --format json "$tmp/d25g.tar"
rules "$tmp/d25.out" >"$tmp/d25.rules"
hd d25-engine 1 --format json -H "unix://$sock" hd/d25:1
rules "$tmp/d25-engine.out" >"$tmp/d25-engine.rules"
if cmp -s "$tmp/d25.rules" "$tmp/d25-engine.rules"; then ok; else nok "Docker 25 layout and its load differ"; diff "$tmp/d25.rules" "$tmp/d25-engine.rules" | head; fi
hd d25-zstd 1 "$tmp/d25.tar"
has d25-zstd 'image/setuid-file.*/opt/tool'
has d25-zstd 'image/credential-file.*/app/.env holds an .env file with a secret'
has d25-zstd "image/root-user.*runs as '0:0'"
hasnt d25-zstd 's3cr3t-from-env'

finish
