/* cmd_init.c - `posture init`: create the store (idempotent). */
#include <stdlib.h>
#include <string.h>

#include "posture/store_admin.h"
#include "storecli.h"

static int cmd_init(int argc, char **argv, cli_global *g);

static const cli_cmd init_cmd = {
    .name = "init",
    .fn = cmd_init,
    .summary = "create the assessment store",
    .synopsis = "posture [--db FILE] init",
    .text = "Create the assessment store (an SQLite file: --db FILE, else $POSTURE_DB, else\n"
            "./posture.db). Running it on an existing store checks it and changes nothing,\n"
            "except bringing an older schema up to date.\n",
};

const cli_group cli_group_init = {"init", "create the assessment store", NULL,
                                (const cli_cmd *const[]){&init_cmd, NULL}};

static int cmd_init(int argc, char **argv, cli_global *g)
{
    int i = 1, r;
    const char *val;
    while ((r = cli_parse(argc, argv, &i, &init_cmd, &val)) != -1) {
        if (r == -2)
            return EXIT_USAGE;
        if (r == 'h')
            return cli_help_cmd(&init_cmd);
        return cli_bad_usage(&init_cmd, "init: unexpected argument '%s'", argv[i]);
    }
    posture_store *s = NULL;
    int created = 0;
    if (posture_store_open(g->db, POSTURE_STORE_CREATE, &s, &created) != 0) {
        cli_error("%s", posture_error_last());
        if (posture_error_last()[0] && strstr(posture_error_last(), "not a posture store"))
            cli_hint("--db FILE names the store; choose a new file name");
        return EXIT_FAIL;
    }
    char *shown = posture_store_display_name(g->db); /* a URI without its password */
    printf("%s store %s (schema %d)\n", created ? "created" : "existing", shown ? shown : "",
           posture_store_schema_version(s));
    free(shown);
    posture_store_free(s);
    return shown ? EXIT_OK : EXIT_FAIL;
}
