/* test_score_rules.c - one test per rule of scoring.md. */
#include "scoretest.h"

#define TPL(families, actions)                                                              \
    "{\"format\": \"posture-template/1\", \"id\": \"rules\", \"version\": \"1.0.0\", \"title\": " \
    "\"Rules\", \"families\": [" families "], \"actions\": [" actions "]}"
#define FAM(id, controls) "{\"id\": \"" id "\", \"title\": \"F\", \"controls\": [" controls "]}"
#define CTL(id, acts) "{\"id\": \"" id "\", \"title\": \"C\", \"actions\": [" acts "]}"
#define ANS(controls, answers)                                                             \
    "{\"format\": \"posture-answers/1\", \"template\": \"rules\", \"assessment\": {\"name\": " \
    "\"R\"}, \"controls\": [" controls "], \"answers\": [" answers "]}"
#define A(id, impl, test) \
    "{\"action\": \"" id "\", \"implementation\": \"" impl "\", \"test\": \"" test "\"}"

/* one control, one preventive mandatory action act.x, answered (impl, test) */
static posture_action_status one_status(const char *impl, const char *test, const char *profile)
{
    char ans[512];
    snprintf(ans, sizeof ans, ANS("", A("act.x", "%s", "%s")), impl, test);
    fixture fx;
    fx_load(&fx, TPL(FAM("F", CTL("C", "\"act.x\"")), ACT("act.x", "preventive", "mandatory", "")),
            ans, profile);
    posture_action_status s = fx_action(&fx, "act.x")->status;
    fx_free(&fx);
    return s;
}

static void action_status_rules(void **state)
{
    (void)state;
    /* 1 out of scope, by implementation or by test */
    assert_int_equal(one_status("out_of_scope", "passed", NULL), POSTURE_ASTATUS_OUT_OF_SCOPE);
    assert_int_equal(one_status("implemented", "out_of_scope", NULL), POSTURE_ASTATUS_OUT_OF_SCOPE);
    /* 2 passed: credit 1 and test passed */
    assert_int_equal(one_status("implemented", "passed", NULL), POSTURE_ASTATUS_PASSED);
    assert_int_equal(one_status("alternative", "passed", NULL), POSTURE_ASTATUS_PASSED);
    /* a self-attested, untested action has credit 1 but is in progress */
    assert_int_equal(one_status("implemented", "not_assessed", "self-attested"),
                     POSTURE_ASTATUS_IN_PROGRESS);
    /* 3 failed, whatever the implementation */
    assert_int_equal(one_status("implemented", "failed_high", NULL), POSTURE_ASTATUS_FAILED);
    assert_int_equal(one_status("planned", "failed_medium", NULL), POSTURE_ASTATUS_FAILED);
    assert_int_equal(one_status("not_implemented", "failed_low", NULL), POSTURE_ASTATUS_FAILED);
    /* 4 partial: 0 < credit < 1 */
    assert_int_equal(one_status("partially_implemented", "passed", "self-attested"),
                     POSTURE_ASTATUS_PARTIAL);
    assert_int_equal(one_status("partially_implemented", "passed", NULL), POSTURE_ASTATUS_IN_PROGRESS);
    /* 5 not assessed only for not_implemented + not_assessed */
    assert_int_equal(one_status("not_implemented", "not_assessed", NULL), POSTURE_ASTATUS_NOT_ASSESSED);
    /* 6 anything else */
    assert_int_equal(one_status("planned", "not_assessed", NULL), POSTURE_ASTATUS_IN_PROGRESS);
    assert_int_equal(one_status("not_implemented", "in_progress", NULL), POSTURE_ASTATUS_IN_PROGRESS);
    assert_int_equal(one_status("implemented", "in_progress", NULL), POSTURE_ASTATUS_IN_PROGRESS);
}

static const char *three_actions =
    ACT("act.p", "detective", "mandatory", "") "," ACT("act.q", "detective", "mandatory", "") ","
    ACT("act.r", "detective", "mandatory", "");

