#!/usr/bin/env python3
"""Generate the US regulation templates from the data in this directory.

    us_templates.py [--check] [SRC]

writes (or, with --check, compares with the committed files and exits 1 on any difference)

    templates/hipaa-security-rule.json     (us_hipaa.py)
    templates/nist-sp-800-171-rev3.json    (us_cui.py)
    templates/cmmc-2.0-level-1.json        (us_cui.py)
    templates/cmmc-2.0-level-2.json        (us_cui.py)

Why a generator and not `posture template import --oscal`: NIST's SP 800-171 Rev. 3 OSCAL
catalog labels its groups and requirements "Access Control (03.01)" and "Account Management
(03.01.01)", which the importer would turn into family and control ids, and the importer gives
every requirement its own `act.nist.*` action, so nothing would be shared with the other
templates. Here every control lists the shared safeguard actions of
templates/shared/actions.json that satisfy it (copied identically), plus a few `act.hipaa.*` and
`act.cui.*` actions for obligations no shared action covers; `act.cui.*` actions are shared by
the three CUI/FCI templates.

Mappings: HIPAA controls are mapped by hand (us_hipaa.py). SP 800-171 and CMMC controls list the
SP 800-53 Rev. 5 controls NIST names for them; their ISO/IEC 27001:2022 and CSF 2.0 mappings are
derived from those through the table SP80053 below (per SP 800-53 base control), plus any
per-control additions. ISO/IEC 27001:2022 references are written `A.5.1` ... `A.8.34` for
Annex A and as bare clause numbers (`6.1.2`, `9.2.2`) for the management system clauses.

Python 3 standard library only. Output is deterministic (json.dumps, indent 2, final newline).
"""
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True  # no __pycache__ in templates/

import us_cui  # noqa: E402
import us_hipaa  # noqa: E402

ISO = "iso-iec-27001-2022"
CSF = "nist-csf-2.0"
SP53 = "nist-sp-800-53-rev5"

