#!/usr/bin/python3
"""Generates vulnerability feeds of real size in their upstream formats, for
bench/vuln.sh (these machines cannot download the real ones):

  debian-tracker.json   the Debian Security Tracker JSON with CVE-release
                        entries (default 100,000: 25,000 CVEs x 4 releases)
  osv/<Eco>-all.zip     OSV exports with records (default 200,000 split over
                        npm, PyPI, Go and Maven), each record about 1 KiB

Package names include those of a given dpkg status file (the bookworm
rootfs), so a scan of it finds matches.  Deterministic (seeded).

Usage: vuln-feedgen.py OUTDIR [--debian N] [--osv N] [--status FILE] [--fraction F]
--fraction keeps that share of each feed (for lookups against smaller databases).
"""
import argparse
import io
import json
import os
import random
import zipfile

p = argparse.ArgumentParser()
p.add_argument("out")
p.add_argument("--debian", type=int, default=100000)
p.add_argument("--osv", type=int, default=200000)
p.add_argument("--status")
p.add_argument("--fraction", type=float, default=1.0)
a = p.parse_args()
rng = random.Random(1302)
os.makedirs(os.path.join(a.out, "osv"), exist_ok=True)

real = []
if a.status:
    for line in open(a.status, encoding="utf-8", errors="replace"):
        if line.startswith("Source: "):
            real.append(line.split()[1])
        elif line.startswith("Package: "):
            real.append(line.split()[1])
real = sorted(set(real))
releases = ["bullseye", "bookworm", "trixie", "sid"]
urg = ["low", "medium", "high", "unimportant", "not yet assigned", "low**", "medium**", "high**"]


def ver(r):
    return f"{r.randrange(0, 10)}.{r.randrange(0, 30)}.{r.randrange(0, 50)}-{r.randrange(1, 9)}"


# ---- Debian tracker: CVEs per package, 4 releases each ----
n_cve = int(a.debian * a.fraction) // len(releases)
pkgs = {}
names = real + [f"src{i:05d}" for i in range(max(1, n_cve // 5))]
for i in range(n_cve):
    pkg = names[i % len(names)] if i < len(real) * 3 else rng.choice(names)
    cve = f"CVE-{2015 + i % 10}-{10000 + i}"
    rels = {}
    for rel in releases:
        x = rng.random()
        if x < 0.55:
            rels[rel] = {"status": "resolved", "repositories": {rel: ver(rng)}, "fixed_version": ver(rng),
                         "urgency": rng.choice(urg)}
        elif x < 0.65:
            rels[rel] = {"status": "resolved", "repositories": {rel: ver(rng)}, "fixed_version": "0",
                         "urgency": "unimportant"}
        elif x < 0.9:
            rels[rel] = {"status": "open", "repositories": {rel: ver(rng)}, "urgency": rng.choice(urg)}
            if rng.random() < 0.3:
                rels[rel]["nodsa"] = "Minor issue"
                rels[rel]["nodsa_reason"] = rng.choice(["ignored", "postponed", ""])
        else:
            rels[rel] = {"status": "undetermined", "repositories": {rel: ver(rng)}, "urgency": "not yet assigned"}
    pkgs.setdefault(pkg, {})[cve] = {"scope": "remote", "debianbug": 1000000 + i,
                                     "description": f"A generated flaw {i} in {pkg} allows attackers to do "
                                                    f"something bad via crafted input number {i}.",
                                     "releases": rels}
with open(os.path.join(a.out, "debian-tracker.json"), "w") as f:
    json.dump(pkgs, f, indent=2)

# ---- OSV exports ----
ecos = [("npm", 0.4), ("PyPI", 0.3), ("Go", 0.15), ("Maven", 0.15)]
total = int(a.osv * a.fraction)
details = ("This is generated text standing in for an advisory's details, long enough to weigh like a real "
           "record: the product parses input without bounds, an attacker sends a crafted request, and the "
           "process crashes or runs code. Upgrade to a fixed version. ") * 2
for eco, share in ecos:
    n = int(total * share)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for i in range(n):
            if eco == "Maven":
                name = f"org.gen{i % 4000}:artifact-{i % 9000}"
            elif eco == "Go":
                name = f"github.com/gen{i % 3000}/mod{i % 7000}"
            elif eco == "PyPI":
                name = f"gen-pkg-{i % 20000}"
            else:
                name = f"gen-npm-{i % 30000}"
            vid = f"GHSA-{eco[:2].lower()}{i:06d}-x{i % 97:02d}y-z{i % 89:02d}w"
            intro = f"{rng.randrange(0, 3)}.{rng.randrange(0, 10)}.0"
            fixed = f"{rng.randrange(3, 6)}.{rng.randrange(0, 10)}.{rng.randrange(0, 10)}"
            rec = {"schema_version": "1.6.0", "id": vid, "modified": "2025-11-01T12:00:00Z",
                   "published": "2024-03-01T12:00:00Z", "aliases": [f"CVE-2024-{100000 + i}"],
                   "summary": f"Generated advisory {i} for {name}", "details": details,
                   "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:L/A:N"}],
                   "affected": [{"package": {"ecosystem": eco, "name": name,
                                             "purl": f"pkg:{eco.lower()}/{name}"},
                                 "ranges": [{"type": "SEMVER" if eco in ("npm", "Go") else "ECOSYSTEM",
                                             "events": [{"introduced": intro}, {"fixed": fixed}]}],
                                 "database_specific": {"source": "generated"}}],
                   "references": [{"type": "ADVISORY", "url": f"https://example.invalid/{vid}"}]}
            z.writestr(f"{vid}.json", json.dumps(rec))
    with open(os.path.join(a.out, "osv", f"{eco}-all.zip"), "wb") as f:
        f.write(buf.getvalue())
n_entries = sum(len(r["releases"]) for p in pkgs.values() for r in p.values())
print(f"debian: {n_entries} CVE-release entries in {len(pkgs)} packages; osv: {total} records")
