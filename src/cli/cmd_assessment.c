/* cmd_assessment.c - `posture assessment create|list|show|set|upgrade|delete`. */
#include <stdlib.h>
#include <limits.h>
#include <string.h>

#include "storecli.h"

enum { O_TEMPLATE = 1, O_GROUP, O_ORG, O_SCOPE, O_PROFILE, O_JSON, O_TO, O_DRY, O_YES };

static int do_create(int argc, char **argv, cli_global *g);
static int do_list(int argc, char **argv, cli_global *g);
static int do_show(int argc, char **argv, cli_global *g);
static int do_set(int argc, char **argv, cli_global *g);
static int do_upgrade(int argc, char **argv, cli_global *g);
static int do_delete(int argc, char **argv, cli_global *g);

#define GROUP_OPT                                                                             \
    {"group", 1, O_GROUP, 0, "G",                                                             \
     "answers of documentation and operational actions are shared\nwithin a group (default "  \
     "\"default\"); technical ones by all", 0}
#define PROFILE_OPT                                                                           \
    {"profile", 1, O_PROFILE, 0, "P",                                                         \
     "compliance-manager (default), self-attested, or a profile file", CLI_FILE}

static const cli_opt create_opts[] = {
    {"template", 1, O_TEMPLATE, 0, "T", "template file, id or id@version", CLI_REQUIRED | CLI_FILE},
    GROUP_OPT,
    {"organization", 1, O_ORG, 0, "O", "the organization assessed", 0},
    {"scope", 1, O_SCOPE, 0, "S", "the scope of the assessment", 0},
    PROFILE_OPT,
    {0}};

static const cli_cmd create_cmd = {
    .name = "assessment create",
    .fn = do_create,
    .summary = "a new assessment from a template",
    .args = "NAME",
    .opts = create_opts,
    .text = "Create an assessment from a template (file, id or id@version); it starts with the\n"
            "answers the store already shares with it. The store: --db FILE, else $POSTURE_DB,\n"
            "else ./posture.db.\n",
};

static const cli_opt list_opts[] = {
    {"group", 1, O_GROUP, 0, "G", "only the assessments of group G", 0},
    {"json", 0, O_JSON, 0, NULL, "posture-assessments/1", 0},
    {0}};

static const cli_cmd list_cmd = {
    .name = "assessment list",
    .fn = do_list,
    .summary = "every assessment with its current score",
    .opts = list_opts,
};

static const cli_opt show_opts[] = {{"json", 0, O_JSON, 0, NULL, "posture-assessment/1", 0}, {0}};

static const cli_cmd show_cmd = {
    .name = "assessment show",
    .fn = do_show,
    .summary = "one assessment: score, answers, shares, not-applicable controls, evidence",
    .args = "NAME",
    .opts = show_opts,
    .text = "One assessment: its score, every action's answer, the other assessments an answer\n"
            "is shared with, not-applicable controls, evidence.\n",
};

static const cli_opt set_opts[] = {
    GROUP_OPT,
    {"organization", 1, O_ORG, 0, "O", "the organization assessed (\"\" clears it)", 0},
    {"scope", 1, O_SCOPE, 0, "S", "the scope of the assessment (\"\" clears it)", 0},
    PROFILE_OPT,
    {0}};

static const cli_cmd set_cmd = {
    .name = "assessment set",
    .fn = do_set,
    .summary = "change group, organization, scope or profile",
    .args = "NAME",
    .opts = set_opts,
};

static const cli_opt upgrade_opts[] = {
    {"to", 1, O_TO, 0, "VERSION", "the template version (default: the highest in the search path)",
     0},
    {"dry-run", 0, O_DRY, 0, NULL, "show what would change, change nothing", 0},
    {0}};

static const cli_cmd upgrade_cmd = {
    .name = "assessment upgrade",
    .fn = do_upgrade,
    .summary = "move to a newer template version",
    .args = "NAME",
    .opts = upgrade_opts,
    .text = "Move an assessment to a newer version of its template: lists the actions added and\n"
            "removed and the score before and after; answers are carried over.\n",
};

static const cli_opt delete_opts[] = {
    {"yes", 0, O_YES, 0, NULL, "really delete", CLI_REQUIRED}, {0}};

