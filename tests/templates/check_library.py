#!/usr/bin/env python3
"""Check the template library: every templates/*.json, the shared action registry
(templates/shared/actions.json) and the example answers in assessments/*.json.

Usage: check_library.py [SRC]   (SRC = source root, default: two levels above this script)

Checks what template-format.md and answers-format.md say without the C loader: syntax,
duplicate keys, UTF-8, required fields and types, enums, id syntax, semver, URLs, unknown
fields (as --strict does), duplicate ids, unknown action references, unreferenced actions,
`extends` resolution (missing base, cycles, redefined base ids), points and provider_status.
Library rules on top of the format:
  - an action whose id is in the registry is identical to the registry entry;
  - an action id defined in several template files is defined identically in all of them;
  - each template's own counts (families, controls, actions; base not included) match
    the EXPECTED table below: a new template needs a row.
Several versions of one template id may live side by side (a superseded version is kept as
ID-VERSION.json so stored assessments still load it); a reference to a template (`extends`,
an answers file's `template`) is `id` (the highest version) or `id@version` (that version).
Problems are printed as `FILE: /json/pointer: message`; exit status 1 if any.
Python 3 standard library only.
"""
import datetime
import glob
import json
import os
import re
import sys

# id -> (families, controls, actions) defined in the file itself (an extension's base
# is not counted). Add a row for every new template. A key `id` is the highest version of
# that id; a superseded version kept beside it needs its own `id@version` row.
EXPECTED = {
    "iso-iec-27001-2013": (21, 138, 99),
    "iso-iec-27001-2013@1.0.0": (14, 114, 87),
    "iso-iec-27001-2022": (11, 123, 107),
    "iso-iec-27001-2022@1.0.0": (4, 93, 94),
    "iso-iec-27701-2019": (4, 106, 31),
    "iso-iec-27701-2019@1.0.0": (4, 106, 43),
    "nist-csf-2.0": (6, 106, 98),
    "soc2-2017": (20, 61, 96),
    "soc2-2017@1.0.0": (20, 61, 96),
    "nist-sp-800-53-rev5-moderate": (18, 287, 287),
    "iso-22301-2012": (7, 38, 46),
    "iso-22301-2019": (7, 46, 50),
    "iso-iec-20000-1-2011": (6, 39, 63),
    "iso-iec-20000-1-2018": (7, 57, 71),
    "service-assurance-program": (6, 30, 54),
    "enterprise-risk-management": (6, 23, 29),
    # EU regulations (issue 21)
    "gdpr-2016-679": (4, 60, 67),
    "nis2-2022-2555": (5, 27, 75),
    "dora-2022-2554": (7, 102, 110),
}

FORMAT = "posture-template/1"
ANSWERS_FORMAT = "posture-answers/1"
TEMPLATE_ID = re.compile(r"[a-z0-9][a-z0-9.-]{0,63}\Z")
ACTION_ID = re.compile(r"act\.[a-z0-9.-]+\Z")
SEMVER = re.compile(r"(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\Z")
URL = re.compile(r"https?://[^\s]+\Z")
TYPES = ("preventive", "detective", "corrective")
ENFORCEMENTS = ("mandatory", "discretionary")
IMPL_TYPES = ("technical", "operational", "documentation")
OWNERS = ("customer", "provider", "shared")
IMPLEMENTATION = {"not_implemented": "Not implemented", "planned": "Planned",
                  "partially_implemented": "Partially implemented",
                  "implemented": "Implemented", "alternative": "Alternative implementation",
                  "out_of_scope": "Out of scope"}
TEST = {"not_assessed": "Not assessed", "in_progress": "In progress", "passed": "Passed",
        "failed_low": "Failed (low risk)", "failed_medium": "Failed (medium risk)",
        "failed_high": "Failed (high risk)", "out_of_scope": "Out of scope"}

TOP_FIELDS = {"format", "id", "version", "title", "description", "regulation", "extends",
              "families", "actions"}
REGULATION_FIELDS = {"name", "edition", "publisher", "url"}
FAMILY_FIELDS = {"id", "title", "description", "controls"}
CONTROL_FIELDS = {"id", "title", "description", "actions", "mappings"}
ACTION_FIELDS = {"id", "title", "description", "type", "enforcement", "implementation_type",
                 "owner", "points", "provider_status"}
PROVIDER_FIELDS = {"implementation", "test", "tested_at"}


