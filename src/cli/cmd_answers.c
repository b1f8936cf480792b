/* cmd_answers.c - `posture answers init|validate|convert`: answer sheets in JSON, CSV, xlsx. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "posture/sheet_answers.h"

enum {
    OPT_TEMPLATE = 1,
    OPT_FORMAT,
    OPT_OUTPUT,
    OPT_NAME,
    OPT_ORG,
    OPT_SCOPE,
    OPT_GROUP,
    OPT_ASSESSED
};

static int answers_init(int argc, char **argv, cli_global *g);
static int answers_validate(int argc, char **argv, cli_global *g);
static int answers_convert(int argc, char **argv, cli_global *g);

static const cli_opt init_opts[] = {{"template", 1, OPT_TEMPLATE, 0, "T",
                                     "template file, id or id@version", CLI_REQUIRED | CLI_FILE},
                                    {"format", 1, OPT_FORMAT, 0, "json|csv|xlsx",
                                     "the format (default: from the extension of FILE)", 0},
                                    {"output", 1, OPT_OUTPUT, 'o', "FILE",
                                     "where to write it (\"-\": standard output, json or csv)",
                                     CLI_REQUIRED | CLI_FILE},
                                    {0}};

static const cli_cmd init_cmd = {
    .name = "answers init",
    .fn = answers_init,
    .summary = "a blank answer sheet: every action of the template with default statuses",
    .opts = init_opts,
    .text =
        "Write a blank answer sheet: every action of the template with default statuses (a\n"
        "provider-owned action with an attestation starts from the attestation).\n\n"
        "The workbook has the \"Improvement actions\" sheet of the report, with drop-down lists\n"
        "of the statuses, a \"Controls\" sheet for applicability, an \"About\" sheet and\n"
        "instructions. The assessment is named after FILE (without its extension).\n",
};

static const cli_opt validate_opts[] = {{"template", 1, OPT_TEMPLATE, 0, "T",
                                         "template file, id or id@version",
                                         CLI_REQUIRED | CLI_FILE},
                                        {0}};

static const cli_cmd validate_cmd = {
    .name = "answers validate",
    .fn = answers_validate,
    .summary = "check an answers file (json, csv or xlsx) and report every problem",
    .opts = validate_opts,
    .args_after = "FILE",
    .text = "Check an answers file against a template and report every problem, with its place:\n"
            "a JSON pointer, the CSV line where the record starts, or the workbook cell.\n"
            "Exit 0 when valid (warnings allowed), 1 on any error.\n",
};

static const cli_opt convert_opts[] = {
    {"output", 1, OPT_OUTPUT, 'o', "OUT", "the converted file", CLI_REQUIRED | CLI_FILE},
    {"template", 1, OPT_TEMPLATE, 0, "T", "template file, id or id@version", CLI_FILE},
    {"name", 1, OPT_NAME, 0, "N", "assessment name (a CSV's default: the file's base name)", 0},
    {"organization", 1, OPT_ORG, 0, "O", "organization", 0},
    {"scope", 1, OPT_SCOPE, 0, "S", "scope of the assessment", 0},
    {"group", 1, OPT_GROUP, 0, "G", "group (default: default)", 0},
    {"assessed-at", 1, OPT_ASSESSED, 0, "D", "assessment date, YYYY-MM-DD", 0},
    {0}};

static const cli_cmd convert_cmd = {
    .name = "answers convert",
    .fn = answers_convert,
    .summary = "json, csv, xlsx to any other, the format from each extension",
    .args = "IN",
    .opts = convert_opts,
    .text =
        "Convert answers between JSON, CSV and xlsx (each format from its extension; \"-\" is\n"
        "JSON on standard output). Without --template, the template the answers name is looked\n"
        "up in the search path; a CSV names none, so it needs --template.\n\n"
        "CSV holds action answers only: converting to CSV leaves out the metadata and the\n"
        "control applicability (with a warning when there is any).\n",
};

const cli_group cli_group_answers = {
    "answers", "blank answer sheets; validate and convert answers files",
    "Answer sheets: a customer's answers as JSON, CSV or an Excel workbook.\n",
    (const cli_cmd *const[]){&init_cmd, &validate_cmd, &convert_cmd, NULL}};

/* Print diagnostics; an error without one in the list is the last error. */
static int report(int rc, const posture_diags *d)
{
    cli_print_diags(d);
    if (rc == 0)
        return EXIT_OK;
    if (posture_diags_errors(d) == 0)
        return cli_fail_last();
    return EXIT_FAIL;
}

/* The assessment name a file gives: its base name without the extension. */
static char *name_from(const char *path)
{
    const char *slash = strrchr(path, '/');
    const char *b = slash ? slash + 1 : path;
    const char *dot = strrchr(b, '.');
    return strndup(b, dot && dot != b ? (size_t)(dot - b) : strlen(b));
}

