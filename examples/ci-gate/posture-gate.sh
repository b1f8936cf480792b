#!/usr/bin/env bash
# A CI job that fails when compliance posture drops below a threshold, and tells the team what
# to do next. Usage: posture-gate.sh TEMPLATE ANSWERS [THRESHOLD]   (needs posture and jq)
#
#   exit 0  posture at or above the threshold
#   exit 3  below it (posture's own --fail-under code), the job fails
#   exit 1  bad input (posture names the file and the place)
set -uo pipefail
template=$1 answers=$2 threshold=${3:-80}
summary=$(mktemp)
trap 'rm -f "$summary"' EXIT

posture score --template "$template" --answers "$answers" --json --fail-under "$threshold" >"$summary"
status=$?
[ "$status" = 1 ] || [ "$status" = 2 ] && exit "$status"

jq -r '"\(.template.id): \(.score.percent // "n/a")% (\(.score.achieved) of \(.score.possible) points)"' "$summary"
jq -r '"controls: \(.counts.controls.passed) passed, \(.counts.controls.failed) failed, \(.counts.controls.in_progress) in progress"' "$summary"
echo "top improvement actions:"
jq -r '.improvement_actions[:5][] | "  +\(.gain) points (\(.gain_percent)%)  \(.id)  \(.title)\(if .risk then "  [risk: \(.risk)]" else "" end)"' "$summary"
exit "$status"
