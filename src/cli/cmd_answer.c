/* cmd_answer.c - `posture answer set|import`: answers of a stored assessment. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "storecli.h"

enum { O_IMPL = 1, O_TEST, O_TESTED, O_ASSIGNED, O_NOTE, O_EVIDENCE };

static int do_set(int argc, char **argv, cli_global *g);
static int do_import(int argc, char **argv, cli_global *g);

static const cli_opt set_opts[] = {
    {"implementation", 1, O_IMPL, 0, "S",
     "not_implemented, planned, partially_implemented, implemented,\nalternative, out_of_scope "
     "(or the workbook labels)",
     0},
    {"test", 1, O_TEST, 0, "S",
     "not_assessed, in_progress, passed, failed_low, failed_medium,\nfailed_high, out_of_scope "
     "(or the workbook labels)",
     0},
    {"tested-at", 1, O_TESTED, 0, "D", "date of the test, YYYY-MM-DD", 0},
    {"assigned-to", 1, O_ASSIGNED, 0, "W", "who carries the action out", 0},
    {"note", 1, O_NOTE, 0, "T", "notes (\"\" clears them, likewise --tested-at and --assigned-to)",
     0},
    {"evidence", 1, O_EVIDENCE, 0, "URI", "add an evidence item (repeatable)", CLI_REPEAT},
    {0}};

static const cli_cmd set_cmd = {
    .name = "answer set",
    .fn = do_set,
    .summary = "set one answer of a stored assessment",
    .args = "NAME ACTION",
    .opts = set_opts,
    .text = "Answer an improvement action of a stored assessment. An answer is shared as\n"
            "Compliance Manager shares it: a technical action's answer by every assessment that\n"
            "includes the action, a documentation or operational action's answer within the\n"
            "assessment's group. Every assessment a change touches gets a new score snapshot.\n",
};

static const cli_cmd import_cmd = {
    .name = "answer import",
    .fn = do_import,
    .summary = "import an answers file into a stored assessment",
    .args = "NAME FILE",
    .text = "Read answers (.json, .csv or .xlsx), all or nothing: one bad entry and nothing\n"
            "changes. Statuses are set as the file gives them, text fields when present,\n"
            "evidence is added, and its controls[] entries set the Statement of Applicability.\n",
};

const cli_group cli_group_answer = {"answer", "set or import answers of a stored assessment", NULL,
                                    (const cli_cmd *const[]){&set_cmd, &import_cmd, NULL}};

static int do_set(int argc, char **argv, cli_global *g)
{
    posture_store_answer_change chg;
    memset(&chg, 0, sizeof chg);
    const char *pos[2] = {0};
    int npos = 0, i = 1, r;
    const char *val;
    const char **ev = calloc((size_t)argc, sizeof *ev);
    if (!ev) {
        cli_error("out of memory");
        return EXIT_FAIL;
    }
    int code = EXIT_OK;
    while ((r = cli_parse(argc, argv, &i, &set_cmd, &val)) != -1) {
        switch (r) {
        case -2: code = EXIT_USAGE; goto done;
        case 'h': code = cli_help_cmd(&set_cmd); goto done;
        case 0:
            if (npos == 2) {
                code = cli_bad_usage(&set_cmd, "answer set: unexpected argument '%s'", argv[i]);
                goto done;
            }
            pos[npos++] = argv[i++];
            break;
        case O_IMPL:
            if (posture_implementation_parse(val, &chg.implementation) != 0) {
                code = cli_bad_usage(&set_cmd, "answer set: unknown implementation status \"%s\"; "
                                       "expected one of: %s",
                                       val, posture_implementation_expected());
                goto done;
            }
            chg.has_implementation = 1;
            break;
        case O_TEST:
            if (posture_test_parse(val, &chg.test) != 0) {
                code = cli_bad_usage(&set_cmd,
                                     "answer set: unknown test status \"%s\"; expected one of: "
                                     "%s",
                                     val, posture_test_expected());
                goto done;
            }
            chg.has_test = 1;
            break;
        case O_TESTED:
            if (*val && !posture_date_valid(val)) {
                code = cli_bad_usage(&set_cmd, "answer set: --tested-at \"%s\" is not a date "
                                              "(YYYY-MM-DD)", val);
                goto done;
            }
            chg.tested_at = val;
            break;
        case O_ASSIGNED: chg.assigned_to = val; break;
        case O_NOTE: chg.notes = val; break;
        case O_EVIDENCE:
            if (!*val) {
                code = cli_bad_usage(&set_cmd, "answer set: --evidence needs a URI");
                goto done;
            }
            ev[chg.nevidence++] = val;
            break;
        }
    }
    if (npos < 2) {
        code = cli_bad_usage(&set_cmd, "answer set: missing %s", npos ? "the ACTION" :
                                                                       "the assessment NAME");
        goto done;
    }
    if (!chg.has_implementation && !chg.has_test && !chg.tested_at && !chg.assigned_to &&
        !chg.notes && !chg.nevidence) {
        code = cli_bad_usage(&set_cmd, "answer set: nothing to set");
        goto done;
    }
    chg.action = pos[1];
    chg.evidence = ev;
    posture_store *s = NULL;
    posture_library *lib = NULL;
    if ((code = store_cli_open(g, 0, &s, &lib)) != 0)
        goto done;
    posture_diags *d = NULL;
    posture_store_mem *m = NULL;
    const posture_store_outcome *o = NULL;
    if (posture_diags_new(&d) != 0 || posture_store_answer_set(s, pos[0], &chg, d, &m, &o) != 0) {
        code = store_cli_fail_diags(s, d);
    } else {
        char label[512];
        snprintf(label, sizeof label, "answer %s in \"%s\"", chg.action, pos[0]);
        store_cli_outcome(label, o);
    }
    posture_store_mem_free(m);
    posture_diags_free(d);
    store_cli_close(s, lib);
done:
    free(ev);
    return code;
}

typedef struct progress {
    struct timespec start; /* at the first report */
    size_t first;
    int shown;
} progress;

