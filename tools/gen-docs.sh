#!/bin/sh
# Regenerates the generated documentation: docs/rules/ from the rule
# catalogue (`hardock rules docs`) and the man page docs/hardock.1 from the
# option tables (`hardock help --man`).  The docs test fails when either is
# stale.
set -eu
hardock=${1:-build/hardock}
out=${2:-docs/rules}
man=${3:-docs/hardock.1}
rm -rf "$out"
"$hardock" rules docs "$out"
echo "wrote $(find "$out" -name '*.md' | wc -l) pages to $out"
"$hardock" help --man >"$man.tmp"
mv "$man.tmp" "$man"
echo "wrote $man"