class Checker:
    def __init__(self, src, expected=None, out=None):
        self.src = src
        self.expected = EXPECTED if expected is None else expected
        self.out = out if out is not None else sys.stdout
        self.errors = 0

    def say(self, line):
        print(line, file=self.out)

    def rel(self, path):
        return os.path.relpath(path, self.src)

    def err(self, path, pointer, msg):
        self.errors += 1
        self.say(f"{self.rel(path)}: {pointer or '/'}: {msg}")

    # -- reading -----------------------------------------------------------------
    def load(self, path):
        """Parse strictly: valid UTF-8 (BOM skipped), no duplicate keys. None on error."""
        try:
            raw = open(path, "rb").read()
        except OSError as e:
            self.err(path, "", f"cannot read: {e.strerror}")
            return None
        if raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as e:
            self.err(path, "", f"invalid UTF-8 at byte {e.start}")
            return None
        dups = []

        def pairs(items):
            seen = {}
            for k, v in items:
                if k in seen:
                    dups.append(k)
                seen[k] = v
            return seen

        try:
            doc = json.loads(text, object_pairs_hook=pairs)
        except json.JSONDecodeError as e:
            self.err(path, f"{e.lineno}:{e.colno}", f"syntax error: {e.msg}")
            return None
        for k in dups:
            self.err(path, "", f'duplicate key "{k}"')
        return doc

    # -- small typed field helpers -------------------------------------------------
    def unknown(self, path, ptr, obj, allowed):
        for k in obj:
            if k not in allowed:
                self.err(path, f"{ptr}/{esc(k)}", f'unknown field "{k}"')

    def string(self, path, ptr, obj, key, required=True, nonempty=True):
        if key not in obj:
            if required:
                self.err(path, ptr, f'missing required field "{key}"')
            return None
        v = obj[key]
        if not isinstance(v, str):
            self.err(path, f"{ptr}/{key}", "expected a string")
            return None
        if nonempty and not v.strip():
            self.err(path, f"{ptr}/{key}", "must not be empty")
            return None
        return v

    def enum(self, path, ptr, obj, key, allowed):
        v = self.string(path, ptr, obj, key)
        if v is not None and v not in allowed:
            self.err(path, f"{ptr}/{key}",
                     f'unknown value "{v}"; expected one of: {", ".join(allowed)}')
            return None
        return v

    def date(self, path, ptr, obj, key):
        v = self.string(path, ptr, obj, key, required=False)
        if v is not None:
            try:
                datetime.date.fromisoformat(v)
            except ValueError:
                self.err(path, f"{ptr}/{key}", f'not an ISO 8601 date: "{v}"')

    # -- actions -------------------------------------------------------------------
    def action(self, path, ptr, a):
        """Check one action object; return its id or None."""
        if not isinstance(a, dict):
            self.err(path, ptr, "expected an object")
            return None
        self.unknown(path, ptr, a, ACTION_FIELDS)
        aid = self.string(path, ptr, a, "id")
        if aid is not None and not ACTION_ID.match(aid):
            self.err(path, f"{ptr}/id", f'invalid action id "{aid}"')
        self.string(path, ptr, a, "title")
        self.string(path, ptr, a, "description", required=False)
        self.enum(path, ptr, a, "type", TYPES)
        self.enum(path, ptr, a, "enforcement", ENFORCEMENTS)
        self.enum(path, ptr, a, "implementation_type", IMPL_TYPES)
        owner = self.enum(path, ptr, a, "owner", OWNERS)
        if "points" in a:
            p = a["points"]
            if isinstance(p, bool) or not isinstance(p, (int, float)) or p != int(p) \
                    or not 1 <= p <= 99:
                self.err(path, f"{ptr}/points", "points must be an integer from 1 to 99")
        if "provider_status" in a:
            ps = a["provider_status"]
            q = f"{ptr}/provider_status"
            if owner is not None and owner != "provider":
                self.err(path, q, 'provider_status is only allowed with owner "provider"')
            if not isinstance(ps, dict):
                self.err(path, q, "expected an object")
            else:
                self.unknown(path, q, ps, PROVIDER_FIELDS)
                self.status(path, q, ps, "implementation", IMPLEMENTATION, required=True)
                self.status(path, q, ps, "test", TEST, required=True)
                self.date(path, q, ps, "tested_at")
        return aid

    def status(self, path, ptr, obj, key, vocab, required=False):
        v = self.string(path, ptr, obj, key, required=required)
        if v is None:
            return None
        t = v.strip().lower()
        for token, label in vocab.items():
            if t == token or t == label.lower():
                return token
        self.err(path, f"{ptr}/{key}",
                 f'unknown status "{v}"; expected one of: {", ".join(vocab)}')
        return None

    # -- templates -----------------------------------------------------------------
    def template(self, path, doc):
        """Check one template on its own; return a summary dict or None."""
        if not isinstance(doc, dict):
            self.err(path, "", "expected a JSON object")
            return None
        self.unknown(path, "", doc, TOP_FIELDS)
        if doc.get("format") != FORMAT:
            self.err(path, "/format", f'expected "{FORMAT}"')
        tid = self.string(path, "", doc, "id")
        if tid is not None and not TEMPLATE_ID.match(tid):
            self.err(path, "/id", f'invalid template id "{tid}"')
        ver = self.string(path, "", doc, "version")
        if ver is not None and not SEMVER.match(ver):
            self.err(path, "/version", f'not a semantic version: "{ver}"')
        self.string(path, "", doc, "title")
        self.string(path, "", doc, "description", required=False)
        if "regulation" in doc:
            reg = doc["regulation"]
            if not isinstance(reg, dict):
                self.err(path, "/regulation", "expected an object")
            else:
                self.unknown(path, "/regulation", reg, REGULATION_FIELDS)
                for k in REGULATION_FIELDS:
                    self.string(path, "/regulation", reg, k, required=False)
                url = reg.get("url")
                if isinstance(url, str) and not URL.match(url):
                    self.err(path, "/regulation/url", f'not an http(s) URL: "{url}"')
        ext = self.string(path, "", doc, "extends", required=False)

        info = {"path": path, "id": tid, "version": ver, "extends": ext,
                "families": {}, "controls": {}, "actions": {}, "refs": [],
                "nfamilies": 0, "ncontrols": 0}
        fams = doc.get("families")
        if not isinstance(fams, list) or not fams:
            self.err(path, "/families", "expected a non-empty array")
            fams = []
        for i, f in enumerate(fams):
            fp = f"/families/{i}"
            if not isinstance(f, dict):
                self.err(path, fp, "expected an object")
                continue
            self.unknown(path, fp, f, FAMILY_FIELDS)
            fid = self.string(path, fp, f, "id")
            self.string(path, fp, f, "title")
            self.string(path, fp, f, "description", required=False)
            if fid is not None:
                if fid in info["families"]:
                    self.err(path, f"{fp}/id", f'duplicate family id "{fid}"')
                info["families"][fid] = fp
            info["nfamilies"] += 1
            ctrls = f.get("controls")
            if not isinstance(ctrls, list) or not ctrls:
                self.err(path, f"{fp}/controls", "expected a non-empty array")
                ctrls = []
            for j, c in enumerate(ctrls):
                cp = f"{fp}/controls/{j}"
                if not isinstance(c, dict):
                    self.err(path, cp, "expected an object")
                    continue
                self.unknown(path, cp, c, CONTROL_FIELDS)
                cid = self.string(path, cp, c, "id")
                self.string(path, cp, c, "title")
                self.string(path, cp, c, "description", required=False)
                if cid is not None:
                    if cid in info["controls"]:
                        self.err(path, f"{cp}/id", f'duplicate control id "{cid}"')
                    info["controls"][cid] = cp
                info["ncontrols"] += 1
                acts = c.get("actions")
                if not isinstance(acts, list) or not acts:
                    self.err(path, f"{cp}/actions", "expected a non-empty array of action ids")
                    acts = []
                seen = set()
                for k, ref in enumerate(acts):
                    if not isinstance(ref, str):
                        self.err(path, f"{cp}/actions/{k}", "expected an action id string")
                        continue
                    if ref in seen:
                        self.err(path, f"{cp}/actions/{k}", f'action "{ref}" listed twice')
                    seen.add(ref)
                    info["refs"].append((f"{cp}/actions/{k}", ref))
                if "mappings" in c:
                    self.mappings(path, f"{cp}/mappings", c["mappings"])
        acts = doc.get("actions")
        if not isinstance(acts, list):
            self.err(path, "/actions", "expected an array")
            acts = []
        for i, a in enumerate(acts):
            ap = f"/actions/{i}"
            aid = self.action(path, ap, a)
            if aid is not None:
                if aid in info["actions"]:
                    self.err(path, f"{ap}/id", f'duplicate action id "{aid}"')
                else:
                    info["actions"][aid] = (ap, a)
        return info

    def mappings(self, path, ptr, m):
        if not isinstance(m, dict):
            self.err(path, ptr, "expected an object")
            return
        for fw, refs in m.items():
            if not TEMPLATE_ID.match(fw):
                self.err(path, f"{ptr}/{esc(fw)}", f'invalid framework id "{fw}"')
            if not isinstance(refs, list) or not all(isinstance(r, str) and r.strip()
                                                        for r in refs):
                self.err(path, f"{ptr}/{esc(fw)}", "expected an array of reference strings")
            elif len(set(refs)) != len(refs):
                self.err(path, f"{ptr}/{esc(fw)}", "duplicate reference")

    def chain(self, info, by_id):
        """The template and its bases, base first; None on a missing base or a cycle."""
        out, seen, cur = [], set(), info
        while cur is not None:
            if cur["id"] in seen:
                self.err(info["path"], "/extends", f'extends cycle through "{cur["id"]}"')
                return None
            seen.add(cur["id"])
            out.insert(0, cur)
            ext = cur["extends"]
            if ext is None:
                break
            if ext not in by_id:
                self.err(cur["path"], "/extends", f'unknown base template "{ext}"')
                return None
            cur = by_id[ext]
        return out

    def merged(self, info, by_id):
        """Resolve references and check redefinitions against the base chain."""
        chain = self.chain(info, by_id)
        if chain is None:
            return
        bases = chain[:-1]
        for kind in ("families", "controls", "actions"):
            for base in bases:
                for xid in info[kind]:
                    if xid in base[kind]:
                        ptr = info[kind][xid]
                        ptr = ptr[0] if isinstance(ptr, tuple) else ptr
                        self.err(info["path"], f"{ptr}/id",
                                 f'redefines {kind[:-1]} "{xid}" of base template '
                                 f'"{base["id"]}"')
        known = {}
        for t in chain:
            known.update(t["actions"])
        used = set()
        for ptr, ref in info["refs"]:
            if ref not in known:
                self.err(info["path"], ptr, f'unknown action "{ref}"')
            used.add(ref)
        for aid, (ptr, _) in info["actions"].items():
            if aid not in used:
                self.err(info["path"], ptr, f'action "{aid}" is not referenced by any control')

    # -- answers ---------------------------------------------------------------------
    def answers(self, path, doc, by_id, chains):
        if not isinstance(doc, dict):
            self.err(path, "", "expected a JSON object")
            return
        self.unknown(path, "", doc, {"format", "template", "template_version", "assessment",
                                     "controls", "answers"})
        if doc.get("format") != ANSWERS_FORMAT:
            self.err(path, "/format", f'expected "{ANSWERS_FORMAT}"')
        tref = self.string(path, "", doc, "template")
        if tref is None:
            return
        if tref not in by_id or by_id.key(by_id[tref]) not in chains:
            self.err(path, "/template", f'unknown template "{tref}"')
            return
        tinfo = by_id[tref]
        ver = self.string(path, "", doc, "template_version", required=False)
        if ver is not None and ver != tinfo["version"]:
            self.err(path, "/template_version",
                     f'"{ver}" differs from the template\'s version "{tinfo["version"]}"')
        controls, actions = set(), set()
        for t in chains[by_id.key(tinfo)]:
            controls |= set(t["controls"])
            actions |= set(t["actions"])
        a = doc.get("assessment")
        if not isinstance(a, dict):
            self.err(path, "/assessment", "expected an object")
        else:
            self.unknown(path, "/assessment", a,
                         {"name", "organization", "scope", "group", "assessed_at"})
            self.string(path, "/assessment", a, "name")
            for k in ("organization", "scope", "group"):
                self.string(path, "/assessment", a, k, required=False)
            self.date(path, "/assessment", a, "assessed_at")
        ctrls = doc.get("controls", [])
        if not isinstance(ctrls, list):
            self.err(path, "/controls", "expected an array")
            ctrls = []
        seen = set()
        for i, c in enumerate(ctrls):
            cp = f"/controls/{i}"
            if not isinstance(c, dict):
                self.err(path, cp, "expected an object")
                continue
            self.unknown(path, cp, c, {"control", "applicable", "justification"})
            cid = self.string(path, cp, c, "control")
            if cid is not None:
                if cid not in controls:
                    self.err(path, f"{cp}/control", f'unknown control "{cid}"')
                if cid in seen:
                    self.err(path, f"{cp}/control", f'control "{cid}" appears twice')
                seen.add(cid)
            app = c.get("applicable", True)
            if not isinstance(app, bool):
                self.err(path, f"{cp}/applicable", "expected true or false")
            elif not app:
                self.string(path, cp, c, "justification")
        ans = doc.get("answers")
        if not isinstance(ans, list):
            self.err(path, "/answers", "expected an array")
            ans = []
        seen = set()
        for i, x in enumerate(ans):
            xp = f"/answers/{i}"
            if not isinstance(x, dict):
                self.err(path, xp, "expected an object")
                continue
            self.unknown(path, xp, x, {"action", "implementation", "test", "tested_at",
                                       "assigned_to", "notes", "evidence"})
            aid = self.string(path, xp, x, "action")
            if aid is not None:
                if aid not in actions:
                    self.err(path, f"{xp}/action", f'unknown action "{aid}"')
                if aid in seen:
                    self.err(path, f"{xp}/action", f'action "{aid}" answered twice')
                seen.add(aid)
            self.status(path, xp, x, "implementation", IMPLEMENTATION)
            self.status(path, xp, x, "test", TEST)
            self.date(path, xp, x, "tested_at")
            for k in ("assigned_to", "notes"):
                self.string(path, xp, x, k, required=False, nonempty=False)
            ev = x.get("evidence", [])
            if not isinstance(ev, list) or not all(isinstance(e, str) for e in ev):
                self.err(path, f"{xp}/evidence", "expected an array of strings")

    # -- the library -------------------------------------------------------------------
    def run(self):
        tdir = os.path.join(self.src, "templates")
        reg_path = os.path.join(tdir, "shared", "actions.json")
        registry = {}
        reg = self.load(reg_path)
        if reg is not None:
            if not isinstance(reg, dict) or set(reg) != {"actions"} \
                    or not isinstance(reg["actions"], list):
                self.err(reg_path, "", 'expected {"actions": [...]}')
            else:
                for i, a in enumerate(reg["actions"]):
                    aid = self.action(reg_path, f"/actions/{i}", a)
                    if aid is None:
                        continue
                    if aid in registry:
                        self.err(reg_path, f"/actions/{i}/id", f'duplicate action id "{aid}"')
                    registry[aid] = a

        infos = []
        for path in sorted(glob.glob(os.path.join(tdir, "*.json"))):
            doc = self.load(path)
            if doc is None:
                continue
            info = self.template(path, doc)
            if info is not None:
                infos.append(info)
        if not infos:
            self.err(tdir, "", "no templates found")
        # assessments/ holds answers files and may hold example templates (not library
        # members: no count row, but checked and usable by the answers next to them)
        extras, answer_docs = [], []
        for path in sorted(glob.glob(os.path.join(self.src, "assessments", "*.json"))):
            doc = self.load(path)
            if doc is None:
                continue
            if isinstance(doc, dict) and doc.get("format") == FORMAT:
                info = self.template(path, doc)
                if info is not None:
                    extras.append(info)
            else:
                answer_docs.append((path, doc))
        every = infos + extras

        by_id = Library()
        for info in every:
            if info["id"] is None:
                continue
            key = by_id.key(info)
            if key in by_id.exact:
                self.err(info["path"], "/id", f'template id "{info["id"]}" version '
                         f'{info["version"]} also used by '
                         f'{self.rel(by_id.exact[key]["path"])}')
                info["duplicate"] = True
            else:
                by_id.add(info)
        chains = {}
        for info in by_id.values():
            self.merged(info, by_id)
            ch = self.chain_quiet(info, by_id)
            if ch is not None:
                chains[by_id.key(info)] = ch

        # registry identity and cross-template identity of action definitions
        first = {}
        for info in every:
            for aid, (ptr, a) in info["actions"].items():
                if aid in registry and a != registry[aid]:
                    self.err(info["path"], ptr, f'action "{aid}" differs from its entry in '
                             f'templates/shared/actions.json ({diff(a, registry[aid])})')
                if aid in first:
                    opath, oa = first[aid]
                    if a != oa:
                        self.err(info["path"], ptr, f'action "{aid}" is defined differently '
                                 f'in {self.rel(opath)} ({diff(a, oa)})')
                else:
                    first[aid] = (info["path"], a)

        # counts
        for info in infos:
            if info.get("duplicate"):
                continue
            got = (info["nfamilies"], info["ncontrols"], len(info["actions"]))
            row = by_id.key(info)
            if row not in self.expected and info["id"] in by_id \
                    and by_id[info["id"]] is info:
                row = info["id"]
            want = self.expected.get(row)
            if want is None:
                self.err(info["path"], "", f'no row for "{row}" in EXPECTED of '
                         f'tests/templates/check_library.py (counts: {fmt(got)})')
            elif got != want:
                self.err(info["path"], "", f"counts {fmt(got)}, expected {fmt(want)}")
            else:
                self.say(f"ok {self.rel(info['path'])}: {fmt(got)}")
        for tid in self.expected:
            if tid not in by_id or ("@" in tid and by_id.key(by_id[tid]) != tid):
                self.err(tdir, "", f'template "{tid}" listed in EXPECTED is missing')

        for path, doc in answer_docs:
            before = self.errors
            self.answers(path, doc, by_id, chains)
            if self.errors == before:
                self.say(f"ok {self.rel(path)}")
        self.say(f"registry: {len(registry)} actions; templates: {len(infos)}; "
                 f"errors: {self.errors}")
        return 1 if self.errors else 0

    def chain_quiet(self, info, by_id):
        out, seen, cur = [], set(), info
        while cur is not None:
            if cur["id"] in seen:
                return None
            seen.add(cur["id"])
            out.insert(0, cur)
            if cur["extends"] is None:
                return out
            cur = by_id.get(cur["extends"])
        return None


