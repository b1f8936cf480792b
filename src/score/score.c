/* score.c - the scoring core: every rule of scoring.md, in integers. No I/O. */
#include "posture/score.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "model/template_ids.h"

struct posture_result {
    const posture_template *t;
    const posture_answers *a;
    const posture_profile *p;
    posture_points total;
    size_t ccounts[POSTURE_CSTATUS__COUNT], ctotal;
    size_t acounts[POSTURE_ASTATUS__COUNT], atotal;
    posture_family_result *fams;
    posture_control_result *ctls;
    posture_action_result *acts;
    posture_improvement *imps;
    size_t nfams, nctls, nacts, nimps;
};

int64_t posture_percent_x100(int64_t part_x100, int64_t whole_x100)
{
    /* 100 * part / whole in hundredths, half away from zero (part >= 0) */
    return (20000 * part_x100 + whole_x100) / (2 * whole_x100);
}

static void finish_points(posture_points *p)
{
    p->has_percent = p->possible_x100 > 0;
    p->percent_x100 = p->has_percent ? posture_percent_x100(p->achieved_x100, p->possible_x100) : 0;
}

static int out_of_scope(posture_implementation impl, posture_test test)
{
    return impl == POSTURE_IMPL_OUT_OF_SCOPE || test == POSTURE_TEST_OUT_OF_SCOPE;
}

static int is_failed(posture_test t)
{
    return t == POSTURE_TEST_FAILED_LOW || t == POSTURE_TEST_FAILED_MEDIUM ||
           t == POSTURE_TEST_FAILED_HIGH;
}

static posture_action_status action_status(const posture_action_result *r)
{
    if (!r->counted)
        return POSTURE_ASTATUS_OUT_OF_SCOPE;
    if (r->credit == 100 && r->test == POSTURE_TEST_PASSED)
        return POSTURE_ASTATUS_PASSED;
    if (is_failed(r->test))
        return POSTURE_ASTATUS_FAILED;
    if (r->credit > 0 && r->credit < 100)
        return POSTURE_ASTATUS_PARTIAL;
    if (r->implementation == POSTURE_IMPL_NOT_IMPLEMENTED && r->test == POSTURE_TEST_NOT_ASSESSED)
        return POSTURE_ASTATUS_NOT_ASSESSED;
    return POSTURE_ASTATUS_IN_PROGRESS;
}

static posture_risk risk_of(posture_test t)
{
    switch (t) {
    case POSTURE_TEST_FAILED_HIGH: return POSTURE_RISK_HIGH;
    case POSTURE_TEST_FAILED_MEDIUM: return POSTURE_RISK_MEDIUM;
    case POSTURE_TEST_FAILED_LOW: return POSTURE_RISK_LOW;
    default: return POSTURE_RISK_NONE;
    }
}

/*
 * Sorting improvement actions: gain descending, then risk, then id in byte
 * order. Gains are points (1-99) times the missing credit, at most 9900
 * hundredths, so gain and risk make a 16-bit key (gain_key()); when the
 * template's action ids ascend in template order (template_ids_ascending()),
 * the improvements, made in template order, are put straight into their
 * place by a counting sort on that key: linear in the number of actions.
 * Otherwise they are sorted on the keys below.
 */
#define GAIN_KEY_MAX 16383 /* gains above it (none with points 1-99) take the other sort */

static size_t gain_key(int64_t gain_x100, posture_risk risk)
{
    return (size_t)(GAIN_KEY_MAX - gain_x100) << 2 | ((size_t)risk & 3);
}

/*
 * Any other template: each entry gets a key, gain and risk in one integer,
 * and the 8 bytes that follow the prefix every id shares ("act.",
 * "act.b.0") as a big-endian integer, which orders like strcmp; only ids
 * equal in those bytes are compared whole.
 */
typedef struct imp_key {
    uint64_t order;   /* (2^40 - 1 - gain) << 8 | risk: gain < 2^38 (points are ints) */
    uint64_t idbytes; /* 8 bytes of the id after the common prefix */
    const char *id;
    size_t imp;       /* index into the unsorted improvements */
} imp_key;

