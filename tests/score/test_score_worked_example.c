/* test_score_worked_example.c - the worked example of scoring.md, as a golden test. */
#include "scoretest.h"

static const char *answers =
    "{\"format\": \"posture-answers/1\", \"template\": \"worked-example\","
    " \"assessment\": {\"name\": \"Worked\"}, \"answers\": ["
    " {\"action\": \"act.a\", \"implementation\": \"implemented\", \"test\": \"passed\"},"
    " {\"action\": \"act.b\", \"implementation\": \"implemented\", \"test\": \"failed_low\"},"
    " {\"action\": \"act.c\", \"implementation\": \"alternative\", \"test\": \"passed\"},"
    " {\"action\": \"act.d\", \"implementation\": \"out_of_scope\"}]}";

static char *worked_template(void)
{
    char *text = NULL;
    size_t len = 0;
    assert_int_equal(posture_read_file(POSTURE_SOURCE_DIR "/tests/fixtures/worked.json", 0, &text, &len), 0);
    return text;
}

static void check(const char *profile)
{
    fixture fx;
    char *t = worked_template();
    fx_load(&fx, t, answers, profile);
    free(t);
    assert_points(&fx_control(&fx, "C1")->score, "27/30 90");
    assert_points(&fx_control(&fx, "C2")->score, "1/4 25");
    assert_points(&fx_control(&fx, "C3")->score, "0/0 null");
    assert_int_equal(fx_control(&fx, "C1")->status, POSTURE_CSTATUS_FAILED);
    assert_int_equal(fx_control(&fx, "C2")->status, POSTURE_CSTATUS_FAILED);
    assert_int_equal(fx_control(&fx, "C3")->status, POSTURE_CSTATUS_OUT_OF_SCOPE);
    assert_points(posture_result_total(fx.r), "28/31 90.32");
    assert_points(&posture_result_family(fx.r, 0)->score, "28/31 90.32");

    assert_int_equal(fx_action(&fx, "act.a")->status, POSTURE_ASTATUS_PASSED);
    assert_int_equal(fx_action(&fx, "act.b")->status, POSTURE_ASTATUS_FAILED);
    assert_int_equal(fx_action(&fx, "act.c")->status, POSTURE_ASTATUS_PASSED);
    assert_int_equal(fx_action(&fx, "act.d")->status, POSTURE_ASTATUS_OUT_OF_SCOPE);
    assert_int_equal(fx_action(&fx, "act.b")->points, 3);
    assert_int_equal(fx_action(&fx, "act.c")->points, 1);
    assert_int_equal(fx_action(&fx, "act.d")->points, 9);
    assert_int_equal(fx_action(&fx, "act.d")->achieved_x100, 0);

    size_t total;
    const size_t *cc = posture_result_control_counts(fx.r, &total);
    assert_int_equal(total, 3);
    assert_int_equal(cc[POSTURE_CSTATUS_FAILED], 2);
    assert_int_equal(cc[POSTURE_CSTATUS_OUT_OF_SCOPE], 1);
    const size_t *ac = posture_result_action_counts(fx.r, &total);
    assert_int_equal(total, 4);
    assert_int_equal(ac[POSTURE_ASTATUS_PASSED], 2);
    assert_int_equal(ac[POSTURE_ASTATUS_FAILED], 1);
    assert_int_equal(ac[POSTURE_ASTATUS_OUT_OF_SCOPE], 1);

    assert_int_equal(posture_result_improvement_count(fx.r), 1);
    const posture_improvement *im = posture_result_improvement(fx.r, 0);
    assert_string_equal(posture_template_action(fx.t, im->action)->id, "act.b");
    assert_int_equal(im->gain_x100, 300);
    assert_int_equal(im->gain_percent_x100, 968);
    assert_int_equal(im->risk, POSTURE_RISK_LOW);
    fx_free(&fx);
}

static void compliance_manager(void **state)
{
    (void)state;
    check("compliance-manager");
}

static void self_attested_gives_the_same(void **state)
{
    (void)state;
    check("self-attested");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(compliance_manager),
        cmocka_unit_test(self_attested_gives_the_same),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    tu_cleanup();
    return rc;
}
