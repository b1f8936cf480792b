/* cmd_template.c - `posture template` (not implemented yet). */
#include "cli.h"

int cmd_template(int argc, char **argv, cli_global *g)
{
    (void)argc;
    (void)argv;
    (void)g;
    cli_error("'template' is not implemented yet");
    return EXIT_FAIL;
}
