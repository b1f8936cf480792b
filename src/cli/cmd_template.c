/* cmd_template.c - `posture template list|show|validate|import`. */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cjson/cJSON.h>

#include "cli.h"

enum { OPT_JSON = 1, OPT_STRICT };

static int template_list(int argc, char **argv, cli_global *g);
static int template_show(int argc, char **argv, cli_global *g);
static int template_validate(int argc, char **argv, cli_global *g);

static const cli_opt list_opts[] = {
    {"json", 0, OPT_JSON, 0, NULL, "posture-templates/1, with each template's file", 0}, {0}};

static const cli_cmd list_cmd = {
    .name = "template list",
    .fn = template_list,
    .summary = "templates in the search path",
    .opts = list_opts,
    .text = "List the templates in the search path: id, version, families, controls, actions,\n"
            "title, then the search path, in order (directories that do not exist marked).\n"
            "Exit 1 when the search path holds no template: an error names every directory\n"
            "searched (with --json too, whose document then lists no template).\n",
};

static const cli_opt show_opts[] = {{"json", 0, OPT_JSON, 0, NULL, "the outline as JSON", 0}, {0}};

static const cli_cmd show_cmd = {
    .name = "template show",
    .fn = template_show,
    .summary = "one template's outline (T: file, id or id@version)",
    .args = "T",
    .opts = show_opts,
    .text = "Show a template's families, controls and actions. T is a file, an id or id@version.\n",
};

static const cli_opt validate_opts[] = {
    {"strict", 0, OPT_STRICT, 0, NULL, "unknown fields and unreferenced actions are errors", 0},
    {0}};

static const cli_cmd validate_cmd = {
    .name = "template validate",
    .fn = template_validate,
    .summary = "report every problem; exit 1 on any error",
    .args = "FILE...",
    .opts = validate_opts,
    .text = "Check template files against posture-template/1 and report every problem.\n",
};

const cli_group cli_group_template = {
    "template", "list, show, validate, import and link templates",
    "Search path: --templates DIR..., $POSTURE_TEMPLATES, ./templates, the installed templates.\n",
    (const cli_cmd *const[]){&list_cmd, &show_cmd, &validate_cmd, &cli_cmd_template_import,
                             &cli_cmd_template_link, NULL}};

static int print_json(cJSON *doc)
{
    char *s = doc ? cJSON_Print(doc) : NULL;
    cJSON_Delete(doc);
    if (!s) {
        cli_error("out of memory");
        return EXIT_FAIL;
    }
    fputs(s, stdout);
    fputc('\n', stdout);
    free(s);
    return EXIT_OK;
}

static void add_str(cJSON *o, const char *k, const char *v)
{
    cJSON_AddItemToObject(o, k, v ? cJSON_CreateString(v) : cJSON_CreateNull());
}

/* "PREFIX dir, dir (missing), ..." and a newline on `f`: the template directories, in order. */
static void print_search_path(const posture_library *lib, FILE *f, const char *prefix)
{
    fputs(prefix, f);
    for (size_t k = 0; k < posture_library_dir_count(lib); k++) {
        const char *dir = posture_library_dir(lib, k);
        struct stat st;
        fprintf(f, "%s%s%s", k ? ", " : "", dir,
                stat(dir, &st) == 0 && S_ISDIR(st.st_mode) ? "" : " (missing)");
    }
    fputc('\n', f);
}

