/*
 * limit.h - (internal) resource limits on inputs, so that a hostile or
 * broken file gets a clear error instead of exhausting memory or time.
 *
 * Each limit has a compile-time default (override with -D at build time)
 * and an environment variable that changes it at run time (docs/limits.md).
 */
#ifndef POSTURE_LIMIT_H
#define POSTURE_LIMIT_H

#include <stddef.h>
#include "posture/error.h"

/* Defaults. The input size's is public too, as POSTURE_MAX_INPUT_BYTES (posture/fileio.h;
 * fileio.c checks that the two agree). */
#define LIMIT_INPUT_BYTES_DEFAULT ((size_t)256 * 1024 * 1024)
#ifndef POSTURE_MAX_DEPTH
#define POSTURE_MAX_DEPTH 1000             /* cJSON's own limit (CJSON_NESTING_LIMIT) */
#endif
/* The deepest nesting a variable may set: cJSON's CJSON_NESTING_LIMIT (jsonin.c checks it). */
#define LIMIT_DEPTH_CEILING 1000
#ifndef POSTURE_MAX_STRING_BYTES
#define POSTURE_MAX_STRING_BYTES ((size_t)1 << 20)   /* one JSON string, as written: 1 MiB */
#endif
#ifndef POSTURE_MAX_VALUES
#define POSTURE_MAX_VALUES ((size_t)1 << 24)         /* JSON values in one document: 16 Mi */
#endif
#ifndef POSTURE_MAX_ACTIONS
#define POSTURE_MAX_ACTIONS ((size_t)1 << 21)        /* actions of a template, answers: 2 Mi */
#endif

typedef enum {
    LIMIT_INPUT_BYTES = 0, /* $POSTURE_MAX_INPUT_BYTES: size of an input file */
    LIMIT_DEPTH,           /* $POSTURE_MAX_DEPTH: nesting of arrays and objects (<= 1000) */
    LIMIT_STRING_BYTES,    /* $POSTURE_MAX_STRING_BYTES: one string, in bytes as written */
    LIMIT_VALUES,          /* $POSTURE_MAX_VALUES: values in one JSON document */
    LIMIT_ACTIONS,         /* $POSTURE_MAX_ACTIONS: actions of a template, answers of a file */
    LIMIT__COUNT
} limit_id;

/** Name of the environment variable of a limit ("POSTURE_MAX_DEPTH"). */
const char *limit_env(limit_id which);

/**
 * The current value of a limit: its environment variable when set, else
 * the default. A variable that is not a whole number from 1 to the
 * limit's ceiling fails with POSTURE_EUSAGE and a message naming it.
 */
int limit_get(limit_id which, size_t *out);

/**
 * The hint to print with the error of posture_read_file(): how to raise
 * the size limit when `rc` is POSTURE_ELIMIT, else NULL.
 */
const char *limit_hint(int rc);

/**
 * Check `count` things (`what`: "actions", "answers") against limit
 * `which`. Over it: an error "more WHAT than the limit of N" at `file`
 * and `place` with a hint naming the variable, and POSTURE_ELIMIT; a bad
 * variable: its error and POSTURE_EUSAGE; else 0.
 */
int limit_check_count(limit_id which, size_t count, const char *what, const char *file,
                      const char *place, posture_diags *d);

/**
 * Check the length of one value against limit `which` (LIMIT_STRING_BYTES):
 * over it, an error "value longer than the limit of N bytes" at `file` and
 * `place` with a hint, and POSTURE_ELIMIT; a bad variable: POSTURE_EUSAGE.
 */
int limit_check_length(limit_id which, size_t len, const char *file, const char *place,
                       posture_diags *d);

/** The hint "set VARIABLE to raise the limit" for limit `which`, into `buf` (96 bytes). */
const char *limit_raise_hint(limit_id which, char buf[96]);

#endif
