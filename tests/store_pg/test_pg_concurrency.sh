#!/usr/bin/env bash
# PostgreSQL stores under concurrent writers and a dropped connection:
#  - two people answer the same action at once: both writes land, in order, in the log, and
#    the later answer is the answer (the order made certain by holding the writer lock);
#  - many processes answer the same action at once: every change is in the log, each entry's
#    old value is the previous entry's new value (no lost update), the last one wins;
#  - the server kills an import's connection (pg_terminate_backend) deep inside its
#    transaction: the import fails with a clear message and the store is as it was.
. "$SRC/tests/cli/lib.sh"
. "$SRC/tests/store_pg/lib.sh"
pg_up
newdb conc
export POSTURE_DB=$(pg_uri conc) POSTURE_TEMPLATES="$SRC/tests/store/fixtures" POSTURE_USER=tester
export POSTURE_NOW=2026-06-01T08:00:00Z
run init
expect_rc 0
run assessment create X --template alpha@1.0.0
expect_rc 0
run assessment create Y --template beta
expect_rc 0

waiting() { # the number of posture sessions waiting for a lock
  echo "SELECT count(*) = $1 FROM pg_stat_activity WHERE application_name = 'posture'
        AND wait_event_type = 'Lock'"
}

# --- two writers, one action, in a known order
holder_start conc
holder_sql "BEGIN; SELECT 'held' FROM meta WHERE key = 'application' FOR UPDATE;"
wait_for conc "SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE application_name = 'psql'
               AND state = 'idle in transaction')" || exit 1
export POSTURE_BUSY_TIMEOUT=120000
POSTURE_USER=ann "$POSTURE" answer set X act.mfa --implementation implemented --note first \
  >"$TMP/ann.out" 2>&1 &
ANN=$!
wait_for conc "$(waiting 1)" || exit 1
POSTURE_USER=bob "$POSTURE" answer set Y act.mfa --implementation planned --note second \
  >"$TMP/bob.out" 2>&1 &
