/* test_answers_parse.c - reading valid posture-answers/1 JSON: fields, defaults, statuses. */
#include "answers_util.h"

static void reads_every_field(void **state)
{
    (void)state;
    posture_diags *d = NULL;
    posture_answers *a = NULL;
    assert_int_equal(posture_diags_new(&d), 0);
    assert_int_equal(
        parse_q("{'format': 'posture-answers/1', 'template': 'iso-iec-27701-2019',"
                " 'template_version': '1.0.0',"
                " 'assessment': {'name': 'Contoso PIMS 2026', 'organization': 'Contoso Ltd',"
                "   'scope': 'EU customer data platform', 'group': 'eu', 'assessed_at': '2026-11-20'},"
                " 'controls': [{'control': '7.2.8', 'applicable': false,"
                "   'justification': 'No joint controllers.'},"
                "   {'control': '7.2.9', 'applicable': true}],"
                " 'answers': [{'action': 'act.privacy.purpose-register', 'implementation': 'implemented',"
                "   'test': 'passed', 'tested_at': '2026-11-01', 'assigned_to': 'dpo@contoso.example',"
                "   'notes': 'Register reviewed by DPO.',"
                "   'evidence': ['https://wiki.contoso.example/ropa', 'ticket 42']}]}",
                NULL, d, &a),
        0);
    assert_diags(d, "");
    assert_string_equal(posture_answers_template_ref(a), "iso-iec-27701-2019");
    assert_string_equal(posture_answers_template_version(a), "1.0.0");
    const posture_assessment_info *info = posture_answers_info(a);
    assert_string_equal(info->name, "Contoso PIMS 2026");
    assert_string_equal(info->organization, "Contoso Ltd");
    assert_string_equal(info->scope, "EU customer data platform");
    assert_string_equal(info->group, "eu");
    assert_string_equal(info->assessed_at, "2026-11-20");

    assert_int_equal(posture_answers_control_count(a), 2);
    const posture_control_scope *c0 = posture_answers_control(a, 0);
    assert_string_equal(c0->control, "7.2.8");
    assert_int_equal(c0->applicable, 0);
    assert_string_equal(c0->justification, "No joint controllers.");
    assert_int_equal(c0->control_index, -1);
    assert_string_equal(c0->place, "/controls/0/control");
    const posture_control_scope *c1 = posture_answers_control(a, 1);
    assert_string_equal(c1->control, "7.2.9");
    assert_int_equal(c1->applicable, 1);
    assert_null(c1->justification);
    assert_string_equal(c1->place, "/controls/1/control");
    assert_null(posture_answers_control(a, 2));

    assert_int_equal(posture_answers_count(a), 1);
    const posture_answer *an = posture_answers_get(a, 0);
    assert_string_equal(an->action, "act.privacy.purpose-register");
    assert_int_equal(an->implementation, POSTURE_IMPL_IMPLEMENTED);
    assert_int_equal(an->test, POSTURE_TEST_PASSED);
    assert_string_equal(an->tested_at, "2026-11-01");
    assert_string_equal(an->assigned_to, "dpo@contoso.example");
    assert_string_equal(an->notes, "Register reviewed by DPO.");
    assert_int_equal(an->nevidence, 2);
    assert_string_equal(an->evidence[0], "https://wiki.contoso.example/ropa");
    assert_string_equal(an->evidence[1], "ticket 42");
    assert_int_equal(an->action_index, -1);
    assert_string_equal(an->place, "/answers/0/action");
    assert_null(posture_answers_get(a, 1));
    /* not resolved: no lookups */
    assert_null(posture_answers_for_action(a, 0));
    assert_null(posture_answers_for_control(a, 0));
    posture_answers_free(a);
    posture_diags_free(d);
}

static void applies_defaults(void **state)
{
    (void)state;
    posture_diags *d = NULL;
    posture_answers *a = NULL;
    assert_int_equal(posture_diags_new(&d), 0);
    assert_int_equal(parse_q(DOC_HEAD "'answers': [{'action': 'act.a'}]}", NULL, d, &a), 0);
    assert_diags(d, "");
    assert_null(posture_answers_template_version(a));
    const posture_assessment_info *info = posture_answers_info(a);
    assert_string_equal(info->name, "N");
    assert_null(info->organization);
    assert_null(info->scope);
    assert_string_equal(info->group, "default");
    assert_null(info->assessed_at);
    assert_int_equal(posture_answers_control_count(a), 0);
    const posture_answer *an = posture_answers_get(a, 0);
    assert_int_equal(an->implementation, POSTURE_IMPL_NOT_IMPLEMENTED);
    assert_int_equal(an->test, POSTURE_TEST_NOT_ASSESSED);
    assert_null(an->tested_at);
    assert_null(an->assigned_to);
    assert_null(an->notes);
    assert_null(an->evidence);
    assert_int_equal(an->nevidence, 0);
    posture_answers_free(a);
    posture_diags_free(d);
}