static int template_list(int argc, char **argv, cli_global *g)
{
    int i = 1, json = 0, r;
    const char *val;
    while ((r = cli_parse(argc, argv, &i, &list_cmd, &val)) != -1) {
        if (r == -2)
            return EXIT_USAGE;
        if (r == 'h')
            return cli_help_cmd(&list_cmd);
        if (r == 0)
            return cli_bad_usage(&list_cmd, "template list: unexpected argument '%s'", argv[i]);
        json = 1;
    }
    posture_library *lib = NULL;
    posture_diags *d = NULL;
    posture_template **ts = NULL;
    size_t nt = 0;
    int code = EXIT_OK;
    const char *const *paths;
    size_t np;
    if (cli_library(g, &lib) != 0 || posture_diags_new(&d) != 0 ||
        posture_library_files(lib, &paths, &np) != 0 || !(ts = calloc(np + 1, sizeof *ts))) {
        code = cli_fail_last();
        goto done;
    }
    for (size_t k = 0; k < np; k++) {
        if (posture_template_load(lib, paths[k], 0, d, &ts[nt]) == 0)
            nt++;
        else
            code = EXIT_FAIL;
    }
    if (posture_template_check_conflicts((const posture_template *const *)ts, nt, d) != 0)
        code = EXIT_FAIL;
    cli_print_diags(d);
    if (nt == 0) {
        print_search_path(lib, stderr, "posture: no template in the search path: ");
        cli_hint("give --templates DIR, or set POSTURE_TEMPLATES to directories of templates "
                 "(DIR:DIR...)");
        code = EXIT_FAIL;
    }
    if (json) {
        cJSON *doc = cJSON_CreateObject(), *arr = cJSON_CreateArray();
        cJSON_AddStringToObject(doc, "format", "posture-templates/1");
        cJSON_AddItemToObject(doc, "templates", arr);
        for (size_t k = 0; k < nt; k++) {
            const posture_template_info *in = posture_template_info_get(ts[k]);
            cJSON *o = cJSON_CreateObject();
            add_str(o, "id", in->id);
            add_str(o, "version", in->version);
            add_str(o, "title", in->title);
            add_str(o, "file", in->file);
            add_str(o, "extends", in->extends);
            cJSON_AddNumberToObject(o, "families", (double)posture_template_family_count(ts[k]));
            cJSON_AddNumberToObject(o, "controls", (double)posture_template_control_count(ts[k]));
            cJSON_AddNumberToObject(o, "actions", (double)posture_template_action_count(ts[k]));
            cJSON_AddItemToArray(arr, o);
        }
        if (print_json(doc) != EXIT_OK)
            code = EXIT_FAIL;
    } else {
        if (nt == 0)
            goto done;
        printf("%-32s %-9s %8s %8s %8s  %s\n", "ID", "VERSION", "FAMILIES", "CONTROLS", "ACTIONS",
               "TITLE");
        for (size_t k = 0; k < nt; k++) {
            const posture_template_info *in = posture_template_info_get(ts[k]);
            printf("%-32s %-9s %8zu %8zu %8zu  %s\n", in->id, in->version,
                   posture_template_family_count(ts[k]), posture_template_control_count(ts[k]),
                   posture_template_action_count(ts[k]), in->title);
        }
        print_search_path(lib, stdout, "\nsearch path: ");
    }
done:
    for (size_t k = 0; ts && k < nt; k++)
        posture_template_free(ts[k]);
    free(ts);
    posture_diags_free(d);
    posture_library_free(lib);
    return code;
}