class Library:
    """Templates by id and version: `lib["id"]` is the highest version of id,
    `lib["id@1.2.3"]` that exact version; values() iterates every version."""

    def __init__(self):
        self.exact = {}
        self.latest = {}

    @staticmethod
    def key(info):
        return f'{info["id"]}@{info["version"]}'

    def add(self, info):
        self.exact[self.key(info)] = info
        cur = self.latest.get(info["id"])
        if cur is None or semver_key(info["version"]) > semver_key(cur["version"]):
            self.latest[info["id"]] = info

    def __contains__(self, ref):
        return self.get(ref) is not None

    def __getitem__(self, ref):
        info = self.get(ref)
        if info is None:
            raise KeyError(ref)
        return info

    def get(self, ref, default=None):
        if not isinstance(ref, str):
            return default
        if "@" in ref:
            return self.exact.get(ref, default)
        return self.latest.get(ref, default)

    def values(self):
        return list(self.exact.values())


def semver_key(v):
    m = SEMVER.match(v or "")
    return tuple(int(x) for x in m.groups()) if m else (-1, -1, -1)


def esc(key):
    return key.replace("~", "~0").replace("/", "~1")


def fmt(c):
    return f"{c[0]} families, {c[1]} controls, {c[2]} actions"


def diff(a, b):
    keys = sorted(k for k in set(a) | set(b) if a.get(k) != b.get(k))
    return "fields " + ", ".join(keys)


