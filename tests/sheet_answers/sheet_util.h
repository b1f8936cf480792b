/* sheet_util.h - helpers for the answer sheet tests (included by one test program each). */
#ifndef SHEET_UTIL_H
#define SHEET_UTIL_H

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "posture/sheet_answers.h"
#include "testutil.h"

/* A copy of `s` with every ' turned into " (JSON written readably in C); caller frees. */
static inline char *q(const char *s)
{
    char *t = strdup(s);
    for (char *p = t; *p; p++)
        if (*p == '\'')
            *p = '"';
    return t;
}

/* posture_answers_to_json() of `a` on one line, ' for " (for short expectations); caller frees. */
static inline char *compact(const posture_answers *a)
{
    char *text = posture_answers_to_json(a);
    cJSON *j = cJSON_Parse(text);
    char *s = cJSON_PrintUnformatted(j);
    cJSON_Delete(j);
    free(text);
    for (char *p = s; *p; p++)
        if (*p == '"')
            *p = '\'';
    return s;
}

/* Assert that the answers are `expected` (compact JSON with ' for "). */
#define assert_answers(a, expected)             \
    do {                                        \
        char *sa_s_ = compact(a);               \
        assert_string_equal(sa_s_, (expected)); \
        free(sa_s_);                            \
    } while (0)

/* The worked example template of scoring.md (act.a .. act.d, C1 .. C3). */
static inline posture_template *worked(void)
{
    posture_diags *d = NULL;
    posture_template *t = NULL;
    assert_int_equal(posture_diags_new(&d), 0);
    assert_int_equal(
        posture_template_load(NULL, POSTURE_SOURCE_DIR "/tests/fixtures/worked.json", 0, d, &t),
        0);
    posture_diags_free(d);
    return t;
}

/* A path in the test's temporary directory (static storage, 8 slots). */
static inline const char *tmp_path(const char *name)
{
    static char path[8][512];
    static int slot;
    char *p = path[slot++ % 8];
    snprintf(p, 512, "%s/%s", tu_tmpdir(), name);
    return p;
}

/* One file of a zip. */
typedef struct zpart {
    const char *name;
    const char *text;
} zpart;

/* Write a zip of `n` parts to `path` (deflated, as Excel does). */
static inline void write_zip(const char *path, const zpart *parts, size_t n)
{
    int err = 0;
    zip_t *z = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &err);
    assert_non_null(z);
    for (size_t i = 0; i < n; i++) {
        zip_source_t *src = zip_source_buffer(z, parts[i].text, strlen(parts[i].text), 0);
        assert_non_null(src);
        assert_true(zip_file_add(z, parts[i].name, src, ZIP_FL_OVERWRITE) >= 0);
    }
    assert_int_equal(zip_close(z), 0);
}

#define NS_MAIN "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
#define NS_REL "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
#define NS_PKG "http://schemas.openxmlformats.org/package/2006/relationships"
#define REL_TYPE "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"

/* A worksheet part holding `rows` (the <row> elements). */
#define SHEET(rows) \
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?><worksheet xmlns=\"" NS_MAIN "\"><sheetData>" rows \
    "</sheetData></worksheet>"

/* Cells: an inline string, a shared string, a number (with style s). */
#define IS(ref, text) "<c r=\"" ref "\" t=\"inlineStr\"><is><t>" text "</t></is></c>"
#define SS(ref, k) "<c r=\"" ref "\" t=\"s\"><v>" #k "</v></c>"
#define NUM(ref, v, s) "<c r=\"" ref "\" s=\"" #s "\"><v>" v "</v></c>"
#define ROW(r, cells) "<row r=\"" #r "\">" cells "</row>"

/* The header of the "Improvement actions" sheet, as the report writes it (A..P). */
#define ACTIONS_HEADER                                                                         \
    ROW(1, IS("A1", "Action") IS("B1", "Title") IS("H1", "Implementation") IS("I1", "Test")   \
               IS("J1", "Tested on") IS("K1", "Assigned to") IS("O1", "Notes")               \
               IS("P1", "Evidence"))

