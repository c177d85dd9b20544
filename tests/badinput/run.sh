#!/bin/sh
# Bad input never crashes or hangs hardock: each case must end within its
# time limit with exit 0, 1 or 2 (never a signal or a sanitizer report), and
# where the input is unusable the output must say so (file, position, why).
set -u
: "${HARDOCK:?}"
export NO_COLOR=1
pass=0 fail=0
tmp=$(mktemp -d)
trap 'chmod -R u+rwx "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1

# run NAME EXPECTED_EXITS GREP_PATTERN -- args...
run() {
	name=$1 exits=$2 pattern=$3
	shift 4
	timeout 60 "$HARDOCK" "$@" >"$name.out" 2>"$name.err"
	code=$?
	ok=1
	case " $exits " in *" $code "*) ;; *) ok=0 ;; esac
	if grep -q "Sanitizer\|runtime error:" "$name.err"; then ok=0; fi
	if [ -n "$pattern" ] && ! grep -qE -- "$pattern" "$name.out" "$name.err"; then ok=0; fi
	if [ $ok = 1 ]; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAIL $name: exit $code (wanted $exits, output matching '$pattern')"
		head -c 600 "$name.err"
		head -c 600 "$name.out"
	fi
}

: >empty.Dockerfile
run empty "1" "empty.Dockerfile:1:1.*expected a FROM" -- lint empty.Dockerfile
head -c 4096 /dev/urandom >binary.Dockerfile
run binary "1" "binary.Dockerfile.*lint/unknown-kind" -- lint binary.Dockerfile
printf 'FROM alpine:3.20\nRUN echo a\000b\n' >nul.Dockerfile
run nul "0 1 2" "" -- lint nul.Dockerfile
printf 'FROM alpine:3.20\nRUN echo \377\376 caf\303\n' >utf8.Dockerfile
run invalid-utf8 "0 1 2" "" -- lint utf8.Dockerfile
{ printf 'FROM alpine:3.20\nRUN echo '; head -c 10000000 /dev/zero | tr '\0' 'a'; printf '\n'; } >longline.Dockerfile
run long-line "0 1" "" -- lint longline.Dockerfile
{ printf 'FROM alpine:3.20\nRUN true \\\n'; i=0; while [ $i -lt 100000 ]; do printf ' && true \\\n'; i=$((i + 1)); done; printf ' && true\n'; } >cont.Dockerfile
run continuations "0 1" "" -- lint cont.Dockerfile
printf 'FROM alpine:3.20\nRUN <<EOF\necho never ends\n' >heredoc.Dockerfile
run unterminated-heredoc "1" "heredoc.Dockerfile:[0-9]+:[0-9]+.*parse-error" -- lint heredoc.Dockerfile
printf 'FROM alpine:3.20\nRUN echo "unterminated\nCMD ["a"]\n' >quote.Dockerfile
run unterminated-quote "0 1 2" "" -- lint quote.Dockerfile
printf 'FROM alpine:3.20\nFROBNICATE now\n' >unknown.Dockerfile
run unknown-instruction "1" "unknown.Dockerfile:2:1.*parse-error" -- lint unknown.Dockerfile
if [ "$(id -u)" = 0 ]; then
	# root reads any file: a file whose read fails (EIO) stands in for it.
	run unreadable "2" "read-error" -- lint --kind dockerfile /proc/self/mem
else
	printf 'FROM alpine:3.20\n' >unreadable.Dockerfile
	chmod 000 unreadable.Dockerfile
	run unreadable "2" "read-error" -- lint unreadable.Dockerfile
fi
mkdir -p loop/a && ln -s .. loop/a/up && ln -s ../loop loop/self && printf 'FROM alpine:3.20\n' >loop/a/Dockerfile
run symlink-loop "0 1" "^1 file checked" -- lint loop
run nonexistent "2" "cannot lint" -- lint nope/Dockerfile
printf 'FROM alpine:3.20\n' | run stdin "0 1" "" -- lint -
printf 'services:\n  web:\n    image: nginx:1.27\n    privileged: true\n' | run stdin-compose "1" "container/privileged" -- lint -

# Baselines: what is not one exits 2 naming the line; an empty one hides nothing.
printf 'FROM alpine:3.20\nUSER 1000\n' >base.Dockerfile
head -c 4096 /dev/urandom >binary-baseline.txt
run baseline-binary "2" "binary-baseline.txt:[0-9]+:[0-9]+: expected a fingerprint" -- lint --baseline binary-baseline.txt base.Dockerfile
{ printf '0123456789abcdef0123456789abcdef'; head -c 1000000 /dev/zero | tr '\0' 'f'; printf '\n'; } >long-baseline.txt
run baseline-long-line "2" "long-baseline.txt:1:1" -- lint --baseline long-baseline.txt base.Dockerfile
: >empty-baseline.txt
run baseline-empty "1" "0 known findings not reported, 0 stale" -- lint --baseline empty-baseline.txt base.Dockerfile
run baseline-directory "2" "cannot read --baseline" -- lint --baseline . base.Dockerfile
run write-baseline-unwritable "2" "cannot write --write-baseline" -- lint --write-baseline no/such/dir/b.txt base.Dockerfile
run docs-url-blank "2" "--docs-url expects a URL" -- lint --docs-url 'a b' base.Dockerfile
run min-severity-none "2" "unknown severity 'none' for --min-severity" -- lint --min-severity none base.Dockerfile

# gnu: a file name with a newline is still one line per finding.
nl_name=$(printf 'odd\nname.Dockerfile')
printf 'FROM alpine:3.20\nUSER root\n' >"$nl_name"
run gnu-newline-name "1" "^odd.nname.Dockerfile:2:6: error: .*root-user" -- lint --format gnu "$nl_name"

# CI files of every odd shape: no crash, nothing guessed.
mkdir -p ci/.github/workflows
printf 'jobs:\n  a:\n    container: [1, 2]\n    services: scalar\n    steps: {x: 1}\n  b:\n    container:\n      image: ""\n    services:\n      s: {image: [x]}\n      t: {image: "redis:7", options: "--cpus \\"1"}\n    steps:\n      - uses: docker://\n      - uses: [docker://x]\n' >ci/.github/workflows/odd.yml
printf 'variables: [1]\nservices: {a: 1}\njob:\n  image: {name: [x]}\n  services:\n    - [docker:dind]\n    - {name: "docker:dind", command: "--tls=false", variables: scalar}\n  script: [true]\n' >ci/.gitlab-ci.yml
run ci-odd-shapes "0 1" "" -- lint ci
echo "$pass passed, $fail failed"
[ $fail = 0 ]
