/* cmd_report_store.c - `posture report NAME`: the reports of a stored assessment. */
#include <string.h>

#include "storecli.h"

#define USAGE "posture report NAME [--profile P] [--xlsx OUT] [--json OUT] [--compact]"

static const char help_text[] =
    "usage: " USAGE "\n\n"
    "Write the Excel workbook and/or the posture-summary/1 JSON summary of a stored\n"
    "assessment, scored now under its profile (or --profile P). Files are written\n"
    "atomically; OUT '-' writes the JSON to standard output.\n";

enum { O_PROFILE = 1, O_XLSX, O_JSON, O_COMPACT };

int cmd_report_store(int argc, char **argv, cli_global *g)
{
    static const cli_opt opts[] = {{"profile", 1, O_PROFILE}, {"xlsx", 1, O_XLSX},
                                   {"json", 1, O_JSON},       {"compact", 0, O_COMPACT},
                                   {0}};
    const char *name = NULL, *prof = NULL, *xlsx = NULL, *json = NULL, *val;
    int i = 1, r, compact = 0;
    while ((r = cli_parse(argc, argv, &i, opts, &val, "report", USAGE)) != -1) {
        switch (r) {
        case -2: return EXIT_USAGE;
        case 'h': return cli_help(help_text);
        case 0:
            if (name)
                return cli_usage_error(USAGE, "report: unexpected argument '%s'", argv[i]);
            name = argv[i++];
            break;
        case O_PROFILE: prof = val; break;
        case O_XLSX: xlsx = val; break;
        case O_JSON: json = val; break;
        case O_COMPACT: compact = 1; break;
        }
    }
    if (!name)
        return cli_usage_error(USAGE, "report: missing the assessment NAME");
    if (!xlsx && !json)
        return cli_usage_error(USAGE, "report: nothing to write: give --xlsx OUT and/or --json OUT");
    if (xlsx && strcmp(xlsx, "-") == 0)
        return cli_usage_error(USAGE, "report: the workbook cannot go to standard output");
    posture_store *s;
    posture_library *lib;
    int code = store_cli_open(g, 0, &s, &lib);
    if (code)
        return code;
    posture_diags *d = NULL;
    posture_store_scored *sc = NULL;
    if (posture_diags_new(&d) != 0 || posture_store_score(s, name, prof, d, &sc) != 0)
        code = store_cli_fail_diags(s, d);
    else
        code = cli_write_reports(posture_store_scored_result(sc), xlsx, json, compact);
    posture_store_scored_free(sc);
    posture_diags_free(d);
    store_cli_close(s, lib);
    return code;
}
