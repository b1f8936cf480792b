/* template_link.c - a template's controls given the shared actions of another template's mapped
 * controls (posture/template_link.h; docs/mappings.md, "Linking"). */
#include "posture/template_link.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonin.h"
#include "base/strmap.h"

/* One control of the text: its JSON object and the other template's controls mapped to it. */
typedef struct lctl {
    cJSON *obj;
    const char *id;
    size_t *other;
    size_t n, cap;
} lctl;

typedef struct linker {
    const posture_template *other;
    posture_diags *diags;
    lctl *c;
    size_t nc;
    strmap ids;             /* control id -> index in c */
    int rc;
    int errors;
} linker;

static int oom(linker *l)
{
    l->rc = posture_error_set(POSTURE_ENOMEM, "out of memory");
    return l->rc;
}

static void add_other(linker *l, lctl *c, size_t o)
{
    for (size_t k = 0; k < c->n; k++)
        if (c->other[k] == o)
            return;
    if (c->n == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 4;
        size_t *p = realloc(c->other, cap * sizeof *p);
        if (!p) {
            oom(l);
            return;
        }
        c->other = p;
        c->cap = cap;
    }
    c->other[c->n++] = o;
}

/* The text's controls, in document order. */
static int collect(linker *l, cJSON *root)
{
    const cJSON *fams = jfield(root, "families");
    size_t n = 0;
    for (const cJSON *f = cJSON_IsArray(fams) ? fams->child : NULL; f; f = f->next) {
        const cJSON *cs = jfield(f, "controls");
        n += cJSON_IsArray(cs) ? (size_t)cJSON_GetArraySize(cs) : 0;
    }
    l->c = calloc(n ? n : 1, sizeof *l->c);
    if (!l->c)
        return oom(l);
    for (const cJSON *f = cJSON_IsArray(fams) ? fams->child : NULL; f; f = f->next) {
        const cJSON *cs = jfield(f, "controls");
        for (cJSON *o = cJSON_IsArray(cs) ? cs->child : NULL; o; o = o->next) {
            const cJSON *id = jfield(o, "id");
            if (!cJSON_IsObject(o) || !cJSON_IsString(id) || !cJSON_IsArray(jfield(o, "actions")))
                continue;
            int r = strmap_put(&l->ids, id->valuestring, l->nc, NULL);
            if (r < 0)
                return oom(l);
            if (r == 1)
                continue; /* a duplicate: the template loader reports it */
            l->c[l->nc].obj = o;
            l->c[l->nc++].id = id->valuestring;
        }
    }
    return 0;
}

static size_t use_set(linker *l, const posture_mapping_collection *coll, size_t si, int reverse)
{
    const posture_mapping_set *s = posture_mapping_set_get(coll, si);
    int bad = posture_mapping_check(coll, si, reverse ? l->other : NULL,
                                    reverse ? NULL : l->other, POSTURE_SEV_ERROR, l->diags);
    if (bad < 0) {
        l->rc = bad;
        return 0;
    }
    l->errors += bad;
    size_t used = 0;
    for (size_t k = 0; k < s->nmaps && !l->rc; k++) {
        const posture_map *m = &s->maps[k];
        const char *const *mine = reverse ? m->targets : m->sources;
        const char *const *theirs = reverse ? m->sources : m->targets;
        size_t nm = reverse ? m->ntargets : m->nsources, nt = reverse ? m->nsources : m->ntargets;
        int ok = 1;
        for (size_t j = 0; j < nm; j++) {
            size_t ci;
            if (strmap_get(&l->ids, mine[j], &ci))
                continue;
            char place[512];
            snprintf(place, sizeof place, "%s/%s/%zu/id-ref", m->place,
                     reverse ? "targets" : "sources", j);
            if (posture_diags_add(l->diags, POSTURE_SEV_ERROR, posture_mapping_info_get(coll)->file,
                                  place, NULL, "no control \"%s\" in %s", mine[j],
                                  reverse ? s->target : s->source) != 0) {
                oom(l);
                return used;
            }
            l->errors++;
            ok = 0;
        }
        for (size_t j = 0; j < nt; j++)
            ok &= posture_template_find_control(l->other, theirs[j]) >= 0;
        if (!ok)
            continue;
        for (size_t j = 0; j < nm && !l->rc; j++) {
            size_t ci;
            strmap_get(&l->ids, mine[j], &ci);
            for (size_t t = 0; t < nt && !l->rc; t++)
                add_other(l, &l->c[ci], (size_t)posture_template_find_control(l->other, theirs[t]));
        }
        used++;
    }
    return used;
}

