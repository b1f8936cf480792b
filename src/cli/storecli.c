/* storecli.c - pieces shared by the store commands (storecli.h). */
#include "storecli.h"

#include <stdlib.h>
#include <string.h>

int store_cli_open(const cli_global *g, unsigned flags, posture_store **s, posture_library **lib)
{
    *s = NULL;
    *lib = NULL;
    if (cli_library(g, lib) != 0)
        return cli_fail_last();
    int rc = posture_store_open(g->db, flags, s, NULL);
    if (rc == 0) {
        posture_store_set_library(*s, *lib);
        return EXIT_OK;
    }
    cli_error("%s", posture_error_last());
    if (rc == POSTURE_ENOTFOUND)
        cli_hint("create it with 'posture init', or name another store with --db FILE");
    else if (rc == POSTURE_ESTORE && strstr(posture_error_last(), "not a posture store"))
        cli_hint("--db FILE (or $POSTURE_DB) names the store; 'posture init' creates one");
    else if (rc == POSTURE_EVERSION)
        cli_hint("use a newer posture for this store");
    else if (rc == POSTURE_EBUSY)
        cli_hint("another posture is writing; try again, or wait longer with "
                 "POSTURE_BUSY_TIMEOUT=MILLISECONDS");
    posture_library_free(*lib);
    *lib = NULL;
    return EXIT_FAIL;
}

void store_cli_last(const char *s, int width)
{
    if ((int)strlen(s) > width)
        cli_cell(stdout, s, width, 0);
    else
        fputs(s, stdout);
}

void store_cli_close(posture_store *s, posture_library *lib)
{
    posture_store_free(s);
    posture_library_free(lib);
}

int store_cli_fail(const posture_store *s)
{
    (void)s;
    const char *m = posture_error_last();
    cli_error("%s", *m ? m : "unknown error");
    if (strstr(m, "store is busy"))
        cli_hint("another posture is writing; try again, or wait longer with "
                 "POSTURE_BUSY_TIMEOUT=MILLISECONDS");
    else if (strstr(m, "the store is read-only"))
        cli_hint("the store can be read but not changed; check the file's permissions");
    else if (strstr(m, "\" of assessment \"") && strstr(m, "is not in the template search path"))
        cli_hint("add the template's directory with --templates DIR or $POSTURE_TEMPLATES, or "
                 "move the assessment to a version you have with 'posture assessment upgrade'");
    else if (strstr(m, "is not in the template search path"))
        cli_hint("add the template's directory with --templates DIR or $POSTURE_TEMPLATES");
    return EXIT_FAIL;
}

int store_cli_fail_diags(const posture_store *s, const posture_diags *d)
{
    if (posture_diags_errors(d) > 0) {
        cli_print_diags(d);
        return EXIT_FAIL;
    }
    cli_print_diags(d);
    return store_cli_fail(s);
}

void store_cli_pct(const posture_points *p, char buf[32])
{
    if (!p->has_percent)
        snprintf(buf, 32, "n/a");
    else
        snprintf(buf, 32, "%lld.%02lld%%", (long long)(p->percent_x100 / 100),
                 (long long)(p->percent_x100 % 100));
}

void store_cli_score(const posture_points *p, char buf[128])
{
    char pct[32], a[32], b[32];
    if (!p->has_percent) {
        snprintf(buf, 128, "n/a (nothing in scope)");
        return;
    }
    store_cli_pct(p, pct);
    posture_format_x100(p->achieved_x100, a);
    posture_format_x100(p->possible_x100, b);
    snprintf(buf, 128, "%s (%s of %s points)", pct, a, b);
}

void store_cli_outcome(const char *label, const posture_store_outcome *o)
{
    if (!o->changes) {
        printf("%s: nothing changed\n", label);
        return;
    }
    printf("%s: %zu change%s\n", label, o->changes, o->changes == 1 ? "" : "s");
    for (size_t i = 0; i < o->ntouched; i++) {
        const posture_store_touched *t = &o->touched[i];
        char before[32] = "none", after[128];
        if (t->had_before)
            store_cli_pct(&t->before, before);
        store_cli_score(&t->after, after);
        printf("  %s: %s -> %s%s\n", t->name, before, after, i ? "  (shared answer)" : "");
    }
}

cJSON *store_json_str(const char *s) { return s ? cJSON_CreateString(s) : cJSON_CreateNull(); }

static cJSON *num_x100(int64_t v) { return cJSON_CreateNumber((double)v / 100.0); }

cJSON *store_json_points(const posture_points *p)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddItemToObject(o, "achieved", num_x100(p->achieved_x100));
    cJSON_AddItemToObject(o, "possible", num_x100(p->possible_x100));
    cJSON_AddItemToObject(o, "percent",
                          p->has_percent ? num_x100(p->percent_x100) : cJSON_CreateNull());
    return o;
}

cJSON *store_json_counts(const posture_store_snapshot *sn)
{
    cJSON *o = cJSON_CreateObject();
    cJSON *c = cJSON_AddObjectToObject(o, "controls");
    cJSON_AddNumberToObject(c, "total", (double)sn->controls_total);
    for (int k = 0; k < POSTURE_CSTATUS__COUNT; k++)
        cJSON_AddNumberToObject(c, posture_control_status_token((posture_control_status)k),
                                (double)sn->controls[k]);
    cJSON *a = cJSON_AddObjectToObject(o, "actions");
    cJSON_AddNumberToObject(a, "total", (double)sn->actions_total);
    for (int k = 0; k < POSTURE_ASTATUS__COUNT; k++)
        cJSON_AddNumberToObject(a, posture_action_status_token((posture_action_status)k),
                                (double)sn->actions[k]);
    return o;
}

cJSON *store_json_doc(const char *format)
{
    cJSON *d = cJSON_CreateObject();
    cJSON_AddStringToObject(d, "format", format);
    cJSON *g = cJSON_AddObjectToObject(d, "generator");
    cJSON_AddStringToObject(g, "name", "posture");
    cJSON_AddStringToObject(g, "version", POSTURE_VERSION);
    return d;
}

int store_json_print(cJSON *doc)
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
