/*
 * store_history.c - the store (store_core.h): the score history of an assessment: its
 * snapshots.
 */
#include "store_core.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct hist {
    arena *ar;
    posture_store_snapshot *v;
    size_t n, cap;
} hist;

static int hist_cb(void *ctx, const sb_snapshot *sn)
{
    hist *h = ctx;
    if (store_grow((void **)&h->v, &h->cap, h->n, sizeof *h->v))
        return POSTURE_ENOMEM;
    int have;
    snap_into x = {h->ar, &h->v[h->n], &have};
    memset(x.o, 0, sizeof *x.o);
    int rc = store_snap_into_cb(&x, sn);
    if (rc == 0)
        h->n++;
    return rc;
}

static int hist_fn(posture_store *s, int64_t id, void *ctx)
{
    return s->ops->snapshot_list(s->be, id, hist_cb, ctx);
}

int posture_store_history(posture_store *s, const char *name, posture_store_mem **mem,
                          const posture_store_snapshot **items, size_t *n)
{
    posture_store_mem *m = store_mem_new();
    if (!m)
        return OOM();
    hist h = {.ar = &m->a};
    int rc = store_read_for(s, name, m, hist_fn, &h);
    return store_finish_list(m, rc, h.v, h.n, sizeof *h.v, mem, (const void **)items, n);
}
