/* test_answers_errors.c - every validation rule of posture-answers/1 JSON, exact messages. */
#include "answers_util.h"

#define P "posture: answers.json: "
#define TEST_EXPECTED \
    "not_assessed, in_progress, passed, failed_low, failed_medium, failed_high, out_of_scope"
#define IMPL_EXPECTED \
    "not_implemented, planned, partially_implemented, implemented, alternative, out_of_scope"

/* Parse `json` (with ' for ") without a template; expect `rc` and exactly `want`. */
static void check_mode(const char *json, int strict, int rc, const char *want)
{
    posture_diags *d = NULL;
    posture_answers *a = (posture_answers *)&d; /* must be reset to NULL on failure */
    assert_int_equal(posture_diags_new(&d), 0);
    posture_diags_set_strict(d, strict);
    assert_int_equal(parse_q(json, NULL, d, &a), rc);
    assert_diags(d, want);
    if (rc != 0)
        assert_null(a);
    posture_answers_free(a);
    posture_diags_free(d);
}

static void check(const char *json, int rc, const char *want) { check_mode(json, 0, rc, want); }

static void root_must_be_an_object(void **state)
{
    (void)state;
    check("['posture-answers/1']", POSTURE_EINVALID, P "/: expected an object, got an array\n");
}

static void format_is_required(void **state)
{
    (void)state;
    /* nothing else is checked in a file that does not say it holds answers */
    check("{'answers': 3}", POSTURE_EINVALID, P "/: missing required field \"format\"\n");
}

static void format_must_be_exact(void **state)
{
    (void)state;
    check("{'format': 'posture-answers/2', 'answers': 3, 'x': 1}", POSTURE_EINVALID,
          P "/format: expected \"posture-answers/1\", got \"posture-answers/2\"\n");
    check("{'format': 'posture-template/1'}", POSTURE_EINVALID,
          P "/format: expected \"posture-answers/1\", got \"posture-template/1\"\n");
    check("{'format': 1}", POSTURE_EINVALID, P "/format: expected a string, got a number\n");
}

static void template_assessment_and_answers_are_required(void **state)
{
    (void)state;
    check("{'format': 'posture-answers/1'}", POSTURE_EINVALID,
          P "/: missing required field \"template\"\n"
          P "/: missing required field \"assessment\"\n"
          P "/: missing required field \"answers\"\n");
}

static void template_must_be_a_reference(void **state)
{
    (void)state;
    check("{'format': 'posture-answers/1', 'template': '', 'assessment': {'name': 'N'}, 'answers': []}",
          POSTURE_EINVALID, P "/template: must not be empty\n");
    check("{'format': 'posture-answers/1', 'template': 'x@', 'assessment': {'name': 'N'}, 'answers': []}",
          POSTURE_EINVALID, P "/template: expected \"ID\" or \"ID@VERSION\", got \"x@\"\n");
    check("{'format': 'posture-answers/1', 'template': '@1.0.0', 'assessment': {'name': 'N'}, 'answers': []}",
          POSTURE_EINVALID, P "/template: expected \"ID\" or \"ID@VERSION\", got \"@1.0.0\"\n");
    check("{'format': 'posture-answers/1', 'template': ['x'], 'assessment': {'name': 'N'}, 'answers': []}",
          POSTURE_EINVALID, P "/template: expected a string, got an array\n");
}

static void template_version_must_agree_with_reference(void **state)
{
    (void)state;
    check("{'format': 'posture-answers/1', 'template': 'x@1.0.0', 'template_version': '1.1.0',"
          " 'assessment': {'name': 'N'}, 'answers': []}",
          POSTURE_EINVALID, P "/template_version: version 1.1.0 contradicts template \"x@1.0.0\"\n");
    check("{'format': 'posture-answers/1', 'template': 'x', 'template_version': 1,"
          " 'assessment': {'name': 'N'}, 'answers': []}",
          POSTURE_EINVALID, P "/template_version: expected a string, got a number\n");
}

static void assessment_must_be_an_object(void **state)
{
    (void)state;
    check("{'format': 'posture-answers/1', 'template': 'x', 'assessment': 'N', 'answers': []}",
          POSTURE_EINVALID, P "/assessment: expected an object, got a string\n");
}

