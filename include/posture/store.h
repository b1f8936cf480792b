/*
 * posture/store.h - the assessment store: assessments made from templates,
 * answers shared the Compliance Manager way, Statement-of-Applicability
 * exclusions, evidence, an append-only audit log, a score snapshot after
 * every change, and the overall score across assessments (scoring.md,
 * "Overall score across assessments"; docs/store.md).
 *
 * The store sits behind a small backend interface (src/store/store_backend.h);
 * SQLite (src/store/store_sqlite.c) is the embedded default. Everything here is
 * backend-independent: scoring goes through posture_score() only.
 *
 * Every function that changes data runs as one transaction: it either
 * commits whole or leaves the store as it was.
 *
 * Ownership: a posture_store is created by posture_store_open() and freed
 * with posture_store_free(). Lists and outcomes returned through a
 * `posture_store_mem **` are owned by that handle and freed with
 * posture_store_mem_free(); their strings live as long as it does.
 */
#ifndef POSTURE_STORE_H
#define POSTURE_STORE_H

#include <stddef.h>
#include <stdint.h>
#include "error.h"
#include "template.h"
#include "answers.h"
#include "profile.h"
#include "score.h"

#ifdef __cplusplus
extern "C" {
#endif

/** The schema version this posture writes (PRAGMA user_version for SQLite). */
#define POSTURE_STORE_SCHEMA_VERSION 2

/** Flags of posture_store_open(). */
enum {
    POSTURE_STORE_CREATE = 1 << 0,   /**< create the store when it does not exist (`init`) */
    POSTURE_STORE_READONLY = 1 << 1  /**< open for reading only */
};

typedef struct posture_store posture_store;

/** Memory behind a list or outcome returned by the store. */
typedef struct posture_store_mem posture_store_mem;

/** Free what a list or outcome holds. Accepts NULL. */
void posture_store_mem_free(posture_store_mem *m);

/**
 * Open the store at `path` (an SQLite file, or an SQLite "file:" URI).
 * Without POSTURE_STORE_CREATE a missing file is POSTURE_ENOTFOUND. A file
 * that is not a posture store is POSTURE_ESTORE; a store written by a newer
 * schema is POSTURE_EVERSION (never touched); an older schema is migrated
 * forward in one transaction. Sets `*created` (may be NULL) to 1 when this
 * call created the store.
 */
int posture_store_open(const char *path, unsigned flags, posture_store **out, int *created);

/** Close the store. Accepts NULL. */
void posture_store_free(posture_store *s);

/** The schema version of the open store. */
int posture_store_schema_version(const posture_store *s);

/**
 * The template library used to load the templates of assessments
 * (borrowed; must outlive the store's use). Without one, templates are
 * loaded only from the file recorded at creation.
 */
void posture_store_set_library(posture_store *s, posture_library *lib);

/**
 * Who makes the changes and when (ISO 8601 UTC, "2026-11-20T10:00:00Z").
 * NULL takes $POSTURE_USER else the login name, and $POSTURE_NOW else the
 * clock. Returns POSTURE_EUSAGE when `now` (or $POSTURE_NOW) is not an
 * ISO 8601 UTC time.
 */
int posture_store_set_actor(posture_store *s, const char *who, const char *now);

/**
 * Called during long imports with the number of answers written so far
 * and the total.
 */
typedef void (*posture_store_progress)(void *ctx, size_t done, size_t total);

/** Set a progress callback (NULL for none). */
void posture_store_set_progress(posture_store *s, posture_store_progress fn, void *ctx);

/** A score snapshot: the score after one change. */
typedef struct posture_store_snapshot {
    const char *at;                     /**< ISO 8601 UTC */
    const char *change;                 /**< what changed, e.g. "answer act.a" */
    const char *template_version;       /**< version scored */
    posture_points score;
    size_t controls[POSTURE_CSTATUS__COUNT];
    size_t controls_total;
    size_t actions[POSTURE_ASTATUS__COUNT];
    size_t actions_total;
} posture_store_snapshot;

/** A stored assessment with its latest snapshot. Strings NULL when absent. */
typedef struct posture_stored_assessment {
    const char *name;
    const char *template_id;
    const char *template_version;
    const char *group;
    const char *organization;
    const char *scope;
    const char *profile;
    const char *created_at;
    const char *updated_at;
    int has_snapshot;
    posture_store_snapshot latest;
} posture_stored_assessment;

/** One audit log entry. `old_value`/`new_value` NULL when absent. */
typedef struct posture_store_log_entry {
    const char *at;
    const char *who;
    const char *what;
    const char *old_value;
    const char *new_value;
    const char *via;                    /**< the assessment named by the change when it was
                                             another one (a shared answer), else NULL */
} posture_store_log_entry;

/** One evidence item of an answer. */
typedef struct posture_store_evidence {
    const char *action;
    const char *uri;
    const char *note;                   /**< NULL when none */
    const char *added_by;
    const char *added_at;
} posture_store_evidence;

/** One answer shared with another assessment. */
typedef struct posture_store_share {
    const char *action;
    const char *assessment;             /**< the other assessment */
} posture_store_share;

/** An assessment a change touched, with its score before and after. */
typedef struct posture_store_touched {
    const char *name;
    int had_before;
    posture_points before;
    posture_points after;
} posture_store_touched;

/** What a change did. */
typedef struct posture_store_outcome {
    size_t changes;                     /**< audit entries written (0: nothing changed) */
    const posture_store_touched *touched; /**< the named assessment first, then others by name */
    size_t ntouched;
    /* assessment upgrade only */
    const char *from_version;
    const char *to_version;
    const char *const *added;           /**< action ids added, template order */
    size_t nadded;
    const char *const *removed;         /**< action ids removed, old template order */
    size_t nremoved;
    const char *const *dropped_controls; /**< exclusions of controls the new version lacks */
    size_t ndropped_controls;
    const char *const *renamed_controls; /**< exclusions moved to a renamed control ("`was`"),
                                              as "OLD -> NEW", old id order */
    size_t nrenamed_controls;
} posture_store_outcome;

/** Fields of an assessment; NULL leaves a field as it is (or its default at creation). */
typedef struct posture_store_assessment_spec {
    const char *name;
    const char *template_ref;           /**< create only: path, id or id@version */
    const char *group;                  /**< default "default" */
    const char *organization;           /**< "" clears */
    const char *scope;                  /**< "" clears */
    const char *profile;                /**< built-in id or a profile file; default compliance-manager */
} posture_store_assessment_spec;

/**
 * Create an assessment from a template. It starts with the answers the
 * store already shares with it. Problems loading the template go to
 * `diags`. POSTURE_EEXISTS when the name is taken.
 */
int posture_store_assessment_create(posture_store *s, const posture_store_assessment_spec *spec,
                                    posture_diags *diags, posture_store_mem **mem,
                                    const posture_store_outcome **out);

/**
 * Change group, organization, scope or profile of assessment `spec->name`
 * (template_ref must be NULL). Moving to another group carries the
 * assessment's non-technical answers to the new group where it has none.
 */
int posture_store_assessment_set(posture_store *s, const posture_store_assessment_spec *spec,
                                 posture_diags *diags, posture_store_mem **mem,
                                 const posture_store_outcome **out);

/**
 * Move assessment `name` to template version `to_version` (NULL: the
 * highest in the search path). Answers carry by action id. A
 * Statement-of-Applicability exclusion of a control that the new version
 * renamed (its `was` field names the old id at the old version) moves to
 * the new id, with its justification; when several old controls merged
 * into one, it moves only if all of them were excluded. Exclusions of
 * controls the new version lacks are dropped. With `dry_run`, computes
 * everything and changes nothing.
 */
int posture_store_assessment_upgrade(posture_store *s, const char *name, const char *to_version,
                                     int dry_run, posture_diags *diags, posture_store_mem **mem,
                                     const posture_store_outcome **out);

/** Delete assessment `name`, its exclusions and history; answers and the log stay. */
int posture_store_assessment_delete(posture_store *s, const char *name);

/** Every assessment (of `group`, or all when NULL), by name. */
int posture_store_assessments(posture_store *s, const char *group, posture_store_mem **mem,
                              const posture_stored_assessment **items, size_t *n);

/** One assessment; POSTURE_ENOTFOUND with a message when there is none. */
int posture_store_assessment_get(posture_store *s, const char *name, posture_store_mem **mem,
                                 const posture_stored_assessment **out);

/** Fields of `answer set`: a NULL pointer or has_* 0 leaves the field as it is; "" clears. */
typedef struct posture_store_answer_change {
    const char *action;
    int has_implementation;
    posture_implementation implementation;
    int has_test;
    posture_test test;
    const char *tested_at;
    const char *assigned_to;
    const char *notes;
    const char *const *evidence;        /**< URIs to add (present ones are skipped) */
    size_t nevidence;
} posture_store_answer_change;

/**
 * Set one answer of assessment `name`. The answer is shared (technical
 * action: every assessment including it; otherwise: the group), and every
 * assessment it touches gets a snapshot. POSTURE_ENOTFOUND when the
 * assessment lacks the action.
 */
int posture_store_answer_set(posture_store *s, const char *name,
                             const posture_store_answer_change *chg, posture_diags *diags,
                             posture_store_mem **mem, const posture_store_outcome **out);

/**
 * Import answers (posture-answers/1 JSON) into assessment `name`, all or
 * nothing: every problem of the file goes to `diags` and nothing changes.
 * Statuses are set as the file gives them (absent: the defaults); text
 * fields only when present; evidence is added; `controls[]` entries set
 * the Statement of Applicability.
 */
int posture_store_answer_import(posture_store *s, const char *name, const char *path,
                                posture_diags *diags, posture_store_mem **mem,
                                const posture_store_outcome **out);

/**
 * Declare control `control` of assessment `name` not applicable (with a
 * non-empty justification) or applicable again.
 */
int posture_store_control_scope(posture_store *s, const char *name, const char *control,
                                int applicable, const char *justification, posture_diags *diags,
                                posture_store_mem **mem, const posture_store_outcome **out);

/** Score snapshots of assessment `name`, oldest first. */
int posture_store_history(posture_store *s, const char *name, posture_store_mem **mem,
                          const posture_store_snapshot **items, size_t *n);

/** Audit log of assessment `name`, oldest first. */
int posture_store_log(posture_store *s, const char *name, posture_store_mem **mem,
                      const posture_store_log_entry **items, size_t *n);

/** Evidence items of assessment `name`'s answers, in template order of the actions. */
int posture_store_evidence_list(posture_store *s, const char *name, posture_store_mem **mem,
                                const posture_store_evidence **items, size_t *n);

/** Answers of `name` shared with other assessments, by action (template order) then name. */
int posture_store_shares(posture_store *s, const char *name, posture_store_mem **mem,
                         const posture_store_share **items, size_t *n);

/** An assessment scored from the store: everything posture_score() needs and its result. */
typedef struct posture_store_scored posture_store_scored;

/**
 * Score assessment `name` now, under `profile_ref` (NULL: the assessment's
 * profile). The bundle owns the answers, the profile given and the result;
 * the template is the store's (free the bundle before the store).
 */
int posture_store_score(posture_store *s, const char *name, const char *profile_ref,
                        posture_diags *diags, posture_store_scored **out);

/** The result of a scored bundle (owned by it). */
const posture_result *posture_store_scored_result(const posture_store_scored *sc);

/** Free a scored bundle. Accepts NULL. Free it before the store: the template it was
    scored with belongs to the store. */
void posture_store_scored_free(posture_store_scored *sc);

/** The overall score (scoring.md): distinct keys over all in-scope inclusions. */
typedef struct posture_store_overall {
    posture_points score;
    size_t keys;                        /**< distinct counted keys */
    size_t assessments;                 /**< assessments considered */
} posture_store_overall;

/**
 * The overall score across the assessments of `group` (NULL: all), and
 * those assessments by name.
 */
int posture_store_overall_score(posture_store *s, const char *group, posture_store_overall *out,
                                posture_store_mem **mem, const posture_stored_assessment **items,
                                size_t *n);

#ifdef __cplusplus
}
#endif
#endif
