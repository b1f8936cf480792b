/*
 * posture/store_admin.h - stores as a whole: how a store name is shown, and
 * copying a whole store between backends (SQLite file <-> PostgreSQL URI,
 * either way; docs/store.md, "PostgreSQL").
 *
 * A store name is an SQLite file (or "file:" URI), or a PostgreSQL URI
 * (postgresql://... or postgres://...), as posture_store_open() takes it.
 */
#ifndef POSTURE_STORE_ADMIN_H
#define POSTURE_STORE_ADMIN_H

#include <stddef.h>
#include "store.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Store name `db` as it may be shown to people: a PostgreSQL URI without
 * its password (never echoed), anything else unchanged. Returns a malloc'd
 * string the caller frees, NULL when out of memory.
 */
char *posture_store_display_name(const char *db);

/** What posture_store_copy() copied and checked. */
typedef struct posture_store_copy_report {
    size_t assessments, answers, evidence, inclusions, exclusions, snapshots, log_entries;
    posture_store_overall overall;      /**< the same in both stores */
    size_t scored;                      /**< assessments scored now, the same in both */
    size_t unscored;                    /**< assessments whose template `lib` did not find */
} posture_store_copy_report;

/**
 * Copy the whole store `from` (read only, never changed) into store `to`:
 * every assessment, inclusion, answer, evidence item, exclusion, snapshot and
 * log entry with its id, and the counter of assessment ids, in one
 * transaction on `to`. `to` is created when it does not exist (an SQLite
 * file, or the schema in an empty PostgreSQL database); a store that holds
 * anything is refused with POSTURE_EEXISTS and left alone.
 *
 * Then both stores are compared: the overall score, every assessment's
 * fields and latest snapshot, its history and log lengths, and its score
 * now (for the assessments whose template `lib` finds; `lib` may be NULL).
 * A difference is POSTURE_ESTORE with a message naming it. `out` (may be
 * NULL) receives the counts and the overall score.
 */
int posture_store_copy(const char *from, const char *to, posture_library *lib,
                       posture_store_copy_report *out);

#ifdef __cplusplus
}
#endif
#endif
