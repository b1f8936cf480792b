/* cmd_template_import.c - `posture template import`: an OSCAL catalog to a template;
 * `posture template link`: a template linked to shared actions through mapping collections. */
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "cli.h"
#include "posture/catalog_oscal.h"
#include "posture/template_link.h"

enum { OPT_OSCAL = 1, OPT_BASELINE, OPT_ID, OPT_VERSION, OPT_TITLE, OPT_OUTPUT, OPT_LINK };

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
    {"link", 1, OPT_LINK, 0, "MAPPINGS",
     "a mapping collection: controls also get the actions of the\ncontrols it maps to them "
     "(repeatable; docs/mappings.md)", CLI_FILE | CLI_REPEAT},
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
        "act.nist.<control-id>; withdrawn controls are skipped (rules: docs/oscal.md).\n"
        "With --link MAPPINGS, each control also gets the actions of the controls of another\n"
        "template that the mapping collection relates to it (docs/mappings.md).\n",
};

/*
 * Link `*text` (a template) through each collection of `links`, to every template the
 * collection relates to it (loaded by the id@version it pins); says what was linked on
 * `report`, one line each. Replaces `*text`; returns an exit code.
 */
static int link_all(const cli_global *g, char **text, const char *file,
                    const char *const *links, size_t nlinks, FILE *report)
{
    posture_library *lib = NULL;
    posture_diags *d = NULL;
    int code = EXIT_OK;
    char id[128] = "";
    cJSON *root = cJSON_Parse(*text);
    const cJSON *tid = root ? cJSON_GetObjectItemCaseSensitive(root, "id") : NULL;
    if (cJSON_IsString(tid))
        snprintf(id, sizeof id, "%s", tid->valuestring);
    cJSON_Delete(root);
    if (cli_library(g, &lib) != 0 || posture_diags_new(&d) != 0) {
        code = cli_fail_last();
        goto done;
    }
    for (size_t i = 0; i < nlinks && code == EXIT_OK; i++) {
        posture_mapping_collection *coll = NULL;
        if (posture_mapping_load(links[i], d, &coll) != 0) {
            cli_print_diags(d);
            code = EXIT_FAIL;
            break;
        }
        /* every template the collection relates to this one, once each, in set order */
        for (size_t k = 0; k < posture_mapping_set_count(coll) && code == EXIT_OK; k++) {
            const posture_mapping_set *s = posture_mapping_set_get(coll, k);
            const char *other = strcmp(s->source_id, id) == 0   ? s->target
                                : strcmp(s->target_id, id) == 0 ? s->source
                                                                : NULL;
            int seen = 0;
            for (size_t j = 0; other && j < k; j++) {
                const posture_mapping_set *p = posture_mapping_set_get(coll, j);
                seen |= strcmp(p->source, other) == 0 || strcmp(p->target, other) == 0;
            }
            if (!other || seen)
                continue;
            posture_template *t = NULL;
            posture_link_counts n;
            char *linked = NULL;
            posture_diags_clear(d);
            int rc = posture_template_open(lib, other, 0, d, &t);
            if (rc == 0)
                rc = posture_template_link(*text, strlen(*text), file, coll, t, d, &linked, &n);
            cli_print_diags(d);
            if (rc != 0) {
                code = posture_diags_errors(d) ? EXIT_FAIL : cli_fail_last();
            } else {
                free(*text);
                *text = linked;
                fprintf(report, "%s: linked to %s through %s: %zu controls (%zu through their base "
                           "control) reference %zu of its actions (%zu references, %zu maps)\n",
                           file, other, posture_mapping_info_get(coll)->name, n.controls,
                           n.inherited, n.actions, n.references, n.maps);
            }
            posture_template_free(t);
        }
        posture_mapping_free(coll);
    }
done:
    posture_diags_free(d);
    posture_library_free(lib);
    return code;
}