static int cmp_imp_key(const void *x, const void *y)
{
    const imp_key *a = x, *b = y;
    if (a->order != b->order)
        return a->order < b->order ? -1 : 1;
    if (a->idbytes != b->idbytes)
        return a->idbytes < b->idbytes ? -1 : 1;
    return strcmp(a->id, b->id);
}

static int sort_by_keys(posture_result *r, posture_improvement *sorted)
{
    size_t n = r->nimps;
    imp_key *keys = malloc(n * sizeof *keys);
    if (!keys)
        return -1;
    const char *first = posture_template_action(r->t, r->imps[0].action)->id;
    size_t lcp = strlen(first);
    for (size_t i = 0; i < n; i++) {
        const char *id = posture_template_action(r->t, r->imps[i].action)->id;
        size_t k = 0;
        while (k < lcp && id[k] == first[k])
            k++;
        lcp = k;
        keys[i].id = id;
        keys[i].imp = i;
        keys[i].order = (((uint64_t)1 << 40) - 1 - (uint64_t)r->imps[i].gain_x100) << 8 |
                        (uint64_t)r->imps[i].risk;
    }
    for (size_t i = 0; i < n; i++) {
        const unsigned char *p = (const unsigned char *)keys[i].id + lcp;
        uint64_t v = 0;
        int ended = 0;
        for (int k = 0; k < 8; k++) {
            if (!ended && !p[k])
                ended = 1;
            v = v << 8 | (ended ? 0u : p[k]);
        }
        keys[i].idbytes = v;
    }
    qsort(keys, n, sizeof *keys, cmp_imp_key);
    for (size_t i = 0; i < n; i++)
        sorted[i] = r->imps[keys[i].imp];
    free(keys);
    return 0;
}

/* Put r->imps (in template order) in order; returns 0 or -1 when out of memory. */
static int sort_improvements(posture_result *r)
{
    size_t n = r->nimps;
    if (n < 2)
        return 0;
    posture_improvement *sorted = malloc(n * sizeof *sorted);
    if (!sorted || sort_by_keys(r, sorted) != 0) {
        free(sorted);
        return -1;
    }
    free(r->imps);
    r->imps = sorted;
    return 0;
}

/*
 * What the passes over the controls and the improvements read of an
 * action, packed: controls reference actions in any order, and at a
 * million actions each of those reads is a cache miss, or worse a TLB miss.
 * The scope pass reads one byte per action, the score pass 8 bytes, not the
 * 64 of a posture_action_result.
 */
enum { OOS = 1, COUNTED = 2 };  /* scope flags: out of scope by its own statuses; counted */

typedef struct act_sum {
    uint32_t stamp;             /* the family (index + 1) whose score has it; fewer than 2^32 */
    uint16_t points;            /* 1-99 (template.h, profile.h) */
    unsigned char credit;       /* 0-100 */
    unsigned char status;       /* posture_action_status | risk << 4, or NOT_COUNTED */
} act_sum;

#define NOT_COUNTED 0xff
#define SUM_STATUS(s) ((s)->status & 0x0f)
#define SUM_RISK(s) ((posture_risk)((s)->status >> 4))

/* Controls ahead whose actions are fetched into the cache before they are read. */
#define PREFETCH 8
#if defined(__GNUC__)
#define PREFETCH_RW(p) __builtin_prefetch((p), 1)
#else
#define PREFETCH_RW(p) ((void)(p))
#endif

