/* cmd_store.c - `posture store` (not implemented yet). */
#include "cli.h"

int cmd_store(int argc, char **argv, cli_global *g)
{
    (void)argc;
    (void)argv;
    (void)g;
    cli_error("'store' is not implemented yet");
    return EXIT_FAIL;
}
