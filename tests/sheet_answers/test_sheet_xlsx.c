/*
 * test_sheet_xlsx.c - workbook answers read from hand-made packages: every
 * kind of cell, layouts other programs write, the About and Controls
 * sheets, every error with its cell, and the zip and XML safety limits.
 */
#include "sheet_util.h"
#include "model/xlsx_read.h"

static posture_template *T;

#define HEAD "{'format':'posture-answers/1','template':'worked-example','template_version':'1.0.0'," \
             "'assessment':{'name':'book','organization':null,'scope':null,'group':'default','assessed_at':null}," \
             "'controls':[],'answers':["

/* Write the one-sheet workbook "book.xlsx" and return its path. */
static const char *book1(const char *sheet_name, const char *sheet, const char *sst,
                         const char *styles, const char *wbpr)
{
    const char *p = tmp_path("book.xlsx");
    const char *sheets[][2] = {{sheet_name, sheet}, {NULL, NULL}};
    write_book(p, sheets, sst, styles, wbpr);
    return p;
}

static void reads_ok(const char *path, const char *expected)
{
    posture_answers *a = NULL;
    char *msgs = NULL;
    int rc = load_xlsx(path, T, 0, &a, &msgs);
    assert_string_equal(msgs, "");
    assert_int_equal(rc, 0);
    assert_answers(a, expected);
    free(msgs);
    posture_answers_free(a);
}

static void fails(const char *path, int code, const char *expected)
{
    posture_answers *a = NULL;
    char *msgs = NULL;
    int rc = load_xlsx(path, T, 0, &a, &msgs);
    char *want = NULL;
    /* "@" in the expectation stands for the workbook's path */
    size_t n = strlen(expected) + 64 * strlen(path) + 1;
    want = malloc(n);
    size_t o = 0;
    for (const char *e = expected; *e; e++)
        o += *e == '@' ? (size_t)sprintf(want + o, "%s", path) : (size_t)sprintf(want + o, "%c", *e);
    want[o] = '\0';
    assert_string_equal(msgs, want);
    assert_int_equal(rc, code);
    assert_null(a);
    free(want);
    free(msgs);
}

static void reads_cells_of_every_kind(void **state)
{
    (void)state;
    const char *sst =
        "<sst xmlns=\"" NS_MAIN "\"><si><t>Action</t></si>"
        "<si><r><t>Imple</t></r><r><rPr><b/></rPr><t>mented</t></r><rPh><t>ignored</t></rPh></si>"
        "<si><t xml:space=\"preserve\"> https://x/1&#10;https://x/2 </t></si>"
        "<si><t>a_x000D__x000A_b_x005F_x0041_c_xD83D__xDE00_d_x0000__xDC00_</t></si></sst>";
    const char *sheet = SHEET(
        ACTIONS_HEADER
        ROW(2, IS("A2", "act.a") SS("H2", 1) IS("I2", " PASSED ") NUM("J2", "46327", 1)
                   NUM("K2", "42", 0) SS("O2", 3) SS("P2", 2))
        ROW(3, IS("A3", "act.b") IS("B3", "Action B, not answered"))
        ROW(4, IS("A4", "act.c")
                   "<c r=\"I4\" t=\"str\"><f>LOWER(\"FAILED_LOW\")</f><v>failed_low</v></c>"
                   NUM("J4", "46346.75", 2) "<c r=\"K4\" t=\"d\"><v>2026-11-20T00:00:00</v></c>"
                   "<c r=\"O4\" t=\"b\"><v>1</v></c>")
        ROW(5, IS("A5", "act.d") IS("H5", "") "<c r=\"I5\" s=\"1\"/>"
                   "<c r=\"J5\" t=\"d\"><v>1899-12-31</v></c>"));
    reads_ok(book1("Improvement actions", sheet, sst, STYLES, ""),
             HEAD "{'action':'act.a','implementation':'implemented','test':'passed',"
                  "'tested_at':'2026-11-01','assigned_to':'42',"
                  "'notes':'a\\r\\nb_x0041_c\xF0\x9F\x98\x80" "d\xEF\xBF\xBD\xEF\xBF\xBD',"
                  "'evidence':[' https://x/1','https://x/2 ']},"
                  "{'action':'act.c','implementation':'not_implemented','test':'failed_low',"
                  "'tested_at':'2026-11-20','assigned_to':'2026-11-20T00:00:00','notes':'TRUE',"
                  "'evidence':[]},"
                  "{'action':'act.d','implementation':'not_implemented','test':'not_assessed',"
                  "'tested_at':'1899-12-31','assigned_to':null,'notes':null,'evidence':[]}]}");
}

