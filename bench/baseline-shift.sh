#!/bin/sh
# Baseline survival on the shared corpus (issue 10): record a baseline of N
# corpus Dockerfiles, shift their lines (blank lines before RUN, indented
# COPY), lint again with the baseline: the findings still matched are the
# fingerprint's survival rate.  sh bench/baseline-shift.sh [N]  (HARDOCK=path, SHARED=dir)
set -u
H=$(realpath "${HARDOCK:-build/hardock}")
n=${1:-400}
corpus=$(realpath "${SHARED:-../shared}")/corpus
t=$(mktemp -d)
mkdir "$t/d"
find "$corpus"/dockerfiles -type f | sort | head -n "$n" | while read -r f; do
	cp "$f" "$t/d/$(echo "$f" | md5sum | cut -c1-12).Dockerfile"
done
cd "$t" || exit 1
"$H" lint -q --format gnu --write-baseline base.txt d >before.txt 2>/dev/null
echo "files: $(ls d | wc -l), findings recorded: $(grep -vc '^#' base.txt)"
# Shift: two blank lines before every RUN line, three spaces of indentation on every COPY line.
cp -r d d.orig
for f in d/*; do
	awk '/^RUN / && prev !~ /^#/ {print ""; print ""} /^COPY /{printf "   "} {print; prev = $0}' "$f" >"$f.new" && mv "$f.new" "$f"
done
echo "files changed by the shift: $(diff -rq d.orig d | wc -l)"
"$H" lint -q --format gnu --baseline base.txt d >after.txt 2>err.txt
echo "after shifting: $(wc -l <after.txt) findings not in the baseline"
"$H" lint --format gnu --baseline base.txt d >/dev/null 2>err2.txt
cat err2.txt
head -5 after.txt
rm -rf "$t"
