/*
 * report_xlsx.c - the Excel workbook of workbook.md, written with
 * libxlsxwriter in constant_memory mode: a pure view of a posture_result.
 *
 * Every number comes from the result; nothing here scores. constant_memory
 * wants the rows of a sheet in order and the cells of a row left to right,
 * so each sheet is produced by a function that emits its rows in order and
 * runs twice: a measuring pass (column widths from the content, nothing
 * written) and a writing pass (cells, and row heights for wrapped text from
 * the final widths). libxlsxwriter writes <cols> when the workbook closes.
 *
 * Text: every string from a template or answers goes through put_str()
 * and worksheet_write_string(), never a formula. Invalid UTF-8 and control
 * characters that XML cannot hold become U+FFFD; CR LF and a lone CR
 * become LF; text over 32,767 UTF-16 code units is cut with a marker and
 * a warning naming the sheet, cell, and action or control.
 */
#include "posture/report_xlsx.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xlsxwriter.h>

#include "posture/fileio.h"
#include "posture/score.h"
#include "posture/version.h"
#include "base/utf8.h"
#include "sheets/actions_sheet.h"

#define WORKBOOK_FORMAT "posture-workbook/1"
#define GENERATOR "posture " POSTURE_VERSION

/* Excel's limit on the text of one cell, in UTF-16 code units. */
#define CELL_MAX_UNITS 32767
/* Marker appended to text cut at the limit; one U+2026 (3 bytes, 1 unit). */
static const char cut_marker[] = " [\xE2\x80\xA6 cut at Excel's cell limit of 32767 characters]";
#define CUT_MARKER_UNITS (sizeof cut_marker - 1 - 2)

/* Row height of one line of 11 pt text, and Excel's largest row height. */
#define LINE_HEIGHT 15.0
#define MAX_ROW_HEIGHT 409.0

/* Or'ed into a column number: text that may run on into the empty cells to
 * its right (titles, section headings); it does not widen its column. */
#define SPILL 0x8000u

/* Status styles: Excel's "Good", "Bad", "Neutral" colours, an orange, a grey. */
enum { ST_PASSED, ST_FAILED, ST_PROGRESS, ST_PARTIAL, ST_NOT_ASSESSED, ST_NONE, ST__COUNT };

/* A sheet being produced. */
typedef struct sheet {
    lxw_worksheet *ws;
    size_t ncols;
    unsigned *width;   /* widest content per column; the final width when writing */
    unsigned *min;     /* narrowest a column gets */
    unsigned *cap;     /* widest a column gets (longer text wraps) */
    int writing;       /* 0: measuring pass, 1: writing pass */
    unsigned lines;    /* lines of the tallest wrapped cell of the current row */
} sheet;

typedef struct xw {
    const posture_result *r;
    const posture_template *t;
    const posture_answers *a;
    const posture_profile *p;
    const char *path;          /* the target, for messages */
    posture_diags *warnings;
    lxw_workbook *wb;
    lxw_error err;             /* first libxlsxwriter error */
    int rc;                    /* first posture error (out of memory) */

    lxw_format *f_hdr, *f_hdr_right, *f_hdr_center, *f_txt, *f_wrap, *f_num, *f_pct, *f_date;
    lxw_format *f_title, *f_subtitle, *f_section, *f_label, *f_big, *f_big_na, *f_left,
        *f_total, *f_center, *f_credit;
    lxw_format *f_status[ST__COUNT];

    char *buf;                 /* cleaned cell text */
    size_t bufcap;
    char *join;                /* joined lists */
    size_t joinlen, joincap;
    const posture_improvement **imp_of; /* improvement of each action, or NULL */
    const posture_coverage *cov;        /* the Coverage sheet's projection, or NULL */
} xw;

/* ---- text ---------------------------------------------------------------- */


/* Invalid UTF-8 (-1), control characters XML cannot hold, CR, U+FFFE/U+FFFF. */
static int needs_replacing(long cp)
{
    return cp < 0 || (cp < 0x20 && cp != '\t' && cp != '\n') || cp == 0xFFFE || cp == 0xFFFF;
}

/* Advance widths of printable ASCII in Calibri 11 (Excel's default font),
 * in tenths of the width of a digit, Excel's unit of column width. */
static const unsigned char ascii_tenths[95] = {
    4,  6,  8,  10, 10, 14, 13, 4,  6,  6,  10, 10, 5,  6,  5,  8,  /*  !"#$%&'()*+,-./ */
    10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 5,  5,  10, 10, 10, 9,  /* 0-9 :;<=>? */
    18, 11, 11, 11, 12, 10, 9,  12, 12, 5,  6,  10, 8,  17, 13, 13, /* @A-O */
    10, 13, 11, 9,  10, 13, 11, 18, 10, 10, 9,  6,  8,  6,  10, 10, /* P-Z [\]^_ */
    6,  9,  10, 8,  10, 10, 6,  9,  10, 5,  5,  9,  5,  16, 10, 10, /* `a-o */
    10, 10, 7,  8,  7,  10, 9,  14, 9,  9,  8,  6,  9,  6,  10,     /* p-z {|}~ */
};

/* Display width of a character in tenths of a digit: East Asian wide
 * characters take two digits, other non-ASCII ones one. */
static unsigned char_width(long cp)
{
    if (cp >= 0x20 && cp < 0x7F)
        return ascii_tenths[cp - 0x20];
    return (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) ||
                   (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
                   (cp >= 0xFF00 && cp <= 0xFF60) || (cp >= 0x20000 && cp <= 0x3FFFD)
               ? 20
               : 10;
}

/* The next character: ASCII inline, the rest through utf8_decode(). */
static inline long next_cp(const unsigned char *p, size_t n, size_t *len)
{
    if (*p < 0x80) {
        *len = 1;
        return *p;
    }
    return utf8_decode(p, n, len);
}

/* Scan `s`: display width of its longest line (in digits, rounded up),
 * UTF-16 code units, and whether it holds anything needs_replacing(). */
static void text_scan(const char *s, unsigned *width, size_t *units, int *dirty)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t n = strlen(s), i = 0;
    unsigned line = 0, widest = 0;
    *units = 0;
    *dirty = 0;
    while (i < n) {
        size_t len;
        long cp = next_cp(p + i, n - i, &len);
        if (needs_replacing(cp))
            *dirty = 1;
        if (cp == '\n' || cp == '\r') {
            if (line > widest)
                widest = line;
            line = 0;
        } else {
            line += char_width(cp < 0 ? 0xFFFD : cp);
        }
        *units += cp >= 0x10000 ? 2 : 1;
        i += len;
    }
    *width = ((line > widest ? line : widest) + 9) / 10;
}

/* 1 when `s` starts with "_xHHHH_", the escape of ST_Xstring that readers undo. */
static int is_xescape(const char *s)
{
    if (s[0] != '_' || s[1] != 'x')
        return 0;
    for (int k = 2; k < 6; k++)
        if (!isxdigit((unsigned char)s[k]))
            return 0;
    return s[6] == '_';
}

/*
 * Make `s` fit a cell (see the top of the file). Returns `s` itself when
 * nothing changes, else x->buf; NULL when out of memory. `*cut` is set
 * when the text was cut.
 */
static const char *clean_text(xw *x, const char *s, int *cut)
{
    unsigned width;
    size_t units;
    int dirty;
    text_scan(s, &width, &units, &dirty);
    *cut = units > CELL_MAX_UNITS;
    for (const char *q = s; !dirty && (q = strstr(q, "_x")) != NULL; q++)
        dirty = is_xescape(q);
    if (!dirty && !*cut)
        return s;

    const unsigned char *p = (const unsigned char *)s;
    size_t n = strlen(s);
    size_t cap = (n < CELL_MAX_UNITS ? n : CELL_MAX_UNITS) * 7 + sizeof cut_marker;
    if (cap > x->bufcap) {
        char *nb = realloc(x->buf, cap);
        if (!nb)
            return NULL;
        x->buf = nb;
        x->bufcap = cap;
    }
    size_t o = 0, i = 0;
    units = 0;
    while (i < n) {
        size_t len;
        long cp = next_cp(p + i, n - i, &len);
        if (cp == '\r') {
            cp = '\n';
            if (i + 1 < n && p[i + 1] == '\n')
                len = 2;
        } else if (needs_replacing(cp)) {
            cp = 0xFFFD;
        }
        size_t u = cp >= 0x10000 ? 2 : 1;
        if (*cut && units + u > CELL_MAX_UNITS - CUT_MARKER_UNITS)
            break;
        if (cp == 0xFFFD) {
            memcpy(x->buf + o, "\xEF\xBF\xBD", 3);
            o += 3;
        } else if (cp == '\n') {
            x->buf[o++] = '\n';
        } else if (cp == '_' && is_xescape((const char *)p + i)) {
            /* a literal "_xHHHH_" would be read back as the character it encodes */
            memcpy(x->buf + o, "_x005F_", 7);
            o += 7;
        } else {
            memcpy(x->buf + o, p + i, len);
            o += len;
        }
        units += u;
        i += len;
    }
    if (*cut) {
        memcpy(x->buf + o, cut_marker, sizeof cut_marker - 1);
        o += sizeof cut_marker - 1;
    }
    x->buf[o] = '\0';
    return x->buf;
}

