/* jsonin.c - JSON input with exact locations (internal). */
#include "jsonin.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/limit.h"
#include "posture/fileio.h"
#include "base/strmap.h"
#include "base/utf8.h"

_Static_assert(LIMIT_DEPTH_CEILING == CJSON_NESTING_LIMIT, "the depth limit is cJSON's");

void jctx_init(jctx *c, const char *file, posture_diags *d)
{
    memset(c, 0, sizeof *c);
    c->file = file;
    c->diags = d;
}

void jctx_release(jctx *c) { free(c->ptr.buf); }

/* Room for `n` more bytes and a NUL; 0 when out of memory (p->oom set). */
static int ptr_reserve(jptr *p, size_t n)
{
    if (p->oom)
        return 0;
    if (p->len + n + 1 > p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 128;
        while (cap < p->len + n + 1)
            cap *= 2;
        char *b = realloc(p->buf, cap);
        if (!b) {
            p->oom = 1;
            return 0;
        }
        p->buf = b;
        p->cap = cap;
    }
    return 1;
}

size_t jctx_push_key(jctx *c, const char *key)
{
    jptr *p = &c->ptr;
    size_t mark = p->len;
    size_t n = strlen(key), plain = strcspn(key, "~/");
    /* every '~' and '/' takes two bytes (~0, ~1) */
    size_t extra = 0;
    for (size_t i = plain; i < n; i++)
        extra += key[i] == '~' || key[i] == '/';
    if (!ptr_reserve(p, 1 + n + extra))
        return mark;
    char *o = p->buf + p->len;
    *o++ = '/';
    memcpy(o, key, plain);
    o += plain;
    for (size_t i = plain; i < n; i++) {
        if (key[i] == '~' || key[i] == '/') {
            *o++ = '~';
            *o++ = key[i] == '~' ? '0' : '1';
        } else {
            *o++ = key[i];
        }
    }
    *o = '\0';
    p->len = (size_t)(o - p->buf);
    return mark;
}

size_t jctx_push_index(jctx *c, size_t i)
{
    jptr *p = &c->ptr;
    size_t mark = p->len;
    char num[24];
    size_t k = sizeof num;
    do {
        num[--k] = (char)('0' + i % 10);
        i /= 10;
    } while (i);
    size_t n = sizeof num - k;
    if (!ptr_reserve(p, 1 + n))
        return mark;
    p->buf[p->len] = '/';
    memcpy(p->buf + p->len + 1, num + k, n);
    p->len += 1 + n;
    p->buf[p->len] = '\0';
    return mark;
}

void jctx_pop(jctx *c, size_t mark)
{
    if (c->ptr.oom)
        return;
    c->ptr.len = mark;
    if (c->ptr.buf)
        c->ptr.buf[mark] = '\0';
}

const char *jctx_place(jctx *c)
{
    if (c->ptr.oom)
        return "?";
    return c->ptr.len ? c->ptr.buf : "/";
}

static void vadd(jctx *c, posture_severity sev, const char *place, const char *fmt, va_list ap)
{
    char msg[1536];
    vsnprintf(msg, sizeof msg, fmt, ap);
    if (sev == POSTURE_SEV_ERROR || posture_diags_strict(c->diags))
        c->errors++;
    if (posture_diags_add(c->diags, sev, c->file, place, NULL, "%s", msg) != 0)
        c->oom = 1;
}

void jctx_error(jctx *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vadd(c, POSTURE_SEV_ERROR, jctx_place(c), fmt, ap);
    va_end(ap);
}

void jctx_warn(jctx *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vadd(c, POSTURE_SEV_WARNING, jctx_place(c), fmt, ap);
    va_end(ap);
}

void jctx_error_at(jctx *c, const char *key, const char *fmt, ...)
{
    size_t mark = jctx_push_key(c, key);
    va_list ap;
    va_start(ap, fmt);
    vadd(c, POSTURE_SEV_ERROR, jctx_place(c), fmt, ap);
    va_end(ap);
    jctx_pop(c, mark);
}

const char *json_type_name(const cJSON *v)
{
    if (cJSON_IsString(v))
        return "a string";
    if (cJSON_IsNumber(v))
        return "a number";
    if (cJSON_IsObject(v))
        return "an object";
    if (cJSON_IsArray(v))
        return "an array";
    if (cJSON_IsBool(v))
        return "a boolean";
    return "null";
}