/* "AC-2(12)" -> the index of "AC-2", when the text has it; else -1. */
static long base_of(linker *l, const char *id)
{
    const char *open = strchr(id, '(');
    size_t n = strlen(id);
    if (!open || open == id || id[n - 1] != ')')
        return -1;
    char base[256];
    size_t k = (size_t)(open - id);
    if (k >= sizeof base)
        return -1;
    memcpy(base, id, k);
    base[k] = '\0';
    size_t ci;
    return strmap_get(&l->ids, base, &ci) ? (long)ci : -1;
}

/* An action of the other template as the template format writes it. */
static cJSON *action_json(const posture_action *a)
{
    cJSON *o = cJSON_CreateObject();
    int ok = o && cJSON_AddStringToObject(o, "id", a->id) &&
             cJSON_AddStringToObject(o, "title", a->title) &&
             (!a->description || cJSON_AddStringToObject(o, "description", a->description)) &&
             cJSON_AddStringToObject(o, "type", posture_action_type_token(a->type)) &&
             cJSON_AddStringToObject(o, "enforcement", posture_enforcement_token(a->enforcement)) &&
             cJSON_AddStringToObject(o, "implementation_type",
                                     posture_impl_type_token(a->impl_type)) &&
             cJSON_AddStringToObject(o, "owner", posture_owner_token(a->owner)) &&
             (!a->points || cJSON_AddNumberToObject(o, "points", a->points));
    if (ok && a->has_provider_status) {
        cJSON *ps = cJSON_AddObjectToObject(o, "provider_status");
        ok = ps &&
             cJSON_AddStringToObject(ps, "implementation",
                                     posture_implementation_token(a->provider_implementation)) &&
             cJSON_AddStringToObject(ps, "test", posture_test_token(a->provider_test)) &&
             (!a->provider_tested_at ||
              cJSON_AddStringToObject(ps, "tested_at", a->provider_tested_at));
    }
    if (!ok) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

/* Give each control its mapped actions; define each new action once. */
static void apply(linker *l, cJSON *root, posture_link_counts *n)
{
    cJSON *defs = jfield(root, "actions");
    strmap defined;
    strmap_init(&defined);
    for (const cJSON *a = cJSON_IsArray(defs) ? defs->child : NULL; a; a = a->next) {
        const cJSON *id = jfield(a, "id");
        if (cJSON_IsString(id) && strmap_put(&defined, id->valuestring, 0, NULL) < 0) {
            oom(l);
            goto done;
        }
    }
    for (size_t i = 0; i < l->nc && !l->rc; i++) {
        lctl *c = &l->c[i];
        const lctl *from = c;
        if (!c->n) {
            long b = base_of(l, c->id);
            if (b < 0 || !l->c[b].n)
                continue;
            from = &l->c[b];
            n->inherited++;
        }
        cJSON *acts = jfield(c->obj, "actions");
        size_t added = 0;
        for (size_t k = 0; k < from->n && !l->rc; k++) {
            const posture_control *oc = posture_template_control(l->other, from->other[k]);
            for (size_t j = 0; j < oc->nactions && !l->rc; j++) {
                const posture_action *a = posture_template_action(l->other, oc->actions[j]);
                int have = 0;
                for (const cJSON *x = acts->child; x && !have; x = x->next)
                    have = cJSON_IsString(x) && strcmp(x->valuestring, a->id) == 0;
                if (have)
                    continue;
                cJSON *s = cJSON_CreateString(a->id);
                if (!s || !cJSON_AddItemToArray(acts, s)) {
                    cJSON_Delete(s);
                    oom(l);
                    break;
                }
                added++;
                int r = strmap_put(&defined, a->id, 0, NULL);
                if (r < 0) {
                    oom(l);
                    break;
                }
                if (r == 1)
                    continue;
                cJSON *d = action_json(a);
                if (!d || !cJSON_IsArray(defs) || !cJSON_AddItemToArray(defs, d)) {
                    cJSON_Delete(d);
                    oom(l);
                    break;
                }
                n->actions++;
            }
        }
        n->references += added;
        n->controls += added > 0;
        if (!added && from != c)
            n->inherited--;
    }
done:
    strmap_release(&defined);
}

int posture_template_link(const char *text, size_t len, const char *file,
                          const posture_mapping_collection *coll, const posture_template *other,
                          posture_diags *diags, char **out, posture_link_counts *counts)
{
    *out = NULL;
    posture_link_counts n = {0};
    linker l = {.other = other, .diags = diags};
    strmap_init(&l.ids);
    int err = 0;
    cJSON *root = json_parse_text(file, text, len, diags, &err);
    if (!root)
        return err ? err : POSTURE_EINVALID;
    const cJSON *tid = jfield(root, "id");
    if (!cJSON_IsObject(root) || !cJSON_IsString(tid) || !cJSON_IsArray(jfield(root, "actions"))) {
        posture_diags_add(diags, POSTURE_SEV_ERROR, file, "/", NULL,
                          "not a posture-template/1 template (no \"id\" or \"actions\")");
        l.rc = POSTURE_EINVALID;
        goto done;
    }
    if (collect(&l, root) != 0)
        goto done;
    const posture_template_info *oi = posture_template_info_get(other);
    const char *tv = cJSON_IsString(jfield(root, "version")) ? jfield(root, "version")->valuestring
                                                             : "0.0.0";
    size_t sets = 0;
    for (size_t i = 0; i < posture_mapping_set_count(coll) && !l.rc; i++) {
        const posture_mapping_set *s = posture_mapping_set_get(coll, i);
        int fwd = strcmp(s->source_id, tid->valuestring) == 0 && strcmp(s->target_id, oi->id) == 0;
        int rev = !fwd && strcmp(s->target_id, tid->valuestring) == 0 &&
                  strcmp(s->source_id, oi->id) == 0;
        const char *mine = fwd ? s->source_version : s->target_version;
        const char *theirs = fwd ? s->target_version : s->source_version;
        if ((!fwd && !rev) || strtoul(mine, NULL, 10) != strtoul(tv, NULL, 10) ||
            strtoul(theirs, NULL, 10) != strtoul(oi->version, NULL, 10))
            continue;
        sets++;
        n.maps += use_set(&l, coll, i, rev);
    }
    if (!l.rc && !sets) {
        posture_diags_add(diags, POSTURE_SEV_ERROR, posture_mapping_info_get(coll)->file, NULL,
                          NULL, "no mapping in it relates %s@%s and %s@%s", tid->valuestring, tv,
                          oi->id, oi->version);
        l.rc = POSTURE_EINVALID;
    }
    if (!l.rc && l.errors)
        l.rc = POSTURE_EINVALID;
    if (!l.rc)
        apply(&l, root, &n);
    if (!l.rc) {
        char *s = cJSON_Print(root);
        size_t k = s ? strlen(s) : 0;
        char *t = s ? realloc(s, k + 2) : NULL;
        if (!t) {
            free(s);
            oom(&l);
        } else {
            t[k] = '\n';
            t[k + 1] = '\0';
            *out = t;
        }
    }
done:
    if (l.rc == POSTURE_EINVALID && !*posture_error_last())
        posture_error_set(l.rc, "%s: cannot link", file);
    for (size_t i = 0; i < l.nc; i++)
        free(l.c[i].other);
    free(l.c);
    strmap_release(&l.ids);
    cJSON_Delete(root);
    if (counts)
        *counts = n;
    return l.rc;
}
