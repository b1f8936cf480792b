/* test_answers_roundtrip.c - posture_answers_to_json: exact layout, parse -> write -> parse. */
#include "answers_util.h"

static void assert_same_str(const char *x, const char *y)
{
    if (!x || !y)
        assert_ptr_equal(x, y);
    else
        assert_string_equal(x, y);
}

/* Every field of `x` and `y` is equal (places aside: they are where each was read). */
static void assert_same(const posture_answers *x, const posture_answers *y)
{
    assert_same_str(posture_answers_template_ref(x), posture_answers_template_ref(y));
    assert_same_str(posture_answers_template_version(x), posture_answers_template_version(y));
    const posture_assessment_info *ix = posture_answers_info(x), *iy = posture_answers_info(y);
    assert_same_str(ix->name, iy->name);
    assert_same_str(ix->organization, iy->organization);
    assert_same_str(ix->scope, iy->scope);
    assert_same_str(ix->group, iy->group);
    assert_same_str(ix->assessed_at, iy->assessed_at);
    assert_int_equal(posture_answers_control_count(x), posture_answers_control_count(y));
    for (size_t i = 0; i < posture_answers_control_count(x); i++) {
        const posture_control_scope *cx = posture_answers_control(x, i);
        const posture_control_scope *cy = posture_answers_control(y, i);
        assert_string_equal(cx->control, cy->control);
        assert_int_equal(cx->applicable, cy->applicable);
        assert_same_str(cx->justification, cy->justification);
        assert_int_equal(cx->control_index, cy->control_index);
    }
    assert_int_equal(posture_answers_count(x), posture_answers_count(y));
    for (size_t i = 0; i < posture_answers_count(x); i++) {
        const posture_answer *ax = posture_answers_get(x, i), *ay = posture_answers_get(y, i);
        assert_string_equal(ax->action, ay->action);
        assert_int_equal(ax->implementation, ay->implementation);
        assert_int_equal(ax->test, ay->test);
        assert_same_str(ax->tested_at, ay->tested_at);
        assert_same_str(ax->assigned_to, ay->assigned_to);
        assert_same_str(ax->notes, ay->notes);
        assert_int_equal(ax->nevidence, ay->nevidence);
        for (size_t k = 0; k < ax->nevidence; k++)
            assert_string_equal(ax->evidence[k], ay->evidence[k]);
        assert_int_equal(ax->action_index, ay->action_index);
    }
}

static posture_answers *parse_ok(const char *text, const posture_template *t)
{
    posture_diags *d = NULL;
    posture_answers *a = NULL;
    assert_int_equal(posture_diags_new(&d), 0);
    assert_int_equal(posture_answers_parse_json(text, strlen(text), "rt.json", t, d, &a), 0);
    assert_diags(d, "");
    posture_diags_free(d);
    return a;
}

/* parse -> to_json -> parse gives the same answers, and writing again the same text. */
static void round_trip(const char *json, const posture_template *t, int evidence_total)
{
    char *text = q(json);
    posture_answers *a = parse_ok(text, t);
    free(text);
    char *out = posture_answers_to_json(a);
    assert_non_null(out);
    posture_answers *b = parse_ok(out, t);
    assert_same(a, b);
    char *out2 = posture_answers_to_json(b);
    assert_string_equal(out, out2);
    int total = 0;
    for (size_t i = 0; i < posture_answers_count(b); i++)
        total += (int)posture_answers_get(b, i)->nevidence;
    assert_int_equal(total, evidence_total);
    free(out);
    free(out2);
    posture_answers_free(a);
    posture_answers_free(b);
}