void json_line_col(const char *text, size_t off, size_t *line, size_t *col)
{
    size_t l = 1, c = 1;
    for (size_t i = 0; i < off; i++) {
        unsigned char ch = (unsigned char)text[i];
        if (ch == '\n') {
            l++;
            c = 1;
        } else if ((ch & 0xC0) != 0x80) {
            c++;
        }
    }
    *line = l;
    *col = c;
}

/* An error at the LINE:COL of byte `off` of `text`, with `hint` (or NULL). */
static void add_at_offset(const char *file, const char *text, size_t off, posture_diags *d,
                          const char *hint, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 6, 7)))
#endif
    ;

static void add_at_offset(const char *file, const char *text, size_t off, posture_diags *d,
                          const char *hint, const char *fmt, ...)
{
    size_t line, col;
    char place[64], msg[512];
    json_line_col(text, off, &line, &col);
    snprintf(place, sizeof place, "%zu:%zu", line, col);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    posture_diags_add(d, POSTURE_SEV_ERROR, file, place, hint, "%s", msg);
}

/* A limit exceeded at byte `off`: the error, with a hint naming the variable of `hint_for`
 * (none for LIMIT__COUNT); returns `rc`. */
static int limit_at_offset(const char *file, const char *text, size_t off, posture_diags *d,
                           int rc, limit_id hint_for, const char *msg)
{
    char hint[96];
    add_at_offset(file, text, off, d, hint_for != LIMIT__COUNT ? limit_raise_hint(hint_for, hint)
                                                               : NULL, "%s", msg);
    return rc;
}

/* Byte classes of the scan; 0: part of a number or a bare word. */
enum { C_WORD = 0, C_QUOTE, C_OPEN, C_CLOSE, C_COMMA, C_BLANK };
static const unsigned char byte_class[256] = {
    ['"'] = C_QUOTE, ['['] = C_OPEN,   ['{'] = C_OPEN,   [']'] = C_CLOSE,  ['}'] = C_CLOSE,
    [','] = C_COMMA, [':'] = C_BLANK,  [' '] = C_BLANK,  ['\t'] = C_BLANK, ['\r'] = C_BLANK,
    ['\n'] = C_BLANK,
};

/*
 * Check JSON text against the depth, string and value limits before it is
 * parsed, in one pass that allocates nothing. The first limit exceeded is
 * reported at its FILE:LINE:COL; returns 0, POSTURE_ELIMIT, POSTURE_ESYNTAX
 * (depth, as cJSON would report it) or POSTURE_EUSAGE (a bad variable).
 */
static int check_limits(const char *file, const char *text, size_t len, posture_diags *d)
{
    size_t max_depth, max_string, max_values;
    int rc;
    if ((rc = limit_get(LIMIT_DEPTH, &max_depth)) != 0 ||
        (rc = limit_get(LIMIT_STRING_BYTES, &max_string)) != 0 ||
        (rc = limit_get(LIMIT_VALUES, &max_values)) != 0) {
        posture_diags_add(d, POSTURE_SEV_ERROR, NULL, NULL, NULL, "%s", posture_error_last());
        return rc;
    }
    const unsigned char *t = (const unsigned char *)text;
    size_t depth = 0, values = 1;
    char msg[128];
    for (size_t i = 0; i < len; i++) {
        switch (byte_class[t[i]]) {
        case C_QUOTE: {
            size_t start = i++;
            while (i < len && t[i] != '"')
                i += t[i] == '\\' && i + 1 < len ? 2 : 1;
            if (i - start - 1 > max_string) {
                snprintf(msg, sizeof msg, "string longer than the limit of %zu bytes", max_string);
                return limit_at_offset(file, text, start, d, POSTURE_ELIMIT, LIMIT_STRING_BYTES,
                                       msg);
            }
            break;
        }
        case C_OPEN:
            if (++depth > max_depth) {
                snprintf(msg, sizeof msg, "syntax error: nesting deeper than %zu levels", max_depth);
                /* a hint only when the limit was lowered: cJSON cannot go deeper */
                return limit_at_offset(file, text, i, d, POSTURE_ESYNTAX,
                                 max_depth < LIMIT_DEPTH_CEILING ? LIMIT_DEPTH : LIMIT__COUNT, msg);
            }
            /* fall through */
        case C_COMMA:
            if (++values > max_values) {
                snprintf(msg, sizeof msg, "more JSON values than the limit of %zu", max_values);
                return limit_at_offset(file, text, i, d, POSTURE_ELIMIT, LIMIT_VALUES, msg);
            }
            break;
        case C_CLOSE:
            if (depth)
                depth--;
            break;
        case C_BLANK:
            break;
        default: {
            /* a number or a bare word: cJSON copies it whole before converting it */
            size_t start = i;
            while (i + 1 < len && byte_class[t[i + 1]] == C_WORD)
                i++;
            if (i - start + 1 > max_string) {
                snprintf(msg, sizeof msg, "value longer than the limit of %zu bytes", max_string);
                return limit_at_offset(file, text, start, d, POSTURE_ELIMIT, LIMIT_STRING_BYTES,
                                       msg);
            }
            break;
        }
        }
    }
    return 0;
}

