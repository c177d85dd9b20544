#!/bin/sh
# Agreement with hadolint's documented behaviour: every case of cases.tsv is
# linted and judged by whether a finding of a rule carrying that hadolint id
# is reported.  Prints the mismatches and the agreement figure; fails on a
# mismatch that is not a documented difference (`differs-*`) and when the
# agreement falls below 97%.
set -u
: "${HARDOCK:?}" "${SRCDIR:?}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
/usr/bin/python3 - "$HARDOCK" "$SRCDIR/tests/hadolint/cases.tsv" "$tmp" <<'PY'
import json, os, subprocess, sys
hd, cases, tmp = sys.argv[1:4]
passed = failed = 0
agree = total = 0
per_rule = {}
for n, line in enumerate(open(cases, encoding="utf-8"), 1):
    line = line.rstrip("\n")
    if not line or line.startswith("#"):
        continue
    fields = line.split("\t")
    dl, expect, text = fields[:3]
    rule = dl.split(":")[-1]
    unescape = lambda t: t.replace("\\\\", "\x00").replace("\\n", "\n").replace("\x00", "\\")
    path = os.path.join(tmp, "case%d.Dockerfile" % n)
    with open(path, "w", encoding="utf-8") as f:
        f.write(unescape(text) + "\n")
    cmd = [hd, "lint", "--format", "json"]
    if len(fields) > 3:
        # A fourth field is the hadolint configuration the case runs with (.hadolint.yaml keys).
        cfg = os.path.join(tmp, "case%d.hadolint.yaml" % n)
        with open(cfg, "w", encoding="utf-8") as f:
            f.write(unescape(fields[3]) + "\n")
        cmd += ["-c", cfg]
    p = subprocess.run(cmd + [path], capture_output=True, text=True)
    if p.returncode > 2 or "Sanitizer" in p.stderr or "runtime error:" in p.stderr:
        print("FAIL line %d: hardock crashed (exit %d)" % (n, p.returncode))
        failed += 1
        continue
    fired = any(rule in (f.get("references", {}).get("hadolint") or []) for f in json.loads(p.stdout)["findings"])
    hadolint_fires = expect in ("catch", "differs-catch")
    documented_difference = expect.startswith("differs-")
    total += 1
    per_rule.setdefault(rule, [0, 0])
    per_rule[rule][1] += 1
    if fired == hadolint_fires:
        agree += 1
        per_rule[rule][0] += 1
    if (fired == hadolint_fires) != documented_difference:
        passed += 1
    else:
        failed += 1
        print("FAIL line %d: %s %s, hardock %s: %s" % (n, dl, expect, "fires" if fired else "is quiet", text))
pct = 100.0 * agree / total if total else 0
print("agreement with hadolint: %d of %d cases (%.1f%%) over %d rules" % (agree, total, pct, len(per_rule)))
for r, (a, t) in sorted(per_rule.items()):
    if a != t:
        print("  %s: %d of %d" % (r, a, t))
if pct < 97.0:
    failed += 1
    print("FAIL agreement below 97%")
else:
    passed += 1
print("%d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)
PY
