#!/usr/bin/env bash
# The EU regulation templates (issue 21): each has exactly the expected articles and valid
# mapping references (eu_completeness.py), each shares an action with another template in at
# least 60% of its controls (sharing.py), and each passes `template validate --strict` alone.
set -u
: "${SRC:?SRC (source root) must be set}"
fail=0
python3 "$SRC/tests/templates/eu_completeness.py" --self-test || fail=1
python3 "$SRC/tests/templates/eu_completeness.py" "$SRC" || fail=1
python3 "$SRC/tests/templates/sharing.py" --self-test || fail=1
python3 "$SRC/tests/templates/sharing.py" --check "$SRC" || fail=1
if [ -n "${POSTURE:-}" ]; then
    for t in gdpr-2016-679 nis2-2022-2555 dora-2022-2554; do
        out=$("$POSTURE" --templates "$SRC/templates" template validate --strict \
                "$SRC/templates/$t.json" 2>&1)
        rc=$?
        case "$t" in
            gdpr-2016-679) want="4 families, 60 controls, 67 actions" ;;
            nis2-2022-2555) want="5 families, 27 controls, 75 actions" ;;
            dora-2022-2554) want="7 families, 102 controls, 110 actions" ;;
        esac
        if [ "$rc" -ne 0 ] || [ "$out" != "$SRC/templates/$t.json: valid ($want)" ]; then
            echo "FAIL: template validate --strict $t: exit $rc: $out"
            fail=1
        else
            echo "ok template validate --strict $t: $want"
        fi
    done
fi
exit $fail
