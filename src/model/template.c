/* template.c - loading and validating posture-template/1, extends, the search path. */
#include "posture/template.h"

#include <dirent.h>
#include <limits.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "jsonin.h"
#include "base/limit.h"
#include "posture/fileio.h"
#include "base/strmap.h"
#include "template_ids.h"

#ifndef POSTURE_DATADIR
#define POSTURE_DATADIR "/usr/local/share/posture"
#endif

#define FORMAT "posture-template/1"
#define MAX_EXTENDS_DEPTH 16

struct posture_template {
    arena mem;
    posture_template_info info;
    posture_template *base;        /* owned */
    posture_family *families;
    size_t nfamilies;
    posture_control *controls;
    size_t ncontrols;
    posture_action *actions;
    size_t nactions;
    size_t *action_local;          /* index of each action in its own file's "actions" */
    strmap action_ids, control_ids, family_ids;
    size_t *ctl_start;             /* action -> controls, CSR: ctl_start[i]..ctl_start[i+1] */
    size_t *ctl_refs;
    const char **frameworks;
    size_t nframeworks;
    int ids_ascending;             /* action ids ascend in byte order, in template order */
};

/* ---------- small checks ---------- */

static int id_valid(const char *s)
{
    size_t n = strlen(s);
    if (n < 1 || n > 64)
        return 0;
    if (!((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= '0' && s[0] <= '9')))
        return 0;
    for (size_t i = 1; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-'))
            return 0;
    }
    return 1;
}

static int action_id_valid(const char *s)
{
    if (strncmp(s, "act.", 4) != 0 || !s[4])
        return 0;
    for (const char *p = s + 4; *p; p++) {
        char c = *p;
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-'))
            return 0;
    }
    return 1;
}

/* Parse MAJOR.MINOR.PATCH (no leading zeros); returns 1 and fills v[3] when valid. */
static int semver_parse(const char *s, unsigned long v[3])
{
    for (int k = 0; k < 3; k++) {
        if (*s < '0' || *s > '9')
            return 0;
        if (*s == '0' && s[1] >= '0' && s[1] <= '9')
            return 0;
        char *end;
        errno = 0;
        v[k] = strtoul(s, &end, 10);
        if (errno)
            return 0;
        s = end;
        if (k < 2) {
            if (*s != '.')
                return 0;
            s++;
        }
    }
    return *s == '\0';
}

static int semver_cmp(const char *a, const char *b)
{
    unsigned long x[3] = {0}, y[3] = {0};
    semver_parse(a, x);
    semver_parse(b, y);
    for (int k = 0; k < 3; k++)
        if (x[k] != y[k])
            return x[k] < y[k] ? -1 : 1;
    return 0;
}

static int url_valid(const char *s)
{
    const char *rest = NULL;
    if (strncmp(s, "https://", 8) == 0)
        rest = s + 8;
    else if (strncmp(s, "http://", 7) == 0)
        rest = s + 7;
    if (!rest || !*rest || *rest == '/')
        return 0;
    for (const char *p = s; *p; p++)
        if ((unsigned char)*p <= ' ')
            return 0;
    return 1;
}

/* ---------- growable arrays ---------- */

static int grow(void **arr, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return 0;
    size_t c = *cap ? *cap : 16;
    while (c < need)
        c *= 2;
    void *p = realloc(*arr, c * size);
    if (!p)
        return -1;
    *arr = p;
    *cap = c;
    return 0;
}

/* ---------- loading ---------- */

typedef struct loader {
    posture_library *lib;
    unsigned flags;
    posture_diags *diags;
    const char *chain[MAX_EXTENDS_DEPTH + 1]; /* ids being loaded, for cycles */
    size_t depth;
} loader;

static int load_file(loader *ld, const char *path, posture_template **out);

static const char *const top_fields[] = {"format", "id", "version", "title", "description",
                                         "regulation", "extends", "families", "actions", NULL};
static const char *const reg_fields[] = {"name", "edition", "publisher", "url", NULL};
static const char *const family_fields[] = {"id", "title", "description", "controls", NULL};
static const char *const control_fields[] = {"id", "title", "description", "actions", "mappings",
                                             "was", NULL};
static const char *const was_fields[] = {"id", "before", NULL};
static const char *const action_fields[] = {"id", "title", "description", "type", "enforcement",
                                            "implementation_type", "owner", "points",
                                            "provider_status", NULL};
static const char *const provider_fields[] = {"implementation", "test", "tested_at", NULL};

#define OOM_IF(cond)              \
    do {                          \
        if (cond) {               \
            rc = POSTURE_ENOMEM;  \
            goto done;            \
        }                         \
    } while (0)

static char *keep(posture_template *t, const char *s, int *oom)
{
    if (!s)
        return NULL;
    char *c = arena_strdup(&t->mem, s);
    if (!c)
        *oom = 1;
    return c;
}

/* Parse one enum field; adds the error and returns -1 when bad or missing. */
static int enum_field(jctx *c, const cJSON *obj, const char *key, const char *what,
                      int (*parse)(const char *, void *), void *out, const char *expected)
{
    const char *s = jget_string(c, obj, key, 1);
    if (!s)
        return -1;
    if (parse(s, out) != 0) {
        jctx_error_at(c, key, "unknown %s \"%s\"; expected one of: %s", what, s, expected);
        return -1;
    }
    return 0;
}

