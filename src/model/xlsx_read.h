/*
 * xlsx_read.h - (internal) the cells of an xlsx workbook, read with libzip
 * and expat: sheet names, shared strings, inline strings, numbers, dates
 * (numbers with a date style, as serials of the 1900 or 1904 system),
 * booleans, errors and empty cells; sheets are streamed row by row.
 *
 * Safety: no part of the zip is read past `max_part` bytes uncompressed
 * (a zip bomb is refused with a message saying so), and XML holding a
 * document type declaration is refused before any entity can be declared
 * or expanded.
 *
 * Messages name the workbook and, for a part, the part's name
 * (`xl/worksheets/sheet1.xml:3:14` for malformed XML).
 */
#ifndef POSTURE_XLSX_READ_H
#define POSTURE_XLSX_READ_H

#include <stddef.h>
#include "posture/error.h"

/** Kinds of cell values. Empty cells (and empty strings) are never reported. */
typedef enum {
    XLSX_STRING = 1, /**< shared, inline or formula string: `text` */
    XLSX_NUMBER,     /**< `text` as stored ("42", "1.5E+20"), `num` its value */
    XLSX_BOOL,       /**< `text` "TRUE" or "FALSE" */
    XLSX_ERROR,      /**< `text` the error ("#N/A") */
    XLSX_DATE        /**< a t="d" cell: `text` its ISO 8601 value as stored */
} xlsx_type;

/** One non-empty cell of a row. */
typedef struct xlsx_cell {
    unsigned long col;   /**< from 0 (A) */
    xlsx_type type;
    const char *text;    /**< NUL-terminated, `len` bytes */
    size_t len;
    double num;          /**< XLSX_NUMBER */
    int date_style;      /**< XLSX_NUMBER whose style is a date or time format */
} xlsx_cell;

/**
 * Called for each row holding at least one non-empty cell, in the order of
 * the sheet, with its number (from 1) and its cells (ascending columns as
 * the file has them). Valid during the call only. Return 0 to go on, or a
 * negative code to stop.
 */
typedef int (*xlsx_row_fn)(void *ctx, unsigned long row, const xlsx_cell *cells, size_t n);

typedef struct xlsx_book xlsx_book;

/**
 * Open the workbook `path`: read its sheet list, shared strings and
 * styles. `max_part` caps the uncompressed size of every part read.
 * Errors (not a zip, not a workbook, a part too large, malformed XML, a
 * DTD) go to `d`; returns 0, POSTURE_EIO, POSTURE_ESYNTAX, POSTURE_ELIMIT
 * or POSTURE_ENOMEM.
 */
int xlsx_open(const char *path, size_t max_part, posture_diags *d, xlsx_book **out);

/** Close a workbook. Accepts NULL. */
void xlsx_close(xlsx_book *b);

size_t xlsx_sheet_count(const xlsx_book *b);
const char *xlsx_sheet_name(const xlsx_book *b, size_t i);

/** Index of the sheet named `name` (case-insensitive, as Excel compares), or -1. */
long xlsx_sheet_find(const xlsx_book *b, const char *name);

/** Whether the workbook counts dates from 1904. */
int xlsx_date1904(const xlsx_book *b);

/**
 * Stream sheet `i` row by row to `fn`. Returns 0, the callback's code,
 * POSTURE_EINVALID when a cell could not be read (a shared string that
 * does not exist, a number that is none: reported, the rest read), or
 * POSTURE_ESYNTAX / POSTURE_ELIMIT / POSTURE_EIO when the sheet could not
 * be read at all; problems go to the book's diagnostics.
 */
int xlsx_sheet_read(xlsx_book *b, size_t i, xlsx_row_fn fn, void *ctx);

/** The A1-style name of a cell: row from 1, col from 0 ("I14"). */
void xlsx_cell_name(char buf[24], unsigned long row, unsigned long col);

/**
 * The calendar date of day serial `serial` (its fraction, a time of day,
 * ignored) as "YYYY-MM-DD" in `buf`. Returns 0, or -1 for a serial that is
 * no date (below 1, beyond 9999-12-31, or Excel's fictitious 1900-02-29).
 */
int xlsx_serial_date(double serial, int date1904, char buf[11]);

#endif
