#!/usr/bin/env python3
"""The numbers and rules that docs/formats/*.md state, checked against what posture does.

Run by tests/docs/test_formats.sh with $POSTURE (the built program) and $SRC (the checkout).
Every check prints nothing when it holds and one FAIL line when it does not; exit 1 on any.
"""
import json
import os
import re
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
import zipfile

POSTURE = os.environ["POSTURE"]
SRC = os.environ["SRC"]
DOCS = os.path.join(SRC, "docs", "formats")
TMP = tempfile.mkdtemp(prefix="posture-docs.")
FIXTURES = os.path.join(SRC, "tests", "fixtures")
WORKED = os.path.join(FIXTURES, "worked.json")
WORKED_ANSWERS = os.path.join(FIXTURES, "worked-answers.json")
EXAMPLE = os.path.join(SRC, "assessments", "saas-baseline.template.json")
EXAMPLE_ANSWERS = os.path.join(SRC, "assessments", "northwind-2026.answers.json")

IMPL = ["not_implemented", "planned", "partially_implemented", "implemented", "alternative",
        "out_of_scope"]
TEST = ["not_assessed", "in_progress", "passed", "failed_low", "failed_medium", "failed_high",
        "out_of_scope"]
fails = 0
checks = 0


def check(ok, what):
    global fails, checks
    checks += 1
    if not ok:
        fails += 1
        print("FAIL: " + what)
    return ok


def doc(name):
    with open(os.path.join(DOCS, name), encoding="utf-8") as f:
        return f.read()


def tables(text):
    """Every markdown table: a list of rows, each a list of cell texts (header row first)."""
    out, cur = [], []
    for line in text.splitlines() + [""]:
        if line.startswith("|"):
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if not all(re.fullmatch(r":?-+:?", c) for c in cells):
                cur.append(cells)
        elif cur:
            out.append(cur)
            cur = []
    return out


def table_with(text, header_cell):
    for t in tables(text):
        if header_cell in t[0]:
            return t
    raise SystemExit("no table with a header cell %r" % header_cell)


def code(cell):
    return re.findall(r"`([^`]*)`", cell)


def run(*args, env=None, cwd=None):
    e = dict(os.environ, **(env or {}))
    p = subprocess.run([POSTURE, *args], capture_output=True, text=True, env=e, cwd=cwd)
    return p.returncode, p.stdout, p.stderr


def write(name, obj):
    path = os.path.join(TMP, name)
    with open(path, "w", encoding="utf-8") as f:
        json.dump(obj, f) if not isinstance(obj, str) else f.write(obj)
    return path


def template(tid, actions, controls=None):
    return {"format": "posture-template/1", "id": tid, "version": "1.0.0", "title": tid,
            "families": [{"id": "F", "title": "F", "controls": controls or [
                {"id": "C", "title": "C", "actions": [a["id"] for a in actions]}]}],
            "actions": actions}


def action(aid, typ="preventive", enf="mandatory", points=None):
    a = {"id": aid, "title": aid, "type": typ, "enforcement": enf,
         "implementation_type": "technical", "owner": "customer"}
    if points is not None:
        a["points"] = points
    return a


def answers(tid, ans):
    return {"format": "posture-answers/1", "template": tid, "assessment": {"name": "docs"},
            "answers": ans}


def summary(tpl, ans, *extra, env=None):
    rc, out, err = run("score", "--template", tpl, "--answers", ans, "--json", *extra, env=env)
    if not check(rc == 0, "score %s %s: exit %d: %s" % (tpl, " ".join(extra), rc, err.strip())):
        raise SystemExit(1)
    return json.loads(out)


