#!/usr/bin/env python3
"""bench/pyxlsx.py - the Python alternatives to the workbook: the same cells as
bench/xlsx_floor.c (and as `posture report --xlsx`: the sheets Families,
Controls and Improvement actions) written with openpyxl in write-only mode or
with XlsxWriter in constant_memory mode.

usage: pyxlsx.py openpyxl|xlsxwriter SUMMARY.json TEMPLATE.json OUT.xlsx

The summary and template are read and turned into rows first, untimed; the
CPU time of writing the workbook is printed as
    phase py_<lib> median_ms <m> min_ms <m>
(one repetition: hyperfine repeats the whole process).
"""

import datetime
import json
import sys
import time

IMPL = {"not_implemented": "Not implemented", "planned": "Planned",
        "partially_implemented": "Partially implemented", "implemented": "Implemented",
        "alternative": "Alternative implementation", "out_of_scope": "Out of scope"}
TEST = {"not_assessed": "Not assessed", "in_progress": "In progress", "passed": "Passed",
        "failed_low": "Failed (low risk)", "failed_medium": "Failed (medium risk)",
        "failed_high": "Failed (high risk)", "out_of_scope": "Out of scope"}
CSTATUS = {"passed": "Passed", "failed": "Failed", "in_progress": "In progress",
           "not_assessed": "Not assessed", "out_of_scope": "Out of scope"}

# cell kinds: (value, fmt) with fmt in txt, wrap, num, pct, date; None = empty
TXT, WRAP, NUM, PCT, DATE = range(5)


def s(v, fmt=TXT):
    return (v, fmt) if v else None


def n(v, fmt=NUM):
    return (v, fmt) if v is not None else None


def date(v):
    if not v:
        return None
    try:
        return (datetime.date.fromisoformat(v), DATE)
    except ValueError:
        return (v, TXT)


def tables(summary, template):
    fams = [["Family", "Title", "Achieved", "Possible", "Score %", "Passed", "Failed",
             "In progress", "Not assessed", "Out of scope"]]
    for f in summary["families"]:
        c = f["controls"]
        fams.append([s(f["id"]), s(f["title"], WRAP), n(f["score"]["achieved"]),
                     n(f["score"]["possible"]), n(f["score"]["percent"], PCT)]
                    + [n(c[k]) for k in ("passed", "failed", "in_progress", "not_assessed",
                                         "out_of_scope")])

    fw, maps = [], []
    for f in template["families"]:
        for c in f["controls"]:
            m = c.get("mappings", {})
            maps.append(m)
            for k in m:
                if k not in fw:
                    fw.append(k)
    ctls = [["Family", "Control", "Title", "Status", "Achieved", "Possible", "Score %",
             "Actions", "Applicable", "Justification"] + fw]
    for c, m in zip(summary["controls"], maps):
        ctls.append([s(c["family"]), s(c["id"]), s(c["title"], WRAP), s(CSTATUS[c["status"]]),
                     n(c["score"]["achieved"]), n(c["score"]["possible"]),
                     n(c["score"]["percent"], PCT), s(", ".join(c["actions"]), WRAP),
                     s("Yes" if c["applicable"] else "No"), s(c["justification"], WRAP)]
                    + [s(", ".join(m.get(k, [])), WRAP) for k in fw])

    acts = [["Action", "Title", "Type", "Enforcement", "Implementation type", "Owner", "Points",
             "Implementation", "Test", "Tested on", "Assigned to", "Achieved", "Gain",
             "Controls", "Notes", "Evidence"]]
    for a in summary["actions"]:
        gain = a["points"] * (1 - a["credit"]) if a["status"] != "out_of_scope" else None
        acts.append([s(a["id"]), s(a["title"], WRAP), s(a["type"]), s(a["enforcement"]),
                     s(a["implementation_type"]), s(a["owner"]), n(a["points"]),
                     s(IMPL[a["implementation"]]), s(TEST[a["test"]]), date(a["tested_at"]),
                     s(a["assigned_to"]), n(a["achieved"]), n(gain),
                     s(", ".join(a["controls"]), WRAP), s(a["notes"], WRAP),
                     s("\n".join(a["evidence"]), WRAP)])
    return [("Families", fams), ("Controls", ctls), ("Improvement actions", acts)]


def write_openpyxl(out, tabs):
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font

    wb = Workbook(write_only=True)
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    for name, rows in tabs:
        ws = wb.create_sheet(name)
        ws.freeze_panes = "A2"
        hdr = []
        for h in rows[0]:
            c = WriteOnlyCell(ws, value=h)
            c.font = bold
            hdr.append(c)
        ws.append(hdr)
        for row in rows[1:]:
            out_row = []
            for x in row:
                if x is None:
                    out_row.append(None)
                elif x[1] == WRAP:
                    c = WriteOnlyCell(ws, value=x[0])
                    c.alignment = wrap
                    out_row.append(c)
                elif x[1] == PCT:
                    c = WriteOnlyCell(ws, value=x[0])
                    c.number_format = "0.00"
                    out_row.append(c)
                else:
                    out_row.append(x[0])
            ws.append(out_row)
        ws.auto_filter.ref = f"A1:{_col(len(rows[0]) - 1)}{len(rows)}"
    wb.save(out)


def _col(i):
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


def write_xlsxwriter(out, tabs):
    import xlsxwriter

    wb = xlsxwriter.Workbook(out, {"constant_memory": True})
    fmt = {TXT: wb.add_format({"valign": "top"}),
           WRAP: wb.add_format({"valign": "top", "text_wrap": True}),
           NUM: wb.add_format({"valign": "top"}),
           PCT: wb.add_format({"valign": "top", "num_format": "0.00"}),
           DATE: wb.add_format({"valign": "top", "num_format": "yyyy-mm-dd"})}
    hdr = wb.add_format({"bold": True, "bg_color": "#DDEBF7", "bottom": 1})
    for name, rows in tabs:
        ws = wb.add_worksheet(name)
        for c, h in enumerate(rows[0]):
            ws.write_string(0, c, h, hdr)
        for r, row in enumerate(rows[1:], 1):
            for c, x in enumerate(row):
                if x is None:
                    continue
                v, f = x
                if f == DATE:
                    ws.write_datetime(r, c, v, fmt[f])
                elif isinstance(v, str):
                    ws.write_string(r, c, v, fmt[f])
                else:
                    ws.write_number(r, c, v, fmt[f])
        ws.freeze_panes(1, 0)
        ws.autofilter(0, 0, len(rows) - 1, len(rows[0]) - 1)
    wb.close()


def main():
    if len(sys.argv) != 5 or sys.argv[1] not in ("openpyxl", "xlsxwriter"):
        sys.exit(__doc__.split("\n\n")[1])
    lib, summary, template, out = sys.argv[1:]
    with open(summary, encoding="utf-8") as f:
        summary = json.load(f)
    with open(template, encoding="utf-8") as f:
        template = json.load(f)
    tabs = tables(summary, template)
    start = time.process_time()
    (write_openpyxl if lib == "openpyxl" else write_xlsxwriter)(out, tabs)
    ms = (time.process_time() - start) * 1e3
    print(f"phase py_{lib} median_ms {ms:.3f} min_ms {ms:.3f}")


if __name__ == "__main__":
    main()