static void layouts_of_other_programs(void **state)
{
    (void)state;
    /* prefixed elements, a title row above the header, columns in another order, rows and
     * cells without references, the 1904 date system, the sheet name in another case */
    const char *sheet =
        "<x:worksheet xmlns:x=\"" NS_MAIN "\"><x:sheetData>"
        "<x:row r=\"1\"><x:c r=\"A1\" t=\"inlineStr\"><x:is><x:t>Questionnaire</x:t></x:is></x:c>"
        "</x:row>"
        "<x:row r=\"3\"><x:c t=\"inlineStr\"><x:is><x:t>test</x:t></x:is></x:c>"
        "<x:c t=\"inlineStr\"><x:is><x:t>tested_at</x:t></x:is></x:c>"
        "<x:c t=\"inlineStr\"><x:is><x:t> ACTION </x:t></x:is></x:c></x:row>"
        "<x:row><x:c t=\"inlineStr\"><x:is><x:t>Failed (medium risk)</x:t></x:is></x:c>"
        "<x:c s=\"1\"><x:v>44884</x:v></x:c>"
        "<x:c t=\"inlineStr\"><x:is><x:t>act.b</x:t></x:is></x:c></x:row>"
        "</x:sheetData></x:worksheet>";
    reads_ok(book1("improvement ACTIONS", sheet, NULL, STYLES, "date1904=\"1\""),
             HEAD "{'action':'act.b','implementation':'not_implemented','test':'failed_medium',"
                  "'tested_at':'2026-11-20','assigned_to':null,'notes':null,'evidence':[]}]}");
}

static void about_and_controls_sheets(void **state)
{
    (void)state;
    const char *actions = SHEET(ACTIONS_HEADER ROW(2, IS("A2", "act.a") IS("H2", "Planned")));
    const char *controls = SHEET(
        ROW(1, IS("A1", "Family") IS("B1", "Control") IS("C1", "Title") IS("I1", "Applicable")
                   IS("J1", "Justification"))
        ROW(2, IS("A2", "F1") IS("B2", "C1") IS("I2", "Yes"))
        ROW(3, IS("A3", "F1") IS("B3", "C2") IS("I3", " no ") IS("J3", "Not offered."))
        ROW(4, IS("A4", "F1") IS("B4", "C3") "<c r=\"I4\" t=\"b\"><v>1</v></c>"
                   IS("J4", "Kept, see note")));
    const char *about = SHEET(
        ROW(1, IS("A1", "Template") IS("B1", "worked-example"))
        ROW(2, IS("A2", "Template version") IS("B2", "1.0.0"))
        ROW(3, IS("A3", "assessment") IS("B3", "Contoso 2026"))
        ROW(4, IS("A4", "Organization") IS("B4", "Contoso Ltd"))
        ROW(5, IS("A5", "Scope") IS("B5", "EU"))
        ROW(6, IS("A6", "Group") IS("B6", "eu"))
        ROW(7, IS("A7", "Assessed at") NUM("B7", "46346", 1))
        ROW(8, IS("A8", "Profile") IS("B8", "compliance-manager"))
        ROW(10, IS("A10", "Scope") IS("B10", "after the block: not a key")));
    const char *p = tmp_path("meta.xlsx");
    const char *sheets[][2] = {{"Controls", controls}, {"Improvement actions", actions},
                               {"About", about}};
    write_book(p, sheets, NULL, STYLES, "");
    reads_ok(p, "{'format':'posture-answers/1','template':'worked-example','template_version':"
                "'1.0.0','assessment':{'name':'Contoso 2026','organization':'Contoso Ltd',"
                "'scope':'EU','group':'eu','assessed_at':'2026-11-20'},"
                "'controls':[{'control':'C2','applicable':false,'justification':'Not offered.'},"
                "{'control':'C3','applicable':true,'justification':'Kept, see note'}],"
                "'answers':[{'action':'act.a','implementation':'planned','test':'not_assessed',"
                "'tested_at':null,'assigned_to':null,'notes':null,'evidence':[]}]}");
}

