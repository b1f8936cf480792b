/*
 * store_assessment.c - the store (store_core.h): assessments: create, set, delete, list and get
 * (with their latest snapshots).
 */
#define _XOPEN_SOURCE 700 /* realpath */
#include "store_core.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* ------------------------------------------------- create, set, delete */

int store_insert_inclusions(posture_store *s, int64_t aid, const posture_template *t,
                            const char *grp)
{
    size_t na = posture_template_action_count(t);
    for (size_t i = 0; i < na; i++) {
        const posture_action *act = posture_template_action(t, i);
        sb_incl r = {aid, (int64_t)i, act->id, store_share_of(act, grp), 0, 0, 0};
        int rc = s->ops->incl_insert(s->be, &r);
        if (rc)
            return rc;
    }
    return 0;
}

/* A profile reference as stored: a file becomes an absolute path. */
int store_profile_ref(posture_store *s, arena *ar, const char *ref, posture_diags *diags,
                      const char **out)
{
    const posture_profile *p = NULL;
    int rc = store_load_profile(s, ref, diags, &p);
    if (rc)
        return rc;
    struct stat st;
    char *abs = NULL;
    if (stat(ref, &st) == 0 && S_ISREG(st.st_mode) && (abs = realpath(ref, NULL)) != NULL) {
        *out = arena_strdup(ar, abs);
        free(abs);
    } else {
        *out = arena_strdup(ar, ref);
    }
    return *out ? 0 : OOM();
}

int posture_store_assessment_create(posture_store *s, const posture_store_assessment_spec *spec,
                                    posture_diags *diags, posture_store_mem **mem,
                                    const posture_store_outcome **out)
{
    change c;
    fvec v = {0};
    posture_template *tl = NULL;
    int in_tx = 0;
    int rc = store_change_begin(&c, s, mem);
    if (rc)
        return rc;
    if (!spec->name || !*spec->name || !spec->template_ref) {
        rc = posture_error_set(POSTURE_EUSAGE, "an assessment needs a name and a template");
        goto done;
    }
    const char *grp = spec->group && *spec->group ? spec->group : "default";
    const char *prof = NULL;
    if ((rc = store_profile_ref(s, c.ar, spec->profile ? spec->profile : POSTURE_PROFILE_DEFAULT,
                                diags, &prof)) != 0)
        goto done;
    if ((rc = posture_template_open(s->lib, spec->template_ref, 0, diags, &tl)) != 0)
        goto done;
    const posture_template_info *in = posture_template_info_get(tl);
    char *abs = in->file ? realpath(in->file, NULL) : NULL;
    const char *file = abs ? arena_strdup(c.ar, abs) : NULL;
    free(abs);
    const posture_template *t = NULL;
    if ((rc = store_cache_template(s, tl, &t)) != 0) {
        tl = NULL;
        goto done;
    }
    tl = NULL;
    in = posture_template_info_get(t);
    if ((rc = s->ops->begin(s->be, 1)) != 0)
        goto done;
    in_tx = 1;
    arow a = {0,   spec->name, in->id, in->version, file,  grp,
              spec->organization && *spec->organization ? spec->organization : NULL,
              spec->scope && *spec->scope ? spec->scope : NULL,
              prof, s->now, s->now};
    sb_assessment sa = store_to_sb(&a);
    if ((rc = s->ops->assessment_insert(s->be, &sa, &a.id)) != 0)
        goto done;
    if (!(a.name = arena_strdup(c.ar, a.name))) {
        rc = OOM();
        goto done;
    }
    c.primary = a;
    if ((rc = store_insert_inclusions(s, a.id, t, grp)) != 0)
        goto done;
    const char *desc = store_afmt(c.ar, "template %s@%s, group %s, profile %s", in->id, in->version,
                                  grp, prof);
    if (!desc || store_fadd(&v, "assessment created", NULL, desc)) {
        rc = OOM();
        goto done;
    }
    if ((rc = store_audit_primary(&c, &v)) != 0)
        goto done;
    if ((rc = store_change_finish(&c, "created", diags, 0, mem, out)) == 0)
        in_tx = 0;
done:
    if (in_tx)
        s->ops->rollback(s->be);
    posture_template_free(tl);
    store_fvec_release(&v);
    store_change_release(&c);
    posture_store_mem_free(c.mem);
    return rc;
}

