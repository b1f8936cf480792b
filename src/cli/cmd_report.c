/* cmd_report.c - `posture report`: the workbook and the JSON summary, written atomically. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

enum { OPT_TEMPLATE = 1, OPT_ANSWERS, OPT_PROFILE, OPT_XLSX, OPT_JSON, OPT_COMPACT, OPT_COVERAGE,
       OPT_MAPPINGS };

static int cmd_report(int argc, char **argv, cli_global *g);

static const cli_opt opts[] = {
    {"template", 1, OPT_TEMPLATE, 0, "T", "template file, id or id@version",
     CLI_REQUIRED | CLI_FILE},
    {"answers", 1, OPT_ANSWERS, 0, "FILE", "answers: .json, .csv or .xlsx (posture answers --help)",
     CLI_REQUIRED | CLI_FILE},
    {"profile", 1, OPT_PROFILE, 0, "P",
     "compliance-manager (default), self-attested, or a profile file", CLI_FILE},
    {"xlsx", 1, OPT_XLSX, 0, "OUT", "the workbook a consultant hands over", CLI_FILE},
    {"json", 1, OPT_JSON, 0, "OUT", "the JSON summary dashboards consume", CLI_FILE},
    {"compact", 0, OPT_COMPACT, 0, NULL, "the JSON on one line", 0},
    {"coverage", 1, OPT_COVERAGE, 0, "T",
     "with --xlsx: a Coverage sheet projecting the assessment\nonto template T (posture coverage)",
     CLI_FILE},
    {"mappings", 1, OPT_MAPPINGS, 0, "DIR",
     "with --coverage: read the mapping collections in DIR too\n(repeatable)",
     CLI_DIR | CLI_REPEAT},
    {0}};

static const cli_cmd report_cmd = {
    .name = "report",
    .fn = cmd_report,
    .summary = "write the Excel workbook and JSON summary",
    .opts = opts,
    .text =
        "Write the Excel workbook and/or the posture-summary/1 JSON summary.\n"
        "Each file is written under a temporary name and renamed when complete: on any failure\n"
        "the target is left untouched. OUT '-' writes the JSON to standard output.\n"
        "With NAME instead of --template/--answers, the assessment is read from the store.\n",
    .also = &cli_cmd_report_store,
};

const cli_group cli_group_report = {"report", "write the Excel workbook and JSON summary", NULL,
                                    (const cli_cmd *const[]){&report_cmd, NULL}};

static int cmd_report(int argc, char **argv, cli_global *g)
{
    if (argc >= 2 && argv[1][0] != '-')
        return cli_cmd_report_store.fn(argc, argv, g);
    const char *tref = NULL, *apath = NULL, *pref = NULL, *xlsx = NULL, *json = NULL, *val;
    const char *cov_to = NULL, *dirs[32];
    size_t ndirs = 0;
    int compact = 0, r, i = 1;
    while ((r = cli_parse(argc, argv, &i, &report_cmd, &val)) != -1) {
        switch (r) {
        case -2: return EXIT_USAGE;
        case 'h': return cli_help_cmd(&report_cmd);
        case 0: return cli_bad_usage(&report_cmd, "report: unexpected argument '%s'", argv[i]);
        case OPT_TEMPLATE: tref = val; break;
        case OPT_ANSWERS: apath = val; break;
        case OPT_PROFILE: pref = val; break;
        case OPT_XLSX: xlsx = val; break;
        case OPT_JSON: json = val; break;
        case OPT_COMPACT: compact = 1; break;
        case OPT_COVERAGE: cov_to = val; break;
        case OPT_MAPPINGS:
            if (ndirs == sizeof dirs / sizeof *dirs)
                return cli_bad_usage(&report_cmd, "report: more than 32 --mappings");
            dirs[ndirs++] = val;
            break;
        }
    }
    if (!tref)
        return cli_bad_usage(&report_cmd, "report: missing --template");
    if (!apath)
        return cli_bad_usage(&report_cmd, "report: missing --answers");
    if (!xlsx && !json)
        return cli_bad_usage(&report_cmd,
                             "report: nothing to write: give --xlsx OUT and/or --json OUT");
    if (xlsx && json && strcmp(xlsx, "-") == 0 && strcmp(json, "-") == 0)
        return cli_bad_usage(&report_cmd,
                             "report: the workbook and the JSON cannot both go to standard output");

    if (cov_to && !xlsx)
        return cli_bad_usage(&report_cmd, "report: --coverage adds a sheet to the workbook: "
                                          "give --xlsx OUT");

    cli_scored sc;
    cli_cov cov = {0};
    int code = cli_score_files(g, tref, apath, pref, &sc);
    if (code == EXIT_OK && cov_to)
        code = cli_project(g, &sc.lib, sc.res, cov_to, dirs, ndirs, &cov);
    if (code == EXIT_OK)
        code = cli_write_reports(sc.res, xlsx, json, compact, cov.cov);
    cli_cov_free(&cov);
    cli_scored_free(&sc);
    return code;
}
