#!/bin/sh
# Regenerates docs/rules/ from the rule catalogue (`hardock rules docs`).
set -eu
hardock=${1:-build/hardock}
out=${2:-docs/rules}
rm -rf "$out"
"$hardock" rules docs "$out"
echo "wrote $(find "$out" -name '*.md' | wc -l) pages to $out"