/* Copy the answer (with evidence) of key (action, from) to (action, to) when `to` has none. */
int store_carry_answer(change *c, const ans_row *a, const rows *ev, const char *to, int *copied)
{
    posture_store *s = c->s;
    ans_row have;
    int found = 0;
    *copied = 0;
    int rc = store_current_answer(s, c->ar, a->action, to, &have, &found);
    if (rc || found)
        return rc;
    sb_answer row = {0,         a->action,      to,       a->implementation, a->test,
                     a->tested_at, a->assigned_to, a->notes, s->now,         s->who};
    int64_t id = 0;
    if ((rc = s->ops->answer_put(s->be, &row, &id)) != 0)
        return rc;
    for (size_t i = 0; i < ev->nev; i++) {
        if (ev->ev[i].answer_id != a->id)
            continue;
        sb_evidence e = {id, a->action, ev->ev[i].uri, ev->ev[i].note, ev->ev[i].added_by,
                         ev->ev[i].added_at};
        int added;
        if ((rc = s->ops->evidence_add(s->be, &e, &added)) != 0)
            return rc;
    }
    *copied = 1;
    return 0;
}

int posture_store_assessment_set(posture_store *s, const posture_store_assessment_spec *spec,
                                 posture_diags *diags, posture_store_mem **mem,
                                 const posture_store_outcome **out)
{
    change c;
    fvec v = {0}, vk = {0};
    rows r = {0};
    int in_tx = 0;
    int rc = store_change_begin(&c, s, mem);
    if (rc)
        return rc;
    r.ar = c.ar;
    const char *prof = NULL;
    if (spec->profile && (rc = store_profile_ref(s, c.ar, spec->profile, diags, &prof)) != 0)
        goto done;
    if ((rc = s->ops->begin(s->be, 1)) != 0)
        goto done;
    in_tx = 1;
    if ((rc = store_get_assessment(s, c.ar, spec->name, &c.primary)) != 0)
        goto done;
    arow a = c.primary;
#define SETF(field, val, label, clearable)                                            \
    if (val) {                                                                        \
        const char *nv_ = (clearable) && !*(val) ? NULL : (val);                      \
        if (!store_same(a.field, nv_)) {                                                    \
            if (store_fadd(&v, "assessment " label, a.field, nv_)) {                         \
                rc = OOM();                                                           \
                goto done;                                                            \
            }                                                                         \
            a.field = nv_;                                                            \
        }                                                                             \
    }
    const char *grp = spec->group && !*spec->group ? "default" : spec->group;
    SETF(grp, grp, "group", 0)
    SETF(organization, spec->organization, "organization", 1)
    SETF(scope, spec->scope, "scope", 1)
    SETF(profile, prof, "profile", 0)
#undef SETF
    if (!store_same(a.grp, c.primary.grp)) {
        /* carry the non-technical answers over to the new group where it has none */
        if ((rc = store_load_rows(s, a.id, &r, 1, 1, 0)) != 0)
            goto done;
        for (size_t i = 0; i < r.nans; i++) {
            if (strcmp(r.ans[i].share, c.primary.grp) != 0)
                continue;
            int copied;
            if ((rc = store_carry_answer(&c, &r.ans[i], &r, a.grp, &copied)) != 0)
                goto done;
            if (!copied)
                continue;
            const char *what = store_afmt(c.ar, "answer %s carried to group", r.ans[i].action);
            if (!what || store_fadd(&vk, what, c.primary.grp, a.grp) ||
                store_grow((void **)&vk.k, &vk.capk, vk.nk, sizeof *vk.k)) {
                rc = OOM();
                goto done;
            }
            keychg *k = &vk.k[vk.nk++];
            k->action = r.ans[i].action;
            k->share = a.grp;
            k->first = vk.n - 1;
            k->n = 1;
        }
        if ((rc = s->ops->incl_set_share(s->be, a.id, c.primary.grp, a.grp)) != 0)
            goto done;
    }
    sb_assessment sa = store_to_sb(&a);
    if (v.n && (rc = s->ops->assessment_update(s->be, &sa)) != 0)
        goto done;
    c.primary = a;
    if ((rc = store_audit_primary(&c, &v)) != 0)
        goto done;
    /* the assessments of the new group that now see a carried answer */
    for (size_t i = 0; i < vk.nk; i++) {
        idvec ids = {0};
        rc = s->ops->incl_sharers(s->be, vk.k[i].action, vk.k[i].share, store_collect_id, &ids);
        for (size_t j = 0; rc == 0 && j < ids.n; j++)
            rc = store_audit_key_for(&c, ids.v[j], &vk.k[i], &vk);
        free(ids.v);
        if (rc)
            goto done;
    }
    if ((rc = store_change_finish(&c, "assessment set", diags, 0, mem, out)) == 0)
        in_tx = 0;
done:
    if (in_tx)
        s->ops->rollback(s->be);
    store_rows_release(&r);
    store_fvec_release(&v);
    store_fvec_release(&vk);
    store_change_release(&c);
    posture_store_mem_free(c.mem);
    return rc;
}

