/*
 * sheet_answers.c - answers as CSV and as a workbook, both directions;
 * blank answer sheets; loading and writing by extension.
 */
#include "posture/sheet_answers.h"

#include <csv.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include <xlsxwriter.h>

#include "model/csv_read.h"
#include "base/limit.h"
#include "actions_sheet.h"
#include "posture/clock.h"
#include "posture/fileio.h"
#include "posture/profile.h"
#include "posture/version.h"
#include "model/xlsx_read.h"
#include "base/utf8.h"


#define ANSWERS_FORMAT "posture-answers/1"
#define GENERATOR "posture " POSTURE_VERSION
#define SHEET_ACTIONS ACTIONS_SHEET
#define SHEET_CONTROLS "Controls"
#define SHEET_ABOUT "About"
#define SHEET_HELP "Instructions"
#define PLACE_MAX 320

/* ---- small helpers --------------------------------------------------------------------------- */

typedef struct sbuf {
    char *p;
    size_t len, cap;
} sbuf;

static int sbuf_add(sbuf *b, const char *s, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->len + n + 1)
            cap *= 2;
        char *p = realloc(b->p, cap);
        if (!p)
            return posture_error_set(POSTURE_ENOMEM, "out of memory");
        b->p = p;
        b->cap = cap;
    }
    if (n)
        memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
    return 0;
}

static int sbuf_str(sbuf *b, const char *s) { return sbuf_add(b, s, strlen(s)); }

static void sbuf_reset(sbuf *b)
{
    b->len = 0;
    if (b->p)
        b->p[0] = '\0';
}

static int blank(const char *s)
{
    for (; *s; s++)
        if (*s != ' ' && *s != '\t' && *s != '\r' && *s != '\n')
            return 0;
    return 1;
}

/* `s` without surrounding blanks, in `buf` of `cap` bytes (cut to fit). */
static const char *trimmed(const char *s, char *buf, size_t cap)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
        n--;
    if (n >= cap)
        n = cap - 1;
    memcpy(buf, s, n);
    buf[n] = '\0';
    return buf;
}

/* The base name of `path` without its extension ("q3/contoso.csv" -> "contoso"); caller frees. */
static char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    const char *b = slash ? slash + 1 : path;
    const char *dot = strrchr(b, '.');
    size_t n = dot && dot != b ? (size_t)(dot - b) : strlen(b);
    return strndup(b, n);
}

int posture_answers_format_of(const char *path, posture_answers_format *out)
{
    if (strcmp(path, "-") == 0) {
        *out = POSTURE_ANSWERS_JSON;
        return 0;
    }
    const char *slash = strrchr(path, '/');
    const char *dot = strrchr(slash ? slash : path, '.');
    const char *ext = dot ? dot + 1 : "";
    if (strcasecmp(ext, "json") == 0)
        *out = POSTURE_ANSWERS_JSON;
    else if (strcasecmp(ext, "csv") == 0)
        *out = POSTURE_ANSWERS_CSV;
    else if (strcasecmp(ext, "xlsx") == 0)
        *out = POSTURE_ANSWERS_XLSX;
    else if (*ext)
        return posture_error_set(POSTURE_EINVALID, "unsupported answers format \".%s\"", ext);
    else
        return posture_error_set(POSTURE_EINVALID,
                                 "unsupported answers format (the name has no extension)");
    return 0;
}

/* ---- fields of an answer --------------------------------------------------------------------- */

enum { F_ACTION, F_IMPL, F_TEST, F_TESTED, F_ASSIGNED, F_NOTES, F_EVIDENCE, F__COUNT };

/* CSV column names (tokens) and workbook headers (labels); both accepted when reading. */
static const char *const field_token[F__COUNT] = {"action",      "implementation", "test",
                                                  "tested_at",   "assigned_to",    "notes",
                                                  "evidence"};
static const char *const field_label[F__COUNT] = {"Action",      "Implementation", "Test",
                                                  "Tested on",   "Assigned to",    "Notes",
                                                  "Evidence"};

static int field_of_header(const char *h)
{
    char buf[64];
    const char *t = trimmed(h, buf, sizeof buf);
    for (int f = 0; f < F__COUNT; f++)
        if (strcasecmp(t, field_token[f]) == 0 || strcasecmp(t, field_label[f]) == 0)
            return f;
    return -1;
}

/* ---- the reading context shared by the CSV and workbook readers ------------------------------ */

typedef struct rdr {
    const char *file;
    posture_diags *d;
    posture_answers *a;
    size_t errors;
    int rc;              /* ENOMEM */
    sbuf ev;             /* evidence cell being split */
    const char **items;
    size_t capitems;
    size_t max_answers, max_string; /* resource limits (limit.h), set by rdr_limits() */
} rdr;

/* Read the limits on answers and their text; a bad variable is an error in the diagnostics. */
static int rdr_limits(rdr *r)
{
    int rc = limit_get(LIMIT_ACTIONS, &r->max_answers);
    if (rc == 0)
        rc = limit_get(LIMIT_STRING_BYTES, &r->max_string);
    if (rc != 0)
        posture_diags_add(r->d, POSTURE_SEV_ERROR, NULL, NULL, NULL, "%s", posture_error_last());
    return rc;
}

static void rmsg(rdr *r, posture_severity sev, const char *place, const char *hint,
                 const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 5, 6)))
#endif
    ;

