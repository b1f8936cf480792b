/*
 * store.c - the assessment store, independent of the backend: answers
 * keyed by scoring.md's overall rule, the audit trail, a score snapshot
 * after every change for every assessment it touched, template upgrades
 * and the overall score. Scores come from posture_score() only.
 */
#define _XOPEN_SOURCE 700 /* realpath */
#include "posture/store.h"
#include "posture/sheet_answers.h"

#include <limits.h>
#include <stdarg.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "store_backend.h"
#include "store_registry.h"
#include "base/strmap.h"

#define OOM() posture_error_set(POSTURE_ENOMEM, "out of memory")

struct posture_store_mem {
    arena a;
    posture_store_outcome outcome;
};

typedef struct tcache {
    char *key; /* id@version */
    posture_template *t;
} tcache;

typedef struct pcache {
    char *ref;
    posture_profile *p;
} pcache;

struct posture_store {
    const store_backend *ops;
    void *be;
    char *path;
    posture_library *lib;
    char *who;
    char now[40];
    posture_store_progress progress;
    void *progress_ctx;
    tcache *tc;
    size_t ntc, captc;
    pcache *pc;
    size_t npc, cappc;
};

struct posture_store_scored {
    posture_answers *answers;
    posture_profile *own_profile;
    posture_result *result;
};

/* An assessment row copied into an arena. */
typedef struct arow {
    int64_t id;
    const char *name, *template_id, *template_version, *template_file, *grp, *organization,
        *scope, *profile, *created_at, *updated_at;
} arow;

/* ---------------------------------------------------------------- helpers */

static char *xstrdup(const char *s)
{
    if (!s)
        return NULL;
    size_t n = strlen(s) + 1;
    char *c = malloc(n);
    if (c)
        memcpy(c, s, n);
    return c;
}

/* Growable array in an arena-free malloc buffer. */
static int grow(void **items, size_t *cap, size_t n, size_t size)
{
    if (n < *cap)
        return 0;
    size_t nc = *cap ? *cap * 2 : 16;
    void *p = realloc(*items, nc * size);
    if (!p)
        return OOM();
    *items = p;
    *cap = nc;
    return 0;
}

static int same(const char *a, const char *b)
{
    if (!a || !b)
        return a == b;
    return strcmp(a, b) == 0;
}

