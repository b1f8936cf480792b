/*
 * store_copy.c - a whole store from one backend to another (store_admin.h):
 * the rows of every table with their ids, through each backend's raw access
 * (store_raw.h, found through the registry),
 * then both stores compared through the store interface.
 */
#include "posture/store_admin.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_raw.h"
#include "store_registry.h"

#define OOM() posture_error_set(POSTURE_ENOMEM, "out of memory")

char *posture_store_display_name(const char *db) { return store_backend_for(db)->display(db); }

/* ------------------------------------------------------------------ copy */

/* The tables of docs/store.md in an order that satisfies the foreign keys; keyscore
   (SQLite) follows from the inclusions by its triggers. */
typedef struct table {
    const char *name;
    const char *cols;
    const char *order;
    const char *ints; /* per column: 'i' an integer, '.' text */
    size_t count;     /* offset of its count in posture_store_copy_report */
} table;

#define TABLE(NAME, COLS, ORDER, INTS, FIELD) \
    {NAME, COLS, ORDER, INTS, offsetof(posture_store_copy_report, FIELD)}

static const table tables[] = {
    TABLE("assessment",
          "id, name, template_id, template_version, template_file, grp, organization, scope,"
          " profile, created_at, updated_at",
          "id", "i..........", assessments),
    TABLE("answer",
          "id, action, share, implementation, test, tested_at, assigned_to, notes, updated_at,"
          " updated_by",
          "id", "i.........", answers),
    TABLE("evidence", "id, answer_id, uri, note, added_by, added_at", "id", "ii....", evidence),
    TABLE("inclusion", "assessment_id, action, idx, share, counted, points, achieved_x100",
          "assessment_id, idx", "i.i.iii", inclusions),
    TABLE("exclusion", "assessment_id, control, justification, at, by", "assessment_id, control",
          "i....", exclusions),
    TABLE("snapshot",
          "id, assessment_id, at, change, template_version, achieved_x100, possible_x100,"
          " percent_x100, c_passed, c_failed, c_in_progress, c_not_assessed, c_out_of_scope,"
          " a_passed, a_failed, a_partial, a_in_progress, a_not_assessed, a_out_of_scope",
          "id", "ii...iiiiiiiiiiiiii", snapshots),
    TABLE("audit", "id, assessment_id, assessment, at, who, what, old_value, new_value, via",
          "id", "ii.......", log_entries),
};
#define NTABLES (sizeof tables / sizeof *tables)
_Static_assert(NTABLES <= STORE_RAW_MAX_INSERTS, "one insert statement per table");

typedef struct endpoint {
    const store_raw_ops *ops;
    void *h;
} endpoint;

typedef struct pump {
    endpoint *to;
    int k, n;
    const table *t;
    unsigned char is_int[32];
    size_t rows;
} pump;

static int pump_row(void *ctx, const char *const *vals)
{
    pump *p = ctx;
    p->rows++;
    return p->to->ops->insert(p->to->h, p->k, p->t->name, p->t->cols, p->n, vals, p->is_int);
}

static int copy_table(endpoint *from, endpoint *to, int k, size_t *rows)
{
    const table *t = &tables[k];
    pump p = {to, k, (int)strlen(t->ints), t, {0}, 0};
    for (int i = 0; i < p.n; i++)
        p.is_int[i] = t->ints[i] == 'i';
    char select[512];
    snprintf(select, sizeof select, "SELECT %s FROM %s ORDER BY %s", t->cols, t->name, t->order);
    int ret = from->ops->rows(from->h, select, p.n, pump_row, &p);
    *rows = p.rows;
    return ret;
}

static const store_raw_ops *raw_of(const char *name)
{
    return store_backend_for(name)->raw;
}

static int count_cb(void *ctx, const char *const *vals)
{
    *(int64_t *)ctx = vals[0] ? strtoll(vals[0], NULL, 10) : 0;
    return 0;
}