/* Styles: cell style 1 is a date (built-in format 14), 2 a custom date format, 3 a number. */
#define STYLES                                                                                 \
    "<styleSheet xmlns=\"" NS_MAIN "\"><numFmts count=\"2\"><numFmt numFmtId=\"164\" "         \
    "formatCode=\"dd/mm/yyyy\"/><numFmt numFmtId=\"165\" formatCode=\"&quot;day&quot; 0.00\"/>" \
    "</numFmts><cellStyleXfs count=\"1\"><xf numFmtId=\"0\"/></cellStyleXfs>"                  \
    "<cellXfs count=\"5\"><xf numFmtId=\"0\"/><xf numFmtId=\"14\" applyNumberFormat=\"1\"/>"   \
    "<xf numFmtId=\"164\"/><xf numFmtId=\"165\"/><xf numFmtId=\"2\"/></cellXfs></styleSheet>"

/*
 * Write a workbook of up to 3 sheets (name, xml; NULL name ends the list),
 * with shared strings `sst` and styles `styles` (either may be NULL), and
 * `wbpr` inside <workbookPr .../> attributes ("" for none).
 */
static inline void write_book(const char *path, const char *const sheets[][2], const char *sst,
                              const char *styles, const char *wbpr)
{
    static char wb[4096], rels[4096], ct[4096];
    char tmp[512];
    zpart parts[16];
    size_t n = 0, ns = 0;
    snprintf(wb, sizeof wb,
             "<?xml version=\"1.0\"?><workbook xmlns=\"" NS_MAIN "\" xmlns:r=\"" NS_REL
             "\"><workbookPr %s/><sheets>",
             wbpr);
    snprintf(rels, sizeof rels, "<?xml version=\"1.0\"?><Relationships xmlns=\"" NS_PKG "\">");
    snprintf(ct, sizeof ct,
             "<?xml version=\"1.0\"?><Types "
             "xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">");
    static char names[3][64];
    for (; ns < 3 && sheets[ns][0]; ns++) {
        snprintf(tmp, sizeof tmp, "<sheet name=\"%s\" sheetId=\"%zu\" r:id=\"rId%zu\"/>",
                 sheets[ns][0], ns + 1, ns + 1);
        strcat(wb, tmp);
        snprintf(tmp, sizeof tmp,
                 "<Relationship Id=\"rId%zu\" Type=\"" REL_TYPE
                 "worksheet\" Target=\"worksheets/sheet%zu.xml\"/>",
                 ns + 1, ns + 1);
        strcat(rels, tmp);
        snprintf(names[ns], sizeof names[ns], "xl/worksheets/sheet%zu.xml", ns + 1);
        parts[n++] = (zpart){names[ns], sheets[ns][1]};
    }
    strcat(wb, "</sheets></workbook>");
    if (sst) {
        strcat(rels, "<Relationship Id=\"rId90\" Type=\"" REL_TYPE
                     "sharedStrings\" Target=\"sharedStrings.xml\"/>");
        parts[n++] = (zpart){"xl/sharedStrings.xml", sst};
    }
    if (styles) {
        strcat(rels,
               "<Relationship Id=\"rId91\" Type=\"" REL_TYPE "styles\" Target=\"styles.xml\"/>");
        parts[n++] = (zpart){"xl/styles.xml", styles};
    }
    strcat(rels, "</Relationships>");
    strcat(ct, "</Types>");
    parts[n++] = (zpart){"[Content_Types].xml", ct};
    parts[n++] = (zpart){"_rels/.rels",
                         "<?xml version=\"1.0\"?><Relationships xmlns=\"" NS_PKG
                         "\"><Relationship Id=\"rId1\" Type=\"" REL_TYPE
                         "officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>"};
    parts[n++] = (zpart){"xl/workbook.xml", wb};
    parts[n++] = (zpart){"xl/_rels/workbook.xml.rels", rels};
    write_zip(path, parts, n);
}

/* Load `path` as xlsx answers against `t`; returns rc, `*text` the diagnostics (caller frees). */
static inline int load_xlsx(const char *path, const posture_template *t, size_t max_part,
                            posture_answers **out, char **text)
{
    posture_diags *d = NULL;
    assert_int_equal(posture_diags_new(&d), 0);
    int rc = posture_answers_load_xlsx(path, max_part, t, d, out);
    *text = tu_diags_text(d);
    posture_diags_free(d);
    return rc;
}

#endif
