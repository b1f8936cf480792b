/* test_store.c - the store module on temporary databases: sharing, audit, history, SoA,
 * import, upgrade, overall, schema versions and errors. */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "posture/store.h"
#include "testutil.h"

#define FIXTURES POSTURE_SOURCE_DIR "/tests/store/fixtures"

typedef struct env {
    posture_library *lib;
    posture_store *s;
    posture_diags *d;
    char path[512];
} env;

static int counter;

/* POSTURE_TEST_DB: run on PostgreSQL (tests/store_pg): a URI whose "%d" is replaced by
   1, 2, ..., each naming an empty database. SQLite-only tests are skipped then. */
static const char *test_db(void)
{
    const char *e = getenv("POSTURE_TEST_DB");
    return e && *e ? e : NULL;
}

/* A new store: the next database of POSTURE_TEST_DB, else FILE in the temporary directory. */
static void store_name(char *buf, size_t n, const char *file)
{
    const char *uri = test_db(), *d = uri ? strstr(uri, "%d") : NULL;
    ++counter;
    if (d)
        snprintf(buf, n, "%.*s%d%s", (int)(d - uri), uri, counter, d + 2);
    else if (file)
        snprintf(buf, n, "%s/%s", tu_tmpdir(), file);
    else
        snprintf(buf, n, "%s/store-%d.db", tu_tmpdir(), counter);
}

static void env_open(env *e)
{
    memset(e, 0, sizeof *e);
    store_name(e->path, sizeof e->path, NULL);
    assert_int_equal(posture_library_new(&e->lib), 0);
    assert_int_equal(posture_library_add_dir(e->lib, FIXTURES), 0);
    int created = 0;
    assert_int_equal(posture_store_open(e->path, POSTURE_STORE_CREATE, &e->s, &created), 0);
    assert_int_equal(created, 1);
    posture_store_set_library(e->s, e->lib);
    assert_int_equal(posture_store_set_actor(e->s, "tester", "2026-02-01T09:00:00Z"), 0);
    assert_int_equal(posture_diags_new(&e->d), 0);
}

/* The keyscore table (kept by triggers and the refresh at commit) equals the overall rule
   computed from scratch. */