/* Nesting depth of the document at byte `off` (strings skipped). */
static size_t depth_at(const char *t, size_t off)
{
    size_t depth = 0;
    int in_str = 0;
    for (size_t i = 0; i < off; i++) {
        char ch = t[i];
        if (in_str) {
            if (ch == '\\')
                i++;
            else if (ch == '"')
                in_str = 0;
        } else if (ch == '"') {
            in_str = 1;
        } else if (ch == '[' || ch == '{') {
            depth++;
        } else if ((ch == ']' || ch == '}') && depth) {
            depth--;
        }
    }
    return depth;
}

/* Whether byte `off` is inside a string that the text never closes (a cut-off file). */
static int in_open_string(const char *t, size_t len, size_t off)
{
    int in_str = 0, at_off = 0;
    for (size_t i = 0; i < len; i++) {
        if (i == off)
            at_off = in_str;
        if (in_str) {
            if (t[i] == '\\')
                i++;
            else if (t[i] == '"') {
                if (i >= off && at_off)
                    return 0;
                in_str = 0;
            }
        } else if (t[i] == '"') {
            in_str = 1;
        }
    }
    return at_off && in_str;
}

/* Offset of a \u0000 escape inside a string, or len. */
static size_t nul_escape_at(const char *t, size_t len)
{
    const char *p = t;
    while ((p = memchr(p, '\\', (size_t)(t + len - p))) != NULL) {
        if ((size_t)(t + len - p) >= 6 && memcmp(p, "\\u0000", 6) == 0)
            return (size_t)(p - t);
        p += 2; /* skip the escaped character: "\\\\" never starts an escape */
        if (p >= t + len)
            break;
    }
    return len;
}

/* Where check_dup_keys() is in the document: a chain of keys and indices
 * from the value being checked up to the root, turned into a JSON pointer
 * only when there is something to report. */
typedef struct dup_path {
    const struct dup_path *up;
    const char *key; /* NULL: an array index */
    size_t index;
} dup_path;

static void push_path(jctx *c, const dup_path *at)
{
    if (!at)
        return;
    push_path(c, at->up);
    if (at->key)
        jctx_push_key(c, at->key);
    else
        jctx_push_index(c, at->index);
}

static void dup_error(jctx *c, const dup_path *at, const char *key)
{
    size_t mark = c->ptr.len;
    push_path(c, at);
    jctx_push_key(c, key);
    jctx_error(c, "duplicate key \"%s\"", key);
    jctx_pop(c, mark);
}

static int check_dup_keys(jctx *c, const cJSON *v, const dup_path *at)
{
    int bad = 0;
    if (cJSON_IsObject(v)) {
        size_t n = 0;
        for (const cJSON *m = v->child; m; m = m->next)
            n++;
        if (n > 1 && n <= 16) {
            /* small objects (almost all of them): no allocation */
            for (const cJSON *m = v->child; m; m = m->next)
                for (const cJSON *k = v->child; k != m; k = k->next)
                    if (strcmp(k->string, m->string) == 0) {
                        dup_error(c, at, m->string);
                        bad = 1;
                        break;
                    }
        } else if (n > 1) {
            strmap seen;
            strmap_init(&seen);
            for (const cJSON *m = v->child; m; m = m->next) {
                int r = strmap_put(&seen, m->string, 0, NULL);
                if (r < 0) {
                    c->oom = 1;
                    break;
                }
                if (r == 1) {
                    dup_error(c, at, m->string);
                    bad = 1;
                }
            }
            strmap_release(&seen);
        }
        for (const cJSON *m = v->child; m; m = m->next) {
            if (!cJSON_IsObject(m) && !cJSON_IsArray(m))
                continue;
            dup_path here = {at, m->string, 0};
            bad |= check_dup_keys(c, m, &here);
        }
    } else if (cJSON_IsArray(v)) {
        size_t i = 0;
        for (const cJSON *m = v->child; m; m = m->next, i++) {
            if (!cJSON_IsObject(m) && !cJSON_IsArray(m))
                continue;
            dup_path here = {at, NULL, i};
            bad |= check_dup_keys(c, m, &here);
        }
    }
    return bad;
}

