#!/usr/bin/env bash
# Bad workbooks: each a clear error with its place, exit 1 (answers-format.md, issue 8).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/answers_lib.sh"
W="$SRC/tests/fixtures/worked.json"
export SOURCE_DATE_EPOCH=1763632800
STATUSES="not_assessed, in_progress, passed, failed_low, failed_medium, failed_high, out_of_scope"

# not a zip
printf 'action,test\nact.a,passed\n' >"$TMP/notzip.xlsx"
run answers validate --template "$W" "$TMP/notzip.xlsx"
expect_rc 1
expect_stderr "posture: $TMP/notzip.xlsx: not an xlsx workbook (not a zip archive)"
run score --template "$W" --answers "$TMP/notzip.xlsx"
expect_rc 1
expect_stderr "posture: $TMP/notzip.xlsx: not an xlsx workbook (not a zip archive)"
printf '\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 an .xls file' >"$TMP/old.xlsx"
run answers validate --template "$W" "$TMP/old.xlsx"
expect_rc 1
expect_stderr "posture: $TMP/old.xlsx: not an xlsx workbook (an old .xls file or a password-protected workbook)
hint: save it as an .xlsx workbook without a password"

# a blank sheet to spoil: unzip, edit one part, zip again (python's zipfile, any python3)
run answers init --template "$W" -o "$TMP/blank.xlsx"
# spoil OUT PART CODE: OUT is blank.xlsx with PART's text `s` changed by the python CODE
spoil() {
  python3 - "$TMP/blank.xlsx" "$1" "$2" "$3" <<'PY'
import re, sys, zipfile
src, out, part, code = sys.argv[1:5]
with zipfile.ZipFile(src) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
    for item in zin.infolist():
        data = zin.read(item.filename)
        if item.filename == part:
            s = data.decode()
            exec(code)
            data = s.encode()
        zout.writestr(item.filename, data)
PY
}
SHEET=xl/worksheets/sheet2.xml

# a zip without the answers sheet
spoil "$TMP/nosheet.xlsx" xl/workbook.xml 's = s.replace("name=\"Improvement actions\"", "name=\"Actions\"")'
run answers validate --template "$W" "$TMP/nosheet.xlsx"
expect_rc 1
expect_stderr "posture: $TMP/nosheet.xlsx: no sheet \"Improvement actions\"
hint: answers are read from the \"Improvement actions\" sheet; this workbook has: Instructions, Actions, Controls, About"

# a status typed wrongly, a date in text form, duplicate action rows
spoil "$TMP/typed.xlsx" "$SHEET" '
s = re.sub(r"(<c r=\"I3\"[^>]*><is><t>)Not assessed", r"\1Done", s)
s = s.replace("<c r=\"N2\"", "<c r=\"J2\" t=\"inlineStr\"><is><t>1 Nov 2026</t></is></c><c r=\"N2\"", 1)
s = s.replace("<t>act.d</t>", "<t>act.a</t>", 1)'
run answers validate --template "$W" "$TMP/typed.xlsx"
expect_rc 1
expect_stderr "posture: $TMP/typed.xlsx: sheet \"Improvement actions\" cell J2: date in text form \"1 Nov 2026\"
hint: enter a date, or text in the form YYYY-MM-DD (e.g. 2026-11-20)
posture: $TMP/typed.xlsx: sheet \"Improvement actions\" cell I3: unknown test status \"Done\"; expected one of: $STATUSES
posture: $TMP/typed.xlsx: sheet \"Improvement actions\" cell A5: action \"act.a\" is answered twice (first at sheet \"Improvement actions\" cell A2)"

# XML with entities: billion laughs and an external entity are refused, nothing expanded
spoil "$TMP/lol.xlsx" "$SHEET" '
s = s.replace("<worksheet", "<!DOCTYPE w [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\"><!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">]><worksheet", 1)
s = s.replace("<t>act.a</t>", "<t>&c;</t>", 1)'
run answers validate --template "$W" "$TMP/lol.xlsx"
expect_rc 1
expect_stderr "posture: $TMP/lol.xlsx: $SHEET: XML with a document type declaration (DTD) is refused: entities could expand without bound or read other files"
spoil "$TMP/xxe.xlsx" xl/workbook.xml '
s = s.replace("<workbook", "<!DOCTYPE w [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><workbook", 1)'
run answers validate --template "$W" "$TMP/xxe.xlsx"
expect_rc 1
expect_stderr "posture: $TMP/xxe.xlsx: xl/workbook.xml: XML with a document type declaration (DTD) is refused: entities could expand without bound or read other files"
spoil "$TMP/broken.xlsx" "$SHEET" 's = s.replace("</sheetData>", "</sheetdata>", 1)'
run answers validate --template "$W" "$TMP/broken.xlsx"
expect_rc 1
CHECKS=$((CHECKS + 1))
grep -qx "posture: $TMP/broken.xlsx: $SHEET:2:[0-9]*: malformed XML: mismatched tag" "$ERR" || fail "malformed XML: $(cat "$ERR")"

# a zip bomb: a part that inflates past the cap (256 MiB) is refused before it is read
python3 - "$TMP/blank.xlsx" "$TMP/bomb.xlsx" "$SHEET" <<'PY'
import sys, zipfile
src, out, part = sys.argv[1:4]
with zipfile.ZipFile(src) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
    for item in zin.infolist():
        if item.filename != part:
            zout.writestr(item.filename, zin.read(item.filename))
    with zout.open(part, "w", force_zip64=True) as f:
        f.write(b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
        block = b" " * (1 << 20)
        for _ in range(257):
            f.write(block)
        f.write(b"</sheetData></worksheet>")
PY
must "the bomb is small" test "$(stat -c %s "$TMP/bomb.xlsx")" -lt 2000000
run answers validate --template "$W" "$TMP/bomb.xlsx"
expect_rc 1
expect_stderr "posture: $TMP/bomb.xlsx: $SHEET: part is larger than 256 MiB uncompressed; refusing it (a zip bomb?)"
finish
