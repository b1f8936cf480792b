/* test_profile_file.c - profile files (posture-profile/1): reading and every error, exact messages. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

#define P "posture: profile.json: "
#define TEST_EXPECTED \
    "not_assessed, in_progress, passed, failed_low, failed_medium, failed_high, out_of_scope"
#define IMPL_EXPECTED \
    "not_implemented, planned, partially_implemented, implemented, alternative, out_of_scope"

#define POINTS                                                                   \
    "'points': {'preventive': {'mandatory': 27, 'discretionary': 9},"            \
    " 'detective': {'mandatory': 3, 'discretionary': 1},"                        \
    " 'corrective': {'mandatory': 3, 'discretionary': 1}}"
#define HEAD "{'format': 'posture-profile/1', 'id': 'p', " POINTS ", "

static char *q(const char *s)
{
    char *t = strdup(s);
    for (char *p = t; *p; p++)
        if (*p == '\'')
            *p = '"';
    return t;
}

static posture_profile *check_mode(const char *json, int strict, int rc, const char *want)
{
    posture_diags *d = NULL;
    posture_profile *p = (posture_profile *)&d;
    assert_int_equal(posture_diags_new(&d), 0);
    posture_diags_set_strict(d, strict);
    char *text = q(json);
    assert_int_equal(posture_profile_parse(text, strlen(text), "profile.json", d, &p), rc);
    free(text);
    assert_diags(d, want);
    posture_diags_free(d);
    if (rc != 0)
        assert_null(p);
    return p;
}

static posture_profile *check(const char *json, int rc, const char *want)
{
    return check_mode(json, 0, rc, want);
}

static void reads_the_spec_example(void **state)
{
    (void)state;
    posture_profile *p = check(
        "{'format': 'posture-profile/1', 'id': 'my-profile',"
        " 'title': 'Partial credit for partially implemented actions',"
        " 'points': {'preventive': {'mandatory': 20, 'discretionary': 8},"
        "            'detective':  {'mandatory': 5,  'discretionary': 2},"
        "            'corrective': {'mandatory': 4,  'discretionary': 1.0}},"
        " 'credit': ["
        "  {'implementation': ['implemented', 'alternative'], 'test': ['passed'], 'credit': 1},"
        "  {'implementation': ['partially_implemented'], 'test': ['passed'], 'credit': 0.5}"
        " ]}",
        0, "");
    assert_string_equal(posture_profile_id(p), "my-profile");
    assert_string_equal(posture_profile_title(p), "Partial credit for partially implemented actions");
    assert_int_equal(posture_profile_points(p, POSTURE_TYPE_PREVENTIVE, POSTURE_ENFORCEMENT_MANDATORY), 20);
    assert_int_equal(posture_profile_points(p, POSTURE_TYPE_PREVENTIVE, POSTURE_ENFORCEMENT_DISCRETIONARY), 8);
    assert_int_equal(posture_profile_points(p, POSTURE_TYPE_DETECTIVE, POSTURE_ENFORCEMENT_MANDATORY), 5);
    assert_int_equal(posture_profile_points(p, POSTURE_TYPE_DETECTIVE, POSTURE_ENFORCEMENT_DISCRETIONARY), 2);
    assert_int_equal(posture_profile_points(p, POSTURE_TYPE_CORRECTIVE, POSTURE_ENFORCEMENT_MANDATORY), 4);
    assert_int_equal(posture_profile_points(p, POSTURE_TYPE_CORRECTIVE, POSTURE_ENFORCEMENT_DISCRETIONARY), 1);
    assert_int_equal(posture_profile_credit(p, POSTURE_IMPL_IMPLEMENTED, POSTURE_TEST_PASSED), 100);
    assert_int_equal(posture_profile_credit(p, POSTURE_IMPL_ALTERNATIVE, POSTURE_TEST_PASSED), 100);
    assert_int_equal(posture_profile_credit(p, POSTURE_IMPL_PARTIAL, POSTURE_TEST_PASSED), 50);
    assert_int_equal(posture_profile_credit(p, POSTURE_IMPL_PARTIAL, POSTURE_TEST_NOT_ASSESSED), 0);
    assert_int_equal(posture_profile_credit(p, POSTURE_IMPL_IMPLEMENTED, POSTURE_TEST_IN_PROGRESS), 0);
    assert_int_equal(posture_profile_credit(p, POSTURE_IMPL_PLANNED, POSTURE_TEST_PASSED), 0);
    assert_int_equal(posture_profile_rule_count(p), 2);
    assert_int_equal(posture_profile_rule(p, 1)->credit, 50);
    posture_profile_free(p);
}

static void first_matching_rule_wins(void **state)
{
    (void)state;
    posture_profile *p = check(HEAD "'credit': ["
                                    "  {'implementation': ['Implemented'], 'test': [' FAILED (low risk) '], 'credit': 0.25},"
                                    "  {'implementation': ['implemented', 'Partially implemented'],"
                                    "   'test': ['failed_low', 'passed'], 'credit': 0.75},"
                                    "  {'implementation': ['implemented'], 'test': ['passed'], 'credit': 1}"
                                    " ]}",
                               0, "");
    assert_string_equal(posture_profile_title(p), "p"); /* no title: the id */
    assert_int_equal(posture_profile_credit(p, POSTURE_IMPL_IMPLEMENTED, POSTURE_TEST_FAILED_LOW), 25);
    assert_int_equal(posture_profile_credit(p, POSTURE_IMPL_IMPLEMENTED, POSTURE_TEST_PASSED), 75);
    assert_int_equal(posture_profile_credit(p, POSTURE_IMPL_PARTIAL, POSTURE_TEST_FAILED_LOW), 75);
    assert_int_equal(posture_profile_credit(p, POSTURE_IMPL_PARTIAL, POSTURE_TEST_PASSED), 75);
    assert_int_equal(posture_profile_credit(p, POSTURE_IMPL_ALTERNATIVE, POSTURE_TEST_PASSED), 0);
    assert_int_equal(posture_profile_rule(p, 0)->implementation_mask, 1u << POSTURE_IMPL_IMPLEMENTED);
    assert_int_equal(posture_profile_rule(p, 0)->test_mask, 1u << POSTURE_TEST_FAILED_LOW);
    posture_profile_free(p);
}

