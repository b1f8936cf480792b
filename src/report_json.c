/* report_json.c - the posture-summary/1 JSON document, a view of the score result. */
#include "posture/report_json.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "posture.h"

time_t posture_report_time(void)
{
    const char *s = getenv("SOURCE_DATE_EPOCH");
    if (s && *s) {
        char *end;
        errno = 0;
        long long v = strtoll(s, &end, 10);
        if (!errno && !*end && v >= 0)
            return (time_t)v;
    }
    return time(NULL);
}

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
 * The tree lives only inside posture_report_json(), while the result, the
 * template and the answers it borrows from are alive: their strings are
 * referenced, not copied, which halves the cost of building the tree.
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

static cJSON *build(jb *b, const posture_result *r, const posture_json_options *opt)
{
    const posture_template *t = posture_result_template(r);
    const posture_template_info *ti = posture_template_info_get(t);
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

    /* attached first, filled after: NULL when it could not be attached */
    cJSON *fams = add(b, doc, "families", cJSON_CreateArray());
    for (size_t i = 0; i < posture_result_family_count(r) && !b->oom; i++) {
        const posture_family_result *fr = posture_result_family(r, i);
        cJSON *o = cJSON_CreateObject();
        add(b, o, "id", ref(fr->family->id));
        add(b, o, "title", ref(fr->family->title));
        add(b, o, "score", points_obj(b, &fr->score));
        add(b, o, "controls", control_counts(b, fr->controls, fr->controls_total));
        push(b, fams, o);
    }

    cJSON *ctls = add(b, doc, "controls", cJSON_CreateArray());
    for (size_t i = 0; i < posture_result_control_count(r) && !b->oom; i++) {
        const posture_control_result *cr = posture_result_control(r, i);
        const posture_control *c = cr->control;
        cJSON *o = cJSON_CreateObject();
        add(b, o, "id", ref(c->id));
        add(b, o, "family", ref(posture_template_family(t, c->family)->id));
        add(b, o, "title", ref(c->title));
        add(b, o, "status", ref(posture_control_status_token(cr->status)));
        add(b, o, "score", points_obj(b, &cr->score));
        cJSON *ids = cJSON_CreateArray();
        for (size_t k = 0; k < c->nactions; k++)
            push(b, ids,
                                 ref(posture_template_action(t, c->actions[k])->id));
        add(b, o, "actions", ids);
        add(b, o, "applicable", cJSON_CreateBool(cr->applicable));
        add(b, o, "justification", str_or_null(cr->justification));
        push(b, ctls, o);
    }

    cJSON *acts = add(b, doc, "actions", cJSON_CreateArray());
    for (size_t i = 0; i < posture_result_action_count(r) && !b->oom; i++) {
        const posture_action_result *ar = posture_result_action(r, i);
        const posture_action *x = ar->action;
        const posture_answer *an = ar->answer;
        cJSON *o = cJSON_CreateObject();
        add(b, o, "id", ref(x->id));
        add(b, o, "title", ref(x->title));
        add(b, o, "type", ref(posture_action_type_token(x->type)));
        add(b, o, "enforcement", ref(posture_enforcement_token(x->enforcement)));
        add(b, o, "implementation_type", ref(posture_impl_type_token(x->impl_type)));
        add(b, o, "owner", ref(posture_owner_token(x->owner)));
        add(b, o, "points", cJSON_CreateNumber(ar->points));
        add(b, o, "implementation",
            ref(posture_implementation_token(ar->implementation)));
        add(b, o, "test", ref(posture_test_token(ar->test)));
        add(b, o, "status", ref(posture_action_status_token(ar->status)));
        add(b, o, "credit", num_x100(ar->credit));
        add(b, o, "achieved", num_x100(ar->achieved_x100));
        size_t nref;
        const size_t *refs = posture_template_action_controls(t, i, &nref);
        cJSON *cs = cJSON_CreateArray();
        for (size_t k = 0; k < nref; k++)
            push(b, cs, ref(posture_template_control(t, refs[k])->id));
        add(b, o, "controls", cs);
        const char *tested_at = an ? an->tested_at
                                   : (ar->answered_by_provider ? x->provider_tested_at : NULL);
        add(b, o, "tested_at", str_or_null(tested_at));
        add(b, o, "assigned_to", str_or_null(an ? an->assigned_to : NULL));
        add(b, o, "notes", str_or_null(an ? an->notes : NULL));
        cJSON *ev = cJSON_CreateArray();
        for (size_t k = 0; an && k < an->nevidence; k++)
            push(b, ev, ref(an->evidence[k]));
        add(b, o, "evidence", ev);
        push(b, acts, o);
    }

    cJSON *imps = add(b, doc, "improvement_actions", cJSON_CreateArray());
    for (size_t i = 0; i < posture_result_improvement_count(r) && !b->oom; i++) {
        const posture_improvement *im = posture_result_improvement(r, i);
        const posture_action *x = posture_template_action(t, im->action);
        cJSON *o = cJSON_CreateObject();
        add(b, o, "id", ref(x->id));
        add(b, o, "title", ref(x->title));
        add(b, o, "gain", num_x100(im->gain_x100));
        add(b, o, "gain_percent", im->has_percent ? num_x100(im->gain_percent_x100) : cJSON_CreateNull());
        add(b, o, "risk", str_or_null(posture_risk_token(im->risk)));
        push(b, imps, o);
    }
    return doc;
}

int posture_report_json(const posture_result *r, const posture_json_options *opt, char **out)
{
    *out = NULL;
    jb b = {0};
    cJSON *doc = build(&b, r, opt);
    char *s = NULL;
    if (doc && !b.oom)
        s = (opt && opt->compact) ? cJSON_PrintUnformatted(doc) : cJSON_Print(doc);
    cJSON_Delete(doc);
    if (!s)
        return posture_error_set(POSTURE_ENOMEM, "out of memory");
    size_t n = strlen(s);
    char *t = realloc(s, n + 2);
    if (!t) {
        free(s);
        return posture_error_set(POSTURE_ENOMEM, "out of memory");
    }
    t[n] = '\n';
    t[n + 1] = '\0';
    *out = t;
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
