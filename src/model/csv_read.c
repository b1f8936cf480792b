/* csv_read.c - CSV records with their starting lines, read with libcsv. */
#include "csv_read.h"
#include "base/utf8.h"

#include <csv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* libcsv's parser state between records (ROW_NOT_BEGUN in libcsv.c). */
#define CSV_STATE_BETWEEN_RECORDS 0

typedef struct rd {
    csv_record_fn fn;
    void *ctx;
    size_t start_line; /* line where a record begun in the current piece starts */
    size_t rec_line;   /* line where the current record starts */
    char *buf;         /* the fields of the current record, each NUL-terminated */
    size_t len, cap;
    size_t *offs;      /* offset of each field in buf */
    size_t *lens;
    char **fields;
    size_t n, capn;
    int rc;            /* first failure: ENOMEM or the callback's code */
} rd;

static int is_formula_start(char c)
{
    return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r';
}

size_t csv_unescape_cell(char *s, size_t len)
{
    size_t q = 0;
    while (q < len && s[q] == '\'')
        q++;
    if (q == 0 || q == len || !is_formula_start(s[q]))
        return len;
    memmove(s, s + 1, len); /* includes the NUL */
    return len - 1;
}

int csv_cell_needs_escape(const char *s)
{
    while (*s == '\'')
        s++;
    return is_formula_start(*s);
}

static void on_field(void *data, size_t len, void *p)
{
    rd *r = p;
    if (r->rc)
        return;
    if (r->n == 0)
        r->rec_line = r->start_line;
    if (r->n == r->capn) {
        size_t cap = r->capn ? r->capn * 2 : 16;
        size_t *offs = realloc(r->offs, cap * sizeof *offs);
        if (offs)
            r->offs = offs;
        size_t *lens = realloc(r->lens, cap * sizeof *lens);
        if (lens)
            r->lens = lens;
        char **fields = realloc(r->fields, cap * sizeof *fields);
        if (fields)
            r->fields = fields;
        if (!offs || !lens || !fields) {
            r->rc = posture_error_set(POSTURE_ENOMEM, "out of memory");
            return;
        }
        r->capn = cap;
    }
    if (r->len + len + 1 > r->cap) {
        size_t cap = r->cap ? r->cap : 256;
        while (cap < r->len + len + 1)
            cap *= 2;
        char *b = realloc(r->buf, cap);
        if (!b) {
            r->rc = posture_error_set(POSTURE_ENOMEM, "out of memory");
            return;
        }
        r->buf = b;
        r->cap = cap;
    }
    char *dst = r->buf + r->len;
    if (len)
        memcpy(dst, data, len);
    dst[len] = '\0';
    r->offs[r->n] = r->len;
    r->lens[r->n] = csv_unescape_cell(dst, len);
    r->len += len + 1;
    r->n++;
}

static void on_record(int term, void *p)
{
    (void)term;
    rd *r = p;
    if (!r->rc && r->n) {
        for (size_t i = 0; i < r->n; i++)
            r->fields[i] = r->buf + r->offs[i];
        r->rc = r->fn(r->ctx, r->rec_line, r->fields, r->lens, r->n);
    }
    r->n = 0;
    r->len = 0;
}

/* Physical line (from 1) of byte `off`: LF, CR LF and a lone CR end a line. */
static size_t line_of(const char *t, size_t off)
{
    size_t line = 1;
    for (size_t i = 0; i < off; i++)
        if (t[i] == '\n' || (t[i] == '\r' && t[i + 1] != '\n'))
            line++;
    return line;
}


static int syntax_error(posture_diags *d, const char *file, size_t line, const char *hint,
                        const char *msg)
{
    char place[32];
    snprintf(place, sizeof place, "%zu", line);
    posture_diags_add(d, POSTURE_SEV_ERROR, file, place, hint, "%s", msg);
    return POSTURE_ESYNTAX;
}

int csv_read_text(const char *text, size_t len, const char *file, posture_diags *d,
                  csv_record_fn fn, void *ctx)
{
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) {
        text += 3;
        len -= 3;
    }
    const unsigned char *u = (const unsigned char *)text;
    if (len >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF)))
        return syntax_error(d, file, 1,
                            "save it as UTF-8 CSV (Excel: \"CSV UTF-8 (Comma delimited)\")",
                            "the text is UTF-16, not UTF-8");
    const char *nul = memchr(text, '\0', len);
    if (nul)
        return syntax_error(d, file, line_of(text, (size_t)(nul - text)), NULL,
                            "NUL byte in a text file");
    size_t bad = utf8_invalid_at((const unsigned char *)text, len);
    if (bad < len) {
        char msg[64];
        snprintf(msg, sizeof msg, "invalid UTF-8 (byte 0x%02x)",
                 (unsigned)(unsigned char)text[bad]);
        return syntax_error(d, file, line_of(text, bad), "save the file as UTF-8", msg);
    }

    struct csv_parser p;
    if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0)
        return posture_error_set(POSTURE_ENOMEM, "out of memory");
    /* libcsv grows a field's buffer by blk_size (128) at a time, copying it each time: a
       50 MB field took minutes where realloc cannot grow in place (sanitizers, valgrind).
       At most 16 steps for any field of this text. */
    csv_set_blk_size(&p, len / 16 > 128 ? len / 16 : 128);
    /* libcsv's own allocations, named here so that a test can interpose them (tests/oom) */
    csv_set_realloc_func(&p, realloc);
    csv_set_free_func(&p, free);
    rd r = {fn, ctx, 1, 1, NULL, 0, 0, NULL, NULL, NULL, 0, 0, 0};
    int rc = 0;
    size_t line = 1, pos = 0;
    while (pos < len && rc == 0) {
        /* one piece: up to and including the next CR or LF */
        size_t end = pos;
        while (end < len && text[end] != '\n' && text[end] != '\r')
            end++;
        if (end < len)
            end++;
        if (p.pstate == CSV_STATE_BETWEEN_RECORDS)
            r.start_line = line;
        size_t done = csv_parse(&p, text + pos, end - pos, on_field, on_record, &r);
        if (r.rc) {
            rc = r.rc;
        } else if (done < end - pos) {
            if (csv_error(&p) == CSV_EPARSE)
                rc = syntax_error(d, file, r.start_line,
                                  "quote the whole field and double each quote inside it",
                                  "malformed CSV: a quote inside an unquoted field, or text "
                                  "after a closing quote");
            else
                rc = posture_error_set(POSTURE_ENOMEM, "out of memory");
        }
        char last = text[end - 1];
        if (last == '\n' || (last == '\r' && (end >= len || text[end] != '\n')))
            line++;
        pos = end;
    }
    if (rc == 0) {
        if (csv_fini(&p, on_field, on_record, &r) != 0) {
            if (csv_error(&p) == CSV_EPARSE)
                rc = syntax_error(d, file, r.start_line,
                                  "add the closing quote of the field",
                                  "malformed CSV: a quoted field is not closed");
            else
                rc = posture_error_set(POSTURE_ENOMEM, "out of memory");
        }
        if (rc == 0)
            rc = r.rc;
    }
    csv_free(&p);
    free(r.buf);
    free(r.offs);
    free(r.lens);
    free(r.fields);
    return rc;
}
