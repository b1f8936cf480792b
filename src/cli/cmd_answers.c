/* cmd_answers.c - `posture answers` (not implemented yet). */
#include "cli.h"

int cmd_answers(int argc, char **argv, cli_global *g)
{
    (void)argc;
    (void)argv;
    (void)g;
    cli_error("'answers' is not implemented yet");
    return EXIT_FAIL;
}
