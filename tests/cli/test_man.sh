#!/usr/bin/env bash
# The man pages and shell completion the build writes ($BUILD/man, $BUILD/completion) come from
# the same command table as --help: every usage line and option of --help is in the page, each
# page renders without a warning, and bash completes commands, subcommands and options.
. "$(dirname "$0")/lib.sh"
: "${BUILD:?run through ctest}"
MAN="$BUILD/man" COMP="$BUILD/completion"
GROUPS_=(template answers score report init assessment answer control history log overall store)

check; [ -f "$MAN/posture.1" ] || bad "no $MAN/posture.1"
for g in "${GROUPS_[@]}"; do
  check; [ -f "$MAN/posture-$g.1" ] || bad "no $MAN/posture-$g.1"
  check; grep -q "^\\\\fBposture\\\\-$g\\\\fR(1)" "$MAN/posture.1" || bad "posture(1) does not point to posture-$g(1)"
done
# the build's pages are what posture prints now
for p in posture "${GROUPS_[@]/#/posture-}"; do
  run --man "$p"
  expect_rc 0
  check; cmp -s "$OUT" "$MAN/$p.1" || bad "$MAN/$p.1 is not posture --man $p"
done
run --man nope
expect_rc 2
expect_stderr "posture: --man: no page 'nope' (posture, or posture-COMMAND)"
run --completion fish
expect_rc 2
expect_stderr "posture: --completion: no shell 'fish' (bash or zsh)"

# every --help usage line and option is in the page (rendered wide: no line breaks)
subs() { case $1 in
  template) echo list show validate import ;; answers) echo init validate convert ;;
  assessment) echo create list show set upgrade delete ;; answer) echo set import ;;
  control) echo scope ;; store) echo copy ;; *) echo "" ;; esac; }
if command -v man >/dev/null; then
  for g in "${GROUPS_[@]}"; do
    rendered=$(MANWIDTH=400 man -l "$MAN/posture-$g.1" 2>"$TMP/warn" | sed 's/‐/-/g')
    check; [ ! -s "$TMP/warn" ] || { bad "man -l posture-$g.1 warns"; sed 's/^/  /' "$TMP/warn"; }
    for s in $(subs "$g") ""; do
      [ -z "$s" ] && [ -n "$(subs "$g")" ] && continue
      "$POSTURE" "$g" ${s:+"$s"} --help >"$TMP/help" 2>&1
      while IFS= read -r line; do
        case $line in
          "usage: "*) want=${line#usage: } ;;
          "       posture "*) want=${line#       } ;;
          "  -"*) want=$(printf '%s\n' "$line" | sed -E 's/^  (-., )?(--[a-z-]+).*/\2/') ;;
          *) continue ;;
        esac
        check; printf '%s\n' "$rendered" | grep -qF -- "$want" || bad "posture-$g(1) lacks: $want"
      done <"$TMP/help"
    done
  done
  MANWIDTH=80 man -l "$MAN/posture.1" >/dev/null 2>"$TMP/warn"
  check; [ ! -s "$TMP/warn" ] || bad "man -l posture.1 warns: $(cat "$TMP/warn")"
fi

# bash: the script parses, and completes
check; bash -n "$COMP/posture.bash" || bad "posture.bash does not parse"
complete_() { # complete_ WORD...: the completions of the last word
  bash -c '. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _posture; printf "%s\n" "${COMPREPLY[@]}"' \
    _ "$COMP/posture.bash" "$@" | sort | tr '\n' ' '
}
check; [ "$(complete_ posture sco)" = "score " ] || bad "posture sco: $(complete_ posture sco)"
check; [ "$(complete_ posture answers '')" = "convert init validate " ] || bad "posture answers: $(complete_ posture answers '')"
check; [ "$(complete_ posture score --t)" = "--template --top " ] || bad "posture score --t: $(complete_ posture score --t)"
check; [ "$(complete_ posture --db x.db template list --)" = "--help --json " ] || bad "template list --: $(complete_ posture --db x.db template list --)"
check; [ "$(complete_ posture assessment delete x --y)" = "--yes " ] || bad "assessment delete --y"
if command -v zsh >/dev/null; then
  check; zsh -n "$COMP/_posture" || bad "_posture does not parse"
fi
finish