static void rmsg(rdr *r, posture_severity sev, const char *place, const char *hint,
                 const char *fmt, ...)
{
    char msg[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (sev == POSTURE_SEV_ERROR || posture_diags_strict(r->d))
        r->errors++;
    if (posture_diags_add(r->d, sev, r->file, place, hint, "%s", msg) != 0 && !r->rc)
        r->rc = POSTURE_ENOMEM;
}

/* Where the cells of one row are, for messages. */
typedef struct where {
    const char *sheet;          /* NULL for CSV */
    unsigned long row;          /* CSV line, or sheet row */
    long col[F__COUNT];         /* sheet column of each field, or -1 */
} where;

static const char *place_of(const where *w, int f, char buf[PLACE_MAX])
{
    if (!w->sheet) {
        snprintf(buf, PLACE_MAX, "%lu", w->row);
    } else {
        char cell[24];
        xlsx_cell_name(cell, w->row, (unsigned long)(w->col[f] >= 0 ? w->col[f] : 0));
        snprintf(buf, PLACE_MAX, "sheet \"%s\" cell %s", w->sheet, cell);
    }
    return buf;
}

typedef struct xr xr;
static const char *cell_date(xr *x, unsigned long row, const xlsx_cell *c, char *buf);

/*
 * Add one answer from the text of its fields (NULL: absent). Problems are
 * reported in column order and the answer is still added, so that its
 * action id is checked too. A workbook's date comes from `date_cell` of
 * `x` (CSV: x NULL, the date is the text of v[F_TESTED]).
 */
static void add_answer(rdr *r, const where *w, const char *v[F__COUNT], xr *x,
                       const xlsx_cell *date_cell)
{
    char datebuf[11];
    char place[PLACE_MAX];
    if (posture_answers_count(r->a) >= r->max_answers) {
        limit_check_count(LIMIT_ACTIONS, posture_answers_count(r->a) + 1, "answers", r->file,
                          place_of(w, F_ACTION, place), r->d);
        r->errors++;
        r->rc = POSTURE_ELIMIT;
        return;
    }
    for (int f = 0; f < F__COUNT; f++)
        if (v[f] && strlen(v[f]) > r->max_string) {
            limit_check_length(LIMIT_STRING_BYTES, strlen(v[f]), r->file, place_of(w, f, place),
                               r->d);
            r->errors++;
            r->rc = POSTURE_ELIMIT;
            return;
        }
    posture_answer an = {0};
    an.action = v[F_ACTION];
    an.implementation = POSTURE_IMPL_NOT_IMPLEMENTED;
    an.test = POSTURE_TEST_NOT_ASSESSED;
    an.action_index = -1;
    if (v[F_IMPL] && !blank(v[F_IMPL]) &&
        posture_implementation_parse(v[F_IMPL], &an.implementation) != 0)
        rmsg(r, POSTURE_SEV_ERROR, place_of(w, F_IMPL, place), NULL,
             "unknown implementation status \"%s\"; expected one of: %s", v[F_IMPL],
             posture_implementation_expected());
    if (v[F_TEST] && !blank(v[F_TEST]) && posture_test_parse(v[F_TEST], &an.test) != 0)
        rmsg(r, POSTURE_SEV_ERROR, place_of(w, F_TEST, place), NULL,
             "unknown test status \"%s\"; expected one of: %s", v[F_TEST],
             posture_test_expected());
    if (x && date_cell) {
        an.tested_at = cell_date(x, w->row, date_cell, datebuf);
    } else if (!x && v[F_TESTED]) {
        an.tested_at = v[F_TESTED];
        if (!posture_date_valid(an.tested_at)) {
            rmsg(r, POSTURE_SEV_ERROR, place_of(w, F_TESTED, place), NULL,
                 "invalid date \"%s\"; expected YYYY-MM-DD", an.tested_at);
            an.tested_at = NULL;
        }
    }
    an.assigned_to = v[F_ASSIGNED];
    an.notes = v[F_NOTES];

    /* evidence: one item per line of the cell (a CR before the LF dropped) */
    size_t n = 0;
    if (v[F_EVIDENCE]) {
        sbuf_reset(&r->ev);
        if (sbuf_str(&r->ev, v[F_EVIDENCE]) != 0) {
            r->rc = POSTURE_ENOMEM;
            return;
        }
        size_t lines = 1;
        for (const char *p = r->ev.p; *p; p++)
            lines += *p == '\n';
        if (lines > r->capitems) {
            const char **items = realloc(r->items, lines * sizeof *items);
            if (!items) {
                r->rc = posture_error_set(POSTURE_ENOMEM, "out of memory");
                return;
            }
            r->items = items;
            r->capitems = lines;
        }
        char *s = r->ev.p;
        for (;;) {
            char *nl = strchr(s, '\n');
            if (nl) {
                *nl = '\0';
                if (nl > s && nl[-1] == '\r')
                    nl[-1] = '\0';
            }
            r->items[n++] = s;
            if (!nl)
                break;
            s = nl + 1;
        }
    }
    an.evidence = r->items;
    an.nevidence = n;
    an.place = place_of(w, F_ACTION, place);
    if (posture_answers_add(r->a, &an) != 0)
        r->rc = POSTURE_ENOMEM;
}

/* ---- CSV reader ------------------------------------------------------------------------------ */

typedef struct csv_st {
    rdr *r;
    int header_done, header_bad;
    long col[F__COUNT];
    size_t ncols;
} csv_st;

static void csv_header(csv_st *s, size_t line, char *const *fields, size_t n)
{
    rdr *r = s->r;
    char place[32];
    snprintf(place, sizeof place, "%zu", line);
    s->header_done = 1;
    s->ncols = n;
    for (size_t i = 0; i < n; i++) {
        int f = field_of_header(fields[i]);
        if (f < 0) {
            char buf[256];
            rmsg(r, POSTURE_SEV_WARNING, place, NULL, "unknown column \"%s\" (ignored)",
                 trimmed(fields[i], buf, sizeof buf));
        } else if (s->col[f] >= 0) {
            rmsg(r, POSTURE_SEV_ERROR, place, NULL, "column \"%s\" appears twice",
                 field_token[f]);
            s->header_bad = 1;
        } else {
            s->col[f] = (long)i;
        }
    }
    if (s->col[F_ACTION] < 0) {
        /* Excel in many locales separates by ';', its "Unicode text" by tabs */
        const char *sep = n == 1 ? (strchr(fields[0], ';') ? "semicolons"
                                    : strchr(fields[0], '\t') ? "tabs" : NULL)
                                 : NULL;
        char hint[160];
        if (sep)
            snprintf(hint, sizeof hint,
                     "the header is separated by %s; posture reads comma-separated values "
                     "(Excel: \"CSV UTF-8 (Comma delimited)\")", sep);
        rmsg(r, POSTURE_SEV_ERROR, place,
             sep ? hint
                 : "the first row names the columns: action,implementation,test,tested_at,"
                   "assigned_to,notes,evidence (only action is required)",
             "the header row has no \"action\" column");
        s->header_bad = 1;
    }
}

static int csv_record(void *ctx, size_t line, char *const *fields, const size_t *lens, size_t n)
{
    csv_st *s = ctx;
    rdr *r = s->r;
    if (!s->header_done) {
        csv_header(s, line, fields, n);
        return r->rc;
    }
    if (s->header_bad)
        return 0;
    size_t used = 0;
    for (size_t i = 0; i < n; i++)
        if (lens[i])
            used = i + 1;
    if (used == 0)
        return 0; /* a record of empty fields, as spreadsheets export */
    where w = {NULL, line, {0}};
    char place[32];
    snprintf(place, sizeof place, "%zu", line);
    if (used > s->ncols) {
        rmsg(r, POSTURE_SEV_ERROR, place, NULL, "the record has %zu fields, the header %zu",
             used, s->ncols);
        return r->rc;
    }
    const char *v[F__COUNT];
    for (int f = 0; f < F__COUNT; f++) {
        long c = s->col[f];
        v[f] = c >= 0 && (size_t)c < n && lens[c] ? fields[c] : NULL;
    }
    if (!v[F_ACTION]) {
        rmsg(r, POSTURE_SEV_ERROR, place, NULL, "the record has no action id");
        return r->rc;
    }
    add_answer(r, &w, v, NULL, NULL);
    return r->rc;
}

static void rdr_release(rdr *r)
{
    free(r->ev.p);
    free(r->items);
}

/* Name the template `t` (when no reference is set) and the assessment after `file`. */
static int set_defaults(posture_answers *a, const posture_template *t, const char *file)
{
    int rc = 0;
    if (t && !posture_answers_template_ref(a)) {
        const posture_template_info *ti = posture_template_info_get(t);
        rc = posture_answers_set_template(a, ti->id, ti->version);
    }
    const posture_assessment_info *cur = posture_answers_info(a);
    if (rc == 0 && !cur->name) {
        char *name = base_name(file);
        if (!name)
            return posture_error_set(POSTURE_ENOMEM, "out of memory");
        posture_assessment_info info = *cur;
        info.name = name;
        rc = posture_answers_set_info(a, &info);
        free(name);
    }
    return rc;
}

/* Finish a reader: defaults, then the template check; `*out` set only when all is well. */
static int finish(rdr *r, int rc, const posture_template *t, posture_answers **out)
{
    if (rc == 0)
        rc = r->rc;
    if (rc == 0)
        rc = set_defaults(r->a, t, r->file);
    if (rc == 0 && t) {
        int rrc = posture_answers_resolve(r->a, t, r->file, r->d);
        if (rrc == POSTURE_ENOMEM)
            rc = rrc;
        else if (rrc != 0)
            r->errors++;
    }
    if (rc == 0 && r->errors)
        rc = POSTURE_EINVALID;
    rdr_release(r);
    if (rc != 0) {
        posture_answers_free(r->a);
        return rc;
    }
    *out = r->a;
    return 0;
}

int posture_answers_parse_csv(const char *text, size_t len, const char *file,
                              const posture_template *t, posture_diags *diags,
                              posture_answers **out)
{
    *out = NULL;
    rdr r = {file, diags, NULL, 0, 0, {0}, NULL, 0, 0, 0};
    int rc = rdr_limits(&r);
    if (rc != 0)
        return rc;
    rc = posture_answers_new(&r.a);
    if (rc != 0)
        return rc;
    csv_st s = {&r, 0, 0, {-1, -1, -1, -1, -1, -1, -1}, 0};
    rc = csv_read_text(text, len, file, diags, csv_record, &s);
    if (rc == 0 && !s.header_done) {
        rmsg(&r, POSTURE_SEV_ERROR, "1",
             "the first row names the columns: action,implementation,test,tested_at,"
             "assigned_to,notes,evidence (only action is required)",
             "the file is empty: a header row is required");
    }
    return finish(&r, rc, t, out);
}

int posture_answers_load_csv(const char *path, const posture_template *t, posture_diags *diags,
                             posture_answers **out)
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
    rc = posture_answers_parse_csv(text, len, path, t, diags, out);
    free(text);
    return rc;
}

