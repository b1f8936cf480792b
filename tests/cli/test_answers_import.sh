#!/usr/bin/env bash
# posture answer import reads CSV and workbooks into the store like JSON: all or nothing.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/answers_lib.sh"
W="$SRC/tests/fixtures/worked.json"
export POSTURE_DB="$TMP/store.db" POSTURE_USER=alice POSTURE_NOW=2026-03-01T09:00:00Z
run init
expect_rc 0
run assessment create Csv --template "$W"
expect_rc 0
# a second store, so that no answer is shared with the first
run --db "$TMP/book.db" init
expect_rc 0
run --db "$TMP/book.db" assessment create Book --template "$W"
expect_rc 0

# a CSV with an error: nothing imported, the error at its line
printf 'action,implementation,test\nact.a,implemented,passed\nact.b,implemented,passd\n' >"$TMP/bad.csv"
run answer import Csv "$TMP/bad.csv"
expect_rc 1
expect_stderr "posture: $TMP/bad.csv: 3: unknown test status \"passd\"; expected one of: not_assessed, in_progress, passed, failed_low, failed_medium, failed_high, out_of_scope
hint: nothing was imported; fix the file and run the import again"

# the worked example of scoring.md as CSV
cat >"$TMP/worked.csv" <<'C'
action,implementation,test
act.a,Implemented,Passed
act.b,implemented,failed_low
act.c,alternative,passed
act.d,out_of_scope,
C
run answer import Csv "$TMP/worked.csv"
expect_rc 0
expect_stdout "import of $TMP/worked.csv into \"Csv\": 7 changes
  Csv: 0.00% -> 90.32% (28 of 31 points)"

# the same answers as a workbook (written by answers convert), with a not-applicable control
run answers convert "$TMP/worked.csv" -o "$TMP/worked.xlsx" --template "$W"
expect_rc 0
if [ -n "$PY" ]; then
  "$PY" - "$TMP/worked.xlsx" <<'PY'
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
wb["Controls"]["E3"], wb["Controls"]["F3"] = "No", "Not offered"
wb.save(sys.argv[1])
PY
  run --db "$TMP/book.db" answer import Book "$TMP/worked.xlsx"
  expect_rc 0
  expect_stdout "import of $TMP/worked.xlsx into \"Book\": 8 changes
  Book: 0.00% -> 90.00% (27 of 30 points)"
else
  run --db "$TMP/book.db" answer import Book "$TMP/worked.xlsx"
  expect_rc 0
  expect_stdout "import of $TMP/worked.xlsx into \"Book\": 7 changes
  Book: 0.00% -> 90.32% (28 of 31 points)"
fi
finish
