/*
 * store_answer.c - the store (store_core.h): answers: one answer set (shared keys audited for
 * every assessment that includes them), a bulk import, and the evidence and shares of an
 * assessment.
 */
#include "store_core.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "posture/sheet_answers.h"

/* --------------------------------------------------------------- answers */

/* The current answer of a key, copied (found = 0 when none). */
typedef struct cur_answer {
    int found;
    ans_row row;
    arena *ar;
} cur_answer;

static int copy_one_answer(void *ctx, const sb_answer *a)
{
    cur_answer *c = ctx;
    rows r = {.ar = c->ar};
    int rc = store_collect_answer(&r, a);
    if (rc == 0) {
        c->row = r.ans[0];
        c->found = 1;
    }
    store_rows_release(&r);
    return rc;
}

int store_current_answer(posture_store *s, arena *ar, const char *action, const char *share,
                         ans_row *out, int *found)
{
    cur_answer c = {0, {0}, ar};
    int rc = s->ops->answer_get(s->be, action, share, copy_one_answer, &c);
    if (rc && rc != POSTURE_ENOTFOUND)
        return rc;
    *found = c.found;
    if (c.found)
        *out = c.row;
    return 0;
}

/* A desired answer: fields to change (NULL pointer / has 0 = keep). */
typedef struct want {
    const char *action;
    const posture_action *act;
    int has_impl;
    posture_implementation impl;
    int has_test;
    posture_test test;
    const char *tested_at, *assigned_to, *notes; /* "" clears */
    const char *const *evidence;
    size_t nevidence;
} want;

static const char *text_field(const char *wanted, const char *cur)
{
    if (!wanted)
        return cur;
    return *wanted ? wanted : NULL;
}

/*
 * Apply one desired answer to the key of `w->act` in assessment `a`.
 * `cur` is the current answer (NULL when none). Records the field changes
 * in `v` (one keychg when anything changed).
 */
static int apply_answer(change *c, const arow *a, const want *w, const ans_row *cur, fvec *v)
{
    posture_store *s = c->s;
    arena *ar = c->ar;
    const char *share = store_share_of(w->act, a->grp);
    posture_implementation old_impl = POSTURE_IMPL_NOT_IMPLEMENTED;
    posture_test old_test = POSTURE_TEST_NOT_ASSESSED;
    int rc;
    if (cur && (rc = store_parse_statuses(s, cur, &old_impl, &old_test)) != 0)
        return rc;
    posture_implementation impl = w->has_impl ? w->impl : old_impl;
    posture_test test = w->has_test ? w->test : old_test;
    const char *ot = cur ? cur->tested_at : NULL, *oa = cur ? cur->assigned_to : NULL,
               *on = cur ? cur->notes : NULL;
    const char *nt = text_field(w->tested_at, ot), *na = text_field(w->assigned_to, oa),
               *nn = text_field(w->notes, on);
    size_t first = v->n;
#define FIELD(label, o, n)                                                                   \
    if (!store_same(o, n)) {                                                                       \
        const char *what_ = store_acat(ar, "answer ", w->action, " ", label, (char *)NULL);        \
        const char *o_ = arena_strdup(ar, o), *n_ = arena_strdup(ar, n);                     \
        if (!what_ || ((o) && !o_) || ((n) && !n_) || store_fadd(v, what_, o_, n_))               \
            return OOM();                                                                    \
    }
    FIELD("implementation", posture_implementation_token(old_impl),
          posture_implementation_token(impl))
    FIELD("test", posture_test_token(old_test), posture_test_token(test))
    FIELD("tested_at", ot, nt)
    FIELD("assigned_to", oa, na)
    FIELD("notes", on, nn)
#undef FIELD
    int64_t id = cur ? cur->id : 0;
    if (v->n > first || (!cur && w->nevidence)) {
        sb_answer row = {0,    w->action, share, posture_implementation_token(impl),
                         posture_test_token(test), nt, na, nn, s->now, s->who};
        /* the id is needed for evidence only: without it the backend skips RETURNING */
        if ((rc = s->ops->answer_put(s->be, &row, w->nevidence ? &id : NULL)) != 0)
            return rc;
    }
    for (size_t i = 0; i < w->nevidence; i++) {
        sb_evidence e = {id, w->action, w->evidence[i], NULL, s->who, s->now};
        int added = 0; /* 0 when the answer has this URI already */
        if ((rc = s->ops->evidence_add(s->be, &e, &added)) != 0)
            return rc;
        if (added) {
            const char *what = store_afmt(ar, "answer %s evidence", w->action);
            const char *uri = arena_strdup(ar, w->evidence[i]);
            if (!what || !uri || store_fadd(v, what, NULL, uri))
                return OOM();
        }
    }
    if (v->n > first) {
        if (store_grow((void **)&v->k, &v->capk, v->nk, sizeof *v->k))
            return POSTURE_ENOMEM;
        keychg *k = &v->k[v->nk++];
        k->action = w->action;
        k->share = arena_strdup(ar, share);
        if (!k->share)
            return OOM();
        k->first = first;
        k->n = v->n - first;
    }
    return 0;
}

