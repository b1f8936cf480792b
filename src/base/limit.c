/* limit.c - resource limits on inputs (internal); see docs/limits.md. */
#include "limit.h"

#include <cjson/cJSON.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/jsonin.h"
#include "posture/fileio.h"

/* The largest value a variable may set: 1 TiB (or 2 GiB where size_t has 32 bits). */
#define CEILING ((size_t)1 << (SIZE_MAX > 0xFFFFFFFFu ? 40 : 31))

static const struct {
    const char *env;
    size_t def, max;
} limits[LIMIT__COUNT] = {
    [LIMIT_INPUT_BYTES] = {"POSTURE_MAX_INPUT_BYTES", POSTURE_MAX_INPUT_BYTES, CEILING},
    [LIMIT_DEPTH] = {"POSTURE_MAX_DEPTH", POSTURE_MAX_DEPTH, CJSON_NESTING_LIMIT},
    [LIMIT_STRING_BYTES] = {"POSTURE_MAX_STRING_BYTES", POSTURE_MAX_STRING_BYTES, CEILING},
    [LIMIT_VALUES] = {"POSTURE_MAX_VALUES", POSTURE_MAX_VALUES, CEILING},
    [LIMIT_ACTIONS] = {"POSTURE_MAX_ACTIONS", POSTURE_MAX_ACTIONS, CEILING},
};

const char *limit_env(limit_id which) { return limits[which].env; }

int limit_get(limit_id which, size_t *out)
{
    *out = limits[which].def;
    const char *s = getenv(limits[which].env);
    if (!s || !*s)
        return 0;
    size_t v = 0;
    const char *p = s;
    for (; *p >= '0' && *p <= '9'; p++) {
        v = v * 10 + (size_t)(*p - '0');
        if (v > limits[which].max)
            break;
    }
    if (*p || v < 1 || v > limits[which].max)
        return posture_error_set(POSTURE_EUSAGE,
                                 "%s: expected a whole number from 1 to %zu, got \"%s\"",
                                 limits[which].env, limits[which].max, s);
    *out = v;
    return 0;
}

const char *limit_hint(int rc)
{
    return rc == POSTURE_ELIMIT ? "set POSTURE_MAX_INPUT_BYTES to raise the limit" : NULL;
}

int limit_check_count(limit_id which, size_t count, const char *what, const char *file,
                      const char *place, posture_diags *d)
{
    size_t max;
    int rc = limit_get(which, &max);
    if (rc != 0) {
        posture_diags_add(d, POSTURE_SEV_ERROR, NULL, NULL, NULL, "%s", posture_error_last());
        return rc;
    }
    if (count <= max)
        return 0;
    char hint[96];
    snprintf(hint, sizeof hint, "set %s to raise the limit", limits[which].env);
    posture_diags_add(d, POSTURE_SEV_ERROR, file, place, hint, "more %s than the limit of %zu",
                      what, max);
    return POSTURE_ELIMIT;
}

int limit_check_length(limit_id which, size_t len, const char *file, const char *place,
                       posture_diags *d)
{
    size_t max;
    int rc = limit_get(which, &max);
    if (rc != 0) {
        posture_diags_add(d, POSTURE_SEV_ERROR, NULL, NULL, NULL, "%s", posture_error_last());
        return rc;
    }
    if (len <= max)
        return 0;
    char hint[96];
    snprintf(hint, sizeof hint, "set %s to raise the limit", limits[which].env);
    posture_diags_add(d, POSTURE_SEV_ERROR, file, place, hint,
                      "value longer than the limit of %zu bytes", max);
    return POSTURE_ELIMIT;
}

static int at_offset(const char *file, const char *text, size_t off, posture_diags *d, int rc,
                     limit_id hint_for, const char *msg)
{
    size_t line, col;
    char place[64], hint[96];
    json_line_col(text, off, &line, &col);
    snprintf(place, sizeof place, "%zu:%zu", line, col);
    if (hint_for != LIMIT__COUNT)
        snprintf(hint, sizeof hint, "set %s to raise the limit", limits[hint_for].env);
    posture_diags_add(d, POSTURE_SEV_ERROR, file, place, hint_for != LIMIT__COUNT ? hint : NULL,
                      "%s", msg);
    return rc;
}

/* Byte classes of the scan; 0: part of a number or a bare word. */
enum { C_WORD = 0, C_QUOTE, C_OPEN, C_CLOSE, C_COMMA, C_BLANK };
static const unsigned char byte_class[256] = {
    ['"'] = C_QUOTE, ['['] = C_OPEN,   ['{'] = C_OPEN,   [']'] = C_CLOSE,  ['}'] = C_CLOSE,
    [','] = C_COMMA, [':'] = C_BLANK,  [' '] = C_BLANK,  ['\t'] = C_BLANK, ['\r'] = C_BLANK,
    ['\n'] = C_BLANK,
};

int limit_check_json(const char *file, const char *text, size_t len, posture_diags *d)
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
                return at_offset(file, text, start, d, POSTURE_ELIMIT, LIMIT_STRING_BYTES, msg);
            }
            break;
        }
        case C_OPEN:
            if (++depth > max_depth) {
                snprintf(msg, sizeof msg, "syntax error: nesting deeper than %zu levels", max_depth);
                /* a hint only when the limit was lowered: cJSON cannot go deeper */
                return at_offset(file, text, i, d, POSTURE_ESYNTAX,
                                 max_depth < CJSON_NESTING_LIMIT ? LIMIT_DEPTH : LIMIT__COUNT, msg);
            }
            /* fall through */
        case C_COMMA:
            if (++values > max_values) {
                snprintf(msg, sizeof msg, "more JSON values than the limit of %zu", max_values);
                return at_offset(file, text, i, d, POSTURE_ELIMIT, LIMIT_VALUES, msg);
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
                return at_offset(file, text, start, d, POSTURE_ELIMIT, LIMIT_STRING_BYTES, msg);
            }
            break;
        }
        }
    }
    return 0;
}
