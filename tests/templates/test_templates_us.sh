#!/usr/bin/env bash
# US templates (HIPAA Security Rule, NIST SP 800-171 Rev. 3, CMMC 2.0 Levels 1 and 2):
# the committed files are the output of templates/tools/us_templates.py; their controls are
# exactly the expected sections and requirement ids, HIPAA's required/addressable markings are
# right, at least 60% of each template's controls share an action with another template and
# the mappings name real controls (tests/templates/check_us_templates.py, with its self-test);
# each passes `posture template validate --strict` on its own.
set -u
: "${SRC:?SRC (source root) must be set}"
fail=0

python3 "$SRC/templates/tools/us_templates.py" --check "$SRC" || fail=1
python3 "$SRC/tests/templates/check_us_templates.py" --self-test "$SRC" || fail=1
python3 "$SRC/tests/templates/check_us_templates.py" "$SRC" || fail=1

if [ -n "${POSTURE:-}" ]; then
    for t in hipaa-security-rule nist-sp-800-171-rev3 cmmc-2.0-level-1 cmmc-2.0-level-2; do
        if ! err=$("$POSTURE" --templates "$SRC/templates" template validate --strict \
                "$SRC/templates/$t.json" 2>&1 >/dev/null) || [ -n "$err" ]; then
            echo "FAIL: posture template validate --strict templates/$t.json"
            printf '%s\n' "$err"
            fail=1
        else
            echo "ok posture template validate --strict templates/$t.json"
        fi
    done
fi
exit $fail
