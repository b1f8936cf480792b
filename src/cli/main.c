/* main.c - `posture [global options] <command> [options]`: the command table. */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"

/* The command table: posture --help, the dispatch, the man pages and the completion. */
static const cli_group *const groups[] = {
    &cli_group_template, &cli_group_answers,    &cli_group_score,   &cli_group_report,
    &cli_group_init,     &cli_group_assessment, &cli_group_answer,  &cli_group_control,
    &cli_group_history,  &cli_group_log,        &cli_group_overall, &cli_group_store,
    &cli_group_coverage, &cli_group_mapping,  NULL};

static const cli_opt global_opts[] = {
    {"db", 1, 'd', 0, "STORE",
     "the store: an SQLite file or a postgresql:// URI\n(default $POSTURE_DB, else ./posture.db)",
     CLI_FILE},
    {"templates", 1, 't', 0, "DIR", "search DIR for templates first (repeatable)",
     CLI_DIR | CLI_REPEAT},
    {"version", 0, 'v', 0, NULL, "print the version", 0},
    {"help", 0, 'h', 0, NULL, "this text", 0},
    {0}};

static const char usage[] = "posture [--db FILE] [--templates DIR]... <command> [options]";

static int help(void)
{
    printf("usage: %s\n\nScore compliance posture from open templates.\n\ncommands:\n", usage);
    for (size_t i = 0; groups[i]; i++)
        printf("  %-12s %s\n", groups[i]->name, groups[i]->summary);
    printf("\nglobal options:\n");
    for (const cli_opt *o = global_opts; o->name; o++) {
        char l[40];
        snprintf(l, sizeof l, "--%s%s%s", o->name, o->arg ? " " : "", o->arg ? o->arg : "");
        printf("  %-15s  ", l);
        for (const char *p = o->help; *p; p++)
            printf(*p == '\n' ? "\n                   " : "%c", *p);
        fputc('\n', stdout);
    }
    printf("\nRun 'posture <command> --help' for a command's options.\n"
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
        } else if (strcmp(a, "--man") == 0 || strcmp(a, "--completion") == 0) {
            /* hidden: the build writes the man pages and completion scripts with these */
            if (i + 1 >= argc) {
                code = cli_usage_error(usage, "option '%s' needs a value", a);
                goto done;
            }
            code = a[2] == 'm' ? cli_man(groups, global_opts, argv[i + 1])
                               : cli_completion(groups, global_opts, argv[i + 1]);
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
    for (size_t k = 0; k < g.ntemplate_dirs; k++) {
        struct stat st;
        int found = stat(dirs[k], &st) == 0;
        if (!found || !S_ISDIR(st.st_mode)) {
            cli_error("--templates %s: %s", dirs[k],
                      found ? "not a directory" : "no such directory");
            code = EXIT_FAIL;
            goto done;
        }
    }
    if (!g.db)
        g.db = getenv("POSTURE_DB");
    if (!g.db || !*g.db)
        g.db = "posture.db";
    for (size_t k = 0; groups[k]; k++) {
        if (strcmp(groups[k]->name, argv[i]) == 0) {
            code = cli_run_group(groups[k], argc - i, argv + i, &g);
            goto done;
        }
    }
    code = cli_usage_error(usage, "unknown command '%s'", argv[i]);
    cli_hint("run 'posture --help' for the list of commands");
done:
    free(dirs);
    return finish(code);
}
