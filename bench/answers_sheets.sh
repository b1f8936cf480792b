#!/usr/bin/env bash
# Benchmark (issue 8): read a 100,000-row answers file as JSON, CSV and xlsx with posture, and
# the same xlsx with openpyxl read_only; wall time and peak RSS of each. Not a test: figures only.
#
#   bench/answers_sheets.sh [ROWS]      (POSTURE=path/to/posture, default build-release/posture)
#
# Build posture without sanitizers first:
#   cmake -S . -B build-release -DCMAKE_BUILD_TYPE=Release && make -C build-release -j
set -eu
ROWS=${1:-100000}
HERE=$(cd "$(dirname "$0")/.." && pwd)
POSTURE=${POSTURE:-$HERE/build-release/posture}
PY=""
for p in python3 /usr/bin/python3; do "$p" -c 'import openpyxl' 2>/dev/null && { PY=$p; break; }; done
[ -x "$POSTURE" ] || { echo "no posture binary at $POSTURE" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "needs GNU time (/usr/bin/time)" >&2; exit 1; }
TMP=$(mktemp -d /tmp/posture-bench.XXXXXX)
trap 'rm -rf "$TMP"' EXIT

# a template of ROWS actions (one control each, 100 families) and answers to every action
python3 - "$ROWS" "$TMP" <<'PY'
import json, random, sys
rows, out = int(sys.argv[1]), sys.argv[2]
random.seed(8)
fams = []
per = max(1, rows // 100)
for f in range(0, rows, per):
    fams.append({"id": f"F{f // per + 1}", "title": f"Family {f // per + 1}",
                 "controls": [{"id": f"C{i}", "title": f"Control {i}", "actions": [f"act.bench.{i}"]}
                              for i in range(f, min(rows, f + per))]})
acts = [{"id": f"act.bench.{i}", "title": f"Action {i}: keep the register, review it yearly",
         "type": ["preventive", "detective", "corrective"][i % 3],
         "enforcement": ["mandatory", "discretionary"][i % 2],
         "implementation_type": ["technical", "operational", "documentation"][i % 3],
         "owner": "customer"} for i in range(rows)]
json.dump({"format": "posture-template/1", "id": "bench", "version": "1.0.0", "title": "Bench",
           "families": fams, "actions": acts}, open(f"{out}/bench.json", "w"))
impl = ["not_implemented", "planned", "partially_implemented", "implemented", "alternative"]
test = ["not_assessed", "in_progress", "passed", "failed_low", "failed_medium", "failed_high"]
answers = []
for i in range(rows):
    answers.append({"action": f"act.bench.{i}", "implementation": random.choice(impl),
                    "test": random.choice(test), "tested_at": f"2026-{1 + i % 12:02d}-{1 + i % 28:02d}",
                    "assigned_to": f"owner{i % 97}@example.org",
                    "notes": "Reviewed with the owner; findings, if any, tracked in the register. " * (1 + i % 3),
                    "evidence": [f"https://wiki.example.org/evidence/{i}/{k}" for k in range(i % 4)]})
json.dump({"format": "posture-answers/1", "template": "bench", "template_version": "1.0.0",
           "assessment": {"name": "Bench"}, "answers": answers}, open(f"{out}/answers.json", "w"))
PY
printf 'action\n' >"$TMP/empty.csv"

measure() { # LABEL CMD...: wall seconds, CPU seconds (user + system) and peak RSS
  local label=$1
  shift
  /usr/bin/time -f "%e %U %S %M" -o "$TMP/time" "$@" >/dev/null 2>"$TMP/err" || { cat "$TMP/err" >&2; exit 1; }
  read -r secs user sys kb <"$TMP/time"
  printf '%-44s %7.2f s wall %7.2f s cpu %8.1f MiB\n' "$label" "$secs" "$(echo "$user + $sys" | bc -l)" \
    "$(echo "$kb / 1024" | bc -l)"
}

T="$TMP/bench.json"
"$POSTURE" answers convert "$TMP/answers.json" -o "$TMP/answers.csv" --template "$T" >/dev/null
measure "write xlsx (answers convert json -> xlsx)" "$POSTURE" answers convert "$TMP/answers.json" -o "$TMP/answers.xlsx" --template "$T"
ls -l "$TMP"/answers.* | awk '{printf "%-44s %7.1f MiB\n", $NF, $5 / 1048576}' | sed "s|$TMP/||"
python3 -c 'import sys, zipfile
for i in zipfile.ZipFile(sys.argv[1]).infolist():
    if i.file_size > 1 << 20: print("  %-42s %7.1f MiB uncompressed" % (i.filename, i.file_size / 1048576))' "$TMP/answers.xlsx"
echo "--- posture answers validate (template load included) ---"
measure "template only (header-only CSV)" "$POSTURE" answers validate --template "$T" "$TMP/empty.csv"
for f in json csv xlsx; do
  measure "validate $ROWS answers: .$f" "$POSTURE" answers validate --template "$T" "$TMP/answers.$f"
done
if [ -n "$PY" ]; then
  cat >"$TMP/read.py" <<'PY'
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1], read_only=True)
ws = wb["Improvement actions"]
n = 0
for row in ws.iter_rows(values_only=True):
    n += 1
print(n)
PY
  measure "openpyxl read_only: iterate the same xlsx" "$PY" "$TMP/read.py" "$TMP/answers.xlsx"
else
  echo "openpyxl: not installed, skipped"
fi
