/* profile.c - scoring profiles (posture-profile/1): built-ins, the file reader, credit lookup. */
#include "posture/profile.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "model/jsonin.h"
#include "base/limit.h"
#include "posture/fileio.h"

#define PROFILE_FORMAT "posture-profile/1"

struct posture_profile {
    char *id;
    char *title;
    int points[POSTURE_TYPE__COUNT][POSTURE_ENFORCEMENT__COUNT];
    posture_credit_rule *rules;
    size_t nrules;
    /* credit in hundredths for every pair, computed from the rules */
    unsigned char credit[POSTURE_IMPL__COUNT][POSTURE_TEST__COUNT];
};

static const int default_points[POSTURE_TYPE__COUNT][POSTURE_ENFORCEMENT__COUNT] = {
    {27, 9}, /* preventive */
    {3, 1},  /* detective */
    {3, 1},  /* corrective */
};

#define IBIT(v) (1u << (v))

static const posture_credit_rule cm_rules[] = {
    {IBIT(POSTURE_IMPL_IMPLEMENTED) | IBIT(POSTURE_IMPL_ALTERNATIVE), IBIT(POSTURE_TEST_PASSED),
     100},
};

#define SELF_TESTS \
    (IBIT(POSTURE_TEST_PASSED) | IBIT(POSTURE_TEST_NOT_ASSESSED) | IBIT(POSTURE_TEST_IN_PROGRESS))

static const posture_credit_rule sa_rules[] = {
    {IBIT(POSTURE_IMPL_IMPLEMENTED) | IBIT(POSTURE_IMPL_ALTERNATIVE), SELF_TESTS, 100},
    {IBIT(POSTURE_IMPL_PARTIAL), SELF_TESTS, 50},
};

static const struct builtin {
    const char *id;
    const char *title;
    const posture_credit_rule *rules;
    size_t nrules;
} builtins[] = {
    {"compliance-manager", "Compliance Manager (all or nothing)", cm_rules,
     sizeof cm_rules / sizeof *cm_rules},
    {"self-attested", "Self-attested (credit before testing)", sa_rules,
     sizeof sa_rules / sizeof *sa_rules},
};

void posture_profile_free(posture_profile *p)
{
    if (!p)
        return;
    free(p->id);
    free(p->title);
    free(p->rules);
    free(p);
}

/* Fill the credit table from the rules: the first rule listing both statuses wins. */
static void compute_table(posture_profile *p)
{
    for (unsigned i = 0; i < POSTURE_IMPL__COUNT; i++)
        for (unsigned k = 0; k < POSTURE_TEST__COUNT; k++) {
            int credit = 0;
            for (size_t r = 0; r < p->nrules; r++)
                if ((p->rules[r].implementation_mask & IBIT(i)) &&
                    (p->rules[r].test_mask & IBIT(k))) {
                    credit = p->rules[r].credit;
                    break;
                }
            p->credit[i][k] = (unsigned char)credit;
        }
}

static int builtin_profile(const struct builtin *b, posture_profile **out)
{
    posture_profile *p = calloc(1, sizeof *p);
    if (!p)
        return posture_error_set(POSTURE_ENOMEM, "out of memory");
    p->id = strdup(b->id);
    p->title = strdup(b->title);
    p->rules = malloc(b->nrules * sizeof *p->rules);
    if (!p->id || !p->title || !p->rules) {
        posture_profile_free(p);
        return posture_error_set(POSTURE_ENOMEM, "out of memory");
    }
    memcpy(p->rules, b->rules, b->nrules * sizeof *p->rules);
    p->nrules = b->nrules;
    memcpy(p->points, default_points, sizeof p->points);
    compute_table(p);
    *out = p;
    return 0;
}

/* The number of `v` as JSON writes it ("0.333", "100"), for messages; sets c->oom on failure. */
static void number_text(jctx *c, const cJSON *v, char *buf, size_t size)
{
    char *s = cJSON_PrintUnformatted(v);
    if (!s)
        c->oom = 1;
    snprintf(buf, size, "%s", s ? s : "?");
    free(s);
}

/* A required number field; errors as the other typed getters. */
static const cJSON *get_number(jctx *c, const cJSON *obj, const char *key)
{
    const cJSON *v = jfield(obj, key);
    if (!v) {
        jctx_error(c, "missing required field \"%s\"", key);
        return NULL;
    }
    if (!cJSON_IsNumber(v)) {
        jctx_error_at(c, key, "expected a number, got %s", json_type_name(v));
        return NULL;
    }
    return v;
}