/* ---- workbook reader ------------------------------------------------------------------------- */

struct xr {
    rdr *r;
    int date1904;
    const char *sheet;
};

static void cell_place(const xr *x, unsigned long row, unsigned long col, char buf[PLACE_MAX])
{
    char cell[24];
    xlsx_cell_name(cell, row, col);
    snprintf(buf, PLACE_MAX, "sheet \"%s\" cell %s", x->sheet, cell);
}

/*
 * The text of a cell for a text field: strings as they are, numbers as
 * stored (dates in a date style as YYYY-MM-DD), booleans TRUE/FALSE. An
 * error value is reported and gives NULL.
 */
static const char *cell_text(xr *x, unsigned long row, const xlsx_cell *c, char *datebuf)
{
    char place[PLACE_MAX];
    switch (c->type) {
    case XLSX_NUMBER:
        if (c->date_style && xlsx_serial_date(c->num, x->date1904, datebuf) == 0)
            return datebuf;
        return c->text;
    case XLSX_ERROR:
        cell_place(x, row, c->col, place);
        rmsg(x->r, POSTURE_SEV_ERROR, place, NULL, "the cell holds the error value %s",
             c->text);
        return NULL;
    default:
        return c->text;
    }
}

/* The date of a date field as YYYY-MM-DD in `buf`, or NULL after reporting why not. */
static const char *cell_date(xr *x, unsigned long row, const xlsx_cell *c, char *buf)
{
    char place[PLACE_MAX];
    cell_place(x, row, c->col, place);
    switch (c->type) {
    case XLSX_NUMBER:
        if (!c->date_style) {
            rmsg(x->r, POSTURE_SEV_ERROR, place, "enter a date, e.g. 2026-11-20",
                 "%s is a number, not a date", c->text);
            return NULL;
        }
        if (xlsx_serial_date(c->num, x->date1904, buf) != 0) {
            rmsg(x->r, POSTURE_SEV_ERROR, place, NULL, "%s is not a valid date serial", c->text);
            return NULL;
        }
        return buf;
    case XLSX_STRING:
        if (posture_date_valid(c->text))
            return c->text;
        rmsg(x->r, POSTURE_SEV_ERROR, place,
             "enter a date, or text in the form YYYY-MM-DD (e.g. 2026-11-20)",
             "date in text form \"%s\"", c->text);
        return NULL;
    case XLSX_DATE:
        if (c->len >= 10 && (c->len == 10 || c->text[10] == 'T')) {
            memcpy(buf, c->text, 10);
            buf[10] = '\0';
            if (posture_date_valid(buf))
                return buf;
        }
        rmsg(x->r, POSTURE_SEV_ERROR, place, NULL, "invalid date \"%s\"; expected YYYY-MM-DD",
             c->text);
        return NULL;
    case XLSX_ERROR:
        rmsg(x->r, POSTURE_SEV_ERROR, place, NULL, "the cell holds the error value %s",
             c->text);
        return NULL;
    default:
        rmsg(x->r, POSTURE_SEV_ERROR, place, "enter a date, e.g. 2026-11-20",
             "%s is not a date", c->text);
        return NULL;
    }
}

/* -- "Improvement actions" -- */

typedef struct ia_st {
    xr x;
    int header_done, header_bad;
    unsigned long header_row;
    long col[F__COUNT];
} ia_st;

static void ia_header(ia_st *s, unsigned long row, const xlsx_cell *cells, size_t n)
{
    rdr *r = s->x.r;
    char place[PLACE_MAX], first[24];
    s->header_done = 1;
    s->header_row = row;
    for (size_t i = 0; i < n; i++) {
        if (cells[i].type != XLSX_STRING)
            continue;
        int f = field_of_header(cells[i].text);
        if (f < 0)
            continue; /* other columns (Title, Points, ...) are not answers */
        if (s->col[f] >= 0) {
            cell_place(&s->x, row, cells[i].col, place);
            xlsx_cell_name(first, row, (unsigned long)s->col[f]);
            rmsg(r, POSTURE_SEV_ERROR, place, NULL, "column \"%s\" appears twice (first at %s)",
                 field_label[f], first);
            s->header_bad = 1;
        } else {
            s->col[f] = (long)cells[i].col;
        }
    }
}

/* Whether the row holds a cell whose text is "Action": the header row. */
static int is_header_row(const xlsx_cell *cells, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (cells[i].type == XLSX_STRING && field_of_header(cells[i].text) == F_ACTION)
            return 1;
    return 0;
}

static int ia_row(void *ctx, unsigned long row, const xlsx_cell *cells, size_t n)
{
    ia_st *s = ctx;
    xr *x = &s->x;
    rdr *r = x->r;
    if (!s->header_done) {
        if (is_header_row(cells, n))
            ia_header(s, row, cells, n);
        return r->rc;
    }
    if (s->header_bad)
        return 0;
    const xlsx_cell *fc[F__COUNT] = {0};
    for (size_t i = 0; i < n; i++)
        for (int f = 0; f < F__COUNT; f++)
            if (s->col[f] == (long)cells[i].col)
                fc[f] = &cells[i];
    int answered = 0;
    for (int f = F_IMPL; f < F__COUNT; f++)
        answered |= fc[f] != NULL;
    where w = {x->sheet, row, {0}};
    memcpy(w.col, s->col, sizeof w.col);
    char place[PLACE_MAX];
    if (!fc[F_ACTION]) {
        if (answered)
            rmsg(r, POSTURE_SEV_ERROR, place_of(&w, F_ACTION, place), NULL,
                 "a row with answers but no action id");
        return r->rc;
    }
    if (!answered)
        return 0; /* an action left unanswered */
    char dates[F__COUNT][11];
    const char *v[F__COUNT] = {0};
    for (int f = 0; f < F__COUNT; f++)
        if (fc[f] && f != F_TESTED)
            v[f] = cell_text(x, row, fc[f], dates[f]);
    if (!v[F_ACTION] || blank(v[F_ACTION])) {
        rmsg(r, POSTURE_SEV_ERROR, place_of(&w, F_ACTION, place), NULL,
             "a row with answers but no action id");
        return r->rc;
    }
    add_answer(r, &w, v, x, fc[F_TESTED]);
    return r->rc;
}