static void empty_strings_and_nulls_are_absent(void **state)
{
    (void)state;
    posture_diags *d = NULL;
    posture_answers *a = NULL;
    assert_int_equal(posture_diags_new(&d), 0);
    assert_int_equal(
        parse_q("{'format': 'posture-answers/1', 'template': 'x', 'template_version': '',"
                " 'assessment': {'name': 'N', 'organization': '', 'scope': null, 'group': '',"
                "   'assessed_at': ''},"
                " 'controls': null,"
                " 'answers': [{'action': 'act.a', 'implementation': '', 'test': '  ', 'tested_at': '',"
                "   'assigned_to': null, 'notes': '', 'evidence': ['', 'e1', '']},"
                "  {'action': 'act.b', 'implementation': null, 'test': null, 'evidence': null}]}",
                NULL, d, &a),
        0);
    assert_diags(d, "");
    assert_null(posture_answers_template_version(a));
    const posture_assessment_info *info = posture_answers_info(a);
    assert_null(info->organization);
    assert_null(info->scope);
    assert_string_equal(info->group, "default");
    assert_null(info->assessed_at);
    const posture_answer *an = posture_answers_get(a, 0);
    assert_int_equal(an->implementation, POSTURE_IMPL_NOT_IMPLEMENTED);
    assert_int_equal(an->test, POSTURE_TEST_NOT_ASSESSED);
    assert_null(an->tested_at);
    assert_null(an->assigned_to);
    assert_null(an->notes);
    assert_int_equal(an->nevidence, 1);
    assert_string_equal(an->evidence[0], "e1");
    an = posture_answers_get(a, 1);
    assert_int_equal(an->implementation, POSTURE_IMPL_NOT_IMPLEMENTED);
    assert_int_equal(an->test, POSTURE_TEST_NOT_ASSESSED);
    assert_int_equal(an->nevidence, 0);
    posture_answers_free(a);
    posture_diags_free(d);
}

static void empty_answers_are_valid(void **state)
{
    (void)state;
    posture_diags *d = NULL;
    posture_answers *a = NULL;
    assert_int_equal(posture_diags_new(&d), 0);
    assert_int_equal(parse_q(DOC_HEAD "'controls': [], 'answers': []}", NULL, d, &a), 0);
    assert_diags(d, "");
    assert_int_equal(posture_answers_count(a), 0);
    assert_int_equal(posture_answers_control_count(a), 0);
    posture_answers_free(a);
    posture_diags_free(d);
}

/* Parse one answer with the given implementation and test text. */
static void parse_statuses(const char *impl, const char *test, posture_implementation *pi,
                           posture_test *pt)
{
    posture_diags *d = NULL;
    posture_answers *a = NULL;
    assert_int_equal(posture_diags_new(&d), 0);
    cJSON *doc = cJSON_Parse("{\"format\": \"posture-answers/1\", \"template\": \"x\","
                             " \"assessment\": {\"name\": \"N\"}, \"answers\": [{\"action\": \"act.a\"}]}");
    cJSON *ans = cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "answers"), 0);
    cJSON_AddStringToObject(ans, "implementation", impl);
    cJSON_AddStringToObject(ans, "test", test);
    char *text = cJSON_PrintUnformatted(doc);
    cJSON_Delete(doc);
    int rc = posture_answers_parse_json(text, strlen(text), "answers.json", NULL, d, &a);
    free(text);
    assert_diags(d, "");
    assert_int_equal(rc, 0);
    *pi = posture_answers_get(a, 0)->implementation;
    *pt = posture_answers_get(a, 0)->test;
    posture_answers_free(a);
    posture_diags_free(d);
}

static void mangle(const char *in, int mode, char *out, size_t size)
{
    /* mode 0: as is; 1: upper case with blanks around; 2: lower case with tabs/newlines */
    size_t n = 0;
    if (mode == 1)
        out[n++] = ' ';
    if (mode == 2) {
        out[n++] = '\t';
        out[n++] = '\n';
    }
    for (const char *p = in; *p && n + 4 < size; p++) {
        char ch = *p;
        if (mode == 1 && ch >= 'a' && ch <= 'z')
            ch = (char)(ch - 'a' + 'A');
        if (mode == 2 && ch >= 'A' && ch <= 'Z')
            ch = (char)(ch - 'A' + 'a');
        out[n++] = ch;
    }
    if (mode == 1) {
        out[n++] = ' ';
        out[n++] = ' ';
    }
    if (mode == 2)
        out[n++] = '\r';
    out[n] = '\0';
}