static int answers_init(int argc, char **argv, cli_global *g)
{
    const char *cmd = "answers init", *tref = NULL, *format = NULL, *out = NULL, *val;
    int r, i = 1;
    while ((r = cli_parse(argc, argv, &i, &init_cmd, &val)) != -1) {
        switch (r) {
        case -2: return EXIT_USAGE;
        case 'h': return cli_help_cmd(&init_cmd);
        case 0: return cli_bad_usage(&init_cmd, "%s: unexpected argument '%s'", cmd, argv[i]);
        case OPT_TEMPLATE: tref = val; break;
        case OPT_FORMAT: format = val; break;
        case OPT_OUTPUT: out = val; break;
        }
    }
    if (!tref)
        return cli_bad_usage(&init_cmd, "%s: missing --template", cmd);
    if (!out)
        return cli_bad_usage(&init_cmd, "%s: missing -o FILE", cmd);
    posture_answers_format fmt, ext;
    int has_ext = posture_answers_format_of(out, &ext) == 0 && strcmp(out, "-") != 0;
    if (format) {
        if (strcmp(format, "json") == 0)
            fmt = POSTURE_ANSWERS_JSON;
        else if (strcmp(format, "csv") == 0)
            fmt = POSTURE_ANSWERS_CSV;
        else if (strcmp(format, "xlsx") == 0)
            fmt = POSTURE_ANSWERS_XLSX;
        else
            return cli_bad_usage(&init_cmd, "%s: unknown format '%s'; expected json, csv or xlsx",
                                 cmd, format);
        if (has_ext && ext != fmt)
            return cli_bad_usage(&init_cmd, "%s: --format %s does not match the extension of %s",
                                   cmd, format, out);
    } else if (has_ext) {
        fmt = ext;
    } else if (strcmp(out, "-") == 0) {
        fmt = POSTURE_ANSWERS_JSON;
    } else {
        return cli_bad_usage(
            &init_cmd, "%s: cannot tell the format of %s; give --format json|csv|xlsx", cmd, out);
    }
    if (fmt == POSTURE_ANSWERS_XLSX && strcmp(out, "-") == 0)
        return cli_bad_usage(&init_cmd, "%s: the workbook cannot go to standard output", cmd);

    posture_library *lib = NULL;
    posture_template *t = NULL;
    posture_answers *a = NULL;
    posture_diags *warn = NULL;
    char *name = NULL;
    int code = cli_load_template(g, tref, &lib, &t);
    if (code != EXIT_OK)
        goto done;
    if (strcmp(out, "-") != 0 && !(name = name_from(out))) {
        code = cli_fail_last();
        goto done;
    }
    if (posture_diags_new(&warn) != 0 || posture_answers_blank(t, name, &a) != 0) {
        code = cli_fail_last();
        goto done;
    }
    int rc;
    switch (fmt) {
    case POSTURE_ANSWERS_CSV: rc = posture_answers_write_csv(a, warn, out); break;
    case POSTURE_ANSWERS_XLSX: rc = posture_answers_write_xlsx(a, t, warn, out); break;
    default: rc = posture_answers_write_json(a, out); break;
    }
    code = report(rc, warn);
    if (code == EXIT_OK && strcmp(out, "-") != 0)
        printf("%s: blank answers for %zu actions of %s\n", out, posture_answers_count(a),
               posture_template_info_get(t)->id);
done:
    free(name);
    posture_diags_free(warn);
    posture_answers_free(a);
    posture_template_free(t);
    posture_library_free(lib);
    return code;
}

static int answers_validate(int argc, char **argv, cli_global *g)
{
    const char *cmd = "answers validate", *tref = NULL, *file = NULL, *val;
    int r, i = 1;
    while ((r = cli_parse(argc, argv, &i, &validate_cmd, &val)) != -1) {
        switch (r) {
        case -2: return EXIT_USAGE;
        case 'h': return cli_help_cmd(&validate_cmd);
        case 0:
            if (file)
                return cli_bad_usage(&validate_cmd, "%s: unexpected argument '%s'", cmd,
                                       argv[i]);
            file = argv[i++];
            break;
        case OPT_TEMPLATE: tref = val; break;
        }
    }
    if (!tref)
        return cli_bad_usage(&validate_cmd, "%s: missing --template", cmd);
    if (!file)
        return cli_bad_usage(&validate_cmd, "%s: no file given", cmd);
    posture_library *lib = NULL;
    posture_template *t = NULL;
    posture_answers *a = NULL;
    int code = cli_load_template(g, tref, &lib, &t);
    if (code == EXIT_OK)
        code = cli_load_answers(file, t, &a);
    if (code == EXIT_OK) {
        size_t na = 0;
        for (size_t k = 0; k < posture_answers_control_count(a); k++)
            na += !posture_answers_control(a, k)->applicable;
        printf("%s: valid (%zu of %zu actions answered, %zu control%s not applicable)\n", file,
               posture_answers_count(a), posture_template_action_count(t), na,
               na == 1 ? "" : "s");
    }
    posture_answers_free(a);
    posture_template_free(t);
    posture_library_free(lib);
    return code;
}

