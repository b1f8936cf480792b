/* test_report_xlsx_write.c - posture_report_xlsx_write(): return codes, atomic
 * writes, determinism and the warnings for text cut at Excel's cell limit.
 * The content of the workbook is checked by test_workbook.sh (openpyxl). */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "testutil.h"

static const char worked_template[] =
    "{\"format\": \"posture-template/1\", \"id\": \"worked-example\", \"version\": \"1.0.0\",\n"
    " \"title\": \"Worked example\",\n"
    " \"families\": [{\"id\": \"F1\", \"title\": \"First family\", \"controls\": [\n"
    "   {\"id\": \"C1\", \"title\": \"Control one\", \"actions\": [\"act.a\", \"act.b\"],\n"
    "    \"mappings\": {\"gdpr\": [\"Art. 32(1)\"]}},\n"
    "   {\"id\": \"C2\", \"title\": \"Control two\", \"actions\": [\"act.b\", \"act.c\"]},\n"
    "   {\"id\": \"C3\", \"title\": \"Control three\", \"actions\": [\"act.d\"]}]}],\n"
    " \"actions\": [\n"
    "  {\"id\": \"act.a\", \"title\": \"Action A\", \"type\": \"preventive\", \"enforcement\": "
    "\"mandatory\", \"implementation_type\": \"technical\", \"owner\": \"customer\"},\n"
    "  {\"id\": \"act.b\", \"title\": \"Action B\", \"type\": \"detective\", \"enforcement\": "
    "\"mandatory\", \"implementation_type\": \"technical\", \"owner\": \"customer\"},\n"
    "  {\"id\": \"act.c\", \"title\": \"Action C\", \"type\": \"corrective\", \"enforcement\": "
    "\"discretionary\", \"implementation_type\": \"operational\", \"owner\": \"customer\"},\n"
    "  {\"id\": \"act.d\", \"title\": \"Action D\", \"type\": \"preventive\", \"enforcement\": "
    "\"discretionary\", \"implementation_type\": \"documentation\", \"owner\": \"customer\"}]}\n";

static const char worked_answers[] =
    "{\"format\": \"posture-answers/1\", \"template\": \"worked-example\",\n"
    " \"assessment\": {\"name\": \"Worked\", \"organization\": \"Contoso\", "
    "\"assessed_at\": \"2026-11-20\"},\n"
    " \"answers\": [\n"
    "  {\"action\": \"act.a\", \"implementation\": \"implemented\", \"test\": \"passed\", "
    "\"tested_at\": \"2026-11-01\"},\n"
    "  {\"action\": \"act.b\", \"implementation\": \"implemented\", \"test\": \"failed_low\"},\n"
    "  {\"action\": \"act.c\", \"implementation\": \"alternative\", \"test\": \"passed\"},\n"
    "  {\"action\": \"act.d\", \"implementation\": \"out_of_scope\"}]}\n";

typedef struct fixture {
    posture_template *t;
    posture_answers *a;
    posture_profile *p;
    posture_result *r;
} fixture;

static void fx_load(fixture *fx, const char *tjson, const char *ajson)
{
    memset(fx, 0, sizeof *fx);
    posture_diags *d = NULL;
    assert_int_equal(posture_diags_new(&d), 0);
    const char *tp = tu_write("t.json", tjson);
    if (posture_template_load(NULL, tp, 0, d, &fx->t) != 0)
        fail_msg("template: %s", tu_diags_text(d));
    if (posture_answers_parse_json(ajson, strlen(ajson), "a.json", fx->t, d, &fx->a) != 0)
        fail_msg("answers: %s", tu_diags_text(d));
    assert_int_equal(posture_profile_open("compliance-manager", d, &fx->p), 0);
    assert_int_equal(posture_score(fx->t, fx->a, fx->p, &fx->r), 0);
    posture_diags_free(d);
}

static void fx_free(fixture *fx)
{
    posture_result_free(fx->r);
    posture_profile_free(fx->p);
    posture_answers_free(fx->a);
    posture_template_free(fx->t);
}

static char *path_in(const char *dir, const char *name)
{
    static char buf[4][600];
    static int slot;
    char *p = buf[slot++ % 4];
    snprintf(p, 600, "%s/%s", dir, name);
    return p;
}

