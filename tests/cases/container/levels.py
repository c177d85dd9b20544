#!/usr/bin/python3
# Helper of the golden cases in this folder: runs `hardock lint --format json
# ARGS...`, keeps the findings of the rules named before `--` (all when none),
# and prints them in the gnu form tests/cases/run.sh reads, with the exact
# severity after the rule id ("x:L:C: high: message [rule high]"), so the
# expected files pin severities.  Exits with hardock's exit code.
import json, os, subprocess, sys

args = sys.argv[1:]
keep = args[:args.index("--")] if "--" in args else []
args = args[args.index("--") + 1:] if "--" in args else args
p = subprocess.run([os.environ["HARDOCK"], "lint", "--format", "json"] + args, capture_output=True, text=True)
sys.stderr.write(p.stderr)
if p.returncode > 2:
    sys.exit(p.returncode)
for f in json.loads(p.stdout)["findings"]:
    if keep and f["rule"] not in keep:
        continue
    print("x:%d:%d: %s: %s [%s %s]" % (f["line"], f["column"], f["severity"], f["message"], f["rule"], f["severity"]))
sys.exit(p.returncode)
