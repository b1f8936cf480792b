#!/usr/bin/env bash
# examples/dashboard: the bundled data matches the example summary; the page has no HTML
# injection sink and no network reference; rendered from file:// in headless Chromium it shows the
# example's numbers, and files loaded through its file API (null percent, hostile text, broken
# files) are shown as text with "n/a" and clear errors. Skipped (77) without chromium.
set -u
: "${SRC:?run through ctest}"
DASH="$SRC/examples/dashboard"
JSON="$DASH/northwind-2026.summary.json"
TMP=$(mktemp -d /tmp/posture-dashboard.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
FAILS=0
fail() { FAILS=$((FAILS + 1)); printf 'FAIL: %s\n' "$*"; }

# example-data.js is what make-example-data.sh makes from the committed JSON
if ! sh "$DASH/make-example-data.sh" "$TMP/example-data.js"; then
  fail "make-example-data.sh failed"
elif ! cmp -s "$TMP/example-data.js" "$DASH/example-data.js"; then
  fail "examples/dashboard/example-data.js is stale: run examples/dashboard/make-example-data.sh"
fi

# no way for summary text to become markup, no way to reach the network
if grep -nE 'innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(|new Function|fetch\(|XMLHttpRequest|WebSocket' \
     "$DASH/index.html"; then
  fail "index.html uses an HTML sink or a network API"
fi
if grep -niE '(src|href|action)="(https?:)?//|@import|url\((https?:)?//' "$DASH/index.html"; then
  fail "index.html references a remote resource"
fi

# the Content-Security-Policy admits the inline script by its hash, and no inline event handler
python3 - "$DASH/index.html" <<'PY' || fail "the CSP of index.html does not match its inline script"
import base64, hashlib, re, sys
page = open(sys.argv[1], encoding="utf-8").read()
scripts = re.findall(r"<script>(.*?)</script>", page, re.S)
csp = re.search(r'http-equiv="Content-Security-Policy"\s+content="([^"]*)"', page)
want = "'sha256-%s'" % base64.b64encode(hashlib.sha256(scripts[-1].encode()).digest()).decode() \
    if scripts else None
if not csp or len(scripts) != 1 or want not in csp.group(1) or "unsafe-inline" in csp.group(1).split("style-src")[0]:
    print("index.html: the policy's script-src must be: 'self' %s (and no 'unsafe-inline')" % want)
    sys.exit(1)
PY

CHROMIUM=${CHROMIUM:-$(command -v chromium || command -v chromium-browser || true)}
if [ -z "$CHROMIUM" ]; then
  [ "$FAILS" = 0 ] || exit 1
  echo "SKIP: chromium is not installed (Debian: apt-get install chromium); the dashboard was not rendered"
  exit 77
fi

# render URL OUT: the DOM after scripts ran, as headless Chromium serializes it
render() {
  local profile rc=0
  profile=$(mktemp -d "$TMP/profile.XXXXXX")
  timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$profile" --window-size=1280,1600 --virtual-time-budget=2000 \
    --dump-dom "$1" >"$2" 2>"$TMP/chromium.err" || rc=$?
  if [ "$rc" != 0 ] || ! grep -q '</html>' "$2"; then
    fail "chromium exit $rc rendering $1"
    sed 's/^/  chromium: /' "$TMP/chromium.err" | tail -20
  fi
}

# 1. the page as shipped: the bundled example with no interaction
render "file://$DASH/index.html" "$TMP/example.html"

# 2. a copy whose data script loads files through the page's own loader, as the file picker and
#    drop do: first the example, then a summary with nothing in scope and markup in its text
#    together with a broken file and a file of another format; with #click, it then clicks the
#    first card
mkdir "$TMP/page"
cp "$DASH/index.html" "$TMP/page/index.html"
python3 - "$JSON" "$TMP/page/example-data.js" "$TMP/crafted.json" <<'PY' || fail "cannot write the crafted data"
import copy, json, sys
src, out, crafted_out = sys.argv[1:4]
ex = json.load(open(src, encoding="utf-8"))
c = copy.deepcopy(ex)
c["assessment"]["name"] = "<img src=x onerror=\"document.title='pwned'\"> Evil & Co"
c["assessment"]["organization"] = "<b>Org</b>"
c["template"]["regulation"]["url"] = "javascript:document.title='pwned'"
c["score"] = {"achieved": 0, "possible": 0, "percent": None}
c["families"][0]["title"] = "<script>document.title='pwned'</script>"
c["families"][0]["score"] = {"achieved": 0, "possible": 0, "percent": None}
c["improvement_actions"][0]["title"] = "<i>italic</i> & \"quotes\""
c["improvement_actions"][0]["gain_percent"] = None
for i in range(15):
    c["improvement_actions"].append({"id": "act.extra.%02d" % i, "title": "Extra %d" % i,
                                     "gain": 1.5, "gain_percent": None, "risk": None})
json.dump(c, open(crafted_out, "w", encoding="utf-8"))
def files(pairs):
    return "[%s]" % ", ".join("new File([%s], %s)" % (json.dumps(t), json.dumps(n)) for n, t in pairs)
with open(out, "w", encoding="utf-8") as f:
    f.write("window.POSTURE_SUMMARIES = [%s];\n" % json.dumps(ex))
    f.write("document.addEventListener('DOMContentLoaded', function () {\n"
            "  var d = window.postureDashboard;\n"
            "  d.loadFiles(%s).then(function () {\n"
            "    return d.loadFiles(%s);\n"
            "  }).then(function () {\n"
            "    if (location.hash === '#click') document.querySelector('[data-summary-index=\"0\"]').click();\n"
            "  });\n"
            "});\n" % (files([("northwind.json", json.dumps(ex))]),
                        files([("crafted.json", json.dumps(c)), ("broken.json", "{oops"),
                               ("answers.json", '{"format": "posture-answers/1"}')])))
PY
render "file://$TMP/page/index.html" "$TMP/loaded.html"
render "file://$TMP/page/index.html#click" "$TMP/clicked.html"

python3 - "$JSON" "$TMP/crafted.json" "$TMP/example.html" "$TMP/loaded.html" "$TMP/clicked.html" <<'PY' || FAILS=$((FAILS + 1))
import json, re, sys
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}
class Node:
    def __init__(self, tag, attrs, parent):
        self.tag, self.attrs, self.parent, self.kids = tag, dict(attrs), parent, []