int posture_score(const posture_template *t, const posture_answers *a, const posture_profile *p,
                  posture_result **out)
{
    *out = NULL;
    if (!t || !p)
        return posture_error_set(POSTURE_EUSAGE, "posture_score: no template or profile");
    if (a && posture_answers_resolved_template(a) != t)
        return posture_error_set(POSTURE_EUSAGE,
                                 "posture_score: the answers were not resolved against this template");
    int rc = 0;
    size_t na = posture_template_action_count(t), nc = posture_template_control_count(t),
           nf = posture_template_family_count(t);
    unsigned char *scope = NULL;
    act_sum *sum = NULL;
    size_t *place = NULL; /* counting sort: gain_key() -> next place */
    posture_result *r = calloc(1, sizeof *r);
    if (!r)
        goto oom;
    r->t = t;
    r->a = a;
    r->p = p;
    r->nacts = na;
    r->nctls = nc;
    r->nfams = nf;
    /* acts and ctls: every member set below */
    r->acts = malloc((na ? na : 1) * sizeof *r->acts);
    r->ctls = malloc((nc ? nc : 1) * sizeof *r->ctls);
    r->fams = calloc(nf ? nf : 1, sizeof *r->fams);
    scope = malloc(na ? na : 1);
    sum = malloc((na ? na : 1) * sizeof *sum);
    if (!r->acts || !r->ctls || !r->fams || !scope || !sum)
        goto oom;

    /* 1. each action's statuses (answer, else provider attestation, else defaults) */
    for (size_t i = 0; i < na; i++) {
        posture_action_result *ar = &r->acts[i];
        const posture_action *act = posture_template_action(t, i);
        *ar = (posture_action_result){.index = i,
                                      .action = act,
                                      .answer = a ? posture_answers_for_action(a, i) : NULL,
                                      .implementation = POSTURE_IMPL_NOT_IMPLEMENTED,
                                      .test = POSTURE_TEST_NOT_ASSESSED};
        if (ar->answer) {
            ar->implementation = ar->answer->implementation;
            ar->test = ar->answer->test;
        } else if (act->owner == POSTURE_OWNER_PROVIDER && act->has_provider_status) {
            ar->implementation = act->provider_implementation;
            ar->test = act->provider_test;
            ar->answered_by_provider = 1;
        }
        ar->points = act->points ? act->points
                                 : posture_profile_points(p, act->type, act->enforcement);
        ar->credit = posture_profile_credit(p, ar->implementation, ar->test);
        scope[i] = out_of_scope(ar->implementation, ar->test) ? OOS : 0;
    }

    /* 2. control scope; an action counts when in scope and in an in-scope control */
    for (size_t c = 0; c < nc; c++) {
        posture_control_result *cr = &r->ctls[c];
        const posture_control *ctl = posture_template_control(t, c);
        const posture_control_scope *sc = a ? posture_answers_for_control(a, c) : NULL;
        if (c + 2 * PREFETCH < nc)
            PREFETCH_RW(posture_template_control(t, c + 2 * PREFETCH)->actions);
        if (c + PREFETCH < nc) {
            const posture_control *ahead = posture_template_control(t, c + PREFETCH);
            for (size_t k = 0; k < ahead->nactions; k++)
                PREFETCH_RW(&scope[ahead->actions[k]]);
        }
        *cr = (posture_control_result){.index = c,
                                       .control = ctl,
                                       .applicable = !(sc && !sc->applicable),
                                       .justification = sc ? sc->justification : NULL};
        int any = 0;
        for (size_t k = 0; k < ctl->nactions && !any; k++)
            any = !(scope[ctl->actions[k]] & OOS);
        cr->in_scope = cr->applicable && any;
        if (cr->in_scope)
            for (size_t k = 0; k < ctl->nactions; k++)
                if (!(scope[ctl->actions[k]] & OOS))
                    scope[ctl->actions[k]] |= COUNTED;
    }

    /* 3. action results and the assessment score (each action once) */
    size_t key_lo = SIZE_MAX, key_hi = 0;
    int keyed = template_ids_ascending(t);
    for (size_t i = 0; i < na; i++) {
        posture_action_result *ar = &r->acts[i];
        ar->counted = !!(scope[i] & COUNTED);
        ar->status = action_status(ar);
        r->acounts[ar->status]++;
        sum[i] = (act_sum){.status = NOT_COUNTED};
        if (!ar->counted)
            continue;
        posture_risk risk = risk_of(ar->test);
        sum[i].points = (uint16_t)ar->points;
        sum[i].credit = (unsigned char)ar->credit;
        sum[i].status = (unsigned char)(ar->status | risk << 4);
        ar->achieved_x100 = (int64_t)ar->points * ar->credit;
        r->total.achieved_x100 += ar->achieved_x100;
        r->total.possible_x100 += (int64_t)ar->points * 100;
        if (ar->credit < 100) {
            r->nimps++;
            int64_t gain = (int64_t)ar->points * (100 - ar->credit);
            if (gain > GAIN_KEY_MAX) {
                keyed = 0;
            } else {
                size_t key = gain_key(gain, risk);
                key_lo = key < key_lo ? key : key_lo;
                key_hi = key > key_hi ? key : key_hi;
            }
        }
    }
    r->atotal = na;
    finish_points(&r->total);

    /*
     * 4. controls: score and status over their counted actions; and 5.
     * families: the union of their in-scope controls' actions. One pass: the
     * controls of a family are contiguous, so an action already counted for
     * the family is the one stamped with it.
     */
    for (size_t f = 0; f < nf; f++) {
        posture_family_result *fr = &r->fams[f];
        fr->index = f;
        fr->family = posture_template_family(t, f);
        fr->controls_total = fr->family->ncontrols;
    }
    for (size_t c = 0; c < nc; c++) {
        posture_control_result *cr = &r->ctls[c];
        const posture_control *ctl = cr->control;
        posture_family_result *fr = &r->fams[ctl->family];
        if (c + 2 * PREFETCH < nc)
            PREFETCH_RW(r->ctls[c + 2 * PREFETCH].control->actions);
        if (c + PREFETCH < nc) {
            const posture_control *ahead = r->ctls[c + PREFETCH].control;
            for (size_t k = 0; k < ahead->nactions; k++)
                PREFETCH_RW(&sum[ahead->actions[k]]);
        }
        uint32_t mark = (uint32_t)(ctl->family + 1);
        if (!cr->in_scope) {
            cr->status = POSTURE_CSTATUS_OUT_OF_SCOPE;
        } else {
            int all_passed = 1, any_failed = 0, all_na = 1;
            for (size_t k = 0; k < ctl->nactions; k++) {
                act_sum *s = &sum[ctl->actions[k]];
                if (s->status == NOT_COUNTED)
                    continue;
                int64_t achieved = (int64_t)s->points * s->credit,
                        possible = (int64_t)s->points * 100;
                cr->score.achieved_x100 += achieved;
                cr->score.possible_x100 += possible;
                all_passed &= SUM_STATUS(s) == POSTURE_ASTATUS_PASSED;
                any_failed |= SUM_STATUS(s) == POSTURE_ASTATUS_FAILED;
                all_na &= SUM_STATUS(s) == POSTURE_ASTATUS_NOT_ASSESSED;
                if (s->stamp != mark) {
                    s->stamp = mark;
                    fr->score.achieved_x100 += achieved;
                    fr->score.possible_x100 += possible;
                }
            }
            cr->status = all_passed   ? POSTURE_CSTATUS_PASSED
                         : any_failed ? POSTURE_CSTATUS_FAILED
                         : all_na     ? POSTURE_CSTATUS_NOT_ASSESSED
                                      : POSTURE_CSTATUS_IN_PROGRESS;
        }
        finish_points(&cr->score);
        r->ccounts[cr->status]++;
        fr->controls[cr->status]++;
    }
    r->ctotal = nc;
    for (size_t f = 0; f < nf; f++)
        finish_points(&r->fams[f].score);

    /* 6. improvement actions: gain descending, then risk, then id */
    r->imps = malloc((r->nimps ? r->nimps : 1) * sizeof *r->imps);
    if (!r->imps)
        goto oom;
    keyed = keyed && r->nimps > 1;
    if (keyed) {
        /* place[key] counts the keys below key_lo + 1 .. key, then is the next place of key */
        place = calloc(key_hi - key_lo + 2, sizeof *place);
        if (!place)
            goto oom;
        for (size_t i = 0; i < na; i++) {
            const act_sum *s = &sum[i];
            if (s->status != NOT_COUNTED && s->credit < 100)
                place[gain_key((int64_t)s->points * (100 - s->credit), SUM_RISK(s)) - key_lo + 1]++;
        }
        for (size_t k = 1; k <= key_hi - key_lo + 1; k++)
            place[k] += place[k - 1];
    }
    size_t k = 0;
    for (size_t i = 0; i < na; i++) {
        const act_sum *s = &sum[i];
        if (s->status == NOT_COUNTED || s->credit >= 100)
            continue;
        int64_t gain = (int64_t)s->points * (100 - s->credit);
        posture_risk risk = SUM_RISK(s);
        size_t at = keyed ? place[gain_key(gain, risk) - key_lo]++ : k++;
        posture_improvement *im = &r->imps[at];
        *im = (posture_improvement){.action = i, .gain_x100 = gain, .risk = risk};
        im->has_percent = r->total.possible_x100 > 0;
        im->gain_percent_x100 =
            im->has_percent ? posture_percent_x100(gain, r->total.possible_x100) : 0;
    }
    if (!keyed && sort_improvements(r) != 0)
        goto oom;
    goto done;
oom:
    rc = posture_error_set(POSTURE_ENOMEM, "out of memory");
    posture_result_free(r);
    r = NULL;
done:
    free(scope);
    free(sum);
    free(place);
    *out = r;
    return rc;
}

