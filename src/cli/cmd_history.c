/* cmd_history.c - `posture history NAME [--json]`: the score after each change. */
#include <limits.h>
#include <string.h>

#include "storecli.h"

static int cmd_history(int argc, char **argv, cli_global *g);

static const cli_opt opts[] = {{"json", 0, 1, 0, NULL, "posture-history/1", 0}, {0}};

static const cli_cmd history_cmd = {
    .name = "history",
    .fn = cmd_history,
    .summary = "an assessment's score after each change",
    .args = "NAME",
    .opts = opts,
    .text = "The score of a stored assessment after each change that touched it (its own changes\n"
            "and shared answers changed through other assessments), oldest first.\n",
};

const cli_group cli_group_history = {"history", "an assessment's score after each change", NULL,
                                (const cli_cmd *const[]){&history_cmd, NULL}};

static int cmd_history(int argc, char **argv, cli_global *g)
{
    const char *name = NULL, *val;
    int i = 1, r, json = 0;
    while ((r = cli_parse(argc, argv, &i, &history_cmd, &val)) != -1) {
        if (r == -2)
            return EXIT_USAGE;
        if (r == 'h')
            return cli_help_cmd(&history_cmd);
        if (r == 1) {
            json = 1;
            continue;
        }
        if (name)
            return cli_bad_usage(&history_cmd, "history: unexpected argument '%s'", argv[i]);
        name = argv[i++];
    }
    if (!name)
        return cli_bad_usage(&history_cmd, "history: missing the assessment NAME");
    posture_store *s;
    posture_library *lib;
    int code = store_cli_open(g, 0, &s, &lib);
    if (code)
        return code;
    posture_store_mem *am = NULL, *hm = NULL;
    const posture_stored_assessment *a = NULL;
    const posture_store_snapshot *v = NULL;
    size_t n = 0;
    if (posture_store_assessment_get(s, name, &am, &a) != 0 ||
        posture_store_history(s, name, &hm, &v, &n) != 0) {
        code = store_cli_fail(s);
    } else if (json) {
        cJSON *doc = store_json_doc("posture-history/1");
        cJSON *ao = cJSON_AddObjectToObject(doc, "assessment");
        cJSON_AddStringToObject(ao, "name", a->name);
        cJSON *t = cJSON_AddObjectToObject(ao, "template");
        cJSON_AddStringToObject(t, "id", a->template_id);
        cJSON_AddStringToObject(t, "version", a->template_version);
        cJSON *pts = cJSON_AddArrayToObject(doc, "points");
        for (size_t k = 0; k < n; k++) {
            cJSON *p = cJSON_CreateObject();
            cJSON_AddStringToObject(p, "at", v[k].at);
            cJSON *sc = store_json_points(&v[k].score);
            cJSON *it;
            while ((it = sc->child) != NULL) {
                cJSON_DetachItemViaPointer(sc, it);
                cJSON_AddItemToObject(p, it->string, it);
            }
            cJSON_Delete(sc);
            cJSON_AddItemToObject(p, "counts", store_json_counts(&v[k]));
            cJSON_AddStringToObject(p, "change", v[k].change);
            cJSON_AddStringToObject(p, "template_version", v[k].template_version);
            cJSON_AddItemToArray(pts, p);
        }
        code = store_json_print(doc);
    } else {
        int cw = cli_room(cli_term_width(), 20 + 2 + 8 + 2 + 9 + 2 + 9 + 2, 10, INT_MAX);
        printf("%-20s  %8s  %9s  %9s  %s\n", "AT", "SCORE", "ACHIEVED", "POSSIBLE", "CHANGE");
        for (size_t k = 0; k < n; k++) {
            char pct[32], ach[32], pos[32];
            store_cli_pct(&v[k].score, pct);
            posture_format_x100(v[k].score.achieved_x100, ach);
            posture_format_x100(v[k].score.possible_x100, pos);
            printf("%-20s  %8s  %9s  %9s  ", v[k].at, pct, ach, pos);
            store_cli_last(v[k].change, cw);
            fputc('\n', stdout);
        }
    }
    posture_store_mem_free(am);
    posture_store_mem_free(hm);
    store_cli_close(s, lib);
    return code;
}
