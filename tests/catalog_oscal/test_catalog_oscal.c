/* test_catalog_oscal.c - OSCAL catalog -> template: mapping rules, baselines, errors. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "posture/catalog_oscal.h"
#include "testutil.h"

#define FIXTURES POSTURE_SOURCE_DIR "/tests/catalog_oscal/fixtures/"
#define MINI FIXTURES "mini-catalog.json"
#define MINI_PROFILE FIXTURES "mini-profile.json"

/* Write `q` (JSON with ' for ") as `name` in the temporary directory (the cwd). */
static void write_q(const char *name, const char *q)
{
    char *s = strdup(q);
    for (char *p = s; *p; p++)
        if (*p == '\'')
            *p = '"';
    tu_write(name, s);
    free(s);
}

/* A catalog with metadata title `title` and the given groups. */
static char *catalog_q(const char *title, const char *groups)
{
    const char *fmt = "{'catalog': {'metadata': {'title': '%s', 'version': '1.0'}, 'groups': [%s]}}";
    size_t n = strlen(fmt) + strlen(title) + strlen(groups) + 1;
    char *s = malloc(n);
    snprintf(s, n, fmt, title, groups);
    return s;
}

static int setup(void **state)
{
    (void)state;
    return chdir(tu_tmpdir());
}

/* Convert `path` (+ `opts`), expect `rc` and exactly `want` as diagnostics; returns the text. */
static char *convert(const char *path, const posture_oscal_options *opts, int rc, const char *want,
                     posture_oscal_counts *n)
{
    posture_diags *d = NULL;
    char *out = (char *)&d; /* must be reset */
    assert_int_equal(posture_diags_new(&d), 0);
    assert_int_equal(posture_oscal_convert(path, opts, d, &out, n), rc);
    assert_diags(d, want);
    if (rc != 0)
        assert_null(out);
    else
        assert_non_null(out);
    posture_diags_free(d);
    return out;
}

/* Convert the catalog `q` and return the parsed template (expects success, no diagnostics). */
static cJSON *convert_q(const char *q, const posture_oscal_options *opts)
{
    write_q("c.json", q);
    char *text = convert("c.json", opts, 0, "", NULL);
    cJSON *t = cJSON_Parse(text);
    free(text);
    assert_non_null(t);
    return t;
}

