/* vocab.c - tokens, labels and parsing of the shared vocabulary. */
#include "posture/vocab.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "posture/error.h"

static const char *const type_tokens[] = {"preventive", "detective", "corrective"};
static const char *const enforcement_tokens[] = {"mandatory", "discretionary"};
static const char *const impl_type_tokens[] = {"technical", "operational", "documentation"};
static const char *const owner_tokens[] = {"customer", "provider", "shared"};
static const char *const impl_tokens[] = {"not_implemented", "planned", "partially_implemented",
                                          "implemented", "alternative", "out_of_scope"};
static const char *const impl_labels[] = {"Not implemented", "Planned", "Partially implemented",
                                          "Implemented", "Alternative implementation",
                                          "Out of scope"};
static const char *const test_tokens[] = {"not_assessed", "in_progress", "passed", "failed_low",
                                          "failed_medium", "failed_high", "out_of_scope"};
static const char *const test_labels[] = {"Not assessed", "In progress", "Passed",
                                          "Failed (low risk)", "Failed (medium risk)",
                                          "Failed (high risk)", "Out of scope"};

#define TOKEN(arr, v) ((unsigned)(v) < sizeof arr / sizeof *arr ? arr[v] : "?")

const char *posture_action_type_token(posture_action_type v) { return TOKEN(type_tokens, v); }
const char *posture_enforcement_token(posture_enforcement v) { return TOKEN(enforcement_tokens, v); }
const char *posture_impl_type_token(posture_impl_type v) { return TOKEN(impl_type_tokens, v); }
const char *posture_owner_token(posture_owner v) { return TOKEN(owner_tokens, v); }
const char *posture_implementation_token(posture_implementation v) { return TOKEN(impl_tokens, v); }
const char *posture_implementation_label(posture_implementation v) { return TOKEN(impl_labels, v); }
const char *posture_test_token(posture_test v) { return TOKEN(test_tokens, v); }
const char *posture_test_label(posture_test v) { return TOKEN(test_labels, v); }

static int exact(const char *s, const char *const *tokens, size_t n)
{
    for (size_t i = 0; s && i < n; i++)
        if (strcmp(s, tokens[i]) == 0)
            return (int)i;
    return -1;
}

#define PARSE_EXACT(fn, type, arr)                         \
    int fn(const char *s, type *out)                       \
    {                                                      \
        int i = exact(s, arr, sizeof arr / sizeof *arr);   \
        if (i < 0)                                         \
            return POSTURE_EINVALID;                       \
        *out = (type)i;                                    \
        return 0;                                          \
    }

PARSE_EXACT(posture_action_type_parse, posture_action_type, type_tokens)
PARSE_EXACT(posture_enforcement_parse, posture_enforcement, enforcement_tokens)
PARSE_EXACT(posture_impl_type_parse, posture_impl_type, impl_type_tokens)
PARSE_EXACT(posture_owner_parse, posture_owner, owner_tokens)

/* Token or label, case-insensitive, surrounding blanks ignored. */
static int loose(const char *s, const char *const *tokens, const char *const *labels, size_t n)
{
    if (!s)
        return -1;
    while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
        s++;
    size_t len = strlen(s);
    while (len && (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\r' ||
                   s[len - 1] == '\n'))
        len--;
    for (size_t i = 0; i < n; i++) {
        if ((strlen(tokens[i]) == len && strncasecmp(s, tokens[i], len) == 0) ||
            (strlen(labels[i]) == len && strncasecmp(s, labels[i], len) == 0))
            return (int)i;
    }
    return -1;
}

int posture_implementation_parse(const char *s, posture_implementation *out)
{
    int i = loose(s, impl_tokens, impl_labels, POSTURE_IMPL__COUNT);
    if (i < 0)
        return POSTURE_EINVALID;
    *out = (posture_implementation)i;
    return 0;
}

int posture_test_parse(const char *s, posture_test *out)
{
    int i = loose(s, test_tokens, test_labels, POSTURE_TEST__COUNT);
    if (i < 0)
        return POSTURE_EINVALID;
    *out = (posture_test)i;
    return 0;
}

const char *posture_implementation_expected(void)
{
    return "not_implemented, planned, partially_implemented, implemented, alternative, "
           "out_of_scope";
}

const char *posture_test_expected(void)
{
    return "not_assessed, in_progress, passed, failed_low, failed_medium, failed_high, "
           "out_of_scope";
}

const char *posture_action_type_expected(void) { return "preventive, detective, corrective"; }
const char *posture_enforcement_expected(void) { return "mandatory, discretionary"; }
const char *posture_impl_type_expected(void) { return "technical, operational, documentation"; }
const char *posture_owner_expected(void) { return "customer, provider, shared"; }

int posture_date_valid(const char *s)
{
    if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return 0;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && !isdigit((unsigned char)s[i]))
            return 0;
    int y = atoi(s), m = atoi(s + 5), d = atoi(s + 8);
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 1 || m < 1 || m > 12 || d < 1)
        return 0;
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    int max = mdays[m - 1] + (m == 2 && leap);
    return d <= max;
}
