/* cmd_report_store.c - `posture report NAME` from the store (not implemented yet). */
#include "cli.h"

int cmd_report_store(int argc, char **argv, cli_global *g)
{
    (void)argc;
    (void)argv;
    (void)g;
    cli_error("'report NAME' is not implemented yet");
    return EXIT_FAIL;
}
