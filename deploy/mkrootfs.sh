#!/bin/sh
# The two Debian 12 root file systems the hardock image is built from, made
# by mmdebstrap from the Debian mirror (no image is pulled from a registry):
#
#   OUTDIR/build.tar    minbase plus the compiler, Meson, Ninja and the -dev
#                       packages of tools/deps.txt that the build links
#   OUTDIR/runtime.tar  essential plus the shared libraries hardock loads
#
# deploy/Dockerfile ADDs them (FROM scratch), so an image build needs no
# registry.  The package lists below are the only place they are named.
# A tarball that exists is kept (delete it to make it again); it is written
# under another name first and renamed, so an interrupted run leaves none.
# SOURCE_DATE_EPOCH, when set, makes mmdebstrap's output reproducible.
#
# Usage: sh deploy/mkrootfs.sh [OUTDIR] [MIRROR]   (root; OUTDIR defaults to deploy/rootfs)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here/rootfs}
mirror=${2:-http://deb.debian.org/debian}
suite=bookworm

build_pkgs="gcc,libc6-dev,meson,ninja-build,pkg-config,libfyaml-dev,libjansson-dev,\
libcurl4-openssl-dev,libmicrohttpd-dev,libseccomp-dev,libarchive-dev,libvectorscan-dev,\
libssl-dev,libsqlite3-dev,zlib1g-dev,libzstd-dev"
runtime_pkgs="ca-certificates,libfyaml0,libjansson4,libcurl4,libmicrohttpd12,libseccomp2,\
libarchive13,libvectorscan5,libssl3,libsqlite3-0,zlib1g,libzstd1"

command -v mmdebstrap >/dev/null 2>&1 || { echo "mkrootfs: needs mmdebstrap (apt-get install mmdebstrap)" >&2; exit 2; }
mkdir -p "$out"

make_one() { # NAME VARIANT PACKAGES HOOK
	[ -s "$out/$1.tar" ] && return 0
	# The name must end in .tar: mmdebstrap picks the output format from it.
	rm -f "$out/$1.part.tar"
	mmdebstrap --quiet --variant="$2" --include="$3" \
		--dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-include=/usr/share/doc/*/copyright' \
		--dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/locale/*' \
		--customize-hook='rm -rf "$1"/var/cache/apt/* "$1"/var/lib/apt/lists/*' \
		--customize-hook="$4" "$suite" "$out/$1.part.tar" "$mirror"
	mv "$out/$1.part.tar" "$out/$1.tar"
}
make_one build minbase "$build_pkgs" true
# No setuid or setgid file in the image: the container runs as nobody without
# capabilities, and Swarm cannot set no-new-privileges on a service.
make_one runtime essential "$runtime_pkgs" \
	'find "$1" -xdev -type f -perm /6000 -exec chmod ug-s {} +'

