#!/bin/sh
# Builds hardock's image with deploy/Dockerfile from a build context made
# here: the sources Meson builds and the two root file systems of
# deploy/mkrootfs.sh, nothing else (the repository itself holds build
# directories, caches and the tests' fixtures, none of which the image needs).
#
# Usage: sh deploy/build-image.sh [TAG] [ROOTFS-DIR]
#   TAG         the image's name (hardock:0.1.0)
#   ROOTFS-DIR  where mkrootfs.sh wrote build.tar and runtime.tar (deploy/rootfs)
# The engine is the docker CLI's (DOCKER_HOST, DOCKER_CONTEXT, ...).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$here")
tag=${1:-hardock:0.1.0}
rootfs=${2:-$here/rootfs}
for t in build runtime; do
	[ -s "$rootfs/$t.tar" ] || { echo "build-image: no $rootfs/$t.tar: run deploy/mkrootfs.sh first" >&2; exit 2; }
done
# Beside the root file systems, so that they are linked in rather than copied.
ctx=$(mktemp -d "$rootfs/context.XXXXXX")
trap 'rm -rf "$ctx"' EXIT
trap 'exit 1' INT TERM
mkdir -p "$ctx/deploy/rootfs"
cp -R "$top/meson.build" "$top/meson_options.txt" "$top/src" "$ctx/"
cp "$here/Dockerfile" "$ctx/deploy/Dockerfile"
for t in build runtime; do
	ln "$rootfs/$t.tar" "$ctx/deploy/rootfs/$t.tar" 2>/dev/null || cp "$rootfs/$t.tar" "$ctx/deploy/rootfs/$t.tar"
done
DOCKER_BUILDKIT=${DOCKER_BUILDKIT:-0} docker build -f "$ctx/deploy/Dockerfile" -t "$tag" "$ctx"