/*
 * cJSON_ParseWithLengthOpts(), telling a syntax error from cJSON running out
 * of memory (which it reports as a parse error where it stopped): a syntax
 * error is found again at the same place, an allocation failure is not.
 */
static cJSON *parse_cjson(const char *start, size_t len, const char **end, int *oom)
{
    *oom = 0;
    /* len + 1 includes the terminating NUL, which cJSON requires to see. */
    cJSON *root = cJSON_ParseWithLengthOpts(start, len + 1, end, 1);
    if (root)
        return root;
    void *volatile probe = malloc(256);
    if (!probe) {
        *oom = 1;
        return NULL;
    }
    free(probe);
    const char *again = NULL;
    root = cJSON_ParseWithLengthOpts(start, len + 1, &again, 1);
    if (!root && again != *end)
        *oom = 1;
    return root;
}

static cJSON *parse_impl(const char *file, const char *text, size_t len, posture_diags *d, int *err,
                         int keep_dups)
{
    *err = 0;
    const char *start = text;
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) {
        start += 3;
        len -= 3;
    }
    const unsigned char *u = (const unsigned char *)start;
    if (len >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF))) {
        /* a UTF-16 (or UTF-32) byte-order mark: say so, rather than "NUL byte" */
        posture_diags_add(d, POSTURE_SEV_ERROR, file, "1:1", "save the file as UTF-8",
                          "the text is UTF-16, not UTF-8");
        *err = POSTURE_ESYNTAX;
        return NULL;
    }
    const char *nul = memchr(start, '\0', len);
    if (nul) {
        add_at_offset(file, start, (size_t)(nul - start), d, NULL, "NUL byte in a text file");
        *err = POSTURE_ESYNTAX;
        return NULL;
    }
    size_t bad = utf8_invalid_at((const unsigned char *)start, len);
    if (bad < len) {
        add_at_offset(file, start, bad, d, NULL, "invalid UTF-8 (byte 0x%02x)",
                      (unsigned)(unsigned char)start[bad]);
        *err = POSTURE_ESYNTAX;
        return NULL;
    }
    int lrc = check_limits(file, start, len, d);
    if (lrc != 0) {
        *err = lrc;
        return NULL;
    }
    const char *end = NULL;
    int nomem = 0;
    cJSON *root = parse_cjson(start, len, &end, &nomem);
    if (!root && nomem) {
        *err = posture_error_set(POSTURE_ENOMEM, "%s: out of memory", file);
        return NULL;
    }
    if (!root) {
        size_t off = end && end >= start ? (size_t)(end - start) : 0;
        if (off > len)
            off = len;
        /* cJSON points at the trailing NUL for content after the value */
        if (off >= len || in_open_string(start, len, off)) {
            size_t k = len;
            while (k > 0 && strchr(" \t\r\n", start[k - 1]))
                k--;
            add_at_offset(file, start, k, d, NULL, "syntax error: unexpected end of file");
        } else {
            unsigned char ch = (unsigned char)start[off];
            if ((ch == '[' || ch == '{') && depth_at(start, off) >= CJSON_NESTING_LIMIT)
                add_at_offset(file, start, off, d, NULL,
                              "syntax error: nesting deeper than %d levels", CJSON_NESTING_LIMIT);
            else if (ch >= 0x20 && ch < 0x7F)
                add_at_offset(file, start, off, d, NULL, "syntax error: unexpected character '%c'",
                              ch);
            else
                add_at_offset(file, start, off, d, NULL, "syntax error: unexpected byte 0x%02x",
                              ch);
        }
        *err = POSTURE_ESYNTAX;
        return NULL;
    }
    size_t z = nul_escape_at(start, len);
    if (z < len) {
        add_at_offset(file, start, z, d, NULL, "\\u0000 in a string is not allowed");
        cJSON_Delete(root);
        *err = POSTURE_EINVALID;
        return NULL;
    }
    jctx c;
    jctx_init(&c, file, d);
    int dup = check_dup_keys(&c, root, NULL);
    int oom = c.oom || c.ptr.oom;
    jctx_release(&c);
    if (dup || oom) {
        *err = oom ? posture_error_set(POSTURE_ENOMEM, "out of memory") : POSTURE_EINVALID;
        if (oom || !keep_dups) {
            cJSON_Delete(root);
            return NULL;
        }
    }
    return root;
}

