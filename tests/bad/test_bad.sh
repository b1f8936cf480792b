#!/usr/bin/env bash
# The bad-input catalogue: every input of tests/bad/catalogue.txt gives its exact exit code and
# standard error (driver: tests/bad/catalogue.py; UPDATE_CATALOGUE=1 rewrites the expectations).
set -eu
: "${POSTURE:?run through ctest}" "${SRC:?run through ctest}"
exec python3 "$SRC/tests/bad/catalogue.py"
