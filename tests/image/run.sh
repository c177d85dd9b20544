#!/bin/sh
# Crafted images for the image reader and the image rules: every layout
# (docker save before and since Docker 25, OCI layout and its tar, standard
# input), every compression, whiteouts and opaque folders, multi-platform
# indexes, and every bad input (truncated and corrupt archives and layers,
# path traversal, hard links to nowhere, symlink loops, devices, absurd
# header sizes, decompression bombs, duplicate entries, digest mismatches,
# missing blobs).  Each case checks the exit code, what the reader found
# (image-dump: one fact a line) and what hardock reports; no case may crash,
# hang, print a secret or write a file.
set -u
: "${HARDOCK:?}" "${IMAGE_DUMP:?}" "${SRCDIR:?}" "${SHARED:?}"
export NO_COLOR=1
PY=/usr/bin/python3
MK="$PY $SRCDIR/tests/image/mkimage.py"
pass=0 fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1
mkdir work quiet
export TMPDIR="$tmp/quiet"

ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL $*"; }

# spec NAME <<EOF ... EOF: writes NAME.spec
spec() { cat >"$1.spec"; }

# mk NAME [LAYOUT]: builds NAME.spec into NAME.tar (or a directory for oci)
mk() {
	name=$1 layout=${2:-}
	if [ -n "$layout" ]; then
		{ echo "layout $layout"; cat "$name.spec"; } >"$name.$layout.spec"
		out=$name.$layout
		[ "$layout" = oci ] || out=$out.tar
		rm -rf "$out"
		$MK "$name.$layout.spec" "$out" || bad "mkimage $name $layout"
	else
		$MK "$name.spec" "$name.tar" || bad "mkimage $name"
	fi
}

# hd NAME EXITS ARGS...: runs hardock image into NAME.out/NAME.err, checks the exit and sanitizers
hd() {
	name=$1 exits=$2
	shift 2
	(cd work && timeout 120 "$HARDOCK" image "$@") >"$name.out" 2>"$name.err"
	code=$?
	case " $exits " in *" $code "*) ;; *) bad "$name: exit $code, wanted $exits"; head -c 800 "$name.err"; head -c 800 "$name.out"; return 1 ;; esac
	if grep -q "Sanitizer\|runtime error:" "$name.err"; then bad "$name: sanitizer"; head -c 2000 "$name.err"; return 1; fi
	ok
}

# has NAME PATTERN / hasnt NAME PATTERN: on NAME.out and NAME.err
has() { if grep -qE -- "$2" "$1.out" "$1.err"; then ok; else bad "$1: no line matches '$2'"; head -c 1500 "$1.out" "$1.err"; fi; }
hasnt() { if grep -qE -- "$2" "$1.out" "$1.err"; then bad "$1: a line matches '$2'"; grep -E -- "$2" "$1.out" "$1.err" | head -3; else ok; fi; }

# dump NAME ARGS...: image-dump into NAME.dump
dump() {
	name=$1
	shift
	timeout 120 "$IMAGE_DUMP" "$@" >"$name.dump" 2>&1 || true
	if grep -q "Sanitizer\|runtime error:" "$name.dump"; then bad "$name: sanitizer in image-dump"; fi
}
dhas() { if grep -qE -- "$2" "$1.dump"; then ok; else bad "$1.dump: no line matches '$2'"; head -c 1500 "$1.dump"; fi; }
dhasnt() { if grep -qE -- "$2" "$1.dump"; then bad "$1.dump: a line matches '$2'"; grep -E -- "$2" "$1.dump" | head -3; else ok; fi; }