static void read_points(jctx *c, const cJSON *root, posture_profile *p)
{
    static const char *const types[] = {"preventive", "detective", "corrective", NULL};
    static const char *const enfs[] = {"mandatory", "discretionary", NULL};
    const cJSON *pts = jget_object(c, root, "points", 1);
    if (!pts)
        return;
    size_t mark = jctx_push_key(c, "points");
    jcheck_fields(c, pts, types);
    for (int t = 0; t < POSTURE_TYPE__COUNT; t++) {
        const cJSON *row = jget_object(c, pts, types[t], 1);
        if (!row)
            continue;
        size_t m2 = jctx_push_key(c, types[t]);
        jcheck_fields(c, row, enfs);
        for (int e = 0; e < POSTURE_ENFORCEMENT__COUNT; e++) {
            const cJSON *v = get_number(c, row, enfs[e]);
            if (!v)
                continue;
            double d = v->valuedouble;
            if (d >= 1 && d <= 99 && d == floor(d)) {
                p->points[t][e] = (int)d;
            } else {
                char num[64];
                number_text(c, v, num, sizeof num);
                jctx_error_at(c, enfs[e], "points must be an integer from 1 to 99, got %s", num);
            }
        }
        jctx_pop(c, m2);
    }
    jctx_pop(c, mark);
}

/* A required list of statuses; `parse` is posture_implementation_parse or posture_test_parse. */
static unsigned read_statuses(jctx *c, const cJSON *rule, const char *key, const char *what,
                              int (*parse)(const char *, int *), const char *expected)
{
    unsigned mask = 0;
    const cJSON *arr = jget_array(c, rule, key, 1);
    if (!arr)
        return 0;
    size_t mark = jctx_push_key(c, key);
    size_t i = 0;
    for (const cJSON *x = arr->child; x; x = x->next, i++) {
        size_t m2 = jctx_push_index(c, i);
        int v;
        if (!cJSON_IsString(x))
            jctx_error(c, "expected a string, got %s", json_type_name(x));
        else if (parse(x->valuestring, &v) != 0)
            jctx_error(c, "unknown %s status \"%s\"; expected one of: %s", what, x->valuestring,
                       expected);
        else
            mask |= IBIT(v);
        jctx_pop(c, m2);
    }
    jctx_pop(c, mark);
    return mask;
}

static int parse_impl_int(const char *s, int *out)
{
    posture_implementation v;
    int rc = posture_implementation_parse(s, &v);
    if (rc == 0)
        *out = (int)v;
    return rc;
}

static int parse_test_int(const char *s, int *out)
{
    posture_test v;
    int rc = posture_test_parse(s, &v);
    if (rc == 0)
        *out = (int)v;
    return rc;
}

static int read_rules(jctx *c, const cJSON *root, posture_profile *p)
{
    static const char *const known[] = {"implementation", "test", "credit", NULL};
    const cJSON *arr = jget_array(c, root, "credit", 1);
    if (!arr)
        return 0;
    size_t n = (size_t)cJSON_GetArraySize(arr);
    p->rules = calloc(n ? n : 1, sizeof *p->rules);
    if (!p->rules)
        return posture_error_set(POSTURE_ENOMEM, "out of memory");
    size_t mark = jctx_push_key(c, "credit");
    size_t i = 0;
    for (const cJSON *r = arr->child; r; r = r->next, i++) {
        size_t m2 = jctx_push_index(c, i);
        if (jexpect_object(c, r)) {
            jcheck_fields(c, r, known);
            posture_credit_rule *rule = &p->rules[p->nrules++];
            rule->implementation_mask =
                read_statuses(c, r, "implementation", "implementation", parse_impl_int,
                              posture_implementation_expected());
            rule->test_mask =
                read_statuses(c, r, "test", "test", parse_test_int, posture_test_expected());
            const cJSON *v = get_number(c, r, "credit");
            if (v) {
                double d = v->valuedouble, h = d * 100;
                double rh = floor(h + 0.5);
                if (d >= 0 && d <= 1 && fabs(h - rh) < 1e-9) {
                    rule->credit = (int)rh;
                } else {
                    char num[64];
                    number_text(c, v, num, sizeof num);
                    jctx_error_at(c, "credit",
                                  "credit must be a multiple of 0.01 between 0 and 1, got %s", num);
                }
            }
        }
        jctx_pop(c, m2);
    }
    jctx_pop(c, mark);
    return 0;
}

