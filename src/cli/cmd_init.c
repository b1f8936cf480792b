/* cmd_init.c - `posture init` (not implemented yet). */
#include "cli.h"

int cmd_init(int argc, char **argv, cli_global *g)
{
    (void)argc;
    (void)argv;
    (void)g;
    cli_error("'init' is not implemented yet");
    return EXIT_FAIL;
}