void posture_result_free(posture_result *r)
{
    if (!r)
        return;
    free(r->acts);
    free(r->ctls);
    free(r->fams);
    free(r->imps);
    free(r);
}

const posture_template *posture_result_template(const posture_result *r) { return r->t; }
const posture_answers *posture_result_answers(const posture_result *r) { return r->a; }
const posture_profile *posture_result_profile(const posture_result *r) { return r->p; }
const posture_points *posture_result_total(const posture_result *r) { return &r->total; }

const size_t *posture_result_control_counts(const posture_result *r, size_t *total)
{
    if (total)
        *total = r->ctotal;
    return r->ccounts;
}

const size_t *posture_result_action_counts(const posture_result *r, size_t *total)
{
    if (total)
        *total = r->atotal;
    return r->acounts;
}

size_t posture_result_family_count(const posture_result *r) { return r->nfams; }
size_t posture_result_control_count(const posture_result *r) { return r->nctls; }
size_t posture_result_action_count(const posture_result *r) { return r->nacts; }
size_t posture_result_improvement_count(const posture_result *r) { return r->nimps; }

const posture_family_result *posture_result_family(const posture_result *r, size_t i)
{
    return i < r->nfams ? &r->fams[i] : NULL;
}

const posture_control_result *posture_result_control(const posture_result *r, size_t i)
{
    return i < r->nctls ? &r->ctls[i] : NULL;
}

