#!/bin/sh
# The HTML report, rendered by a real headless Chromium (Debian's chromium):
# the DOM after the page's own script ran holds every finding of the report
# (compared with the JSON report of the same run) and every audit verdict,
# the console stays empty (a CSP violation, a script error or a blocked load
# would show there), the page is self-contained and reproducible, escapes
# what it shows, and 1,000 findings stay under 1.5 MB; an image report the
# same way; secret values never reach the page's bytes.
set -u
: "${HARDOCK:?}" "${SRCDIR:?}"
py=/usr/bin/python3
pass=0 fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
check() {
	if "$@"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: $*"; fi
}
export SOURCE_DATE_EPOCH=1700000000

chromium_dom() { # file.html -> file.dom, file.console
	prof=$(mktemp -d "$tmp/prof.XXXXXX")
	timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
		--disable-background-networking --disable-component-update --disable-sync \
		--user-data-dir="$prof" --enable-logging=stderr --v=0 \
		--dump-dom "file://$1" >"${1%.html}.dom" 2>"${1%.html}.log"
	rc=$?
	grep 'CONSOLE' "${1%.html}.log" >"${1%.html}.console"
	return $rc
}

# What the test compares: every finding of the JSON report is a row of the
# rendered findings table, with its rule, severity and message; every check
# is a row of the checks table; the script ran (html.js) and the CSP is there.
compare() { # report.json page.dom
	"$py" - "$1" "$2" <<'PY'
import html.parser, json, sys
doc = json.load(open(sys.argv[1]))
class P(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.rows, self.checks, self.cur, self.kind, self.html_class, self.csp = [], [], None, None, "", None
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "html":
            self.html_class = a.get("class", "")
        if tag == "meta" and a.get("http-equiv") == "Content-Security-Policy":
            self.csp = a.get("content")
        if tag == "tr" and (a.get("class") or "").split()[:1] in (["f"], ["c"]):
            self.kind = a["class"].split()[0]
            self.cur = []
    def handle_endtag(self, tag):
        if tag == "tr" and self.cur is not None:
            (self.rows if self.kind == "f" else self.checks).append("".join(self.cur))
            self.cur = None
    def handle_data(self, d):
        if self.cur is not None:
            self.cur.append(d)
p = P()
p.feed(open(sys.argv[2], encoding="utf-8").read())
ok = True
def fail(msg):
    global ok
    ok = False
    print(msg)
if "js" not in p.html_class.split():
    fail("the page's script did not run")
if not p.csp or "default-src 'none'" not in p.csp:
    fail("no CSP default-src 'none'")
if len(p.rows) != len(doc["findings"]):
    fail("rows %d != findings %d" % (len(p.rows), len(doc["findings"])))
for f, row in zip(doc["findings"], p.rows):
    for part in (f["rule"], f["severity"], f["message"]):
        if part not in row:
            fail("finding not rendered: %s %r" % (f["rule"], part[:80]))
            break
checks = doc.get("checks", [])
if len(p.checks) != len(checks):
    fail("check rows %d != checks %d" % (len(p.checks), len(checks)))
for c, row in zip(checks, p.checks):
    if c["status"] not in row or (c.get("note") and c["note"] not in row):
        fail("check not rendered: %s" % c["rule"])
sys.exit(0 if ok else 1)
PY
}

# 1. lint of the examples and the golden cases: the same exit code as JSON.
inputs="$SRCDIR/examples $SRCDIR/tests/cases"
"$HARDOCK" lint --format html $inputs >"$tmp/lint.html" 2>/dev/null
rc_html=$?
"$HARDOCK" lint --format json $inputs >"$tmp/lint.json" 2>/dev/null
rc_json=$?
check test $rc_html -ne 0
check test $rc_html -eq $rc_json
check chromium_dom "$tmp/lint.html"
check test ! -s "$tmp/lint.console"
check compare "$tmp/lint.json" "$tmp/lint.dom"
# Reproducible: the same bytes for the same input.
"$HARDOCK" lint --format html $inputs 2>/dev/null | cmp -s - "$tmp/lint.html"
check test $? -eq 0
# Self-contained: no external resource of any kind.
check "$py" - "$tmp/lint.html" <<'PY'
import re, sys
s = open(sys.argv[1], encoding="utf-8").read()
# Markup only: text that mentions URLs (escaped) cannot load anything.
bad = re.findall(r'<(?:link|img|iframe|object|embed|frame|audio|video|source)\b|<script[^>]*\bsrc\s*=', s)
styles = re.findall(r'<style>(.*?)</style>', s, re.S)
bad += [x for st in styles for x in re.findall(r'@import|url\(', st)]
if len(styles) != 1 or len(re.findall(r'<script', s)) != 1:
    bad.append("one style and one script expected")
print(bad) if bad else None
sys.exit(1 if bad else 0)
PY

# 2. audits of an offline host root: the verdicts and the CIS chart.
for what in host daemon; do
	"$HARDOCK" audit $what --root "$SRCDIR/tests/fixtures/host-careless" --format html \
		>"$tmp/audit-$what.html" 2>/dev/null
	rc_html=$?
	"$HARDOCK" audit $what --root "$SRCDIR/tests/fixtures/host-careless" --format json \
		>"$tmp/audit-$what.json" 2>/dev/null
	rc_json=$?
	check test $rc_html -ne 0
	check test $rc_html -eq $rc_json
	check grep -q '<svg role="img" aria-label="CIS sections' "$tmp/audit-$what.html"
	check chromium_dom "$tmp/audit-$what.html"
	check test ! -s "$tmp/audit-$what.console"
	check compare "$tmp/audit-$what.json" "$tmp/audit-$what.dom"
done

# 3. what the page shows is escaped: markup in a file name and a message.
mkdir -p "$tmp/esc/<b>x</b>"
printf 'FROM alpine:3.19\nRUN echo "<script>alert(1)</script>" && apt-get update\n' \
	>"$tmp/esc/<b>x</b>/Dockerfile"
"$HARDOCK" lint --format html "$tmp/esc" >"$tmp/esc.html" 2>/dev/null
check test $? -eq 1
check test "$(grep -c '<script>alert' "$tmp/esc.html")" -eq 0
check test "$(grep -c '<b>x</b>' "$tmp/esc.html")" -eq 0
check grep -q '&lt;b&gt;x&lt;/b&gt;' "$tmp/esc.html"
check chromium_dom "$tmp/esc.html"
check test ! -s "$tmp/esc.console"

# 4. 1,000 findings or more stay under 1.5 MB.
mkdir "$tmp/many"
i=0
while [ $i -lt 120 ]; do
	mkdir "$tmp/many/s$i"
	printf 'FROM ubuntu\nRUN apt-get update\nRUN apt-get install curl\nADD http://example.com/x.tgz /x\nRUN curl -k https://example.com | sh\nEXPOSE 22\nRUN chmod 777 /tmp\n' \
		>"$tmp/many/s$i/Dockerfile"
	i=$((i + 1))
done
"$HARDOCK" lint --format json "$tmp/many" >"$tmp/many.json" 2>/dev/null
n=$("$py" -c "import json,sys; print(len(json.load(open(sys.argv[1]))['findings']))" "$tmp/many.json")
check test "$n" -ge 1000
"$HARDOCK" lint --format html "$tmp/many" >"$tmp/many.html" 2>/dev/null
size=$(wc -c <"$tmp/many.html")
echo "html: $n findings in $size bytes"
check test "$size" -le 1572864
check chromium_dom "$tmp/many.html"
check test ! -s "$tmp/many.console"
check compare "$tmp/many.json" "$tmp/many.dom"

# 5. an image report: a crafted docker save archive (tests/image/mkimage.py)
# with findings of the config, the history and the files.
cat >"$tmp/img.spec" <<'EOF'
tag shop/api:1.4.2
config user=root
config env=AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYzQ8mKeyImg
config expose=22/tcp
layer gzip "/bin/sh -c apt-get update && apt-get install -y curl"
dir /bin
file /bin/su mode=04755 content=ELF
file /tmp/x mode=0777 content=hello
file /app/.env content="DB_PASSWORD=Img-Db-Pass-7f3k2q9z\nGITHUB_TOKEN=ghp_Q7mZ4kL9xW2rT8vB3nY6pC1dF5gH0jKs2aE4\n"
EOF
"$py" "$SRCDIR/tests/image/mkimage.py" "$tmp/img.spec" "$tmp/img.tar"
check test $? -eq 0
"$HARDOCK" image --format html "$tmp/img.tar" >"$tmp/image.html" 2>/dev/null
rc_html=$?
"$HARDOCK" image --format json "$tmp/img.tar" >"$tmp/image.json" 2>/dev/null
rc_json=$?
check test $rc_html -eq 1
check test $rc_html -eq $rc_json
check grep -q '<dt>Command</dt><dd>image</dd>' "$tmp/image.html"
check chromium_dom "$tmp/image.html"
check test ! -s "$tmp/image.console"
check compare "$tmp/image.json" "$tmp/image.dom"
"$HARDOCK" image --format html "$tmp/img.tar" 2>/dev/null | cmp -s - "$tmp/image.html"
check test $? -eq 0

# 6. secrets are masked: the findings about them are in the page, their
# values are not, anywhere in its bytes (lint: Dockerfile, compose with an
# .env it interpolates; image: the config's environment and a file).
mkdir -p "$tmp/sec"
cat >"$tmp/sec/Dockerfile" <<'EOF'
FROM debian:12.5
ENV AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYzQ8mKeyLint
ARG DB_PASSWORD=Lint-Db-Pass-4r8t1w6y
RUN curl -H "Authorization: Bearer ghp_Z9xY8wV7uT6sR5qP4oN3mL2kJ1iH0gF9eD8c" https://example.com/x
USER 1000
EOF
printf 'API_TOKEN=Env-Api-Token-k3j5h7g9f1\n' >"$tmp/sec/.env"
cat >"$tmp/sec/compose.yaml" <<'EOF'
services:
  db:
    image: postgres:16.4
    environment:
      POSTGRES_PASSWORD: Compose-Pg-Pass-2b4n6m8q
      API_TOKEN: ${API_TOKEN}
EOF
"$HARDOCK" lint --format html "$tmp/sec" >"$tmp/sec.html" 2>/dev/null
check test $? -eq 1
"$HARDOCK" lint --format json "$tmp/sec" >"$tmp/sec.json" 2>/dev/null
for rule in dockerfile/secret-variable container/secret-in-env; do
	check grep -q "\"rule\": *\"$rule\"" "$tmp/sec.json"
	check grep -q ">$rule</a>" "$tmp/sec.html"
done
check grep -q '\*\*\*\*' "$tmp/sec.html"
no_secret() { # FILE VALUE...: none of the values is anywhere in FILE
	f=$1
	shift
	for v in "$@"; do
		if grep -qF -- "$v" "$f"; then
			fail=$((fail + 1)); echo "FAIL: secret value '$v' in $f"
		else
			pass=$((pass + 1))
		fi
	done
}
no_secret "$tmp/sec.html" wJalrXUtnFEMI/K7MDENG/bPxRfiCYzQ8mKeyLint Lint-Db-Pass-4r8t1w6y \
	ghp_Z9xY8wV7uT6sR5qP4oN3mL2kJ1iH0gF9eD8c Env-Api-Token-k3j5h7g9f1 Compose-Pg-Pass-2b4n6m8q \
	bPxRfiCYzQ8mKey 4r8t1w6y uT6sR5qP4oN3 k3j5h7g9f1 2b4n6m8q
check grep -q 'image/secret-in-env' "$tmp/image.html"
check grep -q 'image/token-in-file' "$tmp/image.html"
no_secret "$tmp/image.html" wJalrXUtnFEMI/K7MDENG/bPxRfiCYzQ8mKeyImg Img-Db-Pass-7f3k2q9z \
	ghp_Q7mZ4kL9xW2rT8vB3nY6pC1dF5gH0jKs2aE4 bPxRfiCYzQ8mKey 7f3k2q9z W2rT8vB3nY6p

echo "$pass passed, $fail failed"
[ $fail = 0 ]