/* -- "Controls" -- */

enum { C_CONTROL, C_APPLICABLE, C_JUSTIFICATION, C__COUNT };
static const char *const control_header[C__COUNT] = {"Control", "Applicable", "Justification"};

typedef struct ct_st {
    xr x;
    int header_done, skip;
    long col[C__COUNT];
} ct_st;

/* Applicability from a cell: 1 yes, 0 no, -1 unknown. */
static int parse_applicable(const xlsx_cell *c)
{
    if (c->type == XLSX_BOOL)
        return strcmp(c->text, "TRUE") == 0;
    if (c->type == XLSX_NUMBER && (strcmp(c->text, "1") == 0 || strcmp(c->text, "0") == 0))
        return c->text[0] == '1';
    if (c->type != XLSX_STRING)
        return -1;
    char buf[16];
    const char *t = trimmed(c->text, buf, sizeof buf);
    if (strcasecmp(t, "yes") == 0 || strcasecmp(t, "true") == 0)
        return 1;
    if (strcasecmp(t, "no") == 0 || strcasecmp(t, "false") == 0)
        return 0;
    return -1;
}

static int ct_row(void *ctx, unsigned long row, const xlsx_cell *cells, size_t n)
{
    ct_st *s = ctx;
    xr *x = &s->x;
    rdr *r = x->r;
    char place[PLACE_MAX], buf[64];
    if (s->skip)
        return 0;
    if (!s->header_done) {
        s->header_done = 1;
        for (size_t i = 0; i < n; i++)
            for (int k = 0; k < C__COUNT; k++)
                if (cells[i].type == XLSX_STRING && s->col[k] < 0 &&
                    strcasecmp(trimmed(cells[i].text, buf, sizeof buf), control_header[k]) == 0)
                    s->col[k] = (long)cells[i].col;
        /* without Control and Applicable columns the sheet says nothing about scope */
        s->skip = s->col[C_CONTROL] < 0 || s->col[C_APPLICABLE] < 0;
        return 0;
    }
    const xlsx_cell *fc[C__COUNT] = {0};
    for (size_t i = 0; i < n; i++)
        for (int k = 0; k < C__COUNT; k++)
            if (s->col[k] == (long)cells[i].col)
                fc[k] = &cells[i];
    int applicable = 1;
    if (fc[C_APPLICABLE]) {
        applicable = parse_applicable(fc[C_APPLICABLE]);
        if (applicable < 0) {
            cell_place(x, row, fc[C_APPLICABLE]->col, place);
            rmsg(r, POSTURE_SEV_ERROR, place, NULL,
                 "unknown applicability \"%s\"; expected Yes or No", fc[C_APPLICABLE]->text);
            return r->rc;
        }
    }
    char d1[11], d2[11];
    const char *just = fc[C_JUSTIFICATION] ? cell_text(x, row, fc[C_JUSTIFICATION], d1) : NULL;
    if (applicable && !just)
        return r->rc; /* applicable is the default: nothing to record */
    const char *id = fc[C_CONTROL] ? cell_text(x, row, fc[C_CONTROL], d2) : NULL;
    cell_place(x, row, (unsigned long)s->col[C_CONTROL], place);
    if (!id || blank(id)) {
        rmsg(r, POSTURE_SEV_ERROR, place, NULL, "a row with applicability but no control id");
        return r->rc;
    }
    posture_control_scope cs = {id, applicable, just, -1, place};
    if (posture_answers_add_control(r->a, &cs) != 0)
        r->rc = POSTURE_ENOMEM;
    return r->rc;
}

/* -- "About" -- */

enum { K_TEMPLATE, K_VERSION, K_NAME, K_ORG, K_SCOPE, K_GROUP, K_ASSESSED, K__COUNT };
static const char *const about_key[K__COUNT] = {"Template", "Template version", "Assessment",
                                                "Organization", "Scope", "Group",
                                                "Assessed at"};

typedef struct ab_st {
    xr x;
    unsigned long last_row;
    int started, done;
    char *val[K__COUNT];
    unsigned long key_row[K__COUNT];
} ab_st;

static int ab_row(void *ctx, unsigned long row, const xlsx_cell *cells, size_t n)
{
    ab_st *s = ctx;
    xr *x = &s->x;
    rdr *r = x->r;
    if (s->done)
        return 0;
    /* the key/value block ends at the first empty row after it */
    if (s->started && row > s->last_row + 1) {
        s->done = 1;
        return 0;
    }
    s->last_row = row;
    const xlsx_cell *kc = NULL, *vc = NULL;
    for (size_t i = 0; i < n; i++) {
        if (cells[i].col == 0)
            kc = &cells[i];
        else if (cells[i].col == 1)
            vc = &cells[i];
    }
    if (!kc || kc->type != XLSX_STRING)
        return 0;
    char buf[64];
    const char *key = trimmed(kc->text, buf, sizeof buf);
    int k = 0;
    while (k < K__COUNT && strcasecmp(key, about_key[k]) != 0)
        k++;
    if (k == K__COUNT)
        return 0;
    s->started = 1;
    char place[PLACE_MAX];
    if (s->key_row[k]) {
        cell_place(x, row, 0, place);
        rmsg(r, POSTURE_SEV_ERROR, place, NULL, "key \"%s\" appears twice (first at A%lu)",
             about_key[k], s->key_row[k]);
        return r->rc;
    }
    s->key_row[k] = row;
    if (!vc)
        return 0;
    char dbuf[11];
    const char *v = k == K_ASSESSED ? cell_date(x, row, vc, dbuf) : cell_text(x, row, vc, dbuf);
    if (v && !(s->val[k] = strdup(v)))
        r->rc = posture_error_set(POSTURE_ENOMEM, "out of memory");
    return r->rc;
}

/* Read sheet `name` when present; `*found` tells whether it was. */
static int read_sheet(xlsx_book *b, const char *name, xlsx_row_fn fn, xr *x, int *found)
{
    long i = xlsx_sheet_find(b, name);
    *found = i >= 0;
    if (i < 0)
        return 0;
    x->sheet = xlsx_sheet_name(b, (size_t)i);
    x->date1904 = xlsx_date1904(b);
    int rc = xlsx_sheet_read(b, (size_t)i, fn, x);
    if (rc == POSTURE_EINVALID) {
        x->r->errors++;
        rc = 0;
    }
    return rc;
}

