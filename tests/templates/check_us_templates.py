#!/usr/bin/env python3
"""Completeness, sharing and mapping checks of the US templates.

Usage: check_us_templates.py [--self-test] [SRC]   (SRC = source root)

For templates/hipaa-security-rule.json, nist-sp-800-171-rev3.json, cmmc-2.0-level-1.json and
cmmc-2.0-level-2.json:
  - completeness: the control ids are exactly the expected ones, listed here independently of
    the generator (every HIPAA Security Rule standard and implementation specification of
    45 CFR 164.308-164.316; the 97 SP 800-171 Rev. 3 requirements, none of the 33 withdrawn
    ones; the 15 CMMC Level 1 and 110 Level 2 practices), each in its family, in order;
  - HIPAA markings: each title is "§ <paragraph> <title> (<marking>)" with the marking expected
    for that paragraph: Standard, "Standard, Required", Required or Addressable;
  - sharing: at least 60% of each template's controls reference an action that another
    template in templates/ also defines (the figures are printed);
  - mappings: only known frameworks; ISO/IEC 27001:2022 references are Annex A ids A.5.1 ...
    A.8.34 or clause numbers; CSF 2.0 references are subcategories of nist-csf-2.0.json;
    SP 800-53 Rev. 5 references are well formed and in the MODERATE template (or listed
    below); SP 800-171 Rev. 3 and CMMC Level 2 references name controls of those templates.
Problems are printed one per line; exit status 1 if any. Python 3 standard library only.
"""
import copy
import glob
import json
import os
import re
import sys

MIN_SHARED = 60.0

# --- HIPAA: (paragraph, marking) in the order of the regulation ----------------------------
S, SR, R, A = "Standard", "Standard, Required", "Required", "Addressable"
HIPAA = {
    "164.308": [
        ("164.308(a)(1)(i)", S), ("164.308(a)(1)(ii)(A)", R), ("164.308(a)(1)(ii)(B)", R),
        ("164.308(a)(1)(ii)(C)", R), ("164.308(a)(1)(ii)(D)", R), ("164.308(a)(2)", SR),
        ("164.308(a)(3)(i)", S), ("164.308(a)(3)(ii)(A)", A), ("164.308(a)(3)(ii)(B)", A),
        ("164.308(a)(3)(ii)(C)", A), ("164.308(a)(4)(i)", S), ("164.308(a)(4)(ii)(A)", R),
        ("164.308(a)(4)(ii)(B)", A), ("164.308(a)(4)(ii)(C)", A), ("164.308(a)(5)(i)", S),
        ("164.308(a)(5)(ii)(A)", A), ("164.308(a)(5)(ii)(B)", A), ("164.308(a)(5)(ii)(C)", A),
        ("164.308(a)(5)(ii)(D)", A), ("164.308(a)(6)(i)", S), ("164.308(a)(6)(ii)", R),
        ("164.308(a)(7)(i)", S), ("164.308(a)(7)(ii)(A)", R), ("164.308(a)(7)(ii)(B)", R),
        ("164.308(a)(7)(ii)(C)", R), ("164.308(a)(7)(ii)(D)", A), ("164.308(a)(7)(ii)(E)", A),
        ("164.308(a)(8)", SR), ("164.308(b)(1)", S), ("164.308(b)(3)", R)],
    "164.310": [
        ("164.310(a)(1)", S), ("164.310(a)(2)(i)", A), ("164.310(a)(2)(ii)", A),
        ("164.310(a)(2)(iii)", A), ("164.310(a)(2)(iv)", A), ("164.310(b)", SR),
        ("164.310(c)", SR), ("164.310(d)(1)", S), ("164.310(d)(2)(i)", R),
        ("164.310(d)(2)(ii)", R), ("164.310(d)(2)(iii)", A), ("164.310(d)(2)(iv)", A)],
    "164.312": [
        ("164.312(a)(1)", S), ("164.312(a)(2)(i)", R), ("164.312(a)(2)(ii)", R),
        ("164.312(a)(2)(iii)", A), ("164.312(a)(2)(iv)", A), ("164.312(b)", SR),
        ("164.312(c)(1)", S), ("164.312(c)(2)", A), ("164.312(d)", SR), ("164.312(e)(1)", S),
        ("164.312(e)(2)(i)", A), ("164.312(e)(2)(ii)", A)],
    "164.314": [
        ("164.314(a)(1)", S), ("164.314(a)(2)(i)", R), ("164.314(a)(2)(ii)", R),
        ("164.314(a)(2)(iii)", R), ("164.314(b)(1)", S), ("164.314(b)(2)", R)],
    "164.316": [
        ("164.316(a)", SR), ("164.316(b)(1)", S), ("164.316(b)(2)(i)", R),
        ("164.316(b)(2)(ii)", R), ("164.316(b)(2)(iii)", R)],
}

