/* cmd_store.c - `posture store copy FROM TO`: a whole store between SQLite and PostgreSQL. */
#include <stdlib.h>
#include <string.h>

#include "posture/store_admin.h"
#include "storecli.h"

static int do_copy(int argc, char **argv, cli_global *g);

static const cli_cmd copy_cmd = {
    .name = "store copy",
    .fn = do_copy,
    .summary = "copy a whole store between SQLite and PostgreSQL",
    .args = "FROM TO",
    .text = "Copy a whole store into a new or empty one, between SQLite and PostgreSQL either\n"
            "way: every assessment, answer, evidence item, not-applicable control, snapshot and\n"
            "log entry. FROM and TO are store names as --db takes them: an SQLite file, or a\n"
            "postgresql:// URI (password from ~/.pgpass or PGPASSWORD). FROM is only read. TO is\n"
            "created when it does not exist (an SQLite file, or the schema in an empty database)\n"
            "and must hold nothing. The copy is one transaction; then both stores are compared:\n"
            "the overall score, every assessment with its latest snapshot, history and log, and\n"
            "its score now where its template is in the search path (--templates DIR).\n",
};

const cli_group cli_group_store = {"store", "copy a whole store between backends", NULL,
                                   (const cli_cmd *const[]){&copy_cmd, NULL}};

static void plural(size_t n, const char *one, const char *many, const char *sep)
{
    printf("%s%zu %s", sep, n, n == 1 ? one : many);
}

static int do_copy(int argc, char **argv, cli_global *g)
{
    const char *pos[2] = {NULL, NULL}, *val;
    int i = 1, r, npos = 0;
    while ((r = cli_parse(argc, argv, &i, &copy_cmd, &val)) != -1) {
        if (r == -2)
            return EXIT_USAGE;
        if (r == 'h')
            return cli_help_cmd(&copy_cmd);
        if (npos == 2)
            return cli_bad_usage(&copy_cmd, "store copy: unexpected argument '%s'", argv[i]);
        pos[npos++] = argv[i++];
    }
    if (npos < 2)
        return cli_bad_usage(&copy_cmd, "store copy: missing the %s store", npos ? "TO" : "FROM");
    posture_library *lib = NULL;
    if (cli_library(g, &lib) != 0)
        return cli_fail_last();
    char *from = posture_store_display_name(pos[0]), *to = posture_store_display_name(pos[1]);
    int code = EXIT_OK;
    posture_store_copy_report rep;
    if (!from || !to) {
        cli_error("out of memory");
        code = EXIT_FAIL;
    } else if (posture_store_copy(pos[0], pos[1], lib, &rep) != 0) {
        const char *m = posture_error_last();
        cli_error("%s", *m ? m : "unknown error");
        if (strstr(m, "no store here"))
            cli_hint("FROM names the store to copy: an SQLite file or a postgresql:// URI");
        else if (strstr(m, "holds assessments, answers or log entries already"))
            cli_hint("name a new SQLite file, or an empty PostgreSQL database");
        else if (strstr(m, "authentication failed"))
            cli_hint("give the password in ~/.pgpass or PGPASSWORD, not in the URI");
        code = EXIT_FAIL;
    } else {
        printf("copied %s -> %s: ", from, to);
        plural(rep.assessments, "assessment", "assessments", "");
        plural(rep.answers, "answer", "answers", ", ");
        plural(rep.evidence, "evidence item", "evidence items", ", ");
        plural(rep.exclusions, "not-applicable control", "not-applicable controls", ", ");
        plural(rep.snapshots, "snapshot", "snapshots", ", ");
        plural(rep.log_entries, "log entry", "log entries", ", ");
        char score[128];
        store_cli_score(&rep.overall.score, score);
        printf("\nverified: overall %s in both; ", score);
        plural(rep.scored, "assessment scores", "assessments score", "");
        printf(" the same in both");
        if (rep.unscored)
            printf(" (%zu not scored: template not in the search path)", rep.unscored);
        printf("\n");
    }
    free(from);
    free(to);
    posture_library_free(lib);
    return code;
}
