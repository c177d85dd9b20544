#!/usr/bin/python3
"""End-to-end tests of the vulnerability database and scans.

Writes feeds in their upstream formats (Debian Security Tracker JSON, Alpine
secdb, OSV records validated against $SHARED/schemas/osv-schema.json, an OSV
all.zip), imports them and the excerpts of $SHARED/vulndata, serves them to
`hardock db update` from a loopback HTTP server, feeds bad input (truncated,
wrongly typed, huge strings, a zip bomb, schema-breaking OSV records) and
checks the database is left as it was, then scans root filesystems with
known answers: a Debian bookworm built by mmdebstrap (cached in the build
directory), and crafted Alpine and language-package trees.  SBOMs of them
are validated against the CycloneDX 1.6 and SPDX 2.3 schemas.

Usage: scan.py HARDOCK BUILD_DIR.  Prints "N passed, N failed" last.
"""
import gzip
import hashlib
import http.server
import io
import json
import os
import shutil
import socketserver
import struct
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
import zipfile

HARDOCK = os.path.abspath(sys.argv[1])
BUILD = os.path.abspath(sys.argv[2])
HERE = os.path.dirname(os.path.abspath(__file__))
SHARED = os.environ.get("SHARED") or os.path.join(HERE, "../../../shared")
PY = "/usr/bin/python3"

passed = failed = 0


def check(ok, what, detail=""):
    global passed, failed
    if ok:
        passed += 1
        print(f"ok   {what}")
    else:
        failed += 1
        print(f"FAIL {what}")
        if detail:
            print("     " + str(detail).replace("\n", "\n     ")[:3000])


def run(*args, env=None, cwd=None):
    e = dict(os.environ, NO_COLOR="1")
    e.pop("HARDOCK_DB", None)
    if env:
        e.update(env)
    r = subprocess.run([HARDOCK, *args], capture_output=True, text=True, env=e, cwd=cwd)
    crashed = r.returncode > 2 or r.returncode < 0 or "Sanitizer" in r.stderr or "runtime error:" in r.stderr
    if crashed:
        check(False, f"no crash: hardock {' '.join(args)}", r.stderr[-2000:])
    return r


def write(path, data, mode=None):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb" if isinstance(data, bytes) else "w") as f:
        f.write(data)
    if mode:
        os.chmod(path, mode)


def validate(schema, path):
    r = subprocess.run([PY, os.path.join(HERE, "validate-json.py"), schema, path], capture_output=True, text=True,
                       env=dict(os.environ, SHARED=SHARED))
    return r.returncode == 0, r.stdout + r.stderr


def db_state(db):
    """The database file's content hash and its sources without ages (unchanged means both equal)."""
    path = os.path.join(db, "vuln.db")
    if not os.path.exists(path):
        return None
    with open(path, "rb") as f:
        digest = hashlib.sha256(f.read()).hexdigest()
    r = run("db", "status", "--db", db, "--format", "json")
    srcs = [(s["name"], s["records"]) for s in json.loads(r.stdout)] if r.returncode == 0 else r.stderr
    return digest, srcs


def findings(r):
    """(package, primary id) of each image/vulnerable-package finding of a JSON report."""
    doc = json.loads(r.stdout)
    out = []
    for f in doc["findings"]:
        if f.get("rule") != "image/vulnerable-package":
            continue
        msg = f["message"]
        words = msg.split()
        pkg = words[1]
        vid = msg.split(" is affected by ")[1].split(":")[0].split(",")[0]
        out.append((pkg, vid))
    return sorted(out)


# ---- fixtures in the upstream formats ----------------------------------------

def osv(vid, eco, name, ranges=None, versions=None, aliases=None, severity=None, withdrawn=None, summary=None,
        **extra):
    rec = {"schema_version": "1.6.0", "id": vid, "modified": "2024-05-01T10:00:00Z",
           "published": "2024-01-01T00:00:00Z"}
    if aliases:
        rec["aliases"] = aliases
    if summary:
        rec["summary"] = summary
    if withdrawn:
        rec["withdrawn"] = withdrawn
    if severity:
        rec["severity"] = [{"type": "CVSS_V3", "score": severity}]
    aff = {"package": {"ecosystem": eco, "name": name}}
    if ranges:
        aff["ranges"] = ranges
    if versions:
        aff["versions"] = versions
    rec["affected"] = [aff]
    rec.update(extra)
    return rec


def semver(*events, t="SEMVER"):
    return [{"type": t, "events": [dict([e]) for e in events]}]


CRIT = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H"      # 10.0
HIGH = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N"      # 7.5
MED = "CVSS:3.1/AV:N/AC:L/PR:L/UI:R/S:U/C:L/I:L/A:N"       # 4.6