int posture_store_assessment_delete(posture_store *s, const char *name)
{
    change c;
    posture_store_mem *m = NULL;
    int rc = store_change_begin(&c, s, &m);
    if (rc)
        return rc;
    if ((rc = s->ops->begin(s->be, 1)) != 0)
        goto done;
    if ((rc = store_get_assessment(s, c.ar, name, &c.primary)) != 0)
        goto rollback;
    const char *old_value = store_afmt(c.ar, "template %s@%s", c.primary.template_id,
                                       c.primary.template_version);
    fchange f = {"assessment deleted", old_value, NULL};
    if (!old_value) {
        rc = OOM();
        goto rollback;
    }
    if ((rc = store_audit(&c, c.primary.id, c.primary.name, &f)) != 0 ||
        (rc = s->ops->assessment_delete(s->be, c.primary.id)) != 0 ||
        (rc = s->ops->commit(s->be)) != 0)
        goto rollback;
    goto done;
rollback:
    s->ops->rollback(s->be);
done:
    store_change_release(&c);
    posture_store_mem_free(c.mem);
    return rc;
}

int posture_store_assessments(posture_store *s, const char *group, posture_store_mem **mem,
                              const posture_stored_assessment **items, size_t *n)
{
    posture_store_mem *m = store_mem_new();
    if (!m)
        return OOM();
    alist l = {.ar = &m->a};
    int rc = s->ops->begin(s->be, 0);
    if (rc == 0) {
        rc = store_list_assessments(s, group, NULL, m, &l);
        s->ops->rollback(s->be);
    }
    posture_stored_assessment *v = NULL;
    if (rc == 0 && l.n && !(v = arena_alloc(&m->a, l.n * sizeof *v)))
        rc = OOM();
    if (rc == 0 && l.n)
        memcpy(v, l.v, l.n * sizeof *v);
    free(l.v);
    free(l.ids);
    if (rc) {
        posture_store_mem_free(m);
        return rc;
    }
    *mem = m;
    *items = v;
    *n = l.n;
    return 0;
}

int posture_store_assessment_get(posture_store *s, const char *name, posture_store_mem **mem,
                                 const posture_stored_assessment **out)
{
    posture_store_mem *m = store_mem_new();
    if (!m)
        return OOM();
    alist l = {.ar = &m->a};
    int rc = s->ops->begin(s->be, 0);
    if (rc == 0) {
        rc = store_list_assessments(s, NULL, name, m, &l);
        s->ops->rollback(s->be);
    }
    posture_stored_assessment *v = NULL;
    if (rc == 0 && !(v = arena_alloc(&m->a, sizeof *v)))
        rc = OOM();
    if (rc == 0)
        *v = l.v[0];
    free(l.v);
    free(l.ids);
    if (rc) {
        posture_store_mem_free(m);
        return rc;
    }
    *mem = m;
    *out = v;
    return 0;
}
