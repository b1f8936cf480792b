/*
 * coverage.c - an assessed template projected onto another through mapping collections and
 * shared actions (posture/coverage.h; the rules: docs/mappings.md). Nothing here scores: the
 * projected answers are scored by posture_score().
 */
#include "posture/coverage.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/strmap.h"

struct posture_coverage {
    arena mem;
    const posture_result *source;
    const posture_template *target;
    posture_answers *answers;           /* the projected answers (owned) */
    posture_result *result;             /* their score (owned) */
    posture_coverage_control *controls; /* one per target control */
    posture_implied *action_implies;    /* one per target action */
    const posture_mapping_collection **used;
    size_t *used_maps;
    size_t nused;
};

static const char *const implied_tokens[POSTURE_IMPLIES__COUNT] = {
    "none", "in_progress", "partial", "covered", "failed"};

const char *posture_implied_token(posture_implied i)
{
    return (unsigned)i < POSTURE_IMPLIES__COUNT ? implied_tokens[i] : "?";
}

/* equal-to, equivalent-to, superset-of: the source controls ask for all the target asks. */
static int full_relation(posture_relation r)
{
    return r == POSTURE_REL_EQUAL_TO || r == POSTURE_REL_EQUIVALENT_TO ||
           r == POSTURE_REL_SUPERSET_OF;
}

/* The claim of a link: docs/mappings.md, "What a mapping implies". */
static posture_implied implies_of(posture_control_status s, posture_relation r)
{
    switch (s) {
    case POSTURE_CSTATUS_PASSED:
        return full_relation(r) ? POSTURE_IMPLIES_COVERED : POSTURE_IMPLIES_PARTIAL;
    case POSTURE_CSTATUS_FAILED:
        return full_relation(r) ? POSTURE_IMPLIES_FAILED : POSTURE_IMPLIES_IN_PROGRESS;
    case POSTURE_CSTATUS_IN_PROGRESS:
        return POSTURE_IMPLIES_IN_PROGRESS;
    default:
        return POSTURE_IMPLIES_NONE;
    }
}

/*
 * The status of several source controls taken together (one side of a map): passed when
 * every one passed, failed when any failed, not assessed when none is assessed (not assessed
 * or out of scope), out of scope when all are; in progress otherwise. One control: its own.
 */
static posture_control_status set_status(const posture_result *r, const size_t *ix, size_t n,
                                         posture_test *worst)
{
    size_t passed = 0, failed = 0, none = 0, oos = 0;
    *worst = POSTURE_TEST_NOT_ASSESSED;
    const posture_template *t = posture_result_template(r);
    for (size_t k = 0; k < n; k++) {
        const posture_control_result *cr = posture_result_control(r, ix[k]);
        switch (cr->status) {
        case POSTURE_CSTATUS_PASSED: passed++; break;
        case POSTURE_CSTATUS_FAILED: failed++; break;
        case POSTURE_CSTATUS_NOT_ASSESSED: none++; break;
        case POSTURE_CSTATUS_OUT_OF_SCOPE: oos++; break;
        default: break;
        }
        if (cr->status != POSTURE_CSTATUS_FAILED)
            continue;
        const posture_control *c = posture_template_control(t, ix[k]);
        for (size_t j = 0; j < c->nactions; j++) {
            const posture_action_result *ar = posture_result_action(r, c->actions[j]);
            if (ar->status == POSTURE_ASTATUS_FAILED && ar->test > *worst)
                *worst = ar->test; /* failed_low < failed_medium < failed_high */
        }
    }
    if (passed == n)
        return POSTURE_CSTATUS_PASSED;
    if (failed)
        return POSTURE_CSTATUS_FAILED;
    if (oos == n)
        return POSTURE_CSTATUS_OUT_OF_SCOPE;
    if (none + oos == n)
        return POSTURE_CSTATUS_NOT_ASSESSED;
    return POSTURE_CSTATUS_IN_PROGRESS;
}

static unsigned long major_of(const char *v) { return strtoul(v, NULL, 10); }

/* A link waiting to be grouped by its target control. */
typedef struct pending {
    size_t target;
    posture_coverage_link link;
} pending;

typedef struct builder {
    posture_coverage *c;
    posture_diags *diags;
    pending *p;
    size_t np, cap;
    int rc;
} builder;

static int oom(builder *b)
{
    b->rc = posture_error_set(POSTURE_ENOMEM, "out of memory");
    return b->rc;
}

