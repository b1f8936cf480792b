/* cmd_report.c - `posture report`: the workbook and the JSON summary, written atomically. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define USAGE                                                                               \
    "posture report --template T --answers FILE [--profile P] [--xlsx OUT] [--json OUT] " \
    "[--compact]\n       posture report NAME [--profile P] [--xlsx OUT] [--json OUT]"

static const char help_text[] =
    "usage: " USAGE "\n\n"
    "Write the Excel workbook and/or the posture-summary/1 JSON summary.\n"
    "Each file is written under a temporary name and renamed when complete: on any failure\n"
    "the target is left untouched. OUT '-' writes the JSON to standard output.\n\n"
    "  --template T     template file, id or id@version\n"
    "  --answers FILE   answers: .json, .csv or .xlsx (posture answers --help)\n"
    "  --profile P      compliance-manager (default), self-attested, or a profile file\n"
    "  --xlsx OUT       the workbook a consultant hands over\n"
    "  --json OUT       the JSON summary dashboards consume\n"
    "  --compact        the JSON on one line\n"
    "With NAME instead of --template/--answers, the assessment is read from the store.\n";

enum { OPT_TEMPLATE = 1, OPT_ANSWERS, OPT_PROFILE, OPT_XLSX, OPT_JSON, OPT_COMPACT };

int cmd_report(int argc, char **argv, cli_global *g)
{
    if (argc >= 2 && argv[1][0] != '-')
        return cmd_report_store(argc, argv, g);
    static const cli_opt opts[] = {{"template", 1, OPT_TEMPLATE}, {"answers", 1, OPT_ANSWERS},
                                   {"profile", 1, OPT_PROFILE},   {"xlsx", 1, OPT_XLSX},
                                   {"json", 1, OPT_JSON},         {"compact", 0, OPT_COMPACT},
                                   {0}};
    const char *tref = NULL, *apath = NULL, *pref = NULL, *xlsx = NULL, *json = NULL, *val;
    int compact = 0, r, i = 1;
    while ((r = cli_parse(argc, argv, &i, opts, &val, "report", USAGE)) != -1) {
        switch (r) {
        case -2: return EXIT_USAGE;
        case 'h': return cli_help(help_text);
        case 0: return cli_usage_error(USAGE, "report: unexpected argument '%s'", argv[i]);
        case OPT_TEMPLATE: tref = val; break;
        case OPT_ANSWERS: apath = val; break;
        case OPT_PROFILE: pref = val; break;
        case OPT_XLSX: xlsx = val; break;
        case OPT_JSON: json = val; break;
        case OPT_COMPACT: compact = 1; break;
        }
    }
    if (!tref)
        return cli_usage_error(USAGE, "report: missing --template");
    if (!apath)
        return cli_usage_error(USAGE, "report: missing --answers");
    if (!xlsx && !json)
        return cli_usage_error(USAGE, "report: nothing to write: give --xlsx OUT and/or --json OUT");
    if (xlsx && json && strcmp(xlsx, "-") == 0 && strcmp(json, "-") == 0)
        return cli_usage_error(USAGE, "report: the workbook and the JSON cannot both go to standard output");

    cli_scored sc;
    int code = cli_score_files(g, tref, apath, pref, &sc);
    if (code == EXIT_OK)
        code = cli_write_reports(sc.res, xlsx, json, compact);
    cli_scored_free(&sc);
    return code;
}
