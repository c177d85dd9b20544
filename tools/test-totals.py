#!/usr/bin/env python3
"""Sums the results of a meson test run: cmocka's own counts, the
"N passed, N failed" lines of script tests, or one per test. Prints the
failing tests' names and the total line; exits 1 when anything failed."""
import json
import re
import sys

passed = failed = 0
bad = []
with open(sys.argv[1], encoding="utf-8", errors="replace") as fh:
    for line in fh:
        t = json.loads(line)
        out = (t.get("stdout") or "") + "\n" + (t.get("stderr") or "")
        ok = t.get("result") in ("OK", "EXPECTEDFAIL", "SKIP")
        p = f = None
        m = re.findall(r"^\[  PASSED  \] (\d+) test", out, re.M)
        if m:
            p = sum(int(x) for x in m)
            f = sum(int(x) for x in re.findall(r"^\[  FAILED  \] (\d+) test", out, re.M))
        else:
            m = re.findall(r"^(\d+) passed, (\d+) failed", out, re.M)
            if m:
                p, f = int(m[-1][0]), int(m[-1][1])
        if p is None:
            p, f = (1, 0) if ok else (0, 1)
        elif not ok and f == 0:
            f = 1  # crashed or timed out after its counts
        passed += p
        failed += f
        if not ok or f:
            bad.append(t.get("name"))
for b in bad:
    print("FAILED:", b)
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