static const char *str_at(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

static const cJSON *nth(const cJSON *arr, int i) { return cJSON_GetArrayItem(arr, i); }
static const cJSON *field(const cJSON *o, const char *k)
{
    return cJSON_GetObjectItemCaseSensitive(o, k);
}

#define MINI_WARNING                                                                    \
    "posture: " MINI ": /catalog/groups/0/controls/0/parts/0/parts/1/prose: warning: " \
    "unknown parameter \"nowhere\"\n"

static void mini_fixture_counts(void **state)
{
    (void)state;
    posture_oscal_counts n;
    char *text = convert(MINI, NULL, 0, MINI_WARNING, &n);
    assert_int_equal(n.families, 4);
    assert_int_equal(n.controls, 16);
    assert_int_equal(n.actions, 16);
    assert_int_equal(n.withdrawn, 4); /* ac-2.2, ac-3 and its ac-3.1, ol-1 */
    assert_int_equal(n.excluded, 0);
    /* a final newline after cJSON_Print's text */
    size_t len = strlen(text);
    assert_true(len > 2 && text[len - 1] == '\n' && text[len - 2] == '}');
    free(text);
}

static void same_input_same_bytes(void **state)
{
    (void)state;
    char *a = convert(MINI, NULL, 0, MINI_WARNING, NULL);
    char *b = convert(MINI, NULL, 0, MINI_WARNING, NULL);
    assert_string_equal(a, b);
    free(a);
    free(b);
}

/* The documented rule for type / enforcement / implementation type, on the fixture. */
static void action_attributes_follow_the_rule(void **state)
{
    (void)state;
    static const char *const want[][4] = {
        {"act.nist.zz-1", "preventive", "mandatory", "documentation"}, /* xx-1: policy */
        {"act.nist.ac-1", "preventive", "mandatory", "documentation"},
        {"act.nist.ac-2", "preventive", "mandatory", "technical"},
        {"act.nist.ac-2.1", "preventive", "discretionary", "technical"},
        {"act.nist.ac-2.1.1", "preventive", "discretionary", "technical"},
        {"act.nist.ac-2.3", "preventive", "discretionary", "technical"},
        {"act.nist.au-1", "preventive", "mandatory", "documentation"},
        {"act.nist.au-2", "detective", "mandatory", "technical"},
        {"act.nist.ir-4", "corrective", "mandatory", "operational"},
        {"act.nist.cp-9", "corrective", "mandatory", "operational"},
        {"act.nist.cp-9.1", "corrective", "discretionary", "operational"},
        {"act.nist.si-2", "corrective", "mandatory", "technical"},
        {"act.nist.ca-7", "detective", "mandatory", "operational"},
        {"act.nist.si-4", "detective", "mandatory", "technical"},
        {"act.nist.pl-2", "preventive", "mandatory", "operational"},
        {"act.nist.sc-7", "preventive", "mandatory", "operational"}, /* id sc_7: no family */
    };
    char *text = convert(MINI, NULL, 0, MINI_WARNING, NULL);
    cJSON *t = cJSON_Parse(text);
    free(text);
    const cJSON *acts = field(t, "actions");
    assert_int_equal(cJSON_GetArraySize(acts), 16);
    for (int i = 0; i < 16; i++) {
        const cJSON *a = nth(acts, i);
        assert_string_equal(str_at(a, "id"), want[i][0]);
        assert_string_equal(str_at(a, "type"), want[i][1]);
        assert_string_equal(str_at(a, "enforcement"), want[i][2]);
        assert_string_equal(str_at(a, "implementation_type"), want[i][3]);
        assert_string_equal(str_at(a, "owner"), "customer");
    }
    cJSON_Delete(t);
}

static void baseline_restricts_the_catalog(void **state)
{
    (void)state;
    posture_oscal_options o = {.baseline = MINI_PROFILE};
    posture_oscal_counts n;
    char *text = convert(MINI, &o, 0, "", &n); /* ac-1 (the unknown parameter) is not rendered */
    assert_int_equal(n.families, 4);
    assert_int_equal(n.controls, 6);
    assert_int_equal(n.actions, 6);
    assert_int_equal(n.withdrawn, 4);
    assert_int_equal(n.excluded, 10);
    cJSON *t = cJSON_Parse(text);
    free(text);
    static const char *const ids[] = {"zz-1", "AC-2", "AC-2(1)", "AC-2(3)", "AU-2", "SI-4"};
    int k = 0;
    for (const cJSON *f = field(t, "families")->child; f; f = f->next)
        for (const cJSON *c = field(f, "controls")->child; c; c = c->next)
            assert_string_equal(str_at(c, "id"), ids[k++]);
    assert_int_equal(k, 6);
    assert_string_equal(str_at(t, "description"),
                        "Imported from the OSCAL catalog \"Mini Catalog for the posture OSCAL "
                        "import tests\" (version 2.3.4-draft+b7, OSCAL 1.1.2). Restricted to the "
                        "controls selected by the profile \"Mini Baseline\".");
    cJSON_Delete(t);
}

static void include_all_and_exclusions(void **state)
{
    (void)state;
    write_q("p.json", "{'profile': {'imports': [{'href': 'x', 'include-all': {},"
                      " 'exclude-controls': [{'with-ids': ['ac-2'], 'with-child-controls': 'yes'},"
                      " {'matching': [{'pattern': '*-1'}]}]}]}}");
    posture_oscal_options o = {.baseline = "p.json"};
    posture_oscal_counts n;
    char *text = convert(MINI, &o, 0, "", &n);
    /* 16 live controls less ac-2, ac-2.1, ac-2.1.1, ac-2.3, zz-1, ac-1, au-1 */
    assert_int_equal(n.controls, 9);
    assert_int_equal(n.excluded, 7);
    assert_int_equal(n.families, 2); /* AU, OPS */
    free(text);
}

static void statement_and_parameters(void **state)
{
    (void)state;
    char *text = convert(MINI, NULL, 0, MINI_WARNING, NULL);
    cJSON *t = cJSON_Parse(text);
    free(text);
    const cJSON *ac = nth(field(t, "families"), 1);
    assert_string_equal(str_at(ac, "id"), "AC");
    const cJSON *c1 = nth(field(ac, "controls"), 0), *c2 = nth(field(ac, "controls"), 1);
    assert_string_equal(str_at(c1, "id"), "AC-1"); /* the label without a class */
    assert_string_equal(
        str_at(c1, "description"),
        "a. Write an access policy and give it to [Assignment: people who need it]:\n"
        "  1. a [Selection (one or more): team-level; site-level; company-level] policy; and\n"
        "    (a) that names an owner;\n"
        "  2.\n"
        "b. Keep {{ this brace text }} and [Assignment: nowhere] as they are.");
    assert_string_equal(str_at(c2, "description"),
                        "Review accounts 30 days, every quarter.\n\nWhen unused, [Selection: lock "
                        "the account; remove it after [Assignment: ac-2_prm_3]].");
    const cJSON *a1 = nth(field(t, "actions"), 1);
    assert_string_equal(str_at(a1, "title"), "AC-1 Policy");
    assert_string_equal(str_at(a1, "description"), str_at(c1, "description"));
    /* enhancements: "Parent | Child" titles, the label as id */
    const cJSON *e = nth(field(ac, "controls"), 3);
    assert_string_equal(str_at(e, "id"), "AC-2(1)(a)");
    assert_string_equal(str_at(e, "title"), "Accounts | Automation | Tool Checks");
    assert_string_equal(nth(field(e, "actions"), 0)->valuestring, "act.nist.ac-2.1.1");
    cJSON_Delete(t);
}

static void parameter_cycles_stop(void **state)
{
    (void)state;
    cJSON *t = convert_q(
        "{'catalog': {'metadata': {'title': 'Cycle'}, 'controls': [{'id': 'x-2', 'title': 'X',"
        " 'params': [{'id': 'p', 'select': {'choice': ['{{ insert: param, p }}']}}],"
        " 'parts': [{'name': 'statement', 'prose': '{{ insert: param, p }}'}]}]}}",
        NULL);
    const cJSON *c = nth(field(nth(field(t, "families"), 0), "controls"), 0);
    assert_string_equal(str_at(c, "description"),
                        "[Selection: [Selection: [Selection: [Selection: [Selection: [Selection: "
                        "[Selection: [Selection: [Assignment: p]]]]]]]]]");
    cJSON_Delete(t);
}

static void template_identity_defaults(void **state)
{
    (void)state;
    static const char *const cases[][4] = {
        /* metadata title, metadata version, id, version */
        {"NIST Special Publication 800-53 Revision 5.1.1 MODERATE IMPACT BASELINE", "5.1.1+u4",
         "nist-special-publication-800-53-revision-5.1.1-moderate-impact", "5.1.1"},
        {"NIST Special Publication 800-53 Revision 5.1.1 PRIVACY BASELINE", "1.1",
         "nist-special-publication-800-53-revision-5.1.1-privacy-baseline", "1.1.0"},
        {"  *Sample*  Catalog -- (v2) ", "v2", "sample-catalog-v2", "1.0.0"},
        {"Über Sécurité.", "007.08", "ber-s-curit", "7.8.0"},
        {"abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz",
         "2024-01-01", "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijkl", "2024.0.0"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char q[1024];
        snprintf(q, sizeof q,
                 "{'catalog': {'metadata': {'title': '%s', 'version': '%s'},"
                 " 'controls': [{'id': 'a-2', 'title': 'A'}]}}",
                 cases[i][0], cases[i][1]);
        cJSON *t = convert_q(q, NULL);
        assert_string_equal(str_at(t, "id"), cases[i][2]);
        assert_string_equal(str_at(t, "version"), cases[i][3]);
        assert_string_equal(str_at(t, "title"), cases[i][0]);
        assert_string_equal(str_at(field(t, "regulation"), "name"), cases[i][0]);
        assert_string_equal(str_at(field(t, "regulation"), "edition"), cases[i][1]);
        assert_null(field(field(t, "regulation"), "publisher"));
        cJSON_Delete(t);
    }
    /* no version at all */
    cJSON *t = convert_q("{'catalog': {'metadata': {'title': 'T'}, 'controls': [{'id': 'a-2', "
                         "'title': 'A'}]}}",
                         NULL);
    assert_string_equal(str_at(t, "version"), "1.0.0");
    assert_string_equal(str_at(t, "description"), "Imported from the OSCAL catalog \"T\".");
    assert_null(field(field(t, "regulation"), "edition"));
    cJSON_Delete(t);
}

static void options_override(void **state)
{
    (void)state;
    posture_oscal_options o = {.id = "my-nist", .version = "10.0.3", .title = "My NIST"};
    char *text = convert(MINI, &o, 0, MINI_WARNING, NULL);
    cJSON *t = cJSON_Parse(text);
    free(text);
    assert_string_equal(str_at(t, "id"), "my-nist");
    assert_string_equal(str_at(t, "version"), "10.0.3");
    assert_string_equal(str_at(t, "title"), "My NIST");
    /* the regulation keeps the catalog's own name */
    assert_string_equal(str_at(field(t, "regulation"), "name"),
                        "Mini Catalog for the posture OSCAL import tests");
    assert_string_equal(str_at(field(t, "regulation"), "publisher"), "posture test authors");
    cJSON_Delete(t);
}

static void bad_options_are_usage_errors(void **state)
{
    (void)state;
    static const char *const bad_ids[] = {"", "Upper", "-lead", "a_b", "a b",
                                          "x2345678901234567890123456789012345678901234567890123456789012345"};
    for (size_t i = 0; i < sizeof bad_ids / sizeof *bad_ids; i++) {
        posture_oscal_options o = {.id = bad_ids[i]};
        convert(MINI, &o, POSTURE_EUSAGE, "", NULL);
    }
    posture_oscal_options ok = {.id = "x234567890123456789012345678901234567890123456789012345678901234"};
    free(convert(MINI, &ok, 0, MINI_WARNING, NULL));
    static const char *const bad_versions[] = {"1.2", "1.2.3.4", "01.2.3", "1.2.3-rc1", "v1.2.3",
                                               "1234567890.0.0", ""};
    for (size_t i = 0; i < sizeof bad_versions / sizeof *bad_versions; i++) {
        posture_oscal_options o = {.version = bad_versions[i]};
        convert(MINI, &o, POSTURE_EUSAGE, "", NULL);
    }
    posture_oscal_options o = {.version = "1.2"};
    convert(MINI, &o, POSTURE_EUSAGE, "", NULL);
    assert_string_equal(posture_error_last(), "invalid version \"1.2\": expected MAJOR.MINOR.PATCH");
}

#define C "posture: c.json: "

static void not_a_catalog(void **state)
{
    (void)state;
    write_q("c.json", "{'profile': {'imports': []}}");
    posture_diags *d = NULL;
    char *out = NULL;
    assert_int_equal(posture_diags_new(&d), 0);
    assert_int_equal(posture_oscal_convert("c.json", NULL, d, &out, NULL), POSTURE_EINVALID);
    assert_diags(d, C "/: missing required field \"catalog\"\n");
    assert_string_equal(posture_diags_get(d, 0)->hint,
                        "this is an OSCAL profile: give its catalog with --oscal and the profile "
                        "with --baseline");
    posture_diags_free(d);

    write_q("c.json", "{'x': 1}");
    convert("c.json", NULL, POSTURE_EINVALID, C "/: missing required field \"catalog\"\n", NULL);
    write_q("c.json", "[1]");
    convert("c.json", NULL, POSTURE_EINVALID, C "/: expected an object, got an array\n", NULL);
    write_q("c.json", "{'catalog': []}");
    convert("c.json", NULL, POSTURE_EINVALID, C "/catalog: expected an object, got an array\n",
            NULL);
    write_q("c.json", "{'catalog': {'groups': [}}");
    convert("c.json", NULL, POSTURE_ESYNTAX, C "1:25: syntax error: unexpected character '}'\n",
            NULL);
    convert("missing.json", NULL, POSTURE_EIO,
            "posture: missing.json: cannot open: No such file or directory\n", NULL);
}

static void structure_errors(void **state)
{
    (void)state;
    write_q("c.json",
            "{'catalog': {'metadata': {'title': ''},"
            " 'groups': [{'title': 'No Id', 'controls': [{'id': 'a-1'}, {'id': 3, 'title': 'T'}]},"
            "  {'id': 'g', 'title': 'G', 'controls': ["
            "    {'id': 'a-2', 'title': 'T', 'props': [{'name': 'label', 'value': 'A'}]},"
            "    {'id': 'a-3', 'title': 'T', 'props': [{'name': 'label', 'value': 'A'}, {'name': 7}],"
            "     'parts': [{'prose': 'x'}, {'name': 'statement', 'prose': 5}]},"
            "    {'id': 'a_4', 'title': 'T'}, {'id': 'a-4', 'title': 'T'}, 'x']},"
            "  {'id': 'G', 'title': 'Same family id', 'controls': [{'id': 'b-1', 'title': 'B'}]}]}}");
    convert("c.json", NULL, POSTURE_EINVALID,
            C "/catalog/metadata/title: must not be empty\n"
            C "/catalog/groups/0: group has neither a \"label\" prop nor an \"id\"\n"
            C "/catalog/groups/0/controls/0: missing required field \"title\"\n"
            C "/catalog/groups/0/controls/1/id: expected a string, got a number\n"
            C "/catalog/groups/1/controls/1/props/1/name: expected a string, got a number\n"
            C "/catalog/groups/1/controls/1/props/1: missing required field \"value\"\n"
            C "/catalog/groups/1/controls/1: duplicate control id \"A\" (first at "
              "/catalog/groups/1/controls/0)\n"
            C "/catalog/groups/1/controls/1/parts/0: missing required field \"name\"\n"
            C "/catalog/groups/1/controls/1/parts/1/prose: expected a string, got a number\n"
            C "/catalog/groups/1/controls/3: duplicate action id \"act.nist.a-4\" (first at "
              "/catalog/groups/1/controls/2)\n"
            C "/catalog/groups/1/controls/4: expected an object, got a string\n"
            C "/catalog/groups/2: duplicate family id \"G\" (first at /catalog/groups/1)\n",
            NULL);
}

static void nothing_to_import(void **state)
{
    (void)state;
    char *q = catalog_q("T", "{'id': 'g', 'title': 'G', 'controls': [{'id': 'a-1', 'title': 'A',"
                             " 'props': [{'name': 'status', 'value': 'withdrawn'}]}]}");
    write_q("c.json", q);
    free(q);
    convert("c.json", NULL, POSTURE_EINVALID, C "/catalog: no controls to import\n", NULL);
    write_q("p.json", "{'profile': {'imports': [{'include-controls': [{'with-ids': ['a-1']}]}]}}");
    posture_oscal_options o = {.baseline = "p.json"};
    convert("c.json", &o, POSTURE_EINVALID,
            C "/catalog: the baseline selects no control of the catalog\n", NULL);
}

static void derived_id_can_be_empty(void **state)
{
    (void)state;
    char *q = catalog_q("***", "{'id': 'g', 'title': 'G', 'controls': [{'id': 'a-2', 'title': 'A'}]}");
    write_q("c.json", q);
    free(q);
    posture_diags *d = NULL;
    char *out = NULL;
    assert_int_equal(posture_diags_new(&d), 0);
    assert_int_equal(posture_oscal_convert("c.json", NULL, d, &out, NULL), POSTURE_EINVALID);
    assert_diags(d, C "/catalog/metadata/title: cannot derive a template id from the title\n");
    assert_string_equal(posture_diags_get(d, 0)->hint, "give the template id with --id");
    posture_diags_free(d);
    posture_oscal_options o = {.id = "stars"};
    free(convert("c.json", &o, 0, "", NULL));
}

#define P "posture: p.json: "

static void profile_errors(void **state)
{
    (void)state;
    posture_oscal_options o = {.baseline = "p.json"};
    write_q("p.json", "{'catalog': {}}");
    posture_diags *d = NULL;
    char *out = NULL;
    assert_int_equal(posture_diags_new(&d), 0);
    assert_int_equal(posture_oscal_convert(MINI, &o, d, &out, NULL), POSTURE_EINVALID);
    assert_diags(d, P "/: missing required field \"profile\"\n");
    assert_string_equal(posture_diags_get(d, 0)->hint, "this is an OSCAL catalog: pass it with --oscal");
    posture_diags_free(d);

    write_q("p.json", "{'profile': {'imports': []}}");
    convert(MINI, &o, POSTURE_EINVALID, P "/profile/imports: must not be empty\n", NULL);
    write_q("p.json", "{'profile': {}}");
    convert(MINI, &o, POSTURE_EINVALID, P "/profile: missing required field \"imports\"\n", NULL);
    write_q("p.json",
            "{'profile': {'imports': [{'href': 'a'}, 3, {'include-all': []},"
            " {'include-controls': [{'with-ids': ['ac-1', 4, '']}, {}, {'matching': [{}]},"
            "   {'with-ids': [], 'with-child-controls': 'maybe'}]}]}}");
    convert(MINI, &o, POSTURE_EINVALID,
            P "/profile/imports/0: missing required field \"include-controls\" (or "
              "\"include-all\")\n"
            P "/profile/imports/1: expected an object, got a number\n"
            P "/profile/imports/2/include-all: expected an object, got an array\n"
            P "/profile/imports/2: missing required field \"include-controls\" (or "
              "\"include-all\")\n"
            P "/profile/imports/3/include-controls/0/with-ids/1: expected a string, got a number\n"
            P "/profile/imports/3/include-controls/0/with-ids/2: must not be empty\n"
            P "/profile/imports/3/include-controls/1: missing required field \"with-ids\"\n"
            P "/profile/imports/3/include-controls/2/matching/0: missing required field "
              "\"pattern\"\n"
            P "/profile/imports/3/include-controls/3/with-child-controls: expected \"yes\" or "
              "\"no\", got \"maybe\"\n",
            NULL);
    /* ids the catalog lacks, each place reported (withdrawn ones are known) */
    write_q("p.json", "{'profile': {'imports': [{'include-controls': [{'with-ids': ['ac-1', 'zz-9',"
                      " 'ac-3']}], 'exclude-controls': [{'with-ids': ['zz-9']}]}]}}");
    convert(MINI, &o, POSTURE_EINVALID,
            "posture: " MINI ": /catalog/groups/0/controls/0/parts/0/parts/1/prose: warning: "
            "unknown parameter \"nowhere\"\n"
            P "/profile/imports/0/include-controls/0/with-ids/1: control \"zz-9\" is not in the "
              "catalog\n"
            P "/profile/imports/0/exclude-controls/0/with-ids/0: control \"zz-9\" is not in the "
              "catalog\n",
            NULL);
}

static void import_writes_atomically(void **state)
{
    (void)state;
    posture_diags *d = NULL;
    assert_int_equal(posture_diags_new(&d), 0);
    posture_oscal_counts n;
    assert_int_equal(posture_oscal_import(MINI, NULL, "t.json", d, &n), 0);
    assert_int_equal(n.controls, 16);
    char *want = convert(MINI, NULL, 0, MINI_WARNING, NULL);
    FILE *f = fopen("t.json", "rb");
    assert_non_null(f);
    char *got = calloc(1, strlen(want) + 16);
    size_t len = fread(got, 1, strlen(want) + 8, f);
    fclose(f);
    assert_int_equal(len, strlen(want));
    assert_string_equal(got, want);
    free(got);
    free(want);
    /* a failed conversion leaves the target untouched */
    write_q("c.json", "{'x': 1}");
    tu_write("keep.json", "old\n");
    posture_diags_clear(d);
    assert_int_equal(posture_oscal_import("c.json", NULL, "keep.json", d, NULL), POSTURE_EINVALID);
    f = fopen("keep.json", "rb");
    char buf[16] = {0};
    assert_int_equal(fread(buf, 1, sizeof buf - 1, f), 4);
    fclose(f);
    assert_string_equal(buf, "old\n");
    /* an unwritable target */
    posture_diags_clear(d);
    assert_int_equal(posture_oscal_import(MINI, NULL, "no/such/dir/t.json", d, NULL), POSTURE_EIO);
    assert_string_equal(posture_error_last(),
                        "no/such/dir/t.json: cannot write: No such file or "
                        "directory");
    posture_diags_free(d);
}

static void null_diags_and_options(void **state)
{
    (void)state;
    char *out = NULL;
    assert_int_equal(posture_oscal_convert(MINI, NULL, NULL, &out, NULL), 0);
    assert_non_null(out);
    free(out);
    write_q("c.json", "{'x': 1}");
    assert_int_equal(posture_oscal_convert("c.json", NULL, NULL, &out, NULL), POSTURE_EINVALID);
    assert_null(out);
    assert_string_equal(posture_error_last(), "c.json: /: missing required field \"catalog\"");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(mini_fixture_counts),
        cmocka_unit_test(same_input_same_bytes),
        cmocka_unit_test(action_attributes_follow_the_rule),
        cmocka_unit_test(baseline_restricts_the_catalog),
        cmocka_unit_test(include_all_and_exclusions),
        cmocka_unit_test(statement_and_parameters),
        cmocka_unit_test(parameter_cycles_stop),
        cmocka_unit_test(template_identity_defaults),
        cmocka_unit_test(options_override),
        cmocka_unit_test(bad_options_are_usage_errors),
        cmocka_unit_test(not_a_catalog),
        cmocka_unit_test(structure_errors),
        cmocka_unit_test(nothing_to_import),
        cmocka_unit_test(derived_id_can_be_empty),
        cmocka_unit_test(profile_errors),
        cmocka_unit_test(import_writes_atomically),
        cmocka_unit_test(null_diags_and_options),
    };
    int rc = cmocka_run_group_tests(tests, setup, NULL);
    tu_cleanup();
    return rc;
}
