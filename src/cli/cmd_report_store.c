/* cmd_report_store.c - `posture report NAME`: the reports of a stored assessment. */
#include <string.h>

#include "storecli.h"

enum { O_PROFILE = 1, O_XLSX, O_JSON, O_COMPACT, O_COVERAGE, O_MAPPINGS };

static int cmd_report_store(int argc, char **argv, cli_global *g);

static const cli_opt opts[] = {
    {"profile", 1, O_PROFILE, 0, "P", "the assessment's own profile unless given", CLI_FILE},
    {"xlsx", 1, O_XLSX, 0, "OUT", "the workbook a consultant hands over", CLI_FILE},
    {"json", 1, O_JSON, 0, "OUT", "the JSON summary dashboards consume", CLI_FILE},
    {"compact", 0, O_COMPACT, 0, NULL, "the JSON on one line", 0},
    {"coverage", 1, O_COVERAGE, 0, "T",
     "with --xlsx: a Coverage sheet projecting the assessment\nonto template T (posture coverage)",
     CLI_FILE},
    {"mappings", 1, O_MAPPINGS, 0, "DIR",
     "with --coverage: read the mapping collections in DIR too\n(repeatable)",
     CLI_DIR | CLI_REPEAT},
    {0}};

const cli_cmd cli_cmd_report_store = {
    .name = "report",
    .fn = cmd_report_store,
    .summary = "the reports of a stored assessment",
    .args = "NAME",
    .opts = opts,
    .text = "Write the Excel workbook and/or the posture-summary/1 JSON summary of a stored\n"
            "assessment, scored now under its profile (or --profile P). Files are written\n"
            "atomically; OUT '-' writes the JSON to standard output.\n",
};

static int cmd_report_store(int argc, char **argv, cli_global *g)
{
    const char *name = NULL, *prof = NULL, *xlsx = NULL, *json = NULL, *val;
    const char *cov_to = NULL, *dirs[32];
    size_t ndirs = 0;
    int i = 1, r, compact = 0;
    while ((r = cli_parse(argc, argv, &i, &cli_cmd_report_store, &val)) != -1) {
        switch (r) {
        case -2: return EXIT_USAGE;
        case 'h': return cli_help_cmd(&cli_cmd_report_store);
        case 0:
            if (name)
                return cli_bad_usage(&cli_cmd_report_store, "report: unexpected argument '%s'",
                                     argv[i]);
            name = argv[i++];
            break;
        case O_PROFILE: prof = val; break;
        case O_XLSX: xlsx = val; break;
        case O_JSON: json = val; break;
        case O_COMPACT: compact = 1; break;
        case O_COVERAGE: cov_to = val; break;
        case O_MAPPINGS:
            if (ndirs == sizeof dirs / sizeof *dirs)
                return cli_bad_usage(&cli_cmd_report_store, "report: more than 32 --mappings");
            dirs[ndirs++] = val;
            break;
        }
    }
    if (!name)
        return cli_bad_usage(&cli_cmd_report_store, "report: missing the assessment NAME");
    if (!xlsx && !json)
        return cli_bad_usage(&cli_cmd_report_store,
                             "report: nothing to write: give --xlsx OUT and/or --json OUT");
    if (xlsx && strcmp(xlsx, "-") == 0)
        return cli_bad_usage(&cli_cmd_report_store,
                             "report: the workbook cannot go to standard output");
    if (cov_to && !xlsx)
        return cli_bad_usage(&cli_cmd_report_store, "report: --coverage adds a sheet to the "
                                                    "workbook: give --xlsx OUT");
    posture_store *s;
    posture_library *lib;
    int code = store_cli_open(g, 0, &s, &lib);
    if (code)
        return code;
    posture_diags *d = NULL;
    posture_store_scored *sc = NULL;
    cli_cov cov = {0};
    if (posture_diags_new(&d) != 0 || posture_store_score(s, name, prof, d, &sc) != 0)
        code = store_cli_fail_diags(s, d);
    else if (!cov_to || (code = cli_project(g, &lib, posture_store_scored_result(sc), cov_to,
                                            dirs, ndirs, &cov)) == EXIT_OK)
        code = cli_write_reports(posture_store_scored_result(sc), xlsx, json, compact, cov.cov);
    cli_cov_free(&cov);
    posture_store_scored_free(sc);
    posture_diags_free(d);
    store_cli_close(s, lib);
    return code;
}