static int parse_action(posture_template *t, jctx *c, const cJSON *a, size_t local, int *oom)
{
    posture_action act;
    memset(&act, 0, sizeof act);
    const char *id = jget_text(c, a, "id", 1);
    if (id && !action_id_valid(id)) {
        jctx_error_at(c, "id", "invalid action id \"%s\"; expected \"act.\" followed by [a-z0-9.-]",
                      id);
        id = NULL;
    }
    act.title = keep(t, jget_text(c, a, "title", 1), oom);
    act.description = keep(t, jget_string(c, a, "description", 0), oom);
    int bad = !id || !act.title;
    bad |= enum_field(c, a, "type", "type", (int (*)(const char *, void *))posture_action_type_parse,
                      &act.type, posture_action_type_expected()) != 0;
    bad |= enum_field(c, a, "enforcement", "enforcement",
                      (int (*)(const char *, void *))posture_enforcement_parse, &act.enforcement,
                      posture_enforcement_expected()) != 0;
    bad |= enum_field(c, a, "implementation_type", "implementation type",
                      (int (*)(const char *, void *))posture_impl_type_parse, &act.impl_type,
                      posture_impl_type_expected()) != 0;
    int owner_ok = enum_field(c, a, "owner", "owner",
                              (int (*)(const char *, void *))posture_owner_parse, &act.owner,
                              posture_owner_expected()) == 0;
    bad |= !owner_ok;
    const cJSON *pts = jfield(a, "points");
    if (pts) {
        double v = pts->valuedouble;
        if (!cJSON_IsNumber(pts)) {
            jctx_error_at(c, "points", "expected a number, got %s", json_type_name(pts));
            bad = 1;
        } else if (!(v >= 1 && v <= 99) || v != (double)(int)v) { /* range first: no cast of inf */
            jctx_error_at(c, "points", "points must be an integer from 1 to 99, got %.15g", v);
            bad = 1;
        } else {
            act.points = (int)v;
        }
    }
    const cJSON *ps = jfield(a, "provider_status");
    if (ps) {
        size_t mark = jctx_push_key(c, "provider_status");
        if (owner_ok && act.owner != POSTURE_OWNER_PROVIDER) {
            jctx_error(c, "provider_status is only allowed on actions with owner \"provider\"");
            bad = 1;
        } else if (jexpect_object(c, ps)) {
            const char *im = jget_string(c, ps, "implementation", 1);
            const char *te = jget_string(c, ps, "test", 1);
            const char *at = jget_string(c, ps, "tested_at", 0);
            if (im && posture_implementation_parse(im, &act.provider_implementation) != 0) {
                jctx_error_at(c, "implementation",
                              "unknown implementation status \"%s\"; expected one of: %s", im,
                              posture_implementation_expected());
                im = NULL;
            }
            if (te && posture_test_parse(te, &act.provider_test) != 0) {
                jctx_error_at(c, "test", "unknown test status \"%s\"; expected one of: %s", te,
                              posture_test_expected());
                te = NULL;
            }
            if (at && !posture_date_valid(at)) {
                jctx_error_at(c, "tested_at", "invalid date \"%s\"; expected YYYY-MM-DD", at);
                at = NULL;
            }
            jcheck_fields(c, ps, provider_fields);
            if (im && te) {
                act.has_provider_status = 1;
                act.provider_tested_at = keep(t, at, oom);
            } else {
                bad = 1;
            }
        } else {
            bad = 1;
        }
        jctx_pop(c, mark);
    }
    jcheck_fields(c, a, action_fields);
    if (!id)
        return 0;
    act.id = keep(t, id, oom);
    act.file = t->info.file;
    if (*oom)
        return 0;
    size_t prev;
    int r = strmap_put(&t->action_ids, act.id, t->nactions, &prev);
    if (r < 0) {
        *oom = 1;
        return 0;
    }
    if (r == 1) {
        size_t mark = jctx_push_key(c, "id");
        if (t->base && prev < t->base->nactions)
            jctx_error(c, "action \"%s\" is already defined by base template \"%s\"", id,
                       t->base->info.id);
        else
            jctx_error(c, "duplicate action id \"%s\" (first at /actions/%zu)", id,
                       t->action_local[prev]);
        jctx_pop(c, mark);
        return 0;
    }
    (void)bad;
    t->actions[t->nactions] = act;
    t->action_local[t->nactions] = local;
    t->nactions++;
    return 0;
}

static int parse_mappings(posture_template *t, jctx *c, const cJSON *m, posture_control *ctl,
                          int *oom)
{
    size_t mark = jctx_push_key(c, "mappings");
    if (!cJSON_IsObject(m)) {
        jctx_error(c, "expected an object, got %s", json_type_name(m));
        jctx_pop(c, mark);
        return 0;
    }
    size_t n = (size_t)cJSON_GetArraySize(m);
    posture_mapping *maps = n ? arena_alloc(&t->mem, n * sizeof *maps) : NULL;
    if (n && !maps) {
        *oom = 1;
        goto out;
    }
    size_t k = 0;
    for (const cJSON *f = m->child; f; f = f->next) {
        size_t m2 = jctx_push_key(c, f->string);
        if (!*f->string) {
            jctx_error(c, "framework id must not be empty");
        } else if (!cJSON_IsArray(f)) {
            jctx_error(c, "expected an array, got %s", json_type_name(f));
        } else {
            size_t nr = (size_t)cJSON_GetArraySize(f);
            const char **refs = nr ? arena_alloc(&t->mem, nr * sizeof *refs) : NULL;
            if (nr && !refs) {
                *oom = 1;
                jctx_pop(c, m2);
                goto out;
            }
            size_t j = 0, i = 0;
            for (const cJSON *r = f->child; r; r = r->next, i++) {
                if (!cJSON_IsString(r) || !*r->valuestring) {
                    size_t m3 = jctx_push_index(c, i);
                    if (!cJSON_IsString(r))
                        jctx_error(c, "expected a string, got %s", json_type_name(r));
                    else
                        jctx_error(c, "must not be empty");
                    jctx_pop(c, m3);
                    continue;
                }
                refs[j++] = keep(t, r->valuestring, oom);
            }
            maps[k].framework = keep(t, f->string, oom);
            maps[k].refs = refs;
            maps[k].nrefs = j;
            k++;
        }
        jctx_pop(c, m2);
    }
    ctl->mappings = maps;
    ctl->nmappings = k;
out:
    jctx_pop(c, mark);
    return 0;
}

