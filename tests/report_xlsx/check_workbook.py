"""Check a posture workbook against the JSON summary and the template it came from.

usage: check_workbook.py WORKBOOK SUMMARY_JSON TEMPLATE_JSON [ANSWERS_JSON]

Prints one line per failed check and exits 1 when any failed; prints the
number of checks and exits 0 otherwise. Reads the workbook with openpyxl and
its raw XML parts with zipfile (charts, which openpyxl does not load).
"""
import datetime
import html
import json
import re
import sys
import warnings
import zipfile

warnings.simplefilter("ignore")  # openpyxl: "extension is not supported" (data bars)
import openpyxl  # noqa: E402

FAILS = []
CHECKS = [0]


def check(cond, what):
    CHECKS[0] += 1
    if not cond:
        FAILS.append(what)


def short(v):
    r = repr(v)
    return r if len(r) <= 300 else r[:300] + "..."


def eq(got, want, what):
    check(got == want, f"{what}: got {short(got)}, want {short(want)}")


MARKER = " [\u2026 cut at Excel's cell limit of 32767 characters]"


def units(s):
    return len(s.encode("utf-16-le")) // 2


def cell_text(s):
    """What the workbook holds for text s (docs/workbook.md, "Text"): control
    characters XML cannot hold become U+FFFD, CR LF and CR become LF, text over
    32,767 UTF-16 code units is cut with a marker."""
    if s is None or s == "":
        return None
    s = s.replace("\r\n", "\n").replace("\r", "\n")
    s = "".join("\ufffd" if (ord(ch) < 32 and ch not in "\t\n") or ch in "\ufffe\uffff" else ch
                for ch in s)
    if units(s) <= 32767:
        return s
    out, n, room = [], 0, 32767 - units(MARKER)
    for ch in s:
        u = units(ch)
        if n + u > room:
            break
        out.append(ch)
        n += u
    return "".join(out) + MARKER


def rng(c, first, last):
    return f"{c}{first}" if first == last else f"{c}{first}:{c}{last}"


IMPL = ["Not implemented", "Planned", "Partially implemented", "Implemented",
        "Alternative implementation", "Out of scope"]
IMPL_TOKENS = ["not_implemented", "planned", "partially_implemented", "implemented",
               "alternative", "out_of_scope"]
TEST = ["Not assessed", "In progress", "Passed", "Failed (low risk)", "Failed (medium risk)",
        "Failed (high risk)", "Out of scope"]
TEST_TOKENS = ["not_assessed", "in_progress", "passed", "failed_low", "failed_medium",
               "failed_high", "out_of_scope"]
CSTATUS = {"passed": "Passed", "failed": "Failed", "in_progress": "In progress",
           "not_assessed": "Not assessed", "out_of_scope": "Out of scope"}
CSTATUS_ORDER = ["passed", "failed", "in_progress", "not_assessed", "out_of_scope"]
ASTATUS_ORDER = ["passed", "failed", "partial", "in_progress", "not_assessed", "out_of_scope"]
ASTATUS = dict(CSTATUS, partial="Partial")


def col(n):
    s = ""
    while n:
        n, r = divmod(n - 1, 26)
        s = chr(65 + r) + s
    return s


def values(ws, row):
    return [c.value for c in ws[row]]


def date_of(s):
    return datetime.datetime.strptime(s, "%Y-%m-%d") if s else None


def table_checks(ws, headers, nrows, widths_from=None):
    """Header row, bold, frozen, autofilter, widths, one row per item."""
    ncols = len(headers)
    eq(values(ws, 1)[:ncols], headers, f"{ws.title}: headers")
    eq(ws.max_column, ncols, f"{ws.title}: number of columns")
    eq(ws.max_row, nrows + 1, f"{ws.title}: rows (header + one per item)")
    for c in range(1, ncols + 1):
        check(ws.cell(1, c).font.b, f"{ws.title}: header {col(c)}1 is bold")
    eq(ws.freeze_panes, "A2", f"{ws.title}: frozen header")
    eq(ws.auto_filter.ref, f"A1:{col(ncols)}{nrows + 1}", f"{ws.title}: autofilter")
    for c in range(1, ncols + 1):
        w = ws.column_dimensions[col(c)].width
        check(w is not None and w >= min(len(headers[c - 1]), 24),
              f"{ws.title}: column {col(c)} width {w} fits its header {headers[c - 1]!r}")


