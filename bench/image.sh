#!/bin/sh
# `make bench-image`: hardock image against the decompression floor.
#
#   1. An image of about 2 GB in one gzip layer (a tar of /usr, repeated under
#      new names until 2 GiB): wall time of `hardock image` against
#      `gzip -dc` of that layer (the floor: nothing reads a gzip layer faster
#      than it can be inflated), the same with one thread, and peak RSS.
#   2. Many small files (400,000 entries): peak RSS, which grows with the
#      number of entries, not with bytes.
#   3. A real Debian image (mmdebstrap --variant=minbase bookworm): time and
#      peak RSS.
# The images are written once into BUILD/bench-image/ and reused.  Each time
# is the best of three runs.  Prints one line per measure.
#   bench/image.sh [BUILD_DIR]
set -eu
build=$(realpath "${1:-build}")
hardock="$build/hardock"
here=$(cd "$(dirname "$0")" && pwd)
work="$build/bench-image"
mkdir -p "$work"
PY=/usr/bin/python3
[ -x "$hardock" ] || { echo "bench: no $hardock (make build)" >&2; exit 2; }
command -v /usr/bin/time >/dev/null || { echo "bench: needs /usr/bin/time (apt-get install time)" >&2; exit 2; }

# wrap LAYER.gz OUT NAME: a docker save archive around one stored layer
wrap() {
	$PY - "$1" "$2" "$3" <<'PY'
import gzip, hashlib, io, json, sys, tarfile, zlib
layer, out, name = sys.argv[1:4]
raw = hashlib.sha256()
diff = hashlib.sha256()
d = zlib.decompressobj(31)
size = 0
with open(layer, "rb") as f:
    while True:
        b = f.read(1 << 20)
        if not b:
            break
        raw.update(b)
        size += len(b)
        diff.update(d.decompress(b))
diff.update(d.flush())
cfg = json.dumps({"architecture": "amd64", "os": "linux", "created": "2025-01-01T00:00:00Z",
                  "config": {"User": "1000", "Healthcheck": {"Test": ["CMD", "true"]}},
                  "rootfs": {"type": "layers", "diff_ids": ["sha256:" + diff.hexdigest()]},
                  "history": [{"created_by": "bench"}]}).encode()
cname = hashlib.sha256(cfg).hexdigest() + ".json"
lname = raw.hexdigest() + "/layer.tar"
man = json.dumps([{"Config": cname, "RepoTags": [name], "Layers": [lname]}]).encode()
with tarfile.open(out, "w", format=tarfile.PAX_FORMAT) as t:
    for n, b in ((cname, cfg), ("manifest.json", man)):
        ti = tarfile.TarInfo(n); ti.size = len(b); t.addfile(ti, io.BytesIO(b))
    ti = tarfile.TarInfo(lname); ti.size = size
    with open(layer, "rb") as f:
        t.addfile(ti, f)
PY
}

best() { # COMMAND...: the best wall time of three runs, in seconds
	b=
	for i in 1 2 3; do
		s=$(date +%s.%N)
		"$@" >/dev/null 2>&1 || true
		e=$(date +%s.%N)
		t=$(echo "$e - $s" | bc)
		if [ -z "$b" ] || [ "$(echo "$t < $b" | bc)" = 1 ]; then b=$t; fi
	done
	echo "$b"
}

cpu() { # COMMAND...: user + system CPU seconds of one run (what load on a shared machine does not change)
	/usr/bin/time -f '%U %S' -o "$work/cpu" "$@" >/dev/null 2>&1 || true
	tail -n 1 "$work/cpu" | awk '{ printf "%.2f", $1 + $2 }'
}

rss() { # COMMAND...: peak RSS in MiB
	/usr/bin/time -f '%M' -o "$work/rss" "$@" >/dev/null 2>&1 || true
	# time(1) puts "Command exited with non-zero status 1" first when findings make hardock exit 1.
	echo "$(( $(tail -n 1 "$work/rss") / 1024 ))"
}

# ---- 1. about 2 GB in one gzip layer ---------------------------------------------------
big="$work/big.layer.tar.gz"
if [ ! -s "$big" ]; then
	echo "bench: writing a 2 GiB layer from /usr (once; a few minutes)" >&2
	$PY - "$work/big.layer.tar" <<'PY'
import os, sys, tarfile
limit = 2 << 30
out = sys.argv[1]
total = 0
with tarfile.open(out, "w", format=tarfile.PAX_FORMAT) as t:
    rep = 0
    while total < limit:
        for root, dirs, files in os.walk("/usr"):
            dirs.sort()
            for f in sorted(files):
                p = os.path.join(root, f)
                try:
                    st = os.lstat(p)
                except OSError:
                    continue
                if not (os.path.isfile(p) and not os.path.islink(p)) or st.st_size > 64 << 20:
                    continue
                try:
                    t.add(p, arcname="r%d%s" % (rep, p), recursive=False)
                except OSError:
                    continue
                total += st.st_size + 512
                if total >= limit:
                    break
            if total >= limit:
                break
        rep += 1
