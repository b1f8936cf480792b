/* report_json.c - the posture-summary/1 JSON document, a view of the score result. */
#include "posture/report_json.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "posture/fileio.h"
#include "posture/score.h"
#include "posture/version.h"

void posture_format_x100(int64_t v, char buf[32])
{
    const char *sign = v < 0 ? "-" : "";
    uint64_t u = v < 0 ? (uint64_t)(-(v + 1)) + 1 : (uint64_t)v;
    uint64_t whole = u / 100, frac = u % 100;
    if (frac == 0)
        snprintf(buf, 32, "%s%" PRIu64, sign, whole);
    else if (frac % 10 == 0)
        snprintf(buf, 32, "%s%" PRIu64 ".%" PRIu64, sign, whole, frac / 10);
    else
        snprintf(buf, 32, "%s%" PRIu64 ".%02" PRIu64, sign, whole, frac);
}

/*
 * cJSON reports running out of memory only by returning NULL, and an item
 * that cannot be attached is not freed by it; every item goes through
 * add()/push(), which free what could not be attached and remember the
 * failure, so a document is either complete or reported as out of memory.
 */
typedef struct jb {
    int oom;
} jb;

/* Attach `v` to object `o` as `k`; returns `v`, or NULL (v freed) when it could not be. */
static cJSON *add(jb *b, cJSON *o, const char *k, cJSON *v)
{
    /* keys are literals and vocabulary tokens: referenced, not copied */
    if (!v || !o || !cJSON_AddItemToObjectCS(o, k, v)) {
        cJSON_Delete(v);
        b->oom = 1;
        return NULL;
    }
    return v;
}

/* Append `v` to array `a`, as add(). */
static cJSON *push(jb *b, cJSON *a, cJSON *v)
{
    if (!v || !a || !cJSON_AddItemToArray(a, v)) {
        cJSON_Delete(v);
        b->oom = 1;
        return NULL;
    }
    return v;
}

/* A number given in hundredths; exact decimals print exactly with cJSON's %1.15g. */
static cJSON *num_x100(int64_t v) { return cJSON_CreateNumber((double)v / 100.0); }

/*
 * The trees live only inside posture_report_json(), while the result, the
 * template and the answers they borrow from are alive: their strings are
 * referenced, not copied.
 */
static cJSON *ref(const char *s) { return cJSON_CreateStringReference(s); }

static cJSON *str_or_null(const char *s) { return s ? ref(s) : cJSON_CreateNull(); }

static cJSON *points_obj(jb *b, const posture_points *p)
{
    cJSON *o = cJSON_CreateObject();
    add(b, o, "achieved", num_x100(p->achieved_x100));
    add(b, o, "possible", num_x100(p->possible_x100));
    add(b, o, "percent", p->has_percent ? num_x100(p->percent_x100) : cJSON_CreateNull());
    return o;
}

static cJSON *control_counts(jb *b, const size_t *c, size_t total)
{
    cJSON *o = cJSON_CreateObject();
    add(b, o, "total", cJSON_CreateNumber((double)total));
    for (int s = 0; s < POSTURE_CSTATUS__COUNT; s++)
        add(b, o, posture_control_status_token((posture_control_status)s),
            cJSON_CreateNumber((double)c[s]));
    return o;
}

