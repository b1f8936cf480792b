/* cmd_log.c - `posture log NAME [--json]`: the audit trail of an assessment. */
#include <string.h>

#include "storecli.h"

static int cmd_log(int argc, char **argv, cli_global *g);

static const cli_opt opts[] = {{"json", 0, 1, 0, NULL, "posture-log/1", 0}, {0}};

static const cli_cmd log_cmd = {
    .name = "log",
    .fn = cmd_log,
    .summary = "an assessment's audit trail",
    .args = "NAME",
    .opts = opts,
    .text = "Every change to a stored assessment, oldest first: when (UTC, or $POSTURE_NOW), who\n"
            "($POSTURE_USER, else the login name), what, old -> new. A change to a shared answer\n"
            "made through another assessment says \"via\" that one. The log is append-only.\n",
};

const cli_group cli_group_log = {"log", "an assessment's audit trail", NULL,
                                (const cli_cmd *const[]){&log_cmd, NULL}};

static int cmd_log(int argc, char **argv, cli_global *g)
{
    const char *name = NULL, *val;
    int i = 1, r, json = 0;
    while ((r = cli_parse(argc, argv, &i, &log_cmd, &val)) != -1) {
        if (r == -2)
            return EXIT_USAGE;
        if (r == 'h')
            return cli_help_cmd(&log_cmd);
        if (r == 1) {
            json = 1;
            continue;
        }
        if (name)
            return cli_bad_usage(&log_cmd, "log: unexpected argument '%s'", argv[i]);
        name = argv[i++];
    }
    if (!name)
        return cli_bad_usage(&log_cmd, "log: missing the assessment NAME");
    posture_store *s;
    posture_library *lib;
    int code = store_cli_open(g, 0, &s, &lib);
    if (code)
        return code;
    posture_store_mem *m = NULL;
    const posture_store_log_entry *v = NULL;
    size_t n = 0;
    if (posture_store_log(s, name, &m, &v, &n) != 0) {
        code = store_cli_fail(s);
    } else if (json) {
        cJSON *doc = store_json_doc("posture-log/1");
        cJSON *ao = cJSON_AddObjectToObject(doc, "assessment");
        cJSON_AddStringToObject(ao, "name", name);
        cJSON *arr = cJSON_AddArrayToObject(doc, "entries");
        for (size_t k = 0; k < n; k++) {
            cJSON *e = cJSON_CreateObject();
            cJSON_AddStringToObject(e, "at", v[k].at);
            cJSON_AddStringToObject(e, "who", v[k].who);
            cJSON_AddStringToObject(e, "what", v[k].what);
            cJSON_AddItemToObject(e, "old", store_json_str(v[k].old_value));
            cJSON_AddItemToObject(e, "new", store_json_str(v[k].new_value));
            cJSON_AddItemToObject(e, "via", store_json_str(v[k].via));
            cJSON_AddItemToArray(arr, e);
        }
        code = store_json_print(doc);
    } else {
        for (size_t k = 0; k < n; k++) {
            printf("%s  %s  %s: %s -> %s", v[k].at, v[k].who, v[k].what,
                   v[k].old_value ? v[k].old_value : "(none)",
                   v[k].new_value ? v[k].new_value : "(none)");
            if (v[k].via)
                printf("  (via %s)", v[k].via);
            fputc('\n', stdout);
        }
    }
    posture_store_mem_free(m);
    store_cli_close(s, lib);
    return code;
}
