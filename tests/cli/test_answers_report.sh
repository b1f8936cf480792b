#!/usr/bin/env bash
# A workbook written by `posture report --xlsx` is itself an answers file: read back, it gives the
# answers that produced it (answers-format.md: after defaults are applied, so an action the
# answers left out comes back with its default statuses, or its provider's attestation).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/answers_lib.sh"
W="$SRC/tests/fixtures/worked.json"
EX="$SRC/assessments/saas-baseline.template.json"
EA="$SRC/assessments/northwind-2026.answers.json"
export SOURCE_DATE_EPOCH=1763632800

# effective TEMPLATE ANSWERS: every action of the template in order, with its answer, else the
# provider's attestation, else the defaults; plus the metadata and the control entries that say
# more than the default (applicable), in template order
effective() {
  jq -cS -n --slurpfile t "$1" --slurpfile a "$2" '
    ($a[0].answers | map({(.action): .}) | add // {}) as $by
    | [$t[0].families[].controls[].id] as $order
    | {template: ($a[0].template | sub("@.*"; "")), assessment: $a[0].assessment,
       controls: ($a[0].controls | map(select(.applicable == false or .justification != null))
                  | sort_by(.control as $c | $order | index($c))),
       answers: [$t[0].actions[] | . as $act
         | ($by[$act.id] // ($act.provider_status // {})) as $an
         | {action: $act.id, implementation: ($an.implementation // "not_implemented"),
            test: ($an.test // "not_assessed"), tested_at: ($an.tested_at // null),
            assigned_to: ($an.assigned_to // null), notes: ($an.notes // null),
            evidence: ($an.evidence // [])}]}'
}

# report_back TEMPLATE ANSWERS.json NAME: report --xlsx, then read the workbook back
report_back() {
  run report --template "$1" --answers "$2" --xlsx "$TMP/$3.xlsx"
  expect_rc 0
  run answers convert "$TMP/$3.xlsx" -o "$TMP/$3-back.json" --template "$1"
  expect_rc 0
  expect_stderr ""
  must "$3: report.xlsx -> json gives other answers" \
    test "$(effective "$1" "$TMP/$3-back.json")" = "$(effective "$1" "$2")"
}

# the bundled assessment (a provider-attested action, a not-applicable control)
run answers convert "$EA" -o "$TMP/northwind.json" --template "$EX"
report_back "$EX" "$TMP/northwind.json" northwind
must "the template version comes back" test "$(jq -r .template_version "$TMP/northwind-back.json")" = 1.0.1
# and it scores exactly as the answers that produced it
run score --template "$EX" --answers "$TMP/northwind.json" --json
cp "$OUT" "$TMP/score-json.json"
run score --template "$EX" --answers "$TMP/northwind.xlsx" --json
expect_rc 0
same "$TMP/score-json.json" "$OUT" "score from the report workbook"

# text that the report keeps as it is: unicode, quotes, formula characters, line breaks, dates
# (a literal "_x0041_" too: the report escapes it as "_x005F_x0041_")
cat >"$TMP/tricky.json" <<'J'
{"format": "posture-answers/1", "template": "worked-example",
 "assessment": {"name": "Tricky \"one\"", "organization": "Zoë & Co <ltd>", "scope": " padded ",
                "group": "g1", "assessed_at": "1900-01-01"},
 "controls": [{"control": "C3", "applicable": false, "justification": "=not a formula"},
              {"control": "C1", "applicable": true, "justification": "kept, see the note"}],
 "answers": [
  {"action": "act.a", "implementation": "partially_implemented", "test": "failed_medium",
   "tested_at": "1899-12-31", "assigned_to": "'@me",
   "notes": "tab\there, LF\nline, emoji 😀 𝄞, ]]> &amp; _x, literal _x0041_ and _x005F_",
   "evidence": ["=HYPERLINK(\"x\")", " spaced ", "日本語"]},
  {"action": "act.c", "implementation": "planned", "test": "in_progress", "tested_at": "9999-12-31",
   "notes": "  leading and trailing  "}]}
J
report_back "$W" "$TMP/tricky.json" tricky

# a report filled in further by a consultant is read like any answer sheet
if [ -n "$PY" ]; then
  "$PY" -W ignore - "$TMP/tricky.xlsx" <<'PY'
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
ws = wb["Improvement actions"]
assert ws["A3"].value == "act.b"
ws["H3"], ws["I3"] = "Implemented", "Passed"
wb.save(sys.argv[1])
PY
  run answers convert "$TMP/tricky.xlsx" -o - --template "$W"
  expect_rc 0
  must "edited report" test "$(jq -c '.answers[1] | [.action, .implementation, .test]' "$OUT")" = '["act.b","implemented","passed"]'
else
  echo "skipped: editing a report needs python3-openpyxl"
fi
finish
