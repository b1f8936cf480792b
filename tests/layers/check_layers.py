#!/usr/bin/env python3
"""The layering of src/ (README's module map, docs/architecture.md), checked.

A module is src/<layer>/<name>.c with its internal header src/<layer>/<name>.h and its public
header include/posture/<name>.h. Two graphs between modules are checked:
  - includes: module A -> B when a file of A includes a header of B (#include "...");
  - links (with --build DIR): A -> B when A's object file uses a symbol B's defines (nm).
Each must have no cycle, and an edge may only go to the module's own layer folder or to a
lower layer: never up, never sideways into a sibling layer (report and store are siblings).
Usage: check_layers.py [--build DIR] [SRC_ROOT]; exit 1 with one line per problem.
"""
import os, re, subprocess, sys

RANK = {"base": 0, "model": 1, "score": 2, "sheets": 3, "report": 4, "store": 4, "cli": 5}
# headers whose module has another name: public headers of another module, internal headers
# of a module split over several files
PUBLIC_ALIAS = {"store_admin": "store_copy", "posture": "cli:umbrella"}
INTERNAL_ALIAS = {"template_ids": "template", "store_core": "store"}
# header-only public modules and their layer
HEADER_ONLY = {"version": "base"}


def modules(root):
    """name -> layer for every src/<layer>/<name>.{c,h}."""
    mods = {}
    for layer in RANK:
        d = os.path.join(root, "src", layer)
        for f in sorted(os.listdir(d)) if os.path.isdir(d) else []:
            base, ext = os.path.splitext(f)
            if ext in (".c", ".h") and base not in INTERNAL_ALIAS:
                mods[base] = layer
    mods.update(HEADER_ONLY)
    stray = [f for f in os.listdir(os.path.join(root, "src")) if f.endswith((".c", ".h"))]
    return mods, stray


def include_graph(root, mods, problems):
    edges = {}
    files = []
    for m, layer in mods.items():
        for ext in (".c", ".h"):
            p = os.path.join(root, "src", layer, m + ext)
            if os.path.exists(p):
                files.append((m, p))
    for h, m in INTERNAL_ALIAS.items():
        p = os.path.join(root, "src", mods.get(m, "-"), h + ".h")
        if os.path.exists(p):
            files.append((m, p))
    pub = os.path.join(root, "include", "posture")
    for f in sorted(os.listdir(pub)):
        if not f.endswith(".h"):
            continue
        m = os.path.splitext(f)[0]
        files.append((PUBLIC_ALIAS.get(m, m), os.path.join(pub, f)))
    files.append(("cli:umbrella", os.path.join(root, "include", "posture.h")))
    for m, p in files:
        here = os.path.dirname(p)
        for n, line in enumerate(open(p, encoding="utf-8"), 1):
            g = re.match(r'\s*#\s*include\s+"([^"]+)"', line)
            if not g:
                continue
            inc = g.group(1)
            cand = [os.path.join(here, inc), os.path.join(root, "src", inc),
                    os.path.join(root, "include", inc)]
            target = next((c for c in cand if os.path.exists(c)), None)
            if not target:
                problems.append(f"{os.path.relpath(p, root)}:{n}: cannot resolve \"{inc}\"")
                continue
            t = os.path.splitext(os.path.basename(target))[0]
            t = INTERNAL_ALIAS.get(t, t)
            if os.path.relpath(target, root) == os.path.join("include", "posture.h"):
                t = "cli:umbrella"
            elif os.path.dirname(os.path.relpath(target, root)) == os.path.join("include", "posture"):
                t = PUBLIC_ALIAS.get(t, t)
            if t != m:
                edges.setdefault(m, {}).setdefault(t, f"{os.path.relpath(p, root)}:{n}")
    return edges


def link_graph(build, root, mods, problems):
    objs = {}
    for dirpath, _, names in os.walk(os.path.join(build, "CMakeFiles")):
        rel = os.path.relpath(dirpath, os.path.join(build, "CMakeFiles"))
        if not (rel.startswith("posture.dir") or rel.startswith("posture_cli.dir")):
            continue
        for f in names:
            if f.endswith(".c.o"):
                objs[f[:-4]] = os.path.join(dirpath, f)
    if not objs:
        problems.append(f"{build}: no object files of posture or posture_cli (build it first)")
        return {}
    defined, used = {}, {}
    for m, o in objs.items():
        out = subprocess.run(["nm", "-P", o], capture_output=True, text=True, check=True).stdout
        for line in out.splitlines():
            parts = line.split()
            if len(parts) < 2:
                continue
            sym, kind = parts[0], parts[1]
            if kind == "U":
                used.setdefault(m, set()).add(sym)
            elif kind in "TDBRVWC":
                defined[sym] = m
    edges = {}
    for m, syms in used.items():
        for s in sorted(syms):
            t = defined.get(s)
            if t and t != m:
                edges.setdefault(m, {}).setdefault(t, f"{m}.o uses {s}")
    return edges


def layer_of(m, mods):
    return "cli" if m == "cli:umbrella" else mods.get(m)


def check(edges, mods, what, problems):
    for a, outs in sorted(edges.items()):
        for b, where in sorted(outs.items()):
            la, lb = layer_of(a, mods), layer_of(b, mods)
            if la is None or lb is None or la == lb:
                continue
            if RANK[lb] > RANK[la]:
                problems.append(f"{what}: {where}: {la}/{a} uses the higher layer {lb}/{b}")
            elif RANK[lb] == RANK[la]:
                problems.append(f"{what}: {where}: {la}/{a} uses the sibling layer {lb}/{b}")
    # cycles: strongly connected components with more than one module
    index, low, stack, on, sccs = {}, {}, [], set(), []
    sys.setrecursionlimit(10000)

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in edges.get(v, {}):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                sccs.append(sorted(comp))

    for v in sorted(set(edges) | {w for o in edges.values() for w in o}):
        if v not in index:
            visit(v)
    for comp in sccs:
        detail = "; ".join(f"{a} -> {b} ({edges[a][b]})" for a in comp for b in comp
                           if b in edges.get(a, {}))
        problems.append(f"{what}: cycle between {', '.join(comp)}: {detail}")


def main(argv):
    build = None
    if len(argv) > 1 and argv[1] == "--build":
        build = argv[2]
        argv = argv[:1] + argv[3:]
    root = argv[1] if len(argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "..")
    problems = []
    mods, stray = modules(root)
    for f in stray:
        problems.append(f"src/{f}: a module outside the layer folders")
    check(include_graph(root, mods, problems), mods, "include", problems)
    if build:
        check(link_graph(build, root, mods, problems), mods, "link", problems)
    for p in problems:
        print(p)
    print(f"{len(mods)} modules in {len(RANK)} layers: "
          f"{'no cycle, no upward or sideways use' if not problems else f'{len(problems)} problems'}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