static int read_workbook(rdr *r, xlsx_book *b)
{
    int found, rc;
    ia_st ia = {{r, 0, NULL}, 0, 0, 0, {-1, -1, -1, -1, -1, -1, -1}};
    rc = read_sheet(b, SHEET_ACTIONS, ia_row, &ia.x, &found);
    if (rc == 0 && !found) {
        sbuf names = {0};
        for (size_t i = 0; i < xlsx_sheet_count(b) && !r->rc; i++)
            if (sbuf_str(&names, i ? ", " : "") != 0 ||
                sbuf_str(&names, xlsx_sheet_name(b, i)) != 0)
                r->rc = POSTURE_ENOMEM;
        char hint[1200];
        snprintf(hint, sizeof hint, "answers are read from the \"%s\" sheet; this workbook has: %s",
                 SHEET_ACTIONS, names.p ? names.p : "no sheets");
        free(names.p);
        rmsg(r, POSTURE_SEV_ERROR, NULL, hint, "no sheet \"%s\"", SHEET_ACTIONS);
        return r->rc;
    }
    if (rc == 0 && found && !ia.header_done) {
        char place[PLACE_MAX];
        snprintf(place, sizeof place, "sheet \"%s\"", ia.x.sheet);
        rmsg(r, POSTURE_SEV_ERROR, place, "the header row names the columns: Action, "
             "Implementation, Test, Tested on, Assigned to, Notes, Evidence",
             "no \"Action\" column header");
    }
    if (rc == 0) {
        ct_st ct = {{r, 0, NULL}, 0, 0, {-1, -1, -1}};
        rc = read_sheet(b, SHEET_CONTROLS, ct_row, &ct.x, &found);
    }
    ab_st ab = {{r, 0, NULL}, 0, 0, 0, {0}, {0}};
    if (rc == 0)
        rc = read_sheet(b, SHEET_ABOUT, ab_row, &ab.x, &found);
    if (rc == 0 && (ab.val[K_TEMPLATE] || ab.val[K_VERSION]))
        rc = posture_answers_set_template(r->a, ab.val[K_TEMPLATE], ab.val[K_VERSION]);
    if (rc == 0) {
        posture_assessment_info info = {ab.val[K_NAME], ab.val[K_ORG], ab.val[K_SCOPE],
                                        ab.val[K_GROUP], ab.val[K_ASSESSED]};
        rc = posture_answers_set_info(r->a, &info);
    }
    for (int k = 0; k < K__COUNT; k++)
        free(ab.val[k]);
    return rc ? rc : r->rc;
}

int posture_answers_load_xlsx(const char *path, size_t max_part, const posture_template *t,
                              posture_diags *diags, posture_answers **out)
{
    *out = NULL;
    rdr r = {path, diags, NULL, 0, 0, {0}, NULL, 0, 0, 0};
    xlsx_book *b = NULL;
    int rc = rdr_limits(&r);
    if (rc != 0)
        return rc;
    /* the workbook and each of its parts uncompressed: at most the input limit (256 MiB) */
    size_t max_input;
    if ((rc = limit_get(LIMIT_INPUT_BYTES, &max_input)) != 0) {
        posture_diags_add(diags, POSTURE_SEV_ERROR, NULL, NULL, NULL, "%s", posture_error_last());
        return rc;
    }
    struct stat st;
    if (stat(path, &st) == 0 && S_ISREG(st.st_mode) && (uintmax_t)st.st_size > max_input) {
        posture_diags_add(diags, POSTURE_SEV_ERROR, NULL, NULL, limit_hint(POSTURE_ELIMIT),
                          "%s: file is larger than the limit of %zu bytes", path, max_input);
        return POSTURE_ELIMIT;
    }
    rc = xlsx_open(path, max_part ? max_part : max_input, diags, &b);
    if (rc != 0)
        return rc;
    rc = posture_answers_new(&r.a);
    if (rc == 0)
        rc = read_workbook(&r, b);
    xlsx_close(b);
    if (rc != 0 && !r.a)
        return rc;
    return finish(&r, rc, t, out);
}

int posture_answers_load(const char *path, const posture_template *t, posture_diags *diags,
                         posture_answers **out)
{
    *out = NULL;
    posture_answers_format fmt;
    if (posture_answers_format_of(path, &fmt) != 0) {
        posture_diags_add(diags, POSTURE_SEV_ERROR, path, NULL,
                          "answers files end in .json, .csv or .xlsx", "%s",
                          posture_error_last());
        return POSTURE_EINVALID;
    }
    switch (fmt) {
    case POSTURE_ANSWERS_CSV: return posture_answers_load_csv(path, t, diags, out);
    case POSTURE_ANSWERS_XLSX: return posture_answers_load_xlsx(path, 0, t, diags, out);
    default: return posture_answers_load_json(path, t, diags, out);
    }
}

/* ---- blank answers --------------------------------------------------------------------------- */

int posture_answers_blank(const posture_template *t, const char *name, posture_answers **out)
{
    *out = NULL;
    posture_answers *a = NULL;
    const posture_template_info *ti = posture_template_info_get(t);
    int rc = posture_answers_new(&a);
    if (rc == 0)
        rc = posture_answers_set_template(a, ti->id, ti->version);
    if (rc == 0) {
        posture_assessment_info info = {name ? name : ti->id, NULL, NULL, NULL, NULL};
        rc = posture_answers_set_info(a, &info);
    }
    for (size_t i = 0, n = posture_template_action_count(t); rc == 0 && i < n; i++) {
        const posture_action *act = posture_template_action(t, i);
        posture_answer an = {0};
        an.action = act->id;
        an.implementation = POSTURE_IMPL_NOT_IMPLEMENTED;
        an.test = POSTURE_TEST_NOT_ASSESSED;
        /* a provider's attestation is what applies unanswered: start from it */
        if (act->has_provider_status) {
            an.implementation = act->provider_implementation;
            an.test = act->provider_test;
            an.tested_at = act->provider_tested_at;
        }
        an.action_index = -1;
        rc = posture_answers_add(a, &an);
    }
    if (rc == 0)
        rc = posture_answers_resolve(a, t, NULL, NULL);
    if (rc != 0) {
        posture_answers_free(a);
        return rc;
    }
    *out = a;
    return 0;
}

/* ---- CSV writer ------------------------------------------------------------------------------ */

/* Write one quoted cell (libcsv quoting), with the formula-injection escape. */
static int put_csv_cell(FILE *f, sbuf *tmp, const char *s, int first)
{
    if (!first && fputc(',', f) == EOF)
        return -1;
    if (!s)
        s = "";
    if (csv_cell_needs_escape(s)) {
        sbuf_reset(tmp);
        if (sbuf_add(tmp, "'", 1) != 0 || sbuf_str(tmp, s) != 0)
            return -1;
        s = tmp->p;
    }
    return csv_fwrite(f, s, strlen(s)) == 0 ? 0 : -1;
}

int posture_answers_write_csv(const posture_answers *a, posture_diags *warnings,
                              const char *path)
{
    size_t nc = posture_answers_control_count(a);
    if (nc && warnings)
        posture_diags_add(warnings, POSTURE_SEV_WARNING, path, NULL,
                          "convert to .json or .xlsx to keep them",
                          "CSV has no place for control applicability: %zu control entr%s left "
                          "out",
                          nc, nc == 1 ? "y" : "ies");
    posture_atomic *af = NULL;
    int rc = posture_atomic_open(path, &af);
    if (rc != 0)
        return rc;
    FILE *f = posture_atomic_stream(af);
    sbuf tmp = {0}, ev = {0};
    int bad = 0;
    for (int k = 0; k < F__COUNT && !bad; k++)
        bad = put_csv_cell(f, &tmp, field_token[k], k == 0) != 0;
    bad = bad || fputs("\r\n", f) == EOF;
    for (size_t i = 0, n = posture_answers_count(a); i < n && !bad; i++) {
        const posture_answer *an = posture_answers_get(a, i);
        sbuf_reset(&ev);
        for (size_t k = 0; k < an->nevidence && !bad; k++) {
            if (warnings && strpbrk(an->evidence[k], "\r\n"))
                posture_diags_add(warnings, POSTURE_SEV_WARNING, path, NULL, NULL,
                                  "evidence item %zu of action \"%s\" holds a line break; it "
                                  "will read back as several items",
                                  k + 1, an->action);
            bad = (k && sbuf_add(&ev, "\n", 1) != 0) || sbuf_str(&ev, an->evidence[k]) != 0;
        }
        const char *cells[F__COUNT] = {an->action,
                                       posture_implementation_token(an->implementation),
                                       posture_test_token(an->test),
                                       an->tested_at,
                                       an->assigned_to,
                                       an->notes,
                                       ev.p && ev.len ? ev.p : NULL};
        for (int k = 0; k < F__COUNT && !bad; k++)
            bad = put_csv_cell(f, &tmp, cells[k], k == 0) != 0;
        bad = bad || fputs("\r\n", f) == EOF;
    }
    free(tmp.p);
    free(ev.p);
    if (bad && !ferror(f)) {
        posture_atomic_abort(af);
        return posture_error_set(POSTURE_ENOMEM, "out of memory");
    }
    return posture_atomic_commit(af);
}