# ---- one image with something for every rule, in every layout -------------------------------
spec all <<'EOF'
tag shop/api:1.0
config user=app healthcheck="curl -f localhost" env=PATH=/usr/bin expose=8080
layer: /bin/sh -c #(nop) ADD file:5f8c0d1e2a in /
drwxr-xr-x 0 0 /etc
-rw-r--r-- 0 0 /etc/passwd: root:x:0:0:root:/root:/bin/sh\ntoor:x:0:0::/root:/bin/sh\napp:x:1000:1000::/app:/bin/sh\nweb:x:1000:1000::/web:/bin/sh\n
-rw-r--r-- 0 42 /etc/shadow: root:$6$salt$hash:19000::::::\napp::19000::::::\ntoor:*:1::::::\nweb:!:1::::::\n
-rw-r--r-- 0 0 /etc/group: root:x:0:\napp:x:1000:\nweb:x:1000:\n
drwxr-xr-x 0 0 /usr/bin
-rwsr-xr-x 0 0 /usr/bin/su: ELF
-rwxr-sr-x 0 0 /usr/bin/tool: ELF
-rwxr-xr-x 0 0 /usr/bin/ping [caps=cap_net_raw+ep]: ELF
-rwxr-xr-x 0 0 /usr/bin/adm [caps=cap_sys_admin+ep]: ELF
drwxrwxrwt 0 0 /tmp
drwxrwxrwx 0 0 /data
-rw-rw-rw- 0 0 /data/shared.conf: x
lrwxrwxrwx 0 0 /bin -> usr/bin
drwxr-xr-x 0 0 /var/lib/dpkg/info
-rw-r--r-- 0 0 /var/lib/dpkg/info/login.list: /.\n/bin\n/bin/su\n
layer: RUN /bin/sh -c apt-get update # buildkit
drwx------ 0 0 /root/.ssh
-rw------- 0 0 /root/.ssh/id_rsa: -----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAx1234567890abcdefghijklmnopqrstuvwxyzABCDEFGH\n-----END RSA PRIVATE KEY-----\n
-rw-r--r-- 0 0 /app/config.py: AWS='AKIAZ2345ZZ234567AB2'\nEXAMPLE='AKIAIOSFODNN7EXAMPLE'\n
-rw-r--r-- 0 0 /app/.git/config: [core]
-rw------- 0 0 /root/.docker/config.json: {"auths":{"x":{"auth":"dXNlcjpwYXNzd29yZA=="}}}
-rw------- 0 0 /etc/ssh/ssh_host_ed25519_key: -----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\n-----END OPENSSH PRIVATE KEY-----\n
brw-rw---- 0 6 /dev/sda 8,0
lrwxrwxrwx 0 0 /loop1 -> loop2
lrwxrwxrwx 0 0 /loop2 -> loop1
-rw-r--r-- 0 0 /usr/share/doc/x/key.pem: -----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7abcdefghij\n
layer tar "|1 TOKEN=hunter2secret /bin/sh -c rm -rf /root/.ssh /app/.git"
whiteout /root/.ssh
whiteout /app/.git
EOF
for layout in docker-save docker25 oci oci-tar; do
	mk all $layout
	t=all.$layout
	[ "$layout" = oci ] || t=$t.tar
	hd "all-$layout" 1 --format json "$tmp/$t"
	$PY -c '
import json, sys
d = json.load(open(sys.argv[1]))
for f in d["findings"]:
    print(f["rule"], f.get("field", ""), f["severity"])' "all-$layout.out" | sort >"all-$layout.rules"
done
for layout in docker25 oci oci-tar; do
	if cmp -s all-docker-save.rules "all-$layout.rules"; then ok; else bad "$layout finds other things than docker-save"; diff all-docker-save.rules "all-$layout.rules" | head; fi
done
r=all-docker-save.rules
for want in "image/setuid-file /usr/bin/su low" "image/setuid-file /usr/bin/tool medium" \
	"image/file-capabilities /usr/bin/ping medium" "image/file-capabilities /usr/bin/adm high" \
	"image/world-writable-dir /data medium" "image/world-writable-file /data/shared.conf medium" \
	"image/uid0-account /etc/passwd high" "image/duplicate-id /etc/passwd medium" \
	"image/duplicate-id /etc/group medium" "image/empty-password /etc/shadow high" \
	"image/root-password /etc/shadow medium" "image/shadow-readable /etc/shadow high" \
	"image/private-key /root/.ssh/id_rsa high" "image/token-in-file /app/config.py high" \
	"image/credential-file /root/.docker/config.json high" "image/ssh-host-key /etc/ssh/ssh_host_ed25519_key high" \
	"image/unnecessary-file /app/.git low" "image/device-file /dev/sda medium" \
	"image/symlink-loop /loop1 low" "image/symlink-loop /loop2 low" \
	"dockerfile/apt-get-update-alone history\[1\] medium" "dockerfile/secret-variable history\[2\] high" \
	"image/stale" ; do
	if grep -qE "^$want" $r; then ok; else bad "all: no finding '$want'"; fi
