#!/bin/sh
# `hardock serve --vulns` against real components: a private dockerd (its
# own socket, data root, exec root; no bridge), hardock serve following it
# with a long interval, and Debian's Prometheus scraping hardock every
# second on loopback.  The images are busybox root file systems with a dpkg
# status of known packages (Debian bookworm's glibc), the database a tracker
# feed written here (as tests/integration/vuln-dockerd.sh's).  Asserted:
#
#   - a missing database is a startup error (exit 2);
#   - after the first audit, hardock_image_vulnerabilities of each image
#     holds exactly the feed's answers per severity and fixable, through
#     Prometheus' HTTP API; hardock_vulndb_age_seconds{source} is there and
#     as old as the feed; promtool check metrics is quiet; the HTML report
#     has the findings and the database's age;
#   - an image loaded while serving (an hour before the next full audit) is
#     in Prometheus within two scrapes of `docker load` returning;
#   - a `hardock db import` made while serving applies at the next scan
#     (a tag of the image);
#   - a database that becomes unreadable keeps the last results, says so in
#     /healthz and the log, and is read again once repaired;
#   - a clean stop, sanitizers quiet.
#
# Prints "N passed, N failed"; a component that cannot start is a failure.
set -u
: "${HARDOCK:?}" "${SRCDIR:?}"
tmp=$(mktemp -d /tmp/hdsvv-XXXXXX)
. "$SRCDIR/tests/serve/lib.sh"
serve_test_setup

# ---- dockerd ------------------------------------------------------------------------
start_dockerd || { nok "dockerd did not start" "$tmp/dockerd.log"; finish; }
ok "dockerd $dockerd_pid on $sock"

# ---- images with known packages ------------------------------------------------------
# rootfs DIR GLIBC-VERSION PACKAGE...: busybox, bookworm's os-release, a dpkg status
rootfs() {
	dir=$1
	ver=$2
	shift 2
	mkdir -p "$dir/bin" "$dir/etc" "$dir/var/lib/dpkg"
	cp "$(command -v busybox)" "$dir/bin/busybox"
	printf 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\nVERSION_ID="12"\nVERSION_CODENAME=bookworm\n' \
		>"$dir/etc/os-release"
	: >"$dir/var/lib/dpkg/status"
	for p in "$@"; do
		printf 'Package: %s\nStatus: install ok installed\nSource: glibc\nVersion: %s\nArchitecture: amd64\n\n' \
			"$p" "$ver" >>"$dir/var/lib/dpkg/status"
	done
	printf 'Package: zlib1g\nStatus: install ok installed\nSource: zlib\nVersion: 1:1.2.13.dfsg-1\nArchitecture: amd64\n\n' \
		>>"$dir/var/lib/dpkg/status"
}
rootfs "$tmp/r1" 2.36-9+deb12u4 libc6 libc-bin
rootfs "$tmp/r2" 2.36-9+deb12u0 libc6
mkdir -p "$tmp/r0/bin"
cp "$(command -v busybox)" "$tmp/r0/bin/busybox"
for n in 0 1 2; do tar -C "$tmp/r$n" -cf "$tmp/r$n.tar" . || { nok "tar r$n"; finish; }; done
D import "$tmp/r1.tar" hd/glibc:1 >/dev/null && D import "$tmp/r0.tar" hd/bare:1 >/dev/null &&
	D import "$tmp/r2.tar" hd/older:1 >/dev/null && D save -o "$tmp/older.tar" hd/older:1 &&
	D rmi hd/older:1 >/dev/null || { nok "docker import / save of the images"; finish; }
ok "images hd/glibc:1 and hd/bare:1; hd/older:1 saved for later"

# ---- the database: the same tracker answers as the vuln-dockerd test ----------------------
tracker() { # FILE [extra]: glibc's issues for bookworm (and CVE-2099-0007 with extra)
	$PY - "$1" "${2:-}" <<'EOF'
import json, sys
glibc = {
    "CVE-2099-0001": {"description": "fixed in a later point release", "releases": {
        "bookworm": {"status": "resolved", "fixed_version": "2.36-9+deb12u9999", "urgency": "high"}}},
    "CVE-2099-0002": {"description": "fixed in deb12u1", "releases": {
        "bookworm": {"status": "resolved", "fixed_version": "2.36-9+deb12u1", "urgency": "high"}}},
    "CVE-2099-0005": {"description": "no fix yet", "releases": {
        "bookworm": {"status": "open", "urgency": "medium"}}}}
if sys.argv[2]:
    glibc["CVE-2099-0007"] = {"description": "a new one, no fix", "releases": {
        "bookworm": {"status": "open", "urgency": "high"}}}
json.dump({"glibc": glibc, "zlib": {"CVE-2023-45853": {"description": "minor", "releases": {
    "bookworm": {"status": "open", "urgency": "unimportant", "nodsa": "Minor issue"}}}}}, open(sys.argv[1], "w"))
EOF
}
tracker "$tmp/tracker.json"
touch -d '2 days ago' "$tmp/tracker.json"
db="$tmp/db"
"$HARDOCK" db import --db "$db" "$tmp/tracker.json" >"$tmp/import.log" 2>&1 || { nok "db import" "$tmp/import.log"; finish; }

