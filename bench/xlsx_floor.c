/*
 * xlsx_floor.c - the floor of the workbook: raw libxlsxwriter in
 * constant_memory mode writing the same cells as `posture report --xlsx`
 * (the sheets Families, Controls and Improvement actions with their
 * columns of workbook.md, header formats, number, percent and date formats,
 * wrapped text, frozen header, autofilter, fixed column widths), and
 * nothing else: no text cleaning, no measuring, no charts, no data
 * validation, no conditional formats, no row heights.
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
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <xlsxwriter.h>

enum { K_EMPTY, K_STR, K_NUM, K_DATE };
enum { F_NONE, F_TXT, F_WRAP, F_NUM, F_PCT, F_DATE, F__COUNT };

typedef struct cell {
    unsigned char kind, fmt;
    const char *s;
    double v;
    lxw_datetime dt;
} cell;

typedef struct table {
    const char *name;
    size_t ncols, nrows;
    const char **headers;
    double *widths;
    cell *cells; /* nrows * ncols */
} table;

static void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size);
    if (!p) {
        fprintf(stderr, "xlsx_floor: out of memory\n");
        exit(1);
    }
    return p;
}

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

static const cJSON *get(const cJSON *o, const char *k) { return cJSON_GetObjectItemCaseSensitive(o, k); }

static const char *str(const cJSON *o, const char *k)
{
    const cJSON *v = get(o, k);
    return cJSON_IsString(v) && *v->valuestring ? v->valuestring : NULL;
}

static void set_str(cell *c, const char *s, int fmt)
{
    if (!s)
        return;
    c->kind = K_STR;
    c->s = s;
    c->fmt = (unsigned char)fmt;
}

static void set_num(cell *c, const cJSON *v, int fmt)
{
    if (!cJSON_IsNumber(v))
        return;
    c->kind = K_NUM;
    c->v = v->valuedouble;
    c->fmt = (unsigned char)fmt;
}

static void set_date(cell *c, const char *s)
{
    int y, m, d;
    if (!s || sscanf(s, "%4d-%2d-%2d", &y, &m, &d) != 3) {
        set_str(c, s, F_TXT);
        return;
    }
    c->kind = K_DATE;
    c->dt = (lxw_datetime){.year = y, .month = m, .day = d};
    c->fmt = F_DATE;
}

/* A string of `items` joined by `sep` (kept for the life of the program). */
static const char *join(const cJSON *items, const char *sep)
{
    size_t len = 0, n = 0;
    for (const cJSON *i = items ? items->child : NULL; i; i = i->next, n++)
        len += strlen(i->valuestring) + strlen(sep);
    if (!n)
        return NULL;
    char *s = xcalloc(len + 1, 1), *o = s;
    for (const cJSON *i = items->child; i; i = i->next) {
        if (o != s)
            o += sprintf(o, "%s", sep);
        o += sprintf(o, "%s", i->valuestring);
    }
    return s;
}

static const char *label(const char *token, const char *const map[][2])
{
    for (size_t i = 0; map[i][0]; i++)
        if (strcmp(map[i][0], token) == 0)
            return map[i][1];
    return token;
}

static const char *const impl_labels[][2] = {
    {"not_implemented", "Not implemented"}, {"planned", "Planned"},
    {"partially_implemented", "Partially implemented"}, {"implemented", "Implemented"},
    {"alternative", "Alternative implementation"}, {"out_of_scope", "Out of scope"}, {NULL, NULL}};
static const char *const test_labels[][2] = {
    {"not_assessed", "Not assessed"}, {"in_progress", "In progress"}, {"passed", "Passed"},
    {"failed_low", "Failed (low risk)"}, {"failed_medium", "Failed (medium risk)"},
    {"failed_high", "Failed (high risk)"}, {"out_of_scope", "Out of scope"}, {NULL, NULL}};
static const char *const cstatus_labels[][2] = {
    {"passed", "Passed"}, {"failed", "Failed"}, {"in_progress", "In progress"},
    {"not_assessed", "Not assessed"}, {"out_of_scope", "Out of scope"}, {NULL, NULL}};

static table new_table(const char *name, const char *const *headers, size_t ncols,
                       const double *widths, size_t nrows)
{
    table t = {.name = name, .ncols = ncols, .nrows = nrows};
    t.headers = xcalloc(ncols, sizeof *t.headers);
    t.widths = xcalloc(ncols, sizeof *t.widths);
    for (size_t c = 0; c < ncols; c++) {
        t.headers[c] = headers[c];
        t.widths[c] = widths ? widths[c] : 30;
    }
    t.cells = xcalloc(nrows * ncols, sizeof *t.cells);
    return t;
}