OSV_NPM = [
    osv("GHSA-35jh-r3h4-6jhm", "npm", "lodash", semver(("introduced", "0"), ("fixed", "4.17.21")),
        aliases=["CVE-2021-23337"], severity=HIGH, summary="Command injection in lodash"),
    osv("OSV-2021-23337", "npm", "lodash", semver(("introduced", "4.0.0"), ("fixed", "4.17.21")),
        aliases=["CVE-2021-23337"], summary="The same, as another database knows it"),
    osv("GHSA-p6mc-m468-83gw", "npm", "lodash", semver(("introduced", "0"), ("fixed", "4.17.19")),
        aliases=["CVE-2020-8203"], severity=HIGH, summary="Already fixed in the installed version"),
    osv("GHSA-wwww-xxxx-yyyy", "npm", "lodash", semver(("introduced", "0"), ("fixed", "5.0.0")),
        withdrawn="2024-06-01T00:00:00Z", summary="Withdrawn"),
    osv("GHSA-aaaa-bbbb-cccc", "npm", "left-pad", versions=["1.0.0", "1.1.0"], severity=MED,
        summary="Listed versions"),
    osv("GHSA-limi-tlim-itli", "npm", "x", semver(("introduced", "0"), ("limit", "2.0.0")),
        summary="Limited range: 3.0.0 is past it"),
    osv("GHSA-scop-edsc-oped", "npm", "@scope/y", semver(("introduced", "1.0.0"), ("last_affected", "1.2.0")),
        summary="Scoped, last_affected"),
]
OSV_OTHER = [
    osv("PYSEC-2024-1", "PyPI", "Flask_Cors", semver(("introduced", "0"), ("fixed", "4.0.1"), t="ECOSYSTEM"),
        aliases=["CVE-2024-1681"], severity=MED, summary="Log injection"),
    osv("PYSEC-2024-2", "PyPI", "requests", semver(("introduced", "2.0"), ("last_affected", "2.31.0"), t="ECOSYSTEM"),
        summary="No fix yet"),
    osv("PYSEC-2024-3", "PyPI", "six", semver(("introduced", "0"), ("fixed", "99"), t="ECOSYSTEM"),
        summary="six as installed by dpkg must not be matched"),
    osv("GO-2023-2102", "Go", "golang.org/x/net", semver(("introduced", "0"), ("fixed", "0.17.0")),
        aliases=["CVE-2023-39325"], severity=HIGH, summary="HTTP/2 rapid reset"),
    osv("GO-2024-2598", "Go", "stdlib", semver(("introduced", "0"), ("fixed", "1.21.8")),
        summary="The standard library"),
    osv("GHSA-jfh8-c2jp-5v3q", "Maven", "org.apache.logging.log4j:log4j-core",
        semver(("introduced", "2.0-beta9"), ("fixed", "2.15.0"), t="ECOSYSTEM"), aliases=["CVE-2021-44228"],
        severity=CRIT, summary="Log4Shell"),
    osv("ALPINE-CVE-2023-5678", "Alpine:v3.19", "openssl",
        semver(("introduced", "0"), ("fixed", "3.1.4-r5"), t="ECOSYSTEM"), summary="secondary source, unused"),
]

DEBIAN_TRACKER = {
    "zlib": {"CVE-2023-45853": {"description": "MiniZip in zlib through 1.3 has an integer overflow", "releases": {
        "bookworm": {"status": "open", "urgency": "unimportant", "repositories": {"bookworm": "1:1.2.13.dfsg-1"},
                     "nodsa": "Minor issue"},
        "sid": {"status": "resolved", "fixed_version": "1:1.3.dfsg-3.1", "urgency": "unimportant"}}}},
    "glibc": {
        "CVE-2099-0001": {"description": "fixed in a later point release", "releases": {
            "bookworm": {"status": "resolved", "fixed_version": "2.36-9+deb12u9999", "urgency": "high"}}},
        "CVE-2099-0002": {"description": "already fixed", "releases": {
            "bookworm": {"status": "resolved", "fixed_version": "2.36-9+deb12u1", "urgency": "high"}}},
        "CVE-2099-0003": {"description": "never affected bookworm", "releases": {
            "bookworm": {"status": "resolved", "fixed_version": "0", "urgency": "high"}}},
        "CVE-2099-0004": {"description": "postponed", "releases": {
            "bookworm": {"status": "open", "urgency": "low", "nodsa": "Minor issue", "nodsa_reason": "postponed"}}},
        "CVE-2099-0005": {"description": "no fix yet", "releases": {
            "bookworm": {"status": "open", "urgency": "medium**"}}},
        "CVE-2099-0006": {"description": "only bullseye", "releases": {
            "bullseye": {"status": "open", "urgency": "high"}}}},
    "six": {"CVE-2099-0010": {"description": "six in Debian", "releases": {
        "bookworm": {"status": "resolved", "fixed_version": "1.16.0-5", "urgency": "low"}}}},
}

ALPINE_SECDB = {"apkurl": "{{urlprefix}}/{{distroversion}}/{{reponame}}/{{arch}}/{{pkg.name}}-{{pkg.ver}}.apk",
                "archs": ["x86_64"], "reponame": "main", "urlprefix": "https://dl-cdn.alpinelinux.org/alpine",
                "distroversion": "v3.19", "packages": [
                    {"pkg": {"name": "openssl", "secfixes": {
                        "3.1.4-r3": ["CVE-2023-6129"], "3.1.2-r0": ["CVE-2023-3817"],
                        "3.1.4-r5": ["CVE-2024-0727 GHSA-9v9h-cgj8-h64p"]}}},
                    {"pkg": {"name": "busybox", "secfixes": {"0": ["CVE-2021-42373"]}}},
                    {"pkg": {"name": "musl", "secfixes": {"1.2.2_pre2-r0": ["CVE-2020-28928"]}}}]}