static void every_status_token_and_label(void **state)
{
    (void)state;
    char is[128], ts[128];
    size_t checked = 0;
    for (int mode = 0; mode < 3; mode++) {
        for (int k = 0; k < 2; k++) {
            for (int i = 0; i < POSTURE_IMPL__COUNT; i++) {
                posture_test t = (posture_test)(i % POSTURE_TEST__COUNT);
                mangle(k ? posture_implementation_label((posture_implementation)i)
                         : posture_implementation_token((posture_implementation)i),
                       mode, is, sizeof is);
                mangle(k ? posture_test_label(t) : posture_test_token(t), mode, ts, sizeof ts);
                posture_implementation pi;
                posture_test pt;
                parse_statuses(is, ts, &pi, &pt);
                assert_int_equal(pi, i);
                assert_int_equal(pt, t);
                checked++;
            }
            for (int i = 0; i < POSTURE_TEST__COUNT; i++) {
                mangle(k ? posture_test_label((posture_test)i) : posture_test_token((posture_test)i),
                       mode, ts, sizeof ts);
                posture_implementation pi;
                posture_test pt;
                parse_statuses("implemented", ts, &pi, &pt);
                assert_int_equal(pi, POSTURE_IMPL_IMPLEMENTED);
                assert_int_equal(pt, i);
                checked++;
            }
        }
    }
    assert_int_equal(checked, 3 * 2 * (6 + 7));
}

static void literal_labels(void **state)
{
    (void)state;
    posture_implementation pi;
    posture_test pt;
    parse_statuses("  ALTERNATIVE implementation ", "failed (MEDIUM risk)", &pi, &pt);
    assert_int_equal(pi, POSTURE_IMPL_ALTERNATIVE);
    assert_int_equal(pt, POSTURE_TEST_FAILED_MEDIUM);
    parse_statuses("Partially_Implemented", "Out Of Scope", &pi, &pt);
    assert_int_equal(pi, POSTURE_IMPL_PARTIAL);
    assert_int_equal(pt, POSTURE_TEST_OUT_OF_SCOPE);
    parse_statuses("planned", "In progress", &pi, &pt);
    assert_int_equal(pi, POSTURE_IMPL_PLANNED);
    assert_int_equal(pt, POSTURE_TEST_IN_PROGRESS);
}

static void template_reference_with_version(void **state)
{
    (void)state;
    posture_diags *d = NULL;
    posture_answers *a = NULL;
    assert_int_equal(posture_diags_new(&d), 0);
    assert_int_equal(parse_q("{'format': 'posture-answers/1', 'template': 'x@1.2.0',"
                             " 'template_version': '1.2.0', 'assessment': {'name': 'N'}, 'answers': []}",
                             NULL, d, &a),
                     0);
    assert_diags(d, "");
    assert_string_equal(posture_answers_template_ref(a), "x@1.2.0");
    assert_string_equal(posture_answers_template_version(a), "1.2.0");
    posture_answers_free(a);
    posture_diags_free(d);
}

static void byte_order_mark_is_skipped(void **state)
{
    (void)state;
    posture_diags *d = NULL;
    posture_answers *a = NULL;
    assert_int_equal(posture_diags_new(&d), 0);
    char *body = q(DOC_HEAD "'answers': [{'action': 'act.a', 'notes': 'caf\xC3\xA9'}]}");
    size_t n = strlen(body);
    char *text = malloc(n + 4);
    memcpy(text, "\xEF\xBB\xBF", 3);
    memcpy(text + 3, body, n + 1);
    assert_int_equal(posture_answers_parse_json(text, n + 3, "answers.json", NULL, d, &a), 0);
    assert_diags(d, "");
    assert_string_equal(posture_answers_get(a, 0)->notes, "caf\xC3\xA9");
    free(text);
    free(body);
    posture_answers_free(a);
    posture_diags_free(d);
}

static void loads_a_file(void **state)
{
    (void)state;
    posture_diags *d = NULL;
    posture_answers *a = NULL;
    assert_int_equal(posture_diags_new(&d), 0);
    char *text = q(DOC_HEAD "'answers': [{'action': 'act.a', 'test': 'Passed'}]}");
    const char *path = tu_write("a.json", text);
    free(text);
    assert_int_equal(posture_answers_load_json(path, NULL, d, &a), 0);
    assert_diags(d, "");
    assert_int_equal(posture_answers_get(a, 0)->test, POSTURE_TEST_PASSED);
    posture_answers_free(a);

    char missing[600];
    snprintf(missing, sizeof missing, "%s/none.json", tu_tmpdir());
    a = (posture_answers *)1;
    assert_int_equal(posture_answers_load_json(missing, NULL, d, &a), POSTURE_EIO);
    assert_null(a);
    char want[800];
    snprintf(want, sizeof want, "posture: %s: cannot open: No such file or directory\n", missing);
    assert_diags(d, want);
    posture_diags_free(d);
}

static int cleanup(void **state)
{
    (void)state;
    tu_cleanup();
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(reads_every_field),
        cmocka_unit_test(applies_defaults),
        cmocka_unit_test(empty_strings_and_nulls_are_absent),
        cmocka_unit_test(empty_answers_are_valid),
        cmocka_unit_test(every_status_token_and_label),
        cmocka_unit_test(literal_labels),
        cmocka_unit_test(template_reference_with_version),
        cmocka_unit_test(byte_order_mark_is_skipped),
        cmocka_unit_test(loads_a_file),
    };
    return cmocka_run_group_tests(tests, NULL, cleanup);
}