/* A heap copy of `s` made fit for XML (document properties); NULL for NULL. */
static char *clean_dup(xw *x, const char *s)
{
    if (!s)
        return NULL;
    int cut;
    const char *c = clean_text(x, s, &cut);
    char *d = c ? strdup(c) : NULL;
    if (!d && !x->rc)
        x->rc = POSTURE_ENOMEM;
    return d;
}

/* Lines that `s` takes when wrapped greedily at word boundaries in a column
 * `digits` wide (an estimate from the widths of Calibri's characters). */
static unsigned wrapped_lines(const char *s, unsigned digits)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t n = strlen(s), i = 0;
    unsigned lines = 1, col = 0, word = 0, width = digits * 10, space = char_width(' ');
    if (width < 40)
        width = 40;
    for (;;) {
        size_t len = 1;
        long cp = i < n ? next_cp(p + i, n - i, &len) : '\n';
        if (cp == ' ' || cp == '\n') {
            if (word) {
                if (col && col + space + word <= width) {
                    col += space + word;
                } else {
                    if (col)
                        lines++;
                    col = word;
                }
                while (col > width) { /* a word longer than the column breaks */
                    lines++;
                    col -= width;
                }
            }
            word = 0;
            if (i >= n)
                break;
            if (cp == '\n') {
                lines++;
                col = 0;
            }
        } else {
            word += char_width(cp < 0 ? 0xFFFD : cp);
        }
        i += len;
    }
    return lines;
}

/* ---- joined lists ---------------------------------------------------------- */

static void join_reset(xw *x)
{
    x->joinlen = 0;
    if (x->join)
        x->join[0] = '\0';
}

static void join_add(xw *x, const char *sep, const char *s)
{
    if (!s)
        return;
    size_t ls = x->joinlen ? strlen(sep) : 0, l = strlen(s);
    if (x->joinlen + ls + l + 1 > x->joincap) {
        size_t cap = x->joincap ? x->joincap : 256;
        while (cap < x->joinlen + ls + l + 1)
            cap *= 2;
        char *nb = realloc(x->join, cap);
        if (!nb) {
            if (!x->rc)
                x->rc = POSTURE_ENOMEM;
            return;
        }
        x->join = nb;
        x->joincap = cap;
    }
    memcpy(x->join + x->joinlen, sep, ls);
    memcpy(x->join + x->joinlen + ls, s, l + 1);
    x->joinlen += ls + l;
}

/* ---- sheets and cells -------------------------------------------------------- */

static void check(xw *x, lxw_error e)
{
    if (e && !x->err)
        x->err = e;
}

static int failed(const xw *x)
{
    return x->err || x->rc;
}

/* Add sheet `name` with `ncols` columns, each `min`..`cap` characters wide
 * until set otherwise with col_limits(). */
static int sheet_open(xw *x, sheet *sh, const char *name, size_t ncols, unsigned min,
                      unsigned cap)
{
    memset(sh, 0, sizeof *sh);
    sh->ncols = ncols;
    sh->width = calloc(ncols, sizeof *sh->width);
    sh->min = calloc(ncols, sizeof *sh->min);
    sh->cap = calloc(ncols, sizeof *sh->cap);
    if (!sh->width || !sh->min || !sh->cap) {
        x->rc = POSTURE_ENOMEM;
        return -1;
    }
    for (size_t c = 0; c < ncols; c++) {
        sh->min[c] = min;
        sh->cap[c] = cap;
    }
    sh->ws = workbook_add_worksheet(x->wb, name);
    if (!sh->ws) {
        check(x, LXW_ERROR_CREATING_TMPFILE);
        return -1;
    }
    return 0;
}

static void col_limits(sheet *sh, size_t col, unsigned min, unsigned cap)
{
    if (col < sh->ncols) {
        sh->min[col] = min;
        sh->cap[col] = cap;
    }
}

static void sheet_close(sheet *sh)
{
    free(sh->width);
    free(sh->min);
    free(sh->cap);
    memset(sh, 0, sizeof *sh);
}

/* End of the measuring pass: fix and set the column widths. */
static void sheet_widths(xw *x, sheet *sh)
{
    sh->writing = 1;
    for (size_t c = 0; c < sh->ncols; c++) {
        unsigned w = sh->width[c];
        w = w < sh->min[c] ? sh->min[c] : w > sh->cap[c] ? sh->cap[c] : w;
        sh->width[c] = w;
        if (!failed(x))
            check(x, worksheet_set_column(sh->ws, (lxw_col_t)c, (lxw_col_t)c, w + 1.5, NULL));
    }
}

/* After the cells of a row: its height when wrapped text needs more lines. */
static void row_end(xw *x, sheet *sh, lxw_row_t row)
{
    if (sh->writing && sh->lines > 1 && !failed(x)) {
        double h = LINE_HEIGHT * sh->lines;
        check(x, worksheet_set_row(sh->ws, row, h > MAX_ROW_HEIGHT ? MAX_ROW_HEIGHT : h, NULL));
    }
    sh->lines = 0;
}

static void widen(sheet *sh, unsigned col, unsigned w)
{
    if (!sh->writing && !(col & SPILL) && col < sh->ncols && w > sh->width[col])
        sh->width[col] = w;
}

/*
 * Text from a template or answers as a string cell (never a formula).
 * `what` and `owner` name it in the warning given when it is cut, e.g.
 * "Notes" and "action \"act.a\"". NULL or "" leaves the cell empty.
 */
static void put_str(xw *x, sheet *sh, lxw_row_t row, unsigned col, const char *s,
                    lxw_format *fmt, const char *what, const char *owner)
{
    if (failed(x) || !s || !*s)
        return;
    lxw_col_t c = (lxw_col_t)(col & ~SPILL);
    if (!sh->writing) {
        unsigned w;
        size_t units;
        int dirty;
        text_scan(s, &w, &units, &dirty);
        widen(sh, col, w);
        return;
    }
    int cut;
    const char *text = clean_text(x, s, &cut);
    if (!text) {
        x->rc = POSTURE_ENOMEM;
        return;
    }
    if (cut && x->warnings) {
        char cell[16], place[96];
        lxw_rowcol_to_cell(cell, row, c);
        snprintf(place, sizeof place, "sheet \"%s\" cell %s", sh->ws->name, cell);
        if (posture_diags_add(x->warnings, POSTURE_SEV_WARNING, x->path, place, NULL,
                              "%s of %s cut to Excel's cell limit of 32767 characters", what,
                              owner) != 0 &&
            !x->rc)
            x->rc = POSTURE_ENOMEM;
    }
    if (fmt == x->f_wrap && c < sh->ncols) {
        unsigned lines = wrapped_lines(text, sh->width[c]);
        if (lines > sh->lines)
            sh->lines = lines;
    }
    check(x, worksheet_write_string(sh->ws, row, c, text, fmt));
}

/* A fixed string of ours (labels, headers). */
static void put_lit(xw *x, sheet *sh, lxw_row_t row, unsigned col, const char *s,
                    lxw_format *fmt)
{
    put_str(x, sh, row, col, s, fmt, "Label", "the workbook");
}

/* A header cell: room for the bold text and the autofilter button. */
static void put_hdr(xw *x, sheet *sh, unsigned col, const char *s, lxw_format *fmt)
{
    if (!sh->writing) {
        unsigned w;
        size_t units;
        int dirty;
        text_scan(s, &w, &units, &dirty);
        widen(sh, col, w + w / 8 + 3);
    }
    put_str(x, sh, 0, col, s, fmt, "Header", "a mapping column");
}

