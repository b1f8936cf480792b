/*
 * store.c - the assessment store, independent of the backend: opening,
 * the templates and profiles of assessments, answers read back for
 * scoring, the change machinery (audit trail and a score snapshot after
 * every change for every assessment it touched), scoring and the overall
 * score. Scores come from posture_score() only. The commands that change
 * or read one concern are in store_<concern>.c (store_core.h).
 */
#define _XOPEN_SOURCE 700 /* realpath */
#include "store_core.h"
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

#include "store_registry.h"

_Static_assert(SB_SCHEMA_VERSION == POSTURE_STORE_SCHEMA_VERSION, "one schema version");
_Static_assert((int)SB_OPEN_CREATE == (int)POSTURE_STORE_CREATE &&
                   (int)SB_OPEN_READONLY == (int)POSTURE_STORE_READONLY,
               "the open flags are the backends'");

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
int store_grow(void **items, size_t *cap, size_t n, size_t size)
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

int store_same(const char *a, const char *b)
{
    if (!a || !b)
        return a == b;
    return strcmp(a, b) == 0;
}

char *store_afmt(arena *ar, const char *fmt, ...)
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
char *store_acat(arena *ar, ...)
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

posture_store_mem *store_mem_new(void)
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

int store_copy_arow(void *ctx, const sb_assessment *a)
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

int store_get_assessment(posture_store *s, arena *ar, const char *name, arow *out)
{
    arow_ctx c = {ar, out};
    int rc = s->ops->assessment_by_name(s->be, name, store_copy_arow, &c);
    if (rc == POSTURE_ENOTFOUND)
        return posture_error_set(POSTURE_ENOTFOUND, "no assessment named \"%s\"", name);
    return rc;
}

static int get_assessment_id(posture_store *s, arena *ar, int64_t id, arow *out)
{
    arow_ctx c = {ar, out};
    int rc = s->ops->assessment_by_id(s->be, id, store_copy_arow, &c);
    if (rc == POSTURE_ENOTFOUND)
        return posture_error_set(POSTURE_ESTORE, "%s: assessment %lld vanished", s->path,
                                 (long long)id);
    return rc;
}

sb_assessment store_to_sb(const arow *r)
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
    return store_same(in->id, id) && store_same(in->version, version);
}

