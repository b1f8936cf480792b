#!/usr/bin/env python3
"""How much of each template's work is shared with the rest of the library.

Usage: sharing.py [SRC]            print a table for every templates/*.json
       sharing.py --check [SRC]    also fail (exit 1) when a template listed in MINIMUM
                                   shares fewer controls than its minimum
       sharing.py --self-test

An action is *shared* when another template file in templates/ defines the same action id
(check_library.py checks that such copies are identical): one answer then counts for every
template that uses it. A control is *sharing* when at least one of its actions is shared.
Issue 21 asks that at least 60% of the controls of each new, hand-written template be sharing,
so that one set of answers scores every regulation. Only the highest version of each template
id is measured, and other versions of the same id do not count as "another template"
(templates/README.md's tables are generated and checked by share_matrix.py). Python 3
standard library only.
"""
import glob
import json
import os
import sys

# template id -> minimum percentage of controls with at least one shared action.
# Add a row for every new hand-written template (OSCAL imports such as NIST SP 800-53 are exempt).
MINIMUM = {
    # EU regulations (issue 21)
    "gdpr-2016-679": 60,
    "nis2-2022-2555": 60,
    "dora-2022-2554": 60,
    # US regulations (issue 21)
    "hipaa-security-rule": 60,
    "nist-sp-800-171-rev3": 60,
    "cmmc-2.0-level-1": 60,
    "cmmc-2.0-level-2": 60,
}

# (template T, template U) -> minimum percentage of T's controls with at least one action that
# U defines too (one answer counts for both). Issue 20: SP 800-53 Moderate, linked to the
# ISO/IEC 27001:2022 actions through the OLIR mapping collection (template import --link).
PAIR_MINIMUM = {
    ("nist-sp-800-53-rev5-moderate", "iso-iec-27001-2022"): 60,
}


def semver(v):
    try:
        return tuple(int(x) for x in str(v).split("."))
    except ValueError:
        return (0,)


def load(tdir):
    best = {}
    for path in sorted(glob.glob(os.path.join(tdir, "*.json"))):
        with open(path, encoding="utf-8-sig") as f:
            doc = json.load(f)
        controls = [c for fam in doc.get("families", []) for c in fam.get("controls", [])]
        t = {"path": path, "id": doc.get("id"), "version": semver(doc.get("version")),
             "controls": controls, "actions": {a["id"] for a in doc.get("actions", [])}}
        if t["id"] not in best or t["version"] > best[t["id"]]["version"]:
            best[t["id"]] = t
    return [best[k] for k in sorted(best)]


def measure(templates):
    """id -> (controls, sharing controls, actions, shared actions)."""
    defined = {}
    for t in templates:
        for a in t["actions"]:
            defined.setdefault(a, set()).add(t["path"])
    res = {}
    for t in templates:
        shared = {a for a in t["actions"] if len(defined[a] - {t["path"]}) > 0}
        sharing = sum(1 for c in t["controls"] if any(a in shared for a in c.get("actions", [])))
        res[t["id"]] = (len(t["controls"]), sharing, len(t["actions"]), len(shared))
    return res


def pair(templates, tid, uid):
    """(controls of tid, of them with an action uid defines), or None when one is missing."""
    by = {t["id"]: t for t in templates}
    if tid not in by or uid not in by:
        return None
    other = by[uid]["actions"]
    ctl = by[tid]["controls"]
    return len(ctl), sum(1 for c in ctl if any(a in other for a in c.get("actions", [])))


def pct(n, d):
    return 100.0 * n / d if d else 0.0


def run(src, check, out=sys.stdout):
    templates = load(os.path.join(src, "templates"))
    res = measure(templates)
    print(f"{'template':32} {'controls':>8} {'sharing':>8} {'%':>7} {'actions':>8} {'shared':>7}",
          file=out)
    for tid in sorted(res):
        c, s, a, sa = res[tid]
        print(f"{tid:32} {c:8} {s:8} {pct(s, c):6.1f}% {a:8} {sa:7}", file=out)
    if not check:
        return 0
    fail = 0
    for tid, minimum in sorted(MINIMUM.items()):
        if tid not in res:
            print(f"FAIL: {tid}: listed in MINIMUM but not in templates/", file=out)
            fail = 1
            continue
        c, s, _, _ = res[tid]
        if pct(s, c) < minimum:
            print(f"FAIL: {tid}: {s} of {c} controls ({pct(s, c):.1f}%) share an action with "
                  f"another template; at least {minimum}% required", file=out)
            fail = 1
        else:
            print(f"ok {tid}: {s} of {c} controls ({pct(s, c):.1f}%) share an action "
                  f"(minimum {minimum}%)", file=out)
    for (tid, uid), minimum in sorted(PAIR_MINIMUM.items()):
        got = pair(templates, tid, uid)
        if got is None:
            print(f"FAIL: {tid} / {uid}: listed in PAIR_MINIMUM but not in templates/", file=out)
            fail = 1
            continue
        c, s = got
        word = "ok" if pct(s, c) >= minimum else "FAIL:"
        print(f"{word} {tid}: {s} of {c} controls ({pct(s, c):.1f}%) share an action with {uid} "
              f"(minimum {minimum}%)", file=out)
        fail |= word != "ok"
    return fail