/* The document without its four lists (families, controls, actions, improvement_actions). */
static cJSON *build_head(jb *b, const posture_result *r, const posture_json_options *opt)
{
    const posture_template_info *ti = posture_template_info_get(posture_result_template(r));
    const posture_answers *a = posture_result_answers(r);
    const posture_assessment_info *ai = a ? posture_answers_info(a) : NULL;
    cJSON *doc = cJSON_CreateObject();
    add(b, doc, "format", ref("posture-summary/1"));
    cJSON *gen = cJSON_CreateObject();
    add(b, gen, "name", ref("posture"));
    add(b, gen, "version", ref(POSTURE_VERSION));
    add(b, doc, "generator", gen);
    char when[32];
    time_t at = opt ? opt->generated_at : posture_report_time();
    struct tm tm;
    gmtime_r(&at, &tm);
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
    add(b, doc, "generated_at", cJSON_CreateString(when) /* a local buffer: copied */);
    add(b, doc, "profile", ref(posture_profile_id(posture_result_profile(r))));

    cJSON *to = cJSON_CreateObject();
    add(b, to, "id", str_or_null(ti->id));
    add(b, to, "version", str_or_null(ti->version));
    add(b, to, "title", str_or_null(ti->title));
    cJSON *reg = cJSON_CreateObject();
    add(b, reg, "name", str_or_null(ti->regulation_name));
    add(b, reg, "edition", str_or_null(ti->regulation_edition));
    add(b, reg, "publisher", str_or_null(ti->regulation_publisher));
    add(b, reg, "url", str_or_null(ti->regulation_url));
    add(b, to, "regulation", reg);
    add(b, doc, "template", to);

    cJSON *as = cJSON_CreateObject();
    add(b, as, "name", str_or_null(ai ? ai->name : NULL));
    add(b, as, "organization", str_or_null(ai ? ai->organization : NULL));
    add(b, as, "scope", str_or_null(ai ? ai->scope : NULL));
    add(b, as, "group", ref(ai && ai->group ? ai->group : "default"));
    add(b, as, "assessed_at", str_or_null(ai ? ai->assessed_at : NULL));
    add(b, doc, "assessment", as);

    add(b, doc, "score", points_obj(b, posture_result_total(r)));

    cJSON *counts = cJSON_CreateObject();
    size_t ct, at_;
    const size_t *cc = posture_result_control_counts(r, &ct);
    const size_t *ac = posture_result_action_counts(r, &at_);
    add(b, counts, "controls", control_counts(b, cc, ct));
    cJSON *ao = cJSON_CreateObject();
    add(b, ao, "total", cJSON_CreateNumber((double)at_));
    for (int s = 0; s < POSTURE_ASTATUS__COUNT; s++)
        add(b, ao, posture_action_status_token((posture_action_status)s),
            cJSON_CreateNumber((double)ac[s]));
    add(b, counts, "actions", ao);
    add(b, doc, "counts", counts);

    return doc;
}

/*
 * The four lists hold one entry per family, control, action and
 * improvement action: a million entries at the largest. Built as one tree,
 * they cost more to allocate and free than to print. Instead each list has
 * one entry tree, built once with the entry's members, whose values are set
 * for every entry in turn and printed by cJSON. Strings are references to
 * the result, template and answers; lists of ids take their nodes from a
 * pool that grows to the longest list.
 */

/* Change the type of a node, keeping the flag that says its key is constant. */
static void set_type(cJSON *v, int type) { v->type = (v->type & cJSON_StringIsConst) | type; }

/* A string member: the string (borrowed), or null. */
static void set_str(cJSON *v, const char *s)
{
    set_type(v, s ? (cJSON_String | cJSON_IsReference) : cJSON_NULL);
    v->valuestring = (char *)s;
}

/*
 * Numbers. cJSON prints a number with sprintf("%d") when it is an int,
 * else with "%1.15g", parsed back with sscanf to check it: most of the
 * time of printing a summary. Every number here is an integer count or a
 * whole number of hundredths, and for 0 <= value < 10^15 what cJSON prints
 * is its decimal digits, and for hundredths a point and the one or two
 * digits of a fraction without its trailing zero (15 significant digits at
 * most: %1.15g gives them exactly, and no exponent). Such a number node is
 * a raw node holding those digits in a buffer of its entry; any other value
 * stays a cJSON number. Raw and number, the node is marked a reference, so
 * that cJSON never frees the buffer.
 */
#define EXACT_LIMIT INT64_C(1000000000000000) /* 10^15 */

/* The digits of 0 <= v < 10^15 (hundredths when x100) into buf; the end. */
static char *put_digits(char *buf, uint64_t v, int x100)
{
    char d[24];
    int n = 0;
    uint64_t whole = x100 ? v / 100 : v;
    do {
        d[n++] = (char)('0' + whole % 10);
        whole /= 10;
    } while (whole);
    while (n)
        *buf++ = d[--n];
    unsigned frac = x100 ? (unsigned)(v % 100) : 0;
    if (frac) {
        *buf++ = '.';
        *buf++ = (char)('0' + frac / 10);
        if (frac % 10)
            *buf++ = (char)('0' + frac % 10);
    }
    *buf = '\0';
    return buf;
}

static void set_num(cJSON *v, int64_t x, int x100)
{
    if (x >= 0 && x < EXACT_LIMIT) {
        set_type(v, cJSON_Raw | cJSON_IsReference);
        put_digits(v->valuestring, (uint64_t)x, x100);
    } else {
        set_type(v, cJSON_Number | cJSON_IsReference);
        cJSON_SetNumberHelper(v, x100 ? (double)x / 100.0 : (double)x);
    }
}