done
# Exactly one token finding: the documented example key is not one; the doc folder is not scanned.
if [ "$(grep -c '^image/token-in-file' $r)" = 1 ]; then ok; else bad "all: the AWS example key or more reported"; fi
if grep -q "/usr/share/doc" $r; then bad "all: OS documentation scanned"; else ok; fi
# Deleted by a later layer, still reported, and said so; a deleted setuid file would not be.
has all-docker-save 'id_rsa.*a later layer \(3\) deletes or replaces it, but its bytes are still in layer 2'
hasnt all-docker-save 'hunter2secret|dXNlcjpwYXNzd29yZA|AKIAZ2345ZZ234567AB2|\$6\$salt'
# Text and every other format: no secret value either, and the layer digest is carried.
for fmt in text sarif junit github gnu html; do
	hd "all-$fmt" 1 --format "$fmt" "$tmp/all.docker-save.tar"
	has "all-$fmt" "shop/api:1.0"
	has "all-$fmt" "/usr/bin/su"
	has "all-$fmt" "sha256:[0-9a-f]{12}"
	hasnt "all-$fmt" 'hunter2secret|dXNlcjpwYXNzd29yZA|AKIAZ2345ZZ234567AB2|\$6\$salt|MIIEowIBAAKCAQEA'
done
has all-docker-save '"layer": "sha256:[0-9a-f]{64}"'
has all-sarif '"layer": "sha256:[0-9a-f]{64}"'
has all-text 'image/setuid-file.*/usr/bin/su is setuid.*installed by package .login.'
# Standard input, and one thread, find the same.
(cd work && "$HARDOCK" image --format json - <"$tmp/all.docker-save.tar") >all-stdin.out 2>all-stdin.err
$PY -c '
import json, sys
for f in json.load(open(sys.argv[1]))["findings"]:
    print(f["rule"], f.get("field", ""), f["severity"])' all-stdin.out | sort >all-stdin.rules
if cmp -s all-docker-save.rules all-stdin.rules; then ok; else bad "stdin finds other things"; fi
hd all-1thread 1 --threads 1 --format json "$tmp/all.docker-save.tar"
$PY -c '
import json, sys
for f in json.load(open(sys.argv[1]))["findings"]:
    print(f["rule"], f.get("field", ""), f["severity"])' all-1thread.out | sort >all-1thread.rules
if cmp -s all-docker-save.rules all-1thread.rules; then ok; else bad "one thread finds other things"; fi
# The manifest first in the archive (not the docker order) changes nothing.
{ echo manifest-first; cat all.spec; } >first.spec
mk first
hd first 1 --format json "$tmp/first.tar"
$PY -c '
import json, sys
for f in json.load(open(sys.argv[1]))["findings"]:
    print(f["rule"], f.get("field", ""), f["severity"])' first.out | sort >first.rules
if cmp -s all-docker-save.rules first.rules; then ok; else bad "manifest first finds other things"; fi

# ---- the final tree: whiteouts, opaque folders, replaced folders ------------------------------
spec tree <<'EOF'
tag tree:1
layer gzip
file /a/setuid mode=4755 content=x
file /b/ww mode=666 content=x
file /c/keep mode=4755 content=x
file /d/gone mode=4755 content=x
file /e mode=4755 content=x
layer zstd
whiteout /a/setuid
opaque /b
file /b/new mode=644 content=y
file /d mode=644 content=now-a-file
dir /e mode=755
layer tar
file /a/setuid mode=2755 content=back
EOF
mk tree
dump tree "$tmp/tree.tar"
dhas tree 'file /a/setuid layer=3 mode=102755.*visible'
dhasnt tree 'file /a/setuid layer=1'
dhasnt tree 'file /b/ww'
dhas tree 'file /c/keep layer=1 .*visible'
dhasnt tree 'file /d/gone'
dhasnt tree 'file /e '
dhas tree 'layer 2: zstd'
dhas tree 'layer 3: tar'

