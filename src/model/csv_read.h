/*
 * csv_read.h - (internal) CSV records with the physical line where each
 * starts, read with libcsv (RFC 4180: quotes doubled, commas and line
 * breaks inside quoted fields).
 *
 * libcsv neither skips a byte order mark nor counts lines: this module
 * does both around it. The text is checked first (no NUL byte, valid
 * UTF-8), then fed to libcsv in pieces that end at line breaks, so that
 * the parser's state between pieces tells where a record begins.
 */
#ifndef POSTURE_CSV_READ_H
#define POSTURE_CSV_READ_H

#include <stddef.h>
#include "posture/error.h"

/**
 * Called once per record with its fields: NUL-terminated, `lens[i]` bytes
 * each, leading and trailing blanks of unquoted fields removed by libcsv,
 * and the formula-injection escape undone (one leading ' removed from a
 * field matching ^'+[=+\-@\t\r]). `line` is the physical line (from 1)
 * where the record starts. The arrays are valid during the call only.
 * Return 0 to go on, a negative code to stop (returned by csv_read_text).
 */
typedef int (*csv_record_fn)(void *ctx, size_t line, char *const *fields, const size_t *lens,
                             size_t n);

/**
 * Read the records of `len` bytes of CSV `text`, named `file` in messages
 * (`FILE: LINE: message`). Skips a UTF-8 BOM; a NUL byte, invalid UTF-8, a
 * stray quote or an unclosed quoted field is an error in `d`
 * (POSTURE_ESYNTAX). Returns 0, POSTURE_ESYNTAX, POSTURE_ENOMEM or the
 * callback's code.
 */
int csv_read_text(const char *text, size_t len, const char *file, posture_diags *d,
                  csv_record_fn fn, void *ctx);

/**
 * Undo the formula-injection escape in place: when `s` matches
 * ^'+[=+\-@\t\r], remove its first '. Returns the new length.
 */
size_t csv_unescape_cell(char *s, size_t len);

/**
 * Whether a cell needs the formula-injection escape when written: `s`
 * matches ^'*[=+\-@\t\r].
 */
int csv_cell_needs_escape(const char *s);

#endif
