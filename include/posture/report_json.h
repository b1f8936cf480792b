/*
 * posture/report_json.h - the JSON summary (format posture-summary/1) of a
 * score result, a pure view of posture_result.
 *
 * Ownership: returned strings are owned by the caller (free()).
 */
#ifndef POSTURE_REPORT_JSON_H
#define POSTURE_REPORT_JSON_H

#include <time.h>
#include "clock.h" /* posture_report_time() */
#include "error.h"
#include "score.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Options of the JSON summary. */
typedef struct posture_json_options {
    int compact;          /**< one line (cJSON_PrintUnformatted) instead of pretty */
    time_t generated_at;  /**< the generated_at time; see posture_report_time() */
} posture_json_options;

/**
 * Render `r` as a posture-summary/1 document into `*out` (NUL-terminated,
 * ending with a newline; caller frees with free()).
 */
int posture_report_json(const posture_result *r, const posture_json_options *opt, char **out);

/**
 * Render and write the summary to `path` atomically ("-" is stdout).
 * On failure the target is untouched and an error names it.
 */
int posture_report_json_write(const posture_result *r, const posture_json_options *opt,
                              const char *path);

/** Format a value in hundredths as the shortest decimal ("90.32", "90", "13.5"). */
void posture_format_x100(int64_t v, char buf[32]);

#ifdef __cplusplus
}
#endif
#endif