# ---- multi-platform indexes ------------------------------------------------------------------
spec multi <<'EOF'
image ref=multi:1 platform=linux/amd64
layer
file /amd64 mode=4755 content=x
image ref=multi:1 platform=linux/arm64/v8
layer
file /arm64 mode=4755 content=x
image ref=multi:1 platform=linux/arm/v7
layer
file /armv7 mode=4755 content=x
EOF
mk multi oci-tar
hd multi-default 1 "$tmp/multi.oci-tar.tar"
case $(uname -m) in
x86_64) has multi-default '/amd64 is setuid' ;;
aarch64) has multi-default '/arm64 is setuid' ;;
*) ok ;;
esac
hd multi-arm64 1 --platform linux/arm64 "$tmp/multi.oci-tar.tar"
has multi-arm64 '/arm64 is setuid'
hasnt multi-arm64 '/amd64|/armv7'
hd multi-armv7 1 --platform linux/arm/v7 "$tmp/multi.oci-tar.tar"
has multi-armv7 '/armv7 is setuid'
hd multi-none 2 --platform linux/s390x "$tmp/multi.oci-tar.tar"
has multi-none 'no image for platform linux/s390x.*it has: linux/amd64, linux/arm64/v8, linux/arm/v7'
hd multi-badplat 2 --platform linux "$tmp/multi.oci-tar.tar"
has multi-badplat '--platform expects os/arch'

# ---- setuid files owned by rpm packages (rpmdb.sqlite, written by Debian's rpm) ---------------
mkdir -p rpm/db
cat >rpm/hdsu.spec <<'EOF'
Name: hdsu
Version: 1.0
Release: 1
Summary: a setuid helper for the image tests
License: MIT
BuildArch: noarch
%description
A setuid helper for the image tests.
%install
mkdir -p %{buildroot}/usr/bin
printf 'ELF' > %{buildroot}/usr/bin/hdsu
%files
%attr(4755,root,root) /usr/bin/hdsu
EOF
if rpmbuild -bb --quiet --define "_topdir $tmp/rpm/top" --define "_build_id_links none" rpm/hdsu.spec >rpm/build.log 2>&1 &&
	rpm --dbpath "$tmp/rpm/empty" --initdb && rpm --dbpath "$tmp/rpm/db" --initdb &&
	rpm -i --justdb --nodeps --nosignature --dbpath "$tmp/rpm/db" "$tmp/rpm/top/RPMS/noarch/hdsu-1.0-1.noarch.rpm" >>rpm/build.log 2>&1 &&
	[ -s rpm/db/rpmdb.sqlite ]; then ok; else bad "rpmbuild and rpm --justdb"; cat rpm/build.log; fi
# rpm keeps the database in WAL mode: the header says so, and the reader must cope.
if [ "$(od -An -tu1 -j18 -N2 rpm/db/rpmdb.sqlite | tr -s ' ')" = " 2 2" ]; then ok; else bad "rpmdb.sqlite is not in WAL mode"; fi
head -c 300000 /dev/urandom >rpm/garbage.sqlite
for v in owned replaced garbage; do
	{
		echo "tag rpm:1"
		echo "config user=1000 healthcheck=x"
		echo "layer"
		echo "file /usr/bin/hdsu mode=4755 content=ELF"
		echo "file /usr/bin/mine mode=4755 content=ELF"
		case $v in
		garbage) echo "file /usr/lib/sysimage/rpm/rpmdb.sqlite from=$tmp/rpm/garbage.sqlite" ;;
		*) echo "file /var/lib/rpm/rpmdb.sqlite from=$tmp/rpm/db/rpmdb.sqlite" ;;
		esac
		if [ $v = replaced ]; then
			echo "layer"
			echo "file /var/lib/rpm/rpmdb.sqlite from=$tmp/rpm/empty/rpmdb.sqlite"
		fi
	} >"rpm-$v.spec"
	mk "rpm-$v"
	hd "rpm-$v" 1 --ignore image/stale "$tmp/rpm-$v.tar"
	has "rpm-$v" "medium \[image/setuid-file\].*/usr/bin/mine is setuid.*no OS package owns it"
done
has rpm-owned "low \[image/setuid-file\].*/usr/bin/hdsu is setuid.*installed by package 'hdsu'"
has rpm-replaced "medium \[image/setuid-file\].*/usr/bin/hdsu is setuid.*no OS package owns it"
has rpm-garbage "medium \[image/setuid-file\].*/usr/bin/hdsu is setuid.*no OS package owns it"
# The package catalogue reads the same database from an unpacked root.
mkdir -p rpm/root/var/lib/rpm && cp rpm/db/rpmdb.sqlite rpm/root/var/lib/rpm/
(cd work && "$HARDOCK" image --rootfs "$tmp/rpm/root" --sbom spdx) >rpm-rootfs.out 2>rpm-rootfs.err
has rpm-rootfs '"name": "hdsu"'
hasnt rpm-rootfs 'unable to open database file'