/* A fresh empty directory under the test's temporary directory. */
static const char *fresh_dir(const char *name)
{
    const char *d = path_in(tu_tmpdir(), name);
    assert_int_equal(mkdir(d, 0755), 0);
    return d;
}

/* Names in `dir`, sorted, joined by spaces ("" when empty). */
static char *listing(const char *dir)
{
    static char out[2048];
    struct dirent **names = NULL;
    int n = scandir(dir, &names, NULL, alphasort);
    assert_true(n >= 0);
    out[0] = '\0';
    for (int i = 0; i < n; i++) {
        if (strcmp(names[i]->d_name, ".") != 0 && strcmp(names[i]->d_name, "..") != 0) {
            if (out[0])
                strcat(out, " ");
            strcat(out, names[i]->d_name);
        }
        free(names[i]);
    }
    free(names);
    return out;
}

static char *slurp(const char *path, size_t *len)
{
    char *s = NULL;
    assert_int_equal(posture_read_file(path, 0, &s, len), 0);
    return s;
}

static void test_writes_a_zip_and_nothing_else(void **state)
{
    (void)state;
    fixture fx;
    fx_load(&fx, worked_template, worked_answers);
    const char *dir = fresh_dir("ok");
    const char *out = path_in(dir, "report.xlsx");
    posture_diags *w = NULL;
    assert_int_equal(posture_diags_new(&w), 0);
    posture_xlsx_options o = {.created = 1763632800, .warnings = w};
    assert_int_equal(posture_report_xlsx_write(fx.r, &o, out), 0);
    assert_int_equal(posture_diags_count(w), 0);
    assert_string_equal(listing(dir), "report.xlsx");
    size_t len;
    char *bytes = slurp(out, &len);
    assert_true(len > 4000);
    assert_memory_equal(bytes, "PK\x03\x04", 4);
    free(bytes);
    /* a second write replaces the file in place */
    assert_int_equal(posture_report_xlsx_write(fx.r, &o, out), 0);
    assert_string_equal(listing(dir), "report.xlsx");
    posture_diags_free(w);
    fx_free(&fx);
}

static void test_same_time_same_bytes(void **state)
{
    (void)state;
    fixture fx;
    fx_load(&fx, worked_template, worked_answers);
    const char *dir = fresh_dir("det");
    char a[600], b[600], c[600], z[600];
    snprintf(a, sizeof a, "%s", path_in(dir, "a.xlsx"));
    snprintf(b, sizeof b, "%s", path_in(dir, "b.xlsx"));
    snprintf(c, sizeof c, "%s", path_in(dir, "c.xlsx"));
    snprintf(z, sizeof z, "%s", path_in(dir, "z.xlsx"));
    posture_xlsx_options o = {.created = 1763632800};
    assert_int_equal(posture_report_xlsx_write(fx.r, &o, a), 0);
    assert_int_equal(posture_report_xlsx_write(fx.r, &o, b), 0);
    o.created = 1763632801;
    assert_int_equal(posture_report_xlsx_write(fx.r, &o, c), 0);
    size_t la, lb, lc;
    char *ba = slurp(a, &la), *bb = slurp(b, &lb), *bc = slurp(c, &lc);
    assert_int_equal(la, lb);
    assert_memory_equal(ba, bb, la);
    assert_true(la != lc || memcmp(ba, bc, la) != 0); /* the created time is in the file */
    free(ba);
    free(bb);
    free(bc);
    /* 0 (and below) count as 1: libxlsxwriter would take 0 as "now" */
    o.created = 0;
    assert_int_equal(posture_report_xlsx_write(fx.r, &o, z), 0);
    o.created = 1;
    assert_int_equal(posture_report_xlsx_write(fx.r, &o, a), 0);
    o.created = -5;
    assert_int_equal(posture_report_xlsx_write(fx.r, &o, b), 0);
    char *bz = slurp(z, &lc);
    ba = slurp(a, &la);
    bb = slurp(b, &lb);
    assert_int_equal(la, lc);
    assert_int_equal(lb, lc);
    assert_memory_equal(ba, bz, la);
    assert_memory_equal(bb, bz, lb);
    free(ba);
    free(bb);
    free(bz);
    fx_free(&fx);
}

