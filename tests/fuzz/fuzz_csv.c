/*
 * fuzz_csv.c - the CSV answers reader (answers-format.md, CSV).
 *
 * The input is a CSV answers file. It is read without a template and
 * against the worked example. Answers that read must survive the CSV
 * writer: written and read back they give the same answers (unless the
 * writer warned that something cannot be carried, e.g. a line break in an
 * evidence item).
 */
#include "fuzz.h"

#include <sys/stat.h>

static posture_template *worked;
static posture_profile *profile;
static char out_path[256];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    worked = fuzz_load_template(NULL, "tests/fixtures/worked.json");
    FUZZ_CHECK(posture_profile_open(POSTURE_PROFILE_DEFAULT, NULL, &profile) == 0);
    char dir[] = "/tmp/posture-fuzz-csv.XXXXXX";
    FUZZ_CHECK(mkdtemp(dir) != NULL);
    snprintf(out_path, sizeof out_path, "%s/answers.csv", dir);
    return 0;
}

static void check_roundtrip(const posture_answers *a)
{
    posture_diags *w = NULL;
    FUZZ_CHECK(posture_diags_new(&w) == 0);
    FUZZ_CHECK(posture_answers_write_csv(a, w, out_path) == 0);
    if (posture_diags_count(w) == 0) {
        posture_answers *b = NULL;
        posture_diags *d = NULL;
        FUZZ_CHECK(posture_diags_new(&d) == 0);
        int rc = posture_answers_load_csv(out_path, NULL, d, &b);
        fuzz_check_read_back(a, rc, b, d, "CSV");
    }
    posture_diags_free(w);
    unlink(out_path);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fuzz_text(data, size);
    posture_diags *d = NULL;
    FUZZ_CHECK(posture_diags_new(&d) == 0);
    posture_answers *a = NULL;
    /* named like the written file, so the assessment name (the base name) is the same */
    int rc = posture_answers_parse_csv(text, size, "answers.csv", NULL, d, &a);
    FUZZ_CHECK((rc == 0) == (a != NULL));
    FUZZ_CHECK(rc == 0 || posture_diags_errors(d) > 0 || rc == POSTURE_ENOMEM);
    if (a) {
        FUZZ_CHECK(posture_diags_errors(d) == 0);
        check_roundtrip(a);
        posture_answers_free(a);
        a = NULL;
    }
    posture_diags_clear(d);
    rc = posture_answers_parse_csv(text, size, "answers.csv", worked, d, &a);
    FUZZ_CHECK((rc == 0) == (a != NULL));
    if (a) {
        FUZZ_CHECK(posture_answers_resolved_template(a) == worked);
        fuzz_score_and_report(worked, a, profile);
        posture_answers_free(a);
    }
    posture_diags_free(d);
    free(text);
    return 0;
}
