/*
 * test_score_order.c - on a larger template: the order of improvement
 * actions and the control and family scores, the same whether or not its
 * action ids ascend in template order (score.c sorts the two cases
 * differently); and its JSON summary, byte for byte what cJSON prints of
 * the same tree (report_json.c prints numbers itself).
 */
#include <cjson/cJSON.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>

#include "scoretest.h"
#include "model/template_ids.h"

#define N 600 /* actions; controls of 3, families of 5 controls */

static const char *const impls[] = {"implemented", "partially_implemented", "planned",
                                    "not_implemented", "alternative", "out_of_scope"};
static const char *const tests[] = {"passed", "failed_low", "failed_medium", "failed_high",
                                    "in_progress", "not_assessed"};

/* partial credits, so that gains have fractions */
static const char profile[] =
    "{\"format\": \"posture-profile/1\", \"id\": \"order\", \"title\": \"Order\", \"points\": "
    "{\"preventive\": {\"mandatory\": 27, \"discretionary\": 9}, \"detective\": {\"mandatory\": 3, "
    "\"discretionary\": 1}, \"corrective\": {\"mandatory\": 3, \"discretionary\": 1}}, "
    "\"credit\": ["
    "{\"implementation\": [\"implemented\", \"alternative\"], \"test\": [\"passed\"], \"credit\": 1},"
    "{\"implementation\": [\"implemented\"], \"test\": [\"failed_low\", \"in_progress\"], \"credit\": 0.67},"
    "{\"implementation\": [\"partially_implemented\"], \"test\": [\"passed\", \"failed_medium\"], \"credit\": 0.33},"
    "{\"implementation\": [\"planned\"], \"test\": [\"failed_high\", \"not_assessed\"], \"credit\": 0.05}"
    "]}";

typedef struct buf {
    char *s;
    size_t len, cap;
} buf;

