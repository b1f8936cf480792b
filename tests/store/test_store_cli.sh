#!/usr/bin/env bash
# The store from the command line: two assessments sharing answers, SoA, upgrade, history and
# log exactly, delete, import all or nothing, report NAME equal to the report from files,
# and the errors of cli.md.
. "$SRC/tests/cli/lib.sh"
F="$SRC/tests/store/fixtures"
# bad MESSAGE: a failed check made here (not through an expect_* helper)
# POSTURE_TEST_DB: run against that store instead (an empty PostgreSQL database; tests/store_pg)
export POSTURE_DB="${POSTURE_TEST_DB:-$TMP/store.db}" POSTURE_TEMPLATES="$F" POSTURE_USER=alice
at() { export POSTURE_NOW="2026-03-0${1}T09:00:00Z"; }
at 1

# no store yet
run assessment list
expect_rc 1
expect_stderr "posture: $POSTURE_DB: no store here
hint: create it with 'posture init', or name another store with --db FILE"
run init
expect_rc 0
expect_stdout "created store $POSTURE_DB (schema 2)"
run init
expect_rc 0
expect_stdout "existing store $POSTURE_DB (schema 2)"

# two assessments from templates that share act.mfa (technical) and act.review (operational)
run assessment create Alpha --template alpha@1.0.0 --organization Contoso
expect_rc 0
expect_stdout 'created assessment "Alpha" from alpha 1.0.0 (group default, profile compliance-manager): 0.00% (0 of 42 points)'
at 2
run assessment create Beta --template beta
expect_rc 0
expect_stdout 'created assessment "Beta" from beta 1.0.0 (group default, profile compliance-manager): 0.00% (0 of 39 points)'
run assessment create Gamma --template beta --group eu
expect_rc 0

# answer in one: both scores move; the other group's operational answer does not
at 3
run answer set Alpha act.mfa --implementation implemented --test passed --evidence https://wiki/mfa
expect_rc 0
expect_stdout 'answer act.mfa in "Alpha": 3 changes
  Alpha: 0.00% -> 64.29% (27 of 42 points)
  Beta: 0.00% -> 69.23% (27 of 39 points)  (shared answer)
  Gamma: 0.00% -> 69.23% (27 of 39 points)  (shared answer)'
at 4
run answer set Beta act.review --implementation Implemented --test Passed --note "Quarterly"
expect_rc 0
expect_stdout 'answer act.review in "Beta": 3 changes
  Beta: 69.23% -> 76.92% (30 of 39 points)
  Alpha: 64.29% -> 71.43% (30 of 42 points)  (shared answer)'
run answer set Beta act.review --implementation implemented
expect_rc 0
expect_stdout 'answer act.review in "Beta": nothing changed'

run assessment list
expect_rc 0
expect_stdout 'NAME   TEMPLATE     GROUP       SCORE  UPDATED
Alpha  alpha@1.0.0  default    71.43%  2026-03-04T09:00:00Z
Beta   beta@1.0.0   default    76.92%  2026-03-04T09:00:00Z
Gamma  beta@1.0.0   eu         69.23%  2026-03-03T09:00:00Z'
run assessment list --json
expect_rc 0
cp "$OUT" "$TMP/list.json"

run overall
expect_rc 0
expect_stdout 'Overall: 47.62% (30 of 63 points); 7 distinct actions over 3 assessments

NAME   GROUP       SCORE  TEMPLATE
Alpha  default    71.43%  alpha@1.0.0
Beta   default    76.92%  beta@1.0.0
Gamma  eu         69.23%  beta@1.0.0'
run overall --group eu --json
expect_rc 0
cp "$OUT" "$TMP/overall.json"
expect_stdout_contains '"percent":	69.23'

# the Statement of Applicability
at 5
run control scope Alpha A2 --not-applicable
expect_rc 2
expect_stderr 'posture: control scope: --not-applicable needs --justification TEXT
usage: posture control scope NAME CONTROL --not-applicable --justification TEXT
       posture control scope NAME CONTROL --applicable'
run control scope Alpha A2 --not-applicable --justification "No backups kept here"
expect_rc 0
expect_stdout 'control A2 in "Alpha": 1 change
  Alpha: 71.43% -> 100.00% (30 of 30 points)'
run control scope Alpha Z9 --applicable
expect_rc 1
expect_stderr 'posture: assessment "Alpha" has no control "Z9"'

