/*
 * fuzz_template.c - the template loader and validator (posture-template/1).
 *
 * The input is a template file. It is loaded non-strict and strict (strict
 * may only fail more often), `extends` resolves against tests/fixtures, and
 * a template that loads is checked for consistent indices, checked for
 * conflicts against the worked example, scored with empty answers and
 * rendered as the JSON summary.
 */
#include "fuzz.h"

static posture_library *lib;
static posture_template *worked;
static posture_profile *profile;
static fuzz_file file;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    FUZZ_CHECK(posture_library_new(&lib) == 0);
    FUZZ_CHECK(posture_library_add_dir(lib, POSTURE_SOURCE_DIR "/tests/fixtures") == 0);
    worked = fuzz_load_template(lib, "tests/fixtures/worked.json");
    FUZZ_CHECK(posture_profile_open(POSTURE_PROFILE_DEFAULT, NULL, &profile) == 0);
    fuzz_file_open(&file, "template.json");
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_file_set(&file, data, size);
    posture_diags *d = NULL;
    FUZZ_CHECK(posture_diags_new(&d) == 0);
    posture_template *t = NULL;
    int rc = posture_template_load(lib, file.path, 0, d, &t);
    FUZZ_CHECK((rc == 0) == (t != NULL));
    FUZZ_CHECK(rc == 0 || posture_diags_errors(d) > 0 || rc == POSTURE_ENOMEM);
    FUZZ_CHECK(rc != 0 || posture_diags_errors(d) == 0);
    for (size_t i = 0; i < posture_diags_count(d); i++) {
        char *s = posture_diag_format(posture_diags_get(d, i));
        FUZZ_CHECK(s != NULL);
        free(s);
    }

    posture_diags *ds = NULL;
    FUZZ_CHECK(posture_diags_new(&ds) == 0);
    posture_template *ts = NULL;
    int rcs = posture_template_load(lib, file.path, POSTURE_TEMPLATE_STRICT, ds, &ts);
    FUZZ_CHECK(rcs != 0 || rc == 0);               /* strict never accepts more */
    FUZZ_CHECK(posture_diags_count(ds) == posture_diags_count(d)); /* same problems found */
    posture_template_free(ts);
    posture_diags_free(ds);

    if (t) {
        fuzz_check_template(t);
        const posture_template *both[2] = {t, worked};
        posture_diags_clear(d);
        int crc = posture_template_check_conflicts(both, 2, d);
        FUZZ_CHECK(crc == 0 || crc == POSTURE_ECONFLICT);
        FUZZ_CHECK((crc == 0) == (posture_diags_errors(d) == 0));
        posture_answers *a = NULL;
        FUZZ_CHECK(posture_answers_new(&a) == 0);
        FUZZ_CHECK(posture_answers_resolve(a, t, "answers.json", d) == 0);
        fuzz_score_and_report(t, a, profile);
        posture_answers_free(a);
    }
    posture_template_free(t);
    posture_diags_free(d);
    return 0;
}
