/* test_sheet_csv.c - CSV answers: reading (lines, quoting, BOM, escapes), every error, writing. */
#include "model/csv_read.h"
#include "sheet_util.h"

static posture_template *T;

/* Parse CSV `text` as "a.csv" against T; `*out` the answers, returns rc, `*msgs` the diagnostics. */
static int parse(const char *text, posture_answers **out, char **msgs)
{
    posture_diags *d = NULL;
    assert_int_equal(posture_diags_new(&d), 0);
    int rc = posture_answers_parse_csv(text, strlen(text), "dir/a.csv", T, d, out);
    *msgs = tu_diags_text(d);
    posture_diags_free(d);
    return rc;
}

/* Parse text that must be valid; assert its answers. */
static void parses_to(const char *text, const char *expected)
{
    posture_answers *a = NULL;
    char *msgs = NULL;
    int rc = parse(text, &a, &msgs);
    assert_string_equal(msgs, "");
    assert_int_equal(rc, 0);
    assert_answers(a, expected);
    free(msgs);
    posture_answers_free(a);
}

/* Parse text that must fail with `code`; assert the diagnostics. */
static void fails_with(const char *text, int code, const char *expected)
{
    posture_answers *a = NULL;
    char *msgs = NULL;
    int rc = parse(text, &a, &msgs);
    assert_string_equal(msgs, expected);
    assert_int_equal(rc, code);
    assert_null(a);
    free(msgs);
}

#define HEAD "{'format':'posture-answers/1','template':'worked-example','template_version':'1.0.0'," \
             "'assessment':{'name':'a','organization':null,'scope':null,'group':'default','assessed_at':null}," \
             "'controls':[],'answers':["

static void reads_every_column(void **state)
{
    (void)state;
    parses_to("action,implementation,test,tested_at,assigned_to,notes,evidence\n"
              "act.a,implemented,passed,2026-11-01,dpo@example.org,Checked.,https://x/1\n",
              HEAD "{'action':'act.a','implementation':'implemented','test':'passed',"
                   "'tested_at':'2026-11-01','assigned_to':'dpo@example.org','notes':'Checked.',"
                   "'evidence':['https://x/1']}]}");
}

static void columns_in_any_order_and_case_labels_too(void **state)
{
    (void)state;
    /* BOM, CRLF, headers in any case (tokens or workbook labels), statuses as labels */
    parses_to("\xEF\xBB\xBF" "NOTES,Test,Action,Tested On,assigned to\r\n"
              "n1,Failed (high risk),act.b,,\r\n"
              ",,act.a,,me\r\n",
              HEAD "{'action':'act.b','implementation':'not_implemented','test':'failed_high',"
                   "'tested_at':null,'assigned_to':null,'notes':'n1','evidence':[]},"
                   "{'action':'act.a','implementation':'not_implemented','test':'not_assessed',"
                   "'tested_at':null,'assigned_to':'me','notes':null,'evidence':[]}]}");
}

static void quoted_fields_hold_commas_quotes_and_newlines(void **state)
{
    (void)state;
    parses_to("action,notes,evidence\n"
              "act.a,\"a, \"\"b\"\"\r\nc\",\"https://x/1\nhttps://x/2\r\n\n  spaced  \"\n"
              "  act.b  ,  unquoted is trimmed  ,\n",
              HEAD "{'action':'act.a','implementation':'not_implemented','test':'not_assessed',"
                   "'tested_at':null,'assigned_to':null,'notes':'a, \\'b\\'\\r\\nc',"
                   "'evidence':['https://x/1','https://x/2','  spaced  ']},"
                   "{'action':'act.b','implementation':'not_implemented','test':'not_assessed',"
                   "'tested_at':null,'assigned_to':null,'notes':'unquoted is trimmed',"
                   "'evidence':[]}]}");
}

static void formula_escape_is_undone(void **state)
{
    (void)state;
    parses_to("action,notes,assigned_to,evidence\n"
              "act.a,'=SUM(A1),''+1,\"'-x\n=y\"\n"
              "act.b,'plain,'''@x,'\ty\n",
              HEAD "{'action':'act.a','implementation':'not_implemented','test':'not_assessed',"
                   "'tested_at':null,'assigned_to':''+1','notes':'=SUM(A1)',"
                   "'evidence':['-x','=y']},"
                   "{'action':'act.b','implementation':'not_implemented','test':'not_assessed',"
                   "'tested_at':null,'assigned_to':'''@x','notes':''plain',"
                   "'evidence':['\\ty']}]}");
}

