/* cmd_log.c - `posture log` (not implemented yet). */
#include "cli.h"

int cmd_log(int argc, char **argv, cli_global *g)
{
    (void)argc;
    (void)argv;
    (void)g;
    cli_error("'log' is not implemented yet");
    return EXIT_FAIL;
}
