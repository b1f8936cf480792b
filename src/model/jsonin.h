/*
 * jsonin.h - (internal) reading JSON input with exact locations: BOM,
 * UTF-8 and NUL checks, syntax errors at LINE:COL, duplicate keys, JSON
 * pointers, and typed field access that reports every problem.
 */
#ifndef POSTURE_JSONIN_H
#define POSTURE_JSONIN_H

#include <cjson/cJSON.h>
#include <stddef.h>
#include "posture/error.h"

/** A JSON pointer being built while walking a document. */
typedef struct jptr {
    char *buf;
    size_t len, cap;
    int oom;
} jptr;

/** Walking context: file name for messages, diagnostics, current pointer. */
typedef struct jctx {
    const char *file;
    posture_diags *diags;
    jptr ptr;
    size_t errors;   /* errors added through this context */
    int oom;
} jctx;

void jctx_init(jctx *c, const char *file, posture_diags *d);
void jctx_release(jctx *c);

/** Push a key / an index; returns the length to restore with jptr_pop(). */
size_t jctx_push_key(jctx *c, const char *key);
size_t jctx_push_index(jctx *c, size_t i);
void jctx_pop(jctx *c, size_t mark);
/** The current pointer ("/" at the root). */
const char *jctx_place(jctx *c);

/** Add an error / a warning at the current pointer. */
void jctx_error(jctx *c, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
void jctx_warn(jctx *c, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/** Add an error at the current pointer plus `key` (not pushed afterwards). */
void jctx_error_at(jctx *c, const char *key, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/** "a string", "a number", "an object", "an array", "a boolean", "null". */
const char *json_type_name(const cJSON *v);

/**
 * Parse `len` bytes of `text` (a NUL must follow them, as posture_read_file
 * gives) named `file`: skip a UTF-8 BOM, reject NUL bytes, invalid UTF-8,
 * \u0000 escapes, syntax errors (FILE:LINE:COL) and duplicate keys (FILE:
 * /pointer). Returns the tree, or NULL with the problems in `d` and
 * `*err` set (POSTURE_ESYNTAX, POSTURE_EINVALID or POSTURE_ENOMEM).
 */
cJSON *json_parse_text(const char *file, const char *text, size_t len, posture_diags *d, int *err);

/** Read `path` and parse it as json_parse_text(); file errors are POSTURE_EIO. */
cJSON *json_parse_file(const char *path, posture_diags *d, int *err);

/**
 * As json_parse_text() / json_parse_file(), but a document with duplicate
 * keys is still returned (with the errors in `d` and `*err` ==
 * POSTURE_EINVALID), so that a validator can go on and report every other
 * problem too. The caller must fail when `*err` != 0.
 */
cJSON *json_parse_text_all(const char *file, const char *text, size_t len, posture_diags *d,
                           int *err);
cJSON *json_parse_file_all(const char *path, posture_diags *d, int *err);

/**
 * Field access on object `obj` at the current pointer. A missing required
 * field is an error at the object ("missing required field \"k\""), a
 * wrong type an error at the field. Return NULL when absent or wrong.
 */
const char *jget_string(jctx *c, const cJSON *obj, const char *key, int required);
/** As jget_string, and an empty string is an error ("must not be empty"). */
const char *jget_text(jctx *c, const cJSON *obj, const char *key, int required);
const cJSON *jget_array(jctx *c, const cJSON *obj, const char *key, int required);
const cJSON *jget_object(jctx *c, const cJSON *obj, const char *key, int required);
/** Boolean field: returns 1/0, or -1 when absent or wrong. */
int jget_bool(jctx *c, const cJSON *obj, const char *key, int required);

/** Error unless `v` is an object ("expected an object, got ..."); returns 1 when it is. */
int jexpect_object(jctx *c, const cJSON *v);

/**
 * Warn (an error in strict mode) about every member of `obj` whose key is
 * not in the NULL-terminated list `known`: "unknown field \"k\"".
 */
void jcheck_fields(jctx *c, const cJSON *obj, const char *const *known);

/** Case-sensitive member lookup (cJSON_GetObjectItemCaseSensitive). */
#define jfield(obj, key) cJSON_GetObjectItemCaseSensitive((obj), (key))

/** Compute the 1-based line and column (in characters) of byte `off`. */
void json_line_col(const char *text, size_t off, size_t *line, size_t *col);

#endif
