/*
 * oom_loop.c - allocation-failure loop, as SQLite's OOM tests do it.
 *
 * The allocator is interposed at link time (-Wl,--wrap=malloc,... in
 * tests/oom/CMakeLists.txt; cJSON allocates through cJSON_InitHooks, set
 * to the same wrappers). Each scenario runs once to count its allocations
 * and record its result, then once for every n (sampled when there are
 * many) with the n-th allocation failing, in two modes: only that one
 * ("transient") and that one and every later one ("persistent").
 *
 * Every run must either give exactly the recorded result (same return
 * code, same diagnostics, same output) or fail cleanly: POSTURE_ENOMEM
 * with an "out of memory" message, no output left behind. Built with
 * free() is wrapped too: every block allocated in a run must be freed by
 * its end, else the run leaked (reported with the number of the allocation
 * that made the block). Built with AddressSanitizer, use-after-free and
 * double free are caught as well. Exit 0 when every run passed.
 *
 * usage: oom_loop [DIR [SCENARIO N]]
 *   DIR: where the fixtures are (default tests/oom); SCENARIO N: only that
 *   scenario with allocation N failing (both modes), to debug a failure;
 *   with $OOM_BACKTRACE set (AddressSanitizer builds) the stack of the
 *   refused allocation is printed.
 */
#include <dirent.h>
#include <stdint.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#if defined(__SANITIZE_ADDRESS__)
#define OOM_STACK 1
#include <sanitizer/common_interface_defs.h>
#endif

#include "posture.h"

/* ---- the interposed allocator ---------------------------------------------------------- */

void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t size);
void *__real_realloc(void *p, size_t n);
char *__real_strdup(const char *s);
char *__real_strndup(const char *s, size_t n);
void __real_free(void *p);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t n, size_t size);
void *__wrap_realloc(void *p, size_t n);
char *__wrap_strdup(const char *s);
char *__wrap_strndup(const char *s, size_t n);
void __wrap_free(void *p);

static int counting;        /* allocations are counted (and may fail) only inside a run */
static long allocs;         /* allocations counted in this run */
static long fail_at;        /* 1-based; 0: none fails */
static int persistent;      /* every allocation after fail_at fails too */
static long failed;         /* allocations refused in this run */
static long before_xlsx;    /* allocations made before the workbook is written */

/*
 * Blocks allocated during a run and not freed yet, with the number of the
 * allocation that made them: an open-addressing set keyed by address. What
 * is left at the end of a run has leaked.
 */
typedef struct live {
    void *p;
    long n;
} live;
static live *lives;
static size_t lcap, lcount;
#define TOMB ((void *)1)

static size_t lslot(void *p) { return ((uintptr_t)p >> 4) * 0x9E3779B97F4A7C15ull >> 20; }

static void live_add(void *p, long n);

static void live_grow(void)
{
    live *old = lives;
    size_t ocap = lcap;
    lcap = lcap ? lcap * 2 : 4096;
    lives = __real_calloc(lcap, sizeof *lives);
    if (!lives)
        abort();
    lcount = 0;
    for (size_t i = 0; i < ocap; i++)
        if (old[i].p && old[i].p != TOMB)
            live_add(old[i].p, old[i].n);
    __real_free(old);
}

static void live_add(void *p, long n)
{
    if ((lcount + 1) * 2 > lcap)
        live_grow();
    size_t i = lslot(p) & (lcap - 1);
    while (lives[i].p && lives[i].p != TOMB)
        i = (i + 1) & (lcap - 1);
    lives[i].p = p;
    lives[i].n = n;
    lcount++;
}

static void live_del(void *p)
{
    if (!lcap || !p)
        return;
    size_t i = lslot(p) & (lcap - 1);
    while (lives[i].p) {
        if (lives[i].p == p) {
            lives[i].p = TOMB;
            lcount--;
            return;
        }
        i = (i + 1) & (lcap - 1);
    }
}

static void live_clear(void)
{
    if (lcap)
        memset(lives, 0, lcap * sizeof *lives);
    lcount = 0;
}

static int backtraces; /* $OOM_BACKTRACE: print where the first allocation is refused */

static int refuse(void)
{
    if (!counting)
        return 0;
    allocs++;
    if (fail_at && (allocs == fail_at || (persistent && allocs > fail_at))) {
#ifdef OOM_STACK
        if (backtraces && !failed)
            __sanitizer_print_stack_trace();
#endif
        failed++;
        return 1;
    }
    return 0;
}

static void *track(void *p)
{
    if (p && counting)
        live_add(p, allocs);
    return p;
}