static void put_num(xw *x, sheet *sh, lxw_row_t row, unsigned col, double v, lxw_format *fmt)
{
    if (failed(x))
        return;
    if (!sh->writing) {
        unsigned w = 0;
        if (fmt != x->f_pct && v == (double)(int64_t)v && v > -1e15 && v < 1e15 &&
            !signbit(v)) {
            /* the length of "%.15g" of an integral value: its digits */
            w = 1;
            for (int64_t k = (int64_t)v; k >= 10; k /= 10)
                w++;
        } else {
            char tmp[40];
            w = (unsigned)snprintf(tmp, sizeof tmp, fmt == x->f_pct ? "%.2f" : "%.15g", v);
        }
        widen(sh, col, w);
        return;
    }
    check(x, worksheet_write_number(sh->ws, row, (lxw_col_t)(col & ~SPILL), v, fmt));
}

/* A value in hundredths as a number. */
static void put_x100(xw *x, sheet *sh, lxw_row_t row, unsigned col, int64_t v, lxw_format *fmt)
{
    put_num(x, sh, row, col, (double)v / 100.0, fmt);
}

/* A percent in hundredths (format 0.00), or an empty cell when there is none. */
static void put_pct(xw *x, sheet *sh, lxw_row_t row, unsigned col, int has, int64_t v)
{
    if (has)
        put_x100(x, sh, row, col, v, x->f_pct);
}

static void put_blank(xw *x, sheet *sh, lxw_row_t row, unsigned col, lxw_format *fmt)
{
    if (!failed(x) && sh->writing)
        check(x, worksheet_write_blank(sh->ws, row, (lxw_col_t)(col & ~SPILL), fmt));
}

/* An ISO 8601 date as an Excel date; anything else as text. */
static void put_date(xw *x, sheet *sh, lxw_row_t row, unsigned col, const char *s,
                     lxw_format *fmt, const char *what, const char *owner)
{
    if (failed(x) || !s || !*s)
        return;
    int y, m, d;
    if (posture_date_valid(s) && sscanf(s, "%4d-%2d-%2d", &y, &m, &d) == 3 && y >= 1900) {
        widen(sh, col, 10);
        lxw_datetime dt = {.year = y, .month = m, .day = d};
        if (sh->writing)
            check(x, worksheet_write_datetime(sh->ws, row, (lxw_col_t)(col & ~SPILL), &dt, fmt));
    } else {
        put_str(x, sh, row, col, s, x->f_txt, what, owner);
    }
}

/* Produce a sheet: measure, fix the widths, write. */
static void two_passes(xw *x, sheet *sh, void (*rows)(xw *, sheet *))
{
    rows(x, sh);
    sheet_widths(x, sh);
    rows(x, sh);
}

/* A table sheet: frozen bold header, autofilter over `nrows` data rows,
 * printed landscape one page wide with the header on every page. */
static void table_end(xw *x, sheet *sh, size_t nrows)
{
    if (failed(x))
        return;
    worksheet_freeze_panes(sh->ws, 1, 0);
    worksheet_set_landscape(sh->ws);
    worksheet_fit_to_pages(sh->ws, 1, 0);
    check(x, worksheet_repeat_rows(sh->ws, 0, 0));
    check(x, worksheet_autofilter(sh->ws, 0, 0, (lxw_row_t)nrows, (lxw_col_t)(sh->ncols - 1)));
}

/* "action \"act.a\"" and the like, for warnings. */
static const char *owner_of(char buf[160], const char *kind, const char *id)
{
    /* as snprintf(buf, 160, "%s \"%.120s\"", kind, id), without printf: it runs for every row */
    size_t k = strlen(kind), n = strnlen(id, 120);
    memcpy(buf, kind, k);
    buf[k] = ' ';
    buf[k + 1] = '"';
    memcpy(buf + k + 2, id, n);
    buf[k + 2 + n] = '"';
    buf[k + 3 + n] = '\0';
    return buf;
}

/* ---- formats ---------------------------------------------------------------- */

static void make_formats(xw *x)
{
    static const struct {
        lxw_color_t bg, fg;
    } status_colours[ST__COUNT] = {
        [ST_PASSED] = {0xC6EFCE, 0x006100},       [ST_FAILED] = {0xFFC7CE, 0x9C0006},
        [ST_PROGRESS] = {0xFFEB9C, 0x9C5700},     [ST_PARTIAL] = {0xFCE4D6, 0x833C0B},
        [ST_NOT_ASSESSED] = {0xD9D9D9, 0x404040}, [ST_NONE] = {0, 0},
    };
    lxw_format **all[] = {&x->f_hdr,   &x->f_hdr_right, &x->f_hdr_center, &x->f_txt,
                          &x->f_wrap,  &x->f_pct,       &x->f_date,
                          &x->f_title, &x->f_subtitle,  &x->f_section,    &x->f_label,
                          &x->f_big,   &x->f_big_na,    &x->f_left,       &x->f_total,
                          &x->f_center, &x->f_credit};
    for (size_t i = 0; i < sizeof all / sizeof *all; i++) {
        if (!(*all[i] = workbook_add_format(x->wb))) {
            check(x, LXW_ERROR_MEMORY_MALLOC_FAILED);
            return;
        }
        format_set_align(*all[i], LXW_ALIGN_VERTICAL_TOP);
    }
    /* Formats that look alike are one object: libxlsxwriter caches the style
     * index of the first of equal formats only and hashes the others on
     * every cell. */
    x->f_num = x->f_txt;
    x->f_status[ST_NONE] = x->f_txt;
    for (int s = 0; s < ST__COUNT; s++) {
        if (s == ST_NONE)
            continue;
        if (!(x->f_status[s] = workbook_add_format(x->wb))) {
            check(x, LXW_ERROR_MEMORY_MALLOC_FAILED);
            return;
        }
        format_set_align(x->f_status[s], LXW_ALIGN_VERTICAL_TOP);
        format_set_bg_color(x->f_status[s], status_colours[s].bg);
        format_set_font_color(x->f_status[s], status_colours[s].fg);
    }
    lxw_format *hdrs[] = {x->f_hdr, x->f_hdr_right, x->f_hdr_center};
    for (size_t i = 0; i < 3; i++) {
        format_set_bold(hdrs[i]);
        format_set_bg_color(hdrs[i], 0xDDEBF7);
        format_set_bottom(hdrs[i], LXW_BORDER_THIN);
    }
    format_set_align(x->f_hdr_right, LXW_ALIGN_RIGHT);
    format_set_align(x->f_hdr_center, LXW_ALIGN_CENTER);
    format_set_text_wrap(x->f_wrap);
    format_set_num_format(x->f_pct, "0.00");
    format_set_num_format(x->f_date, "yyyy-mm-dd");
    format_set_align(x->f_date, LXW_ALIGN_LEFT);
    format_set_bold(x->f_title);
    format_set_font_size(x->f_title, 18);
    format_set_font_color(x->f_title, 0x1F3864);
    format_set_italic(x->f_subtitle);
    format_set_font_color(x->f_subtitle, 0x595959);
    format_set_bold(x->f_section);
    format_set_font_size(x->f_section, 13);
    format_set_font_color(x->f_section, 0x1F3864);
    format_set_bottom(x->f_section, LXW_BORDER_THIN);
    format_set_bold(x->f_label);
    format_set_bold(x->f_big);
    format_set_font_size(x->f_big, 32);
    format_set_font_color(x->f_big, 0x1F3864);
    format_set_num_format(x->f_big, "0.00\"%\"");
    format_set_align(x->f_big, LXW_ALIGN_LEFT);
    format_set_align(x->f_big, LXW_ALIGN_VERTICAL_CENTER);
    format_set_bold(x->f_big_na);
    format_set_font_size(x->f_big_na, 20);
    format_set_font_color(x->f_big_na, 0x595959);
    format_set_align(x->f_big_na, LXW_ALIGN_VERTICAL_CENTER);
    format_set_align(x->f_left, LXW_ALIGN_LEFT);
    format_set_bold(x->f_total);
    format_set_align(x->f_total, LXW_ALIGN_LEFT);
    format_set_align(x->f_center, LXW_ALIGN_CENTER);
    format_set_align(x->f_credit, LXW_ALIGN_LEFT);
    format_set_num_format(x->f_credit, "0.00");
}

static int cstatus_style(posture_control_status s)
{
    switch (s) {
    case POSTURE_CSTATUS_PASSED: return ST_PASSED;
    case POSTURE_CSTATUS_FAILED: return ST_FAILED;
    case POSTURE_CSTATUS_IN_PROGRESS: return ST_PROGRESS;
    case POSTURE_CSTATUS_NOT_ASSESSED: return ST_NOT_ASSESSED;
    default: return ST_NONE;
    }
}