/* Audit the key's changes for assessment `id` and mark it touched. */
int store_audit_key_for(change *c, int64_t id, const keychg *k, const fvec *v)
{
    int rc = store_touch_add(c, id, NULL);
    if (rc)
        return rc;
    const char *name = store_touch_name(c, id);
    for (size_t i = 0; i < k->n; i++)
        if ((rc = store_audit(c, id, name, &v->f[k->first + i])) != 0)
            return rc;
    return 0;
}

typedef struct neigh_ctx {
    change *c;
    const fvec *v;
    strmap *changed; /* key -> keychg index */
    int64_t id;
    arena *ar;
} neigh_ctx;

static int neigh_incl_cb(void *ctx, const sb_incl *r)
{
    neigh_ctx *n = ctx;
    char buf[1024];
    const char *key = buf;
    if ((size_t)snprintf(buf, sizeof buf, "%s\x1f%s", r->action, r->share) >= sizeof buf)
        key = store_key_of(n->ar, r->action, r->share);
    if (!key)
        return OOM();
    size_t ki;
    if (!strmap_get(n->changed, key, &ki))
        return 0;
    return store_audit_key_for(n->c, n->id, &n->v->k[ki], n->v);
}

/* Audit every changed key for every assessment that shares it. */
static int audit_changes(change *c, const fvec *v)
{
    posture_store *s = c->s;
    int rc = 0;
    /* the primary assessment first, in the order of the changes */
    for (size_t i = 0; i < v->nk; i++)
        if ((rc = store_audit_key_for(c, c->primary.id, &v->k[i], v)) != 0)
            return rc;
    if (v->nk <= 32) {
        for (size_t i = 0; i < v->nk; i++) {
            idvec ids = {0};
            rc = s->ops->incl_sharers(s->be, v->k[i].action, v->k[i].share, store_collect_id, &ids);
            for (size_t j = 0; rc == 0 && j < ids.n; j++)
                if (ids.v[j] != c->primary.id)
                    rc = store_audit_key_for(c, ids.v[j], &v->k[i], v);
            free(ids.v);
            if (rc)
                return rc;
        }
        return 0;
    }
    /* many keys: walk the inclusions of each assessment sharing any key */
    strmap changed;
    strmap_init(&changed);
    idvec ids = {0};
    for (size_t i = 0; rc == 0 && i < v->nk; i++) {
        const char *key = store_key_of(c->ar, v->k[i].action, v->k[i].share);
        if (!key || strmap_put(&changed, key, i, NULL) < 0)
            rc = OOM();
    }
    if (rc == 0)
        rc = s->ops->incl_neighbours(s->be, c->primary.id, store_collect_id, &ids);
    for (size_t j = 0; rc == 0 && j < ids.n; j++) {
        neigh_ctx n = {c, v, &changed, ids.v[j], c->ar};
        rc = s->ops->incl_list(s->be, ids.v[j], neigh_incl_cb, &n);
    }
    free(ids.v);
    strmap_release(&changed);
    return rc;
}

