#!/usr/bin/env bash
# examples/ci-gate: the gate fails below the threshold and lists the improvement actions.
. "$SRC/tests/cli/lib.sh"
command -v jq >/dev/null || { echo "skipped: jq is not installed"; exit 77; }
mkdir -p "$TMP/bin" && ln -s "$POSTURE" "$TMP/bin/posture"
gate() { RC=0; PATH="$TMP/bin:$PATH" "$SRC/examples/ci-gate/posture-gate.sh" "$@" >"$OUT" 2>"$ERR" || RC=$?; }
gate "$SRC/assessments/saas-baseline.template.json" "$SRC/assessments/northwind-2026.answers.json" 80
expect_rc 3
expect_stderr "posture: score 72.87% is below --fail-under 80%"
expect_stdout_contains "saas-security-baseline: 72.87% (231 of 317 points)"
expect_stdout_contains "  +27 points (8.52%)  act.iam.admin-mfa  Require phishing-resistant MFA for administrators  [risk: high]"
gate "$SRC/assessments/saas-baseline.template.json" "$SRC/assessments/northwind-2026.answers.json" 70
expect_rc 0
gate "$SRC/assessments/saas-baseline.template.json" "$TMP/none.json" 70
expect_rc 1
finish
