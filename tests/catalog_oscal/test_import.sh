#!/usr/bin/env bash
# posture template import on the fixture catalog: golden templates, baseline, output, messages.
. "$SRC/tests/cli/lib.sh"
F="$SRC/tests/catalog_oscal/fixtures"
G="$SRC/tests/catalog_oscal/golden"
USAGE="usage: posture template import --oscal CATALOG [--baseline PROFILE] [--id ID] [--version X.Y.Z] [--title TEXT] [--link MAPPINGS]... -o FILE"
WARN="posture: $F/mini-catalog.json: /catalog/groups/0/controls/0/parts/0/parts/1/prose: warning: unknown parameter \"nowhere\""

# expect_file_golden FILE NAME: FILE equals golden/NAME byte for byte (UPDATE_GOLDEN=1 rewrites it)
expect_file_golden() {
  CHECKS=$((CHECKS + 1))
  if [ "${UPDATE_GOLDEN:-}" = 1 ]; then cp "$1" "$G/$2"; fi
  cmp -s "$1" "$G/$2" || { fail "$1 differs from golden/$2"; diff "$G/$2" "$1" | head -20 | sed 's/^/  /'; }
}

# the whole fixture: every rule of docs/oscal.md, byte for byte
run template import --oscal "$F/mini-catalog.json" -o "$TMP/mini.json"
expect_rc 0
expect_stdout "$TMP/mini.json: 4 families, 16 controls, 16 actions (skipped: 4 withdrawn, 0 not in the baseline)"
expect_stderr "$WARN"
expect_file_golden "$TMP/mini.json" mini-catalog.template.json

# same input, same bytes; "-o -" writes the same bytes to stdout and nothing else
run template import --oscal "$F/mini-catalog.json" --output="$TMP/mini2.json"
expect_rc 0
CHECKS=$((CHECKS + 1))
cmp -s "$TMP/mini.json" "$TMP/mini2.json" || fail "two imports of one catalog differ"
run template import --oscal "$F/mini-catalog.json" -o -
expect_rc 0
expect_stderr "$WARN"
CHECKS=$((CHECKS + 1))
cmp -s "$TMP/mini.json" "$OUT" || fail "-o - differs from the file"

# the template is valid, strictly
run template validate --strict "$TMP/mini.json"
expect_rc 0
expect_stdout "$TMP/mini.json: valid (4 families, 16 controls, 16 actions)"

# a baseline profile: ids, child controls, patterns, exclusions
run template import --oscal "$F/mini-catalog.json" --baseline "$F/mini-profile.json" -o "$TMP/base.json"
expect_rc 0
expect_stdout "$TMP/base.json: 4 families, 6 controls, 6 actions (skipped: 4 withdrawn, 10 not in the baseline)"
expect_stderr ""
expect_file_golden "$TMP/base.json" mini-catalog.baseline.template.json
run template validate --strict "$TMP/base.json"
expect_rc 0

# --id, --version, --title
run template import --oscal "$F/mini-catalog.json" --id mini --version 0.9.1 --title "Mini" -o "$TMP/ids.json"
expect_rc 0
run template show --json "$TMP/ids.json"
expect_rc 0
expect_stdout_contains '"id":	"mini",'
expect_stdout_contains '"version":	"0.9.1",'
expect_stdout_contains '"title":	"Mini",'

# input errors: exit 1, one line per problem, nothing written
run template import --oscal "$F/mini-profile.json" -o "$TMP/x.json"
expect_rc 1
expect_stderr "posture: $F/mini-profile.json: /: missing required field \"catalog\"
hint: this is an OSCAL profile: give its catalog with --oscal and the profile with --baseline"
CHECKS=$((CHECKS + 1))
[ ! -e "$TMP/x.json" ] || fail "a failed import wrote its output"
run template import --oscal "$F/mini-catalog.json" --baseline "$F/mini-catalog.json" -o "$TMP/x.json"
expect_rc 1
expect_stderr "posture: $F/mini-catalog.json: /: missing required field \"profile\"
hint: this is an OSCAL catalog: pass it with --oscal"
printf '{"profile": {"imports": [{"include-controls": [{"with-ids": ["ac-1", "zz-9"]}]}]}}\n' >"$TMP/p.json"
run template import --oscal "$F/mini-catalog.json" --baseline "$TMP/p.json" -o "$TMP/x.json"
expect_rc 1
expect_stderr "$WARN
posture: $TMP/p.json: /profile/imports/0/include-controls/0/with-ids/1: control \"zz-9\" is not in the catalog"
printf '{"catalog": {"metadata": {"title": "T"},\n "groups": [}}\n' >"$TMP/syntax.json"
run template import --oscal "$TMP/syntax.json" -o "$TMP/x.json"
expect_rc 1
expect_stderr "posture: $TMP/syntax.json: 2:13: syntax error: unexpected character '}'"
run template import --oscal "$TMP/none.json" -o "$TMP/x.json"
expect_rc 1
expect_stderr "posture: $TMP/none.json: cannot open: No such file or directory"
CHECKS=$((CHECKS + 1))
[ ! -e "$TMP/x.json" ] || fail "a failed import wrote its output"
run template import --oscal "$F/mini-catalog.json" -o "$TMP/no/dir/x.json"
expect_rc 1
expect_stderr "$WARN
posture: $TMP/no/dir/x.json: cannot write: No such file or directory"

# usage errors: exit 2, message and usage line
run template import --oscal "$F/mini-catalog.json"
expect_rc 2
expect_stderr "posture: template import: missing -o FILE
$USAGE"
run template import -o "$TMP/x.json"
expect_rc 2
expect_stderr "posture: template import: missing --oscal CATALOG
$USAGE"
run template import --oscal "$F/mini-catalog.json" -o
expect_rc 2
expect_stderr "posture: template import: option '-o' needs a value
$USAGE"
run template import --oscal "$F/mini-catalog.json" -o "$TMP/x.json" extra
expect_rc 2
expect_stderr "posture: template import: unexpected argument 'extra'
$USAGE"
run template import --oscal "$F/mini-catalog.json" --id Mini -o "$TMP/x.json"
expect_rc 2
expect_stderr "posture: template import: invalid template id \"Mini\": use 1-64 of a-z 0-9 . - starting with a letter or digit
$USAGE"
run template import --oscal "$F/mini-catalog.json" --version 1.0 -o "$TMP/x.json"
expect_rc 2
expect_stderr "posture: template import: invalid version \"1.0\": expected MAJOR.MINOR.PATCH
$USAGE"
run template import --oscal "$F/mini-catalog.json" --title "" -o "$TMP/x.json"
expect_rc 2
expect_stderr "posture: template import: --title must not be empty
$USAGE"
CHECKS=$((CHECKS + 1))
[ ! -e "$TMP/x.json" ] || fail "a usage error wrote output"
run template import --help
expect_rc 0
expect_stdout_contains "usage: posture template import --oscal CATALOG [--baseline PROFILE] [--id ID]"
expect_stderr ""

finish