static void assessment_name_is_required_and_not_empty(void **state)
{
    (void)state;
    check("{'format': 'posture-answers/1', 'template': 'x', 'assessment': {}, 'answers': []}",
          POSTURE_EINVALID, P "/assessment: missing required field \"name\"\n");
    check("{'format': 'posture-answers/1', 'template': 'x', 'assessment': {'name': ''}, 'answers': []}",
          POSTURE_EINVALID, P "/assessment/name: must not be empty\n");
    check("{'format': 'posture-answers/1', 'template': 'x', 'assessment': {'name': null}, 'answers': []}",
          POSTURE_EINVALID, P "/assessment/name: expected a string, got null\n");
}

static void assessment_fields_are_strings(void **state)
{
    (void)state;
    check("{'format': 'posture-answers/1', 'template': 'x', 'assessment': {'name': 'N',"
          " 'organization': 1, 'scope': true, 'group': [], 'assessed_at': {}}, 'answers': []}",
          POSTURE_EINVALID,
          P "/assessment/organization: expected a string, got a number\n"
          P "/assessment/scope: expected a string, got a boolean\n"
          P "/assessment/group: expected a string, got an array\n"
          P "/assessment/assessed_at: expected a string, got an object\n");
}

static void assessed_at_must_be_a_date(void **state)
{
    (void)state;
    check("{'format': 'posture-answers/1', 'template': 'x',"
          " 'assessment': {'name': 'N', 'assessed_at': '2026-02-29'}, 'answers': []}",
          POSTURE_EINVALID,
          P "/assessment/assessed_at: invalid date \"2026-02-29\"; expected YYYY-MM-DD\n");
    check("{'format': 'posture-answers/1', 'template': 'x',"
          " 'assessment': {'name': 'N', 'assessed_at': '20.11.2026'}, 'answers': []}",
          POSTURE_EINVALID,
          P "/assessment/assessed_at: invalid date \"20.11.2026\"; expected YYYY-MM-DD\n");
}

static void answers_must_be_an_array_of_objects(void **state)
{
    (void)state;
    check(DOC_HEAD "'answers': {'action': 'act.a'}}", POSTURE_EINVALID,
          P "/answers: expected an array, got an object\n");
    check(DOC_HEAD "'answers': ['act.a', {'action': 'act.b'}, null]}", POSTURE_EINVALID,
          P "/answers/0: expected an object, got a string\n"
          P "/answers/2: expected an object, got null\n");
}

static void action_is_required(void **state)
{
    (void)state;
    check(DOC_HEAD "'answers': [{'test': 'passed'}, {'action': ''}, {'action': 7}]}",
          POSTURE_EINVALID,
          P "/answers/0: missing required field \"action\"\n"
          P "/answers/1/action: must not be empty\n"
          P "/answers/2/action: expected a string, got a number\n");
}

static void unknown_test_status(void **state)
{
    (void)state;
    /* the spec's own example: the 13th answer */
    char json[2048] = DOC_HEAD "'answers': [";
    for (int i = 0; i < 12; i++)
        snprintf(json + strlen(json), sizeof json - strlen(json), "{'action': 'act.%d'}, ", i);
    strcat(json, "{'action': 'act.12', 'test': 'passd'}]}");
    check(json, POSTURE_EINVALID,
          P "/answers/12/test: unknown test status \"passd\"; expected one of: " TEST_EXPECTED "\n");
}

static void unknown_implementation_status(void **state)
{
    (void)state;
    check(DOC_HEAD "'answers': [{'action': 'act.a', 'implementation': 'x'},"
                   " {'action': 'act.b', 'implementation': 'Implemented!', 'test': 'failed'}]}",
          POSTURE_EINVALID,
          P "/answers/0/implementation: unknown implementation status \"x\"; expected one of: "
            IMPL_EXPECTED "\n"
          P "/answers/1/implementation: unknown implementation status \"Implemented!\"; expected "
            "one of: " IMPL_EXPECTED "\n"
          P "/answers/1/test: unknown test status \"failed\"; expected one of: " TEST_EXPECTED "\n");
}

static void status_must_be_a_string(void **state)
{
    (void)state;
    check(DOC_HEAD "'answers': [{'action': 'act.a', 'implementation': 3, 'test': true}]}",
          POSTURE_EINVALID,
          P "/answers/0/implementation: expected a string, got a number\n"
          P "/answers/0/test: expected a string, got a boolean\n");
}

static void tested_at_must_be_a_date(void **state)
{
    (void)state;
    check(DOC_HEAD "'answers': [{'action': 'act.0'}, {'action': 'act.1'}, {'action': 'act.2'},"
                   " {'action': 'act.3', 'tested_at': '2026-13-01'},"
                   " {'action': 'act.4', 'tested_at': '2026-1-01'}]}",
          POSTURE_EINVALID,
          P "/answers/3/tested_at: invalid date \"2026-13-01\"; expected YYYY-MM-DD\n"
          P "/answers/4/tested_at: invalid date \"2026-1-01\"; expected YYYY-MM-DD\n");
}

