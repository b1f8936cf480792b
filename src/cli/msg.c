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

int cli_parse(int argc, char **argv, int *i, const cli_opt *opts, const char **val,
              const char *cmd, const char *usage)
{
    *val = NULL;
    if (*i >= argc)
        return -1;
    const char *a = argv[*i];
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
        cli_usage_error(usage, "%s: unknown option '%s'", cmd, a);
        return -2;
    }
    const char *name = a + 2;
    const char *eq = strchr(name, '=');
    size_t nlen = eq ? (size_t)(eq - name) : strlen(name);
    for (const cli_opt *o = opts; o && o->name; o++) {
        if (strlen(o->name) != nlen || strncmp(o->name, name, nlen) != 0)
            continue;
        (*i)++;
        if (!o->has_arg) {
            if (eq) {
                cli_usage_error(usage, "%s: option '--%s' takes no value", cmd, o->name);
                return -2;
            }
            return o->id;
        }
        if (eq) {
            *val = eq + 1;
        } else {
            if (*i >= argc) {
                cli_usage_error(usage, "%s: option '--%s' needs a value", cmd, o->name);
                return -2;
            }
            *val = argv[(*i)++];
        }
        return o->id;
    }
    cli_usage_error(usage, "%s: unknown option '%.*s'", cmd, (int)(nlen + 2), a);
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
    const char *c = getenv("COLUMNS");
    if (c && atoi(c) > 20)
        return atoi(c);
    struct winsize ws;
    if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 20)
        return ws.ws_col;
    return 100;
}

int cli_help(const char *text)
{
    fputs(text, stdout);
    return EXIT_OK;
}

void cli_cell(FILE *f, const char *s, int width, int right)
{
    if (!s)
        s = "";
    /* count code points; each takes one column (good enough for tables) */
    int cols = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if ((*p & 0xC0) != 0x80)
            cols++;
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
