#!/usr/bin/env bash
# posture store copy: an SQLite store -> PostgreSQL -> SQLite again gives the same reports,
# assessments, history, log and overall score in all three (byte for byte); ids of deleted
# assessments are not given again; a store that holds anything is not a target; errors.
. "$SRC/tests/cli/lib.sh"
. "$SRC/tests/store_pg/lib.sh"
pg_up
F="$SRC/tests/store/fixtures"
export POSTURE_TEMPLATES="$F" POSTURE_USER=carol SOURCE_DATE_EPOCH=1767225600
at() { export POSTURE_NOW="2026-07-0${1}T10:00:00Z"; }
A="$TMP/a.db" B="$TMP/b.db"
newdb trip
PG=$(pg_uri trip)

# a store with a bit of everything: shared answers, groups, evidence, SoA, an upgrade,
# an import, text that is not ASCII, and a deleted assessment
export POSTURE_DB="$A"
at 1
run init
expect_rc 0
run assessment create Alpha --template alpha@1.0.0 --organization "Contoso Ltd" --scope "HQ, Zürich"
expect_rc 0
run assessment create Beta --template beta
expect_rc 0
run assessment create Gamma --template beta --group eu --profile self-attested
expect_rc 0
run assessment create Temp --template beta --group eu
expect_rc 0
at 2
run answer set Alpha act.mfa --implementation implemented --test passed --tested-at 2026-06-30 \
  --assigned-to "Zoë Ünal" --note $'Quarterly review\n"tab"\there — 日本' --evidence https://wiki/mfa \
  --evidence "https://wiki/mfa?page=2&x=ü"
expect_rc 0
run answer set Gamma act.review --implementation planned --note ""
expect_rc 0
run answer set Temp act.train --implementation implemented --test failed_low
expect_rc 0
at 3
run control scope Alpha A2 --not-applicable --justification "No backups kept here; see §4"
expect_rc 0
cat >"$TMP/beta.json" <<'J'
{"format": "posture-answers/1", "template": "beta", "assessment": {"name": "Beta"},
 "controls": [{"control": "B2", "applicable": false, "justification": "Outsourced"}],
 "answers": [{"action": "act.train", "implementation": "implemented", "test": "passed",
              "evidence": ["https://lms/report"]},
             {"action": "act.review", "implementation": "alternative", "test": "in_progress"}]}
J
run answer import Beta "$TMP/beta.json"
expect_rc 0
at 4
run assessment upgrade Alpha --to 1.1.0
expect_rc 0
run assessment delete Temp --yes
expect_rc 0

# everything a reader sees, per store
snap() { # snap STORE DIR
  mkdir -p "$2"
  local n
  for n in Alpha Beta Gamma; do
    "$POSTURE" --db "$1" report "$n" --json "$2/report-$n.json" &&
      "$POSTURE" --db "$1" assessment show "$n" --json >"$2/show-$n.json" &&
      "$POSTURE" --db "$1" history "$n" --json >"$2/history-$n.json" &&
      "$POSTURE" --db "$1" log "$n" --json >"$2/log-$n.json" || bad "reading $n from $1"
  done
  "$POSTURE" --db "$1" assessment list --json >"$2/list.json" &&
    "$POSTURE" --db "$1" overall --json >"$2/overall.json" &&
    "$POSTURE" --db "$1" overall --group eu --json >"$2/overall-eu.json" || bad "reading $1"
}
same() { # same DIR1 DIR2: every file equal
  local f
  for f in "$1"/*.json; do
    check
    cmp -s "$f" "$2/${f##*/}" || { bad "${f##*/} differs between $1 and $2"; diff "$f" "$2/${f##*/}" | head -5; }
  done
}
snap "$A" "$TMP/snap-a"
sqlite3_q() { python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone()[0])" "$@"; }
TEMPLOG=$(sqlite3_q "$A" "SELECT count(*) FROM audit WHERE assessment = 'Temp'")
check
[ "$TEMPLOG" = 12 ] || bad "the deleted assessment's log: $TEMPLOG entries"

# SQLite -> PostgreSQL (the schema made in the empty database)
# what the copy must report: the source's rows, counted here
counts() {
  python3 - "$1" <<'PY'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
n = lambda t: c.execute("SELECT count(*) FROM " + t).fetchone()[0]
print("%d assessments, %d answers, %d evidence items, %d not-applicable control%s, %d snapshots, %d log entries"
      % (n("assessment"), n("answer"), n("evidence"), n("exclusion"), "" if n("exclusion") == 1 else "s",
         n("snapshot"), n("audit")))
PY
}
COUNTS=$(counts "$A")
check
[ "$COUNTS" = "3 assessments, 5 answers, 3 evidence items, 1 not-applicable control, 12 snapshots, 50 log entries" ] ||
  bad "the scenario changed: $COUNTS"