static int astatus_style(posture_action_status s)
{
    switch (s) {
    case POSTURE_ASTATUS_PASSED: return ST_PASSED;
    case POSTURE_ASTATUS_FAILED: return ST_FAILED;
    case POSTURE_ASTATUS_PARTIAL: return ST_PARTIAL;
    case POSTURE_ASTATUS_IN_PROGRESS: return ST_PROGRESS;
    case POSTURE_ASTATUS_NOT_ASSESSED: return ST_NOT_ASSESSED;
    default: return ST_NONE;
    }
}

/* ---- Summary ------------------------------------------------------------------ */

#define SUMMARY_TOP 10
#define SUMMARY_SCORE_ROW 11
#define SUMMARY_COUNTS_ROW 16 /* first status row; the doughnut's data */

static const char *risk_label(posture_risk k)
{
    switch (k) {
    case POSTURE_RISK_HIGH: return "High";
    case POSTURE_RISK_MEDIUM: return "Medium";
    case POSTURE_RISK_LOW: return "Low";
    default: return NULL;
    }
}

/* Set the height of a row in the writing pass (LibreOffice does not fit
 * rows to larger fonts when it opens a workbook). */
static void row_height(xw *x, sheet *sh, lxw_row_t row, double height)
{
    if (sh->writing && !failed(x))
        check(x, worksheet_set_row(sh->ws, row, height, NULL));
}

/* A section heading in column `col`, underlined up to column `last`. */
static void section(xw *x, sheet *sh, lxw_row_t row, unsigned col, unsigned last,
                    const char *text)
{
    row_height(x, sh, row, 18);
    put_lit(x, sh, row, col | SPILL, text, x->f_section);
    for (unsigned c = col + 1; c <= last; c++)
        put_blank(x, sh, row, c, x->f_section);
}

static void summary_rows(xw *x, sheet *sh)
{
    const posture_template_info *ti = posture_template_info_get(x->t);
    const posture_assessment_info *ai = posture_answers_info(x->a);
    const posture_points *tot = posture_result_total(x->r);
    const char *tpl = "the template", *asm_ = "the assessment";

    row_height(x, sh, 0, 24);
    put_str(x, sh, 0, 0 | SPILL, ti->title, x->f_title, "Title", tpl);
    if (ti->regulation_name) {
        join_reset(x);
        join_add(x, "", ti->regulation_name);
        join_add(x, " ", ti->regulation_edition);
        if (ti->regulation_publisher) {
            join_add(x, " ", "(");
            join_add(x, "", ti->regulation_publisher);
            join_add(x, "", ")");
        }
        put_str(x, sh, 1, 0 | SPILL, x->join, x->f_subtitle, "Regulation", tpl);
    }
    static const char *const labels[] = {"Organization", "Assessment", "Scope",
                                         "Assessed",     "Generator",  "Profile"};
    const char *values[] = {ai->organization, ai->name, ai->scope, NULL, GENERATOR,
                            posture_profile_id(x->p)};
    for (lxw_row_t i = 0; i < 6; i++) {
        lxw_row_t row = 3 + i;
        put_lit(x, sh, row, 0, labels[i], x->f_label);
        if (i == 3)
            put_date(x, sh, row, 1, ai->assessed_at, x->f_date, "Assessed at", asm_);
        else
            put_str(x, sh, row, 1, values[i], x->f_wrap, labels[i], asm_);
        row_end(x, sh, row);
    }

    section(x, sh, SUMMARY_SCORE_ROW - 1, 0, 4, "Assessment score");
    row_height(x, sh, SUMMARY_SCORE_ROW, 42);
    if (tot->has_percent)
        put_x100(x, sh, SUMMARY_SCORE_ROW, 0 | SPILL, tot->percent_x100, x->f_big);
    else
        put_lit(x, sh, SUMMARY_SCORE_ROW, 0 | SPILL, "n/a (nothing in scope)", x->f_big_na);
    put_lit(x, sh, SUMMARY_SCORE_ROW + 1, 0, "Points achieved", x->f_label);
    put_x100(x, sh, SUMMARY_SCORE_ROW + 1, 1, tot->achieved_x100, x->f_left);
    put_lit(x, sh, SUMMARY_SCORE_ROW + 2, 0, "Points possible", x->f_label);
    put_x100(x, sh, SUMMARY_SCORE_ROW + 2, 1, tot->possible_x100, x->f_left);

    /* controls by status (A:B, the doughnut's data) beside actions by status (D:E) */
    size_t ctotal = 0, atotal = 0;
    const size_t *cc = posture_result_control_counts(x->r, &ctotal);
    const size_t *ac = posture_result_action_counts(x->r, &atotal);
    lxw_row_t row = SUMMARY_COUNTS_ROW - 1;
    section(x, sh, row, 0, 1, "Controls by status");
    section(x, sh, row, 3, 4, "Actions by status");
    for (int i = 0; i <= POSTURE_ASTATUS__COUNT; i++) {
        row = (lxw_row_t)(SUMMARY_COUNTS_ROW + i);
        if (i < POSTURE_CSTATUS__COUNT) {
            posture_control_status s = (posture_control_status)i;
            put_lit(x, sh, row, 0, posture_control_status_label(s),
                    x->f_status[cstatus_style(s)]);
            put_num(x, sh, row, 1, (double)cc[i], x->f_left);
        } else if (i == POSTURE_CSTATUS__COUNT) {
            put_lit(x, sh, row, 0, "Total", x->f_label);
            put_num(x, sh, row, 1, (double)ctotal, x->f_total);
        }
        if (i < POSTURE_ASTATUS__COUNT) {
            posture_action_status s = (posture_action_status)i;
            put_lit(x, sh, row, 3, posture_action_status_label(s),
                    x->f_status[astatus_style(s)]);
            put_num(x, sh, row, 4, (double)ac[i], x->f_num);
        } else {
            put_lit(x, sh, row, 3, "Total", x->f_label);
            put_num(x, sh, row, 4, (double)atotal, x->f_label);
        }
    }

    size_t nimp = posture_result_improvement_count(x->r);
    row = (lxw_row_t)(SUMMARY_COUNTS_ROW + POSTURE_ASTATUS__COUNT + 2);
    section(x, sh, row, 0, 4, "Top 10 improvement actions");
    row++;
    static const char *const top_hdr[] = {"Action", "Title", "Gain", "Gain %", "Risk"};
    for (unsigned c = 0; c < 5; c++)
        put_lit(x, sh, row, c, top_hdr[c],
                c == 4 ? x->f_hdr_center : c >= 2 ? x->f_hdr_right : x->f_hdr);
    if (nimp == 0)
        put_lit(x, sh, ++row, 0 | SPILL, "None: every counted action has full credit.",
                x->f_txt);
    for (size_t i = 0; i < nimp && i < SUMMARY_TOP; i++) {
        const posture_improvement *im = posture_result_improvement(x->r, i);
        const posture_action *act = posture_template_action(x->t, im->action);
        char owner[160];
        owner_of(owner, "action", act->id);
        row++;
        put_str(x, sh, row, 0, act->id, x->f_txt, "Id", owner);
        put_str(x, sh, row, 1, act->title, x->f_wrap, "Title", owner);
        put_x100(x, sh, row, 2, im->gain_x100, x->f_num);
        put_pct(x, sh, row, 3, im->has_percent, im->gain_percent_x100);
        const char *risk = risk_label(im->risk);
        if (risk)
            put_lit(x, sh, row, 4, risk, x->f_center);
        row_end(x, sh, row);
    }
}

static void write_summary(xw *x, sheet *sh)
{
    if (sheet_open(x, sh, "Summary", 6, 10, 10) != 0)
        return;
    col_limits(sh, 0, 18, 36);
    col_limits(sh, 1, 16, 60);
    col_limits(sh, 5, 2, 2); /* a gutter before the charts */
    two_passes(x, sh, summary_rows);
    if (failed(x))
        return;
    worksheet_set_landscape(sh->ws);
    worksheet_fit_to_pages(sh->ws, 1, 1);
}