run assessment show Alpha
expect_rc 0
expect_stdout 'Assessment:   Alpha
Template:     Alpha regulation (alpha 1.0.0)
Group:        default
Organization: Contoso
Scope:        -
Profile:      compliance-manager
Created:      2026-03-01T09:00:00Z
Updated:      2026-03-05T09:00:00Z
Score:        100.00% (30 of 30 points)
Controls: 2 total, 1 passed, 0 failed, 0 in progress, 0 not assessed, 1 out of scope
Actions:  4 total, 2 passed, 0 failed, 0 partial, 0 in progress, 0 not assessed, 2 out of scope

ACTION      STATUS        IMPLEMENTATION         TEST           SHARED WITH
act.mfa     passed        implemented            passed         Beta, Gamma
act.review  passed        implemented            passed         Beta
act.backup  out_of_scope  not_implemented        not_assessed   -
act.policy  out_of_scope  not_implemented        not_assessed   -

Not applicable:
  A2: No backups kept here

Evidence:
  act.mfa: https://wiki/mfa (alice, 2026-03-03T09:00:00Z)'
run assessment show Alpha --json
expect_rc 0
cp "$OUT" "$TMP/show.json"

# upgrade: the dry run shows everything and changes nothing
at 6
run assessment list --json
cp "$OUT" "$TMP/before-dry-run.json"
run assessment upgrade Alpha --dry-run
expect_rc 0
expect_stdout 'assessment "Alpha": alpha 1.0.0 -> 1.1.0 (dry run)
actions added (1): act.logs
actions removed (2): act.backup, act.policy
not-applicable controls dropped (1): A2
score before: 100.00% (30 of 30 points)
score after:  96.77% (30 of 31 points)
dry run: nothing changed'
run assessment list --json
CHECKS=$((CHECKS + 1))
cmp -s "$OUT" "$TMP/before-dry-run.json" || bad "the dry run changed the assessments"
run history Alpha
expect_rc 0
expect_stdout 'AT                       SCORE   ACHIEVED   POSSIBLE  CHANGE
2026-03-01T09:00:00Z     0.00%          0         42  created
2026-03-03T09:00:00Z    64.29%         27         42  answer act.mfa
2026-03-04T09:00:00Z    71.43%         30         42  answer act.review (via Beta)
2026-03-05T09:00:00Z   100.00%         30         30  control A2'
run assessment upgrade Alpha --to 1.1.0
expect_rc 0
expect_stdout 'assessment "Alpha": alpha 1.0.0 -> 1.1.0
actions added (1): act.logs
actions removed (2): act.backup, act.policy
not-applicable controls dropped (1): A2
score before: 100.00% (30 of 30 points)
score after:  96.77% (30 of 31 points)'
run assessment upgrade Alpha
expect_rc 0
expect_stdout 'assessment "Alpha": alpha is at 1.1.0 already; nothing to do'
run assessment upgrade Alpha --to 7.0.0
expect_rc 1
expect_stderr 'posture: template "alpha@7.0.0" is not in the template search path
hint: add the template'"'"'s directory with --templates DIR or $POSTURE_TEMPLATES'

# history and log, exactly
run history Alpha --json
expect_rc 0
cp "$OUT" "$TMP/history.json"
run log Alpha
expect_rc 0
expect_stdout '2026-03-01T09:00:00Z  alice  assessment created: (none) -> template alpha@1.0.0, group default, profile compliance-manager
2026-03-03T09:00:00Z  alice  answer act.mfa implementation: not_implemented -> implemented
2026-03-03T09:00:00Z  alice  answer act.mfa test: not_assessed -> passed
2026-03-03T09:00:00Z  alice  answer act.mfa evidence: (none) -> https://wiki/mfa
2026-03-04T09:00:00Z  alice  answer act.review implementation: not_implemented -> implemented  (via Beta)
2026-03-04T09:00:00Z  alice  answer act.review test: not_assessed -> passed  (via Beta)
2026-03-04T09:00:00Z  alice  answer act.review notes: (none) -> Quarterly  (via Beta)
2026-03-05T09:00:00Z  alice  control A2: applicable -> not applicable: No backups kept here
2026-03-06T09:00:00Z  alice  control A2: not applicable: No backups kept here -> removed from the template
2026-03-06T09:00:00Z  alice  assessment template: alpha@1.0.0 -> alpha@1.1.0'
run log Alpha --json
expect_rc 0
cp "$OUT" "$TMP/log.json"

