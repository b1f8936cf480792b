/* cmd_control.c - `posture control scope`: the Statement of Applicability. */
#include <string.h>

#include "storecli.h"

enum { O_NA = 1, O_APPLICABLE, O_JUST };

static int control_scope(int argc, char **argv, cli_global *g);

static const cli_opt opts[] = {
    {"not-applicable", 0, O_NA, 0, NULL, "the control does not apply (give the reason)", 0},
    {"applicable", 0, O_APPLICABLE, 0, NULL, "the control applies again", 0},
    {"justification", 1, O_JUST, 0, "TEXT", "why it does not apply", 0},
    {0}};

static const cli_cmd scope_cmd = {
    .name = "control scope",
    .fn = control_scope,
    .summary = "declare a control of an assessment (not) applicable",
    .args = "NAME CONTROL",
    .opts = opts,
    .synopsis = "posture control scope NAME CONTROL --not-applicable --justification TEXT\n"
                "       posture control scope NAME CONTROL --applicable",
    .text =
        "Declare a control of a stored assessment not applicable (a Statement-of-Applicability\n"
        "exclusion, with the reason) or applicable again. A not-applicable control is out of\n"
        "scope, and so is every action that no applicable control references.\n",
};

const cli_group cli_group_control = {"control", "declare a control (not) applicable", NULL,
                                     (const cli_cmd *const[]){&scope_cmd, NULL}};

static int control_scope(int argc, char **argv, cli_global *g)
{
    const char *pos[2] = {0}, *val, *just = NULL;
    int npos = 0, i = 1, r, na = 0, ap = 0;
    while ((r = cli_parse(argc, argv, &i, &scope_cmd, &val)) != -1) {
        switch (r) {
        case -2: return EXIT_USAGE;
        case 'h': return cli_help_cmd(&scope_cmd);
        case 0:
            if (npos == 2)
                return cli_bad_usage(&scope_cmd, "control scope: unexpected argument '%s'",
                                     argv[i]);
            pos[npos++] = argv[i++];
            break;
        case O_NA: na = 1; break;
        case O_APPLICABLE: ap = 1; break;
        case O_JUST: just = val; break;
        }
    }
    if (npos < 2)
        return cli_bad_usage(&scope_cmd, "control scope: missing %s",
                               npos ? "the CONTROL" : "the assessment NAME");
    if (na == ap)
        return cli_bad_usage(&scope_cmd, "control scope: give --not-applicable or --applicable");
    if (na && (!just || !*just))
        return cli_bad_usage(&scope_cmd, "control scope: --not-applicable needs --justification "
                                      "TEXT");
    if (ap && just)
        return cli_bad_usage(&scope_cmd, "control scope: --justification goes with "
                                      "--not-applicable");
    posture_store *s;
    posture_library *lib;
    int code = store_cli_open(g, 0, &s, &lib);
    if (code)
        return code;
    posture_diags *d = NULL;
    posture_store_mem *m = NULL;
    const posture_store_outcome *o = NULL;
    if (posture_diags_new(&d) != 0 ||
        posture_store_control_scope(s, pos[0], pos[1], ap, just, d, &m, &o) != 0) {
        code = store_cli_fail_diags(s, d);
    } else {
        char label[512];
        snprintf(label, sizeof label, "control %s in \"%s\"", pos[1], pos[0]);
        store_cli_outcome(label, o);
    }
    posture_store_mem_free(m);
    posture_diags_free(d);
    store_cli_close(s, lib);
    return code;
}
