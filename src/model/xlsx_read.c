/*
 * xlsx_read.c - the cells of an xlsx workbook: libzip for the package,
 * expat for the XML (elements known by their local names, so prefixes do
 * not matter), parts streamed in chunks under a size cap.
 */
#include "xlsx_read.h"

#include <errno.h>
#include <expat.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <zip.h>

#define CHUNK 65536
#define MAX_COLS 16384UL

/* ---- growable byte buffer ------------------------------------------------------------- */

typedef struct sbuf {
    char *p;
    size_t len, cap;
} sbuf;

/* Append `n` bytes (keeping a NUL after them); 0 or POSTURE_ENOMEM. */
static int sbuf_add(sbuf *b, const char *s, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->len + n + 1)
            cap *= 2;
        char *p = realloc(b->p, cap);
        if (!p)
            return POSTURE_ENOMEM;
        b->p = p;
        b->cap = cap;
    }
    if (n)
        memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
    return 0;
}

static void sbuf_free(sbuf *b)
{
    free(b->p);
    b->p = NULL;
    b->len = b->cap = 0;
}

/* Append code point `cp` as UTF-8. */
static int sbuf_add_cp(sbuf *b, unsigned long cp)
{
    char u[4];
    size_t n;
    if (cp < 0x80) {
        u[0] = (char)cp;
        n = 1;
    } else if (cp < 0x800) {
        u[0] = (char)(0xC0 | (cp >> 6));
        u[1] = (char)(0x80 | (cp & 0x3F));
        n = 2;
    } else if (cp < 0x10000) {
        u[0] = (char)(0xE0 | (cp >> 12));
        u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        u[2] = (char)(0x80 | (cp & 0x3F));
        n = 3;
    } else {
        u[0] = (char)(0xF0 | (cp >> 18));
        u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        u[3] = (char)(0x80 | (cp & 0x3F));
        n = 4;
    }
    return sbuf_add(b, u, n);
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* The UTF-16 code unit of an escape _xHHHH_ at `s` (7 bytes available), or -1. */
static long xescape(const char *s, size_t n)
{
    if (n < 7 || s[0] != '_' || s[1] != 'x' || s[6] != '_')
        return -1;
    long u = 0;
    for (int i = 2; i < 6; i++) {
        int h = hexval(s[i]);
        if (h < 0)
            return -1;
        u = u * 16 + h;
    }
    return u;
}

/*
 * Append text of a string item, undoing the escapes of ST_Xstring
 * (_xHHHH_ for a UTF-16 code unit; surrogate pairs combined; NUL and lone
 * surrogates become U+FFFD).
 */
static int add_xstring(sbuf *b, const char *s, size_t n)
{
    const char *run = s;
    size_t i = 0;
    while (i < n) {
        const char *us = memchr(s + i, '_', n - i);
        if (!us)
            break;
        i = (size_t)(us - s);
        long u = xescape(s + i, n - i);
        if (u < 0) {
            i++;
            continue;
        }
        if (sbuf_add(b, run, (size_t)(s + i - run)) != 0)
            return POSTURE_ENOMEM;
        i += 7;
        unsigned long cp = (unsigned long)u;
        if (u >= 0xD800 && u <= 0xDBFF) {
            long lo = xescape(s + i, n - i);
            if (lo >= 0xDC00 && lo <= 0xDFFF) {
                cp = 0x10000 + (((unsigned long)u - 0xD800) << 10) + ((unsigned long)lo - 0xDC00);
                i += 7;
            } else {
                cp = 0xFFFD;
            }
        } else if ((u >= 0xDC00 && u <= 0xDFFF) || u == 0) {
            cp = 0xFFFD;
        }
        if (sbuf_add_cp(b, cp) != 0)
            return POSTURE_ENOMEM;
        run = s + i;
    }
    return sbuf_add(b, run, (size_t)(s + n - run));
}

/* ---- the book -------------------------------------------------------------------------- */

struct xlsx_book {
    zip_t *z;
    char *path;
    posture_diags *d;
    size_t max_part;
    int date1904;
    char **names;  /* sheet names */
    char **parts;  /* their part names */
    size_t nsheets;
    sbuf sst;      /* shared strings, each NUL-terminated */
    size_t *sst_off, *sst_len;
    size_t nsst, capsst;
    unsigned char *xf_date; /* per cell style: a date format */
    size_t nxf;
};

static int book_error(xlsx_book *b, int code, const char *place, const char *hint,
                      const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 5, 6)))
#endif
    ;

static int book_error(xlsx_book *b, int code, const char *place, const char *hint,
                      const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (posture_diags_add(b->d, POSTURE_SEV_ERROR, b->path, place, hint, "%s", msg) != 0)
        return posture_error_set(POSTURE_ENOMEM, "out of memory");
    return code;
}

static int oom(void) { return posture_error_set(POSTURE_ENOMEM, "out of memory"); }

/* ---- reading one XML part -------------------------------------------------------------- */

/* State shared by every part parser; each parser's state starts with it. */
typedef struct xp {
    xlsx_book *b;
    const char *part;
    XML_Parser p;
    const char *refused; /* why we stopped the parser, or NULL */
    int rc;              /* a code to return after stopping (ENOMEM, a callback's) */
} xp;

