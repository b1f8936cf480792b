/* answers.c - a customer's answers (posture-answers/1): builder, JSON reader, resolve, JSON writer. */
#include "posture/answers.h"

#include <cjson/cJSON.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonin.h"
#include "base/limit.h"
#include "posture/fileio.h"
#include "base/strmap.h"

#define ANSWERS_FORMAT "posture-answers/1"

struct posture_answers {
    arena ar;
    const char *template_ref;
    const char *template_version;
    posture_assessment_info info;
    posture_answer *items;
    size_t n, cap;
    posture_control_scope *controls;
    size_t nc, capc;
    long *action_map; /* template action index -> index in items, or -1 */
    size_t naction_map;
    long *control_map; /* template control index -> index in controls, or -1 */
    size_t ncontrol_map;
    int from_json;     /* template fields have JSON places (/template, /template_version) */
    const posture_template *resolved; /* the template of the last successful resolve */
};

/* ---- builder ---------------------------------------------------------------------------- */

static void drop_maps(posture_answers *a)
{
    free(a->action_map);
    free(a->control_map);
    a->action_map = NULL;
    a->control_map = NULL;
    a->naction_map = 0;
    a->ncontrol_map = 0;
    a->resolved = NULL;
}

int posture_answers_new(posture_answers **out)
{
    *out = NULL;
    posture_answers *a = calloc(1, sizeof *a);
    if (!a)
        return posture_error_set(POSTURE_ENOMEM, "out of memory");
    arena_init(&a->ar);
    a->info.group = "default";
    *out = a;
    return 0;
}

void posture_answers_free(posture_answers *a)
{
    if (!a)
        return;
    drop_maps(a);
    free(a->items);
    free(a->controls);
    arena_release(&a->ar);
    free(a);
}

/* A copy of `s` in the arena, with "" and NULL both absent. Sets *oom on failure. */
static const char *copy_opt(posture_answers *a, const char *s, int *oom)
{
    if (!s || !*s)
        return NULL;
    const char *c = arena_strdup(&a->ar, s);
    if (!c)
        *oom = 1;
    return c;
}

int posture_answers_set_template(posture_answers *a, const char *ref, const char *version)
{
    int oom = 0;
    const char *r = copy_opt(a, ref, &oom);
    const char *v = copy_opt(a, version, &oom);
    if (oom)
        return posture_error_set(POSTURE_ENOMEM, "out of memory");
    a->template_ref = r;
    a->template_version = v;
    return 0;
}

const char *posture_answers_template_ref(const posture_answers *a) { return a->template_ref; }

const char *posture_answers_template_version(const posture_answers *a)
{
    return a->template_version;
}

int posture_answers_set_info(posture_answers *a, const posture_assessment_info *info)
{
    int oom = 0;
    posture_assessment_info n = {
        copy_opt(a, info->name, &oom),  copy_opt(a, info->organization, &oom),
        copy_opt(a, info->scope, &oom), copy_opt(a, info->group, &oom),
        copy_opt(a, info->assessed_at, &oom),
    };
    if (oom)
        return posture_error_set(POSTURE_ENOMEM, "out of memory");
    if (!n.group)
        n.group = "default";
    a->info = n;
    return 0;
}

const posture_assessment_info *posture_answers_info(const posture_answers *a) { return &a->info; }

int posture_answers_add(posture_answers *a, const posture_answer *in)
{
    if (!in->action || !*in->action)
        return posture_error_set(POSTURE_EUSAGE, "an answer needs an action id");
    if ((unsigned)in->implementation >= POSTURE_IMPL__COUNT ||
        (unsigned)in->test >= POSTURE_TEST__COUNT)
        return posture_error_set(POSTURE_EUSAGE, "answer for \"%s\": status out of range",
                                 in->action);
    if (a->n == a->cap) {
        size_t cap = a->cap ? a->cap * 2 : 16;
        posture_answer *items = realloc(a->items, cap * sizeof *items);
        if (!items)
            return posture_error_set(POSTURE_ENOMEM, "out of memory");
        a->items = items;
        a->cap = cap;
    }
    int oom = 0;
    posture_answer n = *in;
    n.action = copy_opt(a, in->action, &oom);
    n.tested_at = copy_opt(a, in->tested_at, &oom);
    n.assigned_to = copy_opt(a, in->assigned_to, &oom);
    n.notes = copy_opt(a, in->notes, &oom);
    n.place = copy_opt(a, in->place, &oom);
    n.evidence = NULL;
    n.nevidence = 0;
    size_t ne = 0;
    for (size_t i = 0; i < in->nevidence; i++)
        if (in->evidence[i] && *in->evidence[i])
            ne++;
    if (ne) {
        const char **ev = arena_alloc(&a->ar, ne * sizeof *ev);
        if (!ev)
            oom = 1;
        for (size_t i = 0; ev && i < in->nevidence; i++)
            if (in->evidence[i] && *in->evidence[i])
                ev[n.nevidence++] = copy_opt(a, in->evidence[i], &oom);
        n.evidence = ev;
    }
    if (oom)
        return posture_error_set(POSTURE_ENOMEM, "out of memory");
    drop_maps(a);
    a->items[a->n++] = n;
    return 0;
}

