#!/usr/bin/env bash
# The layering of src/ (README's module map): check_layers.py finds no include or link cycle
# between modules and no module using a higher or a sibling layer, on this tree and its build;
# and it does find each kind of problem once one is put into a copy of the tree.
set -u
: "${SRC:?run through ctest}" "${BUILD:?run through ctest}"
here=$(cd "$(dirname "$0")" && pwd)
TMP=$(mktemp -d /tmp/posture-layers.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
fails=0
bad() { fails=$((fails + 1)); printf 'FAIL: %s\n' "$*"; }

out=$(python3 "$here/check_layers.py" --build "$BUILD" "$SRC" 2>&1) || bad "the tree: $out"
last=$(printf '%s\n' "$out" | tail -1)
case $last in
  *" modules in 7 layers: no cycle, no upward or sideways use") ;;
  *) bad "unexpected summary: $last" ;;
esac

# each problem, planted in a copy of the sources, is reported (exit 1, the exact line)
plant() { # plant FILE LINE: a copy of the tree with LINE added after FILE's first include
  rm -rf "$TMP/t" && mkdir -p "$TMP/t" && cp -r "$SRC/src" "$SRC/include" "$TMP/t/"
  sed -i "0,/^#include/s||$2\n#include|" "$TMP/t/$1"
}
expect() { # expect PROBLEM-LINE
  local rc=0 got
  got=$(python3 "$here/check_layers.py" "$TMP/t" 2>&1) || rc=$?
  [ "$rc" = 1 ] || bad "exit $rc, expected 1 for: $1"
  printf '%s\n' "$got" | grep -qxF "$1" || { bad "not reported: $1"; printf '%s\n' "$got" | sed 's/^/  /'; }
}
plant src/base/utf8.c '#include "model/jsonin.h"'
expect 'include: src/base/utf8.c:2: base/utf8 uses the higher layer model/jsonin'
plant src/report/report_json.c '#include "posture/store.h"'
expect 'include: src/report/report_json.c:2: report/report_json uses the sibling layer store/store'
plant src/base/strmap.c '#include "utf8.h"'
sed -i '0,/^#include/s||#include "strmap.h"\n#include|' "$TMP/t/src/base/utf8.c"
expect 'include: cycle between strmap, utf8: strmap -> utf8 (src/base/strmap.c:2); utf8 -> strmap (src/base/utf8.c:2)'

[ "$fails" = 0 ] && echo "ok: layers" || echo "$fails checks failed"
[ "$fails" = 0 ]