# ---- the same counts from `hardock audit --vulns --format prometheus` (the textfile output) ----------
"$HARDOCK" audit engine -H "unix://$sock" --vulns --db "$db" --format prometheus -o "$tmp/audit.prom" 2>"$tmp/audit.err"
rc=$?
if [ $rc -le 1 ] && grep -q '^hardock_image_vulnerabilities{image="hd/glibc:1",severity="high",fixable="true"} 2$' "$tmp/audit.prom" &&
	grep -q '^hardock_image_vulnerabilities{image="hd/glibc:1",severity="medium",fixable="false"} 2$' "$tmp/audit.prom" &&
	[ "$(grep -c '^hardock_image_vulnerabilities{image="hd/glibc:1",.*} 0$' "$tmp/audit.prom")" -eq 8 ] &&
	grep -q '^hardock_vulndb_age_seconds{source="debian-tracker"} 1728[0-9][0-9]$' "$tmp/audit.prom" &&
	promtool check metrics <"$tmp/audit.prom" >"$tmp/apc.txt" 2>&1 && [ ! -s "$tmp/apc.txt" ]; then
	ok "audit --vulns --format prometheus: the counts of hd/glibc:1 and the database's age, promtool quiet"
else
	nok "audit --vulns --format prometheus (exit $rc)" "$tmp/audit.prom"
	cat "$tmp/audit.err" "$tmp/apc.txt" 2>/dev/null | head
fi
"$HARDOCK" audit engine -H "unix://$sock" --vulns --db "$db" --format html -o "$tmp/audit.html" 2>"$tmp/audit.err"
grep -q '<dt>Vulnerability database</dt><dd>2 days old</dd>' "$tmp/audit.html" &&
	ok "audit --vulns --format html: the database's age in the provenance" || nok "audit --vulns html: no database age" "$tmp/audit.err"

# ---- a missing database: a startup error -----------------------------------------------------
"$HARDOCK" serve --listen 127.0.0.1:0 -H "unix://$sock" --vulns --db "$tmp/nodb" >"$tmp/nodb.log" 2>&1
rc=$?
[ $rc -eq 2 ] && grep -q "no vulnerability database in '$tmp/nodb'" "$tmp/nodb.log" &&
	ok "--vulns without a database: exit 2 and why" || nok "--vulns without a database: exit $rc" "$tmp/nodb.log"

# ---- hardock serve ----------------------------------------------------------------------
hport=$(port)
"$HARDOCK" serve --listen "127.0.0.1:$hport" -H "unix://$sock" --interval 1h --vulns --db "$db" \
	>"$tmp/serve.log" 2>&1 &
serve_pid=$!
metrics() { curl -fsS --max-time 5 "$@" "http://127.0.0.1:$hport/metrics"; }
i=0
until metrics 2>/dev/null | grep -q '^hardock_image_vulnerabilities{image="hd/glibc:1"'; do
	if ! kill -0 "$serve_pid" 2>/dev/null || [ $i -ge 600 ]; then
		nok "hardock serve --vulns: no hardock_image_vulnerabilities for hd/glibc:1" "$tmp/serve.log"
		finish
	fi
	sleep 0.1
	i=$((i + 1))
done
ok "hardock serve --vulns $serve_pid: hd/glibc:1 scanned after the first audit"
grep -q "vulnerability database '$db/vuln.db': data 2 days old" "$tmp/serve.log" &&
	ok "the database's age said at start" || nok "no database age at start" "$tmp/serve.log"

metrics >"$tmp/m.txt"
if promtool check metrics <"$tmp/m.txt" >"$tmp/pc.txt" 2>&1 && [ ! -s "$tmp/pc.txt" ]; then
	ok "promtool check metrics: nothing to say, with vulnerabilities in it"