/* Set the metadata fields given by options (NULL: keep). */
static int override_info(posture_answers *a, const char *const opt[5])
{
    posture_assessment_info info = *posture_answers_info(a);
    const char **f[5] = {&info.name, &info.organization, &info.scope, &info.group,
                         &info.assessed_at};
    int any = 0;
    for (int k = 0; k < 5; k++)
        if (opt[k]) {
            *f[k] = opt[k];
            any = 1;
        }
    return any ? posture_answers_set_info(a, &info) : 0;
}

static int answers_convert(int argc, char **argv, cli_global *g)
{
    const char *cmd = "answers convert", *tref = NULL, *in = NULL, *out = NULL, *val;
    const char *meta[5] = {NULL, NULL, NULL, NULL, NULL};
    int r, i = 1;
    while ((r = cli_parse(argc, argv, &i, &convert_cmd, &val)) != -1) {
        switch (r) {
        case -2: return EXIT_USAGE;
        case 'h': return cli_help_cmd(&convert_cmd);
        case 0:
            if (in)
                return cli_bad_usage(&convert_cmd, "%s: unexpected argument '%s'", cmd,
                                       argv[i]);
            in = argv[i++];
            break;
        case OPT_TEMPLATE: tref = val; break;
        case OPT_OUTPUT: out = val; break;
        case OPT_NAME: meta[0] = val; break;
        case OPT_ORG: meta[1] = val; break;
        case OPT_SCOPE: meta[2] = val; break;
        case OPT_GROUP: meta[3] = val; break;
        case OPT_ASSESSED: meta[4] = val; break;
        }
    }
    if (!in)
        return cli_bad_usage(&convert_cmd, "%s: no input file given", cmd);
    if (!out)
        return cli_bad_usage(&convert_cmd, "%s: missing -o OUT", cmd);
    if (meta[0] && !*meta[0])
        return cli_bad_usage(&convert_cmd, "%s: --name must not be empty", cmd);
    if (meta[4] && !posture_date_valid(meta[4]))
        return cli_bad_usage(&convert_cmd,
                             "%s: --assessed-at: invalid date \"%s\"; expected YYYY-MM-DD", cmd,
                             meta[4]);
    posture_answers_format ofmt, ifmt;
    if (posture_answers_format_of(out, &ofmt) != 0)
        return cli_bad_usage(&convert_cmd, "%s: %s: %s; use .json, .csv or .xlsx", cmd, out,
                               posture_error_last());
    if (posture_answers_format_of(in, &ifmt) != 0)
        return cli_bad_usage(&convert_cmd, "%s: %s: %s; use .json, .csv or .xlsx", cmd, in,
                               posture_error_last());

    posture_library *lib = NULL;
    posture_template *t = NULL;
    posture_answers *a = NULL;
    posture_diags *d = NULL;
    int code = EXIT_OK;
    if (posture_diags_new(&d) != 0) {
        code = cli_fail_last();
        goto done;
    }
    if (tref) {
        code = cli_load_template(g, tref, &lib, &t);
        if (code == EXIT_OK)
            code = cli_load_answers(in, t, &a);
        if (code != EXIT_OK)
            goto done;
    } else {
        /* the answers name their template: read them, find it, then check them against it */
        code = report(posture_answers_load(in, NULL, d, &a), d);
        posture_diags_clear(d);
        if (code != EXIT_OK)
            goto done;
        const char *ref = posture_answers_template_ref(a);
        if (!ref) {
            cli_error("%s: the answers do not name their template", in);
            cli_hint("give it with --template T%s",
                     ifmt == POSTURE_ANSWERS_CSV ? " (a CSV file never names it)" : "");
            code = EXIT_FAIL;
            goto done;
        }
        code = cli_load_template(g, ref, &lib, &t);
        if (code == EXIT_OK)
            code = report(posture_answers_resolve(a, t, in, d), d);
        posture_diags_clear(d);
        if (code != EXIT_OK)
            goto done;
    }
    if (override_info(a, meta) != 0) {
        code = cli_fail_last();
        goto done;
    }
    code = report(posture_answers_write(a, t, d, out), d);
    if (code == EXIT_OK && strcmp(out, "-") != 0)
        printf("%s: %zu answers, %zu control entries\n", out, posture_answers_count(a),
               ofmt == POSTURE_ANSWERS_CSV ? (size_t)0 : posture_answers_control_count(a));
done:
    posture_diags_free(d);
    posture_answers_free(a);
    posture_template_free(t);
    posture_library_free(lib);
    return code;
}
