/*
 * posture/template_link.h - linking a template to the shared actions of
 * another through a mapping collection (`template import --link`,
 * `template link`): each control gets, besides its own actions, the actions
 * of the other template's controls that the collection maps to it, so that
 * one answer counts for both (docs/mappings.md, "Linking").
 *
 * Ownership: the returned text is the caller's (free()); the collection
 * and the other template are borrowed.
 */
#ifndef POSTURE_TEMPLATE_LINK_H
#define POSTURE_TEMPLATE_LINK_H

#include <stddef.h>
#include "error.h"
#include "mapping.h"
#include "template.h"

#ifdef __cplusplus
extern "C" {
#endif

/** What a link did. */
typedef struct posture_link_counts {
    size_t controls;      /**< controls given at least one action of the other template */
    size_t inherited;     /**< of those, enhancements that took their base control's maps */
    size_t actions;       /**< action definitions added to the template */
    size_t references;    /**< action references added to controls */
    size_t maps;          /**< maps of the collection used */
} posture_link_counts;

/**
 * Link the posture-template/1 JSON `text` (`len` bytes, NUL after them,
 * named `file` in messages) to template `other` through `coll`:
 *
 *   - the sets of `coll` that relate the text's template id and `other`'s
 *     id (either direction; majors of the pinned versions equal to the
 *     templates') are used; none is an error;
 *   - each control C gets the actions of every control of `other` that a
 *     map relates to C (any relationship), in map order, after its own
 *     actions, without repeating one; an enhancement (id `BASE(N)`, e.g.
 *     `AC-2(1)`) that no map names takes the maps of its base control BASE;
 *   - each action added is defined once in `actions` (after the template's
 *     own, in order of first use) exactly as `other` defines it; an action
 *     the template defines already is not defined again.
 *
 * Map ids that name no control are errors at their place. The output is
 * the template with these changes, in cJSON_Print form plus a newline
 * (deterministic). `counts` may be NULL.
 */
int posture_template_link(const char *text, size_t len, const char *file,
                          const posture_mapping_collection *coll, const posture_template *other,
                          posture_diags *diags, char **out, posture_link_counts *counts);

#ifdef __cplusplus
}
#endif
#endif