/*
 * The local part of a (possibly prefixed) name: "x:row" -> "row". Namespace
 * URIs are not checked: the parts are known by their place in the package,
 * and expat's namespace processing would cost a third of the reading time.
 */
static const char *local_name(const XML_Char *name)
{
    const char *s = strchr(name, ':');
    return s ? s + 1 : name;
}

/* The value of the attribute with local name `name`, or NULL. */
static const char *attr(const XML_Char **atts, const char *name)
{
    for (size_t i = 0; atts[i]; i += 2)
        if (strcmp(local_name(atts[i]), name) == 0)
            return atts[i + 1];
    return NULL;
}

static void stop(xp *x, int rc)
{
    if (!x->rc)
        x->rc = rc;
    XML_StopParser(x->p, XML_FALSE);
}

/* Stop the parser at a declaration we refuse (a document has one DTD, at its top). */
static void refuse(xp *x, const char *why)
{
    if (!x->refused)
        x->refused = why;
    XML_StopParser(x->p, XML_FALSE);
}

static void XMLCALL on_doctype(void *u, const XML_Char *name, const XML_Char *sysid,
                               const XML_Char *pubid, int has_internal_subset)
{
    (void)name;
    (void)sysid;
    (void)pubid;
    (void)has_internal_subset;
    refuse(u, "XML with a document type declaration (DTD) is refused: entities could expand "
              "without bound or read other files");
}

static void XMLCALL on_entity_decl(void *u, const XML_Char *name, int is_param,
                                   const XML_Char *value, int value_length, const XML_Char *base,
                                   const XML_Char *sysid, const XML_Char *pubid,
                                   const XML_Char *notation)
{
    (void)name;
    (void)is_param;
    (void)value;
    (void)value_length;
    (void)base;
    (void)sysid;
    (void)pubid;
    (void)notation;
    refuse(u, "XML with entity declarations is refused");
}

static int XMLCALL on_external_entity(XML_Parser p, const XML_Char *context, const XML_Char *base,
                                      const XML_Char *sysid, const XML_Char *pubid)
{
    (void)p;
    (void)context;
    (void)base;
    (void)sysid;
    (void)pubid;
    return XML_STATUS_ERROR; /* never read another file */
}

static int too_large(xlsx_book *b, const char *part)
{
    char size[48];
    if (b->max_part % (1024 * 1024) == 0)
        snprintf(size, sizeof size, "%zu MiB", b->max_part / (1024 * 1024));
    else
        snprintf(size, sizeof size, "%zu bytes", b->max_part);
    return book_error(b, POSTURE_ELIMIT, part, NULL,
                      "part is larger than %s uncompressed; refusing it (a zip bomb?)", size);
}

/*
 * Parse part `part` with the given handlers, `x` (the start of the
 * handlers' state) as user data. Returns 0, 1 when the part is absent and
 * not `required`, or an error code.
 */
static int read_part(xp *x, const char *part, int required, XML_StartElementHandler on_start,
                     XML_EndElementHandler on_end, XML_CharacterDataHandler on_text)
{
    xlsx_book *b = x->b;
    x->part = part;
    x->refused = NULL;
    x->rc = 0;
    zip_int64_t idx = zip_name_locate(b->z, part, ZIP_FL_NOCASE);
    if (idx < 0) {
        if (!required)
            return 1;
        return book_error(b, POSTURE_EINVALID, NULL, NULL,
                          "not an xlsx workbook (no part %s)", part);
    }
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat_index(b->z, (zip_uint64_t)idx, 0, &st) == 0 && (st.valid & ZIP_STAT_SIZE) &&
        st.size > b->max_part)
        return too_large(b, part);
    zip_file_t *f = zip_fopen_index(b->z, (zip_uint64_t)idx, 0);
    if (!f) {
        zip_error_t *ze = zip_get_error(b->z);
        int enc = zip_error_code_zip(ze) == ZIP_ER_NOPASSWD ||
                  zip_error_code_zip(ze) == ZIP_ER_ENCRNOTSUPP;
        return book_error(b, POSTURE_EIO, part,
                          enc ? "save the workbook without a password" : NULL,
                          "cannot read the part: %s", zip_error_strerror(ze));
    }
    /* expat's own allocations, named here so that a test can interpose them (tests/oom) */
    static const XML_Memory_Handling_Suite mem = {malloc, realloc, free};
    XML_Parser p = XML_ParserCreate_MM(NULL, &mem, NULL);
    char *buf = malloc(CHUNK);
    int rc = 0;
    if (!p || !buf) {
        rc = oom();
        goto done;
    }
    x->p = p;
    XML_SetUserData(p, x);
    XML_SetElementHandler(p, on_start, on_end);
    XML_SetCharacterDataHandler(p, on_text);
    XML_SetStartDoctypeDeclHandler(p, on_doctype);
    XML_SetEntityDeclHandler(p, on_entity_decl);
    XML_SetExternalEntityRefHandler(p, on_external_entity);
    XML_SetParamEntityParsing(p, XML_PARAM_ENTITY_PARSING_NEVER);
    size_t total = 0;
    for (;;) {
        zip_int64_t n = zip_fread(f, buf, CHUNK);
        if (n < 0) {
            rc = book_error(b, POSTURE_EIO, part, NULL, "cannot read the part: %s",
                            zip_error_strerror(zip_file_get_error(f)));
            goto done;
        }
        total += (size_t)n;
        if (total > b->max_part) {
            rc = too_large(b, part);
            goto done;
        }
        if (XML_Parse(p, buf, (int)n, n == 0) == XML_STATUS_ERROR) {
            if (x->rc) {
                rc = x->rc;
            } else if (XML_GetErrorCode(p) == XML_ERROR_NO_MEMORY) {
                rc = oom(); /* not the file's fault */
            } else {
                char place[300];
                snprintf(place, sizeof place, "%s:%lu:%lu", part,
                         (unsigned long)XML_GetCurrentLineNumber(p),
                         (unsigned long)XML_GetCurrentColumnNumber(p) + 1);
                if (x->refused)
                    rc = book_error(b, POSTURE_ESYNTAX, part, NULL, "%s", x->refused);
                else
                    rc = book_error(b, POSTURE_ESYNTAX, place, NULL, "malformed XML: %s",
                                    XML_ErrorString(XML_GetErrorCode(p)));
            }
            goto done;
        }
        if (n == 0)
            break;
    }
    rc = x->rc;
