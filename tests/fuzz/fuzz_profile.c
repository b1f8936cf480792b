/*
 * fuzz_profile.c - the profile reader (posture-profile/1).
 *
 * The input is a profile file. A profile that reads must have points from
 * 1 to 99 and credits from 0 to 100, and must score the worked example
 * (every status pair answered) without error.
 */
#include "fuzz.h"

static posture_template *worked;
static posture_answers *answers;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    worked = fuzz_load_template(NULL, "tests/fixtures/worked.json");
    char path[4096];
    snprintf(path, sizeof path, "%s/tests/fixtures/worked-answers.json", POSTURE_SOURCE_DIR);
    FUZZ_CHECK(posture_answers_load_json(path, worked, NULL, &answers) == 0);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fuzz_text(data, size);
    posture_diags *d = NULL;
    FUZZ_CHECK(posture_diags_new(&d) == 0);
    posture_profile *p = NULL;
    int rc = posture_profile_parse(text, size, "profile.json", d, &p);
    FUZZ_CHECK((rc == 0) == (p != NULL));
    FUZZ_CHECK(rc == 0 || posture_diags_errors(d) > 0 || rc == POSTURE_ENOMEM);
    if (p) {
        FUZZ_CHECK(posture_diags_errors(d) == 0);
        FUZZ_CHECK(posture_profile_id(p) && posture_profile_title(p));
        for (int t = 0; t < POSTURE_TYPE__COUNT; t++)
            for (int e = 0; e < POSTURE_ENFORCEMENT__COUNT; e++) {
                int v = posture_profile_points(p, (posture_action_type)t, (posture_enforcement)e);
                FUZZ_CHECK(v >= 1 && v <= 99);
            }
        for (int i = 0; i < POSTURE_IMPL__COUNT; i++)
            for (int k = 0; k < POSTURE_TEST__COUNT; k++) {
                int c = posture_profile_credit(p, (posture_implementation)i, (posture_test)k);
                FUZZ_CHECK(c >= 0 && c <= 100);
            }
        fuzz_score_and_report(worked, answers, p);
        posture_profile_free(p);
    }
    posture_diags_free(d);
    free(text);
    return 0;
}