# -- self test: the checker must find what it claims to find ------------------------------

def _fixture():
    one = {"id": "act.x.one", "title": "One", "type": "preventive", "enforcement": "mandatory",
           "implementation_type": "technical", "owner": "customer"}
    two = {"id": "act.x.two", "title": "Two", "description": "d", "type": "detective",
           "enforcement": "discretionary", "implementation_type": "operational",
           "owner": "customer"}
    local = {"id": "act.y.local", "title": "Local", "type": "corrective",
             "enforcement": "mandatory", "implementation_type": "documentation",
             "owner": "provider", "points": 5,
             "provider_status": {"implementation": "implemented", "test": "passed",
                                 "tested_at": "2026-01-31"}}
    own = {"id": "act.z.own", "title": "Own", "type": "preventive",
           "enforcement": "discretionary", "implementation_type": "documentation",
           "owner": "shared"}
    base = {"format": FORMAT, "id": "base", "version": "1.0.0", "title": "Base",
            "regulation": {"name": "B", "edition": "1", "publisher": "P",
                           "url": "https://example.org/b"},
            "families": [{"id": "F1", "title": "F", "controls": [
                {"id": "C1", "title": "c1", "actions": ["act.x.one"],
                 "mappings": {"other-fw": ["1.1"]}},
                {"id": "C2", "title": "c2", "actions": ["act.x.two", "act.y.local"]}]}],
            "actions": [dict(one), dict(two), local]}
    ext = {"format": FORMAT, "id": "ext", "version": "2.1.0", "title": "Ext", "extends": "base",
           "families": [{"id": "E1", "title": "E", "controls": [
               {"id": "E1.1", "title": "e", "actions": ["act.x.one", "act.z.own"]}]}],
           "actions": [own]}
    answers = {"format": ANSWERS_FORMAT, "template": "ext", "template_version": "2.1.0",
               "assessment": {"name": "A", "assessed_at": "2026-02-01"},
               "controls": [{"control": "C1", "applicable": False, "justification": "n/a"}],
               "answers": [{"action": "act.z.own", "implementation": "Implemented",
                            "test": "passed", "tested_at": "2026-01-15",
                            "evidence": ["https://example.org/e"]},
                           {"action": "act.x.two", "implementation": "planned"}]}
    return {"templates/shared/actions.json": {"actions": [one, two]},
            "templates/base.json": base, "templates/ext.json": ext,
            "assessments/a.json": answers}


