/*
 * posture/answers.h - a customer's answers for one assessment
 * (format posture-answers/1): metadata, not-applicable controls, and an
 * implementation + test status per action.
 *
 * Answers are built by a reader (JSON here; CSV and workbook readers use
 * the same builder) and then checked against a template with
 * posture_answers_resolve(), which reports every unknown or duplicated id
 * at the place the reader recorded for it.
 *
 * Ownership: a posture_answers owns every string it holds (copies of what
 * it was given) and is freed with posture_answers_free(). Pointers returned
 * by accessors are valid until the answers are freed or changed.
 */
#ifndef POSTURE_ANSWERS_H
#define POSTURE_ANSWERS_H

#include <stddef.h>
#include "error.h"
#include "template.h"

#ifdef __cplusplus
extern "C" {
#endif

/** One action answer. Strings NULL when absent. */
typedef struct posture_answer {
    const char *action;
    posture_implementation implementation;
    posture_test test;
    const char *tested_at;
    const char *assigned_to;
    const char *notes;
    const char *const *evidence;
    size_t nevidence;
    long action_index;              /**< index in the template after resolve, else -1 */
    const char *place;              /**< where the reader found it (for messages), or NULL */
} posture_answer;

/** One control applicability entry (Statement of Applicability). */
typedef struct posture_control_scope {
    const char *control;
    int applicable;
    const char *justification;      /**< NULL when absent */
    long control_index;             /**< index in the template after resolve, else -1 */
    const char *place;
} posture_control_scope;

/** Assessment metadata. Strings NULL when absent (group: "default"). */
typedef struct posture_assessment_info {
    const char *name;
    const char *organization;
    const char *scope;
    const char *group;
    const char *assessed_at;
} posture_assessment_info;

typedef struct posture_answers posture_answers;

/** Create empty answers (group "default") in `*out`. */
int posture_answers_new(posture_answers **out);

/** Free answers. Accepts NULL. */
void posture_answers_free(posture_answers *a);

/**
 * Read answers from a JSON file and check them against `t` (which may be
 * NULL to check only the format). Every problem goes to `diags`; on any
 * error returns POSTURE_ESYNTAX / POSTURE_EINVALID / POSTURE_EIO and leaves
 * `*out` NULL: nothing is scored from an invalid file.
 */
int posture_answers_load_json(const char *path, const posture_template *t,
                              posture_diags *diags, posture_answers **out);

/**
 * Parse answers from a JSON text of `len` bytes, named `file` in messages.
 * Otherwise as posture_answers_load_json().
 */
int posture_answers_parse_json(const char *text, size_t len, const char *file,
                               const posture_template *t, posture_diags *diags,
                               posture_answers **out);

/** Set the template reference ("id" or "id@version") and optional version. */
int posture_answers_set_template(posture_answers *a, const char *ref, const char *version);

/** The template reference and version the answers name (NULL when unset). */
const char *posture_answers_template_ref(const posture_answers *a);
const char *posture_answers_template_version(const posture_answers *a);

/**
 * Set the metadata: every field of `info` is copied; a NULL or empty field
 * clears it (group falls back to "default").
 */
int posture_answers_set_info(posture_answers *a, const posture_assessment_info *info);

/** The metadata. Owned by the answers. */
const posture_assessment_info *posture_answers_info(const posture_answers *a);

/**
 * Append an answer (strings copied; `in->action_index` and `in->place` are
 * taken as given, place may be NULL). Duplicates are kept and reported by
 * posture_answers_resolve().
 */
int posture_answers_add(posture_answers *a, const posture_answer *in);

/** Append a control applicability entry (copied). */
int posture_answers_add_control(posture_answers *a, const posture_control_scope *in);

size_t posture_answers_count(const posture_answers *a);
const posture_answer *posture_answers_get(const posture_answers *a, size_t i);
size_t posture_answers_control_count(const posture_answers *a);
const posture_control_scope *posture_answers_control(const posture_answers *a, size_t i);

/**
 * Check answers against template `t` and index them: unknown actions and
 * controls, an action answered twice, a control listed twice, a
 * not-applicable control without justification, a different template id
 * (error) or version (warning). Messages name `file` and each entry's
 * place. Returns 0 or POSTURE_EINVALID.
 */
int posture_answers_resolve(posture_answers *a, const posture_template *t, const char *file,
                            posture_diags *diags);

/**
 * The template the answers were last resolved against successfully, or
 * NULL. posture_score() refuses answers resolved against another template.
 */
const posture_template *posture_answers_resolved_template(const posture_answers *a);

/**
 * The answer for template action `action_index`, or NULL when unanswered.
 * Valid after a successful posture_answers_resolve(). O(1).
 */
const posture_answer *posture_answers_for_action(const posture_answers *a, size_t action_index);

/**
 * Applicability entry for template control `control_index`, or NULL.
 * Valid after a successful posture_answers_resolve(). O(1).
 */
const posture_control_scope *posture_answers_for_control(const posture_answers *a,
                                                         size_t control_index);

/**
 * Write answers as posture-answers/1 JSON (cJSON_Print: tab indentation),
 * for conversions. The layout is fixed, members in this order, every field
 * present and null when absent:
 *
 *     {"format": "posture-answers/1",
 *      "template": "ID" or "ID@VERSION" (null when unset),
 *      "template_version": "1.0.0",         (only this one is left out when unset)
 *      "assessment": {"name", "organization", "scope", "group", "assessed_at"},
 *      "controls": [{"control", "applicable" (boolean), "justification"}, ...],
 *      "answers": [{"action", "implementation", "test", "tested_at",
 *                   "assigned_to", "notes", "evidence": ["...", ...]}, ...]}
 *
 * Statuses are tokens; `controls` and `answers` keep the order they were
 * added in; `evidence` is always an array (maybe empty). Parsing the text
 * back gives the same answers. Returns a string the caller frees with
 * free(), or NULL when out of memory.
 */
char *posture_answers_to_json(const posture_answers *a);

#ifdef __cplusplus
}
#endif
#endif