static int template_show(int argc, char **argv, cli_global *g)
{
    int i = 1, json = 0, r;
    const char *val, *ref = NULL;
    while ((r = cli_parse(argc, argv, &i, &show_cmd, &val)) != -1) {
        if (r == -2)
            return EXIT_USAGE;
        if (r == 'h')
            return cli_help_cmd(&show_cmd);
        if (r == 0) {
            if (ref)
                return cli_bad_usage(&show_cmd, "template show: unexpected argument '%s'",
                                       argv[i]);
            ref = argv[i++];
            continue;
        }
        json = 1;
    }
    if (!ref)
        return cli_bad_usage(&show_cmd, "template show: missing template");
    posture_library *lib = NULL;
    posture_diags *d = NULL;
    posture_template *t = NULL;
    int code = EXIT_OK;
    if (cli_library(g, &lib) != 0 || posture_diags_new(&d) != 0) {
        code = cli_fail_last();
        goto done;
    }
    if (posture_template_open(lib, ref, 0, d, &t) != 0) {
        cli_print_diags(d);
        code = EXIT_FAIL;
        goto done;
    }
    cli_print_diags(d);
    const posture_template_info *in = posture_template_info_get(t);
    if (json) {
        cJSON *doc = cJSON_CreateObject(), *ti = cJSON_CreateObject(), *fams = cJSON_CreateArray();
        cJSON_AddStringToObject(doc, "format", "posture-template-outline/1");
        add_str(ti, "id", in->id);
        add_str(ti, "version", in->version);
        add_str(ti, "title", in->title);
        add_str(ti, "description", in->description);
        add_str(ti, "extends", in->extends);
        add_str(ti, "file", in->file);
        cJSON_AddItemToObject(doc, "template", ti);
        cJSON *counts = cJSON_CreateObject();
        cJSON_AddNumberToObject(counts, "families", (double)posture_template_family_count(t));
        cJSON_AddNumberToObject(counts, "controls", (double)posture_template_control_count(t));
        cJSON_AddNumberToObject(counts, "actions", (double)posture_template_action_count(t));
        cJSON_AddItemToObject(doc, "counts", counts);
        cJSON_AddItemToObject(doc, "families", fams);
        for (size_t f = 0; f < posture_template_family_count(t); f++) {
            const posture_family *fam = posture_template_family(t, f);
            cJSON *fo = cJSON_CreateObject(), *cs = cJSON_CreateArray();
            add_str(fo, "id", fam->id);
            add_str(fo, "title", fam->title);
            cJSON_AddItemToObject(fo, "controls", cs);
            for (size_t c = fam->first_control; c < fam->first_control + fam->ncontrols; c++) {
                const posture_control *ctl = posture_template_control(t, c);
                cJSON *co = cJSON_CreateObject(), *as = cJSON_CreateArray();
                add_str(co, "id", ctl->id);
                add_str(co, "title", ctl->title);
                for (size_t k = 0; k < ctl->nactions; k++)
                    cJSON_AddItemToArray(
                        as, cJSON_CreateString(posture_template_action(t, ctl->actions[k])->id));
                cJSON_AddItemToObject(co, "actions", as);
                cJSON_AddItemToArray(cs, co);
            }
            cJSON_AddItemToArray(fams, fo);
        }
        code = print_json(doc);
    } else {
        printf("%s %s  %s\n", in->id, in->version, in->title);
        if (in->extends)
            printf("extends %s\n", in->extends);
        printf("%zu families, %zu controls, %zu actions\n\n", posture_template_family_count(t),
               posture_template_control_count(t), posture_template_action_count(t));
        for (size_t f = 0; f < posture_template_family_count(t); f++) {
            const posture_family *fam = posture_template_family(t, f);
            printf("%s  %s\n", fam->id, fam->title);
            for (size_t c = fam->first_control; c < fam->first_control + fam->ncontrols; c++) {
                const posture_control *ctl = posture_template_control(t, c);
                printf("  %-12s %s\n", ctl->id, ctl->title);
                for (size_t k = 0; k < ctl->nactions; k++) {
                    const posture_action *a = posture_template_action(t, ctl->actions[k]);
                    printf("    %s\n", a->id);
                }
            }
        }
    }
done:
    posture_template_free(t);
    posture_diags_free(d);
    posture_library_free(lib);
    return code;
}

static int template_validate(int argc, char **argv, cli_global *g)
{
    int i = 1, strict = 0, r;
    const char *val;
    const char **files = calloc((size_t)argc, sizeof *files);
    size_t nf = 0;
    if (!files) {
        cli_error("out of memory");
        return EXIT_FAIL;
    }
    while ((r = cli_parse(argc, argv, &i, &validate_cmd, &val)) != -1) {
        if (r == -2 || r == 'h') {
            free(files);
            if (r == 'h')
                return cli_help_cmd(&validate_cmd);
            return EXIT_USAGE;
        }
        if (r == 0) {
            files[nf++] = argv[i++];
            continue;
        }
        strict = 1;
    }
    if (!nf) {
        free(files);
        return cli_bad_usage(&validate_cmd, "template validate: no file given");
    }
    posture_library *lib = NULL;
    posture_diags *d = NULL;
    posture_template **ts = calloc(nf, sizeof *ts);
    size_t nt = 0;
    int code = EXIT_OK;
    if (!ts || cli_library(g, &lib) != 0 || posture_diags_new(&d) != 0) {
        code = cli_fail_last();
        goto done;
    }
    for (size_t k = 0; k < nf; k++) {
        posture_diags_clear(d);
        posture_template *t = NULL;
        if (posture_template_load(lib, files[k], strict ? POSTURE_TEMPLATE_STRICT : 0, d, &t) != 0)
            code = EXIT_FAIL;
        cli_print_diags(d);
        if (t) {
            printf("%s: valid (%zu families, %zu controls, %zu actions)\n", files[k],
                   posture_template_family_count(t), posture_template_control_count(t),
                   posture_template_action_count(t));
            ts[nt++] = t;
        }
    }
    posture_diags_clear(d);
    if (posture_template_check_conflicts((const posture_template *const *)ts, nt, d) != 0)
        code = EXIT_FAIL;
    cli_print_diags(d);
done:
    for (size_t k = 0; k < nt; k++)
        posture_template_free(ts[k]);
    free(ts);
    free(files);
    posture_diags_free(d);
    posture_library_free(lib);
    return code;
}