PY
	gzip -6 "$work/big.layer.tar"
fi
[ -s "$work/big.tar" ] || wrap "$big" "$work/big.tar" bench/big:1
ulen=$(gzip -dc "$big" | wc -c)
floor=$(best sh -c "gzip -dc '$big' >/dev/null")
# gzip(1) inflates with its own code, slower than zlib's: zlib alone is the stricter floor.
zsrc='
import sys, zlib
d = zlib.decompressobj(31)
with open(sys.argv[1], "rb") as f:
    while True:
        b = f.read(1 << 20)
        if not b:
            break
        d.decompress(b)'
zfloor=$(best $PY -c "$zsrc" "$big")
t2=$(best "$hardock" image --format json -o /dev/null "$work/big.tar")
t1=$(best "$hardock" image --threads 1 --format json -o /dev/null "$work/big.tar")
r2=$(rss "$hardock" image --format json -o /dev/null "$work/big.tar")
cg=$(cpu sh -c "gzip -dc '$big' >/dev/null")
cz=$(cpu $PY -c "$zsrc" "$big")
c2=$(cpu "$hardock" image --format json -o /dev/null "$work/big.tar")
c1=$(cpu "$hardock" image --threads 1 --format json -o /dev/null "$work/big.tar")
printf 'image 2G gzip layer: %s MiB uncompressed, %s MiB stored\n' "$((ulen >> 20))" "$(( $(stat -c %s "$big") >> 20 ))"
printf '  gzip -dc (floor)        %6.2f s\n' "$floor"
printf '  zlib inflate alone      %6.2f s\n' "$zfloor"
printf '  hardock image (2 thr.)  %6.2f s  %.2fx gzip -dc  %.2fx zlib  peak RSS %s MiB\n' "$t2" \
	"$(echo "$t2 / $floor" | bc -l)" "$(echo "$t2 / $zfloor" | bc -l)" "$r2"
printf '  hardock image (1 thr.)  %6.2f s  %.2fx gzip -dc  %.2fx zlib\n' "$t1" "$(echo "$t1 / $floor" | bc -l)" \
	"$(echo "$t1 / $zfloor" | bc -l)"
printf '  CPU time (user+sys): gzip -dc %s s, zlib %s s, hardock %s s (2 thr.), %s s (1 thr.)\n' "$cg" "$cz" "$c2" "$c1"

# ---- 2. many entries --------------------------------------------------------------------
many="$work/many.layer.tar.gz"
if [ ! -s "$many" ]; then
	$PY - "$work/many.layer.tar" <<'PY'
import io, sys, tarfile
with tarfile.open(sys.argv[1], "w", format=tarfile.GNU_FORMAT) as t:
    for d in range(400):
        ti = tarfile.TarInfo("srv/d%03d" % d); ti.type = tarfile.DIRTYPE; ti.mode = 0o755; t.addfile(ti)
        for i in range(1000):
            b = b"%d\n" % i
            ti = tarfile.TarInfo("srv/d%03d/file-with-a-longer-name-%04d.txt" % (d, i)); ti.size = len(b)
            t.addfile(ti, io.BytesIO(b))
PY
	gzip -6 "$work/many.layer.tar"
fi
[ -s "$work/many.tar" ] || wrap "$many" "$work/many.tar" bench/many:1
tm=$(best "$hardock" image --format json -o /dev/null "$work/many.tar")
rm_=$(rss "$hardock" image --format json -o /dev/null "$work/many.tar")
printf 'image of 400,400 entries: %6.2f s  peak RSS %s MiB\n' "$tm" "$rm_"

# ---- 3. a real Debian image -----------------------------------------------------------------
deb="$work/bookworm-minbase.tar"
if [ ! -s "$deb" ]; then
	if [ -s "$build/image-cache/bookworm-minbase.tar" ]; then
		cp "$build/image-cache/bookworm-minbase.tar" "$deb"
	else
		mmdebstrap --quiet --variant=minbase bookworm "$work/part.tar" http://deb.debian.org/debian && mv "$work/part.tar" "$deb"
	fi
fi
[ -s "$deb.gz" ] || gzip -6 -k "$deb"
[ -s "$work/debian.tar" ] || wrap "$deb.gz" "$work/debian.tar" bench/debian:12
td=$(best "$hardock" image --format json -o /dev/null "$work/debian.tar")
rd=$(rss "$hardock" image --format json -o /dev/null "$work/debian.tar")
fd=$(best sh -c "gzip -dc '$deb.gz' >/dev/null")
printf 'Debian bookworm minbase (%s MiB, %s entries): %6.2f s (gzip -dc %.2f s)  peak RSS %s MiB\n' \
	"$(( $(stat -c %s "$deb") >> 20 ))" "$(tar -tf "$deb" | wc -l)" "$td" "$fd" "$rd"
