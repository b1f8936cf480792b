#!/usr/bin/env bash
# The EU regulation templates (issue 21): each has exactly the expected articles and valid
# mapping references (eu_completeness.py), each shares an action with another template in at
# least 60% of its controls (sharing.py), and each passes `template validate --strict` alone.
set -u
: "${SRC:?SRC (source root) must be set}"
fail=0
python3 "$SRC/tests/templates/eu_completeness.py" --self-test || fail=1
python3 "$SRC/tests/templates/eu_completeness.py" "$SRC" || fail=1
python3 "$SRC/tests/templates/sharing.py" --self-test || fail=1
python3 "$SRC/tests/templates/sharing.py" --check "$SRC" || fail=1
if [ -n "${POSTURE:-}" ]; then
    for t in gdpr-2016-679 nis2-2022-2555 dora-2022-2554; do
        out=$("$POSTURE" --templates "$SRC/templates" template validate --strict \
                "$SRC/templates/$t.json" 2>&1)
        rc=$?
        case "$t" in
            gdpr-2016-679) want="4 families, 60 controls, 67 actions" ;;
            nis2-2022-2555) want="5 families, 27 controls, 75 actions" ;;
            dora-2022-2554) want="7 families, 102 controls, 110 actions" ;;
        esac
        if [ "$rc" -ne 0 ] || [ "$out" != "$SRC/templates/$t.json: valid ($want)" ]; then
            echo "FAIL: template validate --strict $t: exit $rc: $out"
            fail=1
        else
            echo "ok template validate --strict $t: $want"
        fi
    done
fi
# The Litware example (assessments/litware-*.json): one set of answers split over three files.
# Every action one file answers must be answered identically by each other file whose template
# counts it (an action only referenced by not-applicable controls is not counted), so that the
# three assessments share their answers in a store (tests/store/test_store_eu_example.sh).
python3 - "$SRC" <<'PY' || fail=1
import json, os, sys
src = sys.argv[1]
files = {"litware-iso27001-2022.json": "iso-iec-27001-2022", "litware-gdpr.json": "gdpr-2016-679",
         "litware-nis2.json": "nis2-2022-2555"}
docs, counted = {}, {}
for f, tid in files.items():
    d = json.load(open(os.path.join(src, "assessments", f), encoding="utf-8"))
    assert d["template"] == tid, f
    docs[f] = {a["action"]: a for a in d["answers"]}
    na = {c["control"] for c in d.get("controls", []) if c.get("applicable") is False}
    t = json.load(open(os.path.join(src, "templates", tid + ".json"), encoding="utf-8"))
    counted[f] = {a for fam in t["families"] for c in fam["controls"] if c["id"] not in na
                  for a in c["actions"]}
bad, shared = 0, 0
for f in files:
    for g in files:
        if f == g:
            continue
        for aid, ans in sorted(docs[g].items()):
            if aid not in counted[f]:
                continue
            shared += 1
            if aid not in docs[f]:
                print(f"FAIL: assessments/{f}: no answer for {aid}, which {g} answers")
                bad += 1
            elif docs[f][aid] != ans:
                print(f"FAIL: assessments/{f}: answer for {aid} differs from {g}")
                bad += 1
print(f"{'FAIL' if bad else 'ok'}: Litware example: {shared} answers shared between file pairs, "
      f"{bad} missing or different")
sys.exit(1 if bad else 0)
PY
exit $fail
