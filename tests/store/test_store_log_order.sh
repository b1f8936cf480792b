#!/usr/bin/env bash
# The log of an import holds every change in the order of the file (implementation before test
# within an answer), however the store writes its entries (in batches on SQLite): 37 answers
# give a number of entries (59 + 1) that is not a multiple of the batch.
. "$SRC/tests/cli/lib.sh"
export POSTURE_DB="${POSTURE_TEST_DB:-$TMP/store.db}" POSTURE_TEMPLATES="$TMP" POSTURE_USER=tester
export POSTURE_NOW=2026-04-01T08:00:00Z
python3 "$SRC/tests/store/gen.py" template --id order --actions 37 -o "$TMP/order.json"
python3 "$SRC/tests/store/gen.py" answers "$TMP/order.json" -o "$TMP/answers.json"
run init
expect_rc 0
run assessment create O --template order
expect_rc 0
run answer import O "$TMP/answers.json"
expect_rc 0
expect_stdout "import of $TMP/answers.json into \"O\": 59 changes
  O: 0.00% -> 43.99% (128 of 291 points)"
run log O --json
expect_rc 0
check
python3 - "$OUT" "$TMP/answers.json" <<'PY' || bad "the log is not the file's changes in order"
import json, sys
log = json.load(open(sys.argv[1]))["entries"]
ans = json.load(open(sys.argv[2]))["answers"]
want = [("assessment created", None, None)]
for a in ans:
    if a["implementation"] != "not_implemented":
        want.append(("answer %s implementation" % a["action"], "not_implemented", a["implementation"]))
    if a["test"] != "not_assessed":
        want.append(("answer %s test" % a["action"], "not_assessed", a["test"]))
got = [(e["what"], e["old"], e["new"]) for e in log]
got[0] = (got[0][0], None, None)
if got != want:
    print("got %d entries, want %d" % (len(got), len(want)))
    for g, w in zip(got, want):
        if g != w:
            print("first difference: got %r, want %r" % (g, w))
            break
    sys.exit(1)
PY
finish
