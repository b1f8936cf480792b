#!/usr/bin/env bash
# The workbook of the bundled example and of the worked example, read back with
# openpyxl: sheets, headers, one row per control and action, every status, point
# and percent equal to `posture score --json`, validations, autofilter, frozen panes.
. "$(dirname "$0")/lib.sh"
need_openpyxl
write_worked

# the bundled example
SOURCE_DATE_EPOCH=1763632800 run report --template "$EX_T" --answers "$EX_A" --xlsx "$TMP/example.xlsx"
expect_rc 0
expect_stderr ""
expect_files "$TMP" "example.xlsx stderr stdout worked-answers.json worked.json"
SOURCE_DATE_EPOCH=1763632800 "$POSTURE" score --template "$EX_T" --answers "$EX_A" --json >"$TMP/example.summary.json"
check_py "$HERE/check_workbook.py" "$TMP/example.xlsx" "$TMP/example.summary.json" "$EX_T" "$EX_A"

# the worked example of scoring.md, with mappings, a provider attestation and a
# not-applicable control; --json written alongside must be the same summary
SOURCE_DATE_EPOCH=1763632800 run report --template "$TMP/worked.json" --answers "$TMP/worked-answers.json" \
  --xlsx "$TMP/worked.xlsx" --json "$TMP/worked.report.json"
expect_rc 0
expect_stderr ""
SOURCE_DATE_EPOCH=1763632800 "$POSTURE" score --template "$TMP/worked.json" --answers "$TMP/worked-answers.json" --json >"$TMP/worked.summary.json"
ok; cmp -s "$TMP/worked.summary.json" "$TMP/worked.report.json" || fail "report --json differs from score --json"
check_py "$HERE/check_workbook.py" "$TMP/worked.xlsx" "$TMP/worked.summary.json" "$TMP/worked.json" "$TMP/worked-answers.json"

# exact values of the worked example, as scoring.md has them
cat >"$TMP/worked.py" <<'P'
import sys, warnings, datetime
warnings.simplefilter("ignore")
import openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
fails = []
def eq(got, want, what):
    if got != want: fails.append(f"{what}: got {got!r}, want {want!r}")
s = wb["Summary"]
eq((s["A12"].value, s["B13"].value, s["B14"].value), (90.32, 28, 31), "score 28/31 = 90.32")
c = wb["Controls"]
eq([[c.cell(r, k).value for k in (2, 4, 5, 6, 7, 9, 10, 11, 12)] for r in range(2, 6)],
   [["C1", "Failed", 27, 30, 90, "Yes", None, "Art. 5(1)(f), Art. 32", None],
    ["C2", "Failed", 1, 4, 25, "Yes", None, "Art. 25", "A.8.5"],
    ["C3", "Out of scope", 0, 0, None, "Yes", None, None, None],
    ["C4", "Out of scope", 0, 0, None, "No", "No provider here.", None, None]], "controls")
eq([c.cell(1, k).value for k in (11, 12)], ["gdpr", "iso-iec-27001-2022"], "mapping columns")
a = wb["Improvement actions"]
eq([[a.cell(r, k).value for k in (1, 7, 8, 9, 10, 12, 13, 14)] for r in range(2, 7)],
   [["act.a", 27, "Implemented", "Passed", datetime.datetime(2026, 11, 1), 27, 0, "C1"],
    ["act.b", 3, "Implemented", "Failed (low risk)", None, 0, 3, "C1, C2"],
    ["act.c", 1, "Alternative implementation", "Passed", None, 1, 0, "C2"],
    ["act.d", 9, "Out of scope", "Not assessed", None, 0, None, "C3"],
    ["act.e", 5, "Implemented", "Passed", datetime.datetime(2026, 1, 15), 0, None, "C4"]],
   "actions (act.e: the provider's attestation; out of scope as C4 is not applicable)")
eq([s.cell(27, k).value for k in range(1, 6)], ["act.b", "Action B", 3, 9.68, "Low"], "top 1")
f = wb["Families"]
eq([[f.cell(r, k).value for k in range(1, 11)] for r in (2, 3)],
   [["F1", "First family", 28, 31, 90.32, 0, 2, 0, 0, 1],
    ["F2", "Second family", 0, 0, None, 0, 0, 0, 0, 1]], "families")
for x in fails: print("FAIL:", x)
sys.exit(1 if fails else 0)
P
check_py "$TMP/worked.py" "$TMP/worked.xlsx"

# nothing in scope: the score reads n/a and there is no improvement action
cat >"$TMP/none.json" <<'J'
{"format": "posture-answers/1", "template": "worked-example", "assessment": {"name": "None"},
 "answers": [{"action": "act.a", "implementation": "out_of_scope"}, {"action": "act.b", "test": "out_of_scope"},
  {"action": "act.c", "implementation": "out_of_scope"}, {"action": "act.d", "implementation": "out_of_scope"},
  {"action": "act.e", "implementation": "out_of_scope"}]}
J
SOURCE_DATE_EPOCH=1763632800 run report --template "$TMP/worked.json" --answers "$TMP/none.json" --xlsx "$TMP/none.xlsx" --json "$TMP/none.summary.json"
expect_rc 0
check_py "$HERE/check_workbook.py" "$TMP/none.xlsx" "$TMP/none.summary.json" "$TMP/worked.json"

# a pipe (written in place, not renamed): the same workbook
RC=0
set -o pipefail
SOURCE_DATE_EPOCH=1763632800 "$POSTURE" report --template "$TMP/worked.json" --answers "$TMP/worked-answers.json" \
  --xlsx /dev/stdout 2>"$ERR" | cat >"$TMP/piped.xlsx" || RC=$?
set +o pipefail
expect_rc 0
expect_stderr ""
check_py "$HERE/check_workbook.py" "$TMP/piped.xlsx" "$TMP/worked.summary.json" "$TMP/worked.json"
"$PY" "$HERE/parts.py" "$TMP/piped.xlsx" >"$TMP/piped.txt"
"$PY" "$HERE/parts.py" "$TMP/worked.xlsx" >"$TMP/worked.txt"
ok; cmp -s "$TMP/piped.txt" "$TMP/worked.txt" || fail "the piped workbook differs"

finish
