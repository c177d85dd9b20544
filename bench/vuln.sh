#!/bin/sh
# `make bench-vuln`: the vulnerability database and scans at real size.
#   1. generates feeds in the upstream formats (bench/vuln-feedgen.py): the
#      Debian tracker with 100,000 CVE-release entries, 200,000 OSV records
#      in npm/PyPI/Go/Maven all.zip files; imports them (goal: <= 30 s);
#   2. SBOM + vulnerability scan of a Debian bookworm minbase rootfs from
#      mmdebstrap (goal: <= 1 s wall on 2 cores, <= 100 MiB peak RSS);
#   3. per-package lookup time against databases holding 10%, 50% and 100% of
#      the feeds (does it grow with the database?).
# Everything is cached under bench/.vuln-cache (delete it to start over).
#   sh bench/vuln.sh [BUILD_DIR]   (a release build; default build)
set -eu
build=$(realpath "${1:-build}")
here=$(cd "$(dirname "$0")" && pwd)
cache="$here/.vuln-cache"
mkdir -p "$cache"
hardock="$build/hardock"

# The lookup timer, linked against the library of the build.
libs=$(pkg-config --libs libfyaml jansson libcurl libmicrohttpd libarchive libhs openssl sqlite3 zlib libzstd 2>/dev/null)
seccomp=$(pkg-config --libs libseccomp 2>/dev/null || true)
cc -O2 -std=c17 -D_GNU_SOURCE -I"$here/../src" -o "$cache/vuln-lookup" "$here/vuln-lookup.c" \
	"$build/libhardock.a" $libs $seccomp -lm -lpthread

if [ ! -d "$cache/rootfs/var" ]; then
	echo "bench: building a bookworm minbase rootfs with mmdebstrap" >&2
	mmdebstrap --variant=minbase --quiet bookworm "$cache/rootfs.tar"
	mkdir -p "$cache/rootfs"
	tar -C "$cache/rootfs" -xf "$cache/rootfs.tar"
	rm -f "$cache/rootfs.tar"
fi
for f in 1.0 0.5 0.1; do
	if [ ! -f "$cache/feeds-$f/debian-tracker.json" ]; then
		/usr/bin/python3 "$here/vuln-feedgen.py" "$cache/feeds-$f" --fraction "$f" \
			--status "$cache/rootfs/var/lib/dpkg/status" >&2
	fi
done

/usr/bin/python3 - "$hardock" "$cache" <<'PY'
import os, resource, statistics, subprocess, sys, time, shutil
hd, cache = sys.argv[1:3]
env = dict(os.environ, SOURCE_DATE_EPOCH="1700000000", NO_COLOR="1")

def timed(args, stdin=None):
    """Wall seconds, CPU seconds (user + system) and the child's peak RSS in MiB (a fresh helper process per run)."""
    code = ("import resource, subprocess, sys, time; t=time.monotonic(); "
            "r=subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE); "
            "w=time.monotonic()-t; u=resource.getrusage(resource.RUSAGE_CHILDREN); "
            "print(w, u.ru_utime + u.ru_stime, u.ru_maxrss, r.returncode); "
            "sys.stderr.write(r.stderr.decode()[-400:] if r.returncode > 1 else '')")
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, env=env)
    w, c, m, rc = out.stdout.split()
    if int(rc) > 1:
        sys.exit(f"bench: {' '.join(args)} failed: {out.stderr}")
    return float(w), float(c), int(m) / 1024

print(f"load average: {open('/proc/loadavg').read().strip()} on {os.cpu_count()} cores "
      "(wall times stretch with the load; CPU times do not)")
print("== import of generated feeds of real size (Debian tracker 100,000 CVE-release entries, 200,000 OSV records)")
sizes = {}
for frac in ("1.0", "0.5", "0.1"):
    db = f"{cache}/db-{frac}"
    shutil.rmtree(db, ignore_errors=True)
    w, c, m = timed([hd, "db", "import", "--db", db, f"{cache}/feeds-{frac}"])
    sizes[frac] = os.path.getsize(f"{db}/vuln.db") >> 20
    if frac == "1.0":
        print(f"  hardock db import: {w:.1f} s wall, {c:.1f} s CPU, {m:.0f} MiB peak RSS, database {sizes[frac]} MiB "
              f"(goal <= 30 s: {'met' if w <= 30 else 'NOT met'} on wall time, {'met' if c <= 30 else 'NOT met'} "
              "on CPU time)")
        st = subprocess.run([hd, "db", "status", "--db", db], capture_output=True, text=True).stdout
        print("  " + st.strip().replace("\n", "\n  "))