const posture_action_result *posture_result_action(const posture_result *r, size_t i)
{
    return i < r->nacts ? &r->acts[i] : NULL;
}

const posture_improvement *posture_result_improvement(const posture_result *r, size_t i)
{
    return i < r->nimps ? &r->imps[i] : NULL;
}

const char *posture_action_status_token(posture_action_status s)
{
    static const char *const t[] = {"passed", "failed", "partial", "in_progress", "not_assessed",
                                    "out_of_scope"};
    return (unsigned)s < POSTURE_ASTATUS__COUNT ? t[s] : "?";
}

const char *posture_control_status_token(posture_control_status s)
{
    static const char *const t[] = {"passed", "failed", "in_progress", "not_assessed",
                                    "out_of_scope"};
    return (unsigned)s < POSTURE_CSTATUS__COUNT ? t[s] : "?";
}

const char *posture_action_status_label(posture_action_status s)
{
    static const char *const t[] = {"Passed", "Failed", "Partial", "In progress", "Not assessed",
                                    "Out of scope"};
    return (unsigned)s < POSTURE_ASTATUS__COUNT ? t[s] : "?";
}

const char *posture_control_status_label(posture_control_status s)
{
    static const char *const t[] = {"Passed", "Failed", "In progress", "Not assessed",
                                    "Out of scope"};
    return (unsigned)s < POSTURE_CSTATUS__COUNT ? t[s] : "?";
}

const char *posture_risk_token(posture_risk r)
{
    switch (r) {
    case POSTURE_RISK_HIGH: return "high";
    case POSTURE_RISK_MEDIUM: return "medium";
    case POSTURE_RISK_LOW: return "low";
    default: return NULL;
    }
}
