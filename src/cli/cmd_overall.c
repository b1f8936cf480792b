/* cmd_overall.c - `posture overall [--group G] [--json]`: the score across assessments. */
#include <limits.h>
#include <string.h>

#include "storecli.h"

static int cmd_overall(int argc, char **argv, cli_global *g);

static const cli_opt opts[] = {{"group", 1, 1, 0, "G", "only the assessments of group G", 0},
                               {"json", 0, 2, 0, NULL, "posture-overall/1", 0},
                               {0}};

static const cli_cmd overall_cmd = {
    .name = "overall",
    .fn = cmd_overall,
    .summary = "the overall score across assessments",
    .opts = opts,
    .text = "The overall score across the stored assessments (of group G), by Compliance\n"
            "Manager's rule: a technical action counts once across all assessments, a\n"
            "documentation or operational action once per assessment group; an action counts\n"
            "when it is in scope in at least one assessment.\n",
};

const cli_group cli_group_overall = {"overall", "the overall score across assessments", NULL,
                                (const cli_cmd *const[]){&overall_cmd, NULL}};

static int cmd_overall(int argc, char **argv, cli_global *g)
{
    const char *grp = NULL, *val;
    int i = 1, r, json = 0;
    while ((r = cli_parse(argc, argv, &i, &overall_cmd, &val)) != -1) {
        if (r == -2)
            return EXIT_USAGE;
        if (r == 'h')
            return cli_help_cmd(&overall_cmd);
        if (r == 1)
            grp = val;
        else if (r == 2)
            json = 1;
        else
            return cli_bad_usage(&overall_cmd, "overall: unexpected argument '%s'", argv[i]);
    }
    posture_store *s;
    posture_library *lib;
    int code = store_cli_open(g, 0, &s, &lib);
    if (code)
        return code;
    posture_store_mem *m = NULL;
    posture_store_overall ov;
    const posture_stored_assessment *v = NULL;
    size_t n = 0;
    if (posture_store_overall_score(s, grp, &ov, &m, &v, &n) != 0) {
        code = store_cli_fail(s);
    } else if (json) {
        cJSON *doc = store_json_doc("posture-overall/1");
        cJSON_AddItemToObject(doc, "group", store_json_str(grp));
        cJSON_AddItemToObject(doc, "score", store_json_points(&ov.score));
        cJSON_AddNumberToObject(doc, "actions", (double)ov.keys);
        cJSON *arr = cJSON_AddArrayToObject(doc, "assessments");
        for (size_t k = 0; k < n; k++) {
            cJSON *o = cJSON_CreateObject();
            cJSON_AddStringToObject(o, "name", v[k].name);
            cJSON *t = cJSON_AddObjectToObject(o, "template");
            cJSON_AddStringToObject(t, "id", v[k].template_id);
            cJSON_AddStringToObject(t, "version", v[k].template_version);
            cJSON_AddStringToObject(o, "group", v[k].group);
            cJSON_AddItemToObject(o, "score", store_json_points(&v[k].latest.score));
            cJSON_AddItemToArray(arr, o);
        }
        code = store_json_print(doc);
    } else {
        char sc[128];
        store_cli_score(&ov.score, sc);
        printf("Overall%s%s: %s; %zu distinct action%s over %zu assessment%s\n",
               grp ? " of group " : "", grp ? grp : "", sc, ov.keys, ov.keys == 1 ? "" : "s",
               ov.assessments, ov.assessments == 1 ? "" : "s");
        if (n) {
            int nw = 4, gw = 5;
            for (size_t k = 0; k < n; k++) {
                int l = (int)strlen(v[k].name);
                nw = l > nw ? l : nw;
                l = (int)strlen(v[k].group);
                gw = l > gw ? l : gw;
            }
            int width = cli_term_width();
            nw = cli_cap(width, nw, 40);
            gw = cli_cap(width, gw, 20);
            int tw = cli_room(width, nw + gw + 2 + 2 + 2 + 8, 8, INT_MAX);
            fputc('\n', stdout);
            cli_cell(stdout, "NAME", nw, 0);
            fputs("  ", stdout);
            cli_cell(stdout, "GROUP", gw, 0);
            fputs("  ", stdout);
            printf("%8s  TEMPLATE\n", "SCORE");
            for (size_t k = 0; k < n; k++) {
                char pct[32], tpl[512];
                store_cli_pct(&v[k].latest.score, pct);
                snprintf(tpl, sizeof tpl, "%s@%s", v[k].template_id, v[k].template_version);
                cli_cell(stdout, v[k].name, nw, 0);
                fputs("  ", stdout);
                cli_cell(stdout, v[k].group, gw, 0);
                printf("  %8s  ", pct);
                store_cli_last(tpl, tw);
                fputc('\n', stdout);
            }
        }
    }
    posture_store_mem_free(m);
    store_cli_close(s, lib);
    return code;
}