else
	nok "promtool check metrics" "$tmp/pc.txt"
fi
grep -q '^# TYPE hardock_image_vulnerabilities gauge$' "$tmp/m.txt" && grep -q '^# TYPE hardock_vulndb_age_seconds gauge$' "$tmp/m.txt" &&
	ok "the two families are typed" || nok "families' TYPE lines" "$tmp/m.txt"

# ---- Prometheus --------------------------------------------------------------------------
start_prometheus "$hport"
q() { # PROMQL: "labels value" lines, sorted (labels without __name__, job, instance)
	curl -fsS --max-time 5 "http://127.0.0.1:$pport/api/v1/query" --data-urlencode "query=$1" |
		$PY -c 'import json,sys
d=json.load(sys.stdin)
assert d["status"]=="success", d
out = []
for r in d["data"]["result"]:
    m = {k: v for k, v in r["metric"].items() if k not in ("__name__", "job", "instance")}
    out.append(" ".join("%s=%s" % kv for kv in sorted(m.items())) + " " + r["value"][1])
print("\n".join(sorted(out)))'
}
wait_q 60 'up{job="hardock"} == 1' && ok "Prometheus $prom_pid scrapes hardock" ||
	{ nok "Prometheus never scraped hardock" "$tmp/prom.log"; finish; }

# expect IMAGE HIGH_FIX MEDIUM_UNFIXED [HIGH_UNFIXED]: every severity and fixable, exactly
expect() {
	for sev in info low medium high critical; do
		for fix in false true; do
			v=0
			[ "$sev/$fix" = high/true ] && v=$2
			[ "$sev/$fix" = medium/false ] && v=$3
			[ "$sev/$fix" = high/false ] && v=${4:-0}
			echo "fixable=$fix image=$1 severity=$sev $v"
		done
	done | sort
}
check_vulns() { # WHAT IMAGE HIGH_FIX MEDIUM_UNFIXED [HIGH_UNFIXED]
	what=$1
	shift
	expect "$@" >"$tmp/want.txt"
	q "hardock_image_vulnerabilities{image=\"$1\"}" >"$tmp/got.txt"
	if cmp -s "$tmp/want.txt" "$tmp/got.txt"; then
		ok "$what: $1 has $2 high fixable, $3 medium unfixed, ${4:-0} high unfixed (10 series, through Prometheus)"
	else
		nok "$what: hardock_image_vulnerabilities of $1"
		diff "$tmp/want.txt" "$tmp/got.txt" | sed 's/^/#   /'
	fi
}
wait_q 20 'hardock_image_vulnerabilities{image="hd/bare:1"}' >/dev/null
# libc6 and libc-bin 2.36-9+deb12u4: CVE-2099-0001 (high, fixed later) and CVE-2099-0005
# (medium, open) each; CVE-2099-0002 fixed in deb12u1 does not apply; zlib's is unimportant.
check_vulns "first audit" hd/glibc:1 2 2
check_vulns "first audit" hd/bare:1 0 0
v=$(q 'hardock_vulndb_age_seconds')
age=${v##* }
case $v in
"source=debian-tracker "*) [ "$age" -ge 172800 ] && [ "$age" -le 173800 ] &&
	ok "hardock_vulndb_age_seconds{source=\"debian-tracker\"} $age (the feed is 2 days old)" ||
	nok "hardock_vulndb_age_seconds: $v" ;;
*) nok "hardock_vulndb_age_seconds: '$v'" ;;
esac
v=$(q 'sum(hardock_findings{target="image",image="hd/glibc:1"})')
[ "${v##* }" -ge 4 ] 2>/dev/null && ok "the image/vulnerable-package findings counted in hardock_findings ($v)" ||
	nok "hardock_findings of hd/glibc:1: '$v'"

curl -fsS "http://127.0.0.1:$hport/" >"$tmp/report.html"
n=$(grep -o 'CVE-2099-000[15]' "$tmp/report.html" | sort -u | wc -l)
if grep -q 'image/vulnerable-package' "$tmp/report.html" && [ "$n" -eq 2 ] &&
	grep -q '<dt>Vulnerability database</dt><dd>2 days old</dd>' "$tmp/report.html"; then
	ok "/ (HTML): the vulnerabilities and the database's age in the provenance"
else
	nok "/ (HTML): vulnerabilities ($n ids) or the database's age missing"
	grep -o '<dt>Vuln[^/]*/dd>' "$tmp/report.html"
