/*
 * store_core.h - (internal) what the parts of the store core share: the
 * store handle, assessment and answer rows copied out of the backend, and
 * the change under way (one transaction: the assessments it touches, the
 * audit entries, the snapshots). store.c holds these and the reads and
 * scoring; store_assessment.c, store_answer.c, store_soa.c,
 * store_upgrade.c, store_history.c and store_log.c one concern each. Only
 * the store core includes this; backends see store_backend.h alone.
 */
#ifndef POSTURE_STORE_CORE_H
#define POSTURE_STORE_CORE_H

#include <stddef.h>
#include <stdint.h>

#include "posture/store.h"
#include "store_backend.h"
#include "base/strmap.h"

#define OOM() posture_error_set(POSTURE_ENOMEM, "out of memory")

struct posture_store_mem {
    arena a;
    posture_store_outcome outcome;
};

typedef struct tcache {
    char *key; /* id@version */
    posture_template *t;
} tcache;

typedef struct pcache {
    char *ref;
    posture_profile *p;
} pcache;

struct posture_store {
    const store_backend *ops;
    void *be;
    char *path;
    posture_library *lib;
    char *who;
    char now[40];
    posture_store_progress progress;
    void *progress_ctx;
    tcache *tc;
    size_t ntc, captc;
    pcache *pc;
    size_t npc, cappc;
};

struct posture_store_scored {
    posture_answers *answers;
    posture_profile *own_profile;
    posture_result *result;
};

/* An assessment row copied into an arena. */
typedef struct arow {
    int64_t id;
    const char *name, *template_id, *template_version, *template_file, *grp, *organization,
        *scope, *profile, *created_at, *updated_at;
} arow;

typedef struct arow_ctx {
    arena *ar;
    arow *row;
} arow_ctx;

typedef struct ans_row {
    int64_t id;
    const char *action, *share, *implementation, *test, *tested_at, *assigned_to, *notes;
} ans_row;

typedef struct ev_row {
    int64_t answer_id;
    const char *action, *uri, *note, *added_by, *added_at;
} ev_row;

typedef struct rows {
    arena *ar;
    ans_row *ans;
    size_t nans, capans;
    ev_row *ev;
    size_t nev, capev;
    sb_exclusion *ex;
    size_t nex, capex;
} rows;

/* An assessment touched by the change under way. */
typedef struct touch {
    int64_t id;
    const char *name;
    int primary;
} touch;

/* One change of a field, to be written to the audit log of every toucher. */
typedef struct fchange {
    const char *what, *old_value, *new_value;
} fchange;

/* The change under way: one transaction. */
typedef struct change {
    posture_store *s;
    posture_store_mem *mem;
    arena *ar;          /* mem->a: lives with the outcome */
    arow primary;
    touch *t;
    size_t nt, capt;
    size_t naudit;
} change;

typedef struct incl_vec {
    sb_incl *v;
    size_t n, cap;
    arena *ar;
} incl_vec;

typedef struct snap_into {
    arena *ar;
    posture_store_snapshot *o;
    int *have;
} snap_into;

/* Run `fn` for assessment `name` in a read transaction, then copy the malloc'd array. */
typedef int (*per_assessment_fn)(posture_store *s, int64_t id, void *ctx);

typedef struct keychg {
    const char *action, *share;
    size_t first, n; /* in the fchange list */
} keychg;

typedef struct fvec {
    fchange *f;
    size_t n, cap;
    keychg *k;
    size_t nk, capk;
} fvec;

typedef struct idvec {
    int64_t *v;
    size_t n, cap;
} idvec;

typedef struct alist {
    arena *ar;
    posture_stored_assessment *v;
    int64_t *ids;
    size_t n, cap, capids;
} alist;

/* Growable array in an arena-free malloc buffer. */
int store_grow(void **items, size_t *cap, size_t n, size_t size);

int store_same(const char *a, const char *b);

/* printf into the arena. */
char *store_afmt(arena *ar, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* The strings up to NULL, concatenated into the arena (afmt without printf's cost,
 * for the per-answer audit texts of a bulk import). */
char *store_acat(arena *ar, ...);

posture_store_mem *store_mem_new(void);

int store_copy_arow(void *ctx, const sb_assessment *a);

int store_get_assessment(posture_store *s, arena *ar, const char *name, arow *out);

sb_assessment store_to_sb(const arow *r);

/* Cache `t` under id@version (takes ownership). */
int store_cache_template(posture_store *s, posture_template *t, const posture_template **out);

int store_load_profile(posture_store *s, const char *ref, posture_diags *diags,
                       const posture_profile **out);

int store_assessment_template(posture_store *s, const arow *a, posture_diags *diags,
                              const posture_template **out);

/* The share of an action's answer key: "" for technical, else the group. */
const char *store_share_of(const posture_action *act, const char *grp);

void store_rows_release(rows *r);

int store_collect_answer(void *ctx, const sb_answer *a);

int store_collect_evidence(void *ctx, const sb_evidence *e);

int store_load_rows(posture_store *s, int64_t aid, rows *r, int answers, int evidence,
                    int exclusions);

int store_parse_statuses(const posture_store *s, const ans_row *a, posture_implementation *impl,
                         posture_test *test);

int store_change_begin(change *c, posture_store *s, posture_store_mem **mem_out);

void store_change_release(change *c);

int store_touch_add(change *c, int64_t id, const char *name);

const char *store_touch_name(const change *c, int64_t id);

int store_audit(change *c, int64_t aid, const char *aname, const fchange *f);

int store_collect_incl(void *ctx, const sb_incl *r);

/*
 * Rescore every touched assessment (the primary one with `what`, the others
 * with `what (via NAME)`), fill the outcome and commit.
 */
int store_change_finish(change *c, const char *what, posture_diags *diags, int dry_run,
                        posture_store_mem **mem_out, const posture_store_outcome **out);

int store_snap_into_cb(void *ctx, const sb_snapshot *sn);

int store_read_for(posture_store *s, const char *name, posture_store_mem *m, per_assessment_fn fn,
                   void *ctx);

int store_finish_list(posture_store_mem *m, int rc, void *v, size_t n, size_t size,
                      posture_store_mem **mem, const void **items, size_t *nout);

int store_current_answer(posture_store *s, arena *ar, const char *action, const char *share,
                         ans_row *out, int *found);

int store_fadd(fvec *v, const char *what, const char *old_value, const char *new_value);

/* Audit the key's changes for assessment `id` and mark it touched. */
int store_audit_key_for(change *c, int64_t id, const keychg *k, const fvec *v);

/* Key "action\x1fshare" for maps. */
const char *store_key_of(arena *ar, const char *action, const char *share);

int store_collect_id(void *ctx, int64_t id);

void store_fvec_release(fvec *v);

int store_apply_control(change *c, const char *control, int applicable, const char *just,
                        const sb_exclusion *cur, fvec *v);

int store_audit_primary(change *c, const fvec *v);

int store_insert_inclusions(posture_store *s, int64_t aid, const posture_template *t,
                            const char *grp);

/* A profile reference as stored: a file becomes an absolute path. */
int store_profile_ref(posture_store *s, arena *ar, const char *ref, posture_diags *diags,
                      const char **out);

/* Copy the answer (with evidence) of key (action, from) to (action, to) when `to` has none. */
int store_carry_answer(change *c, const ans_row *a, const rows *ev, const char *to, int *copied);

/* List assessments (name = one of them) with their latest snapshots, in a read transaction. */
int store_list_assessments(posture_store *s, const char *grp, const char *name,
                           posture_store_mem *m, alist *l);

#endif
