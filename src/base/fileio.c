/* fileio.c - whole-file reads and atomic writes. */
#include "posture/fileio.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "limit.h"

_Static_assert(POSTURE_MAX_INPUT_BYTES == LIMIT_INPUT_BYTES_DEFAULT, "one default input size");

int posture_read_file(const char *path, size_t max, char **out, size_t *len)
{
    *out = NULL;
    *len = 0;
    int rc = 0;
    if (!max && (rc = limit_get(LIMIT_INPUT_BYTES, &max)) != 0)
        return rc;
    char *buf = NULL;
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (!f)
        return posture_error_set(POSTURE_EIO, "%s: cannot open: %s", path, strerror(errno));
    struct stat st;
    if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
        rc = posture_error_set(POSTURE_EIO, "%s: is a directory", path);
        goto done;
    }
    size_t cap = (fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode)) ? (size_t)st.st_size + 1 : 65536;
    if (cap > max + 1) {
        rc = posture_error_set(POSTURE_ELIMIT, "%s: file is larger than the limit of %zu bytes",
                               path, max);
        goto done;
    }
    buf = malloc(cap);
    if (!buf) {
        rc = posture_error_set(POSTURE_ENOMEM, "%s: out of memory", path);
        goto done;
    }
    size_t n = 0;
    for (;;) {
        if (n + 1 >= cap) {
            if (cap > max) {
                rc = posture_error_set(POSTURE_ELIMIT,
                                       "%s: file is larger than the limit of %zu bytes", path, max);
                goto done;
            }
            size_t ncap = cap * 2;
            char *nb = realloc(buf, ncap);
            if (!nb) {
                rc = posture_error_set(POSTURE_ENOMEM, "%s: out of memory", path);
                goto done;
            }
            buf = nb;
            cap = ncap;
        }
        size_t got = fread(buf + n, 1, cap - n - 1, f);
        n += got;
        if (got == 0) {
            if (ferror(f)) {
                rc = posture_error_set(POSTURE_EIO, "%s: cannot read: %s", path, strerror(errno));
                goto done;
            }
            break;
        }
    }
    if (n > max) {
        rc = posture_error_set(POSTURE_ELIMIT, "%s: file is larger than the limit of %zu bytes",
                               path, max);
        goto done;
    }
    buf[n] = '\0';
    *out = buf;
    *len = n;
    buf = NULL;
done:
    free(buf);
    if (f != stdin)
        fclose(f);
    return rc;
}

struct posture_atomic {
    char *target;
    char *temp;   /* NULL when writing straight to the target */
    FILE *f;
    int direct;   /* a device or pipe (not stdout): written in place */
    char *dest;   /* the file renamed over: the target, or what its symlink points to */
};

int posture_atomic_open(const char *path, posture_atomic **out)
{
    *out = NULL;
    int rc = 0, fd = -1;
    struct stat st, lst;
    posture_atomic *a = calloc(1, sizeof *a);
    if (!a || !(a->target = strdup(path)))
        goto oom;
    if (strcmp(path, "-") == 0) {
        a->f = stdout;
        goto done;
    }
    if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
        /* /dev/stdout, a FIFO, a device: cannot be replaced by rename, write in place */
        if (S_ISDIR(st.st_mode)) {
            rc = posture_error_set(POSTURE_EIO, "%s: cannot write: Is a directory", path);
            goto done;
        }
        if (!(a->f = fopen(path, "wb"))) {
            rc = posture_error_set(POSTURE_EIO, "%s: cannot write: %s", path, strerror(errno));
            goto done;
        }
        a->direct = 1;
        goto done;
    }
    /* a symlink to a file: replace the file it points to, not the link */
    if (lstat(path, &lst) == 0 && S_ISLNK(lst.st_mode))
        a->dest = realpath(path, NULL);
    if (!a->dest && !(a->dest = strdup(path)))
        goto oom;
    size_t n = strlen(a->dest);
    if (!(a->temp = malloc(n + 16)))
        goto oom;
    /* the temporary name sits in the target's directory: rename() stays atomic */
    const char *slash = strrchr(a->dest, '/');
    size_t dirlen = slash ? (size_t)(slash - a->dest) + 1 : 0;
    memcpy(a->temp, a->dest, dirlen);
    snprintf(a->temp + dirlen, n + 16 - dirlen, ".%s.XXXXXX", a->dest + dirlen);
    if ((fd = mkstemp(a->temp)) < 0) {
        rc = posture_error_set(POSTURE_EIO, "%s: cannot write: %s", path, strerror(errno));
        free(a->temp);
        a->temp = NULL;
        goto done;
    }
    fchmod(fd, 0644);
    if (!(a->f = fdopen(fd, "wb"))) {
        rc = posture_error_set(POSTURE_EIO, "%s: cannot write: %s", path, strerror(errno));
        close(fd);
        goto done;
    }
    goto done;
oom:
    rc = posture_error_set(POSTURE_ENOMEM, "out of memory");
done:
    if (rc != 0 && a) {
        if (a->temp)
            unlink(a->temp);
        free(a->temp);
        free(a->dest);
        free(a->target);
        free(a);
        a = NULL;
    }
    *out = a;
    return rc;
}

FILE *posture_atomic_stream(posture_atomic *a) { return a->f; }

const char *posture_atomic_temp_path(const posture_atomic *a) { return a->temp; }

static void atomic_release(posture_atomic *a)
{
    free(a->dest);
    free(a->temp);
    free(a->target);
    free(a);
}

int posture_atomic_commit(posture_atomic *a)
{
    int rc = 0;
    if (!a->temp) {
        int bad = fflush(a->f) != 0 || ferror(a->f);
        int e = errno;
        if (a->direct && fclose(a->f) != 0 && !bad) {
            bad = 1;
            e = errno;
        }
        if (bad)
            rc = posture_error_set(POSTURE_EIO, "%s: cannot write: %s", a->target,
                                   strerror(e ? e : EIO));
        atomic_release(a);
        return rc;
    }
    int err = 0;
    if (fflush(a->f) != 0 || ferror(a->f))
        err = errno ? errno : EIO;
    if (!err && fsync(fileno(a->f)) != 0 && errno != EINVAL)
        err = errno;
    if (fclose(a->f) != 0 && !err)
        err = errno;
    a->f = NULL;
    if (!err && rename(a->temp, a->dest) != 0)
        err = errno;
    if (err) {
        unlink(a->temp);
        rc = posture_error_set(POSTURE_EIO, "%s: cannot write: %s", a->target, strerror(err));
    }
    atomic_release(a);
    return rc;
}

void posture_atomic_abort(posture_atomic *a)
{
    if (!a)
        return;
    if (a->temp) {
        if (a->f)
            fclose(a->f);
        unlink(a->temp);
    } else if (a->direct && a->f) {
        fclose(a->f);
    }
    atomic_release(a);
}

int posture_write_file(const char *path, const void *data, size_t len)
{
    posture_atomic *a;
    int rc = posture_atomic_open(path, &a);
    if (rc)
        return rc;
    if (len && fwrite(data, 1, len, posture_atomic_stream(a)) != len) {
        int e = errno;
        posture_atomic_abort(a);
        return posture_error_set(POSTURE_EIO, "%s: cannot write: %s", path, strerror(e));
    }
    return posture_atomic_commit(a);
}