done:
    free(buf);
    if (p)
        XML_ParserFree(p);
    x->p = NULL;
    zip_fclose(f);
    return rc;
}

/* ---- package relationships -------------------------------------------------------------- */

/* Directory part of a part name ("xl/workbook.xml" -> "xl"; "" at the root). */
static char *dir_of(const char *part)
{
    const char *s = strrchr(part, '/');
    return strndup(part, s ? (size_t)(s - part) : 0);
}

/* The part a relationship target names, relative to directory `dir`; NULL when out of memory. */
static char *resolve_target(const char *dir, const char *target)
{
    sbuf b = {0};
    if (target[0] != '/' && *dir && (sbuf_add(&b, dir, strlen(dir)) || sbuf_add(&b, "/", 1)))
        goto fail;
    if (sbuf_add(&b, target[0] == '/' ? target + 1 : target, strlen(target)))
        goto fail;
    /* remove "." and ".." segments */
    char *out = malloc(b.len + 1);
    if (!out)
        goto fail;
    size_t o = 0;
    char *save = NULL;
    for (char *seg = strtok_r(b.p, "/", &save); seg; seg = strtok_r(NULL, "/", &save)) {
        if (strcmp(seg, ".") == 0)
            continue;
        if (strcmp(seg, "..") == 0) {
            while (o > 0 && out[o - 1] != '/')
                o--;
            if (o > 0)
                o--;
            continue;
        }
        if (o)
            out[o++] = '/';
        size_t l = strlen(seg);
        memcpy(out + o, seg, l);
        o += l;
    }
    out[o] = '\0';
    sbuf_free(&b);
    return out;
fail:
    sbuf_free(&b);
    return NULL;
}

typedef struct rel {
    char *id, *type, *target;
} rel;

typedef struct rels_st {
    xp x;
    rel *items;
    size_t n, cap;
} rels_st;

static void XMLCALL rels_start(void *u, const XML_Char *name, const XML_Char **atts)
{
    rels_st *s = u;
    if (strcmp(local_name(name), "Relationship") != 0)
        return;
    const char *id = attr(atts, "Id"), *type = attr(atts, "Type"), *target = attr(atts, "Target");
    const char *mode = attr(atts, "TargetMode");
    if (!id || !type || !target || (mode && strcmp(mode, "External") == 0))
        return;
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 8;
        rel *items = realloc(s->items, cap * sizeof *items);
        if (!items) {
            stop(&s->x, oom());
            return;
        }
        s->items = items;
        s->cap = cap;
    }
    rel r = {strdup(id), strdup(type), strdup(target)};
    if (!r.id || !r.type || !r.target) {
        free(r.id);
        free(r.type);
        free(r.target);
        stop(&s->x, oom());
        return;
    }
    s->items[s->n++] = r;
}

static void XMLCALL ignore_end(void *u, const XML_Char *name)
{
    (void)u;
    (void)name;
}

static void XMLCALL ignore_text(void *u, const XML_Char *s, int len)
{
    (void)u;
    (void)s;
    (void)len;
}

static void rels_free(rels_st *s)
{
    for (size_t i = 0; i < s->n; i++) {
        free(s->items[i].id);
        free(s->items[i].type);
        free(s->items[i].target);
    }
    free(s->items);
    s->items = NULL;
    s->n = s->cap = 0;
}

/* Whether relationship type `type` ends in "/" `suffix`. */
static int type_is(const char *type, const char *suffix)
{
    size_t lt = strlen(type), ls = strlen(suffix);
    return lt > ls && type[lt - ls - 1] == '/' && strcmp(type + lt - ls, suffix) == 0;
}

/* ---- workbook.xml ------------------------------------------------------------------------ */

typedef struct wb_st {
    xp x;
    char **names, **rids;
    size_t n, cap;
    int date1904;
} wb_st;

