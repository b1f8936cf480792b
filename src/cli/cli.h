/*
 * cli.h - shared pieces of the command line: global options, the command
 * table entry type, message printing and option parsing.
 */
#ifndef POSTURE_CLI_H
#define POSTURE_CLI_H

#include <stdio.h>
#include "posture.h"

/** Exit codes (cli.md). */
enum { EXIT_OK = 0, EXIT_FAIL = 1, EXIT_USAGE = 2, EXIT_BELOW = 3 };

/** Options given before the command. */
typedef struct cli_global {
    const char *db;               /* --db FILE, else $POSTURE_DB, else ./posture.db */
    const char **template_dirs;   /* --templates DIR... */
    size_t ntemplate_dirs;
} cli_global;

/** A command: argv[0] is the command name. Returns an exit code. */
typedef int (*cli_fn)(int argc, char **argv, cli_global *g);

/** One option of a command, for cli_parse(). */
typedef struct cli_opt {
    const char *name;      /* long name without "--" */
    int has_arg;           /* 1: takes a value */
    int id;                /* returned by cli_parse */
} cli_opt;

/**
 * Parse argv[*i..] one option at a time. Returns the option's id with
 * `*val` set (for options with a value), 0 at the first positional
 * argument (left at argv[*i] and consumed by the caller, who calls again
 * with *i advanced), -1 at the end, 'h' for --help, or -2 after printing a
 * usage error for `cmd` with `usage`.
 */
int cli_parse(int argc, char **argv, int *i, const cli_opt *opts, const char **val,
              const char *cmd, const char *usage);

/** Print "posture: message" on stderr. */
void cli_error(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;

/** Print "hint: message" on stderr. */
void cli_hint(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;

/** Print a usage error and the usage line; returns EXIT_USAGE. */
int cli_usage_error(const char *usage, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/** Print every diagnostic as "posture: FILE: PLACE: message" (+ hint). */
void cli_print_diags(const posture_diags *d);

/** Print the last error message ("posture: ..."); returns EXIT_FAIL. */
int cli_fail_last(void);

/** A template library with --templates dirs then the default dirs. */
int cli_library(const cli_global *g, posture_library **out);

/**
 * Load template `ref` (file, id or id@version) with the search path of `g`
 * (creating `*lib` when NULL). Prints every diagnostic; returns an exit code.
 */
int cli_load_template(const cli_global *g, const char *ref, posture_library **lib,
                      posture_template **out);

/** Load an answers file (format from its extension) checked against `t`; prints diagnostics. */
int cli_load_answers(const char *path, const posture_template *t, posture_answers **out);

/**
 * Write the reports of `res`: the JSON summary to `json` and the workbook
 * to `xlsx` (either may be NULL), atomically; prints errors and warnings.
 */
int cli_write_reports(const posture_result *res, const char *xlsx, const char *json, int compact);

/** Everything `score` and `report` load and compute from files. */
typedef struct cli_scored {
    posture_library *lib;
    posture_template *t;
    posture_answers *a;
    posture_profile *p;
    posture_result *res;
} cli_scored;

/**
 * Load template `tref`, answers `apath` and profile `pref` (NULL: the
 * default) and score them into `*s`; prints diagnostics. Returns an exit
 * code; free `*s` with cli_scored_free() in every case.
 */
int cli_score_files(const cli_global *g, const char *tref, const char *apath, const char *pref,
                    cli_scored *s);

/** Free what cli_score_files() loaded. */
void cli_scored_free(cli_scored *s);

/** Open profile `ref` (NULL: the default); prints diagnostics; returns an exit code. */
int cli_load_profile(const char *ref, posture_profile **out);

/**
 * Print `s` in exactly `width` terminal columns: cut (with "…") or padded
 * with spaces on the right (`right` = 0) or left (`right` = 1).
 */
void cli_cell(FILE *f, const char *s, int width, int right);

/** Terminal width for tables (COLUMNS, the tty, else 100 when not a terminal). */
int cli_term_width(void);

/** Print help text to stdout; returns EXIT_OK. */
int cli_help(const char *text);

/* Commands (src/cli/cmd_<name>.c). */
int cmd_template(int argc, char **argv, cli_global *g);
int cmd_answers(int argc, char **argv, cli_global *g);
int cmd_score(int argc, char **argv, cli_global *g);
int cmd_report(int argc, char **argv, cli_global *g);
int cmd_init(int argc, char **argv, cli_global *g);
int cmd_assessment(int argc, char **argv, cli_global *g);
int cmd_answer(int argc, char **argv, cli_global *g);
int cmd_control(int argc, char **argv, cli_global *g);
int cmd_history(int argc, char **argv, cli_global *g);
int cmd_log(int argc, char **argv, cli_global *g);
int cmd_overall(int argc, char **argv, cli_global *g);
int cmd_store(int argc, char **argv, cli_global *g);
/* `posture template import` (cmd_template_import.c), dispatched by cmd_template. */
int cmd_template_import(int argc, char **argv, cli_global *g);
/* `posture report NAME` from the store (cmd_report_store.c), dispatched by cmd_report. */
int cmd_report_store(int argc, char **argv, cli_global *g);

#endif
