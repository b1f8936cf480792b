/* testutil.c - helpers shared by the unit tests. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char tmpdir[256];

const char *tu_tmpdir(void)
{
    if (!tmpdir[0]) {
        snprintf(tmpdir, sizeof tmpdir, "/tmp/posture-test.XXXXXX");
        if (!mkdtemp(tmpdir)) {
            perror("mkdtemp");
            abort();
        }
    }
    return tmpdir;
}

const char *tu_write(const char *name, const char *text)
{
    static char path[8][512];
    static int slot;
    char *p = path[slot++ % 8];
    snprintf(p, 512, "%s/%s", tu_tmpdir(), name);
    FILE *f = fopen(p, "wb");
    if (!f) {
        perror(p);
        abort();
    }
    fwrite(text, 1, strlen(text), f);
    fclose(f);
    return p;
}

void tu_cleanup(void)
{
    if (tmpdir[0]) {
        char cmd[300];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
        if (system(cmd) != 0)
            fprintf(stderr, "cannot remove %s\n", tmpdir);
        tmpdir[0] = '\0';
    }
}

char *tu_diags_text(const posture_diags *d)
{
    size_t cap = 256, len = 0;
    char *out = malloc(cap);
    out[0] = '\0';
    for (size_t i = 0; i < posture_diags_count(d); i++) {
        char *s = posture_diag_format(posture_diags_get(d, i));
        size_t need = len + strlen(s) + 16;
        if (need > cap) {
            while (cap < need)
                cap *= 2;
            out = realloc(out, cap);
        }
        len += (size_t)sprintf(out + len, "posture: %s\n", s);
        free(s);
    }
    return out;
}