static void round_trips_every_field(void **state)
{
    (void)state;
    round_trip(
        "{'format': 'posture-answers/1', 'template': 'iso-iec-27701-2019@1.0.0',"
        " 'template_version': '1.0.0',"
        " 'assessment': {'name': 'Contoso \\u201cPIMS\\u201d 2026', 'organization': 'Contoso Ltd',"
        "   'scope': 'EU\\ncustomer data', 'group': 'eu', 'assessed_at': '2026-11-20'},"
        " 'controls': [{'control': '7.2.8', 'applicable': false, 'justification': 'No joint controllers.'},"
        "   {'control': '7.2.9', 'applicable': true, 'justification': 'kept anyway'},"
        "   {'control': '7.3.1', 'applicable': true}],"
        " 'answers': ["
        "  {'action': 'act.privacy.purpose-register', 'implementation': 'Implemented', 'test': ' PASSED ',"
        "   'tested_at': '2026-11-01', 'assigned_to': 'dpo@contoso.example',"
        "   'notes': 'Tab\\there, quote \\' \\\\ back, =SUM(A1), \\u00e9\\u4e2d\\ud83d\\ude00',"
        "   'evidence': ['https://wiki.contoso.example/ropa', '', 'line1\\nline2']},"
        "  {'action': 'act.b', 'implementation': 'Alternative implementation', 'test': 'Failed (high risk)'},"
        "  {'action': 'act.c', 'implementation': 'planned', 'test': 'failed_low', 'evidence': []},"
        "  {'action': 'act.d', 'implementation': 'partially_implemented', 'test': 'in_progress'},"
        "  {'action': 'act.e', 'implementation': 'out_of_scope', 'test': 'out_of_scope'},"
        "  {'action': 'act.f', 'test': 'failed_medium'}"
        " ]}",
        NULL, 2);
}

static void round_trips_minimal_answers(void **state)
{
    (void)state;
    round_trip(DOC_HEAD "'answers': []}", NULL, 0);
}

static void round_trips_resolved_answers(void **state)
{
    (void)state;
    posture_diags *d = NULL;
    posture_template *t = NULL;
    assert_int_equal(posture_diags_new(&d), 0);
    assert_int_equal(
        posture_template_load(NULL, POSTURE_SOURCE_DIR "/tests/fixtures/worked.json", 0, d, &t), 0);
    posture_diags_free(d);
    round_trip(DOC_HEAD "'controls': [{'control': 'C3', 'applicable': false, 'justification': 'j'}],"
                        " 'answers': [{'action': 'act.a', 'implementation': 'implemented', 'test': 'passed'},"
                        " {'action': 'act.b', 'implementation': 'implemented', 'test': 'failed_low'},"
                        " {'action': 'act.c', 'implementation': 'alternative', 'test': 'passed'},"
                        " {'action': 'act.d', 'implementation': 'out_of_scope'}]}",
               t, 0);
    posture_template_free(t);
}

static void writes_the_documented_layout(void **state)
{
    (void)state;
    posture_answers *a = NULL;
    assert_int_equal(posture_answers_new(&a), 0);
    assert_int_equal(posture_answers_set_template(a, "worked-example", "1.0.0"), 0);
    posture_assessment_info info = {"N", NULL, "S", "", "2026-01-02"};
    assert_int_equal(posture_answers_set_info(a, &info), 0);
    posture_control_scope c = {"C3", 0, "No D.", -1, NULL};
    assert_int_equal(posture_answers_add_control(a, &c), 0);
    const char *ev[] = {"e1", "", "e\"2"};
    posture_answer an = {"act.a", POSTURE_IMPL_PARTIAL, POSTURE_TEST_FAILED_HIGH, NULL, "me",
                         "line1\nline2", ev, 3, -1, "7"};
    assert_int_equal(posture_answers_add(a, &an), 0);
    posture_answer b = {.action = "act.b", .action_index = -1};
    assert_int_equal(posture_answers_add(a, &b), 0);
    char *s = posture_answers_to_json(a);
    assert_string_equal(s, "{\n"
                           "\t\"format\":\t\"posture-answers/1\",\n"
                           "\t\"template\":\t\"worked-example\",\n"
                           "\t\"template_version\":\t\"1.0.0\",\n"
                           "\t\"assessment\":\t{\n"
                           "\t\t\"name\":\t\"N\",\n"
                           "\t\t\"organization\":\tnull,\n"
                           "\t\t\"scope\":\t\"S\",\n"
                           "\t\t\"group\":\t\"default\",\n"
                           "\t\t\"assessed_at\":\t\"2026-01-02\"\n"
                           "\t},\n"
                           "\t\"controls\":\t[{\n"
                           "\t\t\t\"control\":\t\"C3\",\n"
                           "\t\t\t\"applicable\":\tfalse,\n"
                           "\t\t\t\"justification\":\t\"No D.\"\n"
                           "\t\t}],\n"
                           "\t\"answers\":\t[{\n"
                           "\t\t\t\"action\":\t\"act.a\",\n"
                           "\t\t\t\"implementation\":\t\"partially_implemented\",\n"
                           "\t\t\t\"test\":\t\"failed_high\",\n"
                           "\t\t\t\"tested_at\":\tnull,\n"
                           "\t\t\t\"assigned_to\":\t\"me\",\n"
                           "\t\t\t\"notes\":\t\"line1\\nline2\",\n"
                           "\t\t\t\"evidence\":\t[\"e1\", \"e\\\"2\"]\n"
                           "\t\t}, {\n"
                           "\t\t\t\"action\":\t\"act.b\",\n"
                           "\t\t\t\"implementation\":\t\"not_implemented\",\n"
                           "\t\t\t\"test\":\t\"not_assessed\",\n"
                           "\t\t\t\"tested_at\":\tnull,\n"
                           "\t\t\t\"assigned_to\":\tnull,\n"
                           "\t\t\t\"notes\":\tnull,\n"
                           "\t\t\t\"evidence\":\t[]\n"
                           "\t\t}]\n"
                           "}");
    free(s);
    posture_answers_free(a);
}