/* Copy every table inside one transaction on `to`, which must hold nothing. */
static int copy_rows(const char *from, const char *to, const char *to_shown,
                     posture_store_copy_report *rep)
{
    endpoint src = {raw_of(from), NULL}, dst = {raw_of(to), NULL};
    int src_tx = 0, dst_tx = 0;
    int ret = src.ops->open(from, 0, &src.h);
    if (ret == 0)
        ret = dst.ops->open(to, 1, &dst.h);
    if (ret)
        goto done;
    if ((ret = dst.ops->begin(dst.h, 1)) != 0)
        goto done;
    dst_tx = 1;
    int64_t held = 0;
    if ((ret = dst.ops->rows(dst.h,
                             "SELECT (SELECT count(*) FROM assessment) + (SELECT count(*) FROM "
                             "answer) + (SELECT count(*) FROM audit)",
                             1, count_cb, &held)) != 0)
        goto done;
    if (held > 0) {
        ret = posture_error_set(POSTURE_EEXISTS,
                                "%s: the store holds assessments, answers or log entries "
                                "already; copy into a new or empty store",
                                to_shown);
        goto done;
    }
    if ((ret = src.ops->begin(src.h, 0)) != 0)
        goto done;
    src_tx = 1;
    for (size_t k = 0; k < NTABLES; k++) {
        size_t rows = 0;
        if ((ret = copy_table(&src, &dst, (int)k, &rows)) != 0)
            goto done;
        *(size_t *)((char *)rep + tables[k].count) = rows;
    }
    int64_t highest = 0;
    if ((ret = src.ops->highest_assessment_id(src.h, &highest)) != 0 ||
        (ret = dst.ops->fix_ids(dst.h, highest)) != 0)
        goto done;
    dst_tx = 0;
    if ((ret = dst.ops->commit(dst.h)) != 0)
        goto done;
done:
    if (dst_tx)
        dst.ops->rollback(dst.h);
    if (src_tx)
        src.ops->rollback(src.h);
    if (dst.h)
        dst.ops->close(dst.h);
    if (src.h)
        src.ops->close(src.h);
    return ret;
}

/* ---------------------------------------------------------------- verify */

static int same_str(const char *a, const char *b)
{
    if (!a || !b)
        return a == b;
    return strcmp(a, b) == 0;
}

static int same_points(const posture_points *a, const posture_points *b)
{
    return a->achieved_x100 == b->achieved_x100 && a->possible_x100 == b->possible_x100 &&
           a->has_percent == b->has_percent && (!a->has_percent || a->percent_x100 == b->percent_x100);
}

static int same_assessment(const posture_stored_assessment *a, const posture_stored_assessment *b)
{
    if (!same_str(a->name, b->name) || !same_str(a->template_id, b->template_id) ||
        !same_str(a->template_version, b->template_version) || !same_str(a->group, b->group) ||
        !same_str(a->organization, b->organization) || !same_str(a->scope, b->scope) ||
        !same_str(a->profile, b->profile) || !same_str(a->created_at, b->created_at) ||
        !same_str(a->updated_at, b->updated_at) || a->has_snapshot != b->has_snapshot)
        return 0;
    if (!a->has_snapshot)
        return 1;
    const posture_store_snapshot *x = &a->latest, *y = &b->latest;
    if (!same_str(x->at, y->at) || !same_str(x->change, y->change) ||
        !same_str(x->template_version, y->template_version) || !same_points(&x->score, &y->score))
        return 0;
    return memcmp(x->controls, y->controls, sizeof x->controls) == 0 &&
           memcmp(x->actions, y->actions, sizeof x->actions) == 0;
}

static int differ(const char *to, const char *from, const char *what)
{
    return posture_error_set(POSTURE_ESTORE, "%s: the copy differs from %s: %s", to, from, what);
}

static int lengths(posture_store *s, const char *name, size_t *hist, size_t *log)
{
    posture_store_mem *m = NULL;
    const posture_store_snapshot *h = NULL;
    const posture_store_log_entry *l = NULL;
    int ret = posture_store_history(s, name, &m, &h, hist);
    posture_store_mem_free(m);
    m = NULL;
    if (ret == 0)
        ret = posture_store_log(s, name, &m, &l, log);
    posture_store_mem_free(m);
    return ret;
}