run overall
OVERALL=$(head -1 "$OUT" | sed 's/^Overall: //; s/;.*//')
check
[ "$OVERALL" = "62.79% (27 of 43 points)" ] || bad "overall: $OVERALL"
run store copy "$A" "$PG"
expect_rc 0
expect_stdout "copied $A -> $PG: $COUNTS
verified: overall $OVERALL in both; 3 assessments score the same in both"
snap "$PG" "$TMP/snap-pg"
same "$TMP/snap-a" "$TMP/snap-pg"
check
[ "$(sql trip -c "SELECT count(*) FROM audit WHERE assessment = 'Temp'")" = "$TEMPLOG" ] ||
  bad "the log of the deleted assessment was not copied"

# PostgreSQL -> SQLite, a new file
run store copy "$PG" "$B"
expect_rc 0
expect_stdout "copied $PG -> $B: $COUNTS
verified: overall $OVERALL in both; 3 assessments score the same in both"
snap "$B" "$TMP/snap-b"
same "$TMP/snap-a" "$TMP/snap-b"
check
python3 - "$A" "$B" <<'PY' || bad "the SQLite tables differ after the round trip"
import sqlite3, sys
def dump(p):
    c = sqlite3.connect(p)
    out = {}
    for t in ["assessment", "inclusion", "keyscore", "answer", "evidence", "exclusion",
              "snapshot", "audit", "sqlite_sequence"]:
        out[t] = c.execute("SELECT * FROM %s ORDER BY 1, 2" % t).fetchall()
    return out
a, b = dump(sys.argv[1]), dump(sys.argv[2])
for t in a:
    if a[t] != b[t]:
        print("differs:", t)
sys.exit(0 if a == b else 1)
PY

# a new assessment gets a new id in every copy: its log is its own
at 5
for db in "$A" "$PG" "$B"; do
  run --db "$db" assessment create New --template beta --group eu
  expect_rc 0
  run --db "$db" log New
  expect_rc 0
  expect_stdout "2026-07-05T10:00:00Z  carol  assessment created: (none) -> template beta@1.0.0, group eu, profile compliance-manager"
done
check
[ "$(keyscore_ok trip)" = ok ] || bad "keyscore is not the overall rule"

# a target that holds anything is refused and left as it was
run store copy "$A" "$B"
expect_rc 1
expect_stderr "posture: $B: the store holds assessments, answers or log entries already; copy into a new or empty store
hint: name a new SQLite file, or an empty PostgreSQL database"
run store copy "$B" "$PG"
expect_rc 1
expect_stderr "posture: $PG: the store holds assessments, answers or log entries already; copy into a new or empty store
hint: name a new SQLite file, or an empty PostgreSQL database"
run --db "$PG" assessment list
expect_rc 0
check
[ "$(wc -l <"$OUT")" = 5 ] || bad "the refused copy changed the target"

# a template no longer to be found: its stored figures are compared, it is not scored now;
# a password in the URI is never shown
mkdir "$TMP/tpl" && cp "$F/beta-1.0.0.json" "$TMP/tpl/beta.json"
run --db "$TMP/d.db" init
expect_rc 0
POSTURE_TEMPLATES="$TMP/tpl" run --db "$TMP/d.db" assessment create Lone --template beta
expect_rc 0
POSTURE_TEMPLATES="$TMP/tpl" run --db "$TMP/d.db" answer set Lone act.mfa --implementation implemented --test passed
expect_rc 0
rm "$TMP/tpl/beta.json"
newdb trip2
POSTURE_TEMPLATES="$TMP/tpl" run store copy "$TMP/d.db" "postgresql://posture:not-shown-7@/trip2?host=$PGDIR"
expect_rc 0
expect_stdout "copied $TMP/d.db -> $(pg_uri trip2): 1 assessment, 1 answer, 0 evidence items, 0 not-applicable controls, 2 snapshots, 3 log entries
verified: overall 69.23% (27 of 39 points) in both; 0 assessments score the same in both (1 not scored: template not in the search path)"

# errors
run store copy "$TMP/missing.db" "$TMP/c.db"
expect_rc 1
expect_stderr "posture: $TMP/missing.db: no store here
hint: FROM names the store to copy: an SQLite file or a postgresql:// URI"
check
[ ! -e "$TMP/c.db" ] || bad "a failed copy created its target"
run store copy "$A" "$(pg_uri nodb)"
expect_rc 1
expect_stderr "posture: $(pg_uri nodb): cannot connect: connection to server on socket \"$PGDIR/.s.PGSQL.5432\" failed: database \"nodb\" does not exist"
run store copy "$A"
expect_rc 2
expect_stderr "posture: store copy: missing the TO store
usage: posture store copy FROM TO"
run store copy "$A" "$B" extra
expect_rc 2
expect_stderr "posture: store copy: unexpected argument 'extra'
usage: posture store copy FROM TO"
run store move "$A" "$B"
expect_rc 2
expect_stderr "posture: store: unknown subcommand 'move'
usage: posture store copy FROM TO"
run store copy --help
expect_rc 0
expect_stdout_contains "usage: posture store copy FROM TO"
finish