static void text_fields_must_be_strings(void **state)
{
    (void)state;
    check(DOC_HEAD "'answers': [{'action': 'act.a', 'assigned_to': ['x'], 'notes': 1}]}",
          POSTURE_EINVALID,
          P "/answers/0/assigned_to: expected a string, got an array\n"
          P "/answers/0/notes: expected a string, got a number\n");
}

static void evidence_is_an_array_of_strings(void **state)
{
    (void)state;
    check(DOC_HEAD "'answers': [{'action': 'act.a', 'evidence': 'https://x'},"
                   " {'action': 'act.b', 'evidence': ['ok', 2, null]}]}",
          POSTURE_EINVALID,
          P "/answers/0/evidence: expected an array, got a string\n"
          P "/answers/1/evidence/1: expected a string, got a number\n"
          P "/answers/1/evidence/2: expected a string, got null\n");
}

static void controls_must_be_an_array_of_objects(void **state)
{
    (void)state;
    check(DOC_HEAD "'controls': {}, 'answers': []}", POSTURE_EINVALID,
          P "/controls: expected an array, got an object\n");
    check(DOC_HEAD "'controls': ['7.2.8'], 'answers': []}", POSTURE_EINVALID,
          P "/controls/0: expected an object, got a string\n");
}

static void control_and_applicable_are_required(void **state)
{
    (void)state;
    check(DOC_HEAD "'controls': [{}, {'control': '', 'applicable': 'no'}], 'answers': []}",
          POSTURE_EINVALID,
          P "/controls/0: missing required field \"control\"\n"
          P "/controls/0: missing required field \"applicable\"\n"
          P "/controls/1/control: must not be empty\n"
          P "/controls/1/applicable: expected a boolean, got a string\n");
}

static void not_applicable_needs_justification(void **state)
{
    (void)state;
    check(DOC_HEAD "'controls': [{'control': '7.2.8', 'applicable': false},"
                   " {'control': '7.2.9', 'applicable': false, 'justification': ''},"
                   " {'control': '7.3.1', 'applicable': true},"
                   " {'control': '7.3.2', 'applicable': false, 'justification': 7}], 'answers': []}",
          POSTURE_EINVALID,
          P "/controls/0: a not-applicable control needs a justification\n"
          P "/controls/1: a not-applicable control needs a justification\n"
          P "/controls/3/justification: expected a string, got a number\n"
          P "/controls/3: a not-applicable control needs a justification\n");
}

#define UNKNOWN_DOC                                                                         \
    "{'format': 'posture-answers/1', 'template': 'x', 'comment': 'hi',"                     \
    " 'assessment': {'name': 'N', 'owner': 'me'},"                                          \
    " 'controls': [{'control': 'C1', 'applicable': true, 'why': 1}],"                       \
    " 'answers': [{'action': 'act.a', 'status': 'done'}]}"

static void unknown_fields_are_warnings(void **state)
{
    (void)state;
    check(UNKNOWN_DOC, 0,
          P "/comment: warning: unknown field \"comment\"\n"
          P "/assessment/owner: warning: unknown field \"owner\"\n"
          P "/controls/0/why: warning: unknown field \"why\"\n"
          P "/answers/0/status: warning: unknown field \"status\"\n");
}

static void unknown_fields_are_errors_when_strict(void **state)
{
    (void)state;
    check_mode(UNKNOWN_DOC, 1, POSTURE_EINVALID,
               P "/comment: unknown field \"comment\"\n"
               P "/assessment/owner: unknown field \"owner\"\n"
               P "/controls/0/why: unknown field \"why\"\n"
               P "/answers/0/status: unknown field \"status\"\n");
}

