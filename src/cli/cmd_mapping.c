/* cmd_mapping.c - `posture mapping list|validate`: the mapping collections (docs/mappings.md). */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

enum { O_MAPPINGS = 1, O_UNMAPPED };

static int mapping_list(int argc, char **argv, cli_global *g);
static int mapping_validate(int argc, char **argv, cli_global *g);

static const cli_opt list_opts[] = {
    {"mappings", 1, O_MAPPINGS, 0, "DIR", "read the collections in DIR too, first (repeatable)",
     CLI_DIR | CLI_REPEAT},
    {0}};

static const cli_cmd list_cmd = {
    .name = "mapping list",
    .fn = mapping_list,
    .summary = "list the mapping collections posture finds",
    .opts = list_opts,
    .text = "List the mapping collections of the mappings/ folder of each template directory\n"
            "(and --mappings DIR): file, source and target templates, maps, title.\n",
};

static const cli_opt validate_opts[] = {
    {"unmapped", 0, O_UNMAPPED, 0, NULL,
     "also list, for each template of each mapping, the controls\nno map names", 0},
    {0}};

static const cli_cmd validate_cmd = {
    .name = "mapping validate",
    .fn = mapping_validate,
    .summary = "check mapping collections",
    .opts = validate_opts,
    .args_after = "FILE...",
    .text = "Check OSCAL mapping collections (JSON): the format, and that every control id\n"
            "names a control of the template version the mapping pins, when the template\n"
            "search path has it (a warning says when it does not). Every problem of every\n"
            "file is printed; the exit code is 1 when there is an error.\n",
};

const cli_group cli_group_mapping = {"mapping", "list and check mapping collections (crosswalks)",
                                     NULL,
                                     (const cli_cmd *const[]){&list_cmd, &validate_cmd, NULL}};

static int mapping_list(int argc, char **argv, cli_global *g)
{
    const char **dirs = calloc((size_t)argc, sizeof *dirs), *val;
    size_t ndirs = 0;
    int i = 1, r, code = EXIT_OK;
    if (!dirs)
        return cli_fail_last();
    while ((r = cli_parse(argc, argv, &i, &list_cmd, &val)) != -1) {
        if (r == -2 || r == 'h') {
            code = r == 'h' ? cli_help_cmd(&list_cmd) : EXIT_USAGE;
            goto done;
        }
        if (r == 0) {
            code = cli_bad_usage(&list_cmd, "mapping list: unexpected argument '%s'", argv[i]);
            goto done;
        }
        dirs[ndirs++] = val;
    }
    posture_library *lib = NULL;
    posture_mapping_library *ml = NULL;
    if (cli_library(g, &lib) != 0) {
        code = cli_fail_last();
        goto done;
    }
    if ((code = cli_mappings(lib, dirs, ndirs, &ml)) == EXIT_OK) {
        size_t n = posture_mapping_library_count(ml);
        int fw = 4, sw = 6, tw = 6;
        for (size_t k = 0; k < n; k++) {
            const posture_mapping_collection *c = posture_mapping_library_get(ml, k);
            int l = (int)strlen(posture_mapping_info_get(c)->name);
            fw = l > fw ? l : fw;
            for (size_t s = 0; s < posture_mapping_set_count(c); s++) {
                const posture_mapping_set *m = posture_mapping_set_get(c, s);
                sw = (int)strlen(m->source) > sw ? (int)strlen(m->source) : sw;
                tw = (int)strlen(m->target) > tw ? (int)strlen(m->target) : tw;
            }
        }
        printf("%-*s  %-*s  %-*s  %5s  %s\n", fw, "FILE", sw, "SOURCE", tw, "TARGET", "MAPS",
               "TITLE");
        for (size_t k = 0; k < n; k++) {
            const posture_mapping_collection *c = posture_mapping_library_get(ml, k);
            const posture_mapping_info *in = posture_mapping_info_get(c);
            for (size_t s = 0; s < posture_mapping_set_count(c); s++) {
                const posture_mapping_set *m = posture_mapping_set_get(c, s);
                printf("%-*s  %-*s  %-*s  %5zu  %s\n", fw, in->name, sw, m->source, tw, m->target,
                       m->nmaps, in->title ? in->title : "");
            }
        }
        if (!n)
            printf("(no mapping collection in the search path)\n");
    }
    posture_mapping_library_free(ml);
    posture_library_free(lib);
done:
    free(dirs);
    return code;
}