static void test_missing_directory_leaves_nothing(void **state)
{
    (void)state;
    fixture fx;
    fx_load(&fx, worked_template, worked_answers);
    const char *dir = fresh_dir("missing");
    char out[600], msg[800];
    snprintf(out, sizeof out, "%s/no/such/dir/report.xlsx", dir);
    posture_xlsx_options o = {.created = 1};
    assert_int_equal(posture_report_xlsx_write(fx.r, &o, out), POSTURE_EIO);
    snprintf(msg, sizeof msg, "%s: cannot write: No such file or directory", out);
    assert_string_equal(posture_error_last(), msg);
    assert_string_equal(listing(dir), "");
    fx_free(&fx);
}

static void test_unwritable_directory_leaves_nothing(void **state)
{
    (void)state;
    if (geteuid() == 0)
        skip(); /* root writes anywhere */
    fixture fx;
    fx_load(&fx, worked_template, worked_answers);
    const char *dir = fresh_dir("readonly");
    assert_int_equal(chmod(dir, 0555), 0);
    char out[600], msg[800];
    snprintf(out, sizeof out, "%s/report.xlsx", dir);
    posture_xlsx_options o = {.created = 1};
    assert_int_equal(posture_report_xlsx_write(fx.r, &o, out), POSTURE_EIO);
    snprintf(msg, sizeof msg, "%s: cannot write: Permission denied", out);
    assert_string_equal(posture_error_last(), msg);
    assert_string_equal(listing(dir), "");
    chmod(dir, 0755);
    fx_free(&fx);
}

/* A libxlsxwriter failure (here: a file size limit makes its writes fail)
 * is POSTURE_EIO naming the target; an existing target is untouched and no
 * temporary file is left beside it. */
static void test_libxlsxwriter_error_keeps_old_file(void **state)
{
    (void)state;
    fixture fx;
    fx_load(&fx, worked_template, worked_answers);
    const char *dir = fresh_dir("lxwfail");
    char out[600], prefix[800];
    snprintf(out, sizeof out, "%s/report.xlsx", dir);
    assert_int_equal(posture_write_file(out, "old", 3), 0);
    struct rlimit saved, small;
    assert_int_equal(getrlimit(RLIMIT_FSIZE, &saved), 0);
    small = saved;
    small.rlim_cur = 2048;
    void (*old_handler)(int) = signal(SIGXFSZ, SIG_IGN);
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &small), 0);
    posture_xlsx_options o = {.created = 1};
    int rc = posture_report_xlsx_write(fx.r, &o, out);
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &saved), 0);
    signal(SIGXFSZ, old_handler);
    assert_int_equal(rc, POSTURE_EIO);
    snprintf(prefix, sizeof prefix, "%s: cannot write workbook: ", out);
    const char *msg = posture_error_last();
    if (strncmp(msg, prefix, strlen(prefix)) != 0)
        fail_msg("unexpected message: %s", msg);
    assert_string_equal(listing(dir), "report.xlsx");
    size_t len;
    char *s = slurp(out, &len);
    assert_string_equal(s, "old");
    free(s);
    fx_free(&fx);
}

static void test_target_is_a_directory(void **state)
{
    (void)state;
    fixture fx;
    fx_load(&fx, worked_template, worked_answers);
    const char *dir = fresh_dir("isdir");
    const char *out = path_in(dir, "report.xlsx");
    assert_int_equal(mkdir(out, 0755), 0);
    posture_xlsx_options o = {.created = 1};
    assert_int_equal(posture_report_xlsx_write(fx.r, &o, out), POSTURE_EIO);
    char msg[800];
    snprintf(msg, sizeof msg, "%s: cannot write: Is a directory", out);
    assert_string_equal(posture_error_last(), msg);
    assert_string_equal(listing(dir), "report.xlsx");
    struct stat st;
    assert_int_equal(stat(out, &st), 0);
    assert_true(S_ISDIR(st.st_mode));
    fx_free(&fx);
}

/* Text over 32,767 UTF-16 code units is cut, with one warning per cell
 * naming the sheet, the cell and the action or control. */