int posture_answers_write_json(const posture_answers *a, const char *path)
{
    char *text = posture_answers_to_json(a);
    if (!text)
        return posture_error_set(POSTURE_ENOMEM, "out of memory");
    size_t n = strlen(text);
    char *t2 = realloc(text, n + 2);
    if (!t2) {
        free(text);
        return posture_error_set(POSTURE_ENOMEM, "out of memory");
    }
    t2[n] = '\n';
    t2[n + 1] = '\0';
    int rc = posture_write_file(path, t2, n + 1);
    free(t2);
    return rc;
}

/* ---- workbook writer ------------------------------------------------------------------------- */

/* Excel's limit on a cell's text in UTF-16 code units (libxlsxwriter's: in characters). */
#define CELL_MAX 32767
static const char cut_marker[] = " [\xE2\x80\xA6 cut at Excel's cell limit of 32767 characters]";
#define CUT_MARKER_CHARS (sizeof cut_marker - 1 - 2)

typedef struct aw {
    const posture_answers *a;
    const posture_template *t;
    const char *path;
    posture_diags *warn;
    lxw_workbook *wb;
    lxw_error err;
    int rc;
    lxw_format *f_hdr, *f_txt, *f_wrap, *f_date, *f_num, *f_key, *f_title;
    sbuf cell;
    sbuf join;
} aw;

static void check(aw *x, lxw_error e)
{
    if (e && !x->err)
        x->err = e;
}

static int failed(const aw *x) { return x->err || x->rc; }


/* Characters a cell's XML cannot hold as they are: written as _xHHHH_ escapes. */
/* Decode one UTF-8 sequence; invalid bytes give U+FFFD (one byte consumed). */
static unsigned long utf8_next(const unsigned char *p, size_t n, size_t *len)
{
    long cp = utf8_decode(p, n, len);
    return cp < 0 ? 0xFFFD : (unsigned long)cp;
}

static int needs_xescape(unsigned long cp)
{
    return (cp < 0x20 && cp != '\t' && cp != '\n') || cp == 0xFFFE || cp == 0xFFFF;
}

/*
 * How one character of `p` (at most `n` bytes) is handed to libxlsxwriter:
 * sets `*out`/`*outlen` to the bytes to write, `*units` to its UTF-16 code
 * units (Excel's count) and `*chars` to the characters written
 * (libxlsxwriter's count); returns the bytes consumed. A "_" that would
 * read as the start of an escape _xHHHH_ (also when the character after
 * the four digits is itself escaped) is escaped as _x005F_.
 */
static size_t out_char(const unsigned char *p, size_t n, char esc[8], const char **out,
                       size_t *outlen, size_t *units, size_t *chars)
{
    size_t len;
    unsigned long cp = utf8_next(p, n, &len);
    *units = cp >= 0x10000 ? 2 : 1;
    *chars = 1;
    *out = (const char *)p;
    *outlen = len;
    if (needs_xescape(cp)) {
        snprintf(esc, 8, "_x%04X_", (unsigned)(cp & 0xFFFF));
        *out = esc;
        *outlen = *chars = 7;
    } else if (cp == '_' && n >= 7 && p[1] == 'x' &&
               strspn((const char *)p + 2, "0123456789abcdefABCDEF") >= 4) {
        size_t l6;
        if (p[6] == '_' || needs_xescape(utf8_next(p + 6, n - 6, &l6))) {
            *out = "_x005F_";
            *outlen = *chars = 7;
        }
    } else if (cp == 0xFFFD && len == 1) {
        *out = "\xEF\xBF\xBD";
        *outlen = 3;
    }
    return len;
}

/*
 * The text to hand to libxlsxwriter for `s`, in x->cell, with the escapes
 * of ST_Xstring that readers undo: control characters (CR included, which
 * XML would turn into LF) and U+FFFE/U+FFFF as _xHHHH_, and a literal
 * "_xHHHH_" as "_x005F_xHHHH_"; cut with a visible marker when the text
 * exceeds a cell. Returns 0 or POSTURE_ENOMEM; `*cut` tells whether it was cut.
 */
static int cell_text_out(aw *x, const char *s, int *cut)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t n = strlen(s), units = 0, chars = 0, u, c, outlen;
    const char *out;
    char esc[8];
    for (size_t i = 0; i < n; units += u, chars += c)
        i += out_char(p + i, n - i, esc, &out, &outlen, &u, &c);
    *cut = units > CELL_MAX || chars > CELL_MAX;
    size_t lim = *cut ? CELL_MAX - CUT_MARKER_CHARS : SIZE_MAX;
    sbuf_reset(&x->cell);
    units = chars = 0;
    for (size_t i = 0; i < n;) {
        size_t len = out_char(p + i, n - i, esc, &out, &outlen, &u, &c);
        if (units + u > lim || chars + c > lim)
            break;
        if (sbuf_add(&x->cell, out, outlen) != 0)
            return POSTURE_ENOMEM;
        units += u;
        chars += c;
        i += len;
    }
    if (*cut)
        return sbuf_add(&x->cell, cut_marker, sizeof cut_marker - 1);
    return sbuf_add(&x->cell, "", 0);
}

/*
 * Write text from the template or the answers as a string cell (never a
 * formula). `what` and `owner` name it in the warning given when it is cut.
 */
static void put_text(aw *x, lxw_worksheet *ws, lxw_row_t row, lxw_col_t col, const char *s,
                     lxw_format *fmt, const char *what, const char *owner)
{
    if (failed(x) || !s || !*s)
        return;
    int cut;
    if (cell_text_out(x, s, &cut) != 0) {
        x->rc = POSTURE_ENOMEM;
        return;
    }
    if (cut && x->warn) {
        char cell[24], place[PLACE_MAX];
        xlsx_cell_name(cell, row + 1, col);
        snprintf(place, sizeof place, "sheet \"%s\" cell %s", ws->name, cell);
        if (posture_diags_add(x->warn, POSTURE_SEV_WARNING, x->path, place, NULL,
                              "%s of %s cut to Excel's cell limit of 32767 characters", what,
                              owner) != 0)
            x->rc = POSTURE_ENOMEM;
    }
    check(x, worksheet_write_string(ws, row, col, x->cell.p, fmt));
}

/* A fixed string of ours (headers, labels, tokens). */
static void put_lit(aw *x, lxw_worksheet *ws, lxw_row_t row, lxw_col_t col, const char *s,
                    lxw_format *fmt)
{
    if (!failed(x))
        check(x, worksheet_write_string(ws, row, col, s, fmt));
}

/* An ISO 8601 date as an Excel date (text before 1900, which Excel cannot hold). */
static void put_date(aw *x, lxw_worksheet *ws, lxw_row_t row, lxw_col_t col, const char *s,
                     const char *what, const char *owner)
{
    if (failed(x) || !s || !*s)
        return;
    int y, m, d;
    if (posture_date_valid(s) && sscanf(s, "%4d-%2d-%2d", &y, &m, &d) == 3 && y >= 1900) {
        lxw_datetime dt = {.year = y, .month = m, .day = d};
        check(x, worksheet_write_datetime(ws, row, col, &dt, x->f_date));
    } else {
        put_text(x, ws, row, col, s, x->f_txt, what, owner);
    }
}