static void XMLCALL wb_start(void *u, const XML_Char *name, const XML_Char **atts)
{
    wb_st *s = u;
    const char *ln = local_name(name);
    if (strcmp(ln, "workbookPr") == 0) {
        const char *v = attr(atts, "date1904");
        s->date1904 = v && (strcmp(v, "1") == 0 || strcasecmp(v, "true") == 0);
        return;
    }
    if (strcmp(ln, "sheet") != 0)
        return;
    const char *sn = attr(atts, "name"), *rid = attr(atts, "id");
    if (!sn || !rid)
        return;
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 8;
        char **names = realloc(s->names, cap * sizeof *names);
        if (names)
            s->names = names;
        char **rids = realloc(s->rids, cap * sizeof *rids);
        if (rids)
            s->rids = rids;
        if (!names || !rids) {
            stop(&s->x, oom());
            return;
        }
        s->cap = cap;
    }
    s->names[s->n] = strdup(sn);
    s->rids[s->n] = strdup(rid);
    s->n++;
    if (!s->names[s->n - 1] || !s->rids[s->n - 1])
        stop(&s->x, oom());
}

/* ---- sharedStrings.xml -------------------------------------------------------------------- */

typedef struct sst_st {
    xp x;
    int in_si, in_t, in_rph;
    sbuf cur;
} sst_st;

static void XMLCALL sst_start(void *u, const XML_Char *name, const XML_Char **atts)
{
    (void)atts;
    sst_st *s = u;
    const char *ln = local_name(name);
    if (strcmp(ln, "si") == 0) {
        s->in_si = 1;
        s->cur.len = 0;
    } else if (strcmp(ln, "rPh") == 0) {
        s->in_rph++;
    } else if (strcmp(ln, "t") == 0 && s->in_si && !s->in_rph) {
        s->in_t = 1;
    }
}

static void XMLCALL sst_end(void *u, const XML_Char *name)
{
    sst_st *s = u;
    xlsx_book *b = s->x.b;
    const char *ln = local_name(name);
    if (strcmp(ln, "t") == 0) {
        s->in_t = 0;
    } else if (strcmp(ln, "rPh") == 0) {
        if (s->in_rph)
            s->in_rph--;
    } else if (strcmp(ln, "si") == 0) {
        s->in_si = 0;
        if (b->nsst == b->capsst) {
            size_t cap = b->capsst ? b->capsst * 2 : 1024;
            size_t *off = realloc(b->sst_off, cap * sizeof *off);
            if (off)
                b->sst_off = off;
            size_t *len = realloc(b->sst_len, cap * sizeof *len);
            if (len)
                b->sst_len = len;
            if (!off || !len) {
                stop(&s->x, oom());
                return;
            }
            b->capsst = cap;
        }
        size_t start = b->sst.len;
        if (add_xstring(&b->sst, s->cur.p ? s->cur.p : "", s->cur.len) != 0 ||
            sbuf_add(&b->sst, "\0", 1) != 0) {
            stop(&s->x, oom());
            return;
        }
        b->sst_off[b->nsst] = start;
        b->sst_len[b->nsst] = b->sst.len - start - 1;
        b->nsst++;
    }
}

static void XMLCALL sst_text(void *u, const XML_Char *t, int len)
{
    sst_st *s = u;
    if (s->in_t && sbuf_add(&s->cur, t, (size_t)len) != 0)
        stop(&s->x, oom());
}

/* ---- styles.xml --------------------------------------------------------------------------- */

/* Whether a number format code shows a date or time (quoted text, escapes and [..] aside). */
static int date_format_code(const char *code)
{
    for (const char *p = code; *p; p++) {
        switch (*p) {
        case '"':
            p = strchr(p + 1, '"');
            if (!p)
                return 0;
            break;
        case '\\':
        case '_':
        case '*':
            if (!p[1])
                return 0;
            p++;
            break;
        case '[': {
            const char *e = strchr(p, ']');
            if (!e)
                return 0;
            /* elapsed time [h], [mm], [ss] is a time */
            if (e > p + 1 && strspn(p + 1, "hHmMsS") == (size_t)(e - p - 1))
                return 1;
            p = e;
            break;
        }
        case 'd': case 'D': case 'm': case 'M': case 'y': case 'Y':
        case 'h': case 'H': case 's': case 'S':
            return 1;
        default:
            break;
        }
    }
    return 0;
}

/* Excel's built-in number formats that show dates or times. */
static int builtin_date_format(long id)
{
    return (id >= 14 && id <= 22) || (id >= 27 && id <= 36) || (id >= 45 && id <= 47) ||
           (id >= 50 && id <= 58) || (id >= 71 && id <= 81);
}

typedef struct sty_st {
    xp x;
    int in_numfmts, in_xfs;
    long *fmt_ids;     /* custom formats */
    unsigned char *fmt_date;
    size_t nfmt, capfmt;
    long *xf_fmt;      /* number format of each cell style */
    size_t nxf, capxf;
} sty_st;