# --- SP 800-171 Rev. 3: requirement numbers per family, and the withdrawn ones -------------
REV3_COUNT = {"03.01": 22, "03.02": 3, "03.03": 9, "03.04": 12, "03.05": 12, "03.06": 5,
              "03.07": 6, "03.08": 9, "03.09": 2, "03.10": 8, "03.11": 4, "03.12": 5,
              "03.13": 16, "03.14": 8, "03.15": 3, "03.16": 3, "03.17": 3}
REV3_WITHDRAWN = {
    "03.01": [13, 14, 15, 17, 19, 21], "03.02": [3], "03.03": [9], "03.04": [7, 9],
    "03.05": [6, 8, 9, 10], "03.07": [1, 2, 3], "03.08": [6, 8], "03.10": [3, 4, 5],
    "03.11": [3], "03.12": [4], "03.13": [2, 3, 5, 7, 14, 16], "03.14": [4, 5, 7]}

# --- CMMC ----------------------------------------------------------------------------------
L1 = {"AC": ["i", "ii", "iii", "iv"], "IA": ["v", "vi"], "MP": ["vii"], "PE": ["viii", "ix"],
      "SC": ["x", "xi"], "SI": ["xii", "xiii", "xiv", "xv"]}
L2_DOMAINS = [("AC", 1, 22), ("AT", 2, 3), ("AU", 3, 9), ("CM", 4, 9), ("IA", 5, 11),
              ("IR", 6, 3), ("MA", 7, 6), ("MP", 8, 9), ("PS", 9, 2), ("PE", 10, 6),
              ("RA", 11, 3), ("CA", 12, 4), ("SC", 13, 16), ("SI", 14, 7)]

# SP 800-53 Rev. 5 controls a template may cite that are not in the MODERATE baseline.
NOT_MODERATE = {"CM-7(4)", "SC-45(1)"}

ISO_CLAUSES = {"4.1", "4.2", "4.3", "4.4", "5.1", "5.2", "5.3", "6.1.1", "6.1.2", "6.1.3",
               "6.2", "6.3", "7.1", "7.2", "7.3", "7.4", "7.5.1", "7.5.2", "7.5.3", "8.1",
               "8.2", "8.3", "9.1", "9.2.1", "9.2.2", "9.3.1", "9.3.2", "9.3.3", "10.1", "10.2"}
ISO_ANNEX = {f"A.{t}.{n}" for t, last in ((5, 37), (6, 8), (7, 14), (8, 34))
             for n in range(1, last + 1)}

US = ["hipaa-security-rule", "nist-sp-800-171-rev3", "cmmc-2.0-level-1", "cmmc-2.0-level-2"]
FRAMEWORKS = {"iso-iec-27001-2022", "nist-csf-2.0", "nist-sp-800-53-rev5",
              "nist-sp-800-171-rev3", "cmmc-2.0-level-2"}


def expected():
    """template id -> [(family id, [control ids])]"""
    rev3 = []
    for fam, n in REV3_COUNT.items():
        gone = set(REV3_WITHDRAWN.get(fam, []))
        rev3.append((fam, [f"{fam}.{i:02d}" for i in range(1, n + 1) if i not in gone]))
    return {
        "hipaa-security-rule": [(f, [p for p, _ in rows]) for f, rows in HIPAA.items()],
        "nist-sp-800-171-rev3": rev3,
        "cmmc-2.0-level-1": [(d, [f"{d}.L1-b.1.{r}" for r in rs]) for d, rs in L1.items()],
        "cmmc-2.0-level-2": [(d, [f"{d}.L2-3.{k}.{i}" for i in range(1, n + 1)])
                             for d, k, n in L2_DOMAINS],
    }


