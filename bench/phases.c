/*
 * phases.c - posture's phases timed inside one process, next to their
 * floors on the same data, so that ratios are not blurred by process
 * start-up or by the other phases.
 *
 * usage: phases [-w] [-l] [-r REPS] [-x OUT.xlsx] TEMPLATE ANSWERS
 *
 * Times are the process's CPU time (user + system), or wall-clock time with
 * -w. With -l only the loading and scoring phases run. For each phase the median and the minimum over REPS repetitions
 * (default 5) are printed, one line each, as
 *     phase <name> median_ms <m> min_ms <n>
 * Phases:
 *   cjson_parse        read both files + cJSON_ParseWithLength (the floor of loading)
 *   template_load      posture_template_load (read, parse, check, build the model)
 *   answers_load       posture_answers_load_json (read, parse, check, resolve)
 *   score              posture_score
 *   load_score         the three above together (what `posture score` does before printing)
 *   report_json        posture_report_json, compact
 *   report_json_pretty posture_report_json, pretty (the default of --json)
 *   cjson_print        cJSON_PrintUnformatted of the summary's own tree (parsed back from
 *                      the compact summary): the floor of the JSON report
 *   cjson_build_print  cJSON_Duplicate of that tree + cJSON_PrintUnformatted: a tree built
 *                      node by node and printed, as any cJSON writer must
 *   report_xlsx        posture_report_xlsx_write to OUT (only with -x; skipped with a note
 *                      when the workbook writer is not implemented yet)
 *   xlsx_floor         raw libxlsxwriter writing the same cells to OUT.floor.xlsx
 *                      (xlsx_cells.h), from the summary and TEMPLATE parsed beforehand
 */
#include <cjson/cJSON.h>
#ifdef __linux__
#include <malloc.h>
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "posture.h"
#include "xlsx_cells.h"

/* CPU time of this process by default (the machine is shared: wall time
 * counts the other tenants too); -w switches to wall-clock time. */
static clockid_t clock_id = CLOCK_PROCESS_CPUTIME_ID;

/* Start a timed phase on a consolidated heap: glibc defers the work of
 * freeing small blocks to the next large allocation, which would charge a
 * phase for the frees of the one before it. */
