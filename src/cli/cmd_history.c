/* cmd_history.c - `posture history` (not implemented yet). */
#include "cli.h"

int cmd_history(int argc, char **argv, cli_global *g)
{
    (void)argc;
    (void)argv;
    (void)g;
    cli_error("'history' is not implemented yet");
    return EXIT_FAIL;
}
