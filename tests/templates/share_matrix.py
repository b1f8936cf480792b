#!/usr/bin/env python3
"""Regenerate (or --check) the generated tables of templates/README.md.

Usage: share_matrix.py [--check] [SRC]

Between the markers `<!-- library table -->` ... `<!-- end library table -->` it writes one row
per template file (every version), and between `<!-- share matrix -->` ... `<!-- end share
matrix -->` the matrix: for the current (highest) version of each template id, row T and
column U give how many of T's controls use at least one action that some control of U uses,
so that one answer counts for both (T's own controls only, not those of a base it extends;
U with its base, as an assessment of U loads it). The diagonal is T's control count.
--check exits 1 (and prints a diff) when the README is not what this script would write.
Python 3 standard library only.
"""
import difflib
import glob
import json
import os
import re
import sys

SEMVER = re.compile(r"(\d+)\.(\d+)\.(\d+)\Z")


def semver(v):
    m = SEMVER.match(v)
    return tuple(int(x) for x in m.groups()) if m else (-1,)


def load(src):
    out = []
    for path in sorted(glob.glob(os.path.join(src, "templates", "*.json"))):
        d = json.load(open(path, encoding="utf-8"))
        d["_file"] = os.path.basename(path)
        out.append(d)
    return out


def resolve(ref, temps):
    tid, _, ver = ref.partition("@")
    cands = [t for t in temps if t["id"] == tid and (not ver or t["version"] == ver)]
    return max(cands, key=lambda t: semver(t["version"])) if cands else None


def chain(t, temps):
    out = [t]
    while out[0].get("extends"):
        b = resolve(out[0]["extends"], temps)
        if b is None or b in out:
            break
        out.insert(0, b)
    return out


def own_controls(t):
    return [c for f in t["families"] for c in f["controls"]]


def library_table(temps):
    defs = {}       # action id -> list of (template id, definition)
    for t in temps:
        for a in t["actions"]:
            defs.setdefault(a["id"], []).append((t["id"], a))
    rows = ["| template | version | file | extends | families | controls | actions | shared | title |",
            "|---|---|---|---|---|---|---|---|---|"]
    for t in sorted(temps, key=lambda t: (t["id"], [-x for x in semver(t["version"])])):
        shared = sum(1 for a in t["actions"]
                     if any(tid != t["id"] and d == a for tid, d in defs[a["id"]]))
        rows.append(f'| `{t["id"]}` | {t["version"]} | `{t["_file"]}` | {t.get("extends", "")} '
                    f'| {len(t["families"])} | {len(own_controls(t))} | {len(t["actions"])} '
                    f'| {shared} | {t["title"]} |')
    return rows


def matrix(temps):
    cur = {}
    for t in temps:
        if t["id"] not in cur or semver(t["version"]) > semver(cur[t["id"]]["version"]):
            cur[t["id"]] = t
    ids = sorted(cur)
    used = {}
    for i in ids:
        used[i] = {a for t in chain(cur[i], temps) for c in own_controls(t) for a in c["actions"]}
    short = {i: str(n + 1) for n, i in enumerate(ids)}
    rows = ["| # | template (version) | " + " | ".join(short[i] for i in ids) + " |",
            "|---|---|" + "---|" * len(ids)]
    for i in ids:
        cells = []
        for j in ids:
            n = sum(1 for c in own_controls(cur[i]) if set(c["actions"]) & used[j])
            cells.append(str(n))
        rows.append(f"| {short[i]} | `{i}` ({cur[i]['version']}) | " + " | ".join(cells) + " |")
    return rows


def render(text, temps):
    for name, rows in (("library table", library_table(temps)), ("share matrix", matrix(temps))):
        start, end = f"<!-- {name} -->", f"<!-- end {name} -->"
        if start not in text or end not in text:
            raise SystemExit(f"templates/README.md: markers {start} ... {end} are missing")
        head, rest = text.split(start, 1)
        _, tail = rest.split(end, 1)
        text = head + start + "\n" + "\n".join(rows) + "\n" + end + tail
    return text


def main():
    args = sys.argv[1:]
    check = "--check" in args
    args = [a for a in args if a != "--check"]
    src = args[0] if args else os.path.dirname(os.path.dirname(os.path.dirname(
        os.path.abspath(__file__))))
    readme = os.path.join(src, "templates", "README.md")
    old = open(readme, encoding="utf-8").read()
    new = render(old, load(src))
    if check:
        if new != old:
            sys.stdout.writelines(difflib.unified_diff(
                old.splitlines(True), new.splitlines(True), "templates/README.md",
                "templates/README.md (regenerated)"))
            print("templates/README.md is not current: run tests/templates/share_matrix.py")
            return 1
        print("ok templates/README.md tables are current")
        return 0
    if new != old:
        with open(readme + ".tmp", "w", encoding="utf-8") as f:
            f.write(new)
        os.replace(readme + ".tmp", readme)
    return 0


if __name__ == "__main__":
    sys.exit(main())
