/* report_xlsx.c - placeholder until the workbook reporter lands. */
#include "posture/report_xlsx.h"

int posture_report_xlsx_write(const posture_result *r, const posture_xlsx_options *opt,
                              const char *path)
{
    (void)r;
    (void)opt;
    return posture_error_set(POSTURE_EIO, "%s: cannot write workbook: not implemented yet", path);
}