/* `was`: the control's previous ids, [{"id": "5.1", "before": "2.0.0"}, ...]. */
static void parse_was(posture_template *t, jctx *c, const cJSON *w, const char *own_id,
                      posture_control *ctl, int *oom)
{
    size_t mark = jctx_push_key(c, "was");
    if (!cJSON_IsArray(w)) {
        jctx_error(c, "expected an array, got %s", json_type_name(w));
        jctx_pop(c, mark);
        return;
    }
    size_t n = (size_t)cJSON_GetArraySize(w), k = 0, i = 0;
    posture_was *v = n ? arena_alloc(&t->mem, n * sizeof *v) : NULL;
    if (n && !v) {
        *oom = 1;
        jctx_pop(c, mark);
        return;
    }
    unsigned long mine[3] = {0}, b[3];
    int have_version = t->info.version && semver_parse(t->info.version, mine);
    for (const cJSON *e = w->child; e; e = e->next, i++) {
        size_t m2 = jctx_push_index(c, i);
        if (jexpect_object(c, e)) {
            const char *id = jget_text(c, e, "id", 1);
            const char *before = jget_text(c, e, "before", 1);
            if (before && !semver_parse(before, b)) {
                jctx_error_at(c, "before", "invalid version \"%s\"; expected MAJOR.MINOR.PATCH",
                              before);
                before = NULL;
            } else if (before && have_version && semver_cmp(before, t->info.version) > 0) {
                jctx_error_at(c, "before", "version %s is later than the template's version %s",
                              before, t->info.version);
                before = NULL;
            }
            if (id && own_id && strcmp(id, own_id) == 0) {
                jctx_error_at(c, "id", "a previous id must differ from the control's id \"%s\"",
                              own_id);
                id = NULL;
            }
            for (size_t j = 0; id && before && j < k; j++)
                if (strcmp(v[j].id, id) == 0 && strcmp(v[j].before, before) == 0) {
                    jctx_warn(c, "\"%s\" before %s is listed twice in this control", id, before);
                    id = NULL;
                }
            if (id && before) {
                v[k].id = keep(t, id, oom);
                v[k].before = keep(t, before, oom);
                k++;
            }
            jcheck_fields(c, e, was_fields);
        }
        jctx_pop(c, m2);
    }
    ctl->was = v;
    ctl->nwas = k;
    jctx_pop(c, mark);
}

static void parse_control(posture_template *t, jctx *c, const cJSON *o, size_t family,
                          uint32_t *seen_stamp, uint32_t stamp, int *oom)
{
    posture_control ctl;
    memset(&ctl, 0, sizeof ctl);
    ctl.family = family;
    const char *id = jget_text(c, o, "id", 1);
    ctl.title = keep(t, jget_text(c, o, "title", 1), oom);
    ctl.description = keep(t, jget_string(c, o, "description", 0), oom);
    const cJSON *acts = jget_array(c, o, "actions", 1);
    if (acts && cJSON_GetArraySize(acts) == 0)
        jctx_error_at(c, "actions", "a control needs at least one action");
    if (acts) {
        size_t n = (size_t)cJSON_GetArraySize(acts);
        size_t *idx = n ? arena_alloc(&t->mem, n * sizeof *idx) : NULL;
        if (n && !idx) {
            *oom = 1;
            return;
        }
        size_t mark = jctx_push_key(c, "actions");
        size_t i = 0, k = 0;
        for (const cJSON *r = acts->child; r; r = r->next, i++) {
            size_t m2 = jctx_push_index(c, i);
            size_t ai;
            if (!cJSON_IsString(r))
                jctx_error(c, "expected a string, got %s", json_type_name(r));
            else if (!strmap_get(&t->action_ids, r->valuestring, &ai))
                jctx_error(c, "unknown action \"%s\"", r->valuestring);
            else if (seen_stamp[ai] == stamp)
                jctx_warn(c, "action \"%s\" is listed twice in this control", r->valuestring);
            else {
                seen_stamp[ai] = stamp;
                idx[k++] = ai;
            }
            jctx_pop(c, m2);
        }
        jctx_pop(c, mark);
        ctl.actions = idx;
        ctl.nactions = k;
    }
    const cJSON *maps = jfield(o, "mappings");
    if (maps)
        parse_mappings(t, c, maps, &ctl, oom);
    const cJSON *was = jfield(o, "was");
    if (was)
        parse_was(t, c, was, id, &ctl, oom);
    jcheck_fields(c, o, control_fields);
    if (!id || *oom)
        return;
    ctl.id = keep(t, id, oom);
    if (*oom)
        return;
    size_t prev;
    int r = strmap_put(&t->control_ids, ctl.id, t->ncontrols, &prev);
    if (r < 0) {
        *oom = 1;
        return;
    }
    if (r == 1) {
        size_t mark = jctx_push_key(c, "id");
        if (t->base && prev < t->base->ncontrols)
            jctx_error(c, "control \"%s\" is already defined by base template \"%s\"", id,
                       t->base->info.id);
        else
            jctx_error(c, "duplicate control id \"%s\"", id);
        jctx_pop(c, mark);
        return;
    }
    t->controls[t->ncontrols++] = ctl;
}

static int build_indexes(posture_template *t)
{
    size_t na = t->nactions;
    t->ctl_start = calloc(na + 1, sizeof *t->ctl_start);
    if (!t->ctl_start)
        return -1;
    size_t total = 0;
    for (size_t i = 0; i < t->ncontrols; i++) {
        for (size_t k = 0; k < t->controls[i].nactions; k++)
            t->ctl_start[t->controls[i].actions[k] + 1]++;
        total += t->controls[i].nactions;
    }
    for (size_t i = 0; i < na; i++)
        t->ctl_start[i + 1] += t->ctl_start[i];
    t->ctl_refs = malloc((total ? total : 1) * sizeof *t->ctl_refs);
    size_t *fill = malloc((na ? na : 1) * sizeof *fill);
    if (!t->ctl_refs || !fill) {
        free(fill);
        return -1;
    }
    memcpy(fill, t->ctl_start, na * sizeof *fill);
    for (size_t i = 0; i < t->ncontrols; i++)
        for (size_t k = 0; k < t->controls[i].nactions; k++)
            t->ctl_refs[fill[t->controls[i].actions[k]]++] = i;
    free(fill);

    t->ids_ascending = 1;
    for (size_t i = 1; i < na && t->ids_ascending; i++)
        t->ids_ascending = strcmp(t->actions[i - 1].id, t->actions[i].id) < 0;

    strmap fw;
    strmap_init(&fw);
    size_t cap = 0;
    int rc = 0;
    for (size_t i = 0; i < t->ncontrols && rc == 0; i++) {
        for (size_t k = 0; k < t->controls[i].nmappings; k++) {
            const char *f = t->controls[i].mappings[k].framework;
            int r = strmap_put(&fw, f, t->nframeworks, NULL);
            if (r < 0 || (r == 0 && grow((void **)&t->frameworks, &cap, t->nframeworks + 1,
                                         sizeof *t->frameworks) != 0)) {
                rc = -1;
                break;
            }
            if (r == 0)
                t->frameworks[t->nframeworks++] = f;
        }
    }
    strmap_release(&fw);
    return rc;
}

