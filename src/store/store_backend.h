/*
 * store_backend.h - (internal) the interface a store backend implements:
 * transactions and record operations on the tables of docs/store.md. The
 * logic (answer sharing, audit, snapshots, scoring) lives in store.c; a
 * backend knows nothing of templates or scoring.
 *
 * Backends register through this vtable: a backend defines one
 * `const store_backend` (with its own header, store_<name>.h), and
 * store_registry.c, the one place that names backends, lists them for
 * store_backend_for() (store_registry.h). The core (store.c and its
 * store_*.c parts, store_copy.c) reaches a backend only through the
 * vtable it returns, so it names none, and a backend needs nothing of the
 * core but this header and store_backend.c's shared helpers.
 *
 * Rows passed to callbacks hold borrowed strings, valid during the call.
 * Every operation returns 0 or a negative POSTURE_E* code with the
 * message set. A callback returning non-zero stops the walk and that value
 * is returned.
 */
#ifndef POSTURE_STORE_BACKEND_H
#define POSTURE_STORE_BACKEND_H

#include <stdint.h>
#include "posture/score.h" /* posture_points, the status counts of a snapshot */

/* The schema version a backend creates and migrates to, and the flags of open(): the
   values of POSTURE_STORE_SCHEMA_VERSION and POSTURE_STORE_* (posture/store.h; store.c
   checks that they agree), so that a backend needs nothing of the store core. */
#define SB_SCHEMA_VERSION 2
enum { SB_OPEN_CREATE = 1 << 0, SB_OPEN_READONLY = 1 << 1 };

typedef struct sb_assessment {
    int64_t id;
    const char *name;
    const char *template_id;
    const char *template_version;
    const char *template_file;   /* where the template was loaded from (a hint), or NULL */
    const char *grp;
    const char *organization;
    const char *scope;
    const char *profile;
    const char *created_at;
    const char *updated_at;
} sb_assessment;

/* An action included in an assessment: the key (action, share) of its answer. */
typedef struct sb_incl {
    int64_t assessment_id;
    int64_t idx;                 /* template action index */
    const char *action;
    const char *share;           /* "" for a technical action, else the group */
    int counted;
    int points;
    int64_t achieved_x100;
} sb_incl;

typedef struct sb_answer {
    int64_t id;
    const char *action;
    const char *share;
    const char *implementation;  /* token */
    const char *test;            /* token */
    const char *tested_at;
    const char *assigned_to;
    const char *notes;
    const char *updated_at;
    const char *updated_by;
} sb_answer;

typedef struct sb_evidence {
    int64_t answer_id;
    const char *action;
    const char *uri;
    const char *note;
    const char *added_by;
    const char *added_at;
} sb_evidence;

typedef struct sb_exclusion {
    int64_t assessment_id;
    const char *control;
    const char *justification;
    const char *at;
    const char *by;
} sb_exclusion;

typedef struct sb_audit {
    int64_t assessment_id;
    const char *assessment;
    const char *at;
    const char *who;
    const char *what;
    const char *old_value;
    const char *new_value;
    const char *via;
} sb_audit;

typedef struct sb_snapshot {
    int64_t assessment_id;
    const char *at;
    const char *change;
    const char *template_version;
    posture_points score;
    int64_t controls[POSTURE_CSTATUS__COUNT];
    int64_t actions[POSTURE_ASTATUS__COUNT];
} sb_snapshot;

typedef int (*sb_assessment_cb)(void *ctx, const sb_assessment *a);
typedef int (*sb_incl_cb)(void *ctx, const sb_incl *r);
typedef int (*sb_answer_cb)(void *ctx, const sb_answer *a);
typedef int (*sb_evidence_cb)(void *ctx, const sb_evidence *e);
typedef int (*sb_exclusion_cb)(void *ctx, const sb_exclusion *x);
typedef int (*sb_audit_cb)(void *ctx, const sb_audit *e);
typedef int (*sb_snapshot_cb)(void *ctx, const sb_snapshot *s);
typedef int (*sb_share_cb)(void *ctx, const char *action, const char *assessment);
typedef int (*sb_id_cb)(void *ctx, int64_t id);

struct store_raw_ops;