/* Bar chart of family scores and doughnut of control statuses, right of the tables. */
static void summary_charts(xw *x, lxw_worksheet *ws, size_t nfam)
{
    if (failed(x))
        return;
    char cats[64], vals[64];
    lxw_chart_font title_font = {.size = 12, .bold = LXW_EXPLICIT_FALSE};
    double bar_scale = 1.0;
    if (nfam > 0) {
        lxw_chart *bar = workbook_add_chart(x->wb, LXW_CHART_BAR);
        if (!bar) {
            check(x, LXW_ERROR_MEMORY_MALLOC_FAILED);
            return;
        }
        snprintf(cats, sizeof cats, "=Families!$B$2:$B$%zu", nfam + 1);
        snprintf(vals, sizeof vals, "=Families!$E$2:$E$%zu", nfam + 1);
        lxw_chart_series *s = chart_add_series(bar, cats, vals);
        if (!s) {
            check(x, LXW_ERROR_MEMORY_MALLOC_FAILED);
            return;
        }
        chart_series_set_name(s, "Score %");
        lxw_chart_fill fill = {.color = 0x4472C4};
        chart_series_set_fill(s, &fill);
        chart_series_set_labels(s);
        chart_series_set_labels_num_format(s, "0.00");
        chart_set_series_gap(bar, 60);
        chart_title_set_name(bar, "Score by family (%)");
        chart_title_set_name_font(bar, &title_font);
        chart_legend_set_position(bar, LXW_CHART_LEGEND_NONE);
        /* in a bar chart x_axis is the (horizontal) value axis */
        chart_axis_set_min(bar->x_axis, 0);
        chart_axis_set_max(bar->x_axis, 100);
        chart_axis_set_major_unit(bar->x_axis, 25);
        chart_axis_set_reverse(bar->y_axis);
        if (nfam > 8)
            bar_scale = (double)(nfam * 24 + 90) / 288.0;
        if (bar_scale > 6)
            bar_scale = 6;
        lxw_chart_options o = {.x_offset = 8, .y_offset = 4, .x_scale = 1.4, .y_scale = bar_scale};
        check(x, worksheet_insert_chart_opt(ws, 0, 6, bar, &o));
    }

    lxw_chart *pie = workbook_add_chart(x->wb, LXW_CHART_DOUGHNUT);
    if (!pie) {
        check(x, LXW_ERROR_MEMORY_MALLOC_FAILED);
        return;
    }
    snprintf(cats, sizeof cats, "=Summary!$A$%d:$A$%d", SUMMARY_COUNTS_ROW + 1,
             SUMMARY_COUNTS_ROW + POSTURE_CSTATUS__COUNT);
    snprintf(vals, sizeof vals, "=Summary!$B$%d:$B$%d", SUMMARY_COUNTS_ROW + 1,
             SUMMARY_COUNTS_ROW + POSTURE_CSTATUS__COUNT);
    lxw_chart_series *s = chart_add_series(pie, cats, vals);
    if (!s) {
        check(x, LXW_ERROR_MEMORY_MALLOC_FAILED);
        return;
    }
    chart_series_set_name(s, "Controls");
    lxw_chart_fill fills[POSTURE_CSTATUS__COUNT] = {
        [POSTURE_CSTATUS_PASSED] = {.color = 0x70AD47},
        [POSTURE_CSTATUS_FAILED] = {.color = 0xE0403A},
        [POSTURE_CSTATUS_IN_PROGRESS] = {.color = 0xFFC000},
        [POSTURE_CSTATUS_NOT_ASSESSED] = {.color = 0xA5A5A5},
        [POSTURE_CSTATUS_OUT_OF_SCOPE] = {.color = 0xE7E6E6},
    };
    lxw_chart_point pts[POSTURE_CSTATUS__COUNT];
    lxw_chart_point *ptrs[POSTURE_CSTATUS__COUNT + 1];
    for (int i = 0; i < POSTURE_CSTATUS__COUNT; i++) {
        pts[i] = (lxw_chart_point){.fill = &fills[i]};
        ptrs[i] = &pts[i];
    }
    ptrs[POSTURE_CSTATUS__COUNT] = NULL;
    check(x, chart_series_set_points(s, ptrs));
    chart_series_set_labels(s);
    chart_title_set_name(pie, "Controls by status");
    chart_title_set_name_font(pie, &title_font);
    chart_legend_set_position(pie, LXW_CHART_LEGEND_RIGHT);
    chart_set_hole_size(pie, 55);
    lxw_chart_options o = {.x_offset = 8, .y_offset = 4 + (int32_t)(288 * bar_scale) + 12,
                           .x_scale = 1.4, .y_scale = 1.0};
    check(x, worksheet_insert_chart_opt(ws, 0, 6, pie, &o));
}

/* ---- Families ------------------------------------------------------------------ */

static const char *const family_hdr[] = {"Family", "Title", "Achieved", "Possible", "Score %"};

static void family_rows(xw *x, sheet *sh)
{
    for (unsigned c = 0; c < 5; c++)
        put_hdr(x, sh, c, family_hdr[c], x->f_hdr);
    for (int s = 0; s < POSTURE_CSTATUS__COUNT; s++)
        put_hdr(x, sh, 5 + (unsigned)s, posture_control_status_label(s), x->f_hdr);
    row_end(x, sh, 0);
    size_t n = posture_result_family_count(x->r);
    for (size_t i = 0; i < n && !failed(x); i++) {
        const posture_family_result *f = posture_result_family(x->r, i);
        lxw_row_t row = (lxw_row_t)(i + 1);
        char owner[160];
        owner_of(owner, "family", f->family->id);
        put_str(x, sh, row, 0, f->family->id, x->f_txt, "Id", owner);
        put_str(x, sh, row, 1, f->family->title, x->f_wrap, "Title", owner);
        put_x100(x, sh, row, 2, f->score.achieved_x100, x->f_num);
        put_x100(x, sh, row, 3, f->score.possible_x100, x->f_num);
        put_pct(x, sh, row, 4, f->score.has_percent, f->score.percent_x100);
        for (int s = 0; s < POSTURE_CSTATUS__COUNT; s++)
            put_num(x, sh, row, 5 + (unsigned)s, (double)f->controls[s], x->f_num);
        row_end(x, sh, row);
    }
}

static void write_families(xw *x)
{
    sheet sh;
    size_t n = posture_result_family_count(x->r);
    if (sheet_open(x, &sh, "Families", 5 + POSTURE_CSTATUS__COUNT, 8, 16) == 0) {
        col_limits(&sh, 0, 8, 24);
        col_limits(&sh, 1, 12, 50);
        two_passes(x, &sh, family_rows);
        if (n > 0 && !failed(x)) {
            lxw_conditional_format bar = {
                .type = LXW_CONDITIONAL_DATA_BAR,
                .min_rule_type = LXW_CONDITIONAL_RULE_TYPE_NUMBER, .min_value = 0,
                .max_rule_type = LXW_CONDITIONAL_RULE_TYPE_NUMBER, .max_value = 100,
                .bar_color = 0x63BE7B, .bar_solid = LXW_TRUE};
            check(x, worksheet_conditional_format_range(sh.ws, 1, 4, (lxw_row_t)n, 4, &bar));
        }
        table_end(x, &sh, n);
    }
    sheet_close(&sh);
}

/* ---- Controls ------------------------------------------------------------------- */

static const char *const control_hdr[] = {"Family",  "Control",  "Title",   "Status",
                                          "Achieved", "Possible", "Score %", "Actions",
                                          "Applicable", "Justification"};
#define NCONTROL_COLS 10
enum { COL_STATUS = 3, COL_APPLICABLE = 8 };