static void a_controls_sheet_without_applicable_is_ignored(void **state)
{
    (void)state;
    const char *actions = SHEET(ACTIONS_HEADER ROW(2, IS("A2", "act.a") IS("H2", "Planned")));
    const char *controls =
        SHEET(ROW(1, IS("A1", "Control") IS("B1", "Notes")) ROW(2, IS("A2", "C9") IS("B2", "x")));
    const char *p = tmp_path("noapp.xlsx");
    const char *sheets[][2] = {{"Improvement actions", actions}, {"Controls", controls},
                               {NULL, NULL}};
    write_book(p, sheets, NULL, NULL, "");
    posture_answers *a = NULL;
    char *msgs = NULL;
    assert_int_equal(load_xlsx(p, T, 0, &a, &msgs), 0);
    assert_string_equal(msgs, "");
    assert_int_equal(posture_answers_control_count(a), 0);
    assert_string_equal(posture_answers_info(a)->name, "noapp");
    free(msgs);
    posture_answers_free(a);
}

static void every_cell_error_with_its_place(void **state)
{
    (void)state;
    const char *sst = "<sst xmlns=\"" NS_MAIN "\"><si><t>x</t></si></sst>";
    const char *actions = SHEET(
        ACTIONS_HEADER
        ROW(2, IS("A2", "act.a") IS("H2", "Implemented") IS("J2", "01/11/2026"))
        ROW(3, IS("A3", "act.b") NUM("J3", "46000", 0) "<c r=\"O3\" t=\"e\"><v>#N/A</v></c>")
        ROW(4, IS("H4", "Planned") IS("O4", "orphan"))
        ROW(5, IS("A5", "act.c") "<c r=\"J5\" t=\"b\"><v>0</v></c>" SS("K5", 7))
        ROW(6, IS("A6", "act.d") NUM("J6", "60", 1))
        ROW(7, IS("A7", "act.zz") IS("I7", "passed"))
        ROW(14, IS("A14", "act.a") IS("I14", "Done") "<c r=\"J14\" t=\"d\"><v>20261120</v></c>"));
    const char *controls = SHEET(
        ROW(1, IS("A1", "Control") IS("B1", "Applicable") IS("C1", "Justification"))
        ROW(2, IS("A2", "C1") IS("B2", "Maybe"))
        ROW(3, IS("A3", "C2") IS("B3", "No"))
        ROW(4, IS("B4", "No") IS("C4", "j")));
    const char *about = SHEET(ROW(1, IS("A1", "Scope") IS("B1", "a"))
                                  ROW(2, IS("A2", "scope") IS("B2", "b"))
                                  ROW(3, IS("A3", "Assessed at") IS("B3", "next week")));
    const char *p = tmp_path("errors.xlsx");
    const char *sheets[][2] = {{"Improvement actions", actions}, {"Controls", controls},
                               {"About", about}};
    write_book(p, sheets, sst, STYLES, "");
    fails(p, POSTURE_EINVALID,
          "posture: @: sheet \"Improvement actions\" cell J2: date in text form \"01/11/2026\"\n"
          "posture: @: sheet \"Improvement actions\" cell O3: the cell holds the error value #N/A\n"
          "posture: @: sheet \"Improvement actions\" cell J3: 46000 is a number, not a date\n"
          "posture: @: sheet \"Improvement actions\" cell A4: a row with answers but no action id\n"
          "posture: @: sheet \"Improvement actions\" cell K5: shared string 7 does not exist\n"
          "posture: @: sheet \"Improvement actions\" cell J5: FALSE is not a date\n"
          "posture: @: sheet \"Improvement actions\" cell J6: 60 is not a valid date serial\n"
          "posture: @: sheet \"Improvement actions\" cell I14: unknown test status \"Done\"; "
          "expected one of: not_assessed, in_progress, passed, failed_low, failed_medium, "
          "failed_high, out_of_scope\n"
          "posture: @: sheet \"Improvement actions\" cell J14: invalid date \"20261120\"; "
          "expected YYYY-MM-DD\n"
          "posture: @: sheet \"Controls\" cell B2: unknown applicability \"Maybe\"; expected Yes "
          "or No\n"
          "posture: @: sheet \"Controls\" cell A4: a row with applicability but no control id\n"
          "posture: @: sheet \"About\" cell A2: key \"Scope\" appears twice (first at A1)\n"
          "posture: @: sheet \"About\" cell B3: date in text form \"next week\"\n"
          "posture: @: sheet \"Controls\" cell A3: a not-applicable control needs a "
          "justification\n"
          "posture: @: sheet \"Improvement actions\" cell A7: unknown action \"act.zz\"\n"
          "posture: @: sheet \"Improvement actions\" cell A14: action \"act.a\" is answered "
          "twice (first at sheet \"Improvement actions\" cell A2)\n");
}