def xlsx_sheets(path):
    """{sheet name: [[cell text or None, ...] per row]} from the XML parts (no openpyxl needed)."""
    ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
          "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships"}
    z = zipfile.ZipFile(path)
    rels = {r.get("Id"): r.get("Target")
            for r in ET.fromstring(z.read("xl/_rels/workbook.xml.rels"))}
    shared = []
    if "xl/sharedStrings.xml" in z.namelist():
        for si in ET.fromstring(z.read("xl/sharedStrings.xml")).findall("m:si", ns):
            shared.append("".join(t.text or "" for t in si.iter("{%s}t" % ns["m"])))
    out = {}
    for s in ET.fromstring(z.read("xl/workbook.xml")).find("m:sheets", ns):
        sheet = ET.fromstring(z.read("xl/" + rels[s.get("{%s}id" % ns["r"])]))
        rows = []
        for row in sheet.find("m:sheetData", ns):
            cells = {}
            for c in row:
                col = re.match(r"[A-Z]+", c.get("r")).group(0)
                idx = 0
                for ch in col:
                    idx = idx * 26 + ord(ch) - 64
                t, v = c.get("t"), c.find("m:v", ns)
                if t == "s":
                    val = shared[int(v.text)]
                elif t == "inlineStr":
                    val = "".join(x.text or "" for x in c.iter("{%s}t" % ns["m"]))
                else:
                    val = v.text if v is not None else None
                cells[idx - 1] = val
            rows.append([cells.get(i) for i in range(max(cells) + 1)] if cells else [])
        out[s.get("name")] = rows
    return out


# ---------------------------------------------------------------- answers.md: status words
answers_md = doc("answers.md")
vocab = {}
for field, tokens in (("implementation", IMPL), ("test", TEST)):
    section = answers_md.split("(`%s`):" % field, 1)[1]
    rows = tables(section)[0][1:]
    vocab[field] = [(code(r[0])[0], r[1]) for r in rows]
    doc_tokens = [t for t, _ in vocab[field]]
    # the tokens, in the order the program lists them when a value is wrong
    bad = answers("worked-example", [{"action": "act.a", field: "nonsense"}])
    rc, _, err = run("score", "--template", WORKED, "--answers", write("bad.json", bad))
    m = re.search(r"expected one of: (.*)", err)
    check(rc == 1 and m and m.group(1).split(", ") == doc_tokens,
          "answers.md %s tokens %s; posture expects %s" % (field, doc_tokens, m and m.group(1)))
    # every label (any case, blanks around it) reads as its token
    for tok, label in vocab[field]:
        ans = answers("worked-example", [{"action": "act.a", field: "  %s " % label.upper()}])
        rc, _, err = run("answers", "convert", write("label.json", ans), "--template", WORKED,
                         "-o", os.path.join(TMP, "label-out.json"))
        got = None
        if rc == 0:
            with open(os.path.join(TMP, "label-out.json")) as f:
                got = json.load(f)["answers"][0].get(field)
        check(got == tok, "answers.md: %s label %r reads as %r, the doc says %r (%s)"
              % (field, label, got, tok, err.strip()))

# a workbook written by posture holds those labels for those tokens
grid_actions, grid_answers = [], []
for i in IMPL:
    for t in TEST:
        aid = "act.%s.%s" % (i.replace("_", "-"), t.replace("_", "-"))
        grid_actions.append(action(aid, points=50))
        grid_answers.append({"action": aid, "implementation": i, "test": t})
grid = write("grid.json", template("credit-grid", grid_actions))
grid_ans = write("grid-answers.json", answers("credit-grid", grid_answers))
grid_xlsx = os.path.join(TMP, "grid.xlsx")
rc, _, err = run("answers", "convert", grid_ans, "--template", grid, "-o", grid_xlsx)
if check(rc == 0, "answers convert to xlsx: " + err.strip()):
    rows = xlsx_sheets(grid_xlsx)["Improvement actions"]
    head = rows[0]
    labels = {f: dict(vocab[f]) for f in vocab}
    for row, a in zip(rows[1:], grid_answers):
        for field, col in (("implementation", "Implementation"), ("test", "Test")):
            got = row[head.index(col)]
            check(got == labels[field][a[field]], "workbook %s cell of %s: %r, answers.md: %r"
                  % (col, a["action"], got, labels[field][a[field]]))