fi
curl -fsS "http://127.0.0.1:$hport/healthz" >"$tmp/h.txt"
grep -q '^vulnerability database: ok$' "$tmp/h.txt" && ok "/healthz: vulnerability database ok" ||
	nok "/healthz" "$tmp/h.txt"

# ---- an image loaded while serving: in Prometheus within two scrapes ----------------------------
D load -i "$tmp/older.tar" >/dev/null || { nok "docker load"; finish; }
t1=$($PY -c 'import time; print(time.time())')
sel='hardock_image_vulnerabilities{image="hd/older:1",severity="high",fixable="true"}'
if wait_q 20 "$sel == 2"; then
	scrapes=$(scrapes_between "$t1" "$sel")
	[ -n "$scrapes" ] && [ "$scrapes" -le 2 ] &&
		ok "docker load of hd/older:1: in Prometheus at the $scrapes. scrape after load returned (interval 1h)" ||
		nok "hd/older:1 seen only after $scrapes scrapes"
else
	nok "Prometheus never saw $sel" "$tmp/serve.log"
fi
# 2.36-9+deb12u0: CVE-2099-0002 applies too.
check_vulns "loaded while serving" hd/older:1 2 1

# ---- hardock db import while serving: the next scan uses it -------------------------------------
tracker "$tmp/tracker2.json" extra
"$HARDOCK" db import --db "$db" "$tmp/tracker2.json" >"$tmp/import2.log" 2>&1 || nok "db import while serving" "$tmp/import2.log"
D tag hd/older:1 hd/older:2 || nok "docker tag"
if wait_q 20 'hardock_image_vulnerabilities{image=~"hd/older:.*",severity="high",fixable="false"} == 1'; then
	ok "db import while serving, then docker tag: CVE-2099-0007 counted (high, no fix)"
else
	nok "the new database was not used" "$tmp/serve.log"
	q 'hardock_image_vulnerabilities{image=~"hd/older:.*"}'
fi
v=$(q 'hardock_vulndb_age_seconds')
age=${v##* }
[ "$age" -lt 600 ] 2>/dev/null && ok "hardock_vulndb_age_seconds read again: $age" || nok "age after the import: '$v'"

# ---- the database becomes unreadable: the last results stay --------------------------------------
mv "$db/vuln.db" "$tmp/vuln.db.good"
printf 'not a database\n' >"$db/vuln.db"
D tag hd/glibc:1 hd/glibc:2 || nok "docker tag"
i=0
until curl -fsS "http://127.0.0.1:$hport/healthz" 2>/dev/null | grep -q 'vulnerability database: cannot be read' || [ $i -ge 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
curl -fsS "http://127.0.0.1:$hport/healthz" >"$tmp/h2.txt"
grep -q "^vulnerability database: cannot be read (.*); the last results are kept$" "$tmp/h2.txt" &&
	ok "unreadable database: /healthz says so" || nok "unreadable database: /healthz" "$tmp/h2.txt"
grep -q "vulnerabilities: cannot read the database in '$db'" "$tmp/serve.log" &&
	ok "unreadable database: logged" || nok "unreadable database: not logged" "$tmp/serve.log"
metrics >"$tmp/m2.txt"
grep -q '^hardock_image_vulnerabilities{image="hd/glibc:1",severity="high",fixable="true"} 2$' "$tmp/m2.txt" &&
	grep -q '^hardock_vulndb_age_seconds{source="debian-tracker"} ' "$tmp/m2.txt" &&
	ok "unreadable database: the last counts and the age stay" || nok "unreadable database: results lost" "$tmp/m2.txt"
kill -0 "$serve_pid" 2>/dev/null && ok "hardock serve survives" || nok "hardock serve died" "$tmp/serve.log"
mv "$tmp/vuln.db.good" "$db/vuln.db"
D tag hd/glibc:1 hd/glibc:3 || nok "docker tag"
i=0
until curl -fsS "http://127.0.0.1:$hport/healthz" 2>/dev/null | grep -q '^vulnerability database: ok$' || [ $i -ge 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
grep -q "the database in '$db' can be read again" "$tmp/serve.log" &&
	curl -fsS "http://127.0.0.1:$hport/healthz" | grep -q '^vulnerability database: ok$' &&
	ok "database repaired: read again, /healthz ok" || nok "database repaired" "$tmp/serve.log"

# ---- a clean stop ------------------------------------------------------------------------------------
serve_stop
finish