static const cli_cmd delete_cmd = {
    .name = "assessment delete",
    .fn = do_delete,
    .summary = "remove an assessment with its history",
    .args = "NAME",
    .opts = delete_opts,
    .text = "Remove an assessment with its history (answers and the log stay). Without --yes,\n"
            "nothing is deleted.\n",
};

const cli_group cli_group_assessment = {
    "assessment", "create, list, show, set, upgrade and delete assessments",
    "Assessments in the store (--db FILE, else $POSTURE_DB, else ./posture.db).\n",
    (const cli_cmd *const[]){&create_cmd, &list_cmd, &show_cmd, &set_cmd, &upgrade_cmd,
                             &delete_cmd, NULL}};

/* Parse NAME (when `c` takes one) and the options of subcommand `c`: *name gets the one
 * positional argument, vals[id] each option's value ("" for a flag). */
static int parse(int argc, char **argv, const cli_cmd *c, const char **name, const char **vals,
                 int *code)
{
    const char *cmd = c->name;
    int need_name = c->args != NULL;
    int i = 1, r;
    const char *val;
    *name = NULL;
    while ((r = cli_parse(argc, argv, &i, c, &val)) != -1) {
        if (r == -2) {
            *code = EXIT_USAGE;
            return 1;
        }
        if (r == 'h') {
            *code = cli_help_cmd(c);
            return 1;
        }
        if (r == 0) {
            if (*name || !need_name) {
                *code = cli_bad_usage(c, "%s: unexpected argument '%s'", cmd, argv[i]);
                return 1;
            }
            *name = argv[i++];
            continue;
        }
        vals[r] = val ? val : "";
    }
    if (need_name && !*name) {
        *code = cli_bad_usage(c, "%s: missing the assessment NAME", cmd);
        return 1;
    }
    return 0;
}

static int do_create(int argc, char **argv, cli_global *g)
{
    const char *vals[O_YES + 1] = {0}, *name;
    int code;
    if (parse(argc, argv, &create_cmd, &name, vals, &code))
        return code;
    if (!*name)
        return cli_bad_usage(&create_cmd, "assessment create: the name must not be empty");
    if (!vals[O_TEMPLATE])
        return cli_bad_usage(&create_cmd, "assessment create: missing --template");
    posture_store *s;
    posture_library *lib;
    if ((code = store_cli_open(g, 0, &s, &lib)) != 0)
        return code;
    posture_diags *d = NULL;
    posture_store_mem *m = NULL;
    const posture_store_outcome *o = NULL;
    posture_store_assessment_spec spec = {name,         vals[O_TEMPLATE], vals[O_GROUP],
                                          vals[O_ORG],  vals[O_SCOPE],    vals[O_PROFILE]};
    if (posture_diags_new(&d) != 0 ||
        posture_store_assessment_create(s, &spec, d, &m, &o) != 0) {
        code = store_cli_fail_diags(s, d);
    } else {
        cli_print_diags(d);
        posture_store_mem *am = NULL;
        const posture_stored_assessment *a = NULL;
        if (posture_store_assessment_get(s, name, &am, &a) != 0) {
            code = store_cli_fail(s);
        } else {
            char sc[128];
            store_cli_score(&o->touched[0].after, sc);
            printf("created assessment \"%s\" from %s %s (group %s, profile %s): %s\n", a->name,
                   a->template_id, a->template_version, a->group, a->profile, sc);
        }
        posture_store_mem_free(am);
    }
    posture_store_mem_free(m);
    posture_diags_free(d);
    store_cli_close(s, lib);
    return code;
}

static cJSON *template_obj(const char *id, const char *version)
{
    cJSON *t = cJSON_CreateObject();
    cJSON_AddStringToObject(t, "id", id);
    cJSON_AddStringToObject(t, "version", version);
    return t;
}

static void add_meta(cJSON *o, const posture_stored_assessment *a)
{
    cJSON_AddStringToObject(o, "name", a->name);
    cJSON_AddItemToObject(o, "template", template_obj(a->template_id, a->template_version));
    cJSON_AddStringToObject(o, "group", a->group);
    cJSON_AddItemToObject(o, "organization", store_json_str(a->organization));
    cJSON_AddItemToObject(o, "scope", store_json_str(a->scope));
    cJSON_AddStringToObject(o, "profile", a->profile);
    cJSON_AddStringToObject(o, "created_at", a->created_at);
    cJSON_AddStringToObject(o, "updated_at", a->updated_at);
}

