/* error.c - error codes, per-thread last error, diagnostic lists. */
#include "posture/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static _Thread_local char last_error[1024];

const char *posture_strerror(int code)
{
    switch (code) {
    case POSTURE_OK: return "success";
    case POSTURE_ENOMEM: return "out of memory";
    case POSTURE_EIO: return "input/output error";
    case POSTURE_ESYNTAX: return "syntax error";
    case POSTURE_EINVALID: return "invalid input";
    case POSTURE_ENOTFOUND: return "not found";
    case POSTURE_EUSAGE: return "invalid argument";
    case POSTURE_ECONFLICT: return "conflicting definitions";
    case POSTURE_ELIMIT: return "resource limit exceeded";
    case POSTURE_ESTORE: return "store error";
    case POSTURE_EBUSY: return "store is busy";
    case POSTURE_EVERSION: return "written by a newer version";
    case POSTURE_EEXISTS: return "already exists";
    default: return "unknown error";
    }
}

const char *posture_error_last(void) { return last_error; }

void posture_error_clear(void) { last_error[0] = '\0'; }

int posture_error_set(int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(last_error, sizeof last_error, fmt, ap);
    va_end(ap);
    return code;
}

struct posture_diags {
    posture_diag *items;
    size_t n, cap;
    size_t errors;
    int strict;
};

int posture_diags_new(posture_diags **out)
{
    *out = calloc(1, sizeof **out);
    return *out ? 0 : posture_error_set(POSTURE_ENOMEM, "out of memory");
}

static void diag_release(posture_diag *g)
{
    free((char *)g->file);
    free((char *)g->place);
    free((char *)g->message);
    free((char *)g->hint);
}

void posture_diags_clear(posture_diags *d)
{
    if (!d)
        return;
    for (size_t i = 0; i < d->n; i++)
        diag_release(&d->items[i]);
    d->n = 0;
    d->errors = 0;
}

void posture_diags_free(posture_diags *d)
{
    if (!d)
        return;
    posture_diags_clear(d);
    free(d->items);
    free(d);
}

static char *dup_or_null(const char *s, int *oom)
{
    if (!s)
        return NULL;
    char *c = strdup(s);
    if (!c)
        *oom = 1;
    return c;
}

/* Append `s` to the last-error message of length *len, cut to fit. */
static void last_append(size_t *len, const char *s)
{
    size_t n = strlen(s), room = sizeof last_error - 1 - *len;
    if (n > room)
        n = room;
    memcpy(last_error + *len, s, n);
    *len += n;
    last_error[*len] = '\0';
}

int posture_diags_add(posture_diags *d, posture_severity sev, const char *file, const char *place,
                      const char *hint, const char *fmt, ...)
{
    char msg[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);

    if (d && d->strict)
        sev = POSTURE_SEV_ERROR;
    if (sev == POSTURE_SEV_ERROR && (!d || d->errors == 0)) {
        /* formatted in place: the message must be there even when memory is not */
        size_t len = 0;
        last_error[0] = '\0';
        if (file) {
            last_append(&len, file);
            last_append(&len, ": ");
            if (place) {
                last_append(&len, place);
                last_append(&len, ": ");
            }
        }
        last_append(&len, msg);
    }
    if (!d)
        return 0;
    if (d->n == d->cap) {
        size_t cap = d->cap ? d->cap * 2 : 16;
        posture_diag *items = realloc(d->items, cap * sizeof *items);
        if (!items)
            return posture_error_set(POSTURE_ENOMEM, "out of memory");
        d->items = items;
        d->cap = cap;
    }
    int oom = 0;
    posture_diag g = {sev, dup_or_null(file, &oom), dup_or_null(place, &oom),
                      dup_or_null(msg, &oom), dup_or_null(hint, &oom)};
    if (oom) {
        diag_release(&g);
        return posture_error_set(POSTURE_ENOMEM, "out of memory");
    }
    d->items[d->n++] = g;
    if (sev == POSTURE_SEV_ERROR)
        d->errors++;
    return 0;
}

size_t posture_diags_count(const posture_diags *d) { return d ? d->n : 0; }

size_t posture_diags_errors(const posture_diags *d) { return d ? d->errors : 0; }

const posture_diag *posture_diags_get(const posture_diags *d, size_t i)
{
    return d && i < d->n ? &d->items[i] : NULL;
}

void posture_diags_set_strict(posture_diags *d, int strict)
{
    if (d)
        d->strict = strict;
}

int posture_diags_strict(const posture_diags *d) { return d ? d->strict : 0; }

char *posture_diag_format(const posture_diag *g)
{
    const char *sev = g->severity == POSTURE_SEV_WARNING ? "warning: " : "";
    const char *file = g->file ? g->file : "";
    const char *place = g->place ? g->place : "";
    size_t len = strlen(file) + strlen(place) + strlen(g->message) + strlen(sev) + 8;
    char *s = malloc(len);
    if (!s)
        return NULL;
    if (g->file && g->place)
        snprintf(s, len, "%s: %s: %s%s", file, place, sev, g->message);
    else if (g->file)
        snprintf(s, len, "%s: %s%s", file, sev, g->message);
    else
        snprintf(s, len, "%s%s", sev, g->message);
    return s;
}
