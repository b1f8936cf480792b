/*
 * posture/report_coverage.h - the JSON document of a coverage projection
 * (format posture-coverage/1, schemas/posture-coverage-1.schema.json), a
 * pure view of posture_coverage.
 *
 * Ownership: returned strings are owned by the caller (free()).
 */
#ifndef POSTURE_REPORT_COVERAGE_H
#define POSTURE_REPORT_COVERAGE_H

#include "coverage.h"
#include "error.h"
#include "report_json.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Render `c` as a posture-coverage/1 document into `*out` (NUL-terminated,
 * ending with a newline; caller frees with free()). `opt` as the summary's
 * (compact, generated_at).
 */
int posture_report_coverage_json(const posture_coverage *c, const posture_json_options *opt,
                                 char **out);

#ifdef __cplusplus
}
#endif
#endif
