/*
 * posture/clock.h - the time that generated output is stamped with, fixed by
 * $SOURCE_DATE_EPOCH so that the same input gives the same bytes.
 */
#ifndef POSTURE_CLOCK_H
#define POSTURE_CLOCK_H

#include <time.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * The time reports are stamped with: $SOURCE_DATE_EPOCH when set and
 * valid, else the current time.
 */
time_t posture_report_time(void);

#ifdef __cplusplus
}
#endif
#endif
