#!/usr/bin/env python3
"""Generate large templates and answers for the store's tests and benchmarks.

  gen.py template --id ID [--version V] --actions N [--shared S] -o FILE
      N actions: the first S are act.shared.K (technical, the same in every template
      made with this script), the rest act.ID.K; controls of 5 actions, families of
      20 controls. Implementation types, types and enforcement rotate.
  gen.py answers TEMPLATE -o FILE [--name NAME] [--skip K]
      an answer for every action of TEMPLATE (every K-th skipped), statuses rotating.
"""
import argparse
import json

TYPES = ["preventive", "detective", "corrective"]
ENF = ["mandatory", "discretionary"]
IMPL = ["technical", "operational", "documentation"]
ANS = [("implemented", "passed"), ("implemented", "failed_low"), ("planned", "not_assessed"),
       ("alternative", "passed"), ("partially_implemented", "in_progress"),
       ("not_implemented", "not_assessed"), ("implemented", "passed")]


def template(a):
    actions = []
    for k in range(a.actions):
        if k < a.shared:
            aid, impl = "act.shared.%d" % k, "technical"
        else:
            aid, impl = "act.%s.%d" % (a.id, k), IMPL[k % 3]
        actions.append({"id": aid, "title": "Action %d" % k, "type": TYPES[k % 3],
                        "enforcement": ENF[(k // 3) % 2], "implementation_type": impl,
                        "owner": "customer"})
    controls = [{"id": "C%d" % (c // 5), "title": "Control %d" % (c // 5),
                 "actions": [x["id"] for x in actions[c:c + 5]]}
                for c in range(0, len(actions), 5)]
    families = [{"id": "F%d" % (f // 20), "title": "Family %d" % (f // 20),
                 "controls": controls[f:f + 20]} for f in range(0, len(controls), 20)]
    return {"format": "posture-template/1", "id": a.id, "version": a.version,
            "title": "Generated %s" % a.id, "families": families, "actions": actions}


def answers(a):
    with open(a.template) as f:
        t = json.load(f)
    out = []
    for k, act in enumerate(t["actions"]):
        if a.skip and k % a.skip == 0:
            continue
        impl, test = ANS[k % len(ANS)]
        out.append({"action": act["id"], "implementation": impl, "test": test})
    return {"format": "posture-answers/1", "template": t["id"],
            "assessment": {"name": a.name or t["id"]}, "answers": out}


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="what", required=True)
    t = sub.add_parser("template")
    t.add_argument("--id", required=True)
    t.add_argument("--version", default="1.0.0")
    t.add_argument("--actions", type=int, required=True)
    t.add_argument("--shared", type=int, default=0)
    t.add_argument("-o", required=True)
    s = sub.add_parser("answers")
    s.add_argument("template")
    s.add_argument("--name")
    s.add_argument("--skip", type=int, default=0)
    s.add_argument("-o", required=True)
    a = p.parse_args()
    doc = template(a) if a.what == "template" else answers(a)
    with open(a.o, "w") as f:
        json.dump(doc, f, indent=None, separators=(",", ":"))


if __name__ == "__main__":
    main()