void *__wrap_malloc(size_t n) { return refuse() ? NULL : track(__real_malloc(n)); }
void *__wrap_calloc(size_t n, size_t size) { return refuse() ? NULL : track(__real_calloc(n, size)); }
char *__wrap_strdup(const char *s) { return refuse() ? NULL : track(__real_strdup(s)); }
char *__wrap_strndup(const char *s, size_t n) { return refuse() ? NULL : track(__real_strndup(s, n)); }

void *__wrap_realloc(void *p, size_t n)
{
    if (refuse())
        return NULL;
    void *q = __real_realloc(p, n);
    if (q) {
        live_del(p);
        track(q);
    }
    return q;
}

void __wrap_free(void *p)
{
    live_del(p);
    __real_free(p);
}

/* ---- scenarios --------------------------------------------------------------------------- */

static const char *dir = "tests/oom";
static char tmpdir[256];

/* Text of a run: return code, diagnostics, output; compared with the reference run. */
typedef struct outcome {
    int rc;
    char *text;
    size_t len, cap;
} outcome;

static void out_add(outcome *o, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* The outcome text is built with the real allocator: it is the test's, not posture's. */
static void out_add(outcome *o, const char *fmt, ...)
{
    int save = counting;
    counting = 0;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (o->len + (size_t)n + 1 > o->cap) {
        size_t cap = o->cap ? o->cap : 256;
        while (cap < o->len + (size_t)n + 1)
            cap *= 2;
        o->text = __real_realloc(o->text, cap);
        if (!o->text)
            abort();
        o->cap = cap;
    }
    va_start(ap, fmt);
    vsnprintf(o->text + o->len, o->cap - o->len, fmt, ap);
    va_end(ap);
    o->len += (size_t)n;
    counting = save;
}

static void out_diags(outcome *o, const posture_diags *d)
{
    for (size_t i = 0; i < posture_diags_count(d); i++) {
        const posture_diag *g = posture_diags_get(d, i);
        out_add(o, "%s|%s|%s|%s|%s\n", g->severity == POSTURE_SEV_ERROR ? "error" : "warning",
                g->file ? g->file : "-", g->place ? g->place : "-", g->message,
                g->hint ? g->hint : "-");
    }
}

static char path_buf[8][1024];
static const char *fixture(int slot, const char *name)
{
    snprintf(path_buf[slot], sizeof path_buf[slot], "%s/%s", dir, name);
    return path_buf[slot];
}

typedef struct scenario {
    const char *name;
    const char *template_file, *answers_file, *profile_file;
    int xlsx;        /* write the workbook too */
    int strict;
} scenario;

/* The scenario "coverage" also projects onto a template through a collection, and links. */
#define COVERAGE_TO "../coverage/fixtures/t.json"
#define COVERAGE_MAPPING "../coverage/fixtures/mappings/a-to-t.json"
/* The scenario "link" links its template to itself through this collection. */
#define LINK_MAPPING "../bad/mapping/good.json"

/*
 * Load, score and report as posture score --json does; everything posture
 * allocates is counted. With sc->xlsx the workbook is written as well.
 */
static void run(const scenario *sc, outcome *o)
{
    posture_diags *d = NULL;
    posture_library *lib = NULL;
    posture_template *t = NULL;
    posture_answers *a = NULL;
    posture_profile *p = NULL;
    posture_result *r = NULL;
    char *doc = NULL;
    int rc;
    posture_error_clear();
    counting = 1;
    if ((rc = posture_diags_new(&d)) != 0)
        goto done;
    if ((rc = posture_library_new(&lib)) != 0)
        goto done;
    if ((rc = posture_library_add_dir(lib, dir)) != 0)
        goto done;
    rc = posture_template_load(lib, fixture(0, sc->template_file),
                               sc->strict ? POSTURE_TEMPLATE_STRICT : 0, d, &t);
    if (rc != 0)
        goto done;
    /* .json, .csv or .xlsx by the extension */
    rc = posture_answers_load(fixture(1, sc->answers_file), t, d, &a);
    if (rc != 0)
        goto done;
    rc = sc->profile_file ? posture_profile_load(fixture(2, sc->profile_file), d, &p)
                          : posture_profile_open(POSTURE_PROFILE_DEFAULT, d, &p);
    if (rc != 0)
        goto done;
    if ((rc = posture_score(t, a, p, &r)) != 0)
        goto done;
    posture_json_options jo = {0, 1763632800};
    if ((rc = posture_report_json(r, &jo, &doc)) != 0)
        goto done;
    if (strcmp(sc->name, "link") == 0) {
        posture_mapping_collection *coll = NULL;
        char *ttext = NULL, *linked = NULL;
        size_t tlen = 0;
        if ((rc = posture_mapping_load(fixture(4, LINK_MAPPING), d, &coll)) == 0 &&
            (rc = posture_read_file(fixture(3, sc->template_file), 0, &ttext, &tlen)) == 0)
            rc = posture_template_link(ttext, tlen, "t.json", coll, t, d, &linked, NULL);
        counting = 0;
        if (linked)
            out_add(o, "%s", linked);
        counting = 1;
        free(linked);
        free(ttext);
        posture_mapping_free(coll);
        if (rc != 0)
            goto done;
    }
    if (strcmp(sc->name, "coverage") == 0) {
        /* posture coverage --json, and linking the target to the source's actions */
        posture_template *to = NULL;
        posture_mapping_collection *coll = NULL;
        posture_coverage *cov = NULL;
        char *cdoc = NULL, *ttext = NULL, *linked = NULL;
        size_t tlen = 0;
        if ((rc = posture_template_load(lib, fixture(3, COVERAGE_TO), 0, d, &to)) == 0 &&
            (rc = posture_mapping_load(fixture(4, COVERAGE_MAPPING), d, &coll)) == 0) {
            const posture_mapping_collection *v[] = {coll};
            if ((rc = posture_coverage_project(r, to, v, 1, d, &cov)) == 0 &&
                (rc = posture_report_coverage_json(cov, &jo, &cdoc)) == 0 &&
                (rc = posture_read_file(fixture(3, COVERAGE_TO), 0, &ttext, &tlen)) == 0)
                rc = posture_template_link(ttext, tlen, "t.json", coll, t, d, &linked, NULL);
        }
        counting = 0;
        if (cdoc)
            out_add(o, "%s", cdoc);
        if (linked)
            out_add(o, "%s", linked);
        counting = 1;
        free(linked);
        free(ttext);
        free(cdoc);
        posture_coverage_free(cov);
        posture_mapping_free(coll);
        posture_template_free(to);
        if (rc != 0)
            goto done;
    }
    if (sc->xlsx) {
        char target[300];
        snprintf(target, sizeof target, "%s/report.xlsx", tmpdir);
        posture_xlsx_options xo = {1763632800, d};
        before_xlsx = allocs;
        if ((rc = posture_report_xlsx_write(r, &xo, target)) != 0)
            goto done;
    }
done:
    counting = 0;
    o->rc = rc;
    out_add(o, "rc %d\n", rc);
    if (rc != 0)
        out_add(o, "error %s\n", posture_error_last());
    out_diags(o, d);
    if (doc)
        out_add(o, "%s", doc);
    counting = 1;
    free(doc);
    posture_result_free(r);
    posture_profile_free(p);
    posture_answers_free(a);
    posture_template_free(t);
    posture_library_free(lib);
    posture_diags_free(d);
    counting = 0;
}

/* Files left in the temporary directory, other than a complete report.xlsx. */
static int tmp_clean(int keep_report, char *what, size_t size)
{
    DIR *dh = opendir(tmpdir);
    if (!dh)
        return 0;
    struct dirent *e;
    int ok = 1;
    what[0] = '\0';
    while ((e = readdir(dh)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        if (keep_report && strcmp(e->d_name, "report.xlsx") == 0)
            continue;
        snprintf(what, size, "%s", e->d_name);
        ok = 0;
    }
    closedir(dh);
    return ok;
}

static void clear_tmp(void)
{
    char p[600];
    snprintf(p, sizeof p, "%s/report.xlsx", tmpdir);
    unlink(p);
}

static int check_run(const scenario *sc, const outcome *ref, long n, int pers)
{
    outcome o = {0};
    live_clear();
    fail_at = n;
    persistent = pers;
    failed = 0;
    allocs = 0;
    run(sc, &o);
    fail_at = 0;
    int ok = 1;
    const char *why = NULL;
    if (o.rc == 0 || o.rc == ref->rc) {
        if (strcmp(o.text, ref->text) != 0) {
            why = "the result differs from the run without failures";
            ok = 0;
        }
    } else if (o.rc != POSTURE_ENOMEM) {
        why = "failed with another error than POSTURE_ENOMEM";
        ok = 0;
    } else if (!strstr(o.text, "out of memory")) {
        why = "POSTURE_ENOMEM without an \"out of memory\" message";
        ok = 0;
    }
    char left[300];
    if (ok && sc->xlsx && !tmp_clean(o.rc == 0, left, sizeof left)) {
        why = "a file was left behind";
        ok = 0;
    }
    long leaked = 0;
    size_t nleaked = lcount;
    for (size_t i = 0; i < lcap && nleaked; i++)
        if (lives[i].p && lives[i].p != TOMB && (!leaked || lives[i].n < leaked))
            leaked = lives[i].n;
    if (ok && nleaked) {
        why = "memory leaked";
        ok = 0;
    }
    if (nleaked)
        printf("LEAK %s: allocation %ld failing (%s): %zu blocks leaked, the first made by "
               "allocation %ld\n", sc->name, n, pers ? "persistent" : "transient", nleaked, leaked);
    live_clear();
    if (!ok) {
        printf("FAIL %s: allocation %ld failing (%s, %ld refused): %s\n", sc->name, n,
               pers ? "persistent" : "transient", failed, why);
        printf("--- expected\n%s--- got\n%s---\n", ref->text, o.text);
    }
    if (sc->xlsx)
        clear_tmp();
    free(o.text);
    return ok;
}

int main(int argc, char **argv)
{
    if (argc > 1)
        dir = argv[1];
    const char *only = argc > 3 ? argv[2] : NULL;
    long only_n = argc > 3 ? atol(argv[3]) : 0;
    backtraces = getenv("OOM_BACKTRACE") != NULL;
    cJSON_Hooks hooks = {__wrap_malloc, __wrap_free};
    cJSON_InitHooks(&hooks);
    snprintf(tmpdir, sizeof tmpdir, "/tmp/posture-oom.XXXXXX");
    if (!mkdtemp(tmpdir)) {
        perror("mkdtemp");
        return 1;
    }
    long max_runs = 2000; /* per scenario and mode; more allocations than this are sampled */
    const char *env = getenv("OOM_MAX_RUNS");
    if (env && atol(env) > 0)
        max_runs = atol(env);

    static const scenario scenarios[] = {
        {"score", "template.json", "answers.json", "profile.json", 0, 0},
        {"default-profile", "template.json", "answers.json", NULL, 0, 0},
        {"csv-answers", "template.json", "answers.csv", "profile.json", 0, 0},
        {"xlsx-answers", "template.json", "answers.xlsx", "profile.json", 0, 0},
        {"strict-template", "template.json", "answers.json", NULL, 0, 1},
        {"extends", "child.json", "child-answers.json", NULL, 0, 0},
        {"bad-template", "bad-template.json", "answers.json", NULL, 0, 0},
        {"bad-answers", "template.json", "bad-answers.json", NULL, 0, 0},
        {"bad-profile", "template.json", "answers.json", "bad-profile.json", 0, 0},
        {"workbook", "template.json", "answers.json", "profile.json", 1, 0},
        {"coverage", "../coverage/fixtures/a.json", "../coverage/fixtures/a-answers.json", NULL,
         0, 0},
        {"link", "../fixtures/worked.json", "../fixtures/worked-answers.json", NULL, 0, 0},
    };
    int bad = 0;
    for (size_t s = 0; s < sizeof scenarios / sizeof *scenarios; s++) {
        const scenario *sc = &scenarios[s];
        if (only && strcmp(only, sc->name) != 0)
            continue;
        outcome ref = {0};
        fail_at = 0;
        allocs = 0;
        run(sc, &ref);
        long total = allocs;
        if (sc->xlsx)
            clear_tmp();
        /* the workbook scenario fails only the workbook's allocations (the rest is above) */
        long first = sc->xlsx ? before_xlsx + 1 : 1;
        long step = total - first + 1 > max_runs ? (total - first + max_runs) / max_runs : 1;
        long runs = 0, enomem = 0, fails = 0;
        for (int pers = 0; only && pers < 2; pers++) {
            runs++;
            fails += !check_run(sc, &ref, only_n, pers);
        }
        for (int pers = 0; !only && pers < 2; pers++) {
            /* every n up to the sample size, then every step-th, and always the last one */
            for (long n = first; n <= total; n = n - first < max_runs / 2 ? n + 1 : n + step) {
                runs++;
                if (!check_run(sc, &ref, n, pers))
                    fails++;
                if (fails > 5)
                    break;
            }
            if (fails <= 5) {
                runs++;
                fails += !check_run(sc, &ref, total, pers);
            }
        }
        (void)enomem;
        printf("%-16s rc %-3d %5ld allocations, %5ld runs, %ld failed\n", sc->name, ref.rc, total,
               runs, fails);
        bad |= fails != 0;
        free(ref.text);
    }
    rmdir(tmpdir);
    return bad ? 1 : 0;
}
