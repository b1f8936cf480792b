/* testutil.h - helpers shared by the unit tests. */
#ifndef POSTURE_TESTUTIL_H
#define POSTURE_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "posture.h"

/**
 * Every diagnostic of `d` formatted as the CLI prints it ("posture: ..."),
 * one per line; caller frees. "" when none.
 */
char *tu_diags_text(const posture_diags *d);

/** Write `text` to a fresh file under a per-process temporary directory; returns its path (static until tu_cleanup). */
const char *tu_write(const char *name, const char *text);

/** The per-process temporary directory. */
const char *tu_tmpdir(void);

/** Remove the temporary directory. */
void tu_cleanup(void);

/** Assert that `d`'s formatted text equals `expected` exactly. */
#define assert_diags(d, expected)                    \
    do {                                             \
        char *tu_s_ = tu_diags_text(d);              \
        assert_string_equal(tu_s_, (expected));      \
        free(tu_s_);                                 \
    } while (0)

#endif