static int do_list(int argc, char **argv, cli_global *g)
{
    const char *vals[O_YES + 1] = {0}, *name;
    int code;
    if (parse(argc, argv, &list_cmd, &name, vals, &code))
        return code;
    posture_store *s;
    posture_library *lib;
    if ((code = store_cli_open(g, 0, &s, &lib)) != 0)
        return code;
    posture_store_mem *m = NULL;
    const posture_stored_assessment *v = NULL;
    size_t n = 0;
    if (posture_store_assessments(s, vals[O_GROUP], &m, &v, &n) != 0) {
        code = store_cli_fail(s);
    } else if (vals[O_JSON]) {
        cJSON *doc = store_json_doc("posture-assessments/1");
        cJSON *arr = cJSON_AddArrayToObject(doc, "assessments");
        for (size_t i = 0; i < n; i++) {
            cJSON *o = cJSON_CreateObject();
            add_meta(o, &v[i]);
            cJSON_AddItemToObject(o, "score", store_json_points(&v[i].latest.score));
            cJSON_AddItemToObject(o, "counts", store_json_counts(&v[i].latest));
            cJSON_AddItemToArray(arr, o);
        }
        code = store_json_print(doc);
    } else if (n == 0) {
        printf("no assessments%s%s\n", vals[O_GROUP] ? " in group " : "",
               vals[O_GROUP] ? vals[O_GROUP] : "");
    } else {
        int nw = 4, tw = 8, gw = 5;
        for (size_t i = 0; i < n; i++) {
            int l = (int)strlen(v[i].name);
            nw = l > nw ? l : nw;
            l = (int)(strlen(v[i].template_id) + strlen(v[i].template_version) + 1);
            tw = l > tw ? l : tw;
            l = (int)strlen(v[i].group);
            gw = l > gw ? l : gw;
        }
        int width = cli_term_width();
        int fixed = 2 + 2 + 2 + 8 + 2 + 20;
        nw = cli_cap(width, nw, 40);
        gw = cli_cap(width, gw, 20);
        tw = cli_cap(width, tw, cli_room(width, fixed + nw + gw, 8, tw));
        cli_cell(stdout, "NAME", nw, 0);
        fputs("  ", stdout);
        cli_cell(stdout, "TEMPLATE", tw, 0);
        fputs("  ", stdout);
        cli_cell(stdout, "GROUP", gw, 0);
        printf("  %8s  %s\n", "SCORE", "UPDATED");
        for (size_t i = 0; i < n; i++) {
            char tpl[512], pct[32];
            snprintf(tpl, sizeof tpl, "%s@%s", v[i].template_id, v[i].template_version);
            store_cli_pct(&v[i].latest.score, pct);
            cli_cell(stdout, v[i].name, nw, 0);
            fputs("  ", stdout);
            cli_cell(stdout, tpl, tw, 0);
            fputs("  ", stdout);
            cli_cell(stdout, v[i].group, gw, 0);
            printf("  %8s  %s\n", pct, v[i].updated_at);
        }
    }
    posture_store_mem_free(m);
    store_cli_close(s, lib);
    return code;
}

/* Other assessments sharing the answer of `action` as "A, B" (NULL when none). */
static char *shared_with(const posture_store_share *sh, size_t nsh, size_t *k, const char *action)
{
    size_t len = 0, first = *k;
    while (*k < nsh && strcmp(sh[*k].action, action) == 0)
        len += strlen(sh[(*k)++].assessment) + 2;
    if (*k == first)
        return NULL;
    char *out = malloc(len + 1);
    if (!out)
        return NULL;
    out[0] = '\0';
    for (size_t i = first; i < *k; i++) {
        if (i > first)
            strcat(out, ", ");
        strcat(out, sh[i].assessment);
    }
    return out;
}

static void snapshot_of(const posture_result *r, posture_store_snapshot *sn)
{
    memset(sn, 0, sizeof *sn);
    sn->score = *posture_result_total(r);
    const size_t *cc = posture_result_control_counts(r, &sn->controls_total);
    for (int k = 0; k < POSTURE_CSTATUS__COUNT; k++)
        sn->controls[k] = cc[k];
    const size_t *ac = posture_result_action_counts(r, &sn->actions_total);
    for (int k = 0; k < POSTURE_ASTATUS__COUNT; k++)
        sn->actions[k] = ac[k];
}

