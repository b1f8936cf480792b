#!/usr/bin/env bash
# kill -9 in the middle of a large import leaves the store exactly as it was before.
. "$SRC/tests/cli/lib.sh"
# POSTURE_TEST_DB: run against that store instead (an empty PostgreSQL database; tests/store_pg)
export POSTURE_DB="${POSTURE_TEST_DB:-$TMP/store.db}" POSTURE_TEMPLATES="$TMP" POSTURE_USER=tester
export POSTURE_NOW=2026-04-02T08:00:00Z
python3 "$SRC/tests/store/gen.py" template --id crash --actions 20000 -o "$TMP/crash.json"
python3 "$SRC/tests/store/gen.py" answers "$TMP/crash.json" -o "$TMP/answers.json"
run init
expect_rc 0
run assessment create C --template crash
expect_rc 0
run answer set C act.crash.1 --implementation implemented --test passed
expect_rc 0

state() {
  "$POSTURE" assessment show C --json >"$1.show" &&
    "$POSTURE" history C --json >"$1.history" &&
    "$POSTURE" log C --json >"$1.log" &&
    "$POSTURE" overall --json >"$1.overall"
}
state "$TMP/before"

# POSTURE_TEST_KILL_AFTER=N: the import sends itself SIGKILL after writing N answers,
# deep inside its transaction (a test hook, docs/store.md)
RC=0
POSTURE_TEST_KILL_AFTER=12000 "$POSTURE" answer import C "$TMP/answers.json" >"$OUT" 2>"$ERR" || RC=$?
expect_rc 137
state "$TMP/after"
for f in show history log overall; do
  check
  cmp -s "$TMP/before.$f" "$TMP/after.$f" || bad "$f changed by the killed import"
done
if [ -z "${POSTURE_TEST_DB:-}" ]; then # SQLite only
check
python3 -c "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); sys.exit(0 if c.execute('PRAGMA integrity_check').fetchone()[0]=='ok' else 1)" "$POSTURE_DB" ||
  bad "integrity check failed"
fi

# the same import, not killed, goes through whole
run answer import C "$TMP/answers.json"
expect_rc 0
expect_stdout_contains "  C: 0.00% -> 42.88% (62898 of 146682 points)"
run history C
expect_rc 0
check
[ "$(wc -l <"$OUT")" = 4 ] || bad "history of C has not 3 points"
finish
