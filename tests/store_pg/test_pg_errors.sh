#!/usr/bin/env bash
# PostgreSQL stores: the errors of a server store (no server, no database, wrong or missing
# password, a bad URI, another application's database, a newer schema, a role that may only
# read, a store kept locked), each exactly, exit 1, and the password never shown; passwords
# from PGPASSWORD and a password file; init on an empty database; the append-only log.
. "$SRC/tests/cli/lib.sh"
. "$SRC/tests/store_pg/lib.sh"
pg_up
F="$SRC/tests/store/fixtures"
export POSTURE_TEMPLATES="$F" POSTURE_USER=alice POSTURE_NOW=2026-05-01T09:00:00Z
SOCK="$PGDIR/.s.PGSQL.5432"

# no server at that socket; no such database
run --db "postgresql://posture@/x?host=$TMP/nowhere" assessment list
expect_rc 1
expect_stderr "posture: postgresql://posture@/x?host=$TMP/nowhere: cannot connect: connection to server on socket \"$TMP/nowhere/.s.PGSQL.5432\" failed: No such file or directory"
U=$(pg_uri nodb)
run --db "$U" assessment list
expect_rc 1
expect_stderr "posture: $U: cannot connect: connection to server on socket \"$SOCK\" failed: database \"nodb\" does not exist"

# an empty database: no store until init, which creates the schema
newdb team
U=$(pg_uri team)
run --db "$U" assessment list
expect_rc 1
expect_stderr "posture: $U: no store here
hint: create it with 'posture init', or name another store with --db FILE"
check
[ "$(sql team -c "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")" = 0 ] ||
  bad "a command other than init created tables"
run --db "$U" init
expect_rc 0
expect_stdout "created store $U (schema 2)"
run --db "$U" init
expect_rc 0
expect_stdout "existing store $U (schema 2)"
check
[ "$(sql team -c "SELECT string_agg(tablename, ' ' ORDER BY tablename) FROM pg_tables WHERE schemaname = 'public'")" = \
  "answer assessment audit evidence exclusion inclusion keyscore meta snapshot" ] || bad "the schema's tables differ"
check
[ "$(sql team -c "SELECT value FROM meta WHERE key = 'schema_version'")" = 2 ] || bad "schema_version is not 2"
run --db "$U" assessment create Alpha --template alpha@1.0.0
expect_rc 0
run --db "$U" answer set Alpha act.mfa --implementation implemented --test passed
expect_rc 0

# the audit log is append-only in the database itself
for stmt in "DELETE FROM audit" "UPDATE audit SET who = 'mallory'" "TRUNCATE audit"; do
  check
  if sql team -c "$stmt" >"$TMP/sql.out" 2>&1; then
    bad "$stmt was allowed"
  else
    grep -q "the audit log is append-only" "$TMP/sql.out" || bad "$stmt: $(cat "$TMP/sql.out")"
  fi
done
check
[ "$(sql team -c "SELECT count(*) FROM audit WHERE who = 'alice'")" = 3 ] || bad "the log changed"

# passwords: a role that logs in with one (scram-sha-256 on the socket)
sql postgres -c "CREATE ROLE pwuser LOGIN PASSWORD 'pw-secret-1'" >/dev/null
newdb pwdb pwuser
{ echo "local all pwuser scram-sha-256"; cat "$PGDIR/data/pg_hba.conf"; } >"$TMP/hba" &&
  cat "$TMP/hba" >"$PGDIR/data/pg_hba.conf"
sql postgres -c "SELECT pg_reload_conf()" >/dev/null
U=$(pg_uri pwdb pwuser)
seen() { cat "$OUT" "$ERR" >>"$TMP/seen"; } # everything these commands printed
# shown without its password, whatever the command prints
run --db "postgresql://pwuser:wrong-pw-2@/pwdb?host=$PGDIR" init
expect_rc 1
seen
expect_stderr "posture: $U: authentication failed: connection to server on socket \"$SOCK\" failed: password authentication failed for user \"pwuser\""
run --db "postgresql://pwuser:wrong-pw-2@/pwdb?host=$PGDIR" assessment list
expect_rc 1
seen
expect_stderr "posture: $U: authentication failed: connection to server on socket \"$SOCK\" failed: password authentication failed for user \"pwuser\""
run --db "$U" assessment list
expect_rc 1
seen
expect_stderr "posture: $U: authentication failed: connection to server on socket \"$SOCK\" failed: fe_sendauth: no password supplied"
PGPASSWORD=pw-secret-1 run --db "$U" init
expect_rc 0
seen
expect_stdout "created store $U (schema 2)"
printf '*:*:pwdb:pwuser:pw-secret-1\n' >"$TMP/pgpass" && chmod 600 "$TMP/pgpass"
PGPASSFILE="$TMP/pgpass" run --db "$U" assessment create P --template beta
expect_rc 0
seen
run --db "postgresql://pwuser:pw-secret-1@/pwdb?host=$PGDIR" init
expect_rc 0
seen
expect_stdout "existing store $U (schema 2)"
run --db "postgresql://pwuser@/pwdb?host=$PGDIR&password=pw-secret-1&application_name=posture-test" assessment list
expect_rc 0
seen
expect_stdout_contains "P     beta@1.0.0"
run --db "postgresql://pwuser:pw-secret-1@/pwdb?host=$PGDIR&application_name=x" assessment show Nope
expect_rc 1
seen
expect_stderr 'posture: no assessment named "Nope"'
run --db "postgresql://pwuser:pw-secret-1@[::1/pwdb" assessment list
expect_rc 1
seen
expect_stderr "posture: postgresql://pwuser@[::1/pwdb: not a usable PostgreSQL URI: end of string reached when looking for matching \"]\" in IPv6 host address in URI: \"postgresql://pwuser@[::1/pwdb\""
run --db "postgresql://pwuser@/pwdb?host=$PGDIR&%70assword=pw-secret-1" init
expect_rc 0
seen
expect_stdout "existing store $U (schema 2)"
run --db "postgresql://pwuser:pw-secret-1@/pwdb?host=$PGDIR&bogus=1" assessment list
expect_rc 1
seen
expect_stderr "posture: $U&bogus=1: not a usable PostgreSQL URI: invalid URI query parameter: \"bogus\""
# the password was never printed
check
[ -s "$TMP/seen" ] && ! grep -q -e pw-secret-1 -e wrong-pw-2 "$TMP/seen" || bad "a password was printed"

