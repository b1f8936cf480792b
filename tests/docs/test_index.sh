#!/usr/bin/env bash
# docs/README.md lists every page of docs/ and docs/formats/; README.md links it; the links of
# README.md, docs/README.md and docs/formats/*.md lead to files that exist and, with #anchor, to
# one of their headings (GitHub's anchors).
. "$(dirname "$0")/../cli/lib.sh"
cd "$SRC"
for page in docs/*.md docs/formats/*.md; do
  [ "$page" = docs/README.md ] && continue
  check; grep -qF "](${page#docs/})" docs/README.md || bad "docs/README.md does not list $page"
done
check; grep -qF "](docs/README.md)" README.md || bad "README.md does not link docs/README.md"
check; ! grep -q "project's specification" README.md || bad "README.md still points at the specification"
python3 - README.md docs/README.md docs/formats/*.md <<'PY' || bad "broken links (above)"
import os, re, sys
def anchors(path):
    out = set()
    for line in open(path, encoding="utf-8"):
        m = re.match(r"#+ (.*)", line)
        if m:
            slug = re.sub(r"[^\w\- ]", "", m.group(1).strip().lower()).replace(" ", "-")
            out.add(slug)
    return out
bad = 0
for page in sys.argv[1:]:
    text = re.sub(r"```.*?```", "", open(page, encoding="utf-8").read(), flags=re.S)
    for target in re.findall(r"\]\(([^)\s]+)\)", text):
        if re.match(r"[a-z]+:", target):
            continue
        path, _, anchor = target.partition("#")
        full = os.path.normpath(os.path.join(os.path.dirname(page), path)) if path else page
        if not os.path.exists(full):
            print("FAIL: %s: link to %s: no such file" % (page, target)); bad += 1
        elif anchor and full.endswith(".md") and anchor not in anchors(full):
            print("FAIL: %s: link to %s: no such heading" % (page, target)); bad += 1
sys.exit(1 if bad else 0)
PY
finish
