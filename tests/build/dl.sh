#!/bin/sh
# Libraries loaded when first used (src/core/dl.h).  The binary links none of
# them (NEEDED), exports none of their names, and a command that does not use
# one never loads it: with every lazily loaded soname replaced by an empty file
# (LD_LIBRARY_PATH is searched before the system's directories) --version,
# --help and lint still work and say the same.  A command that needs a library
# that cannot be loaded fails with exit code 2 and the one message naming the
# library and its Debian package, whether it asks first (hd_dl_require: authz
# serve, serve) or meets it in a trampoline (image, audit, db): never a crash.
# Argument: "seccomp" when the build has the syscall filter.
set -u
: "${HARDOCK:?}" "${SRCDIR:?}"
pass=0 fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }

lazy="libarchive.so.13 libcrypto.so.3 libcurl.so.4 libgnutls.so.30 libhs.so.5 libmicrohttpd.so.12 libseccomp.so.2
	libsqlite3.so.0 libz.so.1 libzstd.so.1"
# The one broken library of each case, and every one at once.
mkdir "$tmp/all"
for so in $lazy; do
	mkdir "$tmp/$so"
	: >"$tmp/$so/$so"
	: >"$tmp/all/$so"
done

# 1. Nothing of them is linked or exported (libstdc++ came only with libhs).
readelf -dW "$HARDOCK" >"$tmp/d" && readelf -W --dyn-syms "$HARDOCK" >"$tmp/s" ||
	{ echo "FAIL: readelf"; echo "0 passed, 1 failed"; exit 1; }
for so in $lazy libstdc++.so.6; do
	if grep -q "NEEDED.*\[$so\]" "$tmp/d"; then bad "$so is NEEDED"; else ok; fi
done
awk '$7 != "UND" && NF >= 8 { print $8 }' "$tmp/s" |
	grep -E '^(archive_|curl_|gnutls_|hs_|MHD_|seccomp_|sqlite3_|ZSTD_|EVP_|X509|BIO_|inflate|zError)' >"$tmp/exported"
if [ -s "$tmp/exported" ]; then bad "trampolines exported: $(tr '\n' ' ' <"$tmp/exported")"; else ok; fi

# 2. Commands that need none of them, with all of them broken: same output, same code.
cat >"$tmp/Dockerfile" <<'DF'
FROM debian
RUN apt-get update && apt-get install -y curl
DF
cat >"$tmp/compose.yaml" <<'YML'
services:
  web:
    image: nginx:1.25
    privileged: true
YML
same() { # NAME ARGS...: the same exit code, stdout and stderr with and without the broken libraries
	name=$1
	shift
	(cd "$tmp" && "$HARDOCK" "$@" >"$tmp/want.out" 2>"$tmp/want.err"; echo $? >"$tmp/want.rc")
	(cd "$tmp" && LD_LIBRARY_PATH="$tmp/all" "$HARDOCK" "$@" >"$tmp/got.out" 2>"$tmp/got.err"; echo $? >"$tmp/got.rc")
	if ! cmp -s "$tmp/want.rc" "$tmp/got.rc"; then
		bad "$name: exit $(cat "$tmp/got.rc"), expected $(cat "$tmp/want.rc")"; sed 's/^/  /' "$tmp/got.err"
	elif ! cmp -s "$tmp/want.out" "$tmp/got.out" || ! cmp -s "$tmp/want.err" "$tmp/got.err"; then
		bad "$name: output differs"; diff "$tmp/want.out" "$tmp/got.out" | head -5
	else
		ok
	fi
}
same "--version" --version
same "--help" --help
same "lint --help" lint --help
same "image --help" image --help
same "lint (exit 1)" lint Dockerfile compose.yaml
same "lint --format sarif" lint --format sarif Dockerfile compose.yaml
same "rules" rules
if [ "$(cat "$tmp/got.rc")" = 0 ] && [ -s "$tmp/got.out" ]; then ok; else bad "rules printed nothing"; fi

