#!/usr/bin/env bash
# The EU example (issue 21): Litware, a SaaS processor assessed against ISO/IEC 27001:2022,
# GDPR and NIS2 in one store and one group. Its three answers files (assessments/litware-*.json)
# answer every action they share identically, so importing one never changes another's score,
# a new assessment starts with the answers the others already gave, and the overall score
# counts each shared answer once: 149 distinct actions, 2222 of 2499 points, where the three
# assessments alone add up to 3633 of 3941 (ISO/IEC 27001:2022 2.0.0, with clauses 4-10).
# Figures computed independently from scoring.md (see docs/templates.md).
# POSTURE_TEST_DB: run against that store instead (an empty PostgreSQL database; tests/store_pg)
. "$SRC/tests/cli/lib.sh"
A="$SRC/assessments"
export POSTURE_DB="${POSTURE_TEST_DB:-$TMP/store.db}" POSTURE_TEMPLATES="$SRC/templates" \
       POSTURE_USER=auditor POSTURE_NOW=2026-11-20T09:00:00Z
ORG="Litware Cloud GmbH"

run init
expect_rc 0

# ISO/IEC 27001:2022 first: nothing to share yet
run assessment create "Litware ISMS 2026" --template iso-iec-27001-2022 --group litware-eu --organization "$ORG"
expect_rc 0
expect_stdout_contains 'created assessment "Litware ISMS 2026" from iso-iec-27001-2022'
expect_stdout_contains ': 0.00% (0 of 1619 points)'
run answer import "Litware ISMS 2026" "$A/litware-iso27001-2022.json"
expect_rc 0
expect_stdout_contains '  Litware ISMS 2026: 0.00% -> 94.94% (1519 of 1600 points)'

# GDPR starts with the 27001 answers it shares; its import changes only its own score
run assessment create "Litware GDPR 2026" --template gdpr-2016-679 --group litware-eu --organization "$ORG"
expect_rc 0
expect_stdout 'created assessment "Litware GDPR 2026" from gdpr-2016-679 1.0.0 (group litware-eu, profile compliance-manager): 42.42% (551 of 1299 points)'
run answer import "Litware GDPR 2026" "$A/litware-gdpr.json"
expect_rc 0
expect_stdout 'import of '"$A"'/litware-gdpr.json into "Litware GDPR 2026": 128 changes
  Litware GDPR 2026: 42.42% -> 92.86% (1106 of 1191 points)'

# NIS2 starts with the answers of both
run assessment create "Litware NIS2 2026" --template nis2-2022-2555 --group litware-eu --organization "$ORG"
expect_rc 0
expect_stdout 'created assessment "Litware NIS2 2026" from nis2-2022-2555 1.0.0 (group litware-eu, profile compliance-manager): 69.86% (860 of 1231 points)'
run answer import "Litware NIS2 2026" "$A/litware-nis2.json"
expect_rc 0
expect_stdout 'import of '"$A"'/litware-nis2.json into "Litware NIS2 2026": 65 changes
  Litware NIS2 2026: 69.86% -> 87.65% (1008 of 1150 points)'

# the same scores as scoring each file alone (tests/templates/test_example_scores.sh)
run assessment list
expect_rc 0
expect_stdout_contains 'Litware GDPR 2026  gdpr-2016-679@1.0.0'
expect_stdout_contains '92.86%'
expect_stdout_contains '87.65%'
expect_stdout_contains '94.94%'

# overall: each shared answer counted once
run overall --json
expect_rc 0
python3 - "$OUT" >"$TMP/overall.txt" <<'PY' || bad "overall --json: not parseable"
import json, sys
d = json.load(open(sys.argv[1]))
s = d["score"]
print(d["format"], s["achieved"], s["possible"], s["percent"], d["actions"], len(d["assessments"]))
for a in d["assessments"]:
    print(a["name"], a["template"]["id"], a["score"]["achieved"], a["score"]["possible"], a["score"]["percent"])
print("sum", sum(a["score"]["possible"] for a in d["assessments"]))
PY
check
[ "$(cat "$TMP/overall.txt")" = "posture-overall/1 2222 2499 88.92 149 3
Litware GDPR 2026 gdpr-2016-679 1106 1191 92.86
Litware ISMS 2026 iso-iec-27001-2022 1519 1600 94.94
Litware NIS2 2026 nis2-2022-2555 1008 1150 87.65
sum 3941" ] || { bad "overall --json differs"; cat "$TMP/overall.txt"; }
run overall --group litware-eu
expect_rc 0
expect_stdout_contains 'Overall of group litware-eu: 88.92% (2222 of 2499 points); 149 distinct actions over 3 assessments'

# one answer, three regulations: a failed backup test moves all three and the overall once
run answer set "Litware NIS2 2026" act.ops.backup --test failed_high
expect_rc 0
expect_stdout 'answer act.ops.backup in "Litware NIS2 2026": 1 change
  Litware NIS2 2026: 87.65% -> 85.30% (981 of 1150 points)
  Litware GDPR 2026: 92.86% -> 90.60% (1079 of 1191 points)  (shared answer)
  Litware ISMS 2026: 94.94% -> 93.25% (1492 of 1600 points)  (shared answer)'
run overall
expect_rc 0
expect_stdout_contains 'Overall: 87.84% (2195 of 2499 points); 149 distinct actions over 3 assessments'
finish