static table families_table(const cJSON *sum)
{
    static const char *const h[] = {"Family",  "Title",  "Achieved",    "Possible",     "Score %",
                                    "Passed",  "Failed", "In progress", "Not assessed", "Out of scope"};
    static const double w[] = {12, 40, 11, 11, 10, 9, 9, 13, 14, 14};
    const cJSON *fams = get(sum, "families");
    table t = new_table("Families", h, 10, w, (size_t)cJSON_GetArraySize(fams));
    size_t r = 0;
    for (const cJSON *f = fams->child; f; f = f->next, r++) {
        cell *c = t.cells + r * t.ncols;
        const cJSON *sc = get(f, "score"), *cc = get(f, "controls");
        set_str(&c[0], str(f, "id"), F_TXT);
        set_str(&c[1], str(f, "title"), F_WRAP);
        set_num(&c[2], get(sc, "achieved"), F_NUM);
        set_num(&c[3], get(sc, "possible"), F_NUM);
        set_num(&c[4], get(sc, "percent"), F_PCT);
        static const char *const st[] = {"passed", "failed", "in_progress", "not_assessed",
                                         "out_of_scope"};
        for (int k = 0; k < 5; k++)
            set_num(&c[5 + k], get(cc, st[k]), F_NUM);
    }
    return t;
}

/* Mapping frameworks in order of first appearance, and each control's
 * mappings, in template order (the summary keeps template order too). */
static table controls_table(const cJSON *sum, const cJSON *tpl)
{
    static const char *const h[] = {"Family",  "Control",  "Title",   "Status",     "Achieved",
                                    "Possible", "Score %", "Actions", "Applicable", "Justification"};
    static const double w[] = {10, 14, 40, 13, 11, 11, 10, 40, 12, 40};
    const char *fw[64];
    size_t nfw = 0;
    size_t nctl = 0;
    for (const cJSON *f = get(tpl, "families")->child; f; f = f->next)
        for (const cJSON *c = get(f, "controls")->child; c; c = c->next, nctl++)
            for (const cJSON *m = get(c, "mappings") ? get(c, "mappings")->child : NULL; m;
                 m = m->next) {
                size_t k = 0;
                while (k < nfw && strcmp(fw[k], m->string) != 0)
                    k++;
                if (k == nfw && nfw < 64)
                    fw[nfw++] = m->string;
            }
    const char **hdr = xcalloc(10 + nfw, sizeof *hdr);
    double *wid = xcalloc(10 + nfw, sizeof *wid);
    for (size_t k = 0; k < 10; k++) {
        hdr[k] = h[k];
        wid[k] = w[k];
    }
    for (size_t k = 0; k < nfw; k++) {
        hdr[10 + k] = fw[k];
        wid[10 + k] = 24;
    }
    const cJSON *ctls = get(sum, "controls");
    table t = new_table("Controls", hdr, 10 + nfw, wid, (size_t)cJSON_GetArraySize(ctls));
    const cJSON *tf = get(tpl, "families")->child;
    const cJSON *tc = tf ? get(tf, "controls")->child : NULL;
    size_t r = 0;
    for (const cJSON *o = ctls->child; o; o = o->next, r++) {
        cell *c = t.cells + r * t.ncols;
        const cJSON *sc = get(o, "score");
        set_str(&c[0], str(o, "family"), F_TXT);
        set_str(&c[1], str(o, "id"), F_TXT);
        set_str(&c[2], str(o, "title"), F_WRAP);
        set_str(&c[3], label(str(o, "status"), cstatus_labels), F_TXT);
        set_num(&c[4], get(sc, "achieved"), F_NUM);
        set_num(&c[5], get(sc, "possible"), F_NUM);
        set_num(&c[6], get(sc, "percent"), F_PCT);
        set_str(&c[7], join(get(o, "actions"), ", "), F_WRAP);
        set_str(&c[8], cJSON_IsTrue(get(o, "applicable")) ? "Yes" : "No", F_TXT);
        set_str(&c[9], str(o, "justification"), F_WRAP);
        while (tf && !tc) {
            tf = tf->next;
            tc = tf ? get(tf, "controls")->child : NULL;
        }
        if (tc) {
            const cJSON *maps = get(tc, "mappings");
            for (size_t k = 0; maps && k < nfw; k++)
                set_str(&c[10 + k], join(get(maps, fw[k]), ", "), F_WRAP);
            tc = tc->next;
        }
    }
    return t;
}