static void join_reset(aw *x) { sbuf_reset(&x->join); }

static void join_add(aw *x, const char *sep, const char *s)
{
    if ((x->join.len && sbuf_str(&x->join, sep) != 0) || sbuf_str(&x->join, s) != 0)
        x->rc = POSTURE_ENOMEM;
}

static void header_row(aw *x, lxw_worksheet *ws, const char *const *hdr, const double *width,
                       size_t n)
{
    for (size_t c = 0; c < n; c++) {
        put_lit(x, ws, 0, (lxw_col_t)c, hdr[c], x->f_hdr);
        if (!failed(x))
            check(x, worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, width[c], NULL));
    }
    if (!failed(x))
        worksheet_freeze_panes(ws, 1, 0);
}

/* The answer sheet's column widths of the shared "Improvement actions" layout. */
static const double action_width[AS_NCOLS] = {30, 45, 13, 15, 21, 11, 8, 27,
                                              20, 12, 28, 10, 8, 24, 45, 45};

/* The cells of the shared layout (actions_sheet.h), written to this workbook. */
typedef struct act_ctx {
    aw *x;
    lxw_worksheet *ws;
} act_ctx;

static void act_text(void *ctx, lxw_row_t row, unsigned col, const char *s, int wrap,
                     const char *what, const char *owner)
{
    act_ctx *a = ctx;
    put_text(a->x, a->ws, row, (lxw_col_t)col, s, wrap ? a->x->f_wrap : a->x->f_txt, what, owner);
}

static void act_label(void *ctx, lxw_row_t row, unsigned col, const char *s)
{
    act_ctx *a = ctx;
    put_lit(a->x, a->ws, row, (lxw_col_t)col, s, a->x->f_txt);
}

static void act_number(void *ctx, lxw_row_t row, unsigned col, double v)
{
    act_ctx *a = ctx;
    if (!failed(a->x))
        check(a->x, worksheet_write_number(a->ws, row, (lxw_col_t)col, v, a->x->f_num));
}

static void act_date(void *ctx, lxw_row_t row, unsigned col, const char *s, const char *what,
                     const char *owner)
{
    act_ctx *a = ctx;
    put_date(a->x, a->ws, row, (lxw_col_t)col, s, what, owner);
}

/* An evidence item with a line break reads back as several items: say so. */
static void act_evidence(void *ctx, const char *action, size_t k, const char *item)
{
    aw *x = ((act_ctx *)ctx)->x;
    if (x->warn && strchr(item, '\n') &&
        posture_diags_add(x->warn, POSTURE_SEV_WARNING, x->path, NULL, NULL,
                          "evidence item %zu of action \"%s\" holds a line break; it "
                          "will read back as several items",
                          k + 1, action) != 0)
        x->rc = POSTURE_ENOMEM;
}

static void write_actions(aw *x, lxw_worksheet *ws, const posture_profile *p)
{
    const posture_template *t = x->t;
    size_t n = posture_template_action_count(t);
    header_row(x, ws, actions_sheet_headers, action_width, AS_NCOLS);
    act_ctx ac = {x, ws};
    actions_sheet w = {.ctx = &ac, .text = act_text, .label = act_label, .number = act_number,
                       .date = act_date, .evidence_item = act_evidence};
    for (size_t i = 0; i < n && !failed(x); i++) {
        const posture_action *act = posture_template_action(t, i);
        const posture_answer *an = posture_answers_for_action(x->a, i);
        /* unanswered: the answer cells stay empty */
        actions_row r = {
            .action = act,
            .index = i,
            .points = act->points ? act->points
                                  : posture_profile_points(p, act->type, act->enforcement),
            .implementation = an ? posture_implementation_label(an->implementation) : NULL,
            .test = an ? posture_test_label(an->test) : NULL,
            .tested_at = an ? an->tested_at : NULL,
            .assigned_to = an ? an->assigned_to : NULL,
            .notes = an ? an->notes : NULL,
            .evidence = an ? an->evidence : NULL,
            .nevidence = an ? an->nevidence : 0,
        };
        if (actions_sheet_row(&w, t, (lxw_row_t)(i + 1), &r) != 0)
            x->rc = POSTURE_ENOMEM;
    }
    actions_sheet_release(&w);
    if (failed(x))
        return;
    check(x, worksheet_autofilter(ws, 0, 0, (lxw_row_t)n, AS_NCOLS - 1));
    if (n > 0)
        check(x, actions_sheet_validate(ws, (lxw_row_t)n));
}

static const char *const control_hdr[] = {"Family", "Control", "Title", "Actions", "Applicable",
                                          "Justification"};
static const double control_width[] = {12, 14, 45, 30, 12, 50};
#define NCONTROL_COLS (sizeof control_hdr / sizeof *control_hdr)

static void write_controls(aw *x, lxw_worksheet *ws)
{
    const posture_template *t = x->t;
    size_t n = posture_template_control_count(t);
    header_row(x, ws, control_hdr, control_width, NCONTROL_COLS);
    for (size_t i = 0; i < n && !failed(x); i++) {
        const posture_control *c = posture_template_control(t, i);
        const posture_control_scope *cs = posture_answers_for_control(x->a, i);
        lxw_row_t row = (lxw_row_t)(i + 1);
        char owner[160];
        snprintf(owner, sizeof owner, "control \"%.120s\"", c->id);
        put_text(x, ws, row, 0, posture_template_family(t, c->family)->id, x->f_txt, "Family",
                 owner);
        put_text(x, ws, row, 1, c->id, x->f_txt, "Id", owner);
        put_text(x, ws, row, 2, c->title, x->f_wrap, "Title", owner);
        join_reset(x);
        for (size_t k = 0; k < c->nactions; k++)
            join_add(x, ", ", posture_template_action(t, c->actions[k])->id);
        put_text(x, ws, row, 3, x->join.p, x->f_wrap, "Actions", owner);
        put_lit(x, ws, row, 4, cs && !cs->applicable ? "No" : "Yes", x->f_txt);
        if (cs)
            put_text(x, ws, row, 5, cs->justification, x->f_wrap, "Justification", owner);
    }
    if (failed(x))
        return;
    check(x, worksheet_autofilter(ws, 0, 0, (lxw_row_t)n, NCONTROL_COLS - 1));
    if (n == 0)
        return;
    const char *yn[] = {"Yes", "No", NULL};
    lxw_data_validation dv = {.validate = LXW_VALIDATION_TYPE_LIST,
                              .value_list = (char **)yn,
                              .input_title = "Applicable",
                              .input_message = "No: the control is out of scope; give the "
                                               "justification in the next column.",
                              .error_title = "Applicable",
                              .error_message = "Choose Yes or No."};
    check(x, worksheet_data_validation_range(ws, 1, 4, (lxw_row_t)n, 4, &dv));
}