static void test_long_text_is_cut_with_a_warning(void **state)
{
    (void)state;
    size_t n = 40000;
    char *notes = malloc(n + 1), *emoji = malloc(4 * 20000 + 1);
    memset(notes, 'x', n);
    notes[n] = '\0';
    for (size_t i = 0; i < 20000; i++) /* 20000 U+1F600: 40000 code units */
        memcpy(emoji + 4 * i, "\xF0\x9F\x98\x80", 4);
    emoji[4 * 20000] = '\0';
    size_t cap = 2 * n + 4 * 20000 + 2048;
    char *answers = malloc(cap);
    snprintf(answers, cap,
             "{\"format\": \"posture-answers/1\", \"template\": \"worked-example\",\n"
             " \"assessment\": {\"name\": \"Long\"},\n"
             " \"controls\": [{\"control\": \"C3\", \"applicable\": false, "
             "\"justification\": \"%s\"}],\n"
             " \"answers\": [{\"action\": \"act.b\", \"notes\": \"%s\", "
             "\"evidence\": [\"short\"]}]}\n",
             emoji, notes);
    fixture fx;
    fx_load(&fx, worked_template, answers);
    posture_diags *w = NULL;
    assert_int_equal(posture_diags_new(&w), 0);
    const char *dir = fresh_dir("long");
    const char *out = path_in(dir, "long.xlsx");
    posture_xlsx_options o = {.created = 1, .warnings = w};
    assert_int_equal(posture_report_xlsx_write(fx.r, &o, out), 0);
    char want[2048];
    snprintf(want, sizeof want,
             "posture: %s: sheet \"Controls\" cell J4: warning: Justification of control \"C3\" "
             "cut to Excel's cell limit of 32767 characters\n"
             "posture: %s: sheet \"Improvement actions\" cell O3: warning: Notes of action "
             "\"act.b\" cut to Excel's cell limit of 32767 characters\n",
             out, out);
    assert_diags(w, want);
    assert_string_equal(listing(dir), "long.xlsx");
    posture_diags_free(w);
    fx_free(&fx);
    free(answers);
    free(notes);
    free(emoji);
}

/* Control characters, invalid in XML, do not break the workbook. */
static void test_control_characters(void **state)
{
    (void)state;
    const char *answers =
        "{\"format\": \"posture-answers/1\", \"template\": \"worked-example\",\n"
        " \"assessment\": {\"name\": \"Ctl\\u0001name\", \"organization\": \"A\\u0007B\"},\n"
        " \"answers\": [{\"action\": \"act.a\", \"notes\": \"bell\\u0007 nul-ish\\u001f "
        "cr\\r\\nlf\", \"assigned_to\": \"=HYPERLINK(\\\"x\\\")\"}]}\n";
    fixture fx;
    fx_load(&fx, worked_template, answers);
    const char *dir = fresh_dir("ctl");
    const char *out = path_in(dir, "ctl.xlsx");
    posture_diags *w = NULL;
    assert_int_equal(posture_diags_new(&w), 0);
    posture_xlsx_options o = {.created = 1, .warnings = w};
    assert_int_equal(posture_report_xlsx_write(fx.r, &o, out), 0);
    assert_int_equal(posture_diags_count(w), 0);
    posture_diags_free(w);
    fx_free(&fx);
}

static void test_bad_arguments(void **state)
{
    (void)state;
    posture_xlsx_options o = {.created = 1};
    assert_int_equal(posture_report_xlsx_write(NULL, &o, "x.xlsx"), POSTURE_EUSAGE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_writes_a_zip_and_nothing_else),
        cmocka_unit_test(test_same_time_same_bytes),
        cmocka_unit_test(test_missing_directory_leaves_nothing),
        cmocka_unit_test(test_unwritable_directory_leaves_nothing),
        cmocka_unit_test(test_libxlsxwriter_error_keeps_old_file),
        cmocka_unit_test(test_target_is_a_directory),
        cmocka_unit_test(test_long_text_is_cut_with_a_warning),
        cmocka_unit_test(test_control_characters),
        cmocka_unit_test(test_bad_arguments),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    tu_cleanup();
    return rc;
}
