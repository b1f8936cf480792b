#!/usr/bin/env bash
# posture template list|show|validate: output, exit codes and messages.
. "$(dirname "$0")/lib.sh"
W="$SRC/tests/fixtures/worked.json"
# the installed templates' directory (the build's POSTURE_DATADIR), marked when it does not exist
DATADIR=$(sed -n 's/^CMAKE_INSTALL_PREFIX:PATH=//p' "${BUILD:-/nonexistent}/CMakeCache.txt" 2>/dev/null)/share/posture
[ -d "$DATADIR/templates" ] && MISSING="" || MISSING=" (missing)"
mkdir "$TMP/lib" && cp "$W" "$TMP/lib/worked-example.json"
cp "$SRC/assessments/saas-baseline.template.json" "$TMP/lib/saas-security-baseline.json"

run template validate "$W"
expect_rc 0
expect_stdout "$W: valid (1 families, 3 controls, 4 actions)"
expect_stderr ""

cat >"$TMP/bad.json" <<'J'
{"format": "posture-template/1", "id": "bad", "version": "1.0.0", "title": "Bad", "x": 1,
 "families": [{"id": "F", "title": "F", "controls": [{"id": "C", "title": "C", "actions": ["act.nope"]}]}],
 "actions": []}
J
run template validate "$W" "$TMP/bad.json"
expect_rc 1
expect_stdout "$W: valid (1 families, 3 controls, 4 actions)"
expect_stderr "posture: $TMP/bad.json: /x: warning: unknown field \"x\"
posture: $TMP/bad.json: /families/0/controls/0/actions/0: unknown action \"act.nope\""

# --strict: warnings are errors
sed 's/"title": "Worked example of scoring.md"/"title": "W", "colour": "red"/' "$W" >"$TMP/warn.json"
run template validate "$TMP/warn.json"
expect_rc 0
expect_stderr "posture: $TMP/warn.json: /colour: warning: unknown field \"colour\""
run template validate --strict "$TMP/warn.json"
expect_rc 1
expect_stderr "posture: $TMP/warn.json: /colour: unknown field \"colour\""

run template validate
expect_rc 2
expect_stderr "posture: template validate: no file given
usage: posture template validate FILE... [--strict]"

run --templates "$TMP/lib" template list
expect_rc 0
expect_stdout_contains "saas-security-baseline           1.0.1            5       15       23  SaaS security baseline"
expect_stdout_contains "worked-example                   1.0.0            1        3        4  Worked example of scoring.md"
run --templates "$TMP/lib" template list --json
expect_rc 0
expect_stdout_contains '"format":	"posture-templates/1"'

run --templates "$TMP/lib" template show worked-example
expect_rc 0
expect_stdout "worked-example 1.0.0  Worked example of scoring.md
1 families, 3 controls, 4 actions

F1  First family
  C1           Control one
    act.a
    act.b
  C2           Control two
    act.b
    act.c
  C3           Control three
    act.d"
run --templates "$TMP/lib" template show worked-example@2.0.0
expect_rc 1
expect_stderr "posture: no template \"worked-example\" version 2.0.0 in the search path
hint: the search path holds worked-example version 1.0.0"
POSTURE_TEMPLATES="$TMP/lib" run template show worked-example --json
expect_rc 0
expect_stdout_contains '"format":	"posture-template-outline/1"'
run template frob
expect_rc 2
expect_stderr "posture: template: unknown subcommand 'frob'
usage: posture template list|show|validate|import|link [options]"
# the front door: where template list looked, an empty search path, a bad --templates
# (run from an empty directory: ./templates is in the search path)
mkdir "$TMP/empty" "$TMP/cwd"
runc() { local here=$PWD; cd "$TMP/cwd" && run "$@"; cd "$here" || exit 1; }
runc --templates "$TMP/lib" template list
expect_rc 0
expect_stdout "ID                               VERSION   FAMILIES CONTROLS  ACTIONS  TITLE
saas-security-baseline           1.0.1            5       15       23  SaaS security baseline
worked-example                   1.0.0            1        3        4  Worked example of scoring.md

search path: $TMP/lib, templates (missing), $DATADIR/templates$MISSING"
runc --templates "$TMP/empty" template list
expect_rc 1
expect_stdout ""
expect_stderr "posture: no template in the search path: $TMP/empty, templates (missing), $DATADIR/templates$MISSING
hint: give --templates DIR, or set POSTURE_TEMPLATES to directories of templates (DIR:DIR...)"
runc --templates "$TMP/empty" template list --json
expect_rc 1
expect_stdout '{
	"format":	"posture-templates/1",
	"templates":	[]
}'
expect_stderr "posture: no template in the search path: $TMP/empty, templates (missing), $DATADIR/templates$MISSING
hint: give --templates DIR, or set POSTURE_TEMPLATES to directories of templates (DIR:DIR...)"
runc --templates "$TMP/nonexistent" template list
expect_rc 1
expect_stdout ""
expect_stderr "posture: --templates $TMP/nonexistent: no such directory"
runc --templates "$W" score --template worked-example --answers "$W"
expect_rc 1
expect_stderr "posture: --templates $W: not a directory"
# unknown ids: the closest ids in the search path, else the versions it holds, else none
runc --templates "$TMP/lib" template show worked
expect_rc 1
expect_stderr "posture: no template \"worked\" in the search path
hint: the closest ids in the search path: worked-example, saas-security-baseline"
cp "$SRC/templates/nist-csf-2.0.json" "$SRC/templates/soc2-2017.json" "$TMP/lib/" 2>/dev/null
runc --templates "$TMP/lib" template show nist-csf
expect_rc 1
expect_stderr "posture: no template \"nist-csf\" in the search path
hint: the closest ids in the search path: nist-csf-2.0, soc2-2017, worked-example"
runc --templates "$TMP/empty" template show worked-example
expect_rc 1
expect_stderr "posture: no template \"worked-example\" in the search path
hint: the search path holds no template; 'posture template list' shows where it looks"
# a file-like reference keeps the hint about files
runc --templates "$TMP/lib" template show "$TMP/nope.json"
expect_rc 1
expect_stderr "posture: no template \"$TMP/nope.json\" in the search path
hint: give a template file, or an id from 'posture template list'"
finish
