/*
 * posture/error.h - error codes, the per-thread last-error message and
 * diagnostic lists.
 *
 * Every posture function returns 0 or a negative POSTURE_E* code. When a
 * function fails it also leaves a message in a per-thread buffer, read with
 * posture_error_last(). Loaders that can find many problems in one input
 * (templates, answers, profiles) report each of them into a posture_diags
 * list that the caller owns.
 */
#ifndef POSTURE_ERROR_H
#define POSTURE_ERROR_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Error codes. 0 is success; every failure is negative. */
enum {
    POSTURE_OK = 0,
    POSTURE_ENOMEM = -1,    /**< out of memory */
    POSTURE_EIO = -2,       /**< a file could not be read or written */
    POSTURE_ESYNTAX = -3,   /**< malformed input (JSON, CSV, XML) */
    POSTURE_EINVALID = -4,  /**< input breaks a rule of its format */
    POSTURE_ENOTFOUND = -5, /**< a named thing does not exist */
    POSTURE_EUSAGE = -6,    /**< a bad argument from the caller */
    POSTURE_ECONFLICT = -7, /**< two inputs disagree (e.g. action definitions) */
    POSTURE_ELIMIT = -8,    /**< input exceeds a resource limit */
    POSTURE_ESTORE = -9,    /**< the store failed or is not a posture store */
    POSTURE_EBUSY = -10,    /**< the store is locked by another process */
    POSTURE_EVERSION = -11, /**< written by a newer version of posture */
    POSTURE_EEXISTS = -12   /**< the thing to create exists already */
};

/** Severity of one diagnostic. */
typedef enum { POSTURE_SEV_ERROR = 0, POSTURE_SEV_WARNING = 1 } posture_severity;

/**
 * One diagnostic. `file` is the input at fault (NULL when none), `place`
 * the location inside it ("12:5", "/families/2/id", "14", or
 * `sheet "S" cell C9`; NULL when none), `hint` an optional line of advice.
 * All strings are owned by the posture_diags list that holds the diagnostic.
 */
typedef struct posture_diag {
    posture_severity severity;
    const char *file;
    const char *place;
    const char *message;
    const char *hint;
} posture_diag;

/** A list of diagnostics. Opaque; owned by whoever created it. */
typedef struct posture_diags posture_diags;

/** Human-readable text of an error code. Never NULL; static storage. */
const char *posture_strerror(int code);

/**
 * The message of the last failure in this thread ("" when none). The
 * string is owned by posture and valid until the next posture call in this
 * thread that fails.
 */
const char *posture_error_last(void);

/** Clear this thread's last-error message. */
void posture_error_clear(void);

/**
 * Set this thread's last-error message (printf-style) and return `code`,
 * so that `return posture_error_set(POSTURE_EIO, "...")` reads naturally.
 */
int posture_error_set(int code, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/** Create an empty diagnostic list in `*out`. Free it with posture_diags_free(). */
int posture_diags_new(posture_diags **out);

/** Free a diagnostic list and every string it holds. Accepts NULL. */
void posture_diags_free(posture_diags *d);

/**
 * Append a diagnostic; `file`, `place` and `hint` may be NULL. The strings
 * are copied. Also sets the thread's last-error message for errors (the
 * first error of the list wins). Returns 0 or POSTURE_ENOMEM.
 */
int posture_diags_add(posture_diags *d, posture_severity sev, const char *file,
                      const char *place, const char *hint, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 6, 7)))
#endif
    ;

/** Number of diagnostics in the list (0 for NULL). */
size_t posture_diags_count(const posture_diags *d);

/** Number of diagnostics of severity error (0 for NULL). */
size_t posture_diags_errors(const posture_diags *d);

/** The i-th diagnostic (NULL when out of range); owned by the list. */
const posture_diag *posture_diags_get(const posture_diags *d, size_t i);

/** Turn every warning added from now on into an error (`--strict`). */
void posture_diags_set_strict(posture_diags *d, int strict);

/** Whether warnings are being promoted to errors. */
int posture_diags_strict(const posture_diags *d);

/** Remove every diagnostic from the list (strictness is kept). */
void posture_diags_clear(posture_diags *d);

/**
 * Format a diagnostic the way the command line prints it:
 * "FILE: PLACE: message", "FILE: message" or "message", prefixed by
 * "warning: " for warnings (no "posture: " prefix, no newline). Returns a
 * string the caller frees with free(), or NULL when out of memory.
 */
char *posture_diag_format(const posture_diag *diag);

#ifdef __cplusplus
}
#endif
#endif
