#!/usr/bin/env bash
# cmake --install into a temporary prefix, then use the installed product from a directory that is
# not the checkout: the program and its templates, the man pages, a program built with pkg-config
# against the shared and against the static library, a bundled example scored.
. "$(dirname "$0")/../cli/lib.sh"
: "${BUILD:?run through ctest}"
prefix="$TMP/prefix"
away="$TMP/elsewhere"
mkdir -p "$away"

cmake --install "$BUILD" --prefix "$prefix" >"$TMP/install.log" 2>&1 || RC=$?
expect_rc 0
[ "$RC" = 0 ] || { tail -5 "$TMP/install.log"; finish; exit; }

# where the configured build puts things (lib/ or lib/<multiarch>/, as GNUInstallDirs chose)
libdir=$(sed -n 's/^CMAKE_INSTALL_LIBDIR:PATH=//p' "$BUILD/CMakeCache.txt")
libdir="$prefix/${libdir:-lib}"
configured=$(sed -n 's/^CMAKE_INSTALL_PREFIX:PATH=//p' "$BUILD/CMakeCache.txt")
version=$("$POSTURE" --version | sed -n 's/^posture //p')
major=${version%%.*}
P="$prefix/bin/posture"

# --- the files
for f in "bin/posture" "include/posture.h" "share/posture/templates" "share/posture/schemas" \
         "share/posture/examples/northwind-2026.answers.json"; do
  check; [ -e "$prefix/$f" ] || bad "not installed: $f"
