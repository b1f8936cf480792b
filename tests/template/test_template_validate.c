/* test_template_validate.c - every rule of template-format.md, with exact messages. */
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

#define ACT(id) \
    "{\"id\": \"" id "\", \"title\": \"T\", \"type\": \"preventive\", \"enforcement\": " \
    "\"mandatory\", \"implementation_type\": \"technical\", \"owner\": \"customer\"}"
#define HEAD(id, ver) \
    "{\"format\": \"posture-template/1\", \"id\": \"" id "\", \"version\": \"" ver "\", \"title\": \"X\","

/* Load `text` as file NAME; return the diagnostics text; *rc gets the return code. */
static char *load(const char *name, const char *text, unsigned flags, int *rc,
                  posture_template **out)
{
    posture_diags *d = NULL;
    assert_int_equal(posture_diags_new(&d), 0);
    const char *p = tu_write(name, text);
    posture_template *t = NULL;
    *rc = posture_template_load(NULL, p, flags, d, &t);
    char *s = tu_diags_text(d);
    posture_diags_free(d);
    /* make messages independent of the temporary directory */
    size_t dl = strlen(tu_tmpdir()) + 1;
    for (char *q; (q = strstr(s, tu_tmpdir())) != NULL;)
        memmove(q, q + dl, strlen(q + dl) + 1);
    if (out)
        *out = t;
    else
        posture_template_free(t);
    return s;
}

static void expect(const char *text, unsigned flags, int want_rc, const char *want)
{
    int rc;
    char *s = load("t.json", text, flags, &rc, NULL);
    assert_string_equal(s, want);
    assert_int_equal(rc, want_rc);
    free(s);
}

static void valid_template_loads(void **state)
{
    (void)state;
    int rc;
    posture_template *t = NULL;
    char *s = load("t.json",
                   HEAD("ok", "1.2.3") "\"regulation\": {\"name\": \"R\", \"url\": \"https://x.example/a\"},"
                   "\"families\": [{\"id\": \"F\", \"title\": \"F\", \"controls\": ["
                   "{\"id\": \"C1\", \"title\": \"C\", \"actions\": [\"act.a\", \"act.b\"],"
                   " \"mappings\": {\"gdpr\": [\"Art. 5\"], \"iso\": [\"A.1\", \"A.2\"]}},"
                   "{\"id\": \"C2\", \"title\": \"C\", \"actions\": [\"act.b\"], \"mappings\": {\"soc2\": [\"CC1.1\"], \"gdpr\": []}}]}],"
                   "\"actions\": [" ACT("act.a") "," ACT("act.b") "]}",
                   0, &rc, &t);
    assert_string_equal(s, "");
    assert_int_equal(rc, 0);
    assert_string_equal(posture_template_info_get(t)->id, "ok");
    assert_string_equal(posture_template_info_get(t)->regulation_url, "https://x.example/a");
    assert_int_equal(posture_template_action_count(t), 2);
    assert_int_equal(posture_template_find_action(t, "act.b"), 1);
    assert_int_equal(posture_template_find_action(t, "act.zz"), -1);
    assert_int_equal(posture_template_find_control(t, "C2"), 1);
    size_t n;
    const size_t *refs = posture_template_action_controls(t, 1, &n);
    assert_int_equal(n, 2);
    assert_int_equal(refs[0], 0);
    assert_int_equal(refs[1], 1);
    const char *const *fw = posture_template_frameworks(t, &n);
    assert_int_equal(n, 3);
    assert_string_equal(fw[0], "gdpr");
    assert_string_equal(fw[1], "iso");
    assert_string_equal(fw[2], "soc2");
    const posture_control *c = posture_template_control(t, 0);
    assert_int_equal(c->nmappings, 2);
    assert_string_equal(c->mappings[1].refs[1], "A.2");
    posture_template_free(t);
    free(s);
}

