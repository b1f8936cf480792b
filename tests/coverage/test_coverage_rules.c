/* test_coverage_rules.c - posture coverage: what each relationship implies, shared actions,
 * precedence, sets of several controls, reversed sets, versions, and the projected score
 * (tests/coverage/fixtures: our own small templates, docs/mappings.md for the rules). */
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

#define FX POSTURE_SOURCE_DIR "/tests/coverage/fixtures/"

typedef struct cov_fx {
    posture_template *a, *t;
    posture_answers *ans;
    posture_profile *p;
    posture_result *src;
    posture_mapping_collection *coll;
    posture_coverage *cov;
    posture_diags *d;
} cov_fx;

static void load(cov_fx *f, const char *profile)
{
    memset(f, 0, sizeof *f);
    assert_int_equal(posture_diags_new(&f->d), 0);
    assert_int_equal(posture_template_load(NULL, FX "a.json", POSTURE_TEMPLATE_STRICT, f->d, &f->a), 0);
    assert_int_equal(posture_template_load(NULL, FX "t.json", POSTURE_TEMPLATE_STRICT, f->d, &f->t), 0);
    assert_int_equal(posture_answers_load_json(FX "a-answers.json", f->a, f->d, &f->ans), 0);
    assert_int_equal(posture_profile_open(profile, f->d, &f->p), 0);
    assert_int_equal(posture_score(f->a, f->ans, f->p, &f->src), 0);
    assert_int_equal(posture_mapping_load(FX "mappings/a-to-t.json", f->d, &f->coll), 0);
    assert_int_equal(posture_diags_count(f->d), 0);
    const posture_mapping_collection *v[] = {f->coll};
    assert_int_equal(posture_coverage_project(f->src, f->t, v, 1, f->d, &f->cov), 0);
}

static void release(cov_fx *f)
{
    posture_coverage_free(f->cov);
    posture_mapping_free(f->coll);
    posture_result_free(f->src);
    posture_profile_free(f->p);
    posture_answers_free(f->ans);
    posture_template_free(f->t);
    posture_template_free(f->a);
    posture_diags_free(f->d);
}

static const posture_coverage_control *ctl(const cov_fx *f, const char *id)
{
    long i = posture_template_find_control(f->t, id);
    assert_true(i >= 0);
    return posture_coverage_control_get(f->cov, (size_t)i);
}

static posture_control_status status(const cov_fx *f, const char *id)
{
    long i = posture_template_find_control(f->t, id);
    return posture_result_control(posture_coverage_result(f->cov), (size_t)i)->status;
}

static const posture_action_result *act(const cov_fx *f, const char *id)
{
    long i = posture_template_find_action(f->t, id);
    assert_true(i >= 0);
    return posture_result_action(posture_coverage_result(f->cov), (size_t)i);
}

