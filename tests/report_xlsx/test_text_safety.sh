#!/usr/bin/env bash
# Text from templates and answers is always a string cell: formula-like text
# (=, +, -, @) stays text; control characters XML cannot hold become U+FFFD;
# CR LF becomes LF; text over 32,767 UTF-16 code units is cut with a marker
# and one warning per cell on stderr, naming the cell and the action or control.
. "$(dirname "$0")/lib.sh"
need_openpyxl

cat >"$TMP/t.json" <<'J'
{"format": "posture-template/1", "id": "evil", "version": "1.0.0", "title": "=1+1",
 "families": [{"id": "F1", "title": "@x", "controls": [
   {"id": "C1", "title": "+x", "actions": ["act.a", "act.b"], "mappings": {"fw": ["=A1", "-1"]}},
   {"id": "C2", "title": "Plain", "actions": ["act.c"]}]}],
 "actions": [
  {"id": "act.a", "title": "-x", "type": "preventive", "enforcement": "mandatory",
   "implementation_type": "technical", "owner": "customer"},
  {"id": "act.b", "title": "=HYPERLINK(\"http://evil.example\",\"click\")", "type": "detective",
   "enforcement": "mandatory", "implementation_type": "technical", "owner": "customer"},
  {"id": "act.c", "title": "@SUM(1)", "type": "corrective", "enforcement": "discretionary",
   "implementation_type": "operational", "owner": "customer"}]}
J
"$PY" - "$TMP/a.json" <<'P'
import json, sys
long = "a" * 40000
emoji = "\U0001F600" * 20000          # 40000 UTF-16 code units
json.dump({"format": "posture-answers/1", "template": "evil",
  "assessment": {"name": "+name", "organization": "=org", "scope": "-scope", "group": "@g"},
  "controls": [{"control": "C2", "applicable": False, "justification": emoji}],
  "answers": [
    {"action": "act.a", "notes": "=SUM(A1:A2)", "assigned_to": "@evil",
     "evidence": ["=cmd|' /C calc'!A0", "+1"]},
    {"action": "act.b", "notes": "tab\there\u0001bell\u001fus\r\nwin\rmac\u007fdel\ufffeX"},
    {"action": "act.c", "notes": long}]}, open(sys.argv[1], "w"))
P

SOURCE_DATE_EPOCH=1763632800 run report --template "$TMP/t.json" --answers "$TMP/a.json" --xlsx "$TMP/w.xlsx" --json "$TMP/s.json"
expect_rc 0
expect_stderr "posture: $TMP/w.xlsx: sheet \"Controls\" cell J3: warning: Justification of control \"C2\" cut to Excel's cell limit of 32767 characters
posture: $TMP/w.xlsx: sheet \"Improvement actions\" cell O4: warning: Notes of action \"act.c\" cut to Excel's cell limit of 32767 characters"
expect_files "$TMP" "a.json s.json stderr stdout t.json w.xlsx"
check_py "$HERE/check_workbook.py" "$TMP/w.xlsx" "$TMP/s.json" "$TMP/t.json"

cat >"$TMP/text.py" <<'P'
import sys, warnings
warnings.simplefilter("ignore")
import openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
fails = []
def cell(sheet, ref, want):
    c = wb[sheet][ref]
    if c.value != want or c.data_type != "s":
        fails.append(f"{sheet}!{ref}: {c.value!r:.80} ({c.data_type}), want {want!r:.80} (s)")
def units(s): return len(s.encode("utf-16-le")) // 2
marker = " [\u2026 cut at Excel's cell limit of 32767 characters]"
cell("Summary", "A1", "=1+1")
cell("Summary", "B4", "=org"); cell("Summary", "B5", "+name"); cell("Summary", "B6", "-scope")
cell("Families", "B2", "@x")
cell("Controls", "C2", "+x"); cell("Controls", "K2", "=A1, -1")
cell("Improvement actions", "B2", "-x")
cell("Improvement actions", "B3", '=HYPERLINK("http://evil.example","click")')
cell("Improvement actions", "B4", "@SUM(1)")
cell("Improvement actions", "K2", "@evil")
cell("Improvement actions", "O2", "=SUM(A1:A2)")
cell("Improvement actions", "P2", "=cmd|' /C calc'!A0\n+1")
cell("Improvement actions", "O3", "tab\there\ufffdbell\ufffdus\nwin\nmac\x7fdel\ufffdX")
cell("About", "B3", "+name"); cell("About", "B4", "=org"); cell("About", "B6", "@g")
# cut text: 32,767 code units at most, the marker at the end, nothing split
m = units(marker)
cell("Improvement actions", "O4", "a" * (32767 - m) + marker)
j = wb["Controls"]["J3"].value
keep = (32767 - m) // 2
if j != "\U0001F600" * keep + marker or units(j) > 32767:
    fails.append(f"Controls!J3: {units(j)} units, want {2 * keep + m}")
for f in fails: print("FAIL:", f)
sys.exit(1 if fails else 0)
P
check_py "$TMP/text.py" "$TMP/w.xlsx"

finish
