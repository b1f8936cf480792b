#!/usr/bin/env bash
# bench/: the benchmark harness still works. Runs `bench/run --smoke` once (1,000 actions, one
# repetition, on the test build) and checks that every benchmark ran, that bench/gen is
# deterministic, and that the floors write the same cells as posture. No timed assertions.
set -u
: "${POSTURE:?run through ctest}" "${SRC:?run through ctest}" "${BUILD:?run through ctest}"
command -v python3 >/dev/null || { echo "skipped: python3 not installed"; exit 77; }
command -v cc >/dev/null || { echo "skipped: no C compiler"; exit 77; }
export LC_ALL=C.UTF-8
unset POSTURE_DB POSTURE_TEMPLATES POSTURE_NOW
TMP=$(mktemp -d /tmp/posture-bench.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
FAILS=0
CHECKS=0
fail() {
  FAILS=$((FAILS + 1))
  printf 'FAIL (line %s): %s\n' "${BASH_LINENO[0]}" "$*"
}
check() { CHECKS=$((CHECKS + 1)); }

# the generator: same options, same bytes
python3 "$SRC/bench/gen" --actions 300 --template "$TMP/t1.json" --answers "$TMP/a1.json"
python3 "$SRC/bench/gen" --actions 300 --template "$TMP/t2.json" --answers "$TMP/a2.json"
check; cmp -s "$TMP/t1.json" "$TMP/t2.json" || fail "bench/gen template differs between runs"
check; cmp -s "$TMP/a1.json" "$TMP/a2.json" || fail "bench/gen answers differ between runs"
# ... and what it writes is a valid template and answers with the shape asked for
"$POSTURE" template validate --strict "$TMP/t1.json" >"$TMP/validate.out" 2>&1
check; [ $? = 0 ] || fail "generated template does not validate: $(cat "$TMP/validate.out")"
"$POSTURE" score --template "$TMP/t1.json" --answers "$TMP/a1.json" --json >"$TMP/s.json" 2>"$TMP/s.err"
check; [ $? = 0 ] || fail "generated answers do not score: $(cat "$TMP/s.err")"
python3 - "$TMP/s.json" "$TMP/t1.json" <<'EOF' || fail "generated shape differs"
import json, sys
s = json.load(open(sys.argv[1]))
t = json.load(open(sys.argv[2]))
assert s["counts"]["actions"]["total"] == 300, s["counts"]["actions"]
# 300 actions * sharing 1.5 / 4 per control = 113 controls, 40 per family
assert s["counts"]["controls"]["total"] == 113, s["counts"]["controls"]
assert len(t["families"]) == 3
refs = sum(len(c["actions"]) for f in t["families"] for c in f["controls"])
assert 440 <= refs <= 452, refs
EOF
check

python3 "$SRC/bench/run" --smoke --build-dir "$BUILD" --work "$TMP/work" >"$TMP/run.log" 2>&1
rc=$?
check; [ "$rc" = 0 ] || { fail "bench/run --smoke exit $rc"; sed 's/^/  /' "$TMP/run.log" | tail -30; }

# every benchmark that exists at this stage ran, or was skipped as not implemented yet
for name in cjson_parse score "score --json" "template validate" "report --json" \
  "report --json --compact" "report --xlsx" "xlsx_floor (process)" "answer import" \
  "answer set" overall; do
  check
  grep -qE "^  $(printf '%s' "$name" | sed 's/[][()*.+?^$|\\]/\\&/g') +[0-9]+  wall" "$TMP/run.log" ||
    grep -q "^note: $name: not implemented yet" "$TMP/run.log" ||
    grep -q "^note: store: not implemented yet" "$TMP/run.log" ||
    fail "no result for '$name'"
done
check; grep -q "phases (cpu ms): cjson_parse" "$TMP/run.log" || fail "no in-process phases"
check; grep -q "^== ratios" "$TMP/run.log" || fail "no ratios"
check; [ ! -e "$SRC/bench/RESULTS.md.tmp" ] || fail "stray file"

# the floors write the same cells as posture's workbook (what makes the ratio meaningful)
out="$TMP/work/out-1000"
if [ -s "$out/r.xlsx" ] && python3 -c 'import openpyxl' 2>/dev/null; then
  shopt -s nullglob
  py=("$out"/py-*.xlsx)   # the Python alternatives run only where python3-xlsxwriter is installed
  shopt -u nullglob
  python3 - "$out/r.xlsx" "$out/floor.xlsx" "${py[@]}" <<'EOF' || fail "floor workbooks differ from posture's"
import sys, warnings
warnings.simplefilter("ignore")
import openpyxl
def rows(path, sheet):
    out = []
    for r in openpyxl.load_workbook(path, read_only=True)[sheet].iter_rows(values_only=True):
        r = list(r)
        while r and r[-1] is None:
            r.pop()
        out.append(r)
    return out
ref = sys.argv[1]
for other in sys.argv[2:]:
    for sheet in ("Families", "Controls", "Improvement actions"):
        a, b = rows(ref, sheet), rows(other, sheet)
        assert a == b, f"{other} sheet {sheet}: differs from {ref}"
EOF
  check
fi

echo "$((CHECKS - FAILS)) passed, $FAILS failed"
[ "$FAILS" = 0 ]