static int push(builder *b, size_t target, const posture_coverage_link *l)
{
    if (b->np == b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 64;
        pending *p = realloc(b->p, cap * sizeof *p);
        if (!p)
            return oom(b);
        b->p = p;
        b->cap = cap;
    }
    b->p[b->np].target = target;
    b->p[b->np++].link = *l;
    return 0;
}

/* Resolve `n` ids in template `t` into the arena; NULL when one is unknown (or no memory). */
static size_t *resolve(builder *b, const posture_template *t, const char *const *ids, size_t n)
{
    size_t *v = arena_alloc(&b->c->mem, (n ? n : 1) * sizeof *v);
    if (!v) {
        oom(b);
        return NULL;
    }
    for (size_t k = 0; k < n; k++) {
        long i = posture_template_find_control(t, ids[k]);
        if (i < 0)
            return NULL;
        v[k] = (size_t)i;
    }
    return v;
}

/* The maps of one set, read from the source side (`reverse`: the set's targets are it). */
static size_t add_set(builder *b, const posture_mapping_collection *coll, size_t si, int reverse)
{
    const posture_result *src = b->c->source;
    const posture_template *st = posture_result_template(src), *tt = b->c->target;
    const posture_mapping_set *s = posture_mapping_set_get(coll, si);
    int bad = posture_mapping_check(coll, si, reverse ? tt : st, reverse ? st : tt,
                                    POSTURE_SEV_WARNING, b->diags);
    if (bad < 0) {
        b->rc = bad;
        return 0;
    }
    size_t used = 0;
    for (size_t k = 0; k < s->nmaps && !b->rc; k++) {
        const posture_map *m = &s->maps[k];
        const char *const *sid = reverse ? m->targets : m->sources;
        const char *const *tid = reverse ? m->sources : m->targets;
        size_t ns = reverse ? m->ntargets : m->nsources, nt = reverse ? m->nsources : m->ntargets;
        posture_coverage_link l = {0};
        l.sources = resolve(b, st, sid, ns);
        size_t *tix = l.sources ? resolve(b, tt, tid, nt) : NULL;
        if (!tix)
            continue; /* an unknown id: warned about above */
        l.nsources = ns;
        l.relation = reverse ? posture_relation_inverse(m->relation) : m->relation;
        l.collection = coll;
        l.map = m;
        l.status = set_status(src, l.sources, ns, &l.worst_failed);
        l.implies = implies_of(l.status, l.relation);
        for (size_t j = 0; j < nt && !b->rc; j++)
            push(b, tix[j], &l);
        used++;
    }
    return used;
}

static void find_links(builder *b, const posture_mapping_collection *const *colls, size_t n)
{
    posture_coverage *c = b->c;
    const posture_template_info *si = posture_template_info_get(posture_result_template(c->source));
    const posture_template_info *ti = posture_template_info_get(c->target);
    c->used = arena_alloc(&c->mem, (n ? n : 1) * sizeof *c->used);
    c->used_maps = arena_alloc(&c->mem, (n ? n : 1) * sizeof *c->used_maps);
    if (!c->used || !c->used_maps) {
        oom(b);
        return;
    }
    size_t relevant = 0;
    for (size_t i = 0; i < n && !b->rc; i++) {
        size_t maps = 0;
        for (size_t k = 0; k < posture_mapping_set_count(colls[i]) && !b->rc; k++) {
            const posture_mapping_set *s = posture_mapping_set_get(colls[i], k);
            int fwd = strcmp(s->source_id, si->id) == 0 && strcmp(s->target_id, ti->id) == 0;
            int rev = !fwd && strcmp(s->source_id, ti->id) == 0 && strcmp(s->target_id, si->id) == 0;
            if (!fwd && !rev)
                continue;
            relevant++;
            const char *sv = fwd ? s->source_version : s->target_version;
            const char *tv = fwd ? s->target_version : s->source_version;
            if (major_of(sv) != major_of(si->version) || major_of(tv) != major_of(ti->version)) {
                if (posture_diags_add(b->diags, POSTURE_SEV_WARNING,
                                      posture_mapping_info_get(colls[i])->file, s->place,
                                      "control ids may differ between major versions; use a "
                                      "collection for these versions",
                                      "maps %s and %s, not %s@%s and %s@%s: not used",
                                      s->source, s->target, si->id, si->version, ti->id,
                                      ti->version) != 0)
                    oom(b);
                continue;
            }
            maps += add_set(b, colls[i], k, rev);
        }
        if (maps) {
            c->used[c->nused] = colls[i];
            c->used_maps[c->nused++] = maps;
        }
    }
    if (!b->rc && relevant == 0 &&
        posture_diags_add(b->diags, POSTURE_SEV_WARNING, NULL, NULL,
                          "give the directory of a collection with --mappings DIR",
                          "no mapping collection relates %s and %s: only their shared actions "
                          "are projected", si->id, ti->id) != 0)
        oom(b);
}

