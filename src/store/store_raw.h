/*
 * store_raw.h - (internal) whole-table access to a store, for
 * posture_store_copy() (store_copy.c): every row of a table as text, inserts
 * that keep the ids, and the counter of assessment ids (never reused: the
 * log refers to them). Each backend implements it (store_backend.raw). The
 * tables and columns are those of docs/store.md, the same in
 * both backends; the SQL passed in is built from them, never from user text.
 */
#ifndef POSTURE_STORE_RAW_H
#define POSTURE_STORE_RAW_H

#include <stdint.h>

/* One row: `vals[i]` the text of column i, NULL for NULL. Non-zero stops the walk. */
typedef int (*store_raw_row_cb)(void *ctx, const char *const *vals);

typedef struct store_raw_ops {
    /* Open a posture store (of the current schema) for reading, or for writing. */
    int (*open)(const char *name, int write, void **h);
    void (*close)(void *h);
    /* A read transaction sees one snapshot; a write transaction holds the writer lock. */
    int (*begin)(void *h, int write);
    int (*commit)(void *h);
    void (*rollback)(void *h);
    /* Every row of `select` (no parameters, `ncols` columns). */
    int (*rows)(void *h, const char *select, int ncols, store_raw_row_cb cb, void *ctx);
    /* Insert a row into `table` (columns `cols`, comma-separated, `n` of them; the same
       for every call with one k < STORE_RAW_MAX_INSERTS); is_int[i]: column i holds an
       integer. Rows may be sent in batches: errors may show at a later insert, at
       highest_assessment_id, fix_ids or commit. */
    int (*insert)(void *h, int k, const char *table, const char *cols, int n,
                  const char *const *vals, const unsigned char *is_int);
    /* The highest assessment id ever given (0: none), deleted assessments included. */
    int (*highest_assessment_id)(void *h, int64_t *out);
    /* After inserts with ids: new rows get ids above those, and new assessments ids
       above `highest_assessment_id`. */
    int (*fix_ids)(void *h, int64_t highest_assessment_id);
} store_raw_ops;

#define STORE_RAW_MAX_INSERTS 16

#endif
