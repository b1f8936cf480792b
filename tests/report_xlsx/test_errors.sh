#!/usr/bin/env bash
# posture report --xlsx failures: exit 1 with the message of cli.md, the target
# untouched and no temporary file left beside it. (Usage errors: tests/cli.)
. "$(dirname "$0")/lib.sh"
write_worked
W=(report --template "$TMP/worked.json" --answers "$TMP/worked-answers.json")
mkdir "$TMP/out"

# a directory that does not exist
run "${W[@]}" --xlsx "$TMP/out/no/such/dir/r.xlsx"
expect_rc 1
expect_stderr "posture: $TMP/out/no/such/dir/r.xlsx: cannot write: No such file or directory"
expect_files "$TMP/out" ""

# the target is a directory
mkdir "$TMP/out/r.xlsx"
run "${W[@]}" --xlsx "$TMP/out/r.xlsx"
expect_rc 1
expect_stderr "posture: $TMP/out/r.xlsx: cannot write: Is a directory"
expect_files "$TMP/out" "r.xlsx"
ok; [ -d "$TMP/out/r.xlsx" ] || fail "the directory was replaced"
rmdir "$TMP/out/r.xlsx"

# libxlsxwriter fails (a 2 KiB file size limit): an existing report stays as it was.
# libxlsxwriter prints its own "[ERROR]" lines first; ours is the last line.
printf 'old report' >"$TMP/out/r.xlsx"
RC=0
(ulimit -f 2; trap '' XFSZ; exec "$POSTURE" "${W[@]}" --xlsx "$TMP/out/r.xlsx") >"$OUT" 2>"$ERR" || RC=$?
expect_rc 1
ok; [ "$(tail -n 1 "$ERR")" = "posture: $TMP/out/r.xlsx: cannot write workbook: Zip generic error ZIP_ERRNO while creating the xlsx file." ] \
  || { fail "last line of stderr"; cat "$ERR"; }
ok; [ "$(grep -vc '^\[ERROR\]' "$ERR")" = 1 ] || { fail "stderr holds other lines"; cat "$ERR"; }
ok; [ "$(cat "$TMP/out/r.xlsx")" = "old report" ] || fail "the old report was changed"
expect_files "$TMP/out" "r.xlsx"

# a read-only directory (root writes anywhere: skipped then)
if [ "$(id -u)" != 0 ]; then
  mkdir "$TMP/ro" && chmod 555 "$TMP/ro"
  run "${W[@]}" --xlsx "$TMP/ro/r.xlsx"
  expect_rc 1
  expect_stderr "posture: $TMP/ro/r.xlsx: cannot write: Permission denied"
  expect_files "$TMP/ro" ""
  chmod 755 "$TMP/ro"
fi

# the workbook is written, then --json fails: exit 1, the workbook is complete
run "${W[@]}" --xlsx "$TMP/out/r.xlsx" --json "$TMP/out/no/s.json"
expect_rc 1
expect_stderr "posture: $TMP/out/no/s.json: cannot write: No such file or directory"
ok; [ "$(head -c 2 "$TMP/out/r.xlsx")" = "PK" ] || fail "the workbook was not written"

# a device that is full: written in place, the error comes at the end
if [ -w /dev/full ]; then
  run "${W[@]}" --xlsx /dev/full
  expect_rc 1
  expect_stderr "posture: /dev/full: cannot write: No space left on device"
fi
expect_files "$TMP/out" "r.xlsx"

finish
