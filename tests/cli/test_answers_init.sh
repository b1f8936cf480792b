#!/usr/bin/env bash
# posture answers init: blank answer sheets in the three formats, exactly; usage errors.
. "$(dirname "$0")/lib.sh"
W="$SRC/tests/fixtures/worked.json"
EX="$SRC/assessments/saas-baseline.template.json"
. "$(dirname "$0")/answers_lib.sh"
export SOURCE_DATE_EPOCH=1763632800

# JSON: every action with default statuses; named after the file
run answers init --template "$W" -o "$TMP/q3.json"
expect_rc 0
expect_stdout "$TMP/q3.json: blank answers for 4 actions of worked-example"
expect_stderr ""
run answers init --template "$W" -o -
expect_rc 0
expect_stdout_golden answers-init-worked.txt
sed 's/"name":\t"worked-example"/"name":\t"q3"/' "$OUT" >"$TMP/renamed.json"
same "$TMP/renamed.json" "$TMP/q3.json" "-o - and a file differ beyond the name"

# CSV: the columns of answers-format.md, quoted by libcsv, CRLF
run answers init --template "$W" --format csv -o -
expect_rc 0
printf '"action","implementation","test","tested_at","assigned_to","notes","evidence"\r\n' >"$TMP/want.csv"
for a in a b c d; do printf '"act.%s","not_implemented","not_assessed","","","",""\r\n' "$a" >>"$TMP/want.csv"; done
same "$TMP/want.csv" "$OUT" "blank CSV"
run answers init --template "$W" --format csv -o "$TMP/sheet.txt"
expect_rc 0
same "$TMP/want.csv" "$TMP/sheet.txt" "--format csv to a .txt file"

# xlsx: reads back to the blank JSON; validates; reproducible bytes
run answers init --template "$W" -o "$TMP/q3.xlsx"
expect_rc 0
expect_stdout "$TMP/q3.xlsx: blank answers for 4 actions of worked-example"
run answers validate --template "$W" "$TMP/q3.xlsx"
expect_rc 0
expect_stdout "$TMP/q3.xlsx: valid (4 of 4 actions answered, 0 controls not applicable)"
run answers convert "$TMP/q3.xlsx" -o "$TMP/q3-back.json" --template "$W"
expect_rc 0
same "$TMP/q3.json" "$TMP/q3-back.json" "blank xlsx does not read back to the blank JSON"
cp "$TMP/q3.xlsx" "$TMP/first.xlsx"
run answers init --template "$W" -o "$TMP/q3.xlsx"
same "$TMP/first.xlsx" "$TMP/q3.xlsx" "blank xlsx not reproducible"

# the provider's attestation is where a provider-owned action starts
run answers init --template "$EX" -o "$TMP/saas.csv"
expect_rc 0
expect_stdout "$TMP/saas.csv: blank answers for 23 actions of saas-security-baseline"
must "attestation not in the blank sheet" \
  grep -q '^"act.ops.dc-physical-security","implemented","passed","2026-06-30","","",""' "$TMP/saas.csv"

# the workbook's layout, as another program sees it
if [ -n "$PY" ]; then
  run answers init --template "$EX" -o "$TMP/saas.xlsx"
  "$PY" - "$TMP/saas.xlsx" >"$TMP/layout.txt" 2>&1 <<'PY'
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
print(wb.sheetnames, wb.active.title)
ws = wb["Improvement actions"]
print([c.value for c in ws[1]])
print(ws.freeze_panes, ws.auto_filter.ref)
for dv in ws.data_validations.dataValidation:
    print(dv.sqref, dv.type, dv.formula1, dv.formula2)
print([c.value for c in ws[2]][:10])
r = [c for c in ws[20]]
print(r[0].value, r[7].value, r[8].value, r[9].value, r[9].number_format)
ws = wb["Controls"]
print([c.value for c in ws[1]], ws.max_row)
for dv in ws.data_validations.dataValidation:
    print(dv.sqref, dv.type, dv.formula1)
ws = wb["About"]
for row in ws.iter_rows(values_only=True):
    print(row)
print(wb.properties.title, wb.properties.created)
PY
  cat >"$TMP/want-layout.txt" <<'T'
