#!/usr/bin/env bash
# Reproducible workbooks: two runs under the same SOURCE_DATE_EPOCH give the
# same XML parts (compared unzipped: compressed bytes depend on zlib), equal to
# golden/worked.parts.txt (UPDATE_GOLDEN=1 rewrites it); the created time is
# SOURCE_DATE_EPOCH, and 0 counts as 1 second (libxlsxwriter reads 0 as "now").
. "$(dirname "$0")/lib.sh"
need_openpyxl
write_worked
W=(report --template "$TMP/worked.json" --answers "$TMP/worked-answers.json")

SOURCE_DATE_EPOCH=1763632800 run "${W[@]}" --xlsx "$TMP/a.xlsx"
expect_rc 0
sleep 1  # a clock that leaked into the file would now differ
SOURCE_DATE_EPOCH=1763632800 run "${W[@]}" --xlsx "$TMP/b.xlsx"
expect_rc 0
"$PY" "$HERE/parts.py" "$TMP/a.xlsx" >"$TMP/a.txt"
"$PY" "$HERE/parts.py" "$TMP/b.xlsx" >"$TMP/b.txt"
ok; cmp -s "$TMP/a.txt" "$TMP/b.txt" || { fail "two runs differ"; diff "$TMP/a.txt" "$TMP/b.txt" | head -5 | cut -c1-200; }
ok; grep -qF '<dcterms:created xsi:type="dcterms:W3CDTF">2025-11-20T10:00:00Z</dcterms:created>' "$TMP/a.txt" \
  || fail "created is not SOURCE_DATE_EPOCH"

g="$HERE/golden/worked.parts.txt"
if [ "${UPDATE_GOLDEN:-}" = 1 ]; then mkdir -p "$HERE/golden"; cp "$TMP/a.txt" "$g"; fi
ok; cmp -s "$TMP/a.txt" "$g" || { fail "differs from golden/worked.parts.txt (UPDATE_GOLDEN=1 to accept)"; diff "$g" "$TMP/a.txt" | head -6 | cut -c1-300; }

# another time changes docProps/core.xml and nothing else
SOURCE_DATE_EPOCH=1763632801 run "${W[@]}" --xlsx "$TMP/c.xlsx"
"$PY" "$HERE/parts.py" "$TMP/c.xlsx" >"$TMP/c.txt"
ok; [ "$(diff "$TMP/a.txt" "$TMP/c.txt" | grep -c '^[<>]')" = 2 ] || fail "more than the created time differs"
ok; grep -qF '2025-11-20T10:00:01Z</dcterms:created>' "$TMP/c.txt" || fail "created is not 10:00:01"

# 0 counts as 1
SOURCE_DATE_EPOCH=0 run "${W[@]}" --xlsx "$TMP/z.xlsx"
expect_rc 0
"$PY" "$HERE/parts.py" "$TMP/z.xlsx" >"$TMP/z.txt"
ok; grep -qF '<dcterms:created xsi:type="dcterms:W3CDTF">1970-01-01T00:00:01Z</dcterms:created>' "$TMP/z.txt" \
  || fail "SOURCE_DATE_EPOCH=0 is not 1970-01-01T00:00:01Z"

# examples/workbook/posture-example.xlsx is the current output for the bundled example
# (regenerate with examples/workbook/make-example.sh)
SOURCE_DATE_EPOCH=1795176000 run report --template "$EX_T" --answers "$EX_A" --xlsx "$TMP/example.xlsx"
expect_rc 0
"$PY" "$HERE/parts.py" "$TMP/example.xlsx" >"$TMP/example.txt"
"$PY" "$HERE/parts.py" "$SRC/examples/workbook/posture-example.xlsx" >"$TMP/committed.txt"
ok; cmp -s "$TMP/example.txt" "$TMP/committed.txt" \
  || fail "examples/workbook/posture-example.xlsx is stale: run examples/workbook/make-example.sh"

finish