def go_binary(path, mods, go="go1.21.5"):
    start = b"0w\xaf\x0c\x92t\x08\x02\x41\xe1\xc1\x07\xe6\xd6\x18\xe6"
    end = b"\xf92C1\x86\x18 r\x00\x82B\x10A\x16\xd8\xf2"
    info = start + mods.encode() + end

    def uvarint(n):
        out = b""
        while True:
            b = n & 0x7f
            n >>= 7
            out += bytes([b | (0x80 if n else 0)])
            if not n:
                return out
    hdr = b"\xff Go buildinf:" + bytes([8, 2]) + b"\0" * 16 + uvarint(len(go)) + go.encode() + uvarint(len(info)) + info
    body = bytearray(os.urandom(100000))
    body[8192:8192 + len(hdr)] = hdr
    write(path, bytes(body), 0o755)


def jar(path, entries):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in entries:
            z.writestr(name, data)
    write(path, buf.getvalue())
    return buf.getvalue()


def lang_tree(root):
    write(f"{root}/etc/os-release", "ID=debian\nVERSION_ID=\"12\"\nVERSION_CODENAME=bookworm\n")
    write(f"{root}/var/lib/dpkg/status", "Package: python3-six\nStatus: install ok installed\nSource: six\n"
          "Version: 1.16.0-4\nArchitecture: all\n")
    write(f"{root}/var/lib/dpkg/info/python3-six.list", "/usr/lib/python3/dist-packages/six-1.16.0.dist-info\n"
          "/usr/lib/python3/dist-packages/six-1.16.0.dist-info/METADATA\n")
    write(f"{root}/usr/lib/python3/dist-packages/six-1.16.0.dist-info/METADATA", "Name: six\nVersion: 1.16.0\n")
    write(f"{root}/usr/local/lib/python3.11/dist-packages/Flask_Cors-4.0.0.dist-info/METADATA",
          "Metadata-Version: 2.1\nName: Flask-Cors\nVersion: 4.0.0\n")
    write(f"{root}/usr/local/lib/python3.11/dist-packages/requests-2.31.0.dist-info/METADATA",
          "Name: requests\nVersion: 2.31.0\n")
    write(f"{root}/srv/app/package-lock.json", json.dumps({"lockfileVersion": 3, "packages": {
        "": {"name": "app"}, "node_modules/lodash": {"version": "4.17.20"},
        "node_modules/left-pad": {"version": "1.0.0"}, "node_modules/x": {"version": "3.0.0"},
        "node_modules/@scope/y": {"version": "1.1.0"}}}))
    write(f"{root}/srv/app/node_modules/lodash/package.json", json.dumps({"name": "lodash", "version": "4.17.20"}))
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as z:
        z.writestr("META-INF/maven/org.yaml/snakeyaml/pom.properties",
                   "groupId=org.yaml\nartifactId=snakeyaml\nversion=1.33\n")
    jar(f"{root}/opt/app/app.jar", [
        ("META-INF/MANIFEST.MF", "Manifest-Version: 1.0\n"),
        ("META-INF/maven/org.apache.logging.log4j/log4j-core/pom.properties",
         "groupId=org.apache.logging.log4j\nartifactId=log4j-core\nversion=2.14.1\n"),
        ("BOOT-INF/lib/snakeyaml-1.33.jar", inner.getvalue())])
    go_binary(f"{root}/usr/local/bin/tool", "path\texample.com/tool\nmod\texample.com/tool\t(devel)\t\n"
              "dep\tgolang.org/x/net\tv0.7.0\th1:x=\n")
    os.symlink("/etc/passwd", f"{root}/srv/app/escape.json")  # never followed


def alpine_tree(root):
    write(f"{root}/etc/os-release", "NAME=\"Alpine Linux\"\nID=alpine\nVERSION_ID=3.19.1\n")
    write(f"{root}/lib/apk/db/installed",
          "P:libcrypto3\nV:3.1.4-r1\nA:x86_64\no:openssl\nL:Apache-2.0\nF:usr/lib\nR:libcrypto.so.3\n\n"
          "P:libssl3\nV:3.1.4-r5\nA:x86_64\no:openssl\n\n"
          "P:busybox\nV:1.36.1-r15\nA:x86_64\no:busybox\n\n"
          "P:musl\nV:1.2.4_git20230717-r4\nA:x86_64\no:musl\n\n"
          "P:py3-pip\nV:23.3.1-r0\nA:noarch\no:py3-pip\n"
          "F:usr/lib/python3.11/site-packages/pip-23.3.1.dist-info\nR:METADATA\n\n")
    write(f"{root}/usr/lib/python3.11/site-packages/pip-23.3.1.dist-info/METADATA", "Name: pip\nVersion: 23.3.1\n")


def bookworm(cache):
    """A Debian bookworm minbase rootfs from mmdebstrap, cached as a tarball."""
    tar = os.path.join(cache, "bookworm-minbase.tar")
    root = os.path.join(cache, "bookworm-minbase")
    if not os.path.exists(tar):
        os.makedirs(cache, exist_ok=True)
        # The name must end in .tar: mmdebstrap picks the output format from it
        # (a ".part" suffix made it write a directory).
        part = os.path.join(cache, "part.tar")
        r = subprocess.run(["mmdebstrap", "--variant=minbase", "--quiet", "bookworm", part],
                           capture_output=True, text=True)
        if r.returncode != 0:
            check(False, "mmdebstrap builds a bookworm rootfs", r.stderr[-2000:])
            return None
        os.rename(part, tar)
    if not os.path.isdir(os.path.join(root, "var")):
        shutil.rmtree(root, ignore_errors=True)
        os.makedirs(root)
        subprocess.run(["tar", "-C", root, "-xf", tar], check=True)
    return root