static char *afmt(arena *ar, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

static char *afmt(arena *ar, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return NULL;
    char *p = arena_alloc(ar, (size_t)n + 1);
    if (!p)
        return NULL;
    va_start(ap, fmt);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return p;
}

/* The strings up to NULL, concatenated into the arena (afmt without printf's cost,
 * for the per-answer audit texts of a bulk import). */
static char *acat(arena *ar, ...)
{
    va_list ap;
    size_t n = 0;
    va_start(ap, ar);
    for (const char *p; (p = va_arg(ap, const char *)) != NULL;)
        n += strlen(p);
    va_end(ap);
    char *out = arena_alloc(ar, n + 1), *q = out;
    if (!out)
        return NULL;
    va_start(ap, ar);
    for (const char *p; (p = va_arg(ap, const char *)) != NULL;) {
        size_t k = strlen(p);
        memcpy(q, p, k);
        q += k;
    }
    va_end(ap);
    *q = '\0';
    return out;
}

static int copy_diags(posture_diags *to, const posture_diags *from)
{
    if (!to)
        return 0;
    for (size_t i = 0; i < posture_diags_count(from); i++) {
        const posture_diag *g = posture_diags_get(from, i);
        if (posture_diags_add(to, g->severity, g->file, g->place, g->hint, "%s", g->message))
            return OOM();
    }
    return 0;
}

/* YYYY-MM-DDTHH:MM:SS[.fraction]Z */
static int iso_utc_valid(const char *s)
{
    static const char pat[] = "dddd-dd-ddTdd:dd:dd";
    size_t i = 0;
    for (; pat[i]; i++) {
        if (pat[i] == 'd' ? (s[i] < '0' || s[i] > '9') : s[i] != pat[i])
            return 0;
    }
    char date[11];
    memcpy(date, s, 10);
    date[10] = '\0';
    if (!posture_date_valid(date))
        return 0;
    int hh = (s[11] - '0') * 10 + (s[12] - '0'), mm = (s[14] - '0') * 10 + (s[15] - '0'),
        ss = (s[17] - '0') * 10 + (s[18] - '0');
    if (hh > 23 || mm > 59 || ss > 60)
        return 0;
    if (s[i] == '.') {
        i++;
        size_t k = i;
        while (s[i] >= '0' && s[i] <= '9')
            i++;
        if (i == k)
            return 0;
    }
    return s[i] == 'Z' && s[i + 1] == '\0';
}

static const char *login_name(char *buf, size_t len)
{
    const char *e = getenv("POSTURE_USER");
    if (e && *e)
        return e;
    if (getlogin_r(buf, len) == 0 && buf[0])
        return buf;
    struct passwd pw, *res = NULL;
    char pbuf[1024];
    if (getpwuid_r(geteuid(), &pw, pbuf, sizeof pbuf, &res) == 0 && res && res->pw_name &&
        strlen(res->pw_name) < len) {
        strcpy(buf, res->pw_name);
        return buf;
    }
    e = getenv("USER");
    return e && *e ? e : "unknown";
}

/* ------------------------------------------------------------ open/close */

void posture_store_mem_free(posture_store_mem *m)
{
    if (!m)
        return;
    arena_release(&m->a);
    free(m);
}

static posture_store_mem *mem_new(void)
{
    posture_store_mem *m = calloc(1, sizeof *m);
    if (m)
        arena_init(&m->a);
    return m;
}

int posture_store_set_actor(posture_store *s, const char *who, const char *now)
{
    char buf[256];
    if (!who)
        who = login_name(buf, sizeof buf);
    char *w = xstrdup(who);
    if (!w)
        return OOM();
    free(s->who);
    s->who = w;
    const char *src = "the time";
    if (!now) {
        now = getenv("POSTURE_NOW");
        src = "POSTURE_NOW";
        if (now && !*now)
            now = NULL;
    }
    if (now) {
        if (!iso_utc_valid(now) || strlen(now) >= sizeof s->now)
            return posture_error_set(POSTURE_EUSAGE,
                                     "%s \"%s\" is not an ISO 8601 UTC time "
                                     "(YYYY-MM-DDTHH:MM:SSZ)",
                                     src, now);
        strcpy(s->now, now);
    } else {
        time_t t = time(NULL);
        struct tm tm;
        gmtime_r(&t, &tm);
        strftime(s->now, sizeof s->now, "%Y-%m-%dT%H:%M:%SZ", &tm);
    }
    return 0;
}

int posture_store_open(const char *path, unsigned flags, posture_store **out, int *created)
{
    *out = NULL;
    int made = 0;
    posture_store *s = calloc(1, sizeof *s);
    const store_backend *be = store_backend_for(path);
    if (!s || !(s->path = be->display(path))) { /* messages never show a password */
        free(s);
        return OOM();
    }
    s->ops = be;
    int rc = posture_store_set_actor(s, NULL, NULL);
    if (rc == 0)
        rc = s->ops->open(path, flags, &s->be, &made);
    if (rc) {
        posture_store_free(s);
        return rc;
    }
    if (created)
        *created = made;
    *out = s;
    return 0;
}

void posture_store_free(posture_store *s)
{
    if (!s)
        return;
    if (s->be)
        s->ops->close(s->be);
    for (size_t i = 0; i < s->ntc; i++) {
        free(s->tc[i].key);
        posture_template_free(s->tc[i].t);
    }
    free(s->tc);
    for (size_t i = 0; i < s->npc; i++) {
        free(s->pc[i].ref);
        posture_profile_free(s->pc[i].p);
    }
    free(s->pc);
    free(s->who);
    free(s->path);
    free(s);
}

int posture_store_schema_version(const posture_store *s) { return s->ops->schema_version(s->be); }

void posture_store_set_library(posture_store *s, posture_library *lib) { s->lib = lib; }

void posture_store_set_progress(posture_store *s, posture_store_progress fn, void *ctx)
{
    s->progress = fn;
    s->progress_ctx = ctx;
}

/* ------------------------------------------------------------ assessments */

typedef struct arow_ctx {
    arena *ar;
    arow *row;
} arow_ctx;

static int copy_arow(void *ctx, const sb_assessment *a)
{
    arow_ctx *c = ctx;
    arow *r = c->row;
    r->id = a->id;
#define CP(f, g)                                          \
    if (a->g && !(r->f = arena_strdup(c->ar, a->g)))      \
        return OOM();                                     \
    if (!a->g)                                            \
        r->f = NULL;
    CP(name, name)
    CP(template_id, template_id)
    CP(template_version, template_version)
    CP(template_file, template_file)
    CP(grp, grp)
    CP(organization, organization)
    CP(scope, scope)
    CP(profile, profile)
    CP(created_at, created_at)
    CP(updated_at, updated_at)
#undef CP
    return 0;
}

static int get_assessment(posture_store *s, arena *ar, const char *name, arow *out)
{
    arow_ctx c = {ar, out};
    int rc = s->ops->assessment_by_name(s->be, name, copy_arow, &c);
    if (rc == POSTURE_ENOTFOUND)
        return posture_error_set(POSTURE_ENOTFOUND, "no assessment named \"%s\"", name);
    return rc;
}

static int get_assessment_id(posture_store *s, arena *ar, int64_t id, arow *out)
{
    arow_ctx c = {ar, out};
    int rc = s->ops->assessment_by_id(s->be, id, copy_arow, &c);
    if (rc == POSTURE_ENOTFOUND)
        return posture_error_set(POSTURE_ESTORE, "%s: assessment %lld vanished", s->path,
                                 (long long)id);
    return rc;
}

static sb_assessment to_sb(const arow *r)
{
    sb_assessment a = {r->id, r->name, r->template_id, r->template_version, r->template_file,
                       r->grp, r->organization, r->scope, r->profile, r->created_at,
                       r->updated_at};
    return a;
}

/* ------------------------------------------------------ templates, profiles */

static int template_matches(const posture_template *t, const char *id, const char *version)
{
    const posture_template_info *in = posture_template_info_get(t);
    return same(in->id, id) && same(in->version, version);
}

/* Cache `t` under id@version (takes ownership). */
static int cache_template(posture_store *s, posture_template *t, const posture_template **out)
{
    const posture_template_info *in = posture_template_info_get(t);
    size_t n = strlen(in->id) + strlen(in->version) + 2;
    char *key = malloc(n);
    if (!key || grow((void **)&s->tc, &s->captc, s->ntc, sizeof *s->tc)) {
        free(key);
        posture_template_free(t);
        return OOM();
    }
    snprintf(key, n, "%s@%s", in->id, in->version);
    for (size_t i = 0; i < s->ntc; i++) {
        if (strcmp(s->tc[i].key, key) == 0) {
            free(key);
            posture_template_free(t);
            *out = s->tc[i].t;
            return 0;
        }
    }
    s->tc[s->ntc].key = key;
    s->tc[s->ntc].t = t;
    s->ntc++;
    *out = t;
    return 0;
}

/* Load template id@version: the cache, the file recorded, then the search path. */
static int load_template(posture_store *s, const char *aname, const char *id, const char *version,
                         const char *hint_file, posture_diags *diags, const posture_template **out)
{
    for (size_t i = 0; i < s->ntc; i++) {
        if (template_matches(s->tc[i].t, id, version)) {
            *out = s->tc[i].t;
            return 0;
        }
    }
    posture_diags *tmp = NULL;
    posture_template *t = NULL;
    int rc = posture_diags_new(&tmp);
    if (rc)
        return rc;
    struct stat st;
    if (hint_file && stat(hint_file, &st) == 0 &&
        posture_template_load(s->lib, hint_file, 0, tmp, &t) == 0) {
        if (!template_matches(t, id, version)) {
            posture_template_free(t);
            t = NULL;
        }
    }
    if (!t) {
        posture_diags_clear(tmp);
        char ref[512];
        snprintf(ref, sizeof ref, "%s@%s", id, version);
        const char *path = NULL;
        if (!s->lib || posture_library_find(s->lib, ref, &path) != 0) {
            rc = posture_error_set(POSTURE_ENOTFOUND,
                                   "template \"%s\" of assessment \"%s\" is not in the "
                                   "template search path",
                                   ref, aname);
            goto done;
        }
        rc = posture_template_load(s->lib, path, 0, tmp, &t);
        if (rc) {
            copy_diags(diags, tmp);
            goto done;
        }
        if (!template_matches(t, id, version)) {
            posture_template_free(t);
            t = NULL;
            rc = posture_error_set(POSTURE_ENOTFOUND, "%s: not template \"%s\"", path, ref);
            goto done;
        }
    }
    rc = cache_template(s, t, out);
    t = NULL;
done:
    posture_template_free(t);
    posture_diags_free(tmp);
    return rc;
}

static int load_profile(posture_store *s, const char *ref, posture_diags *diags,
                        const posture_profile **out)
{
    for (size_t i = 0; i < s->npc; i++) {
        if (strcmp(s->pc[i].ref, ref) == 0) {
            *out = s->pc[i].p;
            return 0;
        }
    }
    posture_profile *p = NULL;
    int rc = posture_profile_open(ref, diags, &p);
    if (rc)
        return rc;
    char *r = xstrdup(ref);
    if (!r || grow((void **)&s->pc, &s->cappc, s->npc, sizeof *s->pc)) {
        free(r);
        posture_profile_free(p);
        return OOM();
    }
    s->pc[s->npc].ref = r;
    s->pc[s->npc].p = p;
    s->npc++;
    *out = p;
    return 0;
}

static int assessment_template(posture_store *s, const arow *a, posture_diags *diags,
                               const posture_template **out)
{
    return load_template(s, a->name, a->template_id, a->template_version, a->template_file, diags,
                         out);
}

/* The share of an action's answer key: "" for technical, else the group. */
static const char *share_of(const posture_action *act, const char *grp)
{
    return act->impl_type == POSTURE_IMPLTYPE_TECHNICAL ? "" : grp;
}

/* ------------------------------------------------------- answers from store */

typedef struct ans_row {
    int64_t id;
    const char *action, *share, *implementation, *test, *tested_at, *assigned_to, *notes;
} ans_row;

typedef struct ev_row {
    int64_t answer_id;
    const char *action, *uri, *note, *added_by, *added_at;
} ev_row;

typedef struct rows {
    arena *ar;
    ans_row *ans;
    size_t nans, capans;
    ev_row *ev;
    size_t nev, capev;
    sb_exclusion *ex;
    size_t nex, capex;
} rows;

static void rows_release(rows *r)
{
    free(r->ans);
    free(r->ev);
    free(r->ex);
}

static int collect_answer(void *ctx, const sb_answer *a)
{
    rows *r = ctx;
    if (grow((void **)&r->ans, &r->capans, r->nans, sizeof *r->ans))
        return POSTURE_ENOMEM;
    ans_row *o = &r->ans[r->nans];
    o->id = a->id;
    if (!(o->action = arena_strdup(r->ar, a->action)) ||
        !(o->share = arena_strdup(r->ar, a->share)) ||
        !(o->implementation = arena_strdup(r->ar, a->implementation)) ||
        !(o->test = arena_strdup(r->ar, a->test)))
        return OOM();
    o->tested_at = arena_strdup(r->ar, a->tested_at);
    o->assigned_to = arena_strdup(r->ar, a->assigned_to);
    o->notes = arena_strdup(r->ar, a->notes);
    if ((a->tested_at && !o->tested_at) || (a->assigned_to && !o->assigned_to) ||
        (a->notes && !o->notes))
        return OOM();
    r->nans++;
    return 0;
}

static int collect_evidence(void *ctx, const sb_evidence *e)
{
    rows *r = ctx;
    if (grow((void **)&r->ev, &r->capev, r->nev, sizeof *r->ev))
        return POSTURE_ENOMEM;
    ev_row *o = &r->ev[r->nev];
    o->answer_id = e->answer_id;
    o->action = arena_strdup(r->ar, e->action);
    o->uri = arena_strdup(r->ar, e->uri);
    o->note = arena_strdup(r->ar, e->note);
    o->added_by = arena_strdup(r->ar, e->added_by);
    o->added_at = arena_strdup(r->ar, e->added_at);
    if (!o->action || !o->uri || !o->added_by || !o->added_at || (e->note && !o->note))
        return OOM();
    r->nev++;
    return 0;
}

static int collect_exclusion(void *ctx, const sb_exclusion *x)
{
    rows *r = ctx;
    if (grow((void **)&r->ex, &r->capex, r->nex, sizeof *r->ex))
        return POSTURE_ENOMEM;
    sb_exclusion *o = &r->ex[r->nex];
    *o = *x;
    o->control = arena_strdup(r->ar, x->control);
    o->justification = arena_strdup(r->ar, x->justification);
    o->at = arena_strdup(r->ar, x->at);
    o->by = arena_strdup(r->ar, x->by);
    if (!o->control || !o->justification || !o->at || !o->by)
        return OOM();
    r->nex++;
    return 0;
}

static int load_rows(posture_store *s, int64_t aid, rows *r, int answers, int evidence,
                     int exclusions)
{
    int rc = 0;
    if (answers && (rc = s->ops->answers_of(s->be, aid, collect_answer, r)) != 0)
        return rc;
    if (evidence && (rc = s->ops->evidence_of(s->be, aid, collect_evidence, r)) != 0)
        return rc;
    if (exclusions && (rc = s->ops->exclusion_list(s->be, aid, collect_exclusion, r)) != 0)
        return rc;
    return 0;
}

static int parse_statuses(const posture_store *s, const ans_row *a, posture_implementation *impl,
                          posture_test *test)
{
    if (posture_implementation_parse(a->implementation, impl) != 0 ||
        posture_test_parse(a->test, test) != 0)
        return posture_error_set(POSTURE_ESTORE, "%s: answer to %s holds unknown statuses",
                                 s->path, a->action);
    return 0;
}

/* Build the answers of assessment `a` as posture_score() takes them. */
static int build_answers(posture_store *s, arena *ar, const arow *a, const posture_template *t,
                         int evidence, posture_answers **out)
{
    *out = NULL;
    rows r = {.ar = ar};
    posture_answers *ans = NULL;
    const char **evs = NULL;
    size_t capevs = 0;
    int rc = load_rows(s, a->id, &r, 1, evidence, 1);
    if (rc)
        goto done;
    if ((rc = posture_answers_new(&ans)) != 0)
        goto done;
    char assessed[11] = "";
    if (a->updated_at && strlen(a->updated_at) >= 10) {
        memcpy(assessed, a->updated_at, 10);
        assessed[10] = '\0';
    }
    posture_assessment_info info = {a->name, a->organization, a->scope, a->grp,
                                    assessed[0] ? assessed : NULL};
    if ((rc = posture_answers_set_info(ans, &info)) != 0 ||
        (rc = posture_answers_set_template(ans, a->template_id, a->template_version)) != 0)
        goto done;
    size_t e = 0;
    for (size_t i = 0; i < r.nans; i++) {
        const ans_row *x = &r.ans[i];
        posture_answer in = {0};
        in.action = x->action;
        if ((rc = parse_statuses(s, x, &in.implementation, &in.test)) != 0)
            goto done;
        in.tested_at = x->tested_at;
        in.assigned_to = x->assigned_to;
        in.notes = x->notes;
        in.action_index = -1;
        size_t nev = 0;
        while (e < r.nev && r.ev[e].answer_id != x->id)
            e++; /* both are in inclusion order; evidence of unanswered keys cannot exist */
        while (e < r.nev && r.ev[e].answer_id == x->id) {
            if ((rc = grow((void **)&evs, &capevs, nev, sizeof *evs)) != 0)
                goto done;
            evs[nev++] = r.ev[e++].uri;
        }
        in.evidence = evs;
        in.nevidence = nev;
        if ((rc = posture_answers_add(ans, &in)) != 0)
            goto done;
    }
    for (size_t i = 0; i < r.nex; i++) {
        posture_control_scope cs = {r.ex[i].control, 0, r.ex[i].justification, -1, NULL};
        if ((rc = posture_answers_add_control(ans, &cs)) != 0)
            goto done;
    }
    posture_diags *d = NULL;
    if ((rc = posture_diags_new(&d)) != 0)
        goto done;
    rc = posture_answers_resolve(ans, t, s->path, d);
    if (rc) {
        const posture_diag *g = posture_diags_get(d, 0);
        rc = posture_error_set(POSTURE_ESTORE, "%s: the answers of assessment \"%s\" do not fit "
                               "its template: %s",
                               s->path, a->name, g ? g->message : "unknown problem");
    }
    posture_diags_free(d);
    if (rc)
        goto done;
    *out = ans;
    ans = NULL;
done:
    free(evs);
    rows_release(&r);
    posture_answers_free(ans);
    return rc;
}

/* Score assessment `a` with its template and `profile` (NULL: its own). */
static int score_row(posture_store *s, arena *ar, const arow *a, const posture_profile *profile,
                     int evidence, posture_diags *diags, posture_answers **ans_out,
                     posture_result **res_out)
{
    const posture_template *t = NULL;
    posture_answers *ans = NULL;
    int rc = assessment_template(s, a, diags, &t);
    if (rc == 0 && !profile)
        rc = load_profile(s, a->profile, diags, &profile);
    if (rc == 0)
        rc = build_answers(s, ar, a, t, evidence, &ans);
    if (rc == 0)
        rc = posture_score(t, ans, profile, res_out);
    if (rc) {
        posture_answers_free(ans);
        return rc;
    }
    *ans_out = ans;
    return 0;
}

/* --------------------------------------------------------------- changes */

/* An assessment touched by the change under way. */
typedef struct touch {
    int64_t id;
    const char *name;
    int primary;
} touch;

/* One change of a field, to be written to the audit log of every toucher. */
typedef struct fchange {
    const char *what, *old_value, *new_value;
} fchange;

/* The change under way: one transaction. */
typedef struct change {
    posture_store *s;
    posture_store_mem *mem;
    arena *ar;          /* mem->a: lives with the outcome */
    arow primary;
    touch *t;
    size_t nt, capt;
    size_t naudit;
} change;

static int change_begin(change *c, posture_store *s, posture_store_mem **mem_out)
{
    memset(c, 0, sizeof *c);
    c->s = s;
    c->mem = mem_new();
    if (!c->mem)
        return OOM();
    c->ar = &c->mem->a;
    *mem_out = NULL;
    return 0;
}

static void change_release(change *c)
{
    free(c->t);
    c->t = NULL;
}

static int touch_add(change *c, int64_t id, const char *name)
{
    for (size_t i = 0; i < c->nt; i++)
        if (c->t[i].id == id)
            return 0;
    if (!name) {
        arow r;
        int rc = get_assessment_id(c->s, c->ar, id, &r);
        if (rc)
            return rc;
        name = r.name;
    }
    if (grow((void **)&c->t, &c->capt, c->nt, sizeof *c->t))
        return POSTURE_ENOMEM;
    c->t[c->nt].id = id;
    c->t[c->nt].name = name;
    c->t[c->nt].primary = id == c->primary.id;
    c->nt++;
    return 0;
}

static const char *touch_name(const change *c, int64_t id)
{
    for (size_t i = 0; i < c->nt; i++)
        if (c->t[i].id == id)
            return c->t[i].name;
    return NULL;
}

static int audit(change *c, int64_t aid, const char *aname, const fchange *f)
{
    sb_audit e = {aid,         aname,         c->s->now,    c->s->who, f->what,
                  f->old_value, f->new_value, aid == c->primary.id ? NULL : c->primary.name};
    if (aid == c->primary.id)
        c->naudit++;
    return c->s->ops->audit_add(c->s->be, &e);
}

typedef struct snap_ctx {
    int have;
    posture_points score;
} snap_ctx;

static int latest_cb(void *ctx, const sb_snapshot *sn)
{
    snap_ctx *c = ctx;
    c->have = 1;
    c->score = sn->score;
    return 0;
}

typedef struct incl_vec {
    sb_incl *v;
    size_t n, cap;
    arena *ar;
} incl_vec;

static int collect_incl(void *ctx, const sb_incl *r)
{
    incl_vec *iv = ctx;
    if (grow((void **)&iv->v, &iv->cap, iv->n, sizeof *iv->v))
        return POSTURE_ENOMEM;
    iv->v[iv->n] = *r;
    iv->v[iv->n].action = arena_strdup(iv->ar, r->action);
    iv->v[iv->n].share = arena_strdup(iv->ar, r->share);
    if (!iv->v[iv->n].action || !iv->v[iv->n].share)
        return OOM();
    iv->n++;
    return 0;
}

/*
 * Score assessment `id` after the change, store the per-action figures the
 * overall score needs, and append a snapshot.
 */
static int rescore(change *c, int64_t id, const char *what, posture_diags *diags,
                   posture_store_touched *out)
{
    posture_store *s = c->s;
    arena tmp;
    arena_init(&tmp);
    arow a;
    posture_answers *ans = NULL;
    posture_result *res = NULL;
    const posture_action_result **by_idx = NULL;
    incl_vec iv = {.ar = &tmp};
    snap_ctx before = {0};
    int rc = get_assessment_id(s, &tmp, id, &a);
    if (rc)
        goto done;
    if ((rc = s->ops->snapshot_latest(s->be, id, latest_cb, &before)) != 0)
        goto done;
    /* the score needs no evidence: a seventh of an answer set on 1,000 actions */
    if ((rc = score_row(s, &tmp, &a, NULL, 0, diags, &ans, &res)) != 0)
        goto done;
    const posture_template *t = posture_result_template(res);
    size_t na = posture_template_action_count(t);
    by_idx = calloc(na ? na : 1, sizeof *by_idx);
    if (!by_idx) {
        rc = OOM();
        goto done;
    }
    for (size_t k = 0; k < posture_result_action_count(res); k++) {
        const posture_action_result *ar = posture_result_action(res, k);
        if (ar->index < na)
            by_idx[ar->index] = ar;
    }
    if ((rc = s->ops->incl_list(s->be, id, collect_incl, &iv)) != 0)
        goto done;
    for (size_t k = 0; k < iv.n; k++) {
        sb_incl *r = &iv.v[k];
        const posture_action_result *ar =
            r->idx >= 0 && (size_t)r->idx < na ? by_idx[r->idx] : NULL;
        int counted = ar ? ar->counted != 0 : 0;
        int points = ar && counted ? ar->points : 0;
        int64_t achieved = ar && counted ? ar->achieved_x100 : 0;
        if (r->counted == counted && r->points == points && r->achieved_x100 == achieved)
            continue;
        r->counted = counted;
        r->points = points;
        r->achieved_x100 = achieved;
        if ((rc = s->ops->incl_update_score(s->be, r)) != 0)
            goto done;
    }
    sb_snapshot sn;
    memset(&sn, 0, sizeof sn);
    sn.assessment_id = id;
    sn.at = s->now;
    sn.change = what;
    sn.template_version = a.template_version;
    sn.score = *posture_result_total(res);
    size_t tot;
    const size_t *cc = posture_result_control_counts(res, &tot);
    for (int k = 0; k < POSTURE_CSTATUS__COUNT; k++)
        sn.controls[k] = (int64_t)cc[k];
    const size_t *ac = posture_result_action_counts(res, &tot);
    for (int k = 0; k < POSTURE_ASTATUS__COUNT; k++)
        sn.actions[k] = (int64_t)ac[k];
    if ((rc = s->ops->snapshot_add(s->be, &sn)) != 0)
        goto done;
    if (out) {
        out->had_before = before.have;
        out->before = before.score;
        out->after = sn.score;
    }
done:
    free(iv.v);
    free(by_idx);
    posture_result_free(res);
    posture_answers_free(ans);
    arena_release(&tmp);
    return rc;
}

static int cmp_touch(const void *x, const void *y)
{
    const touch *a = x, *b = y;
    if (a->primary != b->primary)
        return a->primary ? -1 : 1;
    return strcmp(a->name, b->name);
}

/*
 * Rescore every touched assessment (the primary one with `what`, the others
 * with `what (via NAME)`), fill the outcome and commit.
 */
static int change_finish(change *c, const char *what, posture_diags *diags, int dry_run,
                         posture_store_mem **mem_out, const posture_store_outcome **out)
{
    posture_store *s = c->s;
    int rc = 0;
    if (c->nt)
        qsort(c->t, c->nt, sizeof *c->t, cmp_touch);
    posture_store_touched *tv = NULL;
    if (c->nt && !(tv = arena_alloc(c->ar, c->nt * sizeof *tv)))
        return OOM();
    for (size_t i = 0; i < c->nt; i++) {
        arow r;
        if ((rc = get_assessment_id(s, c->ar, c->t[i].id, &r)) != 0)
            return rc;
        r.updated_at = s->now;
        sb_assessment sa = to_sb(&r);
        if ((rc = s->ops->assessment_update(s->be, &sa)) != 0)
            return rc;
    }
    for (size_t i = 0; i < c->nt; i++) {
        const char *w = c->t[i].primary ? what : afmt(c->ar, "%s (via %s)", what, c->primary.name);
        if (!w)
            return OOM();
        tv[i].name = c->t[i].name;
        if ((rc = rescore(c, c->t[i].id, w, diags, &tv[i])) != 0)
            return rc;
    }
    if (dry_run)
        s->ops->rollback(s->be);
    else if ((rc = s->ops->commit(s->be)) != 0)
        return rc;
    c->mem->outcome.changes = c->naudit;
    c->mem->outcome.touched = tv;
    c->mem->outcome.ntouched = c->nt;
    *mem_out = c->mem;
    *out = &c->mem->outcome;
    c->mem = NULL;
    return 0;
}

/* --------------------------------------------------------------- answers */

/* The current answer of a key, copied (found = 0 when none). */
typedef struct cur_answer {
    int found;
    ans_row row;
    arena *ar;
} cur_answer;

static int copy_one_answer(void *ctx, const sb_answer *a)
{
    cur_answer *c = ctx;
    rows r = {.ar = c->ar};
    int rc = collect_answer(&r, a);
    if (rc == 0) {
        c->row = r.ans[0];
        c->found = 1;
    }
    rows_release(&r);
    return rc;
}

static int current_answer(posture_store *s, arena *ar, const char *action, const char *share,
                          ans_row *out, int *found)
{
    cur_answer c = {0, {0}, ar};
    int rc = s->ops->answer_get(s->be, action, share, copy_one_answer, &c);
    if (rc && rc != POSTURE_ENOTFOUND)
        return rc;
    *found = c.found;
    if (c.found)
        *out = c.row;
    return 0;
}

/* A desired answer: fields to change (NULL pointer / has 0 = keep). */
typedef struct want {
    const char *action;
    const posture_action *act;
    int has_impl;
    posture_implementation impl;
    int has_test;
    posture_test test;
    const char *tested_at, *assigned_to, *notes; /* "" clears */
    const char *const *evidence;
    size_t nevidence;
} want;

typedef struct keychg {
    const char *action, *share;
    size_t first, n; /* in the fchange list */
} keychg;

typedef struct fvec {
    fchange *f;
    size_t n, cap;
    keychg *k;
    size_t nk, capk;
} fvec;

static int fadd(fvec *v, const char *what, const char *old_value, const char *new_value)
{
    if (grow((void **)&v->f, &v->cap, v->n, sizeof *v->f))
        return POSTURE_ENOMEM;
    v->f[v->n].what = what;
    v->f[v->n].old_value = old_value;
    v->f[v->n].new_value = new_value;
    v->n++;
    return 0;
}

static const char *text_field(const char *wanted, const char *cur)
{
    if (!wanted)
        return cur;
    return *wanted ? wanted : NULL;
}

/*
 * Apply one desired answer to the key of `w->act` in assessment `a`.
 * `cur` is the current answer (NULL when none). Records the field changes
 * in `v` (one keychg when anything changed).
 */
static int apply_answer(change *c, const arow *a, const want *w, const ans_row *cur, fvec *v)
{
    posture_store *s = c->s;
    arena *ar = c->ar;
    const char *share = share_of(w->act, a->grp);
    posture_implementation old_impl = POSTURE_IMPL_NOT_IMPLEMENTED;
    posture_test old_test = POSTURE_TEST_NOT_ASSESSED;
    int rc;
    if (cur && (rc = parse_statuses(s, cur, &old_impl, &old_test)) != 0)
        return rc;
    posture_implementation impl = w->has_impl ? w->impl : old_impl;
    posture_test test = w->has_test ? w->test : old_test;
    const char *ot = cur ? cur->tested_at : NULL, *oa = cur ? cur->assigned_to : NULL,
               *on = cur ? cur->notes : NULL;
    const char *nt = text_field(w->tested_at, ot), *na = text_field(w->assigned_to, oa),
               *nn = text_field(w->notes, on);
    size_t first = v->n;
#define FIELD(label, o, n)                                                                   \
    if (!same(o, n)) {                                                                       \
        const char *what_ = acat(ar, "answer ", w->action, " ", label, (char *)NULL);        \
        const char *o_ = arena_strdup(ar, o), *n_ = arena_strdup(ar, n);                     \
        if (!what_ || ((o) && !o_) || ((n) && !n_) || fadd(v, what_, o_, n_))               \
            return OOM();                                                                    \
    }
    FIELD("implementation", posture_implementation_token(old_impl),
          posture_implementation_token(impl))
    FIELD("test", posture_test_token(old_test), posture_test_token(test))
    FIELD("tested_at", ot, nt)
    FIELD("assigned_to", oa, na)
    FIELD("notes", on, nn)
#undef FIELD
    int64_t id = cur ? cur->id : 0;
    if (v->n > first || (!cur && w->nevidence)) {
        sb_answer row = {0,    w->action, share, posture_implementation_token(impl),
                         posture_test_token(test), nt, na, nn, s->now, s->who};
        /* the id is needed for evidence only: without it the backend skips RETURNING */
        if ((rc = s->ops->answer_put(s->be, &row, w->nevidence ? &id : NULL)) != 0)
            return rc;
    }
    for (size_t i = 0; i < w->nevidence; i++) {
        sb_evidence e = {id, w->action, w->evidence[i], NULL, s->who, s->now};
        int added = 0; /* 0 when the answer has this URI already */
        if ((rc = s->ops->evidence_add(s->be, &e, &added)) != 0)
            return rc;
        if (added) {
            const char *what = afmt(ar, "answer %s evidence", w->action);
            const char *uri = arena_strdup(ar, w->evidence[i]);
            if (!what || !uri || fadd(v, what, NULL, uri))
                return OOM();
        }
    }
    if (v->n > first) {
        if (grow((void **)&v->k, &v->capk, v->nk, sizeof *v->k))
            return POSTURE_ENOMEM;
        keychg *k = &v->k[v->nk++];
        k->action = w->action;
        k->share = arena_strdup(ar, share);
        if (!k->share)
            return OOM();
        k->first = first;
        k->n = v->n - first;
    }
    return 0;
}

/* Audit the key's changes for assessment `id` and mark it touched. */
static int audit_key_for(change *c, int64_t id, const keychg *k, const fvec *v)
{
    int rc = touch_add(c, id, NULL);
    if (rc)
        return rc;
    const char *name = touch_name(c, id);
    for (size_t i = 0; i < k->n; i++)
        if ((rc = audit(c, id, name, &v->f[k->first + i])) != 0)
            return rc;
    return 0;
}

/* Key "action\x1fshare" for maps. */
static const char *key_of(arena *ar, const char *action, const char *share)
{
    return afmt(ar, "%s\x1f%s", action, share);
}

typedef struct neigh_ctx {
    change *c;
    const fvec *v;
    strmap *changed; /* key -> keychg index */
    int64_t id;
    arena *ar;
} neigh_ctx;

static int neigh_incl_cb(void *ctx, const sb_incl *r)
{
    neigh_ctx *n = ctx;
    char buf[1024];
    const char *key = buf;
    if ((size_t)snprintf(buf, sizeof buf, "%s\x1f%s", r->action, r->share) >= sizeof buf)
        key = key_of(n->ar, r->action, r->share);
    if (!key)
        return OOM();
    size_t ki;
    if (!strmap_get(n->changed, key, &ki))
        return 0;
    return audit_key_for(n->c, n->id, &n->v->k[ki], n->v);
}

typedef struct idvec {
    int64_t *v;
    size_t n, cap;
} idvec;

static int collect_id(void *ctx, int64_t id)
{
    idvec *iv = ctx;
    if (grow((void **)&iv->v, &iv->cap, iv->n, sizeof *iv->v))
        return POSTURE_ENOMEM;
    iv->v[iv->n++] = id;
    return 0;
}

/* Audit every changed key for every assessment that shares it. */
static int audit_changes(change *c, const fvec *v)
{
    posture_store *s = c->s;
    int rc = 0;
    /* the primary assessment first, in the order of the changes */
    for (size_t i = 0; i < v->nk; i++)
        if ((rc = audit_key_for(c, c->primary.id, &v->k[i], v)) != 0)
            return rc;
    if (v->nk <= 32) {
        for (size_t i = 0; i < v->nk; i++) {
            idvec ids = {0};
            rc = s->ops->incl_sharers(s->be, v->k[i].action, v->k[i].share, collect_id, &ids);
            for (size_t j = 0; rc == 0 && j < ids.n; j++)
                if (ids.v[j] != c->primary.id)
                    rc = audit_key_for(c, ids.v[j], &v->k[i], v);
            free(ids.v);
            if (rc)
                return rc;
        }
        return 0;
    }
    /* many keys: walk the inclusions of each assessment sharing any key */
    strmap changed;
    strmap_init(&changed);
    idvec ids = {0};
    for (size_t i = 0; rc == 0 && i < v->nk; i++) {
        const char *key = key_of(c->ar, v->k[i].action, v->k[i].share);
        if (!key || strmap_put(&changed, key, i, NULL) < 0)
            rc = OOM();
    }
    if (rc == 0)
        rc = s->ops->incl_neighbours(s->be, c->primary.id, collect_id, &ids);
    for (size_t j = 0; rc == 0 && j < ids.n; j++) {
        neigh_ctx n = {c, v, &changed, ids.v[j], c->ar};
        rc = s->ops->incl_list(s->be, ids.v[j], neigh_incl_cb, &n);
    }
    free(ids.v);
    strmap_release(&changed);
    return rc;
}

static void fvec_release(fvec *v)
{
    free(v->f);
    free(v->k);
}

int posture_store_answer_set(posture_store *s, const char *name,
                             const posture_store_answer_change *chg, posture_diags *diags,
                             posture_store_mem **mem, const posture_store_outcome **out)
{
    change c;
    fvec v = {0};
    int rc = change_begin(&c, s, mem);
    if (rc)
        return rc;
    if (chg->tested_at && *chg->tested_at && !posture_date_valid(chg->tested_at)) {
        rc = posture_error_set(POSTURE_EUSAGE, "tested date \"%s\" is not an ISO 8601 date "
                               "(YYYY-MM-DD)", chg->tested_at);
        goto done;
    }
    if ((rc = s->ops->begin(s->be, 1)) != 0)
        goto done;
    const posture_template *t = NULL;
    if ((rc = get_assessment(s, c.ar, name, &c.primary)) != 0 ||
        (rc = assessment_template(s, &c.primary, diags, &t)) != 0)
        goto rollback;
    long ai = posture_template_find_action(t, chg->action);
    if (ai < 0) {
        rc = posture_error_set(POSTURE_ENOTFOUND, "assessment \"%s\" has no action \"%s\"", name,
                               chg->action);
        goto rollback;
    }
    want w = {chg->action,    posture_template_action(t, (size_t)ai), chg->has_implementation,
              chg->implementation, chg->has_test, chg->test, chg->tested_at, chg->assigned_to,
              chg->notes,     chg->evidence, chg->nevidence};
    ans_row cur;
    int found = 0;
    if ((rc = current_answer(s, c.ar, chg->action, share_of(w.act, c.primary.grp), &cur,
                             &found)) != 0 ||
        (rc = apply_answer(&c, &c.primary, &w, found ? &cur : NULL, &v)) != 0 ||
        (rc = audit_changes(&c, &v)) != 0)
        goto rollback;
    const char *what = afmt(c.ar, "answer %s", chg->action);
    if (!what) {
        rc = OOM();
        goto rollback;
    }
    rc = change_finish(&c, what, diags, 0, mem, out);
    if (rc == 0)
        goto done;
rollback:
    s->ops->rollback(s->be);
done:
    fvec_release(&v);
    change_release(&c);
    posture_store_mem_free(c.mem);
    return rc;
}

/* ------------------------------------------------- Statement of Applicability */

static int apply_control(change *c, const char *control, int applicable, const char *just,
                         const sb_exclusion *cur, fvec *v)
{
    arena *ar = c->ar;
    posture_store *s = c->s;
    const char *old_value = cur ? afmt(ar, "not applicable: %s", cur->justification) : "applicable";
    const char *new_value = applicable ? "applicable" : afmt(ar, "not applicable: %s", just);
    const char *what = afmt(ar, "control %s", control);
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
    return rc ? rc : fadd(v, what, old_value, new_value);
}

static int audit_primary(change *c, const fvec *v)
{
    int rc = 0;
    if (v->n && (rc = touch_add(c, c->primary.id, c->primary.name)) != 0)
        return rc;
    for (size_t i = 0; rc == 0 && i < v->n; i++)
        rc = audit(c, c->primary.id, c->primary.name, &v->f[i]);
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
    int rc = change_begin(&c, s, mem);
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
    if ((rc = get_assessment(s, c.ar, name, &c.primary)) != 0 ||
        (rc = assessment_template(s, &c.primary, diags, &t)) != 0)
        goto rollback;
    if (posture_template_find_control(t, control) < 0) {
        rc = posture_error_set(POSTURE_ENOTFOUND, "assessment \"%s\" has no control \"%s\"", name,
                               control);
        goto rollback;
    }
    find_ex f = {control, {0}, 0, c.ar};
    if ((rc = s->ops->exclusion_list(s->be, c.primary.id, find_ex_cb, &f)) != 0 ||
        (rc = apply_control(&c, control, applicable, justification, f.have ? &f.found : NULL,
                            &v)) != 0 ||
        (rc = audit_primary(&c, &v)) != 0)
        goto rollback;
    const char *what = afmt(c.ar, "control %s", control);
    if (!what) {
        rc = OOM();
        goto rollback;
    }
    if ((rc = change_finish(&c, what, diags, 0, mem, out)) == 0)
        goto done;
rollback:
    s->ops->rollback(s->be);
done:
    fvec_release(&v);
    change_release(&c);
    posture_store_mem_free(c.mem);
    return rc;
}

/* ------------------------------------------------------------------ import */

int posture_store_answer_import(posture_store *s, const char *name, const char *path,
                                posture_diags *diags, posture_store_mem **mem,
                                const posture_store_outcome **out)
{
    change c;
    fvec v = {0}, vc = {0};
    rows cur = {0}, ex = {0};
    strmap by_action;
    strmap_init(&by_action);
    posture_answers *ans = NULL;
    int in_tx = 0;
    int rc = change_begin(&c, s, mem);
    if (rc)
        return rc;
    cur.ar = ex.ar = c.ar;
    /* read the file before taking the write lock */
    const posture_template *t = NULL;
    if ((rc = get_assessment(s, c.ar, name, &c.primary)) != 0 ||
        (rc = assessment_template(s, &c.primary, diags, &t)) != 0)
        goto done;
    if ((rc = posture_answers_load(path, t, diags, &ans)) != 0)
        goto done;
    if ((rc = s->ops->begin(s->be, 1)) != 0)
        goto done;
    in_tx = 1;
    arow now;
    if ((rc = get_assessment(s, c.ar, name, &now)) != 0)
        goto done;
    if (now.id != c.primary.id || !same(now.template_version, c.primary.template_version) ||
        !same(now.grp, c.primary.grp)) {
        rc = posture_error_set(POSTURE_EBUSY, "assessment \"%s\" changed while the file was "
                               "read; try again", name);
        goto done;
    }
    if ((rc = load_rows(s, c.primary.id, &cur, 1, 0, 0)) != 0 ||
        (rc = load_rows(s, c.primary.id, &ex, 0, 0, 1)) != 0)
        goto done;
    for (size_t i = 0; i < cur.nans; i++)
        if (strmap_put(&by_action, cur.ans[i].action, i, NULL) < 0) {
            rc = OOM();
            goto done;
        }
    size_t n = posture_answers_count(ans);
    long kill_after = -1;
    const char *k = getenv("POSTURE_TEST_KILL_AFTER"); /* crash tests only (docs/store.md) */
    if (k && *k)
        kill_after = strtol(k, NULL, 10);
    for (size_t i = 0; i < n; i++) {
        const posture_answer *a = posture_answers_get(ans, i);
        if (a->action_index < 0)
            continue;
        want w = {a->action,      posture_template_action(t, (size_t)a->action_index),
                  1,              a->implementation,
                  1,              a->test,
                  a->tested_at,   a->assigned_to,
                  a->notes,       a->evidence,
                  a->nevidence};
        size_t ci;
        const ans_row *cr = strmap_get(&by_action, a->action, &ci) ? &cur.ans[ci] : NULL;
        if (cr && strcmp(cr->share, share_of(w.act, c.primary.grp)) != 0)
            cr = NULL;
        if ((rc = apply_answer(&c, &c.primary, &w, cr, &v)) != 0)
            goto done;
        if (kill_after >= 0 && (long)i + 1 >= kill_after)
            raise(SIGKILL);
        if (s->progress && ((i + 1) % 1000 == 0 || i + 1 == n))
            s->progress(s->progress_ctx, i + 1, n);
    }
    for (size_t i = 0; i < posture_answers_control_count(ans); i++) {
        const posture_control_scope *cs = posture_answers_control(ans, i);
        const sb_exclusion *cx = NULL;
        for (size_t j = 0; j < ex.nex; j++)
            if (strcmp(ex.ex[j].control, cs->control) == 0)
                cx = &ex.ex[j];
        if ((rc = apply_control(&c, cs->control, cs->applicable, cs->justification, cx, &vc)) !=
            0)
            goto done;
    }
    if ((rc = audit_changes(&c, &v)) != 0 || (rc = audit_primary(&c, &vc)) != 0)
        goto done;
    const char *base = strrchr(path, '/');
    const char *what = afmt(c.ar, "answers imported from %s", base ? base + 1 : path);
    if (!what) {
        rc = OOM();
        goto done;
    }
    if ((rc = change_finish(&c, what, diags, 0, mem, out)) == 0)
        in_tx = 0;
done:
    if (in_tx)
        s->ops->rollback(s->be);
    strmap_release(&by_action);
    rows_release(&cur);
    rows_release(&ex);
    posture_answers_free(ans);
    fvec_release(&v);
    fvec_release(&vc);
    change_release(&c);
    posture_store_mem_free(c.mem);
    return rc;
}

/* ------------------------------------------------- create, set, delete */

static int insert_inclusions(posture_store *s, int64_t aid, const posture_template *t,
                             const char *grp)
{
    size_t na = posture_template_action_count(t);
    for (size_t i = 0; i < na; i++) {
        const posture_action *act = posture_template_action(t, i);
        sb_incl r = {aid, (int64_t)i, act->id, share_of(act, grp), 0, 0, 0};
        int rc = s->ops->incl_insert(s->be, &r);
        if (rc)
            return rc;
    }
    return 0;
}

/* A profile reference as stored: a file becomes an absolute path. */
static int profile_ref(posture_store *s, arena *ar, const char *ref, posture_diags *diags,
                       const char **out)
{
    const posture_profile *p = NULL;
    int rc = load_profile(s, ref, diags, &p);
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
    int rc = change_begin(&c, s, mem);
    if (rc)
        return rc;
    if (!spec->name || !*spec->name || !spec->template_ref) {
        rc = posture_error_set(POSTURE_EUSAGE, "an assessment needs a name and a template");
        goto done;
    }
    const char *grp = spec->group && *spec->group ? spec->group : "default";
    const char *prof = NULL;
    if ((rc = profile_ref(s, c.ar, spec->profile ? spec->profile : POSTURE_PROFILE_DEFAULT, diags,
                          &prof)) != 0)
        goto done;
    if ((rc = posture_template_open(s->lib, spec->template_ref, 0, diags, &tl)) != 0)
        goto done;
    const posture_template_info *in = posture_template_info_get(tl);
    char *abs = in->file ? realpath(in->file, NULL) : NULL;
    const char *file = abs ? arena_strdup(c.ar, abs) : NULL;
    free(abs);
    const posture_template *t = NULL;
    if ((rc = cache_template(s, tl, &t)) != 0) {
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
    sb_assessment sa = to_sb(&a);
    if ((rc = s->ops->assessment_insert(s->be, &sa, &a.id)) != 0)
        goto done;
    if (!(a.name = arena_strdup(c.ar, a.name))) {
        rc = OOM();
        goto done;
    }
    c.primary = a;
    if ((rc = insert_inclusions(s, a.id, t, grp)) != 0)
        goto done;
    const char *desc = afmt(c.ar, "template %s@%s, group %s, profile %s", in->id, in->version,
                            grp, prof);
    if (!desc || fadd(&v, "assessment created", NULL, desc)) {
        rc = OOM();
        goto done;
    }
    if ((rc = audit_primary(&c, &v)) != 0)
        goto done;
    if ((rc = change_finish(&c, "created", diags, 0, mem, out)) == 0)
        in_tx = 0;
done:
    if (in_tx)
        s->ops->rollback(s->be);
    posture_template_free(tl);
    fvec_release(&v);
    change_release(&c);
    posture_store_mem_free(c.mem);
    return rc;
}

/* Copy the answer (with evidence) of key (action, from) to (action, to) when `to` has none. */
static int carry_answer(change *c, const ans_row *a, const rows *ev, const char *to, int *copied)
{
    posture_store *s = c->s;
    ans_row have;
    int found = 0;
    *copied = 0;
    int rc = current_answer(s, c->ar, a->action, to, &have, &found);
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
    int rc = change_begin(&c, s, mem);
    if (rc)
        return rc;
    r.ar = c.ar;
    const char *prof = NULL;
    if (spec->profile && (rc = profile_ref(s, c.ar, spec->profile, diags, &prof)) != 0)
        goto done;
    if ((rc = s->ops->begin(s->be, 1)) != 0)
        goto done;
    in_tx = 1;
    if ((rc = get_assessment(s, c.ar, spec->name, &c.primary)) != 0)
        goto done;
    arow a = c.primary;
#define SETF(field, val, label, clearable)                                            \
    if (val) {                                                                        \
        const char *nv_ = (clearable) && !*(val) ? NULL : (val);                      \
        if (!same(a.field, nv_)) {                                                    \
            if (fadd(&v, "assessment " label, a.field, nv_)) {                         \
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
    if (!same(a.grp, c.primary.grp)) {
        /* carry the non-technical answers over to the new group where it has none */
        if ((rc = load_rows(s, a.id, &r, 1, 1, 0)) != 0)
            goto done;
        for (size_t i = 0; i < r.nans; i++) {
            if (strcmp(r.ans[i].share, c.primary.grp) != 0)
                continue;
            int copied;
            if ((rc = carry_answer(&c, &r.ans[i], &r, a.grp, &copied)) != 0)
                goto done;
            if (!copied)
                continue;
            const char *what = afmt(c.ar, "answer %s carried to group", r.ans[i].action);
            if (!what || fadd(&vk, what, c.primary.grp, a.grp) ||
                grow((void **)&vk.k, &vk.capk, vk.nk, sizeof *vk.k)) {
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
    sb_assessment sa = to_sb(&a);
    if (v.n && (rc = s->ops->assessment_update(s->be, &sa)) != 0)
        goto done;
    c.primary = a;
    if ((rc = audit_primary(&c, &v)) != 0)
        goto done;
    /* the assessments of the new group that now see a carried answer */
    for (size_t i = 0; i < vk.nk; i++) {
        idvec ids = {0};
        rc = s->ops->incl_sharers(s->be, vk.k[i].action, vk.k[i].share, collect_id, &ids);
        for (size_t j = 0; rc == 0 && j < ids.n; j++)
            rc = audit_key_for(&c, ids.v[j], &vk.k[i], &vk);
        free(ids.v);
        if (rc)
            goto done;
    }
    if ((rc = change_finish(&c, "assessment set", diags, 0, mem, out)) == 0)
        in_tx = 0;
done:
    if (in_tx)
        s->ops->rollback(s->be);
    rows_release(&r);
    fvec_release(&v);
    fvec_release(&vk);
    change_release(&c);
    posture_store_mem_free(c.mem);
    return rc;
}

int posture_store_assessment_delete(posture_store *s, const char *name)
{
    change c;
    posture_store_mem *m = NULL;
    int rc = change_begin(&c, s, &m);
    if (rc)
        return rc;
    if ((rc = s->ops->begin(s->be, 1)) != 0)
        goto done;
    if ((rc = get_assessment(s, c.ar, name, &c.primary)) != 0)
        goto rollback;
    const char *old_value = afmt(c.ar, "template %s@%s", c.primary.template_id,
                                 c.primary.template_version);
    fchange f = {"assessment deleted", old_value, NULL};
    if (!old_value) {
        rc = OOM();
        goto rollback;
    }
    if ((rc = audit(&c, c.primary.id, c.primary.name, &f)) != 0 ||
        (rc = s->ops->assessment_delete(s->be, c.primary.id)) != 0 ||
        (rc = s->ops->commit(s->be)) != 0)
        goto rollback;
    goto done;
rollback:
    s->ops->rollback(s->be);
done:
    change_release(&c);
    posture_store_mem_free(c.mem);
    return rc;
}

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
    if (grow((void **)v, cap, *n, sizeof **v))
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

int posture_store_assessment_upgrade(posture_store *s, const char *name, const char *to_version,
                                     int dry_run, posture_diags *diags, posture_store_mem **mem,
                                     const posture_store_outcome **out)
{
    change c;
    fvec v = {0};
    rows r = {0};
    const char **added = NULL, **removed = NULL, **dropped = NULL;
    size_t nadd = 0, capadd = 0, nrem = 0, caprem = 0, ndrop = 0, capdrop = 0;
    posture_template *tl = NULL;
    incl_vec old = {0};
    strmap old_ids;
    strmap_init(&old_ids);
    int in_tx = 0;
    int rc = change_begin(&c, s, mem);
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
    if ((rc = get_assessment(s, c.ar, name, &c.primary)) != 0 ||
        (rc = s->ops->incl_list(s->be, c.primary.id, collect_incl, &old)) != 0)
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
    if (!same(nin->id, a0.template_id)) {
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
    if ((rc = cache_template(s, tl, &new_t)) != 0) {
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
    if ((rc = load_rows(s, a0.id, &r, 1, 1, 1)) != 0)
        goto done;
    if ((rc = s->ops->incl_delete_all(s->be, a0.id)) != 0 ||
        (rc = insert_inclusions(s, a0.id, new_t, a0.grp)) != 0)
        goto done;
    for (size_t i = 0; i < r.nans; i++) {
        long ni = posture_template_find_action(new_t, r.ans[i].action);
        if (ni < 0)
            continue;
        const char *share = share_of(posture_template_action(new_t, (size_t)ni), a0.grp);
        int copied;
        if (strcmp(share, r.ans[i].share) != 0 &&
            (rc = carry_answer(&c, &r.ans[i], &r, share, &copied)) != 0)
            goto done;
    }
    for (size_t i = 0; i < r.nex; i++) {
        if (posture_template_find_control(new_t, r.ex[i].control) >= 0)
            continue;
        if ((rc = push_str(c.ar, &dropped, &ndrop, &capdrop, r.ex[i].control)) != 0 ||
            (rc = s->ops->exclusion_delete(s->be, a0.id, r.ex[i].control)) != 0)
            goto done;
        const char *what = afmt(c.ar, "control %s", r.ex[i].control);
        const char *old_value = afmt(c.ar, "not applicable: %s", r.ex[i].justification);
        if (!what || !old_value || fadd(&v, what, old_value, "removed from the template")) {
            rc = OOM();
            goto done;
        }
    }
    arow a = a0;
    a.template_version = o->to_version;
    a.template_file = file;
    const char *ov = afmt(c.ar, "%s@%s", a0.template_id, a0.template_version);
    const char *nv = afmt(c.ar, "%s@%s", a0.template_id, o->to_version);
    if (!ov || !nv || fadd(&v, "assessment template", ov, nv)) {
        rc = OOM();
        goto done;
    }
    sb_assessment sa = to_sb(&a);
    if ((rc = s->ops->assessment_update(s->be, &sa)) != 0)
        goto done;
    if ((rc = audit_primary(&c, &v)) != 0)
        goto done;
    o->added = to_arena(c.ar, added, nadd);
    o->nadded = nadd;
    o->removed = to_arena(c.ar, removed, nrem);
    o->nremoved = nrem;
    o->dropped_controls = to_arena(c.ar, dropped, ndrop);
    o->ndropped_controls = ndrop;
    if ((nadd && !o->added) || (nrem && !o->removed) || (ndrop && !o->dropped_controls)) {
        rc = OOM();
        goto done;
    }
    const char *what = afmt(c.ar, "upgraded to %s", nv);
    if (!what) {
        rc = OOM();
        goto done;
    }
    if ((rc = change_finish(&c, what, diags, dry_run, mem, out)) == 0)
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
    rows_release(&r);
    fvec_release(&v);
    change_release(&c);
    posture_store_mem_free(c.mem);
    return rc;
}

/* ----------------------------------------------------------------- queries */

static void snapshot_copy(posture_store_snapshot *o, const sb_snapshot *sn)
{
    o->score = sn->score;
    o->controls_total = o->actions_total = 0;
    for (int k = 0; k < POSTURE_CSTATUS__COUNT; k++)
        o->controls_total += o->controls[k] = (size_t)sn->controls[k];
    for (int k = 0; k < POSTURE_ASTATUS__COUNT; k++)
        o->actions_total += o->actions[k] = (size_t)sn->actions[k];
}

typedef struct alist {
    arena *ar;
    posture_stored_assessment *v;
    int64_t *ids;
    size_t n, cap, capids;
} alist;

static int alist_cb(void *ctx, const sb_assessment *a)
{
    alist *l = ctx;
    if (grow((void **)&l->v, &l->cap, l->n, sizeof *l->v) ||
        grow((void **)&l->ids, &l->capids, l->n, sizeof *l->ids))
        return POSTURE_ENOMEM;
    posture_stored_assessment *o = &l->v[l->n];
    memset(o, 0, sizeof *o);
    arow r;
    arow_ctx c = {l->ar, &r};
    int rc = copy_arow(&c, a);
    if (rc)
        return rc;
    o->name = r.name;
    o->template_id = r.template_id;
    o->template_version = r.template_version;
    o->group = r.grp;
    o->organization = r.organization;
    o->scope = r.scope;
    o->profile = r.profile;
    o->created_at = r.created_at;
    o->updated_at = r.updated_at;
    l->ids[l->n++] = a->id;
    return 0;
}

typedef struct snap_into {
    arena *ar;
    posture_store_snapshot *o;
    int *have;
} snap_into;

static int snap_into_cb(void *ctx, const sb_snapshot *sn)
{
    snap_into *x = ctx;
    snapshot_copy(x->o, sn);
    x->o->at = arena_strdup(x->ar, sn->at);
    x->o->change = arena_strdup(x->ar, sn->change);
    x->o->template_version = arena_strdup(x->ar, sn->template_version);
    *x->have = 1;
    return x->o->at && x->o->change && x->o->template_version ? 0 : OOM();
}

/* List assessments (name = one of them) with their latest snapshots, in a read transaction. */
static int list_assessments(posture_store *s, const char *grp, const char *name,
                            posture_store_mem *m, alist *l)
{
    int rc = name ? s->ops->assessment_by_name(s->be, name, alist_cb, l)
                  : s->ops->assessment_list(s->be, grp, alist_cb, l);
    if (rc == POSTURE_ENOTFOUND)
        return posture_error_set(POSTURE_ENOTFOUND, "no assessment named \"%s\"", name);
    for (size_t i = 0; rc == 0 && i < l->n; i++) {
        snap_into x = {&m->a, &l->v[i].latest, &l->v[i].has_snapshot};
        rc = s->ops->snapshot_latest(s->be, l->ids[i], snap_into_cb, &x);
    }
    return rc;
}

int posture_store_assessments(posture_store *s, const char *group, posture_store_mem **mem,
                              const posture_stored_assessment **items, size_t *n)
{
    posture_store_mem *m = mem_new();
    if (!m)
        return OOM();
    alist l = {.ar = &m->a};
    int rc = s->ops->begin(s->be, 0);
    if (rc == 0) {
        rc = list_assessments(s, group, NULL, m, &l);
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
    posture_store_mem *m = mem_new();
    if (!m)
        return OOM();
    alist l = {.ar = &m->a};
    int rc = s->ops->begin(s->be, 0);
    if (rc == 0) {
        rc = list_assessments(s, NULL, name, m, &l);
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

typedef struct hist {
    arena *ar;
    posture_store_snapshot *v;
    size_t n, cap;
} hist;

static int hist_cb(void *ctx, const sb_snapshot *sn)
{
    hist *h = ctx;
    if (grow((void **)&h->v, &h->cap, h->n, sizeof *h->v))
        return POSTURE_ENOMEM;
    int have;
    snap_into x = {h->ar, &h->v[h->n], &have};
    memset(x.o, 0, sizeof *x.o);
    int rc = snap_into_cb(&x, sn);
    if (rc == 0)
        h->n++;
    return rc;
}

/* Run `fn` for assessment `name` in a read transaction, then copy the malloc'd array. */
typedef int (*per_assessment_fn)(posture_store *s, int64_t id, void *ctx);

static int read_for(posture_store *s, const char *name, posture_store_mem *m, per_assessment_fn fn,
                    void *ctx)
{
    int rc = s->ops->begin(s->be, 0);
    if (rc)
        return rc;
    arow a;
    rc = get_assessment(s, &m->a, name, &a);
    if (rc == 0)
        rc = fn(s, a.id, ctx);
    s->ops->rollback(s->be);
    return rc;
}

static int hist_fn(posture_store *s, int64_t id, void *ctx)
{
    return s->ops->snapshot_list(s->be, id, hist_cb, ctx);
}

static int finish_list(posture_store_mem *m, int rc, void *v, size_t n, size_t size,
                       posture_store_mem **mem, const void **items, size_t *nout)
{
    void *o = NULL;
    if (rc == 0 && n && !(o = arena_alloc(&m->a, n * size)))
        rc = OOM();
    if (rc == 0 && n)
        memcpy(o, v, n * size);
    free(v);
    if (rc) {
        posture_store_mem_free(m);
        return rc;
    }
    *mem = m;
    *items = o;
    *nout = n;
    return 0;
}

int posture_store_history(posture_store *s, const char *name, posture_store_mem **mem,
                          const posture_store_snapshot **items, size_t *n)
{
    posture_store_mem *m = mem_new();
    if (!m)
        return OOM();
    hist h = {.ar = &m->a};
    int rc = read_for(s, name, m, hist_fn, &h);
    return finish_list(m, rc, h.v, h.n, sizeof *h.v, mem, (const void **)items, n);
}

typedef struct logv {
    arena *ar;
    posture_store_log_entry *v;
    size_t n, cap;
} logv;

static int log_cb(void *ctx, const sb_audit *e)
{
    logv *l = ctx;
    if (grow((void **)&l->v, &l->cap, l->n, sizeof *l->v))
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
    posture_store_mem *m = mem_new();
    if (!m)
        return OOM();
    logv l = {.ar = &m->a};
    int rc = read_for(s, name, m, log_fn, &l);
    return finish_list(m, rc, l.v, l.n, sizeof *l.v, mem, (const void **)items, n);
}

static int ev_fn(posture_store *s, int64_t id, void *ctx)
{
    return s->ops->evidence_of(s->be, id, collect_evidence, ctx);
}

int posture_store_evidence_list(posture_store *s, const char *name, posture_store_mem **mem,
                                const posture_store_evidence **items, size_t *n)
{
    posture_store_mem *m = mem_new();
    if (!m)
        return OOM();
    rows r = {.ar = &m->a};
    int rc = read_for(s, name, m, ev_fn, &r);
    posture_store_evidence *v = NULL;
    if (rc == 0 && r.nev && !(v = malloc(r.nev * sizeof *v)))
        rc = OOM();
    for (size_t i = 0; rc == 0 && i < r.nev; i++) {
        posture_store_evidence e = {r.ev[i].action, r.ev[i].uri, r.ev[i].note, r.ev[i].added_by,
                                    r.ev[i].added_at};
        v[i] = e;
    }
    size_t cnt = r.nev;
    rows_release(&r);
    return finish_list(m, rc, v, rc ? 0 : cnt, sizeof *v, mem, (const void **)items, n);
}

typedef struct sharev {
    arena *ar;
    posture_store_share *v;
    size_t n, cap;
} sharev;

static int share_cb(void *ctx, const char *action, const char *assessment)
{
    sharev *l = ctx;
    if (grow((void **)&l->v, &l->cap, l->n, sizeof *l->v))
        return POSTURE_ENOMEM;
    l->v[l->n].action = arena_strdup(l->ar, action);
    l->v[l->n].assessment = arena_strdup(l->ar, assessment);
    if (!l->v[l->n].action || !l->v[l->n].assessment)
        return OOM();
    l->n++;
    return 0;
}

static int share_fn(posture_store *s, int64_t id, void *ctx)
{
    return s->ops->incl_shares(s->be, id, share_cb, ctx);
}

int posture_store_shares(posture_store *s, const char *name, posture_store_mem **mem,
                         const posture_store_share **items, size_t *n)
{
    posture_store_mem *m = mem_new();
    if (!m)
        return OOM();
    sharev l = {.ar = &m->a};
    int rc = read_for(s, name, m, share_fn, &l);
    return finish_list(m, rc, l.v, l.n, sizeof *l.v, mem, (const void **)items, n);
}

/* ------------------------------------------------------------- scoring */

int posture_store_score(posture_store *s, const char *name, const char *profile_ref,
                        posture_diags *diags, posture_store_scored **out)
{
    *out = NULL;
    posture_store_scored *sc = calloc(1, sizeof *sc);
    if (!sc)
        return OOM();
    arena ar;
    arena_init(&ar);
    int rc = 0;
    if (profile_ref && (rc = posture_profile_open(profile_ref, diags, &sc->own_profile)) != 0)
        goto done;
    if ((rc = s->ops->begin(s->be, 0)) != 0)
        goto done;
    arow a;
    rc = get_assessment(s, &ar, name, &a);
    if (rc == 0)
        rc = score_row(s, &ar, &a, sc->own_profile, 1, diags, &sc->answers, &sc->result);
    s->ops->rollback(s->be);
done:
    arena_release(&ar);
    if (rc) {
        posture_store_scored_free(sc);
        return rc;
    }
    *out = sc;
    return 0;
}

const posture_result *posture_store_scored_result(const posture_store_scored *sc)
{
    return sc->result;
}

void posture_store_scored_free(posture_store_scored *sc)
{
    if (!sc)
        return;
    posture_result_free(sc->result);
    posture_answers_free(sc->answers);
    posture_profile_free(sc->own_profile);
    free(sc);
}

/* The overall rule over the assessments `ids` (any order): distinct keys of counted
   inclusions, each with the figures of the earliest assessment (smallest id) counting it. */
typedef struct group_sum {
    strmap seen;
    arena *ar;
    int64_t achieved, possible, keys;
} group_sum;

static int group_incl_cb(void *ctx, const sb_incl *r)
{
    group_sum *g = ctx;
    if (!r->counted)
        return 0;
    const char *key = key_of(g->ar, r->action, r->share);
    if (!key)
        return OOM();
    int put = strmap_put(&g->seen, key, 0, NULL);
    if (put < 0)
        return OOM();
    if (put == 0) {
        g->keys++;
        g->possible += (int64_t)r->points * 100;
        g->achieved += r->achieved_x100;
    }
    return 0;
}

static int cmp_id(const void *x, const void *y)
{
    int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;
    return a < b ? -1 : a > b;
}

static int overall_of(posture_store *s, const int64_t *ids_in, size_t n, int64_t *ach,
                      int64_t *pos, int64_t *keys)
{
    group_sum g = {.ar = NULL};
    arena ar;
    arena_init(&ar);
    g.ar = &ar;
    strmap_init(&g.seen);
    int64_t *ids = malloc((n ? n : 1) * sizeof *ids);
    if (!ids)
        return OOM();
    if (n)
        memcpy(ids, ids_in, n * sizeof *ids);
    qsort(ids, n, sizeof *ids, cmp_id);
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < n; i++)
        rc = s->ops->incl_list(s->be, ids[i], group_incl_cb, &g);
    free(ids);
    strmap_release(&g.seen);
    arena_release(&ar);
    *ach = g.achieved;
    *pos = g.possible;
    *keys = g.keys;
    return rc;
}

int posture_store_overall_score(posture_store *s, const char *group, posture_store_overall *out,
                                posture_store_mem **mem, const posture_stored_assessment **items,
                                size_t *n)
{
    posture_store_mem *m = mem_new();
    if (!m)
        return OOM();
    alist l = {.ar = &m->a};
    int64_t ach = 0, pos = 0, keys = 0;
    int rc = s->ops->begin(s->be, 0);
    if (rc == 0) {
        rc = list_assessments(s, group, NULL, m, &l);
        if (rc == 0)
            rc = group ? overall_of(s, l.ids, l.n, &ach, &pos, &keys)
                       : s->ops->overall(s->be, &ach, &pos, &keys);
        s->ops->rollback(s->be);
    }
    if (rc == 0) {
        memset(out, 0, sizeof *out);
        out->score.achieved_x100 = ach;
        out->score.possible_x100 = pos;
        out->score.has_percent = pos > 0;
        out->score.percent_x100 = pos > 0 ? posture_percent_x100(ach, pos) : 0;
        out->keys = (size_t)keys;
        out->assessments = l.n;
    }
    free(l.ids);
    return finish_list(m, rc, l.v, l.n, sizeof *l.v, mem, (const void **)items, n);
}