/* "importing: 12000 of 100000 answers (45000/s)" on one line, rewritten in place. */
static void show_progress(void *ctx, size_t done, size_t total)
{
    progress *p = ctx;
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    if (!p->shown) {
        p->start = now;
        p->first = done;
        p->shown = 1;
        fprintf(stderr, "\rimporting: %zu of %zu answers", done, total);
        return;
    }
    double secs = (double)(now.tv_sec - p->start.tv_sec) + (now.tv_nsec - p->start.tv_nsec) / 1e9;
    fprintf(stderr, "\rimporting: %zu of %zu answers (%.0f/s)", done, total,
            secs > 0 ? (double)(done - p->first) / secs : 0.0);
}

static int do_import(int argc, char **argv, cli_global *g)
{
    const char *pos[2] = {0};
    int npos = 0, i = 1, r;
    const char *val;
    while ((r = cli_parse(argc, argv, &i, &import_cmd, &val)) != -1) {
        if (r == -2)
            return EXIT_USAGE;
        if (r == 'h')
            return cli_help_cmd(&import_cmd);
        if (npos == 2)
            return cli_bad_usage(&import_cmd, "answer import: unexpected argument '%s'", argv[i]);
        pos[npos++] = argv[i++];
    }
    if (npos < 2)
        return cli_bad_usage(&import_cmd, "answer import: missing %s",
                               npos ? "the FILE" : "the assessment NAME");
    posture_store *s;
    posture_library *lib;
    int code = store_cli_open(g, 0, &s, &lib);
    if (code)
        return code;
    progress p = {{0, 0}, 0, 0};
    if (isatty(STDERR_FILENO))
        posture_store_set_progress(s, show_progress, &p);
    posture_diags *d = NULL;
    posture_store_mem *m = NULL;
    const posture_store_outcome *o = NULL;
    int rc = posture_diags_new(&d);
    if (rc == 0)
        rc = posture_store_answer_import(s, pos[0], pos[1], d, &m, &o);
    if (p.shown)
        fputc('\n', stderr);
    if (rc != 0) {
        code = store_cli_fail_diags(s, d);
        if (posture_diags_errors(d) > 0)
            cli_hint("nothing was imported; fix the file and run the import again");
    } else {
        cli_print_diags(d);
        char label[512];
        snprintf(label, sizeof label, "import of %s into \"%s\"", pos[1], pos[0]);
        store_cli_outcome(label, o);
    }
    posture_store_mem_free(m);
    posture_diags_free(d);
    store_cli_close(s, lib);
    return code;
}