static posture_control_status control_status(const char *answers)
{
    fixture fx;
    fx_load(&fx, TPL(FAM("F", CTL("C", "\"act.p\", \"act.q\", \"act.r\"")), ACT("act.p", "detective", "mandatory", "") "," ACT("act.q", "detective", "mandatory", "") "," ACT("act.r", "detective", "mandatory", "")),
            answers, NULL);
    posture_control_status s = fx_control(&fx, "C")->status;
    fx_free(&fx);
    return s;
}

static void control_status_rules(void **state)
{
    (void)state;
    (void)three_actions;
    /* passed: every in-scope action passed (an out-of-scope one is ignored) */
    assert_int_equal(control_status(ANS("", A("act.p", "implemented", "passed") ","
                                            A("act.q", "implemented", "passed") ","
                                            A("act.r", "out_of_scope", "not_assessed"))),
                     POSTURE_CSTATUS_PASSED);
    /* failed beats in progress and not assessed */
    assert_int_equal(control_status(ANS("", A("act.p", "implemented", "passed") ","
                                            A("act.q", "planned", "failed_low"))),
                     POSTURE_CSTATUS_FAILED);
    /* not assessed: every action not assessed (unanswered ones default to it) */
    assert_int_equal(control_status(ANS("", "")), POSTURE_CSTATUS_NOT_ASSESSED);
    /* in progress: anything else */
    assert_int_equal(control_status(ANS("", A("act.p", "implemented", "passed"))),
                     POSTURE_CSTATUS_IN_PROGRESS);
    /* out of scope: every action out of scope */
    assert_int_equal(control_status(ANS("", A("act.p", "out_of_scope", "not_assessed") ","
                                            A("act.q", "not_implemented", "out_of_scope") ","
                                            A("act.r", "out_of_scope", "out_of_scope"))),
                     POSTURE_CSTATUS_OUT_OF_SCOPE);
    /* out of scope: declared not applicable, whatever its answers */
    assert_int_equal(
        control_status(ANS("{\"control\": \"C\", \"applicable\": false, \"justification\": \"No\"}",
                           A("act.p", "implemented", "passed"))),
        POSTURE_CSTATUS_OUT_OF_SCOPE);
}

static void not_applicable_control_drops_its_only_actions(void **state)
{
    (void)state;
    fixture fx;
    fx_load(&fx,
            TPL(FAM("F", CTL("C1", "\"act.a\", \"act.b\"") "," CTL("C2", "\"act.b\"")),
                ACT("act.a", "preventive", "mandatory", "") "," ACT("act.b", "preventive", "discretionary", "")),
            ANS("{\"control\": \"C1\", \"applicable\": false, \"justification\": \"Not used\"}",
                A("act.a", "implemented", "passed") "," A("act.b", "implemented", "passed")),
            NULL);
    /* act.a is only in the not-applicable C1: out of scope everywhere, achieved 0 */
    assert_int_equal(fx_action(&fx, "act.a")->status, POSTURE_ASTATUS_OUT_OF_SCOPE);
    assert_int_equal(fx_action(&fx, "act.a")->counted, 0);
    assert_int_equal(fx_action(&fx, "act.a")->achieved_x100, 0);
    assert_int_equal(fx_action(&fx, "act.a")->credit, 100);
    /* act.b is also in C2: it counts */
    assert_int_equal(fx_action(&fx, "act.b")->status, POSTURE_ASTATUS_PASSED);
    assert_points(posture_result_total(fx.r), "9/9 100");
    assert_points(&fx_control(&fx, "C1")->score, "0/0 null");
    assert_int_equal(fx_control(&fx, "C1")->applicable, 0);
    assert_string_equal(fx_control(&fx, "C1")->justification, "Not used");
    size_t total;
    const size_t *ac = posture_result_action_counts(fx.r, &total);
    assert_int_equal(ac[POSTURE_ASTATUS_OUT_OF_SCOPE], 1);
    assert_int_equal(total, 2);
    fx_free(&fx);
}