static void escape_rule_exactly(void **state)
{
    (void)state;
    static const struct {
        const char *in, *out;
        int needs;
    } cases[] = {
        {"=1", "=1", 1},       {"'=1", "=1", 1},     {"''=1", "'=1", 1}, {"'+", "+", 1},
        {"'-", "-", 1},        {"'@", "@", 1},       {"'\t", "\t", 1},   {"'\r", "\r", 1},
        {"'", "'", 0},         {"''", "''", 0},      {"'a", "'a", 0},    {"a=b", "a=b", 0},
        {" =1", " =1", 0},     {"", "", 0},          {"'\n", "'\n", 0},  {"+", "+", 1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char buf[16];
        snprintf(buf, sizeof buf, "%s", cases[i].in);
        size_t n = csv_unescape_cell(buf, strlen(buf));
        assert_string_equal(buf, cases[i].out);
        assert_int_equal(n, strlen(cases[i].out));
        /* writing: escape when the text (before escaping) matches ^'*[=+\-@\t\r] */
        assert_int_equal(csv_cell_needs_escape(cases[i].out), cases[i].needs);
    }
}

static void empty_records_and_statuses_are_absent(void **state)
{
    (void)state;
    parses_to("action,implementation,test,tested_at\n"
              ",,,\n"
              "\n"
              "act.a,  ,\"\",\n"
              "act.b\n",
              HEAD "{'action':'act.a','implementation':'not_implemented','test':'not_assessed',"
                   "'tested_at':null,'assigned_to':null,'notes':null,'evidence':[]},"
                   "{'action':'act.b','implementation':'not_implemented','test':'not_assessed',"
                   "'tested_at':null,'assigned_to':null,'notes':null,'evidence':[]}]}");
}

static void header_only_is_no_answers(void **state)
{
    (void)state;
    parses_to("action\n", HEAD "]}");
    parses_to("action", HEAD "]}");
}

static void without_template_only_the_format_is_checked(void **state)
{
    (void)state;
    posture_diags *d = NULL;
    posture_answers *a = NULL;
    assert_int_equal(posture_diags_new(&d), 0);
    const char *text = "action\nnope\nnope\n";
    assert_int_equal(posture_answers_parse_csv(text, strlen(text), "q3.review.csv", NULL, d, &a),
                     0);
    assert_diags(d, "");
    assert_answers(a, "{'format':'posture-answers/1','template':null,'assessment':{'name':"
                      "'q3.review','organization':null,'scope':null,'group':'default',"
                      "'assessed_at':null},'controls':[],'answers':[{'action':'nope',"
                      "'implementation':'not_implemented','test':'not_assessed','tested_at':null,"
                      "'assigned_to':null,'notes':null,'evidence':[]},{'action':'nope',"
                      "'implementation':'not_implemented','test':'not_assessed','tested_at':null,"
                      "'assigned_to':null,'notes':null,'evidence':[]}]}");
    posture_answers_free(a);
    posture_diags_free(d);
}

static void every_problem_at_the_line_where_its_record_starts(void **state)
{
    (void)state;
    fails_with("action,implementation,test,tested_at\n"     /* 1 */
               "act.a,done,passd,2026-02-30\n"             /* 2 */
               "act.b,\"multi\n"                           /* 3 */
               "line\",Passed,\n"                          /* 4 */
               "act.zz,,,\n"                               /* 5 */
               "\"act.a\",,\"x\n"                          /* 6 */
               "\n"                                        /* 7 */
               "y\",\n"                                    /* 8 */
               ",implemented,,\n"                          /* 9 */
               "act.c,,,,extra\n"                          /* 10 */
               "act.c,,,,\n",                              /* 11: empty extra field is fine */
               POSTURE_EINVALID,
               "posture: dir/a.csv: 2: unknown implementation status \"done\"; expected one of: "
               "not_implemented, planned, partially_implemented, implemented, alternative, "
               "out_of_scope\n"
               "posture: dir/a.csv: 2: unknown test status \"passd\"; expected one of: "
               "not_assessed, in_progress, passed, failed_low, failed_medium, failed_high, "
               "out_of_scope\n"
               "posture: dir/a.csv: 2: invalid date \"2026-02-30\"; expected YYYY-MM-DD\n"
               "posture: dir/a.csv: 3: unknown implementation status \"multi\nline\"; expected "
               "one of: not_implemented, planned, partially_implemented, implemented, "
               "alternative, out_of_scope\n"
               "posture: dir/a.csv: 6: unknown test status \"x\n\ny\"; expected one of: "
               "not_assessed, in_progress, passed, failed_low, failed_medium, failed_high, "
               "out_of_scope\n"
               "posture: dir/a.csv: 9: the record has no action id\n"
               "posture: dir/a.csv: 10: the record has 5 fields, the header 4\n"
               "posture: dir/a.csv: 5: unknown action \"act.zz\"\n"
               "posture: dir/a.csv: 6: action \"act.a\" is answered twice (first at 2)\n");
}

static void lines_count_cr_lf_and_lone_cr(void **state)
{
    (void)state;
    fails_with("action,test\r\nact.a,\"a\r\nb\"\r\n\r\nact.b,x\ract.c,y\n", POSTURE_EINVALID,
               "posture: dir/a.csv: 2: unknown test status \"a\r\nb\"; expected one of: "
               "not_assessed, in_progress, passed, failed_low, failed_medium, failed_high, "
               "out_of_scope\n"
               "posture: dir/a.csv: 5: unknown test status \"x\"; expected one of: "
               "not_assessed, in_progress, passed, failed_low, failed_medium, failed_high, "
               "out_of_scope\n"
               "posture: dir/a.csv: 6: unknown test status \"y\"; expected one of: "
               "not_assessed, in_progress, passed, failed_low, failed_medium, failed_high, "
               "out_of_scope\n");
}

static void header_problems(void **state)
{
    (void)state;
    fails_with("", POSTURE_EINVALID,
               "posture: dir/a.csv: 1: the file is empty: a header row is required\n");
    fails_with("\xEF\xBB\xBF", POSTURE_EINVALID,
               "posture: dir/a.csv: 1: the file is empty: a header row is required\n");
    fails_with("\n\nimplementation,Title,test\nimplemented,x,passed\n", POSTURE_EINVALID,
               "posture: dir/a.csv: 3: warning: unknown column \"Title\" (ignored)\n"
               "posture: dir/a.csv: 3: the header row has no \"action\" column\n");
    fails_with("action,Test,tested on,TEST,tested_at\nact.a\n", POSTURE_EINVALID,
               "posture: dir/a.csv: 1: column \"test\" appears twice\n"
               "posture: dir/a.csv: 1: column \"tested_at\" appears twice\n");
}

static void unknown_columns_warn_only(void **state)
{
    (void)state;
    posture_answers *a = NULL;
    char *msgs = NULL;
    assert_int_equal(parse("action,title\nact.a,Action A\n", &a, &msgs), 0);
    assert_string_equal(msgs, "posture: dir/a.csv: 1: warning: unknown column \"title\" (ignored)\n");
    assert_int_equal(posture_answers_count(a), 1);
    free(msgs);
    posture_answers_free(a);
}

static void syntax_errors(void **state)
{
    (void)state;
    fails_with("action,notes\nact.a,ok\nact.b,say \"hi\"\n", POSTURE_ESYNTAX,
               "posture: dir/a.csv: 3: malformed CSV: a quote inside an unquoted field, or text "
               "after a closing quote\n");
    fails_with("action,notes\nact.a,\"closed\" then\n", POSTURE_ESYNTAX,
               "posture: dir/a.csv: 2: malformed CSV: a quote inside an unquoted field, or text "
               "after a closing quote\n");
    fails_with("action,notes\nact.a,ok\nact.b,\"never\nclosed\n\n", POSTURE_ESYNTAX,
               "posture: dir/a.csv: 3: malformed CSV: a quoted field is not closed\n");
    fails_with("action\nact.a\n\xC3\x28\n", POSTURE_ESYNTAX,
               "posture: dir/a.csv: 3: invalid UTF-8 (byte 0xc3)\n");
    posture_diags *d = NULL;
    posture_answers *a = NULL;
    assert_int_equal(posture_diags_new(&d), 0);
    assert_int_equal(posture_answers_parse_csv("action\nact\0.a\n", 12, "n.csv", T, d, &a),
                     POSTURE_ESYNTAX);
    assert_diags(d, "posture: n.csv: 2: NUL byte in a text file\n");
    assert_null(a);
    posture_diags_free(d);
}

static void load_names_the_file(void **state)
{
    (void)state;
    posture_diags *d = NULL;
    posture_answers *a = NULL;
    assert_int_equal(posture_diags_new(&d), 0);
    const char *p = tmp_path("nope.csv");
    assert_int_equal(posture_answers_load_csv(p, T, d, &a), POSTURE_EIO);
    char want[600];
    snprintf(want, sizeof want, "posture: %s: cannot open: No such file or directory\n", p);
    assert_diags(d, want);
    posture_diags_free(d);
}

static char *slurp(const char *path)
{
    char *text = NULL;
    size_t len = 0;
    assert_int_equal(posture_read_file(path, 0, &text, &len), 0);
    return text;
}

static void writes_quoted_escaped_crlf(void **state)
{
    (void)state;
    posture_answers *a = NULL;
    assert_int_equal(posture_answers_new(&a), 0);
    const char *ev[] = {"=HYPERLINK(\"x\")", "https://x/2"};
    posture_answer an = {"act.a", POSTURE_IMPL_PARTIAL, POSTURE_TEST_FAILED_LOW, "2026-11-01",
                         "'@me", "a, \"b\"\r\nc", ev, 2, -1, NULL};
    assert_int_equal(posture_answers_add(a, &an), 0);
    posture_answer b = {.action = "-act", .notes = "'", .assigned_to = "\tx", .action_index = -1};
    assert_int_equal(posture_answers_add(a, &b), 0);
    posture_control_scope cs = {"C3", 0, "j", -1, NULL};
    assert_int_equal(posture_answers_add_control(a, &cs), 0);
    posture_diags *w = NULL;
    assert_int_equal(posture_diags_new(&w), 0);
    const char *p = tmp_path("w.csv");
    assert_int_equal(posture_answers_write_csv(a, w, p), 0);
    char want[700];
    snprintf(want, sizeof want,
             "posture: %s: warning: CSV has no place for control applicability: 1 control "
             "entry left out\n",
             p);
    assert_diags(w, want);
    char *text = slurp(p);
    assert_string_equal(text,
                        "\"action\",\"implementation\",\"test\",\"tested_at\",\"assigned_to\","
                        "\"notes\",\"evidence\"\r\n"
                        "\"act.a\",\"partially_implemented\",\"failed_low\",\"2026-11-01\","
                        "\"''@me\",\"a, \"\"b\"\"\r\nc\",\"'=HYPERLINK(\"\"x\"\")\nhttps://x/2\"\r\n"
                        "\"'-act\",\"not_implemented\",\"not_assessed\",\"\",\"'\tx\",\"'\",\"\"\r\n");
    /* and it reads back to the same answers (no template: "-act" is not an id of T) */
    posture_diags_clear(w);
    posture_answers *b2 = NULL;
    assert_int_equal(posture_answers_parse_csv(text, strlen(text), "w.csv", NULL, w, &b2), 0);
    assert_diags(w, "");
    char *x = posture_answers_to_json(a), *y = NULL;
    posture_answers_free(a);
    a = NULL;
    /* compare the answers part only: CSV carries no metadata or controls */
    assert_non_null(x);
    y = posture_answers_to_json(b2);
    const char *ax = strstr(x, "\"answers\""), *ay = strstr(y, "\"answers\"");
    assert_string_equal(ax, ay);
    free(x);
    free(y);
    free(text);
    posture_answers_free(b2);
    posture_diags_free(w);
}

static void evidence_with_line_break_warns(void **state)
{
    (void)state;
    posture_answers *a = NULL;
    assert_int_equal(posture_answers_new(&a), 0);
    const char *ev[] = {"ok", "two\nlines"};
    posture_answer an = {.action = "act.a", .evidence = ev, .nevidence = 2, .action_index = -1};
    assert_int_equal(posture_answers_add(a, &an), 0);
    posture_diags *w = NULL;
    assert_int_equal(posture_diags_new(&w), 0);
    const char *p = tmp_path("ev.csv");
    assert_int_equal(posture_answers_write_csv(a, w, p), 0);
    char want[700];
    snprintf(want, sizeof want,
             "posture: %s: warning: evidence item 2 of action \"act.a\" holds a line break; it "
             "will read back as several items\n",
             p);
    assert_diags(w, want);
    posture_diags_free(w);
    posture_answers_free(a);
}

static void write_failure_leaves_no_file(void **state)
{
    (void)state;
    posture_answers *a = NULL;
    assert_int_equal(posture_answers_new(&a), 0);
    assert_int_equal(posture_answers_write_csv(a, NULL, "/nonexistent-dir/x.csv"), POSTURE_EIO);
    posture_answers_free(a);
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
        cmocka_unit_test(reads_every_column),
        cmocka_unit_test(columns_in_any_order_and_case_labels_too),
        cmocka_unit_test(quoted_fields_hold_commas_quotes_and_newlines),
        cmocka_unit_test(formula_escape_is_undone),
        cmocka_unit_test(escape_rule_exactly),
        cmocka_unit_test(empty_records_and_statuses_are_absent),
        cmocka_unit_test(header_only_is_no_answers),
        cmocka_unit_test(without_template_only_the_format_is_checked),
        cmocka_unit_test(every_problem_at_the_line_where_its_record_starts),
        cmocka_unit_test(lines_count_cr_lf_and_lone_cr),
        cmocka_unit_test(header_problems),
        cmocka_unit_test(unknown_columns_warn_only),
        cmocka_unit_test(syntax_errors),
        cmocka_unit_test(load_names_the_file),
        cmocka_unit_test(writes_quoted_escaped_crlf),
        cmocka_unit_test(evidence_with_line_break_warns),
        cmocka_unit_test(write_failure_leaves_no_file),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
