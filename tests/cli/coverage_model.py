#!/usr/bin/env python3
"""An independent model of `posture coverage` (docs/mappings.md), for tests/cli/test_coverage.sh.

usage: coverage_model.py SRC SOURCE_SUMMARY.json TARGET_TEMPLATE.json PROFILE [MAPPING.json...]

SOURCE_SUMMARY is `posture score --json` of the assessment (its control statuses and answers);
TARGET_TEMPLATE the template file projected onto. The projection rules and the target's score
(scoring.md: points table, credit by profile, scope, each action once) are written here again
from the documents, not from the C code. Prints one JSON object: score {achieved, possible,
percent}, counts of control statuses, and per control its status and claim.
"""
import json
import sys

POINTS = {("preventive", "mandatory"): 27, ("preventive", "discretionary"): 9,
          ("detective", "mandatory"): 3, ("detective", "discretionary"): 1,
          ("corrective", "mandatory"): 3, ("corrective", "discretionary"): 1}
FULL = {"equal-to", "equivalent-to", "superset-of"}
INVERSE = {"subset-of": "superset-of", "superset-of": "subset-of"}
ORDER = ["none", "in_progress", "partial", "covered", "failed"]
FAILS = ["failed_low", "failed_medium", "failed_high"]
NS = "https://posture.example/ns/oscal"


def credit(profile, impl, test):
    done = impl in ("implemented", "alternative")
    if profile == "compliance-manager":
        return 100 if done and test == "passed" else 0
    if test in FAILS:
        return 0
    if test in ("passed", "not_assessed", "in_progress"):
        return 100 if done else 50 if impl == "partially_implemented" else 0
    return 0


def major(v):
    return int(v.split(".")[0])


def ref(res):
    return [p["value"] for p in res["props"] if p["name"] == "template" and p["ns"] == NS][0]


def main():
    _, src, summary, target, profile, *colls = sys.argv
    s = json.load(open(summary))
    t = json.load(open(target))
    sid, sver = s["template"]["id"], s["template"]["version"]
    tid, tver = t["id"], t["version"]
    s_status = {c["id"]: c["status"] for c in s["controls"]}
    s_actions = {a["id"]: a for a in s["actions"]}
    s_ctl_actions = {c["id"]: c["actions"] for c in s["controls"]}
    ctls = [c for f in t["families"] for c in f["controls"]]
    acts = {a["id"]: a for a in t["actions"]}

    # links: target control -> [(status of the source side, relation)]
    links = {c["id"]: [] for c in ctls}
    for path in colls:
        mc = json.load(open(path))["mapping-collection"]
        for m in mc["mappings"]:
            a, b = ref(m["source-resource"]), ref(m["target-resource"])
            (ai, av), (bi, bv) = a.split("@"), b.split("@")
            if (ai, bi) == (sid, tid) and major(av) == major(sver) and major(bv) == major(tver):
                rev = False
            elif (ai, bi) == (tid, sid) and major(av) == major(tver) and major(bv) == major(sver):
                rev = True
            else:
                continue
            for x in m["maps"]:
                mine = [i["id-ref"] for i in (x["targets"] if rev else x["sources"])]
                theirs = [i["id-ref"] for i in (x["sources"] if rev else x["targets"])]
                if any(i not in s_status for i in mine) or any(i not in links for i in theirs):
                    continue
                rel = INVERSE.get(x["relationship"], x["relationship"]) if rev \
                    else x["relationship"]
                st = [s_status[i] for i in mine]
                if all(v == "passed" for v in st):
                    status = "passed"
                elif "failed" in st:
                    status = "failed"
                elif all(v == "out_of_scope" for v in st):
                    status = "out_of_scope"
                elif all(v in ("not_assessed", "out_of_scope") for v in st):
                    status = "not_assessed"
                else:
                    status = "in_progress"
                worst = max((FAILS.index(s_actions[a]["test"]) for i in mine
                             if s_status[i] == "failed" for a in s_ctl_actions[i]
                             if s_actions[a]["status"] == "failed"), default=0)
                for i in theirs:
                    links[i].append((status, rel, worst))

    def implies(status, rel):
        if status == "passed":
            return "covered" if rel in FULL else "partial"
        if status == "failed":
            return "failed" if rel in FULL else "in_progress"
        return "in_progress" if status == "in_progress" else "none"

    claim = {}
    for c in ctls:
        best = "none"
        for status, rel, _ in links[c["id"]]:
            i = implies(status, rel)
            best = i if ORDER.index(i) > ORDER.index(best) else best
        claim[c["id"]] = best
    answers = {}
    users = {}
    for c in ctls:
        for a in c["actions"]:
            users.setdefault(a, []).append(c["id"])
    for a, cs in users.items():
        if a in s_actions:  # shared: the answer as the assessment gives it
            answers[a] = (s_actions[a]["implementation"], s_actions[a]["test"])
            continue
        i = max((claim[c] for c in cs), key=ORDER.index)
        if i == "none":
            continue
        worst = max((w for c in cs for st, rel, w in links[c] if implies(st, rel) == "failed"),
                    default=0)
        answers[a] = ("implemented" if i == "covered" else "partially_implemented",
                      "in_progress" if i == "in_progress" else
                      FAILS[worst] if i == "failed" else "passed")

    def answer(a):
        return answers.get(a, ("not_implemented", "not_assessed"))

    def oos(a):
        return "out_of_scope" in answer(a)

    def points(a):
        d = acts[a]
        return d.get("points") or POINTS[(d["type"], d["enforcement"])]

    in_scope = [c for c in ctls if not all(oos(a) for a in c["actions"])]
    counted = {a for c in in_scope for a in c["actions"] if not oos(a)}
    ach = sum(points(a) * credit(profile, *answer(a)) for a in counted)
    pos = sum(points(a) * 100 for a in counted)

    def astatus(a):
        im, te = answer(a)
        cr = credit(profile, im, te)
        if oos(a):
            return "out_of_scope"
        if cr == 100 and te == "passed":
            return "passed"
        if te in FAILS:
            return "failed"
        if 0 < cr < 100:
            return "partial"
        if im == "not_implemented" and te == "not_assessed":
            return "not_assessed"
        return "in_progress"

    counts = {k: 0 for k in ("passed", "failed", "in_progress", "not_assessed", "out_of_scope")}
    per = {}
    for c in ctls:
        if c not in in_scope:
            st = "out_of_scope"
        else:
            sts = [astatus(a) for a in c["actions"] if not oos(a)]
            st = ("passed" if all(x == "passed" for x in sts) else
                  "failed" if "failed" in sts else
                  "not_assessed" if all(x == "not_assessed" for x in sts) else "in_progress")
        counts[st] += 1
        per[c["id"]] = {"status": st, "implies": claim[c["id"]]}
    pct = None if not pos else (20000 * ach + pos) // (2 * pos) / 100
    print(json.dumps({"score": {"achieved": ach / 100, "possible": pos / 100, "percent": pct},
                      "counts": counts, "controls": per}, sort_keys=True))


if __name__ == "__main__":
    main()
