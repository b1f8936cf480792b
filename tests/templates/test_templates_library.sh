#!/usr/bin/env bash
# Template library checks: the checker's own self-test, then every templates/*.json, the
# shared action registry and assessments/*.json (tests/templates/check_library.py), then,
# once the C loader implements it, `posture template validate --strict` on every template.
set -u
: "${SRC:?SRC (source root) must be set}"
fail=0

python3 "$SRC/tests/templates/check_library.py" --self-test || fail=1
python3 "$SRC/tests/templates/check_library.py" "$SRC" || fail=1

if [ -n "${POSTURE:-}" ] && "$POSTURE" template validate --help >/dev/null 2>&1; then
    tmp=$(mktemp -d) || exit 1
    trap 'rm -rf "$tmp"' EXIT
    for t in "$SRC"/templates/*.json; do
        "$POSTURE" --templates "$SRC/templates" template validate --strict "$t" \
            >"$tmp/out" 2>"$tmp/err"
        rc=$?
        if [ "$rc" -ne 0 ] || [ -s "$tmp/err" ]; then
            echo "FAIL: posture template validate --strict $t: exit $rc"
            cat "$tmp/err"
            fail=1
        else
            echo "ok posture template validate --strict ${t#"$SRC"/}"
        fi
    done
    # all templates at once: conflicting action definitions across files are errors
    if ! "$POSTURE" --templates "$SRC/templates" template validate --strict \
            "$SRC"/templates/*.json >"$tmp/out" 2>"$tmp/err" || [ -s "$tmp/err" ]; then
        echo "FAIL: posture template validate --strict (all templates together)"
        cat "$tmp/err"
        fail=1
    fi
else
    echo "note: 'posture template validate' not available yet; ran the Python checks only"
fi
exit $fail
