#!/usr/bin/env python3
"""gen.py - inputs of the bad-input catalogue that are too big to commit, made at test time,
and checks on outputs.

usage: gen.py KIND OUT [ARG]
  deep OUT N            N-deep nested arrays: [[[...]]]
  deep-answers OUT N    an answers document whose "answers" array nests N deep
  deep-in-string OUT N  a valid template whose description holds N '[' (not nesting)
  big-template OUT MB   the worked example with a description of MB mebibytes
  big-answers OUT MB    the worked answers with notes of MB mebibytes
  big-key OUT MB        a profile whose object key is MB mebibytes long
  many-values OUT N     an answers document with N evidence strings
  no-formulas XLSX      exit 1 if any worksheet of XLSX holds a formula (<f> element)
  xlsx OUT [SHEET]      a minimal answers workbook for the worked example (SHEET: the XML of
                        its "Improvement actions" sheet, else two answered rows)
  xlsx-bomb OUT MB      a workbook whose sheet inflates to MB mebibytes (sizes recorded honestly)
  xlsx-bomb-lying OUT MB  the same, its zip headers claiming the sheet is 1000 bytes
  xlsx-big-cell OUT MB  a workbook whose Notes cell holds MB mebibytes
  xlsx-many-rows OUT N  a workbook with N answer rows
  csv-big-cell OUT MB   a CSV whose notes field holds MB mebibytes
  csv-many-rows OUT N   a CSV with N answer records
"""
import os
import re
import sys
import zipfile

SRC = os.environ.get("SRC") or os.path.join(os.path.dirname(__file__), "..", "..")
WORKED = open(os.path.join(SRC, "tests/fixtures/worked.json")).read()
ANSWERS = open(os.path.join(SRC, "tests/fixtures/worked-answers.json")).read()
MIB = 1 << 20


def write(path, text):
    with open(path, "w") as f:
        f.write(text)


NS = ('xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
      'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"')
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
XML = '<?xml version="1.0" encoding="UTF-8"?>'


def cell(ref, text):
    return '<c r="%s" t="inlineStr"><is><t>%s</t></is></c>' % (ref, text)


def row(r, *texts):
    return '<row r="%d">%s</row>' % (r, "".join(cell("%s%d" % ("ABCDEFGHIJ"[i], r), t)
                                                for i, t in enumerate(texts) if t is not None))


def sheet(rows, pad=""):
    return XML + "<worksheet %s><sheetData>%s%s</sheetData></worksheet>" % (NS, "".join(rows), pad)


HEADER = row(1, "Action", "Implementation", "Test", "Notes")
ANSWERED = [row(2, "act.a", "Implemented", "Passed", "ok"), row(3, "act.b", "Planned", None, None)]


def xlsx(out, sheet_xml, extra=None):
    parts = {
        "[Content_Types].xml": XML + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/></Types>',
        "_rels/.rels": XML + '<Relationships xmlns="%s"><Relationship Id="rId1" Type="%s/officeDocument" '
        'Target="xl/workbook.xml"/></Relationships>' % (PKG, REL),
        "xl/workbook.xml": XML + '<workbook %s><sheets><sheet name="Improvement actions" sheetId="1" '
        'r:id="rId1"/></sheets></workbook>' % NS,
        "xl/_rels/workbook.xml.rels": XML + '<Relationships xmlns="%s"><Relationship Id="rId1" '
        'Type="%s/worksheet" Target="worksheets/sheet1.xml"/></Relationships>' % (PKG, REL),
        "xl/worksheets/sheet1.xml": sheet_xml,
    }
    parts.update(extra or {})
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)


def lie_about_size(path, part, size):
    """Patch the uncompressed size of `part` in its local header and the central directory."""
    import struct
    data = bytearray(open(path, "rb").read())
    name = part.encode()
    for sig, off_size, off_name in ((b"PK\x03\x04", 22, 30), (b"PK\x01\x02", 24, 46)):
        i = 0
        while (i := data.find(sig, i)) >= 0:
            n = struct.unpack_from("<H", data, i + (26 if sig == b"PK\x03\x04" else 28))[0]
            if data[i + off_name:i + off_name + n] == name:
                struct.pack_into("<I", data, i + off_size, size)
            i += 4
    open(path, "wb").write(bytes(data))


def main():
    kind, out = sys.argv[1], sys.argv[2]
    arg = int(sys.argv[3]) if len(sys.argv) > 3 and sys.argv[3].isdigit() else 0
    if kind == "deep":
        write(out, "[" * arg + "]" * arg + "\n")
    elif kind == "deep-answers":
        write(out, '{"format": "posture-answers/1", "template": "worked-example", '
                   '"assessment": {"name": "Deep"}, "answers": ' + "[" * arg + "]" * arg + "}\n")
    elif kind == "deep-in-string":
        write(out, WORKED.replace('"version": "1.0.0",',
                                  '"version": "1.0.0", "description": "' + "[" * arg + '",'))
    elif kind == "big-template":
        write(out, WORKED.replace('"version": "1.0.0",',
                                  '"version": "1.0.0", "description": "' + "x" * (arg * MIB) + '",'))
    elif kind == "big-answers":
        write(out, ANSWERS.replace('"test": "passed"}', '"test": "passed", "notes": "' + "y" * (arg * MIB) + '"}', 1))
    elif kind == "big-key":
        write(out, '{"format": "posture-profile/1", "' + "k" * (arg * MIB) + '": 1}\n')
    elif kind == "many-values":
        ev = ", ".join('"e%d"' % i for i in range(arg))
        write(out, ANSWERS.replace('"test": "passed"}', '"test": "passed", "evidence": [' + ev + ']}', 1))
    elif kind == "xlsx":
        xlsx(out, open(sys.argv[3]).read() if len(sys.argv) > 3 else sheet([HEADER] + ANSWERED))
    elif kind in ("xlsx-bomb", "xlsx-bomb-lying"):
        xlsx(out, sheet([HEADER] + ANSWERED, " " * (arg * MIB)))
        if kind == "xlsx-bomb-lying":
            lie_about_size(out, "xl/worksheets/sheet1.xml", 1000)
    elif kind == "xlsx-big-cell":
        xlsx(out, sheet([HEADER, row(2, "act.a", "Implemented", "Passed", "n" * (arg * MIB))]))
    elif kind == "xlsx-many-rows":
        xlsx(out, sheet([HEADER] + [row(r + 2, "act.a", "Planned", None, None) for r in range(arg)]))
    elif kind == "csv-big-cell":
        write(out, "action,notes\r\nact.a," + "n" * (arg * MIB) + "\r\n")
    elif kind == "csv-many-rows":
        write(out, "action\r\n" + "act.a\r\n" * arg)
    elif kind == "no-formulas":
        with zipfile.ZipFile(out) as z:
            for name in z.namelist():
                if name.startswith("xl/worksheets/") and re.search(rb"<f[ >]", z.read(name)):
                    print("%s: %s holds a formula" % (out, name))
                    sys.exit(1)
    else:
        sys.exit("gen.py: unknown kind " + kind)


if __name__ == "__main__":
    main()
