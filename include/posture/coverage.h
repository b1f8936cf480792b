/*
 * posture/coverage.h - projecting an assessed template onto another one
 * (`posture coverage`): for each control of the target template, the
 * controls of the assessed (source) template that mapping collections
 * relate to it, the actions the two templates share, and the status they
 * imply; and the target's projected score, computed by posture_score()
 * from projected answers (the rules are in docs/mappings.md):
 *
 *   - an action of the target that the source template also has (a shared
 *     action) takes the source's answer as it is;
 *   - every other action of the target takes the answer its controls'
 *     mappings imply: from the source controls' statuses and the
 *     relationship, never more than the relationship supports
 *     (posture_implied); actions with no claim stay unanswered.
 *
 * posture_coverage_project() is a pure function of its inputs.
 *
 * Ownership: a posture_coverage is freed with posture_coverage_free(). It
 * borrows the source result (and through it the source template, answers
 * and profile), the target template and the collections: they must outlive
 * it. It owns the projected answers and result and every array it hands out.
 */
#ifndef POSTURE_COVERAGE_H
#define POSTURE_COVERAGE_H

#include <stddef.h>
#include "error.h"
#include "template.h"
#include "answers.h"
#include "mapping.h"
#include "score.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * What mapped source controls say of a target control's own actions, in
 * increasing order of precedence (several claims on one action: the last
 * in this order wins, so a failure is never hidden by a pass).
 */
typedef enum {
    POSTURE_IMPLIES_NONE = 0,    /**< no claim: the action stays unanswered */
    POSTURE_IMPLIES_IN_PROGRESS, /**< partially_implemented, test in_progress */
    POSTURE_IMPLIES_PARTIAL,     /**< partially_implemented, test passed */
    POSTURE_IMPLIES_COVERED,     /**< implemented, test passed */
    POSTURE_IMPLIES_FAILED,      /**< partially_implemented, the source's worst failed test */
    POSTURE_IMPLIES__COUNT
} posture_implied;

/** Token of a claim: "none", "in_progress", "partial", "covered", "failed". */
const char *posture_implied_token(posture_implied i);

/** One mapping that relates source controls to a target control. */
typedef struct posture_coverage_link {
    const size_t *sources;          /**< source template control indices (the map's side) */
    size_t nsources;
    posture_relation relation;      /**< read "the source controls REL the target control" */
    const posture_mapping_collection *collection; /**< where the map is */
    const posture_map *map;
    posture_control_status status;  /**< of the source controls together */
    posture_test worst_failed;      /**< with status failed: the worst failed test */
    posture_implied implies;        /**< what this link says of the target's own actions */
} posture_coverage_link;

/** A control of the target template, projected. Owned by the coverage. */
typedef struct posture_coverage_control {
    size_t index;                   /**< target template control index */
    const posture_coverage_link *links; /**< collection order, then map order */
    size_t nlinks;
    const size_t *shared;           /**< its actions the source template has too */
    size_t nshared;
    const size_t *own;              /**< its other actions (answered by the claims) */
    size_t nown;
    posture_implied implies;        /**< the strongest claim of its links */
} posture_coverage_control;

typedef struct posture_coverage posture_coverage;

/**
 * Project `source` (a scored assessment) onto template `target` through
 * the `ncollections` collections (a set is used when it relates the two
 * template ids, in either direction, at the templates' major versions).
 * Control ids a used set names that a template lacks are warnings in
 * `diags` (their maps are left out); so is a set pinned to another major
 * version, and finding no set at all. The projected answers are scored
 * with the source's profile.
 */
int posture_coverage_project(const posture_result *source, const posture_template *target,
                             const posture_mapping_collection *const *collections,
                             size_t ncollections, posture_diags *diags, posture_coverage **out);

/** Free a coverage. Accepts NULL. */
void posture_coverage_free(posture_coverage *c);

/** The scored source assessment (borrowed). */
const posture_result *posture_coverage_source(const posture_coverage *c);

/** The target's projected score (owned by the coverage). */
const posture_result *posture_coverage_result(const posture_coverage *c);

/** The target's controls, in template order. */
size_t posture_coverage_control_count(const posture_coverage *c);
const posture_coverage_control *posture_coverage_control_get(const posture_coverage *c,
                                                             size_t i);

/** The claim applied to target action `i` (NONE for shared or unclaimed actions). */
posture_implied posture_coverage_action_implies(const posture_coverage *c, size_t i);

/** The collections used (at least one map), in the order given. */
size_t posture_coverage_collection_count(const posture_coverage *c);
const posture_mapping_collection *posture_coverage_collection_get(const posture_coverage *c,
                                                              size_t i);

/** Maps used from collection `i` of posture_coverage_collection_get(). */
size_t posture_coverage_collection_maps(const posture_coverage *c, size_t i);

/** Target controls with at least one link, sharing an action, and with neither. */
typedef struct posture_coverage_counts {
    size_t mapped;
    size_t sharing;
    size_t neither;
} posture_coverage_counts;

/** The counts above. */
posture_coverage_counts posture_coverage_counts_get(const posture_coverage *c);

#ifdef __cplusplus
}
#endif
#endif