static void test_claims(void **state)
{
    (void)state;
    cov_fx f;
    load(&f, "compliance-manager");
    /* the unknown id and the set of another major version: warnings, left out */
    assert_diags(f.d,
                 "posture: " FX "mappings/a-to-t.json: /mapping-collection/mappings/0/maps/10/sources/0/"
                 "id-ref: warning: no control \"A99\" in cov-a@1.0.0\n"
                 "posture: " FX "mappings/a-to-t.json: /mapping-collection/mappings/2: warning: maps "
                 "cov-a@1.0.0 and cov-t@1.0.0, not cov-a@1.2.0 and cov-t@2.0.0: not used\n");
    static const struct {
        const char *id;
        posture_implied implies;
        posture_control_status status;
    } want[] = {
        {"T1", POSTURE_IMPLIES_COVERED, POSTURE_CSTATUS_PASSED},          /* equal-to, passed */
        {"T2", POSTURE_IMPLIES_PARTIAL, POSTURE_CSTATUS_IN_PROGRESS},     /* intersects, passed */
        {"T3", POSTURE_IMPLIES_FAILED, POSTURE_CSTATUS_FAILED},           /* equivalent, failed */
        {"T4", POSTURE_IMPLIES_IN_PROGRESS, POSTURE_CSTATUS_IN_PROGRESS}, /* subset-of, failed */
        {"T5", POSTURE_IMPLIES_IN_PROGRESS, POSTURE_CSTATUS_IN_PROGRESS}, /* superset, in prog. */
        {"T6", POSTURE_IMPLIES_NONE, POSTURE_CSTATUS_NOT_ASSESSED},       /* not assessed */
        {"T7", POSTURE_IMPLIES_NONE, POSTURE_CSTATUS_NOT_ASSESSED},       /* out of scope */
        {"T8", POSTURE_IMPLIES_NONE, POSTURE_CSTATUS_IN_PROGRESS},        /* shared + nothing */
        {"T9", POSTURE_IMPLIES_FAILED, POSTURE_CSTATUS_FAILED},           /* failed beats passed */
        {"T10", POSTURE_IMPLIES_IN_PROGRESS, POSTURE_CSTATUS_IN_PROGRESS}, /* {A1, A3} */
        {"T11", POSTURE_IMPLIES_COVERED, POSTURE_CSTATUS_PASSED},         /* reversed subset-of */
        {"T12", POSTURE_IMPLIES_NONE, POSTURE_CSTATUS_PASSED},            /* act.t1 of T1 */
    };
    for (size_t i = 0; i < sizeof want / sizeof *want; i++) {
        const posture_coverage_control *c = ctl(&f, want[i].id);
        if (c->implies != want[i].implies || status(&f, want[i].id) != want[i].status)
            fail_msg("%s: implies %s, status %s", want[i].id, posture_implied_token(c->implies),
                     posture_control_status_token(status(&f, want[i].id)));
    }
    /* the links: relation read from the source side, the collection, the sources' status */
    const posture_coverage_control *t11 = ctl(&f, "T11");
    assert_int_equal(t11->nlinks, 1);
    assert_int_equal(t11->links[0].relation, POSTURE_REL_SUPERSET_OF);
    assert_int_equal(t11->links[0].status, POSTURE_CSTATUS_PASSED);
    assert_ptr_equal(t11->links[0].collection, f.coll);
    const posture_coverage_control *t10 = ctl(&f, "T10");
    assert_int_equal(t10->nlinks, 1);
    assert_int_equal(t10->links[0].nsources, 2);
    assert_int_equal(t10->links[0].status, POSTURE_CSTATUS_IN_PROGRESS);
    const posture_coverage_control *t9 = ctl(&f, "T9");
    assert_int_equal(t9->nlinks, 2);
    assert_int_equal(t9->links[0].implies, POSTURE_IMPLIES_COVERED);
    assert_int_equal(t9->links[1].implies, POSTURE_IMPLIES_FAILED);
    assert_int_equal(t9->links[1].worst_failed, POSTURE_TEST_FAILED_HIGH);
    assert_int_equal(ctl(&f, "T1")->nlinks, 1); /* A99's map left out */
    assert_int_equal(ctl(&f, "T8")->nlinks, 0); /* the other major version's set left out */
    assert_int_equal(ctl(&f, "T8")->nshared, 1);
    assert_int_equal(ctl(&f, "T8")->nown, 1);
    /* the answers the claims stand for */
    assert_int_equal(act(&f, "act.t1")->implementation, POSTURE_IMPL_IMPLEMENTED);
    assert_int_equal(act(&f, "act.t1")->test, POSTURE_TEST_PASSED);
    assert_int_equal(act(&f, "act.t2")->implementation, POSTURE_IMPL_PARTIAL);
    assert_int_equal(act(&f, "act.t2")->test, POSTURE_TEST_PASSED);
    assert_int_equal(act(&f, "act.t3")->test, POSTURE_TEST_FAILED_HIGH);
    assert_int_equal(act(&f, "act.t4")->test, POSTURE_TEST_IN_PROGRESS);
    assert_null(act(&f, "act.t6")->answer);
    assert_int_equal(act(&f, "act.shared")->status, POSTURE_ASTATUS_PASSED);
    /* 57 of 300: act.t1 (27), act.t11 (3, detective) and the shared action (27) have credit */
    const posture_points *tot = posture_result_total(posture_coverage_result(f.cov));
    assert_int_equal(tot->achieved_x100, 5700);
    assert_int_equal(tot->possible_x100, 30000);
    assert_int_equal(tot->percent_x100, 1900);
    posture_coverage_counts n = posture_coverage_counts_get(f.cov);
    assert_int_equal(n.mapped, 10);
    assert_int_equal(n.sharing, 1);
    assert_int_equal(n.neither, 1); /* T12: its action is claimed through T1 only */
    assert_int_equal(posture_coverage_collection_count(f.cov), 1);
    assert_int_equal(posture_coverage_collection_maps(f.cov, 0), 11);
    release(&f);
}

