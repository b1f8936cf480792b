#!/usr/bin/env python3
"""Check the mapping collections in templates/mappings/.

Usage: check_mappings.py [SRC]          check SRC (default: two levels above this script)
       check_mappings.py --self-test    prove the checks find what they claim to find

Every templates/mappings/*.json must be an OSCAL 1.2.1 `mapping-collection` valid against
NIST's released JSON schema (oscal-schemas-1.2.1/oscal_mapping_schema.json under the real-world
fixtures root: $REAL_FIXTURES, else ../shared/data/real; third-party files are not committed
here, see tests/fixtures/real/README.md; without it the schema part is skipped, saying so), and:
  - each mapping's source-resource and target-resource name a template of the library by a
    prop `template` = `id@version` (namespace NS below), and that exact version exists;
  - every map's sources and targets are controls (`type: control`) of those template versions;
  - relationships are among equivalent-to, equal-to, subset-of, superset-of, intersects-with;
  - no uuid is used twice in a file, no (sources, targets) pair is mapped twice;
  - a collection of kind `template-upgrade` (a rename record between two versions of one
    template) maps controls with equal-to only, and each pair has the same title, description
    and actions in both versions; the newer version's controls record exactly these renames in
    their `was` field (`{"id": OLD, "before": NEWER VERSION}`), no more, no fewer;
  - the ISO/IEC 27001:2013 -> 2022 collection holds exactly the pairs of the two templates' own
    `mappings` fields (2013 -> 2022 and 2022 -> 2013), no more, no fewer.
It also prints, per collection, the controls of each side that no map names (a report: they
do not fail the check). Problems are printed as `FILE: /json/pointer: message`; exit 1 if any.
Needs python3-jsonschema.
"""
import glob
import json
import os
import sys

import jsonschema

NS = "https://posture.example/ns/oscal"
RELATIONSHIPS = ("equivalent-to", "equal-to", "subset-of", "superset-of", "intersects-with")
SCHEMA = os.path.join("oscal-schemas-1.2.1", "oscal_mapping_schema.json")
CROSSCHECK = ("iso-iec-27001-2013", "iso-iec-27001-2022")


def schema_path(src):
    roots = os.environ.get("REAL_FIXTURES")
    roots = roots.split(":") if roots else [os.path.join(src, "..", "shared", "data", "real")]
    for r in roots:
        p = os.path.join(r, SCHEMA)
        if os.path.isfile(p):
            return p
    return None