# ---- bad input ---------------------------------------------------------------------------------
spec base <<'EOF'
tag base:1
layer gzip
file /etc/motd content=hello
file /bin/app mode=755 content=ELF
layer zstd
file /srv/data size=4096
EOF

# bad NAME EXITS PATTERN: a variant of base with extra directives, judged
badcase() {
	name=$1 exits=$2 pattern=$3
	shift 3
	{ cat base.spec; printf '%s\n' "$@"; } >"$name.spec"
	mk "$name"
	hd "$name" "$exits" "$tmp/$name.tar"
	[ -z "$pattern" ] || has "$name" "$pattern"
}

badcase corrupt-gzip 2 'image/unreadable.*layer 1 of 2.*corrupt gzip data' "corrupt-layer 1"
badcase corrupt-zstd 2 'image/unreadable.*layer 2 of 2.*(corrupt zstd data|zstd)' "corrupt-layer 2"
badcase truncated-gzip 2 'image/unreadable.*layer 1 of 2.*gzip stream is truncated' "truncate-layer 1 60"
badcase truncated-zstd 2 'image/unreadable.*layer 2 of 2.*zstd stream is truncated' "truncate-layer 2 30"
badcase garbage-after-gzip 2 'data after the end of the gzip stream' "append-garbage 1"
badcase missing-blob 2 "image/unreadable.*missing blob '[0-9a-f]{64}/layer.tar' \(layer 2 of 2\)" "drop-blob 2"
badcase diffid 2 'digest mismatch: layer 1 of 2.*uncompresses to sha256:.*rootfs.diff_ids\[0\] says' "wrong-diffid 1"
badcase truncated-archive 2 'image/unreadable.*(damaged|truncated|Truncated)' "truncate-archive 3000"
badcase absolute 1 'image/unsafe-path.*entry /etc/abs has an absolute name' "layer" "raw /etc/abs content=x"
badcase dotdot 1 'image/unsafe-path.*a/../etc/dd has a .\.\.. component' "layer" "raw a/../etc/dd content=x"
badcase escapes 1 'high \[image/unsafe-path\].*\.\./\.\./etc/passwd leads out of the root' "layer" "raw ../../etc/passwd content=x"
badcase duplicate 1 'image/duplicate-entry.*entry /etc/dup appears twice' "layer" "file /etc/dup content=1" "file /etc/dup content=2"
badcase hardlink 1 'image/hardlink-missing-target.*entry /etc/hl is a hard link to a path not earlier in the layer: etc/nowhere' "layer" "hardlink /etc/hl /etc/nowhere"
badcase device 1 'image/device-file.*/dev/mem is a character device \(1:1\)' "layer" "char /dev/mem 1 1"
badcase loop 1 'image/symlink-loop.*entry /x/a is a symlink that never resolves' "layer" "symlink /x/a b" "symlink /x/b a"
badcase absurd-size 2 'image/unreadable.*(beyond the limit|claims|[Tt]runcated)' "layer tar" "rawsize huge 9000000000000000000"
badcase no-end 1 '' "layer tar" "file /ok content=1" "noend"
hasnt no-end 'image/unreadable'