# SP 800-53 Rev. 5 base control -> (ISO/IEC 27001:2022 references, CSF 2.0 subcategories).
# The ISO column follows NIST's SP 800-53 Rev. 5 to ISO/IEC 27001 mapping, the CSF column the
# CSF 2.0 informative references (narrowed to the subcategories the control mainly supports).
SP80053 = {
    "AC-1": (["A.5.1", "A.5.15"], ["GV.PO-01"]),
    "AC-2": (["A.5.16", "A.5.18"], ["PR.AA-01", "PR.AA-05"]),
    "AC-3": (["A.5.15", "A.8.3"], ["PR.AA-05"]),
    "AC-4": (["A.5.14", "A.8.22"], ["PR.IR-01"]),
    "AC-5": (["A.5.3"], ["PR.AA-05"]),
    "AC-6": (["A.5.15", "A.8.2"], ["PR.AA-05"]),
    "AC-7": (["A.8.5"], ["PR.AA-03"]),
    "AC-8": (["A.8.5"], []),
    "AC-11": (["A.7.7", "A.8.1"], []),
    "AC-12": (["A.8.5"], []),
    "AC-17": (["A.6.7", "A.8.20"], ["PR.AA-05", "PR.IR-01"]),
    "AC-18": (["A.8.20"], ["PR.IR-01"]),
    "AC-19": (["A.8.1"], ["PR.AA-05"]),
    "AC-20": (["A.8.1", "A.5.14"], []),
    "AC-22": (["A.5.14"], []),
    "AT-2": (["A.6.3"], ["PR.AT-01"]),
    "AT-3": (["A.6.3"], ["PR.AT-02"]),
    "AU-2": (["A.8.15"], ["PR.PS-04"]),
    "AU-3": (["A.8.15"], ["PR.PS-04"]),
    "AU-5": (["A.8.15", "A.8.16"], ["PR.PS-04"]),
    "AU-6": (["A.8.15", "A.8.16"], ["DE.AE-02", "DE.AE-03"]),
    "AU-7": (["A.8.15"], ["DE.AE-03"]),
    "AU-8": (["A.8.17"], ["PR.PS-04"]),
    "AU-9": (["A.8.15"], ["PR.PS-04"]),
    "AU-11": (["A.8.15"], ["PR.PS-04"]),
    "AU-12": (["A.8.15"], ["PR.PS-04", "DE.CM-03"]),
    "CA-2": (["A.5.35", "A.5.36"], ["ID.IM-01"]),
    "CA-3": (["A.5.14"], ["ID.AM-03"]),
    "CA-5": (["10.2"], ["ID.RA-06", "ID.IM-01"]),
    "CA-7": (["9.1"], ["GV.OV-03", "DE.CM-01"]),
    "CM-2": (["A.8.9"], ["PR.PS-01"]),
    "CM-3": (["A.8.32"], ["ID.RA-07", "PR.PS-01"]),
    "CM-4": (["A.8.32"], ["ID.RA-07"]),
    "CM-5": (["A.8.2", "A.8.32"], ["PR.AA-05"]),
    "CM-6": (["A.8.9"], ["PR.PS-01"]),
    "CM-7": (["A.8.9", "A.8.19"], ["PR.PS-01", "PR.PS-05"]),
    "CM-8": (["A.5.9"], ["ID.AM-01", "ID.AM-02"]),
    "CM-11": (["A.8.19"], ["PR.PS-05"]),
    "CM-12": (["A.5.9"], ["ID.AM-07"]),
    "CP-9": (["A.8.13"], ["PR.DS-11"]),
    "IA-1": (["A.5.1"], ["GV.PO-01"]),
    "IA-2": (["A.5.16", "A.8.5"], ["PR.AA-01", "PR.AA-03"]),
    "IA-3": (["A.8.5"], ["PR.AA-03"]),
    "IA-4": (["A.5.16"], ["PR.AA-01"]),
    "IA-5": (["A.5.17", "A.8.5"], ["PR.AA-01"]),
    "IA-6": (["A.8.5"], []),
    "IA-8": (["A.5.16", "A.8.5"], ["PR.AA-03"]),
    "IA-11": (["A.8.5"], ["PR.AA-03"]),
    "IR-2": (["A.5.24", "A.6.3"], ["PR.AT-02"]),
    "IR-3": (["A.5.24"], ["ID.IM-02"]),
    "IR-4": (["A.5.24", "A.5.25", "A.5.26"], ["RS.MA-01", "RS.AN-03", "RS.MI-01"]),
    "IR-5": (["A.5.25", "A.6.8"], ["RS.AN-06"]),
    "IR-6": (["A.5.5", "A.5.26", "A.6.8"], ["RS.MA-02", "RS.CO-02", "RS.CO-03"]),
    "IR-7": (["A.5.24"], ["RS.MA-01"]),
    "IR-8": (["A.5.24"], ["ID.IM-04", "RS.MA-01"]),
    "MA-2": (["A.7.13"], ["PR.PS-03"]),
    "MA-3": (["A.7.13"], ["PR.PS-03"]),
    "MA-4": (["A.7.13"], ["PR.PS-03", "PR.AA-03"]),
    "MA-5": (["A.7.13"], ["PR.PS-03"]),
    "MP-2": (["A.7.10"], ["PR.DS-01"]),
    "MP-3": (["A.5.13", "A.7.10"], []),
    "MP-4": (["A.7.10"], ["PR.DS-01"]),
    "MP-5": (["A.5.14", "A.7.10"], ["PR.DS-01"]),
    "MP-6": (["A.7.10", "A.7.14", "A.8.10"], ["ID.AM-08"]),
    "MP-7": (["A.7.10"], ["PR.DS-01"]),
    "PE-2": (["A.7.2"], ["PR.AA-06"]),
    "PE-3": (["A.7.1", "A.7.2"], ["PR.AA-06"]),
    "PE-4": (["A.7.12"], ["PR.AA-06"]),
    "PE-5": (["A.7.2"], ["PR.AA-06"]),
    "PE-6": (["A.7.4"], ["DE.CM-02"]),
    "PE-17": (["A.6.7"], []),
    "PL-2": (["4.3", "6.1.3"], []),
    "PL-4": (["A.5.10", "A.6.2"], []),
    "PS-3": (["A.6.1"], ["GV.RR-04"]),
    "PS-4": (["A.5.11", "A.6.5"], ["GV.RR-04"]),
    "PS-5": (["A.6.5"], ["GV.RR-04"]),
    "RA-3": (["6.1.2", "8.2"], ["ID.RA-03", "ID.RA-04", "ID.RA-05"]),
    "RA-5": (["A.8.8"], ["ID.RA-01"]),
    "RA-7": (["6.1.3", "8.3"], ["ID.RA-06"]),
    "SA-8": (["A.8.27"], ["PR.PS-06"]),
    "SA-9": (["A.5.19", "A.5.22", "A.5.23"], ["GV.SC-05", "DE.CM-06"]),
    "SA-22": ([], ["ID.AM-08", "PR.PS-02", "PR.PS-03"]),
    "SC-2": (["A.8.2"], []),
    "SC-4": ([], ["PR.DS-10"]),
    "SC-7": (["A.8.20", "A.8.22"], ["PR.IR-01"]),
    "SC-8": (["A.5.14", "A.8.24"], ["PR.DS-02"]),
    "SC-10": (["A.8.20"], []),
    "SC-12": (["A.8.24"], ["PR.DS-01", "PR.DS-02"]),
    "SC-13": (["A.8.24"], ["PR.DS-01", "PR.DS-02"]),
    "SC-15": ([], []),
    "SC-18": (["A.8.19"], ["PR.PS-05"]),
    "SC-23": (["A.8.24"], ["PR.AA-04"]),
    "SC-28": (["A.8.24"], ["PR.DS-01"]),
    "SC-45": (["A.8.17"], []),
    "SI-2": (["A.8.8"], ["ID.RA-01", "PR.PS-02"]),
    "SI-3": (["A.8.7"], ["DE.CM-09"]),
    "SI-4": (["A.8.16"], ["DE.CM-01", "DE.CM-09"]),
    "SI-5": (["A.5.7"], ["ID.RA-02"]),
    "SI-12": (["A.5.33", "A.8.10"], ["ID.AM-08"]),
    "SR-2": (["A.5.19", "A.5.21"], ["GV.SC-01", "GV.SC-03"]),
    "SR-3": (["A.5.21"], ["GV.SC-05"]),
    "SR-5": (["A.5.19", "A.5.21"], ["GV.SC-06"]),
}
# every "<family>-1" policy control maps like AC-1
for fam in ("AT", "AU", "CA", "CM", "IR", "MA", "MP", "PE", "PL", "PS", "RA", "SA", "SC",
            "SI", "SR"):
    SP80053.setdefault(fam + "-1", (["A.5.1"], ["GV.PO-01"]))


