#!/usr/bin/env bash
# assessment upgrade across renamed control ids (issue 20): a stored ISO/IEC 27001:2022 1.0.0
# assessment (Annex A ids 5.1 ...) upgraded to 2.0.0 (A.5.1 ..., and clauses 4.1-10.2, whose
# 5.1-8.3 reuse the old Annex A numbers). The Statement of Applicability follows the controls'
# `was` records: exclusions of 5.x and 7.4 end up on A.5.x and A.7.4, never on the new clauses;
# answers carry by action id as before; the audit log says what moved.
# POSTURE_TEST_DB: run against that store instead (an empty PostgreSQL database; tests/store_pg)
. "$SRC/tests/cli/lib.sh"
export POSTURE_DB="${POSTURE_TEST_DB:-$TMP/store.db}" POSTURE_TEMPLATES="$SRC/templates" \
       POSTURE_USER=auditor POSTURE_NOW=2026-11-20T09:00:00Z

run init
run assessment create isms --template iso-iec-27001-2022@1.0.0
expect_rc 0
run answer set isms act.gov.infosec-policy --implementation implemented --test passed
expect_rc 0
run answer set isms act.ops.patching --implementation implemented --test failed_low
expect_rc 0
run control scope isms 5.1 --not-applicable --justification "Group policy covers it"
expect_rc 0
run control scope isms 5.7 --not-applicable --justification "No threat feed"
expect_rc 0
run control scope isms 7.4 --not-applicable --justification "No premises"
expect_rc 0
run assessment show isms --json
cp "$OUT" "$TMP/before.json"

# the dry run says what will move, and changes nothing
run assessment upgrade isms --dry-run
expect_rc 0
expect_stdout_contains 'not-applicable controls renamed (3): 5.1 -> A.5.1, 5.7 -> A.5.7, 7.4 -> A.7.4'
expect_stdout_contains 'not-applicable controls dropped (0): none'
expect_stdout_contains 'dry run: nothing changed'
run assessment show isms --json
CHECKS=$((CHECKS + 1))
cmp -s "$OUT" "$TMP/before.json" || bad "the dry run changed the assessment"

run assessment upgrade isms
expect_rc 0
expect_stdout 'assessment "isms": iso-iec-27001-2022 1.0.0 -> 2.0.0
actions added (13): act.gov.isms-scope, act.gov.leadership-commitment, act.gov.resources, act.gov.risks-opportunities, act.risk.assessment, act.risk.treatment-plan, act.gov.objectives-metrics, act.gov.change-planning, act.gov.communication, act.gov.document-control, act.gov.internal-audit, act.gov.continual-improvement, act.gov.corrective-action
actions removed (0): none
not-applicable controls renamed (3): 5.1 -> A.5.1, 5.7 -> A.5.7, 7.4 -> A.7.4
not-applicable controls dropped (0): none
score before: 0.00% (0 of 1408 points)
score after:  1.67% (27 of 1617 points)'

# the exclusions are on A.5.1, A.5.7 and A.7.4 with their justifications; clause 5.1 applies
# (act.gov.infosec-policy, out of scope in 1.0.0 with 5.1, counts again through clause 5.2)
run report isms --json "$TMP/summary.json"
expect_rc 0
CHECKS=$((CHECKS + 1))
got=$(python3 - "$TMP/summary.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
print(d["template"]["version"])
ctl = {c["id"]: c for c in d["controls"]}
for cid in ("5.1", "A.5.1", "A.5.7", "A.7.4", "7.4", "A.5.2"):
    c = ctl[cid]
    print(cid, c["applicable"], c["justification"], c["status"])
act = {a["id"]: a for a in d["actions"]}
for aid in ("act.gov.infosec-policy", "act.ops.patching"):
    print(aid, act[aid]["implementation"], act[aid]["test"])
PY
)
want="2.0.0
5.1 True None not_assessed
A.5.1 False Group policy covers it out_of_scope
A.5.7 False No threat feed out_of_scope
A.7.4 False No premises out_of_scope
7.4 True None not_assessed
A.5.2 True None not_assessed
act.gov.infosec-policy implemented passed
act.ops.patching implemented failed_low"
[ "$got" = "$want" ] || { bad "controls after the upgrade"; diff <(echo "$want") <(echo "$got") | sed 's/^/  /'; }

# the log records each move
run log isms
expect_rc 0
expect_stdout_contains 'control 5.1: not applicable: Group policy covers it -> renamed to A.5.1'
expect_stdout_contains 'control A.5.1: applicable -> not applicable: Group policy covers it'
expect_stdout_contains 'control 7.4: not applicable: No premises -> renamed to A.7.4'
expect_stdout_contains 'control A.7.4: applicable -> not applicable: No premises'
expect_stdout_contains 'assessment template: iso-iec-27001-2022@1.0.0 -> iso-iec-27001-2022@2.0.0'

# upgrading again changes nothing
run assessment upgrade isms
expect_rc 0
expect_stdout 'assessment "isms": iso-iec-27001-2022 is at 2.0.0 already; nothing to do'

finish