static void credits_are_exact_hundredths(void **state)
{
    (void)state;
    /* 0.29 * 100 and 0.57 * 100 are not integers in binary floating point */
    posture_profile *p = check(HEAD "'credit': ["
                                    "  {'implementation': ['not_implemented'], 'test': ['passed'], 'credit': 0.29},"
                                    "  {'implementation': ['planned'], 'test': ['passed'], 'credit': 0.57},"
                                    "  {'implementation': ['partially_implemented'], 'test': ['passed'], 'credit': 0.07},"
                                    "  {'implementation': ['implemented'], 'test': ['passed'], 'credit': 0.01},"
                                    "  {'implementation': ['alternative'], 'test': ['passed'], 'credit': 0.99},"
                                    "  {'implementation': ['out_of_scope'], 'test': ['passed'], 'credit': 0},"
                                    "  {'implementation': ['implemented'], 'test': ['in_progress'], 'credit': 1.0},"
                                    "  {'implementation': ['implemented'], 'test': ['not_assessed'], 'credit': 5e-1}"
                                    " ]}",
                               0, "");
    assert_int_equal(posture_profile_credit(p, POSTURE_IMPL_NOT_IMPLEMENTED, POSTURE_TEST_PASSED), 29);
    assert_int_equal(posture_profile_credit(p, POSTURE_IMPL_PLANNED, POSTURE_TEST_PASSED), 57);
    assert_int_equal(posture_profile_credit(p, POSTURE_IMPL_PARTIAL, POSTURE_TEST_PASSED), 7);
    assert_int_equal(posture_profile_credit(p, POSTURE_IMPL_IMPLEMENTED, POSTURE_TEST_PASSED), 1);
    assert_int_equal(posture_profile_credit(p, POSTURE_IMPL_ALTERNATIVE, POSTURE_TEST_PASSED), 99);
    assert_int_equal(posture_profile_credit(p, POSTURE_IMPL_OUT_OF_SCOPE, POSTURE_TEST_PASSED), 0);
    assert_int_equal(posture_profile_credit(p, POSTURE_IMPL_IMPLEMENTED, POSTURE_TEST_IN_PROGRESS), 100);
    assert_int_equal(posture_profile_credit(p, POSTURE_IMPL_IMPLEMENTED, POSTURE_TEST_NOT_ASSESSED), 50);
    posture_profile_free(p);
}

