/*
 * fuzz_mapping.c - OSCAL mapping collections, and what is built from them: the coverage
 * projection and template linking.
 *
 * The input is a mapping collection (JSON). What the reader accepts must hold together (every
 * map has sources and targets and a known relationship, every set names id@version); projecting
 * the coverage fixtures (tests/coverage/fixtures: cov-a scored, onto cov-t) through it must
 * succeed with a projected score no larger than possible and render as JSON; linking cov-t to
 * cov-a's actions through it either fails with an error or gives a template that loads.
 */
#include "fuzz.h"

static fuzz_file coll, linked;
static posture_template *a, *t;
static posture_answers *ans;
static posture_profile *prof;
static posture_result *src;
static char *t_text;
static size_t t_len;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_file_open(&coll, "mapping.json");
    fuzz_file_open(&linked, "linked.json");
    a = fuzz_load_template(NULL, "tests/coverage/fixtures/a.json");
    t = fuzz_load_template(NULL, "tests/coverage/fixtures/t.json");
    FUZZ_CHECK(posture_answers_load_json(POSTURE_SOURCE_DIR "/tests/coverage/fixtures/a-answers.json",
                                         a, NULL, &ans) == 0);
    FUZZ_CHECK(posture_profile_open("compliance-manager", NULL, &prof) == 0);
    FUZZ_CHECK(posture_score(a, ans, prof, &src) == 0);
    FUZZ_CHECK(posture_read_file(POSTURE_SOURCE_DIR "/tests/coverage/fixtures/t.json", 0, &t_text,
                                 &t_len) == 0);
    return 0;
}

static void check_collection(const posture_mapping_collection *c)
{
    const posture_mapping_info *in = posture_mapping_info_get(c);
    FUZZ_CHECK(in->uuid && in->title && in->method && in->status && in->description);
    for (size_t i = 0; i < posture_mapping_set_count(c); i++) {
        const posture_mapping_set *s = posture_mapping_set_get(c, i);
        FUZZ_CHECK(s->source && s->target && s->source_id && s->target_version && s->place);
        FUZZ_CHECK(strchr(s->source, '@') && strchr(s->target, '@'));
        FUZZ_CHECK(s->nmaps > 0);
        for (size_t k = 0; k < s->nmaps; k++) {
            const posture_map *m = &s->maps[k];
            FUZZ_CHECK(m->nsources > 0 && m->ntargets > 0 && m->place);
            FUZZ_CHECK((unsigned)m->relation < POSTURE_REL__COUNT);
            FUZZ_CHECK(posture_relation_inverse(posture_relation_inverse(m->relation)) ==
                       m->relation);
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_file_set(&coll, data, size);
    posture_diags *d = NULL;
    FUZZ_CHECK(posture_diags_new(&d) == 0);
    posture_mapping_collection *c = NULL;
    int rc = posture_mapping_load(coll.path, d, &c);
    FUZZ_CHECK((rc == 0) == (c != NULL));
    FUZZ_CHECK(rc == 0 || posture_diags_errors(d) > 0 || rc == POSTURE_ENOMEM ||
               rc == POSTURE_ELIMIT);
    if (c) {
        check_collection(c);
        const posture_mapping_collection *v[] = {c};
        posture_coverage *cov = NULL;
        posture_diags_clear(d);
        FUZZ_CHECK(posture_coverage_project(src, t, v, 1, d, &cov) == 0);
        FUZZ_CHECK(posture_diags_errors(d) == 0);
        const posture_points *tot = posture_result_total(posture_coverage_result(cov));
        FUZZ_CHECK(tot->achieved_x100 <= tot->possible_x100);
        posture_coverage_counts n = posture_coverage_counts_get(cov);
        FUZZ_CHECK(n.mapped + n.neither <= posture_template_control_count(t) + n.sharing);
        for (size_t i = 0; i < posture_coverage_control_count(cov); i++) {
            const posture_coverage_control *cc = posture_coverage_control_get(cov, i);
            FUZZ_CHECK(cc->nshared + cc->nown == posture_template_control(t, i)->nactions);
            for (size_t k = 0; k < cc->nlinks; k++)
                FUZZ_CHECK(cc->links[k].implies <= cc->implies);
        }
        char *doc = NULL;
        posture_json_options jo = {1, 0};
        FUZZ_CHECK(posture_report_coverage_json(cov, &jo, &doc) == 0);
        free(doc);
        posture_coverage_free(cov);

        /* link cov-t to cov-a's actions */
        char *out = NULL;
        posture_link_counts lc;
        posture_diags_clear(d);
        int lrc = posture_template_link(t_text, t_len, "t.json", c, a, d, &out, &lc);
        FUZZ_CHECK((lrc == 0) == (out != NULL));
        FUZZ_CHECK(lrc == 0 || posture_diags_errors(d) > 0 || lrc == POSTURE_ENOMEM);
        if (out) {
            fuzz_file_set(&linked, (const uint8_t *)out, strlen(out));
            posture_template *lt = NULL;
            FUZZ_CHECK(posture_template_load(NULL, linked.path, 0, NULL, &lt) == 0);
            FUZZ_CHECK(posture_template_control_count(lt) == posture_template_control_count(t));
            FUZZ_CHECK(posture_template_action_count(lt) == posture_template_action_count(t) +
                                                               lc.actions);
            posture_template_free(lt);
            free(out);
        }
        posture_mapping_free(c);
    }
    posture_diags_free(d);
    return 0;
}
