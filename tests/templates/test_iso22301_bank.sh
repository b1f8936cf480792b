#!/usr/bin/env bash
# The ISO 22301:2019 bank example (assessments/iso-22301-bank.json) scores as computed by
# hand from scoring.md: 50 actions, controls 5.2.2 and 6.3 not applicable (6.3 takes its only
# action act.bcms.change-planning out of scope), act.phys.environmental out of scope by its
# answer, 48 counted actions worth 820 points. The unanswered provider action
# act.provider.continuity-program takes the template's attestation (implemented, passed,
# 2026-06-30); a customer answer for it wins over the attestation.
set -u
: "${SRC:?SRC (source root) must be set}"
: "${POSTURE:?POSTURE (the binary) must be set}"
"$POSTURE" score --help >/dev/null 2>&1 || { echo "skip: posture score not available"; exit 77; }

ex="$SRC/assessments/iso-22301-bank.json"
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
fail=0

summary() { # $1 answers file, $2 profile -> "achieved possible percent ctl_oos act_oos"
    "$POSTURE" --templates "$SRC/templates" score --template iso-22301-2019 \
        --answers "$1" --profile "$2" --json | python3 -c 'import json,sys
d=json.load(sys.stdin); s=d["score"]; c=d["counts"]
acts={a["id"]: a for a in d["actions"]}
p=acts["act.provider.continuity-program"]
print(s["achieved"], s["possible"], s["percent"], c["controls"]["out_of_scope"],
      c["actions"]["out_of_scope"], p["status"], p["tested_at"],
      acts["act.bcms.change-planning"]["status"], acts["act.phys.environmental"]["status"])'
}

check() { # $1 label, $2 got, $3 want
    if [ "$2" != "$3" ]; then
        echo "FAIL: $1: got '$2', want '$3'"
        fail=1
    else
        echo "ok $1: $3"
    fi
}

check "compliance-manager" "$(summary "$ex" compliance-manager)" \
    "557 820 67.93 2 2 passed 2026-06-30 out_of_scope out_of_scope"
check "self-attested" "$(summary "$ex" self-attested)" \
    "656.5 820 80.06 2 2 passed 2026-06-30 out_of_scope out_of_scope"

# A customer's own audit finding on the provider action overrides the attestation: 27 points lost.
python3 - "$ex" "$tmp/override.json" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
d["answers"].append({"action": "act.provider.continuity-program", "implementation": "implemented",
                     "test": "failed_medium", "tested_at": "2026-11-01"})
json.dump(d, open(sys.argv[2], "w"))
EOF
check "provider answer overrides attestation" "$(summary "$tmp/override.json" compliance-manager)" \
    "530 820 64.63 2 2 failed 2026-11-01 out_of_scope out_of_scope"

exit $fail
