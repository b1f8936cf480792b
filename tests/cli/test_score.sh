#!/usr/bin/env bash
# posture score: output, exit codes and messages, exactly as cli.md has them.
. "$(dirname "$0")/lib.sh"
EX="$SRC/assessments/saas-baseline.template.json"
EA="$SRC/assessments/northwind-2026.answers.json"
W="$SRC/tests/fixtures/worked.json"
cat >"$TMP/worked-answers.json" <<'J'
{"format": "posture-answers/1", "template": "worked-example", "assessment": {"name": "Worked"},
 "answers": [
  {"action": "act.a", "implementation": "implemented", "test": "passed"},
  {"action": "act.b", "implementation": "implemented", "test": "failed_low"},
  {"action": "act.c", "implementation": "alternative", "test": "passed"},
  {"action": "act.d", "implementation": "out_of_scope"}]}
J

# the bundled example, as a person reads it
run score --template "$EX" --answers "$EA"
expect_rc 0
expect_stdout_golden score-example.txt
expect_stderr ""

# on a terminal, only the terminal's width cuts the titles, never below 10 columns (not on
# a terminal, as above, nothing is cut: COLUMNS alone does not cut)
if ! command -v script >/dev/null || ! script -qec true /dev/null >/dev/null 2>&1; then
  echo "note: no pseudo-terminal here (script(1) missing or /dev/pts not mounted): terminal widths not checked"
else
  tty_score() { COLUMNS=$1 script -qec "'$POSTURE' score --template '$EX' --answers '$EA'" /dev/null | tr -d '\r'; }
  check; [ "$(tty_score 72 | sed -n 17,18p)" = "ACTION                       TITLE               GAIN   GAIN %  RISK
act.iam.admin-mfa            Require phishin…      27    8.52%  high" ] || bad "72 columns: $(tty_score 72 | sed -n 17,18p)"
  check; [ "$(tty_score 30 | sed -n 18p)" = "act.iam.admin-mfa            Require p…      27    8.52%  high" ] \
    || bad "30 columns: $(tty_score 30 | sed -n 18p)"
  check; [ "$(tty_score 72 | sed -n 10p)" = "GOV     Governance                              54        64    84.38%" ] \
    || bad "72 columns: $(tty_score 72 | sed -n 10p)"
fi
COLUMNS=40 run score --template "$EX" --answers "$EA"
expect_rc 0
expect_stdout_golden score-example.txt

# the worked example of scoring.md as the JSON summary, reproducible
SOURCE_DATE_EPOCH=1763632800 run score --template "$W" --answers "$TMP/worked-answers.json" --json
expect_rc 0
expect_stdout_golden score-worked.json
SOURCE_DATE_EPOCH=1763632800 run score --template "$W" --answers "$TMP/worked-answers.json" --json --compact
expect_rc 0
expect_stdout_golden score-worked-compact.json

# --top limits the human list
run score --template "$W" --answers "$TMP/worked-answers.json" --top 1
expect_rc 0
expect_stdout_contains "Top improvement actions (1 of 1)"
expect_stdout_contains "Score: 90.32% (28 of 31 points)"

# --fail-under: rounded percent compared; below -> exit 3 with a message
run score --template "$W" --answers "$TMP/worked-answers.json" --fail-under 90.32
expect_rc 0
run score --template "$W" --answers "$TMP/worked-answers.json" --fail-under 90.33
expect_rc 3
expect_stderr "posture: score 90.32% is below --fail-under 90.33%"
run score --template "$EX" --answers "$EA" --fail-under 80 --json
expect_rc 3
expect_stderr "posture: score 72.87% is below --fail-under 80%"
expect_stdout_contains '"percent":	72.87'

# nothing in scope: percent null, and --fail-under fails
cat >"$TMP/none.json" <<'J'
{"format": "posture-answers/1", "template": "worked-example", "assessment": {"name": "None"},
 "controls": [{"control": "C1", "applicable": false, "justification": "x"},
              {"control": "C2", "applicable": false, "justification": "x"},
              {"control": "C3", "applicable": false, "justification": "x"}], "answers": []}
J
run score --template "$W" --answers "$TMP/none.json" --fail-under 0
expect_rc 3
expect_stderr "posture: nothing is in scope, so there is no score to compare with --fail-under 0"
expect_stdout_contains "Score: n/a (nothing in scope)"

# usage errors: exit 2, message and usage line
USAGE="usage: posture score --template T --answers FILE [--profile P] [--top N] [--json] [--compact] [--fail-under PCT]"
run score --answers "$EA"
expect_rc 2
expect_stderr "posture: score: missing --template
$USAGE"
run score --template "$EX"
expect_rc 2
expect_stderr "posture: score: missing --answers
$USAGE"
run score --template "$EX" --answers "$EA" --colour
expect_rc 2
expect_stderr "posture: score: unknown option '--colour'
$USAGE"
run score --template "$EX" --answers "$EA" --fail-under 101
expect_rc 2
expect_stderr "posture: score: --fail-under needs a percent from 0 to 100, got '101'
$USAGE"
run score --template "$EX" --answers "$EA" --top x
expect_rc 2
expect_stderr "posture: score: --top needs a whole number >= 0, got 'x'
$USAGE"
run score --template
expect_rc 2
expect_stderr "posture: score: option '--template' needs a value
$USAGE"
run score --help
expect_rc 0
expect_stdout_contains "$USAGE"

# input errors: exit 1, file and place named
run score --template "$TMP/missing.json" --answers "$EA"
expect_rc 1
expect_stderr "posture: no template \"$TMP/missing.json\" in the search path
hint: give a template file, or an id from 'posture template list'"
printf '{"format": "posture-answers/1",\n  "template": "worked-example" "x"}' >"$TMP/broken.json"
run score --template "$W" --answers "$TMP/broken.json"
expect_rc 1
expect_stderr "posture: $TMP/broken.json: 2:32: syntax error: unexpected character '\"'"
cat >"$TMP/bad.json" <<'J'
{"format": "posture-answers/1", "template": "worked-example", "assessment": {"name": "Bad"},
 "answers": [{"action": "act.a", "test": "passd"}, {"action": "act.zz"}]}
J
run score --template "$W" --answers "$TMP/bad.json"
expect_rc 1
expect_stderr "posture: $TMP/bad.json: /answers/0/test: unknown test status \"passd\"; expected one of: not_assessed, in_progress, passed, failed_low, failed_medium, failed_high, out_of_scope
posture: $TMP/bad.json: /answers/1/action: unknown action \"act.zz\""
run score --template "$W" --answers "$TMP/worked-answers.json" --profile nosuch
expect_rc 1
expect_stderr "posture: unknown profile \"nosuch\"
hint: use compliance-manager, self-attested or a profile file"
run score --template "$W" --answers "$TMP/worked-answers.csv"
expect_rc 1

# a closed stdout does not crash
"$POSTURE" score --template "$EX" --answers "$EA" | head -c 10 >/dev/null
CHECKS=$((CHECKS + 1)); [ "${PIPESTATUS[0]}" = 0 ] || fail "closed stdout: exit ${PIPESTATUS[0]}"
finish
