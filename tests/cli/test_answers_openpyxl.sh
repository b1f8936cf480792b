#!/usr/bin/env bash
# Workbooks edited or written by other programs read back correctly: a sheet filled in and
# saved through openpyxl, one written from scratch by openpyxl (1904 dates, other column order),
# one written by Python's xlsxwriter (shared strings).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/answers_lib.sh"
[ -n "$PY" ] || { echo "skipped: python3-openpyxl is not installed"; exit 77; }
W="$SRC/tests/fixtures/worked.json"
EX="$SRC/assessments/saas-baseline.template.json"
EA="$SRC/assessments/northwind-2026.answers.json"
export SOURCE_DATE_EPOCH=1763632800

# 1. our workbook, opened and saved by openpyxl without a change: the same answers
run answers convert "$EA" -o "$TMP/n.json" --template "$EX"
run answers convert "$TMP/n.json" -o "$TMP/n.xlsx" --template "$EX"
expect_rc 0
"$PY" -c 'import sys, openpyxl; openpyxl.load_workbook(sys.argv[1]).save(sys.argv[2])' "$TMP/n.xlsx" "$TMP/n-openpyxl.xlsx"
run answers convert "$TMP/n-openpyxl.xlsx" -o "$TMP/n-back.json" --template "$EX"
expect_rc 0
same "$TMP/n.json" "$TMP/n-back.json" "saved through openpyxl"

# 2. a consultant fills in the blank sheet
run answers init --template "$W" -o "$TMP/contoso.xlsx"
"$PY" - "$TMP/contoso.xlsx" <<'PY'
import sys, datetime, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
ws = wb["Improvement actions"]
ws["H2"], ws["I2"] = "Implemented", "Passed"
ws["J2"] = datetime.date(2026, 11, 1)
ws["J2"].number_format = "yyyy-mm-dd"
ws["K2"] = "Zoë <dpo@contoso.example>"
ws["O2"] = 'Reviewed, "as agreed" \u2014 2 findings\nboth closed'
ws["P2"] = "https://wiki.contoso.example/a\nhttps://wiki.contoso.example/b"
ws["H3"], ws["I3"] = "implemented", "failed (LOW risk)"
ws["J3"] = datetime.datetime(2026, 10, 5, 14, 30)
ws["O3"] = "=not a formula"
ws["O3"].data_type = "s"
ws["I4"] = None                       # a status cleared: the default
ws["H4"] = "Alternative implementation"
ws["K4"] = 42                         # a number where text goes
for c in ("H5", "I5"):
    ws[c] = None                      # act.d left unanswered
wb["Controls"]["E4"] = "No"
wb["Controls"]["F4"] = "Action D is handled by the parent company."
about = wb["About"]
about["B4"] = "Contoso Ltd"
about["B7"] = datetime.date(2026, 11, 20)
wb.save(sys.argv[1])
PY
run answers convert "$TMP/contoso.xlsx" -o "$TMP/contoso.json" --template "$W"
expect_rc 0
expect_stderr ""
cat >"$TMP/want.json" <<'J'
{"format": "posture-answers/1", "template": "worked-example", "template_version": "1.0.0",
 "assessment": {"name": "contoso", "organization": "Contoso Ltd", "scope": null, "group": "default",
                "assessed_at": "2026-11-20"},
 "controls": [{"control": "C3", "applicable": false,
               "justification": "Action D is handled by the parent company."}],
 "answers": [
  {"action": "act.a", "implementation": "implemented", "test": "passed", "tested_at": "2026-11-01",
   "assigned_to": "Zoë <dpo@contoso.example>",
   "notes": "Reviewed, \"as agreed\" — 2 findings\nboth closed",
   "evidence": ["https://wiki.contoso.example/a", "https://wiki.contoso.example/b"]},
  {"action": "act.b", "implementation": "implemented", "test": "failed_low", "tested_at": "2026-10-05",
   "assigned_to": null, "notes": "=not a formula", "evidence": []},
  {"action": "act.c", "implementation": "alternative", "test": "not_assessed", "tested_at": null,
   "assigned_to": "42", "notes": null, "evidence": []}]}
J
must "filled in with openpyxl" test "$(jnorm "$TMP/contoso.json")" = "$(jnorm "$TMP/want.json")"
run score --template "$W" --answers "$TMP/contoso.xlsx"
expect_rc 0
expect_stdout_contains "Assessment: contoso, Contoso Ltd  [profile compliance-manager]"
expect_stdout_contains "Score: 87.10% (27 of 31 points)"

# 3. written from scratch by openpyxl: only the answers sheet, columns in another order, 1904 dates
"$PY" - "$TMP/scratch.xlsx" <<'PY'
import sys, datetime, openpyxl
from openpyxl.utils.datetime import CALENDAR_MAC_1904
wb = openpyxl.Workbook()
wb.epoch = CALENDAR_MAC_1904
ws = wb.active
ws.title = "Improvement actions"
ws.append(["Notes", "Test", "Tested on", "Action", "Implementation", "Remarks"])
ws.append(["first", "Passed", datetime.date(2026, 11, 20), "act.c", "Implemented", "ignored"])
ws.append([None, None, None, "act.a", None, "only a remark: unanswered"])
ws.append([None, "In progress", "2026-11-02", "act.b", None, None])
for row in ws.iter_rows(min_row=2, min_col=3, max_col=3):
    row[0].number_format = "dd/mm/yyyy"
wb.save(sys.argv[1])
PY
run answers convert "$TMP/scratch.xlsx" -o - --template "$W"
expect_rc 0
must "openpyxl from scratch" test "$(jq -c '[.assessment.name, (.answers[] | [.action, .implementation, .test, .tested_at, .notes])]' "$OUT")" = \
  '["scratch",["act.c","implemented","passed","2026-11-20","first"],["act.b","not_implemented","in_progress","2026-11-02",null]]'

# 4. written by Python's xlsxwriter: shared strings, booleans, a formula's cached value
"$PY" - "$TMP/xw.xlsx" <<'PY' || { echo "skipped: python3-xlsxwriter missing"; exit 77; }
import sys, datetime, xlsxwriter
wb = xlsxwriter.Workbook(sys.argv[1])
ws = wb.add_worksheet("Improvement actions")
date = wb.add_format({"num_format": "yyyy-mm-dd"})
for c, h in enumerate(["Action", "Implementation", "Test", "Tested on", "Assigned to", "Notes", "Evidence"]):
    ws.write_string(0, c, h)
ws.write_string(1, 0, "act.a")
ws.write_string(1, 1, "Planned")
ws.write_formula(1, 2, '=LOWER("IN_PROGRESS")', None, "in_progress")
ws.write_datetime(1, 3, datetime.datetime(2000, 2, 29), date)
ws.write_boolean(1, 4, True)
ws.write_string(1, 5, "Planned, see _x0041_ plan")
ws.write_string(1, 6, "e1\ne2")
ws.write_string(2, 0, "act.b")
ws.write_string(2, 1, "Planned")
wb.close()
PY
run answers convert "$TMP/xw.xlsx" -o - --template "$W"
expect_rc 0
must "python xlsxwriter" test "$(jq -c '[.answers[] | [.action, .implementation, .test, .tested_at, .assigned_to, .notes, .evidence]]' "$OUT")" = \
  '[["act.a","planned","in_progress","2000-02-29","TRUE","Planned, see _x0041_ plan",["e1","e2"]],["act.b","planned","not_assessed",null,null,null,[]]]'
finish
