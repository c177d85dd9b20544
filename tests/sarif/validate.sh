#!/bin/sh
# Every report format is well formed: SARIF validated against the official
# SARIF 2.1.0 schema (../shared/schemas) with Debian's python3-jsonschema,
# JSON parsed, JUnit parsed as XML; on inputs that give many findings.
set -u
: "${HARDOCK:?}" "${SRCDIR:?}"
SHARED=${SHARED:-$SRCDIR/../shared}
schema="$SHARED/schemas/sarif-schema-2.1.0.json"
py=/usr/bin/python3
pass=0 fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
check() {
	if "$@"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: $*"; fi
}
inputs="$SRCDIR/examples $SRCDIR/tests/cases"
for fmt in sarif json junit github gnu text; do
	"$HARDOCK" lint --format "$fmt" $inputs >"$tmp/out.$fmt" 2>"$tmp/err.$fmt"
	code=$?
	check test "$code" -le 2
	check test -s "$tmp/out.$fmt"
done
check "$py" - "$schema" "$tmp/out.sarif" <<'PY'
import json, sys
import jsonschema
schema = json.load(open(sys.argv[1]))
doc = json.load(open(sys.argv[2]))
jsonschema.Draft4Validator.check_schema(schema)
errors = sorted(jsonschema.Draft4Validator(schema).iter_errors(doc), key=lambda e: list(e.path))
for e in errors[:10]:
    print("sarif:", "/".join(map(str, e.path)), e.message[:200])
assert doc["runs"][0]["results"], "no results to validate"
# Every result has the baseline's fingerprint, every rule its page.
fps = [r.get("partialFingerprints", {}).get("hardock/v1", "") for r in doc["runs"][0]["results"]]
bad_fp = [f for f in fps if len(f) != 32]
if bad_fp:
    print("sarif: results without a 32-digit fingerprint:", len(bad_fp))
if len(set(fps)) != len(fps):
    print("sarif: fingerprints are not unique:", len(fps) - len(set(fps)), "repeated")
rules = doc["runs"][0]["tool"]["driver"]["rules"]
bad_uri = [r["id"] for r in rules if r.get("helpUri") != "https://github.com/hardock/hardock/blob/main/docs/rules/" + r["id"] + ".md"]
if bad_uri:
    print("sarif: rules without their helpUri:", bad_uri[:5])
sys.exit(1 if errors or bad_fp or bad_uri or len(set(fps)) != len(fps) else 0)
PY
check "$py" -c "import json,sys; d=json.load(open(sys.argv[1])); assert d['findings'] and all('references' in f for f in d['findings'])" "$tmp/out.json"
check "$py" -c "import sys, xml.dom.minidom as m; m.parse(sys.argv[1])" "$tmp/out.junit"
check grep -q '^::' "$tmp/out.github"
# An empty report is valid SARIF too.
mkdir "$tmp/empty"
"$HARDOCK" lint --format sarif "$tmp/empty" >"$tmp/empty.sarif"
check "$py" -c "
import json, sys, jsonschema
jsonschema.Draft4Validator(json.load(open(sys.argv[1]))).validate(json.load(open(sys.argv[2])))" "$schema" "$tmp/empty.sarif"
echo "$pass passed, $fail failed"
[ $fail = 0 ]
