/*
 * posture/catalog_oscal.h - building a posture-template/1 template from a
 * NIST OSCAL catalog (JSON), optionally restricted to the controls an OSCAL
 * profile (a baseline) selects.
 *
 * Groups become families, controls and their enhancements become controls,
 * and every control gets one improvement action `act.nist.<control-id>`.
 * The mapping rules (ids, titles, statement text, action type, enforcement
 * and implementation type) are written down in docs/oscal.md. The output
 * is deterministic: the same inputs and options give the same bytes.
 */
#ifndef POSTURE_CATALOG_OSCAL_H
#define POSTURE_CATALOG_OSCAL_H

#include <stddef.h>
#include "error.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Options of an import. A NULL field takes the default named beside it. */
typedef struct posture_oscal_options {
    const char *baseline; /**< OSCAL profile JSON selecting controls; NULL: the whole catalog */
    const char *id;       /**< template id; NULL: derived from the catalog's metadata title */
    const char *version;  /**< MAJOR.MINOR.PATCH; NULL: from the catalog's metadata version */
    const char *title;    /**< template title; NULL: the catalog's metadata title */
} posture_oscal_options;

/** What an import produced and what it left out. */
typedef struct posture_oscal_counts {
    size_t families;  /**< families written */
    size_t controls;  /**< controls written (base controls and enhancements) */
    size_t actions;   /**< improvement actions written (one per control) */
    size_t withdrawn; /**< controls skipped because they (or an ancestor) are withdrawn */
    size_t excluded;  /**< live controls left out because the baseline does not select them */
} posture_oscal_counts;

/**
 * Convert the OSCAL catalog in file `catalog` into template JSON text.
 * On success `*out` receives the text (cJSON_Print form plus a final
 * newline; caller frees with free()) and `counts` (may be NULL) what was
 * written. `opts` may be NULL (all defaults). Every problem in the catalog
 * or the baseline profile is added to `diags` (may be NULL) as
 * "FILE: /json/pointer: message" and the call returns POSTURE_ESYNTAX,
 * POSTURE_EINVALID or POSTURE_EIO with `*out` left NULL. A bad option
 * (`id` or `version` syntax) returns POSTURE_EUSAGE with the last-error
 * message set and nothing added to `diags`.
 */
int posture_oscal_convert(const char *catalog, const posture_oscal_options *opts,
                          posture_diags *diags, char **out, posture_oscal_counts *counts);

/**
 * posture_oscal_convert() and write the result to `out_path` atomically
 * ("-" is standard output). A write failure returns POSTURE_EIO with the
 * last-error message naming `out_path`; the target is then left untouched.
 */
int posture_oscal_import(const char *catalog, const posture_oscal_options *opts,
                         const char *out_path, posture_diags *diags,
                         posture_oscal_counts *counts);

#ifdef __cplusplus
}
#endif
#endif