static void set_x100(cJSON *v, int64_t x) { set_num(v, x, 1); }

static void set_count(cJSON *v, size_t n)
{
    if (n < (size_t)EXACT_LIMIT)
        set_num(v, (int64_t)n, 0);
    else {
        set_type(v, cJSON_Number | cJSON_IsReference);
        cJSON_SetNumberHelper(v, (double)n);
    }
}

/* A number member that is null now: its buffer stays. */
static void set_null_num(cJSON *v) { set_type(v, cJSON_NULL | cJSON_IsReference); }

/* An array of strings whose nodes come from a pool. */
typedef struct str_list {
    cJSON *arr;
    cJSON **pool;
    size_t npool;
} str_list;

/* Make the array hold `n` string nodes; the first, or NULL (n = 0 or out of memory). */
static cJSON *list_resize(str_list *l, size_t n, int *oom)
{
    if (n > l->npool) {
        cJSON **p = realloc(l->pool, n * sizeof *p);
        if (!p) {
            *oom = 1;
            return NULL;
        }
        l->pool = p;
        for (; l->npool < n; l->npool++)
            if (!(l->pool[l->npool] = cJSON_CreateStringReference(""))) {
                *oom = 1;
                return NULL;
            }
    }
    for (size_t i = 0; i < n; i++) {
        l->pool[i]->next = i + 1 < n ? l->pool[i + 1] : NULL;
        l->pool[i]->prev = i ? l->pool[i - 1] : l->pool[n - 1]; /* cJSON: first->prev is last */
    }
    l->arr->child = n ? l->pool[0] : NULL;
    return l->arr->child;
}

static void list_release(str_list *l)
{
    if (l->arr)
        l->arr->child = NULL;
    for (size_t i = 0; i < l->npool; i++) {
        l->pool[i]->next = l->pool[i]->prev = NULL;
        cJSON_Delete(l->pool[i]);
    }
    free(l->pool);
}


typedef struct points_nodes {
    cJSON *achieved, *possible, *percent;
} points_nodes;

typedef struct counts_nodes {
    cJSON *total, *by[POSTURE_CSTATUS__COUNT];
} counts_nodes;

/* One list's entry tree: every member node an entry sets, and its lists. */
typedef struct entry {
    jb b;
    cJSON *obj;
    cJSON *m[16];
    char num[16][24]; /* the digits of its number nodes */
    int nnum;
    points_nodes score;
    counts_nodes counts;
    str_list ids, ids2;
} entry;

static cJSON *add_node(entry *e, cJSON *o, const char *key, cJSON *v) { return add(&e->b, o, key, v); }

/* A number member (set_x100, set_count or set_null_num), with its buffer in `e`. */
static cJSON *num_node(entry *e)
{
    if (e->nnum == (int)(sizeof e->num / sizeof e->num[0]))
        return NULL; /* cannot happen: the most an entry has is 9 */
    cJSON *v = cJSON_CreateStringReference(e->num[e->nnum++]);
    if (v)
        set_num(v, 0, 0);
    return v;
}

static cJSON *points_make(entry *e, points_nodes *n)
{
    cJSON *o = cJSON_CreateObject();
    n->achieved = add_node(e, o, "achieved", num_node(e));
    n->possible = add_node(e, o, "possible", num_node(e));
    n->percent = add_node(e, o, "percent", num_node(e));
    return o;
}

static void points_set(points_nodes *n, const posture_points *p)
{
    set_x100(n->achieved, p->achieved_x100);
    set_x100(n->possible, p->possible_x100);
    if (p->has_percent)
        set_x100(n->percent, p->percent_x100);
    else
        set_null_num(n->percent);
}

static cJSON *counts_make(entry *e, counts_nodes *n)
{
    cJSON *o = cJSON_CreateObject();
    n->total = add_node(e, o, "total", num_node(e));
    for (int s = 0; s < POSTURE_CSTATUS__COUNT; s++)
        n->by[s] = add_node(e, o, posture_control_status_token((posture_control_status)s),
                            num_node(e));
    return o;
}