typedef struct store_backend {
    const char *name;
    /* 1 when store name `name` is this backend's (a URI scheme); NULL: the default backend,
       which serves every name no other backend claims. */
    int (*is_uri)(const char *name);
    /* `name` as messages may show it (a URI without its password): malloc'd, NULL when out
       of memory. */
    char *(*display)(const char *name);
    /* Whole-table access for posture_store_copy() (store_raw.h). */
    const struct store_raw_ops *raw;
    /* Open (flags: SB_OPEN_*); *created = 1 when this made a new store. */
    int (*open)(const char *path, unsigned flags, void **be, int *created);
    void (*close)(void *be);
    int (*schema_version)(void *be);
    /* One transaction at a time; write = 1 takes the write lock at once. */
    int (*begin)(void *be, int write);
    int (*commit)(void *be);
    void (*rollback)(void *be);

    /* assessments (get: POSTURE_ENOTFOUND, no message, when none) */
    int (*assessment_by_name)(void *be, const char *name, sb_assessment_cb cb, void *ctx);
    int (*assessment_by_id)(void *be, int64_t id, sb_assessment_cb cb, void *ctx);
    int (*assessment_list)(void *be, const char *grp, sb_assessment_cb cb, void *ctx);
    int (*assessment_insert)(void *be, const sb_assessment *a, int64_t *id);
    int (*assessment_update)(void *be, const sb_assessment *a); /* by id, every field */
    int (*assessment_delete)(void *be, int64_t id);

    /* inclusions */
    int (*incl_insert)(void *be, const sb_incl *r);
    int (*incl_delete_all)(void *be, int64_t assessment_id);
    int (*incl_list)(void *be, int64_t assessment_id, sb_incl_cb cb, void *ctx); /* by idx */
    int (*incl_update_score)(void *be, const sb_incl *r); /* counted, points, achieved */
    int (*incl_set_share)(void *be, int64_t assessment_id, const char *from, const char *to);
    /* assessments including key (action, share), by id */
    int (*incl_sharers)(void *be, const char *action, const char *share, sb_id_cb cb, void *ctx);
    /* assessments sharing at least one key with assessment_id (itself excluded) */
    int (*incl_neighbours)(void *be, int64_t assessment_id, sb_id_cb cb, void *ctx);
    /* (action, other assessment name) for every shared key of assessment_id */
    int (*incl_shares)(void *be, int64_t assessment_id, sb_share_cb cb, void *ctx);

    /* answers (get: POSTURE_ENOTFOUND, no message, when none) */
    int (*answer_get)(void *be, const char *action, const char *share, sb_answer_cb cb, void *ctx);
    int (*answer_put)(void *be, const sb_answer *a, int64_t *id); /* insert or update by key;
                                                                      id may be NULL */
    /* answers of the keys assessment_id includes, by idx */
    int (*answers_of)(void *be, int64_t assessment_id, sb_answer_cb cb, void *ctx);
    int (*evidence_add)(void *be, const sb_evidence *e, int *added); /* added 0: present */
    int (*evidence_of)(void *be, int64_t assessment_id, sb_evidence_cb cb, void *ctx);

    /* Statement of Applicability */
    int (*exclusion_list)(void *be, int64_t assessment_id, sb_exclusion_cb cb, void *ctx);
    int (*exclusion_put)(void *be, const sb_exclusion *x);
    int (*exclusion_delete)(void *be, int64_t assessment_id, const char *control);

    /* audit log (append-only) and snapshots */
    int (*audit_add)(void *be, const sb_audit *e);
    int (*audit_list)(void *be, int64_t assessment_id, sb_audit_cb cb, void *ctx);
    int (*snapshot_add)(void *be, const sb_snapshot *s);
    int (*snapshot_list)(void *be, int64_t assessment_id, sb_snapshot_cb cb, void *ctx);
    int (*snapshot_latest)(void *be, int64_t assessment_id, sb_snapshot_cb cb, void *ctx);

    /* overall rule over every assessment: distinct (action, share) over counted
       inclusions, each key's points and achieved from the earliest assessment counting it
       (store.c computes it for one group from the inclusions) */
    int (*overall)(void *be, int64_t *achieved_x100, int64_t *possible_x100, int64_t *keys);
} store_backend;

/* Helpers the backends share (store_backend.c). */

/* How long a backend waits for another writer's lock: $POSTURE_BUSY_TIMEOUT milliseconds
   (0 to 3,600,000), else 5,000 (docs/store.md). */
int store_busy_timeout_ms(void);

/* A malloc'd copy of `name` (the display of a store name that holds no secret); NULL when
   out of memory. */
char *store_name_copy(const char *name);

#endif
