/*
 * posture/fileio.h - reading whole files and writing files atomically.
 *
 * Every file posture writes goes through posture_atomic_*: the bytes go to
 * a temporary file in the target's directory, which is flushed and renamed
 * over the target only when everything succeeded, so a failure never
 * leaves a half-written report. "-" names standard output; an existing
 * target that is not a regular file (/dev/stdout, a FIFO, a device) is
 * written in place, since rename() cannot replace it.
 */
#ifndef POSTURE_FILEIO_H
#define POSTURE_FILEIO_H

#include <stddef.h>
#include <stdio.h>
#include "error.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Default cap on the size of an input file (256 MiB); see posture_read_file(). */
#define POSTURE_MAX_INPUT_BYTES ((size_t)256 * 1024 * 1024)

/**
 * Read a whole file into `*out` (NUL-terminated, caller frees with free())
 * and its length into `*len`. Files larger than `max` bytes (0: the
 * default cap, or $POSTURE_MAX_INPUT_BYTES when set) fail with
 * POSTURE_ELIMIT. Errors name the file.
 */
int posture_read_file(const char *path, size_t max, char **out, size_t *len);

/** An atomic output file in progress. Opaque. */
typedef struct posture_atomic posture_atomic;

/**
 * Start writing `path` atomically ("-" writes straight to stdout). The
 * temporary file is created in the same directory. `*out` owns it; finish
 * with posture_atomic_commit() or posture_atomic_abort().
 */
int posture_atomic_open(const char *path, posture_atomic **out);

/** The stream to write to. */
FILE *posture_atomic_stream(posture_atomic *f);

/** The temporary file's path (NULL for stdout); for libraries that write by name. */
const char *posture_atomic_temp_path(const posture_atomic *f);

/**
 * Flush, fsync and rename the temporary file over the target, then free
 * `f`. On any failure the temporary file is removed, the target is left
 * untouched, and POSTURE_EIO is returned with a message naming the target.
 */
int posture_atomic_commit(posture_atomic *f);

/** Remove the temporary file and free `f`. Accepts NULL. */
void posture_atomic_abort(posture_atomic *f);

/** Write `len` bytes to `path` atomically. */
int posture_write_file(const char *path, const void *data, size_t len);

#ifdef __cplusplus
}
#endif
#endif
