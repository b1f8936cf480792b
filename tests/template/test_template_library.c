/* test_template_library.c - search path, id@version, extends, conflicts between templates. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "testutil.h"

static char dir1[512], dir2[512];

static void write_in(const char *dir, const char *name, const char *text)
{
    char p[1024];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    FILE *f = fopen(p, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void tpl(const char *dir, const char *file, const char *id, const char *ver,
                const char *extends, const char *family, const char *control, const char *acts,
                const char *action_defs)
{
    char text[4096];
    snprintf(text, sizeof text,
             "{\"format\": \"posture-template/1\", \"id\": \"%s\", \"version\": \"%s\", \"title\": \"%s %s\",%s%s%s"
             " \"families\": [{\"id\": \"%s\", \"title\": \"F\", \"controls\": [{\"id\": \"%s\", \"title\": \"C\","
             " \"actions\": [%s]}]}], \"actions\": [%s]}",
             id, ver, id, ver, extends ? " \"extends\": \"" : "", extends ? extends : "",
             extends ? "\"," : "", family, control, acts, action_defs);
    write_in(dir, file, text);
}

#define DEF(id, type) \
    "{\"id\": \"" id "\", \"title\": \"T\", \"type\": \"" type "\", \"enforcement\": \"mandatory\"," \
    " \"implementation_type\": \"technical\", \"owner\": \"customer\"}"

static int setup(void **state)
{
    (void)state;
    snprintf(dir1, sizeof dir1, "%s/one", tu_tmpdir());
    snprintf(dir2, sizeof dir2, "%s/two", tu_tmpdir());
    mkdir(dir1, 0755);
    mkdir(dir2, 0755);
    tpl(dir1, "base.json", "base", "1.0.0", NULL, "B", "B1", "\"act.shared\"", DEF("act.shared", "preventive"));
    tpl(dir1, "base@1.2.0.json", "base", "1.2.0", NULL, "B", "B1", "\"act.shared\"", DEF("act.shared", "preventive"));
    tpl(dir2, "base@1.2.0.json", "base", "1.2.0", NULL, "B2", "B1", "\"act.shared\"", DEF("act.shared", "preventive"));
    tpl(dir1, "base-1.10.0.json", "base", "1.10.0", NULL, "B", "B1", "\"act.shared\"", DEF("act.shared", "preventive"));
    tpl(dir1, "child.json", "child", "1.0.0", "base", "K", "K1", "\"act.shared\", \"act.own\"", DEF("act.own", "detective"));
    tpl(dir1, "loop-a.json", "loop-a", "1.0.0", "loop-b", "A", "A1", "\"act.x\"", DEF("act.x", "detective"));
    tpl(dir1, "loop-b.json", "loop-b", "1.0.0", "loop-a", "B", "B1", "\"act.y\"", DEF("act.y", "detective"));
    tpl(dir1, "orphan.json", "orphan", "1.0.0", "nosuch", "O", "O1", "\"act.o\"", DEF("act.o", "detective"));
    tpl(dir1, "redefine.json", "redefine", "1.0.0", "base", "R", "B1", "\"act.shared\"", DEF("act.shared", "detective"));
    tpl(dir2, "other.json", "other", "1.0.0", NULL, "O", "O1", "\"act.shared\"", DEF("act.shared", "detective"));
    write_in(dir2, "renamed.json", "{\"format\": \"posture-template/1\", \"id\": \"oddname\", \"version\": \"3.0.0\", \"title\": \"x\","
                                    " \"families\": [{\"id\": \"F\", \"title\": \"F\", \"controls\": [{\"id\": \"C\", \"title\": \"C\","
                                    " \"actions\": [\"act.r\"]}]}], \"actions\": [" DEF("act.r", "detective") "]}");
    write_in(dir2, "notes.txt", "not a template");
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    tu_cleanup();
    return 0;
}

static posture_library *lib12(void)
{
    posture_library *lib = NULL;
    assert_int_equal(posture_library_new(&lib), 0);
    assert_int_equal(posture_library_add_dir(lib, dir1), 0);
    assert_int_equal(posture_library_add_dir(lib, dir2), 0);
    return lib;
}

static void highest_version_wins_then_earlier_dir(void **state)
{
    (void)state;
    posture_library *lib = lib12();
    const char *path;
    assert_int_equal(posture_library_find(lib, "base", &path), 0);
    assert_non_null(strstr(path, "/one/base-1.10.0.json")); /* 1.10.0 > 1.2.0: semantic, not text */
    assert_int_equal(posture_library_find(lib, "base@1.2.0", &path), 0);
    assert_non_null(strstr(path, "/one/base@1.2.0.json")); /* equal versions: the earlier directory */
    assert_int_equal(posture_library_find(lib, "base@9.9.9", &path), POSTURE_ENOTFOUND);
    assert_string_equal(posture_error_last(), "no template \"base\" version 9.9.9 in the search path");
    assert_int_equal(posture_library_find(lib, "nosuch", &path), POSTURE_ENOTFOUND);
    assert_string_equal(posture_error_last(), "no template \"nosuch\" in the search path");
    /* a file whose name does not tell its id is still found */
    assert_int_equal(posture_library_find(lib, "oddname", &path), 0);
    assert_non_null(strstr(path, "/two/renamed.json"));
    const char *const *files;
    size_t n;
    assert_int_equal(posture_library_files(lib, &files, &n), 0);
    assert_int_equal(n, 11); /* notes.txt is not listed */
    posture_library_free(lib);
}