static void each_action_counts_once_per_set(void **state)
{
    (void)state;
    fixture fx;
    /* act.s is referenced by two controls in F1 and one in F2 */
    fx_load(&fx,
            TPL(FAM("F1", CTL("C1", "\"act.s\", \"act.a\"") "," CTL("C2", "\"act.s\""))
                "," FAM("F2", CTL("C3", "\"act.s\", \"act.b\"")),
                ACT("act.s", "preventive", "mandatory", "") "," ACT("act.a", "detective", "mandatory", "")
                "," ACT("act.b", "corrective", "discretionary", "")),
            ANS("", A("act.s", "implemented", "passed")), NULL);
    assert_points(&posture_result_family(fx.r, 0)->score, "27/30 90");
    assert_points(&posture_result_family(fx.r, 1)->score, "27/28 96.43");
    assert_points(posture_result_total(fx.r), "27/31 87.1");
    /* the assessment is not the average of its families */
    assert_points(&fx_control(&fx, "C2")->score, "27/27 100");
    assert_int_equal(fx_control(&fx, "C2")->status, POSTURE_CSTATUS_PASSED);
    fx_free(&fx);
}

static void points_field_overrides_the_table(void **state)
{
    (void)state;
    fixture fx;
    fx_load(&fx,
            TPL(FAM("F", CTL("C", "\"act.a\", \"act.b\"")),
                ACT("act.a", "detective", "discretionary", ", \"points\": 50") ","
                ACT("act.b", "preventive", "mandatory", "")),
            ANS("", A("act.a", "implemented", "passed")), NULL);
    assert_int_equal(fx_action(&fx, "act.a")->points, 50);
    assert_int_equal(fx_action(&fx, "act.b")->points, 27);
    assert_points(posture_result_total(fx.r), "50/77 64.94");
    fx_free(&fx);
}

static const char *partial_profile =
    "{\"format\": \"posture-profile/1\", \"id\": \"partial\", \"title\": \"Partial\","
    " \"points\": {\"preventive\": {\"mandatory\": 27, \"discretionary\": 9},"
    " \"detective\": {\"mandatory\": 3, \"discretionary\": 1},"
    " \"corrective\": {\"mandatory\": 3, \"discretionary\": 1}},"
    " \"credit\": [{\"implementation\": [\"implemented\", \"alternative\"], \"test\": [\"passed\"], \"credit\": 1},"
    " {\"implementation\": [\"partially_implemented\"], \"test\": [\"passed\"], \"credit\": 0.5}]}";

static void profile_file_gives_partial_credit(void **state)
{
    (void)state;
    fixture fx;
    fx_load(&fx,
            TPL(FAM("F", CTL("C", "\"act.a\", \"act.b\"")),
                ACT("act.a", "preventive", "mandatory", "") "," ACT("act.b", "preventive", "discretionary", "")),
            ANS("", A("act.a", "partially_implemented", "passed") "," A("act.b", "implemented", "passed")),
            partial_profile);
    assert_string_equal(posture_profile_id(fx.p), "partial");
    assert_int_equal(fx_action(&fx, "act.a")->credit, 50);
    assert_int_equal(fx_action(&fx, "act.a")->status, POSTURE_ASTATUS_PARTIAL);
    assert_int_equal(fx_action(&fx, "act.a")->achieved_x100, 1350);
    assert_points(posture_result_total(fx.r), "22.5/36 62.5");
    assert_int_equal(fx_control(&fx, "C")->status, POSTURE_CSTATUS_IN_PROGRESS);
    assert_int_equal(posture_result_improvement_count(fx.r), 1);
    assert_int_equal(posture_result_improvement(fx.r, 0)->gain_x100, 1350);
    assert_int_equal(posture_result_improvement(fx.r, 0)->gain_percent_x100, 3750);
    fx_free(&fx);
}

static void percent_is_null_when_nothing_is_possible(void **state)
{
    (void)state;
    fixture fx;
    fx_load(&fx, TPL(FAM("F", CTL("C", "\"act.a\"")), ACT("act.a", "preventive", "mandatory", "")),
            ANS("", A("act.a", "out_of_scope", "not_assessed")), NULL);
    assert_points(posture_result_total(fx.r), "0/0 null");
    assert_points(&posture_result_family(fx.r, 0)->score, "0/0 null");
    assert_int_equal(posture_result_improvement_count(fx.r), 0);
    fx_free(&fx);
}