static int parse_template(loader *ld, const char *path, const cJSON *root, posture_template **out)
{
    int rc = 0, oom = 0;
    uint32_t *stamp = NULL;
    jctx c;
    jctx_init(&c, path, ld->diags);
    posture_template *t = calloc(1, sizeof *t);
    OOM_IF(!t);
    arena_init(&t->mem);
    strmap_init(&t->action_ids);
    strmap_init(&t->control_ids);
    strmap_init(&t->family_ids);
    t->info.file = keep(t, path, &oom);
    OOM_IF(oom);

    if (!jexpect_object(&c, root)) {
        rc = POSTURE_EINVALID;
        goto done;
    }
    const char *format = jget_string(&c, root, "format", 1);
    if (format && strcmp(format, FORMAT) != 0)
        jctx_error_at(&c, "format", "expected \"%s\", got \"%s\"", FORMAT, format);
    const char *id = jget_text(&c, root, "id", 1);
    if (id && !id_valid(id)) {
        jctx_error_at(&c, "id", "invalid id \"%s\"; expected [a-z0-9][a-z0-9.-]{0,63}", id);
        id = NULL;
    }
    const char *version = jget_text(&c, root, "version", 1);
    unsigned long sv[3];
    if (version && !semver_parse(version, sv)) {
        jctx_error_at(&c, "version", "invalid version \"%s\"; expected MAJOR.MINOR.PATCH", version);
        version = NULL;
    }
    t->info.id = keep(t, id, &oom);
    t->info.version = keep(t, version, &oom);
    t->info.title = keep(t, jget_text(&c, root, "title", 1), &oom);
    t->info.description = keep(t, jget_string(&c, root, "description", 0), &oom);
    const cJSON *reg = jget_object(&c, root, "regulation", 0);
    if (reg) {
        size_t mark = jctx_push_key(&c, "regulation");
        t->info.regulation_name = keep(t, jget_string(&c, reg, "name", 0), &oom);
        t->info.regulation_edition = keep(t, jget_string(&c, reg, "edition", 0), &oom);
        t->info.regulation_publisher = keep(t, jget_string(&c, reg, "publisher", 0), &oom);
        const char *url = jget_string(&c, reg, "url", 0);
        if (url && !url_valid(url)) {
            jctx_error_at(&c, "url", "invalid URL \"%s\"; expected an http(s) URL", url);
            url = NULL;
        }
        t->info.regulation_url = keep(t, url, &oom);
        jcheck_fields(&c, reg, reg_fields);
        jctx_pop(&c, mark);
    }
    jcheck_fields(&c, root, top_fields);
    OOM_IF(oom);

    /* extends: the base's families, controls and actions come first */
    const char *ext = jget_text(&c, root, "extends", 0);
    if (ext) {
        size_t mark = jctx_push_key(&c, "extends");
        t->info.extends = keep(t, ext, &oom);
        OOM_IF(oom);
        int cycle = 0;
        for (size_t k = 0; k < ld->depth; k++)
            if (ld->chain[k] && strcmp(ld->chain[k], ext) == 0)
                cycle = 1;
        if ((id && strcmp(id, ext) == 0) || cycle) {
            jctx_error(&c, "template \"%s\" extends itself through \"%s\"",
                       id ? id : ld->chain[0], ext);
        } else if (ld->depth >= MAX_EXTENDS_DEPTH) {
            jctx_error(&c, "extends is nested deeper than %d templates", MAX_EXTENDS_DEPTH);
        } else {
            const char *bpath = NULL;
            int frc = ld->lib ? posture_library_find(ld->lib, ext, &bpath) : POSTURE_ENOTFOUND;
            if (frc == POSTURE_ENOMEM) {
                jctx_pop(&c, mark);
                rc = frc;
                goto done;
            }
            if (frc != 0) {
                jctx_error(&c, "unknown base template \"%s\"", ext);
            } else {
                ld->chain[ld->depth++] = id;
                int brc = load_file(ld, bpath, &t->base);
                ld->depth--;
                if (brc == POSTURE_ENOMEM) {
                    jctx_pop(&c, mark);
                    rc = brc;
                    goto done;
                }
                if (brc != 0)
                    jctx_error(&c, "base template \"%s\" (%s) has errors", ext, bpath);
            }
        }
        jctx_pop(&c, mark);
    }

    const cJSON *families = jget_array(&c, root, "families", 1);
    const cJSON *actions = jget_array(&c, root, "actions", 1);
    if (families && cJSON_GetArraySize(families) == 0)
        jctx_error_at(&c, "families", "a template needs at least one family");

    /* size the arrays: base + own */
    const posture_template *b = t->base;
    size_t nact = (b ? b->nactions : 0) + (actions ? (size_t)cJSON_GetArraySize(actions) : 0);
    size_t nctl = b ? b->ncontrols : 0, nfam = (b ? b->nfamilies : 0);
    for (const cJSON *f = families ? families->child : NULL; f; f = f->next) {
        nfam++;
        const cJSON *cs = cJSON_IsObject(f) ? jfield(f, "controls") : NULL;
        if (cJSON_IsArray(cs))
            nctl += (size_t)cJSON_GetArraySize(cs);
    }
    if ((rc = limit_check_count(LIMIT_ACTIONS, nact, "actions", path, "/actions", ld->diags)) != 0)
        goto done;
    t->actions = calloc(nact ? nact : 1, sizeof *t->actions);
    t->action_local = calloc(nact ? nact : 1, sizeof *t->action_local);
    t->controls = calloc(nctl ? nctl : 1, sizeof *t->controls);
    t->families = calloc(nfam ? nfam : 1, sizeof *t->families);
    stamp = calloc(nact ? nact : 1, sizeof *stamp);
    OOM_IF(!t->actions || !t->action_local || !t->controls || !t->families || !stamp);
    if (b) {
        memcpy(t->actions, b->actions, b->nactions * sizeof *t->actions);
        memcpy(t->action_local, b->action_local, b->nactions * sizeof *t->action_local);
        memcpy(t->controls, b->controls, b->ncontrols * sizeof *t->controls);
        memcpy(t->families, b->families, b->nfamilies * sizeof *t->families);
        t->nactions = b->nactions;
        t->ncontrols = b->ncontrols;
        t->nfamilies = b->nfamilies;
        for (size_t i = 0; i < b->nactions; i++)
            OOM_IF(strmap_put(&t->action_ids, t->actions[i].id, i, NULL) < 0);
        for (size_t i = 0; i < b->ncontrols; i++)
            OOM_IF(strmap_put(&t->control_ids, t->controls[i].id, i, NULL) < 0);
        for (size_t i = 0; i < b->nfamilies; i++)
            OOM_IF(strmap_put(&t->family_ids, t->families[i].id, i, NULL) < 0);
    }
    size_t own_first_action = t->nactions;

    if (actions) {
        size_t mark = jctx_push_key(&c, "actions");
        size_t i = 0;
        for (const cJSON *a = actions->child; a; a = a->next, i++) {
            size_t m2 = jctx_push_index(&c, i);
            if (jexpect_object(&c, a))
                parse_action(t, &c, a, i, &oom);
            jctx_pop(&c, m2);
            OOM_IF(oom);
        }
        jctx_pop(&c, mark);
    }

    if (families) {
        size_t mark = jctx_push_key(&c, "families");
        size_t i = 0;
        uint32_t st = 0;
        for (const cJSON *f = families->child; f; f = f->next, i++) {
            size_t m2 = jctx_push_index(&c, i);
            if (!jexpect_object(&c, f)) {
                jctx_pop(&c, m2);
                continue;
            }
            posture_family fam;
            memset(&fam, 0, sizeof fam);
            const char *fid = jget_text(&c, f, "id", 1);
            fam.title = keep(t, jget_text(&c, f, "title", 1), &oom);
            fam.description = keep(t, jget_string(&c, f, "description", 0), &oom);
            fam.first_control = t->ncontrols;
            const cJSON *cs = jget_array(&c, f, "controls", 1);
            if (cs && cJSON_GetArraySize(cs) == 0)
                jctx_error_at(&c, "controls", "a family needs at least one control");
            if (cs) {
                size_t m3 = jctx_push_key(&c, "controls");
                size_t j = 0;
                for (const cJSON *o = cs->child; o; o = o->next, j++) {
                    size_t m4 = jctx_push_index(&c, j);
                    if (jexpect_object(&c, o))
                        parse_control(t, &c, o, t->nfamilies, stamp, ++st, &oom);
                    jctx_pop(&c, m4);
                    OOM_IF(oom);
                }
                jctx_pop(&c, m3);
            }
            fam.ncontrols = t->ncontrols - fam.first_control;
            jcheck_fields(&c, f, family_fields);
            if (fid) {
                fam.id = keep(t, fid, &oom);
                OOM_IF(oom);
                size_t prev;
                int r = strmap_put(&t->family_ids, fam.id, t->nfamilies, &prev);
                OOM_IF(r < 0);
                if (r == 1) {
                    size_t m5 = jctx_push_key(&c, "id");
                    if (b && prev < b->nfamilies)
                        jctx_error(&c, "family \"%s\" is already defined by base template \"%s\"",
                                   fid, b->info.id);
                    else
                        jctx_error(&c, "duplicate family id \"%s\"", fid);
                    jctx_pop(&c, m5);
                }
            }
            t->families[t->nfamilies++] = fam;
            jctx_pop(&c, m2);
        }
        jctx_pop(&c, mark);
    }
    OOM_IF(oom || c.oom || c.ptr.oom);

    /* a previous id (with its `before`) names one control only */
    {
        strmap was_ids;
        strmap_init(&was_ids);
        for (size_t i = 0; i < t->ncontrols && rc == 0; i++) {
            const posture_control *ctl = &t->controls[i];
            for (size_t k = 0; k < ctl->nwas; k++) {
                size_t n = strlen(ctl->was[k].before) + strlen(ctl->was[k].id) + 2, prev;
                char *key = arena_alloc(&t->mem, n);
                if (!key) {
                    rc = POSTURE_ENOMEM;
                    break;
                }
                snprintf(key, n, "%s\x1f%s", ctl->was[k].before, ctl->was[k].id);
                int r = strmap_put(&was_ids, key, i, &prev);
                if (r < 0) {
                    rc = POSTURE_ENOMEM;
                    break;
                }
                if (r == 0 || (b && i < b->ncontrols))
                    continue;
                const posture_family *f = &t->families[ctl->family];
                char place[96];
                snprintf(place, sizeof place, "/families/%zu/controls/%zu/was/%zu",
                         ctl->family - (b ? b->nfamilies : 0), i - f->first_control, k);
                if (posture_diags_add(ld->diags, POSTURE_SEV_ERROR, path, place, NULL,
                                      "control \"%s\" was \"%s\" before %s too: a previous id "
                                      "belongs to one control", t->controls[prev].id,
                                      ctl->was[k].id, ctl->was[k].before) != 0)
                    rc = POSTURE_ENOMEM;
                c.errors++;
            }
        }
        strmap_release(&was_ids);
        if (rc)
            goto done;
    }

    /* an action of this file that no control references */
    memset(stamp, 0, nact * sizeof *stamp);
    for (size_t i = 0; i < t->ncontrols; i++)
        for (size_t k = 0; k < t->controls[i].nactions; k++)
            stamp[t->controls[i].actions[k]] = 1;
    for (size_t i = own_first_action; i < t->nactions; i++) {
        if (stamp[i])
            continue;
        char place[48];
        snprintf(place, sizeof place, "/actions/%zu", t->action_local[i]);
        OOM_IF(posture_diags_add(ld->diags, POSTURE_SEV_WARNING, path, place, NULL,
                                 "action \"%s\" is not referenced by any control",
                                 t->actions[i].id) != 0);
        if (posture_diags_strict(ld->diags))
            c.errors++;
    }

    if (c.errors) {
        rc = POSTURE_EINVALID;
        goto done;
    }
    OOM_IF(build_indexes(t) != 0);
done:
    if (rc == POSTURE_ENOMEM)
        posture_error_set(rc, "%s: out of memory", path);
    else if (rc != 0 && !*posture_error_last())
        posture_error_set(rc, "%s: invalid template", path);
    free(stamp);
    jctx_release(&c);
    if (rc != 0) {
        posture_template_free(t);
        t = NULL;
    }
    *out = t;
    return rc;
}