class Tree(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = self.cur = Node("#root", {}, None)
    def handle_starttag(self, tag, attrs):
        n = Node(tag, attrs, self.cur)
        self.cur.kids.append(n)
        if tag not in VOID:
            self.cur = n
    def handle_startendtag(self, tag, attrs):
        self.cur.kids.append(Node(tag, attrs, self.cur))
    def handle_endtag(self, tag):
        n = self.cur
        while n is not self.root and n.tag != tag:
            n = n.parent
        if n is not self.root:
            self.cur = n.parent
    def handle_data(self, data):
        self.cur.kids.append(data)

def parse(path):
    t = Tree()
    t.feed(open(path, encoding="utf-8").read())
    return t.root
def walk(n):
    for k in n.kids:
        if isinstance(k, Node):
            yield k
            yield from walk(k)
def find(n, **want):
    return [e for e in walk(n) if (not want.get("tag") or e.tag == want["tag"])
            and all(e.attrs.get(a.replace("_", "-")) == v for a, v in want.items() if a != "tag")]
def text(n):
    parts = []
    def rec(x):
        for k in x.kids:
            if isinstance(k, Node):
                if k.tag not in ("script", "style"):
                    rec(k)
            else:
                parts.append(k)
    rec(n)
    return " ".join("".join(parts).split())
def cells(row):
    return [text(c) for c in row.kids if isinstance(c, Node) and c.tag == "td"]

fails = 0
def check(cond, what):
    global fails
    if not cond:
        fails += 1
        print("FAIL:", what)
def one(root, what, **want):
    found = find(root, **want)
    check(len(found) == 1, "%s: %d elements match %r, expected 1" % (what, len(found), want))
    return found[0] if found else Node("#missing", {}, None)

def pct(v):
    return "n/a" if v is None else "%.2f%%" % v
def pts(v):
    return str(int(v)) if float(v).is_integer() else repr(v)
LABEL = {"passed": "Passed", "partial": "Partial", "failed": "Failed", "in_progress": "In progress",
         "not_assessed": "Not assessed", "out_of_scope": "Out of scope"}
CONTROL = ["passed", "failed", "in_progress", "not_assessed", "out_of_scope"]
RISK = {"high": "High", "medium": "Medium", "low": "Low", None: "\u2014"}

def check_summary(root, s, where):
    """The detail view of summary s is what the page shows."""
    sc = s["score"]
    check(text(one(root, where + " score", id="score-percent")) == pct(sc["percent"]),
          where + ": score percent is " + pct(sc["percent"]))
    check(text(one(root, where + " points", id="score-points")) ==
          "%s of %s points achieved" % (pts(sc["achieved"]), pts(sc["possible"])),
          where + ": achieved of possible points")
    check(text(one(root, where + " name", id="assessment-name")) == s["assessment"]["name"],
          where + ": assessment name shown as text")
    for group, statuses in (("controls", CONTROL), ("actions", ["partial"] + CONTROL)):
        for st in statuses + ["total"]:
            got = text(one(root, where + " count", data_count="%s-%s" % (group, st)))
            check(got == str(s["counts"][group][st]),
                  "%s: %s %s count %r, expected %d" % (where, group, st, got, s["counts"][group][st]))
    fams = [e for e in walk(root) if e.tag == "tr" and "data-family" in e.attrs]
    check([e.attrs["data-family"] for e in fams] == [f["id"] for f in s["families"]],
          where + ": family rows in template order")
    for e, f in zip(fams, s["families"]):
        want_controls = ", ".join("%d %s" % (f["controls"][st], LABEL[st].lower())
                                  for st in CONTROL if f["controls"][st])
        want = [f["id"], f["title"], "", pct(f["score"]["percent"]),
                "%s / %s" % (pts(f["score"]["achieved"]), pts(f["score"]["possible"])), "", want_controls]
        check(cells(e) == want, "%s: family %s row %r, expected %r" % (where, f["id"], cells(e), want))
    ctl = [e for e in walk(root) if e.tag == "tr" and "data-control" in e.attrs]
    check([e.attrs["data-control"] for e in ctl] == [c["id"] for c in s["controls"]],
          where + ": control rows in template order")
    for e, c in zip(ctl, s["controls"]):
        st = [text(x) for x in find(e, data_field="status")]
        check(st == [LABEL[c["status"]]], "%s: control %s status %r" % (where, c["id"], st))

def check_actions(root, actions, where):
    rows = [e for e in walk(root) if e.tag == "tr" and "data-action" in e.attrs]
    check([e.attrs["data-action"] for e in rows] == [a["id"] for a in actions],
          where + ": improvement action rows %r" % [e.attrs["data-action"] for e in rows])
    for i, (e, a) in enumerate(zip(rows, actions)):
        want = [str(i + 1), a["id"], a["title"], pts(a["gain"]), pct(a["gain_percent"]), "", RISK[a["risk"]]]
        check(cells(e) == want, "%s: action %s row %r, expected %r" % (where, a["id"], cells(e), want))

ex = json.load(open(sys.argv[1], encoding="utf-8"))
crafted = json.load(open(sys.argv[2], encoding="utf-8"))
check(pct(ex["score"]["percent"]) == "72.87%", "the example summary's score is 72.87")

# the page as shipped
root = parse(sys.argv[3])
check_summary(root, ex, "example")
check_actions(root, ex["improvement_actions"], "example")
check("72.87%" in text(root), "example: 72.87% on the page")
check(text(one(root, "source", id="source")) == "Bundled example (example-data.js)", "example: source line")
check(not find(root, tag="nav"), "example: no summary selector for one summary")
check(not find(root, tag="li", **{"class": "load-error"}), "example: no load errors")

# the copy that loaded files
root = parse(sys.argv[4])
check_summary(root, crafted, "loaded")
check_actions(root, crafted["improvement_actions"][:20], "loaded (first page of 20)")
pager = [text(e) for e in walk(root) if e.attrs.get("class") == "pager"]
check(pager == ["Showing 20 of 25. Show 5 more"], "loaded: pager %r" % pager)
check(text(one(root, "source", id="source")) == "2 summaries loaded from files", "loaded: source line")
cards = [e for e in walk(root) if e.tag == "button" and "data-summary-index" in e.attrs]
check([c.attrs.get("aria-pressed") for c in cards] == ["false", "true"],
      "loaded: two cards, the one loaded last selected")
if len(cards) == 2:
    check(text(cards[0]) == ex["assessment"]["name"] + "Northwind Traders Ltd \u00b7 SaaS security baseline72.87%",
          "loaded: card 1 " + text(cards[0]))
    check(text(cards[1]) == crafted["assessment"]["name"] + "<b>Org</b> \u00b7 SaaS security baselinen/a",
          "loaded: card 2 " + text(cards[1]))
errs = [text(e) for e in walk(root) if e.attrs.get("class") == "load-error"]
check(len(errs) == 2 and errs[0].startswith("broken.json: not valid JSON (")
      and errs[1] == 'answers.json: not a posture-summary/1 file (format is "posture-answers/1")',
      "loaded: errors %r" % errs)
# markup from the summary stayed text
check(not find(root, tag="img") and not find(root, tag="i") and "Org" not in [text(b) for b in find(root, tag="b")],
      "loaded: summary markup became elements")
check(len(find(root, tag="script")) == 2, "loaded: a script element came from the summary")
check(not [e for e in walk(root) if e.tag == "a" and not e.attrs.get("href", "").startswith("https://")],
      "loaded: a link that is not https")
check(text(one(root, "title", tag="title")) == "posture dashboard", "loaded: document title changed")
check(crafted["families"][0]["title"] in text(root), "loaded: script text shown as text")

# the same, then a click on the first card
root = parse(sys.argv[5])
check_summary(root, ex, "clicked")
check_actions(root, ex["improvement_actions"], "clicked")
check([e.attrs.get("aria-pressed") for e in walk(root) if "data-summary-index" in e.attrs] == ["true", "false"],
      "clicked: the first card selected")
check(len([e for e in walk(root) if e.attrs.get("class") == "load-error"]) == 2, "clicked: errors kept")

sys.exit(1 if fails else 0)
PY

[ "$FAILS" = 0 ] || { echo "$FAILS failure(s)"; exit 1; }
echo "dashboard: ok"