/* The controls of `t` that no map of set `s` names on side `side` (0 sources, 1 targets). */
static void print_unmapped(const char *file, const posture_mapping_set *s, int side,
                           const posture_template *t)
{
    size_t n = posture_template_control_count(t), free_n = 0;
    char *used = calloc(n ? n : 1, 1);
    if (!used)
        return;
    for (size_t k = 0; k < s->nmaps; k++) {
        const posture_map *m = &s->maps[k];
        const char *const *ids = side ? m->targets : m->sources;
        size_t ni = side ? m->ntargets : m->nsources;
        for (size_t j = 0; j < ni; j++) {
            long ci = posture_template_find_control(t, ids[j]);
            if (ci >= 0)
                used[ci] = 1;
        }
    }
    for (size_t i = 0; i < n; i++)
        free_n += !used[i];
    printf("%s: %s: %zu of %zu controls mapped; unmapped:", file, side ? s->target : s->source,
           n - free_n, n);
    for (size_t i = 0, k = 0; i < n; i++)
        if (!used[i])
            printf("%s %s", k++ ? "," : "", posture_template_control(t, i)->id);
    printf("%s\n", free_n ? "" : " none");
    free(used);
}

static int mapping_validate(int argc, char **argv, cli_global *g)
{
    const char **files = calloc((size_t)argc, sizeof *files), *val;
    size_t nfiles = 0;
    int i = 1, r, code = EXIT_OK, unmapped = 0;
    if (!files)
        return cli_fail_last();
    while ((r = cli_parse(argc, argv, &i, &validate_cmd, &val)) != -1) {
        if (r == -2 || r == 'h') {
            code = r == 'h' ? cli_help_cmd(&validate_cmd) : EXIT_USAGE;
            goto done;
        }
        if (r == 0)
            files[nfiles++] = argv[i++];
        else if (r == O_UNMAPPED)
            unmapped = 1;
    }
    if (!nfiles) {
        code = cli_bad_usage(&validate_cmd, "mapping validate: no FILE given");
        goto done;
    }
    posture_library *lib = NULL;
    if (cli_library(g, &lib) != 0) {
        code = cli_fail_last();
        goto done;
    }
    for (size_t f = 0; f < nfiles; f++) {
        posture_diags *d = NULL;
        posture_mapping_collection *c = NULL;
        if (posture_diags_new(&d) != 0) {
            code = cli_fail_last();
            break;
        }
        int rc = posture_mapping_load(files[f], d, &c);
        size_t maps = 0;
        for (size_t k = 0; rc == 0 && k < posture_mapping_set_count(c); k++) {
            const posture_mapping_set *s = posture_mapping_set_get(c, k);
            posture_template *t[2] = {NULL, NULL};
            for (int side = 0; side < 2 && rc == 0; side++) {
                const char *ref = side ? s->target : s->source, *path = NULL;
                if (posture_library_find(lib, ref, &path) != 0) {
                    rc = posture_diags_add(d, POSTURE_SEV_WARNING, files[f], s->place,
                                           "add its directory with --templates DIR",
                                           "template %s is not in the search path: its control "
                                           "ids are not checked", ref);
                    continue;
                }
                posture_diags *td = NULL;
                rc = posture_diags_new(&td);
                if (rc == 0 && posture_template_load(lib, path, 0, td, &t[side]) != 0)
                    rc = posture_diags_add(d, POSTURE_SEV_ERROR, files[f], s->place, NULL,
                                           "template %s (%s) does not load", ref, path);
                posture_diags_free(td);
            }
            if (rc == 0 && posture_mapping_check(c, k, t[0], t[1], POSTURE_SEV_ERROR, d) < 0)
                rc = POSTURE_ENOMEM;
            maps += s->nmaps;
            if (rc == 0 && unmapped && !posture_diags_errors(d))
                for (int side = 0; side < 2; side++)
                    if (t[side])
                        print_unmapped(files[f], s, side, t[side]);
            posture_template_free(t[0]);
            posture_template_free(t[1]);
        }
        cli_print_diags(d);
        if (rc != 0 && !posture_diags_errors(d))
            cli_fail_last();
        if (rc != 0 || posture_diags_errors(d))
            code = EXIT_FAIL;
        else
            printf("%s: valid (%zu mapping%s, %zu map%s)\n", files[f],
                   posture_mapping_set_count(c), posture_mapping_set_count(c) == 1 ? "" : "s",
                   maps, maps == 1 ? "" : "s");
        posture_mapping_free(c);
        posture_diags_free(d);
    }
    posture_library_free(lib);
done:
    free(files);
    return code;
}
