/* msg.c - messages and option parsing for the command line. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "cli.h"

void cli_error(const char *fmt, ...)
{
    va_list ap;
    fputs("posture: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

void cli_hint(const char *fmt, ...)
{
    va_list ap;
    fputs("hint: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

int cli_usage_error(const char *usage, const char *fmt, ...)
{
    va_list ap;
    fputs("posture: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    if (usage)
        fprintf(stderr, "usage: %s\n", usage);
    return EXIT_USAGE;
}

int cli_bad_usage(const cli_cmd *c, const char *fmt, ...)
{
    va_list ap;
    fputs("posture: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    fprintf(stderr, "usage: %s\n", cli_usage(c));
    return EXIT_USAGE;
}

void cli_print_diags(const posture_diags *d)
{
    for (size_t i = 0; i < posture_diags_count(d); i++) {
        const posture_diag *g = posture_diags_get(d, i);
        char *s = posture_diag_format(g);
        fprintf(stderr, "posture: %s\n", s ? s : g->message);
        free(s);
        if (g->hint)
            fprintf(stderr, "hint: %s\n", g->hint);
    }
}

int cli_fail_last(void)
{
    const char *m = posture_error_last();
    cli_error("%s", *m ? m : "unknown error");
    return EXIT_FAIL;
}

/* ---- commands declared by cli_cmd tables ---- */

static char usage_buf[2048];

static void put(char *buf, size_t cap, size_t *n, const char *s)
{
    size_t k = strlen(s);
    if (*n + k < cap) {
        memcpy(buf + *n, s, k + 1);
        *n += k;
    }
}

/* The usage of `c` into buf (for cli_usage(); `also` forms joined by a newline). */
static void usage_into(const cli_cmd *c, char *buf, size_t cap, size_t *n)
{
    if (c->synopsis) {
        put(buf, cap, n, c->synopsis);
    } else {
        put(buf, cap, n, "posture ");
        put(buf, cap, n, c->name);
        if (c->args) {
            put(buf, cap, n, " ");
            put(buf, cap, n, c->args);
        }
        for (const cli_opt *o = c->opts; o && o->name; o++) {
            if (!o->help)
                continue; /* not shown */
            char one[160];
            char sh[3] = {'-', o->short_name, '\0'};
            snprintf(one, sizeof one, " %s%s%s%s%s%s%s", o->flags & CLI_REQUIRED ? "" : "[",
                     o->short_name ? sh : "--", o->short_name ? "" : o->name, o->arg ? " " : "",
                     o->arg ? o->arg : "", o->flags & CLI_REQUIRED ? "" : "]",
                     o->flags & CLI_REPEAT ? "..." : "");
            put(buf, cap, n, one);
        }
        if (c->args_after) {
            put(buf, cap, n, " ");
            put(buf, cap, n, c->args_after);
        }
    }
    if (c->also) {
        put(buf, cap, n, "\n       ");
        usage_into(c->also, buf, cap, n);
    }
}

const char *cli_usage(const cli_cmd *c)
{
    size_t n = 0;
    usage_buf[0] = '\0';
    usage_into(c, usage_buf, sizeof usage_buf, &n);
    return usage_buf;
}

const char *cli_group_usage(const cli_group *g)
{
    if (g->cmds[0] && !g->cmds[1]) /* one command, or one subcommand: its usage */
        return cli_usage(g->cmds[0]);
    size_t n = 0;
    usage_buf[0] = '\0';
    put(usage_buf, sizeof usage_buf, &n, "posture ");
    put(usage_buf, sizeof usage_buf, &n, g->name);
    for (size_t k = 0; g->cmds[k]; k++) {
        const char *sub = strrchr(g->cmds[k]->name, ' ');
        put(usage_buf, sizeof usage_buf, &n, k ? "|" : " ");
        put(usage_buf, sizeof usage_buf, &n, sub ? sub + 1 : g->cmds[k]->name);
    }
    put(usage_buf, sizeof usage_buf, &n, " [options]");
    return usage_buf;
}

/* "-o, --output FILE", "--json": the left column of an option in help and man pages. */
static void opt_label(const cli_opt *o, char *buf, size_t cap)
{
    if (o->short_name)
        snprintf(buf, cap, "-%c, --%s%s%s", o->short_name, o->name, o->arg ? " " : "",
                 o->arg ? o->arg : "");
    else
        snprintf(buf, cap, "--%s%s%s", o->name, o->arg ? " " : "", o->arg ? o->arg : "");
}

/* Print `text` with every line after a newline indented by `indent` spaces. */
static void print_indented(const char *text, int indent)
{
    for (const char *p = text; *p; p++) {
        fputc(*p, stdout);
        if (*p == '\n' && p[1])
            printf("%*s", indent, "");
    }
    fputc('\n', stdout);
}

int cli_help_cmd(const cli_cmd *c)
{
    printf("usage: %s\n", cli_usage(c));
    if (c->text)
        printf("\n%s", c->text);
    int w = 0;
    for (const cli_opt *o = c->opts; o && o->name; o++) {
        char l[96];
        opt_label(o, l, sizeof l);
        if (o->help && (int)strlen(l) > w)
            w = (int)strlen(l);
    }
    if (w) {
        printf("\noptions:\n");
        for (const cli_opt *o = c->opts; o && o->name; o++) {
            char l[96];
            opt_label(o, l, sizeof l);
            if (!o->help)
                continue;
            printf("  %-*s  ", w, l);
            print_indented(o->help, w + 4);
        }
    }
    return EXIT_OK;
}