static void XMLCALL sty_start(void *u, const XML_Char *name, const XML_Char **atts)
{
    sty_st *s = u;
    const char *ln = local_name(name);
    if (strcmp(ln, "numFmts") == 0) {
        s->in_numfmts = 1;
    } else if (strcmp(ln, "cellXfs") == 0) {
        s->in_xfs = 1;
    } else if (strcmp(ln, "numFmt") == 0 && s->in_numfmts) {
        const char *id = attr(atts, "numFmtId"), *code = attr(atts, "formatCode");
        if (!id || !code)
            return;
        if (s->nfmt == s->capfmt) {
            size_t cap = s->capfmt ? s->capfmt * 2 : 16;
            long *ids = realloc(s->fmt_ids, cap * sizeof *ids);
            if (ids)
                s->fmt_ids = ids;
            unsigned char *dt = realloc(s->fmt_date, cap);
            if (dt)
                s->fmt_date = dt;
            if (!ids || !dt) {
                stop(&s->x, oom());
                return;
            }
            s->capfmt = cap;
        }
        s->fmt_ids[s->nfmt] = strtol(id, NULL, 10);
        s->fmt_date[s->nfmt] = (unsigned char)date_format_code(code);
        s->nfmt++;
    } else if (strcmp(ln, "xf") == 0 && s->in_xfs) {
        if (s->nxf == s->capxf) {
            size_t cap = s->capxf ? s->capxf * 2 : 32;
            long *xf = realloc(s->xf_fmt, cap * sizeof *xf);
            if (!xf) {
                stop(&s->x, oom());
                return;
            }
            s->xf_fmt = xf;
            s->capxf = cap;
        }
        const char *id = attr(atts, "numFmtId");
        s->xf_fmt[s->nxf++] = id ? strtol(id, NULL, 10) : 0;
    }
}

static void XMLCALL sty_end(void *u, const XML_Char *name)
{
    sty_st *s = u;
    const char *ln = local_name(name);
    if (strcmp(ln, "numFmts") == 0)
        s->in_numfmts = 0;
    else if (strcmp(ln, "cellXfs") == 0)
        s->in_xfs = 0;
}

/* ---- open ----------------------------------------------------------------------------------- */

/* Whether the file starts with the signature of an OLE compound file (.xls, encrypted .xlsx). */
static int is_ole_file(const char *path)
{
    static const unsigned char sig[8] = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1};
    unsigned char head[8];
    FILE *f = fopen(path, "rb");
    if (!f)
        return 0;
    size_t n = fread(head, 1, sizeof head, f);
    fclose(f);
    return n == sizeof head && memcmp(head, sig, sizeof sig) == 0;
}

static int open_zip(xlsx_book *b, const char *path)
{
    int err = 0;
    b->z = zip_open(path, ZIP_RDONLY, &err);
    if (b->z)
        return 0;
    if (err == ZIP_ER_MEMORY)
        return book_error(b, POSTURE_ENOMEM, NULL, NULL, "out of memory");
    if (err == ZIP_ER_NOZIP || err == ZIP_ER_INCONS) {
        if (is_ole_file(path))
            return book_error(b, POSTURE_EINVALID, NULL,
                              "save it as an .xlsx workbook without a password",
                              "not an xlsx workbook (an old .xls file or a password-protected "
                              "workbook)");
        return book_error(b, POSTURE_EINVALID, NULL, NULL,
                          "not an xlsx workbook (not a zip archive)");
    }
    zip_error_t ze;
    zip_error_init_with_code(&ze, err);
    int code;
    if (err == ZIP_ER_NOENT)
        code = book_error(b, POSTURE_EIO, NULL, NULL, "cannot open: %s", strerror(ENOENT));
    else if (err == ZIP_ER_OPEN || err == ZIP_ER_READ)
        code = book_error(b, POSTURE_EIO, NULL, NULL, "cannot open: %s",
                          strerror(zip_error_code_system(&ze)));
    else
        code = book_error(b, POSTURE_EIO, NULL, NULL, "cannot open: %s", zip_error_strerror(&ze));
    zip_error_fini(&ze);
    return code;
}

/* Read _rels/.rels for the main part; "xl/workbook.xml" when it names none. */
static int find_workbook(xlsx_book *b, char **out)
{
    rels_st rs = {.x = {.b = b}};
    int rc = read_part(&rs.x, "_rels/.rels", 0, rels_start, ignore_end, ignore_text);
    *out = NULL;
    if (rc < 0)
        goto done;
    for (size_t i = 0; rc == 0 && i < rs.n && !*out; i++)
        if (type_is(rs.items[i].type, "officeDocument")) {
            *out = resolve_target("", rs.items[i].target);
            if (!*out)
                rc = oom();
        }
    if (rc >= 0 && !*out && !(*out = strdup("xl/workbook.xml")))
        rc = oom();
    if (rc > 0)
        rc = 0;
done:
    rels_free(&rs);
    return rc;
}