def self_test():
    import io
    import tempfile

    def tpl(tid, controls, actions):
        return {"format": "posture-template/1", "id": tid, "version": "1.0.0", "title": tid,
                "families": [{"id": "F", "title": "F", "controls": [
                    {"id": f"C{i}", "title": "c", "actions": acts}
                    for i, acts in enumerate(controls)]}],
                "actions": [{"id": a} for a in actions]}

    global MINIMUM, PAIR_MINIMUM
    saved, saved_pairs, failed = MINIMUM, PAIR_MINIMUM, 0
    PAIR_MINIMUM = {}
    cases = [
        # 3 of 4 controls (75%) share act.x with "other": passes 60%
        ("pass", {"new": 60}, [tpl("new", [["act.x"], ["act.x", "act.n1"], ["act.x"], ["act.n2"]],
                                   ["act.x", "act.n1", "act.n2"]),
                               tpl("other", [["act.x"]], ["act.x"])], 0,
         "ok new: 3 of 4 controls (75.0%)"),
        # 1 of 2 controls (50%): fails 60%
        ("fail", {"new": 60}, [tpl("new", [["act.x"], ["act.n1"]], ["act.x", "act.n1"]),
                               tpl("other", [["act.x"]], ["act.x"])], 1,
         "FAIL: new: 1 of 2 controls (50.0%)"),
        # an action used twice inside one template is not shared
        ("self", {"new": 1}, [tpl("new", [["act.n1"], ["act.n1"]], ["act.n1"])], 1,
         "FAIL: new: 0 of 2 controls (0.0%)"),
        ("missing", {"gone": 60}, [tpl("new", [["act.n1"]], ["act.n1"])], 1,
         "FAIL: gone: listed in MINIMUM but not in templates/"),
    ]
    for name, minimum, docs, want_rc, want in cases:
        MINIMUM = minimum
        with tempfile.TemporaryDirectory() as d:
            os.makedirs(os.path.join(d, "templates"))
            for doc in docs:
                with open(os.path.join(d, "templates", doc["id"] + ".json"), "w") as f:
                    json.dump(doc, f)
            buf = io.StringIO()
            rc = run(d, True, buf)
        if rc != want_rc or want not in buf.getvalue():
            print(f"self-test {name}: FAILED (rc {rc}, want {want_rc}; want line: {want})\n"
                  + buf.getvalue())
            failed += 1
    # pairs: 2 of 3 controls of "a" (66.7%) use an action "b" defines
    PAIR_MINIMUM = {("a", "b"): 60}
    for name, docs, want_rc, want in [
            ("pair pass", [tpl("a", [["act.x"], ["act.y", "act.a"], ["act.a"]],
                               ["act.x", "act.y", "act.a"]),
                           tpl("b", [["act.x", "act.y"]], ["act.x", "act.y"])], 0,
             "ok a: 2 of 3 controls (66.7%) share an action with b (minimum 60%)"),
            ("pair fail", [tpl("a", [["act.x"], ["act.a"], ["act.a"]], ["act.x", "act.a"]),
                           tpl("b", [["act.x"]], ["act.x"])], 1,
             "FAIL: a: 1 of 3 controls (33.3%) share an action with b (minimum 60%)"),
            ("pair missing", [tpl("a", [["act.x"]], ["act.x"])], 1,
             "FAIL: a / b: listed in PAIR_MINIMUM but not in templates/")]:
        MINIMUM = {}
        cases.append((name, {}, docs, want_rc, want))
        with tempfile.TemporaryDirectory() as d:
            os.makedirs(os.path.join(d, "templates"))
            for doc in docs:
                with open(os.path.join(d, "templates", doc["id"] + ".json"), "w") as f:
                    json.dump(doc, f)
            buf = io.StringIO()
            rc = run(d, True, buf)
        if rc != want_rc or want not in buf.getvalue():
            print(f"self-test {name}: FAILED (rc {rc}, want {want_rc}; want line: {want})\n"
                  + buf.getvalue())
            failed += 1
    MINIMUM, PAIR_MINIMUM = saved, saved_pairs
    print(f"self-test: {len(cases) - failed}/{len(cases)} cases passed")
    return 1 if failed else 0


def main():
    args = sys.argv[1:]
    if args[:1] == ["--self-test"]:
        return self_test()
    check = args[:1] == ["--check"]
    if check:
        args = args[1:]
    src = args[0] if args else \
        os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    return run(os.path.abspath(src), check)


if __name__ == "__main__":
    sys.exit(main())