static void every_problem_is_reported(void **state)
{
    (void)state;
    expect("{\n  \"format\": \"posture-template/2\", \"id\": \"Bad_ID\", \"version\": \"1.0\", \"title\": \"\","
           " \"colour\": 1,\n  \"families\": [\n"
           "    {\"id\": \"F1\", \"title\": \"x\", \"controls\": [\n"
           "       {\"id\": \"C1\", \"title\": \"c\", \"actions\": [\"act.a\", \"act.foo\", 3, \"act.a\"]},\n"
           "       {\"id\": \"C1\", \"title\": \"c\", \"actions\": []}]},\n"
           "    {\"id\": \"F1\", \"title\": \"y\", \"controls\": []}\n  ],\n  \"actions\": [\n"
           "    {\"id\": \"act.a\", \"title\": \"A\", \"type\": \"preventative\", \"enforcement\": \"mandatory\","
           " \"implementation_type\": \"technical\", \"owner\": \"customer\", \"points\": 120},\n"
           "    {\"id\": \"act.a\", \"title\": \"A\", \"type\": \"preventive\", \"enforcement\": \"mandatory\","
           " \"implementation_type\": \"technical\", \"owner\": \"customer\", \"provider_status\":"
           " {\"implementation\": \"implemented\", \"test\": \"passed\"}},\n"
           "    {\"id\": \"bad\", \"title\": \"B\", \"type\": \"preventive\", \"enforcement\": \"x\","
           " \"implementation_type\": \"technical\", \"owner\": \"provider\", \"provider_status\":"
           " {\"implementation\": \"done\", \"test\": \"passed\", \"tested_at\": \"2026-02-30\"}},\n"
           "    {\"id\": \"act.z\", \"title\": \"Z\", \"type\": \"preventive\", \"enforcement\": \"mandatory\","
           " \"implementation_type\": \"technical\", \"owner\": \"customer\", \"id\": \"act.y\"}\n  ]\n}\n",
           0, POSTURE_EINVALID,
           "posture: t.json: /actions/3/id: duplicate key \"id\"\n"
           "posture: t.json: /format: expected \"posture-template/1\", got \"posture-template/2\"\n"
           "posture: t.json: /id: invalid id \"Bad_ID\"; expected [a-z0-9][a-z0-9.-]{0,63}\n"
           "posture: t.json: /version: invalid version \"1.0\"; expected MAJOR.MINOR.PATCH\n"
           "posture: t.json: /title: must not be empty\n"
           "posture: t.json: /colour: warning: unknown field \"colour\"\n"
           "posture: t.json: /actions/0/type: unknown type \"preventative\"; expected one of: preventive, detective, corrective\n"
           "posture: t.json: /actions/0/points: points must be an integer from 1 to 99, got 120\n"
           "posture: t.json: /actions/1/provider_status: provider_status is only allowed on actions with owner \"provider\"\n"
           "posture: t.json: /actions/1/id: duplicate action id \"act.a\" (first at /actions/0)\n"
           "posture: t.json: /actions/2/id: invalid action id \"bad\"; expected \"act.\" followed by [a-z0-9.-]\n"
           "posture: t.json: /actions/2/enforcement: unknown enforcement \"x\"; expected one of: mandatory, discretionary\n"
           "posture: t.json: /actions/2/provider_status/implementation: unknown implementation status \"done\"; expected one of: not_implemented, planned, partially_implemented, implemented, alternative, out_of_scope\n"
           "posture: t.json: /actions/2/provider_status/tested_at: invalid date \"2026-02-30\"; expected YYYY-MM-DD\n"
           "posture: t.json: /families/0/controls/0/actions/1: unknown action \"act.foo\"\n"
           "posture: t.json: /families/0/controls/0/actions/2: expected a string, got a number\n"
           "posture: t.json: /families/0/controls/0/actions/3: warning: action \"act.a\" is listed twice in this control\n"
           "posture: t.json: /families/0/controls/1/actions: a control needs at least one action\n"
           "posture: t.json: /families/0/controls/1/id: duplicate control id \"C1\"\n"
           "posture: t.json: /families/1/controls: a family needs at least one control\n"
           "posture: t.json: /families/1/id: duplicate family id \"F1\"\n"
           "posture: t.json: /actions/3: warning: action \"act.z\" is not referenced by any control\n");
}

static void required_fields_and_types(void **state)
{
    (void)state;
    expect("{\"families\": {}, \"actions\": [{\"id\": \"act.a\", \"points\": \"9\"}], \"regulation\": {\"url\": \"ftp://x\"}}", 0,
           POSTURE_EINVALID,
           "posture: t.json: /: missing required field \"format\"\n"
           "posture: t.json: /: missing required field \"id\"\n"
           "posture: t.json: /: missing required field \"version\"\n"
           "posture: t.json: /: missing required field \"title\"\n"
           "posture: t.json: /regulation/url: invalid URL \"ftp://x\"; expected an http(s) URL\n"
           "posture: t.json: /families: expected an array, got an object\n"
           "posture: t.json: /actions/0: missing required field \"title\"\n"
           "posture: t.json: /actions/0: missing required field \"type\"\n"
           "posture: t.json: /actions/0: missing required field \"enforcement\"\n"
           "posture: t.json: /actions/0: missing required field \"implementation_type\"\n"
           "posture: t.json: /actions/0: missing required field \"owner\"\n"
           "posture: t.json: /actions/0/points: expected a number, got a string\n"
           "posture: t.json: /actions/0: warning: action \"act.a\" is not referenced by any control\n");
    expect("[1, 2]", 0, POSTURE_EINVALID, "posture: t.json: /: expected an object, got an array\n");
}

