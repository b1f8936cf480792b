# lib.sh - helpers for the workbook tests (sourced). Needs $POSTURE and $SRC from ctest.
set -u
: "${POSTURE:?run through ctest}" "${SRC:?run through ctest}"
export LC_ALL=C.UTF-8
unset POSTURE_TEMPLATES POSTURE_DB POSTURE_USER POSTURE_NOW
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TMP=$(mktemp -d /tmp/posture-xlsx.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
FAILS=0
CHECKS=0
OUT="$TMP/stdout" ERR="$TMP/stderr" RC=0
EX_T="$SRC/assessments/saas-baseline.template.json"
EX_A="$SRC/assessments/northwind-2026.answers.json"

# PY: a python3 that has openpyxl (Debian's python3-openpyxl), else skip (77)
need_openpyxl() {
  PY=
  for p in python3 /usr/bin/python3; do
    if command -v "$p" >/dev/null && "$p" -c 'import openpyxl' 2>/dev/null; then PY=$p; break; fi
  done
  if [ -z "$PY" ]; then echo "skipped: no python3 with openpyxl (apt-get install python3-openpyxl)"; exit 77; fi
}

run() {
  RC=0
  "$POSTURE" "$@" >"$OUT" 2>"$ERR" || RC=$?
}

# fail MESSAGE: count a failure, naming the line of the test script
fail() {
  FAILS=$((FAILS + 1))
  local n=${#BASH_LINENO[@]}
  printf 'FAIL (%s:%s): %s\n' "${BASH_SOURCE[n - 1]##*/}" "${BASH_LINENO[n - 2]}" "$*"
}

ok() { CHECKS=$((CHECKS + 1)); }

expect_rc() {
  ok
  [ "$RC" = "$1" ] || { fail "exit code $RC, expected $1"; sed 's/^/  stderr: /' "$ERR"; }
}

# expect_stderr TEXT: stderr is exactly TEXT
expect_stderr() {
  ok
  [ "$(cat "$ERR")" = "$(printf '%s' "$1")" ] || { fail "stderr differs"; diff <(printf '%s\n' "$1") "$ERR" | sed 's/^/  /'; }
}

# expect_files DIR NAMES: the directory holds exactly NAMES (sorted, space separated, dot files too)
expect_files() {
  ok
  local got
  got=$(cd "$1" && ls -A | LC_ALL=C sort | tr '\n' ' ' | sed 's/ $//')
  [ "$got" = "$2" ] || fail "files in $1: '$got', expected '$2'"
}

# check_py SCRIPT ARGS...: a python check that prints "N passed, M failed"
check_py() {
  ok
  local log="$TMP/py.log"
  if ! "$PY" "$@" >"$log" 2>&1; then fail "python check $*"; sed 's/^/  /' "$log"; fi
}

finish() {
  echo "$((CHECKS - FAILS)) passed, $FAILS failed"
  [ "$FAILS" = 0 ]
}

# worked example of scoring.md: template, answers
write_worked() {
  cat >"$TMP/worked.json" <<'J'
{"format": "posture-template/1", "id": "worked-example", "version": "1.0.0",
 "title": "Worked example <&> of scoring.md",
 "families": [{"id": "F1", "title": "First family", "controls": [
   {"id": "C1", "title": "Control one", "actions": ["act.a", "act.b"],
    "mappings": {"gdpr": ["Art. 5(1)(f)", "Art. 32"]}},
   {"id": "C2", "title": "Control two", "actions": ["act.b", "act.c"],
    "mappings": {"iso-iec-27001-2022": ["A.8.5"], "gdpr": ["Art. 25"]}},
   {"id": "C3", "title": "Control three", "actions": ["act.d"]}]},
  {"id": "F2", "title": "Second family", "controls": [
   {"id": "C4", "title": "Control four", "actions": ["act.e"]}]}],
 "actions": [
  {"id": "act.a", "title": "Action A", "type": "preventive", "enforcement": "mandatory",
   "implementation_type": "technical", "owner": "customer"},
  {"id": "act.b", "title": "Action B", "type": "detective", "enforcement": "mandatory",
   "implementation_type": "technical", "owner": "customer"},
  {"id": "act.c", "title": "Action C", "type": "corrective", "enforcement": "discretionary",
   "implementation_type": "operational", "owner": "customer"},
  {"id": "act.d", "title": "Action D", "type": "preventive", "enforcement": "discretionary",
   "implementation_type": "documentation", "owner": "customer"},
  {"id": "act.e", "title": "Action E", "type": "preventive", "enforcement": "mandatory",
   "implementation_type": "technical", "owner": "provider", "points": 5,
   "provider_status": {"implementation": "implemented", "test": "passed", "tested_at": "2026-01-15"}}]}
J
  cat >"$TMP/worked-answers.json" <<'J'
{"format": "posture-answers/1", "template": "worked-example",
 "assessment": {"name": "Worked", "organization": "Contoso Ltd", "scope": "All of it",
                "group": "eu", "assessed_at": "2026-11-20"},
 "controls": [{"control": "C4", "applicable": false, "justification": "No provider here."}],
 "answers": [
  {"action": "act.a", "implementation": "implemented", "test": "passed", "tested_at": "2026-11-01",
   "assigned_to": "ciso@contoso.example", "notes": "Done.", "evidence": ["https://a.example/1", "https://a.example/2"]},
  {"action": "act.b", "implementation": "implemented", "test": "failed_low"},
  {"action": "act.c", "implementation": "alternative", "test": "passed"},
  {"action": "act.d", "implementation": "out_of_scope"}]}
J
}