static void control_rows(xw *x, sheet *sh)
{
    size_t nfw = 0;
    const char *const *fw = posture_template_frameworks(x->t, &nfw);
    for (unsigned c = 0; c < NCONTROL_COLS; c++)
        put_hdr(x, sh, c, control_hdr[c], x->f_hdr);
    for (size_t k = 0; k < nfw; k++)
        put_hdr(x, sh, NCONTROL_COLS + (unsigned)k, fw[k], x->f_hdr);
    row_end(x, sh, 0);
    size_t n = posture_result_control_count(x->r);
    for (size_t i = 0; i < n && !failed(x); i++) {
        const posture_control_result *cr = posture_result_control(x->r, i);
        const posture_control *c = cr->control;
        const posture_family *f = posture_template_family(x->t, c->family);
        lxw_row_t row = (lxw_row_t)(i + 1);
        char owner[160];
        owner_of(owner, "control", c->id);
        put_str(x, sh, row, 0, f->id, x->f_txt, "Family", owner);
        put_str(x, sh, row, 1, c->id, x->f_txt, "Id", owner);
        put_str(x, sh, row, 2, c->title, x->f_wrap, "Title", owner);
        put_lit(x, sh, row, COL_STATUS, posture_control_status_label(cr->status), x->f_txt);
        put_x100(x, sh, row, 4, cr->score.achieved_x100, x->f_num);
        put_x100(x, sh, row, 5, cr->score.possible_x100, x->f_num);
        put_pct(x, sh, row, 6, cr->score.has_percent, cr->score.percent_x100);
        join_reset(x);
        for (size_t k = 0; k < c->nactions; k++)
            join_add(x, ", ", posture_template_action(x->t, c->actions[k])->id);
        put_str(x, sh, row, 7, x->join, x->f_wrap, "Actions", owner);
        put_lit(x, sh, row, COL_APPLICABLE, cr->applicable ? "Yes" : "No", x->f_txt);
        put_str(x, sh, row, 9, cr->justification, x->f_wrap, "Justification", owner);
        for (size_t k = 0; k < nfw; k++) {
            join_reset(x);
            for (size_t m = 0; m < c->nmappings; m++) {
                if (strcmp(c->mappings[m].framework, fw[k]) != 0)
                    continue;
                for (size_t j = 0; j < c->mappings[m].nrefs; j++)
                    join_add(x, ", ", c->mappings[m].refs[j]);
            }
            char what[96];
            snprintf(what, sizeof what, "Mapping \"%.60s\"", fw[k]);
            put_str(x, sh, row, NCONTROL_COLS + (unsigned)k, x->join, x->f_wrap, what, owner);
        }
        row_end(x, sh, row);
    }
}

static void write_controls(xw *x)
{
    sheet sh;
    size_t nfw = 0;
    posture_template_frameworks(x->t, &nfw);
    size_t n = posture_result_control_count(x->r);
    if (sheet_open(x, &sh, "Controls", NCONTROL_COLS + nfw, 8, 40) == 0) {
        static const unsigned caps[NCONTROL_COLS] = {16, 24, 50, 15, 12, 12, 12, 40, 14, 50};
        for (size_t c = 0; c < NCONTROL_COLS; c++)
            col_limits(&sh, c, 8, caps[c]);
        two_passes(x, &sh, control_rows);
        if (n > 0 && !failed(x)) {
            static const struct {
                posture_control_status s;
                int style;
            } rules[] = {{POSTURE_CSTATUS_PASSED, ST_PASSED},
                         {POSTURE_CSTATUS_FAILED, ST_FAILED},
                         {POSTURE_CSTATUS_IN_PROGRESS, ST_PROGRESS},
                         {POSTURE_CSTATUS_NOT_ASSESSED, ST_NOT_ASSESSED}};
            for (size_t k = 0; k < sizeof rules / sizeof *rules; k++) {
                char value[48];
                snprintf(value, sizeof value, "\"%s\"", posture_control_status_label(rules[k].s));
                lxw_conditional_format cf = {.type = LXW_CONDITIONAL_TYPE_CELL,
                                             .criteria = LXW_CONDITIONAL_CRITERIA_EQUAL_TO,
                                             .value_string = value,
                                             .format = x->f_status[rules[k].style]};
                check(x, worksheet_conditional_format_range(sh.ws, 1, COL_STATUS, (lxw_row_t)n,
                                                            COL_STATUS, &cf));
            }
            const char *yes_no[] = {"Yes", "No", NULL};
            lxw_data_validation dv = {.validate = LXW_VALIDATION_TYPE_LIST,
                                      .value_list = (char **)yes_no,
                                      .error_title = "Applicable",
                                      .error_message = "Choose Yes or No. A control that is "
                                                       "not applicable needs a justification."};
            check(x, worksheet_data_validation_range(sh.ws, 1, COL_APPLICABLE, (lxw_row_t)n,
                                                     COL_APPLICABLE, &dv));
        }
        table_end(x, &sh, n);
    }
    sheet_close(&sh);
}

/* ---- Improvement actions ------------------------------------------------------------ */

/* The cells of the shared layout (sheets/actions_sheet.h), written through this sheet. */
typedef struct act_ctx {
    xw *x;
    sheet *sh;
} act_ctx;

static void act_text(void *ctx, lxw_row_t row, unsigned col, const char *s, int wrap,
                     const char *what, const char *owner)
{
    act_ctx *a = ctx;
    put_str(a->x, a->sh, row, col, s, wrap ? a->x->f_wrap : a->x->f_txt, what, owner);
}

static void act_label(void *ctx, lxw_row_t row, unsigned col, const char *s)
{
    act_ctx *a = ctx;
    put_lit(a->x, a->sh, row, col, s, a->x->f_txt);
}

static void act_number(void *ctx, lxw_row_t row, unsigned col, double v)
{
    act_ctx *a = ctx;
    put_num(a->x, a->sh, row, col, v, a->x->f_num);
}

static void act_date(void *ctx, lxw_row_t row, unsigned col, const char *s, const char *what,
                     const char *owner)
{
    act_ctx *a = ctx;
    put_date(a->x, a->sh, row, col, s, a->x->f_date, what, owner);
}

static void action_rows(xw *x, sheet *sh)
{
    for (unsigned c = 0; c < AS_NCOLS; c++)
        put_hdr(x, sh, c, actions_sheet_headers[c], x->f_hdr);
    row_end(x, sh, 0);
    /* the drop-down lists fit their columns */
    for (int i = 0; i < POSTURE_IMPL__COUNT; i++)
        widen(sh, AS_COL_IMPLEMENTATION, (unsigned)strlen(posture_implementation_label(i)) + 2);
    for (int i = 0; i < POSTURE_TEST__COUNT; i++)
        widen(sh, AS_COL_TEST, (unsigned)strlen(posture_test_label(i)) + 2);

    act_ctx ac = {x, sh};
    actions_sheet w = {.ctx = &ac, .text = act_text, .label = act_label, .number = act_number,
                       .date = act_date};
    size_t n = posture_result_action_count(x->r);
    for (size_t i = 0; i < n && !failed(x); i++) {
        const posture_action_result *ar = posture_result_action(x->r, i);
        const posture_action *act = ar->action;
        const posture_answer *ans = ar->answer;
        const posture_improvement *im = x->imp_of[ar->index];
        actions_row r = {
            .action = act,
            .index = ar->index,
            .points = ar->points,
            .implementation = posture_implementation_label(ar->implementation),
            .test = posture_test_label(ar->test),
            .tested_at = ans ? ans->tested_at
                             : ar->answered_by_provider ? act->provider_tested_at : NULL,
            .assigned_to = ans ? ans->assigned_to : NULL,
            .notes = ans ? ans->notes : NULL,
            .evidence = ans ? (const char *const *)ans->evidence : NULL,
            .nevidence = ans ? ans->nevidence : 0,
            .has_achieved = 1,
            .achieved_x100 = ar->achieved_x100,
            .has_gain = im || ar->counted,
            .gain_x100 = im ? im->gain_x100 : 0,
        };
        if (actions_sheet_row(&w, x->t, (lxw_row_t)(i + 1), &r) != 0 && !x->rc)
            x->rc = POSTURE_ENOMEM;
        row_end(x, sh, (lxw_row_t)(i + 1));
    }
    actions_sheet_release(&w);
}

static void write_actions(xw *x)
{
    sheet sh;
    size_t n = posture_result_action_count(x->r);
    if (sheet_open(x, &sh, ACTIONS_SHEET, AS_NCOLS, 8, 16) == 0) {
        static const unsigned caps[AS_NCOLS] = {36, 50, 14, 16, 22, 12, 10, 28,
                                                22, 13, 30, 12, 10, 30, 50, 50};
        for (size_t c = 0; c < AS_NCOLS; c++)
            col_limits(&sh, c, 8, caps[c]);
        two_passes(x, &sh, action_rows);
        if (n > 0 && !failed(x))
            check(x, actions_sheet_validate(sh.ws, (lxw_row_t)n));
        table_end(x, &sh, n);
    }
    sheet_close(&sh);
}

/* ---- About ----------------------------------------------------------------------- */

/* The labels of the statuses in a mask, joined by ", ". */
static void join_mask(xw *x, unsigned mask, int count, const char *(*label)(int))
{
    join_reset(x);
    for (int i = 0; i < count; i++)
        if (mask & (1u << i))
            join_add(x, ", ", label(i));
}

static const char *impl_label(int i) { return posture_implementation_label(i); }
static const char *test_label(int i) { return posture_test_label(i); }