/* Group the links by target control (stable: collection order, then map order). */
static void group_links(builder *b)
{
    posture_coverage *c = b->c;
    size_t nc = posture_template_control_count(c->target);
    size_t *count = calloc(nc + 1, sizeof *count);
    posture_coverage_link *all = arena_alloc(&c->mem, (b->np ? b->np : 1) * sizeof *all);
    if (!count || !all) {
        free(count);
        oom(b);
        return;
    }
    for (size_t i = 0; i < b->np; i++)
        count[b->p[i].target + 1]++;
    for (size_t i = 0; i < nc; i++)
        count[i + 1] += count[i];
    for (size_t i = 0; i < nc; i++) {
        c->controls[i].links = all + count[i];
        c->controls[i].nlinks = count[i + 1] - count[i];
    }
    for (size_t i = 0; i < b->np; i++)
        all[count[b->p[i].target]++] = b->p[i].link;
    free(count);
}

/* Shared and own actions of each control, and the claim of each control and action. */
static void classify(builder *b)
{
    posture_coverage *c = b->c;
    const posture_template *st = posture_result_template(c->source), *tt = c->target;
    for (size_t i = 0; i < posture_template_control_count(tt); i++) {
        posture_coverage_control *cc = &c->controls[i];
        const posture_control *ctl = posture_template_control(tt, i);
        cc->index = i;
        size_t *sh = arena_alloc(&c->mem, (ctl->nactions ? ctl->nactions : 1) * sizeof *sh);
        size_t *own = arena_alloc(&c->mem, (ctl->nactions ? ctl->nactions : 1) * sizeof *own);
        if (!sh || !own) {
            oom(b);
            return;
        }
        for (size_t k = 0; k < ctl->nactions; k++) {
            const posture_action *a = posture_template_action(tt, ctl->actions[k]);
            if (posture_template_find_action(st, a->id) >= 0)
                sh[cc->nshared++] = ctl->actions[k];
            else
                own[cc->nown++] = ctl->actions[k];
        }
        cc->shared = sh;
        cc->own = own;
        for (size_t k = 0; k < cc->nlinks; k++)
            if (cc->links[k].implies > cc->implies)
                cc->implies = cc->links[k].implies;
        for (size_t k = 0; k < cc->nown; k++)
            if (cc->implies > c->action_implies[cc->own[k]])
                c->action_implies[cc->own[k]] = cc->implies;
    }
}

/* The answer a claim stands for. */
static void implied_answer(posture_implied i, posture_test worst, posture_answer *a)
{
    a->implementation = i == POSTURE_IMPLIES_COVERED ? POSTURE_IMPL_IMPLEMENTED
                                                     : POSTURE_IMPL_PARTIAL;
    a->test = i == POSTURE_IMPLIES_IN_PROGRESS ? POSTURE_TEST_IN_PROGRESS
              : i == POSTURE_IMPLIES_FAILED    ? worst
                                               : POSTURE_TEST_PASSED;
}

/* The worst failed test among the failing links of the controls referencing action `ai`. */
static posture_test worst_for(const posture_coverage *c, size_t ai)
{
    size_t n;
    const size_t *ctls = posture_template_action_controls(c->target, ai, &n);
    posture_test w = POSTURE_TEST_FAILED_LOW;
    for (size_t k = 0; k < n; k++) {
        const posture_coverage_control *cc = &c->controls[ctls[k]];
        for (size_t j = 0; j < cc->nlinks; j++)
            if (cc->links[j].implies == POSTURE_IMPLIES_FAILED && cc->links[j].worst_failed > w)
                w = cc->links[j].worst_failed;
    }
    return w;
}

