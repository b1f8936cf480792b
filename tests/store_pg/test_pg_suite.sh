#!/usr/bin/env bash
# The store test suite against PostgreSQL: every test of tests/store that takes
# POSTURE_TEST_DB (the cmocka programs and the shell scenarios) runs again here, each on
# empty databases of a throwaway cluster. ctest runs the same tests on SQLite as store_*.
. "$SRC/tests/cli/lib.sh"
. "$SRC/tests/store_pg/lib.sh"
: "${BUILD:?run through ctest}"
pg_up

# the cmocka programs: one database per store they open ("%d" in the URI)
for src in "$SRC"/tests/store/test_*.c; do
  name=$(basename "$src" .c)
  grep -q POSTURE_TEST_DB "$src" || { echo "not on PostgreSQL: $name does not take POSTURE_TEST_DB"; continue; }
  for k in $(seq 1 40); do newdb "${name}_$k"; done
  check
  RC=0
  (cd "$SRC/tests" && POSTURE_TEST_DB=$(pg_uri "${name}_%d") "$BUILD/tests/$name") >"$TMP/$name.out" 2>&1 || RC=$?
  if [ "$RC" = 0 ]; then
    echo "ok: $name on PostgreSQL ($(grep -c '^\[       OK \]' "$TMP/$name.out") passed, $(grep '^\[  SKIPPED \] [a-z]' "$TMP/$name.out" | sort -u | wc -l) skipped as SQLite-only)"
  else
    bad "$name on PostgreSQL: exit $RC"
    sed 's/^/  /' "$TMP/$name.out"
  fi
  # the keyscore table the triggers keep is the overall rule, in every store it left
  for k in $(seq 1 40); do
    [ "$(sql "${name}_$k" -c "SELECT to_regclass('keyscore') IS NOT NULL")" = t ] || continue
    check
    [ "$(keyscore_ok "${name}_$k")" = ok ] || bad "$name: keyscore of store $k is not the overall rule"
  done
done

# the shell scenarios: one empty database each
for script in "$SRC"/tests/store/test_*.sh; do
  name=$(basename "$script" .sh)
  grep -q POSTURE_TEST_DB "$script" || { echo "not on PostgreSQL: $name does not take POSTURE_TEST_DB"; continue; }
  newdb "$name"
  check
  RC=0
  POSTURE_TEST_DB=$(pg_uri "$name") bash "$script" >"$TMP/$name.out" 2>&1 || RC=$?
  if [ "$RC" = 0 ]; then
    echo "ok: $name on PostgreSQL: $(tail -1 "$TMP/$name.out")"
  else
    bad "$name on PostgreSQL: exit $RC"
    sed 's/^/  /' "$TMP/$name.out"
  fi
  check
  [ "$(keyscore_ok "$name")" = ok ] || bad "$name: keyscore is not the overall rule"
done
finish