/* The members of each kind of entry, in the order of summary-format.md. */
enum { F_ID, F_TITLE };
enum { C_ID, C_FAMILY, C_TITLE, C_STATUS, C_APPLICABLE, C_JUSTIFICATION };
enum { A_ID, A_TITLE, A_TYPE, A_ENFORCEMENT, A_IMPL_TYPE, A_OWNER, A_POINTS, A_IMPLEMENTATION,
       A_TEST, A_STATUS, A_CREDIT, A_ACHIEVED, A_TESTED_AT, A_ASSIGNED_TO, A_NOTES };
enum { I_ID, I_TITLE, I_GAIN, I_GAIN_PERCENT, I_RISK };

static cJSON *str_node(void) { return cJSON_CreateStringReference(""); }

static void family_make(entry *e)
{
    cJSON *o = e->obj;
    e->m[F_ID] = add_node(e, o, "id", str_node());
    e->m[F_TITLE] = add_node(e, o, "title", str_node());
    add_node(e, o, "score", points_make(e, &e->score));
    add_node(e, o, "controls", counts_make(e, &e->counts));
}

static void family_set(entry *e, const posture_result *r, size_t i, int *oom)
{
    (void)oom;
    const posture_family_result *fr = posture_result_family(r, i);
    set_str(e->m[F_ID], fr->family->id);
    set_str(e->m[F_TITLE], fr->family->title);
    points_set(&e->score, &fr->score);
    set_count(e->counts.total, fr->controls_total);
    for (int s = 0; s < POSTURE_CSTATUS__COUNT; s++)
        set_count(e->counts.by[s], fr->controls[s]);
}

static void control_make(entry *e)
{
    cJSON *o = e->obj;
    e->m[C_ID] = add_node(e, o, "id", str_node());
    e->m[C_FAMILY] = add_node(e, o, "family", str_node());
    e->m[C_TITLE] = add_node(e, o, "title", str_node());
    e->m[C_STATUS] = add_node(e, o, "status", str_node());
    add_node(e, o, "score", points_make(e, &e->score));
    e->ids.arr = add_node(e, o, "actions", cJSON_CreateArray());
    e->m[C_APPLICABLE] = add_node(e, o, "applicable", cJSON_CreateTrue());
    e->m[C_JUSTIFICATION] = add_node(e, o, "justification", cJSON_CreateNull());
}

static void control_set(entry *e, const posture_result *r, size_t i, int *oom)
{
    const posture_template *t = posture_result_template(r);
    const posture_control_result *cr = posture_result_control(r, i);
    const posture_control *c = cr->control;
    set_str(e->m[C_ID], c->id);
    set_str(e->m[C_FAMILY], posture_template_family(t, c->family)->id);
    set_str(e->m[C_TITLE], c->title);
    set_str(e->m[C_STATUS], posture_control_status_token(cr->status));
    points_set(&e->score, &cr->score);
    cJSON *v = list_resize(&e->ids, c->nactions, oom);
    for (size_t k = 0; v; k++, v = v->next)
        set_str(v, posture_template_action(t, c->actions[k])->id);
    set_type(e->m[C_APPLICABLE], cr->applicable ? cJSON_True : cJSON_False);
    set_str(e->m[C_JUSTIFICATION], cr->justification);
}

static void action_make(entry *e)
{
    cJSON *o = e->obj;
    static const char *const first[] = {"id", "title", "type", "enforcement",
                                        "implementation_type", "owner"};
    for (int k = A_ID; k <= A_OWNER; k++)
        e->m[k] = add_node(e, o, first[k], str_node());
    e->m[A_POINTS] = add_node(e, o, "points", num_node(e));
    e->m[A_IMPLEMENTATION] = add_node(e, o, "implementation", str_node());
    e->m[A_TEST] = add_node(e, o, "test", str_node());
    e->m[A_STATUS] = add_node(e, o, "status", str_node());
    e->m[A_CREDIT] = add_node(e, o, "credit", num_node(e));
    e->m[A_ACHIEVED] = add_node(e, o, "achieved", num_node(e));
    e->ids.arr = add_node(e, o, "controls", cJSON_CreateArray());
    e->m[A_TESTED_AT] = add_node(e, o, "tested_at", cJSON_CreateNull());
    e->m[A_ASSIGNED_TO] = add_node(e, o, "assigned_to", cJSON_CreateNull());
    e->m[A_NOTES] = add_node(e, o, "notes", cJSON_CreateNull());
    e->ids2.arr = add_node(e, o, "evidence", cJSON_CreateArray());
}