static const char *const explanation[][2] = {
    {"Points", "Every improvement action is worth points: its own points when the template sets "
               "them, otherwise the points table above by type and enforcement. Preventive, "
               "mandatory actions weigh most."},
    {"Credit", "An action earns its points times its credit. The credit is given by the first "
               "credit rule above that lists both the action's implementation status and its "
               "test status; when no rule matches, the action earns nothing."},
    {"Scope", "Actions answered Out of scope, and controls declared not applicable (with a "
              "justification), do not count. A control whose actions are all out of scope is "
              "out of scope too. Unanswered actions count as Not implemented and Not assessed."},
    {"Score", "The assessment score is the points achieved divided by the points possible over "
              "all distinct actions that count, as a percent rounded to two decimals. An action "
              "used by several controls counts once. The score is not an average of the family "
              "or control scores; a family or control score is computed the same way from its "
              "own actions."},
    {"Statuses", "A control has Passed when every one of its actions passed, Failed when any "
                 "action failed, Not assessed when none has been assessed yet, and is In "
                 "progress otherwise."},
    {"Improvement actions", "Every counted action without full credit. Its gain is the points "
                            "it would add once it earns full credit, also shown as a percent "
                            "of the assessment. The largest gains come first; failed tests of "
                            "higher risk break ties."},
    {"Filling in", "The Improvement actions sheet can be filled in (Implementation and Test "
                   "have drop-down lists, Tested on takes a date) and read back by posture as "
                   "an answers file. Keep the sheet names, the header names and the keys of "
                   "this sheet unchanged."},
};

static void about_rows(xw *x, sheet *sh)
{
    const posture_template_info *ti = posture_template_info_get(x->t);
    const posture_assessment_info *ai = posture_answers_info(x->a);
    static const char *const keys[] = {"Template",     "Template version", "Assessment",
                                       "Organization", "Scope",            "Group",
                                       "Assessed at",  "Profile",          "Generator",
                                       "Format"};
    const char *values[] = {ti->id,
                            ti->version,
                            ai->name,
                            ai->organization,
                            ai->scope,
                            ai->group ? ai->group : "default",
                            NULL,
                            posture_profile_id(x->p),
                            GENERATOR,
                            WORKBOOK_FORMAT};
    lxw_row_t row = 0;
    for (size_t i = 0; i < sizeof keys / sizeof *keys; i++, row++) {
        put_lit(x, sh, row, 0, keys[i], x->f_label);
        if (i == 6)
            put_date(x, sh, row, 1, ai->assessed_at, x->f_date, keys[i], "the assessment");
        else
            put_str(x, sh, row, 1, values[i], x->f_wrap, keys[i],
                    i < 2 ? "the template" : "the assessment");
        row_end(x, sh, row);
    }

    row++;
    section(x, sh, row, 0, 0, "Points");
    put_str(x, sh, row, 1 | SPILL, posture_profile_title(x->p), x->f_subtitle, "Title",
            "the profile");
    row++;
    put_lit(x, sh, row, 0, "Type", x->f_hdr);
    put_lit(x, sh, row, 1, "Mandatory", x->f_hdr);
    put_lit(x, sh, row, 2, "Discretionary", x->f_hdr);
    for (int t = 0; t < POSTURE_TYPE__COUNT; t++) {
        row++;
        put_lit(x, sh, row, 0, posture_action_type_token(t), x->f_txt);
        for (int e = 0; e < POSTURE_ENFORCEMENT__COUNT; e++)
            put_num(x, sh, row, 1 + (unsigned)e, posture_profile_points(x->p, t, e), x->f_left);
    }

    row += 2;
    section(x, sh, row, 0, 0, "Credit rules");
    put_lit(x, sh, row, 1 | SPILL,
            "tried in order; the first rule that lists both statuses gives the credit",
            x->f_subtitle);
    row++;
    static const char *const rule_hdr[] = {"Rule", "Implementation", "Test", "Credit"};
    for (unsigned c = 0; c < 4; c++)
        put_lit(x, sh, row, c, rule_hdr[c], x->f_hdr);
    size_t nrules = posture_profile_rule_count(x->p);
    for (size_t i = 0; i < nrules && !failed(x); i++) {
        const posture_credit_rule *cr = posture_profile_rule(x->p, i);
        row++;
        put_num(x, sh, row, 0, (double)(i + 1), x->f_left);
        join_mask(x, cr->implementation_mask, POSTURE_IMPL__COUNT, impl_label);
        put_str(x, sh, row, 1, x->join, x->f_wrap, "Rule", "the profile");
        join_mask(x, cr->test_mask, POSTURE_TEST__COUNT, test_label);
        put_str(x, sh, row, 2, x->join, x->f_wrap, "Rule", "the profile");
        put_x100(x, sh, row, 3, cr->credit, x->f_credit);
        row_end(x, sh, row);
    }
    row++;
    put_lit(x, sh, row, 0, "Otherwise", x->f_txt);
    put_x100(x, sh, row, 3, 0, x->f_credit);

    row += 2;
    section(x, sh, row, 0, 0, "How the score is computed");
    for (size_t i = 0; i < sizeof explanation / sizeof *explanation; i++) {
        row++;
        put_lit(x, sh, row, 0, explanation[i][0], x->f_label);
        put_lit(x, sh, row, 1 | SPILL, explanation[i][1], x->f_wrap); /* wraps in B */
        row_end(x, sh, row);
    }
}

static void write_about(xw *x)
{
    sheet sh;
    if (sheet_open(x, &sh, "About", 4, 8, 40) == 0) {
        col_limits(&sh, 0, 14, 26);
        col_limits(&sh, 1, 60, 70);
        col_limits(&sh, 2, 14, 40);
        col_limits(&sh, 3, 8, 10);
        two_passes(x, &sh, about_rows);
        if (!failed(x))
            worksheet_fit_to_pages(sh.ws, 1, 0);
    }
    sheet_close(&sh);
}

/* ---- Coverage (posture coverage: this assessment projected onto another template) ---- */

static const char *const coverage_hdr[] = {
    "Family", "Control", "Title", "Projected status", "Achieved", "Possible", "Score %",
    "Mappings imply", "Shared actions", "Projected actions", "Mapped controls", "Sources"};
#define NCOVERAGE_COLS 12

static void coverage_rows(xw *x, sheet *sh)
{
    const posture_coverage *c = x->cov;
    const posture_result *res = posture_coverage_result(c), *src = posture_coverage_source(c);
    const posture_template *tt = posture_result_template(res), *st = posture_result_template(src);
    for (unsigned k = 0; k < NCOVERAGE_COLS; k++)
        put_hdr(x, sh, k, coverage_hdr[k], x->f_hdr);
    row_end(x, sh, 0);
    size_t n = posture_coverage_control_count(c);
    for (size_t i = 0; i < n && !failed(x); i++) {
        const posture_coverage_control *cc = posture_coverage_control_get(c, i);
        const posture_control_result *cr = posture_result_control(res, i);
        lxw_row_t row = (lxw_row_t)(i + 1);
        char owner[160], buf[64];
        owner_of(owner, "control", cr->control->id);
        put_str(x, sh, row, 0, posture_template_family(tt, cr->control->family)->id, x->f_txt,
                "Family", owner);
        put_str(x, sh, row, 1, cr->control->id, x->f_txt, "Id", owner);
        put_str(x, sh, row, 2, cr->control->title, x->f_wrap, "Title", owner);
        put_lit(x, sh, row, 3, posture_control_status_label(cr->status), x->f_txt);
        put_x100(x, sh, row, 4, cr->score.achieved_x100, x->f_num);
        put_x100(x, sh, row, 5, cr->score.possible_x100, x->f_num);
        put_pct(x, sh, row, 6, cr->score.has_percent, cr->score.percent_x100);
        put_lit(x, sh, row, 7, posture_implied_token(cc->implies), x->f_txt);
        join_reset(x);
        for (size_t k = 0; k < cc->nshared; k++)
            join_add(x, ", ", posture_template_action(tt, cc->shared[k])->id);
        put_str(x, sh, row, 8, x->join, x->f_wrap, "Shared actions", owner);
        join_reset(x);
        for (size_t k = 0; k < cc->nown; k++) {
            join_add(x, ", ", posture_template_action(tt, cc->own[k])->id);
            snprintf(buf, sizeof buf, " (%s)",
                     posture_implied_token(posture_coverage_action_implies(c, cc->own[k])));
            join_add(x, "", buf);
        }
        put_str(x, sh, row, 9, x->join, x->f_wrap, "Projected actions", owner);
        join_reset(x);
        for (size_t k = 0; k < cc->nlinks; k++) {
            const posture_coverage_link *l = &cc->links[k];
            for (size_t j = 0; j < l->nsources; j++) {
                join_add(x, j ? " + " : k ? "\n" : "",
                         posture_template_control(st, l->sources[j])->id);
                snprintf(buf, sizeof buf, " (%s)",
                         posture_control_status_token(
                             posture_result_control(src, l->sources[j])->status));
                join_add(x, "", buf);
            }
            snprintf(buf, sizeof buf, " %s: %s", posture_relation_token(l->relation),
                     posture_implied_token(l->implies));
            join_add(x, "", buf);
        }
        put_str(x, sh, row, 10, x->join, x->f_wrap, "Mapped controls", owner);
        join_reset(x);
        for (size_t k = 0; k < cc->nlinks; k++) {
            const char *name = posture_mapping_info_get(cc->links[k].collection)->name;
            int dup = 0;
            for (size_t j = 0; j < k && !dup; j++)
                dup = cc->links[j].collection == cc->links[k].collection;
            if (!dup)
                join_add(x, ", ", name);
        }
        put_str(x, sh, row, 11, x->join, x->f_wrap, "Sources", owner);
        row_end(x, sh, row);
    }
    /* the projected score of the whole template, below the table */
    const posture_points *tot = posture_result_total(res);
    lxw_row_t row = (lxw_row_t)(n + 2);
    put_lit(x, sh, row, 2, "Projected score", x->f_total);
    put_x100(x, sh, row, 4, tot->achieved_x100, x->f_num);
    put_x100(x, sh, row, 5, tot->possible_x100, x->f_num);
    put_pct(x, sh, row, 6, tot->has_percent, tot->percent_x100);
    row_end(x, sh, row);
}

