/* cmd_report.c - `posture report`: the Excel workbook and/or the JSON summary. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define USAGE                                                                               \
    "posture report --template T --answers FILE [--profile P] [--xlsx OUT] [--json OUT] " \
    "[--compact]"

static const char help_text[] =
    "usage: " USAGE "\n"
    "       posture report NAME [--profile P] [--xlsx OUT] [--json OUT]   (from the store)\n\n"
    "Score answers against a template and write the reports.\n\n"
    "  --template T    template file, id or id@version\n"
    "  --answers FILE  answers (posture-answers/1 JSON)\n"
    "  --profile P     compliance-manager (default), self-attested, or a profile file\n"
    "  --xlsx OUT      write the Excel workbook to OUT ('-' for standard output)\n"
    "  --json OUT      write the posture-summary/1 JSON document to OUT ('-' for standard output)\n"
    "  --compact       with --json: on one line\n\n"
    "At least one of --xlsx and --json is needed. Files are written under a temporary name and\n"
    "renamed when complete. SOURCE_DATE_EPOCH fixes the time stamped in the reports.\n";

enum { OPT_TEMPLATE = 1, OPT_ANSWERS, OPT_PROFILE, OPT_XLSX, OPT_JSON, OPT_COMPACT };

int cmd_report(int argc, char **argv, cli_global *g)
{
    /* `posture report NAME ...` reads from the store */
    if (argc > 1 && argv[1][0] != '-')
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
        return cli_usage_error(USAGE, "report: nothing to write; give --xlsx OUT or --json OUT");
    if (xlsx && json && strcmp(xlsx, json) == 0)
        return cli_usage_error(USAGE, "report: --xlsx and --json name the same file '%s'", xlsx);

    posture_library *lib = NULL;
    posture_template *t = NULL;
    posture_answers *a = NULL;
    posture_profile *p = NULL;
    posture_result *res = NULL;
    posture_diags *warnings = NULL;
    int code = cli_load_template(g, tref, &lib, &t);
    if (code == EXIT_OK)
        code = cli_load_answers(apath, t, &a);
    if (code == EXIT_OK)
        code = cli_load_profile(pref, &p);
    if (code != EXIT_OK)
        goto done;
    if (posture_score(t, a, p, &res) != 0 || posture_diags_new(&warnings) != 0) {
        code = cli_fail_last();
        goto done;
    }
    time_t now = posture_report_time();
    if (xlsx) {
        posture_xlsx_options xo = {.created = now, .warnings = warnings};
        int rc = posture_report_xlsx_write(res, &xo, xlsx);
        cli_print_diags(warnings);
        if (rc != 0) {
            code = cli_fail_last();
            goto done;
        }
    }
    if (json) {
        posture_json_options jo = {.compact = compact, .generated_at = now};
        if (posture_report_json_write(res, &jo, json) != 0) {
            code = cli_fail_last();
            goto done;
        }
    }
done:
    posture_diags_free(warnings);
    posture_result_free(res);
    posture_profile_free(p);
    posture_answers_free(a);
    posture_template_free(t);
    posture_library_free(lib);
    return code;
}