static void unset_template_and_name_are_null(void **state)
{
    (void)state;
    posture_answers *a = NULL;
    assert_int_equal(posture_answers_new(&a), 0);
    char *s = posture_answers_to_json(a);
    assert_string_equal(s, "{\n"
                           "\t\"format\":\t\"posture-answers/1\",\n"
                           "\t\"template\":\tnull,\n"
                           "\t\"assessment\":\t{\n"
                           "\t\t\"name\":\tnull,\n"
                           "\t\t\"organization\":\tnull,\n"
                           "\t\t\"scope\":\tnull,\n"
                           "\t\t\"group\":\t\"default\",\n"
                           "\t\t\"assessed_at\":\tnull\n"
                           "\t},\n"
                           "\t\"controls\":\t[],\n"
                           "\t\"answers\":\t[]\n"
                           "}");
    free(s);
    posture_answers_free(a);
}

static void builder_copies_and_checks(void **state)
{
    (void)state;
    posture_answers *a = NULL;
    assert_int_equal(posture_answers_new(&a), 0);
    char action[] = "act.a", notes[] = "n", place[] = "3";
    posture_answer an = {.action = action, .notes = notes, .place = place, .action_index = -1,
                         .tested_at = "", .assigned_to = ""};
    assert_int_equal(posture_answers_add(a, &an), 0);
    action[0] = notes[0] = place[0] = 'X';
    const posture_answer *got = posture_answers_get(a, 0);
    assert_string_equal(got->action, "act.a");
    assert_string_equal(got->notes, "n");
    assert_string_equal(got->place, "3");
    assert_null(got->tested_at);
    assert_null(got->assigned_to);

    posture_answer bad = {.action = "", .action_index = -1};
    assert_int_equal(posture_answers_add(a, &bad), POSTURE_EUSAGE);
    assert_string_equal(posture_error_last(), "an answer needs an action id");
    bad.action = NULL;
    assert_int_equal(posture_answers_add(a, &bad), POSTURE_EUSAGE);
    bad.action = "act.b";
    bad.test = POSTURE_TEST__COUNT;
    assert_int_equal(posture_answers_add(a, &bad), POSTURE_EUSAGE);
    assert_string_equal(posture_error_last(), "answer for \"act.b\": status out of range");
    posture_control_scope cs = {.control = "", .control_index = -1};
    assert_int_equal(posture_answers_add_control(a, &cs), POSTURE_EUSAGE);
    assert_string_equal(posture_error_last(), "a control entry needs a control id");
    assert_int_equal(posture_answers_count(a), 1);
    assert_int_equal(posture_answers_control_count(a), 0);

    /* set_info replaces all five fields; an absent group is "default" */
    posture_assessment_info info = {"A", "O", "S", "G", "2026-01-01"};
    assert_int_equal(posture_answers_set_info(a, &info), 0);
    assert_string_equal(posture_answers_info(a)->group, "G");
    posture_assessment_info cleared = {"A", NULL, NULL, NULL, NULL};
    assert_int_equal(posture_answers_set_info(a, &cleared), 0);
    assert_string_equal(posture_answers_info(a)->group, "default");
    assert_null(posture_answers_info(a)->organization);
    assert_int_equal(posture_answers_set_template(a, "", NULL), 0);
    assert_null(posture_answers_template_ref(a));
    posture_answers_free(a);
    posture_answers_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(round_trips_every_field),
        cmocka_unit_test(round_trips_minimal_answers),
        cmocka_unit_test(round_trips_resolved_answers),
        cmocka_unit_test(writes_the_documented_layout),
        cmocka_unit_test(unset_template_and_name_are_null),
        cmocka_unit_test(builder_copies_and_checks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
