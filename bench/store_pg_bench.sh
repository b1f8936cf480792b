#!/usr/bin/env bash
# The store benchmarks (bench/store_bench.sh) on both backends side by side: SQLite (a file)
# and PostgreSQL (a throwaway cluster from tests/store_pg/pg-cluster, on a unix socket, the
# server's default settings, fsync on). Import 100,000 answers; overall over 100 assessments
# x 1,000 actions; report NAME from the store; answer set; store copy either way.
# Usage: bench/store_pg_bench.sh [POSTURE_BINARY]   (default: a Release build in build-bench/)
# Prints wall-clock seconds and the posture process's CPU (user+sys) seconds; PostgreSQL's
# own CPU is not in the latter.
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
PGDIR=$("$SRC/tests/store_pg/pg-cluster" start)
trap '"$SRC/tests/store_pg/pg-cluster" stop "$PGDIR"; [ -n "${KEEP:-}" ] || rm -rf "$W"' EXIT
PSQL="$("$SRC/tests/store_pg/pg-cluster" bindir)/psql"
newdb() { "$PSQL" -X -q -d "postgresql://posture@/postgres?host=$PGDIR" -c "CREATE DATABASE $1"; }
export POSTURE_TEMPLATES="$W/t" POSTURE_USER=bench POSTURE_NOW=2026-08-01T00:00:00Z SOURCE_DATE_EPOCH=1767225600
mkdir -p "$W/t"
gen() { python3 "$SRC/tests/store/gen.py" "$@"; }
SQ="$W/big.db" PG="postgresql://posture@/big?host=$PGDIR"
newdb big

# time_of CMD...: "wall cpu" of one run
time_of() {
  local t r u s
  t=$( { TIMEFORMAT='%R %U %S'; time "$@" >/dev/null 2>"$W/err"; } 2>&1 ) || { cat "$W/err" >&2; exit 1; }
  read -r r u s <<<"$t"
  awk -v r="$r" -v u="$u" -v s="$s" 'BEGIN { printf "%7.3f %7.3f", r, u + s }'
}
# both LABEL ARGS...: run `posture --db STORE ARGS` on each backend ({} in ARGS: a per-backend
# file name suffix), print the figures side by side
both() {
  local label=$1 a b
  shift
  a=$(time_of "$P" --db "$SQ" "${@//\{\}/sqlite}")
  b=$(time_of "$P" --db "$PG" "${@//\{\}/pg}")
  read -r aw ac <<<"$a"
  read -r bw bc <<<"$b"
  printf "%-52s %8.3f %8.3f   %8.3f %8.3f\n" "$label" "$aw" "$ac" "$bw" "$bc"
}
header() {
  printf "\n== %s\n%-52s %17s   %17s\n%-52s %8s %8s   %8s %8s\n" "$1" "" "SQLite" "PostgreSQL" \
    "" "wall s" "cpu s" "wall s" "cpu s"
}

"$P" --db "$SQ" init >/dev/null
"$P" --db "$PG" init >/dev/null
header "import 100,000 answers"
gen template --id big --actions 100000 -o "$W/t/big.json"
gen answers "$W/t/big.json" -o "$W/big-answers.json"
both "assessment create (100,000 actions)" assessment create Big --template big
both "answer import (100,000 answers)" answer import Big "$W/big-answers.json"
both "report Big --json (store)" report Big --json "$W/big-{}.json"
cmp "$W/big-sqlite.json" "$W/big-pg.json"
both "overall (1 assessment, 100,000 actions)" overall

header "overall over 100 assessments x 1,000 actions (500 shared technical)"
SQ="$W/ov.db" PG="postgresql://posture@/ov?host=$PGDIR"
newdb ov
"$P" --db "$SQ" init >/dev/null
"$P" --db "$PG" init >/dev/null
for i in $(seq 0 99); do
  gen template --id ov$i --actions 1000 --shared 500 -o "$W/t/ov$i.json"
  gen answers "$W/t/ov$i.json" --skip $((i % 7 + 2)) -o "$W/ov$i-answers.json"
  for db in "$SQ" "$PG"; do
    "$P" --db "$db" assessment create "A$i" --template "ov$i" --group "g$((i % 4))" >/dev/null
    "$P" --db "$db" answer import "A$i" "$W/ov$i-answers.json" >/dev/null
  done
done
"$P" --db "$SQ" overall | head -1
"$P" --db "$PG" overall | head -1
for k in 1 2 3; do both "overall (run $k)" overall; done
both "overall --json" overall --json
both "overall --group g1" overall --group g1
both "report A7 --json (store, 1,000 actions)" report A7 --json "$W/a7-{}.json"
cmp "$W/a7-sqlite.json" "$W/a7-pg.json"
for k in 1 2 3; do
  both "answer set A3 act.ov3.$((600 + k))" answer set A3 "act.ov3.$((600 + k))" --implementation implemented --test passed
done
both "answer set A3 act.shared.7 (touches 100 assessments)" answer set A3 act.shared.7 --note bench

printf "\n== store copy (the 100 x 1,000 store)\n%-52s %8s %8s\n" \
  "" "wall s" "cpu s"
newdb copied
printf "%-52s %8s %8s\n" "SQLite -> PostgreSQL (empty database)" \
  $(time_of "$P" store copy "$SQ" "postgresql://posture@/copied?host=$PGDIR")
printf "%-52s %8s %8s\n" "PostgreSQL -> SQLite (new file)" \
  $(time_of "$P" store copy "$PG" "$W/copied.db")