int cli_help_group(const cli_group *g)
{
    if (g->cmds[0] && !g->cmds[1] && strcmp(g->cmds[0]->name, g->name) == 0)
        return cli_help_cmd(g->cmds[0]);
    printf("usage: %s\n", cli_group_usage(g));
    if (g->text)
        printf("\n%s", g->text);
    printf("\ncommands:\n");
    for (size_t k = 0; g->cmds[k]; k++) {
        const char *u = cli_usage(g->cmds[k]);
        printf("  %s\n      %s\n", u + strlen("posture "), g->cmds[k]->summary);
    }
    printf("\nRun 'posture %s COMMAND --help' for the options of each.\n", g->name);
    return EXIT_OK;
}

int cli_run_group(const cli_group *g, int argc, char **argv, cli_global *gl)
{
    if (g->cmds[0] && !g->cmds[1] && strcmp(g->cmds[0]->name, g->name) == 0)
        return g->cmds[0]->fn(argc, argv, gl);
    if (argc < 2)
        return cli_usage_error(cli_group_usage(g), "%s: missing subcommand", g->name);
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)
        return cli_help_group(g);
    for (size_t k = 0; g->cmds[k]; k++) {
        const char *sub = strrchr(g->cmds[k]->name, ' ');
        if (sub && strcmp(sub + 1, argv[1]) == 0)
            return g->cmds[k]->fn(argc - 1, argv + 1, gl);
    }
    return cli_usage_error(cli_group_usage(g), "%s: unknown subcommand '%s'", g->name, argv[1]);
}

int cli_parse(int argc, char **argv, int *i, const cli_cmd *c, const char **val)
{
    *val = NULL;
    if (*i >= argc)
        return -1;
    const char *a = argv[*i];
    const char *cmd = c->name;
    if (a[0] != '-' || a[1] == '\0')
        return 0; /* positional, "-" included */
    if (strcmp(a, "--") == 0) {
        (*i)++;
        return *i < argc ? 0 : -1;
    }
    if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
        (*i)++;
        return 'h';
    }
    if (a[1] != '-') {
        for (const cli_opt *o = c->opts; a[2] == '\0' && o && o->name; o++) {
            if (o->short_name != a[1])
                continue;
            (*i)++;
            if (o->has_arg) {
                if (*i >= argc) {
                    cli_bad_usage(c, "%s: option '%s' needs a value", cmd, a);
                    return -2;
                }
                *val = argv[(*i)++];
            }
            return o->id;
        }
        cli_bad_usage(c, "%s: unknown option '%s'", cmd, a);
        return -2;
    }
    const char *name = a + 2;
    const char *eq = strchr(name, '=');
    size_t nlen = eq ? (size_t)(eq - name) : strlen(name);
    for (const cli_opt *o = c->opts; o && o->name; o++) {
        if (strlen(o->name) != nlen || strncmp(o->name, name, nlen) != 0)
            continue;
        (*i)++;
        if (!o->has_arg) {
            if (eq) {
                cli_bad_usage(c, "%s: option '--%s' takes no value", cmd, o->name);
                return -2;
            }
            return o->id;
        }
        if (eq) {
            *val = eq + 1;
        } else {
            if (*i >= argc) {
                cli_bad_usage(c, "%s: option '--%s' needs a value", cmd, o->name);
                return -2;
            }
            *val = argv[(*i)++];
        }
        return o->id;
    }
    cli_bad_usage(c, "%s: unknown option '%.*s'", cmd, (int)(nlen + 2), a);
    return -2;
}

int cli_library(const cli_global *g, posture_library **out)
{
    posture_library *lib = NULL;
    int rc = posture_library_new(&lib);
    for (size_t k = 0; rc == 0 && k < g->ntemplate_dirs; k++)
        rc = posture_library_add_dir(lib, g->template_dirs[k]);
    if (rc == 0)
        rc = posture_library_add_default_dirs(lib);
    if (rc != 0) {
        posture_library_free(lib);
        return rc;
    }
    *out = lib;
    return 0;
}

int cli_term_width(void)
{
    if (!isatty(STDOUT_FILENO))
        return 0;
    const char *c = getenv("COLUMNS");
    if (c && atoi(c) > 20)
        return atoi(c);
    struct winsize ws;
    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 20)
        return ws.ws_col;
    return 100;
}

int cli_text_width(const char *s)
{
    int cols = 0;
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++)
        if ((*p & 0xC0) != 0x80)
            cols++;
    return cols;
}

int cli_cap(int width, int n, int cap) { return width > 0 && n > cap ? cap : n; }

int cli_room(int width, int used, int min, int full)
{
    if (width <= 0)
        return full > min ? full : min;
    return width - used > min ? width - used : min;
}

void cli_cell(FILE *f, const char *s, int width, int right)
{
    if (!s)
        s = "";
    int cols = cli_text_width(s); /* a code point a column: good enough for tables */
    if (cols <= width) {
        if (right)
            fprintf(f, "%*s%s", width - cols, "", s);
        else
            fprintf(f, "%s%*s", s, width - cols, "");
        return;
    }
    int keep = width - 1, n = 0;
    const unsigned char *p = (const unsigned char *)s;
    for (; *p; p++) {
        if ((*p & 0xC0) != 0x80) {
            if (n == keep)
                break;
            n++;
        }
    }
    fwrite(s, 1, (size_t)(p - (const unsigned char *)s), f);
    if (width > 0)
        fputs("\xE2\x80\xA6", f);
}
