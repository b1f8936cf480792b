# lib.sh - helpers for the CLI black-box tests (sourced). Needs $POSTURE and $SRC from ctest.
set -u
: "${POSTURE:?run through ctest}" "${SRC:?run through ctest}"
export COLUMNS=100 LC_ALL=C.UTF-8
unset POSTURE_TEMPLATES POSTURE_DB POSTURE_USER POSTURE_NOW
TMP=$(mktemp -d /tmp/posture-cli.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
FAILS=0
CHECKS=0
OUT="$TMP/stdout" ERR="$TMP/stderr" RC=0

# run ARGS...: run posture, keeping stdout, stderr and the exit code
run() {
  RC=0
  "$POSTURE" "$@" >"$OUT" 2>"$ERR" || RC=$?
}

fail() {
  FAILS=$((FAILS + 1))
  printf 'FAIL (%s:%s): %s\n' "${BASH_SOURCE[2]##*/}" "${BASH_LINENO[1]}" "$*"
}

# check: count one check that the test decides itself; bad MESSAGE: fail it
check() { CHECKS=$((CHECKS + 1)); }
bad() { FAILS=$((FAILS + 1)); printf 'FAIL: %s\n' "$*"; }

expect_rc() {
  CHECKS=$((CHECKS + 1))
  [ "$RC" = "$1" ] || { fail "exit code $RC, expected $1"; sed 's/^/  stderr: /' "$ERR"; }
}

# expect_stderr TEXT: stderr is exactly TEXT (a trailing newline added)
expect_stderr() {
  CHECKS=$((CHECKS + 1))
  local want
  want=$(printf '%s' "$1")
  [ "$(cat "$ERR")" = "$want" ] || { fail "stderr differs"; diff <(printf '%s\n' "$want") "$ERR" | sed 's/^/  /'; }
}

expect_stdout() {
  CHECKS=$((CHECKS + 1))
  [ "$(cat "$OUT")" = "$(printf '%s' "$1")" ] || { fail "stdout differs"; diff <(printf '%s\n' "$1") "$OUT" | sed 's/^/  /'; }
}

# expect_stdout_golden FILE: stdout equals tests/cli/golden/FILE (UPDATE_GOLDEN=1 rewrites it)
expect_stdout_golden() {
  CHECKS=$((CHECKS + 1))
  local g="$SRC/tests/cli/golden/$1"
  if [ "${UPDATE_GOLDEN:-}" = 1 ]; then cp "$OUT" "$g"; fi
  cmp -s "$OUT" "$g" || { fail "stdout differs from golden/$1"; diff "$g" "$OUT" | head -20 | sed 's/^/  /'; }
}

expect_stdout_contains() {
  CHECKS=$((CHECKS + 1))
  grep -qF -- "$1" "$OUT" || fail "stdout lacks: $1"
}

finish() {
  echo "$((CHECKS - FAILS)) passed, $FAILS failed"
  [ "$FAILS" = 0 ]
}