class Check:
    def __init__(self, templates, out=sys.stdout):
        """templates: id -> parsed template, for every templates/*.json."""
        self.t = templates
        self.out = out
        self.errors = 0

    def err(self, tid, msg):
        self.errors += 1
        print(f"templates/{tid}.json: {msg}", file=self.out)

    def say(self, msg):
        print(msg, file=self.out)

    def run(self):
        for tid in US:
            if tid not in self.t:
                self.err(tid, "missing")
        if self.errors:
            return 1
        self.completeness()
        self.markings()
        self.sharing()
        self.mappings()
        return 1 if self.errors else 0

    def completeness(self):
        for tid, fams in expected().items():
            got = [(f["id"], [c["id"] for c in f["controls"]]) for f in self.t[tid]["families"]]
            want_ids = [c for _, cs in fams for c in cs]
            got_ids = [c for _, cs in got for c in cs]
            missing = [c for c in want_ids if c not in set(got_ids)]
            extra = [c for c in got_ids if c not in set(want_ids)]
            if missing:
                self.err(tid, f"missing controls: {', '.join(missing)}")
            if extra:
                self.err(tid, f"unexpected controls: {', '.join(extra)}")
            if not missing and not extra and got != fams:
                self.err(tid, "families or control order differ from "
                         f"{[(f, len(cs)) for f, cs in fams]}")
            if not missing and not extra and got == fams:
                self.say(f"ok {tid}: {len(fams)} families, {len(want_ids)} controls as expected")

    def markings(self):
        tid = "hipaa-security-rule"
        want = {p: m for rows in HIPAA.values() for p, m in rows}
        bad = 0
        for f in self.t[tid]["families"]:
            for c in f["controls"]:
                m = re.fullmatch(r"§ (\S+) (.+) \(([^()]+)\)", c["title"])
                if not m or m.group(1) != c["id"]:
                    self.err(tid, f'{c["id"]}: title "{c["title"]}" is not '
                             f'"§ {c["id"]} <title> (<marking>)"')
                    bad += 1
                elif c["id"] in want and m.group(3) != want[c["id"]]:
                    self.err(tid, f'{c["id"]}: marked ({m.group(3)}), expected ({want[c["id"]]})')
                    bad += 1
                elif m.group(3) == A and "Addressable" not in c.get("description", ""):
                    self.err(tid, f'{c["id"]}: addressable but the description does not say so')
                    bad += 1
        if not bad:
            counts = {}
            for m in want.values():
                counts[m] = counts.get(m, 0) + 1
            self.say(f"ok {tid}: markings " + ", ".join(f"{v} {k}" for k, v in counts.items()))

    def sharing(self):
        defined = {tid: {a["id"] for a in t.get("actions", [])} for tid, t in self.t.items()}
        for tid in US:
            others = set().union(*(v for k, v in defined.items() if k != tid))
            outside = set().union(*(v for k, v in defined.items() if k not in US))
            n = shared = shared_outside = 0
            for f in self.t[tid]["families"]:
                for c in f["controls"]:
                    n += 1
                    if any(a in others for a in c["actions"]):
                        shared += 1
                    if any(a in outside for a in c["actions"]):
                        shared_outside += 1
            pct = 100.0 * shared / n if n else 0.0
            pct_out = 100.0 * shared_outside / n if n else 0.0
            line = (f"{tid}: {shared}/{n} controls ({pct:.1f}%) share an action with another "
                    f"template; {shared_outside}/{n} ({pct_out:.1f}%) with a non-US template")
            if pct < MIN_SHARED:
                self.err(tid, f"{line}; at least {MIN_SHARED:.0f}% required")
            else:
                self.say("ok " + line)

    def mappings(self):
        csf = {c["id"] for f in self.t["nist-csf-2.0"]["families"] for c in f["controls"]}
        mod = {c["id"] for f in self.t["nist-sp-800-53-rev5-moderate"]["families"]
               for c in f["controls"]}
        ids = {tid: {c["id"] for f in self.t[tid]["families"] for c in f["controls"]}
               for tid in ("nist-sp-800-171-rev3", "cmmc-2.0-level-2")}
        for tid in US:
            bad = 0
            for f in self.t[tid]["families"]:
                for c in f["controls"]:
                    for fw, refs in c.get("mappings", {}).items():
                        for r in refs:
                            why = None
                            if fw not in FRAMEWORKS:
                                why = "unknown framework"
                            elif fw == "iso-iec-27001-2022":
                                if r not in ISO_ANNEX and r not in ISO_CLAUSES:
                                    why = "not an ISO/IEC 27001:2022 clause or Annex A control"
                            elif fw == "nist-csf-2.0":
                                if r not in csf:
                                    why = "not a CSF 2.0 subcategory"
                            elif fw == "nist-sp-800-53-rev5":
                                if not re.fullmatch(r"[A-Z]{2}-\d+(\(\d+\))?", r):
                                    why = "not an SP 800-53 control id"
                                elif r not in mod and r not in NOT_MODERATE:
                                    why = "not in the SP 800-53 Rev. 5 MODERATE template"
                            elif fw == tid:
                                why = "maps to its own template"
                            elif r not in ids[fw]:
                                why = f"not a control of {fw}"
                            if why:
                                self.err(tid, f'{c["id"]}: mappings/{fw}: "{r}": {why}')
                                bad += 1
            if not bad:
                self.say(f"ok {tid}: mappings")


