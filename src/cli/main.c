/* main.c - `posture [global options] <command> [options]`: the command table. */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const struct command {
    const char *name;
    cli_fn fn;
    const char *summary;
} commands[] = {
    {"template", cmd_template, "list, show, validate and import templates"},
    {"answers", cmd_answers, "blank answer sheets; validate and convert answers files"},
    {"score", cmd_score, "score answers against a template"},
    {"report", cmd_report, "write the Excel workbook and JSON summary"},
    {"init", cmd_init, "create the assessment store"},
    {"assessment", cmd_assessment, "create, list, show, set, upgrade and delete assessments"},
    {"answer", cmd_answer, "set or import answers of a stored assessment"},
    {"control", cmd_control, "declare a control (not) applicable"},
    {"history", cmd_history, "an assessment's score after each change"},
    {"log", cmd_log, "an assessment's audit trail"},
    {"overall", cmd_overall, "the overall score across assessments"},
    {"store", cmd_store, "copy a whole store between backends"},
};

static const char usage[] = "posture [--db FILE] [--templates DIR]... <command> [options]";

static int help(void)
{
    printf("usage: %s\n\nScore compliance posture from open templates.\n\ncommands:\n", usage);
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
        printf("  %-12s %s\n", commands[i].name, commands[i].summary);
    printf("\nglobal options:\n"
           "  --db STORE       the store: an SQLite file or a postgresql:// URI\n"
           "                   (default $POSTURE_DB, else ./posture.db)\n"
           "  --templates DIR  search DIR for templates first (repeatable)\n"
           "  --version        print the version\n"
           "  --help           this text\n"
           "\nRun 'posture <command> --help' for a command's options.\n"
           "Exit codes: 0 ok, 1 failure, 2 usage error, 3 score below --fail-under.\n");
    return EXIT_OK;
}

static int finish(int code)
{
    if (fflush(stdout) != 0 || ferror(stdout)) {
        if (errno == EPIPE)
            return code; /* the reader went away (| head): not an error of ours */
        cli_error("cannot write to standard output: %s", strerror(errno));
        return code ? code : EXIT_FAIL;
    }
    return code;
}

int main(int argc, char **argv)
{
    signal(SIGPIPE, SIG_IGN);
    cli_global g = {0};
    const char **dirs = calloc((size_t)argc + 1, sizeof *dirs);
    if (!dirs) {
        cli_error("out of memory");
        return EXIT_FAIL;
    }
    g.template_dirs = dirs;
    int code = EXIT_OK;
    int i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--version") == 0) {
            printf("posture %s\n", POSTURE_VERSION);
            goto done;
        } else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            code = help();
            goto done;
        } else if (strcmp(a, "--db") == 0 || strcmp(a, "--templates") == 0) {
            if (i + 1 >= argc) {
                code = cli_usage_error(usage, "option '%s' needs a value", a);
                goto done;
            }
            if (a[2] == 'd')
                g.db = argv[++i];
            else
                dirs[g.ntemplate_dirs++] = argv[++i];
        } else if (strncmp(a, "--db=", 5) == 0) {
            g.db = a + 5;
        } else if (strncmp(a, "--templates=", 12) == 0) {
            dirs[g.ntemplate_dirs++] = a + 12;
        } else {
            code = cli_usage_error(usage, "unknown option '%s'", a);
            goto done;
        }
    }
    if (i >= argc) {
        code = cli_usage_error(usage, "no command given");
        cli_hint("run 'posture --help' for the list of commands");
        goto done;
    }
    if (!g.db)
        g.db = getenv("POSTURE_DB");
    if (!g.db || !*g.db)
        g.db = "posture.db";
    for (size_t k = 0; k < sizeof commands / sizeof *commands; k++) {
        if (strcmp(commands[k].name, argv[i]) == 0) {
            code = commands[k].fn(argc - i, argv + i, &g);
            goto done;
        }
    }
    code = cli_usage_error(usage, "unknown command '%s'", argv[i]);
    cli_hint("run 'posture --help' for the list of commands");
done:
    free(dirs);
    return finish(code);
}
