#!/usr/bin/env bash
# Every summary posture writes validates against schemas/posture-summary-1.schema.json.
. "$SRC/tests/cli/lib.sh"
python3 -c 'import jsonschema' 2>/dev/null || { echo "skipped: python3-jsonschema is not installed"; exit 77; }
validate() {
  CHECKS=$((CHECKS + 1))
  python3 - "$SRC/schemas/posture-summary-1.schema.json" "$@" <<'PY' || fail "schema: $*"
import json, sys, jsonschema
schema = json.load(open(sys.argv[1]))
jsonschema.Draft202012Validator.check_schema(schema)
for f in sys.argv[2:]:
    jsonschema.Draft202012Validator(schema).validate(json.load(open(f)))
PY
}
i=0
for pair in "assessments/saas-baseline.template.json assessments/northwind-2026.answers.json" \
            "tests/fixtures/worked.json tests/fixtures/worked-answers.json"; do
  set -- $pair
  for profile in compliance-manager self-attested; do
    i=$((i + 1))
    run score --template "$SRC/$1" --answers "$SRC/$2" --profile "$profile" --json
    expect_rc 0
    cp "$OUT" "$TMP/s$i.json"
  done
done
for f in "$SRC"/assessments/*.answers.json "$SRC"/assessments/*-*.json; do
  [ -f "$f" ] || continue
  case "$f" in *template*) continue;; esac
  tid=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1])).get("template",""))' "$f" 2>/dev/null) || continue
  [ -n "$tid" ] || continue
  i=$((i + 1))
  run --templates "$SRC/templates" --templates "$SRC/assessments" score --template "$tid" --answers "$f" --json
  [ "$RC" = 0 ] && cp "$OUT" "$TMP/s$i.json"
done
validate "$TMP"/s*.json "$SRC"/tests/cli/golden/*.json "$SRC"/examples/dashboard/*.summary.json
# the other outputs against their own schemas
mkdir "$TMP/lib" && cp "$SRC/tests/fixtures/worked.json" "$TMP/lib/worked-example.json"
run --templates "$TMP/lib" --templates "$SRC/templates" template list --json
expect_rc 0
cp "$OUT" "$TMP/list.json"
run --templates "$TMP/lib" template show worked-example --json
expect_rc 0
cp "$OUT" "$TMP/outline.json"
for pair in "posture-templates-1 list" "posture-template-outline-1 outline"; do
  set -- $pair
  CHECKS=$((CHECKS + 1))
  python3 -c 'import json,sys,jsonschema; s=json.load(open(sys.argv[1])); jsonschema.Draft202012Validator.check_schema(s); jsonschema.Draft202012Validator(s).validate(json.load(open(sys.argv[2])))' \
    "$SRC/schemas/$1.schema.json" "$TMP/$2.json" || fail "$2 does not match $1"
done

# a summary that breaks the schema is caught (the validator is real)
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); d["score"]["percent"]="90"; json.dump(d,open(sys.argv[2],"w"))' "$TMP/s1.json" "$TMP/broken.json"
CHECKS=$((CHECKS + 1))
if python3 -c 'import json,sys,jsonschema; jsonschema.validate(json.load(open(sys.argv[2])), json.load(open(sys.argv[1])), cls=jsonschema.Draft202012Validator)' "$SRC/schemas/posture-summary-1.schema.json" "$TMP/broken.json" 2>/dev/null; then fail "a broken summary validated"; fi
finish