int posture_answers_add_control(posture_answers *a, const posture_control_scope *in)
{
    if (!in->control || !*in->control)
        return posture_error_set(POSTURE_EUSAGE, "a control entry needs a control id");
    if (a->nc == a->capc) {
        size_t cap = a->capc ? a->capc * 2 : 8;
        posture_control_scope *items = realloc(a->controls, cap * sizeof *items);
        if (!items)
            return posture_error_set(POSTURE_ENOMEM, "out of memory");
        a->controls = items;
        a->capc = cap;
    }
    int oom = 0;
    posture_control_scope n = *in;
    n.control = copy_opt(a, in->control, &oom);
    n.applicable = in->applicable ? 1 : 0;
    n.justification = copy_opt(a, in->justification, &oom);
    n.place = copy_opt(a, in->place, &oom);
    if (oom)
        return posture_error_set(POSTURE_ENOMEM, "out of memory");
    drop_maps(a);
    a->controls[a->nc++] = n;
    return 0;
}

size_t posture_answers_count(const posture_answers *a) { return a->n; }

const posture_answer *posture_answers_get(const posture_answers *a, size_t i)
{
    return i < a->n ? &a->items[i] : NULL;
}

size_t posture_answers_control_count(const posture_answers *a) { return a->nc; }

const posture_control_scope *posture_answers_control(const posture_answers *a, size_t i)
{
    return i < a->nc ? &a->controls[i] : NULL;
}

const posture_answer *posture_answers_for_action(const posture_answers *a, size_t action_index)
{
    if (!a->action_map || action_index >= a->naction_map || a->action_map[action_index] < 0)
        return NULL;
    return &a->items[a->action_map[action_index]];
}

const posture_control_scope *posture_answers_for_control(const posture_answers *a,
                                                         size_t control_index)
{
    if (!a->control_map || control_index >= a->ncontrol_map || a->control_map[control_index] < 0)
        return NULL;
    return &a->controls[a->control_map[control_index]];
}

/* ---- resolve ---------------------------------------------------------------------------- */

typedef struct rctx {
    const char *file;
    posture_diags *diags;
    size_t errors;
    int oom;
} rctx;