static void write_coverage(xw *x)
{
    sheet sh;
    size_t n = posture_coverage_control_count(x->cov);
    if (sheet_open(x, &sh, "Coverage", NCOVERAGE_COLS, 8, 40) == 0) {
        static const unsigned caps[NCOVERAGE_COLS] = {16, 24, 50, 16, 12, 12, 12, 14,
                                                      40, 40, 50, 40};
        for (size_t c = 0; c < NCOVERAGE_COLS; c++)
            col_limits(&sh, c, 8, caps[c]);
        /* the autofilter before the rows: constant_memory has flushed the table's last row by
           the time the total below it is written */
        coverage_rows(x, &sh);
        sheet_widths(x, &sh);
        table_end(x, &sh, n);
        coverage_rows(x, &sh);
    }
    sheet_close(&sh);
}

/* ---- the workbook -------------------------------------------------------------------- */

/* Write the whole workbook to `file` (a temporary name). */
static void build(xw *x, const char *file, time_t created)
{
    lxw_workbook_options o = {.constant_memory = LXW_TRUE};
    const char *tmpdir = getenv("TMPDIR");
    if (tmpdir && *tmpdir)
        o.tmpdir = (char *)tmpdir;
    x->wb = workbook_new_opt(file, &o);
    if (!x->wb) {
        check(x, LXW_ERROR_MEMORY_MALLOC_FAILED);
        return;
    }
    make_formats(x);
    if (failed(x))
        return;

    const posture_template_info *ti = posture_template_info_get(x->t);
    const posture_assessment_info *ai = posture_answers_info(x->a);
    char *title = clean_dup(x, ti->title);
    char *subject = clean_dup(x, ai->name);
    char *author = clean_dup(x, ai->organization);
    lxw_doc_properties props = {.title = title,
                                .subject = subject,
                                .author = author,
                                .comments = "Generated by " GENERATOR,
                                .created = created < 1 ? 1 : created};
    if (!failed(x))
        check(x, workbook_set_properties(x->wb, &props));
    free(title);
    free(subject);
    free(author);

    sheet summary;
    write_summary(x, &summary);
    write_families(x);
    write_controls(x);
    write_actions(x);
    if (x->cov)
        write_coverage(x);
    write_about(x);
    if (summary.ws)
        summary_charts(x, summary.ws, posture_result_family_count(x->r));
    sheet_close(&summary);
    if (failed(x))
        return;
    lxw_error e = workbook_close(x->wb);
    x->wb = NULL;
    check(x, e);
}

/* Copy `file` to `out` (standard output, a pipe or a device). */
static int copy_file(const char *file, FILE *out)
{
    FILE *in = fopen(file, "rb");
    if (!in)
        return -1;
    char buf[65536];
    size_t n;
    int rc = 0;
    while ((n = fread(buf, 1, sizeof buf, in)) > 0)
        if (fwrite(buf, 1, n, out) != n) {
            rc = -1;
            break;
        }
    if (ferror(in))
        rc = -1;
    fclose(in);
    return rc;
}

int posture_report_xlsx_write(const posture_result *r, const posture_xlsx_options *opt,
                              const char *path)
{
    return posture_report_xlsx_write_coverage(r, opt, NULL, path);
}

int posture_report_xlsx_write_coverage(const posture_result *r, const posture_xlsx_options *opt,
                                       const posture_coverage *cov, const char *path)
{
    if (!r || !path)
        return posture_error_set(POSTURE_EUSAGE, "posture_report_xlsx_write: no result or path");
    if (cov && posture_coverage_source(cov) != r)
        return posture_error_set(POSTURE_EUSAGE, "posture_report_xlsx_write: the coverage "
                                                 "projects another result");
    xw x = {.r = r,
            .t = posture_result_template(r),
            .a = posture_result_answers(r),
            .p = posture_result_profile(r),
            .path = path,
            .warnings = opt ? opt->warnings : NULL,
            .cov = cov};
    time_t created = opt ? opt->created : time(NULL);
    size_t nact = posture_result_action_count(r), nctl = posture_result_control_count(r);
    size_t most = nact > nctl ? nact : nctl;
    if (most >= LXW_ROW_MAX)
        return posture_error_set(POSTURE_ELIMIT,
                                 "%s: cannot write workbook: %zu rows do not fit in a sheet "
                                 "(Excel's limit is %d rows)",
                                 path, most + 1, LXW_ROW_MAX);

    posture_atomic *a = NULL;
    char *own = NULL; /* our temporary file when the target is written in place */
    int rc = posture_atomic_open(path, &a);
    if (rc)
        return rc;
    const char *file = posture_atomic_temp_path(a);
    if (!file) {
        const char *dir = getenv("TMPDIR");
        if (!dir || !*dir)
            dir = "/tmp";
        own = malloc(strlen(dir) + 32);
        if (!own) {
            rc = posture_error_set(POSTURE_ENOMEM, "out of memory");
            goto done;
        }
        sprintf(own, "%s/posture-xlsx.XXXXXX", dir);
        int fd = mkstemp(own);
        if (fd < 0) {
            rc = posture_error_set(POSTURE_EIO, "%s: cannot write workbook: %s: %s", path, own,
                                   strerror(errno));
            free(own);
            own = NULL;
            goto done;
        }
        close(fd);
        file = own;
    }

    x.imp_of = calloc(nact ? nact : 1, sizeof *x.imp_of);
    if (!x.imp_of) {
        rc = posture_error_set(POSTURE_ENOMEM, "out of memory");
        goto done;
    }
    for (size_t i = 0, n = posture_result_improvement_count(r); i < n; i++) {
        const posture_improvement *im = posture_result_improvement(r, i);
        if (im->action < nact)
            x.imp_of[im->action] = im;
    }

    /* libxlsxwriter writes the temporary file by name; the atomic file's own
     * stream on it stays empty and unwritten until commit renames it. */
    build(&x, file, created);
    if (x.wb) {
        lxw_workbook_free(x.wb);
        x.wb = NULL;
    }
    if (x.rc) {
        rc = posture_error_set(x.rc, "%s: cannot write workbook: %s", path,
                               posture_strerror(x.rc));
        goto done;
    }
    if (x.err) {
        rc = posture_error_set(POSTURE_EIO, "%s: cannot write workbook: %s", path,
                               lxw_strerror(x.err));
        goto done;
    }
    if (own && copy_file(own, posture_atomic_stream(a)) != 0) {
        rc = posture_error_set(POSTURE_EIO, "%s: cannot write: %s", path, strerror(errno));
        goto done;
    }
    rc = posture_atomic_commit(a);
    a = NULL;
done:
    posture_atomic_abort(a);
    if (own) {
        unlink(own);
        free(own);
    }
    free(x.imp_of);
    free(x.buf);
    free(x.join);
    return rc;
}
