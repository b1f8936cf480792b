#!/usr/bin/env bash
# templates/README.md: the library table and the shared-actions matrix are what
# tests/templates/share_matrix.py generates from templates/*.json, and the check notices a
# stale cell.
set -u
: "${SRC:?SRC (source root) must be set}"
fail=0
python3 "$SRC/tests/templates/share_matrix.py" --check "$SRC" || fail=1

tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/templates"
cp "$SRC"/templates/*.json "$tmp/templates/"
# the matrix row of soc2-2017 with its diagonal cell changed must be reported
sed 's/^\(| [0-9]* | `soc2-2017` ([^)]*) | .*\) | \([0-9]*\) |$/\1 | 999 |/' \
    "$SRC/templates/README.md" >"$tmp/templates/README.md"
if cmp -s "$SRC/templates/README.md" "$tmp/templates/README.md"; then
    echo "FAIL: could not make a stale README for the negative check"
    fail=1
elif python3 "$SRC/tests/templates/share_matrix.py" --check "$tmp" >"$tmp/out" 2>&1; then
    echo "FAIL: share_matrix.py --check accepted a stale matrix"
    fail=1
elif ! grep -q "is not current" "$tmp/out"; then
    echo "FAIL: share_matrix.py --check did not say the README is not current"
    cat "$tmp/out"
    fail=1
else
    echo "ok a stale matrix is reported"
fi
exit $fail