static table actions_table(const cJSON *sum)
{
    static const char *const h[] = {
        "Action",     "Title",  "Type",      "Enforcement", "Implementation type", "Owner",
        "Points",     "Implementation", "Test", "Tested on", "Assigned to", "Achieved",
        "Gain",       "Controls", "Notes",   "Evidence"};
    static const double w[] = {18, 40, 12, 14, 20, 10, 8, 26, 20, 12, 28, 10, 8, 30, 40, 40};
    const cJSON *acts = get(sum, "actions");
    table t = new_table("Improvement actions", h, 16, w, (size_t)cJSON_GetArraySize(acts));
    size_t r = 0;
    for (const cJSON *a = acts->child; a; a = a->next, r++) {
        cell *c = t.cells + r * t.ncols;
        set_str(&c[0], str(a, "id"), F_TXT);
        set_str(&c[1], str(a, "title"), F_WRAP);
        set_str(&c[2], str(a, "type"), F_TXT);
        set_str(&c[3], str(a, "enforcement"), F_TXT);
        set_str(&c[4], str(a, "implementation_type"), F_TXT);
        set_str(&c[5], str(a, "owner"), F_TXT);
        set_num(&c[6], get(a, "points"), F_NUM);
        set_str(&c[7], label(str(a, "implementation"), impl_labels), F_TXT);
        set_str(&c[8], label(str(a, "test"), test_labels), F_TXT);
        if (str(a, "tested_at"))
            set_date(&c[9], str(a, "tested_at"));
        set_str(&c[10], str(a, "assigned_to"), F_TXT);
        set_num(&c[11], get(a, "achieved"), F_NUM);
        if (strcmp(str(a, "status"), "out_of_scope") != 0) {
            double pts = get(a, "points")->valuedouble, credit = get(a, "credit")->valuedouble;
            c[12] = (cell){.kind = K_NUM, .fmt = F_NUM, .v = pts * (1 - credit)};
        }
        set_str(&c[13], join(get(a, "controls"), ", "), F_WRAP);
        set_str(&c[14], str(a, "notes"), F_WRAP);
        set_str(&c[15], join(get(a, "evidence"), "\n"), F_WRAP);
    }
    return t;
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

static void check(lxw_error e, const char *what)
{
    if (e) {
        fprintf(stderr, "xlsx_floor: %s: %s\n", what, lxw_strerror(e));
        exit(1);
    }
}

static void write_workbook(const char *out, const table *tabs, size_t ntabs)
{
    lxw_workbook_options o = {.constant_memory = LXW_TRUE};
    lxw_workbook *wb = workbook_new_opt(out, &o);
    if (!wb) {
        fprintf(stderr, "xlsx_floor: %s: cannot create\n", out);
        exit(1);
    }
    /* One object per distinct format: libxlsxwriter 1.1 hashes a format that
     * duplicates another one again on every cell it is used for. Numbers
     * use the text format (top-aligned, general). */
    lxw_format *fmt[F__COUNT] = {NULL};
    for (int f = F_TXT; f < F__COUNT; f++) {
        if (f == F_NUM)
            continue;
        fmt[f] = workbook_add_format(wb);
        format_set_align(fmt[f], LXW_ALIGN_VERTICAL_TOP);
    }
    fmt[F_NUM] = fmt[F_TXT];
    format_set_text_wrap(fmt[F_WRAP]);
    format_set_num_format(fmt[F_PCT], "0.00");
    format_set_num_format(fmt[F_DATE], "yyyy-mm-dd");
    lxw_format *hdr = workbook_add_format(wb);
    format_set_bold(hdr);
    format_set_bg_color(hdr, 0xDDEBF7);
    format_set_bottom(hdr, LXW_BORDER_THIN);

    for (size_t k = 0; k < ntabs; k++) {
        const table *t = &tabs[k];
        lxw_worksheet *ws = workbook_add_worksheet(wb, t->name);
        for (size_t c = 0; c < t->ncols; c++)
            check(worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, t->widths[c], NULL),
                  "set_column");
        for (size_t c = 0; c < t->ncols; c++)
            check(worksheet_write_string(ws, 0, (lxw_col_t)c, t->headers[c], hdr), "header");
        for (size_t r = 0; r < t->nrows; r++) {
            const cell *row = t->cells + r * t->ncols;
            for (size_t c = 0; c < t->ncols; c++) {
                const cell *x = &row[c];
                lxw_row_t rr = (lxw_row_t)(r + 1);
                lxw_col_t cc = (lxw_col_t)c;
                lxw_error e = LXW_NO_ERROR;
                if (x->kind == K_STR)
                    e = worksheet_write_string(ws, rr, cc, x->s, fmt[x->fmt]);
                else if (x->kind == K_NUM)
                    e = worksheet_write_number(ws, rr, cc, x->v, fmt[x->fmt]);
                else if (x->kind == K_DATE)
                    e = worksheet_write_datetime(ws, rr, cc, (lxw_datetime *)&x->dt, fmt[x->fmt]);
                check(e, "cell");
            }
        }
        worksheet_freeze_panes(ws, 1, 0);
        check(worksheet_autofilter(ws, 0, 0, (lxw_row_t)t->nrows, (lxw_col_t)(t->ncols - 1)),
              "autofilter");
    }
    check(workbook_close(wb), "close");
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
    table tabs[3] = {families_table(sum), controls_table(sum, tpl), actions_table(sum)};
    double *t = xcalloc((size_t)reps, sizeof *t);
    for (int i = 0; i < reps; i++) {
        double s = cpu_ms();
        write_workbook(argv[optind + 2], tabs, 3);
        t[i] = cpu_ms() - s;
    }
    qsort(t, (size_t)reps, sizeof *t, cmp_double);
    double med = reps % 2 ? t[reps / 2] : (t[reps / 2 - 1] + t[reps / 2]) / 2;
    printf("phase xlsx_floor median_ms %.3f min_ms %.3f\n", med, t[0]);
    /* the tables and trees live until exit */
    return 0;
}