# another application's database: refused and left alone, by init too
newdb other
sql other -c "CREATE TABLE orders(id int)" >/dev/null
U=$(pg_uri other)
run --db "$U" assessment list
expect_rc 1
expect_stderr "posture: $U: not a posture store (the database holds other tables)
hint: --db FILE (or \$POSTURE_DB) names the store; 'posture init' creates one"
run --db "$U" init
expect_rc 1
expect_stderr "posture: $U: not a posture store (the database holds other tables)
hint: --db FILE names the store; choose a new file name"
# a table called meta that is not ours
sql other -c "CREATE TABLE meta(k text)" >/dev/null
run --db "$U" init
expect_rc 1
expect_stderr "posture: $U: not a posture store (the database holds other tables)
hint: --db FILE names the store; choose a new file name"
check
[ "$(sql other -c "SELECT string_agg(tablename, ' ' ORDER BY tablename) FROM pg_tables WHERE schemaname = 'public'")" = "meta orders" ] ||
  bad "init changed another application's database"

# a store of a newer posture: refused, untouched
newdb newer
U=$(pg_uri newer)
run --db "$U" init
expect_rc 0
sql newer -c "UPDATE meta SET value = '99' WHERE key = 'schema_version'" >/dev/null
run --db "$U" assessment list
expect_rc 1
expect_stderr "posture: $U: the store has schema version 99, newer than this posture supports (2)
hint: use a newer posture for this store"
run --db "$U" init
expect_rc 1
expect_stderr "posture: $U: the store has schema version 99, newer than this posture supports (2)"
check
[ "$(sql newer -c "SELECT value FROM meta WHERE key = 'schema_version'")" = 99 ] || bad "the newer store was changed"

# a search_path naming no schema
run --db "$(pg_uri team)&options=-csearch_path%3Dnowhere" init
expect_rc 1
expect_stderr "posture: $(pg_uri team)&options=-csearch_path%3Dnowhere: no schema to hold the store (the search_path names none that exists)"

# a role that may only read: reading works, changing is refused, nothing changes
sql postgres -c "CREATE ROLE reader LOGIN" >/dev/null
sql team -c "GRANT SELECT ON ALL TABLES IN SCHEMA public TO reader" >/dev/null
U=$(pg_uri team reader)
run --db "$U" assessment list
expect_rc 0
expect_stdout_contains "Alpha  alpha@1.0.0"
run --db "$U" answer set Alpha act.mfa --note "read only"
expect_rc 1
expect_stderr "posture: $U: permission denied for table meta"

# kept locked by another writer: "busy" after POSTURE_BUSY_TIMEOUT; readers do not wait
U=$(pg_uri team)
holder_start team
holder_sql "BEGIN; SELECT 'locked' FROM meta WHERE key = 'application' FOR UPDATE;"
wait_for team "SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE application_name = 'psql' AND state = 'idle in transaction')"
POSTURE_BUSY_TIMEOUT=200 run --db "$U" answer set Alpha act.mfa --note busy
expect_rc 1
expect_stderr "posture: $U: store is busy: another process kept it locked for 200 ms
hint: another posture is writing; try again, or wait longer with POSTURE_BUSY_TIMEOUT=MILLISECONDS"
run --db "$U" history Alpha
expect_rc 0
check
[ "$(wc -l <"$OUT")" = 3 ] || bad "history while locked: $(cat "$OUT")"
holder_sql "ROLLBACK;"
holder_stop
run --db "$U" answer set Alpha act.mfa --note busy
expect_rc 0
finish
