/* limit.c - resource limits on inputs (internal); see docs/limits.md. */
#include "limit.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The largest value a variable may set: 1 TiB (or 2 GiB where size_t has 32 bits). */
#define CEILING ((size_t)1 << (SIZE_MAX > 0xFFFFFFFFu ? 40 : 31))

static const struct {
    const char *env;
    size_t def, max;
} limits[LIMIT__COUNT] = {
    [LIMIT_INPUT_BYTES] = {"POSTURE_MAX_INPUT_BYTES", LIMIT_INPUT_BYTES_DEFAULT, CEILING},
    [LIMIT_DEPTH] = {"POSTURE_MAX_DEPTH", POSTURE_MAX_DEPTH, LIMIT_DEPTH_CEILING},
    [LIMIT_STRING_BYTES] = {"POSTURE_MAX_STRING_BYTES", POSTURE_MAX_STRING_BYTES, CEILING},
    [LIMIT_VALUES] = {"POSTURE_MAX_VALUES", POSTURE_MAX_VALUES, CEILING},
    [LIMIT_ACTIONS] = {"POSTURE_MAX_ACTIONS", POSTURE_MAX_ACTIONS, CEILING},
};

const char *limit_env(limit_id which) { return limits[which].env; }

const char *limit_raise_hint(limit_id which, char buf[96])
{
    snprintf(buf, 96, "set %s to raise the limit", limits[which].env);
    return buf;
}

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
    posture_diags_add(d, POSTURE_SEV_ERROR, file, place, limit_raise_hint(which, hint),
                      "more %s than the limit of %zu", what, max);
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
    posture_diags_add(d, POSTURE_SEV_ERROR, file, place, limit_raise_hint(which, hint),
                      "value longer than the limit of %zu bytes", max);
    return POSTURE_ELIMIT;
}
