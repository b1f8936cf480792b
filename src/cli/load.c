/* load.c - the inputs and outputs of a command: template, answers, profile; the reports. */
#include <string.h>
#include <strings.h>

#include "cli.h"
#include "posture/sheet_answers.h"

int cli_load_template(const cli_global *g, const char *ref, posture_library **lib,
                      posture_template **out)
{
    *out = NULL;
    posture_diags *d = NULL;
    int rc = *lib ? 0 : cli_library(g, lib);
    if (rc == 0)
        rc = posture_diags_new(&d);
    if (rc != 0) {
        posture_diags_free(d);
        return cli_fail_last();
    }
    rc = posture_template_open(*lib, ref, 0, d, out);
    cli_print_diags(d);
    if (rc != 0 && posture_diags_errors(d) == 0)
        cli_fail_last(); /* out of memory: no diagnostic says why */
    posture_diags_free(d);
    return rc == 0 ? EXIT_OK : EXIT_FAIL;
}

static const char *extension(const char *path)
{
    const char *slash = strrchr(path, '/');
    const char *dot = strrchr(slash ? slash : path, '.');
    return dot ? dot + 1 : "";
}

int cli_load_answers(const char *path, const posture_template *t, posture_answers **out)
{
    *out = NULL;
    posture_diags *d = NULL;
    if (posture_diags_new(&d) != 0)
        return cli_fail_last();
    int rc;
    const char *ext = extension(path);
    if (strcasecmp(ext, "json") == 0 || strcmp(path, "-") == 0) {
        rc = posture_answers_load_json(path, t, d, out);
    } else if (strcasecmp(ext, "csv") == 0 || strcasecmp(ext, "xlsx") == 0) {
        rc = posture_answers_load(path, t, d, out);
    } else {
        if (*ext)
            posture_diags_add(d, POSTURE_SEV_ERROR, path, NULL,
                              "answers files end in .json, .csv or .xlsx",
                              "unsupported answers format \".%s\"", ext);
        else
            posture_diags_add(d, POSTURE_SEV_ERROR, path, NULL,
                              "answers files end in .json, .csv or .xlsx",
                              "unsupported answers format (the name has no extension)");
        rc = POSTURE_EINVALID;
    }
    cli_print_diags(d);
    if (rc != 0 && posture_diags_errors(d) == 0)
        cli_fail_last(); /* out of memory: no diagnostic says why */
    posture_diags_free(d);
    return rc == 0 ? EXIT_OK : EXIT_FAIL;
}

int cli_load_profile(const char *ref, posture_profile **out)
{
    *out = NULL;
    posture_diags *d = NULL;
    if (posture_diags_new(&d) != 0)
        return cli_fail_last();
    int rc = posture_profile_open(ref ? ref : POSTURE_PROFILE_DEFAULT, d, out);
    cli_print_diags(d);
    if (rc != 0 && posture_diags_count(d) == 0)
        cli_fail_last();
    posture_diags_free(d);
    return rc == 0 ? EXIT_OK : EXIT_FAIL;
}

int cli_score_files(const cli_global *g, const char *tref, const char *apath, const char *pref,
                    cli_scored *s)
{
    memset(s, 0, sizeof *s);
    int code = cli_load_template(g, tref, &s->lib, &s->t);
    if (code == EXIT_OK)
        code = cli_load_answers(apath, s->t, &s->a);
    if (code == EXIT_OK)
        code = cli_load_profile(pref, &s->p);
    if (code == EXIT_OK && posture_score(s->t, s->a, s->p, &s->res) != 0)
        code = cli_fail_last();
    return code;
}

void cli_scored_free(cli_scored *s)
{
    posture_result_free(s->res);
    posture_profile_free(s->p);
    posture_answers_free(s->a);
    posture_template_free(s->t);
    posture_library_free(s->lib);
    memset(s, 0, sizeof *s);
}

int cli_write_reports(const posture_result *res, const char *xlsx, const char *json, int compact,
                      const posture_coverage *cov)
{
    int code = EXIT_OK;
    time_t now = posture_report_time();
    if (json) {
        posture_json_options jo = {compact, now};
        if (posture_report_json_write(res, &jo, json) != 0)
            code = cli_fail_last();
    }
    if (xlsx) {
        posture_diags *warn = NULL;
        if (posture_diags_new(&warn) != 0)
            return cli_fail_last();
        posture_xlsx_options xo = {now, warn};
        int rc = posture_report_xlsx_write_coverage(res, &xo, cov, xlsx);
        cli_print_diags(warn);
        posture_diags_free(warn);
        if (rc != 0)
            code = cli_fail_last();
    }
    return code;
}