static int read_sheets_and_rels(xlsx_book *b, const char *wbpart, char **sst_part,
                                char **sty_part)
{
    wb_st ws = {.x = {.b = b}};
    rels_st rs = {.x = {.b = b}};
    char *dir = dir_of(wbpart), *relpath = NULL;
    int rc = 0;
    if (!dir) {
        rc = oom();
        goto done;
    }
    rc = read_part(&ws.x, wbpart, 1, wb_start, ignore_end, ignore_text);
    if (rc != 0)
        goto done;
    b->date1904 = ws.date1904;
    const char *base = strrchr(wbpart, '/');
    base = base ? base + 1 : wbpart;
    size_t rl = strlen(dir) + strlen(base) + 16;
    relpath = malloc(rl);
    if (!relpath) {
        rc = oom();
        goto done;
    }
    snprintf(relpath, rl, "%s%s_rels/%s.rels", dir, *dir ? "/" : "", base);
    rc = read_part(&rs.x, relpath, 0, rels_start, ignore_end, ignore_text);
    if (rc < 0)
        goto done;
    rc = 0;
    b->names = calloc(ws.n ? ws.n : 1, sizeof *b->names);
    b->parts = calloc(ws.n ? ws.n : 1, sizeof *b->parts);
    if (!b->names || !b->parts) {
        rc = oom();
        goto done;
    }
    for (size_t i = 0; i < ws.n && rc == 0; i++) {
        const char *target = NULL;
        for (size_t k = 0; k < rs.n && !target; k++)
            if (strcmp(rs.items[k].id, ws.rids[i]) == 0)
                target = rs.items[k].target;
        if (!target)
            continue; /* a sheet without its part cannot be read; it is left out */
        char *part = resolve_target(dir, target);
        if (!part) {
            rc = oom();
            break;
        }
        b->names[b->nsheets] = ws.names[i];
        ws.names[i] = NULL;
        b->parts[b->nsheets++] = part;
    }
    for (size_t k = 0; k < rs.n && rc == 0; k++) {
        char **dst = type_is(rs.items[k].type, "sharedStrings") ? sst_part
                     : type_is(rs.items[k].type, "styles")      ? sty_part
                                                                : NULL;
        if (dst && !*dst && !(*dst = resolve_target(dir, rs.items[k].target)))
            rc = oom();
    }
done:
    for (size_t i = 0; i < ws.n; i++) {
        free(ws.names[i]);
        free(ws.rids[i]);
    }
    free(ws.names);
    free(ws.rids);
    rels_free(&rs);
    free(dir);
    free(relpath);
    return rc;
}

static int read_styles(xlsx_book *b, const char *part)
{
    sty_st s = {0};
    s.x.b = b;
    int rc = read_part(&s.x, part, 0, sty_start, sty_end, ignore_text);
    if (rc == 0 && s.nxf) {
        b->xf_date = calloc(s.nxf, 1);
        if (!b->xf_date) {
            rc = oom();
        } else {
            b->nxf = s.nxf;
            for (size_t i = 0; i < s.nxf; i++) {
                long id = s.xf_fmt[i];
                int date = builtin_date_format(id);
                for (size_t k = 0; k < s.nfmt; k++)
                    if (s.fmt_ids[k] == id)
                        date = s.fmt_date[k];
                b->xf_date[i] = (unsigned char)date;
            }
        }
    }
    free(s.fmt_ids);
    free(s.fmt_date);
    free(s.xf_fmt);
    return rc > 0 ? 0 : rc;
}

int xlsx_open(const char *path, size_t max_part, posture_diags *d, xlsx_book **out)
{
    *out = NULL;
    xlsx_book *b = calloc(1, sizeof *b);
    if (!b)
        return oom();
    b->d = d;
    b->max_part = max_part;
    char *wbpart = NULL, *sst_part = NULL, *sty_part = NULL;
    int rc = (b->path = strdup(path)) ? 0 : oom();
    if (rc == 0)
        rc = open_zip(b, path);
    if (rc == 0)
        rc = find_workbook(b, &wbpart);
    if (rc == 0)
        rc = read_sheets_and_rels(b, wbpart, &sst_part, &sty_part);
    if (rc == 0) {
        sst_st s = {0};
        s.x.b = b;
        rc = read_part(&s.x, sst_part ? sst_part : "xl/sharedStrings.xml", 0, sst_start, sst_end,
                       sst_text);
        sbuf_free(&s.cur);
        if (rc > 0)
            rc = 0;
    }
    if (rc == 0)
        rc = read_styles(b, sty_part ? sty_part : "xl/styles.xml");
    free(wbpart);
    free(sst_part);
    free(sty_part);
    if (rc != 0) {
        xlsx_close(b);
        return rc;
    }
    *out = b;
    return 0;
}

void xlsx_close(xlsx_book *b)
{
    if (!b)
        return;
    if (b->z)
        zip_discard(b->z);
    for (size_t i = 0; i < b->nsheets; i++) {
        free(b->names[i]);
        free(b->parts[i]);
    }
    free(b->names);
    free(b->parts);
    sbuf_free(&b->sst);
    free(b->sst_off);
    free(b->sst_len);
    free(b->xf_date);
    free(b->path);
    free(b);
}

size_t xlsx_sheet_count(const xlsx_book *b) { return b->nsheets; }

const char *xlsx_sheet_name(const xlsx_book *b, size_t i)
{
    return i < b->nsheets ? b->names[i] : NULL;
}

long xlsx_sheet_find(const xlsx_book *b, const char *name)
{
    for (size_t i = 0; i < b->nsheets; i++)
        if (strcasecmp(b->names[i], name) == 0)
            return (long)i;
    return -1;
}

int xlsx_date1904(const xlsx_book *b) { return b->date1904; }

/* ---- sheets ------------------------------------------------------------------------------- */

void xlsx_cell_name(char buf[24], unsigned long row, unsigned long col)
{
    char letters[8];
    int n = 0;
    unsigned long c = col + 1;
    while (c && n < 7) {
        letters[n++] = (char)('A' + (c - 1) % 26);
        c = (c - 1) / 26;
    }
    int o = 0;
    while (n)
        buf[o++] = letters[--n];
    snprintf(buf + o, 24 - (size_t)o, "%lu", row);
}