static void every_problem_is_reported(void **state)
{
    (void)state;
    check("{'format': 'posture-answers/1', 'template': 'x', 'assessment': {'assessed_at': 'soon'},"
          " 'controls': [{'control': 'C1', 'applicable': false}],"
          " 'answers': [{'action': 'act.a', 'test': 'ok'}, {'implementation': 'done'},"
          "  {'action': 'act.c', 'tested_at': 'yesterday', 'evidence': [1]}], 'x': 0}",
          POSTURE_EINVALID,
          P "/x: warning: unknown field \"x\"\n"
          P "/assessment: missing required field \"name\"\n"
          P "/assessment/assessed_at: invalid date \"soon\"; expected YYYY-MM-DD\n"
          P "/controls/0: a not-applicable control needs a justification\n"
          P "/answers/0/test: unknown test status \"ok\"; expected one of: " TEST_EXPECTED "\n"
          P "/answers/1: missing required field \"action\"\n"
          P "/answers/1/implementation: unknown implementation status \"done\"; expected one of: "
            IMPL_EXPECTED "\n"
          P "/answers/2/tested_at: invalid date \"yesterday\"; expected YYYY-MM-DD\n"
          P "/answers/2/evidence/0: expected a string, got a number\n");
}

static void malformed_json_names_line_and_column(void **state)
{
    (void)state;
    check("{'format': 'posture-answers/1',\n 'answers': [\n  {'action': 'act.a' 'test': 'x'}\n ]}",
          POSTURE_ESYNTAX, P "3:22: syntax error: unexpected character '\"'\n");
    check("{'format': 'posture-answers/1',\n 'answers': [\n", POSTURE_ESYNTAX,
          P "2:14: syntax error: unexpected end of file\n");
}

static void invalid_utf8_is_rejected(void **state)
{
    (void)state;
    check(DOC_HEAD "'answers': [{'action': 'act.a', 'notes': 'caf\xE9'}]}", POSTURE_ESYNTAX,
          P "1:137: invalid UTF-8 (byte 0xe9)\n");
}

static void duplicate_keys_are_errors(void **state)
{
    (void)state;
    /* the duplicate and every other problem too */
    check(DOC_HEAD "'answers': [{'action': 'act.a', 'test': 'passed', 'test': 'failed_low'},"
                   " {'action': 'act.b', 'test': 'nope'}]}",
          POSTURE_EINVALID,
          P "/answers/0/test: duplicate key \"test\"\n"
          P "/answers/1/test: unknown test status \"nope\"; expected one of: " TEST_EXPECTED "\n");
}

static void nul_escape_is_rejected(void **state)
{
    (void)state;
    check(DOC_HEAD "'answers': [{'action': 'act.a', 'notes': 'a\\u0000b'}]}", POSTURE_EINVALID,
          P "1:135: \\u0000 in a string is not allowed\n");
}

static void works_without_a_diagnostics_list(void **state)
{
    (void)state;
    char *text = q(DOC_HEAD "'answers': [{'test': 'passed'}]}");
    posture_answers *a = (posture_answers *)&text;
    assert_int_equal(posture_answers_parse_json(text, strlen(text), "a.json", NULL, NULL, &a),
                     POSTURE_EINVALID);
    assert_null(a);
    assert_string_equal(posture_error_last(), "a.json: /answers/0: missing required field \"action\"");
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(root_must_be_an_object),
        cmocka_unit_test(format_is_required),
        cmocka_unit_test(format_must_be_exact),
        cmocka_unit_test(template_assessment_and_answers_are_required),
        cmocka_unit_test(template_must_be_a_reference),
        cmocka_unit_test(template_version_must_agree_with_reference),
        cmocka_unit_test(assessment_must_be_an_object),
        cmocka_unit_test(assessment_name_is_required_and_not_empty),
        cmocka_unit_test(assessment_fields_are_strings),
        cmocka_unit_test(assessed_at_must_be_a_date),
        cmocka_unit_test(answers_must_be_an_array_of_objects),
        cmocka_unit_test(action_is_required),
        cmocka_unit_test(unknown_test_status),
        cmocka_unit_test(unknown_implementation_status),
        cmocka_unit_test(status_must_be_a_string),
        cmocka_unit_test(tested_at_must_be_a_date),
        cmocka_unit_test(text_fields_must_be_strings),
        cmocka_unit_test(evidence_is_an_array_of_strings),
        cmocka_unit_test(controls_must_be_an_array_of_objects),
        cmocka_unit_test(control_and_applicable_are_required),
        cmocka_unit_test(not_applicable_needs_justification),
        cmocka_unit_test(unknown_fields_are_warnings),
        cmocka_unit_test(unknown_fields_are_errors_when_strict),
        cmocka_unit_test(every_problem_is_reported),
        cmocka_unit_test(malformed_json_names_line_and_column),
        cmocka_unit_test(invalid_utf8_is_rejected),
        cmocka_unit_test(duplicate_keys_are_errors),
        cmocka_unit_test(nul_escape_is_rejected),
        cmocka_unit_test(works_without_a_diagnostics_list),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
