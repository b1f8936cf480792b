#!/usr/bin/env bash
# docs/formats/*.md against the program: status words and labels, points table, credit tables of
# the built-in profiles, the worked example and rounding of scoring.md, the summary's fields (and
# the schema), the examples and messages shown, the workbook's sheets and columns.
. "$(dirname "$0")/../cli/lib.sh"
RC=0; : >"$ERR"
python3 "$SRC/tests/docs/check_formats.py" || RC=$?
expect_rc 0
finish