static int load_file(loader *ld, const char *path, posture_template **out)
{
    *out = NULL;
    int err = 0;
    cJSON *root = json_parse_file_all(path, ld->diags, &err);
    if (!root)
        return err ? err : POSTURE_EINVALID;
    int rc = parse_template(ld, path, root, out);
    cJSON_Delete(root);
    if (rc == 0 && err) {
        posture_template_free(*out);
        *out = NULL;
        rc = err;
    }
    return rc;
}

int posture_template_load(posture_library *lib, const char *path, unsigned flags,
                          posture_diags *diags, posture_template **out)
{
    *out = NULL;
    posture_error_clear();
    posture_diags *own = NULL;
    if (!diags) {
        if (posture_diags_new(&own) != 0)
            return POSTURE_ENOMEM;
        diags = own;
    }
    int was_strict = posture_diags_strict(diags);
    if (flags & POSTURE_TEMPLATE_STRICT)
        posture_diags_set_strict(diags, 1);
    loader ld = {.lib = lib, .flags = flags, .diags = diags};
    int rc = load_file(&ld, path, out);
    posture_diags_set_strict(diags, was_strict);
    posture_diags_free(own);
    return rc;
}

static char *not_found_hint(posture_library *lib, const char *ref);

int posture_template_open(posture_library *lib, const char *ref, unsigned flags,
                          posture_diags *diags, posture_template **out)
{
    *out = NULL;
    struct stat st;
    if (stat(ref, &st) == 0 && S_ISREG(st.st_mode))
        return posture_template_load(lib, ref, flags, diags, out);
    const char *path = NULL;
    int rc = lib ? posture_library_find(lib, ref, &path) : POSTURE_ENOTFOUND;
    if (rc != 0) {
        if (!lib)
            posture_error_set(rc, "no template file or id \"%s\"", ref);
        /* a reference that names a file: say how to give one; an id: what the path holds */
        int file_like =
            strchr(ref, '/') || (strlen(ref) > 5 && !strcmp(ref + strlen(ref) - 5, ".json"));
        char *hint = rc == POSTURE_ENOTFOUND && lib && !file_like ? not_found_hint(lib, ref) : NULL;
        posture_diags_add(diags, POSTURE_SEV_ERROR, NULL, NULL,
                          hint ? hint
                               : "give a template file, or an id from 'posture template list'",
                          "%s", posture_error_last());
        free(hint);
        return rc;
    }
    return posture_template_load(lib, path, flags, diags, out);
}

