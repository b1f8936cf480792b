/* store_backend.c - what the store's backends share (store_backend.h). */
#include "store_backend.h"

#include <stdlib.h>
#include <string.h>

int store_busy_timeout_ms(void)
{
    const char *e = getenv("POSTURE_BUSY_TIMEOUT");
    if (e && *e) {
        char *end;
        long v = strtol(e, &end, 10);
        if (*end == '\0' && v >= 0 && v <= 3600000)
            return (int)v;
    }
    return 5000;
}

char *store_name_copy(const char *name)
{
    size_t n = strlen(name) + 1;
    char *c = malloc(n);
    if (c)
        memcpy(c, name, n);
    return c;
}