static void another_templates_answers(void **state)
{
    (void)state;
    const char *actions = SHEET(ACTIONS_HEADER ROW(2, IS("A2", "act.a") IS("H2", "Planned")));
    const char *about = SHEET(ROW(1, IS("A1", "Template") IS("B1", "iso-iec-27001-2022")));
    const char *p = tmp_path("other.xlsx");
    const char *sheets[][2] = {{"Improvement actions", actions}, {"About", about}, {NULL, NULL}};
    write_book(p, sheets, NULL, NULL, "");
    fails(p, POSTURE_EINVALID,
          "posture: @: answers are for template \"iso-iec-27001-2022\", not \"worked-example\"\n");
}

static void header_problems(void **state)
{
    (void)state;
    fails(book1("Improvement actions",
                SHEET(ROW(1, IS("A1", "Id") IS("B1", "Test")) ROW(2, IS("A2", "act.a"))), NULL,
                NULL, ""),
          POSTURE_EINVALID,
          "posture: @: sheet \"Improvement actions\": no \"Action\" column header\n");
    fails(book1("Improvement actions",
                SHEET(ROW(1, IS("A1", "Action") IS("B1", "Test") IS("C1", "test"))
                          ROW(2, IS("A2", "act.a") IS("B2", "Passed"))),
                NULL, NULL, ""),
          POSTURE_EINVALID,
          "posture: @: sheet \"Improvement actions\" cell C1: column \"Test\" appears twice "
          "(first at B1)\n");
}

static void not_an_answers_workbook(void **state)
{
    (void)state;
    fails(tu_write("text.xlsx", "action,test\nact.a,passed\n"), POSTURE_EINVALID,
          "posture: @: not an xlsx workbook (not a zip archive)\n");
    fails(tu_write("empty.xlsx", ""), POSTURE_EINVALID,
          "posture: @: not an xlsx workbook (not a zip archive)\n");
    fails(tu_write("old.xlsx", "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1 and more of an OLE file"),
          POSTURE_EINVALID,
          "posture: @: not an xlsx workbook (an old .xls file or a password-protected "
          "workbook)\n");
    fails(tmp_path("missing.xlsx"), POSTURE_EIO,
          "posture: @: cannot open: No such file or directory\n");
    const char *z = tmp_path("plain.xlsx");
    const zpart parts[] = {{"readme.txt", "not a workbook"}};
    write_zip(z, parts, 1);
    fails(z, POSTURE_EINVALID, "posture: @: not an xlsx workbook (no part xl/workbook.xml)\n");

    /* a workbook without the sheet: the hint lists the sheets it has */
    const char *p = tmp_path("summary.xlsx");
    const char *sheets[][2] = {{"Summary", SHEET("")}, {"Sheet 2", SHEET("")}, {NULL, NULL}};
    write_book(p, sheets, NULL, NULL, "");
    posture_diags *d = NULL;
    posture_answers *a = NULL;
    assert_int_equal(posture_diags_new(&d), 0);
    assert_int_equal(posture_answers_load_xlsx(p, 0, T, d, &a), POSTURE_EINVALID);
    assert_int_equal(posture_diags_count(d), 1);
    const posture_diag *g = posture_diags_get(d, 0);
    assert_string_equal(g->message, "no sheet \"Improvement actions\"");
    assert_null(g->place);
    assert_string_equal(g->hint, "answers are read from the \"Improvement actions\" sheet; this "
                                 "workbook has: Summary, Sheet 2");
    posture_diags_free(d);
}