void posture_template_free(posture_template *t)
{
    if (!t)
        return;
    posture_template_free(t->base);
    free(t->families);
    free(t->controls);
    free(t->actions);
    free(t->action_local);
    free(t->ctl_start);
    free(t->ctl_refs);
    free(t->frameworks);
    strmap_release(&t->action_ids);
    strmap_release(&t->control_ids);
    strmap_release(&t->family_ids);
    arena_release(&t->mem);
    free(t);
}

/* ---------- accessors ---------- */

const posture_template_info *posture_template_info_get(const posture_template *t) { return &t->info; }
size_t posture_template_family_count(const posture_template *t) { return t->nfamilies; }
size_t posture_template_control_count(const posture_template *t) { return t->ncontrols; }
size_t posture_template_action_count(const posture_template *t) { return t->nactions; }

const posture_family *posture_template_family(const posture_template *t, size_t i)
{
    return i < t->nfamilies ? &t->families[i] : NULL;
}

const posture_control *posture_template_control(const posture_template *t, size_t i)
{
    return i < t->ncontrols ? &t->controls[i] : NULL;
}

const posture_action *posture_template_action(const posture_template *t, size_t i)
{
    return i < t->nactions ? &t->actions[i] : NULL;
}

int template_ids_ascending(const posture_template *t) { return t->ids_ascending; }

long posture_template_find_action(const posture_template *t, const char *id)
{
    size_t v;
    return strmap_get(&t->action_ids, id, &v) ? (long)v : -1;
}

long posture_template_find_control(const posture_template *t, const char *id)
{
    size_t v;
    return strmap_get(&t->control_ids, id, &v) ? (long)v : -1;
}

const size_t *posture_template_action_controls(const posture_template *t, size_t i, size_t *n)
{
    if (i >= t->nactions) {
        *n = 0;
        return NULL;
    }
    *n = t->ctl_start[i + 1] - t->ctl_start[i];
    return t->ctl_refs + t->ctl_start[i];
}

size_t posture_template_control_was(const posture_template *t, size_t i, const char *version,
                                    const char **ids, size_t max)
{
    unsigned long v[3];
    if (i >= t->ncontrols || !semver_parse(version, v))
        return 0;
    const posture_control *c = &t->controls[i];
    const char *first = NULL;
    for (size_t k = 0; k < c->nwas; k++)
        if (semver_cmp(c->was[k].before, version) > 0 &&
            (!first || semver_cmp(c->was[k].before, first) < 0))
            first = c->was[k].before;
    size_t n = 0;
    for (size_t k = 0; first && k < c->nwas; k++)
        if (strcmp(c->was[k].before, first) == 0) {
            if (n < max)
                ids[n] = c->was[k].id;
            n++;
        }
    return n < max ? n : max;
}

const char *const *posture_template_frameworks(const posture_template *t, size_t *n)
{
    *n = t->nframeworks;
    return t->frameworks;
}

/* ---------- conflicts between templates ---------- */

int posture_template_check_conflicts(const posture_template *const *templates, size_t n,
                                     posture_diags *diags)
{
    strmap seen;
    strmap_init(&seen);
    int rc = 0;
    /* value: template index << 32 | action index is too narrow for 1M actions x many
       templates on 32-bit size_t; keep two parallel arrays instead */
    size_t cap = 0, cnt = 0;
    const posture_action **defs = NULL;
    const posture_template **owners = NULL;
    size_t cap2 = 0;
    for (size_t ti = 0; ti < n; ti++) {
        const posture_template *t = templates[ti];
        for (size_t i = 0; i < t->nactions; i++) {
            const posture_action *a = &t->actions[i];
            size_t prev;
            int r = strmap_put(&seen, a->id, cnt, &prev);
            if (r < 0 || (r == 0 && (grow((void **)&defs, &cap, cnt + 1, sizeof *defs) != 0 ||
                                     grow((void **)&owners, &cap2, cnt + 1, sizeof *owners) != 0))) {
                rc = posture_error_set(POSTURE_ENOMEM, "out of memory");
                goto done;
            }
            if (r == 0) {
                defs[cnt] = a;
                owners[cnt] = t;
                cnt++;
                continue;
            }
            const posture_action *p = defs[prev];
            if (p == a || strcmp(p->file, a->file) == 0)
                continue; /* the same definition reached through extends */
            char what[160] = "";
            if (p->type != a->type)
                snprintf(what, sizeof what, "type %s vs %s", posture_action_type_token(a->type),
                         posture_action_type_token(p->type));
            else if (p->enforcement != a->enforcement)
                snprintf(what, sizeof what, "enforcement %s vs %s",
                         posture_enforcement_token(a->enforcement),
                         posture_enforcement_token(p->enforcement));
            else if (p->impl_type != a->impl_type)
                snprintf(what, sizeof what, "implementation type %s vs %s",
                         posture_impl_type_token(a->impl_type),
                         posture_impl_type_token(p->impl_type));
            else if (p->points != a->points)
                snprintf(what, sizeof what, "points %d vs %d", a->points, p->points);
            if (!what[0])
                continue;
            char place[48];
            snprintf(place, sizeof place, "/actions/%zu", t->action_local[i]);
            posture_diags_add(diags, POSTURE_SEV_ERROR, a->file, place, NULL,
                              "action \"%s\" is defined differently in %s: %s", a->id, p->file,
                              what);
            (void)owners;
            rc = POSTURE_ECONFLICT;
        }
    }
done:
    free(defs);
    free(owners);
    strmap_release(&seen);
    return rc;
}