def load_schema(src):
    p = schema_path(src)
    if p is None:
        return None
    text = open(p, encoding="utf-8").read()
    # Python's re has no \p{..}: the schema's one NCName pattern gets equivalent classes.
    schema = json.loads(text.replace("\\\\p{L}", "[^\\\\W\\\\d_]").replace("\\\\p{N}", "\\\\d"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def controls(doc):
    out = {}
    for f in doc.get("families", []):
        for c in f.get("controls", []):
            out[c["id"]] = c
    return out


class Checker:
    def __init__(self, src, out=None):
        self.src = src
        self.out = out if out is not None else sys.stdout
        self.errors = 0
        self.templates = {}     # "id@version" -> template document
        for path in sorted(glob.glob(os.path.join(src, "templates", "*.json"))):
            try:
                doc = json.load(open(path, encoding="utf-8"))
            except (OSError, ValueError):
                continue        # check_library.py reports broken templates
            if isinstance(doc, dict) and "id" in doc and "version" in doc:
                self.templates[f'{doc["id"]}@{doc["version"]}'] = doc

    def say(self, line):
        print(line, file=self.out)

    def err(self, path, ptr, msg):
        self.errors += 1
        self.say(f"{os.path.relpath(path, self.src)}: {ptr or '/'}: {msg}")

    def resource(self, path, ptr, res):
        refs = [p.get("value") for p in res.get("props", [])
                if p.get("name") == "template" and p.get("ns") == NS]
        if len(refs) != 1:
            self.err(path, ptr, f'expected one prop "template" (ns {NS}) naming id@version')
            return None, None
        ref = refs[0]
        if ref not in self.templates:
            self.err(path, f"{ptr}/props", f'no template "{ref}" in templates/')
            return ref, None
        return ref, self.templates[ref]

    def collection(self, path, validator):
        try:
            doc = json.load(open(path, encoding="utf-8"))
        except (OSError, ValueError) as e:
            self.err(path, "", f"cannot read: {e}")
            return
        if validator is not None:
            bad = sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path))
            for e in bad[:20]:
                ptr = "/" + "/".join(str(p) for p in e.absolute_path)
                self.err(path, ptr, f"schema: {e.message[:200]}")
            if bad:
                return
        else:
            # without NIST's schema: the members the checks below rely on
            mc = doc.get("mapping-collection") if isinstance(doc, dict) else None
            for key in ("metadata", "provenance", "mappings"):
                if not isinstance(mc, dict) or key not in mc:
                    self.err(path, "/mapping-collection",
                             f"schema: '{key}' is a required property")
                    return
        mc = doc["mapping-collection"]
        kind = {p["value"] for p in mc["metadata"].get("props", [])
                if p["name"] == "kind" and p.get("ns") == NS}
        uuids = {mc["uuid"]}
        for i, m in enumerate(mc["mappings"] if isinstance(mc["mappings"], list)
                              else [mc["mappings"]]):
            mp = f"/mapping-collection/mappings/{i}"
            for u in [m["uuid"]] + [x["uuid"] for x in m["maps"]]:
                if u in uuids:
                    self.err(path, mp, f"uuid {u} used twice")
                uuids.add(u)
            sref, sdoc = self.resource(path, f"{mp}/source-resource", m["source-resource"])
            tref, tdoc = self.resource(path, f"{mp}/target-resource", m["target-resource"])
            sc = controls(sdoc) if sdoc else None
            tc = controls(tdoc) if tdoc else None
            seen, used_s, used_t, pairs = set(), set(), set(), set()
            for j, x in enumerate(m["maps"]):
                xp = f"{mp}/maps/{j}"
                rel = x["relationship"]
                if rel not in RELATIONSHIPS:
                    self.err(path, f"{xp}/relationship", f'relationship "{rel}" is not one of '
                             f'{", ".join(RELATIONSHIPS)}')
                if "template-upgrade" in kind and rel != "equal-to":
                    self.err(path, f"{xp}/relationship", "a template-upgrade collection maps "
                             "with equal-to only")
                key = (tuple(s["id-ref"] for s in x["sources"]),
                       tuple(t["id-ref"] for t in x["targets"]))
                if key in seen:
                    self.err(path, xp, f"{key[0]} -> {key[1]} mapped twice")
                seen.add(key)
                for side, items, ctl, ref, used in (("sources", x["sources"], sc, sref, used_s),
                                                    ("targets", x["targets"], tc, tref, used_t)):
                    for k, it in enumerate(items):
                        if it["type"] != "control":
                            self.err(path, f"{xp}/{side}/{k}/type", "expected a control")
                        elif ctl is not None and it["id-ref"] not in ctl:
                            self.err(path, f"{xp}/{side}/{k}/id-ref",
                                     f'no control "{it["id-ref"]}" in {ref}')
                        used.add(it["id-ref"])
                for s in key[0]:
                    for t in key[1]:
                        pairs.add((s, t))
                if "template-upgrade" in kind and sc is not None and tc is not None:
                    for s in key[0]:
                        for t in key[1]:
                            if s in sc and t in tc:
                                a, b = sc[s], tc[t]
                                diff = [f for f in ("title", "description", "actions")
                                        if a.get(f) != b.get(f)]
                                if diff:
                                    self.err(path, xp, f'{s} -> {t}: {", ".join(diff)} '
                                             "differ between the two versions")
            if sc is not None and tc is not None:
                self.report(path, sref, sc, used_s, tref, tc, used_t)
                self.crosscheck(path, mp, sdoc, tdoc, pairs)
                if "template-upgrade" in kind:
                    self.was_check(path, mp, tdoc, pairs)
        if not self.errors:
            pass

    def was_check(self, path, mp, tdoc, pairs):
        """The renames of an upgrade collection are the newer template's `was` entries."""
        was = {(w.get("id"), cid) for cid, c in controls(tdoc).items()
               for w in c.get("was", []) if w.get("before") == tdoc["version"]}
        for s, t in sorted(pairs - was):
            self.err(path, mp, f'{s} -> {t}: control {t} of {tdoc["id"]}@{tdoc["version"]} has '
                     f'no "was" entry {{"id": "{s}", "before": "{tdoc["version"]}"}}')
        for s, t in sorted(was - pairs):
            self.err(path, mp, f'{s} -> {t}: {tdoc["id"]}@{tdoc["version"]} records it in '
                     '"was", the collection does not')

    def report(self, path, sref, sc, used_s, tref, tc, used_t):
        name = os.path.basename(path)
        for ref, ctl, used in ((sref, sc, used_s), (tref, tc, used_t)):
            free = [c for c in ctl if c not in used]
            self.say(f"report {name}: {ref}: {len(ctl) - len(free)} of {len(ctl)} controls "
                     f"mapped; unmapped: {', '.join(free) if free else 'none'}")

    def crosscheck(self, path, mp, sdoc, tdoc, pairs):
        if (sdoc["id"], tdoc["id"]) != CROSSCHECK:
            return
        own = set()
        for cid, c in controls(sdoc).items():
            for t in c.get("mappings", {}).get(tdoc["id"], []):
                own.add((cid, t))
        back = set()
        for cid, c in controls(tdoc).items():
            for s in c.get("mappings", {}).get(sdoc["id"], []):
                back.add((s, cid))
        for label, ref in ((f'{sdoc["id"]} mappings', own), (f'{tdoc["id"]} mappings', back)):
            for s, t in sorted(ref - pairs):
                self.err(path, mp, f"{s} -> {t} is in the {label} but not in the collection")
            for s, t in sorted(pairs - ref):
                self.err(path, mp, f"{s} -> {t} is in the collection but not in the {label}")
        self.say(f"crosscheck {os.path.basename(path)}: {len(pairs & own & back)} pairs agree "
                 f"with both templates' mappings ({len(pairs)} in the collection)")

    def run(self):
        validator = load_schema(self.src)
        if validator is None:
            self.say("note: NIST's OSCAL mapping schema is not in the real-world fixtures "
                     f"($REAL_FIXTURES or ../shared/data/real: {SCHEMA}); "
                     "checked the members the checks need instead")
        files = sorted(glob.glob(os.path.join(self.src, "templates", "mappings", "*.json")))
        if not files:
            self.err(os.path.join(self.src, "templates", "mappings"), "", "no mapping files")
        for path in files:
            before = self.errors
            self.collection(path, validator)
            if self.errors == before:
                self.say(f"ok {os.path.relpath(path, self.src)}")
        self.say(f"mapping collections: {len(files)}; errors: {self.errors}")
        return 1 if self.errors else 0