def base53(ref):
    """AC-2(3) -> AC-2."""
    return re.sub(r"\(.*", "", ref)


def iso_key(ref):
    """Order ISO references: clauses 4-10 first, then Annex A, each numerically."""
    annex = ref.startswith("A.")
    return (annex, [int(x) for x in ref.lstrip("A.").split(".")])


def csf_key(ref):
    fn = ["GV", "ID", "PR", "DE", "RS", "RC"]
    f, rest = ref.split(".", 1)
    cat, num = rest.split("-")
    return (fn.index(f), cat, int(num))


def sp53_key(ref):
    m = re.match(r"([A-Z]{2})-(\d+)(?:\((\d+)\))?\Z", ref)
    return (m.group(1), int(m.group(2)), int(m.group(3) or 0))


def uniq_sorted(refs, key):
    return sorted(set(refs), key=key)


def mappings(iso=(), csf=(), sp53=(), extra=None):
    """Mappings object with the keys in a fixed order, empty lists left out."""
    m = {}
    if iso:
        m[ISO] = uniq_sorted(iso, iso_key)
    if csf:
        m[CSF] = uniq_sorted(csf, csf_key)
    if sp53:
        m[SP53] = uniq_sorted(sp53, sp53_key)
    for k, v in (extra or {}).items():
        if v:
            m[k] = list(dict.fromkeys(v))
    return m