/* ---------- the library (search path) ---------- */

typedef struct lib_entry {
    char *path;
    char *id;       /* NULL until peeked; "" when the file is not a template */
    char *version;
    size_t dir;
} lib_entry;

struct posture_library {
    char **dirs;
    size_t ndirs, capdirs;
    lib_entry *entries;
    size_t nentries, capentries;
    int listed;
    const char **paths;   /* for posture_library_files */
};

/* Edit distance (Levenshtein, in bytes) of `a` and `b`, each cut at 63 bytes. */
static size_t edit_distance(const char *a, const char *b)
{
    size_t n = strnlen(a, 63), m = strnlen(b, 63), row[64];
    for (size_t j = 0; j <= m; j++)
        row[j] = j;
    for (size_t i = 1; i <= n; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= m; j++) {
            size_t up = row[j];
            size_t best = diag + (a[i - 1] != b[j - 1]);
            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[m];
}

/* `s` lower-cased without punctuation ("ISO-IEC 27001" -> "isoiec27001"), cut at 63 bytes. */
static void id_key(const char *s, char out[64])
{
    size_t n = 0;
    for (; *s && n < 63; s++)
        if ((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9'))
            out[n++] = *s;
        else if (*s >= 'A' && *s <= 'Z')
            out[n++] = (char)(*s - 'A' + 'a');
    out[n] = '\0';
}

/* How far id `b` is from what was asked, `a` (both id_key()s): ids that hold the letters of
 * `a` in order ("iso27001" in "isoiec270012022") first, then by edit distance. */
static size_t id_distance(const char *a, const char *b)
{
    const char *p = a;
    for (const char *q = b; *p && *q; q++)
        p += *p == *q;
    return (*p ? 1000 : 0) + edit_distance(a, b);
}

/*
 * The hint for template reference `ref` that the search path does not hold:
 * the versions it holds of that id, else the (up to 3) closest ids by edit
 * distance, else that it holds none. NULL when out of memory.
 */
static char *not_found_hint(posture_library *lib, const char *ref)
{
    char id[128];
    snprintf(id, sizeof id, "%s", ref);
    char *at = strchr(id, '@');
    if (at)
        *at = '\0';
    size_t pick[3], npick = 0, nversions = 0;
    char *hint = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&hint, &len);
    if (!f)
        return NULL;
    for (size_t i = 0; i < lib->nentries; i++) {
        const lib_entry *e = &lib->entries[i];
        if (e->id && strcmp(e->id, id) == 0)
            fprintf(f, "%s%s", nversions++ ? ", " : "", e->version);
    }
    if (nversions) {
        fclose(f);
        size_t n = hint ? strlen(id) + len + 48 : 0;
        char *h = n ? malloc(n) : NULL;
        if (h)
            snprintf(h, n, "the search path holds %s version%s %s", id, nversions == 1 ? "" : "s",
                     hint);
        free(hint);
        return h;
    }
    char want[64], other[64];
    id_key(id, want);
    for (size_t i = 0; i < lib->nentries; i++) {
        const lib_entry *e = &lib->entries[i];
        if (!e->id || !*e->id)
            continue;
        int dup = 0;
        for (size_t k = 0; k < npick; k++)
            dup |= strcmp(lib->entries[pick[k]].id, e->id) == 0;
        if (dup)
            continue;
        id_key(e->id, other);
        size_t d = id_distance(want, other), k = npick < 3 ? npick++ : 3;
        /* insert in order of distance, then id */
        while (k > 0) {
            const char *o = lib->entries[pick[k - 1]].id;
            id_key(o, other);
            size_t od = id_distance(want, other);
            if (od < d || (od == d && strcmp(o, e->id) <= 0))
                break;
            if (k < 3)
                pick[k] = pick[k - 1];
            k--;
        }
        if (k < 3)
            pick[k] = i;
    }
    if (npick == 0)
        fputs("the search path holds no template; 'posture template list' shows where it looks",
              f);
    else
        fprintf(f, "the closest id%s in the search path: ", npick == 1 ? "" : "s");
    for (size_t k = 0; k < npick; k++)
        fprintf(f, "%s%s", k ? ", " : "", lib->entries[pick[k]].id);
    fclose(f);
    return hint;
}

int posture_library_new(posture_library **out)
{
    *out = calloc(1, sizeof **out);
    return *out ? 0 : posture_error_set(POSTURE_ENOMEM, "out of memory");
}

void posture_library_free(posture_library *lib)
{
    if (!lib)
        return;
    for (size_t i = 0; i < lib->ndirs; i++)
        free(lib->dirs[i]);
    for (size_t i = 0; i < lib->nentries; i++) {
        free(lib->entries[i].path);
        free(lib->entries[i].id);
        free(lib->entries[i].version);
    }
    free(lib->dirs);
    free(lib->entries);
    free(lib->paths);
    free(lib);
}

int posture_library_add_dir(posture_library *lib, const char *dir)
{
    if (grow((void **)&lib->dirs, &lib->capdirs, lib->ndirs + 1, sizeof *lib->dirs) != 0)
        return posture_error_set(POSTURE_ENOMEM, "out of memory");
    size_t n = strlen(dir);
    while (n > 1 && dir[n - 1] == '/')
        n--;
    char *d = strndup(dir, n);
    if (!d)
        return posture_error_set(POSTURE_ENOMEM, "out of memory");
    /* the same directory twice (./templates given and default) is searched once */
    char *real = realpath(d, NULL);
    for (size_t i = 0; real && i < lib->ndirs; i++) {
        char *other = realpath(lib->dirs[i], NULL);
        int same = other && strcmp(other, real) == 0;
        free(other);
        if (same) {
            free(real);
            free(d);
            return 0;
        }
    }
    free(real);
    lib->dirs[lib->ndirs++] = d;
    lib->listed = 0;
    return 0;
}

int posture_library_add_default_dirs(posture_library *lib)
{
    const char *env = getenv("POSTURE_TEMPLATES");
    if (env && *env) {
        char *copy = strdup(env);
        if (!copy)
            return posture_error_set(POSTURE_ENOMEM, "out of memory");
        int rc = 0;
        for (char *save = NULL, *tok = strtok_r(copy, ":", &save); tok && rc == 0;
             tok = strtok_r(NULL, ":", &save))
            rc = posture_library_add_dir(lib, tok);
        free(copy);
        if (rc)
            return rc;
    }
    int rc = posture_library_add_dir(lib, "templates");
    return rc ? rc : posture_library_add_dir(lib, POSTURE_DATADIR "/templates");
}

size_t posture_library_dir_count(const posture_library *lib) { return lib->ndirs; }

const char *posture_library_dir(const posture_library *lib, size_t i)
{
    return i < lib->ndirs ? lib->dirs[i] : NULL;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int list_dirs(posture_library *lib)
{
    if (lib->listed)
        return 0;
    for (size_t i = 0; i < lib->nentries; i++) {
        free(lib->entries[i].path);
        free(lib->entries[i].id);
        free(lib->entries[i].version);
    }
    lib->nentries = 0;
    for (size_t d = 0; d < lib->ndirs; d++) {
        DIR *dh = opendir(lib->dirs[d]);
        if (!dh)
            continue;
        char **names = NULL;
        size_t n = 0, cap = 0;
        struct dirent *e;
        int oom = 0;
        while ((e = readdir(dh)) != NULL) {
            size_t len = strlen(e->d_name);
            if (len < 6 || e->d_name[0] == '.' || strcmp(e->d_name + len - 5, ".json") != 0)
                continue;
            if (grow((void **)&names, &cap, n + 1, sizeof *names) != 0 ||
                !(names[n] = strdup(e->d_name))) {
                oom = 1;
                break;
            }
            n++;
        }
        closedir(dh);
        if (n)
            qsort(names, n, sizeof *names, cmp_str);
        for (size_t k = 0; k < n; k++) {
            if (!oom) {
                size_t plen = strlen(lib->dirs[d]) + strlen(names[k]) + 2;
                char *p = malloc(plen);
                if (!p || grow((void **)&lib->entries, &lib->capentries, lib->nentries + 1,
                               sizeof *lib->entries) != 0) {
                    free(p);
                    oom = 1;
                } else {
                    snprintf(p, plen, "%s/%s", lib->dirs[d], names[k]);
                    lib_entry *en = &lib->entries[lib->nentries++];
                    memset(en, 0, sizeof *en);
                    en->path = p;
                    en->dir = d;
                }
            }
            free(names[k]);
        }
        free(names);
        if (oom)
            return posture_error_set(POSTURE_ENOMEM, "out of memory");
    }
    lib->listed = 1;
    return 0;
}

int posture_library_files(posture_library *lib, const char *const **paths_out, size_t *count_out)
{
    int rc = list_dirs(lib);
    if (rc)
        return rc;
    const char **p = realloc(lib->paths, (lib->nentries + 1) * sizeof *p);
    if (!p)
        return posture_error_set(POSTURE_ENOMEM, "out of memory");
    lib->paths = p;
    for (size_t i = 0; i < lib->nentries; i++)
        p[i] = lib->entries[i].path;
    *paths_out = p;
    *count_out = lib->nentries;
    return 0;
}

/* Read the id and version of a file (once). Files that are not templates get id "". */
static int peek(lib_entry *e)
{
    if (e->id)
        return 0;
    int err = 0;
    cJSON *root = json_parse_file(e->path, NULL, &err);
    if (!root && err == POSTURE_ENOMEM)
        return posture_error_set(POSTURE_ENOMEM, "out of memory"); /* not cached: try again */
    const cJSON *id = root ? jfield(root, "id") : NULL;
    const cJSON *ver = root ? jfield(root, "version") : NULL;
    const cJSON *fmt = root ? jfield(root, "format") : NULL;
    int ok = cJSON_IsString(id) && cJSON_IsString(ver) && cJSON_IsString(fmt) &&
             strcmp(fmt->valuestring, FORMAT) == 0;
    unsigned long sv[3];
    if (ok && !semver_parse(ver->valuestring, sv))
        ok = 0;
    e->id = strdup(ok ? id->valuestring : "");
    e->version = strdup(ok ? ver->valuestring : "");
    cJSON_Delete(root);
    posture_error_clear();
    if (!e->id || !e->version)
        return posture_error_set(POSTURE_ENOMEM, "out of memory");
    return 0;
}

/* 1 when the file name could hold template `id` (ID.json, ID@*.json, ID-*.json...). */
static int name_matches(const char *path, const char *id)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    size_t n = strlen(id);
    return strncmp(base, id, n) == 0 && (base[n] == '.' || base[n] == '@' || base[n] == '-' ||
                                         base[n] == '_');
}

int posture_library_find(posture_library *lib, const char *ref, const char **path_out)
{
    *path_out = NULL;
    int rc = list_dirs(lib);
    if (rc)
        return rc;
    char *id = strdup(ref);
    if (!id)
        return posture_error_set(POSTURE_ENOMEM, "out of memory");
    char *at = strchr(id, '@');
    const char *want = NULL;
    if (at) {
        *at = '\0';
        want = at + 1;
    }
    long best = -1;
    /* first the files whose names suggest the id, then (if none matched) every file */
    for (int pass = 0; pass < 2 && best < 0; pass++) {
        for (size_t i = 0; i < lib->nentries; i++) {
            lib_entry *e = &lib->entries[i];
            if (pass == 0 ? !name_matches(e->path, id) : name_matches(e->path, id))
                continue;
            if ((rc = peek(e)) != 0)
                goto done;
            if (strcmp(e->id, id) != 0)
                continue;
            if (want && strcmp(e->version, want) != 0)
                continue;
            if (best < 0 || semver_cmp(e->version, lib->entries[best].version) > 0)
                best = (long)i;
        }
    }
    if (best < 0) {
        if (want)
            rc = posture_error_set(POSTURE_ENOTFOUND, "no template \"%s\" version %s in the search path",
                                   id, want);
        else
            rc = posture_error_set(POSTURE_ENOTFOUND, "no template \"%s\" in the search path", id);
        goto done;
    }
    *path_out = lib->entries[best].path;
done:
    free(id);
    return rc;
}