def _run_case(files, expected):
    import io
    import tempfile
    with tempfile.TemporaryDirectory() as d:
        for rel, content in files.items():
            os.makedirs(os.path.dirname(os.path.join(d, rel)), exist_ok=True)
            if isinstance(content, bytes):
                data = content
            elif isinstance(content, str):
                data = content.encode()
            else:
                data = json.dumps(content).encode()
            with open(os.path.join(d, rel), "wb") as f:
                f.write(data)
        out = io.StringIO()
        rc = Checker(d, expected, out).run()
    lines = [x for x in out.getvalue().splitlines()
             if not x.startswith("ok ") and not x.startswith("registry: ")]
    return rc, lines


def self_test():
    counts = {"base": (1, 2, 3), "ext": (1, 1, 1)}
    T, E, B, A = "templates/ext.json", "ext", "templates/base.json", "assessments/a.json"

    def case(name, mutate, want, expected=None):
        files = _fixture()
        mutate(files)
        rc, got = _run_case(files, counts if expected is None else expected)
        if rc != (1 if want else 0) or sorted(got) != sorted(want):
            print(f"self-test {name}: FAILED\n  want rc {1 if want else 0}: {want}\n"
                  f"  got rc {rc}: {got}")
            return 1
        return 0

    def setf(path, value):
        def f(files):
            files[path] = value
        return f

    def edit(fn):
        return fn

    cases = [
        ("clean", lambda f: None, []),
        ("duplicate key", lambda f: f.__setitem__(T, json.dumps(f[T]).replace(
            '"id": "ext"', '"id": "ext", "id": "ext"')),
         [f'{T}: /: duplicate key "id"']),
        ("syntax", setf(T, '{\n  "format": }'),
         [f"{T}: 2:13: syntax error: Expecting value", f'{A}: /template: unknown template "ext"',
          'templates: /: template "ext" listed in EXPECTED is missing']),
        ("utf-8", setf(T, b'{"id": "\xff"}'),
         [f"{T}: /: invalid UTF-8 at byte 8", f'{A}: /template: unknown template "ext"',
          'templates: /: template "ext" listed in EXPECTED is missing']),
        ("unknown action", edit(lambda f: f[T]["families"][0]["controls"][0]["actions"]
                                .append("act.nope")),
         [f'{T}: /families/0/controls/0/actions/2: unknown action "act.nope"']),
        ("unreferenced action", edit(lambda f: f[T]["actions"].append(
            dict(f[T]["actions"][0], id="act.z.spare"))),
         [f'{T}: /actions/1: action "act.z.spare" is not referenced by any control',
          f"{T}: /: counts 1 families, 1 controls, 2 actions, "
          f"expected 1 families, 1 controls, 1 actions"]),
        ("redefined base control", edit(lambda f: f[T]["families"][0]["controls"][0]
                                        .__setitem__("id", "C1")),
         [f'{T}: /families/0/controls/0/id: redefines control "C1" of base template "base"']),
        ("redefined base action", edit(lambda f: f[T]["actions"].append(
            f[B]["actions"][0])),
         [f'{T}: /actions/1/id: redefines action "act.x.one" of base template "base"',
          f"{T}: /: counts 1 families, 1 controls, 2 actions, "
          f"expected 1 families, 1 controls, 1 actions"]),
        ("missing base", edit(lambda f: f[T].__setitem__("extends", "nobase")),
         [f'{T}: /extends: unknown base template "nobase"',
          f'{A}: /template: unknown template "ext"']),
        ("cycle", edit(lambda f: f[B].__setitem__("extends", "ext")),
         [f'{B}: /extends: extends cycle through "base"',
          f'{T}: /extends: extends cycle through "ext"',
          f'{A}: /template: unknown template "ext"']),
        ("fields", edit(lambda f: (
            f[B].update(version="1.0", foo=1),
            f[B]["regulation"].update(url="ftp://x"),
            f[B]["actions"][2].update(type="preventative", points=100, owner="customer"),
            f[B]["families"][0]["controls"].append({"id": "C2", "title": "", "actions": []}))),
         [f'{B}: /foo: unknown field "foo"', f'{B}: /version: not a semantic version: "1.0"',
          f'{B}: /regulation/url: not an http(s) URL: "ftp://x"',
          f"{B}: /families/0/controls/2/title: must not be empty",
          f'{B}: /families/0/controls/2/id: duplicate control id "C2"',
          f"{B}: /families/0/controls/2/actions: expected a non-empty array of action ids",
          f'{B}: /actions/2/type: unknown value "preventative"; '
          f"expected one of: preventive, detective, corrective",
          f"{B}: /actions/2/points: points must be an integer from 1 to 99",
          f'{B}: /actions/2/provider_status: provider_status is only allowed with owner '
          f'"provider"',
          f"{B}: /: counts 1 families, 3 controls, 3 actions, "
          f"expected 1 families, 2 controls, 3 actions"]),
        ("action id", edit(lambda f: f[T]["actions"][0].update(id="act.Z.own")),
         [f'{T}: /actions/0/id: invalid action id "act.Z.own"',
          f'{T}: /families/0/controls/0/actions/1: unknown action "act.z.own"',
          f'{T}: /actions/0: action "act.Z.own" is not referenced by any control',
          f'{A}: /answers/0/action: unknown action "act.z.own"']),
        ("registry identity", edit(lambda f: f[B]["actions"][1].update(enforcement="mandatory")),
         [f'{B}: /actions/1: action "act.x.two" differs from its entry in '
          f"templates/shared/actions.json (fields enforcement)"]),
        ("cross-template identity", edit(lambda f: f.__setitem__("templates/other.json", dict(
            f[T], id="other", extends=None, actions=[dict(f[T]["actions"][0], title="Own!")],
            families=[{"id": "O", "title": "O", "controls": [
                {"id": "O1", "title": "o", "actions": ["act.z.own"]}]}]))),
         ["templates/other.json: /extends: expected a string",
          'templates/other.json: /actions/0: action "act.z.own" is defined differently in '
          "templates/ext.json (fields title)"],
         dict(counts, other=(1, 1, 1))),
        ("missing row", edit(lambda f: f.__setitem__("templates/other.json", dict(
            f[B], id="other"))),
         ['templates/other.json: /: no row for "other" in EXPECTED of '
          "tests/templates/check_library.py (counts: 1 families, 2 controls, 3 actions)"]),
        ("example template in assessments", edit(lambda f: (
            f.__setitem__("assessments/x.template.json", dict(
                f[B], id="xmpl", actions=[dict(f[B]["actions"][0], type="detective"),
                                          f[B]["actions"][1], f[B]["actions"][2]])),
            f.__setitem__("assessments/x.json", dict(f[A], template="xmpl",
                                                     template_version="1.0.0",
                                                     answers=[], controls=[])))),
         ['assessments/x.template.json: /actions/0: action "act.x.one" differs from its '
          "entry in templates/shared/actions.json (fields type)",
          'assessments/x.template.json: /actions/0: action "act.x.one" is defined '
          "differently in templates/base.json (fields type)"]),
        ("duplicate template id", edit(lambda f: f.__setitem__("templates/zz.json", f[B])),
         ['templates/zz.json: /id: template id "base" version 1.0.0 also used by '
          'templates/base.json']),
        ("versions side by side", edit(lambda f: (
            f.__setitem__("templates/base-0.9.0.json", dict(f[B], version="0.9.0")),
            f.__setitem__("templates/ext-2.0.0.json", dict(f[T], version="2.0.0",
                                                           extends="base@0.9.0")),
            f[T].__setitem__("extends", "base@1.0.0"),
            f[A].update(template="ext@2.0.0", template_version="2.0.0"))),
         [], dict(counts, **{"base@0.9.0": (1, 2, 3), "ext@2.0.0": (1, 1, 1)})),
        ("old version without a row", edit(lambda f: f.__setitem__(
            "templates/base-0.9.0.json", dict(f[B], version="0.9.0"))),
         ['templates/base-0.9.0.json: /: no row for "base@0.9.0" in EXPECTED of '
          "tests/templates/check_library.py (counts: 1 families, 2 controls, 3 actions)"]),
        ("unknown version", edit(lambda f: (
            f[T].__setitem__("extends", "base@3.0.0"),
            f[A].update(template="ext@9.0.0"))),
         [f'{T}: /extends: unknown base template "base@3.0.0"',
          f'{A}: /template: unknown template "ext@9.0.0"']),
        ("answers", edit(lambda f: (
            f[A].update(template_version="9.9.9"),
            f[A]["controls"].append({"control": "E1.1", "applicable": False}),
            f[A]["controls"].append({"control": "X9"}),
            f[A]["answers"].append({"action": "act.y.nope", "test": "passd",
                                    "tested_at": "2026-13-01"}),
            f[A]["answers"].append({"action": "act.z.own"}))),
         [f'{A}: /template_version: "9.9.9" differs from the template\'s version "2.1.0"',
          f'{A}: /controls/1: missing required field "justification"',
          f'{A}: /controls/2/control: unknown control "X9"',
          f'{A}: /answers/2/action: unknown action "act.y.nope"',
          f'{A}: /answers/2/test: unknown status "passd"; expected one of: not_assessed, '
          f"in_progress, passed, failed_low, failed_medium, failed_high, out_of_scope",
          f'{A}: /answers/2/tested_at: not an ISO 8601 date: "2026-13-01"',
          f'{A}: /answers/3/action: action "act.z.own" answered twice']),
    ]
    failed = sum(case(*c) for c in cases)
    print(f"self-test: {len(cases) - failed}/{len(cases)} cases passed")
    return 1 if failed else 0


def main():
    args = sys.argv[1:]
    if args[:1] == ["--self-test"]:
        return self_test()
    src = args[0] if args else \
        os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    return Checker(os.path.abspath(src)).run()


if __name__ == "__main__":
    sys.exit(main())