static void empty_credit_list_gives_nothing(void **state)
{
    (void)state;
    posture_profile *p = check(HEAD "'credit': []}", 0, "");
    int sum = 0;
    for (int i = 0; i < POSTURE_IMPL__COUNT; i++)
        for (int t = 0; t < POSTURE_TEST__COUNT; t++)
            sum += posture_profile_credit(p, (posture_implementation)i, (posture_test)t);
    assert_int_equal(sum, 0);
    assert_int_equal(posture_profile_rule_count(p), 0);
    posture_profile_free(p);
}

static void root_must_be_an_object(void **state)
{
    (void)state;
    check("'posture-profile/1'", POSTURE_EINVALID, P "/: expected an object, got a string\n");
}

static void format_must_be_exact(void **state)
{
    (void)state;
    check("{'id': 'p'}", POSTURE_EINVALID, P "/: missing required field \"format\"\n");
    check("{'format': 'posture-answers/1', 'id': 'p'}", POSTURE_EINVALID,
          P "/format: expected \"posture-profile/1\", got \"posture-answers/1\"\n");
}

static void tables_are_required(void **state)
{
    (void)state;
    check("{'format': 'posture-profile/1'}", POSTURE_EINVALID,
          P "/: missing required field \"id\"\n"
          P "/: missing required field \"points\"\n"
          P "/: missing required field \"credit\"\n");
    check("{'format': 'posture-profile/1', 'id': 'p', 'points': {'preventive': {'mandatory': 27}},"
          " 'credit': []}",
          POSTURE_EINVALID,
          P "/points/preventive: missing required field \"discretionary\"\n"
          P "/points: missing required field \"detective\"\n"
          P "/points: missing required field \"corrective\"\n");
    check("{'format': 'posture-profile/1', 'id': 'p', 'points': [], 'credit': {}}", POSTURE_EINVALID,
          P "/points: expected an object, got an array\n"
          P "/credit: expected an array, got an object\n");
}

static void id_and_title(void **state)
{
    (void)state;
    check("{'format': 'posture-profile/1', 'id': '', 'title': 3, " POINTS ", 'credit': []}",
          POSTURE_EINVALID,
          P "/id: must not be empty\n"
          P "/title: expected a string, got a number\n");
}

static void points_are_integers_from_1_to_99(void **state)
{
    (void)state;
    check("{'format': 'posture-profile/1', 'id': 'p',"
          " 'points': {'preventive': {'mandatory': 27.5, 'discretionary': 0},"
          "            'detective': {'mandatory': 100, 'discretionary': -1},"
          "            'corrective': {'mandatory': '3', 'discretionary': 99}}, 'credit': []}",
          POSTURE_EINVALID,
          P "/points/preventive/mandatory: points must be an integer from 1 to 99, got 27.5\n"
          P "/points/preventive/discretionary: points must be an integer from 1 to 99, got 0\n"
          P "/points/detective/mandatory: points must be an integer from 1 to 99, got 100\n"
          P "/points/detective/discretionary: points must be an integer from 1 to 99, got -1\n"
          P "/points/corrective/mandatory: expected a number, got a string\n");
}