static int do_show(int argc, char **argv, cli_global *g)
{
    const char *vals[O_YES + 1] = {0}, *name;
    int code;
    if (parse(argc, argv, &show_cmd, &name, vals, &code))
        return code;
    posture_store *s;
    posture_library *lib;
    if ((code = store_cli_open(g, 0, &s, &lib)) != 0)
        return code;
    posture_diags *d = NULL;
    posture_store_mem *am = NULL, *shm = NULL, *evm = NULL;
    const posture_stored_assessment *a = NULL;
    const posture_store_share *sh = NULL;
    const posture_store_evidence *ev = NULL;
    size_t nsh = 0, nev = 0;
    posture_store_scored *sc = NULL;
    if (posture_diags_new(&d) != 0 || posture_store_assessment_get(s, name, &am, &a) != 0 ||
        posture_store_score(s, name, NULL, d, &sc) != 0 ||
        posture_store_shares(s, name, &shm, &sh, &nsh) != 0 ||
        posture_store_evidence_list(s, name, &evm, &ev, &nev) != 0) {
        code = store_cli_fail_diags(s, d);
        goto done;
    }
    const posture_result *r = posture_store_scored_result(sc);
    const posture_template *t = posture_result_template(r);
    posture_store_snapshot now;
    snapshot_of(r, &now);
    size_t k = 0, e = 0;
    if (vals[O_JSON]) {
        cJSON *doc = store_json_doc("posture-assessment/1");
        cJSON *ao = cJSON_AddObjectToObject(doc, "assessment");
        add_meta(ao, a);
        cJSON_AddItemToObject(doc, "score", store_json_points(&now.score));
        cJSON_AddItemToObject(doc, "counts", store_json_counts(&now));
        cJSON *arr = cJSON_AddArrayToObject(doc, "actions");
        for (size_t i = 0; i < posture_result_action_count(r); i++) {
            const posture_action_result *x = posture_result_action(r, i);
            const posture_answer *an = x->answer;
            cJSON *o = cJSON_CreateObject();
            cJSON_AddStringToObject(o, "id", x->action->id);
            cJSON_AddStringToObject(o, "title", x->action->title);
            cJSON_AddStringToObject(o, "implementation_type",
                                    posture_impl_type_token(x->action->impl_type));
            cJSON_AddNumberToObject(o, "points", x->points);
            cJSON_AddStringToObject(o, "implementation",
                                    posture_implementation_token(x->implementation));
            cJSON_AddStringToObject(o, "test", posture_test_token(x->test));
            cJSON_AddStringToObject(o, "status", posture_action_status_token(x->status));
            cJSON_AddItemToObject(o, "tested_at", store_json_str(an ? an->tested_at : NULL));
            cJSON_AddItemToObject(o, "assigned_to", store_json_str(an ? an->assigned_to : NULL));
            cJSON_AddItemToObject(o, "notes", store_json_str(an ? an->notes : NULL));
            cJSON *evs = cJSON_AddArrayToObject(o, "evidence");
            while (e < nev && strcmp(ev[e].action, x->action->id) == 0) {
                cJSON *eo = cJSON_CreateObject();
                cJSON_AddStringToObject(eo, "uri", ev[e].uri);
                cJSON_AddItemToObject(eo, "note", store_json_str(ev[e].note));
                cJSON_AddStringToObject(eo, "added_by", ev[e].added_by);
                cJSON_AddStringToObject(eo, "added_at", ev[e].added_at);
                cJSON_AddItemToArray(evs, eo);
                e++;
            }
            cJSON *shw = cJSON_AddArrayToObject(o, "shared_with");
            while (k < nsh && strcmp(sh[k].action, x->action->id) == 0)
                cJSON_AddItemToArray(shw, cJSON_CreateString(sh[k++].assessment));
            cJSON_AddItemToArray(arr, o);
        }
        cJSON *na = cJSON_AddArrayToObject(doc, "not_applicable");
        for (size_t i = 0; i < posture_result_control_count(r); i++) {
            const posture_control_result *c = posture_result_control(r, i);
            if (c->applicable)
                continue;
            cJSON *o = cJSON_CreateObject();
            cJSON_AddStringToObject(o, "control", c->control->id);
            cJSON_AddItemToObject(o, "justification", store_json_str(c->justification));
            cJSON_AddItemToArray(na, o);
        }
        code = store_json_print(doc);
        goto done;
    }
    const posture_template_info *ti = posture_template_info_get(t);
    char scb[128];
    store_cli_score(&now.score, scb);
    printf("Assessment:   %s\n", a->name);
    printf("Template:     %s (%s %s)\n", ti->title, a->template_id, a->template_version);
    printf("Group:        %s\n", a->group);
    printf("Organization: %s\n", a->organization ? a->organization : "-");
    printf("Scope:        %s\n", a->scope ? a->scope : "-");
    printf("Profile:      %s\n", a->profile);
    printf("Created:      %s\n", a->created_at);
    printf("Updated:      %s\n", a->updated_at);
    printf("Score:        %s\n", scb);
    printf("Controls: %zu total, %zu passed, %zu failed, %zu in progress, %zu not assessed, "
           "%zu out of scope\n",
           now.controls_total, now.controls[POSTURE_CSTATUS_PASSED],
           now.controls[POSTURE_CSTATUS_FAILED], now.controls[POSTURE_CSTATUS_IN_PROGRESS],
           now.controls[POSTURE_CSTATUS_NOT_ASSESSED], now.controls[POSTURE_CSTATUS_OUT_OF_SCOPE]);
    printf("Actions:  %zu total, %zu passed, %zu failed, %zu partial, %zu in progress, "
           "%zu not assessed, %zu out of scope\n\n",
           now.actions_total, now.actions[POSTURE_ASTATUS_PASSED],
           now.actions[POSTURE_ASTATUS_FAILED], now.actions[POSTURE_ASTATUS_PARTIAL],
           now.actions[POSTURE_ASTATUS_IN_PROGRESS], now.actions[POSTURE_ASTATUS_NOT_ASSESSED],
           now.actions[POSTURE_ASTATUS_OUT_OF_SCOPE]);
    int idw = 6;
    for (size_t i = 0; i < posture_result_action_count(r); i++) {
        int l = (int)strlen(posture_result_action(r, i)->action->id);
        idw = l > idw ? l : idw;
    }
    int width = cli_term_width();
    idw = cli_cap(width, idw, 40);
    int shw = cli_room(width, idw + 2 + 12 + 2 + 21 + 2 + 13 + 2, 10, INT_MAX);
    cli_cell(stdout, "ACTION", idw, 0);
    printf("  %-12s  %-21s  %-13s  %s\n", "STATUS", "IMPLEMENTATION", "TEST", "SHARED WITH");
    for (size_t i = 0; i < posture_result_action_count(r); i++) {
        const posture_action_result *x = posture_result_action(r, i);
        cli_cell(stdout, x->action->id, idw, 0);
        printf("  %-12s  %-21s  %-13s  ", posture_action_status_token(x->status),
               posture_implementation_token(x->implementation), posture_test_token(x->test));
        char *with = shared_with(sh, nsh, &k, x->action->id);
        if (with)
            store_cli_last(with, shw);
        else
            fputs("-", stdout);
        free(with);
        fputc('\n', stdout);
    }
    int header = 0;
    for (size_t i = 0; i < posture_result_control_count(r); i++) {
        const posture_control_result *c = posture_result_control(r, i);
        if (c->applicable)
            continue;
        if (!header++)
            printf("\nNot applicable:\n");
        printf("  %s: %s\n", c->control->id, c->justification ? c->justification : "");
    }
    if (nev)
        printf("\nEvidence:\n");
    for (size_t i = 0; i < nev; i++)
        printf("  %s: %s (%s, %s)\n", ev[i].action, ev[i].uri, ev[i].added_by, ev[i].added_at);
done:
    posture_store_scored_free(sc);
    posture_store_mem_free(am);
    posture_store_mem_free(shm);
    posture_store_mem_free(evm);
    posture_diags_free(d);
    store_cli_close(s, lib);
    return code;
}

