/*
 * xlsx_floor.c - the floor of the workbook as a process of its own: raw
 * libxlsxwriter in constant_memory mode writing the same cells as
 * `posture report --xlsx` (see xlsx_cells.h).
 *
 * usage: xlsx_floor [-r REPS] SUMMARY.json TEMPLATE.json OUT.xlsx
 *
 * SUMMARY.json is the posture-summary/1 of the same input (from
 * `posture report --json`); TEMPLATE.json gives the mapping columns. Both
 * are parsed into plain arrays of cells first, untimed; then the workbook
 * is written REPS times (default 1) and the CPU time of each writing is
 * printed as
 *     phase xlsx_floor median_ms <m> min_ms <n>
 */
#include <time.h>
#include <unistd.h>

#include "xlsx_cells.h"

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "xlsx_floor: %s: cannot open\n", path);
        exit(1);
    }
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = xcalloc((size_t)n + 1, 1);
    if (fread(buf, 1, (size_t)n, f) != (size_t)n) {
        fprintf(stderr, "xlsx_floor: %s: cannot read\n", path);
        exit(1);
    }
    fclose(f);
    return buf;
}

static cJSON *parse(const char *path)
{
    char *text = slurp(path);
    cJSON *v = cJSON_Parse(text);
    free(text);
    if (!v) {
        fprintf(stderr, "xlsx_floor: %s: syntax error\n", path);
        exit(1);
    }
    return v;
}

static double cpu_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
    int reps = 1, opt;
    while ((opt = getopt(argc, argv, "r:")) != -1) {
        if (opt == 'r')
            reps = atoi(optarg);
        else
            return 2;
    }
    if (argc - optind != 3 || reps < 1) {
        fprintf(stderr, "usage: xlsx_floor [-r REPS] SUMMARY.json TEMPLATE.json OUT.xlsx\n");
        return 2;
    }
    cJSON *sum = parse(argv[optind]);
    cJSON *tpl = parse(argv[optind + 1]);
    table tabs[3];
    floor_tables(sum, tpl, tabs);
    double *t = xcalloc((size_t)reps, sizeof *t);
    for (int i = 0; i < reps; i++) {
        double s = cpu_ms();
        write_workbook(argv[optind + 2], tabs, 3);
        t[i] = cpu_ms() - s;
    }
    qsort(t, (size_t)reps, sizeof *t, cmp_double);
    double med = reps % 2 ? t[reps / 2] : (t[reps / 2 - 1] + t[reps / 2]) / 2;
    printf("phase xlsx_floor median_ms %.3f min_ms %.3f\n", med, t[0]);
    floor_tables_free(tabs);
    cJSON_Delete(sum);
    cJSON_Delete(tpl);
    free(t);
    return 0;
}
