#!/usr/bin/env bash
# Benchmarks of the store (issue 7): import 100,000 answers; overall over 100 assessments x
# 1,000 actions; report NAME from the store vs from files; answer set on 1,000 actions.
# Usage: bench/store_bench.sh [POSTURE_BINARY]   (default: a Release build in build-bench/)
# Prints wall-clock and CPU (user+sys) seconds; the machine's load shows in wall time only.
set -euo pipefail
cd "$(dirname "$0")/.."
SRC=$PWD
P=${1:-}
if [ -z "$P" ]; then
  cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=Release -DPOSTURE_TESTS=OFF >/dev/null
  cmake --build build-bench -j"$(nproc)" --target posture_cli >/dev/null
  P=$SRC/build-bench/posture
fi
W=$(mktemp -d /tmp/posture-bench.XXXXXX)
trap '[ -n "${KEEP:-}" ] || rm -rf "$W"' EXIT
export POSTURE_DB="$W/store.db" POSTURE_TEMPLATES="$W/t" POSTURE_USER=bench
mkdir -p "$W/t"
gen() { python3 "$SRC/tests/store/gen.py" "$@"; }

# measure LABEL CMD...: run once, print wall and CPU (user+sys) seconds
measure() {
  local label=$1 t r u s
  shift
  t=$( { TIMEFORMAT='%R %U %S'; time "$@" >/dev/null 2>"$W/err"; } 2>&1 )
  read -r r u s <<<"$t"
  awk -v l="$label" -v r="$r" -v u="$u" -v s="$s" \
    'BEGIN { printf "%-60s wall %7.3f s  cpu %7.3f s\n", l, r, u + s }'
}

"$P" init >/dev/null

echo "== import 100,000 answers"
gen template --id big --actions 100000 -o "$W/t/big.json"
gen answers "$W/t/big.json" -o "$W/big-answers.json"
measure "assessment create (100,000 actions)" "$P" assessment create Big --template big
measure "answer import (100,000 answers)" "$P" answer import Big "$W/big-answers.json"
measure "template validate (load alone, 100,000 actions)" "$P" template validate "$W/t/big.json"
measure "report Big --json (store)" "$P" report Big --json "$W/big-store.json"
measure "report --template --answers --json (files)" "$P" report --template big --answers "$W/big-answers.json" --json "$W/big-files.json"

echo "== overall over 100 assessments x 1,000 actions (500 shared technical)"
rm -f "$POSTURE_DB"*
"$P" init >/dev/null
for i in $(seq 0 99); do
  gen template --id ov$i --actions 1000 --shared 500 -o "$W/t/ov$i.json"
  gen answers "$W/t/ov$i.json" --skip $((i % 7 + 2)) -o "$W/ov$i-answers.json"
  "$P" assessment create "A$i" --template "ov$i" --group "g$((i % 4))" >/dev/null
  "$P" answer import "A$i" "$W/ov$i-answers.json" >/dev/null
done
"$P" overall | head -1
for k in 1 2 3; do measure "overall (run $k)" "$P" overall; done
measure "overall --json" "$P" overall --json
measure "overall --group g1" "$P" overall --group g1

echo "== report NAME vs files, 1,000 actions"
measure "report A7 --json (store)" "$P" report A7 --json "$W/a7-store.json"
measure "report --template ov7 --answers (files)" "$P" report --template ov7 --answers "$W/ov7-answers.json" --json "$W/a7-files.json"

echo "== answer set on 1,000 actions (shared with 99 other assessments)"
for k in 1 2 3; do
  measure "answer set A3 act.ov3.$((600 + k))" "$P" answer set A3 "act.ov3.$((600 + k))" --implementation implemented --test passed
done
measure "answer set A3 act.shared.$((7))  (touches 100 assessments)" "$P" answer set A3 act.shared.7 --note "bench"
