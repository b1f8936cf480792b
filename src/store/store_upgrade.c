/*
 * store_upgrade.c - the store (store_core.h): moving an assessment to another version of its
 * template, answers carried over (with a dry run).
 */
#define _XOPEN_SOURCE 700 /* realpath */
#include "store_core.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ----------------------------------------------------------------- upgrade */

/* Compare semantic versions MAJOR.MINOR.PATCH numerically. */
static int semver_cmp(const char *a, const char *b)
{
    for (int i = 0; i < 3; i++) {
        char *ea, *eb;
        unsigned long x = strtoul(a, &ea, 10), y = strtoul(b, &eb, 10);
        if (x != y)
            return x < y ? -1 : 1;
        a = *ea == '.' ? ea + 1 : ea;
        b = *eb == '.' ? eb + 1 : eb;
    }
    return 0;
}

static int push_str(arena *ar, const char ***v, size_t *n, size_t *cap, const char *s)
{
    if (store_grow((void **)v, cap, *n, sizeof **v))
        return POSTURE_ENOMEM;
    if (!((*v)[*n] = arena_strdup(ar, s)))
        return OOM();
    (*n)++;
    return 0;
}

/* Copy a malloc'd array of strings into the arena (for the outcome). */
static const char *const *to_arena(arena *ar, const char **v, size_t n)
{
    if (!n)
        return NULL;
    const char **o = arena_alloc(ar, n * sizeof *o);
    if (o)
        memcpy(o, v, n * sizeof *o);
    return o;
}

/* The renamed controls of `t` since version `from`: each old id and the control it became. */
typedef struct renames {
    strmap old;            /* old id -> index in `to` */
    size_t *to;            /* new control index */
    const char **ids;      /* old id */
    size_t n;
} renames;

static int renames_of(const posture_template *t, const char *from, arena *ar, renames *rn)
{
    strmap_init(&rn->old);
    rn->n = 0;
    size_t total = 0, nc = posture_template_control_count(t);
    for (size_t i = 0; i < nc; i++)
        total += posture_template_control(t, i)->nwas;
    rn->to = arena_alloc(ar, (total ? total : 1) * sizeof *rn->to);
    rn->ids = arena_alloc(ar, (total ? total : 1) * sizeof *rn->ids);
    if (!rn->to || !rn->ids)
        return OOM();
    for (size_t i = 0; i < nc; i++) {
        const char *ids[16];
        size_t n = posture_template_control_was(t, i, from, ids, 16);
        for (size_t k = 0; k < n; k++) {
            int r = strmap_put(&rn->old, ids[k], rn->n, NULL);
            if (r < 0)
                return OOM();
            if (r == 1)
                continue; /* template validation refuses two controls claiming one old id */
            rn->to[rn->n] = i;
            rn->ids[rn->n++] = ids[k];
        }
    }
    return 0;
}

/*
 * Statement-of-Applicability entries across renamed controls: each exclusion of an old id that
 * a control of `t` was at `from` moves to that control (all of its old ids excluded, when it
 * merges several; justifications joined with "; "), unless the control keeps an exclusion of
 * its own. Moved entries are marked in `moved` (by index in r->ex) and listed in `*list`.
 */