static void credit_is_a_multiple_of_a_hundredth_in_0_1(void **state)
{
    (void)state;
    check(HEAD "'credit': ["
               "  {'implementation': ['implemented'], 'test': ['passed'], 'credit': 1},"
               "  {'implementation': ['implemented'], 'test': ['passed'], 'credit': 0.333},"
               "  {'implementation': ['implemented'], 'test': ['passed'], 'credit': 1.01},"
               "  {'implementation': ['implemented'], 'test': ['passed'], 'credit': -0.5},"
               "  {'implementation': ['implemented'], 'test': ['passed'], 'credit': 0.005},"
               "  {'implementation': ['implemented'], 'test': ['passed'], 'credit': '1'},"
               "  {'implementation': ['implemented'], 'test': ['passed']}"
               " ]}",
          POSTURE_EINVALID,
          P "/credit/1/credit: credit must be a multiple of 0.01 between 0 and 1, got 0.333\n"
          P "/credit/2/credit: credit must be a multiple of 0.01 between 0 and 1, got 1.01\n"
          P "/credit/3/credit: credit must be a multiple of 0.01 between 0 and 1, got -0.5\n"
          P "/credit/4/credit: credit must be a multiple of 0.01 between 0 and 1, got 0.005\n"
          P "/credit/5/credit: expected a number, got a string\n"
          P "/credit/6: missing required field \"credit\"\n");
}

static void unknown_status_tokens(void **state)
{
    (void)state;
    check(HEAD "'credit': ["
               "  {'implementation': ['implemented', 'done'], 'test': ['passed', 'failed'], 'credit': 1},"
               "  {'implementation': [3], 'test': [null], 'credit': 1}"
               " ]}",
          POSTURE_EINVALID,
          P "/credit/0/implementation/1: unknown implementation status \"done\"; expected one of: "
            IMPL_EXPECTED "\n"
          P "/credit/0/test/1: unknown test status \"failed\"; expected one of: " TEST_EXPECTED "\n"
          P "/credit/1/implementation/0: expected a string, got a number\n"
          P "/credit/1/test/0: expected a string, got null\n");
}

static void rules_are_objects_with_lists(void **state)
{
    (void)state;
    check(HEAD "'credit': [1, {'implementation': 'implemented', 'credit': 1}]}", POSTURE_EINVALID,
          P "/credit/0: expected an object, got a number\n"
          P "/credit/1/implementation: expected an array, got a string\n"
          P "/credit/1: missing required field \"test\"\n");
}

#define UNKNOWN_DOC                                                                      \
    "{'format': 'posture-profile/1', 'id': 'p', 'notes': 'x',"                           \
    " 'points': {'preventive': {'mandatory': 27, 'discretionary': 9, 'optional': 1},"    \
    "   'detective': {'mandatory': 3, 'discretionary': 1},"                              \
    "   'corrective': {'mandatory': 3, 'discretionary': 1}, 'deterrent': {}},"           \
    " 'credit': [{'implementation': ['implemented'], 'test': ['passed'], 'credit': 1, 'why': ''}]}"

static void unknown_fields_are_warnings(void **state)
{
    (void)state;
    posture_profile *p = check(UNKNOWN_DOC, 0,
                               P "/notes: warning: unknown field \"notes\"\n"
                               P "/points/deterrent: warning: unknown field \"deterrent\"\n"
                               P "/points/preventive/optional: warning: unknown field \"optional\"\n"
                               P "/credit/0/why: warning: unknown field \"why\"\n");
    assert_int_equal(posture_profile_credit(p, POSTURE_IMPL_IMPLEMENTED, POSTURE_TEST_PASSED), 100);
    posture_profile_free(p);
    check_mode(UNKNOWN_DOC, 1, POSTURE_EINVALID,
               P "/notes: unknown field \"notes\"\n"
               P "/points/deterrent: unknown field \"deterrent\"\n"
               P "/points/preventive/optional: unknown field \"optional\"\n"
               P "/credit/0/why: unknown field \"why\"\n");
}

