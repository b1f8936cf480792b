# lib.sh - the PostgreSQL store tests (sourced after tests/cli/lib.sh): a throwaway cluster
# (pg-cluster), databases in it, psql. Skips (exit 77) only when the server binaries are
# not installed.
PGC="$SRC/tests/store_pg/pg-cluster"
bad() { FAILS=$((FAILS + 1)); printf 'FAIL (%s:%s): %s\n' "${BASH_SOURCE[1]##*/}" "${BASH_LINENO[0]}" "$*"; }

# pg_up: start the cluster (stopped and removed on exit); sets PGDIR and PGBIN
pg_up() {
  local rc=0
  PGDIR=$("$PGC" start --fast 2>"$TMP/pg-cluster.err") || rc=$?
  if [ "$rc" = 77 ]; then
    echo "skipped: $(cat "$TMP/pg-cluster.err")"
    exit 77
  fi
  if [ "$rc" != 0 ]; then
    cat "$TMP/pg-cluster.err"
    echo "FAIL: cannot start a PostgreSQL cluster (pg-cluster start exit $rc)"
    exit 1
  fi
  trap '"$PGC" stop "$PGDIR"; rm -rf "$TMP"' EXIT
  PGBIN=$("$PGC" bindir)
  PSQL=$PGBIN/psql
  [ -x "$PSQL" ] || PSQL=$(command -v psql) || { echo "FAIL: no psql"; exit 1; }
  # the posture processes under test find everything in their URIs, not in PG* variables
  unset PGHOST PGPORT PGUSER PGDATABASE PGPASSWORD PGPASSFILE PGSERVICE PGOPTIONS
}

# pg_uri DB [USER]: the URI of database DB
pg_uri() { echo "postgresql://${2:-posture}@/$1?host=$PGDIR"; }

# sql DB SQL...: run SQL in DB as the superuser; prints rows unaligned, '|' between columns
sql() {
  local db=$1
  shift
  "$PSQL" -X -q -At -v ON_ERROR_STOP=1 -d "$(pg_uri "$db")" "$@"
}

# newdb DB [OWNER]: a new empty database
newdb() {
  sql postgres -c "CREATE DATABASE \"$1\"${2:+ OWNER \"$2\"}" >/dev/null
}

# wait_for DB SQL: until SQL returns t (a deadline of 60 s against hangs, not a timing check)
wait_for() {
  local k
  for k in $(seq 1 600); do
    [ "$(sql "$1" -c "$2")" = t ] && return 0
    sleep 0.1
  done
  echo "FAIL: gave up waiting for: $2"
  return 1
}

# holder_start DB: a psql session fed from a fifo (holder_sql SQL; holder_stop)
holder_start() {
  mkfifo "$TMP/holder.fifo"
  "$PSQL" -X -q -At -v ON_ERROR_STOP=1 -d "$(pg_uri "$1")" <"$TMP/holder.fifo" \
    >"$TMP/holder.out" 2>&1 &
  HOLDER=$!
  exec 3>"$TMP/holder.fifo"
}
holder_sql() { printf '%s\n' "$*" >&3; }
holder_stop() {
  exec 3>&-
  wait "$HOLDER" || true
  rm -f "$TMP/holder.fifo"
}

# keyscore_ok DB: prints "ok" when the keyscore table holds exactly the overall rule computed
# from scratch (each counted key with the figures of the smallest assessment id counting it)
KEYSCORE_CHECK="WITH rule AS (SELECT DISTINCT ON (action, share) action, share, assessment_id,
  points, achieved_x100 FROM inclusion WHERE counted = 1 ORDER BY action, share, assessment_id)
  SELECT CASE WHEN NOT EXISTS (SELECT * FROM rule EXCEPT SELECT * FROM keyscore)
  AND NOT EXISTS (SELECT * FROM keyscore EXCEPT SELECT * FROM rule) THEN 'ok' ELSE 'differs' END"
keyscore_ok() { sql "$1" -c "$KEYSCORE_CHECK"; }
