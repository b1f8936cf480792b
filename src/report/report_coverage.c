/* report_coverage.c - the posture-coverage/1 JSON document, a view of a coverage projection. */
#include "posture/report_coverage.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "posture/version.h"

/* As report_json.c: every item is attached through add()/push(), which remember a failure. */
typedef struct jb {
    int oom;
} jb;

static cJSON *add(jb *b, cJSON *o, const char *k, cJSON *v)
{
    if (!v || !o || !cJSON_AddItemToObjectCS(o, k, v)) {
        cJSON_Delete(v);
        b->oom = 1;
        return NULL;
    }
    return v;
}

static cJSON *push(jb *b, cJSON *a, cJSON *v)
{
    if (!v || !a || !cJSON_AddItemToArray(a, v)) {
        cJSON_Delete(v);
        b->oom = 1;
        return NULL;
    }
    return v;
}

/* Strings of the inputs are referenced: the tree lives only inside the render call. */
static cJSON *ref(const char *s) { return s ? cJSON_CreateStringReference(s) : cJSON_CreateNull(); }

static cJSON *num(double v) { return cJSON_CreateNumber(v); }

static cJSON *points(jb *b, const posture_points *p)
{
    cJSON *o = cJSON_CreateObject();
    add(b, o, "achieved", num((double)p->achieved_x100 / 100.0));
    add(b, o, "possible", num((double)p->possible_x100 / 100.0));
    add(b, o, "percent", p->has_percent ? num((double)p->percent_x100 / 100.0) : cJSON_CreateNull());
    return o;
}

static cJSON *template_obj(jb *b, const posture_template *t)
{
    const posture_template_info *ti = posture_template_info_get(t);
    cJSON *o = cJSON_CreateObject();
    add(b, o, "id", ref(ti->id));
    add(b, o, "version", ref(ti->version));
    add(b, o, "title", ref(ti->title));
    return o;
}

static cJSON *control_counts(jb *b, const posture_result *r)
{
    size_t total;
    const size_t *cc = posture_result_control_counts(r, &total);
    cJSON *o = cJSON_CreateObject();
    add(b, o, "total", num((double)total));
    for (int s = 0; s < POSTURE_CSTATUS__COUNT; s++)
        add(b, o, posture_control_status_token((posture_control_status)s), num((double)cc[s]));
    return o;
}

static cJSON *head(jb *b, const posture_coverage *c, const posture_json_options *opt)
{
    const posture_result *src = posture_coverage_source(c), *res = posture_coverage_result(c);
    const posture_assessment_info *ai = posture_answers_info(posture_result_answers(src));
    cJSON *doc = cJSON_CreateObject();
    add(b, doc, "format", ref("posture-coverage/1"));
    cJSON *gen = cJSON_CreateObject();
    add(b, gen, "name", ref("posture"));
    add(b, gen, "version", ref(POSTURE_VERSION));
    add(b, doc, "generator", gen);
    char when[32];
    time_t at = opt ? opt->generated_at : posture_report_time();
    struct tm tm;
    gmtime_r(&at, &tm);
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
    add(b, doc, "generated_at", cJSON_CreateString(when));
    add(b, doc, "profile", ref(posture_profile_id(posture_result_profile(res))));

    cJSON *from = cJSON_CreateObject();
    add(b, from, "template", template_obj(b, posture_result_template(src)));
    cJSON *as = cJSON_CreateObject();
    add(b, as, "name", ref(ai->name));
    add(b, as, "organization", ref(ai->organization));
    add(b, as, "scope", ref(ai->scope));
    add(b, as, "group", ref(ai->group ? ai->group : "default"));
    add(b, as, "assessed_at", ref(ai->assessed_at));
    add(b, from, "assessment", as);
    add(b, from, "score", points(b, posture_result_total(src)));
    add(b, doc, "from", from);

    add(b, doc, "template", template_obj(b, posture_result_template(res)));
    add(b, doc, "score", points(b, posture_result_total(res)));
    posture_coverage_counts n = posture_coverage_counts_get(c);
    cJSON *counts = cJSON_CreateObject();
    add(b, counts, "controls", control_counts(b, res));
    add(b, counts, "mapped", num((double)n.mapped));
    add(b, counts, "sharing", num((double)n.sharing));
    add(b, counts, "neither", num((double)n.neither));
    add(b, doc, "counts", counts);

    cJSON *maps = add(b, doc, "mappings", cJSON_CreateArray());
    for (size_t i = 0; i < posture_coverage_collection_count(c); i++) {
        const posture_mapping_info *mi =
            posture_mapping_info_get(posture_coverage_collection_get(c, i));
        cJSON *m = push(b, maps, cJSON_CreateObject());
        add(b, m, "file", ref(mi->name));
        add(b, m, "title", ref(mi->title));
        add(b, m, "version", ref(mi->version));
        add(b, m, "method", ref(mi->method));
        add(b, m, "matching_rationale", ref(mi->matching_rationale));
        add(b, m, "status", ref(mi->status));
        add(b, m, "maps", num((double)posture_coverage_collection_maps(c, i)));
    }
    return doc;
}

