#!/usr/bin/env bash
# posture answers convert: any format to any other, nothing lost; metadata options; errors.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/answers_lib.sh"
EX="$SRC/assessments/saas-baseline.template.json"
EA="$SRC/assessments/northwind-2026.answers.json"
export SOURCE_DATE_EPOCH=1763632800
T=(--templates "$SRC/assessments")

# the bundled answers, normalised by a JSON -> JSON conversion (template found by its id)
run "${T[@]}" answers convert "$EA" -o "$TMP/n.json"
expect_rc 0
expect_stdout "$TMP/n.json: 20 answers, 1 control entries"
expect_stderr ""
must "json -> json changed the answers" test "$(jnorm "$TMP/n.json")" = "$(jq -cS '
  .controls |= map({control, applicable, justification: (.justification // null)}) |
  .answers |= map({action, implementation: (.implementation // "not_implemented"),
    test: (.test // "not_assessed"), tested_at: (.tested_at // null),
    assigned_to: (.assigned_to // null), notes: (.notes // null), evidence: (.evidence // [])})
  ' "$EA")"

# json -> xlsx -> json and json -> csv -> json (metadata from options): identical
run "${T[@]}" answers convert "$TMP/n.json" -o "$TMP/n.xlsx"
expect_rc 0
expect_stdout "$TMP/n.xlsx: 20 answers, 1 control entries"
run "${T[@]}" answers convert "$TMP/n.xlsx" -o "$TMP/n-xlsx.json"
expect_rc 0
same "$TMP/n.json" "$TMP/n-xlsx.json" "json -> xlsx -> json"
run "${T[@]}" answers convert "$TMP/n.json" -o "$TMP/n.csv"
expect_rc 0
expect_stdout "$TMP/n.csv: 20 answers, 0 control entries"
expect_stderr "posture: $TMP/n.csv: warning: CSV has no place for control applicability: 1 control entry left out
hint: convert to .json or .xlsx to keep them"
run answers convert "$TMP/n.csv" -o "$TMP/n-csv.json" --template "$EX" \
  --name "Northwind SaaS baseline 2026" --organization "Northwind Traders Ltd" \
  --scope "Northwind order-management platform (production, EU region)" --group northwind \
  --assessed-at 2026-11-20
expect_rc 0
expect_stdout "$TMP/n-csv.json: 20 answers, 0 control entries"
jq 'del(.controls[])' "$TMP/n.json" >"$TMP/n-nocontrols.json"
must "json -> csv -> json" test "$(jnorm "$TMP/n-csv.json")" = "$(jnorm "$TMP/n-nocontrols.json")"

# csv -> xlsx -> csv: the same bytes
run answers convert "$TMP/n.csv" -o "$TMP/c.xlsx" --template "$EX"
expect_rc 0
run answers convert "$TMP/c.xlsx" -o "$TMP/c.csv"
expect_rc 1
expect_stderr "posture: no template \"saas-security-baseline\" in the search path
hint: the search path holds no template; 'posture template list' shows where it looks"
run "${T[@]}" answers convert "$TMP/c.xlsx" -o "$TMP/c.csv"
expect_rc 0
same "$TMP/n.csv" "$TMP/c.csv" "csv -> xlsx -> csv"

# without options a CSV's assessment is named after the file
run answers convert "$TMP/n.csv" -o - --template "$EX"
expect_rc 0
must "CSV name" test "$(jq -r .assessment.name "$OUT")" = n
must "CSV template" test "$(jq -r '.template + " " + .template_version' "$OUT")" = "saas-security-baseline 1.0.1"
# the options override what a JSON or workbook says
run "${T[@]}" answers convert "$TMP/n.xlsx" -o - --name Renamed --group ""
expect_rc 0
must "--name over the workbook" test "$(jq -c '[.assessment.name, .assessment.group, .assessment.organization]' "$OUT")" = '["Renamed","default","Northwind Traders Ltd"]'

# a CSV names no template
run answers convert "$TMP/n.csv" -o "$TMP/x.json"
expect_rc 1
expect_stderr "posture: $TMP/n.csv: the answers do not name their template
hint: give it with --template T (a CSV file never names it)"
# answers for another template than --template
run answers convert "$TMP/n.json" -o "$TMP/x.json" --template "$SRC/tests/fixtures/worked.json"
expect_rc 1
expect_stderr "posture: $TMP/n.json: /template: answers are for template \"saas-security-baseline\", not \"worked-example\""
# invalid input: nothing written
printf 'action,test\nact.iam.sso,passd\n' >"$TMP/bad.csv"
run answers convert "$TMP/bad.csv" -o "$TMP/bad.json" --template "$EX"
expect_rc 1
expect_stderr "posture: $TMP/bad.csv: 2: unknown test status \"passd\"; expected one of: not_assessed, in_progress, passed, failed_low, failed_medium, failed_high, out_of_scope"
must "written from invalid answers" test ! -e "$TMP/bad.json"
# a write that fails leaves nothing
run "${T[@]}" answers convert "$TMP/n.json" -o "$TMP/nodir/n.xlsx"
expect_rc 1
expect_stderr "posture: $TMP/nodir/n.xlsx: cannot write: No such file or directory"

# usage errors
USAGE="usage: posture answers convert IN -o OUT [--template T] [--name N] [--organization O] [--scope S] [--group G] [--assessed-at D]"
run answers convert -o "$TMP/x.json"
expect_rc 2
expect_stderr "posture: answers convert: no input file given
$USAGE"
run answers convert "$TMP/n.json"
expect_rc 2
expect_stderr "posture: answers convert: missing -o OUT
$USAGE"
run answers convert "$TMP/n.json" -o "$TMP/x.ods"
expect_rc 2
expect_stderr "posture: answers convert: $TMP/x.ods: unsupported answers format \".ods\"; use .json, .csv or .xlsx
$USAGE"
run answers convert "$TMP/n.json" -o "$TMP/x.json" --assessed-at 20/11/2026
expect_rc 2
expect_stderr "posture: answers convert: --assessed-at: invalid date \"20/11/2026\"; expected YYYY-MM-DD
$USAGE"
run answers convert "$TMP/n.json" -o "$TMP/x.json" --name ""
expect_rc 2
expect_stderr "posture: answers convert: --name must not be empty
$USAGE"
run answers convert "$TMP/n.json" "$TMP/m.json" -o "$TMP/x.json"
expect_rc 2
expect_stderr "posture: answers convert: unexpected argument '$TMP/m.json'
$USAGE"
run answers convert --help
expect_rc 0
expect_stdout_contains "$USAGE"
finish
