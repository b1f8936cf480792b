/* cmd_assessment.c - `posture assessment` (not implemented yet). */
#include "cli.h"

int cmd_assessment(int argc, char **argv, cli_global *g)
{
    (void)argc;
    (void)argv;
    (void)g;
    cli_error("'assessment' is not implemented yet");
    return EXIT_FAIL;
}