# import: one bad entry and nothing changes, every error reported
at 7
cat >"$TMP/bad.json" <<'J'
{"format": "posture-answers/1", "template": "beta", "assessment": {"name": "Beta"},
 "answers": [{"action": "act.train", "implementation": "implemented", "test": "passed"},
             {"action": "act.nope"},
             {"action": "act.mfa", "test": "passd"}]}
J
run answer import Beta "$TMP/bad.json"
expect_rc 1
expect_stderr "posture: $TMP/bad.json: /answers/2/test: unknown test status \"passd\"; expected one of: not_assessed, in_progress, passed, failed_low, failed_medium, failed_high, out_of_scope
posture: $TMP/bad.json: /answers/1/action: unknown action \"act.nope\"
hint: nothing was imported; fix the file and run the import again"
run history Beta
expect_rc 0
[ "$(wc -l <"$OUT")" = 4 ] || bad "history of Beta changed by a failed import"
cat >"$TMP/good.json" <<'J'
{"format": "posture-answers/1", "template": "beta", "assessment": {"name": "Beta"},
 "controls": [{"control": "B2", "applicable": false, "justification": "Outsourced"}],
 "answers": [{"action": "act.train", "implementation": "implemented", "test": "passed"},
             {"action": "act.mfa", "implementation": "implemented", "test": "failed_high"}]}
J
run answer import Beta "$TMP/good.json"
expect_rc 0
expect_stdout "import of $TMP/good.json into \"Beta\": 4 changes
  Beta: 76.92% -> 0.00% (0 of 27 points)
  Alpha: 96.77% -> 9.68% (3 of 31 points)  (shared answer)
  Gamma: 69.23% -> 0.00% (0 of 39 points)  (shared answer)"
run answer import Beta "$TMP/good.txt"
expect_rc 1
expect_stderr "posture: $TMP/good.txt: unsupported answers format \".txt\"
hint: answers files end in .json, .csv or .xlsx
hint: nothing was imported; fix the file and run the import again"

# report NAME: the same summary as the report from files for the same answers
cat >"$TMP/gamma.json" <<'J'
{"format": "posture-answers/1", "template": "beta", "template_version": "1.0.0",
 "assessment": {"name": "Gamma", "group": "eu", "assessed_at": "2026-03-07"},
 "answers": [{"action": "act.mfa", "implementation": "implemented", "test": "failed_high",
              "evidence": ["https://wiki/mfa"]},
             {"action": "act.train", "implementation": "planned", "notes": "Next year"}]}
J
run answer set Gamma act.train --implementation planned --note "Next year"
expect_rc 0
export SOURCE_DATE_EPOCH=1767225600
run report Gamma --json "$TMP/from-store.json"
expect_rc 0
run report --template beta --answers "$TMP/gamma.json" --json "$TMP/from-files.json"
expect_rc 0
CHECKS=$((CHECKS + 1))
cmp -s "$TMP/from-store.json" "$TMP/from-files.json" || { bad "report NAME differs from files"; diff "$TMP/from-files.json" "$TMP/from-store.json" | head; }
run report Gamma --xlsx "$TMP/gamma.xlsx" --profile self-attested
if grep -q "not implemented yet" "$ERR"; then
  echo "skipped: the workbook writer is not there yet"
else
  expect_rc 0
  CHECKS=$((CHECKS + 1))
  [ -s "$TMP/gamma.xlsx" ] || bad "no workbook"
fi
run report Gamma
expect_rc 2
unset SOURCE_DATE_EPOCH

# delete: without --yes exit 2 and nothing deleted
run assessment delete Gamma
expect_rc 2
expect_stderr 'posture: assessment delete: deleting "Gamma" and its history needs --yes
usage: posture assessment delete NAME --yes'
run assessment show Gamma
expect_rc 0
run assessment delete Gamma --yes
expect_rc 0
expect_stdout 'deleted assessment "Gamma"'
run assessment show Gamma
expect_rc 1
expect_stderr 'posture: no assessment named "Gamma"'