# ---------------------------------------------------------------- profile.md: points, credit
profile_md = doc("profile.md")
points = table_with(profile_md, "mandatory")
check(points[0] == ["type", "mandatory", "discretionary"], "profile.md points header %s" % points[0])
pts_actions, want_points = [], {}
for row in points[1:]:
    for enf, val in zip(points[0][1:], row[1:]):
        aid = "act.%s.%s" % (row[0], enf)
        pts_actions.append(action(aid, row[0], enf))
        want_points[aid] = int(val)
check(len(want_points) == 6, "profile.md points table has %d cells, not 6" % len(want_points))
pts = write("points.json", template("points", pts_actions))
pts_ans = write("points-answers.json", answers("points", [
    {"action": a["id"], "implementation": "implemented", "test": "passed"} for a in pts_actions]))
for prof in ("compliance-manager", "self-attested"):
    s = summary(pts, pts_ans, "--profile", prof)
    got = {a["id"]: a["points"] for a in s["actions"]}
    check(got == want_points, "points under %s: %s, profile.md: %s" % (prof, got, want_points))

for prof in ("compliance-manager", "self-attested"):
    section = profile_md.split("**`%s`**\n" % prof, 1)[1]
    t = tables(section)[0]
    check([code(c)[0] for c in t[0][1:]] == TEST, "profile.md %s columns %s" % (prof, t[0][1:]))
    check([code(r[0])[0] for r in t[1:]] == IMPL, "profile.md %s rows" % prof)
    s = summary(grid, grid_ans, "--profile", prof)
    got = {(a["implementation"], a["test"]): (a["credit"], a["status"]) for a in s["actions"]}
    for r in t[1:]:
        for tst, cell in zip(TEST, r[1:]):
            credit, status = cell.split(" ", 1)
            want = (float(credit), status.replace(" ", "_"))
            have = got[(code(r[0])[0], tst)]
            check((float(have[0]), have[1]) == want, "profile.md %s %s+%s: doc %s, posture %s"
                  % (prof, code(r[0])[0], tst, cell, have))

# the example profile loads and scores the worked example; the messages shown are the program's
example_profile = re.findall(r"```json\n(.*?)```", profile_md, re.S)[0]
s = summary(WORKED, WORKED_ANSWERS, "--profile", write("my-profile.json", example_profile))
check(s["profile"] == json.loads(example_profile)["id"], "profile.md example: profile %s" % s["profile"])
rc, _, err = run("score", "--template", WORKED, "--answers", WORKED_ANSWERS, "--profile", "nope")
shown = re.search(r"```\n(posture: unknown profile.*?)```", profile_md, re.S).group(1)
check(rc == 2 or rc == 1, "unknown profile: exit %d" % rc)
check(err == shown, "profile.md unknown profile message %r, posture: %r" % (shown, err))
bad_profile = json.loads(example_profile)
del bad_profile["points"]["corrective"]
bad_profile["credit"][1]["test"].append("in_progres")
bad_profile["credit"][1]["credit"] = 0.555
rc, _, err = run("score", "--template", WORKED, "--answers", WORKED_ANSWERS, "--profile",
                 write("my-profile.json", bad_profile))
shown = re.search(r"```\n(posture: my-profile.json: .*?)```", profile_md, re.S).group(1)
check(rc == 1, "bad profile: exit %d" % rc)
check(err.replace(os.path.join(TMP, ""), "") == shown,
      "profile.md profile errors:\n%s\nposture:\n%s" % (shown, err))

