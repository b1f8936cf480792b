/* cmd_answer.c - `posture answer` (not implemented yet). */
#include "cli.h"

int cmd_answer(int argc, char **argv, cli_global *g)
{
    (void)argc;
    (void)argv;
    (void)g;
    cli_error("'answer' is not implemented yet");
    return EXIT_FAIL;
}
