/* cmd_template_import.c - `posture template import` (not implemented yet). */
#include "cli.h"

int cmd_template_import(int argc, char **argv, cli_global *g)
{
    (void)argc;
    (void)argv;
    (void)g;
    cli_error("'template import' is not implemented yet");
    return EXIT_FAIL;
}