static int project_answers(builder *b)
{
    posture_coverage *c = b->c;
    const posture_template *st = posture_result_template(c->source), *tt = c->target;
    const posture_answers *sa = posture_result_answers(c->source);
    const posture_template_info *ti = posture_template_info_get(tt);
    int rc = posture_answers_new(&c->answers);
    if (rc)
        return rc;
    char ref[160];
    snprintf(ref, sizeof ref, "%s@%s", ti->id, ti->version);
    if ((rc = posture_answers_set_template(c->answers, ref, ti->version)) != 0 ||
        (rc = posture_answers_set_info(c->answers, posture_answers_info(sa))) != 0)
        return rc;
    for (size_t i = 0; i < posture_template_action_count(tt); i++) {
        const posture_action *act = posture_template_action(tt, i);
        long si = posture_template_find_action(st, act->id);
        posture_answer a;
        if (si >= 0) {
            const posture_answer *given = posture_answers_for_action(sa, (size_t)si);
            if (!given)
                continue;
            a = *given;
        } else if (c->action_implies[i] != POSTURE_IMPLIES_NONE) {
            memset(&a, 0, sizeof a);
            a.action = act->id;
            implied_answer(c->action_implies[i], worst_for(c, i), &a);
        } else {
            continue;
        }
        a.action_index = -1;
        a.place = NULL;
        if ((rc = posture_answers_add(c->answers, &a)) != 0)
            return rc;
    }
    /* the projected answers name only the target's own actions: they always resolve */
    if ((rc = posture_answers_resolve(c->answers, tt, "coverage", NULL)) != 0)
        return rc;
    return posture_score(tt, c->answers, posture_result_profile(c->source), &c->result);
}

int posture_coverage_project(const posture_result *source, const posture_template *target,
                             const posture_mapping_collection *const *collections,
                             size_t ncollections, posture_diags *diags, posture_coverage **out)
{
    *out = NULL;
    if (!source || !target)
        return posture_error_set(POSTURE_EUSAGE, "posture_coverage_project: no source or target");
    builder b = {0};
    b.diags = diags;
    posture_coverage *c = b.c = calloc(1, sizeof *c);
    if (!c)
        return posture_error_set(POSTURE_ENOMEM, "out of memory");
    arena_init(&c->mem);
    c->source = source;
    c->target = target;
    size_t nc = posture_template_control_count(target), na = posture_template_action_count(target);
    c->controls = arena_alloc(&c->mem, (nc ? nc : 1) * sizeof *c->controls);
    c->action_implies = arena_alloc(&c->mem, (na ? na : 1) * sizeof *c->action_implies);
    if (!c->controls || !c->action_implies) {
        oom(&b);
        goto done;
    }
    memset(c->controls, 0, (nc ? nc : 1) * sizeof *c->controls);
    memset(c->action_implies, 0, (na ? na : 1) * sizeof *c->action_implies);
    find_links(&b, collections, ncollections);
    if (!b.rc)
        group_links(&b);
    if (!b.rc)
        classify(&b);
    if (!b.rc)
        b.rc = project_answers(&b);
done:
    free(b.p);
    if (b.rc) {
        if (b.rc == POSTURE_ENOMEM)
            posture_error_set(POSTURE_ENOMEM, "out of memory");
        posture_coverage_free(c);
        return b.rc;
    }
    *out = c;
    return 0;
}

void posture_coverage_free(posture_coverage *c)
{
    if (!c)
        return;
    posture_result_free(c->result);
    posture_answers_free(c->answers);
    arena_release(&c->mem);
    free(c);
}

const posture_result *posture_coverage_source(const posture_coverage *c) { return c->source; }
const posture_result *posture_coverage_result(const posture_coverage *c) { return c->result; }

size_t posture_coverage_control_count(const posture_coverage *c)
{
    return posture_template_control_count(c->target);
}

const posture_coverage_control *posture_coverage_control_get(const posture_coverage *c, size_t i)
{
    return i < posture_template_control_count(c->target) ? &c->controls[i] : NULL;
}

posture_implied posture_coverage_action_implies(const posture_coverage *c, size_t i)
{
    return i < posture_template_action_count(c->target) ? c->action_implies[i]
                                                        : POSTURE_IMPLIES_NONE;
}

size_t posture_coverage_collection_count(const posture_coverage *c) { return c->nused; }

const posture_mapping_collection *posture_coverage_collection_get(const posture_coverage *c,
                                                                  size_t i)
{
    return i < c->nused ? c->used[i] : NULL;
}

size_t posture_coverage_collection_maps(const posture_coverage *c, size_t i)
{
    return i < c->nused ? c->used_maps[i] : 0;
}

posture_coverage_counts posture_coverage_counts_get(const posture_coverage *c)
{
    posture_coverage_counts n = {0, 0, 0};
    for (size_t i = 0; i < posture_template_control_count(c->target); i++) {
        const posture_coverage_control *cc = &c->controls[i];
        n.mapped += cc->nlinks > 0;
        n.sharing += cc->nshared > 0;
        n.neither += !cc->nlinks && !cc->nshared;
    }
    return n;
}