/* A pending cell of the current row: its text is at `off` in the row buffer, or `ptr`. */
typedef struct pcell {
    unsigned long col;
    xlsx_type type;
    const char *ptr;
    size_t off, len;
    double num;
    int date_style;
} pcell;

typedef struct sh_st {
    xp x;
    const char *sheet;
    xlsx_row_fn fn;
    void *ctx;
    int in_data, in_row, in_c, in_v, in_is, in_t, in_rph;
    unsigned long row, next_col, col;
    char type[12];
    long style;
    sbuf val;
    sbuf text;       /* texts of the row's cells */
    pcell *cells;
    size_t n, cap;
    xlsx_cell *out;
    size_t capout;
    int bad;
    int too_wide;    /* the current row was reported for too many cells */
} sh_st;

/* Column of a cell reference "AB12" (letters only looked at), or -1. */
static long ref_col(const char *r)
{
    unsigned long col = 0;
    const char *p = r;
    for (; (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z'); p++) {
        col = col * 26 + (unsigned long)((*p | 0x20) - 'a' + 1);
        if (col > MAX_COLS)
            return -1;
    }
    return p == r ? -1 : (long)(col - 1);
}

static void cell_error(sh_st *s, const char *fmt, const char *detail)
{
    char cell[24], place[320];
    xlsx_cell_name(cell, s->row, s->col);
    snprintf(place, sizeof place, "sheet \"%s\" cell %s", s->sheet, cell);
    if (book_error(s->x.b, POSTURE_EINVALID, place, NULL, fmt, detail) == POSTURE_ENOMEM)
        stop(&s->x, POSTURE_ENOMEM);
    s->bad = 1;
}

static void XMLCALL sh_start(void *u, const XML_Char *name, const XML_Char **atts)
{
    sh_st *s = u;
    const char *ln = local_name(name);
    if (!s->in_data) {
        if (strcmp(ln, "sheetData") == 0)
            s->in_data = 1;
        return;
    }
    if (strcmp(ln, "row") == 0) {
        const char *r = attr(atts, "r");
        unsigned long row = r ? strtoul(r, NULL, 10) : 0;
        s->row = row ? row : s->row + 1;
        s->in_row = 1;
        s->next_col = 0;
        s->n = 0;
        s->too_wide = 0;
        s->text.len = 0;
    } else if (strcmp(ln, "c") == 0 && s->in_row) {
        const char *r = attr(atts, "r"), *t = attr(atts, "t"), *st = attr(atts, "s");
        long col = r ? ref_col(r) : (long)s->next_col;
        s->col = col >= 0 ? (unsigned long)col : s->next_col;
        s->next_col = s->col + 1;
        if (col < 0) /* not taken for the next column: its text would land in another field */
            cell_error(s, "invalid cell reference \"%s\" (columns run from A to XFD)", r);
        snprintf(s->type, sizeof s->type, "%s", t ? t : "n");
        s->style = st ? strtol(st, NULL, 10) : 0;
        s->in_c = 1;
        s->val.len = 0;
        if (s->val.p)
            s->val.p[0] = '\0';
    } else if (s->in_c && strcmp(ln, "v") == 0) {
        s->in_v = 1;
    } else if (s->in_c && strcmp(ln, "is") == 0) {
        s->in_is = 1;
    } else if (s->in_is && strcmp(ln, "rPh") == 0) {
        s->in_rph++;
    } else if (s->in_is && !s->in_rph && strcmp(ln, "t") == 0) {
        s->in_t = 1;
    }
}

static int push_cell(sh_st *s, pcell c)
{
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 32;
        pcell *cells = realloc(s->cells, cap * sizeof *cells);
        if (!cells)
            return POSTURE_ENOMEM;
        s->cells = cells;
        s->cap = cap;
    }
    s->cells[s->n++] = c;
    return 0;
}

/* The value of the cell just closed, added to the row. */
static void end_cell(sh_st *s)
{
    xlsx_book *b = s->x.b;
    const char *v = s->val.p ? s->val.p : "";
    size_t vl = s->val.len;
    pcell c = {s->col, XLSX_STRING, NULL, 0, 0, 0.0, 0};
    int rc = 0;
    if (strcmp(s->type, "s") == 0) {
        char *end;
        errno = 0;
        unsigned long k = strtoul(v, &end, 10);
        if (vl == 0)
            return;
        if (errno || *end || end == v || k >= b->nsst) {
            cell_error(s, "shared string %s does not exist", v);
            return;
        }
        c.ptr = b->sst.p + b->sst_off[k];
        c.len = b->sst_len[k];
    } else if (strcmp(s->type, "inlineStr") == 0 || strcmp(s->type, "str") == 0 ||
               strcmp(s->type, "e") == 0 || strcmp(s->type, "d") == 0) {
        c.type = s->type[0] == 'e' ? XLSX_ERROR : s->type[0] == 'd' ? XLSX_DATE : XLSX_STRING;
        c.off = s->text.len;
        rc = c.type == XLSX_STRING ? add_xstring(&s->text, v, vl) : sbuf_add(&s->text, v, vl);
        if (rc == 0)
            rc = sbuf_add(&s->text, "\0", 1);
        c.len = s->text.len - c.off - 1;
    } else if (strcmp(s->type, "b") == 0) {
        if (vl == 0)
            return;
        c.type = XLSX_BOOL;
        c.ptr = strcmp(v, "0") == 0 ? "FALSE" : "TRUE";
        c.len = strlen(c.ptr);
    } else { /* "n" and anything unknown: a number */
        if (vl == 0)
            return;
        char *end;
        double num = strtod(v, &end);
        if (*end || end == v || !isfinite(num)) {
            cell_error(s, "\"%s\" is not a number", v);
            return;
        }
        c.type = XLSX_NUMBER;
        c.num = num;
        c.date_style = s->style >= 0 && (size_t)s->style < b->nxf && b->xf_date[s->style];
        c.off = s->text.len;
        rc = sbuf_add(&s->text, v, vl);
        if (rc == 0)
            rc = sbuf_add(&s->text, "\0", 1);
        c.len = vl;
    }
    if (rc == 0 && c.len == 0)
        return; /* an empty string is an empty cell */
    if (rc == 0 && s->n >= MAX_COLS) {
        /* a sheet has 16384 columns: more cells in a row only cost memory */
        if (!s->too_wide) {
            char row[32];
            snprintf(row, sizeof row, "%lu", s->row);
            cell_error(s, "row %s has more cells than a sheet has columns", row);
            s->too_wide = 1;
        }
        return;
    }
    if (rc == 0)
        rc = push_cell(s, c);
    if (rc != 0)
        stop(&s->x, oom());
}