int posture_store_answer_set(posture_store *s, const char *name,
                             const posture_store_answer_change *chg, posture_diags *diags,
                             posture_store_mem **mem, const posture_store_outcome **out)
{
    change c;
    fvec v = {0};
    int rc = store_change_begin(&c, s, mem);
    if (rc)
        return rc;
    if (chg->tested_at && *chg->tested_at && !posture_date_valid(chg->tested_at)) {
        rc = posture_error_set(POSTURE_EUSAGE, "tested date \"%s\" is not an ISO 8601 date "
                               "(YYYY-MM-DD)", chg->tested_at);
        goto done;
    }
    if ((rc = s->ops->begin(s->be, 1)) != 0)
        goto done;
    const posture_template *t = NULL;
    if ((rc = store_get_assessment(s, c.ar, name, &c.primary)) != 0 ||
        (rc = store_assessment_template(s, &c.primary, diags, &t)) != 0)
        goto rollback;
    long ai = posture_template_find_action(t, chg->action);
    if (ai < 0) {
        rc = posture_error_set(POSTURE_ENOTFOUND, "assessment \"%s\" has no action \"%s\"", name,
                               chg->action);
        goto rollback;
    }
    want w = {chg->action,    posture_template_action(t, (size_t)ai), chg->has_implementation,
              chg->implementation, chg->has_test, chg->test, chg->tested_at, chg->assigned_to,
              chg->notes,     chg->evidence, chg->nevidence};
    ans_row cur;
    int found = 0;
    if ((rc = store_current_answer(s, c.ar, chg->action, store_share_of(w.act, c.primary.grp), &cur,
                                   &found)) != 0 ||
        (rc = apply_answer(&c, &c.primary, &w, found ? &cur : NULL, &v)) != 0 ||
        (rc = audit_changes(&c, &v)) != 0)
        goto rollback;
    const char *what = store_afmt(c.ar, "answer %s", chg->action);
    if (!what) {
        rc = OOM();
        goto rollback;
    }
    rc = store_change_finish(&c, what, diags, 0, mem, out);
    if (rc == 0)
        goto done;
rollback:
    s->ops->rollback(s->be);
done:
    store_fvec_release(&v);
    store_change_release(&c);
    posture_store_mem_free(c.mem);
    return rc;
}

/* ------------------------------------------------------------------ import */

int posture_store_answer_import(posture_store *s, const char *name, const char *path,
                                posture_diags *diags, posture_store_mem **mem,
                                const posture_store_outcome **out)
{
    change c;
    fvec v = {0}, vc = {0};
    rows cur = {0}, ex = {0};
    strmap by_action;
    strmap_init(&by_action);
    posture_answers *ans = NULL;
    int in_tx = 0;
    int rc = store_change_begin(&c, s, mem);
    if (rc)
        return rc;
    cur.ar = ex.ar = c.ar;
    /* read the file before taking the write lock */
    const posture_template *t = NULL;
    if ((rc = store_get_assessment(s, c.ar, name, &c.primary)) != 0 ||
        (rc = store_assessment_template(s, &c.primary, diags, &t)) != 0)
        goto done;
    if ((rc = posture_answers_load(path, t, diags, &ans)) != 0)
        goto done;
    if ((rc = s->ops->begin(s->be, 1)) != 0)
        goto done;
    in_tx = 1;
    arow now;
    if ((rc = store_get_assessment(s, c.ar, name, &now)) != 0)
        goto done;
    if (now.id != c.primary.id || !store_same(now.template_version, c.primary.template_version) ||
        !store_same(now.grp, c.primary.grp)) {
        rc = posture_error_set(POSTURE_EBUSY, "assessment \"%s\" changed while the file was "
                               "read; try again", name);
        goto done;
    }
    if ((rc = store_load_rows(s, c.primary.id, &cur, 1, 0, 0)) != 0 ||
        (rc = store_load_rows(s, c.primary.id, &ex, 0, 0, 1)) != 0)
        goto done;
    for (size_t i = 0; i < cur.nans; i++)
        if (strmap_put(&by_action, cur.ans[i].action, i, NULL) < 0) {
            rc = OOM();
            goto done;
        }
    size_t n = posture_answers_count(ans);
    long kill_after = -1;
    const char *k = getenv("POSTURE_TEST_KILL_AFTER"); /* crash tests only (docs/store.md) */
    if (k && *k)
        kill_after = strtol(k, NULL, 10);
    for (size_t i = 0; i < n; i++) {
        const posture_answer *a = posture_answers_get(ans, i);
        if (a->action_index < 0)
            continue;
        want w = {a->action,      posture_template_action(t, (size_t)a->action_index),
                  1,              a->implementation,
                  1,              a->test,
                  a->tested_at,   a->assigned_to,
                  a->notes,       a->evidence,
                  a->nevidence};
        size_t ci;
        const ans_row *cr = strmap_get(&by_action, a->action, &ci) ? &cur.ans[ci] : NULL;
        if (cr && strcmp(cr->share, store_share_of(w.act, c.primary.grp)) != 0)
            cr = NULL;
        if ((rc = apply_answer(&c, &c.primary, &w, cr, &v)) != 0)
            goto done;
        if (kill_after >= 0 && (long)i + 1 >= kill_after)
            raise(SIGKILL);
        if (s->progress && ((i + 1) % 1000 == 0 || i + 1 == n))
            s->progress(s->progress_ctx, i + 1, n);
    }
    for (size_t i = 0; i < posture_answers_control_count(ans); i++) {
        const posture_control_scope *cs = posture_answers_control(ans, i);
        const sb_exclusion *cx = NULL;
        for (size_t j = 0; j < ex.nex; j++)
            if (strcmp(ex.ex[j].control, cs->control) == 0)
                cx = &ex.ex[j];
        rc = store_apply_control(&c, cs->control, cs->applicable, cs->justification, cx, &vc);
        if (rc != 0)
            goto done;
    }
    if ((rc = audit_changes(&c, &v)) != 0 || (rc = store_audit_primary(&c, &vc)) != 0)
        goto done;
    const char *base = strrchr(path, '/');
    const char *what = store_afmt(c.ar, "answers imported from %s", base ? base + 1 : path);
    if (!what) {
        rc = OOM();
        goto done;
    }
    if ((rc = store_change_finish(&c, what, diags, 0, mem, out)) == 0)
        in_tx = 0;
done:
    if (in_tx)
        s->ops->rollback(s->be);
    strmap_release(&by_action);
    store_rows_release(&cur);
    store_rows_release(&ex);
    posture_answers_free(ans);
    store_fvec_release(&v);
    store_fvec_release(&vc);
    store_change_release(&c);
    posture_store_mem_free(c.mem);
    return rc;
}