static cJSON *control(jb *b, const posture_coverage *c, size_t i)
{
    const posture_result *src = posture_coverage_source(c), *res = posture_coverage_result(c);
    const posture_template *st = posture_result_template(src), *tt = posture_result_template(res);
    const posture_coverage_control *cc = posture_coverage_control_get(c, i);
    const posture_control_result *cr = posture_result_control(res, i);
    const posture_control *ctl = cr->control;
    cJSON *o = cJSON_CreateObject();
    add(b, o, "family", ref(posture_template_family(tt, ctl->family)->id));
    add(b, o, "id", ref(ctl->id));
    add(b, o, "title", ref(ctl->title));
    add(b, o, "status", ref(posture_control_status_token(cr->status)));
    add(b, o, "score", points(b, &cr->score));
    add(b, o, "implies", ref(posture_implied_token(cc->implies)));
    cJSON *sh = add(b, o, "shared_actions", cJSON_CreateArray());
    for (size_t k = 0; k < cc->nshared; k++)
        push(b, sh, ref(posture_template_action(tt, cc->shared[k])->id));
    cJSON *pr = add(b, o, "projected_actions", cJSON_CreateArray());
    for (size_t k = 0; k < cc->nown; k++) {
        cJSON *a = push(b, pr, cJSON_CreateObject());
        add(b, a, "action", ref(posture_template_action(tt, cc->own[k])->id));
        add(b, a, "implies", ref(posture_implied_token(posture_coverage_action_implies(c, cc->own[k]))));
    }
    cJSON *mapped = add(b, o, "mapped", cJSON_CreateArray());
    for (size_t k = 0; k < cc->nlinks; k++) {
        const posture_coverage_link *l = &cc->links[k];
        cJSON *m = push(b, mapped, cJSON_CreateObject());
        cJSON *ids = add(b, m, "controls", cJSON_CreateArray());
        for (size_t j = 0; j < l->nsources; j++) {
            const posture_control *sc = posture_template_control(st, l->sources[j]);
            cJSON *x = push(b, ids, cJSON_CreateObject());
            add(b, x, "id", ref(sc->id));
            add(b, x, "title", ref(sc->title));
            add(b, x, "status",
                ref(posture_control_status_token(posture_result_control(src, l->sources[j])->status)));
        }
        add(b, m, "relation", ref(posture_relation_token(l->relation)));
        add(b, m, "source", ref(posture_mapping_info_get(l->collection)->name));
        add(b, m, "status", ref(posture_control_status_token(l->status)));
        add(b, m, "implies", ref(posture_implied_token(l->implies)));
    }
    return o;
}

int posture_report_coverage_json(const posture_coverage *c, const posture_json_options *opt,
                                 char **out)
{
    *out = NULL;
    jb b = {0};
    cJSON *doc = head(&b, c, opt);
    cJSON *list = add(&b, doc, "controls", cJSON_CreateArray());
    for (size_t i = 0; i < posture_coverage_control_count(c) && !b.oom; i++)
        push(&b, list, control(&b, c, i));
    char *text = NULL;
    if (!b.oom && doc)
        text = opt && opt->compact ? cJSON_PrintUnformatted(doc) : cJSON_Print(doc);
    cJSON_Delete(doc);
    if (!text)
        return posture_error_set(POSTURE_ENOMEM, "out of memory");
    size_t n = strlen(text);
    char *s = realloc(text, n + 2);
    if (!s) {
        free(text);
        return posture_error_set(POSTURE_ENOMEM, "out of memory");
    }
    s[n] = '\n';
    s[n + 1] = '\0';
    *out = s;
    return 0;
}
