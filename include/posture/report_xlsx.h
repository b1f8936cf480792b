/*
 * posture/report_xlsx.h - the Excel workbook a consultant hands over
 * (workbook.md), a pure view of posture_result written with libxlsxwriter.
 *
 * Ownership: nothing returned; the result is borrowed.
 */
#ifndef POSTURE_REPORT_XLSX_H
#define POSTURE_REPORT_XLSX_H

#include <time.h>
#include "coverage.h"
#include "error.h"
#include "score.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Options of the workbook. */
typedef struct posture_xlsx_options {
    time_t created;       /**< document created time; see posture_report_time() */
    posture_diags *warnings; /**< receives warnings (text cut), may be NULL */
} posture_xlsx_options;

/**
 * Write the workbook for `r` to `path` atomically. Any libxlsxwriter error
 * is POSTURE_EIO with message "cannot write workbook: reason"; the target
 * is then untouched.
 */
int posture_report_xlsx_write(const posture_result *r, const posture_xlsx_options *opt,
                              const char *path);

/**
 * posture_report_xlsx_write() with a Coverage sheet (after "Improvement
 * actions"): `cov` projects `r` onto another template (posture coverage);
 * POSTURE_EUSAGE when it projects another result. NULL: no such sheet.
 */
int posture_report_xlsx_write_coverage(const posture_result *r, const posture_xlsx_options *opt,
                                       const posture_coverage *cov, const char *path);

#ifdef __cplusplus
}
#endif
#endif
