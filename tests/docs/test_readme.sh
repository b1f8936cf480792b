#!/usr/bin/env bash
# README.md's sample output is what the command prints today: every fenced block that starts with
# "$ posture ..." is run from the project root (posture = the built program); the lines shown must
# be its output, or, when the block ends with "...", the start of it. The points the README
# quotes are those of docs/formats/profile.md (checked against posture by test_formats.sh).
. "$(dirname "$0")/../cli/lib.sh"
python3 - "$SRC/README.md" "$TMP" <<'PY' || bad "cannot read the README's blocks"
import re, sys
text = open(sys.argv[1], encoding="utf-8").read()
n = 0
for block in re.findall(r"```[a-z]*\n(.*?)```", text, re.S):
    lines = block.splitlines()
    if not lines or not lines[0].startswith("$ posture "):
        continue
    n += 1
    open("%s/cmd%d" % (sys.argv[2], n), "w").write(lines[0][len("$ posture "):] + "\n")
    open("%s/want%d" % (sys.argv[2], n), "w").write("\n".join(lines[1:]) + "\n")
open("%s/count" % sys.argv[2], "w").write("%d\n" % n)
PY
count=$(cat "$TMP/count")
check; [ "$count" -ge 1 ] || bad "README.md shows no '\$ posture' sample"
cd "$SRC"
for i in $(seq 1 "$count"); do
  read -r -a args <"$TMP/cmd$i"
  run "${args[@]}"
  expect_rc 0
  want="$TMP/want$i"
  if [ "$(tail -n 1 "$want")" = "..." ]; then
    head -n -1 "$want" >"$want.head"
    n=$(wc -l <"$want.head")
    check; head -n "$n" "$OUT" | cmp -s - "$want.head" ||
      { bad "README sample $i (posture ${args[*]}) is not how its output starts"; diff "$want.head" <(head -n "$n" "$OUT") | sed 's/^/  /'; }
  else
    check; cmp -s "$OUT" "$want" || { bad "README sample $i differs"; diff "$want" "$OUT" | sed 's/^/  /'; }
  fi
done

# "27 / 9 points for mandatory / discretionary preventive actions, 3 / 1 for detective and
# corrective ones" against profile.md's table
readme_points=$(tr '\n' ' ' <"$SRC/README.md" | grep -oE '[0-9]+ / [0-9]+ points for mandatory / discretionary preventive actions, [0-9]+ / [0-9]+ for detective and corrective' | grep -oE '[0-9]+' | tr '\n' ' ')
table=$(grep -E '^\| (preventive|detective|corrective) \|' "$SRC/docs/formats/profile.md" | tr -d '|' | awk '{print $2, $3}' | tr '\n' ' ')
check; [ "$readme_points" = "$(echo "$table" | awk '{print $1, $2, $3, $4}') " ] &&
  [ "$(echo "$table" | awk '{print $3, $4}')" = "$(echo "$table" | awk '{print $5, $6}')" ] ||
  bad "README points '$readme_points' vs profile.md table '$table'"
finish
