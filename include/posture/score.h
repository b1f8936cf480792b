/*
 * posture/score.h - the scoring core: (template, answers, profile) ->
 * result, every rule of scoring.md, in exact integer arithmetic.
 *
 * posture_score() is a pure function: no I/O, same inputs -> same result.
 * The result is what every reporter renders; no reporter computes a score.
 *
 * Ownership: the result is freed with posture_result_free(). It borrows
 * the template, answers and profile it was computed from: they must
 * outlive it. Pointers returned by accessors are owned by the result.
 */
#ifndef POSTURE_SCORE_H
#define POSTURE_SCORE_H

#include <stddef.h>
#include <stdint.h>
#include "error.h"
#include "template.h"
#include "answers.h"
#include "profile.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Status of an action (scoring.md, Statuses). */
typedef enum {
    POSTURE_ASTATUS_PASSED = 0,
    POSTURE_ASTATUS_FAILED,
    POSTURE_ASTATUS_PARTIAL,
    POSTURE_ASTATUS_IN_PROGRESS,
    POSTURE_ASTATUS_NOT_ASSESSED,
    POSTURE_ASTATUS_OUT_OF_SCOPE,
    POSTURE_ASTATUS__COUNT
} posture_action_status;

/** Status of a control (scoring.md, Statuses). */
typedef enum {
    POSTURE_CSTATUS_PASSED = 0,
    POSTURE_CSTATUS_FAILED,
    POSTURE_CSTATUS_IN_PROGRESS,
    POSTURE_CSTATUS_NOT_ASSESSED,
    POSTURE_CSTATUS_OUT_OF_SCOPE,
    POSTURE_CSTATUS__COUNT
} posture_control_status;

/** Risk of an improvement action, from its failed test. */
typedef enum {
    POSTURE_RISK_HIGH = 0,
    POSTURE_RISK_MEDIUM,
    POSTURE_RISK_LOW,
    POSTURE_RISK_NONE
} posture_risk;

/**
 * A score in hundredths: achieved = achieved_x100 / 100 points, likewise
 * possible; percent_x100 is the percent in hundredths rounded half away
 * from zero, meaningful only when has_percent (possible > 0).
 */
typedef struct posture_points {
    int64_t achieved_x100;
    int64_t possible_x100;
    int has_percent;
    int64_t percent_x100;
} posture_points;

/** Scored action, in template order. */
typedef struct posture_action_result {
    size_t index;                       /**< template action index */
    const posture_action *action;
    const posture_answer *answer;       /**< NULL when unanswered */
    int answered_by_provider;           /**< statuses from the provider attestation */
    int points;                         /**< effective points */
    posture_implementation implementation;
    posture_test test;
    int credit;                         /**< hundredths, 0..100 */
    int counted;                        /**< in scope and in an in-scope control */
    int64_t achieved_x100;              /**< points*credit when counted, else 0 */
    posture_action_status status;
} posture_action_result;

/** Scored control, in template order. */
typedef struct posture_control_result {
    size_t index;
    const posture_control *control;
    int in_scope;
    int applicable;                     /**< 0 when declared not applicable */
    const char *justification;          /**< NULL when none */
    posture_control_status status;
    posture_points score;
} posture_control_result;

/** Scored family, in template order. */
typedef struct posture_family_result {
    size_t index;
    const posture_family *family;
    posture_points score;
    size_t controls[POSTURE_CSTATUS__COUNT]; /**< controls by status */
    size_t controls_total;
} posture_family_result;

/** One improvement action, in scoring.md's order. */
typedef struct posture_improvement {
    size_t action;                      /**< template action index */
    int64_t gain_x100;                  /**< points*(1-credit) in hundredths */
    int has_percent;
    int64_t gain_percent_x100;          /**< of the assessment, in hundredths */
    posture_risk risk;
} posture_improvement;

typedef struct posture_result posture_result;

/**
 * Score `a` (resolved against `t`) under profile `p` into `*out`.
 * Returns 0, POSTURE_ENOMEM, or POSTURE_EUSAGE when the answers were not
 * resolved against this template.
 */
int posture_score(const posture_template *t, const posture_answers *a, const posture_profile *p,
                  posture_result **out);

/** Free a result. Accepts NULL. */
void posture_result_free(posture_result *r);

const posture_template *posture_result_template(const posture_result *r);
const posture_answers *posture_result_answers(const posture_result *r);
const posture_profile *posture_result_profile(const posture_result *r);

/** The assessment score. */
const posture_points *posture_result_total(const posture_result *r);

/** Controls by status (index by posture_control_status) and their total. */
const size_t *posture_result_control_counts(const posture_result *r, size_t *total);

/** Distinct actions by status (index by posture_action_status) and their total. */
const size_t *posture_result_action_counts(const posture_result *r, size_t *total);

size_t posture_result_family_count(const posture_result *r);
const posture_family_result *posture_result_family(const posture_result *r, size_t i);
size_t posture_result_control_count(const posture_result *r);
const posture_control_result *posture_result_control(const posture_result *r, size_t i);
size_t posture_result_action_count(const posture_result *r);
const posture_action_result *posture_result_action(const posture_result *r, size_t i);
size_t posture_result_improvement_count(const posture_result *r);
const posture_improvement *posture_result_improvement(const posture_result *r, size_t i);

/**
 * The percent, in hundredths, of `part_x100` out of `whole_x100` with
 * scoring.md's integer rounding (half away from zero). `whole_x100` > 0.
 */
int64_t posture_percent_x100(int64_t part_x100, int64_t whole_x100);

/** Token of a status or risk ("passed", "out_of_scope", "high"; NULL for no risk). */
const char *posture_action_status_token(posture_action_status s);
const char *posture_control_status_token(posture_control_status s);
const char *posture_risk_token(posture_risk r);

/** Human label of a status ("Passed", "In progress", "Out of scope"). */
const char *posture_control_status_label(posture_control_status s);
const char *posture_action_status_label(posture_action_status s);

#ifdef __cplusplus
}
#endif
#endif