static void dtds_and_entities_are_refused(void **state)
{
    (void)state;
    /* billion laughs */
    fails(book1("Improvement actions",
                "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [<!ENTITY lol \"lol\">"
                "<!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">]>"
                "<worksheet xmlns=\"" NS_MAIN "\"><sheetData><row r=\"1\"><c r=\"A1\" "
                "t=\"inlineStr\"><is><t>&lol2;</t></is></c></row></sheetData></worksheet>",
                NULL, NULL, ""),
          POSTURE_ESYNTAX,
          "posture: @: xl/worksheets/sheet1.xml: XML with a document type declaration "
          "(DTD) is refused: entities could expand without bound or read other files\n");
    /* an external entity, in the shared strings */
    fails(book1("Improvement actions", SHEET(ACTIONS_HEADER),
                "<?xml version=\"1.0\"?><!DOCTYPE sst SYSTEM \"file:///etc/passwd\">"
                "<sst xmlns=\"" NS_MAIN "\"><si><t>x</t></si></sst>",
                NULL, ""),
          POSTURE_ESYNTAX,
          "posture: @: xl/sharedStrings.xml: XML with a document type declaration (DTD) is "
          "refused: entities could expand without bound or read other files\n");
    /* an undeclared entity is plain malformed XML */
    fails(book1("Improvement actions", SHEET(ROW(1, IS("A1", "&xxe;"))), NULL, NULL, ""),
          POSTURE_ESYNTAX,
          "posture: @: xl/worksheets/sheet1.xml:1:169: malformed XML: undefined entity\n");
}

static void malformed_xml(void **state)
{
    (void)state;
    fails(book1("Improvement actions", SHEET(ROW(1, IS("A1", "Action")) "<row>"), NULL, NULL,
                ""),
          POSTURE_ESYNTAX,
          "posture: @: xl/worksheets/sheet1.xml:1:201: malformed XML: mismatched tag\n");
}

static void zip_bombs_are_refused(void **state)
{
    (void)state;
    /* 3 MiB of blanks inside a sheet: deflated to a few KiB */
    size_t big = (size_t)3 * 1024 * 1024;
    char *sheet = malloc(big + 512);
    strcpy(sheet, "<worksheet xmlns=\"" NS_MAIN "\"><sheetData>");
    size_t o = strlen(sheet);
    memset(sheet + o, ' ', big);
    strcpy(sheet + o + big, "</sheetData></worksheet>");
    const char *p = book1("Improvement actions", sheet, NULL, NULL, "");
    posture_answers *a = NULL;
    char *msgs = NULL, want[700];
    assert_int_equal(load_xlsx(p, T, (size_t)2 * 1024 * 1024, &a, &msgs), POSTURE_ELIMIT);
    snprintf(want, sizeof want,
             "posture: %s: xl/worksheets/sheet1.xml: part is larger than 2 MiB uncompressed; "
             "refusing it (a zip bomb?)\n",
             p);
    assert_string_equal(msgs, want);
    free(msgs);
    assert_int_equal(load_xlsx(p, T, 1000, &a, &msgs), POSTURE_ELIMIT);
    snprintf(want, sizeof want,
             "posture: %s: xl/worksheets/sheet1.xml: part is larger than 1000 bytes uncompressed; "
             "refusing it (a zip bomb?)\n",
             p);
    assert_string_equal(msgs, want);
    free(msgs);
    /* within the default cap it reads (and finds no header) */
    assert_int_equal(load_xlsx(p, T, 0, &a, &msgs), POSTURE_EINVALID);
    snprintf(want, sizeof want,
             "posture: %s: sheet \"Improvement actions\": no \"Action\" column header\n", p);
    assert_string_equal(msgs, want);
    free(msgs);
    free(sheet);
}