static const char *hundredth_profile =
    "{\"format\": \"posture-profile/1\", \"id\": \"hundredth\", \"title\": \"H\","
    " \"points\": {\"preventive\": {\"mandatory\": 27, \"discretionary\": 9},"
    " \"detective\": {\"mandatory\": 3, \"discretionary\": 1},"
    " \"corrective\": {\"mandatory\": 3, \"discretionary\": 1}},"
    " \"credit\": [{\"implementation\": [\"implemented\"], \"test\": [\"passed\"], \"credit\": 0.03}]}";

static void rounding_is_exact_half_away_from_zero(void **state)
{
    (void)state;
    /* 67 points x 0.03 = 2.01 of 200: 1.005 % must round to 1.01 (a float gives 1.00) */
    fixture fx;
    fx_load(&fx,
            TPL(FAM("F", CTL("C", "\"act.a\", \"act.b\", \"act.c\"")),
                ACT("act.a", "preventive", "mandatory", ", \"points\": 67") ","
                ACT("act.b", "preventive", "mandatory", ", \"points\": 99") ","
                ACT("act.c", "preventive", "mandatory", ", \"points\": 34")),
            ANS("", A("act.a", "implemented", "passed")), hundredth_profile);
    assert_points(posture_result_total(fx.r), "2.01/200 1.01");
    assert_int_equal(posture_percent_x100(201, 20000), 101);
    assert_int_equal(posture_percent_x100(1, 3), 3333);
    assert_int_equal(posture_percent_x100(2, 3), 6667);
    assert_int_equal(posture_percent_x100(1, 8), 1250);
    assert_int_equal(posture_percent_x100(1, 16), 625);   /* 6.25 exactly */
    assert_int_equal(posture_percent_x100(1, 20000), 1);  /* 0.005 % -> 0.01 (half up) */
    assert_int_equal(posture_percent_x100(1, 20001), 0);  /* just under half */
    fx_free(&fx);
}

static void improvement_order_gain_then_risk_then_id(void **state)
{
    (void)state;
    fixture fx;
    /* six detective mandatory actions (3 points each) and one preventive (27) */
    fx_load(&fx,
            TPL(FAM("F", CTL("C", "\"act.n\", \"act.m\", \"act.l\", \"act.h\", \"act.k\", \"act.j\", \"act.big\"")),
                ACT("act.n", "detective", "mandatory", "") "," ACT("act.m", "detective", "mandatory", "") ","
                ACT("act.l", "detective", "mandatory", "") "," ACT("act.h", "detective", "mandatory", "") ","
                ACT("act.k", "detective", "mandatory", "") "," ACT("act.j", "detective", "mandatory", "") ","
                ACT("act.big", "preventive", "mandatory", "")),
            ANS("", A("act.m", "implemented", "failed_medium") "," A("act.l", "implemented", "failed_low") ","
                    A("act.h", "implemented", "failed_high") "," A("act.j", "planned", "in_progress")),
            NULL);
    const char *expected[] = {"act.big", "act.h", "act.m", "act.l", "act.j", "act.k", "act.n"};
    const posture_risk risks[] = {POSTURE_RISK_NONE, POSTURE_RISK_HIGH, POSTURE_RISK_MEDIUM,
                                  POSTURE_RISK_LOW, POSTURE_RISK_NONE, POSTURE_RISK_NONE,
                                  POSTURE_RISK_NONE};
    assert_int_equal(posture_result_improvement_count(fx.r), 7);
    for (size_t i = 0; i < 7; i++) {
        const posture_improvement *im = posture_result_improvement(fx.r, i);
        assert_string_equal(posture_template_action(fx.t, im->action)->id, expected[i]);
        assert_int_equal(im->risk, risks[i]);
    }
    /* 27 of 45 points: 60 %; 3 of 45: 6.67 % */
    assert_int_equal(posture_result_improvement(fx.r, 0)->gain_percent_x100, 6000);
    assert_int_equal(posture_result_improvement(fx.r, 1)->gain_percent_x100, 667);
    fx_free(&fx);
}