int posture_profile_parse(const char *text, size_t len, const char *file, posture_diags *diags,
                          posture_profile **out)
{
    static const char *const known[] = {"format", "id", "title", "points", "credit", NULL};
    *out = NULL;
    int rc = 0;
    posture_profile *p = NULL;
    jctx c;
    jctx_init(&c, file, diags);
    int dup = 0;
    /* a document with duplicate keys comes back too, so every other problem is reported */
    cJSON *root = json_parse_text_all(file, text, len, diags, &dup);
    if (!root) {
        rc = dup;
        goto done;
    }
    rc = POSTURE_EINVALID;
    if (!jexpect_object(&c, root))
        goto done;
    const char *format = jget_string(&c, root, "format", 1);
    if (!format)
        goto done;
    if (strcmp(format, PROFILE_FORMAT) != 0) {
        jctx_error_at(&c, "format", "expected \"%s\", got \"%s\"", PROFILE_FORMAT, format);
        goto done;
    }
    jcheck_fields(&c, root, known);
    p = calloc(1, sizeof *p);
    if (!p) {
        rc = posture_error_set(POSTURE_ENOMEM, "out of memory");
        goto done;
    }
    const char *id = jget_text(&c, root, "id", 1);
    const char *title = NULL;
    if (jfield(root, "title") && !cJSON_IsNull(jfield(root, "title")))
        title = jget_string(&c, root, "title", 0);
    if (!title || !*title)
        title = id;
    p->id = strdup(id ? id : "");
    p->title = strdup(title ? title : "");
    if (!p->id || !p->title) {
        rc = posture_error_set(POSTURE_ENOMEM, "out of memory");
        goto done;
    }
    read_points(&c, root, p);
    rc = read_rules(&c, root, p);
    if (rc != 0)
        goto done;
    if (c.oom || c.ptr.oom) {
        rc = posture_error_set(POSTURE_ENOMEM, "out of memory");
        goto done;
    }
    rc = c.errors || dup ? POSTURE_EINVALID : 0;
    if (rc == 0)
        compute_table(p);

done:
    cJSON_Delete(root);
    jctx_release(&c);
    if (rc != 0) {
        posture_profile_free(p);
        return rc;
    }
    *out = p;
    return 0;
}

int posture_profile_load(const char *path, posture_diags *diags, posture_profile **out)
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
    rc = posture_profile_parse(text, len, path, diags, out);
    free(text);
    return rc;
}

/* Whether `ref` is meant as a file: it exists, or it has a slash or a .json suffix. */
static int looks_like_file(const char *ref)
{
    struct stat st;
    size_t n = strlen(ref);
    return stat(ref, &st) == 0 || strchr(ref, '/') ||
           (n > 5 && strcmp(ref + n - 5, ".json") == 0);
}

int posture_profile_open(const char *ref, posture_diags *diags, posture_profile **out)
{
    *out = NULL;
    for (size_t i = 0; i < sizeof builtins / sizeof *builtins; i++)
        if (strcmp(ref, builtins[i].id) == 0)
            return builtin_profile(&builtins[i], out);
    if (looks_like_file(ref))
        return posture_profile_load(ref, diags, out);
    posture_diags_add(diags, POSTURE_SEV_ERROR, NULL, NULL,
                      "use compliance-manager, self-attested or a profile file",
                      "unknown profile \"%s\"", ref);
    return posture_error_set(POSTURE_ENOTFOUND, "unknown profile \"%s\"", ref);
}

const char *posture_profile_id(const posture_profile *p) { return p->id; }

const char *posture_profile_title(const posture_profile *p) { return p->title; }

int posture_profile_points(const posture_profile *p, posture_action_type type,
                           posture_enforcement enforcement)
{
    if ((unsigned)type >= POSTURE_TYPE__COUNT || (unsigned)enforcement >= POSTURE_ENFORCEMENT__COUNT)
        return 0;
    return p->points[type][enforcement];
}

int posture_profile_credit(const posture_profile *p, posture_implementation impl,
                           posture_test test)
{
    if ((unsigned)impl >= POSTURE_IMPL__COUNT || (unsigned)test >= POSTURE_TEST__COUNT)
        return 0;
    return p->credit[impl][test];
}

size_t posture_profile_rule_count(const posture_profile *p) { return p->nrules; }

const posture_credit_rule *posture_profile_rule(const posture_profile *p, size_t i)
{
    return i < p->nrules ? &p->rules[i] : NULL;
}
