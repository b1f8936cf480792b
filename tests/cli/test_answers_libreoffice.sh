#!/usr/bin/env bash
# Workbooks saved by LibreOffice (headless) read back to the same answers. LibreOffice writes
# shared strings, its own styles and date formats, and escapes a literal _xHHHH_ itself.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/answers_lib.sh"
SOFFICE=$(command -v soffice || command -v libreoffice || true)
[ -n "$SOFFICE" ] || { echo "skipped: LibreOffice (soffice) is not installed"; exit 77; }
W="$SRC/tests/fixtures/worked.json"
EX="$SRC/assessments/saas-baseline.template.json"
EA="$SRC/assessments/northwind-2026.answers.json"
export SOURCE_DATE_EPOCH=1763632800

# resave IN.xlsx: LibreOffice opens our workbook and writes its own xlsx into $TMP/lo/
resave() {
  HOME="$TMP/home" "$SOFFICE" --headless --norestore --nolockcheck \
    --convert-to 'xlsx:Calc MS Excel 2007 XML' --outdir "$TMP/lo" "$1" >"$TMP/soffice.log" 2>&1
  must "LibreOffice wrote $(basename "$1")" test -s "$TMP/lo/$(basename "$1")"
}
mkdir -p "$TMP/home" "$TMP/lo"

# the bundled assessment
run answers convert "$EA" -o "$TMP/n.json" --template "$EX"
run answers convert "$TMP/n.json" -o "$TMP/n.xlsx" --template "$EX"
expect_rc 0
resave "$TMP/n.xlsx"
must "LibreOffice uses shared strings" python3 -c \
  'import sys, zipfile; sys.exit("xl/sharedStrings.xml" not in zipfile.ZipFile(sys.argv[1]).namelist())' "$TMP/lo/n.xlsx"
run answers convert "$TMP/lo/n.xlsx" -o "$TMP/n-back.json" --template "$EX"
expect_rc 0
same "$TMP/n.json" "$TMP/n-back.json" "saved by LibreOffice"

# text that trips spreadsheets (LibreOffice keeps all of it but a CR, which it drops)
cat >"$TMP/tricky-in.json" <<'J'
{"format": "posture-answers/1", "template": "worked-example", "template_version": "1.0.0",
 "assessment": {"name": "Tricky \"one\"", "organization": "Zoë & Co <ltd>", "scope": " padded ",
                "group": "g1", "assessed_at": "1900-01-01"},
 "controls": [{"control": "C3", "applicable": false, "justification": "=not a formula"}],
 "answers": [
  {"action": "act.a", "implementation": "partially_implemented", "test": "failed_medium",
   "tested_at": "1899-12-31", "assigned_to": "'@me",
   "notes": "tab\there, LF\nline, emoji 😀 𝄞, literal _x0041_ and _x005F_, ]]> &amp;",
   "evidence": ["=HYPERLINK(\"x\")", " spaced ", "日本語"]},
  {"action": "act.b", "implementation": "planned", "test": "in_progress", "tested_at": "9999-12-31",
   "notes": "  leading and trailing  "},
  {"action": "act.c", "tested_at": "1900-03-01", "assigned_to": "1.5E+20", "notes": "TRUE",
   "evidence": ["#N/A"]}]}
J
run answers convert "$TMP/tricky-in.json" -o "$TMP/tricky.json" --template "$W"
run answers convert "$TMP/tricky.json" -o "$TMP/tricky.xlsx" --template "$W"
expect_rc 0
resave "$TMP/tricky.xlsx"
run answers convert "$TMP/lo/tricky.xlsx" -o "$TMP/tricky-back.json" --template "$W"
expect_rc 0
same "$TMP/tricky.json" "$TMP/tricky-back.json" "tricky text saved by LibreOffice"
finish
