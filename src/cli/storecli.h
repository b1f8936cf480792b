/*
 * storecli.h - what the store commands share: opening the store with the
 * template search path, error messages with hints, scores as people read
 * them, and the JSON pieces of the store's outputs.
 */
#ifndef POSTURE_STORECLI_H
#define POSTURE_STORECLI_H

#include <cjson/cJSON.h>
#include "cli.h"
#include "posture/store.h"

/**
 * Open the store of `g` (flags: POSTURE_STORE_*) with the template search
 * path. Prints the error and a hint on failure; returns an exit code.
 */
int store_cli_open(const cli_global *g, unsigned flags, posture_store **s, posture_library **lib);

/** Print the last column of a table: `s` cut to `width` columns, not padded. */
void store_cli_last(const char *s, int width);

/** Close what store_cli_open() opened. */
void store_cli_close(posture_store *s, posture_library *lib);

/** Print the last error (and a hint for busy/read-only/newer stores); returns EXIT_FAIL. */
int store_cli_fail(const posture_store *s);

/** Print diagnostics, then the last error when there were none; returns EXIT_FAIL. */
int store_cli_fail_diags(const posture_store *s, const posture_diags *d);

/** "90.32%" or "n/a". */
void store_cli_pct(const posture_points *p, char buf[32]);

/** "90.32% (28 of 31 points)" or "n/a (nothing in scope)". */
void store_cli_score(const posture_points *p, char buf[128]);

/** Print `label: N changes` and each touched assessment's score before -> after. */
void store_cli_outcome(const char *label, const posture_store_outcome *o);

/** {"achieved", "possible", "percent"} of summary-format.md. */
cJSON *store_json_points(const posture_points *p);

/** {"controls": {...}, "actions": {...}} counts of a snapshot. */
cJSON *store_json_counts(const posture_store_snapshot *sn);

/** A string, or null for NULL. */
cJSON *store_json_str(const char *s);

/** A new document {"format": FORMAT, "generator": {...}}. */
cJSON *store_json_doc(const char *format);

/** Print `doc` pretty on stdout and free it; returns an exit code. */
int store_json_print(cJSON *doc);

#endif
