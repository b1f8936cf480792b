/*
 * store_log.c - the store (store_core.h): the audit log of an assessment.
 */
#include "store_core.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct logv {
    arena *ar;
    posture_store_log_entry *v;
    size_t n, cap;
} logv;

static int log_cb(void *ctx, const sb_audit *e)
{
    logv *l = ctx;
    if (store_grow((void **)&l->v, &l->cap, l->n, sizeof *l->v))
        return POSTURE_ENOMEM;
    posture_store_log_entry *o = &l->v[l->n];
    o->at = arena_strdup(l->ar, e->at);
    o->who = arena_strdup(l->ar, e->who);
    o->what = arena_strdup(l->ar, e->what);
    o->old_value = arena_strdup(l->ar, e->old_value);
    o->new_value = arena_strdup(l->ar, e->new_value);
    o->via = arena_strdup(l->ar, e->via);
    if (!o->at || !o->who || !o->what || (e->old_value && !o->old_value) ||
        (e->new_value && !o->new_value) || (e->via && !o->via))
        return OOM();
    l->n++;
    return 0;
}

static int log_fn(posture_store *s, int64_t id, void *ctx)
{
    return s->ops->audit_list(s->be, id, log_cb, ctx);
}

int posture_store_log(posture_store *s, const char *name, posture_store_mem **mem,
                      const posture_store_log_entry **items, size_t *n)
{
    posture_store_mem *m = store_mem_new();
    if (!m)
        return OOM();
    logv l = {.ar = &m->a};
    int rc = store_read_for(s, name, m, log_fn, &l);
    return store_finish_list(m, rc, l.v, l.n, sizeof *l.v, mem, (const void **)items, n);
}