static void settle(void)
{
#ifdef __linux__
    malloc_trim(0);
#endif
}

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(clock_id, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static void report(const char *name, double *t, int n)
{
    qsort(t, (size_t)n, sizeof *t, cmp_double);
    double med = n % 2 ? t[n / 2] : (t[n / 2 - 1] + t[n / 2]) / 2;
    printf("phase %s median_ms %.3f min_ms %.3f\n", name, med, t[0]);
    fflush(stdout);
}

static void ratio(const char *name, const double *num, const double *den, int n)
{
    double *r = calloc((size_t)n, sizeof *r);
    if (!r)
        return;
    for (int i = 0; i < n; i++)
        r[i] = den[i] > 0 ? num[i] / den[i] : 0;
    qsort(r, (size_t)n, sizeof *r, cmp_double);
    double med = n % 2 ? r[n / 2] : (r[n / 2 - 1] + r[n / 2]) / 2;
    printf("ratio %s median %.3f min %.3f max %.3f\n", name, med, r[0], r[n - 1]);
    fflush(stdout);
    free(r);
}

static void die(const char *what)
{
    fprintf(stderr, "phases: %s: %s\n", what, posture_error_last());
    exit(1);
}

static char *slurp(const char *path, size_t *len)
{
    char *text = NULL;
    if (posture_read_file(path, 0, &text, len) != 0)
        die(path);
    return text;
}

int main(int argc, char **argv)
{
    int reps = 5, opt, load_only = 0;
    const char *xlsx = NULL;
    while ((opt = getopt(argc, argv, "wlr:x:")) != -1) {
        if (opt == 'r')
            reps = atoi(optarg);
        else if (opt == 'x')
            xlsx = optarg;
        else if (opt == 'w')
            clock_id = CLOCK_MONOTONIC;
        else if (opt == 'l')
            load_only = 1;
        else
            return 2;
    }
    if (argc - optind != 2 || reps < 1) {
        fprintf(stderr, "usage: phases [-w] [-l] [-r REPS] [-x OUT.xlsx] TEMPLATE ANSWERS\n");
        return 2;
    }
    const char *tpath = argv[optind], *apath = argv[optind + 1];
    enum { T_PARSE, T_TPL, T_ANS, T_SCORE, T_LOAD, T_JSON, T_JSONP, T_PRINT, T_BPRINT, T_XLSX,
           T_FLOOR, T__COUNT };
    static const char *const names[T__COUNT] = {
        "cjson_parse", "template_load", "answers_load",      "score",       "load_score",
        "report_json", "report_json_pretty", "cjson_print", "cjson_build_print", "report_xlsx",
        "xlsx_floor"};
    double *t[T__COUNT];
    for (int k = 0; k < T__COUNT; k++)
        if (!(t[k] = calloc((size_t)reps, sizeof *t[k])))
            return 1;

    posture_profile *prof = NULL;
    if (posture_profile_open(POSTURE_PROFILE_DEFAULT, NULL, &prof) != 0)
        die("profile");

    /* the floor of loading (read and parse both files), then load, check and
     * score; the last result is kept for the reporters */
    posture_template *tpl = NULL;
    posture_answers *ans = NULL;
    posture_result *res = NULL;
    for (int i = 0; i < reps; i++) {
        settle();
        double s = now_ms();
        const char *paths[2] = {tpath, apath};
        for (int k = 0; k < 2; k++) {
            size_t len;
            char *text = slurp(paths[k], &len);
            cJSON *root = cJSON_ParseWithLength(text, len);
            if (!root) {
                fprintf(stderr, "phases: %s: syntax error\n", paths[k]);
                return 1;
            }
            cJSON_Delete(root);
            free(text);
        }
        t[T_PARSE][i] = now_ms() - s;

        posture_result_free(res);
        posture_answers_free(ans);
        posture_template_free(tpl);
        res = NULL;
        ans = NULL;
        tpl = NULL;
        posture_diags *d = NULL;
        if (posture_diags_new(&d) != 0)
            die("diags");
        settle();
        double s0 = now_ms();
        if (posture_template_load(NULL, tpath, 0, d, &tpl) != 0)
            die(tpath);
        double s1 = now_ms();
        if (posture_answers_load_json(apath, tpl, d, &ans) != 0)
            die(apath);
        double s2 = now_ms();
        if (posture_score(tpl, ans, prof, &res) != 0)
            die("score");
        double s3 = now_ms();
        posture_diags_free(d);
        t[T_TPL][i] = s1 - s0;
        t[T_ANS][i] = s2 - s1;
        t[T_SCORE][i] = s3 - s2;
        t[T_LOAD][i] = s3 - s0;
    }
    for (int k = T_PARSE; k <= T_LOAD; k++)
        report(names[k], t[k], reps);
    ratio("load_score/cjson_parse", t[T_LOAD], t[T_PARSE], reps);
    if (load_only)
        goto done;

    /* the JSON report, compact and pretty, and its floors on the summary's own tree */
    posture_json_options jo = {1, 1763632800};
    char *compact = NULL;
    if (posture_report_json(res, &jo, &compact) != 0)
        die("report_json");
    cJSON *tree = cJSON_Parse(compact);
    if (!tree) {
        fprintf(stderr, "phases: the compact summary does not parse back\n");
        return 1;
    }
    char *check = cJSON_PrintUnformatted(tree);
    if (!check || strlen(check) + 1 != strlen(compact)) /* posture's ends with a newline */
        fprintf(stderr, "phases: note: cJSON_PrintUnformatted gave %zu bytes, posture %zu\n",
                check ? strlen(check) : 0, strlen(compact));
    free(check);
    for (int i = 0; i < reps; i++) {
        char *out = NULL;
        jo.compact = 1;
        settle();
        double s = now_ms();
        if (posture_report_json(res, &jo, &out) != 0)
            die("report_json");
        t[T_JSON][i] = now_ms() - s;
        free(out);

        out = NULL;
        jo.compact = 0;
        settle();
        s = now_ms();
        if (posture_report_json(res, &jo, &out) != 0)
            die("report_json");
        t[T_JSONP][i] = now_ms() - s;
        free(out);

        settle();
        s = now_ms();
        out = cJSON_PrintUnformatted(tree);
        t[T_PRINT][i] = now_ms() - s;
        if (!out)
            die("cJSON_PrintUnformatted");
        free(out);

        settle();
        s = now_ms();
        cJSON *copy = cJSON_Duplicate(tree, 1);
        out = copy ? cJSON_PrintUnformatted(copy) : NULL;
        cJSON_Delete(copy);
        t[T_BPRINT][i] = now_ms() - s;
        if (!out)
            die("cJSON_Duplicate");
        free(out);
    }
    for (int k = T_JSON; k <= T_BPRINT; k++)
        report(names[k], t[k], reps);
    ratio("report_json/cjson_print", t[T_JSON], t[T_PRINT], reps);
    ratio("report_json/cjson_build_print", t[T_JSON], t[T_BPRINT], reps);

    /* the workbook, and the same cells written with raw libxlsxwriter */
    if (xlsx) {
        cJSON *tt = NULL;
        size_t tlen;
        char *ttext = slurp(tpath, &tlen);
        if (!(tt = cJSON_ParseWithLength(ttext, tlen)))
            die(tpath);
        free(ttext);
        table tabs[3];
        floor_tables(tree, tt, tabs);
        char *floor_out = malloc(strlen(xlsx) + 16);
        if (!floor_out)
            return 1;
        sprintf(floor_out, "%s.floor.xlsx", xlsx);
        posture_xlsx_options xo = {1763632800, NULL};
        int skipped = 0;
        for (int i = 0; i < reps; i++) {
            settle();
            double s = now_ms();
            if (!skipped && posture_report_xlsx_write(res, &xo, xlsx) != 0) {
                if (!strstr(posture_error_last(), "not implemented yet"))
                    die(xlsx);
                printf("note report_xlsx not implemented yet: skipped\n");
                skipped = 1;
            }
            t[T_XLSX][i] = now_ms() - s;
            settle();
            s = now_ms();
            write_workbook(floor_out, tabs, 3);
            t[T_FLOOR][i] = now_ms() - s;
        }
        if (!skipped)
            report(names[T_XLSX], t[T_XLSX], reps);
        report(names[T_FLOOR], t[T_FLOOR], reps);
        if (!skipped)
            ratio("report_xlsx/xlsx_floor", t[T_XLSX], t[T_FLOOR], reps);
        free(floor_out);
        floor_tables_free(tabs);
        cJSON_Delete(tt);
    }
    cJSON_Delete(tree);
    free(compact);

done:
    posture_result_free(res);
    posture_answers_free(ans);
    posture_template_free(tpl);
    posture_profile_free(prof);
    for (int k = 0; k < T__COUNT; k++)
        free(t[k]);
    return 0;
}
