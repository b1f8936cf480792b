/*
 * fuzz_answers.c - the answers JSON reader (posture-answers/1).
 *
 * The input is an answers file. It is read without a template; when that
 * succeeds and it names one of the templates loaded at start (the worked
 * example and the example assessments), it is read again against that
 * template, scored and rendered. Answers that read back must survive the
 * JSON writer: writing, reading and writing again gives the same text.
 */
#include "fuzz.h"

static posture_template *templates[4];
static size_t ntemplates;
static posture_profile *profile;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    templates[ntemplates++] = fuzz_load_template(NULL, "tests/fixtures/worked.json");
    templates[ntemplates++] = fuzz_load_template(NULL, "assessments/saas-baseline.template.json");
    FUZZ_CHECK(posture_profile_open("self-attested", NULL, &profile) == 0);
    return 0;
}

static const posture_template *named(const posture_answers *a)
{
    const char *ref = posture_answers_template_ref(a);
    if (!ref)
        return NULL;
    size_t n = strcspn(ref, "@");
    for (size_t i = 0; i < ntemplates; i++) {
        const char *id = posture_template_info_get(templates[i])->id;
        if (strlen(id) == n && strncmp(id, ref, n) == 0)
            return templates[i];
    }
    return NULL;
}

/* to_json -> parse -> to_json is a fixed point. */
static void check_roundtrip(const posture_answers *a)
{
    char *one = posture_answers_to_json(a);
    FUZZ_CHECK(one != NULL);
    posture_answers *b = NULL;
    int rc = posture_answers_parse_json(one, strlen(one), "written.json", NULL, NULL, &b);
    if (rc != 0 || !posture_answers_template_ref(a) || !posture_answers_info(a)->name) {
        /* only complete answers (a template and a name) must read back */
        FUZZ_CHECK(!posture_answers_template_ref(a) || !posture_answers_info(a)->name ||
                   rc == 0);
        posture_answers_free(b);
        free(one);
        return;
    }
    char *two = posture_answers_to_json(b);
    FUZZ_CHECK(two != NULL);
    if (strcmp(one, two) != 0) {
        fprintf(stderr, "first:\n%s\nsecond:\n%s\n", one, two);
        FUZZ_CHECK(!"answers JSON round trip");
    }
    free(two);
    posture_answers_free(b);
    free(one);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fuzz_text(data, size);
    posture_diags *d = NULL;
    FUZZ_CHECK(posture_diags_new(&d) == 0);
    posture_answers *a = NULL;
    int rc = posture_answers_parse_json(text, size, "answers.json", NULL, d, &a);
    FUZZ_CHECK((rc == 0) == (a != NULL));
    FUZZ_CHECK(rc == 0 || posture_diags_errors(d) > 0 || rc == POSTURE_ENOMEM);
    if (a) {
        FUZZ_CHECK(posture_diags_errors(d) == 0);
        check_roundtrip(a);
        const posture_template *t = named(a);
        posture_answers_free(a);
        a = NULL;
        if (t) {
            posture_diags_clear(d);
            rc = posture_answers_parse_json(text, size, "answers.json", t, d, &a);
            FUZZ_CHECK((rc == 0) == (a != NULL));
            FUZZ_CHECK(rc == 0 || posture_diags_errors(d) > 0);
            if (a) {
                FUZZ_CHECK(posture_answers_resolved_template(a) == t);
                for (size_t i = 0; i < posture_answers_count(a); i++) {
                    const posture_answer *an = posture_answers_get(a, i);
                    FUZZ_CHECK(an->action_index >= 0 &&
                               posture_answers_for_action(a, (size_t)an->action_index) == an);
                }
                fuzz_score_and_report(t, a, profile);
                posture_answers_free(a);
            }
        }
    }
    posture_diags_free(d);
    free(text);
    return 0;
}
