/*
 * fuzz_oscal.c - the OSCAL catalog import (posture template import).
 *
 * The input is an OSCAL catalog (JSON). Whatever the import accepts must
 * come out as a template that loads without error and with counts equal to
 * those the import reported; importing twice gives the same bytes.
 */
#include "fuzz.h"

static fuzz_file catalog, out;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_file_open(&catalog, "catalog.json");
    fuzz_file_open(&out, "template.json");
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_file_set(&catalog, data, size);
    posture_diags *d = NULL;
    FUZZ_CHECK(posture_diags_new(&d) == 0);
    char *text = NULL;
    posture_oscal_counts counts;
    int rc = posture_oscal_convert(catalog.path, NULL, d, &text, &counts);
    FUZZ_CHECK((rc == 0) == (text != NULL));
    FUZZ_CHECK(rc == 0 || posture_diags_errors(d) > 0 || rc == POSTURE_ENOMEM);
    if (text) {
        char *again = NULL;
        FUZZ_CHECK(posture_oscal_convert(catalog.path, NULL, NULL, &again, NULL) == 0);
        FUZZ_CHECK(strcmp(text, again) == 0);
        free(again);
        fuzz_file_set(&out, (const uint8_t *)text, strlen(text));
        posture_diags *td = NULL;
        FUZZ_CHECK(posture_diags_new(&td) == 0);
        posture_template *t = NULL;
        int trc = posture_template_load(NULL, out.path, 0, td, &t);
        if (trc != 0) {
            for (size_t i = 0; i < posture_diags_count(td); i++) {
                char *s = posture_diag_format(posture_diags_get(td, i));
                fprintf(stderr, "%s\n", s);
                free(s);
            }
            FUZZ_CHECK(!"the imported template does not load");
        }
        fuzz_check_template(t);
        FUZZ_CHECK(posture_template_family_count(t) == counts.families);
        FUZZ_CHECK(posture_template_control_count(t) == counts.controls);
        FUZZ_CHECK(posture_template_action_count(t) == counts.actions);
        posture_template_free(t);
        posture_diags_free(td);
        free(text);
    }
    posture_diags_free(d);
    return 0;
}
