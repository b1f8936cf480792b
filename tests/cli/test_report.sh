#!/usr/bin/env bash
# posture report --json: atomic, reproducible, and failures leave nothing behind.
. "$(dirname "$0")/lib.sh"
W="$SRC/tests/fixtures/worked.json"
WA="$SRC/tests/fixtures/worked-answers.json"
export SOURCE_DATE_EPOCH=1763632800

run report --template "$W" --answers "$WA" --json "$TMP/out.json"
expect_rc 0
expect_stdout ""
CHECKS=$((CHECKS + 1)); cmp -s "$TMP/out.json" "$SRC/tests/cli/golden/score-worked.json" || fail "report --json differs from score --json"
# same input, same bytes
run report --template "$W" --answers "$WA" --json "$TMP/again.json"
CHECKS=$((CHECKS + 1)); cmp -s "$TMP/out.json" "$TMP/again.json" || fail "not reproducible"
run report --template "$W" --answers "$WA" --json - --compact
expect_rc 0
expect_stdout_golden score-worked-compact.json
# generated_at follows SOURCE_DATE_EPOCH
SOURCE_DATE_EPOCH=0 run report --template "$W" --answers "$WA" --json -
expect_stdout_contains '"generated_at":	"1970-01-01T00:00:00Z"'

# a failed write: exit 1, a clear message, the target untouched, no temporary left
echo "previous" >"$TMP/keep.json"
mkdir "$TMP/ro" && echo "previous" >"$TMP/ro/keep.json" && chmod 555 "$TMP/ro"
if [ "$(id -u)" != 0 ]; then
  run report --template "$W" --answers "$WA" --json "$TMP/ro/keep.json"
  expect_rc 1
  expect_stderr "posture: $TMP/ro/keep.json: cannot write: Permission denied"
fi
CHECKS=$((CHECKS + 1)); [ "$(cat "$TMP/ro/keep.json")" = previous ] || fail "target changed"
run report --template "$W" --answers "$WA" --json "$TMP/nodir/x.json"
expect_rc 1
expect_stderr "posture: $TMP/nodir/x.json: cannot write: No such file or directory"
if [ -w /dev/full ]; then
  run report --template "$W" --answers "$WA" --json /dev/full
  expect_rc 1
  expect_stderr "posture: /dev/full: cannot write: No space left on device"
fi
# bad answers: nothing written
run report --template "$W" --answers "$SRC/tests/fixtures/worked.json" --json "$TMP/bad.json"
expect_rc 1
CHECKS=$((CHECKS + 1)); [ ! -e "$TMP/bad.json" ] || fail "a report was written from bad answers"
CHECKS=$((CHECKS + 1)); [ -z "$(ls -A "$TMP" | grep '^\.')" ] || fail "temporary files left: $(ls -A "$TMP")"

# a symlink to a file: the file is replaced, the link stays
echo old >"$TMP/real.json" && ln -s "$TMP/real.json" "$TMP/link.json"
run report --template "$W" --answers "$WA" --json "$TMP/link.json"
expect_rc 0
CHECKS=$((CHECKS + 1)); [ -L "$TMP/link.json" ] || fail "the symlink was replaced"
CHECKS=$((CHECKS + 1)); cmp -s "$TMP/real.json" "$SRC/tests/cli/golden/score-worked.json" || fail "the linked file was not written"

# usage
run report --template "$W" --answers "$WA"
expect_rc 2
expect_stderr "posture: report: nothing to write: give --xlsx OUT and/or --json OUT
usage: posture report --template T --answers FILE [--profile P] [--xlsx OUT] [--json OUT] [--compact] [--coverage T] [--mappings DIR]...
       posture report NAME [--profile P] [--xlsx OUT] [--json OUT] [--compact] [--coverage T] [--mappings DIR]..."
finish