static void extends_puts_the_base_first(void **state)
{
    (void)state;
    posture_library *lib = lib12();
    posture_template *t = NULL;
    assert_int_equal(posture_template_open(lib, "child", 0, NULL, &t), 0);
    assert_string_equal(posture_template_info_get(t)->extends, "base");
    assert_int_equal(posture_template_family_count(t), 2);
    assert_string_equal(posture_template_family(t, 0)->id, "B");
    assert_string_equal(posture_template_family(t, 1)->id, "K");
    assert_int_equal(posture_template_control_count(t), 2);
    assert_int_equal(posture_template_control(t, 1)->family, 1);
    assert_int_equal(posture_template_action_count(t), 2);
    assert_string_equal(posture_template_action(t, 0)->id, "act.shared");
    assert_string_equal(posture_template_action(t, 1)->id, "act.own");
    size_t n;
    const size_t *refs = posture_template_action_controls(t, 0, &n);
    assert_int_equal(n, 2); /* B1 (base) and K1 (child) */
    assert_int_equal(refs[1], 1);
    posture_template_free(t);
    posture_library_free(lib);
}

static char *open_errors(posture_library *lib, const char *ref)
{
    posture_diags *d = NULL;
    posture_template *t = NULL;
    assert_int_equal(posture_diags_new(&d), 0);
    assert_int_not_equal(posture_template_open(lib, ref, 0, d, &t), 0);
    assert_null(t);
    char *s = tu_diags_text(d);
    posture_diags_free(d);
    size_t dl = strlen(tu_tmpdir()) + 1;
    for (char *q; (q = strstr(s, tu_tmpdir())) != NULL;)
        memmove(q, q + dl, strlen(q + dl) + 1);
    return s;
}

static void extends_errors(void **state)
{
    (void)state;
    posture_library *lib = lib12();
    char *s = open_errors(lib, "loop-a");
    assert_string_equal(s, "posture: one/loop-b.json: /extends: template \"loop-b\" extends itself through \"loop-a\"\n"
                           "posture: one/loop-a.json: /extends: base template \"loop-b\" (one/loop-b.json) has errors\n");
    free(s);
    s = open_errors(lib, "orphan");
    assert_string_equal(s, "posture: one/orphan.json: /extends: unknown base template \"nosuch\"\n");
    free(s);
    s = open_errors(lib, "redefine");
    assert_string_equal(s, "posture: one/redefine.json: /actions/0/id: action \"act.shared\" is already defined by base template \"base\"\n"
                           "posture: one/redefine.json: /families/0/controls/0/id: control \"B1\" is already defined by base template \"base\"\n");
    free(s);
    posture_library_free(lib);
}

static void conflicting_definitions_name_both_files(void **state)
{
    (void)state;
    posture_library *lib = lib12();
    posture_template *a = NULL, *b = NULL, *c = NULL;
    assert_int_equal(posture_template_open(lib, "base@1.0.0", 0, NULL, &a), 0);
    assert_int_equal(posture_template_open(lib, "other", 0, NULL, &b), 0);
    assert_int_equal(posture_template_open(lib, "child", 0, NULL, &c), 0);
    posture_diags *d = NULL;
    assert_int_equal(posture_diags_new(&d), 0);
    const posture_template *ok[] = {a, c};
    assert_int_equal(posture_template_check_conflicts(ok, 2, d), 0);
    const posture_template *bad[] = {a, b, c};
    assert_int_equal(posture_template_check_conflicts(bad, 3, d), POSTURE_ECONFLICT);
    char *s = tu_diags_text(d);
    size_t dl = strlen(tu_tmpdir()) + 1;
    for (char *q; (q = strstr(s, tu_tmpdir())) != NULL;)
        memmove(q, q + dl, strlen(q + dl) + 1);
    assert_string_equal(s, "posture: two/other.json: /actions/0: action \"act.shared\" is defined differently in one/base.json: type detective vs preventive\n");
    free(s);
    posture_diags_free(d);
    posture_template_free(a);
    posture_template_free(b);
    posture_template_free(c);
    posture_library_free(lib);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(highest_version_wins_then_earlier_dir),
        cmocka_unit_test(extends_puts_the_base_first),
        cmocka_unit_test(extends_errors),
        cmocka_unit_test(conflicting_definitions_name_both_files),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