# Decompression bombs and the other limits: a clear error naming the option.
{ cat base.spec; echo "layer gzip"; echo "file /zero size=100000000"; } >bomb.spec
mk bomb
hd bomb-ratio 2 --max-ratio 50 "$tmp/bomb.tar"
has bomb-ratio 'decompression bomb\? \(--max-ratio\)'
hd bomb-bytes 2 --max-bytes 10M "$tmp/bomb.tar"
has bomb-bytes 'image/unreadable.*10485760.*--max-bytes'
hd bomb-ok 1 --max-ratio 100000 "$tmp/bomb.tar"
hasnt bomb-ok 'image/unreadable'
mk base
hd max-files 2 --max-files 2 "$tmp/base.tar"
has max-files 'more than 2 entries.*--max-files'
{ cat base.spec; echo "layer"; echo "file /$(printf 'd%.0s' $(seq 1 200))/x content=1"; } >longpath.spec
mk longpath
hd max-path 2 --max-path 100 "$tmp/longpath.tar"
has max-path 'beyond the limit of 100 \(--max-path\)'
# OCI: a layer whose descriptor names another digest, a missing blob named by digest.
{ echo "layout oci-tar"; cat base.spec; echo "wrong-digest 1"; } >wrongdig.spec
$MK wrongdig.spec wrongdig.tar
hd wrong-digest 2 "$tmp/wrongdig.tar"
has wrong-digest 'missing blob .blobs/sha256/[0-9a-f]{64}. \(layer 1 of 2\)|digest mismatch'
{ echo "layout oci"; cat base.spec; echo "drop-blob 2"; } >dropoci.spec
$MK dropoci.spec dropoci
hd missing-oci-blob 2 "$tmp/dropoci"
has missing-oci-blob "missing blob 'blobs/sha256/[0-9a-f]{64}' \(layer 2 of 2\)"
# A blob whose content is not what its name says.
$MK base.spec /dev/null 2>/dev/null
{ echo "layout oci"; cat base.spec; } >tamper.spec
$MK tamper.spec tamper
blob=$(ls -S tamper/blobs/sha256 | head -1)
printf 'X' | dd of="tamper/blobs/sha256/$blob" bs=1 seek=100 conv=notrunc 2>/dev/null
hd tampered 2 "$tmp/tamper"
has tampered "digest mismatch: 'blobs/sha256/$blob' holds content whose digest is sha256:"
# Not image archives at all.
head -c 10000 /dev/urandom >random.bin
hd random 2 "$tmp/random.bin"
has random 'is not a tar archive'
: >empty.tar
hd empty 2 "$tmp/empty.tar"
has empty 'image/unreadable'
tar -cf plain.tar -C "$SRCDIR" README.md
hd plain-tar 2 "$tmp/plain.tar"
has plain-tar 'is not an image archive: it has neither a manifest.json \(docker save\) nor an index.json'
mkdir notlayout
hd not-layout 2 "$tmp/notlayout"
has not-layout 'is not an OCI image layout: it has no oci-layout file'
hd missing-file 2 "$tmp/does-not-exist.tar"
has missing-file "cannot read '.*does-not-exist.tar': no such file"
# A clean image exits 0.
spec clean <<'EOF'
tag shop/clean:1.0
config user=10001 healthcheck="/app/health"
layer: /bin/sh -c #(nop) ADD file:5f8c0d1e2a in /
drwxr-xr-x 0 0 /etc
-rw-r--r-- 0 0 /etc/passwd: root:x:0:0:root:/root:/bin/sh\napp:x:10001:10001::/app:/sbin/nologin\n
-rw-r----- 0 42 /etc/shadow: root:*:19000:0:99999:7:::\napp:!:19000::::::\n
-rw-r--r-- 0 0 /etc/group: root:x:0:\nshadow:x:42:\napp:x:10001:\n
drwxrwxrwt 0 0 /tmp
layer: COPY app /app # buildkit
-rwxr-xr-x 0 0 /app/server: ELF
EOF
mk clean
hd clean 0 --ignore image/stale "$tmp/clean.tar"
# Root by any name is root.
for u in "" root 0 0:0 root:root -0 +0 00; do
	{ echo "tag u:1"; echo "config user=$u healthcheck=x"; echo "layer"; echo "file /a content=1"; } >user.spec
	mk user
	hd "user-[$u]" 1 "$tmp/user.tar"
	has "user-[$u]" 'image/root-user'
done
{ echo "tag u:1"; echo "config user=1000:1000 healthcheck=x"; echo "layer"; echo "file /a content=1"; } >user.spec
mk user
hd user-1000 0 --ignore image/stale "$tmp/user.tar"
# Config checks: volumes on system paths, latest, secrets in Env (named, never printed).
{ echo "tag shop/web:latest"; echo "config user=app healthcheck=x volume=/sys env=API_TOKEN=s3cr3tvalue expose=22"; echo "layer"; echo "file /a content=1"; } >cfg.spec
mk cfg
hd cfg 1 "$tmp/cfg.tar"
has cfg 'image/volume-system-path.*VOLUME /sys'
has cfg "image/latest-tag.*referenced as 'shop/web:latest'"
has cfg 'image/secret-in-env.*API_TOKEN'
has cfg 'image/admin-port-exposed.*port 22'
hasnt cfg 's3cr3tvalue'