static int do_set(int argc, char **argv, cli_global *g)
{
    const char *vals[O_YES + 1] = {0}, *name;
    int code;
    if (parse(argc, argv, &set_cmd, &name, vals, &code))
        return code;
    if (!vals[O_GROUP] && !vals[O_ORG] && !vals[O_SCOPE] && !vals[O_PROFILE])
        return cli_bad_usage(&set_cmd, "assessment set: nothing to set");
    if (vals[O_PROFILE] && !*vals[O_PROFILE])
        return cli_bad_usage(&set_cmd, "assessment set: --profile must not be empty");
    posture_store *s;
    posture_library *lib;
    if ((code = store_cli_open(g, 0, &s, &lib)) != 0)
        return code;
    posture_diags *d = NULL;
    posture_store_mem *m = NULL;
    const posture_store_outcome *o = NULL;
    posture_store_assessment_spec spec = {name,        NULL,          vals[O_GROUP],
                                          vals[O_ORG], vals[O_SCOPE], vals[O_PROFILE]};
    if (posture_diags_new(&d) != 0 || posture_store_assessment_set(s, &spec, d, &m, &o) != 0) {
        code = store_cli_fail_diags(s, d);
    } else {
        char label[512];
        snprintf(label, sizeof label, "assessment \"%s\"", name);
        store_cli_outcome(label, o);
    }
    posture_store_mem_free(m);
    posture_diags_free(d);
    store_cli_close(s, lib);
    return code;
}