static void end_row(sh_st *s)
{
    if (s->n == 0)
        return;
    if (s->n > s->capout) {
        xlsx_cell *o = realloc(s->out, s->n * sizeof *o);
        if (!o) {
            stop(&s->x, oom());
            return;
        }
        s->out = o;
        s->capout = s->n;
    }
    for (size_t i = 0; i < s->n; i++) {
        const pcell *c = &s->cells[i];
        s->out[i] = (xlsx_cell){c->col, c->type, c->ptr ? c->ptr : s->text.p + c->off, c->len,
                                c->num, c->date_style};
    }
    int rc = s->fn(s->ctx, s->row, s->out, s->n);
    if (rc != 0)
        stop(&s->x, rc);
}

static void XMLCALL sh_end(void *u, const XML_Char *name)
{
    sh_st *s = u;
    if (!s->in_data)
        return;
    const char *ln = local_name(name);
    if (strcmp(ln, "sheetData") == 0) {
        s->in_data = 0;
    } else if (strcmp(ln, "row") == 0 && s->in_row) {
        s->in_row = 0;
        end_row(s);
    } else if (strcmp(ln, "c") == 0 && s->in_c) {
        s->in_c = s->in_v = s->in_is = s->in_t = s->in_rph = 0;
        end_cell(s);
    } else if (strcmp(ln, "v") == 0) {
        s->in_v = 0;
    } else if (strcmp(ln, "is") == 0) {
        s->in_is = 0;
    } else if (strcmp(ln, "rPh") == 0) {
        if (s->in_rph)
            s->in_rph--;
    } else if (strcmp(ln, "t") == 0) {
        s->in_t = 0;
    }
}

static void XMLCALL sh_text(void *u, const XML_Char *t, int len)
{
    sh_st *s = u;
    if ((s->in_v || s->in_t) && sbuf_add(&s->val, t, (size_t)len) != 0)
        stop(&s->x, oom());
}

int xlsx_sheet_read(xlsx_book *b, size_t i, xlsx_row_fn fn, void *ctx)
{
    if (i >= b->nsheets)
        return posture_error_set(POSTURE_EUSAGE, "no sheet %zu", i);
    sh_st s = {0};
    s.x.b = b;
    s.sheet = b->names[i];
    s.fn = fn;
    s.ctx = ctx;
    int rc = read_part(&s.x, b->parts[i], 1, sh_start, sh_end, sh_text);
    if (rc == 0 && s.bad)
        rc = POSTURE_EINVALID;
    sbuf_free(&s.val);
    sbuf_free(&s.text);
    free(s.cells);
    free(s.out);
    return rc;
}

/* ---- dates ---------------------------------------------------------------------------------- */

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian); Howard Hinnant's algorithm. */
static long days_from_civil(long y, long m, long d)
{
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void civil_from_days(long z, long *y, long *m, long *d)
{
    z += 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp + (mp < 10 ? 3 : -9);
    *y = yoe + era * 400 + (*m <= 2);
}

int xlsx_serial_date(double serial, int date1904, char buf[11])
{
    if (!isfinite(serial) || serial < (date1904 ? 0 : 1) || serial > 2958466.0)
        return -1;
    long day = (long)floor(serial);
    long base;
    if (date1904) {
        base = days_from_civil(1904, 1, 1);
    } else if (day == 60) {
        return -1; /* 1900-02-29, which did not exist */
    } else {
        /* serial 1 is 1900-01-01; from 61 on Excel counts the fictitious 1900-02-29 */
        base = days_from_civil(1899, 12, day < 60 ? 31 : 30);
    }
    long y, m, d;
    civil_from_days(base + day, &y, &m, &d);
    if (y > 9999)
        return -1;
    snprintf(buf, 11, "%04u-%02u-%02u", (unsigned)y % 10000u, (unsigned)m % 100u,
             (unsigned)d % 100u);
    return 0;
}
