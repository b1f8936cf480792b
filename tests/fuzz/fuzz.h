/*
 * fuzz.h - shared pieces of the fuzz targets (tests/fuzz/fuzz_*.c).
 *
 * Each target defines LLVMFuzzerTestOneInput() (and may define
 * LLVMFuzzerInitialize()). Built with clang -fsanitize=fuzzer it is a
 * libFuzzer binary (tests/fuzz/run); built with replay.c it is a plain
 * program that runs every file given on the command line (directories are
 * walked), which ctest uses to replay the regression corpus.
 *
 * A violated invariant aborts with a message (FUZZ_CHECK), so that both
 * libFuzzer and the replay program report it as a crash.
 */
#ifndef POSTURE_FUZZ_H
#define POSTURE_FUZZ_H

#define _GNU_SOURCE 1
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "posture.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

#define FUZZ_CHECK(cond)                                                              \
    do {                                                                              \
        if (!(cond)) {                                                                \
            fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__, #cond); \
            abort();                                                                  \
        }                                                                             \
    } while (0)

/* A NUL-terminated copy of the input (the readers need the NUL after `len` bytes). */
static inline char *fuzz_text(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    FUZZ_CHECK(s != NULL);
    if (size)
        memcpy(s, data, size);
    s[size] = '\0';
    return s;
}

/*
 * An in-memory file whose path ("/proc/self/fd/N") the path-based readers
 * can open; fuzz_file_set() replaces its content.
 */
typedef struct fuzz_file {
    int fd;
    char path[64];
} fuzz_file;

static inline void fuzz_file_open(fuzz_file *f, const char *name)
{
    f->fd = memfd_create(name, 0);
    FUZZ_CHECK(f->fd >= 0);
    snprintf(f->path, sizeof f->path, "/proc/self/fd/%d", f->fd);
}

static inline void fuzz_file_set(fuzz_file *f, const uint8_t *data, size_t size)
{
    FUZZ_CHECK(ftruncate(f->fd, 0) == 0);
    size_t off = 0;
    while (off < size) {
        ssize_t n = pwrite(f->fd, data + off, size - off, (off_t)off);
        FUZZ_CHECK(n > 0);
        off += (size_t)n;
    }
}

/* A template from the source tree, loaded once; aborts when it does not load. */
static inline posture_template *fuzz_load_template(posture_library *lib, const char *rel)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", POSTURE_SOURCE_DIR, rel);
    posture_template *t = NULL;
    if (posture_template_load(lib, path, 0, NULL, &t) != 0) {
        fprintf(stderr, "fuzz: cannot load %s: %s\n", path, posture_error_last());
        abort();
    }
    return t;
}

/* Every index a template hands out is in range and every id finds itself. */
static inline void fuzz_check_template(const posture_template *t)
{
    size_t nf = posture_template_family_count(t), nc = posture_template_control_count(t),
           na = posture_template_action_count(t);
    FUZZ_CHECK(nf > 0 && nc > 0 && na > 0);
    size_t next = 0;
    for (size_t i = 0; i < nf; i++) {
        const posture_family *f = posture_template_family(t, i);
        FUZZ_CHECK(f && f->id && f->title);
        FUZZ_CHECK(f->first_control == next);
        next += f->ncontrols;
    }
    FUZZ_CHECK(next == nc);
    for (size_t i = 0; i < nc; i++) {
        const posture_control *c = posture_template_control(t, i);
        FUZZ_CHECK(c && c->id && c->title && c->family < nf && c->nactions > 0);
        FUZZ_CHECK(posture_template_find_control(t, c->id) == (long)i);
        for (size_t k = 0; k < c->nactions; k++)
            FUZZ_CHECK(c->actions[k] < na);
        for (size_t k = 0; k < c->nmappings; k++)
            FUZZ_CHECK(c->mappings[k].framework && *c->mappings[k].framework);
    }
    for (size_t i = 0; i < na; i++) {
        const posture_action *a = posture_template_action(t, i);
        FUZZ_CHECK(a && a->id && a->title && strncmp(a->id, "act.", 4) == 0);
        FUZZ_CHECK(posture_template_find_action(t, a->id) == (long)i);
        FUZZ_CHECK(a->points >= 0 && a->points <= 99);
        size_t n;
        const size_t *refs = posture_template_action_controls(t, i, &n);
        for (size_t k = 0; k < n; k++)
            FUZZ_CHECK(refs[k] < nc);
    }
}

/* Score `a` against `t` under `p` and render the JSON summary; checks the totals. */
static inline void fuzz_score_and_report(const posture_template *t, const posture_answers *a,
                                         const posture_profile *p)
{
    posture_result *r = NULL;
    FUZZ_CHECK(posture_score(t, a, p, &r) == 0);
    const posture_points *tot = posture_result_total(r);
    FUZZ_CHECK(tot->achieved_x100 >= 0 && tot->achieved_x100 <= tot->possible_x100);
    FUZZ_CHECK(tot->has_percent == (tot->possible_x100 > 0));
    if (tot->has_percent)
        FUZZ_CHECK(tot->percent_x100 >= 0 && tot->percent_x100 <= 10000);
    posture_json_options jo = {0, 1763632800};
    char *doc = NULL;
    FUZZ_CHECK(posture_report_json(r, &jo, &doc) == 0);
    FUZZ_CHECK(doc[strlen(doc) - 1] == '\n');
    free(doc);
    posture_result_free(r);
}

/* `b` (loaded with result `rc`, problems in `d`) reads back as `a`: the same answers JSON.
   Frees `b` and `d`. `what` names the format in the failure. */
static inline void fuzz_check_read_back(const posture_answers *a, int rc, posture_answers *b,
                                        posture_diags *d, const char *what)
{
    if (rc != 0) {
        for (size_t i = 0; i < posture_diags_count(d); i++)
            fprintf(stderr, "%s\n", posture_diags_get(d, i)->message);
        fprintf(stderr, "written %s does not read back\n", what);
        FUZZ_CHECK(!"written answers do not read back");
    }
    char *one = posture_answers_to_json(a), *two = posture_answers_to_json(b);
    FUZZ_CHECK(one && two);
    if (strcmp(one, two) != 0) {
        fprintf(stderr, "%s: read:\n%s\nwritten and read back:\n%s\n", what, one, two);
        FUZZ_CHECK(!"answers round trip");
    }
    free(one);
    free(two);
    posture_answers_free(b);
    posture_diags_free(d);
}

#endif