static void rows_wider_than_a_sheet(void **state)
{
    (void)state;
    /* 16385 cells in one row (all claiming column Q): more than a sheet has columns */
    static const char cell[] = "<c r=\"Q2\" t=\"b\"><v>1</v></c>";
    size_t n = 16385, cap = n * (sizeof cell - 1) + 1024;
    char *sheet = malloc(cap);
    int o = snprintf(sheet, cap, "<worksheet xmlns=\"" NS_MAIN "\"><sheetData>" ACTIONS_HEADER
                                 "<row r=\"2\">");
    for (size_t i = 0; i < n; i++)
        o += snprintf(sheet + o, cap - (size_t)o, "%s", cell);
    snprintf(sheet + o, cap - (size_t)o, "</row></sheetData></worksheet>");
    fails(book1("Improvement actions", sheet, NULL, NULL, ""), POSTURE_EINVALID,
          "posture: @: sheet \"Improvement actions\" cell Q2: row 2 has more cells than a "
          "sheet has columns\n");
    free(sheet);
}

static void serial_dates(void **state)
{
    (void)state;
    static const struct {
        double serial;
        int d1904;
        const char *date;
    } ok[] = {
        {1, 0, "1900-01-01"},     {59, 0, "1900-02-28"},      {61, 0, "1900-03-01"},
        {46346, 0, "2026-11-20"}, {46346.999, 0, "2026-11-20"}, {36526, 0, "2000-01-01"},
        {2958465, 0, "9999-12-31"}, {0, 1, "1904-01-01"},      {44884, 1, "2026-11-20"},
    };
    char buf[11];
    for (size_t i = 0; i < sizeof ok / sizeof *ok; i++) {
        assert_int_equal(xlsx_serial_date(ok[i].serial, ok[i].d1904, buf), 0);
        assert_string_equal(buf, ok[i].date);
    }
    assert_int_equal(xlsx_serial_date(60, 0, buf), -1); /* 1900-02-29 never was */
    assert_int_equal(xlsx_serial_date(0, 0, buf), -1);
    assert_int_equal(xlsx_serial_date(-1, 1, buf), -1);
    assert_int_equal(xlsx_serial_date(2958466, 0, buf), -1);
}

static void cell_names(void **state)
{
    (void)state;
    char buf[24];
    xlsx_cell_name(buf, 14, 8);
    assert_string_equal(buf, "I14");
    xlsx_cell_name(buf, 1, 25);
    assert_string_equal(buf, "Z1");
    xlsx_cell_name(buf, 2, 26);
    assert_string_equal(buf, "AA2");
    xlsx_cell_name(buf, 1048576, 16383);
    assert_string_equal(buf, "XFD1048576");
}

static int setup(void **state)
{
    (void)state;
    T = worked();
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    posture_template_free(T);
    tu_cleanup();
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(reads_cells_of_every_kind),
        cmocka_unit_test(layouts_of_other_programs),
        cmocka_unit_test(about_and_controls_sheets),
        cmocka_unit_test(a_controls_sheet_without_applicable_is_ignored),
        cmocka_unit_test(every_cell_error_with_its_place),
        cmocka_unit_test(another_templates_answers),
        cmocka_unit_test(header_problems),
        cmocka_unit_test(not_an_answers_workbook),
        cmocka_unit_test(dtds_and_entities_are_refused),
        cmocka_unit_test(malformed_xml),
        cmocka_unit_test(zip_bombs_are_refused),
        cmocka_unit_test(rows_wider_than_a_sheet),
        cmocka_unit_test(serial_dates),
        cmocka_unit_test(cell_names),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
