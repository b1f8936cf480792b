#!/usr/bin/env bash
# posture coverage: the bundled ISO/IEC 27001:2022 example (Litware) projected onto NIST CSF 2.0,
# SOC 2 and SP 800-53 Moderate, from files and from the store, in text, JSON and the workbook.
# Every figure is checked against an independent model of docs/mappings.md's rules and of
# scoring.md (tests/cli/coverage_model.py), then pinned here.
. "$SRC/tests/cli/lib.sh"
export POSTURE_TEMPLATES="$SRC/templates" SOURCE_DATE_EPOCH=1796515200
A="$SRC/assessments/litware-iso27001-2022.json"
M="$SRC/templates/mappings"
PY=python3
for p in python3 /usr/bin/python3; do
  if command -v "$p" >/dev/null && "$p" -c 'import jsonschema' 2>/dev/null; then PY=$p; break; fi
done

# the three targets, both profiles: the headline, the same figures as the model
while read -r to profile score counts mapped; do
  run coverage --template iso-iec-27001-2022 --answers "$A" --to "$to" --profile "$profile"
  expect_rc 0
  expect_stderr ""
  expect_stdout_contains "Projected score: ${score//_/ }"
  expect_stdout_contains "Controls: ${counts//_/ }"
  expect_stdout_contains "Mapped: ${mapped//_/ }"
  run score --template iso-iec-27001-2022 --answers "$A" --profile "$profile" --json
  cp "$OUT" "$TMP/src.json"
  run coverage --template iso-iec-27001-2022 --answers "$A" --to "$to" --profile "$profile" --json
  expect_rc 0
  cp "$OUT" "$TMP/cov-$to-$profile.json"
  CHECKS=$((CHECKS + 1))
  python3 "$SRC/tests/cli/coverage_model.py" "$SRC" "$TMP/src.json" "$SRC/templates/$to.json" \
    "$profile" "$M"/*.json >"$TMP/model.json"
  python3 - "$TMP/model.json" "$OUT" <<'PY' || bad "$to $profile: posture and the model differ"
import json, sys
m, c = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
counts = {k: v for k, v in c["counts"]["controls"].items() if k != "total"}
per = {x["id"]: {"status": x["status"], "implies": x["implies"]} for x in c["controls"]}
bad = [k for k in per if per[k] != m["controls"][k]]
if m["score"] != c["score"] or m["counts"] != counts or bad:
    print("  posture", c["score"], counts, "model", m["score"], m["counts"], bad[:5])
    sys.exit(1)
PY
done <<'EOF'
nist-csf-2.0 compliance-manager 78.87%_(1202_of_1524_points) 106_total,_71_passed,_2_failed,_33_in_progress,_0_not_assessed,_0_out_of_scope 106_controls;_sharing_an_action:_93;_neither:_0
nist-csf-2.0 self-attested 88.39%_(1347_of_1524_points) 106_total,_71_passed,_2_failed,_33_in_progress,_0_not_assessed,_0_out_of_scope 106_controls;_sharing_an_action:_93;_neither:_0
soc2-2017 compliance-manager 67.79%_(1090_of_1608_points) 61_total,_23_passed,_2_failed,_34_in_progress,_2_not_assessed,_0_out_of_scope 59_controls;_sharing_an_action:_42;_neither:_2
soc2-2017 self-attested 82.00%_(1318.5_of_1608_points) 61_total,_23_passed,_2_failed,_34_in_progress,_2_not_assessed,_0_out_of_scope 59_controls;_sharing_an_action:_42;_neither:_2
nist-sp-800-53-rev5-moderate compliance-manager 22.69%_(1401_of_6175_points) 287_total,_0_passed,_42_failed,_187_in_progress,_58_not_assessed,_0_out_of_scope 147_controls;_sharing_an_action:_229;_neither:_58
nist-sp-800-53-rev5-moderate self-attested 47.43%_(2929_of_6175_points) 287_total,_0_passed,_42_failed,_187_in_progress,_58_not_assessed,_0_out_of_scope 147_controls;_sharing_an_action:_229;_neither:_58
iso-iec-27001-2013 compliance-manager 95.91%_(1454_of_1516_points) 138_total,_127_passed,_4_failed,_5_in_progress,_0_not_assessed,_2_out_of_scope 138_controls;_sharing_an_action:_138;_neither:_0
EOF

# the JSON validates against its schema
if "$PY" -c 'import jsonschema' 2>/dev/null; then
  CHECKS=$((CHECKS + 1))
  "$PY" - "$SRC/schemas/posture-coverage-1.schema.json" "$TMP"/cov-*.json <<'PY' || bad "schema"
import json, sys, jsonschema
schema = json.load(open(sys.argv[1]))
jsonschema.Draft202012Validator.check_schema(schema)
for f in sys.argv[2:]:
    jsonschema.Draft202012Validator(schema).validate(json.load(open(f)))
PY
else
  echo "note: python3-jsonschema is not installed: the coverage schema is not checked"
fi

# per-control reasons, exactly: the text of the CSF projection (golden) and two JSON controls
run coverage --template iso-iec-27001-2022 --answers "$A" --to nist-csf-2.0
expect_stdout_golden coverage-litware-csf.txt
CHECKS=$((CHECKS + 1))
got=$(python3 - "$TMP/cov-nist-sp-800-53-rev5-moderate-compliance-manager.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
print(d["format"], d["generated_at"], d["profile"], d["from"]["template"]["id"],
      d["from"]["score"]["percent"], d["template"]["id"], d["template"]["version"],
      [(m["file"], m["maps"]) for m in d["mappings"]])
c = {x["id"]: x for x in d["controls"]}["AC-2"]
print(c["status"], c["score"], c["implies"], c["shared_actions"], c["projected_actions"])
for m in c["mapped"]:
    print(" ", [(x["id"], x["status"]) for x in m["controls"]], m["relation"], m["source"],
          m["status"], m["implies"])
print({x["id"]: x for x in d["controls"]}["AC-2(1)"]["mapped"])
PY
)
want="posture-coverage/1 2026-12-06T00:00:00Z compliance-manager iso-iec-27001-2022 94.94 nist-sp-800-53-rev5-moderate 5.2.0 [('nist-sp-800-53-rev5-to-iso-iec-27001-2022.json', 494)]
failed {'achieved': 108, 'possible': 138, 'percent': 78.26} partial ['act.access.provisioning', 'act.access.reviews', 'act.hr.offboarding', 'act.access.privileged', 'act.access.mfa-admins'] [{'action': 'act.nist.ac-2', 'implies': 'partial'}]
  [('A.5.16', 'passed')] intersects-with nist-sp-800-53-rev5-to-iso-iec-27001-2022.json passed partial
  [('A.5.18', 'failed')] intersects-with nist-sp-800-53-rev5-to-iso-iec-27001-2022.json failed in_progress
  [('A.8.2', 'passed')] intersects-with nist-sp-800-53-rev5-to-iso-iec-27001-2022.json passed partial
[]"
[ "$got" = "$want" ] || { bad "AC-2 in the SP 800-53 projection"; diff <(echo "$want") <(echo "$got") | sed 's/^/  /'; }

# --unmapped: the controls no mapping relates and that share no action
run coverage --template iso-iec-27001-2022 --answers "$A" --to soc2-2017 --unmapped
expect_rc 0
expect_stdout "Coverage of SOC 2 — 2017 Trust Services Criteria (revised points of focus, 2022) (soc2-2017 1.0.1)
From: Litware ISMS 2026 (ISO/IEC 27001:2022) (iso-iec-27001-2022 2.0.0): 94.94% (1519 of 1600 points)  [profile compliance-manager]
Mappings: soc2-2017-to-iso-iec-27001-2022.json (143 maps)

Projected score: 67.79% (1090 of 1608 points)
Controls: 61 total, 23 passed, 2 failed, 34 in progress, 2 not assessed, 0 out of scope
Mapped: 59 controls; sharing an action: 42; neither: 2

Controls no mapping relates and that share no action (2):
PI1.1  Definitions of processed data
PI1.4  Complete and accurate outputs"

# from the store: the same projection as from the files
export POSTURE_DB="$TMP/store.db" POSTURE_USER=auditor POSTURE_NOW=2026-11-20T09:00:00Z
run init
run assessment create litware --template iso-iec-27001-2022
run answer import litware "$A"
expect_rc 0
run coverage litware --template nist-csf-2.0 --json
expect_rc 0
expect_stderr ""
CHECKS=$((CHECKS + 1))
python3 - "$OUT" "$TMP/cov-nist-csf-2.0-compliance-manager.json" <<'PY' || bad "store and files differ"
import json, sys
a, b = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
for d in (a, b):
    d["from"].pop("assessment")
assert a == b
PY
run coverage litware --template nist-csf-2.0
expect_rc 0
expect_stdout_contains "Projected score: 78.87% (1202 of 1524 points)"

# the workbook: a Coverage sheet with the same figures, from the store and from files
run report litware --xlsx "$TMP/store.xlsx" --coverage nist-sp-800-53-rev5-moderate
expect_rc 0
expect_stderr ""
run report --template iso-iec-27001-2022 --answers "$A" --xlsx "$TMP/files.xlsx" --coverage soc2-2017
expect_rc 0
if command -v /usr/bin/python3 >/dev/null && /usr/bin/python3 -c 'import openpyxl' 2>/dev/null; then
  CHECKS=$((CHECKS + 1))
  got=$(/usr/bin/python3 - "$TMP/store.xlsx" "$TMP/files.xlsx" 2>/dev/null <<'PY'
import sys, openpyxl
for path in sys.argv[1:]:
    wb = openpyxl.load_workbook(path)
    print(wb.sheetnames)
    ws = wb["Coverage"]
    rows = list(ws.iter_rows(values_only=True))
    print(rows[0])
    print(len(rows), ws.auto_filter.ref, ws.freeze_panes, rows[-1][2:7])
    for r in rows[1:]:
        if r[1] in ("AC-2", "CC6.1"):
            print(r)
PY
)
  want="['Summary', 'Families', 'Controls', 'Improvement actions', 'Coverage', 'About']
('Family', 'Control', 'Title', 'Projected status', 'Achieved', 'Possible', 'Score %', 'Mappings imply', 'Shared actions', 'Projected actions', 'Mapped controls', 'Sources')
290 A1:L288 A2 ('Projected score', None, 1401, 6175, 22.69)
('AC', 'AC-2', 'Account Management', 'Failed', 108, 138, 78.26, 'partial', 'act.access.provisioning, act.access.reviews, act.hr.offboarding, act.access.privileged, act.access.mfa-admins', 'act.nist.ac-2 (partial)', 'A.5.16 (passed) intersects-with: partial\nA.5.18 (failed) intersects-with: in_progress\nA.8.2 (passed) intersects-with: partial', 'nist-sp-800-53-rev5-to-iso-iec-27001-2022.json')
['Summary', 'Families', 'Controls', 'Improvement actions', 'Coverage', 'About']
('Family', 'Control', 'Title', 'Projected status', 'Achieved', 'Possible', 'Score %', 'Mappings imply', 'Shared actions', 'Projected actions', 'Mapped controls', 'Sources')
64 A1:L62 A2 ('Projected score', None, 1090, 1608, 67.79)"
  got_cc=$(echo "$got" | grep -c "'CC6.1'")
  got=$(echo "$got" | grep -v "'CC6.1'")
  [ "$got" = "$want" ] || { bad "Coverage sheet"; diff <(echo "$want") <(echo "$got") | sed 's/^/  /'; }
  CHECKS=$((CHECKS + 1))
  [ "$got_cc" = 1 ] || bad "no CC6.1 row in the SOC 2 Coverage sheet"
else
  echo "note: no python3 with openpyxl: the Coverage sheet's cells are not read back"
fi

# usage errors and bad input
run coverage --template iso-iec-27001-2022 --answers "$A"
expect_rc 2
expect_stderr "posture: coverage: missing --to T (the template to project onto)
usage: posture coverage NAME --template T [options]
       posture coverage --template A --answers FILE --to T [options]"
run coverage litware --template nist-csf-2.0 --answers "$A"
expect_rc 2
run coverage litware --template nist-csf-2.0 --unmapped --json
expect_rc 2
run report litware --json - --coverage nist-csf-2.0
expect_rc 2
expect_stderr "posture: report: --coverage adds a sheet to the workbook: give --xlsx OUT
usage: posture report NAME [--profile P] [--xlsx OUT] [--json OUT] [--compact] [--coverage T] [--mappings DIR]..."
run coverage litware --template no-such-template
expect_rc 1
mkdir "$TMP/badmaps"
printf '{"mapping-collection": {"uuid": "x"}}\n' >"$TMP/badmaps/m.json"
run coverage litware --template nist-csf-2.0 --mappings "$TMP/badmaps"
expect_rc 1
expect_stderr "posture: $TMP/badmaps/m.json: /mapping-collection/uuid: invalid UUID \"x\"
posture: $TMP/badmaps/m.json: /mapping-collection: missing required field \"metadata\"
posture: $TMP/badmaps/m.json: /mapping-collection: missing required field \"provenance\"
posture: $TMP/badmaps/m.json: /mapping-collection: missing required field \"mappings\""
run coverage litware --template nist-csf-2.0 --mappings "$TMP/nothing"
expect_rc 1
expect_stderr "posture: $TMP/nothing: cannot read the mapping directory: No such file or directory"
# no collection relates the two: only shared actions, and a warning says so
run coverage litware --template gdpr-2016-679
expect_rc 0
expect_stderr "posture: warning: no mapping collection relates iso-iec-27001-2022 and gdpr-2016-679: only their shared actions are projected
hint: give the directory of a collection with --mappings DIR"

finish