static void points_and_semver_bounds(void **state)
{
    (void)state;
    const char *fmt = HEAD("p", "%s") "\"families\": [{\"id\": \"F\", \"title\": \"F\", \"controls\": "
                      "[{\"id\": \"C\", \"title\": \"C\", \"actions\": [\"act.a\"]}]}], \"actions\": "
                      "[{\"id\": \"act.a\", \"title\": \"T\", \"type\": \"preventive\", \"enforcement\": "
                      "\"mandatory\", \"implementation_type\": \"technical\", \"owner\": \"customer\", "
                      "\"points\": %s}]}";
    const char *cases[][3] = {
        {"1.0.0", "1", ""},
        {"10.20.30", "99", ""},
        {"1.0.0", "0", "posture: t.json: /actions/0/points: points must be an integer from 1 to 99, got 0\n"},
        {"1.0.0", "2.5", "posture: t.json: /actions/0/points: points must be an integer from 1 to 99, got 2.5\n"},
        {"01.0.0", "5", "posture: t.json: /version: invalid version \"01.0.0\"; expected MAJOR.MINOR.PATCH\n"},
        {"1.0.0-rc1", "5", "posture: t.json: /version: invalid version \"1.0.0-rc1\"; expected MAJOR.MINOR.PATCH\n"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char text[1024];
        snprintf(text, sizeof text, fmt, cases[i][0], cases[i][1]);
        expect(text, 0, cases[i][2][0] ? POSTURE_EINVALID : 0, cases[i][2]);
    }
}

static void syntax_errors_have_line_and_column(void **state)
{
    (void)state;
    expect("{\n  \"format\": \"posture-template/1\",\n  \"id\": tru\n}", 0, POSTURE_ESYNTAX,
           "posture: t.json: 3:9: syntax error: unexpected character 't'\n");
    expect("{\"a\": [1, 2", 0, POSTURE_ESYNTAX,
           "posture: t.json: 1:12: syntax error: unexpected end of file\n");
    expect("{\"a\": \"\xc3\xa9\xff\"}", 0, POSTURE_ESYNTAX,
           "posture: t.json: 1:9: invalid UTF-8 (byte 0xff)\n");
    expect("{\"a\": \"\xed\xa0\x80\"}", 0, POSTURE_ESYNTAX,
           "posture: t.json: 1:8: invalid UTF-8 (byte 0xed)\n");
    expect("{\"a\": \"x\\u0000y\"}", 0, POSTURE_EINVALID,
           "posture: t.json: 1:9: \\u0000 in a string is not allowed\n");
    expect("{} {}", 0, POSTURE_ESYNTAX, "posture: t.json: 1:4: syntax error: unexpected character '{'\n");
    char *deep = malloc(4003);
    memset(deep, '[', 2000);
    memset(deep + 2000, ']', 2000);
    deep[4000] = '\0';
    expect(deep, 0, POSTURE_ESYNTAX, "posture: t.json: 1:1001: syntax error: nesting deeper than 1000 levels\n");
    free(deep);
}

static void bom_is_skipped(void **state)
{
    (void)state;
    expect("\xEF\xBB\xBF" HEAD("b", "1.0.0") "\"families\": [{\"id\": \"F\", \"title\": \"F\", \"controls\": "
           "[{\"id\": \"C\", \"title\": \"C\", \"actions\": [\"act.a\"]}]}], \"actions\": [" ACT("act.a") "]}",
           0, 0, "");
}

static void strict_turns_warnings_into_errors(void **state)
{
    (void)state;
    const char *text = HEAD("s", "1.0.0") "\"extra\": true, \"families\": [{\"id\": \"F\", \"title\": \"F\", "
                       "\"controls\": [{\"id\": \"C\", \"title\": \"C\", \"actions\": [\"act.a\"]}]}], "
                       "\"actions\": [" ACT("act.a") "," ACT("act.b") "]}";
    expect(text, 0, 0,
           "posture: t.json: /extra: warning: unknown field \"extra\"\n"
           "posture: t.json: /actions/1: warning: action \"act.b\" is not referenced by any control\n");
    expect(text, POSTURE_TEMPLATE_STRICT, POSTURE_EINVALID,
           "posture: t.json: /extra: unknown field \"extra\"\n"
           "posture: t.json: /actions/1: action \"act.b\" is not referenced by any control\n");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(valid_template_loads),
        cmocka_unit_test(every_problem_is_reported),
        cmocka_unit_test(required_fields_and_types),
        cmocka_unit_test(points_and_semver_bounds),
        cmocka_unit_test(syntax_errors_have_line_and_column),
        cmocka_unit_test(bom_is_skipped),
        cmocka_unit_test(strict_turns_warnings_into_errors),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    tu_cleanup();
    return rc;
}