# -- self test ---------------------------------------------------------------------------------

def self_test(real_src):
    import copy
    import io
    import shutil
    import tempfile
    tpl_old = {"format": "posture-template/1", "id": "iso-iec-27001-2013", "version": "1.0.0",
               "title": "Old", "families": [{"id": "F", "title": "F", "controls": [
                   {"id": "A.1", "title": "a", "actions": ["act.x"],
                    "mappings": {"iso-iec-27001-2022": ["B.1"]}},
                   {"id": "A.2", "title": "b", "actions": ["act.x"]}]}],
               "actions": []}
    tpl_new = {"format": "posture-template/1", "id": "iso-iec-27001-2022", "version": "2.0.0",
               "title": "New", "families": [{"id": "F", "title": "F", "controls": [
                   {"id": "B.1", "title": "a", "actions": ["act.x"],
                    "mappings": {"iso-iec-27001-2013": ["A.1"]}}]}],
               "actions": []}

    def res(ref):
        return {"type": "posture-template", "href": "../x.json",
                "props": [{"name": "template", "ns": NS, "value": ref}]}

    def coll(maps, kind=None, src="iso-iec-27001-2013@1.0.0", tgt="iso-iec-27001-2022@2.0.0"):
        meta = {"title": "t", "last-modified": "2026-12-06T00:00:00Z", "version": "1",
                "oscal-version": "1.2.1"}
        if kind:
            meta["props"] = [{"name": "kind", "ns": NS, "value": kind}]
        return {"mapping-collection": {
            "uuid": "00000000-0000-4000-8000-000000000001", "metadata": meta,
            "provenance": {"method": "human", "matching-rationale": "semantic",
                           "status": "complete", "mapping-description": "d"},
            "mappings": [{"uuid": "00000000-0000-4000-8000-000000000002",
                          "source-resource": res(src), "target-resource": res(tgt),
                          "maps": [{"uuid": f"00000000-0000-4000-8000-00000000010{i}",
                                    "relationship": r,
                                    "sources": [{"type": "control", "id-ref": s}],
                                    "targets": [{"type": "control", "id-ref": t}]}
                                   for i, (s, t, r) in enumerate(maps)]}]}}

    good = [("A.1", "B.1", "equivalent-to")]
    M = "templates/mappings/m.json"
    cases = [
        ("clean", coll(good), None, []),
        ("schema", None, lambda c: c["mapping-collection"].pop("provenance"),
         [f"{M}: /mapping-collection: schema: 'provenance' is a required property"]),
        ("relationship", coll([("A.1", "B.1", "same-as")]), None,
         [f'{M}: /mapping-collection/mappings/0/maps/0/relationship: relationship "same-as" '
          f"is not one of {', '.join(RELATIONSHIPS)}"]),
        ("unknown control", coll(good + [("A.9", "B.1", "subset-of")]), None,
         [f'{M}: /mapping-collection/mappings/0/maps/1/sources/0/id-ref: no control "A.9" in '
          "iso-iec-27001-2013@1.0.0",
          f"{M}: /mapping-collection/mappings/0: A.9 -> B.1 is in the collection but not in "
          "the iso-iec-27001-2013 mappings",
          f"{M}: /mapping-collection/mappings/0: A.9 -> B.1 is in the collection but not in "
          "the iso-iec-27001-2022 mappings"]),
        ("unknown version", coll(good, tgt="iso-iec-27001-2022@9.0.0"), None,
         [f'{M}: /mapping-collection/mappings/0/target-resource/props: no template '
          '"iso-iec-27001-2022@9.0.0" in templates/']),
        ("missing pair", coll([("A.2", "B.1", "subset-of")]), None,
         [f"{M}: /mapping-collection/mappings/0: A.1 -> B.1 is in the iso-iec-27001-2013 "
          "mappings but not in the collection",
          f"{M}: /mapping-collection/mappings/0: A.1 -> B.1 is in the iso-iec-27001-2022 "
          "mappings but not in the collection",
          f"{M}: /mapping-collection/mappings/0: A.2 -> B.1 is in the collection but not in "
          "the iso-iec-27001-2013 mappings",
          f"{M}: /mapping-collection/mappings/0: A.2 -> B.1 is in the collection but not in "
          "the iso-iec-27001-2022 mappings"]),
        ("twice", coll(good + [("A.1", "B.1", "equivalent-to")]), None,
         [f"{M}: /mapping-collection/mappings/0/maps/1: ('A.1',) -> ('B.1',) mapped twice"]),
        ("upgrade", coll([("A.1", "B.1", "equivalent-to"), ("A.2", "B.1", "equal-to")],
                         kind="template-upgrade"), None,
         [f"{M}: /mapping-collection/mappings/0/maps/0/relationship: a template-upgrade "
          "collection maps with equal-to only",
          f"{M}: /mapping-collection/mappings/0/maps/1: A.2 -> B.1: title differ between "
          "the two versions",
          f"{M}: /mapping-collection/mappings/0: A.2 -> B.1 is in the collection but not in "
          "the iso-iec-27001-2013 mappings",
          f"{M}: /mapping-collection/mappings/0: A.2 -> B.1 is in the collection but not in "
          "the iso-iec-27001-2022 mappings",
          f'{M}: /mapping-collection/mappings/0: A.1 -> B.1: control B.1 of '
          'iso-iec-27001-2022@2.0.0 has no "was" entry {"id": "A.1", "before": "2.0.0"}',
          f'{M}: /mapping-collection/mappings/0: A.2 -> B.1: control B.1 of '
          'iso-iec-27001-2022@2.0.0 has no "was" entry {"id": "A.2", "before": "2.0.0"}']),
    ]
    failed = 0
    for name, doc, mutate, want in cases:
        if doc is None:
            doc = coll(good)
        doc = copy.deepcopy(doc)
        if mutate:
            mutate(doc)
        with tempfile.TemporaryDirectory() as d:
            os.makedirs(os.path.join(d, "templates", "mappings"))
            for t in (tpl_old, tpl_new):
                with open(os.path.join(d, "templates", t["id"] + ".json"), "w") as f:
                    json.dump(t, f)
            with open(os.path.join(d, M), "w") as f:
                json.dump(doc, f)
            out = io.StringIO()
            rc = Checker(d, out).run()
        got = [x for x in out.getvalue().splitlines()
               if not x.startswith(("ok ", "report ", "crosscheck ", "mapping collections: "))]
        got = [x for x in got if not x.startswith("note: ")]
        if rc != (1 if want else 0) or sorted(got) != sorted(want):
            failed += 1
            print(f"self-test {name}: FAILED\n  want rc {1 if want else 0}: {want}\n"
                  f"  got rc {rc}: {got}")
    print(f"self-test: {len(cases) - failed}/{len(cases)} cases passed")
    return 1 if failed else 0


def main():
    args = sys.argv[1:]
    here = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    if args[:1] == ["--self-test"]:
        return self_test(here)
    return Checker(os.path.abspath(args[0] if args else here)).run()


if __name__ == "__main__":
    sys.exit(main())
