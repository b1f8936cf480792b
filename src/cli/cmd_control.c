/* cmd_control.c - `posture control scope`: the Statement of Applicability. */
#include <string.h>

#include "storecli.h"

#define USAGE                                                                          \
    "posture control scope NAME CONTROL --not-applicable --justification TEXT\n"       \
    "       posture control scope NAME CONTROL --applicable"

static const char help_text[] =
    "usage: " USAGE "\n\n"
    "Declare a control of a stored assessment not applicable (a Statement-of-Applicability\n"
    "exclusion, with the reason) or applicable again. A not-applicable control is out of\n"
    "scope, and so is every action that no applicable control references.\n";

enum { O_NA = 1, O_APPLICABLE, O_JUST };

int cmd_control(int argc, char **argv, cli_global *g)
{
    if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0))
        return cli_help(help_text);
    if (argc < 2 || strcmp(argv[1], "scope") != 0)
        return argc < 2 ? cli_usage_error(USAGE, "control: missing a subcommand")
                        : cli_usage_error(USAGE, "control: unknown subcommand '%s'", argv[1]);
    argc--;
    argv++;
    static const cli_opt opts[] = {{"not-applicable", 0, O_NA},
                                   {"applicable", 0, O_APPLICABLE},
                                   {"justification", 1, O_JUST},
                                   {0}};
    const char *pos[2] = {0}, *val, *just = NULL;
    int npos = 0, i = 1, r, na = 0, ap = 0;
    while ((r = cli_parse(argc, argv, &i, opts, &val, "control scope", USAGE)) != -1) {
        switch (r) {
        case -2: return EXIT_USAGE;
        case 'h': return cli_help(help_text);
        case 0:
            if (npos == 2)
                return cli_usage_error(USAGE, "control scope: unexpected argument '%s'", argv[i]);
            pos[npos++] = argv[i++];
            break;
        case O_NA: na = 1; break;
        case O_APPLICABLE: ap = 1; break;
        case O_JUST: just = val; break;
        }
    }
    if (npos < 2)
        return cli_usage_error(USAGE, "control scope: missing %s",
                               npos ? "the CONTROL" : "the assessment NAME");
    if (na == ap)
        return cli_usage_error(USAGE, "control scope: give --not-applicable or --applicable");
    if (na && (!just || !*just))
        return cli_usage_error(USAGE, "control scope: --not-applicable needs --justification "
                                      "TEXT");
    if (ap && just)
        return cli_usage_error(USAGE, "control scope: --justification goes with "
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
