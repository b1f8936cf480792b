/* cmd_report.c - `posture report` (not implemented yet). */
#include "cli.h"

int cmd_report(int argc, char **argv, cli_global *g)
{
    (void)argc;
    (void)argv;
    (void)g;
    cli_error("'report' is not implemented yet");
    return EXIT_FAIL;
}
