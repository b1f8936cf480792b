/*
 * store_copy.c - a whole store from one backend to another (store_admin.h):
 * the rows of every table with their ids, through each backend's raw access
 * (store_raw.h; the SQLite side is here, the PostgreSQL side in store_pg.c),
 * then both stores compared through the store interface.
 */
#include "posture/store_admin.h"

#include <sqlite3.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_pg.h"
#include "store_raw.h"

#define OOM() posture_error_set(POSTURE_ENOMEM, "out of memory")

char *posture_store_display_name(const char *db) { return store_pg_display(db); }

/* ------------------------------------------------------- SQLite raw access */

typedef struct sqlite_raw {
    sqlite3 *db;
    char *name;
    sqlite3_stmt *ins[STORE_RAW_MAX_INSERTS];
} sqlite_raw;

static int sr_fail(sqlite_raw *r)
{
    int code = sqlite3_errcode(r->db) & 0xff;
    if (code == SQLITE_BUSY || code == SQLITE_LOCKED)
        return posture_error_set(POSTURE_EBUSY, "%s: store is busy: another process kept it "
                                 "locked", r->name);
    if (code == SQLITE_NOMEM)
        return OOM();
    return posture_error_set(POSTURE_ESTORE, "%s: store error: %s", r->name,
                             sqlite3_errmsg(r->db));
}

static void sr_close(void *h)
{
    sqlite_raw *r = h;
    if (!r)
        return;
    for (int i = 0; i < STORE_RAW_MAX_INSERTS; i++)
        sqlite3_finalize(r->ins[i]);
    sqlite3_close(r->db);
    free(r->name);
    free(r);
}

static int sr_exec(sqlite_raw *r, const char *text)
{
    return sqlite3_exec(r->db, text, NULL, NULL, NULL) == SQLITE_OK ? 0 : sr_fail(r);
}

static int sr_open(const char *name, int write, void **h)
{
    *h = NULL;
    sqlite_raw *r = calloc(1, sizeof *r);
    if (!r || !(r->name = store_pg_display(name))) {
        free(r);
        return OOM();
    }
    int flags = SQLITE_OPEN_URI | (write ? SQLITE_OPEN_READWRITE : SQLITE_OPEN_READONLY);
    int ret = 0;
    if (sqlite3_open_v2(name, &r->db, flags, NULL) != SQLITE_OK) {
        ret = r->db ? sr_fail(r) : OOM();
        goto fail;
    }
    sqlite3_busy_timeout(r->db, 5000);
    if ((ret = sr_exec(r, "PRAGMA foreign_keys = ON")) != 0)
        goto fail;
    *h = r;
    return 0;
fail:
    sr_close(r);
    return ret;
}

static int sr_begin(void *h, int write)
{
    return sr_exec(h, write ? "BEGIN IMMEDIATE" : "BEGIN");
}

static int sr_commit(void *h) { return sr_exec(h, "COMMIT"); }

static void sr_rollback(void *h)
{
    sqlite_raw *r = h;
    if (!sqlite3_get_autocommit(r->db))
        sqlite3_exec(r->db, "ROLLBACK", NULL, NULL, NULL);
}

static int sr_rows(void *h, const char *select, int ncols, store_raw_row_cb cb, void *ctx)
{
    sqlite_raw *r = h;
    sqlite3_stmt *st = NULL;
    const char *vals[32];
    if (ncols > 32)
        return posture_error_set(POSTURE_ELIMIT, "too many columns");
    if (sqlite3_prepare_v2(r->db, select, -1, &st, NULL) != SQLITE_OK)
        return sr_fail(r);
    int rc, ret = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        for (int i = 0; i < ncols; i++)
            vals[i] = (const char *)sqlite3_column_text(st, i);
        if ((ret = cb(ctx, vals)) != 0)
            break;
    }
    if (ret == 0 && rc != SQLITE_DONE)
        ret = sr_fail(r);
    sqlite3_finalize(st);
    return ret;
}

static int sr_insert(void *h, int k, const char *table, const char *cols, int n,
                     const char *const *vals, const unsigned char *is_int)
{
    sqlite_raw *r = h;
    if (!r->ins[k]) {
        char text[640];
        int o = snprintf(text, sizeof text, "INSERT INTO %s(%s) VALUES (", table, cols);
        for (int i = 0; i < n && o > 0 && o < (int)sizeof text; i++)
            o += snprintf(text + o, sizeof text - (size_t)o, "%s?%d", i ? ", " : "", i + 1);
        if (o <= 0 || o + 2 >= (int)sizeof text)
            return posture_error_set(POSTURE_ELIMIT, "statement too long");
        strcpy(text + o, ")");
        if (sqlite3_prepare_v3(r->db, text, -1, SQLITE_PREPARE_PERSISTENT, &r->ins[k], NULL) !=
            SQLITE_OK)
            return sr_fail(r);
    }
    sqlite3_stmt *st = r->ins[k];
    for (int i = 0; i < n; i++) {
        if (!vals[i])
            sqlite3_bind_null(st, i + 1);
        else if (is_int[i])
            sqlite3_bind_int64(st, i + 1, strtoll(vals[i], NULL, 10));
        else
            sqlite3_bind_text(st, i + 1, vals[i], -1, SQLITE_STATIC);
    }
    int ret = sqlite3_step(st) == SQLITE_DONE ? 0 : sr_fail(r);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return ret;
}

static int sr_int(sqlite_raw *r, const char *text, int64_t arg, int64_t *out)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(r->db, text, -1, &st, NULL) != SQLITE_OK)
        return sr_fail(r);
    if (sqlite3_bind_parameter_count(st) > 0)
        sqlite3_bind_int64(st, 1, arg);
    int rc = sqlite3_step(st), ret = 0;
    if (rc == SQLITE_ROW && out)
        *out = sqlite3_column_int64(st, 0);
    else if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        ret = sr_fail(r);
    sqlite3_finalize(st);
    return ret;
}

static int sr_highest(void *h, int64_t *out)
{
    return sr_int(h,
                  "SELECT max(COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'assessment'),"
                  " 0), COALESCE((SELECT max(id) FROM assessment), 0),"
                  " COALESCE((SELECT max(assessment_id) FROM audit), 0))",
                  0, out);
}

static int sr_fix_ids(void *h, int64_t highest)
{
    sqlite_raw *r = h;
    /* rowid tables take max(id) + 1 by themselves; AUTOINCREMENT keeps its counter here */
    int ret = sr_int(r, "UPDATE sqlite_sequence SET seq = max(seq, ?1) WHERE name = 'assessment'",
                     highest, NULL);
    if (ret == 0 && sqlite3_changes(r->db) == 0 && highest > 0)
        ret = sr_int(r, "INSERT INTO sqlite_sequence(name, seq) VALUES ('assessment', ?1)",
                     highest, NULL);
    return ret;
}

const store_raw_ops store_raw_sqlite = {
    .open = sr_open,
    .close = sr_close,
    .begin = sr_begin,
    .commit = sr_commit,
    .rollback = sr_rollback,
    .rows = sr_rows,
    .insert = sr_insert,
    .highest_assessment_id = sr_highest,
    .fix_ids = sr_fix_ids,
};

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
    return store_pg_is_uri(name) ? &store_raw_pg : &store_raw_sqlite;
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
    char *from_shown = store_pg_display(from), *to_shown = store_pg_display(to);
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