static void write_about(aw *x, lxw_worksheet *ws)
{
    const posture_assessment_info *ai = posture_answers_info(x->a);
    const char *vals[K__COUNT] = {posture_answers_template_ref(x->a),
                                  posture_answers_template_version(x->a),
                                  ai->name,
                                  ai->organization,
                                  ai->scope,
                                  ai->group,
                                  NULL};
    if (!failed(x))
        check(x, worksheet_set_column(ws, 0, 0, 18, NULL));
    if (!failed(x))
        check(x, worksheet_set_column(ws, 1, 1, 50, NULL));
    lxw_row_t row = 0;
    for (int k = 0; k < K__COUNT; k++, row++) {
        put_lit(x, ws, row, 0, about_key[k], x->f_key);
        if (k == K_ASSESSED)
            put_date(x, ws, row, 1, ai->assessed_at, "Assessed at", "the assessment");
        else
            put_text(x, ws, row, 1, vals[k], x->f_txt, about_key[k], "the assessment");
    }
    put_lit(x, ws, row, 0, "Format", x->f_key);
    put_lit(x, ws, row++, 1, ANSWERS_FORMAT, x->f_txt);
    put_lit(x, ws, row, 0, "Generator", x->f_key);
    put_lit(x, ws, row++, 1, GENERATOR, x->f_txt);
}

static const char *const instructions[] = {
    "Answer sheet",
    "",
    "Fill in the \"" SHEET_ACTIONS "\" sheet, one row per improvement action:",
    "  Implementation and Test: choose a status from the drop-down list.",
    "  Tested on: the date of the last test (a date, or text in the form YYYY-MM-DD).",
    "  Assigned to, Notes: free text.",
    "  Evidence: links or references, one per line of the cell (Alt+Enter starts a new line).",
    "A row whose Implementation, Test, Tested on, Assigned to, Notes and Evidence are all empty "
    "is left unanswered.",
    "",
    "On the \"" SHEET_CONTROLS "\" sheet, set Applicable to No for a control that does not "
    "apply, and give the reason in Justification.",
    "The \"" SHEET_ABOUT "\" sheet names the template and the assessment.",
    "",
    "Keep the sheet names, the column headers and the keys of the About sheet unchanged: "
    "posture reads the workbook back by them (posture answers validate, posture score).",
};

static void write_instructions(aw *x, lxw_worksheet *ws)
{
    if (!failed(x))
        check(x, worksheet_set_column(ws, 0, 0, 110, NULL));
    for (size_t i = 0; i < sizeof instructions / sizeof *instructions; i++)
        if (*instructions[i])
            put_lit(x, ws, (lxw_row_t)i, 0, instructions[i], i == 0 ? x->f_title : x->f_txt);
}

static void build(aw *x, const char *file, time_t created)
{
    posture_profile *p = NULL;
    if (posture_profile_open(POSTURE_PROFILE_DEFAULT, NULL, &p) != 0) {
        x->rc = POSTURE_ENOMEM;
        return;
    }
    lxw_workbook_options wo = {.constant_memory = LXW_TRUE};
    x->wb = workbook_new_opt(file, &wo);
    if (!x->wb) {
        x->err = LXW_ERROR_CREATING_TMPFILE;
        goto done;
    }
    lxw_format **all[] = {&x->f_hdr, &x->f_txt, &x->f_wrap, &x->f_date,
                          &x->f_num, &x->f_key, &x->f_title};
    for (size_t i = 0; i < sizeof all / sizeof *all; i++) {
        *all[i] = workbook_add_format(x->wb);
        if (!*all[i]) {
            x->err = LXW_ERROR_MEMORY_MALLOC_FAILED;
            goto done;
        }
        format_set_align(*all[i], LXW_ALIGN_VERTICAL_TOP);
    }
    format_set_bold(x->f_hdr);
    format_set_bg_color(x->f_hdr, 0xDDEBF7);
    format_set_bottom(x->f_hdr, LXW_BORDER_THIN);
    format_set_text_wrap(x->f_wrap);
    format_set_num_format(x->f_date, "yyyy-mm-dd");
    format_set_align(x->f_date, LXW_ALIGN_LEFT);
    format_set_bold(x->f_key);
    format_set_bold(x->f_title);
    format_set_font_size(x->f_title, 16);

    const posture_template_info *ti = posture_template_info_get(x->t);
    const posture_assessment_info *ai = posture_answers_info(x->a);
    char title[512];
    snprintf(title, sizeof title, "Answers: %s", ti->title ? ti->title : ti->id);
    lxw_doc_properties props = {.title = title,
                                .author = (char *)(ai->organization ? ai->organization : ""),
                                .comments = "posture answer sheet (" ANSWERS_FORMAT ")",
                                .created = created > 0 ? created : 1};
    check(x, workbook_set_properties(x->wb, &props));

    lxw_worksheet *help = workbook_add_worksheet(x->wb, SHEET_HELP);
    lxw_worksheet *acts = workbook_add_worksheet(x->wb, SHEET_ACTIONS);
    lxw_worksheet *ctls = workbook_add_worksheet(x->wb, SHEET_CONTROLS);
    lxw_worksheet *about = workbook_add_worksheet(x->wb, SHEET_ABOUT);
    if (!help || !acts || !ctls || !about) {
        check(x, LXW_ERROR_MEMORY_MALLOC_FAILED);
        goto done;
    }
    worksheet_activate(acts);
    write_instructions(x, help);
    write_actions(x, acts, p);
    write_controls(x, ctls);
    write_about(x, about);
done:
    posture_profile_free(p);
}

int posture_answers_write_xlsx(const posture_answers *a, const posture_template *t,
                               posture_diags *warnings, const char *path)
{
    if (!t || posture_answers_resolved_template(a) != t)
        return posture_error_set(POSTURE_EUSAGE,
                                 "%s: cannot write workbook: the answers are not resolved "
                                 "against the template",
                                 path);
    if (strcmp(path, "-") == 0)
        return posture_error_set(POSTURE_EUSAGE,
                                 "cannot write a workbook to standard output");
    size_t most = posture_template_action_count(t);
    if (posture_template_control_count(t) > most)
        most = posture_template_control_count(t);
    if (most >= LXW_ROW_MAX)
        return posture_error_set(POSTURE_ELIMIT,
                                 "%s: cannot write workbook: %zu rows do not fit in a sheet "
                                 "(Excel's limit is %d rows)",
                                 path, most + 1, LXW_ROW_MAX);
    posture_atomic *af = NULL;
    int rc = posture_atomic_open(path, &af);
    if (rc != 0)
        return rc;
    aw x = {a, t, path, warnings, NULL, LXW_NO_ERROR, 0, NULL, NULL, NULL, NULL, NULL, NULL,
            NULL, {0}, {0}};
    /* libxlsxwriter writes the temporary file by name; commit renames it */
    build(&x, posture_atomic_temp_path(af), posture_report_time());
    lxw_error close_err = x.wb ? workbook_close(x.wb) : LXW_NO_ERROR;
    if (!x.err)
        x.err = close_err;
    free(x.cell.p);
    free(x.join.p);
    if (x.rc) {
        posture_atomic_abort(af);
        return posture_error_set(x.rc, "%s: cannot write workbook: %s", path,
                                 posture_strerror(x.rc));
    }
    if (x.err) {
        posture_atomic_abort(af);
        return posture_error_set(POSTURE_EIO, "%s: cannot write workbook: %s", path,
                                 lxw_strerror(x.err));
    }
    return posture_atomic_commit(af);
}

int posture_answers_write(const posture_answers *a, const posture_template *t,
                          posture_diags *warnings, const char *path)
{
    posture_answers_format fmt;
    int rc = posture_answers_format_of(path, &fmt);
    if (rc != 0)
        return rc;
    switch (fmt) {
    case POSTURE_ANSWERS_CSV: return posture_answers_write_csv(a, warnings, path);
    case POSTURE_ANSWERS_XLSX: return posture_answers_write_xlsx(a, t, warnings, path);
    default: return posture_answers_write_json(a, path);
    }
}
