/* cmd_overall.c - `posture overall` (not implemented yet). */
#include "cli.h"

int cmd_overall(int argc, char **argv, cli_global *g)
{
    (void)argc;
    (void)argv;
    (void)g;
    cli_error("'overall' is not implemented yet");
    return EXIT_FAIL;
}
