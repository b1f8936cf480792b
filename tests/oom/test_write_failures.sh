#!/usr/bin/env bash
# Write failures end with exit 1, a message naming the target, the old target untouched and no
# partial or temporary file left: a full disk (a 128 KiB tmpfs, mounted when we may) and a
# read-only directory for a user without root's override (setpriv to nobody, when we are root).
# Either part is skipped (77 when both are) where the system does not allow it.
. "$(dirname "$0")/../cli/lib.sh"
W="$SRC/tests/fixtures/worked.json"
WA="$SRC/tests/fixtures/worked-answers.json"
EX="$SRC/assessments/saas-baseline.template.json"
EA="$SRC/assessments/northwind-2026.answers.json"
export SOURCE_DATE_EPOCH=1763632800
ran=0

# bad MESSAGE: count a failure, naming the line
bad() {
  FAILS=$((FAILS + 1))
  printf 'FAIL (%s:%s): %s\n' "${BASH_SOURCE[1]##*/}" "${BASH_LINENO[0]}" "$*"
}

# expect_files DIR "A B ": exactly these files in DIR (no temporary file left)
expect_files() {
  CHECKS=$((CHECKS + 1))
  local got
  got=$(ls -A "$1" | tr '\n' ' ')
  [ "$got" = "$2" ] || bad "files in $1: '$got', expected '$2'"
}

full="$TMP/full"
mkdir "$full"
if [ "$(id -u)" = 0 ] && mount -t tmpfs -o size=128k tmpfs "$full" 2>/dev/null; then
  trap 'umount "$full" 2>/dev/null; rm -rf "$TMP"' EXIT
  ran=1
  echo old >"$full/out.json"
  echo old >"$full/out.xlsx"
  # fill the disk to the last page
  head -c $((128 * 1024)) /dev/zero >"$full/filler" 2>/dev/null || true

  run report --template "$EX" --answers "$EA" --json "$full/out.json"
  expect_rc 1
  expect_stderr "posture: $full/out.json: cannot write: No space left on device"
  CHECKS=$((CHECKS + 1)); [ "$(cat "$full/out.json")" = old ] || bad "the old summary was changed"

  run report --template "$EX" --answers "$EA" --xlsx "$full/out.xlsx"
  expect_rc 1
  # libxlsxwriter prints its own "[ERROR]" lines first; ours is the last line
  CHECKS=$((CHECKS + 1))
  [ "$(tail -n 1 "$ERR")" = "posture: $full/out.xlsx: cannot write workbook: Zip generic error ZIP_ERRNO while creating the xlsx file." ] ||
    { bad "last line of stderr"; cat "$ERR"; }
  CHECKS=$((CHECKS + 1)); [ "$(cat "$full/out.xlsx")" = old ] || bad "the old workbook was changed"

  run --templates "$SRC/assessments" answers convert "$EA" -o "$full/a.csv"
  expect_rc 1
  expect_stderr "posture: $full/a.csv: warning: CSV has no place for control applicability: 1 control entry left out
hint: convert to .json or .xlsx to keep them
posture: $full/a.csv: cannot write: No space left on device"

  run --templates "$SRC/assessments" answers convert "$EA" -o "$full/a.xlsx"
  expect_rc 1
  CHECKS=$((CHECKS + 1))
  [ "$(tail -n 1 "$ERR")" = "posture: $full/a.xlsx: cannot write workbook: Zip generic error ZIP_ERRNO while creating the xlsx file." ] ||
    { bad "last line of stderr"; cat "$ERR"; }

  # SQLite leaves an empty file, which posture later calls "not a posture store (an empty file)"
  run --db "$full/posture.db" init
  expect_rc 1
  expect_stderr "posture: $full/posture.db: the disk is full; nothing was changed"
  rm -f "$full/posture.db"

  expect_files "$full" "filler out.json out.xlsx "
else
  echo "skipped: disk full (needs root and tmpfs)"
fi

# a read-only directory, as a user that root's override does not help
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null &&
   setpriv --reuid=65534 --regid=65534 --clear-groups test -x "$POSTURE" 2>/dev/null &&
   setpriv --reuid=65534 --regid=65534 --clear-groups test -r "$EA" 2>/dev/null; then
  ran=1
  ro="$TMP/ro"
  mkdir "$ro" && echo old >"$ro/out.json" && chmod 755 "$TMP" && chmod 555 "$ro"
  as_nobody() {
    RC=0
    setpriv --reuid=65534 --regid=65534 --clear-groups "$POSTURE" "$@" >"$OUT" 2>"$ERR" || RC=$?
  }
  as_nobody report --template "$EX" --answers "$EA" --json "$ro/out.json"
  expect_rc 1
  expect_stderr "posture: $ro/out.json: cannot write: Permission denied"
  as_nobody report --template "$EX" --answers "$EA" --xlsx "$ro/out.xlsx"
  expect_rc 1
  expect_stderr "posture: $ro/out.xlsx: cannot write: Permission denied"
  as_nobody --templates "$SRC/assessments" answers convert "$EA" -o "$ro/a.csv"
  expect_rc 1
  expect_stderr "posture: $ro/a.csv: warning: CSV has no place for control applicability: 1 control entry left out
hint: convert to .json or .xlsx to keep them
posture: $ro/a.csv: cannot write: Permission denied"
  CHECKS=$((CHECKS + 1)); [ "$(cat "$ro/out.json")" = old ] || bad "the old summary was changed"
  expect_files "$ro" "out.json "
  chmod 755 "$ro"
else
  echo "skipped: read-only directory (needs root to become nobody)"
fi

[ "$ran" = 1 ] || exit 77
finish
