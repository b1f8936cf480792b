/*
 * posture/template.h - regulation templates (format posture-template/1):
 * families, controls and improvement actions, loaded and validated from
 * JSON, with `extends`, a template search path and `id@version` lookup.
 *
 * Ownership: a posture_template is created by posture_template_open() or
 * posture_template_load() and freed with posture_template_free(). Every
 * pointer returned by an accessor (strings, structs, arrays) is owned by the
 * template and valid until it is freed. A posture_library owns the index of
 * the directories it was given and every template it has loaded.
 */
#ifndef POSTURE_TEMPLATE_H
#define POSTURE_TEMPLATE_H

#include <stddef.h>
#include "error.h"
#include "vocab.h"

#ifdef __cplusplus
extern "C" {
#endif

/** One improvement action. Owned by its template. */
typedef struct posture_action {
    const char *id;
    const char *title;
    const char *description;        /**< NULL when absent */
    posture_action_type type;
    posture_enforcement enforcement;
    posture_impl_type impl_type;
    posture_owner owner;
    int points;                     /**< 1-99 when the template sets it, else 0 (profile table) */
    int has_provider_status;        /**< provider attestation present (owner provider only) */
    posture_implementation provider_implementation;
    posture_test provider_test;
    const char *provider_tested_at; /**< NULL when absent */
    const char *file;               /**< file that defined the action */
} posture_action;

/** A crosswalk from a control to another framework. Owned by its template. */
typedef struct posture_mapping {
    const char *framework;          /**< framework id, e.g. "gdpr" */
    const char *const *refs;        /**< references, e.g. "Art. 32(4)" */
    size_t nrefs;
} posture_mapping;

/**
 * A previous id of a control: in every version of its template before
 * `before` (MAJOR.MINOR.PATCH), the control was `id` (the template
 * field `was`; docs/formats/template.md). Owned by its template.
 */
typedef struct posture_was {
    const char *id;
    const char *before;
} posture_was;

/** One control. Owned by its template. */
typedef struct posture_control {
    const char *id;
    const char *title;
    const char *description;        /**< NULL when absent */
    size_t family;                  /**< index of its family */
    const size_t *actions;          /**< indices into the template's actions, distinct, in order */
    size_t nactions;
    const posture_mapping *mappings;
    size_t nmappings;
    const posture_was *was;         /**< its previous ids, in file order */
    size_t nwas;
} posture_control;

/** One family of controls. Owned by its template. */
typedef struct posture_family {
    const char *id;
    const char *title;
    const char *description;        /**< NULL when absent */
    size_t first_control;           /**< controls of a family are contiguous */
    size_t ncontrols;
} posture_family;

/** Template identity. Strings are NULL when absent. Owned by the template. */
typedef struct posture_template_info {
    const char *id;
    const char *version;
    const char *title;
    const char *description;
    const char *extends;            /**< id of the base template */
    const char *regulation_name;
    const char *regulation_edition;
    const char *regulation_publisher;
    const char *regulation_url;
    const char *file;               /**< the file it was loaded from */
} posture_template_info;

typedef struct posture_template posture_template;
typedef struct posture_library posture_library;

/** Flags for loading. */
enum {
    POSTURE_TEMPLATE_STRICT = 1 << 0 /**< warnings become errors (`--strict`) */
};

/**
 * Create a template library (a search path) in `*out`, with no
 * directories. Free it with posture_library_free().
 */
int posture_library_new(posture_library **out);

/** Free a library and every template index entry it holds. Accepts NULL. */
void posture_library_free(posture_library *lib);

/** Append a directory to the search path (a copy of `dir` is kept). */
int posture_library_add_dir(posture_library *lib, const char *dir);

/**
 * Append the default directories after those already added:
 * each entry of $POSTURE_TEMPLATES (colon separated), then ./templates,
 * then the installed share/posture/templates.
 */
int posture_library_add_default_dirs(posture_library *lib);

/** Number of directories in the search path. */
size_t posture_library_dir_count(const posture_library *lib);

/** The i-th directory of the search path (owned by the library). */
const char *posture_library_dir(const posture_library *lib, size_t i);

/**
 * Find the file of template `ref` ("id" or "id@version") in the search
 * path: without a version the highest semantic version wins, and between
 * equal versions the earlier directory. Sets `*path_out` to a string owned
 * by the library, valid until a directory is added or the library is
 * freed. Returns POSTURE_ENOTFOUND (with a message) when none. A file is
 * found by its `id` field; files named ID.json, ID@*.json or ID-*.json are
 * looked at first, every other file only when none of those matches.
 */
int posture_library_find(posture_library *lib, const char *ref, const char **path_out);

/**
 * List the files (*.json, sorted by name within each directory, in search
 * path order) of every directory of the search path. `*paths_out` is an
 * array owned by the library, valid until the next call or its free.
 */
int posture_library_files(posture_library *lib, const char *const **paths_out, size_t *count_out);

/**
 * Load and validate one template file. `lib` resolves `extends` (it may be
 * NULL when the template extends nothing). Every problem is added to
 * `diags` (may be NULL); returns POSTURE_ESYNTAX / POSTURE_EINVALID /
 * POSTURE_EIO on failure with `*out` left NULL. Warnings do not fail the
 * load unless flags include POSTURE_TEMPLATE_STRICT.
 */
int posture_template_load(posture_library *lib, const char *path, unsigned flags,
                          posture_diags *diags, posture_template **out);

/**
 * Load template `ref`: a path when it names an existing file, else an id
 * (optionally `id@version`) looked up in `lib`. Otherwise as
 * posture_template_load().
 */
int posture_template_open(posture_library *lib, const char *ref, unsigned flags,
                          posture_diags *diags, posture_template **out);

/**
 * Check that templates define every shared action id identically (type,
 * enforcement, implementation type, points). Each conflict is an error in
 * `diags` naming both files; returns POSTURE_ECONFLICT if any.
 */
int posture_template_check_conflicts(const posture_template *const *templates, size_t n,
                                     posture_diags *diags);

/** Free a template. Accepts NULL. */
void posture_template_free(posture_template *t);

/** Identity of the template. */
const posture_template_info *posture_template_info_get(const posture_template *t);

size_t posture_template_family_count(const posture_template *t);
const posture_family *posture_template_family(const posture_template *t, size_t i);
size_t posture_template_control_count(const posture_template *t);
const posture_control *posture_template_control(const posture_template *t, size_t i);
size_t posture_template_action_count(const posture_template *t);
const posture_action *posture_template_action(const posture_template *t, size_t i);

/** Index of the action with id `id`, or -1. O(1). */
long posture_template_find_action(const posture_template *t, const char *id);

/** Index of the control with id `id`, or -1. O(1). */
long posture_template_find_control(const posture_template *t, const char *id);

/**
 * Controls that reference action `i`, as indices in template order;
 * `*n` receives their number. The array is owned by the template.
 */
const size_t *posture_template_action_controls(const posture_template *t, size_t i, size_t *n);

/**
 * The id control `i` had in version `version` of its template, by its
 * `was` entries: of the entries whose `before` is later than `version`,
 * those with the earliest `before` (several: the control merges them).
 * Sets `*ids` (owned by the template, in file order) and returns their
 * number; 0 when the control kept its id since `version` (or `version` is
 * not MAJOR.MINOR.PATCH). At most `max` ids are stored.
 */
size_t posture_template_control_was(const posture_template *t, size_t i, const char *version,
                                    const char **ids, size_t max);

/**
 * Distinct mapping framework ids used by any control, in order of first
 * use. The array is owned by the template.
 */
const char *const *posture_template_frameworks(const posture_template *t, size_t *n);

#ifdef __cplusplus
}
#endif
#endif