def tar_tree(root, extra=()):
    """An uncompressed layer tar of the tree at root (symbolic links kept), plus (name, bytes) entries."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as t:
        if root:
            for name in sorted(os.listdir(root)):
                t.add(os.path.join(root, name), arcname=name)
        for name, data in extra:
            ti = tarfile.TarInfo(name)
            ti.size = len(data)
            t.addfile(ti, io.BytesIO(data))
    return buf.getvalue()


def save_image(path, layers, tag="scan:1", oci=False):
    """A docker save archive (or, with oci, an OCI layout directory with gzip layers) of the layer tars."""
    diff_ids = ["sha256:" + hashlib.sha256(l).hexdigest() for l in layers]
    config = json.dumps({"architecture": "amd64", "os": "linux", "config": {"User": "1000"},
                         "rootfs": {"type": "layers", "diff_ids": diff_ids},
                         "history": [{"created_by": f"/bin/sh -c #(nop) layer {i}"} for i in range(len(layers))]}
                        ).encode()
    cdig = hashlib.sha256(config).hexdigest()
    if not oci:
        with tarfile.open(path, "w") as t:
            def add(name, data):
                ti = tarfile.TarInfo(name)
                ti.size = len(data)
                t.addfile(ti, io.BytesIO(data))
            names = []
            for i, l in enumerate(layers):
                names.append(f"{i:02d}/layer.tar")
                add(names[-1], l)
            add(f"{cdig}.json", config)
            add("manifest.json", json.dumps([{"Config": f"{cdig}.json", "RepoTags": [tag], "Layers": names}]).encode())
        return

    def blob(data):
        d = hashlib.sha256(data).hexdigest()
        write(f"{path}/blobs/sha256/{d}", data)
        return {"digest": f"sha256:{d}", "size": len(data)}
    gz = [gzip.compress(l, mtime=0) for l in layers]
    man = {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
           "config": dict(blob(config), mediaType="application/vnd.oci.image.config.v1+json"),
           "layers": [dict(blob(g), mediaType="application/vnd.oci.image.layer.v1.tar+gzip") for g in gz]}
    md = blob(json.dumps(man).encode())
    write(f"{path}/oci-layout", json.dumps({"imageLayoutVersion": "1.0.0"}))
    write(f"{path}/index.json", json.dumps({"schemaVersion": 2, "manifests": [dict(
        md, mediaType="application/vnd.oci.image.manifest.v1+json",
        annotations={"org.opencontainers.image.ref.name": tag})]}))


def sbom_purls(path):
    doc = json.load(open(path))
    if "components" in doc:
        return sorted(c.get("purl", "") for c in doc["components"] if c.get("purl"))
    return sorted(r["referenceLocator"] for p in doc["packages"] for r in p.get("externalRefs", []))


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *a):
        pass


def main():
    work = tempfile.mkdtemp(prefix="hd-vuln-")
    try:
        run_all(work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


def run_all(work):
    feeds = os.path.join(work, "feeds")
    os.makedirs(feeds)
    # OSV records are checked against the schema before use.
    for i, rec in enumerate(OSV_NPM + OSV_OTHER):
        write(f"{feeds}/osv/{rec['id']}.json", json.dumps(rec))
    ok, why = validate("osv-schema.json", f"{feeds}/osv/GHSA-35jh-r3h4-6jhm.json")
    bad_schema = [n for n in sorted(os.listdir(f"{feeds}/osv")) if not validate("osv-schema.json", f"{feeds}/osv/{n}")[0]]
    check(not bad_schema, "the OSV fixtures are valid against osv-schema.json", bad_schema)
    zbuf = io.BytesIO()
    with zipfile.ZipFile(zbuf, "w", zipfile.ZIP_DEFLATED) as z:
        for rec in OSV_NPM:
            z.writestr(f"{rec['id']}.json", json.dumps(rec))
    write(f"{feeds}/npm-all.zip", zbuf.getvalue())
    write(f"{feeds}/tracker.json", json.dumps(DEBIAN_TRACKER, indent=1))
    write(f"{feeds}/alpine-v3.19-main.json", json.dumps(ALPINE_SECDB))
    for rec in OSV_OTHER:
        write(f"{feeds}/other/{rec['id']}.json", json.dumps(rec))

    # ---- the shared excerpts ----
    db0 = os.path.join(work, "db-shared")
    r = run("db", "import", "--db", db0, os.path.join(SHARED, "vulndata"))
    check(r.returncode == 0, "db import of $SHARED/vulndata", r.stderr)
    r = run("db", "status", "--db", db0, "--format", "json")
    srcs = {s["name"]: s["records"] for s in json.loads(r.stdout)} if r.returncode == 0 else {}
    check(srcs == {"alpine-secdb v3.15/community": 3, "alpine-secdb v3.15/main": 13, "debian-tracker": 5},
          "db status counts the excerpts' records per source", srcs)
    r = run("db", "status", "--db", db0)
    check(r.returncode == 0 and "debian-tracker" in r.stdout and "RECORDS" in r.stdout, "db status as text",
          r.stdout)

    # ---- our feeds ----
    db = os.path.join(work, "db")
    r = run("db", "import", "--db", db, f"{feeds}/tracker.json", f"{feeds}/alpine-v3.19-main.json",
            f"{feeds}/npm-all.zip", f"{feeds}/other")
    check(r.returncode == 0, "db import of tracker, secdb, OSV zip and OSV records", r.stderr)
    r = run("db", "status", "--db", db, "--format", "json")
    srcs = {s["name"]: s["records"] for s in json.loads(r.stdout)} if r.returncode == 0 else {}
    check(srcs.get("debian-tracker") == 7 and srcs.get("alpine-secdb v3.19/main") == 4 and
          srcs.get("osv npm") == 6 and srcs.get("osv PyPI") == 3 and srcs.get("osv Go") == 2 and
          srcs.get("osv Maven") == 1, "records per source (not-affected and withdrawn left out)", srcs)
    # Importing the same zip again replaces its source; no duplicates.
    r = run("db", "import", "--db", db, f"{feeds}/npm-all.zip")
    r2 = run("db", "status", "--db", db, "--format", "json")
    srcs2 = {s["name"]: s["records"] for s in json.loads(r2.stdout)} if r2.returncode == 0 else {}
    check(r.returncode == 0 and srcs2 == srcs, "importing a feed again replaces its source", srcs2)

    # ---- bad input leaves the database unchanged ----
    before = db_state(db)
    tracker_text = open(f"{feeds}/tracker.json").read()
    huge = osv("GHSA-huge-huge-huge", "npm", "h", semver(("introduced", "0")), summary="x" * (2 * 1024 * 1024))
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("GHSA-ok00-ok00-ok00.json", json.dumps(OSV_NPM[0]))
        z.writestr("GHSA-bomb-bomb-bomb.json", b"{\"id\": \"GHSA-bomb-bomb-bomb\", \"x\": \"" + b" " * (80 << 20) + b"\"}")
    no_intro = osv("GHSA-noin-noin-noin", "npm", "z", semver(("fixed", "1.0")))
    unknown_field = dict(osv("GHSA-unkn-unkn-unkn", "npm", "z", semver(("introduced", "0"))), foo=1)
    bad_prefix = osv("NOPE-2024-1", "npm", "z", semver(("introduced", "0")))
    both = osv("GHSA-both-both-both", "npm", "z", semver(("introduced", "0"), ("fixed", "2"), ("last_affected", "1")))
    bad_eco = osv("GHSA-beco-beco-beco", "npmjs", "z", semver(("introduced", "0")))
    cases = [
        ("truncated tracker JSON", "trunc.json", tracker_text[:len(tracker_text) // 2], "cut short"),
        ("wrongly typed tracker JSON", "typed.json",
         json.dumps({"zlib": {"CVE-2024-1": {"releases": {"bookworm": {"status": 5}}}}}), "'status' must be a string"),
        ("tracker releases not an object", "typed2.json",
         json.dumps({"zlib": {"CVE-2024-1": {"releases": "bookworm"}}}), "'releases' must be an object"),
        ("a huge string", "huge.json", json.dumps(huge), "more than the limit"),
        ("a zip bomb", "bomb.zip", bomb.getvalue(), "zip bomb"),
        ("OSV without introduced", "noin.json", json.dumps(no_intro), "no 'introduced'"),
        ("OSV with an unknown field", "unk.json", json.dumps(unknown_field), "unknown field 'foo'"),
        ("OSV with an unknown id prefix", "pfx.json", json.dumps(bad_prefix), "known database prefix"),
        ("OSV with fixed and last_affected", "both.json", json.dumps(both), "exclude each other"),
        ("OSV with an unknown ecosystem", "eco.json", json.dumps(bad_eco), "not an OSV ecosystem"),
        ("a file in no feed format", "notes.txt", "hello\n", "cannot tell the feed format"),
        ("an empty file", "empty.json", "", "empty"),
        ("a truncated zip", "cut.zip", zbuf.getvalue()[:200], "zip"),
    ]
    for what, name, data, needle in cases:
        path = f"{work}/bad/{name}"
        write(path, data)
        if name.endswith(".json") and name not in ("trunc.json", "typed.json", "typed2.json", "empty.json"):
            valid, _ = validate("osv-schema.json", path) if name != "huge.json" else (True, "")
            if name != "huge.json":
                check(not valid, f"{what}: the OSV schema rejects it too")
        # A good file first: it must be rolled back with the bad one.
        r = run("db", "import", "--db", db, f"{feeds}/other/GO-2023-2102.json", path)
        check(r.returncode == 2 and needle in r.stderr and name in r.stderr and "unchanged" in r.stderr,
              f"{what}: a clear error (exit 2)", f"exit {r.returncode}: {r.stderr}")
        check(db_state(db) == before, f"{what}: the database is unchanged")

    # ---- db update from a loopback HTTP server ----
    os.utime(f"{feeds}/tracker.json", (time.time() - 10 * 86400, time.time() - 10 * 86400))
    handler = lambda *a, **k: Quiet(*a, directory=feeds, **k)
    srv = socketserver.TCPServer(("127.0.0.1", 0), handler)
    port = srv.server_address[1]
    th = threading.Thread(target=srv.serve_forever, daemon=True)
    th.start()
    try:
        dbu = os.path.join(work, "db-update")
        base = f"http://127.0.0.1:{port}"
        r = run("db", "update", "--db", dbu, "--feed", f"{base}/tracker.json", "--feed",
                f"{base}/alpine-v3.19-main.json", "--feed", f"{base}/npm-all.zip")
        check(r.returncode == 0, "db update from feed URLs on loopback", r.stderr)
        r = run("db", "status", "--db", dbu, "--format", "json")
        st = {s["name"]: s for s in json.loads(r.stdout)} if r.returncode == 0 else {}
        check(set(st) == {"debian-tracker", "alpine-secdb v3.19/main", "osv npm"} and
              st["osv npm"]["origin"] == f"{base}/npm-all.zip", "db update stored each feed as a source", st)
        check(st and st["debian-tracker"]["age_seconds"] > 9 * 86400,
              "the feed's age comes from the server's Last-Modified", st.get("debian-tracker"))
        ustate = db_state(dbu)
        r = run("db", "update", "--db", dbu, "--feed", f"{base}/tracker.json", "--feed", f"{base}/missing.zip")
        check(r.returncode == 2 and "HTTP 404" in r.stderr and db_state(dbu) == ustate,
              "a feed that cannot be fetched fails the update and changes nothing", r.stderr)
        r = run("db", "update", "--db", dbu, "--feed", f"http://127.0.0.1:1/none", "--timeout", "5")
        check(r.returncode == 2 and "cannot fetch" in r.stderr and db_state(dbu) == ustate,
              "an unreachable feed fails the update and changes nothing", r.stderr)
    finally:
        srv.shutdown()
        srv.server_close()

    # ---- scans: language packages ----
    lang = os.path.join(work, "lang")
    lang_tree(lang)
    r = run("image", "--rootfs", lang)
    lines = r.stdout.splitlines()
    names = sorted(l.split()[1] for l in lines)
    check(r.returncode == 0 and names == sorted([
        "python3-six", "flask-cors", "requests", "lodash", "left-pad", "x", "@scope/y",
        "org.apache.logging.log4j:log4j-core", "org.yaml:snakeyaml", "golang.org/x/net", "stdlib"]),
        "catalogue of the language tree (six owned by dpkg, symlinks not followed)", r.stdout + r.stderr)
    r = run("image", "--rootfs", lang, "--vulns", "--db", db, "-f", "json")
    got = findings(r) if r.returncode in (0, 1) else []
    want = sorted([
        ("flask-cors", "CVE-2024-1681"), ("requests", "PYSEC-2024-2"), ("lodash", "CVE-2021-23337"),
        ("left-pad", "GHSA-aaaa-bbbb-cccc"), ("@scope/y", "GHSA-scop-edsc-oped"),
        ("org.apache.logging.log4j:log4j-core", "CVE-2021-44228"), ("golang.org/x/net", "CVE-2023-39325"),
        ("stdlib", "GO-2024-2598"), ("python3-six", "CVE-2099-0010")])
    check(r.returncode == 1 and got == want, "language scan: known answers (ranges, versions[], limit, "
          "last_affected, withdrawn, owned files)", f"exit {r.returncode}\n{got}\n{want}\n{r.stderr}")
    doc = json.loads(r.stdout) if r.returncode in (0, 1) else {"findings": []}
    lod = [f for f in doc["findings"] if " lodash " in f["message"]]
    check(len(lod) == 1 and "GHSA-35jh-r3h4-6jhm" in lod[0]["message"] and "OSV-2021-23337" in lod[0]["message"]
          and lod[0]["severity"] == "high" and "fixed in 4.17.21" in lod[0]["message"],
          "aliases merged: one lodash finding listing every id, with the highest severity", lod)
    crit = [f for f in doc["findings"] if "log4j" in f["message"]]
    check(crit and crit[0]["severity"] == "critical" and "CVSS 10.0" in crit[0]["message"],
          "severity from the CVSS vector", crit)
    r2 = run("image", "--rootfs", lang, "--vulns", "--db", db, "-f", "json", "--ignore-unfixed")
    got2 = findings(r2) if r2.returncode in (0, 1) else []
    check(("requests", "PYSEC-2024-2") not in got2 and ("@scope/y", "GHSA-scop-edsc-oped") not in got2 and
          ("left-pad", "GHSA-aaaa-bbbb-cccc") not in got2 and len(got2) == len(want) - 3,
          "--ignore-unfixed hides what has no fix (last_affected, versions[] only)", got2)
    r3 = run("image", "--rootfs", lang, "--vulns", "--db", db, "--fail-on", "critical", "-q")
    r4 = run("image", "--rootfs", lang, "--vulns", "--db", db, "--fail-on", "none", "-q")
    check(r3.returncode == 1 and r4.returncode == 0, "--fail-on is honoured", (r3.returncode, r4.returncode))

    # ---- the same tree as an image: two layers, the second deleting requests (a folder whiteout) ----
    img = f"{work}/lang-image.tar"
    save_image(img, [tar_tree(lang), tar_tree(None, [
        ("usr/local/lib/python3.11/dist-packages/.wh.requests-2.31.0.dist-info", b""),
        ("srv/app/node_modules/lodash/.wh..wh..opq", b"")])])
    r = run("image", img, "--vulns", "--db", db, "-f", "json")
    got = findings(r) if r.returncode in (0, 1) else []
    check(r.returncode == 1 and got == [w for w in want if w[0] != "requests"],
          "image archive: the same known answers, minus what a later layer deletes", f"{got}\n{r.stderr}")
    doc = json.loads(r.stdout) if r.returncode in (0, 1) else {"findings": []}
    rules = {f["rule"] for f in doc["findings"]}
    check("image/no-healthcheck" in rules, "the image rules still run beside --vulns", rules)
    r = run("image", img)
    check(r.returncode in (0, 1) and "vulnerable-package" not in r.stdout and "catalogue" not in r.stderr,
          "without --vulns or --sbom nothing is catalogued or matched", r.stdout[-500:] + r.stderr)
    r = run("image", img, "--sbom", "cyclonedx", env={"SOURCE_DATE_EPOCH": "1700000000"})
    sb = json.loads(r.stdout) if r.returncode == 0 else {}
    names = sorted(c["name"] for c in sb.get("components", []) if c.get("type") != "operating-system")
    check(r.returncode == 0 and "requests" not in names and "lodash" in names and "six" not in names and
          "python3-six" in names, "image SBOM alone on standard output: the final tree's packages", names)
    r = run("image", img, "--sbom", "spdx", "--vulns", "--db", db)
    check(r.returncode == 2 and "-o FILE" in r.stderr, "--sbom with --vulns needs -o FILE for the SBOM", r.stderr)
    out = f"{work}/lang-image.spdx.json"
    r = run("image", img, "--sbom", "spdx", "-o", out, "--vulns", "--db", db, "-f", "json")
    ok, why = validate("spdx-2.3-schema.json", out) if r.returncode == 1 else (False, r.stderr)
    check(ok and findings(r) == [w for w in want if w[0] != "requests"],
          "image: SBOM to -o FILE and the report on standard output", why)
    r = run("image", img, img, "--sbom", "spdx")
    check(r.returncode == 2 and "one image" in r.stderr, "--sbom takes one target", r.stderr)

    # ---- scans: Alpine ----
    alp = os.path.join(work, "alpine")
    alpine_tree(alp)
    r = run("image", "--rootfs", alp, "--vulns", "--db", db, "-f", "json")
    got = findings(r) if r.returncode in (0, 1) else []
    check(got == [("libcrypto3", "CVE-2023-6129"), ("libcrypto3", "CVE-2024-0727")],
          "Alpine scan by origin with apk order (busybox '0' and musl's older fix are not findings)",
          f"{got}\n{r.stderr}")
    oci = f"{work}/alpine-oci"
    save_image(oci, [tar_tree(alp)], tag="alpine-app:1", oci=True)
    r = run("image", oci, "--vulns", "--db", db, "-f", "json")
    got2 = findings(r) if r.returncode in (0, 1) else []
    check(r.returncode == 1 and got2 == got, "OCI layout (gzip layers): the Alpine answers", f"{got2}\n{r.stderr}")
    r = run("image", "--rootfs", alp)
    names = [l.split()[1] for l in r.stdout.splitlines()]
    check("pip" not in names and "py3-pip" in names, "pip owned by py3-pip is not catalogued again", r.stdout)

    # ---- staleness ----
    r = run("image", "--rootfs", alp, "--vulns", "--db", dbu, "-q")
    check("data 10 days old" in r.stderr and "warning" in r.stderr and "--max-db-age 7" in r.stderr and
          r.returncode != 2, "a scan states the database's age and warns past 7 days", r.stderr)
    r = run("image", "--rootfs", alp, "--vulns", "--db", dbu, "-q", "--fail-on-stale-db")
    check(r.returncode == 2 and "error" in r.stderr, "--fail-on-stale-db makes it an error", r.stderr)
    r = run("image", "--rootfs", alp, "--vulns", "--db", dbu, "-q", "--max-db-age", "30")
    check("warning" not in r.stderr and "days old" in r.stderr, "--max-db-age 30 accepts it", r.stderr)
    r = run("image", "--rootfs", alp, "--vulns", "--db", os.path.join(work, "nodb"))
    check(r.returncode == 2 and "no vulnerability database" in r.stderr and "db update" in r.stderr,
          "no database: a clear error, no download", r.stderr)
    r = run("image", "--rootfs", alp, "--vulns", env={"HARDOCK_DB": db}, cwd=work)
    check(r.returncode == 1 and f"{db}/vuln.db" in r.stderr, "HARDOCK_DB names the database", r.stderr)
    r = run("image", "--rootfs", alp, "--vulns", env={"HOME": work}, cwd=work)
    check(r.returncode == 2 and f"{work}/.cache/hardock/db" in r.stderr, "default: ~/.cache/hardock/db", r.stderr)

    # ---- SBOMs ----
    env = {"SOURCE_DATE_EPOCH": "1700000000"}
    for fmt, schema in (("cyclonedx", "cyclonedx-bom-1.6.schema.json"), ("spdx", "spdx-2.3-schema.json")):
        for tree in (lang, alp):
            out = f"{work}/{os.path.basename(tree)}.{fmt}.json"
            r = run("image", "--rootfs", tree, "--sbom", fmt, "-o", out, env=env)
            ok, why = validate(schema, out) if r.returncode == 0 else (False, r.stderr)
            check(ok, f"{fmt} SBOM of {os.path.basename(tree)} is valid against {schema}", why)
        r1 = run("image", "--rootfs", lang, "--sbom", fmt, env=env)
        r2 = run("image", "--rootfs", lang, "--sbom", fmt, env=env)
        check(r1.returncode == 0 and r1.stdout == r2.stdout and "2023-11-14T22:13:20Z" in r1.stdout,
              f"{fmt} SBOM is deterministic with SOURCE_DATE_EPOCH")
    doc = json.load(open(f"{work}/lang.cyclonedx.json"))
    purls = sorted(c.get("purl", "") for c in doc["components"])
    for want in ("pkg:deb/debian/python3-six@1.16.0-4?arch=all&distro=debian-12&upstream=six",
                 "pkg:npm/%40scope/y@1.1.0", "pkg:pypi/flask-cors@4.0.0", "pkg:golang/golang.org/x/net@v0.7.0",
                 "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1", "pkg:npm/lodash@4.17.20"):
        check(want in purls, f"CycloneDX carries purl {want}", purls)
    doc = json.load(open(f"{work}/alpine.spdx.json"))
    refs = [p["externalRefs"][0]["referenceLocator"] for p in doc["packages"] if "externalRefs" in p]
    check("pkg:apk/alpine/libcrypto3@3.1.4-r1?arch=x86_64&distro=alpine-3.19.1" in refs, "SPDX carries apk purls",
          refs)

    # ---- Debian bookworm from mmdebstrap ----
    root = bookworm(os.path.join(BUILD, "vuln-cache"))
    if not root:
        return
    r = run("image", "--rootfs", root)
    check(r.returncode == 0 and len(r.stdout.splitlines()) >= 80 and "deb     libc6 " in r.stdout,
          f"bookworm catalogue ({len(r.stdout.splitlines())} dpkg packages)", r.stderr)
    r = run("image", "--rootfs", root, "--vulns", "--db", db, "-f", "json")
    got = findings(r) if r.returncode in (0, 1) else []
    check(got == [("libc-bin", "CVE-2099-0001"), ("libc-bin", "CVE-2099-0005"), ("libc6", "CVE-2099-0001"),
                  ("libc6", "CVE-2099-0005")],
          "bookworm: glibc by source package and codename; 'unimportant', postponed, not-affected and "
          "other releases hidden", f"{got}\n{r.stderr}")
    check("3 judged minor" in r.stderr, "hidden counts are stated", r.stderr)
    r = run("image", "--rootfs", root, "--vulns", "--db", db, "-f", "json", "--show-minor")
    got = findings(r) if r.returncode in (0, 1) else []
    check(("zlib1g", "CVE-2023-45853") in got and ("libc6", "CVE-2099-0004") in got and len(got) == 7,
          "--show-minor shows zlib's unimportant CVE-2023-45853 and the postponed one", got)
    # The ignore list, with an entry in force and one expired.
    cfg = os.path.join(work, "cfg")
    write(f"{cfg}/.hardock.yaml", "ignore-vulnerabilities:\n"
          "  - id: CVE-2099-0001\n    package: libc6\n    reason: not reachable in this image\n"
          "    expires: 2999-01-01\n"
          "  - id: CVE-2099-0005\n    reason: accepted until the point release\n    expires: 2020-01-01\n")
    r = run("image", "--rootfs", root, "--vulns", "--db", db, "-f", "json", cwd=cfg)
    got = findings(r) if r.returncode in (0, 1) else []
    check(got == [("libc-bin", "CVE-2099-0001"), ("libc-bin", "CVE-2099-0005"), ("libc6", "CVE-2099-0005")],
          "ignore-vulnerabilities hides CVE-2099-0001 in libc6 only", f"{got}\n{r.stderr}")
    check("expired on 2020-01-01" in r.stderr and "1 in ignore-vulnerabilities" in r.stderr,
          "an expired ignore entry is reported", r.stderr)
    write(f"{cfg}/bad/.hardock.yaml", "ignore-vulnerabilities:\n  - id: CVE-1\n")
    r = run("image", "--rootfs", root, "--vulns", "--db", db, cwd=f"{cfg}/bad")
    check(r.returncode == 2 and "needs a 'reason'" in r.stderr, "an ignore entry without a reason is an error",
          r.stderr)
    for fmt, schema in (("cyclonedx", "cyclonedx-bom-1.6.schema.json"), ("spdx", "spdx-2.3-schema.json")):
        out = f"{work}/bookworm.{fmt}.json"
        r = run("image", "--rootfs", root, "--sbom", fmt, "-o", out, env=env)
        ok, why = validate(schema, out) if r.returncode == 0 else (False, r.stderr)
        check(ok, f"{fmt} SBOM of bookworm is valid against {schema}", why)

    # The mmdebstrap tarball itself as the layer of an image: the same packages and answers.
    with open(os.path.join(BUILD, "vuln-cache", "bookworm-minbase.tar"), "rb") as f:
        layer = f.read()
    bimg = f"{work}/bookworm-image.tar"
    save_image(bimg, [layer], tag="bookworm:minbase")
    for fmt, schema in (("cyclonedx", "cyclonedx-bom-1.6.schema.json"), ("spdx", "spdx-2.3-schema.json")):
        out = f"{work}/bookworm-image.{fmt}.json"
        r = run("image", bimg, "--sbom", fmt, "-o", out, "-q", "--fail-on", "none", env=env)
        ok, why = validate(schema, out) if r.returncode == 0 else (False, r.stderr)
        check(ok, f"{fmt} SBOM of the bookworm image is valid against {schema}", why)
        check(ok and sbom_purls(out) == sbom_purls(f"{work}/bookworm.{fmt}.json") and len(sbom_purls(out)) >= 80,
              f"{fmt} SBOM of the bookworm image lists the packages of the rootfs ({len(sbom_purls(out)) if ok else 0})")
    del layer
    r = run("image", bimg, "--vulns", "--db", db, "-f", "json", "--show-minor")
    got = findings(r) if r.returncode in (0, 1) else []
    check(("zlib1g", "CVE-2023-45853") in got and ("libc6", "CVE-2099-0004") in got and len(got) == 7,
          "bookworm image: the rootfs's answers", f"{got}\n{r.stderr[-1000:]}")


if __name__ == "__main__":
    sys.exit(main())