# 3. A command that needs a broken library: exit 2 and exactly the message.
fails() { # NAME SONAME PACKAGE "WHAT" ARGS...
	name=$1 so=$2 pkg=$3 what=$4
	shift 4
	(cd "$tmp" && LD_LIBRARY_PATH="$tmp/$so" timeout 60 "$HARDOCK" "$@" >"$tmp/out" 2>"$tmp/err"; echo $? >"$tmp/rc")
	rc=$(cat "$tmp/rc")
	want="hardock: $what needs $so (Debian package $pkg): $tmp/$so/$so: file too short"
	if [ "$rc" != 2 ]; then
		bad "$name: exit $rc, expected 2"; sed 's/^/  /' "$tmp/err" | head -5
	elif ! grep -qxF "$want" "$tmp/err"; then
		bad "$name: no line '$want'"; sed 's/^/  /' "$tmp/err" | head -5
	elif grep -q 'AddressSanitizer\|runtime error\|Segmentation' "$tmp/err"; then
		bad "$name: crashed"
	else
		ok
	fi
}
printf 'layer gzip\nfile etc/hostname content=box\n' >"$tmp/spec"
/usr/bin/python3 "$SRCDIR/tests/image/mkimage.py" "$tmp/spec" "$tmp/image.tar" || bad "mkimage gzip"
printf 'layer zstd\nfile etc/hostname content=box\n' >"$tmp/spec"
/usr/bin/python3 "$SRCDIR/tests/image/mkimage.py" "$tmp/spec" "$tmp/zstd.tar" || bad "mkimage zstd"
fails "image, libarchive" libarchive.so.13 libarchive13 "reading images and archives" image image.tar
# The message is one line: nothing else on stderr.
if [ "$(wc -l <"$tmp/err")" = 1 ]; then ok; else bad "image, libarchive: $(wc -l <"$tmp/err") lines on stderr"; fi
fails "image, libhs" libhs.so.5 libvectorscan5 "scanning files for secrets" image image.tar
# libarchive links libzstd and zlib: a broken one is said by libarchive's line, with the culprit's path.
(cd "$tmp" && LD_LIBRARY_PATH="$tmp/libz.so.1" "$HARDOCK" image --no-secrets image.tar >"$tmp/out" 2>"$tmp/err")
rc=$?
want="hardock: reading images and archives needs libarchive.so.13 (Debian package libarchive13): $tmp/libz.so.1/libz.so.1: file too short"
if [ $rc = 2 ] && [ "$(cat "$tmp/err")" = "$want" ]; then ok; else bad "image, libz: exit $rc"; sed 's/^/  /' "$tmp/err" | head -3; fi
(cd "$tmp" && LD_LIBRARY_PATH="$tmp/libzstd.so.1" "$HARDOCK" image --no-secrets zstd.tar >"$tmp/out" 2>"$tmp/err")
rc=$?
want="hardock: reading images and archives needs libarchive.so.13 (Debian package libarchive13): $tmp/libzstd.so.1/libzstd.so.1: file too short"
if [ $rc = 2 ] && [ "$(cat "$tmp/err")" = "$want" ]; then ok; else bad "image, libzstd: exit $rc"; sed 's/^/  /' "$tmp/err" | head -3; fi
fails "audit engine, libcurl" libcurl.so.4 libcurl4 "talking to the engine or downloading feeds" \
	audit engine -H "unix://$tmp/no.sock"
fails "tls init, libcrypto" libcrypto.so.3 libssl3 "hashing and certificates" \
	tls init --host box.example --key p256 --out "$tmp/tls" --root "$tmp"
if [ -e "$tmp/tls" ]; then bad "tls init made $tmp/tls without libcrypto"; else ok; fi
fails "serve, libmicrohttpd" libmicrohttpd.so.12 libmicrohttpd12 "serving HTTP" serve --listen "unix:$tmp/serve.sock"
if [ -e "$tmp/serve.sock" ]; then bad "serve left its socket behind"; else ok; fi
if [ "${1:-}" = seccomp ]; then
	fails "authz serve, libseccomp" libseccomp.so.2 libseccomp2 "the syscall filter" \
		authz serve --socket "$tmp/authz.sock"
	if [ -e "$tmp/authz.sock" ]; then bad "authz serve left its socket behind"; else ok; fi
fi

# 4. The same images read with the real libraries (the trampolines reach them).
for f in image.tar zstd.tar; do
	(cd "$tmp" && "$HARDOCK" image -q "$f" >"$tmp/out" 2>"$tmp/err")
	rc=$?
	if [ $rc -le 1 ] && [ ! -s "$tmp/err" ]; then ok; else bad "image $f: exit $rc"; sed 's/^/  /' "$tmp/err" | head -3; fi
done

echo "$pass passed, $fail failed"
[ $fail = 0 ]
