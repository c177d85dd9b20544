#!/bin/sh
# The CIS references of the whole catalogue against the benchmark's own list
# (../shared/reference/cis-docker-1.6.0.tsv): every id a rule cites exists,
# and where a rule's id says what it is about, it cites the check about that
# (an SSH server is 5.7 "sshd is not run", not 5.6 "sensitive directories";
# seccomp is 5.22; the Docker socket 5.32; ...).  The table below is the
# mechanical part: a pattern on the rule id, and the CIS ids any rule it
# matches must cite at least one of.
set -u
: "${HARDOCK:?}" "${SHARED:?}"
tsv="$SHARED/reference/cis-docker-1.6.0.tsv"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$HARDOCK" rules --format json >"$tmp/rules.json" || { echo "0 passed, 1 failed"; exit 1; }
/usr/bin/python3 - "$tmp/rules.json" "$tsv" <<'PY'
import json, re, sys
rules = json.load(open(sys.argv[1]))
known = {}
for line in open(sys.argv[2]):
    p = line.rstrip("\n").split("\t")
    if len(p) >= 2 and p[0] != "cis_id":
        known[p[0]] = p[1]
# rule id pattern -> CIS ids one of which the rule must cite (when it cites any)
expect = [
    (r"ssh-server|sshd", {"5.7"}),
    (r"seccomp", {"5.22", "2.17"}),
    (r"apparmor", {"5.2"}),
    (r"selinux", {"5.3"}),
    (r"socket-mount", {"5.32"}),
    (r"^container/privileged$", {"5.5"}),
    (r"host-network", {"5.10"}),
    (r"host-pid", {"5.16"}),
    (r"host-ipc", {"5.17"}),
    (r"host-uts", {"5.21"}),
    (r"host-userns", {"5.31"}),
    (r"memory-limit", {"5.11"}),
    (r"cpu-limit", {"5.12"}),
    (r"pids-limit", {"5.29"}),
    (r"read-only-rootfs", {"5.13"}),
    (r"^container/restart", {"5.15"}),
    (r"^container/no-new-privileges", {"5.26"}),
    (r"^daemon/no-new-privileges", {"2.14"}),
    (r"^(dockerfile|image)/(root-user|no-user)$", {"4.1"}),
    (r"^container/runs-as-root", {"4.1"}),
    (r"setuid", {"4.8"}),
    (r"^dockerfile/add-", {"4.9"}),
    (r"^(dockerfile|image)/.*(secret|credential)", {"4.10"}),
    (r"content-trust", {"4.5"}),
    (r"update-alone", {"4.7"}),
    (r"healthcheck", {"4.6", "5.27"}),
    (r"^daemon/icc$", {"2.2"}),
    (r"^daemon/userns", {"2.9"}),
    (r"^daemon/live-restore", {"2.15"}),
    (r"^daemon/userland-proxy", {"2.16"}),
    (r"^daemon/insecure-registries", {"2.5"}),
    (r"^daemon/tls", {"2.7"}),
]
passed = failed = 0
def ok(cond, msg):
    global passed, failed
    if cond:
        passed += 1
    else:
        failed += 1
        print("FAIL " + msg)
for r in rules:
    cites = [c for c in (r.get("cis") or "").replace(" ", "").split(",") if c]
    for c in cites:
        ok(c in known, "%s cites CIS %s, which is no check of the benchmark" % (r["id"], c))
    for pat, want in expect:
        if re.search(pat, r["id"]) and cites:
            ok(bool(want & set(cites)), "%s cites CIS %s; a rule about '%s' is CIS %s (%s)" % (
                r["id"], ",".join(cites), pat, " or ".join(sorted(want)),
                "; ".join(known.get(w, "?") for w in sorted(want))))
print("%d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)
PY