static void action_set(entry *e, const posture_result *r, size_t i, int *oom)
{
    const posture_template *t = posture_result_template(r);
    const posture_action_result *ar = posture_result_action(r, i);
    const posture_action *x = ar->action;
    const posture_answer *an = ar->answer;
    set_str(e->m[A_ID], x->id);
    set_str(e->m[A_TITLE], x->title);
    set_str(e->m[A_TYPE], posture_action_type_token(x->type));
    set_str(e->m[A_ENFORCEMENT], posture_enforcement_token(x->enforcement));
    set_str(e->m[A_IMPL_TYPE], posture_impl_type_token(x->impl_type));
    set_str(e->m[A_OWNER], posture_owner_token(x->owner));
    set_x100(e->m[A_POINTS], (int64_t)ar->points * 100);
    set_str(e->m[A_IMPLEMENTATION], posture_implementation_token(ar->implementation));
    set_str(e->m[A_TEST], posture_test_token(ar->test));
    set_str(e->m[A_STATUS], posture_action_status_token(ar->status));
    set_x100(e->m[A_CREDIT], ar->credit);
    set_x100(e->m[A_ACHIEVED], ar->achieved_x100);
    size_t nref;
    const size_t *refs = posture_template_action_controls(t, i, &nref);
    cJSON *v = list_resize(&e->ids, nref, oom);
    for (size_t k = 0; v; k++, v = v->next)
        set_str(v, posture_template_control(t, refs[k])->id);
    set_str(e->m[A_TESTED_AT],
            an ? an->tested_at : (ar->answered_by_provider ? x->provider_tested_at : NULL));
    set_str(e->m[A_ASSIGNED_TO], an ? an->assigned_to : NULL);
    set_str(e->m[A_NOTES], an ? an->notes : NULL);
    v = list_resize(&e->ids2, an ? an->nevidence : 0, oom);
    for (size_t k = 0; v; k++, v = v->next)
        set_str(v, an->evidence[k]);
}

static void improvement_make(entry *e)
{
    cJSON *o = e->obj;
    e->m[I_ID] = add_node(e, o, "id", str_node());
    e->m[I_TITLE] = add_node(e, o, "title", str_node());
    e->m[I_GAIN] = add_node(e, o, "gain", num_node(e));
    e->m[I_GAIN_PERCENT] = add_node(e, o, "gain_percent", num_node(e));
    e->m[I_RISK] = add_node(e, o, "risk", cJSON_CreateNull());
}

static void improvement_set(entry *e, const posture_result *r, size_t i, int *oom)
{
    (void)oom;
    const posture_improvement *im = posture_result_improvement(r, i);
    const posture_action *x = posture_template_action(posture_result_template(r), im->action);
    set_str(e->m[I_ID], x->id);
    set_str(e->m[I_TITLE], x->title);
    set_x100(e->m[I_GAIN], im->gain_x100);
    if (im->has_percent)
        set_x100(e->m[I_GAIN_PERCENT], im->gain_percent_x100);
    else
        set_null_num(e->m[I_GAIN_PERCENT]);
    set_str(e->m[I_RISK], posture_risk_token(im->risk));
}

/* The document being written. */
typedef struct jout {
    char *buf;
    size_t len, cap;
    char *tmp; /* one entry, printed */
    size_t tmpcap;
    int compact;
    int oom;
} jout;

static int reserve(char **buf, size_t *cap, size_t need)
{
    if (need <= *cap)
        return 0;
    size_t c = *cap ? *cap : 4096;
    while (c < need)
        c *= 2;
    char *b = realloc(*buf, c);
    if (!b)
        return -1;
    *buf = b;
    *cap = c;
    return 0;
}

static void put(jout *o, const char *s, size_t n)
{
    if (o->oom || reserve(&o->buf, &o->cap, o->len + n + 1) != 0) {
        o->oom = 1;
        return;
    }
    memcpy(o->buf + o->len, s, n);
    o->len += n;
    o->buf[o->len] = '\0';
}

static void put_s(jout *o, const char *s) { put(o, s, strlen(s)); }

/* Print `v` with cJSON into o->tmp; its length, or 0 when out of memory. */
static size_t print_tmp(jout *o, cJSON *v)
{
    while (!o->oom) {
        /* cJSON asks for 5 bytes more than it needs */
        if (o->tmpcap && cJSON_PrintPreallocated(v, o->tmp, (int)(o->tmpcap - 5), !o->compact))
            return strlen(o->tmp);
        if (o->tmpcap > (size_t)1 << 30 ||
            reserve(&o->tmp, &o->tmpcap, o->tmpcap ? o->tmpcap * 2 : 65536) != 0)
            o->oom = 1;
    }
    return 0;
}

