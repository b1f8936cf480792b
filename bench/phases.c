/*
 * phases.c - posture's phases timed inside one process, next to their
 * floors on the same data, so that ratios are not blurred by process
 * start-up or by the other phases.
 *
 * usage: phases [-w] [-r REPS] [-x OUT.xlsx] TEMPLATE ANSWERS
 *
 * Times are the process's CPU time (user + system), or wall-clock time with
 * -w. For each phase the median and the minimum over REPS repetitions
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
 */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "posture.h"

/* CPU time of this process by default (the machine is shared: wall time
 * counts the other tenants too); -w switches to wall-clock time. */
static clockid_t clock_id = CLOCK_PROCESS_CPUTIME_ID;

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
    int reps = 5, opt;
    const char *xlsx = NULL;
    while ((opt = getopt(argc, argv, "wr:x:")) != -1) {
        if (opt == 'r')
            reps = atoi(optarg);
        else if (opt == 'x')
            xlsx = optarg;
        else if (opt == 'w')
            clock_id = CLOCK_MONOTONIC;
        else
            return 2;
    }
    if (argc - optind != 2 || reps < 1) {
        fprintf(stderr, "usage: phases [-w] [-r REPS] [-x OUT.xlsx] TEMPLATE ANSWERS\n");
        return 2;
    }
    const char *tpath = argv[optind], *apath = argv[optind + 1];
    double *t = calloc((size_t)reps, sizeof *t);
    double *t2 = calloc((size_t)reps, sizeof *t2);
    double *t3 = calloc((size_t)reps, sizeof *t3);
    double *t4 = calloc((size_t)reps, sizeof *t4);
    if (!t || !t2 || !t3 || !t4)
        return 1;

    /* the floor of loading: read and parse both files */
    for (int i = 0; i < reps; i++) {
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
        t[i] = now_ms() - s;
    }
    report("cjson_parse", t, reps);

    posture_profile *prof = NULL;
    if (posture_profile_open(POSTURE_PROFILE_DEFAULT, NULL, &prof) != 0)
        die("profile");

    /* load, check and score; keep the last result for the reporters */
    posture_template *tpl = NULL;
    posture_answers *ans = NULL;
    posture_result *res = NULL;
    for (int i = 0; i < reps; i++) {
        posture_result_free(res);
        posture_answers_free(ans);
        posture_template_free(tpl);
        res = NULL;
        ans = NULL;
        tpl = NULL;
        posture_diags *d = NULL;
        if (posture_diags_new(&d) != 0)
            die("diags");
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
        t[i] = s1 - s0;
        t2[i] = s2 - s1;
        t3[i] = s3 - s2;
        t4[i] = s3 - s0;
    }
    report("template_load", t, reps);
    report("answers_load", t2, reps);
    report("score", t3, reps);
    report("load_score", t4, reps);

    /* the JSON report, compact and pretty, and its floors */
    posture_json_options jo = {1, 1763632800};
    char *compact = NULL;
    for (int i = 0; i < reps; i++) {
        free(compact);
        compact = NULL;
        double s = now_ms();
        if (posture_report_json(res, &jo, &compact) != 0)
            die("report_json");
        t[i] = now_ms() - s;
    }
    report("report_json", t, reps);
    jo.compact = 0;
    for (int i = 0; i < reps; i++) {
        char *pretty = NULL;
        double s = now_ms();
        if (posture_report_json(res, &jo, &pretty) != 0)
            die("report_json");
        t[i] = now_ms() - s;
        free(pretty);
    }
    report("report_json_pretty", t, reps);

    cJSON *tree = cJSON_Parse(compact);
    if (!tree) {
        fprintf(stderr, "phases: the compact summary does not parse back\n");
        return 1;
    }
    size_t outlen = strlen(compact);
    for (int i = 0; i < reps; i++) {
        double s = now_ms();
        char *out = cJSON_PrintUnformatted(tree);
        t[i] = now_ms() - s;
        if (!out || strlen(out) + 1 != outlen) /* posture's output ends with a newline */
            fprintf(stderr, "phases: note: cJSON_PrintUnformatted gave %zu bytes, posture %zu\n",
                    out ? strlen(out) : 0, outlen);
        free(out);
    }
    report("cjson_print", t, reps);
    for (int i = 0; i < reps; i++) {
        double s = now_ms();
        cJSON *copy = cJSON_Duplicate(tree, 1);
        char *out = copy ? cJSON_PrintUnformatted(copy) : NULL;
        cJSON_Delete(copy);
        t[i] = now_ms() - s;
        if (!out)
            die("cJSON_Duplicate");
        free(out);
    }
    report("cjson_build_print", t, reps);
    cJSON_Delete(tree);
    free(compact);

    if (xlsx) {
        posture_xlsx_options xo = {1763632800, NULL};
        int skipped = 0;
        for (int i = 0; i < reps && !skipped; i++) {
            double s = now_ms();
            if (posture_report_xlsx_write(res, &xo, xlsx) != 0) {
                if (strstr(posture_error_last(), "not implemented yet")) {
                    printf("note report_xlsx not implemented yet: skipped\n");
                    skipped = 1;
                    break;
                }
                die(xlsx);
            }
            t[i] = now_ms() - s;
        }
        if (!skipped)
            report("report_xlsx", t, reps);
    }

    posture_result_free(res);
    posture_answers_free(ans);
    posture_template_free(tpl);
    posture_profile_free(prof);
    free(t);
    free(t2);
    free(t3);
    free(t4);
    return 0;
}