/* Cache `t` under id@version (takes ownership). */
int store_cache_template(posture_store *s, posture_template *t, const posture_template **out)
{
    const posture_template_info *in = posture_template_info_get(t);
    size_t n = strlen(in->id) + strlen(in->version) + 2;
    char *key = malloc(n);
    if (!key || store_grow((void **)&s->tc, &s->captc, s->ntc, sizeof *s->tc)) {
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
    rc = store_cache_template(s, t, out);
    t = NULL;
done:
    posture_template_free(t);
    posture_diags_free(tmp);
    return rc;
}

int store_load_profile(posture_store *s, const char *ref, posture_diags *diags,
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
    if (!r || store_grow((void **)&s->pc, &s->cappc, s->npc, sizeof *s->pc)) {
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

int store_assessment_template(posture_store *s, const arow *a, posture_diags *diags,
                              const posture_template **out)
{
    return load_template(s, a->name, a->template_id, a->template_version, a->template_file, diags,
                         out);
}

/* The share of an action's answer key: "" for technical, else the group. */
const char *store_share_of(const posture_action *act, const char *grp)
{
    return act->impl_type == POSTURE_IMPLTYPE_TECHNICAL ? "" : grp;
}

void store_rows_release(rows *r)
{
    free(r->ans);
    free(r->ev);
    free(r->ex);
}

int store_collect_answer(void *ctx, const sb_answer *a)
{
    rows *r = ctx;
    if (store_grow((void **)&r->ans, &r->capans, r->nans, sizeof *r->ans))
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

int store_collect_evidence(void *ctx, const sb_evidence *e)
{
    rows *r = ctx;
    if (store_grow((void **)&r->ev, &r->capev, r->nev, sizeof *r->ev))
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
    if (store_grow((void **)&r->ex, &r->capex, r->nex, sizeof *r->ex))
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

int store_load_rows(posture_store *s, int64_t aid, rows *r, int answers, int evidence,
                    int exclusions)
{
    int rc = 0;
    if (answers && (rc = s->ops->answers_of(s->be, aid, store_collect_answer, r)) != 0)
        return rc;
    if (evidence && (rc = s->ops->evidence_of(s->be, aid, store_collect_evidence, r)) != 0)
        return rc;
    if (exclusions && (rc = s->ops->exclusion_list(s->be, aid, collect_exclusion, r)) != 0)
        return rc;
    return 0;
}

int store_parse_statuses(const posture_store *s, const ans_row *a, posture_implementation *impl,
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
    int rc = store_load_rows(s, a->id, &r, 1, evidence, 1);
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
        if ((rc = store_parse_statuses(s, x, &in.implementation, &in.test)) != 0)
            goto done;
        in.tested_at = x->tested_at;
        in.assigned_to = x->assigned_to;
        in.notes = x->notes;
        in.action_index = -1;
        size_t nev = 0;
        while (e < r.nev && r.ev[e].answer_id != x->id)
            e++; /* both are in inclusion order; evidence of unanswered keys cannot exist */
        while (e < r.nev && r.ev[e].answer_id == x->id) {
            if ((rc = store_grow((void **)&evs, &capevs, nev, sizeof *evs)) != 0)
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
    store_rows_release(&r);
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
    int rc = store_assessment_template(s, a, diags, &t);
    if (rc == 0 && !profile)
        rc = store_load_profile(s, a->profile, diags, &profile);
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

int store_change_begin(change *c, posture_store *s, posture_store_mem **mem_out)
{
    memset(c, 0, sizeof *c);
    c->s = s;
    c->mem = store_mem_new();
    if (!c->mem)
        return OOM();
    c->ar = &c->mem->a;
    *mem_out = NULL;
    return 0;
}

void store_change_release(change *c)
{
    free(c->t);
    c->t = NULL;
}

int store_touch_add(change *c, int64_t id, const char *name)
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
    if (store_grow((void **)&c->t, &c->capt, c->nt, sizeof *c->t))
        return POSTURE_ENOMEM;
    c->t[c->nt].id = id;
    c->t[c->nt].name = name;
    c->t[c->nt].primary = id == c->primary.id;
    c->nt++;
    return 0;
}

const char *store_touch_name(const change *c, int64_t id)
{
    for (size_t i = 0; i < c->nt; i++)
        if (c->t[i].id == id)
            return c->t[i].name;
    return NULL;
}

int store_audit(change *c, int64_t aid, const char *aname, const fchange *f)
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

int store_collect_incl(void *ctx, const sb_incl *r)
{
    incl_vec *iv = ctx;
    if (store_grow((void **)&iv->v, &iv->cap, iv->n, sizeof *iv->v))
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
    if ((rc = s->ops->incl_list(s->be, id, store_collect_incl, &iv)) != 0)
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
int store_change_finish(change *c, const char *what, posture_diags *diags, int dry_run,
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
        sb_assessment sa = store_to_sb(&r);
        if ((rc = s->ops->assessment_update(s->be, &sa)) != 0)
            return rc;
    }
    for (size_t i = 0; i < c->nt; i++) {
        const char *w = c->t[i].primary ? what
                                        : store_afmt(c->ar, "%s (via %s)", what, c->primary.name);
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

int store_fadd(fvec *v, const char *what, const char *old_value, const char *new_value)
{
    if (store_grow((void **)&v->f, &v->cap, v->n, sizeof *v->f))
        return POSTURE_ENOMEM;
    v->f[v->n].what = what;
    v->f[v->n].old_value = old_value;
    v->f[v->n].new_value = new_value;
    v->n++;
    return 0;
}

/* Key "action\x1fshare" for maps. */
const char *store_key_of(arena *ar, const char *action, const char *share)
{
    return store_afmt(ar, "%s\x1f%s", action, share);
}

int store_collect_id(void *ctx, int64_t id)
{
    idvec *iv = ctx;
    if (store_grow((void **)&iv->v, &iv->cap, iv->n, sizeof *iv->v))
        return POSTURE_ENOMEM;
    iv->v[iv->n++] = id;
    return 0;
}

void store_fvec_release(fvec *v)
{
    free(v->f);
    free(v->k);
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

int store_snap_into_cb(void *ctx, const sb_snapshot *sn)
{
    snap_into *x = ctx;
    snapshot_copy(x->o, sn);
    x->o->at = arena_strdup(x->ar, sn->at);
    x->o->change = arena_strdup(x->ar, sn->change);
    x->o->template_version = arena_strdup(x->ar, sn->template_version);
    *x->have = 1;
    return x->o->at && x->o->change && x->o->template_version ? 0 : OOM();
}

int store_read_for(posture_store *s, const char *name, posture_store_mem *m, per_assessment_fn fn,
                   void *ctx)
{
    int rc = s->ops->begin(s->be, 0);
    if (rc)
        return rc;
    arow a;
    rc = store_get_assessment(s, &m->a, name, &a);
    if (rc == 0)
        rc = fn(s, a.id, ctx);
    s->ops->rollback(s->be);
    return rc;
}

int store_finish_list(posture_store_mem *m, int rc, void *v, size_t n, size_t size,
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

static int alist_cb(void *ctx, const sb_assessment *a)
{
    alist *l = ctx;
    if (store_grow((void **)&l->v, &l->cap, l->n, sizeof *l->v) ||
        store_grow((void **)&l->ids, &l->capids, l->n, sizeof *l->ids))
        return POSTURE_ENOMEM;
    posture_stored_assessment *o = &l->v[l->n];
    memset(o, 0, sizeof *o);
    arow r;
    arow_ctx c = {l->ar, &r};
    int rc = store_copy_arow(&c, a);
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

/* List assessments (name = one of them) with their latest snapshots, in a read transaction. */
int store_list_assessments(posture_store *s, const char *grp, const char *name,
                           posture_store_mem *m, alist *l)
{
    int rc = name ? s->ops->assessment_by_name(s->be, name, alist_cb, l)
                  : s->ops->assessment_list(s->be, grp, alist_cb, l);
    if (rc == POSTURE_ENOTFOUND)
        return posture_error_set(POSTURE_ENOTFOUND, "no assessment named \"%s\"", name);
    for (size_t i = 0; rc == 0 && i < l->n; i++) {
        snap_into x = {&m->a, &l->v[i].latest, &l->v[i].has_snapshot};
        rc = s->ops->snapshot_latest(s->be, l->ids[i], store_snap_into_cb, &x);
    }
    return rc;
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
    rc = store_get_assessment(s, &ar, name, &a);
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
    const char *key = store_key_of(g->ar, r->action, r->share);
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
    posture_store_mem *m = store_mem_new();
    if (!m)
        return OOM();
    alist l = {.ar = &m->a};
    int64_t ach = 0, pos = 0, keys = 0;
    int rc = s->ops->begin(s->be, 0);
    if (rc == 0) {
        rc = store_list_assessments(s, group, NULL, m, &l);
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
    return store_finish_list(m, rc, l.v, l.n, sizeof *l.v, mem, (const void **)items, n);
}