def main():
    path, summary_path, template_path = sys.argv[1:4]
    answers_path = sys.argv[4] if len(sys.argv) > 4 else None
    summary = json.load(open(summary_path, encoding="utf-8"))
    template = json.load(open(template_path, encoding="utf-8"))
    answers = json.load(open(answers_path, encoding="utf-8")) if answers_path else None
    wb = openpyxl.load_workbook(path)
    eq(wb.sheetnames, ["Summary", "Families", "Controls", "Improvement actions", "About"],
       "sheet names and order")

    # the template: frameworks in order of first use, controls of each action
    frameworks, controls_of, tcontrols = [], {}, {}
    for fam in template["families"]:
        for c in fam["controls"]:
            tcontrols[c["id"]] = c
            for fw in c.get("mappings", {}):
                if fw not in frameworks:
                    frameworks.append(fw)
            for a in c["actions"]:
                controls_of.setdefault(a, []).append(c["id"])
    tactions = {a["id"]: a for a in template["actions"]}

    # ---- Families
    ws = wb["Families"]
    fams = summary["families"]
    table_checks(ws, ["Family", "Title", "Achieved", "Possible", "Score %", "Passed", "Failed",
                      "In progress", "Not assessed", "Out of scope"], len(fams))
    for i, f in enumerate(fams):
        r = i + 2
        row = values(ws, r)
        want = [f["id"], cell_text(f["title"]), f["score"]["achieved"], f["score"]["possible"],
                f["score"]["percent"]] + [f["controls"][s] for s in CSTATUS_ORDER]
        eq(row, want, f"Families row {r}")
        if f["score"]["percent"] is not None:
            eq(ws.cell(r, 5).number_format, "0.00", f"Families E{r} format")
            eq(ws.cell(r, 5).data_type, "n", f"Families E{r} is a number")
        check(ws.cell(r, 2).alignment.wrap_text, f"Families B{r} wraps")
    rules = [(str(rng.sqref), rule.type) for rng in ws.conditional_formatting for rule in rng.rules]
    eq(rules, [(rng("E", 2, len(fams) + 1), "dataBar")], "Families: data bar on Score %")

    # ---- Controls
    ws = wb["Controls"]
    ctls = summary["controls"]
    table_checks(ws, ["Family", "Control", "Title", "Status", "Achieved", "Possible", "Score %",
                      "Actions", "Applicable", "Justification"] + frameworks, len(ctls))
    for i, c in enumerate(ctls):
        r = i + 2
        row = values(ws, r)
        maps = tcontrols[c["id"]].get("mappings", {})
        want = [c["family"], c["id"], cell_text(c["title"]), CSTATUS[c["status"]],
                c["score"]["achieved"], c["score"]["possible"], c["score"]["percent"],
                ", ".join(c["actions"]), "Yes" if c["applicable"] else "No",
                cell_text(c["justification"])]
        want += [cell_text(", ".join(maps[fw])) if fw in maps else None for fw in frameworks]
        eq(row, want, f"Controls row {r}")
        if c["score"]["percent"] is not None:
            eq(ws.cell(r, 7).number_format, "0.00", f"Controls G{r} format")
    n = len(ctls)
    cf = sorted((str(rng.sqref), rule.type, rule.operator, tuple(rule.formula),
                 rule.dxf.fill.bgColor.rgb if rule.dxf and rule.dxf.fill else None)
                for rng in ws.conditional_formatting for rule in rng.rules)
    d = rng("D", 2, n + 1)
    eq(cf, sorted([(d, "cellIs", "equal", ('"Passed"',), "FFC6EFCE"),
                   (d, "cellIs", "equal", ('"Failed"',), "FFFFC7CE"),
                   (d, "cellIs", "equal", ('"In progress"',), "FFFFEB9C"),
                   (d, "cellIs", "equal", ('"Not assessed"',), "FFD9D9D9")]),
       "Controls: status colours")
    dv = [(d.type, str(d.sqref), d.formula1) for d in ws.data_validations.dataValidation]
    eq(dv, [("list", rng("I", 2, n + 1), '"Yes,No"')], "Controls: validation of Applicable")

    # ---- Improvement actions
    ws = wb["Improvement actions"]
    acts = summary["actions"]
    gains = {g["id"]: g["gain"] for g in summary["improvement_actions"]}
    table_checks(ws, ["Action", "Title", "Type", "Enforcement", "Implementation type", "Owner",
                      "Points", "Implementation", "Test", "Tested on", "Assigned to", "Achieved",
                      "Gain", "Controls", "Notes", "Evidence"], len(acts))
    eq([a["id"] for a in acts], [a["id"] for a in template["actions"]], "actions in template order")
    for i, a in enumerate(acts):
        r = i + 2
        row = values(ws, r)
        gain = gains.get(a["id"], 0 if a["status"] != "out_of_scope" else None)
        want = [a["id"], cell_text(a["title"]), a["type"], a["enforcement"],
                a["implementation_type"], a["owner"], a["points"],
                IMPL[IMPL_TOKENS.index(a["implementation"])], TEST[TEST_TOKENS.index(a["test"])],
                date_of(a["tested_at"]), cell_text(a["assigned_to"]), a["achieved"], gain,
                ", ".join(controls_of[a["id"]]), cell_text(a["notes"]),
                cell_text("\n".join(a["evidence"]))]
        eq(row, want, f"Improvement actions row {r}")
        if a["tested_at"]:
            eq(ws.cell(r, 10).number_format, "yyyy-mm-dd", f"Improvement actions J{r} format")
            eq(ws.cell(r, 10).data_type, "d", f"Improvement actions J{r} is a date")
        eq(tactions[a["id"]]["title"], a["title"], f"title of {a['id']}")
    n = len(acts)
    dv = sorted((d.type, str(d.sqref), d.formula1, d.formula2, d.operator)
                for d in ws.data_validations.dataValidation)
    eq(dv, sorted([("list", rng("H", 2, n + 1), '"' + ",".join(IMPL) + '"', None, None),
                   ("list", rng("I", 2, n + 1), '"' + ",".join(TEST) + '"', None, None),
                   ("date", rng("J", 2, n + 1), "1", "2958465", None)]),  # None: "between"
       "Improvement actions: validations")

    # ---- Summary
    ws = wb["Summary"]
    t, asmt, score = summary["template"], summary["assessment"], summary["score"]
    eq(ws["A1"].value, cell_text(t["title"]), "Summary title")
    eq([ws.cell(r, 1).value for r in range(4, 10)],
       ["Organization", "Assessment", "Scope", "Assessed", "Generator", "Profile"],
       "Summary labels")
    eq([ws.cell(r, 2).value for r in range(4, 10)],
       [cell_text(asmt["organization"]), cell_text(asmt["name"]), cell_text(asmt["scope"]),
        date_of(asmt["assessed_at"]),
        f"posture {summary['generator']['version']}", summary["profile"]], "Summary values")
    eq(ws["A12"].value, score["percent"] if score["percent"] is not None
       else "n/a (nothing in scope)", "Summary score")
    if score["percent"] is not None:
        eq(ws["A12"].number_format, '0.00"%"', "Summary score format")
    eq([ws["B13"].value, ws["B14"].value], [score["achieved"], score["possible"]],
       "Summary points")
    cc, ac = summary["counts"]["controls"], summary["counts"]["actions"]
    eq([[ws.cell(17 + i, 1).value, ws.cell(17 + i, 2).value] for i in range(6)],
       [[CSTATUS[s], cc[s]] for s in CSTATUS_ORDER] + [["Total", cc["total"]]],
       "Summary control counts")
    eq([[ws.cell(17 + i, 4).value, ws.cell(17 + i, 5).value] for i in range(7)],
       [[ASTATUS[s], ac[s]] for s in ASTATUS_ORDER] + [["Total", ac["total"]]],
       "Summary action counts")
    eq(values(ws, 26)[:5], ["Action", "Title", "Gain", "Gain %", "Risk"], "Summary top header")
    top = summary["improvement_actions"][:10]
    got = [values(ws, 27 + i)[:5] for i in range(max(len(top), 1))]
    want = [[g["id"], cell_text(g["title"]), g["gain"], g["gain_percent"],
             g["risk"].capitalize() if g["risk"] else None] for g in top]
    if not top:
        want = [["None: every counted action has full credit.", None, None, None, None]]
    eq(got, want, "Summary top 10")
    eq(ws.max_row, 26 + max(len(top), 1), "Summary: nothing after the top 10")

    # ---- About
    ws = wb["About"]
    keys = ["Template", "Template version", "Assessment", "Organization", "Scope", "Group",
            "Assessed at", "Profile", "Generator", "Format"]
    eq([ws.cell(r, 1).value for r in range(1, 11)], keys, "About keys")
    eq([ws.cell(r, 2).value for r in range(1, 11)],
       [t["id"], t["version"], cell_text(asmt["name"]), cell_text(asmt["organization"]),
        cell_text(asmt["scope"]), cell_text(asmt["group"]),
        date_of(asmt["assessed_at"]), summary["profile"],
        f"posture {summary['generator']['version']}", "posture-workbook/1"], "About values")
    about = [c for row in ws.iter_rows(values_only=True) for c in row if c is not None]
    for must in ["Points", "Credit rules", "How the score is computed", "Mandatory",
                 "Discretionary"]:
        check(must in about, f"About mentions {must!r}")

    # ---- every string cell is a string, never a formula
    z = zipfile.ZipFile(path)
    for name in z.namelist():
        if name.startswith("xl/worksheets/sheet"):
            xml = z.read(name).decode("utf-8")
            check("<f>" not in xml and "<f " not in xml, f"{name}: no formulas")
    charts = {n: z.read(n).decode() for n in z.namelist() if n.startswith("xl/charts/chart")}
    nfam = len(fams)
    eq(len(charts), 2 if nfam else 1, "two charts")
    bar = charts.get("xl/charts/chart1.xml", "")
    check("<c:barChart>" in bar and '<c:barDir val="bar"/>' in bar, "chart 1 is a bar chart")
    check(f"<c:f>Families!$E$2:$E${nfam + 1}</c:f>" in bar, "bar chart plots Families Score %")
    pie = charts.get("xl/charts/chart2.xml", "")
    check("<c:doughnutChart>" in pie, "chart 2 is a doughnut")
    check("<c:f>Summary!$B$17:$B$21</c:f>" in pie, "doughnut plots the control counts")
    core = z.read("docProps/core.xml").decode()
    m = re.search(r"<dc:title>(.*?)</dc:title>", core)
    eq(m and html.unescape(m.group(1)), cell_text(t["title"]), "title property")
    m = re.search(r"<dc:creator>(.*?)</dc:creator>", core)
    eq(html.unescape(m.group(1)) or None if m else None, cell_text(asmt["organization"]),
       "author property")
    gen = summary["generated_at"]
    check(f'<dcterms:created xsi:type="dcterms:W3CDTF">{gen}</dcterms:created>' in core,
          f"created property is {gen}")

    if answers:
        # read back as answers: the answered fields equal the answers file's
        by_id = {a["id"]: values(wb["Improvement actions"], i + 2) for i, a in enumerate(acts)}
        for ans in answers["answers"]:
            row = by_id[ans["action"]]
            eq(row[10], cell_text(ans.get("assigned_to")), f"{ans['action']}: Assigned to")
            eq(row[14], cell_text(ans.get("notes")), f"{ans['action']}: Notes")
            eq(row[15], cell_text("\n".join(ans.get("evidence", []))),
               f"{ans['action']}: Evidence")

    for f in FAILS:
        print("FAIL:", f)
    print(f"{CHECKS[0] - len(FAILS)} passed, {len(FAILS)} failed")
    return 1 if FAILS else 0


if __name__ == "__main__":
    sys.exit(main())
