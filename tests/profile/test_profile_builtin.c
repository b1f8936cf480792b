/* test_profile_builtin.c - the built-in profiles: credit for every pair, points, opening by id. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

/* Rows: implementation (not_implemented, planned, partially_implemented, implemented,
 * alternative, out_of_scope); columns: test (not_assessed, in_progress, passed, failed_low,
 * failed_medium, failed_high, out_of_scope). Credits in hundredths. */
static const int cm_table[POSTURE_IMPL__COUNT][POSTURE_TEST__COUNT] = {
    {0, 0, 0, 0, 0, 0, 0},   /* not_implemented */
    {0, 0, 0, 0, 0, 0, 0},   /* planned */
    {0, 0, 0, 0, 0, 0, 0},   /* partially_implemented */
    {0, 0, 100, 0, 0, 0, 0}, /* implemented */
    {0, 0, 100, 0, 0, 0, 0}, /* alternative */
    {0, 0, 0, 0, 0, 0, 0},   /* out_of_scope */
};

static const int sa_table[POSTURE_IMPL__COUNT][POSTURE_TEST__COUNT] = {
    {0, 0, 0, 0, 0, 0, 0},         /* not_implemented */
    {0, 0, 0, 0, 0, 0, 0},         /* planned */
    {50, 50, 50, 0, 0, 0, 0},      /* partially_implemented */
    {100, 100, 100, 0, 0, 0, 0},   /* implemented */
    {100, 100, 100, 0, 0, 0, 0},   /* alternative */
    {0, 0, 0, 0, 0, 0, 0},         /* out_of_scope */
};

static posture_profile *open_ok(const char *ref)
{
    posture_diags *d = NULL;
    posture_profile *p = NULL;
    assert_int_equal(posture_diags_new(&d), 0);
    assert_int_equal(posture_profile_open(ref, d, &p), 0);
    assert_diags(d, "");
    posture_diags_free(d);
    return p;
}

static void check_table(const posture_profile *p, const int table[][POSTURE_TEST__COUNT])
{
    int pairs = 0;
    for (int i = 0; i < POSTURE_IMPL__COUNT; i++)
        for (int t = 0; t < POSTURE_TEST__COUNT; t++) {
            int got = posture_profile_credit(p, (posture_implementation)i, (posture_test)t);
            if (got != table[i][t])
                fail_msg("credit(%s, %s) = %d, expected %d",
                         posture_implementation_token((posture_implementation)i),
                         posture_test_token((posture_test)t), got, table[i][t]);
            pairs++;
        }
    assert_int_equal(pairs, 42);
}

static void check_default_points(const posture_profile *p)
{
    assert_int_equal(posture_profile_points(p, POSTURE_TYPE_PREVENTIVE, POSTURE_ENFORCEMENT_MANDATORY), 27);
    assert_int_equal(posture_profile_points(p, POSTURE_TYPE_PREVENTIVE, POSTURE_ENFORCEMENT_DISCRETIONARY), 9);
    assert_int_equal(posture_profile_points(p, POSTURE_TYPE_DETECTIVE, POSTURE_ENFORCEMENT_MANDATORY), 3);
    assert_int_equal(posture_profile_points(p, POSTURE_TYPE_DETECTIVE, POSTURE_ENFORCEMENT_DISCRETIONARY), 1);
    assert_int_equal(posture_profile_points(p, POSTURE_TYPE_CORRECTIVE, POSTURE_ENFORCEMENT_MANDATORY), 3);
    assert_int_equal(posture_profile_points(p, POSTURE_TYPE_CORRECTIVE, POSTURE_ENFORCEMENT_DISCRETIONARY), 1);
    assert_int_equal(posture_profile_points(p, POSTURE_TYPE__COUNT, POSTURE_ENFORCEMENT_MANDATORY), 0);
    assert_int_equal(posture_profile_points(p, POSTURE_TYPE_PREVENTIVE, POSTURE_ENFORCEMENT__COUNT), 0);
}

static void compliance_manager_credit(void **state)
{
    (void)state;
    posture_profile *p = open_ok(POSTURE_PROFILE_DEFAULT);
    assert_string_equal(posture_profile_id(p), "compliance-manager");
    assert_string_equal(posture_profile_title(p), "Compliance Manager (all or nothing)");
    check_table(p, cm_table);
    assert_int_equal(posture_profile_credit(p, POSTURE_IMPL__COUNT, POSTURE_TEST_PASSED), 0);
    assert_int_equal(posture_profile_credit(p, POSTURE_IMPL_IMPLEMENTED, POSTURE_TEST__COUNT), 0);
    check_default_points(p);
    assert_int_equal(posture_profile_rule_count(p), 1);
    const posture_credit_rule *r = posture_profile_rule(p, 0);
    assert_int_equal(r->implementation_mask,
                     (1u << POSTURE_IMPL_IMPLEMENTED) | (1u << POSTURE_IMPL_ALTERNATIVE));
    assert_int_equal(r->test_mask, 1u << POSTURE_TEST_PASSED);
    assert_int_equal(r->credit, 100);
    assert_null(posture_profile_rule(p, 1));
    posture_profile_free(p);
}

static void self_attested_credit(void **state)
{
    (void)state;
    posture_profile *p = open_ok("self-attested");
    assert_string_equal(posture_profile_id(p), "self-attested");
    assert_string_equal(posture_profile_title(p), "Self-attested (credit before testing)");
    check_table(p, sa_table);
    check_default_points(p);
    assert_int_equal(posture_profile_rule_count(p), 2);
    assert_int_equal(posture_profile_rule(p, 1)->implementation_mask, 1u << POSTURE_IMPL_PARTIAL);
    assert_int_equal(posture_profile_rule(p, 1)->credit, 50);
    posture_profile_free(p);
}

static void unknown_profile(void **state)
{
    (void)state;
    posture_diags *d = NULL;
    posture_profile *p = (posture_profile *)&d;
    assert_int_equal(posture_diags_new(&d), 0);
    assert_int_equal(posture_profile_open("Compliance-Manager", d, &p), POSTURE_ENOTFOUND);
    assert_null(p);
    assert_diags(d, "posture: unknown profile \"Compliance-Manager\"\n");
    assert_string_equal(posture_diags_get(d, 0)->hint,
                        "use compliance-manager, self-attested or a profile file");
    assert_string_equal(posture_error_last(), "unknown profile \"Compliance-Manager\"");
    /* no diagnostics list: still the message */
    assert_int_equal(posture_profile_open("strict", NULL, &p), POSTURE_ENOTFOUND);
    assert_string_equal(posture_error_last(), "unknown profile \"strict\"");
    posture_diags_free(d);
}

static void missing_profile_file(void **state)
{
    (void)state;
    posture_diags *d = NULL;
    posture_profile *p = NULL;
    assert_int_equal(posture_diags_new(&d), 0);
    /* a name that looks like a file is read as one, so the message says what is wrong */
    assert_int_equal(posture_profile_open("no-such-profile.json", d, &p), POSTURE_EIO);
    assert_null(p);
    assert_int_equal(posture_profile_open("profiles/mine", d, &p), POSTURE_EIO);
    assert_diags(d, "posture: no-such-profile.json: cannot open: No such file or directory\n"
                    "posture: profiles/mine: cannot open: No such file or directory\n");
    posture_diags_free(d);
    posture_profile_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(compliance_manager_credit),
        cmocka_unit_test(self_attested_credit),
        cmocka_unit_test(unknown_profile),
        cmocka_unit_test(missing_profile_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