['Instructions', 'Improvement actions', 'Controls', 'About'] Improvement actions
['Action', 'Title', 'Type', 'Enforcement', 'Implementation type', 'Owner', 'Points', 'Implementation', 'Test', 'Tested on', 'Assigned to', 'Achieved', 'Gain', 'Controls', 'Notes', 'Evidence']
A2 A1:P24
H2:H24 list "Not implemented,Planned,Partially implemented,Implemented,Alternative implementation,Out of scope" None
I2:I24 list "Not assessed,In progress,Passed,Failed (low risk),Failed (medium risk),Failed (high risk),Out of scope" None
J2:J24 date 1 2958465
['act.gov.security-policy', 'Publish an approved information security policy', 'preventive', 'mandatory', 'documentation', 'customer', 27, 'Not implemented', 'Not assessed', None]
act.ops.dc-physical-security Implemented Passed 2026-06-30 00:00:00 yyyy-mm-dd
['Family', 'Control', 'Title', 'Actions', 'Applicable', 'Justification'] 16
E2:E16 list "Yes,No"
('Template', 'saas-security-baseline')
('Template version', '1.0.1')
('Assessment', 'saas')
('Organization', None)
('Scope', None)
('Group', 'default')
('Assessed at', None)
('Format', 'posture-answers/1')
('Generator', 'posture 0.1.0')
Answers: SaaS security baseline 2025-11-20 10:00:00
T
  same "$TMP/want-layout.txt" "$TMP/layout.txt" "workbook layout"
else
  echo "skipped: the workbook layout checks need python3-openpyxl"
fi

# usage errors: exit 2, message and usage line
USAGE="usage: posture answers init --template T [--format json|csv|xlsx] -o FILE"
run answers init -o "$TMP/x.json"
expect_rc 2
expect_stderr "posture: answers init: missing --template
$USAGE"
run answers init --template "$W"
expect_rc 2
expect_stderr "posture: answers init: missing -o FILE
$USAGE"
run answers init --template "$W" -o
expect_rc 2
expect_stderr "posture: answers init: option '-o' needs a value
$USAGE"
run answers init --template "$W" --format ods -o "$TMP/x.ods"
expect_rc 2
expect_stderr "posture: answers init: unknown format 'ods'; expected json, csv or xlsx
$USAGE"
run answers init --template "$W" --format csv -o "$TMP/x.xlsx"
expect_rc 2
expect_stderr "posture: answers init: --format csv does not match the extension of $TMP/x.xlsx
$USAGE"
run answers init --template "$W" -o "$TMP/x.txt"
expect_rc 2
expect_stderr "posture: answers init: cannot tell the format of $TMP/x.txt; give --format json|csv|xlsx
$USAGE"
run answers init --template "$W" --format xlsx -o -
expect_rc 2
expect_stderr "posture: answers init: the workbook cannot go to standard output
$USAGE"
run answers init --template "$W" -o "$TMP/x.json" extra
expect_rc 2
expect_stderr "posture: answers init: unexpected argument 'extra'
$USAGE"
run answers
expect_rc 2
expect_stderr "posture: answers: missing subcommand
usage: posture answers init|validate|convert [options]"
run answers frobnicate
expect_rc 2
expect_stderr "posture: answers: unknown subcommand 'frobnicate'
usage: posture answers init|validate|convert [options]"
run answers --help
expect_rc 0
expect_stdout_contains "answers convert IN -o OUT [--template T] [--name N] [--organization O] [--scope S] [--group G] [--assessed-at D]"
run answers init --help
expect_rc 0
expect_stdout_contains "$USAGE"

# input errors: exit 1, nothing written
run answers init --template "$TMP/nope.json" -o "$TMP/n.json"
expect_rc 1
expect_stderr "posture: no template \"$TMP/nope.json\" in the search path
hint: give a template file, or an id from 'posture template list'"
must "file written on failure" test ! -e "$TMP/n.json"
run answers init --template "$W" -o "$TMP/nodir/x.xlsx"
expect_rc 1
expect_stderr "posture: $TMP/nodir/x.xlsx: cannot write: No such file or directory"
finish
