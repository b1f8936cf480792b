#!/usr/bin/env bash
# Several processes answering at once: each succeeds or says "store is busy", nothing is lost,
# and every change has its snapshots and log entries.
. "$SRC/tests/cli/lib.sh"
# POSTURE_TEST_DB: run against that store instead (an empty PostgreSQL database; tests/store_pg)
export POSTURE_DB="${POSTURE_TEST_DB:-$TMP/store.db}" POSTURE_TEMPLATES="$TMP" POSTURE_USER=tester
export POSTURE_NOW=2026-04-01T08:00:00Z
python3 "$SRC/tests/store/gen.py" template --id conc --actions 60 --shared 60 -o "$TMP/conc.json"
run init
expect_rc 0
run assessment create X --template conc
expect_rc 0
run assessment create Y --template conc --group other
expect_rc 0

N=24
pids=()
for k in $(seq 0 $((N - 1))); do
  name=X
  [ $((k % 2)) = 1 ] && name=Y
  "$POSTURE" answer set "$name" "act.shared.$k" --implementation implemented --test passed \
    >"$TMP/out.$k" 2>"$TMP/err.$k" &
  pids+=($!)
done
ok=()
for k in $(seq 0 $((N - 1))); do
  rc=0
  wait "${pids[$k]}" || rc=$?
  check
  if [ "$rc" = 0 ]; then
    ok+=("$k")
  elif [ "$rc" = 1 ] && grep -q "store is busy" "$TMP/err.$k"; then
    :
  else
    bad "writer $k: exit $rc: $(cat "$TMP/err.$k")"
  fi
done
S=${#ok[@]}
echo "$S of $N writers succeeded"

# every successful answer is there, in both assessments (technical answers are shared)
for name in X Y; do
  run assessment show "$name" --json
  expect_rc 0
  check
  python3 - "$OUT" "${ok[@]}" <<'PY' || bad "answers of $name lost"
import json, sys
doc = json.load(open(sys.argv[1]))
ok = {"act.shared.%s" % k for k in sys.argv[2:]}
passed = {a["id"] for a in doc["actions"] if a["status"] == "passed"}
sys.exit(0 if passed == ok else 1)
PY
  # one snapshot at creation and one per successful change
  run history "$name" --json
  check
  [ "$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["points"]))' "$OUT")" = $((S + 1)) ] ||
    bad "history of $name has not $((S + 1)) points"
  # the creation and two fields per change
  run log "$name" --json
  check
  [ "$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["entries"]))' "$OUT")" = $((2 * S + 1)) ] ||
    bad "log of $name has not $((2 * S + 1)) entries"
done
if [ -z "${POSTURE_TEST_DB:-}" ]; then # SQLite only
check
python3 -c "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); sys.exit(0 if c.execute('PRAGMA integrity_check').fetchone()[0]=='ok' else 1)" "$POSTURE_DB" ||
  bad "integrity check failed"
fi
finish