# usage errors and bad values
run answer set Alpha act.mfa --test passd
expect_rc 2
expect_stderr 'posture: answer set: unknown test status "passd"; expected one of: not_assessed, in_progress, passed, failed_low, failed_medium, failed_high, out_of_scope
usage: posture answer set NAME ACTION [--implementation S] [--test S] [--tested-at D] [--assigned-to W] [--note T] [--evidence URI]...'
run answer set Alpha act.mfa
expect_rc 2
run answer set Alpha act.nope --note x
expect_rc 1
expect_stderr 'posture: assessment "Alpha" has no action "act.nope"'
run assessment create Alpha --template beta
expect_rc 1
expect_stderr 'posture: assessment "Alpha" exists already'
POSTURE_NOW=yesterday run assessment list
expect_rc 1
expect_stderr 'posture: POSTURE_NOW "yesterday" is not an ISO 8601 UTC time (YYYY-MM-DDTHH:MM:SSZ)'

# JSON outputs validate against their schemas
for pair in list:assessments show:assessment log:log history:history overall:overall; do
  CHECKS=$((CHECKS + 1))
  python3 - "$SRC/schemas/posture-${pair#*:}-1.schema.json" "$TMP/${pair%%:*}.json" <<'PY' || bad "${pair%%:*}.json does not validate"
import json, sys, jsonschema
jsonschema.validate(json.load(open(sys.argv[2])), json.load(open(sys.argv[1])))
PY
done

# not a store; a store of a newer posture; a read-only store
echo "plain text" >"$TMP/text.db"
run --db "$TMP/text.db" assessment list
expect_rc 1
expect_stderr "posture: $TMP/text.db: not a posture store (not an SQLite database)
hint: --db FILE (or \$POSTURE_DB) names the store; 'posture init' creates one"
# SQLite store files only (tests/store_pg/test_pg_errors.sh has these for PostgreSQL)
if [ -n "${POSTURE_TEST_DB:-}" ]; then
  echo "skipped: newer, read-only and unwritable SQLite store files (the store is not SQLite)"
else
cp "$TMP/store.db" "$TMP/newer.db"
python3 -c "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute('PRAGMA user_version = 99'); c.commit()" "$TMP/newer.db"
run --db "$TMP/newer.db" assessment list
expect_rc 1
expect_stderr "posture: $TMP/newer.db: the store has schema version 99, newer than this posture supports (2)
hint: use a newer posture for this store"
run --db "file:$TMP/store.db?mode=ro" answer set Alpha act.mfa --note "read only"
expect_rc 1
expect_stderr "posture: file:$TMP/store.db?mode=ro: the store is read-only
hint: the store can be read but not changed; check the file's permissions"
run --db "file:$TMP/store.db?mode=ro" assessment list
expect_rc 0

# a store file the user may not write (as root, try it as nobody): read yes, change no
# (the binary is copied beside the store: the build tree may sit where nobody cannot reach it)
if [ "$(id -u)" = 0 ] && su nobody -s /bin/sh -c true 2>/dev/null; then
  mkdir "$TMP/ro" && cp "$TMP/store.db" "$TMP/ro/store.db" && chmod 755 "$TMP" && chmod 777 "$TMP/ro" &&
    chmod 644 "$TMP/ro/store.db" && cp "$POSTURE" "$TMP/ro/posture" && chmod 755 "$TMP/ro/posture" &&
    cp -r "$F" "$TMP/ro/fixtures" && chmod -R a+rX "$TMP/ro/fixtures"
  POSTURE_RO="$TMP/ro/posture"
  RC=0
  su nobody -s /bin/sh -c "POSTURE_TEMPLATES='$TMP/ro/fixtures' '$POSTURE_RO' --db '$TMP/ro/store.db' assessment list" \
    >"$OUT" 2>"$ERR" || RC=$?
  expect_rc 0
  expect_stdout_contains "Alpha  alpha@1.1.0"
  RC=0
  su nobody -s /bin/sh -c "POSTURE_TEMPLATES='$TMP/ro/fixtures' '$POSTURE_RO' --db '$TMP/ro/store.db' answer set Alpha act.mfa --note x" \
    >"$OUT" 2>"$ERR" || RC=$?
  expect_rc 1
  expect_stderr "posture: $TMP/ro/store.db: the store is read-only
hint: the store can be read but not changed; check the file's permissions"
else
  echo "skipped: the unwritable-file case needs root and a 'nobody' user"
fi

fi # SQLite store files only
finish
