/* test_error_diags.c - diagnostic lists, formatting and the last error. */
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

static void formats_file_place_message(void **state)
{
    (void)state;
    posture_diags *d = NULL;
    assert_int_equal(posture_diags_new(&d), 0);
    posture_diags_add(d, POSTURE_SEV_ERROR, "t.json", "/families/0", NULL, "missing \"%s\"", "id");
    posture_diags_add(d, POSTURE_SEV_WARNING, "t.json", "/x", NULL, "unknown field \"x\"");
    posture_diags_add(d, POSTURE_SEV_ERROR, "t.json", NULL, "check it", "no place");
    posture_diags_add(d, POSTURE_SEV_ERROR, NULL, NULL, NULL, "bare");
    assert_int_equal(posture_diags_count(d), 4);
    assert_int_equal(posture_diags_errors(d), 3);
    assert_diags(d, "posture: t.json: /families/0: missing \"id\"\n"
                    "posture: t.json: /x: warning: unknown field \"x\"\n"
                    "posture: t.json: no place\n"
                    "posture: bare\n");
    assert_string_equal(posture_diags_get(d, 2)->hint, "check it");
    assert_string_equal(posture_error_last(), "t.json: /families/0: missing \"id\"");
    posture_diags_free(d);
}

static void strict_promotes_warnings(void **state)
{
    (void)state;
    posture_diags *d = NULL;
    assert_int_equal(posture_diags_new(&d), 0);
    posture_diags_set_strict(d, 1);
    posture_diags_add(d, POSTURE_SEV_WARNING, "t.json", "/x", NULL, "unknown field \"x\"");
    assert_int_equal(posture_diags_errors(d), 1);
    assert_diags(d, "posture: t.json: /x: unknown field \"x\"\n");
    posture_diags_free(d);
}

static void strerror_covers_codes(void **state)
{
    (void)state;
    assert_string_equal(posture_strerror(POSTURE_ENOMEM), "out of memory");
    assert_string_equal(posture_strerror(POSTURE_EBUSY), "store is busy");
    assert_string_equal(posture_strerror(12345), "unknown error");
    assert_int_equal(posture_error_set(POSTURE_EIO, "x: %d", 7), POSTURE_EIO);
    assert_string_equal(posture_error_last(), "x: 7");
    posture_error_clear();
    assert_string_equal(posture_error_last(), "");
    posture_diags_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(formats_file_place_message),
        cmocka_unit_test(strict_promotes_warnings),
        cmocka_unit_test(strerror_covers_codes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
