/* cmd_report.c - `posture report`: the workbook and the JSON summary, written atomically. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

enum { OPT_TEMPLATE = 1, OPT_ANSWERS, OPT_PROFILE, OPT_XLSX, OPT_JSON, OPT_COMPACT };

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

    cli_scored sc;
    int code = cli_score_files(g, tref, apath, pref, &sc);
    if (code == EXIT_OK)
        code = cli_write_reports(sc.res, xlsx, json, compact);
    cli_scored_free(&sc);
    return code;
}
