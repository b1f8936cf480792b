/*
 * posture/profile.h - scoring profiles (format posture-profile/1): the
 * points table by type x enforcement and the credit rules.
 *
 * Two profiles are built in: "compliance-manager" (default, all or
 * nothing) and "self-attested". A profile file adds others.
 *
 * Ownership: posture_profile_open()/posture_profile_load() return a profile
 * the caller frees with posture_profile_free() (built-in ones too).
 */
#ifndef POSTURE_PROFILE_H
#define POSTURE_PROFILE_H

#include <stddef.h>
#include "error.h"
#include "template.h"

#ifdef __cplusplus
extern "C" {
#endif

/** One credit rule: the first rule listing both statuses gives the credit. */
typedef struct posture_credit_rule {
    unsigned implementation_mask;   /**< bit (1u << posture_implementation) */
    unsigned test_mask;             /**< bit (1u << posture_test) */
    int credit;                     /**< hundredths: 0..100 */
} posture_credit_rule;

typedef struct posture_profile posture_profile;

/** Id of the default profile. */
#define POSTURE_PROFILE_DEFAULT "compliance-manager"

/**
 * Open a profile: a built-in id ("compliance-manager", "self-attested"),
 * else a path to a profile file. Problems go to `diags` (may be NULL).
 */
int posture_profile_open(const char *ref, posture_diags *diags, posture_profile **out);

/** Load a profile file, reporting every problem with its JSON pointer. */
int posture_profile_load(const char *path, posture_diags *diags, posture_profile **out);

/** Parse a profile from JSON text named `file` in messages. */
int posture_profile_parse(const char *text, size_t len, const char *file, posture_diags *diags,
                          posture_profile **out);

/** Free a profile. Accepts NULL. */
void posture_profile_free(posture_profile *p);

const char *posture_profile_id(const posture_profile *p);
const char *posture_profile_title(const posture_profile *p);

/** Points of an action of this type and enforcement from the table. */
int posture_profile_points(const posture_profile *p, posture_action_type type,
                           posture_enforcement enforcement);

/** Credit in hundredths (0..100) for a pair of statuses. */
int posture_profile_credit(const posture_profile *p, posture_implementation impl,
                           posture_test test);

size_t posture_profile_rule_count(const posture_profile *p);
const posture_credit_rule *posture_profile_rule(const posture_profile *p, size_t i);

#ifdef __cplusplus
}
#endif
#endif
