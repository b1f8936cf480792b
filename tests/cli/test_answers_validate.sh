#!/usr/bin/env bash
# posture answers validate, and score/report reading CSV and xlsx: exact messages and exit codes.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/answers_lib.sh"
W="$SRC/tests/fixtures/worked.json"
WA="$SRC/tests/fixtures/worked-answers.json"
EX="$SRC/assessments/saas-baseline.template.json"
EA="$SRC/assessments/northwind-2026.answers.json"
export SOURCE_DATE_EPOCH=1763632800
STATUSES="not_assessed, in_progress, passed, failed_low, failed_medium, failed_high, out_of_scope"

# valid files of each format
run answers validate --template "$EX" "$EA"
expect_rc 0
expect_stdout "$EA: valid (20 of 23 actions answered, 1 control not applicable)"
expect_stderr ""
run --templates "$SRC/assessments" answers convert "$EA" -o "$TMP/northwind.xlsx"
expect_rc 0
run answers validate --template "$EX" "$TMP/northwind.xlsx"
expect_rc 0
expect_stdout "$TMP/northwind.xlsx: valid (20 of 23 actions answered, 1 control not applicable)"
cat >"$TMP/worked.csv" <<'C'
action,implementation,test
act.a,Implemented,Passed
act.b,implemented,failed_low
act.c,alternative,passed
act.d,out_of_scope,
C
run answers validate --template "$W" "$TMP/worked.csv"
expect_rc 0
expect_stdout "$TMP/worked.csv: valid (4 of 4 actions answered, 0 controls not applicable)"

# score and report read CSV and xlsx like JSON: same posture
run score --template "$W" --answers "$WA"
grep -v '^Assessment:' "$OUT" >"$TMP/score-json.txt"
run score --template "$W" --answers "$TMP/worked.csv"
expect_rc 0
expect_stdout_contains "Assessment: worked  [profile compliance-manager]"
grep -v '^Assessment:' "$OUT" >"$TMP/score-csv.txt"
same "$TMP/score-json.txt" "$TMP/score-csv.txt" "score from CSV"
run score --template "$EX" --answers "$EA" --json
cp "$OUT" "$TMP/score-json.json"
run score --template "$EX" --answers "$TMP/northwind.xlsx" --json
expect_rc 0
same "$TMP/score-json.json" "$OUT" "score --json from xlsx"
run report --template "$EX" --answers "$TMP/northwind.xlsx" --json "$TMP/report.json"
expect_rc 0
same "$TMP/score-json.json" "$TMP/report.json" "report --json from xlsx"

# CSV: every problem at the line where its record starts
{
  printf 'action,implementation,test,tested_at,notes\n'            # 1
  printf 'act.gov.security-policy,implemented,passed,2026-11-01,\n' # 2
  printf 'act.iam.sso,implemented,passed,,"two\nlines"\n'           # 3-4
  for i in 5 6 7 8 9 10 11; do printf ',,,,\n'; done                # 5-11
  printf 'act.iam.admin-mfa,implemented,x,,\n'                      # 12
  printf 'act.iam.sso,planned,,01/11/2026,\n'                       # 13
  printf 'act.nope,,,,\n'                                           # 14
} >"$TMP/a.csv"
run answers validate --template "$EX" "$TMP/a.csv"
expect_rc 1
expect_stdout ""
expect_stderr "posture: $TMP/a.csv: 12: unknown test status \"x\"; expected one of: $STATUSES
posture: $TMP/a.csv: 13: invalid date \"01/11/2026\"; expected YYYY-MM-DD
posture: $TMP/a.csv: 13: action \"act.iam.sso\" is answered twice (first at 3)
posture: $TMP/a.csv: 14: unknown action \"act.nope\""
run score --template "$EX" --answers "$TMP/a.csv"
expect_rc 1
printf 'action,notes\nact.iam.sso,"never closed\n' >"$TMP/q.csv"
run answers validate --template "$EX" "$TMP/q.csv"
expect_rc 1
expect_stderr "posture: $TMP/q.csv: 2: malformed CSV: a quoted field is not closed
hint: add the closing quote of the field"
printf 'id,test\nact.iam.sso,passed\n' >"$TMP/h.csv"
run answers validate --template "$EX" "$TMP/h.csv"
expect_rc 1
expect_stderr "posture: $TMP/h.csv: 1: warning: unknown column \"id\" (ignored)
posture: $TMP/h.csv: 1: the header row has no \"action\" column
hint: the first row names the columns: action,implementation,test,tested_at,assigned_to,notes,evidence (only action is required)"

# xlsx: typed cells checked where they are
if [ -n "$PY" ]; then
  run answers init --template "$EX" -o "$TMP/typed.xlsx"
  "$PY" - "$TMP/typed.xlsx" <<'PY'
import sys, datetime, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
ws = wb["Improvement actions"]
ws["I14"] = "Done"                      # a status typed wrongly
ws["J5"] = "01/11/2026"                 # a date in text form
ws["J6"] = datetime.date(2026, 11, 1)   # a date: fine
ws["J6"].number_format = "yyyy-mm-dd"
ws["H7"] = "IMPLEMENTED"                # a label in another case: fine
ws["A25"] = "act.iam.sso"               # a second row for an action
ws["H25"] = "Planned"
wb["Controls"]["E3"] = "No"             # not applicable, without a justification
wb.save(sys.argv[1])
PY
  run answers validate --template "$EX" "$TMP/typed.xlsx"
  expect_rc 1
  expect_stderr "posture: $TMP/typed.xlsx: sheet \"Improvement actions\" cell J5: date in text form \"01/11/2026\"
hint: enter a date, or text in the form YYYY-MM-DD (e.g. 2026-11-20)
posture: $TMP/typed.xlsx: sheet \"Improvement actions\" cell I14: unknown test status \"Done\"; expected one of: $STATUSES
posture: $TMP/typed.xlsx: sheet \"Controls\" cell B3: a not-applicable control needs a justification
posture: $TMP/typed.xlsx: sheet \"Improvement actions\" cell A25: action \"act.iam.sso\" is answered twice (first at sheet \"Improvement actions\" cell A6)"
  run report --template "$EX" --answers "$TMP/typed.xlsx" --json "$TMP/never.json"
  expect_rc 1
  must "report written from invalid answers" test ! -e "$TMP/never.json"
else
  echo "skipped: the typed-cell checks need python3-openpyxl"
fi

# the format comes from the extension
echo '{}' >"$TMP/answers.txt"
run answers validate --template "$W" "$TMP/answers.txt"
expect_rc 1
expect_stderr "posture: $TMP/answers.txt: unsupported answers format \".txt\"
hint: answers files end in .json, .csv or .xlsx"
run answers validate --template "$W" "$TMP/missing.csv"
expect_rc 1
expect_stderr "posture: $TMP/missing.csv: cannot open: No such file or directory"
run answers validate --template "$W" "$TMP/missing.xlsx"
expect_rc 1
expect_stderr "posture: $TMP/missing.xlsx: cannot open: No such file or directory"

# usage errors
USAGE="usage: posture answers validate --template T FILE"
run answers validate "$WA"
expect_rc 2
expect_stderr "posture: answers validate: missing --template
$USAGE"
run answers validate --template "$W"
expect_rc 2
expect_stderr "posture: answers validate: no file given
$USAGE"
run answers validate --template "$W" "$WA" "$WA"
expect_rc 2
expect_stderr "posture: answers validate: unexpected argument '$WA'
$USAGE"
run answers validate --help
expect_rc 0
expect_stdout_contains "$USAGE"
finish