static void provider_attestation_applies_unless_answered(void **state)
{
    (void)state;
    const char *tpl = TPL(
        FAM("F", CTL("C", "\"act.p\", \"act.q\"")),
        "{\"id\": \"act.p\", \"title\": \"P\", \"type\": \"preventive\", \"enforcement\": \"mandatory\","
        " \"implementation_type\": \"operational\", \"owner\": \"provider\", \"provider_status\":"
        " {\"implementation\": \"implemented\", \"test\": \"passed\", \"tested_at\": \"2026-06-30\"}},"
        "{\"id\": \"act.q\", \"title\": \"Q\", \"type\": \"preventive\", \"enforcement\": \"mandatory\","
        " \"implementation_type\": \"operational\", \"owner\": \"provider\", \"provider_status\":"
        " {\"implementation\": \"implemented\", \"test\": \"passed\"}}");
    fixture fx;
    fx_load(&fx, tpl, ANS("", A("act.q", "implemented", "failed_high")), NULL);
    assert_int_equal(fx_action(&fx, "act.p")->answered_by_provider, 1);
    assert_int_equal(fx_action(&fx, "act.p")->status, POSTURE_ASTATUS_PASSED);
    assert_int_equal(fx_action(&fx, "act.q")->answered_by_provider, 0);
    assert_int_equal(fx_action(&fx, "act.q")->status, POSTURE_ASTATUS_FAILED);
    assert_points(posture_result_total(fx.r), "27/54 50");
    fx_free(&fx);
}

static void unanswered_actions_count_with_defaults(void **state)
{
    (void)state;
    fixture fx;
    fx_load(&fx, TPL(FAM("F", CTL("C", "\"act.a\"")), ACT("act.a", "preventive", "mandatory", "")),
            ANS("", ""), NULL);
    const posture_action_result *ar = fx_action(&fx, "act.a");
    assert_null(ar->answer);
    assert_int_equal(ar->implementation, POSTURE_IMPL_NOT_IMPLEMENTED);
    assert_int_equal(ar->test, POSTURE_TEST_NOT_ASSESSED);
    assert_int_equal(ar->status, POSTURE_ASTATUS_NOT_ASSESSED);
    assert_points(posture_result_total(fx.r), "0/27 0");
    fx_free(&fx);
}

static void answers_of_another_template_are_refused(void **state)
{
    (void)state;
    fixture fx;
    fx_load(&fx, TPL(FAM("F", CTL("C", "\"act.a\"")), ACT("act.a", "preventive", "mandatory", "")),
            ANS("", ""), NULL);
    posture_template *other = NULL;
    const char *tp = tu_write("t2.json", TPL(FAM("F", CTL("C", "\"act.a\"")),
                                             ACT("act.a", "preventive", "mandatory", "")));
    assert_int_equal(posture_template_load(NULL, tp, 0, NULL, &other), 0);
    posture_result *r = NULL;
    assert_int_equal(posture_score(other, fx.a, fx.p, &r), POSTURE_EUSAGE);
    assert_null(r);
    posture_template_free(other);
    fx_free(&fx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(action_status_rules),
        cmocka_unit_test(control_status_rules),
        cmocka_unit_test(not_applicable_control_drops_its_only_actions),
        cmocka_unit_test(each_action_counts_once_per_set),
        cmocka_unit_test(points_field_overrides_the_table),
        cmocka_unit_test(profile_file_gives_partial_credit),
        cmocka_unit_test(percent_is_null_when_nothing_is_possible),
        cmocka_unit_test(rounding_is_exact_half_away_from_zero),
        cmocka_unit_test(improvement_order_gain_then_risk_then_id),
        cmocka_unit_test(provider_attestation_applies_unless_answered),
        cmocka_unit_test(unanswered_actions_count_with_defaults),
        cmocka_unit_test(answers_of_another_template_are_refused),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    tu_cleanup();
    return rc;
}