/* Score `name` now in both; *scored 0 when its template is not to be found. */
static int score_both(posture_store *a, posture_store *b, const char *name, int *scored,
                      int *equal)
{
    posture_store_scored *x = NULL, *y = NULL;
    posture_diags *d = NULL;
    *scored = *equal = 0;
    int ret = posture_diags_new(&d);
    if (ret)
        return ret;
    ret = posture_store_score(a, name, NULL, d, &x);
    if (ret == POSTURE_ENOTFOUND) {
        ret = 0; /* the template is not in the search path: stored figures only */
        goto done;
    }
    if (ret || (ret = posture_store_score(b, name, NULL, d, &y)) != 0)
        goto done;
    *scored = 1;
    const posture_result *rx = posture_store_scored_result(x), *ry = posture_store_scored_result(y);
    size_t tx, ty;
    const size_t *cx = posture_result_control_counts(rx, &tx),
                 *cy = posture_result_control_counts(ry, &ty);
    *equal = same_points(posture_result_total(rx), posture_result_total(ry)) && tx == ty &&
             memcmp(cx, cy, POSTURE_CSTATUS__COUNT * sizeof *cx) == 0;
done:
    posture_store_scored_free(x);
    posture_store_scored_free(y);
    posture_diags_free(d);
    return ret;
}

static int verify(const char *from, const char *to, const char *from_shown, const char *to_shown,
                  posture_library *lib, posture_store_copy_report *rep)
{
    posture_store *a = NULL, *b = NULL;
    posture_store_mem *ma = NULL, *mb = NULL;
    const posture_stored_assessment *va = NULL, *vb = NULL;
    size_t na = 0, nb = 0;
    char what[512];
    int ret = posture_store_open(from, POSTURE_STORE_READONLY, &a, NULL);
    if (ret == 0)
        ret = posture_store_open(to, POSTURE_STORE_READONLY, &b, NULL);
    if (ret)
        goto done;
    posture_store_set_library(a, lib);
    posture_store_set_library(b, lib);
    posture_store_overall oa, ob;
    if ((ret = posture_store_overall_score(a, NULL, &oa, &ma, &va, &na)) != 0 ||
        (ret = posture_store_overall_score(b, NULL, &ob, &mb, &vb, &nb)) != 0)
        goto done;
    if (!same_points(&oa.score, &ob.score) || oa.keys != ob.keys ||
        oa.assessments != ob.assessments || na != nb) {
        ret = differ(to_shown, from_shown, "the overall score");
        goto done;
    }
    rep->overall = oa;
    for (size_t i = 0; i < na; i++) {
        if (!same_assessment(&va[i], &vb[i])) {
            snprintf(what, sizeof what, "assessment \"%s\"", va[i].name);
            ret = differ(to_shown, from_shown, what);
            goto done;
        }
        size_t ha, la, hb, lb;
        if ((ret = lengths(a, va[i].name, &ha, &la)) != 0 ||
            (ret = lengths(b, vb[i].name, &hb, &lb)) != 0)
            goto done;
        if (ha != hb || la != lb) {
            snprintf(what, sizeof what, "the history or log of assessment \"%s\"", va[i].name);
            ret = differ(to_shown, from_shown, what);
            goto done;
        }
        int scored = 0, equal = 0;
        if ((ret = score_both(a, b, va[i].name, &scored, &equal)) != 0)
            goto done;
        if (scored && !equal) {
            snprintf(what, sizeof what, "the score of assessment \"%s\"", va[i].name);
            ret = differ(to_shown, from_shown, what);
            goto done;
        }
        if (scored)
            rep->scored++;
        else
            rep->unscored++;
    }
done:
    posture_store_mem_free(ma);
    posture_store_mem_free(mb);
    posture_store_free(b);
    posture_store_free(a);
    return ret;
}

int posture_store_copy(const char *from, const char *to, posture_library *lib,
                       posture_store_copy_report *out)
{
    posture_store_copy_report rep;
    memset(&rep, 0, sizeof rep);
    posture_store *s = NULL;
    char *from_shown = posture_store_display_name(from), *to_shown = posture_store_display_name(to);
    int ret = 0;
    if (!from_shown || !to_shown) {
        ret = OOM();
        goto done;
    }
    /* both must be posture stores of this schema; `to` is created when missing */
    if ((ret = posture_store_open(from, POSTURE_STORE_READONLY, &s, NULL)) != 0)
        goto done;
    posture_store_free(s);
    s = NULL;
    if ((ret = posture_store_open(to, POSTURE_STORE_CREATE, &s, NULL)) != 0)
        goto done;
    posture_store_free(s);
    s = NULL;
    if ((ret = copy_rows(from, to, to_shown, &rep)) != 0)
        goto done;
    ret = verify(from, to, from_shown, to_shown, lib, &rep);
done:
    if (out)
        *out = rep;
    free(from_shown);
    free(to_shown);
    return ret;
}