BOB=$!
wait_for conc "$(waiting 2)" || exit 1
holder_sql "COMMIT;"
holder_stop
RC=0; wait $ANN || RC=$?
expect_rc 0
RC=0; wait $BOB || RC=$?
expect_rc 0
check
[ "$(cat "$TMP/ann.out")" = 'answer act.mfa in "X": 2 changes
  X: 0.00% -> 0.00% (0 of 42 points)
  Y: 0.00% -> 0.00% (0 of 39 points)  (shared answer)' ] || bad "ann: $(cat "$TMP/ann.out")"
check
[ "$(cat "$TMP/bob.out")" = 'answer act.mfa in "Y": 2 changes
  Y: 0.00% -> 0.00% (0 of 39 points)
  X: 0.00% -> 0.00% (0 of 42 points)  (shared answer)' ] || bad "bob: $(cat "$TMP/bob.out")"
run log X
expect_rc 0
expect_stdout '2026-06-01T08:00:00Z  tester  assessment created: (none) -> template alpha@1.0.0, group default, profile compliance-manager
2026-06-01T08:00:00Z  ann  answer act.mfa implementation: not_implemented -> implemented
2026-06-01T08:00:00Z  ann  answer act.mfa notes: (none) -> first
2026-06-01T08:00:00Z  bob  answer act.mfa implementation: implemented -> planned  (via Y)
2026-06-01T08:00:00Z  bob  answer act.mfa notes: first -> second  (via Y)'
run assessment show X --json
expect_rc 0
check
python3 - "$OUT" <<'PY' || bad "the later answer is not the answer"
import json, sys
a = {x["id"]: x for x in json.load(open(sys.argv[1]))["actions"]}["act.mfa"]
sys.exit(0 if (a["implementation"], a["notes"]) == ("planned", "second") else 1)
PY

# --- many writers, one action, all at once
N=12
pids=()
for k in $(seq 1 $N); do
  POSTURE_USER="w$k" "$POSTURE" answer set X act.review --note "note $k" >"$TMP/w.$k" 2>&1 &
  pids+=($!)
done
for k in $(seq 1 $N); do
  RC=0; wait "${pids[$((k - 1))]}" || RC=$?
  check
  [ "$RC" = 0 ] || bad "writer $k: exit $RC: $(cat "$TMP/w.$k")"
done
run log X --json
expect_rc 0
cp "$OUT" "$TMP/log.json"
run assessment show X --json
expect_rc 0
check
python3 - "$TMP/log.json" "$OUT" "$N" <<'PY' || bad "a change to act.review was lost"
import json, sys
log = [e for e in json.load(open(sys.argv[1]))["entries"] if e["what"] == "answer act.review notes"]
n = int(sys.argv[3])
ok = len(log) == n and log[0]["old"] is None
ok = ok and all(log[i]["old"] == log[i - 1]["new"] for i in range(1, n))
ok = ok and sorted(e["new"] for e in log) == sorted("note %d" % k for k in range(1, n + 1))
ok = ok and all(e["who"] == "w" + e["new"].split()[1] for e in log)
a = {x["id"]: x for x in json.load(open(sys.argv[2]))["actions"]}["act.review"]
ok = ok and a["notes"] == log[-1]["new"]
if not ok:
    print(json.dumps(log, indent=1))
sys.exit(0 if ok else 1)
PY
unset POSTURE_BUSY_TIMEOUT

# --- the connection killed in the middle of an import
python3 "$SRC/tests/store/gen.py" template --id kill --actions 20000 -o "$TMP/kill.json"
python3 "$SRC/tests/store/gen.py" answers "$TMP/kill.json" -o "$TMP/answers.json"
export POSTURE_TEMPLATES="$TMP"
run assessment create K --template kill
expect_rc 0
run answer set K act.kill.1 --implementation implemented --test passed
expect_rc 0
state() {
  "$POSTURE" assessment show K --json >"$1.show" &&
    "$POSTURE" history K --json >"$1.history" &&
    "$POSTURE" log K --json >"$1.log" &&
    "$POSTURE" overall --json >"$1.overall" &&
    sql conc -c "SELECT (SELECT count(*) FROM answer), (SELECT count(*) FROM audit),
                        (SELECT count(*) FROM snapshot), (SELECT sum(achieved_x100) FROM inclusion)" >"$1.rows"
}
state "$TMP/before"
# the import writes every answer and log entry, then waits for the snapshot table, which a
# test session holds: the server then ends the import's connection
holder_start conc
holder_sql "BEGIN; LOCK TABLE snapshot IN EXCLUSIVE MODE;"
wait_for conc "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE granted AND relation = 'snapshot'::regclass
               AND mode = 'ExclusiveLock')" || exit 1
POSTURE_BUSY_TIMEOUT=120000 "$POSTURE" answer import K "$TMP/answers.json" >"$OUT" 2>"$ERR" &
IMP=$!
wait_for conc "SELECT EXISTS (SELECT 1 FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
               WHERE NOT l.granted AND l.relation = 'snapshot'::regclass
               AND a.application_name = 'posture')" || exit 1
check
[ "$(sql conc -c "SELECT count(*) FROM audit a WHERE a.id > (SELECT max(id) FROM audit WHERE what = 'answer act.kill.1 test')")" = 0 ] ||
  bad "uncommitted log entries are visible"
sql conc -c "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'posture'" >/dev/null
RC=0
wait $IMP || RC=$?
expect_rc 1
expect_stderr "posture: $POSTURE_DB: lost the connection to the server (terminating connection due to administrator command); nothing was changed"
holder_sql "ROLLBACK;"
holder_stop
state "$TMP/after"
for f in show history log overall rows; do
  check
  cmp -s "$TMP/before.$f" "$TMP/after.$f" || bad "$f changed by the killed import"
done
# the same import, left alone, goes through whole
run answer import K "$TMP/answers.json"
expect_rc 0
expect_stdout_contains "  K: 0.00% -> 42.88% (62898 of 146682 points)"
check
[ "$(keyscore_ok conc)" = ok ] || bad "keyscore is not the overall rule"
finish
