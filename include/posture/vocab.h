/*
 * posture/vocab.h - the vocabulary shared by templates, answers and
 * reports: action attributes, implementation and test statuses, their
 * tokens and workbook labels, and ISO 8601 dates.
 *
 * Ownership: every string returned is static.
 */
#ifndef POSTURE_VOCAB_H
#define POSTURE_VOCAB_H

#ifdef __cplusplus
extern "C" {
#endif

/** Action type: what the action does to risk. */
typedef enum {
    POSTURE_TYPE_PREVENTIVE = 0,
    POSTURE_TYPE_DETECTIVE,
    POSTURE_TYPE_CORRECTIVE,
    POSTURE_TYPE__COUNT
} posture_action_type;

/** Enforcement of an action. */
typedef enum {
    POSTURE_ENFORCEMENT_MANDATORY = 0,
    POSTURE_ENFORCEMENT_DISCRETIONARY,
    POSTURE_ENFORCEMENT__COUNT
} posture_enforcement;

/** How an action is implemented (decides how answers are shared in a store). */
typedef enum {
    POSTURE_IMPLTYPE_TECHNICAL = 0,
    POSTURE_IMPLTYPE_OPERATIONAL,
    POSTURE_IMPLTYPE_DOCUMENTATION,
    POSTURE_IMPLTYPE__COUNT
} posture_impl_type;

/** Who carries out an action. */
typedef enum {
    POSTURE_OWNER_CUSTOMER = 0,
    POSTURE_OWNER_PROVIDER,
    POSTURE_OWNER_SHARED,
    POSTURE_OWNER__COUNT
} posture_owner;

/** Implementation status of an action (scoring.md). */
typedef enum {
    POSTURE_IMPL_NOT_IMPLEMENTED = 0,
    POSTURE_IMPL_PLANNED,
    POSTURE_IMPL_PARTIAL,
    POSTURE_IMPL_IMPLEMENTED,
    POSTURE_IMPL_ALTERNATIVE,
    POSTURE_IMPL_OUT_OF_SCOPE,
    POSTURE_IMPL__COUNT
} posture_implementation;

/** Test status of an action (scoring.md). */
typedef enum {
    POSTURE_TEST_NOT_ASSESSED = 0,
    POSTURE_TEST_IN_PROGRESS,
    POSTURE_TEST_PASSED,
    POSTURE_TEST_FAILED_LOW,
    POSTURE_TEST_FAILED_MEDIUM,
    POSTURE_TEST_FAILED_HIGH,
    POSTURE_TEST_OUT_OF_SCOPE,
    POSTURE_TEST__COUNT
} posture_test;

/** Token of an enum value ("preventive", "technical", ...). Never NULL. */
const char *posture_action_type_token(posture_action_type v);
const char *posture_enforcement_token(posture_enforcement v);
const char *posture_impl_type_token(posture_impl_type v);
const char *posture_owner_token(posture_owner v);

/**
 * Parse an exact token ("preventive", "mandatory", "technical",
 * "customer"). Returns 0, or POSTURE_EINVALID (-4) when `s` is none.
 */
int posture_action_type_parse(const char *s, posture_action_type *out);
int posture_enforcement_parse(const char *s, posture_enforcement *out);
int posture_impl_type_parse(const char *s, posture_impl_type *out);
int posture_owner_parse(const char *s, posture_owner *out);

/** Token ("partially_implemented") and label ("Partially implemented"). */
const char *posture_implementation_token(posture_implementation v);
const char *posture_implementation_label(posture_implementation v);
const char *posture_test_token(posture_test v);
const char *posture_test_label(posture_test v);

/**
 * Parse an implementation or test status: token or label,
 * case-insensitive, surrounding blanks ignored. Returns 0, or
 * POSTURE_EINVALID when `s` is neither.
 */
int posture_implementation_parse(const char *s, posture_implementation *out);
int posture_test_parse(const char *s, posture_test *out);

/** Comma-separated list of all tokens, for "expected one of: ..." messages. */
const char *posture_implementation_expected(void);
const char *posture_test_expected(void);
const char *posture_action_type_expected(void);
const char *posture_enforcement_expected(void);
const char *posture_impl_type_expected(void);
const char *posture_owner_expected(void);

/** 1 when `s` is a valid ISO 8601 calendar date YYYY-MM-DD, else 0. */
int posture_date_valid(const char *s);

#ifdef __cplusplus
}
#endif
#endif
