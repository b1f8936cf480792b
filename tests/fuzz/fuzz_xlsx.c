/*
 * fuzz_xlsx.c - the workbook answers reader (xlsx: libzip + expat).
 *
 * Two kinds of input:
 *  - a zip ("PK" first): the .xlsx file itself (zip-level damage, bombs);
 *  - anything else: XML parts separated by NUL bytes -- the
 *    "Improvement actions" sheet, sharedStrings.xml, styles.xml, the
 *    "Controls" sheet and the "About" sheet, in that order (missing ones
 *    get a minimal default) -- which are zipped with the fixed parts of a
 *    workbook (content types, relationships, workbook.xml), so the XML
 *    readers are fuzzed behind a valid zip.
 *
 * Answers that read against the worked example are scored; answers that
 * read are written as a workbook and read back, which must give the same
 * answers unless the writer warned (text too long for a cell).
 */
#include "fuzz.h"

#include <zip.h>

static posture_template *worked;
static posture_profile *profile;
static char in_path[256], out_path[256];

#define NS "xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" " \
           "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\""
#define RELNS "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
#define PKGRELNS "http://schemas.openxmlformats.org/package/2006/relationships"

static const char content_types[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
    "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
    "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
    "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
    "<Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>"
    "</Types>";
static const char root_rels[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"" PKGRELNS "\">"
    "<Relationship Id=\"rId1\" Type=\"" RELNS "/officeDocument\" Target=\"xl/workbook.xml\"/>"
    "</Relationships>";
static const char workbook[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?><workbook " NS "><sheets>"
    "<sheet name=\"Improvement actions\" sheetId=\"1\" r:id=\"rId1\"/>"
    "<sheet name=\"Controls\" sheetId=\"2\" r:id=\"rId2\"/>"
    "<sheet name=\"About\" sheetId=\"3\" r:id=\"rId3\"/></sheets></workbook>";
static const char workbook_rels[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"" PKGRELNS "\">"
    "<Relationship Id=\"rId1\" Type=\"" RELNS "/worksheet\" Target=\"worksheets/sheet1.xml\"/>"
    "<Relationship Id=\"rId2\" Type=\"" RELNS "/worksheet\" Target=\"worksheets/sheet2.xml\"/>"
    "<Relationship Id=\"rId3\" Type=\"" RELNS "/worksheet\" Target=\"worksheets/sheet3.xml\"/>"
    "<Relationship Id=\"rId4\" Type=\"" RELNS "/sharedStrings\" Target=\"sharedStrings.xml\"/>"
    "<Relationship Id=\"rId5\" Type=\"" RELNS "/styles\" Target=\"styles.xml\"/>"
    "</Relationships>";
static const char empty_sheet[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?><worksheet " NS "><sheetData/></worksheet>";
static const char empty_sst[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?><sst " NS " count=\"0\" uniqueCount=\"0\"/>";
static const char min_styles[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?><styleSheet " NS "><cellXfs count=\"1\">"
    "<xf numFmtId=\"0\"/></cellXfs></styleSheet>";

static const char *const part_names[5] = {"xl/worksheets/sheet1.xml", "xl/sharedStrings.xml",
                                          "xl/styles.xml", "xl/worksheets/sheet2.xml",
                                          "xl/worksheets/sheet3.xml"};
static const char *const part_defaults[5] = {empty_sheet, empty_sst, min_styles, empty_sheet,
                                             empty_sheet};

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    worked = fuzz_load_template(NULL, "tests/fixtures/worked.json");
    FUZZ_CHECK(posture_profile_open(POSTURE_PROFILE_DEFAULT, NULL, &profile) == 0);
    char dir[] = "/tmp/posture-fuzz-xlsx.XXXXXX";
    FUZZ_CHECK(mkdtemp(dir) != NULL);
    snprintf(in_path, sizeof in_path, "%s/in.xlsx", dir);
    snprintf(out_path, sizeof out_path, "%s/out.xlsx", dir);
    return 0;
}

static void add(zip_t *z, const char *name, const void *data, size_t len)
{
    zip_source_t *s = zip_source_buffer(z, data, len, 0);
    FUZZ_CHECK(s != NULL);
    zip_int64_t i = zip_file_add(z, name, s, ZIP_FL_OVERWRITE);
    FUZZ_CHECK(i >= 0);
    zip_set_file_compression(z, (zip_uint64_t)i, ZIP_CM_STORE, 0);
}

/* Zip the parts of the input (odd first byte) into in_path. */
static void build(const uint8_t *data, size_t size)
{
    int err = 0;
    zip_t *z = zip_open(in_path, ZIP_CREATE | ZIP_TRUNCATE, &err);
    FUZZ_CHECK(z != NULL);
    add(z, "[Content_Types].xml", content_types, sizeof content_types - 1);
    add(z, "_rels/.rels", root_rels, sizeof root_rels - 1);
    add(z, "xl/workbook.xml", workbook, sizeof workbook - 1);
    add(z, "xl/_rels/workbook.xml.rels", workbook_rels, sizeof workbook_rels - 1);
    size_t off = 0;
    for (int k = 0; k < 5; k++) {
        if (off <= size) {
            const uint8_t *nul = memchr(data + off, 0, size - off);
            size_t end = nul ? (size_t)(nul - data) : size;
            add(z, part_names[k], data + off, end - off);
            off = end + 1;
        } else {
            add(z, part_names[k], part_defaults[k], strlen(part_defaults[k]));
        }
    }
    FUZZ_CHECK(zip_close(z) == 0);
}

static void check_roundtrip(const posture_answers *a)
{
    posture_diags *w = NULL;
    FUZZ_CHECK(posture_diags_new(&w) == 0);
    FUZZ_CHECK(posture_answers_write_xlsx(a, worked, w, out_path) == 0);
    if (posture_diags_count(w) == 0) {
        posture_answers *b = NULL;
        posture_diags *d = NULL;
        FUZZ_CHECK(posture_diags_new(&d) == 0);
        int rc = posture_answers_load_xlsx(out_path, 0, worked, d, &b);
        fuzz_check_read_back(a, rc, b, d, "workbook");
    }
    posture_diags_free(w);
    unlink(out_path);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2 || data[0] != 'P' || data[1] != 'K') {
        build(data, size);
    } else {
        FILE *f = fopen(in_path, "wb");
        FUZZ_CHECK(f != NULL);
        FUZZ_CHECK(fwrite(data, 1, size, f) == size);
        FUZZ_CHECK(fclose(f) == 0);
    }
    posture_diags *d = NULL;
    FUZZ_CHECK(posture_diags_new(&d) == 0);
    posture_answers *a = NULL;
    int rc = posture_answers_load_xlsx(in_path, 1 << 20, worked, d, &a);
    if (getenv("FUZZ_REPLAY_VERBOSE"))
        fprintf(stderr, "  rc %d%s%s\n", rc, posture_diags_count(d) ? ": " : "",
                posture_diags_count(d) ? posture_diags_get(d, 0)->message : "");
    FUZZ_CHECK((rc == 0) == (a != NULL));
    FUZZ_CHECK(rc == 0 || posture_diags_errors(d) > 0 || rc == POSTURE_ENOMEM);
    if (a) {
        FUZZ_CHECK(posture_diags_errors(d) == 0);
        FUZZ_CHECK(posture_answers_resolved_template(a) == worked);
        fuzz_score_and_report(worked, a, profile);
        check_roundtrip(a);
        posture_answers_free(a);
    }
    posture_diags_free(d);
    unlink(in_path);
    return 0;
}