# ---------------------------------------------------------------- scoring.md: worked example
scoring_md = doc("scoring.md")
worked = table_with(scoring_md, "achieved")
s = summary(WORKED, WORKED_ANSWERS)
have = {c["id"]: (c["score"], c["status"]) for c in s["controls"]}
have.update({f["id"]: (f["score"], "") for f in s["families"]})
have["assessment"] = (s["score"], "")
check(len(worked) == 6, "scoring.md worked table has %d rows" % len(worked))
for name, achieved, possible, percent, status in worked[1:]:
    score, st = have.get(name, ({}, None))
    want_pct = None if percent == "n/a" else float(percent)
    check((score.get("achieved"), score.get("possible"), score.get("percent"), st) ==
          (float(achieved), float(possible), want_pct, status),
          "scoring.md %s: %s/%s %s %s; posture: %s %s" % (name, achieved, possible, percent,
                                                          status, score, st))
m = re.search(r"`(act\.[a-z])`, gain (\d+) points, ([\d.]+) %[^,]*,\s+risk (\w+)", scoring_md)
imp = s["improvement_actions"]
check(m and len(imp) == 1 and (imp[0]["id"], imp[0]["gain"], imp[0]["gain_percent"], imp[0]["risk"])
      == (m.group(1), int(m.group(2)), float(m.group(3)), m.group(4)),
      "scoring.md improvement action %s; posture %s" % (m and m.groups(), imp))
m = re.search(r"Under `self-attested` the result is the same (\d+) of (\d+)", scoring_md)
sa = summary(WORKED, WORKED_ANSWERS, "--profile", "self-attested")["score"]
check(m and (sa["achieved"], sa["possible"]) == (int(m.group(1)), int(m.group(2))),
      "scoring.md self-attested: %s" % sa)
# the terminal output shown is the start of what posture prints
block = re.search(r"```\n\$ (posture score [^\n]*)\n(.*?)```", scoring_md, re.S)
args = block.group(1).split()[1:]
p = subprocess.run([POSTURE, *args], capture_output=True, text=True, cwd=SRC,
                   env=dict(os.environ, COLUMNS="100"))
check(p.stdout.startswith(block.group(2)),
      "scoring.md output differs:\n%s\nposture prints:\n%s" % (block.group(2), p.stdout))
# the rounding example: 201 of 20,000 points
m = re.search(r"(\d+) points\s+achieved of ([\d,]+) possible is exactly ([\d.]+) %, shown as\s+\*\*([\d.]+) %\*\*",
              scoring_md)
if check(m is not None, "scoring.md: no rounding example"):
    achieved, possible = int(m.group(1)), int(m.group(2).replace(",", ""))
    acts, ans, left, n = [], [], possible, 0
    for pts_each, count in ((67, 3),):  # 3 x 67 = 201 earned
        for _ in range(count):
            acts.append(action("act.won%d" % n, points=pts_each))
            ans.append({"action": "act.won%d" % n, "implementation": "implemented", "test": "passed"})
            left -= pts_each
            n += 1
    check(sum(a["points"] for a in acts) == achieved, "rounding example needs 201 earned")
    while left > 0:
        acts.append(action("act.open%d" % n, points=min(99, left)))
        left -= min(99, left)
        n += 1
    r = summary(write("round.json", template("round", acts)),
                write("round-answers.json", answers("round", ans)))["score"]
    check((r["achieved"], r["possible"], r["percent"]) == (achieved, possible, float(m.group(4))),
          "scoring.md rounding example: posture %s" % r)
    check(abs(100 * achieved / possible - float(m.group(3))) < 1e-9, "1.005 is not 201/20000")

# ---------------------------------------------------------------- summary.md: fields
summary_md = doc("summary.md")


def doc_fields(text):
    out = set()
    for row in table_with(text, "what it holds")[1:]:
        base = None
        for item in code(row[0]):
            if item.startswith("."):
                item = base.rsplit(".", 1)[0] + item
            base = item
            out.add(item.replace("[]", ".[]").replace("..", "."))
    return out


def leaves(obj, prefix=""):
    if isinstance(obj, dict):
        return set().union(*[leaves(v, prefix + k + ".") for k, v in obj.items()]) if obj else {prefix[:-1]}
    if isinstance(obj, list):
        return set().union(*[leaves(v, prefix + "[].") for v in obj]) if obj else {prefix + "[]"}
    return {prefix[:-1]}