static void test_self_attested(void **state)
{
    (void)state;
    cov_fx f;
    load(&f, "self-attested");
    /* partially implemented (not failed) gets half: t2, t4, t5, t10 */
    const posture_points *tot = posture_result_total(posture_coverage_result(f.cov));
    assert_int_equal(tot->achieved_x100, 11100);
    assert_int_equal(tot->possible_x100, 30000);
    assert_int_equal(tot->percent_x100, 3700);
    assert_int_equal(act(&f, "act.t2")->status, POSTURE_ASTATUS_PARTIAL);
    assert_int_equal(act(&f, "act.t3")->status, POSTURE_ASTATUS_FAILED);
    release(&f);
}

static void test_no_collection(void **state)
{
    (void)state;
    cov_fx f;
    load(&f, "compliance-manager");
    posture_coverage *c = NULL;
    posture_diags_clear(f.d);
    assert_int_equal(posture_coverage_project(f.src, f.t, NULL, 0, f.d, &c), 0);
    assert_diags(f.d, "posture: warning: no mapping collection relates cov-a and cov-t: only "
                      "their shared actions are projected\n");
    /* only the shared action counts */
    const posture_points *tot = posture_result_total(posture_coverage_result(c));
    assert_int_equal(tot->achieved_x100, 2700);
    assert_int_equal(posture_coverage_counts_get(c).mapped, 0);
    posture_coverage_free(c);
    release(&f);
}

static void test_json(void **state)
{
    (void)state;
    cov_fx f;
    load(&f, "compliance-manager");
    char *doc = NULL;
    posture_json_options o = {1, 0};
    assert_int_equal(posture_report_coverage_json(f.cov, &o, &doc), 0);
    assert_non_null(strstr(doc, "\"format\":\"posture-coverage/1\""));
    assert_non_null(strstr(doc, "\"score\":{\"achieved\":57,\"possible\":300,\"percent\":19}"));
    assert_non_null(strstr(doc, "{\"family\":\"G\",\"id\":\"T11\",\"title\":\"T11\",\"status\":"
                                "\"passed\",\"score\":{\"achieved\":3,\"possible\":3,\"percent\":"
                                "100},\"implies\":\"covered\",\"shared_actions\":[],"
                                "\"projected_actions\":[{\"action\":\"act.t11\",\"implies\":"
                                "\"covered\"}],\"mapped\":[{\"controls\":[{\"id\":\"A1\","
                                "\"title\":\"A1\",\"status\":\"passed\"}],\"relation\":"
                                "\"superset-of\",\"source\":\"a-to-t.json\",\"status\":\"passed\","
                                "\"implies\":\"covered\"}]}"));
    free(doc);
    release(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_claims),
        cmocka_unit_test(test_self_attested),
        cmocka_unit_test(test_no_collection),
        cmocka_unit_test(test_json),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