static int ev_fn(posture_store *s, int64_t id, void *ctx)
{
    return s->ops->evidence_of(s->be, id, store_collect_evidence, ctx);
}

int posture_store_evidence_list(posture_store *s, const char *name, posture_store_mem **mem,
                                const posture_store_evidence **items, size_t *n)
{
    posture_store_mem *m = store_mem_new();
    if (!m)
        return OOM();
    rows r = {.ar = &m->a};
    int rc = store_read_for(s, name, m, ev_fn, &r);
    posture_store_evidence *v = NULL;
    if (rc == 0 && r.nev && !(v = malloc(r.nev * sizeof *v)))
        rc = OOM();
    for (size_t i = 0; rc == 0 && i < r.nev; i++) {
        posture_store_evidence e = {r.ev[i].action, r.ev[i].uri, r.ev[i].note, r.ev[i].added_by,
                                    r.ev[i].added_at};
        v[i] = e;
    }
    size_t cnt = r.nev;
    store_rows_release(&r);
    return store_finish_list(m, rc, v, rc ? 0 : cnt, sizeof *v, mem, (const void **)items, n);
}

typedef struct sharev {
    arena *ar;
    posture_store_share *v;
    size_t n, cap;
} sharev;

static int share_cb(void *ctx, const char *action, const char *assessment)
{
    sharev *l = ctx;
    if (store_grow((void **)&l->v, &l->cap, l->n, sizeof *l->v))
        return POSTURE_ENOMEM;
    l->v[l->n].action = arena_strdup(l->ar, action);
    l->v[l->n].assessment = arena_strdup(l->ar, assessment);
    if (!l->v[l->n].action || !l->v[l->n].assessment)
        return OOM();
    l->n++;
    return 0;
}

static int share_fn(posture_store *s, int64_t id, void *ctx)
{
    return s->ops->incl_shares(s->be, id, share_cb, ctx);
}

int posture_store_shares(posture_store *s, const char *name, posture_store_mem **mem,
                         const posture_store_share **items, size_t *n)
{
    posture_store_mem *m = store_mem_new();
    if (!m)
        return OOM();
    sharev l = {.ar = &m->a};
    int rc = store_read_for(s, name, m, share_fn, &l);
    return store_finish_list(m, rc, l.v, l.n, sizeof *l.v, mem, (const void **)items, n);
}