# Every dockle checkpoint has a row in docs/image.md naming rules that exist, or a reason.
"$HARDOCK" rules --format json >rules.json
$PY - "$SHARED/reference/dockle-checkpoints.tsv" "$SRCDIR/docs/image.md" rules.json >dockle.out <<'PYEOF'
import json, re, sys
ids = [l.split("\t")[0] for l in open(sys.argv[1]).read().splitlines()[1:] if l.strip()]
doc = open(sys.argv[2]).read()
rules = {r["id"] for r in json.load(open(sys.argv[3]))}
bad = 0
for i in ids:
    row = [l for l in doc.splitlines() if l.startswith("| %s |" % i)]
    if not row:
        print("no row for", i); bad += 1; continue
    cells = row[0].split("|")
    named = re.findall(r"(?:image|dockerfile)/[a-z0-9-]+", cells[2])
    if not named and "not a rule" not in cells[2]:
        print("no rule and no reason for", i); bad += 1
    for n in named:
        if n not in rules:
            print(i, "names unknown rule", n); bad += 1
print("checked", len(ids), "bad", bad)
PYEOF
if grep -q "checked 16 bad 0" dockle.out; then ok; else bad "dockle mapping"; cat dockle.out; fi

# Nothing is written, proved by the system calls: under strace, no open for writing or
# creating, and no mkdir, rename, unlink, link, symlink or truncate, for an archive of every
# layout, an OCI directory, standard input, a damaged archive and a decompression bomb.
# (LeakSanitizer cannot run under ptrace; the other runs check leaks.)
traced() { # NAME ARGS...
	name=$1
	shift
	(cd work && ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" timeout 300 strace -f -qq -o "$tmp/$name.strace" \
		-e trace=open,openat,openat2,creat,mkdir,mkdirat,rename,renameat,renameat2,unlink,unlinkat,link,linkat,symlink,symlinkat,truncate,ftruncate,mknod,mknodat \
		"$HARDOCK" image --format json "$@") >"$name.out" 2>"$name.err" </dev/null
	if [ ! -s "$tmp/$name.strace" ] || ! grep -q 'O_RDONLY' "$tmp/$name.strace"; then
		bad "$name: strace recorded nothing"; return; fi
	if grep -E 'O_WRONLY|O_RDWR|O_CREAT|O_TRUNC|^[0-9]+ +(creat|mkdir|mkdirat|rename|renameat2?|unlink|unlinkat|link|linkat|symlink|symlinkat|truncate|ftruncate|mknod|mknodat)\(' "$tmp/$name.strace" |
		grep -vE '= -1 E' >"$tmp/$name.writes"; then
		bad "$name: wrote to the file system"; head -5 "$tmp/$name.writes"
	else
		ok
	fi
}
traced write-docker-save "$tmp/all.docker-save.tar"
traced write-docker25 "$tmp/all.docker25.tar"
traced write-oci-dir "$tmp/all.oci"
traced write-oci-tar "$tmp/all.oci-tar.tar"
traced write-corrupt "$tmp/corrupt-gzip.tar"
traced write-bomb --max-ratio 50 "$tmp/bomb.tar"
traced write-tamper "$tmp/tamper"
# Standard input: a pipe, not a file.
(cd work && ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" strace -f -qq -o "$tmp/write-stdin.strace" \
	-e trace=open,openat,openat2,creat,mkdir,mkdirat,rename,renameat,renameat2,unlink,unlinkat,link,linkat,symlink,symlinkat,truncate,ftruncate \
	"$HARDOCK" image --format json - <"$tmp/all.docker-save.tar") >write-stdin.out 2>write-stdin.err
if grep -E 'O_WRONLY|O_RDWR|O_CREAT|^[0-9]+ +(creat|mkdir|rename|unlink|link|symlink|truncate|ftruncate)' "$tmp/write-stdin.strace" | grep -vE '= -1 E' | grep -q .; then
	bad "write-stdin: wrote to the file system"; else ok; fi
has write-stdin '"rule": "image/private-key"'
has write-docker-save '"rule": "image/setuid-file"'
has write-bomb 'decompression bomb'
# HTML names the whole layer digest beside the path.
has all-html '<code>/usr/bin/su</code> layer <code>sha256:[0-9a-f]{64}</code>'

# Nothing was written anywhere: the working folder and TMPDIR stay empty.
if [ -z "$(ls -A work)$(ls -A quiet)" ]; then ok; else bad "files were written: $(ls -A work quiet)"; fi

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
