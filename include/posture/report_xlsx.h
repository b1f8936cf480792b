/*
 * posture/report_xlsx.h - the Excel workbook a consultant hands over
 * (workbook.md), a pure view of posture_result written with libxlsxwriter.
 *
 * Ownership: nothing returned; the result is borrowed.
 */
#ifndef POSTURE_REPORT_XLSX_H
#define POSTURE_REPORT_XLSX_H

#include <time.h>
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

#ifdef __cplusplus
}
#endif
#endif