def load_all(src):
    out = {}
    for p in sorted(glob.glob(os.path.join(src, "templates", "*.json"))):
        with open(p, encoding="utf-8") as f:
            t = json.load(f)
        out[t["id"]] = t
    return out


def self_test(src):
    """Each mutation of the real templates must be caught."""
    import io
    base = load_all(src)

    def controls(t, tid):
        return [c for f in t[tid]["families"] for c in f["controls"]]

    def drop_hipaa(t):
        t["hipaa-security-rule"]["families"][1]["controls"].pop(3)

    def add_withdrawn(t):
        t["nist-sp-800-171-rev3"]["families"][0]["controls"].append(
            dict(controls(t, "nist-sp-800-171-rev3")[0], id="03.01.13"))

    def swap_l2(t):
        cs = t["cmmc-2.0-level-2"]["families"][0]["controls"]
        cs[0], cs[1] = cs[1], cs[0]

    def rename_l1(t):
        controls(t, "cmmc-2.0-level-1")[8]["id"] = "PE.L1-3.10.3"

    def mark(t):
        c = controls(t, "hipaa-security-rule")[7]
        c["title"] = c["title"].replace("(Addressable)", "(Required)")

    def unshare(t):
        for c in controls(t, "cmmc-2.0-level-1"):
            c["actions"] = ["act.x.only"]
        t["cmmc-2.0-level-1"]["actions"] = [{"id": "act.x.only"}]

    def bad_iso(t):
        controls(t, "hipaa-security-rule")[0]["mappings"]["iso-iec-27001-2022"] = ["5.1.1"]

    def bad_csf(t):
        controls(t, "nist-sp-800-171-rev3")[0]["mappings"]["nist-csf-2.0"] = ["PR.AC-01"]

    def bad_rev3(t):
        controls(t, "cmmc-2.0-level-2")[0]["mappings"]["nist-sp-800-171-rev3"] = ["03.01.13"]

    cases = [("missing HIPAA control", drop_hipaa, "missing controls: 164.310(a)(2)(iii)"),
             ("withdrawn requirement", add_withdrawn, "unexpected controls: 03.01.13"),
             ("order", swap_l2, "families or control order differ"),
             ("wrong L1 id", rename_l1, "missing controls: PE.L1-b.1.ix"),
             ("marking", mark, "marked (Required), expected (Addressable)"),
             ("sharing", unshare, "at least 60% required"),
             ("ISO reference", bad_iso, '"5.1.1": not an ISO/IEC 27001:2022'),
             ("CSF reference", bad_csf, '"PR.AC-01": not a CSF 2.0 subcategory'),
             ("Rev. 3 reference", bad_rev3, '"03.01.13": not a control of nist-sp-800-171-rev3')]
    failed = 0
    out = io.StringIO()
    if Check(base, out).run() != 0:
        print("self-test clean: FAILED\n" + out.getvalue())
        failed += 1
    for name, mutate, want in cases:
        t = copy.deepcopy(base)
        mutate(t)
        out = io.StringIO()
        rc = Check(t, out).run()
        if rc != 1 or want not in out.getvalue():
            print(f"self-test {name}: FAILED (rc {rc}, want a line with {want!r})\n"
                  + out.getvalue())
            failed += 1
    print(f"self-test: {len(cases) + 1 - failed}/{len(cases) + 1} cases passed")
    return 1 if failed else 0


def main(argv):
    selftest = "--self-test" in argv
    args = [a for a in argv if a != "--self-test"]
    src = os.path.abspath(args[0] if args else
                          os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
    if selftest:
        return self_test(src)
    return Check(load_all(src)).run()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
