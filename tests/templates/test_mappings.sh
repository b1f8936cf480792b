#!/usr/bin/env bash
# Mapping collections (templates/mappings/*.json): the checker's self-test, then every file
# against NIST's OSCAL 1.2.1 mapping schema and the template versions it names
# (tests/templates/check_mappings.py). The unmapped-controls report is printed, not judged.
set -u
: "${SRC:?SRC (source root) must be set}"
fail=0
if ! python3 -c 'import jsonschema' 2>/dev/null; then
    echo "python3-jsonschema is missing (.ci/deps)"
    exit 1
fi
python3 "$SRC/tests/templates/check_mappings.py" --self-test || fail=1
python3 "$SRC/tests/templates/check_mappings.py" "$SRC" || fail=1
exit $fail