static void print_list(const char *label, const char *const *v, size_t n)
{
    printf("%s (%zu):", label, n);
    if (!n)
        fputs(" none", stdout);
    for (size_t i = 0; i < n; i++)
        printf("%s %s", i ? "," : "", v[i]);
    fputc('\n', stdout);
}

static int do_upgrade(int argc, char **argv, cli_global *g)
{
    const char *vals[O_YES + 1] = {0}, *name;
    int code;
    if (parse(argc, argv, &upgrade_cmd, &name, vals, &code))
        return code;
    if (vals[O_TO] && !*vals[O_TO])
        return cli_bad_usage(&upgrade_cmd, "assessment upgrade: --to needs a version");
    posture_store *s;
    posture_library *lib;
    if ((code = store_cli_open(g, 0, &s, &lib)) != 0)
        return code;
    posture_diags *d = NULL;
    posture_store_mem *m = NULL, *am = NULL;
    const posture_store_outcome *o = NULL;
    const posture_stored_assessment *a = NULL;
    if (posture_diags_new(&d) != 0 ||
        posture_store_assessment_upgrade(s, name, vals[O_TO], vals[O_DRY] != NULL, d, &m, &o) !=
            0 ||
        posture_store_assessment_get(s, name, &am, &a) != 0) {
        code = store_cli_fail_diags(s, d);
        goto done;
    }
    cli_print_diags(d);
    if (!o->ntouched) {
        printf("assessment \"%s\": %s is at %s already; nothing to do\n", name, a->template_id,
               o->to_version);
        goto done;
    }
    printf("assessment \"%s\": %s %s -> %s%s\n", name, a->template_id, o->from_version,
           o->to_version, vals[O_DRY] ? " (dry run)" : "");
    print_list("actions added", o->added, o->nadded);
    print_list("actions removed", o->removed, o->nremoved);
    if (o->nrenamed_controls)
        print_list("not-applicable controls renamed", o->renamed_controls, o->nrenamed_controls);
    print_list("not-applicable controls dropped", o->dropped_controls, o->ndropped_controls);
    char before[128] = "none", after[128];
    if (o->touched[0].had_before)
        store_cli_score(&o->touched[0].before, before);
    store_cli_score(&o->touched[0].after, after);
    printf("score before: %s\n", before);
    printf("score after:  %s\n", after);
    if (vals[O_DRY])
        printf("dry run: nothing changed\n");
done:
    posture_store_mem_free(m);
    posture_store_mem_free(am);
    posture_diags_free(d);
    store_cli_close(s, lib);
    return code;
}

static int do_delete(int argc, char **argv, cli_global *g)
{
    const char *vals[O_YES + 1] = {0}, *name;
    int code;
    if (parse(argc, argv, &delete_cmd, &name, vals, &code))
        return code;
    if (!vals[O_YES])
        return cli_bad_usage(
            &delete_cmd, "assessment delete: deleting \"%s\" and its history needs --yes", name);
    posture_store *s;
    posture_library *lib;
    if ((code = store_cli_open(g, 0, &s, &lib)) != 0)
        return code;
    if (posture_store_assessment_delete(s, name) != 0)
        code = store_cli_fail(s);
    else
        printf("deleted assessment \"%s\"\n", name);
    store_cli_close(s, lib);
    return code;
}