static int carry_renamed(change *c, const posture_template *t, const char *from, rows *r,
                         char *moved, const char ***list, size_t *nlist, size_t *caplist,
                         fvec *v)
{
    posture_store *s = c->s;
    renames rn;
    int rc = renames_of(t, from, c->ar, &rn);
    for (size_t i = 0; rc == 0 && i < r->nex; i++) {
        size_t k;
        if (moved[i] || !strmap_get(&rn.old, r->ex[i].control, &k))
            continue;
        size_t to = rn.to[k];
        const char *new_id = posture_template_control(t, to)->id;
        /* every old id of the control excluded? their justifications, in old id order */
        int all = 1;
        char *just = NULL;
        for (size_t j = 0; j < rn.n && all; j++) {
            if (rn.to[j] != to)
                continue;
            long e = -1;
            for (size_t x = 0; x < r->nex && e < 0; x++)
                if (strcmp(r->ex[x].control, rn.ids[j]) == 0)
                    e = (long)x;
            if (e < 0) {
                all = 0;
                break;
            }
            const char *jt = r->ex[e].justification;
            just = just && !strstr(just, jt) ? store_afmt(c->ar, "%s; %s", just, jt)
                   : just                    ? just
                                             : (char *)arena_strdup(c->ar, jt);
            if (!just)
                rc = OOM();
        }
        /* the new id excluded already, and not by an entry that moves away: it stays */
        size_t other;
        int kept = 0;
        for (size_t x = 0; x < r->nex; x++)
            kept |= strcmp(r->ex[x].control, new_id) == 0 && !strmap_get(&rn.old, new_id, &other);
        for (size_t j = 0; rc == 0 && j < rn.n; j++) {
            if (rn.to[j] != to)
                continue;
            for (size_t x = 0; x < r->nex; x++) {
                if (moved[x] || strcmp(r->ex[x].control, rn.ids[j]) != 0)
                    continue;
                moved[x] = 1;
                if ((rc = s->ops->exclusion_delete(s->be, c->primary.id, rn.ids[j])) != 0)
                    break;
                const char *item = store_afmt(c->ar, "%s -> %s", rn.ids[j], new_id);
                const char *what = store_afmt(c->ar, "control %s", rn.ids[j]);
                const char *old_value =
                    store_afmt(c->ar, "not applicable: %s", r->ex[x].justification);
                const char *nv = all ? store_afmt(c->ar, "renamed to %s", new_id)
                                     : store_afmt(c->ar, "renamed to %s, which applies", new_id);
                if (!item || !what || !old_value || !nv ||
                    store_fadd(v, what, old_value, nv) ||
                    store_grow((void **)list, caplist, *nlist, sizeof **list)) {
                    rc = OOM();
                    break;
                }
                (*list)[(*nlist)++] = item;
            }
        }
        if (rc == 0 && all && !kept && just) {
            sb_exclusion x = {c->primary.id, new_id, just, r->ex[i].at, r->ex[i].by};
            const char *what = store_afmt(c->ar, "control %s", new_id);
            const char *nv = store_afmt(c->ar, "not applicable: %s", just);
            if ((rc = s->ops->exclusion_put(s->be, &x)) == 0 &&
                (!what || !nv || store_fadd(v, what, "applicable", nv)))
                rc = OOM();
        }
    }
    strmap_release(&rn.old);
    return rc;
}