/*
 * Append `v`, printed by cJSON, without its first two and last two bytes,
 * printed in place: at the end of the document less two bytes, which are
 * put back after. Returns 0, or -1 when out of memory.
 */
static int put_inner(jout *o, cJSON *v)
{
    if (o->oom || o->len < 2)
        return -1;
    char *at = NULL;
    char keep[2];
    for (;;) {
        at = o->buf + o->len - 2;
        memcpy(keep, at, 2);
        /* cJSON asks for 5 bytes more than it needs, and takes an int */
        size_t avail = o->cap - (o->len - 2), room = avail > 5 ? avail - 5 : 0;
        int ok = cJSON_PrintPreallocated(v, at, room > INT_MAX ? INT_MAX : (int)room,
                                         !o->compact);
        memcpy(at, keep, 2);
        if (ok)
            break;
        /* the entry did not fit: more room, unless it had all cJSON can use */
        if (room >= INT_MAX || reserve(&o->buf, &o->cap, o->cap * 2) != 0) {
            o->oom = 1;
            return -1;
        }
    }
    size_t n = strlen(at + 2);
    if (n < 2) {
        o->oom = 1;
        return -1;
    }
    o->len += n - 2;
    o->buf[o->len] = '\0';
    return 0;
}

/*
 * A member of the document holding a list of `n` entries, framed as
 * cJSON_Print / cJSON_PrintUnformatted frame it (cJSON 1.7: a member is
 * ",\n\t" "key" ":\t" value pretty, "," "key" ":" value compact; array
 * elements are separated by ", " pretty and "," compact). Each entry is
 * printed inside two arrays, [[entry]], so that cJSON indents it as deep
 * as in the document; the brackets are dropped.
 */
static void put_list(jout *o, const char *key, const posture_result *r, size_t n,
                     void (*make)(entry *),
                     void (*set)(entry *, const posture_result *, size_t, int *))
{
    put_s(o, o->compact ? "," : ",\n\t");
    put_s(o, key);
    put_s(o, o->compact ? ":[" : ":\t[");
    entry e;
    memset(&e, 0, sizeof e);
    cJSON *outer = cJSON_CreateArray();
    cJSON *inner = push(&e.b, outer, cJSON_CreateArray());
    e.obj = push(&e.b, inner, cJSON_CreateObject());
    if (e.obj)
        make(&e);
    if (e.b.oom)
        o->oom = 1;
    for (size_t i = 0; i < n && !o->oom; i++) {
        set(&e, r, i, &o->oom);
        if (i)
            put_s(o, o->compact ? "," : ", ");
        if (put_inner(o, outer) != 0)
            break;
    }
    list_release(&e.ids);
    list_release(&e.ids2);
    cJSON_Delete(outer);
    put_s(o, "]");
}

int posture_report_json(const posture_result *r, const posture_json_options *opt, char **out)
{
    *out = NULL;
    jout o = {.compact = opt && opt->compact};
    jb b = {0};
    cJSON *head = build_head(&b, r, opt);
    if (!head || b.oom)
        o.oom = 1;
    size_t len = o.oom ? 0 : print_tmp(&o, head);
    cJSON_Delete(head);
    /* the head object, reopened: without its closing brace (and the newline before it) */
    if (!o.oom)
        put(&o, o.tmp, len - (o.compact ? 1 : 2));
    put_list(&o, "\"families\"", r, posture_result_family_count(r), family_make, family_set);
    put_list(&o, "\"controls\"", r, posture_result_control_count(r), control_make, control_set);
    put_list(&o, "\"actions\"", r, posture_result_action_count(r), action_make, action_set);
    put_list(&o, "\"improvement_actions\"", r, posture_result_improvement_count(r),
             improvement_make, improvement_set);
    put_s(&o, o.compact ? "}\n" : "\n}\n");
    free(o.tmp);
    if (o.oom) {
        free(o.buf);
        return posture_error_set(POSTURE_ENOMEM, "out of memory");
    }
    *out = o.buf;
    return 0;
}

int posture_report_json_write(const posture_result *r, const posture_json_options *opt,
                              const char *path)
{
    char *s = NULL;
    int rc = posture_report_json(r, opt, &s);
    if (rc == 0)
        rc = posture_write_file(path, s, strlen(s));
    free(s);
    return rc;
}
