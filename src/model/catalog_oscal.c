/* catalog_oscal.c - OSCAL catalog (+ profile) -> posture-template/1 (rules: docs/oscal.md). */
#include "posture/catalog_oscal.h"

#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonin.h"
#include "posture/fileio.h"
#include "base/strmap.h"

#define OSCAL_NS "http://csrc.nist.gov/ns/oscal"
#define ACTION_PREFIX "act.nist."
#define MAX_INSERT_DEPTH 8 /* parameters inside selection choices, cycles cut here */
#define MAX_ID_LEN 64

/* ---- growable string ---------------------------------------------------- */

typedef struct sbuf {
    char *s;
    size_t len, cap;
    int oom;
} sbuf;

static void sb_putn(sbuf *b, const char *s, size_t n)
{
    if (b->oom)
        return;
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 256;
        while (cap < b->len + n + 1)
            cap *= 2;
        char *p = realloc(b->s, cap);
        if (!p) {
            b->oom = 1;
            return;
        }
        b->s = p;
        b->cap = cap;
    }
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = '\0';
}

static void sb_puts(sbuf *b, const char *s) { sb_putn(b, s, strlen(s)); }

static int is_space(char ch) { return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r'; }
static char lower(char ch) { return ch >= 'A' && ch <= 'Z' ? (char)(ch - 'A' + 'a') : ch; }
static char upper(char ch) { return ch >= 'a' && ch <= 'z' ? (char)(ch - 'a' + 'A') : ch; }
static int is_lower_alnum(char ch) { return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9'); }

/* ---- baseline selection (an OSCAL profile) ------------------------------ */

typedef struct selid {
    const char *id;
    int kids;  /* with-child-controls: yes */
    int found; /* the catalog has a control with this id */
} selid;

typedef struct seluse {
    size_t rec;        /* index into ids */
    const char *place; /* JSON pointer in the profile */
} seluse;

typedef struct selpat {
    const char *pattern;
    int kids;
    int exclude;
} selpat;

typedef struct selector {
    const char *file;
    const char *title; /* profile metadata title, NULL when absent */
    int include_all;
    strmap inc, exc;   /* id -> index into ids */
    selid *ids;
    size_t nids, capids;
    seluse *uses;
    size_t nuses, capuses;
    selpat *pats;
    size_t npats, cappats;
    arena ar;
    int oom;
} selector;

static void sel_release(selector *s)
{
    strmap_release(&s->inc);
    strmap_release(&s->exc);
    free(s->ids);
    free(s->uses);
    free(s->pats);
    arena_release(&s->ar);
}

static int grow(void **p, size_t *cap, size_t n, size_t size)
{
    if (n < *cap)
        return 0;
    size_t c = *cap ? *cap * 2 : 16;
    void *q = realloc(*p, c * size);
    if (!q)
        return -1;
    *p = q;
    *cap = c;
    return 0;
}

static void sel_add_id(selector *s, jctx *c, const char *id, int kids, int exclude)
{
    strmap *m = exclude ? &s->exc : &s->inc;
    size_t rec;
    if (!strmap_get(m, id, &rec)) {
        if (grow((void **)&s->ids, &s->capids, s->nids, sizeof *s->ids) != 0) {
            s->oom = 1;
            return;
        }
        rec = s->nids;
        s->ids[s->nids++] = (selid){id, 0, 0};
        if (strmap_put(m, id, rec, NULL) < 0) {
            s->oom = 1;
            return;
        }
    }
    if (kids)
        s->ids[rec].kids = 1;
    if (grow((void **)&s->uses, &s->capuses, s->nuses, sizeof *s->uses) != 0) {
        s->oom = 1;
        return;
    }
    const char *place = arena_strdup(&s->ar, jctx_place(c));
    if (!place) {
        s->oom = 1;
        return;
    }
    s->uses[s->nuses++] = (seluse){rec, place};
}

/* One element of include-controls / exclude-controls. */
static void sel_read_selection(selector *s, jctx *c, const cJSON *e, int exclude)
{
    if (!jexpect_object(c, e))
        return;
    int kids = 0;
    const char *wcc = jget_string(c, e, "with-child-controls", 0);
    if (wcc) {
        if (strcmp(wcc, "yes") == 0)
            kids = 1;
        else if (strcmp(wcc, "no") != 0)
            jctx_error_at(c, "with-child-controls", "expected \"yes\" or \"no\", got \"%s\"", wcc);
    }
    const cJSON *ids = jget_array(c, e, "with-ids", 0);
    const cJSON *pats = jget_array(c, e, "matching", 0);
    if (!ids && !pats && !jfield(e, "with-ids") && !jfield(e, "matching"))
        jctx_error(c, "missing required field \"with-ids\"");
    if (ids) {
        size_t mk = jctx_push_key(c, "with-ids");
        size_t i = 0;
        for (const cJSON *v = ids->child; v; v = v->next, i++) {
            size_t mi = jctx_push_index(c, i);
            if (!cJSON_IsString(v))
                jctx_error(c, "expected a string, got %s", json_type_name(v));
            else if (!*v->valuestring)
                jctx_error(c, "must not be empty");
            else
                sel_add_id(s, c, v->valuestring, kids, exclude);
            jctx_pop(c, mi);
        }
        jctx_pop(c, mk);
    }
    if (pats) {
        size_t mk = jctx_push_key(c, "matching");
        size_t i = 0;
        for (const cJSON *v = pats->child; v; v = v->next, i++) {
            size_t mi = jctx_push_index(c, i);
            const char *p = jexpect_object(c, v) ? jget_text(c, v, "pattern", 1) : NULL;
            if (p) {
                if (grow((void **)&s->pats, &s->cappats, s->npats, sizeof *s->pats) != 0)
                    s->oom = 1;
                else
                    s->pats[s->npats++] = (selpat){p, kids, exclude};
            }
            jctx_pop(c, mi);
        }
        jctx_pop(c, mk);
    }
}

static void sel_read_list(selector *s, jctx *c, const cJSON *imp, const char *key, int exclude)
{
    const cJSON *list = jget_array(c, imp, key, 0);
    if (!list)
        return;
    size_t mk = jctx_push_key(c, key);
    size_t i = 0;
    for (const cJSON *e = list->child; e; e = e->next, i++) {
        size_t mi = jctx_push_index(c, i);
        sel_read_selection(s, c, e, exclude);
        jctx_pop(c, mi);
    }
    jctx_pop(c, mk);
}

/* Read the profile; the tree stays alive in *tree (strings are borrowed). */
static int sel_read(selector *s, const char *file, posture_diags *d, cJSON **tree)
{
    int err = 0;
    cJSON *root = json_parse_file(file, d, &err);
    *tree = root;
    if (!root)
        return err;
    jctx c;
    jctx_init(&c, file, d);
    const cJSON *prof = NULL;
    if (!jexpect_object(&c, root)) {
        /* reported */
    } else if (!jfield(root, "profile")) {
        posture_diags_add(d, POSTURE_SEV_ERROR, file, "/",
                          jfield(root, "catalog") ? "this is an OSCAL catalog: pass it with --oscal"
                                                  : NULL,
                          "missing required field \"profile\"");
        c.errors++;
    } else {
        prof = jget_object(&c, root, "profile", 1);
    }
    if (prof) {
        size_t mp = jctx_push_key(&c, "profile");
        const cJSON *meta = jfield(prof, "metadata");
        const cJSON *t = meta ? jfield(meta, "title") : NULL;
        if (cJSON_IsString(t) && *t->valuestring)
            s->title = t->valuestring;
        const cJSON *imports = jget_array(&c, prof, "imports", 1);
        if (imports && !imports->child)
            jctx_error_at(&c, "imports", "must not be empty");
        if (imports) {
            size_t mk = jctx_push_key(&c, "imports");
            size_t i = 0;
            for (const cJSON *imp = imports->child; imp; imp = imp->next, i++) {
                size_t mi = jctx_push_index(&c, i);
                if (jexpect_object(&c, imp)) {
                    const cJSON *all = jfield(imp, "include-all");
                    if (all && !jget_object(&c, imp, "include-all", 0))
                        all = NULL;
                    else if (all)
                        s->include_all = 1;
                    if (!all && !jfield(imp, "include-controls"))
                        jctx_error(&c, "missing required field \"include-controls\" (or \"include-all\")");
                    sel_read_list(s, &c, imp, "include-controls", 0);
                    sel_read_list(s, &c, imp, "exclude-controls", 1);
                }
                jctx_pop(&c, mi);
            }
            jctx_pop(&c, mk);
        }
        jctx_pop(&c, mp);
    }
    int oom = c.oom || c.ptr.oom || s->oom;
    size_t errors = c.errors;
    jctx_release(&c);
    if (oom)
        return posture_error_set(POSTURE_ENOMEM, "out of memory");
    return errors ? POSTURE_EINVALID : 0;
}

/* Does `id` match (an id list or a pattern) on the include (0) / exclude (1) side? */
static int sel_hit(selector *s, const char *id, int exclude, int *kids)
{
    size_t rec;
    int hit = 0;
    if (strmap_get(exclude ? &s->exc : &s->inc, id, &rec)) {
        s->ids[rec].found = 1;
        hit = 1;
        *kids |= s->ids[rec].kids;
    }
    for (size_t k = 0; k < s->npats; k++) {
        if (s->pats[k].exclude == exclude && fnmatch(s->pats[k].pattern, id, 0) == 0) {
            hit = 1;
            *kids |= s->pats[k].kids;
        }
    }
    return hit;
}

/* ---- the conversion ----------------------------------------------------- */

typedef struct conv {
    jctx c;
    posture_diags *d;
    arena ar;
    strmap params, params_alt; /* parameter id / alt-identifier -> index into pv */
    const cJSON **pv;
    size_t npv, cappv;
    strmap fam_ids, ctl_ids, act_ids; /* -> index into places */
    const char **places;
    size_t nplaces, capplaces;
    selector *sel;
    cJSON *families, *actions;
    posture_oscal_counts n;
    int oom;
} conv;

/* Parameters are looked up by id from anywhere in the catalog (ids are document-unique). */
static void collect_params(conv *v, const cJSON *holder)
{
    const cJSON *ps = jfield(holder, "params");
    if (cJSON_IsArray(ps)) {
        for (const cJSON *p = ps->child; p; p = p->next) {
            const cJSON *id = jfield(p, "id");
            if (!cJSON_IsObject(p) || !cJSON_IsString(id))
                continue;
            if (grow((void **)&v->pv, &v->cappv, v->npv, sizeof *v->pv) != 0) {
                v->oom = 1;
                return;
            }
            v->pv[v->npv] = p;
            if (strmap_put(&v->params, id->valuestring, v->npv, NULL) < 0)
                v->oom = 1;
            const cJSON *props = jfield(p, "props");
            if (cJSON_IsArray(props)) {
                for (const cJSON *pr = props->child; pr; pr = pr->next) {
                    const cJSON *nm = jfield(pr, "name"), *val = jfield(pr, "value");
                    if (cJSON_IsString(nm) && cJSON_IsString(val) &&
                        strcmp(nm->valuestring, "alt-identifier") == 0 &&
                        strmap_put(&v->params_alt, val->valuestring, v->npv, NULL) < 0)
                        v->oom = 1;
                }
            }
            v->npv++;
        }
    }
    static const char *const kids[] = {"groups", "controls"};
    for (size_t k = 0; k < 2; k++) {
        const cJSON *arr = jfield(holder, kids[k]);
        if (cJSON_IsArray(arr))
            for (const cJSON *e = arr->child; e; e = e->next)
                if (cJSON_IsObject(e))
                    collect_params(v, e);
    }
}

/*
 * Check `obj`'s props and pick the OSCAL-namespace "label" (the one without
 * a class first) and whether status is "withdrawn".
 */
static void read_props(conv *v, const cJSON *obj, const char **label, int *withdrawn)
{
    jctx *c = &v->c;
    const char *any_label = NULL, *plain_label = NULL;
    const cJSON *props = jget_array(c, obj, "props", 0);
    if (props) {
        size_t mk = jctx_push_key(c, "props");
        size_t i = 0;
        for (const cJSON *p = props->child; p; p = p->next, i++) {
            size_t mi = jctx_push_index(c, i);
            if (jexpect_object(c, p)) {
                const char *name = jget_text(c, p, "name", 1);
                const char *value = jget_string(c, p, "value", 1);
                const char *ns = jget_string(c, p, "ns", 0);
                const char *cls = jget_string(c, p, "class", 0);
                if (name && value && (!ns || strcmp(ns, OSCAL_NS) == 0)) {
                    if (strcmp(name, "label") == 0 && *value) {
                        if (!any_label)
                            any_label = value;
                        if (!cls && !plain_label)
                            plain_label = value;
                    } else if (strcmp(name, "status") == 0 && strcmp(value, "withdrawn") == 0 &&
                               withdrawn) {
                        *withdrawn = 1;
                    }
                }
            }
            jctx_pop(c, mi);
        }
        jctx_pop(c, mk);
    }
    if (label)
        *label = plain_label ? plain_label : any_label;
}

static void render_text(conv *v, const char *s, size_t n, sbuf *out, int depth);

/* render_text() of `s` without its leading and trailing white space. */
static void render_trimmed(conv *v, const char *s, sbuf *out, int depth)
{
    size_t e = strlen(s);
    while (*s && is_space(*s)) {
        s++;
        e--;
    }
    while (e > 0 && is_space(s[e - 1]))
        e--;
    render_text(v, s, e, out, depth);
}

static void render_param(conv *v, const char *id, sbuf *out, int depth)
{
    size_t k;
    if (!strmap_get(&v->params, id, &k) && !strmap_get(&v->params_alt, id, &k)) {
        jctx_warn(&v->c, "unknown parameter \"%s\"", id);
        sb_puts(out, "[Assignment: ");
        sb_puts(out, id);
        sb_puts(out, "]");
        return;
    }
    const cJSON *p = v->pv[k];
    const cJSON *values = jfield(p, "values");
    const cJSON *select = jfield(p, "select");
    const cJSON *label = jfield(p, "label");
    if (depth >= MAX_INSERT_DEPTH) {
        sb_puts(out, "[Assignment: ");
        sb_puts(out, id);
        sb_puts(out, "]");
        return;
    }
    if (cJSON_IsArray(values) && values->child) {
        int first = 1;
        for (const cJSON *e = values->child; e; e = e->next) {
            if (!cJSON_IsString(e))
                continue;
            if (!first)
                sb_puts(out, ", ");
            render_trimmed(v, e->valuestring, out, depth + 1);
            first = 0;
        }
        return;
    }
    if (cJSON_IsObject(select)) {
        const cJSON *hm = jfield(select, "how-many");
        const cJSON *choice = jfield(select, "choice");
        sb_puts(out, cJSON_IsString(hm) && strcmp(hm->valuestring, "one-or-more") == 0
                         ? "[Selection (one or more): "
                         : "[Selection: ");
        int first = 1;
        if (cJSON_IsArray(choice)) {
            for (const cJSON *e = choice->child; e; e = e->next) {
                if (!cJSON_IsString(e))
                    continue;
                if (!first)
                    sb_puts(out, "; ");
                render_trimmed(v, e->valuestring, out, depth + 1);
                first = 0;
            }
        }
        sb_puts(out, "]");
        return;
    }
    sb_puts(out, "[Assignment: ");
    if (cJSON_IsString(label) && *label->valuestring)
        render_trimmed(v, label->valuestring, out, depth + 1);
    else
        sb_puts(out, id);
    sb_puts(out, "]");
}

/* Match `word` at s[*i] (after optional spaces). */
static int take(const char *s, size_t n, size_t *i, const char *word)
{
    size_t j = *i, w = strlen(word);
    while (j < n && is_space(s[j]))
        j++;
    if (n - j < w || memcmp(s + j, word, w) != 0)
        return 0;
    *i = j + w;
    return 1;
}

/* Copy s[0..n) to out with every "{{ insert: param, ID }}" replaced. */
static void render_text(conv *v, const char *s, size_t n, sbuf *out, int depth)
{
    size_t i = 0;
    while (i < n) {
        const char *open = NULL;
        for (size_t k = i; k + 1 < n; k++) {
            if (s[k] == '{' && s[k + 1] == '{') {
                open = s + k;
                break;
            }
        }
        if (!open) {
            sb_putn(out, s + i, n - i);
            return;
        }
        sb_putn(out, s + i, (size_t)(open - (s + i)));
        size_t j = (size_t)(open - s) + 2, id0, id1;
        int ok = take(s, n, &j, "insert:") && take(s, n, &j, "param") && take(s, n, &j, ",");
        if (ok) {
            while (j < n && is_space(s[j]))
                j++;
            id0 = j;
            while (j < n && !is_space(s[j]) && s[j] != '}')
                j++;
            id1 = j;
            ok = id1 > id0 && take(s, n, &j, "}}");
        }
        if (!ok) {
            sb_putn(out, "{{", 2);
            i = (size_t)(open - s) + 2;
            continue;
        }
        char *id = arena_strndup(&v->ar, s + id0, id1 - id0);
        if (!id) {
            v->oom = 1;
            return;
        }
        render_param(v, id, out, depth);
        i = j;
    }
}

/* One part of a statement and its sub-parts, one line each. */
static void render_part(conv *v, const cJSON *part, int level, sbuf *out)
{
    jctx *c = &v->c;
    jget_text(c, part, "name", 1);
    const char *prose = jget_string(c, part, "prose", 0);
    const char *label = NULL;
    read_props(v, part, &label, NULL);
    size_t b = 0, e = prose ? strlen(prose) : 0;
    while (b < e && is_space(prose[b]))
        b++;
    while (e > b && is_space(prose[e - 1]))
        e--;
    if (e > b || label) {
        if (out->len)
            sb_puts(out, "\n");
        for (int k = 1; k < level; k++)
            sb_puts(out, "  ");
        if (label)
            sb_puts(out, label);
        if (label && e > b)
            sb_puts(out, " ");
        size_t mk = jctx_push_key(c, "prose");
        render_text(v, prose ? prose + b : "", e - b, out, 0);
        jctx_pop(c, mk);
    }
    const cJSON *parts = jget_array(c, part, "parts", 0);
    if (!parts)
        return;
    size_t mk = jctx_push_key(c, "parts");
    size_t i = 0;
    for (const cJSON *p = parts->child; p; p = p->next, i++) {
        size_t mi = jctx_push_index(c, i);
        if (jexpect_object(c, p))
            render_part(v, p, level + 1, out);
        jctx_pop(c, mi);
    }
    jctx_pop(c, mk);
}

/* The control's statement text (parts named "statement"), or NULL when empty. */
static char *render_statement(conv *v, const cJSON *ctl)
{
    jctx *c = &v->c;
    sbuf out = {0};
    const cJSON *parts = jget_array(c, ctl, "parts", 0);
    if (parts) {
        size_t mk = jctx_push_key(c, "parts");
        size_t i = 0;
        for (const cJSON *p = parts->child; p; p = p->next, i++) {
            size_t mi = jctx_push_index(c, i);
            if (jexpect_object(c, p)) {
                const cJSON *nm = jfield(p, "name");
                if (cJSON_IsString(nm) && strcmp(nm->valuestring, "statement") == 0)
                    render_part(v, p, 0, &out);
                else
                    jget_text(c, p, "name", 1);
            }
            jctx_pop(c, mi);
        }
        jctx_pop(c, mk);
    }
    if (out.oom) {
        v->oom = 1;
        free(out.s);
        return NULL;
    }
    return out.s;
}

/* Check that each parameter of `obj` has an id. */
static void check_params(conv *v, const cJSON *obj)
{
    jctx *c = &v->c;
    const cJSON *ps = jget_array(c, obj, "params", 0);
    if (!ps)
        return;
    size_t mk = jctx_push_key(c, "params");
    size_t i = 0;
    for (const cJSON *p = ps->child; p; p = p->next, i++) {
        size_t mi = jctx_push_index(c, i);
        if (jexpect_object(c, p))
            jget_text(c, p, "id", 1);
        jctx_pop(c, mi);
    }
    jctx_pop(c, mk);
}

/*
 * Register `key` in `m`; a duplicate is an error at the current place naming
 * the first one. Returns 1 when new.
 */
static int unique(conv *v, strmap *m, const char *what, const char *key)
{
    size_t old;
    char *k = arena_strdup(&v->ar, key);
    char *place = arena_strdup(&v->ar, jctx_place(&v->c));
    if (!k || !place ||
        grow((void **)&v->places, &v->capplaces, v->nplaces, sizeof *v->places) != 0) {
        v->oom = 1;
        return 0;
    }
    int r = strmap_put(m, k, v->nplaces, &old);
    if (r < 0) {
        v->oom = 1;
        return 0;
    }
    if (r == 1) {
        jctx_error(&v->c, "duplicate %s \"%s\" (first at %s)", what, key, v->places[old]);
        return 0;
    }
    v->places[v->nplaces++] = place;
    return 1;
}

static const char *in_list(const char *s, const char *const *list)
{
    for (; *list; list++)
        if (strcmp(s, *list) == 0)
            return *list;
    return NULL;
}

/*
 * The deterministic action attributes (docs/oscal.md): decided by the base
 * control's id (the top-level control of an enhancement) and by whether the
 * control is an enhancement.
 */
static void classify(const char *base_id, int enhancement, const char **type,
                     const char **enforcement, const char **impl)
{
    static const char *const detective_families[] = {"au", NULL};
    static const char *const detective_controls[] = {"ca-2", "ca-7", "ca-8", "ra-5",
                                                     "si-4", "si-7", NULL};
    static const char *const corrective_families[] = {"cp", "ir", NULL};
    static const char *const corrective_controls[] = {"ca-5", "si-2", NULL};
    static const char *const technical_families[] = {"ac", "au", "ia", "sc", "si", NULL};
    char base[MAX_ID_LEN + 1], family[MAX_ID_LEN + 1];
    size_t n = strlen(base_id), f = 0;
    if (n > MAX_ID_LEN)
        n = 0; /* no NIST id is that long: matches nothing */
    for (size_t k = 0; k < n; k++)
        base[k] = lower(base_id[k]);
    base[n] = '\0';
    while (f < n && base[f] != '-')
        f++;
    if (f == n)
        f = 0; /* no "-": not a NIST-style id, no family */
    memcpy(family, base, f);
    family[f] = '\0';
    int policy = f > 0 && strcmp(base + f, "-1") == 0;

    *enforcement = enhancement ? "discretionary" : "mandatory";
    if (policy)
        *type = "preventive";
    else if (in_list(family, detective_families) || in_list(base, detective_controls))
        *type = "detective";
    else if (in_list(family, corrective_families) || in_list(base, corrective_controls))
        *type = "corrective";
    else
        *type = "preventive";
    if (policy)
        *impl = "documentation";
    else if (in_list(family, technical_families))
        *impl = "technical";
    else
        *impl = "operational";
}

static cJSON *add_str(conv *v, cJSON *obj, const char *key, const char *s)
{
    cJSON *r = cJSON_AddStringToObject(obj, key, s);
    if (!r)
        v->oom = 1;
    return r;
}

static void add_item(conv *v, cJSON *arr, cJSON *item)
{
    if (!item || !cJSON_AddItemToArray(arr, item)) {
        cJSON_Delete(item);
        v->oom = 1;
    }
}

typedef struct ctlctx {
    const char *base;  /* id of the top-level control (NULL at the top) */
    const char *title; /* displayed title of the parent control (NULL at the top) */
    int depth;
    int inc_kids, exc_kids, withdrawn;
} ctlctx;

static void walk_controls(conv *v, const cJSON *holder, const ctlctx *parent, cJSON *out);

static void emit_control(conv *v, const cJSON *ctl, const char *id, const char *label,
                         const char *title, const ctlctx *parent, cJSON *out)
{
    const char *cid = label ? label : id;
    sbuf aid = {0};
    sb_puts(&aid, ACTION_PREFIX);
    for (const char *s = id; *s; s++) {
        char ch = lower(*s);
        sb_putn(&aid, is_lower_alnum(ch) || ch == '.' || ch == '-' ? &ch : "-", 1);
    }
    sbuf atitle = {0};
    sb_puts(&atitle, cid);
    sb_puts(&atitle, " ");
    sb_puts(&atitle, title);
    char *desc = NULL;
    if (aid.oom || atitle.oom) {
        v->oom = 1;
        goto done;
    }
    size_t before = v->c.errors;
    int ok = unique(v, &v->ctl_ids, "control id", cid);
    ok &= unique(v, &v->act_ids, "action id", aid.s);
    desc = render_statement(v, ctl);
    if (!ok || v->c.errors != before || v->oom)
        goto done;

    const char *type, *enforcement, *impl;
    classify(parent->base ? parent->base : id, parent->depth > 0, &type, &enforcement, &impl);
    cJSON *co = cJSON_CreateObject();
    add_item(v, out, co);
    cJSON *ao = cJSON_CreateObject();
    add_item(v, v->actions, ao);
    if (v->oom)
        goto done;
    add_str(v, co, "id", cid);
    add_str(v, co, "title", title);
    if (desc)
        add_str(v, co, "description", desc);
    cJSON *acts = cJSON_AddArrayToObject(co, "actions");
    if (!acts)
        v->oom = 1;
    else
        add_item(v, acts, cJSON_CreateString(aid.s));
    add_str(v, ao, "id", aid.s);
    add_str(v, ao, "title", atitle.s);
    if (desc)
        add_str(v, ao, "description", desc);
    add_str(v, ao, "type", type);
    add_str(v, ao, "enforcement", enforcement);
    add_str(v, ao, "implementation_type", impl);
    add_str(v, ao, "owner", "customer");
    v->n.controls++;
    v->n.actions++;
done:
    free(aid.s);
    free(atitle.s);
    free(desc);
}

static void walk_control(conv *v, const cJSON *ctl, const ctlctx *parent, cJSON *out)
{
    jctx *c = &v->c;
    if (!jexpect_object(c, ctl))
        return;
    const char *id = jget_text(c, ctl, "id", 1);
    const char *title = jget_text(c, ctl, "title", 1);
    const char *label = NULL;
    int withdrawn = parent->withdrawn;
    read_props(v, ctl, &label, &withdrawn);
    check_params(v, ctl);

    ctlctx me = {parent->base ? parent->base : id, NULL, parent->depth + 1, 0, 0, withdrawn};
    int selected = 1;
    if (v->sel && id) {
        int ik = parent->inc_kids, ek = parent->exc_kids;
        int inc = sel_hit(v->sel, id, 0, &ik) || v->sel->include_all || parent->inc_kids;
        int exc = sel_hit(v->sel, id, 1, &ek) || parent->exc_kids;
        me.inc_kids = ik || v->sel->include_all;
        me.exc_kids = ek;
        selected = inc && !exc;
    }
    char *shown = NULL;
    if (title && parent->title) {
        size_t a = strlen(parent->title), b = strlen(title);
        shown = arena_alloc(&v->ar, a + b + 4);
        if (!shown) {
            v->oom = 1;
            return;
        }
        memcpy(shown, parent->title, a);
        memcpy(shown + a, " | ", 3);
        memcpy(shown + a + 3, title, b + 1);
    }
    me.title = shown ? shown : title;

    if (withdrawn)
        v->n.withdrawn++;
    else if (!selected)
        v->n.excluded++;
    else if (id && title)
        emit_control(v, ctl, id, label, me.title, parent, out);
    walk_controls(v, ctl, &me, out);
}

static void walk_controls(conv *v, const cJSON *holder, const ctlctx *parent, cJSON *out)
{
    jctx *c = &v->c;
    const cJSON *arr = jget_array(c, holder, "controls", 0);
    if (!arr)
        return;
    size_t mk = jctx_push_key(c, "controls");
    size_t i = 0;
    for (const cJSON *ctl = arr->child; ctl && !v->oom; ctl = ctl->next, i++) {
        size_t mi = jctx_push_index(c, i);
        walk_control(v, ctl, parent, out);
        jctx_pop(c, mi);
    }
    jctx_pop(c, mk);
}

/* A group's own controls, then those of its sub-groups, depth first. */
static void walk_group_controls(conv *v, const cJSON *g, cJSON *out)
{
    jctx *c = &v->c;
    static const ctlctx top = {NULL, NULL, 0, 0, 0, 0};
    walk_controls(v, g, &top, out);
    const cJSON *subs = jget_array(c, g, "groups", 0);
    if (!subs)
        return;
    size_t mk = jctx_push_key(c, "groups");
    size_t i = 0;
    for (const cJSON *s = subs->child; s && !v->oom; s = s->next, i++) {
        size_t mi = jctx_push_index(c, i);
        if (jexpect_object(c, s)) {
            jget_text(c, s, "title", 1);
            jget_string(c, s, "id", 0);
            read_props(v, s, NULL, NULL);
            check_params(v, s);
            walk_group_controls(v, s, out);
        }
        jctx_pop(c, mi);
    }
    jctx_pop(c, mk);
}

/* Add a family when it has controls; takes `controls`. */
static void emit_family(conv *v, const char *id, const char *title, cJSON *controls)
{
    if (!controls->child || !id || !title) {
        cJSON_Delete(controls);
        return;
    }
    if (!unique(v, &v->fam_ids, "family id", id)) {
        cJSON_Delete(controls);
        return;
    }
    cJSON *f = cJSON_CreateObject();
    add_item(v, v->families, f);
    if (v->oom) {
        cJSON_Delete(controls);
        return;
    }
    add_str(v, f, "id", id);
    add_str(v, f, "title", title);
    if (!cJSON_AddItemToObject(f, "controls", controls)) {
        cJSON_Delete(controls);
        v->oom = 1;
    }
    v->n.families++;
}

static void walk_catalog(conv *v, const cJSON *cat)
{
    jctx *c = &v->c;
    check_params(v, cat);
    /* controls outside any group */
    cJSON *loose = cJSON_CreateArray();
    if (!loose) {
        v->oom = 1;
        return;
    }
    static const ctlctx top = {NULL, NULL, 0, 0, 0, 0};
    walk_controls(v, cat, &top, loose);
    emit_family(v, "CATALOG", "Controls outside any group", loose);

    const cJSON *groups = jget_array(c, cat, "groups", 0);
    if (!groups)
        return;
    size_t mk = jctx_push_key(c, "groups");
    size_t i = 0;
    for (const cJSON *g = groups->child; g && !v->oom; g = g->next, i++) {
        size_t mi = jctx_push_index(c, i);
        if (jexpect_object(c, g)) {
            const char *gid = jget_text(c, g, "id", 0);
            const char *title = jget_text(c, g, "title", 1);
            const char *label = NULL;
            read_props(v, g, &label, NULL);
            check_params(v, g);
            char *fid = NULL;
            if (label) {
                fid = arena_strdup(&v->ar, label);
            } else if (gid) {
                fid = arena_strdup(&v->ar, gid);
                for (char *s = fid; s && *s; s++)
                    *s = upper(*s);
            } else if (!jfield(g, "id")) {
                jctx_error(c, "group has neither a \"label\" prop nor an \"id\"");
            }
            if ((label || gid) && !fid)
                v->oom = 1;
            cJSON *controls = cJSON_CreateArray();
            if (!controls) {
                v->oom = 1;
            } else {
                walk_group_controls(v, g, controls);
                emit_family(v, fid, title, controls);
            }
        }
        jctx_pop(c, mi);
    }
    jctx_pop(c, mk);
}

/* ---- metadata, id and version ------------------------------------------- */

/* "NIST SP 800-53 Rev. 5" -> "nist-sp-800-53-rev.-5"... see docs/oscal.md. */
static char *slug(const char *title)
{
    size_t n = strlen(title);
    char *s = malloc(n + 1);
    if (!s)
        return NULL;
    size_t len = 0;
    int sep = 0;
    for (size_t k = 0; k < n; k++) {
        char ch = lower(title[k]);
        if (is_lower_alnum(ch) || ch == '.') {
            if (sep && len)
                s[len++] = '-';
            sep = 0;
            s[len++] = ch;
        } else {
            sep = 1;
        }
    }
    s[len] = '\0';
    /* cut at the last separator that keeps it within the limit */
    if (len > MAX_ID_LEN) {
        size_t cut = MAX_ID_LEN;
        while (cut > 0 && s[cut] != '-')
            cut--;
        len = cut ? cut : MAX_ID_LEN;
        s[len] = '\0';
    }
    size_t b = 0;
    while (b < len && (s[b] == '.' || s[b] == '-'))
        b++;
    while (len > b && (s[len - 1] == '.' || s[len - 1] == '-'))
        len--;
    memmove(s, s + b, len - b);
    s[len - b] = '\0';
    return s;
}

static int valid_id(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > MAX_ID_LEN || !is_lower_alnum(s[0]))
        return 0;
    for (size_t k = 1; k < n; k++)
        if (!is_lower_alnum(s[k]) && s[k] != '.' && s[k] != '-')
            return 0;
    return 1;
}

/* Parse one semver number (no leading zeros, at most 9 digits) at *p. */
static int semver_num(const char **p)
{
    const char *s = *p;
    size_t n = 0;
    while (s[n] >= '0' && s[n] <= '9')
        n++;
    if (n == 0 || n > 9 || (n > 1 && s[0] == '0'))
        return 0;
    *p = s + n;
    return 1;
}

static int valid_semver(const char *s)
{
    return semver_num(&s) && *s++ == '.' && semver_num(&s) && *s++ == '.' && semver_num(&s) &&
           *s == '\0';
}

/* Leading numeric components of a catalog version, padded: "5.1.1+u4" -> "5.1.1", "1.1" -> "1.1.0". */
static void version_from(const char *mv, char out[48])
{
    unsigned long part[3] = {0, 0, 0};
    int got = 0;
    const char *s = mv ? mv : "";
    while (got < 3 && *s >= '0' && *s <= '9') {
        unsigned long x = 0;
        size_t digits = 0;
        for (; *s >= '0' && *s <= '9'; s++, digits++)
            if (digits < 9)
                x = x * 10 + (unsigned long)(*s - '0');
        part[got++] = x;
        if (*s != '.' || s[1] < '0' || s[1] > '9')
            break;
        s++;
    }
    if (got == 0)
        part[0] = 1;
    snprintf(out, 48, "%lu.%lu.%lu", part[0], part[1], part[2]);
}

/* Name of the party holding role "creator", or NULL. */
static const char *creator(const cJSON *meta)
{
    const cJSON *rps = jfield(meta, "responsible-parties");
    const cJSON *parties = jfield(meta, "parties");
    if (!cJSON_IsArray(rps) || !cJSON_IsArray(parties))
        return NULL;
    for (const cJSON *rp = rps->child; rp; rp = rp->next) {
        const cJSON *role = jfield(rp, "role-id"), *uuids = jfield(rp, "party-uuids");
        if (!cJSON_IsString(role) || strcmp(role->valuestring, "creator") != 0 ||
            !cJSON_IsArray(uuids) || !cJSON_IsString(uuids->child))
            continue;
        for (const cJSON *p = parties->child; p; p = p->next) {
            const cJSON *u = jfield(p, "uuid"), *name = jfield(p, "name");
            if (cJSON_IsString(u) && strcmp(u->valuestring, uuids->child->valuestring) == 0 &&
                cJSON_IsString(name) && *name->valuestring)
                return name->valuestring;
        }
    }
    return NULL;
}

static const char *meta_string(const cJSON *meta, const char *key)
{
    const cJSON *s = jfield(meta, key);
    return cJSON_IsString(s) && *s->valuestring ? s->valuestring : NULL;
}

/* ---- entry points ------------------------------------------------------- */

int posture_oscal_convert(const char *catalog, const posture_oscal_options *opts,
                          posture_diags *diags, char **out, posture_oscal_counts *counts)
{
    static const posture_oscal_options none = {0};
    if (!opts)
        opts = &none;
    *out = NULL;
    if (counts)
        memset(counts, 0, sizeof *counts);
    if (opts->id && !valid_id(opts->id))
        return posture_error_set(POSTURE_EUSAGE,
                                 "invalid template id \"%s\": use 1-64 of a-z 0-9 . - "
                                 "starting with a letter or digit", opts->id);
    if (opts->version && !valid_semver(opts->version))
        return posture_error_set(POSTURE_EUSAGE,
                                 "invalid version \"%s\": expected MAJOR.MINOR.PATCH", opts->version);

    int rc = 0, err = 0;
    posture_diags *own = NULL;
    cJSON *root = NULL, *ptree = NULL, *tpl = NULL;
    selector sel;
    memset(&sel, 0, sizeof sel);
    conv v;
    memset(&v, 0, sizeof v);
    char *id = NULL, *text = NULL;
    sbuf desc = {0};
    if (!diags) {
        if ((rc = posture_diags_new(&own)) != 0)
            return rc;
        diags = own;
    }
    jctx_init(&v.c, catalog, diags);
    v.d = diags;
    arena_init(&v.ar);
    arena_init(&sel.ar);

    root = json_parse_file(catalog, diags, &err);
    if (!root) {
        rc = err;
        goto done;
    }
    if (opts->baseline) {
        sel.file = opts->baseline;
        if ((rc = sel_read(&sel, opts->baseline, diags, &ptree)) != 0)
            goto done;
        v.sel = &sel;
    }

    const cJSON *cat = NULL, *meta = NULL;
    const char *mtitle = NULL;
    if (!jexpect_object(&v.c, root)) {
        /* reported */
    } else if (!jfield(root, "catalog")) {
        posture_diags_add(diags, POSTURE_SEV_ERROR, catalog, "/",
                          jfield(root, "profile")
                              ? "this is an OSCAL profile: give its catalog with --oscal and the "
                                "profile with --baseline"
                              : NULL,
                          "missing required field \"catalog\"");
        v.c.errors++;
    } else {
        cat = jget_object(&v.c, root, "catalog", 1);
    }
    if (!cat) {
        rc = POSTURE_EINVALID;
        goto done;
    }
    size_t mcat = jctx_push_key(&v.c, "catalog");
    meta = jget_object(&v.c, cat, "metadata", 1);
    if (meta) {
        size_t mm = jctx_push_key(&v.c, "metadata");
        mtitle = jget_text(&v.c, meta, "title", 1);
        jget_string(&v.c, meta, "version", 0);
        jctx_pop(&v.c, mm);
    }
    collect_params(&v, cat);
    v.families = cJSON_CreateArray();
    v.actions = cJSON_CreateArray();
    if (!v.families || !v.actions || v.oom) {
        cJSON_Delete(v.families);
        cJSON_Delete(v.actions);
        v.families = v.actions = NULL;
        rc = posture_error_set(POSTURE_ENOMEM, "out of memory");
        goto done;
    }
    walk_catalog(&v, cat);
    if (!v.oom && v.c.errors == 0 && v.n.controls == 0)
        jctx_error(&v.c, v.sel ? "the baseline selects no control of the catalog"
                               : "no controls to import");
    jctx_pop(&v.c, mcat);

    /* ids named by the baseline that the catalog lacks */
    for (size_t k = 0; v.sel && k < sel.nuses; k++) {
        const selid *r = &sel.ids[sel.uses[k].rec];
        if (!r->found) {
            posture_diags_add(diags, POSTURE_SEV_ERROR, sel.file, sel.uses[k].place, NULL,
                              "control \"%s\" is not in the catalog", r->id);
            v.c.errors++;
        }
    }

    if (mtitle && !opts->id) {
        id = slug(mtitle);
        if (!id) {
            v.oom = 1;
        } else if (!*id) {
            posture_diags_add(diags, POSTURE_SEV_ERROR, catalog, "/catalog/metadata/title",
                              "give the template id with --id",
                              "cannot derive a template id from the title");
            v.c.errors++;
        }
    }
    if (v.oom || v.c.oom || v.c.ptr.oom) {
        rc = posture_error_set(POSTURE_ENOMEM, "out of memory");
        goto done;
    }
    if (v.c.errors) {
        rc = POSTURE_EINVALID;
        goto done;
    }

    char version[48];
    if (opts->version)
        snprintf(version, sizeof version, "%s", opts->version);
    else
        version_from(meta_string(meta, "version"), version);
    const char *mversion = meta_string(meta, "version");
    const char *oversion = meta_string(meta, "oscal-version");
    sb_puts(&desc, "Imported from the OSCAL catalog \"");
    sb_puts(&desc, mtitle);
    sb_puts(&desc, "\"");
    if (mversion || oversion) {
        sb_puts(&desc, " (");
        if (mversion) {
            sb_puts(&desc, "version ");
            sb_puts(&desc, mversion);
        }
        if (mversion && oversion)
            sb_puts(&desc, ", ");
        if (oversion) {
            sb_puts(&desc, "OSCAL ");
            sb_puts(&desc, oversion);
        }
        sb_puts(&desc, ")");
    }
    sb_puts(&desc, ".");
    if (v.sel) {
        if (sel.title) {
            sb_puts(&desc, " Restricted to the controls selected by the profile \"");
            sb_puts(&desc, sel.title);
            sb_puts(&desc, "\".");
        } else {
            sb_puts(&desc, " Restricted to the controls selected by an OSCAL profile.");
        }
    }
    tpl = cJSON_CreateObject();
    if (!tpl || desc.oom) {
        rc = posture_error_set(POSTURE_ENOMEM, "out of memory");
        goto done;
    }
    add_str(&v, tpl, "format", "posture-template/1");
    add_str(&v, tpl, "id", opts->id ? opts->id : id);
    add_str(&v, tpl, "version", version);
    add_str(&v, tpl, "title", opts->title ? opts->title : mtitle);
    add_str(&v, tpl, "description", desc.s);
    cJSON *reg = cJSON_AddObjectToObject(tpl, "regulation");
    if (!reg) {
        v.oom = 1;
    } else {
        const char *pub = creator(meta);
        add_str(&v, reg, "name", mtitle);
        if (mversion)
            add_str(&v, reg, "edition", mversion);
        if (pub)
            add_str(&v, reg, "publisher", pub);
    }
    if (!cJSON_AddItemToObject(tpl, "families", v.families))
        v.oom = 1;
    else
        v.families = NULL;
    if (!cJSON_AddItemToObject(tpl, "actions", v.actions))
        v.oom = 1;
    else
        v.actions = NULL;
    if (v.oom || !(text = cJSON_Print(tpl))) {
        rc = posture_error_set(POSTURE_ENOMEM, "out of memory");
        goto done;
    }
    size_t len = strlen(text);
    char *t2 = realloc(text, len + 2);
    if (!t2) {
        rc = posture_error_set(POSTURE_ENOMEM, "out of memory");
        goto done;
    }
    text = t2;
    text[len] = '\n';
    text[len + 1] = '\0';
    *out = text;
    text = NULL;
    if (counts)
        *counts = v.n;
done:
    free(text);
    free(id);
    free(desc.s);
    cJSON_Delete(tpl);
    cJSON_Delete(v.families);
    cJSON_Delete(v.actions);
    cJSON_Delete(root);
    cJSON_Delete(ptree);
    strmap_release(&v.params);
    strmap_release(&v.params_alt);
    strmap_release(&v.fam_ids);
    strmap_release(&v.ctl_ids);
    strmap_release(&v.act_ids);
    free(v.pv);
    free(v.places);
    arena_release(&v.ar);
    jctx_release(&v.c);
    sel_release(&sel);
    posture_diags_free(own);
    return rc;
}

int posture_oscal_import(const char *catalog, const posture_oscal_options *opts,
                         const char *out_path, posture_diags *diags,
                         posture_oscal_counts *counts)
{
    char *text = NULL;
    int rc = posture_oscal_convert(catalog, opts, diags, &text, counts);
    if (rc == 0)
        rc = posture_write_file(out_path, text, strlen(text));
    free(text);
    return rc;
}