# The bookworm rootfs as a docker save archive (one layer), as `hardock image` reads images.
img = f"{cache}/bookworm-image.tar"
if not os.path.exists(img):
    import hashlib, io, json, tarfile
    layer = f"{cache}/layer.tar"
    subprocess.run(["tar", "-C", f"{cache}/rootfs", "-cf", layer, "."], check=True)
    h = hashlib.sha256()
    with open(layer, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    cfg = json.dumps({"architecture": "amd64", "os": "linux", "config": {"User": "1000"},
                      "rootfs": {"type": "layers", "diff_ids": ["sha256:" + h.hexdigest()]},
                      "history": [{"created_by": "mmdebstrap --variant=minbase bookworm"}]}).encode()
    cd = hashlib.sha256(cfg).hexdigest()
    with tarfile.open(img + ".part", "w") as t:
        t.add(layer, arcname="l0/layer.tar")
        for name, data in ((f"{cd}.json", cfg), ("manifest.json", json.dumps(
                [{"Config": f"{cd}.json", "RepoTags": ["bookworm:minbase"], "Layers": ["l0/layer.tar"]}]).encode())):
            ti = tarfile.TarInfo(name)
            ti.size = len(data)
            t.addfile(ti, io.BytesIO(data))
    os.rename(img + ".part", img)
    os.unlink(layer)

root = f"{cache}/rootfs"
n_pk = sum(1 for _ in subprocess.run([hd, "image", "--rootfs", root], capture_output=True, text=True).stdout.splitlines())
for what, target in (("the bookworm image (docker save archive, one layer, every file read)", [img]),
                     ("the bookworm minbase rootfs (--rootfs)", ["--rootfs", root])):
    print(f"== SBOM (CycloneDX) + vulnerability scan of {what}, full database")
    args = [hd, "image", *target, "--sbom", "cyclonedx", "-o", f"{cache}/sbom.json", "--vulns",
            "--db", f"{cache}/db-1.0", "-f", "json", "--fail-on", "none"]
    runs = [timed(args) for _ in range(5)]
    wall = statistics.median(r[0] for r in runs)
    cpu = statistics.median(r[1] for r in runs)
    rss = max(r[2] for r in runs)
    print(f"  {n_pk} dpkg packages; median of 5: {wall * 1000:.0f} ms wall, {cpu * 1000:.0f} ms CPU, peak RSS "
          f"{rss:.0f} MiB (goals <= 1 s and <= 100 MiB: {'met' if wall <= 1 and rss <= 100 else 'NOT met'})")
    if target[0] == img:
        runs = [timed(args + ["--no-secrets"]) for _ in range(5)]
        print(f"  the same with --no-secrets (packages and vulnerabilities only): "
              f"{statistics.median(r[0] for r in runs) * 1000:.0f} ms wall, "
              f"{statistics.median(r[1] for r in runs) * 1000:.0f} ms CPU, {max(r[2] for r in runs):.0f} MiB")
    runs = [timed([hd, "image", *target, "--sbom", "cyclonedx"]) for _ in range(3)]
    print(f"  SBOM alone (on standard output): {statistics.median(r[0] for r in runs) * 1000:.0f} ms wall, "
          f"{statistics.median(r[1] for r in runs) * 1000:.0f} ms CPU, {max(r[2] for r in runs):.0f} MiB")
runs = [timed([hd, "image", img, "--fail-on", "none"]) for _ in range(3)]
print(f"  for comparison, `hardock image` of the archive without --sbom/--vulns: "
      f"{statistics.median(r[0] for r in runs) * 1000:.0f} ms wall, {max(r[2] for r in runs):.0f} MiB")

print("== per-package lookup (indexed (eco, name)), mean over 200,000 lookups")
pairs = []
for line in open(f"{root}/var/lib/dpkg/status", errors="replace"):
    if line.startswith("Package: "):
        pairs.append(("debian:bookworm", line.split()[1]))
for i in range(0, 3000, 7):
    pairs += [("npm", f"gen-npm-{i}"), ("PyPI", f"gen-pkg-{i}"), ("Go", f"github.com/gen{i}/mod{i}"),
              ("Maven", f"org.gen{i}:artifact-{i}"), ("npm", f"absent-{i}")]
data = "".join(f"{e}\t{n}\n" for e, n in pairs)
absent = "".join(f"{e}\tabsent-{i}\n" for i in range(2000) for e in ("npm", "PyPI", "debian:bookworm"))
for frac in ("0.1", "0.5", "1.0"):
    out = subprocess.run([f"{cache}/vuln-lookup", f"{cache}/db-{frac}", "200000"], input=data,
                         capture_output=True, text=True).stdout.strip()
    miss = subprocess.run([f"{cache}/vuln-lookup", f"{cache}/db-{frac}", "200000"], input=absent,
                          capture_output=True, text=True).stdout.strip().split(",")[0]
    print(f"  {float(frac) * 100:5.0f}% of the feeds ({sizes[frac]:4d} MiB): {out}; names with no record: {miss}")
print(f"load average after: {open('/proc/loadavg').read().strip()}")
PY