done
check; [ -x "$P" ] || bad "bin/posture is not executable"
check; [ "$("$P" --version)" = "posture $version" ] || bad "installed --version: $("$P" --version)"
for h in "$SRC"/include/posture/*.h; do
  check; cmp -s "$h" "$prefix/include/posture/${h##*/}" || bad "header not installed: posture/${h##*/}"
done
for f in $(cd "$SRC/templates" && find . -path ./tools -prune -o -type f ! -name '*.md' -print) $(cd "$SRC/schemas" && find . -type f); do
  src="$SRC/templates/$f" dst="$prefix/share/posture/templates/$f"
  [ -e "$src" ] || { src="$SRC/schemas/$f" dst="$prefix/share/posture/schemas/$f"; }
  check; cmp -s "$src" "$dst" || bad "not installed as shipped: $dst"
done
check; [ ! -e "$prefix/share/posture/templates/README.md" ] || bad "templates/README.md installed"

# --- libposture.so: versioned, SONAME from the major version, only posture_* exported
check; [ -f "$libdir/libposture.so.$version" ] || bad "no $libdir/libposture.so.$version"
check; [ "$(readlink "$libdir/libposture.so.$major")" = "libposture.so.$version" ] || bad "libposture.so.$major link"
check; [ "$(readlink "$libdir/libposture.so")" = "libposture.so.$major" ] || bad "libposture.so link"
check; [ -f "$libdir/libposture.a" ] || bad "no $libdir/libposture.a"
soname=$(readelf -d "$libdir/libposture.so.$version" | sed -n 's/.*Library soname: \[\(.*\)\]/\1/p')
check; [ "$soname" = "libposture.so.$major" ] || bad "SONAME is '$soname', expected libposture.so.$major"
exported=$(nm -D --defined-only "$libdir/libposture.so.$version" | awk '{print $3}')
check; [ "$(grep -c '^posture_' <<<"$exported")" -gt 100 ] || bad "too few posture_* symbols exported"
check; [ -z "$(grep -v '^posture_' <<<"$exported")" ] || bad "exported beside posture_*: $(grep -v '^posture_' <<<"$exported" | head -3 | tr '\n' ' ')"

# --- the templates, from elsewhere (the program looks in the configured prefix's share/posture;
# this prefix is another one, so it is named in $POSTURE_TEMPLATES)
cd "$away"
check; grep -qaF "$configured/share/posture/templates" "$P" ||
  bad "the program does not look in $configured/share/posture/templates"
POSTURE_TEMPLATES="$prefix/share/posture/templates" "$P" template list >"$OUT" 2>"$ERR" || RC=$?
expect_rc 0
shipped=$(cd "$SRC/templates" && ls ./*.json | wc -l)
listed=$(($(wc -l <"$OUT") - 1))
check; [ "$listed" -ge "$shipped" ] && [ "$shipped" -ge 10 ] || bad "template list shows $listed templates, $shipped shipped"
POSTURE_TEMPLATES="$prefix/share/posture/templates" "$P" template list --json >"$TMP/list.json" 2>"$ERR" || RC=$?
expect_rc 0
for t in "$SRC"/templates/*.json; do
  id=$(jq -r .id "$t")
  ver=$(jq -r .version "$t")
  check; grep -q "^$id " "$OUT" || bad "template list lacks $id"
  file=$(jq -r --arg id "$id" --arg v "$ver" \
    '.templates[] | select(.id == $id and .version == $v) | .file' "$TMP/list.json")
  check; [ "$file" = "$prefix/share/posture/templates/${t##*/}" ] || bad "template list --json: $id@$ver in '$file'"
done

# --- a bundled example scored from the installed copy, its template found by id
RC=0
POSTURE_TEMPLATES="$prefix/share/posture/templates" "$P" score --template soc2-2017 \
  --answers "$prefix/share/posture/examples/soc2-startup.json" >"$OUT" 2>"$ERR" || RC=$?
expect_rc 0
expect_stdout_contains "Score: 80.09% (1066 of 1331 points)"
RC=0
"$P" score --template "$prefix/share/posture/examples/saas-baseline.template.json" \
  --answers "$prefix/share/posture/examples/northwind-2026.answers.json" >"$OUT" 2>"$ERR" || RC=$?
expect_rc 0
expect_stdout_contains "Score: 72.87% (231 of 317 points)"

# --- man pages and completions (generated at build time into $BUILD/man and $BUILD/completion)
if [ -d "$BUILD/man" ]; then
  pages=$(cd "$BUILD/man" && ls ./*.[1-8] 2>/dev/null | wc -l)
  check; [ "$pages" -ge 1 ] || bad "no man page in $BUILD/man"
  check; command -v man >/dev/null || bad "man is not installed (Debian: man-db)"
  for page in "$BUILD"/man/*.[1-8]; do
    name=${page##*/} sect=${page##*.}
    inst="$prefix/share/man/man$sect/$name"
    check; [ -f "$inst" ] || { bad "man page not installed: share/man/man$sect/$name"; continue; }
    command -v man >/dev/null || continue
    RC=0
    MANWIDTH=80 man --warnings -E UTF-8 -l "$inst" >"$OUT" 2>"$ERR" || RC=$?
    check; [ "$RC" = 0 ] && [ ! -s "$ERR" ] || bad "man -l $name: exit $RC: $(head -3 "$ERR")"
    check; grep -q "^NAME" "$OUT" && grep -q "${name%.*}" "$OUT" || bad "man -l $name: no NAME section naming it"
  done
else
  echo "note: $BUILD/man does not exist (no man pages generated by this build): man -l not run"
fi
if [ -d "$BUILD/completion" ]; then
  for c in "$BUILD"/completion/*; do
    name=${c##*/}
    [ "$name" = posture.bash ] && name=posture   # bash-completion looks it up by command name
    check; [ -n "$(find "$prefix/share" -type f -name "$name")" ] || bad "completion not installed: ${c##*/}"
  done
else
  echo "note: $BUILD/completion does not exist: no completion to look for"
fi

# --- a program built with pkg-config against the installed library: shared, then static. A
# build with the sanitizers has them in posture.pc's Libs: the program links their runtimes.
export PKG_CONFIG_PATH="$libdir/pkgconfig"
check; [ "$(pkg-config --variable=prefix posture)" = "$prefix" ] || bad "posture.pc prefix: $(pkg-config --variable=prefix posture)"
check; [ "$(pkg-config --modversion posture)" = "$version" ] || bad "posture.pc version: $(pkg-config --modversion posture)"
cp "$SRC/examples/embed/embed.c" "$away/"
want="worked-example: 90.32% (28 of 31 points)"
# shellcheck disable=SC2046
if cc -std=c11 -Wall -Wextra -Werror embed.c -o embed-shared $(pkg-config --cflags --libs posture) 2>"$ERR"; then
  check
  check; LD_LIBRARY_PATH="$libdir" ldd ./embed-shared | grep -q "libposture.so.$major => $libdir/libposture.so.$major" ||
    bad "embed-shared does not use $libdir/libposture.so.$major: $(LD_LIBRARY_PATH="$libdir" ldd ./embed-shared | grep posture)"
  got=$(LD_LIBRARY_PATH="$libdir" ./embed-shared "$SRC/tests/fixtures/worked.json" "$SRC/tests/fixtures/worked-answers.json" 2>&1)
  check; [ "$got" = "$want" ] || bad "embed-shared printed: $got"
else
  bad "cc embed.c \$(pkg-config --cflags --libs posture): $(head -5 "$ERR")"
fi
# libposture.so beside libposture.a is what -lposture finds: the static one is asked for by name
# (as README.md shows)
libs=$(pkg-config --static --libs posture | sed 's/-lposture /-l:libposture.a /')
# shellcheck disable=SC2086
if cc -std=c11 -Wall -Wextra -Werror embed.c -o embed-static $(pkg-config --static --cflags posture) $libs 2>"$ERR"; then
  check
  check; ! ldd ./embed-static | grep -q libposture || bad "embed-static needs libposture.so"
  got=$(./embed-static "$SRC/tests/fixtures/worked.json" "$SRC/tests/fixtures/worked-answers.json" 2>&1)
  check; [ "$got" = "$want" ] || bad "embed-static printed: $got"
else
  bad "cc embed.c \$(pkg-config --static --cflags --libs posture): $(head -5 "$ERR")"
fi
finish