static int cmd_template_import(int argc, char **argv, cli_global *g)
{
    const char *cmd = "template import";
    posture_oscal_options o = {0};
    const char *catalog = NULL, *output = NULL;
    const char **links = calloc((size_t)argc, sizeof *links);
    size_t nlinks = 0;
    int i = 1, code = EXIT_OK;
    if (!links)
        return cli_fail_last();
    for (;;) {
        const char *val = NULL;
        int r = cli_parse(argc, argv, &i, &cli_cmd_template_import, &val);
        if (r == -1)
            break;
        if (r == -2) {
            code = EXIT_USAGE;
            goto done;
        }
        if (r == 'h') {
            code = cli_help_cmd(&cli_cmd_template_import);
            goto done;
        }
        if (r == 0) {
            code = cli_bad_usage(&cli_cmd_template_import, "%s: unexpected argument '%s'", cmd,
                                 argv[i]);
            goto done;
        }
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
        else if (r == OPT_LINK)
            links[nlinks++] = val;
    }
    if (!catalog)
        code = cli_bad_usage(&cli_cmd_template_import, "%s: missing --oscal CATALOG", cmd);
    else if (!output)
        code = cli_bad_usage(&cli_cmd_template_import, "%s: missing -o FILE", cmd);
    else if (o.title && !*o.title)
        code = cli_bad_usage(&cli_cmd_template_import, "%s: --title must not be empty", cmd);
    if (code != EXIT_OK)
        goto done;

    posture_diags *d = NULL;
    if (posture_diags_new(&d) != 0) {
        code = cli_fail_last();
        goto done;
    }
    posture_oscal_counts n;
    char *text = NULL;
    int rc = posture_oscal_convert(catalog, &o, d, &text, &n);
    cli_print_diags(d); /* warnings too */
    if (rc == POSTURE_EUSAGE)
        code = cli_bad_usage(&cli_cmd_template_import, "%s: %s", cmd, posture_error_last());
    else if (rc != 0 && posture_diags_errors(d) == 0)
        code = cli_fail_last();
    else if (rc != 0)
        code = EXIT_FAIL;
    char *said = NULL;
    size_t saidlen = 0;
    FILE *report = open_memstream(&said, &saidlen);
    if (!report)
        code = cli_fail_last();
    if (code == EXIT_OK && nlinks)
        code = link_all(g, &text, output, links, nlinks, report);
    if (report)
        fclose(report);
    if (code == EXIT_OK && posture_write_file(output, text, strlen(text)) != 0)
        code = cli_fail_last();
    if (code == EXIT_OK && strcmp(output, "-") != 0) {
        printf("%s: %zu families, %zu controls, %zu actions (skipped: %zu withdrawn, %zu not in "
               "the baseline)\n",
               output, n.families, n.controls, n.actions, n.withdrawn, n.excluded);
        fputs(said ? said : "", stdout);
    }
    free(said);
    free(text);
    posture_diags_free(d);
done:
    free(links);
    return code;
}

/* ---- posture template link ---------------------------------------------------------------- */

enum { L_LINK = 1, L_VERSION, L_OUTPUT };

static int cmd_template_link(int argc, char **argv, cli_global *g);

static const cli_opt link_opts[] = {
    {"link", 1, L_LINK, 0, "MAPPINGS",
     "a mapping collection: controls also get the actions of the\ncontrols it maps to them "
     "(repeatable)", CLI_REQUIRED | CLI_FILE | CLI_REPEAT},
    {"version", 1, L_VERSION, 0, "X.Y.Z",
     "the version of the linked template (its content changes:\ngive it a new version)", 0},
    {"output", 1, L_OUTPUT, 'o', "FILE", "where to write the template (\"-\": standard output)",
     CLI_REQUIRED | CLI_FILE},
    {0}};

