/* cmd_template_import.c - `posture template import`: an OSCAL catalog to a template. */
#include <string.h>

#include "cli.h"
#include "posture/catalog_oscal.h"

enum { OPT_OSCAL = 1, OPT_BASELINE, OPT_ID, OPT_VERSION, OPT_TITLE, OPT_OUTPUT };

static int cmd_template_import(int argc, char **argv, cli_global *g);

static const cli_opt opts[] = {
    {"oscal", 1, OPT_OSCAL, 0, "CATALOG",
     "the OSCAL catalog (JSON), e.g. a resolved baseline catalog", CLI_REQUIRED | CLI_FILE},
    {"baseline", 1, OPT_BASELINE, 0, "PROFILE",
     "an OSCAL profile (JSON): import only the controls it selects", CLI_FILE},
    {"id", 1, OPT_ID, 0, "ID", "template id (default: derived from the catalog title)", 0},
    {"version", 1, OPT_VERSION, 0, "X.Y.Z", "template version (default: from the catalog version)",
     0},
    {"title", 1, OPT_TITLE, 0, "TEXT", "template title (default: the catalog title)", 0},
    {"output", 1, OPT_OUTPUT, 'o', "FILE", "where to write the template (\"-\": standard output)",
     CLI_REQUIRED | CLI_FILE},
    {0}};

const cli_cmd cli_cmd_template_import = {
    .name = "template import",
    .fn = cmd_template_import,
    .summary = "build a template from a NIST OSCAL catalog",
    .opts = opts,
    .text =
        "Build a posture-template/1 template from a NIST OSCAL catalog (JSON): groups become\n"
        "families, controls and enhancements become controls, each with one improvement action\n"
        "act.nist.<control-id>; withdrawn controls are skipped (rules: docs/oscal.md).\n",
};

static int cmd_template_import(int argc, char **argv, cli_global *g)
{
    (void)g;
    const char *cmd = "template import";
    posture_oscal_options o = {0};
    const char *catalog = NULL, *output = NULL;
    int i = 1;
    for (;;) {
        const char *val = NULL;
        int r = cli_parse(argc, argv, &i, &cli_cmd_template_import, &val);
        if (r == -1)
            break;
        if (r == -2)
            return EXIT_USAGE;
        if (r == 'h')
            return cli_help_cmd(&cli_cmd_template_import);
        if (r == 0)
            return cli_bad_usage(&cli_cmd_template_import, "%s: unexpected argument '%s'", cmd,
                                 argv[i]);
        if (r == OPT_OSCAL)
            catalog = val;
        else if (r == OPT_BASELINE)
            o.baseline = val;
        else if (r == OPT_ID)
            o.id = val;
        else if (r == OPT_VERSION)
            o.version = val;
        else if (r == OPT_TITLE)
            o.title = val;
        else if (r == OPT_OUTPUT)
            output = val;
    }
    if (!catalog)
        return cli_bad_usage(&cli_cmd_template_import, "%s: missing --oscal CATALOG", cmd);
    if (!output)
        return cli_bad_usage(&cli_cmd_template_import, "%s: missing -o FILE", cmd);
    if (o.title && !*o.title)
        return cli_bad_usage(&cli_cmd_template_import, "%s: --title must not be empty", cmd);

    posture_diags *d = NULL;
    if (posture_diags_new(&d) != 0)
        return cli_fail_last();
    posture_oscal_counts n;
    int rc = posture_oscal_import(catalog, &o, output, d, &n);
    cli_print_diags(d); /* warnings too */
    int code = EXIT_OK;
    if (rc == POSTURE_EUSAGE)
        code = cli_bad_usage(&cli_cmd_template_import, "%s: %s", cmd, posture_error_last());
    else if (rc != 0 && posture_diags_errors(d) == 0)
        code = cli_fail_last();
    else if (rc != 0)
        code = EXIT_FAIL;
    else if (strcmp(output, "-") != 0)
        printf("%s: %zu families, %zu controls, %zu actions (skipped: %zu withdrawn, %zu not in "
               "the baseline)\n",
               output, n.families, n.controls, n.actions, n.withdrawn, n.excluded);
    posture_diags_free(d);
    return code;
}
