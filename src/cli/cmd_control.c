/* cmd_control.c - `posture control` (not implemented yet). */
#include "cli.h"

int cmd_control(int argc, char **argv, cli_global *g)
{
    (void)argc;
    (void)argv;
    (void)g;
    cli_error("'control' is not implemented yet");
    return EXIT_FAIL;
}
