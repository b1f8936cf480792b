/* scoretest.h - build a score result from JSON texts for the score tests. */
#ifndef POSTURE_SCORETEST_H
#define POSTURE_SCORETEST_H

#include <stdlib.h>
#include <string.h>

#include "testutil.h"

typedef struct fixture {
    posture_template *t;
    posture_answers *a;
    posture_profile *p;
    posture_result *r;
} fixture;

/* An action object with the given id, type, enforcement and extra JSON members. */
#define ACT(id, type, enf, extra)                                                           \
    "{\"id\": \"" id "\", \"title\": \"T " id "\", \"type\": \"" type "\", \"enforcement\": \"" enf \
    "\", \"implementation_type\": \"technical\", \"owner\": \"customer\"" extra "}"

static inline void fx_load(fixture *fx, const char *tjson, const char *ajson, const char *profile)
{
    memset(fx, 0, sizeof *fx);
    posture_diags *d = NULL;
    assert_int_equal(posture_diags_new(&d), 0);
    const char *tp = tu_write("t.json", tjson);
    if (posture_template_load(NULL, tp, 0, d, &fx->t) != 0)
        fail_msg("template: %s", tu_diags_text(d));
    if (posture_answers_parse_json(ajson, strlen(ajson), "a.json", fx->t, d, &fx->a) != 0)
        fail_msg("answers: %s", tu_diags_text(d));
    if (profile && strchr(profile, '{')) {
        if (posture_profile_parse(profile, strlen(profile), "p.json", d, &fx->p) != 0)
            fail_msg("profile: %s", tu_diags_text(d));
    } else {
        assert_int_equal(posture_profile_open(profile ? profile : "compliance-manager", d, &fx->p), 0);
    }
    assert_int_equal(posture_score(fx->t, fx->a, fx->p, &fx->r), 0);
    posture_diags_free(d);
}

static inline void fx_free(fixture *fx)
{
    posture_result_free(fx->r);
    posture_profile_free(fx->p);
    posture_answers_free(fx->a);
    posture_template_free(fx->t);
}

static inline const posture_control_result *fx_control(fixture *fx, const char *id)
{
    long i = posture_template_find_control(fx->t, id);
    assert_true(i >= 0);
    return posture_result_control(fx->r, (size_t)i);
}

static inline const posture_action_result *fx_action(fixture *fx, const char *id)
{
    long i = posture_template_find_action(fx->t, id);
    assert_true(i >= 0);
    return posture_result_action(fx->r, (size_t)i);
}

/* Assert a score as "achieved/possible percent" in the summary's decimal form. */
static inline void assert_points(const posture_points *p, const char *expected)
{
    char a[32], b[32], c[32], s[128];
    posture_format_x100(p->achieved_x100, a);
    posture_format_x100(p->possible_x100, b);
    if (p->has_percent)
        posture_format_x100(p->percent_x100, c);
    else
        strcpy(c, "null");
    snprintf(s, sizeof s, "%s/%s %s", a, b, c);
    assert_string_equal(s, expected);
}

#endif
