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

/*
 * Commands are declared, not described: each (sub)command has one cli_cmd
 * with its option table, and from it come the usage line of its errors, its
 * --help, its section of the man pages (`posture --man PAGE`) and the shell
 * completion (`posture --completion bash|zsh`), so the four cannot drift.
 */

/** Flags of an option. */
enum {
    CLI_REQUIRED = 1 << 0, /* in the usage line without brackets */
    CLI_REPEAT = 1 << 1,   /* may be given again: "[--evidence URI]..." */
    CLI_FILE = 1 << 2,     /* its value is a file name (completion) */
    CLI_DIR = 1 << 3,      /* its value is a directory (completion) */
};

/** One option of a command, for cli_parse(), the usage line and the help. */
typedef struct cli_opt {
    const char *name;      /* long name without "--" */
    int has_arg;           /* 1: takes a value */
    int id;                /* returned by cli_parse */
    char short_name;       /* 'o' for "-o", else 0; the usage line shows the short form */
    const char *arg;       /* the value in usage and help ("FILE"); NULL without a value */
    const char *help;      /* what it does, for --help and the man page ("\n" continues) */
    unsigned flags;        /* CLI_* */
} cli_opt;

/** A command or subcommand. */
typedef struct cli_cmd {
    const char *name;        /* the words after "posture": "answers init", "score" */
    cli_fn fn;               /* runs it: argv[0] is its last word */
    const char *summary;     /* one line, for the command lists */
    const char *args;        /* positional arguments before the options ("NAME ACTION") */
    const char *args_after;  /* positional arguments after the options ("FILE") */
    const cli_opt *opts;     /* {0}-terminated; NULL: none */
    const char *text;        /* what it does: the paragraphs of --help and the man page */
    const char *synopsis;    /* the usage when the table cannot say it (alternatives); NULL */
    const struct cli_cmd *also; /* another form of the same command, whose usage follows */
} cli_cmd;

/** A group: `posture template list|show|...`, or one command (named as the group). */
typedef struct cli_group {
    const char *name;
    const char *summary;             /* in `posture --help` */
    const char *text;                /* the group's help and man page; NULL: none */
    const cli_cmd *const *cmds;      /* NULL-terminated */
} cli_group;

/** The usage line(s) of `c`, without "usage: " (a static buffer, valid until the next call). */
const char *cli_usage(const cli_cmd *c);

/** The usage line of group `g`: "posture template list|show|validate|import [options]". */
const char *cli_group_usage(const cli_group *g);

/** Print the --help of `c` / of group `g` on stdout; return EXIT_OK. */
int cli_help_cmd(const cli_cmd *c);
int cli_help_group(const cli_group *g);

/**
 * Run group `g` with argv[0] its name: its one command, or the subcommand
 * argv[1] names (--help lists them; a missing or unknown one is a usage error).
 */
int cli_run_group(const cli_group *g, int argc, char **argv, cli_global *gl);

/**
 * Parse argv[*i..] one option at a time, with the options of `c`. Returns
 * the option's id with `*val` set (for options with a value), 0 at the
 * first positional argument (left at argv[*i] and consumed by the caller,
 * who calls again with *i advanced), -1 at the end, 'h' for --help, or -2
 * after printing a usage error with the usage of `c`.
 */
int cli_parse(int argc, char **argv, int *i, const cli_cmd *c, const char **val);

/** Print man page PAGE ("posture", "posture-template", ...) of the command table, in roff. */
int cli_man(const cli_group *const *groups, const cli_opt *global_opts, const char *page);

/** Print the completion script for `shell` (bash or zsh) of the command table. */
int cli_completion(const cli_group *const *groups, const cli_opt *global_opts,
                   const char *shell);

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

/** A usage error of command `c`: the message, then its usage lines; returns EXIT_USAGE. */
int cli_bad_usage(const cli_cmd *c, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

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
 * `cov` (a projection of `res`, or NULL) adds the workbook's Coverage sheet.
 */
int cli_write_reports(const posture_result *res, const char *xlsx, const char *json, int compact,
                      const posture_coverage *cov);

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

/**
 * The mapping library: the collections of each directory of `dirs` (--mappings), then of the
 * mappings/ folder of each directory of the template search path `lib`. Prints problems;
 * returns an exit code.
 */
int cli_mappings(posture_library *lib, const char *const *dirs, size_t ndirs,
                 posture_mapping_library **out);

/** A projection and what it borrows (cmd_coverage.c). */
typedef struct cli_cov {
    posture_template *t;
    posture_mapping_library *ml;
    posture_coverage *cov;
} cli_cov;

/**
 * Project scored `src` onto template `to` (loaded with `*lib`, created when NULL) through the
 * mapping library of `mapdirs` and the search path; prints warnings. Returns an exit code;
 * free `*out` with cli_cov_free() in every case (before `src`).
 */
int cli_project(const cli_global *g, posture_library **lib, const posture_result *src,
                const char *to, const char *const *mapdirs, size_t nmapdirs, cli_cov *out);

/** Free what cli_project() made. */
void cli_cov_free(cli_cov *c);

/** Open profile `ref` (NULL: the default); prints diagnostics; returns an exit code. */
int cli_load_profile(const char *ref, posture_profile **out);

/**
 * Print `s` in exactly `width` terminal columns: cut (with "…") or padded
 * with spaces on the right (`right` = 0) or left (`right` = 1).
 */
void cli_cell(FILE *f, const char *s, int width, int right);

/**
 * The width tables must fit: when stdout is a terminal, $COLUMNS or the
 * terminal's width (100 when neither says); 0 when it is not a terminal:
 * then nothing is cut, every table is printed in full (logs, CI, pipes).
 */
int cli_term_width(void);

/** The columns `s` takes: its code points (NULL: 0). */
int cli_text_width(const char *s);

/** `n` capped at `cap` on a terminal (`width` > 0); off a terminal, `n` itself. */
int cli_cap(int width, int n, int cap);

/**
 * The width of a table's flexible column: on a terminal what `used` columns leave of
 * `width`, never below `min` (a row stays readable); off a terminal `full`, its widest text.
 */
int cli_room(int width, int used, int min, int full);

/* The command groups (src/cli/cmd_<name>.c), in main.c's table. */
extern const cli_group cli_group_template, cli_group_answers, cli_group_score, cli_group_report,
    cli_group_init, cli_group_assessment, cli_group_answer, cli_group_control, cli_group_history,
    cli_group_log, cli_group_overall, cli_group_store;
extern const cli_group cli_group_coverage, cli_group_mapping;
/* `posture template import` (cmd_template_import.c), in cli_group_template. */
extern const cli_cmd cli_cmd_template_import, cli_cmd_template_link;
/* `posture report NAME` from the store (cmd_report_store.c), run by `posture report`. */
extern const cli_cmd cli_cmd_report_store;

#endif