def derived(sp53, iso=(), csf=()):
    """ISO and CSF references of a list of SP 800-53 controls, plus additions."""
    i, c = list(iso), list(csf)
    for ref in sp53:
        a, b = SP80053[base53(ref)]
        i += a
        c += b
    return i, c


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def action_catalog(src):
    """Every action definition a US template may use, by id: the shared registry, the
    template-specific ones of us_hipaa and us_cui, and act.csf.* from the CSF template."""
    cat = {}
    for a in load(os.path.join(src, "templates", "shared", "actions.json"))["actions"]:
        cat[a["id"]] = a
    for a in load(os.path.join(src, "templates", "nist-csf-2.0.json"))["actions"]:
        if a["id"].startswith("act.csf."):
            cat[a["id"]] = a
    for mod in (us_hipaa, us_cui):
        for a in mod.ACTIONS:
            assert a["id"] not in cat, a["id"]
            cat[a["id"]] = a
    return cat


def build(spec, cat):
    """A template dict from a spec: header fields, families of controls."""
    used = set()
    families = []
    for fam in spec["families"]:
        controls = []
        for c in fam["controls"]:
            for a in c["actions"]:
                if a not in cat:
                    raise SystemExit(f"{spec['id']}: {c['id']}: unknown action {a}")
                used.add(a)
            ctl = {"id": c["id"], "title": c["title"], "description": c["description"],
                   "actions": list(dict.fromkeys(c["actions"]))}
            if c.get("mappings"):
                ctl["mappings"] = c["mappings"]
            controls.append(ctl)
        f = {"id": fam["id"], "title": fam["title"]}
        if fam.get("description"):
            f["description"] = fam["description"]
        f["controls"] = controls
        families.append(f)
    t = {"format": "posture-template/1"}
    for k in ("id", "version", "title", "description", "regulation"):
        t[k] = spec[k]
    t["families"] = families
    t["actions"] = [cat[a] for a in sorted(used)]
    return t


def specs():
    return [us_hipaa.spec(mappings), us_cui.spec_800_171_rev3(mappings, derived),
            us_cui.spec_cmmc_l1(mappings, derived), us_cui.spec_cmmc_l2(mappings, derived)]


def render(t):
    return json.dumps(t, indent=2, ensure_ascii=False) + "\n"


def main(argv):
    check = "--check" in argv
    args = [a for a in argv if a != "--check"]
    src = args[0] if args else os.path.dirname(os.path.dirname(HERE))
    cat = action_catalog(src)
    rc = 0
    for spec in specs():
        path = os.path.join(src, "templates", spec["id"] + ".json")
        text = render(build(spec, cat))
        if check:
            try:
                with open(path, encoding="utf-8") as f:
                    old = f.read()
            except OSError:
                old = None
            if old != text:
                print(f"{os.path.relpath(path, src)}: differs from the generator's output "
                      f"(run templates/tools/us_templates.py)")
                rc = 1
            else:
                print(f"ok {os.path.relpath(path, src)} is the generator's output")
        else:
            tmp = path + ".tmp"
            with open(tmp, "w", encoding="utf-8") as f:
                f.write(text)
            os.replace(tmp, path)
            print(f"wrote {os.path.relpath(path, src)}")
    return rc


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