cJSON *json_parse_text(const char *file, const char *text, size_t len, posture_diags *d, int *err)
{
    return parse_impl(file, text, len, d, err, 0);
}

cJSON *json_parse_text_all(const char *file, const char *text, size_t len, posture_diags *d,
                           int *err)
{
    return parse_impl(file, text, len, d, err, 1);
}

static cJSON *parse_file_impl(const char *path, posture_diags *d, int *err, int keep_dups)
{
    char *text = NULL;
    size_t len = 0;
    int rc = posture_read_file(path, 0, &text, &len);
    if (rc != 0) {
        posture_diags_add(d, POSTURE_SEV_ERROR, NULL, NULL, limit_hint(rc), "%s",
                          posture_error_last());
        *err = rc;
        return NULL;
    }
    cJSON *root = parse_impl(path, text, len, d, err, keep_dups);
    free(text);
    return root;
}

cJSON *json_parse_file(const char *path, posture_diags *d, int *err)
{
    return parse_file_impl(path, d, err, 0);
}

cJSON *json_parse_file_all(const char *path, posture_diags *d, int *err)
{
    return parse_file_impl(path, d, err, 1);
}

static const cJSON *get_typed(jctx *c, const cJSON *obj, const char *key, int required,
                              cJSON_bool (*is)(const cJSON *), const char *want)
{
    const cJSON *v = jfield(obj, key);
    if (!v) {
        if (required)
            jctx_error(c, "missing required field \"%s\"", key);
        return NULL;
    }
    if (!is(v)) {
        jctx_error_at(c, key, "expected %s, got %s", want, json_type_name(v));
        return NULL;
    }
    return v;
}

const char *jget_string(jctx *c, const cJSON *obj, const char *key, int required)
{
    const cJSON *v = get_typed(c, obj, key, required, cJSON_IsString, "a string");
    return v ? v->valuestring : NULL;
}

const char *jget_text(jctx *c, const cJSON *obj, const char *key, int required)
{
    const char *s = jget_string(c, obj, key, required);
    if (s && !*s) {
        jctx_error_at(c, key, "must not be empty");
        return NULL;
    }
    return s;
}

const cJSON *jget_array(jctx *c, const cJSON *obj, const char *key, int required)
{
    return get_typed(c, obj, key, required, cJSON_IsArray, "an array");
}

const cJSON *jget_object(jctx *c, const cJSON *obj, const char *key, int required)
{
    return get_typed(c, obj, key, required, cJSON_IsObject, "an object");
}

int jget_bool(jctx *c, const cJSON *obj, const char *key, int required)
{
    const cJSON *v = get_typed(c, obj, key, required, cJSON_IsBool, "a boolean");
    return v ? cJSON_IsTrue(v) : -1;
}

int jexpect_object(jctx *c, const cJSON *v)
{
    if (cJSON_IsObject(v))
        return 1;
    jctx_error(c, "expected an object, got %s", json_type_name(v));
    return 0;
}

void jcheck_fields(jctx *c, const cJSON *obj, const char *const *known)
{
    for (const cJSON *m = obj ? obj->child : NULL; m; m = m->next) {
        int ok = 0;
        for (const char *const *k = known; *k; k++)
            if (strcmp(*k, m->string) == 0) {
                ok = 1;
                break;
            }
        if (!ok) {
            size_t mark = jctx_push_key(c, m->string);
            jctx_warn(c, "unknown field \"%s\"", m->string);
            jctx_pop(c, mark);
        }
    }
}