def schema_paths(schema, node=None, prefix=""):
    node = schema if node is None else node
    if "$ref" in node:
        node = schema["$defs"][node["$ref"].rsplit("/", 1)[1]]
    out = {prefix[:-1]} if prefix else set()
    for key in ("oneOf", "anyOf", "allOf"):
        for sub in node.get(key, []):
            out |= schema_paths(schema, sub, prefix)
    for k, v in node.get("properties", {}).items():
        out |= schema_paths(schema, v, prefix + k + ".")
    if isinstance(node.get("items"), dict):
        out |= schema_paths(schema, node["items"], prefix + "[].")
    return out


fields = doc_fields(summary_md)
real = summary(WORKED, WORKED_ANSWERS, env={"SOURCE_DATE_EPOCH": "1763632800"})
big = summary(EXAMPLE, EXAMPLE_ANSWERS)
written = leaves(real) | leaves(big)
check(fields == written, "summary.md fields not written: %s; written, not in summary.md: %s"
      % (sorted(fields - written), sorted(written - fields)))
with open(os.path.join(SRC, "schemas", "posture-summary-1.schema.json")) as f:
    in_schema = schema_paths(json.load(f))
check(fields <= in_schema, "summary.md fields not in the schema: %s" % sorted(fields - in_schema))
# the shortened example is the worked example's summary with one control and act.b kept
example = json.loads(re.findall(r"```json\n(.*?)```", summary_md, re.S)[0])
real["controls"] = real["controls"][:1]
real["actions"] = [a for a in real["actions"] if a["id"] == "act.b"]
real["generator"]["version"] = example["generator"]["version"]
check(example == real, "summary.md example differs from posture's: %s" % json.dumps(real))

# ---------------------------------------------------------------- template.md, answers.md examples
tpl_example = write("acme-baseline.json", re.findall(r"```json\n(.*?)```", doc("template.md"), re.S)[0])
rc, out, err = run("template", "validate", "--strict", tpl_example)
check(rc == 0 and err == "", "template.md example: exit %d %s" % (rc, err))
ans_example = write("acme.json", re.findall(r"```json\n(.*?)```", answers_md, re.S)[0])
rc, out, err = run("score", "--template", tpl_example, "--answers", ans_example)
check(rc == 0 and err == "", "answers.md example: exit %d %s" % (rc, err))

# ---------------------------------------------------------------- workbook.md: sheets, columns
workbook_md = doc("workbook.md")
sheets_doc = table_with(workbook_md, "sheet")[1:]
xlsx = os.path.join(TMP, "example.xlsx")
rc, _, err = run("report", "--template", EXAMPLE, "--answers", EXAMPLE_ANSWERS, "--xlsx", xlsx)
if check(rc == 0, "report --xlsx: " + err):
    book = xlsx_sheets(xlsx)
    check(list(book) == [r[0] for r in sheets_doc], "workbook.md sheets %s; posture writes %s"
          % ([r[0] for r in sheets_doc], list(book)))
    for name, cols in sheets_doc:
        want = code(cols)
        if not want or name not in book:
            continue
        if name == "About":
            got = [r[0] for r in book[name][:len(want)]]
        else:
            got = book[name][0][:len(want)]
        check(got == want, "workbook.md %s: %s; posture writes %s" % (name, want, got))
    frameworks = sorted({k for c in json.load(open(EXAMPLE))["families"] for x in c["controls"]
                         for k in x.get("mappings", {})})
    ctl = book["Controls"][0]
    check(sorted(ctl[10:]) == frameworks and frameworks,
          "Controls framework columns %s, template maps to %s" % (ctl[10:], frameworks))
    about = {r[0]: r[1] for r in book["About"] if len(r) > 1}
    check(about.get("Format") == "posture-workbook/1", "About Format: %s" % about.get("Format"))

print("%d passed, %d failed" % (checks - fails, fails))
sys.exit(1 if fails else 0)