static void add(buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    assert_true(n >= 0);
    if (b->len + (size_t)n + 1 > b->cap) {
        b->cap = (b->len + (size_t)n + 1) * 2;
        b->s = realloc(b->s, b->cap);
        assert_non_null(b->s);
    }
    va_start(ap, fmt);
    vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

static int cmp_str(const void *x, const void *y)
{
    return strcmp(*(const char *const *)x, *(const char *const *)y);
}

/* Ids of different lengths and shared prefixes: "act.o.7" > "act.o.10" > "act.o.1". */
static char ids[N][32];
static const char *sorted_ids[N];

static void make_ids(void)
{
    for (size_t i = 0; i < N; i++) {
        snprintf(ids[i], sizeof ids[i], (i % 7) ? "act.o.%zu" : "act.o.%zu.x", (i * 389) % 1000);
        sorted_ids[i] = ids[i];
    }
    qsort(sorted_ids, N, sizeof *sorted_ids, cmp_str);
    for (size_t i = 1; i < N; i++)
        assert_true(strcmp(sorted_ids[i - 1], sorted_ids[i]) < 0); /* distinct */
}

/*
 * The template: controls reference sorted_ids in groups of 3 (every 4th
 * control also an action of two controls back, maybe in another family);
 * its "actions" list in id order, or in the order of ids[] when !ascending.
 */
static void make_texts(int ascending, char **tpl, char **ans)
{
    buf t = {0}, a = {0};
    add(&t, "{\"format\": \"posture-template/1\", \"id\": \"order\", \"version\": \"1.0.0\", "
            "\"title\": \"Order\", \"families\": [");
    size_t nctl = N / 3;
    for (size_t c = 0; c < nctl; c++) {
        if (c % 5 == 0)
            add(&t, "%s{\"id\": \"F%zu\", \"title\": \"F\", \"controls\": [", c ? "]}," : "", c / 5);
        add(&t, "%s{\"id\": \"C%zu\", \"title\": \"C\", \"actions\": [\"%s\", \"%s\", \"%s\"",
            c % 5 ? "," : "", c, sorted_ids[3 * c], sorted_ids[3 * c + 1], sorted_ids[3 * c + 2]);
        if (c % 4 == 3)
            add(&t, ", \"%s\"", sorted_ids[3 * (c - 2)]);
        add(&t, "]}");
    }
    add(&t, "]}], \"actions\": [");
    for (size_t i = 0; i < N; i++) {
        const char *id = ascending ? sorted_ids[i] : ids[i];
        size_t h = 0;
        for (const char *p = id; *p; p++)
            h = h * 31 + (unsigned char)*p;
        add(&t, "%s{\"id\": \"%s\", \"title\": \"T\", \"type\": \"%s\", \"enforcement\": \"%s\", "
                "\"implementation_type\": \"technical\", \"owner\": \"customer\"",
            i ? "," : "", id, h % 3 ? "preventive" : "detective", h % 5 ? "mandatory" : "discretionary");
        if (h % 4 == 0)
            add(&t, ", \"points\": %zu", 1 + h % 99);
        add(&t, "}");
    }
    add(&t, "]}");

    add(&a, "{\"format\": \"posture-answers/1\", \"template\": \"order\", \"assessment\": "
            "{\"name\": \"O\"}, \"controls\": [{\"control\": \"C7\", \"applicable\": false, "
            "\"justification\": \"n/a\"}], \"answers\": [");
    size_t n = 0;
    for (size_t i = 0; i < N; i++) {
        size_t h = 0;
        for (const char *p = ids[i]; *p; p++)
            h = h * 17 + (unsigned char)*p;
        if (h % 10 == 0)
            continue; /* unanswered */
        add(&a, "%s{\"action\": \"%s\", \"implementation\": \"%s\", \"test\": \"%s\"}", n++ ? "," : "",
            ids[i], impls[h % 6], tests[(h / 6) % 6]);
    }
    add(&a, "]}");
    *tpl = t.s;
    *ans = a.s;
}

static void load(fixture *fx, int ascending)
{
    char *t, *a;
    make_texts(ascending, &t, &a);
    fx_load(fx, t, a, profile);
    free(t);
    free(a);
}

static const char *imp_id(fixture *fx, size_t i)
{
    return posture_template_action(fx->t, posture_result_improvement(fx->r, i)->action)->id;
}

static void same_results_in_any_template_order(void **state)
{
    (void)state;
    make_ids();
    fixture up, any;
    load(&up, 1);
    load(&any, 0);
    assert_int_equal(template_ids_ascending(up.t), 1);
    assert_int_equal(template_ids_ascending(any.t), 0);

    size_t n = posture_result_improvement_count(up.r);
    assert_int_equal(posture_result_improvement_count(any.r), n);
    assert_true(n > N / 3);
    size_t ties = 0, fractions = 0, risks[4] = {0};
    for (size_t i = 0; i < n; i++) {
        const posture_improvement *u = posture_result_improvement(up.r, i),
                                  *v = posture_result_improvement(any.r, i);
        assert_string_equal(imp_id(&up, i), imp_id(&any, i));
        assert_int_equal(u->gain_x100, v->gain_x100);
        assert_int_equal(u->gain_percent_x100, v->gain_percent_x100);
        assert_int_equal(u->risk, v->risk);
        assert_int_equal(u->has_percent, 1);
        risks[u->risk]++;
        fractions += u->gain_x100 % 100 != 0;
        if (!i)
            continue;
        /* gain descending, then risk, then id */
        const posture_improvement *w = posture_result_improvement(up.r, i - 1);
        assert_true(w->gain_x100 >= u->gain_x100);
        if (w->gain_x100 == u->gain_x100) {
            assert_true(w->risk <= u->risk);
            if (w->risk == u->risk) {
                assert_true(strcmp(imp_id(&up, i - 1), imp_id(&up, i)) < 0);
                ties++;
            }
        }
    }
    /* the order was tested on ties and on every risk */
    assert_true(ties > n / 2);
    assert_true(fractions > 10);
    for (int k = 0; k < 4; k++)
        assert_true(risks[k] > 5);

    const posture_points *tu = posture_result_total(up.r), *ta = posture_result_total(any.r);
    assert_int_equal(tu->achieved_x100, ta->achieved_x100);
    assert_int_equal(tu->possible_x100, ta->possible_x100);
    assert_int_equal(posture_result_control_count(up.r), N / 3);
    for (size_t c = 0; c < N / 3; c++) {
        const posture_control_result *x = posture_result_control(up.r, c),
                                     *y = posture_result_control(any.r, c);
        assert_int_equal(x->status, y->status);
        assert_int_equal(x->in_scope, y->in_scope);
        assert_int_equal(x->score.achieved_x100, y->score.achieved_x100);
        assert_int_equal(x->score.possible_x100, y->score.possible_x100);
    }
    for (size_t f = 0; f < posture_result_family_count(up.r); f++) {
        const posture_family_result *x = posture_result_family(up.r, f),
                                    *y = posture_result_family(any.r, f);
        assert_int_equal(x->score.achieved_x100, y->score.achieved_x100);
        assert_int_equal(x->score.possible_x100, y->score.possible_x100);
        assert_memory_equal(x->controls, y->controls, sizeof x->controls);
    }
    fx_free(&up);
    fx_free(&any);
}

/* Numbers of `v` by kind: 0 zero, 1 whole, 2 one decimal, 3 two decimals. */
static void count_numbers(const cJSON *v, size_t kinds[4])
{
    for (; v; v = v->next) {
        if (cJSON_IsNumber(v)) {
            long long x100 = llround(v->valuedouble * 100);
            kinds[x100 == 0 ? 0 : x100 % 100 == 0 ? 1 : x100 % 10 == 0 ? 2 : 3]++;
        }
        count_numbers(v->child, kinds);
    }
}

/* The summary, parsed and printed again by cJSON, compact and pretty. */
static void summary_prints_as_cjson(void **state)
{
    (void)state;
    make_ids();
    fixture fx;
    load(&fx, 0);
    for (int compact = 0; compact < 2; compact++) {
        posture_json_options jo = {compact, 1763632800};
        char *out = NULL;
        assert_int_equal(posture_report_json(fx.r, &jo, &out), 0);
        cJSON *tree = cJSON_Parse(out);
        assert_non_null(tree);
        size_t kinds[4] = {0};
        count_numbers(tree, kinds);
        for (int k = 0; k < 4; k++)
            assert_true(kinds[k] > 10);
        char *again = compact ? cJSON_PrintUnformatted(tree) : cJSON_Print(tree);
        assert_non_null(again);
        size_t n = strlen(again);
        assert_int_equal(strlen(out), n + 1);
        assert_memory_equal(out, again, n);
        assert_int_equal(out[n], '\n');
        cJSON_free(again);
        cJSON_Delete(tree);
        free(out);
    }
    fx_free(&fx);
}

int main(void)
{
    const struct CMUnitTest t[] = {
        cmocka_unit_test(same_results_in_any_template_order),
        cmocka_unit_test(summary_prints_as_cjson),
    };
    return cmocka_run_group_tests(t, NULL, NULL);
}