const cli_cmd cli_cmd_template_link = {
    .name = "template link",
    .fn = cmd_template_link,
    .summary = "link a template's controls to another template's actions",
    .args_after = "TEMPLATE",
    .opts = link_opts,
    .text =
        "Write TEMPLATE (a file) with each control also referencing the actions of the controls\n"
        "of another template that a mapping collection relates to it, defined as that template\n"
        "defines them, so that one answer counts for both; an enhancement (BASE(N)) without a\n"
        "map of its own takes its base control's (docs/mappings.md). The same step as\n"
        "'template import --link', for a template made otherwise.\n",
};

/* MAJOR.MINOR.PATCH, no leading zeros. */
static int version_ok(const char *s)
{
    for (int k = 0; k < 3; k++) {
        if (*s < '0' || *s > '9' || (*s == '0' && s[1] >= '0' && s[1] <= '9'))
            return 0;
        while (*s >= '0' && *s <= '9')
            s++;
        if (k < 2 && *s++ != '.')
            return 0;
    }
    return *s == '\0';
}

static int cmd_template_link(int argc, char **argv, cli_global *g)
{
    const char *cmd = "template link", *input = NULL, *output = NULL, *version = NULL, *val;
    const char **links = calloc((size_t)argc, sizeof *links);
    size_t nlinks = 0;
    int i = 1, r, code = EXIT_OK;
    if (!links)
        return cli_fail_last();
    while ((r = cli_parse(argc, argv, &i, &cli_cmd_template_link, &val)) != -1) {
        if (r == -2 || r == 'h') {
            code = r == 'h' ? cli_help_cmd(&cli_cmd_template_link) : EXIT_USAGE;
            goto done;
        }
        if (r == 0 && input) {
            code = cli_bad_usage(&cli_cmd_template_link, "%s: unexpected argument '%s'", cmd,
                                 argv[i]);
            goto done;
        }
        if (r == 0)
            input = argv[i++];
        else if (r == L_LINK)
            links[nlinks++] = val;
        else if (r == L_VERSION)
            version = val;
        else if (r == L_OUTPUT)
            output = val;
    }
    if (!input)
        code = cli_bad_usage(&cli_cmd_template_link, "%s: missing the TEMPLATE file", cmd);
    else if (!nlinks)
        code = cli_bad_usage(&cli_cmd_template_link, "%s: missing --link MAPPINGS", cmd);
    else if (!output)
        code = cli_bad_usage(&cli_cmd_template_link, "%s: missing -o FILE", cmd);
    else if (version && !version_ok(version))
        code = cli_bad_usage(&cli_cmd_template_link,
                             "%s: --version needs MAJOR.MINOR.PATCH, got '%s'", cmd, version);
    if (code != EXIT_OK)
        goto done;
    char *text = NULL, *said = NULL;
    size_t len = 0, saidlen = 0;
    if (posture_read_file(input, 0, &text, &len) != 0) {
        code = cli_fail_last();
        goto done;
    }
    if (version) {
        cJSON *root = cJSON_Parse(text);
        cJSON *v = root ? cJSON_GetObjectItemCaseSensitive(root, "version") : NULL;
        char *again = v && cJSON_SetValuestring(v, version) ? cJSON_Print(root) : NULL;
        cJSON_Delete(root);
        if (!again) {
            cli_error("%s: cannot set the version (not a template?)", input);
            free(text);
            code = EXIT_FAIL;
            goto done;
        }
        free(text);
        text = again;
    }
    FILE *report = open_memstream(&said, &saidlen);
    if (!report)
        code = cli_fail_last();
    else
        code = link_all(g, &text, input, links, nlinks, report);
    if (report)
        fclose(report);
    if (code == EXIT_OK && posture_write_file(output, text, strlen(text)) != 0)
        code = cli_fail_last();
    if (code == EXIT_OK && strcmp(output, "-") != 0)
        fputs(said ? said : "", stdout);
    free(said);
    free(text);
done:
    free(links);
    return code;
}