static void radd(rctx *r, posture_severity sev, const char *place, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

static void radd(rctx *r, posture_severity sev, const char *place, const char *fmt, ...)
{
    char msg[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (sev == POSTURE_SEV_ERROR || posture_diags_strict(r->diags))
        r->errors++;
    if (posture_diags_add(r->diags, sev, r->file, place, NULL, "%s", msg) != 0)
        r->oom = 1;
}

/* Length of the id part of a template reference "id" or "id@version". */
static size_t ref_id_len(const char *ref)
{
    const char *at = strchr(ref, '@');
    return at ? (size_t)(at - ref) : strlen(ref);
}

/*
 * Check the template reference, then every action and control id. The
 * not-applicable justification is checked only when `check_just` (the JSON
 * reader checks it itself at the entry's object).
 */
static int resolve_impl(posture_answers *a, const posture_template *t, const char *file,
                        posture_diags *diags, int check_just)
{
    rctx r = {file, diags, 0, 0};
    drop_maps(a);
    const posture_template_info *ti = posture_template_info_get(t);
    const char *tid = ti->id ? ti->id : "";

    if (a->template_ref) {
        size_t idlen = ref_id_len(a->template_ref);
        if (idlen != strlen(tid) || memcmp(a->template_ref, tid, idlen) != 0) {
            radd(&r, POSTURE_SEV_ERROR, a->from_json ? "/template" : NULL,
                 "answers are for template \"%.*s\", not \"%s\"", (int)idlen, a->template_ref,
                 tid);
            goto done;
        }
        const char *ver = a->template_version;
        const char *vplace = "/template_version";
        if (!ver && a->template_ref[idlen] == '@') {
            ver = a->template_ref + idlen + 1;
            vplace = "/template";
        }
        if (ver && ti->version && strcmp(ver, ti->version) != 0)
            radd(&r, POSTURE_SEV_WARNING, a->from_json ? vplace : NULL,
                 "answers were written for version %s of \"%s\", the template is %s", ver, tid,
                 ti->version);
    }

    size_t na = posture_template_action_count(t), nc = posture_template_control_count(t);
    long *amap = malloc((na ? na : 1) * sizeof *amap);
    long *cmap = malloc((nc ? nc : 1) * sizeof *cmap);
    a->action_map = amap;
    a->control_map = cmap;
    a->naction_map = na;
    a->ncontrol_map = nc;
    if (!amap || !cmap) {
        r.oom = 1;
        goto done;
    }
    for (size_t i = 0; i < na; i++)
        amap[i] = -1;
    for (size_t i = 0; i < nc; i++)
        cmap[i] = -1;

    for (size_t i = 0; i < a->nc; i++) {
        posture_control_scope *cs = &a->controls[i];
        long k = posture_template_find_control(t, cs->control);
        cs->control_index = k;
        if (check_just && !cs->applicable && !cs->justification)
            radd(&r, POSTURE_SEV_ERROR, cs->place, "a not-applicable control needs a justification");
        if (k < 0) {
            radd(&r, POSTURE_SEV_ERROR, cs->place, "unknown control \"%s\"", cs->control);
        } else if (cmap[k] >= 0) {
            const char *first = a->controls[cmap[k]].place;
            if (first)
                radd(&r, POSTURE_SEV_ERROR, cs->place,
                     "control \"%s\" is listed twice (first at %s)", cs->control, first);
            else
                radd(&r, POSTURE_SEV_ERROR, cs->place, "control \"%s\" is listed twice",
                     cs->control);
        } else {
            cmap[k] = (long)i;
        }
    }
    for (size_t i = 0; i < a->n; i++) {
        posture_answer *an = &a->items[i];
        long k = posture_template_find_action(t, an->action);
        an->action_index = k;
        if (k < 0) {
            radd(&r, POSTURE_SEV_ERROR, an->place, "unknown action \"%s\"", an->action);
        } else if (amap[k] >= 0) {
            const char *first = a->items[amap[k]].place;
            if (first)
                radd(&r, POSTURE_SEV_ERROR, an->place,
                     "action \"%s\" is answered twice (first at %s)", an->action, first);
            else
                radd(&r, POSTURE_SEV_ERROR, an->place, "action \"%s\" is answered twice",
                     an->action);
        } else {
            amap[k] = (long)i;
        }
    }

done:
    if (r.oom || r.errors) {
        drop_maps(a);
        if (r.oom)
            return posture_error_set(POSTURE_ENOMEM, "out of memory");
        return POSTURE_EINVALID;
    }
    a->resolved = t;
    return 0;
}

const posture_template *posture_answers_resolved_template(const posture_answers *a)
{
    return a ? a->resolved : NULL;
}

int posture_answers_resolve(posture_answers *a, const posture_template *t, const char *file,
                            posture_diags *diags)
{
    return resolve_impl(a, t, file, diags, 1);
}

/* ---- JSON reader ------------------------------------------------------------------------ */

/* An optional string field: absent, null and "" give NULL; another type is an error. */
static const char *opt_string(jctx *c, const cJSON *obj, const char *key)
{
    const cJSON *v = jfield(obj, key);
    if (!v || cJSON_IsNull(v))
        return NULL;
    const char *s = jget_string(c, obj, key, 0);
    return s && *s ? s : NULL;
}

/* An optional array field: absent and null give NULL; another type is an error. */
static const cJSON *opt_array(jctx *c, const cJSON *obj, const char *key)
{
    const cJSON *v = jfield(obj, key);
    if (!v || cJSON_IsNull(v))
        return NULL;
    return jget_array(c, obj, key, 0);
}

/* An optional date field: as opt_string, and it must be YYYY-MM-DD. */
static const char *opt_date(jctx *c, const cJSON *obj, const char *key)
{
    const char *s = opt_string(c, obj, key);
    if (s && !posture_date_valid(s)) {
        jctx_error_at(c, key, "invalid date \"%s\"; expected YYYY-MM-DD", s);
        return NULL;
    }
    return s;
}

/* True when `s` holds nothing but blanks (a status that is absent). */
static int blank(const char *s)
{
    for (; *s; s++)
        if (*s != ' ' && *s != '\t' && *s != '\r' && *s != '\n')
            return 0;
    return 1;
}

static void read_implementation(jctx *c, const cJSON *obj, posture_implementation *out)
{
    const char *s = opt_string(c, obj, "implementation");
    if (!s || blank(s))
        return;
    if (posture_implementation_parse(s, out) != 0)
        jctx_error_at(c, "implementation", "unknown implementation status \"%s\"; expected one of: %s",
                      s, posture_implementation_expected());
}

static void read_test(jctx *c, const cJSON *obj, posture_test *out)
{
    const char *s = opt_string(c, obj, "test");
    if (!s || blank(s))
        return;
    if (posture_test_parse(s, out) != 0)
        jctx_error_at(c, "test", "unknown test status \"%s\"; expected one of: %s", s,
                      posture_test_expected());
}

static int read_assessment(jctx *c, const cJSON *root, posture_answers *a)
{
    static const char *const known[] = {"name", "organization", "scope", "group", "assessed_at",
                                        NULL};
    const cJSON *as = jget_object(c, root, "assessment", 1);
    if (!as)
        return 0;
    size_t mark = jctx_push_key(c, "assessment");
    jcheck_fields(c, as, known);
    posture_assessment_info info = {
        jget_text(c, as, "name", 1),  opt_string(c, as, "organization"),
        opt_string(c, as, "scope"),   opt_string(c, as, "group"),
        opt_date(c, as, "assessed_at"),
    };
    jctx_pop(c, mark);
    return posture_answers_set_info(a, &info);
}

static int read_controls(jctx *c, const cJSON *root, posture_answers *a)
{
    static const char *const known[] = {"control", "applicable", "justification", NULL};
    const cJSON *arr = opt_array(c, root, "controls");
    if (!arr)
        return 0;
    size_t mark = jctx_push_key(c, "controls");
    size_t i = 0;
    int rc = 0;
    for (const cJSON *e = arr->child; e && rc == 0; e = e->next, i++) {
        size_t m2 = jctx_push_index(c, i);
        if (jexpect_object(c, e)) {
            jcheck_fields(c, e, known);
            const char *id = jget_text(c, e, "control", 1);
            int applicable = jget_bool(c, e, "applicable", 1);
            const char *just = opt_string(c, e, "justification");
            if (applicable == 0 && !just)
                jctx_error(c, "a not-applicable control needs a justification");
            if (id) {
                size_t m3 = jctx_push_key(c, "control");
                posture_control_scope cs = {id, applicable != 0, just, -1, jctx_place(c)};
                rc = posture_answers_add_control(a, &cs);
                jctx_pop(c, m3);
            }
        }
        jctx_pop(c, m2);
    }
    jctx_pop(c, mark);
    return rc;
}

static int read_answer(jctx *c, const cJSON *e, posture_answers *a)
{
    static const char *const known[] = {"action",      "implementation", "test",     "tested_at",
                                        "assigned_to", "notes",          "evidence", NULL};
    if (!jexpect_object(c, e))
        return 0;
    jcheck_fields(c, e, known);
    posture_answer an = {0};
    an.action = jget_text(c, e, "action", 1);
    an.implementation = POSTURE_IMPL_NOT_IMPLEMENTED;
    an.test = POSTURE_TEST_NOT_ASSESSED;
    read_implementation(c, e, &an.implementation);
    read_test(c, e, &an.test);
    an.tested_at = opt_date(c, e, "tested_at");
    an.assigned_to = opt_string(c, e, "assigned_to");
    an.notes = opt_string(c, e, "notes");
    an.action_index = -1;

    const char **ev = NULL;
    const cJSON *earr = opt_array(c, e, "evidence");
    if (earr) {
        size_t n = (size_t)cJSON_GetArraySize(earr);
        ev = calloc(n ? n : 1, sizeof *ev);
        if (!ev)
            return posture_error_set(POSTURE_ENOMEM, "out of memory");
        size_t mark = jctx_push_key(c, "evidence");
        size_t k = 0;
        for (const cJSON *x = earr->child; x; x = x->next, k++) {
            if (cJSON_IsString(x)) {
                ev[an.nevidence++] = x->valuestring;
            } else {
                size_t m2 = jctx_push_index(c, k);
                jctx_error(c, "expected a string, got %s", json_type_name(x));
                jctx_pop(c, m2);
            }
        }
        jctx_pop(c, mark);
        an.evidence = ev;
    }
    int rc = 0;
    if (an.action) {
        size_t mark = jctx_push_key(c, "action");
        an.place = jctx_place(c);
        rc = posture_answers_add(a, &an);
        jctx_pop(c, mark);
    }
    free(ev);
    return rc;
}

/* Check a template reference "id" or "id@version" and the optional template_version. */
static void read_template(jctx *c, const cJSON *root, posture_answers *a, int *rc)
{
    const char *ref = jget_text(c, root, "template", 1);
    const char *ver = opt_string(c, root, "template_version");
    if (!ref)
        return;
    const char *at = strchr(ref, '@');
    if (at && (at == ref || !at[1] || strchr(at + 1, '@'))) {
        jctx_error_at(c, "template", "expected \"ID\" or \"ID@VERSION\", got \"%s\"", ref);
        return;
    }
    if (at && ver && strcmp(at + 1, ver) != 0)
        jctx_error_at(c, "template_version", "version %s contradicts template \"%s\"", ver, ref);
    *rc = posture_answers_set_template(a, ref, ver);
}

/* Fill `a` from the document; returns 0 or POSTURE_ENOMEM, and *stop when the rest is moot. */
static int read_document(jctx *c, const cJSON *root, posture_answers *a, int *stop)
{
    static const char *const known[] = {"format",   "template", "template_version",
                                        "assessment", "controls", "answers", NULL};
    *stop = 1;
    if (!jexpect_object(c, root))
        return 0;
    const char *format = jget_string(c, root, "format", 1);
    if (!format)
        return 0;
    if (strcmp(format, ANSWERS_FORMAT) != 0) {
        jctx_error_at(c, "format", "expected \"%s\", got \"%s\"", ANSWERS_FORMAT, format);
        return 0;
    }
    *stop = 0;
    jcheck_fields(c, root, known);
    int rc = 0;
    read_template(c, root, a, &rc);
    if (rc == 0)
        rc = read_assessment(c, root, a);
    if (rc == 0)
        rc = read_controls(c, root, a);
    const cJSON *arr = rc == 0 ? jget_array(c, root, "answers", 1) : NULL;
    if (arr && limit_check_count(LIMIT_ACTIONS, (size_t)cJSON_GetArraySize(arr), "answers",
                                 c->file, "/answers", c->diags) != 0) {
        c->errors++;
        arr = NULL;
    }
    if (arr) {
        size_t mark = jctx_push_key(c, "answers");
        size_t i = 0;
        for (const cJSON *e = arr->child; e && rc == 0; e = e->next, i++) {
            size_t m2 = jctx_push_index(c, i);
            rc = read_answer(c, e, a);
            jctx_pop(c, m2);
        }
        jctx_pop(c, mark);
    }
    if (rc == 0 && (c->oom || c->ptr.oom))
        rc = posture_error_set(POSTURE_ENOMEM, "out of memory");
    return rc;
}

int posture_answers_parse_json(const char *text, size_t len, const char *file,
                               const posture_template *t, posture_diags *diags,
                               posture_answers **out)
{
    *out = NULL;
    int rc = 0;
    posture_answers *a = NULL;
    jctx c;
    jctx_init(&c, file, diags);
    int dup = 0;
    /* a document with duplicate keys comes back too, so every other problem is reported */
    cJSON *root = json_parse_text_all(file, text, len, diags, &dup);
    if (!root) {
        rc = dup;
        goto done;
    }
    rc = posture_answers_new(&a);
    if (rc != 0)
        goto done;
    a->from_json = 1;
    int stop = 0;
    rc = read_document(&c, root, a, &stop);
    if (rc != 0)
        goto done;
    int rrc = 0;
    if (t && !stop)
        rrc = resolve_impl(a, t, file, diags, 0);
    if (rrc == POSTURE_ENOMEM)
        rc = rrc;
    else if (rrc != 0 || c.errors || dup)
        rc = POSTURE_EINVALID;

done:
    cJSON_Delete(root);
    jctx_release(&c);
    if (rc != 0) {
        posture_answers_free(a);
        return rc;
    }
    *out = a;
    return 0;
}

int posture_answers_load_json(const char *path, const posture_template *t, posture_diags *diags,
                              posture_answers **out)
{
    *out = NULL;
    char *text = NULL;
    size_t len = 0;
    int rc = posture_read_file(path, 0, &text, &len);
    if (rc != 0) {
        posture_diags_add(diags, POSTURE_SEV_ERROR, NULL, NULL, limit_hint(rc), "%s",
                          posture_error_last());
        return rc;
    }
    rc = posture_answers_parse_json(text, len, path, t, diags, out);
    free(text);
    return rc;
}

/* ---- JSON writer ------------------------------------------------------------------------ */

/* Add `key`: `s`, or null when `s` is NULL. Returns 0 when out of memory. */
static int put_str(cJSON *obj, const char *key, const char *s)
{
    return (s ? cJSON_AddStringToObject(obj, key, s) : cJSON_AddNullToObject(obj, key)) != NULL;
}

char *posture_answers_to_json(const posture_answers *a)
{
    char *out = NULL;
    int ok = 1;
    cJSON *root = cJSON_CreateObject();
    if (!root)
        return NULL;
    ok &= put_str(root, "format", ANSWERS_FORMAT);
    ok &= put_str(root, "template", a->template_ref);
    if (a->template_version)
        ok &= put_str(root, "template_version", a->template_version);

    cJSON *as = cJSON_AddObjectToObject(root, "assessment");
    ok &= as != NULL;
    if (as) {
        ok &= put_str(as, "name", a->info.name);
        ok &= put_str(as, "organization", a->info.organization);
        ok &= put_str(as, "scope", a->info.scope);
        ok &= put_str(as, "group", a->info.group);
        ok &= put_str(as, "assessed_at", a->info.assessed_at);
    }

    cJSON *controls = cJSON_AddArrayToObject(root, "controls");
    ok &= controls != NULL;
    for (size_t i = 0; ok && i < a->nc; i++) {
        const posture_control_scope *cs = &a->controls[i];
        cJSON *o = cJSON_CreateObject();
        if (!o || !cJSON_AddItemToArray(controls, o)) {
            cJSON_Delete(o);
            ok = 0;
            break;
        }
        ok &= put_str(o, "control", cs->control);
        ok &= cJSON_AddBoolToObject(o, "applicable", cs->applicable ? 1 : 0) != NULL;
        ok &= put_str(o, "justification", cs->justification);
    }

    cJSON *answers = cJSON_AddArrayToObject(root, "answers");
    ok &= answers != NULL;
    for (size_t i = 0; ok && i < a->n; i++) {
        const posture_answer *an = &a->items[i];
        cJSON *o = cJSON_CreateObject();
        if (!o || !cJSON_AddItemToArray(answers, o)) {
            cJSON_Delete(o);
            ok = 0;
            break;
        }
        ok &= put_str(o, "action", an->action);
        ok &= put_str(o, "implementation", posture_implementation_token(an->implementation));
        ok &= put_str(o, "test", posture_test_token(an->test));
        ok &= put_str(o, "tested_at", an->tested_at);
        ok &= put_str(o, "assigned_to", an->assigned_to);
        ok &= put_str(o, "notes", an->notes);
        cJSON *ev = cJSON_AddArrayToObject(o, "evidence");
        ok &= ev != NULL;
        for (size_t k = 0; ok && k < an->nevidence; k++) {
            cJSON *s = cJSON_CreateString(an->evidence[k]);
            if (!s || !cJSON_AddItemToArray(ev, s)) {
                cJSON_Delete(s);
                ok = 0;
            }
        }
    }
    if (ok)
        out = cJSON_Print(root);
    cJSON_Delete(root);
    if (!out)
        posture_error_set(POSTURE_ENOMEM, "out of memory");
    return out;
}