static void check_keyscore(const char *path)
{
    if (test_db())
        return; /* PostgreSQL has no keyscore table: its overall query is the rule itself */
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    sqlite3_stmt *st;
    const char *q =
        "SELECT (SELECT count(*) FROM ("
        "  SELECT action, share, MIN(assessment_id) AS a, points, achieved_x100 FROM inclusion"
        "  WHERE counted = 1 GROUP BY action, share"
        "  EXCEPT SELECT action, share, assessment_id, points, achieved_x100 FROM keyscore)),"
        " (SELECT count(*) FROM ("
        "  SELECT action, share, assessment_id, points, achieved_x100 FROM keyscore EXCEPT"
        "  SELECT action, share, MIN(assessment_id), points, achieved_x100 FROM inclusion"
        "  WHERE counted = 1 GROUP BY action, share))";
    assert_int_equal(sqlite3_prepare_v2(db, q, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(st, 0), 0);
    assert_int_equal(sqlite3_column_int(st, 1), 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
}

static void env_close(env *e)
{
    if (e->s)
        check_keyscore(e->path);
    posture_store_free(e->s);
    posture_library_free(e->lib);
    posture_diags_free(e->d);
}

static void create(env *e, const char *name, const char *tpl, const char *group)
{
    posture_store_assessment_spec spec = {name, tpl, group, NULL, NULL, NULL};
    posture_store_mem *m = NULL;
    const posture_store_outcome *o = NULL;
    assert_int_equal(posture_store_assessment_create(e->s, &spec, e->d, &m, &o), 0);
    assert_int_equal(o->ntouched, 1);
    posture_store_mem_free(m);
}

/* Set an answer; returns the outcome in *m (caller frees). */
static const posture_store_outcome *answer(env *e, const char *name, const char *action,
                                           posture_implementation impl, posture_test test,
                                           posture_store_mem **m)
{
    posture_store_answer_change c;
    memset(&c, 0, sizeof c);
    c.action = action;
    c.has_implementation = 1;
    c.implementation = impl;
    c.has_test = 1;
    c.test = test;
    const posture_store_outcome *o = NULL;
    assert_int_equal(posture_store_answer_set(e->s, name, &c, e->d, m, &o), 0);
    return o;
}

static int64_t pct_of(env *e, const char *name)
{
    posture_store_mem *m = NULL;
    const posture_stored_assessment *a = NULL;
    assert_int_equal(posture_store_assessment_get(e->s, name, &m, &a), 0);
    assert_true(a->has_snapshot);
    int64_t p = a->latest.score.has_percent ? a->latest.score.percent_x100 : -1;
    posture_store_mem_free(m);
    return p;
}

static size_t history_len(env *e, const char *name)
{
    posture_store_mem *m = NULL;
    const posture_store_snapshot *v = NULL;
    size_t n = 0;
    assert_int_equal(posture_store_history(e->s, name, &m, &v, &n), 0);
    posture_store_mem_free(m);
    return n;
}

static size_t log_len(env *e, const char *name)
{
    posture_store_mem *m = NULL;
    const posture_store_log_entry *v = NULL;
    size_t n = 0;
    assert_int_equal(posture_store_log(e->s, name, &m, &v, &n), 0);
    posture_store_mem_free(m);
    return n;
}

static void create_and_list(void **state)
{
    (void)state;
    env e;
    env_open(&e);
    create(&e, "A", "alpha@1.0.0", NULL);
    create(&e, "B", "beta", "eu");
    posture_store_mem *m = NULL;
    const posture_stored_assessment *v = NULL;
    size_t n = 0;
    assert_int_equal(posture_store_assessments(e.s, NULL, &m, &v, &n), 0);
    assert_int_equal(n, 2);
    assert_string_equal(v[0].name, "A");
    assert_string_equal(v[0].template_id, "alpha");
    assert_string_equal(v[0].template_version, "1.0.0");
    assert_string_equal(v[0].group, "default");
    assert_string_equal(v[0].profile, "compliance-manager");
    assert_string_equal(v[0].created_at, "2026-02-01T09:00:00Z");
    assert_null(v[0].organization);
    /* alpha: 27 + 3 + 9 + 3 points, nothing answered */
    assert_int_equal(v[0].latest.score.possible_x100, 4200);
    assert_int_equal(v[0].latest.score.achieved_x100, 0);
    assert_int_equal(v[0].latest.actions_total, 4);
    assert_int_equal(v[0].latest.actions[POSTURE_ASTATUS_NOT_ASSESSED], 4);
    assert_string_equal(v[0].latest.change, "created");
    assert_string_equal(v[1].group, "eu");
    assert_int_equal(v[1].latest.score.possible_x100, 3900);
    posture_store_mem_free(m);
    assert_int_equal(posture_store_assessments(e.s, "eu", &m, &v, &n), 0);
    assert_int_equal(n, 1);
    assert_string_equal(v[0].name, "B");
    posture_store_mem_free(m);

    /* the name is taken */
    posture_store_assessment_spec spec = {"A", "beta", NULL, NULL, NULL, NULL};
    const posture_store_outcome *o = NULL;
    assert_int_equal(posture_store_assessment_create(e.s, &spec, e.d, &m, &o), POSTURE_EEXISTS);
    assert_string_equal(posture_error_last(), "assessment \"A\" exists already");
    assert_int_equal(posture_store_assessments(e.s, NULL, &m, &v, &n), 0);
    assert_int_equal(n, 2);
    posture_store_mem_free(m);
    /* an unknown one */
    assert_int_equal(posture_store_assessment_get(e.s, "Z", &m, &v), POSTURE_ENOTFOUND);
    assert_string_equal(posture_error_last(), "no assessment named \"Z\"");
    env_close(&e);
}

static void technical_answers_are_shared_everywhere(void **state)
{
    (void)state;
    env e;
    env_open(&e);
    create(&e, "A", "alpha@1.0.0", NULL);
    create(&e, "B", "beta", "eu"); /* another group: technical answers are still shared */
    posture_store_mem *m = NULL;
    const posture_store_outcome *o =
        answer(&e, "A", "act.mfa", POSTURE_IMPL_IMPLEMENTED, POSTURE_TEST_PASSED, &m);
    assert_int_equal(o->changes, 2);
    assert_int_equal(o->ntouched, 2);
    assert_string_equal(o->touched[0].name, "A");
    assert_true(o->touched[0].had_before);
    assert_int_equal(o->touched[0].before.percent_x100, 0);
    assert_int_equal(o->touched[0].after.achieved_x100, 2700);
    assert_int_equal(o->touched[0].after.percent_x100, 6429); /* 27/42 */
    assert_string_equal(o->touched[1].name, "B");
    assert_int_equal(o->touched[1].after.percent_x100, 6923); /* 27/39 */
    posture_store_mem_free(m);
    assert_int_equal(pct_of(&e, "B"), 6923);
    assert_int_equal(history_len(&e, "B"), 2);

    /* the same answer again changes nothing and records nothing */
    o = answer(&e, "B", "act.mfa", POSTURE_IMPL_IMPLEMENTED, POSTURE_TEST_PASSED, &m);
    assert_int_equal(o->changes, 0);
    assert_int_equal(o->ntouched, 0);
    posture_store_mem_free(m);
    assert_int_equal(history_len(&e, "A"), 2);
    assert_int_equal(history_len(&e, "B"), 2);

    /* B's log says the change came through A */
    const posture_store_log_entry *l = NULL;
    size_t n = 0;
    assert_int_equal(posture_store_log(e.s, "B", &m, &l, &n), 0);
    assert_int_equal(n, 3);
    assert_string_equal(l[1].what, "answer act.mfa implementation");
    assert_string_equal(l[1].old_value, "not_implemented");
    assert_string_equal(l[1].new_value, "implemented");
    assert_string_equal(l[1].via, "A");
    assert_string_equal(l[1].who, "tester");
    assert_string_equal(l[1].at, "2026-02-01T09:00:00Z");
    assert_string_equal(l[2].what, "answer act.mfa test");
    posture_store_mem_free(m);

    /* show: which other assessments share each answer */
    const posture_store_share *sh = NULL;
    assert_int_equal(posture_store_shares(e.s, "A", &m, &sh, &n), 0);
    assert_int_equal(n, 1);
    assert_string_equal(sh[0].action, "act.mfa");
    assert_string_equal(sh[0].assessment, "B");
    posture_store_mem_free(m);
    env_close(&e);
}

static void other_answers_are_shared_within_the_group(void **state)
{
    (void)state;
    env e;
    env_open(&e);
    create(&e, "A", "alpha@1.0.0", NULL);
    create(&e, "B", "beta", NULL);
    create(&e, "C", "beta", "eu");
    posture_store_mem *m = NULL;
    const posture_store_outcome *o =
        answer(&e, "B", "act.review", POSTURE_IMPL_IMPLEMENTED, POSTURE_TEST_PASSED, &m);
    assert_int_equal(o->ntouched, 2); /* B and A (group default), not C (eu) */
    assert_string_equal(o->touched[0].name, "B");
    assert_string_equal(o->touched[1].name, "A");
    posture_store_mem_free(m);
    assert_int_equal(pct_of(&e, "A"), 714);  /* 3/42 */
    assert_int_equal(pct_of(&e, "B"), 769);  /* 3/39 */
    assert_int_equal(pct_of(&e, "C"), 0);
    assert_int_equal(history_len(&e, "C"), 1);

    /* overall: act.mfa, act.backup once; act.review, act.policy, act.train per group */
    posture_store_overall ov;
    const posture_stored_assessment *v = NULL;
    size_t n = 0;
    assert_int_equal(posture_store_overall_score(e.s, NULL, &ov, &m, &v, &n), 0);
    assert_int_equal(n, 3);
    assert_int_equal(ov.keys, 7);
    /* 27 + 9 (technical) + default: 3 + 3 + 9 + eu: 3 + 9 */
    assert_int_equal(ov.score.possible_x100, 6300);
    assert_int_equal(ov.score.achieved_x100, 300);
    assert_int_equal(ov.score.percent_x100, 476);
    posture_store_mem_free(m);
    assert_int_equal(posture_store_overall_score(e.s, "eu", &ov, &m, &v, &n), 0);
    assert_int_equal(n, 1);
    assert_string_equal(v[0].name, "C");
    assert_int_equal(ov.keys, 3);
    assert_int_equal(ov.score.possible_x100, 3900);
    assert_int_equal(ov.score.achieved_x100, 0);
    posture_store_mem_free(m);
    env_close(&e);
}

static void soa_and_overall_scope(void **state)
{
    (void)state;
    env e;
    env_open(&e);
    create(&e, "A", "alpha@1.0.0", NULL);
    create(&e, "B", "beta", NULL);
    posture_store_mem *m = NULL;
    const posture_store_outcome *o = NULL;
    assert_int_equal(posture_store_control_scope(e.s, "A", "A2", 0, "", e.d, &m, &o),
                     POSTURE_EUSAGE);
    assert_int_equal(posture_store_control_scope(e.s, "A", "B1", 0, "x", e.d, &m, &o),
                     POSTURE_ENOTFOUND);
    assert_string_equal(posture_error_last(), "assessment \"A\" has no control \"B1\"");
    assert_int_equal(posture_store_control_scope(e.s, "A", "A2", 0, "No backups", e.d, &m, &o),
                     0);
    assert_int_equal(o->changes, 1);
    assert_int_equal(o->ntouched, 1);
    assert_int_equal(o->touched[0].after.possible_x100, 3000); /* act.mfa + act.review */
    posture_store_mem_free(m);
    /* out of scope in A, in scope nowhere else: act.backup and act.policy leave the overall */
    posture_store_overall ov;
    const posture_stored_assessment *v = NULL;
    size_t n = 0;
    assert_int_equal(posture_store_overall_score(e.s, NULL, &ov, &m, &v, &n), 0);
    assert_int_equal(ov.keys, 3);
    assert_int_equal(ov.score.possible_x100, 3900);
    posture_store_mem_free(m);
    /* every assessment is in group default: the per-group query agrees with the keyscore */
    posture_store_overall og;
    assert_int_equal(posture_store_overall_score(e.s, "default", &og, &m, &v, &n), 0);
    assert_int_equal(og.keys, ov.keys);
    assert_int_equal(og.score.possible_x100, ov.score.possible_x100);
    assert_int_equal(og.score.achieved_x100, ov.score.achieved_x100);
    posture_store_mem_free(m);

    const posture_store_log_entry *l = NULL;
    assert_int_equal(posture_store_log(e.s, "A", &m, &l, &n), 0);
    assert_int_equal(n, 2);
    assert_string_equal(l[1].what, "control A2");
    assert_string_equal(l[1].old_value, "applicable");
    assert_string_equal(l[1].new_value, "not applicable: No backups");
    posture_store_mem_free(m);

    /* the same again: nothing; then applicable again */
    assert_int_equal(posture_store_control_scope(e.s, "A", "A2", 0, "No backups", e.d, &m, &o),
                     0);
    assert_int_equal(o->changes, 0);
    posture_store_mem_free(m);
    assert_int_equal(posture_store_control_scope(e.s, "A", "A2", 1, NULL, e.d, &m, &o), 0);
    assert_int_equal(o->changes, 1);
    assert_int_equal(o->touched[0].after.possible_x100, 4200);
    posture_store_mem_free(m);
    check_keyscore(e.path);
    /* A (the earliest) stops counting act.mfa and act.review: B represents them now */
    answer(&e, "B", "act.mfa", POSTURE_IMPL_IMPLEMENTED, POSTURE_TEST_PASSED, &m);
    posture_store_mem_free(m);
    assert_int_equal(posture_store_control_scope(e.s, "A", "A1", 0, "Elsewhere", e.d, &m, &o),
                     0);
    posture_store_mem_free(m);
    check_keyscore(e.path);
    assert_int_equal(posture_store_overall_score(e.s, NULL, &ov, &m, &v, &n), 0);
    assert_int_equal(ov.keys, 5); /* mfa, review, train (B); backup, policy (A) */
    assert_int_equal(ov.score.possible_x100, 5100);
    assert_int_equal(ov.score.achieved_x100, 2700);
    posture_store_mem_free(m);
    env_close(&e);
}

static void evidence_and_text_fields(void **state)
{
    (void)state;
    env e;
    env_open(&e);
    create(&e, "A", "alpha@1.0.0", NULL);
    posture_store_answer_change c;
    memset(&c, 0, sizeof c);
    const char *ev[] = {"https://wiki/mfa", "https://wiki/mfa2"};
    c.action = "act.mfa";
    c.notes = "Enforced by policy";
    c.assigned_to = "ops@example";
    c.tested_at = "2026-01-15";
    c.evidence = ev;
    c.nevidence = 2;
    posture_store_mem *m = NULL;
    const posture_store_outcome *o = NULL;
    assert_int_equal(posture_store_answer_set(e.s, "A", &c, e.d, &m, &o), 0);
    assert_int_equal(o->changes, 5);
    posture_store_mem_free(m);
    /* the same evidence again is not added twice; "" clears notes */
    c.nevidence = 1;
    c.notes = "";
    c.assigned_to = NULL;
    c.tested_at = NULL;
    assert_int_equal(posture_store_answer_set(e.s, "A", &c, e.d, &m, &o), 0);
    assert_int_equal(o->changes, 1);
    posture_store_mem_free(m);
    const posture_store_evidence *v = NULL;
    size_t n = 0;
    assert_int_equal(posture_store_evidence_list(e.s, "A", &m, &v, &n), 0);
    assert_int_equal(n, 2);
    assert_string_equal(v[0].action, "act.mfa");
    assert_string_equal(v[0].uri, "https://wiki/mfa");
    assert_string_equal(v[0].added_by, "tester");
    assert_string_equal(v[1].uri, "https://wiki/mfa2");
    posture_store_mem_free(m);

    /* the scored answers carry it all */
    posture_store_scored *sc = NULL;
    assert_int_equal(posture_store_score(e.s, "A", NULL, e.d, &sc), 0);
    const posture_result *r = posture_store_scored_result(sc);
    const posture_action_result *ar = posture_result_action(r, 0);
    assert_string_equal(ar->action->id, "act.mfa");
    assert_non_null(ar->answer);
    assert_null(ar->answer->notes);
    assert_string_equal(ar->answer->assigned_to, "ops@example");
    assert_string_equal(ar->answer->tested_at, "2026-01-15");
    assert_int_equal(ar->answer->nevidence, 2);
    assert_string_equal(posture_answers_info(posture_result_answers(r))->assessed_at,
                        "2026-02-01");
    posture_store_scored_free(sc);

    /* an action the assessment lacks */
    c.action = "act.train";
    assert_int_equal(posture_store_answer_set(e.s, "A", &c, e.d, &m, &o), POSTURE_ENOTFOUND);
    assert_string_equal(posture_error_last(), "assessment \"A\" has no action \"act.train\"");
    env_close(&e);
}

static void import_all_or_nothing(void **state)
{
    (void)state;
    env e;
    env_open(&e);
    create(&e, "A", "alpha@1.0.0", NULL);
    create(&e, "B", "beta", NULL);
    const char *bad = tu_write("bad.json",
        "{\"format\": \"posture-answers/1\", \"template\": \"alpha\", \"assessment\": "
        "{\"name\": \"A\"}, \"answers\": ["
        "{\"action\": \"act.mfa\", \"implementation\": \"implemented\", \"test\": \"passed\"},"
        "{\"action\": \"act.nope\", \"implementation\": \"implemented\"},"
        "{\"action\": \"act.review\", \"test\": \"passd\"}]}");
    posture_store_mem *m = NULL;
    const posture_store_outcome *o = NULL;
    assert_int_not_equal(posture_store_answer_import(e.s, "A", bad, e.d, &m, &o), 0);
    assert_int_equal(posture_diags_errors(e.d), 2);
    assert_int_equal(history_len(&e, "A"), 1);
    assert_int_equal(log_len(&e, "A"), 1);
    assert_int_equal(pct_of(&e, "B"), 0);
    posture_diags_clear(e.d);

    const char *good = tu_write("good.json",
        "{\"format\": \"posture-answers/1\", \"template\": \"alpha\", \"assessment\": "
        "{\"name\": \"A\"}, \"controls\": [{\"control\": \"A2\", \"applicable\": false, "
        "\"justification\": \"None\"}], \"answers\": ["
        "{\"action\": \"act.mfa\", \"implementation\": \"implemented\", \"test\": \"passed\","
        " \"evidence\": [\"https://e/1\"]},"
        "{\"action\": \"act.review\", \"implementation\": \"planned\"}]}");
    assert_int_equal(posture_store_answer_import(e.s, "A", good, e.d, &m, &o), 0);
    /* mfa: 2 statuses + 1 evidence; review: 1 status; control A2 */
    assert_int_equal(o->changes, 5);
    assert_int_equal(o->ntouched, 2);
    assert_int_equal(o->touched[0].after.percent_x100, 9000); /* 27 / 30 */
    assert_int_equal(o->touched[1].after.percent_x100, 6923);
    posture_store_mem_free(m);
    const posture_store_snapshot *h = NULL;
    size_t n = 0;
    assert_int_equal(posture_store_history(e.s, "B", &m, &h, &n), 0);
    assert_int_equal(n, 2);
    assert_string_equal(h[1].change, "answers imported from good.json (via A)");
    assert_int_equal(h[1].actions[POSTURE_ASTATUS_PASSED], 1);
    assert_int_equal(h[1].actions[POSTURE_ASTATUS_IN_PROGRESS], 1);
    posture_store_mem_free(m);
    /* importing the same file again changes nothing */
    assert_int_equal(posture_store_answer_import(e.s, "A", good, e.d, &m, &o), 0);
    assert_int_equal(o->changes, 0);
    posture_store_mem_free(m);
    assert_int_equal(history_len(&e, "A"), 2);
    env_close(&e);
}

static void upgrade_dry_run_and_real(void **state)
{
    (void)state;
    env e;
    env_open(&e);
    create(&e, "A", "alpha@1.0.0", NULL);
    posture_store_mem *m = NULL;
    const posture_store_outcome *o =
        answer(&e, "A", "act.mfa", POSTURE_IMPL_IMPLEMENTED, POSTURE_TEST_PASSED, &m);
    posture_store_mem_free(m);
    assert_int_equal(posture_store_control_scope(e.s, "A", "A2", 0, "n/a", e.d, &m, &o), 0);
    posture_store_mem_free(m);

    assert_int_equal(posture_store_assessment_upgrade(e.s, "A", NULL, 1, e.d, &m, &o), 0);
    assert_string_equal(o->from_version, "1.0.0");
    assert_string_equal(o->to_version, "1.1.0");
    assert_int_equal(o->nadded, 1);
    assert_string_equal(o->added[0], "act.logs");
    assert_int_equal(o->nremoved, 2);
    assert_string_equal(o->removed[0], "act.backup");
    assert_string_equal(o->removed[1], "act.policy");
    assert_int_equal(o->ndropped_controls, 1);
    assert_string_equal(o->dropped_controls[0], "A2");
    assert_int_equal(o->touched[0].before.percent_x100, 9000); /* 27/30 */
    assert_int_equal(o->touched[0].after.possible_x100, 3100);
    assert_int_equal(o->touched[0].after.percent_x100, 8710); /* 27/31 */
    posture_store_mem_free(m);
    /* the dry run changed nothing */
    assert_int_equal(history_len(&e, "A"), 3);
    assert_int_equal(log_len(&e, "A"), 4);
    const posture_stored_assessment *a = NULL;
    assert_int_equal(posture_store_assessment_get(e.s, "A", &m, &a), 0);
    assert_string_equal(a->template_version, "1.0.0");
    posture_store_mem_free(m);

    assert_int_equal(posture_store_assessment_upgrade(e.s, "A", "1.1.0", 0, e.d, &m, &o), 0);
    assert_int_equal(o->touched[0].after.percent_x100, 8710);
    posture_store_mem_free(m);
    assert_int_equal(posture_store_assessment_get(e.s, "A", &m, &a), 0);
    assert_string_equal(a->template_version, "1.1.0");
    assert_string_equal(a->latest.change, "upgraded to alpha@1.1.0");
    posture_store_mem_free(m);
    /* again: already there */
    assert_int_equal(posture_store_assessment_upgrade(e.s, "A", NULL, 0, e.d, &m, &o), 0);
    assert_int_equal(o->ntouched, 0);
    assert_int_equal(o->changes, 0);
    posture_store_mem_free(m);
    /* no such version; and no downgrade */
    assert_int_equal(posture_store_assessment_upgrade(e.s, "A", "9.0.0", 0, e.d, &m, &o),
                     POSTURE_ENOTFOUND);
    assert_string_equal(posture_error_last(),
                        "template \"alpha@9.0.0\" is not in the template search path");
    assert_int_equal(posture_store_assessment_upgrade(e.s, "A", "1.0.0", 0, e.d, &m, &o),
                     POSTURE_EUSAGE);
    env_close(&e);
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    static char buf[65536];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

/* The template file is replaced by its next version: the assessment cannot be scored until
   it is upgraded, and the upgrade does not need the old version. */
static void upgrade_after_the_file_was_replaced(void **state)
{
    (void)state;
    env e;
    memset(&e, 0, sizeof e);
    store_name(e.path, sizeof e.path, "replaced.db");
    char dir[512];
    snprintf(dir, sizeof dir, "%s/tpl", tu_tmpdir());
    assert_int_equal(mkdir(dir, 0755), 0);
    assert_int_equal(posture_library_new(&e.lib), 0);
    assert_int_equal(posture_library_add_dir(e.lib, dir), 0);
    assert_int_equal(posture_store_open(e.path, POSTURE_STORE_CREATE, &e.s, NULL), 0);
    posture_store_set_library(e.s, e.lib);
    assert_int_equal(posture_store_set_actor(e.s, "tester", "2026-02-01T09:00:00Z"), 0);
    assert_int_equal(posture_diags_new(&e.d), 0);
    tu_write("tpl/alpha.json", slurp(FIXTURES "/alpha-1.0.0.json"));
    create(&e, "A", "alpha", NULL);
    posture_store_mem *m = NULL;
    answer(&e, "A", "act.mfa", POSTURE_IMPL_IMPLEMENTED, POSTURE_TEST_PASSED, &m);
    posture_store_mem_free(m);
    env_close(&e);

    /* a new process (no cached template) after the file changed */
    assert_int_equal(posture_library_new(&e.lib), 0);
    assert_int_equal(posture_library_add_dir(e.lib, dir), 0);
    assert_int_equal(posture_store_open(e.path, 0, &e.s, NULL), 0);
    posture_store_set_library(e.s, e.lib);
    assert_int_equal(posture_diags_new(&e.d), 0);
    tu_write("tpl/alpha.json", slurp(FIXTURES "/alpha-1.1.0.json"));
    posture_store_answer_change c;
    memset(&c, 0, sizeof c);
    c.action = "act.review";
    c.notes = "n";
    const posture_store_outcome *o = NULL;
    assert_int_equal(posture_store_answer_set(e.s, "A", &c, e.d, &m, &o), POSTURE_ENOTFOUND);
    assert_string_equal(posture_error_last(), "template \"alpha@1.0.0\" of assessment \"A\" is "
                                              "not in the template search path");
    assert_int_equal(posture_store_assessment_upgrade(e.s, "A", NULL, 0, e.d, &m, &o), 0);
    assert_int_equal(o->nadded, 1);
    assert_int_equal(o->nremoved, 2);
    assert_int_equal(o->touched[0].before.percent_x100, 6429);
    assert_int_equal(o->touched[0].after.percent_x100, 8710);
    posture_store_mem_free(m);
    assert_int_equal(posture_store_answer_set(e.s, "A", &c, e.d, &m, &o), 0);
    posture_store_mem_free(m);
    env_close(&e);
}

static void set_group_carries_answers(void **state)
{
    (void)state;
    env e;
    env_open(&e);
    create(&e, "A", "alpha@1.0.0", NULL);
    create(&e, "C", "beta", "eu");
    posture_store_mem *m = NULL;
    const posture_store_outcome *o =
        answer(&e, "A", "act.review", POSTURE_IMPL_IMPLEMENTED, POSTURE_TEST_PASSED, &m);
    assert_int_equal(o->ntouched, 1);
    posture_store_mem_free(m);
    posture_store_assessment_spec spec = {"A", NULL, "eu", "Contoso", NULL, NULL};
    assert_int_equal(posture_store_assessment_set(e.s, &spec, e.d, &m, &o), 0);
    assert_int_equal(o->changes, 3); /* group, organization, carried answer */
    assert_int_equal(o->ntouched, 2); /* C now sees A's answer */
    posture_store_mem_free(m);
    assert_int_equal(pct_of(&e, "C"), 769);
    const posture_stored_assessment *a = NULL;
    assert_int_equal(posture_store_assessment_get(e.s, "A", &m, &a), 0);
    assert_string_equal(a->group, "eu");
    assert_string_equal(a->organization, "Contoso");
    posture_store_mem_free(m);
    env_close(&e);
}

static void delete_keeps_answers_and_log(void **state)
{
    (void)state;
    env e;
    env_open(&e);
    create(&e, "A", "alpha@1.0.0", NULL);
    posture_store_mem *m = NULL;
    answer(&e, "A", "act.mfa", POSTURE_IMPL_IMPLEMENTED, POSTURE_TEST_PASSED, &m);
    posture_store_mem_free(m);
    assert_int_equal(posture_store_assessment_delete(e.s, "A"), 0);
    assert_int_equal(posture_store_assessment_delete(e.s, "A"), POSTURE_ENOTFOUND);
    /* its inclusions left the overall score with it */
    posture_store_overall ov;
    const posture_stored_assessment *v = NULL;
    size_t n = 9;
    assert_int_equal(posture_store_overall_score(e.s, NULL, &ov, &m, &v, &n), 0);
    assert_int_equal(n, 0);
    assert_int_equal(ov.keys, 0);
    assert_int_equal(ov.score.possible_x100, 0);
    assert_false(ov.score.has_percent);
    posture_store_mem_free(m);
    /* a new assessment including the technical action finds its answer */
    create(&e, "B", "beta", NULL);
    assert_int_equal(pct_of(&e, "B"), 6923);
    if (test_db()) { /* tests/store_pg/test_pg_errors.sh checks the log there */
        env_close(&e);
        return;
    }
    /* the audit log is append-only */
    sqlite3 *db;
    assert_int_equal(sqlite3_open(e.path, &db), SQLITE_OK);
    assert_int_not_equal(sqlite3_exec(db, "DELETE FROM audit", NULL, NULL, NULL), SQLITE_OK);
    assert_int_not_equal(sqlite3_exec(db, "UPDATE audit SET who = 'x'", NULL, NULL, NULL),
                         SQLITE_OK);
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT count(*) FROM audit WHERE what = "
                                            "'assessment deleted'", -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(st, 0), 1);
    sqlite3_finalize(st);
    sqlite3_close(db);
    env_close(&e);
}

static void open_errors(void **state)
{
    (void)state;
    if (test_db())
        skip(); /* SQLite files (tests/store_pg/test_pg_errors.sh for PostgreSQL) */
    posture_store *s = NULL;
    char path[512];
    snprintf(path, sizeof path, "%s/missing.db", tu_tmpdir());
    assert_int_equal(posture_store_open(path, 0, &s, NULL), POSTURE_ENOTFOUND);
    char want[600];
    snprintf(want, sizeof want, "%s: no store here", path);
    assert_string_equal(posture_error_last(), want);
    struct stat st;
    assert_int_not_equal(stat(path, &st), 0); /* not created */

    const char *text = tu_write("text.db", "hello, this is not a database at all, not at all\n");
    assert_int_equal(posture_store_open(text, 0, &s, NULL), POSTURE_ESTORE);
    snprintf(want, sizeof want, "%s: not a posture store (not an SQLite database)", text);
    assert_string_equal(posture_error_last(), want);

    /* another application's SQLite database */
    snprintf(path, sizeof path, "%s/other.db", tu_tmpdir());
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "CREATE TABLE t(x)", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    assert_int_equal(posture_store_open(path, POSTURE_STORE_CREATE, &s, NULL), POSTURE_ESTORE);
    snprintf(want, sizeof want, "%s: not a posture store", path);
    assert_string_equal(posture_error_last(), want);

    /* a newer schema is refused and left alone */
    snprintf(path, sizeof path, "%s/newer.db", tu_tmpdir());
    assert_int_equal(posture_store_open(path, POSTURE_STORE_CREATE, &s, NULL), 0);
    assert_int_equal(posture_store_schema_version(s), POSTURE_STORE_SCHEMA_VERSION);
    posture_store_free(s);
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "PRAGMA user_version = 7", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    assert_int_equal(posture_store_open(path, 0, &s, NULL), POSTURE_EVERSION);
    snprintf(want, sizeof want,
             "%s: the store has schema version 7, newer than this posture supports (2)", path);
    assert_string_equal(posture_error_last(), want);

    /* read-only: reading works, changing is refused */
    snprintf(path, sizeof path, "%s/ro.db", tu_tmpdir());
    assert_int_equal(posture_store_open(path, POSTURE_STORE_CREATE, &s, NULL), 0);
    posture_store_free(s);
    assert_int_equal(posture_store_open(path, POSTURE_STORE_READONLY, &s, NULL), 0);
    posture_store_mem *m = NULL;
    const posture_stored_assessment *v = NULL;
    size_t n = 9;
    assert_int_equal(posture_store_assessments(s, NULL, &m, &v, &n), 0);
    assert_int_equal(n, 0);
    posture_store_mem_free(m);
    assert_int_equal(posture_store_assessment_delete(s, "A"), POSTURE_ESTORE);
    snprintf(want, sizeof want, "%s: the store is read-only", path);
    assert_string_equal(posture_error_last(), want);
    posture_store_free(s);

    /* a bad $POSTURE_NOW */
    assert_int_equal(posture_store_open(path, 0, &s, NULL), 0);
    assert_int_equal(posture_store_set_actor(s, "x", "2026-13-01T00:00:00Z"), POSTURE_EUSAGE);
    assert_int_equal(posture_store_set_actor(s, "x", "2026-01-01 00:00:00"), POSTURE_EUSAGE);
    assert_int_equal(posture_store_set_actor(s, "x", "2026-01-01T00:00:00.123Z"), 0);
    posture_store_free(s);
}

/* A schema-1 store (keyscore kept by row triggers on inclusion) is migrated forward on open:
   the triggers go, and keyscore stays right through later changes. */
static void migrates_a_version_1_store(void **state)
{
    (void)state;
    if (test_db())
        skip();
    env e;
    env_open(&e);
    create(&e, "A", "alpha@1.0.0", NULL);
    create(&e, "B", "beta", "eu");
    posture_store_mem *m = NULL;
    answer(&e, "A", "act.mfa", POSTURE_IMPL_IMPLEMENTED, POSTURE_TEST_PASSED, &m);
    posture_store_mem_free(m);
    posture_store_free(e.s);
    e.s = NULL;
    sqlite3 *db;
    assert_int_equal(sqlite3_open(e.path, &db), SQLITE_OK);
    const char *v1 =
        "CREATE TRIGGER inclusion_count AFTER UPDATE OF counted, points, achieved_x100"
        " ON inclusion WHEN NEW.counted = 1 BEGIN"
        " INSERT OR REPLACE INTO keyscore(action, share, assessment_id, points, achieved_x100)"
        " SELECT NEW.action, NEW.share, NEW.assessment_id, NEW.points, NEW.achieved_x100"
        " WHERE NOT EXISTS (SELECT 1 FROM keyscore WHERE action = NEW.action"
        " AND share = NEW.share AND assessment_id < NEW.assessment_id); END;"
        "CREATE TRIGGER inclusion_uncount AFTER UPDATE OF counted, points, achieved_x100"
        " ON inclusion WHEN NEW.counted = 0 AND OLD.counted = 1 BEGIN SELECT 1; END;"
        "PRAGMA user_version = 1;";
    assert_int_equal(sqlite3_exec(db, v1, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);

    assert_int_equal(posture_store_open(e.path, 0, &e.s, NULL), 0);
    assert_int_equal(posture_store_schema_version(e.s), 2);
    posture_store_set_library(e.s, e.lib);
    assert_int_equal(posture_store_set_actor(e.s, "tester", "2026-02-02T09:00:00Z"), 0);
    assert_int_equal(sqlite3_open(e.path, &db), SQLITE_OK);
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT count(*) FROM sqlite_schema WHERE name IN"
                                            " ('inclusion_count', 'inclusion_uncount')",
                                        -1, &st, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(st, 0), 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    /* later changes keep keyscore (checked against the rule by env_close) */
    answer(&e, "B", "act.mfa", POSTURE_IMPL_PLANNED, POSTURE_TEST_FAILED_LOW, &m);
    posture_store_mem_free(m);
    check_keyscore(e.path);
    assert_int_equal(posture_store_assessment_delete(e.s, "A"), 0);
    env_close(&e);
}

static void busy_store(void **state)
{
    (void)state;
    if (test_db())
        skip(); /* SQLite's lock (tests/store_pg/test_pg_concurrency.sh for PostgreSQL) */
    env e;
    env_open(&e);
    create(&e, "A", "alpha@1.0.0", NULL);
    setenv("POSTURE_BUSY_TIMEOUT", "50", 1);
    posture_store *s2 = NULL;
    assert_int_equal(posture_store_open(e.path, 0, &s2, NULL), 0);
    posture_store_set_library(s2, e.lib);
    unsetenv("POSTURE_BUSY_TIMEOUT");
    sqlite3 *db;
    assert_int_equal(sqlite3_open(e.path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL), SQLITE_OK);
    posture_store_mem *m = NULL;
    const posture_store_outcome *o = NULL;
    posture_store_answer_change c;
    memset(&c, 0, sizeof c);
    c.action = "act.mfa";
    c.notes = "x";
    assert_int_equal(posture_store_answer_set(s2, "A", &c, e.d, &m, &o), POSTURE_EBUSY);
    char want[600];
    snprintf(want, sizeof want, "%s: store is busy: another process kept it locked for 50 ms",
             e.path);
    assert_string_equal(posture_error_last(), want);
    /* readers are not blocked by a writer (WAL) */
    assert_int_equal(history_len(&e, "A"), 1);
    sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
    sqlite3_close(db);
    assert_int_equal(posture_store_answer_set(s2, "A", &c, e.d, &m, &o), 0);
    posture_store_mem_free(m);
    posture_store_free(s2);
    env_close(&e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(create_and_list),
        cmocka_unit_test(technical_answers_are_shared_everywhere),
        cmocka_unit_test(other_answers_are_shared_within_the_group),
        cmocka_unit_test(soa_and_overall_scope),
        cmocka_unit_test(evidence_and_text_fields),
        cmocka_unit_test(import_all_or_nothing),
        cmocka_unit_test(upgrade_dry_run_and_real),
        cmocka_unit_test(upgrade_after_the_file_was_replaced),
        cmocka_unit_test(set_group_carries_answers),
        cmocka_unit_test(delete_keeps_answers_and_log),
        cmocka_unit_test(open_errors),
        cmocka_unit_test(migrates_a_version_1_store),
        cmocka_unit_test(busy_store),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    tu_cleanup();
    return rc;
}
