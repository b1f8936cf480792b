/*
 * store_soa.c - the store (store_core.h): the Statement of Applicability: a control in or out
 * of scope.
 */
#include "store_core.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------- Statement of Applicability */

int store_apply_control(change *c, const char *control, int applicable, const char *just,
                        const sb_exclusion *cur, fvec *v)
{
    arena *ar = c->ar;
    posture_store *s = c->s;
    const char *old_value =
        cur ? store_afmt(ar, "not applicable: %s", cur->justification) : "applicable";
    const char *new_value = applicable ? "applicable" : store_afmt(ar, "not applicable: %s", just);
    const char *what = store_afmt(ar, "control %s", control);
    if (!old_value || !new_value || !what)
        return OOM();
    if (strcmp(old_value, new_value) == 0)
        return 0;
    int rc;
    if (applicable) {
        rc = s->ops->exclusion_delete(s->be, c->primary.id, control);
    } else {
        sb_exclusion x = {c->primary.id, control, just, s->now, s->who};
        rc = s->ops->exclusion_put(s->be, &x);
    }
    return rc ? rc : store_fadd(v, what, old_value, new_value);
}

int store_audit_primary(change *c, const fvec *v)
{
    int rc = 0;
    if (v->n && (rc = store_touch_add(c, c->primary.id, c->primary.name)) != 0)
        return rc;
    for (size_t i = 0; rc == 0 && i < v->n; i++)
        rc = store_audit(c, c->primary.id, c->primary.name, &v->f[i]);
    return rc;
}

typedef struct find_ex {
    const char *control;
    sb_exclusion found;
    int have;
    arena *ar;
} find_ex;

static int find_ex_cb(void *ctx, const sb_exclusion *x)
{
    find_ex *f = ctx;
    if (strcmp(x->control, f->control) != 0)
        return 0;
    f->found = *x;
    f->found.control = arena_strdup(f->ar, x->control);
    f->found.justification = arena_strdup(f->ar, x->justification);
    f->have = 1;
    return f->found.control && f->found.justification ? 0 : OOM();
}

int posture_store_control_scope(posture_store *s, const char *name, const char *control,
                                int applicable, const char *justification, posture_diags *diags,
                                posture_store_mem **mem, const posture_store_outcome **out)
{
    change c;
    fvec v = {0};
    int rc = store_change_begin(&c, s, mem);
    if (rc)
        return rc;
    if (!applicable && (!justification || !*justification)) {
        rc = posture_error_set(POSTURE_EUSAGE, "a control that is not applicable needs a "
                                               "justification");
        goto done;
    }
    if ((rc = s->ops->begin(s->be, 1)) != 0)
        goto done;
    const posture_template *t = NULL;
    if ((rc = store_get_assessment(s, c.ar, name, &c.primary)) != 0 ||
        (rc = store_assessment_template(s, &c.primary, diags, &t)) != 0)
        goto rollback;
    if (posture_template_find_control(t, control) < 0) {
        rc = posture_error_set(POSTURE_ENOTFOUND, "assessment \"%s\" has no control \"%s\"", name,
                               control);
        goto rollback;
    }
    find_ex f = {control, {0}, 0, c.ar};
    if ((rc = s->ops->exclusion_list(s->be, c.primary.id, find_ex_cb, &f)) != 0 ||
        (rc = store_apply_control(&c, control, applicable, justification, f.have ? &f.found : NULL,
                                  &v)) != 0 ||
        (rc = store_audit_primary(&c, &v)) != 0)
        goto rollback;
    const char *what = store_afmt(c.ar, "control %s", control);
    if (!what) {
        rc = OOM();
        goto rollback;
    }
    if ((rc = store_change_finish(&c, what, diags, 0, mem, out)) == 0)
        goto done;
rollback:
    s->ops->rollback(s->be);
done:
    store_fvec_release(&v);
    store_change_release(&c);
    posture_store_mem_free(c.mem);
    return rc;
}