static void every_problem_is_reported(void **state)
{
    (void)state;
    check("{'format': 'posture-profile/1', 'id': 'p',"
          " 'points': {'preventive': {'mandatory': 27, 'discretionary': 9.5},"
          "   'detective': {'mandatory': 3}, 'corrective': {'mandatory': 3, 'discretionary': 1}},"
          " 'credit': [{'implementation': ['implemented'], 'test': ['passd'], 'credit': 0.333},"
          "   {'implementation': ['implemented'], 'test': ['passed'], 'credit': 2}]}",
          POSTURE_EINVALID,
          P "/points/preventive/discretionary: points must be an integer from 1 to 99, got 9.5\n"
          P "/points/detective: missing required field \"discretionary\"\n"
          P "/credit/0/test/0: unknown test status \"passd\"; expected one of: " TEST_EXPECTED "\n"
          P "/credit/0/credit: credit must be a multiple of 0.01 between 0 and 1, got 0.333\n"
          P "/credit/1/credit: credit must be a multiple of 0.01 between 0 and 1, got 2\n");
}

static void syntax_errors_and_duplicates(void **state)
{
    (void)state;
    check("{'format': 'posture-profile/1',\n  'id': 'p'\n  'points': {}}", POSTURE_ESYNTAX,
          P "3:3: syntax error: unexpected character '\"'\n");
    check(HEAD "'credit': [{'implementation': ['implemented'], 'test': ['passed'], 'credit': 1,"
               " 'credit': 0.5}, {'implementation': ['x'], 'test': ['passed'], 'credit': 1}]}",
          POSTURE_EINVALID,
          P "/credit/0/credit: duplicate key \"credit\"\n"
          P "/credit/1/implementation/0: unknown implementation status \"x\"; expected one of: "
            IMPL_EXPECTED "\n");
}

static void loads_and_opens_a_file(void **state)
{
    (void)state;
    char *text = q(HEAD "'credit': [{'implementation': ['implemented'], 'test': ['passed'], 'credit': 0.9}]}");
    const char *path = tu_write("mine.json", text);
    free(text);
    posture_diags *d = NULL;
    posture_profile *p = NULL;
    assert_int_equal(posture_diags_new(&d), 0);
    assert_int_equal(posture_profile_load(path, d, &p), 0);
    assert_int_equal(posture_profile_credit(p, POSTURE_IMPL_IMPLEMENTED, POSTURE_TEST_PASSED), 90);
    posture_profile_free(p);
    assert_int_equal(posture_profile_open(path, d, &p), 0);
    assert_string_equal(posture_profile_id(p), "p");
    assert_int_equal(posture_profile_credit(p, POSTURE_IMPL_IMPLEMENTED, POSTURE_TEST_PASSED), 90);
    posture_profile_free(p);
    assert_diags(d, "");

    text = q(HEAD "'credit': [{'implementation': ['implemented'], 'test': ['passed'], 'credit': 0.333}]}");
    path = tu_write("bad.json", text);
    free(text);
    assert_int_equal(posture_profile_open(path, d, &p), POSTURE_EINVALID);
    assert_null(p);
    char want[1024];
    snprintf(want, sizeof want,
             "posture: %s: /credit/0/credit: credit must be a multiple of 0.01 between 0 and 1, "
             "got 0.333\n",
             path);
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
        cmocka_unit_test(reads_the_spec_example),
        cmocka_unit_test(first_matching_rule_wins),
        cmocka_unit_test(credits_are_exact_hundredths),
        cmocka_unit_test(empty_credit_list_gives_nothing),
        cmocka_unit_test(root_must_be_an_object),
        cmocka_unit_test(format_must_be_exact),
        cmocka_unit_test(tables_are_required),
        cmocka_unit_test(id_and_title),
        cmocka_unit_test(points_are_integers_from_1_to_99),
        cmocka_unit_test(credit_is_a_multiple_of_a_hundredth_in_0_1),
        cmocka_unit_test(unknown_status_tokens),
        cmocka_unit_test(rules_are_objects_with_lists),
        cmocka_unit_test(unknown_fields_are_warnings),
        cmocka_unit_test(every_problem_is_reported),
        cmocka_unit_test(syntax_errors_and_duplicates),
        cmocka_unit_test(loads_and_opens_a_file),
    };
    return cmocka_run_group_tests(tests, NULL, cleanup);
}
