# answers_lib.sh - helpers of the answer sheet CLI tests (sourced after lib.sh).

# A python3 with openpyxl (the shims of a version manager may lack it), else "".
PY=""
for p in python3 /usr/bin/python3; do "$p" -c 'import openpyxl' 2>/dev/null && { PY=$p; break; }; done

# must MSG CMD...: one check: CMD succeeds, else a failure saying MSG
must() {
  local msg=$1
  shift
  CHECKS=$((CHECKS + 1))
  "$@" || fail "$msg"
}

# same WANT GOT MSG: the two files are byte for byte the same, else a failure with their diff
same() {
  CHECKS=$((CHECKS + 1))
  cmp -s "$1" "$2" || { fail "$3"; diff "$1" "$2" | head -20 | sed 's/^/  /'; }
}

# jnorm FILE: the JSON document of FILE on one line, keys sorted (for comparisons)
jnorm() { jq -cS . "$1"; }
