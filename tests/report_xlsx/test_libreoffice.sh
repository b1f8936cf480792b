#!/usr/bin/env bash
# LibreOffice opens the workbook: it converts to PDF (the Summary shows the
# score) and to CSV, where every sheet reads as posture wrote it: statuses,
# percents shown with two decimals, dates as YYYY-MM-DD. Skipped without soffice.
. "$(dirname "$0")/lib.sh"
if ! command -v soffice >/dev/null; then
  echo "skipped: soffice not found (apt-get install libreoffice-calc-nogui)"
  exit 77
fi
need_openpyxl
LO=(timeout 300 soffice "-env:UserInstallation=file://$TMP/lo" --headless)

SOURCE_DATE_EPOCH=1763632800 run report --template "$EX_T" --answers "$EX_A" --xlsx "$TMP/example.xlsx" --json "$TMP/example.json"
expect_rc 0

mkdir "$TMP/pdf" "$TMP/csv"
ok; "${LO[@]}" --convert-to pdf --outdir "$TMP/pdf" "$TMP/example.xlsx" >"$TMP/lo.log" 2>&1 || { fail "soffice --convert-to pdf"; cat "$TMP/lo.log"; }
ok; [ "$(head -c 4 "$TMP/pdf/example.pdf" 2>/dev/null)" = "%PDF" ] || fail "no PDF"
if command -v pdftotext >/dev/null; then
  pct=$("$PY" -c 'import json,sys; print("%.2f%%" % json.load(open(sys.argv[1]))["score"]["percent"])' "$TMP/example.json")
  ok; pdftotext -l 1 "$TMP/pdf/example.pdf" - | grep -qxF "$pct" || fail "page 1 of the PDF does not show the score $pct"
fi

# every sheet to CSV, cells as shown
ok; "${LO[@]}" --convert-to 'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,-1' \
  --outdir "$TMP/csv" "$TMP/example.xlsx" >"$TMP/lo.log" 2>&1 || { fail "soffice --convert-to csv"; cat "$TMP/lo.log"; }
cat >"$TMP/lo_csv.py" <<'P'
import csv, json, sys
d, s = sys.argv[1], json.load(open(sys.argv[2]))
def rows(sheet): return list(csv.reader(open(f"{d}/example-{sheet}.csv", encoding="utf-8")))
fails = []
def eq(got, want, what):
    if got != want: fails.append(f"{what}: got {got!r}, want {want!r}")
pct = lambda v: "" if v is None else "%.2f" % v
label = {"passed": "Passed", "failed": "Failed", "in_progress": "In progress",
         "not_assessed": "Not assessed", "out_of_scope": "Out of scope"}
eq([r[0] for r in rows("Summary")[:1]], [s["template"]["title"]], "Summary title")
c = rows("Controls")
eq(len(c) - 1, len(s["controls"]), "Controls rows")
eq([[r[1], r[3], r[6]] for r in c[1:]],
   [[x["id"], label[x["status"]], pct(x["score"]["percent"])] for x in s["controls"]], "Controls")
f = rows("Families")
eq([[r[0], r[4]] for r in f[1:]], [[x["id"], pct(x["score"]["percent"])] for x in s["families"]],
   "Families")
a = rows("Improvement actions")
eq([[r[0], r[9]] for r in a[1:]], [[x["id"], x["tested_at"] or ""] for x in s["actions"]],
   "Tested on")
eq([r[:2] for r in rows("About")[:3]],
   [["Template", s["template"]["id"]], ["Template version", s["template"]["version"]],
    ["Assessment", s["assessment"]["name"]]], "About")
for x in fails: print("FAIL:", x)
sys.exit(1 if fails else 0)
P
check_py "$TMP/lo_csv.py" "$TMP/csv" "$TMP/example.json"

finish
