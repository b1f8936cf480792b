/* clock.c - the time of generated output (posture/clock.h). */
#include "posture/clock.h"

#include <errno.h>
#include <stdlib.h>

time_t posture_report_time(void)
{
    const char *s = getenv("SOURCE_DATE_EPOCH");
    if (s && *s) {
        char *end;
        errno = 0;
        long long v = strtoll(s, &end, 10);
        if (!errno && !*end && v >= 0)
            return (time_t)v;
    }
    return time(NULL);
}
