#!/usr/bin/env python3
"""catalogue.py - run the bad-input catalogue (tests/bad/catalogue.txt) against $POSTURE.

Each record of the catalogue:

    == NAME                 a label (unique)
    env VAR=VALUE           optional, repeatable: set in posture's environment
    gen KIND FILE [N]       optional, repeatable: make FILE with gen.py first (big inputs)
    big                     optional: a case of tens of megabytes, left out when
                            CATALOGUE_SKIP_BIG=1 (under valgrind, where it takes a minute)
    $ ARGS...               posture's arguments (split on blanks)
    ? CODE                  the exact exit code
    ~ TEXT                  optional, repeatable: standard output contains TEXT
    ! COMMAND               optional, repeatable: a shell command that must succeed afterwards
    | LINE                  the exact standard error, one line each (none: must be empty)

Each command runs in a scratch directory of its own holding the inputs (template/, answers/,
profile/, csv/, xlsx/, mapping/, and worked.json and worked-answers.json from tests/fixtures), so the file
names in messages are short and stable. CATALOGUE_JOBS=N runs N cases at a time. A failing command (exit code other than 0) must leave standard output empty
unless `~` lines say otherwise.

With CATALOGUE_TIMES=1 each case's time is printed. With UPDATE_CATALOGUE=1 the `?` and `|`
lines are rewritten from what posture does now (review
the diff!). Environment: POSTURE (the binary, or a command line), SRC (source root).
"""
import concurrent.futures
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import time

SRC = os.environ["SRC"]
POSTURE = shlex.split(os.environ["POSTURE"])
HERE = os.path.join(SRC, "tests", "bad")
CATALOGUE = os.path.join(HERE, "catalogue.txt")
UPDATE = os.environ.get("UPDATE_CATALOGUE") == "1"


def parse(lines):
    records, cur = [], None
    for no, line in enumerate(lines, 1):
        line = line.rstrip("\n")
        if line.startswith("== "):
            cur = {"name": line[3:], "line": no, "env": {}, "gen": [], "args": None, "code": None,
                   "out": [], "checks": [], "err": [], "big": False}
            records.append(cur)
        elif cur is None or not line or line.startswith("#"):
            continue
        elif line.startswith("env "):
            k, v = line[4:].split("=", 1)
            cur["env"][k] = v
        elif line == "big":
            cur["big"] = True
        elif line.startswith("gen "):
            cur["gen"].append(line[4:].split())
        elif line.startswith("$ "):
            cur["args"] = line[2:].split()
        elif line.startswith("? "):
            cur["code"] = int(line[2:])
        elif line.startswith("~ "):
            cur["out"].append(line[2:])
        elif line.startswith("! "):
            cur["checks"].append(line[2:])
        elif line.startswith("|"):
            cur["err"].append(line[2:] if line.startswith("| ") else "")
        else:
            sys.exit("%s:%d: cannot read %r" % (CATALOGUE, no, line))
    return records


INPUT_DIRS = ("template", "answers", "profile", "csv", "xlsx", "mapping")


def run_case(r, cwd, inputs):
    """Run one record in its own directory (the inputs linked into it); returns
    (exit code, stderr lines, problems)."""
    os.mkdir(cwd)
    for name in os.listdir(inputs):
        os.symlink(os.path.join(inputs, name), os.path.join(cwd, name))
    for g in r["gen"]:
        subprocess.run([sys.executable, os.path.join(HERE, "gen.py"), g[0],
                        os.path.join(cwd, g[1])] + g[2:], check=True)
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("POSTURE_") and k not in ("SOURCE_DATE_EPOCH",)}
    env.update({"LC_ALL": "C.UTF-8", "COLUMNS": "100", "SOURCE_DATE_EPOCH": "1763632800"})
    env.update(r["env"])
    t0 = time.monotonic()
    p = subprocess.run(POSTURE + r["args"], cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if os.environ.get("CATALOGUE_TIMES") == "1":
        print("%6.2fs %s" % (time.monotonic() - t0, r["name"]))
    out = p.stdout.decode("utf-8", "replace")
    err = p.stderr.decode("utf-8", "replace").splitlines()
    problems = []
    if p.returncode != r["code"]:
        problems.append("exit code %d, expected %s" % (p.returncode, r["code"]))
    if err != r["err"]:
        problems.append("stderr differs:\n" + "".join(
            "  - %s\n" % l for l in r["err"]) + "".join("  + %s\n" % l for l in err))
    for t in r["out"]:
        if t not in out:
            problems.append("stdout lacks %r" % t)
    if p.returncode != 0 and not r["out"] and out:
        problems.append("stdout not empty on failure: %r" % out[:200])
    for c in r["checks"]:
        cp = subprocess.run(c, shell=True, cwd=cwd, env=dict(env, SRC=SRC),
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        if cp.returncode != 0:
            problems.append("check failed: %s\n  %s" % (c, cp.stdout.decode(errors="replace")))
    shutil.rmtree(cwd, ignore_errors=True)
    return p.returncode, err, problems


def main():
    with open(CATALOGUE) as f:
        lines = f.readlines()
    records = parse(lines)
    names = [r["name"] for r in records]
    dup = {n for n in names if names.count(n) > 1}
    if dup:
        sys.exit("catalogue: duplicate names: %s" % ", ".join(sorted(dup)))
    tmp = tempfile.mkdtemp(prefix="posture-bad.")
    results = {}
    try:
        inputs = os.path.join(tmp, "inputs")
        os.mkdir(inputs)
        for d in INPUT_DIRS:
            if os.path.isdir(os.path.join(HERE, d)):
                shutil.copytree(os.path.join(HERE, d), os.path.join(inputs, d))
        for f in ("worked.json", "worked-answers.json"):
            shutil.copy(os.path.join(SRC, "tests", "fixtures", f), inputs)
        skip_big = os.environ.get("CATALOGUE_SKIP_BIG") == "1"
        todo = [(i, r) for i, r in enumerate(records) if not (skip_big and r["big"])]
        skipped = len(records) - len(todo)
        jobs = max(1, int(os.environ.get("CATALOGUE_JOBS") or 1))
        with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
            done = list(pool.map(lambda ir: run_case(ir[1], os.path.join(tmp, "case%d" % ir[0]),
                                                     inputs), todo))
        fails = 0
        for (_, r), (code, err, problems) in zip(todo, done):
            results[r["name"]] = (code, err)
            if problems and not UPDATE:
                fails += 1
                print("FAIL %s (catalogue.txt:%d): %s" % (r["name"], r["line"], "; ".join(problems)))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    if UPDATE:
        rewrite(lines, results)
    ran = len(records) - skipped
    print("%d cases, %d passed, %d failed%s" % (ran, ran - fails, fails,
                                                ", %d big ones skipped" % skipped if skipped else ""))
    return 1 if fails else 0


def rewrite(lines, results):
    out, name = [], None
    for line in lines:
        if line.startswith("== "):
            name = line[3:].rstrip("\n")
        if name in results and (line.startswith("? ") or line.startswith("|")):
            if line.startswith("? "):
                code, err = results[name]
                out.append("? %d\n" % code)
                out.extend(("| %s\n" % l) if l else "|\n" for l in err)
            continue
        out.append(line)
    with open(CATALOGUE, "w") as f:
        f.writelines(out)


if __name__ == "__main__":
    sys.exit(main())