int posture_store_assessment_upgrade(posture_store *s, const char *name, const char *to_version,
                                     int dry_run, posture_diags *diags, posture_store_mem **mem,
                                     const posture_store_outcome **out)
{
    change c;
    fvec v = {0};
    rows r = {0};
    const char **added = NULL, **removed = NULL, **dropped = NULL, **renamed = NULL;
    size_t nadd = 0, capadd = 0, nrem = 0, caprem = 0, ndrop = 0, capdrop = 0, nren = 0,
           capren = 0;
    char *moved = NULL;
    posture_template *tl = NULL;
    incl_vec old = {0};
    strmap old_ids;
    strmap_init(&old_ids);
    int in_tx = 0;
    int rc = store_change_begin(&c, s, mem);
    if (rc)
        return rc;
    r.ar = c.ar;
    if ((rc = s->ops->begin(s->be, 1)) != 0)
        goto done;
    in_tx = 1;
    /* the old version need not be loadable (its file may have been replaced by the new
       one): its actions are the assessment's inclusions */
    const posture_template *new_t = NULL;
    old.ar = c.ar;
    if ((rc = store_get_assessment(s, c.ar, name, &c.primary)) != 0 ||
        (rc = s->ops->incl_list(s->be, c.primary.id, store_collect_incl, &old)) != 0)
        goto done;
    for (size_t i = 0; i < old.n; i++)
        if (strmap_put(&old_ids, old.v[i].action, i, NULL) < 0) {
            rc = OOM();
            goto done;
        }
    const arow a0 = c.primary;
    char ref[512];
    if (to_version)
        snprintf(ref, sizeof ref, "%s@%s", a0.template_id, to_version);
    else
        snprintf(ref, sizeof ref, "%s", a0.template_id);
    const char *path = NULL;
    if (!s->lib || posture_library_find(s->lib, ref, &path) != 0) {
        rc = posture_error_set(POSTURE_ENOTFOUND, "template \"%s\" is not in the template "
                               "search path", ref);
        goto done;
    }
    if ((rc = posture_template_load(s->lib, path, 0, diags, &tl)) != 0)
        goto done;
    const posture_template_info *nin = posture_template_info_get(tl);
    if (!store_same(nin->id, a0.template_id)) {
        rc = posture_error_set(POSTURE_ENOTFOUND, "%s: not template \"%s\"", path, ref);
        goto done;
    }
    char *abs = realpath(path, NULL);
    const char *file = abs ? arena_strdup(c.ar, abs) : NULL;
    free(abs);
    int cmp = semver_cmp(nin->version, a0.template_version);
    if (cmp < 0) {
        rc = posture_error_set(POSTURE_EUSAGE, "template %s@%s is older than the version of "
                               "assessment \"%s\" (%s)",
                               nin->id, nin->version, name, a0.template_version);
        goto done;
    }
    if ((rc = store_cache_template(s, tl, &new_t)) != 0) {
        tl = NULL;
        goto done;
    }
    tl = NULL;
    posture_store_outcome *o = &c.mem->outcome;
    if (!(o->from_version = arena_strdup(c.ar, a0.template_version)) ||
        !(o->to_version = arena_strdup(c.ar, posture_template_info_get(new_t)->version))) {
        rc = OOM();
        goto done;
    }
    if (cmp == 0) { /* already there: nothing to do */
        s->ops->rollback(s->be);
        in_tx = 0;
        *mem = c.mem;
        *out = o;
        c.mem = NULL;
        goto done;
    }
    for (size_t i = 0; i < posture_template_action_count(new_t); i++) {
        const posture_action *act = posture_template_action(new_t, i);
        size_t k;
        if (!strmap_get(&old_ids, act->id, &k) &&
            (rc = push_str(c.ar, &added, &nadd, &capadd, act->id)) != 0)
            goto done;
    }
    for (size_t i = 0; i < old.n; i++) {
        if (posture_template_find_action(new_t, old.v[i].action) < 0 &&
            (rc = push_str(c.ar, &removed, &nrem, &caprem, old.v[i].action)) != 0)
            goto done;
    }
    /* answers of actions whose key changes (implementation type changed) carry over */
    if ((rc = store_load_rows(s, a0.id, &r, 1, 1, 1)) != 0)
        goto done;
    if ((rc = s->ops->incl_delete_all(s->be, a0.id)) != 0 ||
        (rc = store_insert_inclusions(s, a0.id, new_t, a0.grp)) != 0)
        goto done;
    for (size_t i = 0; i < r.nans; i++) {
        long ni = posture_template_find_action(new_t, r.ans[i].action);
        if (ni < 0)
            continue;
        const char *share = store_share_of(posture_template_action(new_t, (size_t)ni), a0.grp);
        int copied;
        if (strcmp(share, r.ans[i].share) != 0 &&
            (rc = store_carry_answer(&c, &r.ans[i], &r, share, &copied)) != 0)
            goto done;
    }
    if (!(moved = calloc(r.nex ? r.nex : 1, 1))) {
        rc = OOM();
        goto done;
    }
    if ((rc = carry_renamed(&c, new_t, a0.template_version, &r, moved, &renamed, &nren, &capren,
                            &v)) != 0)
        goto done;
    for (size_t i = 0; i < r.nex; i++) {
        if (moved[i] || posture_template_find_control(new_t, r.ex[i].control) >= 0)
            continue;
        if ((rc = push_str(c.ar, &dropped, &ndrop, &capdrop, r.ex[i].control)) != 0 ||
            (rc = s->ops->exclusion_delete(s->be, a0.id, r.ex[i].control)) != 0)
            goto done;
        const char *what = store_afmt(c.ar, "control %s", r.ex[i].control);
        const char *old_value = store_afmt(c.ar, "not applicable: %s", r.ex[i].justification);
        if (!what || !old_value || store_fadd(&v, what, old_value, "removed from the template")) {
            rc = OOM();
            goto done;
        }
    }
    arow a = a0;
    a.template_version = o->to_version;
    a.template_file = file;
    const char *ov = store_afmt(c.ar, "%s@%s", a0.template_id, a0.template_version);
    const char *nv = store_afmt(c.ar, "%s@%s", a0.template_id, o->to_version);
    if (!ov || !nv || store_fadd(&v, "assessment template", ov, nv)) {
        rc = OOM();
        goto done;
    }
    sb_assessment sa = store_to_sb(&a);
    if ((rc = s->ops->assessment_update(s->be, &sa)) != 0)
        goto done;
    if ((rc = store_audit_primary(&c, &v)) != 0)
        goto done;
    o->added = to_arena(c.ar, added, nadd);
    o->nadded = nadd;
    o->removed = to_arena(c.ar, removed, nrem);
    o->nremoved = nrem;
    o->dropped_controls = to_arena(c.ar, dropped, ndrop);
    o->ndropped_controls = ndrop;
    o->renamed_controls = to_arena(c.ar, renamed, nren);
    o->nrenamed_controls = nren;
    if ((nadd && !o->added) || (nrem && !o->removed) || (ndrop && !o->dropped_controls) ||
        (nren && !o->renamed_controls)) {
        rc = OOM();
        goto done;
    }
    const char *what = store_afmt(c.ar, "upgraded to %s", nv);
    if (!what) {
        rc = OOM();
        goto done;
    }
    if ((rc = store_change_finish(&c, what, diags, dry_run, mem, out)) == 0)
        in_tx = 0;
done:
    if (in_tx)
        s->ops->rollback(s->be);
    strmap_release(&old_ids);
    free(old.v);
    posture_template_free(tl);
    free(added);
    free(removed);
    free(dropped);
    free(renamed);
    free(moved);
    store_rows_release(&r);
    store_fvec_release(&v);
    store_change_release(&c);
    posture_store_mem_free(c.mem);
    return rc;
}
