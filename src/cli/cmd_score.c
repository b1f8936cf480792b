/* cmd_score.c - `posture score` (being written). */
#include "cli.h"

int cmd_score(int argc, char **argv, cli_global *g)
{
    (void)argc;
    (void)argv;
    (void)g;
    cli_error("'score' is not implemented yet");
    return EXIT_FAIL;
}
