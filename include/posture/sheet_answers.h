/*
 * posture/sheet_answers.h - answers as answer sheets: the CSV and workbook
 * encodings of posture-answers/1 (answers-format.md), read and written,
 * blank sheets, and loading or writing any of the three encodings by the
 * file's extension (.json, .csv, .xlsx).
 *
 * Readers build posture_answers with the builder of answers.h and give
 * every entry a place for messages: the physical line where a CSV record
 * starts ("12"), or the cell of a workbook (`sheet "Improvement actions"
 * cell A14`). With a template they check the answers against it exactly as
 * the JSON reader does; every problem is reported, and on any error
 * nothing is returned.
 *
 * Ownership: answers returned in `*out` belong to the caller (free with
 * posture_answers_free()); templates and answers passed in are borrowed.
 * Writers go through the atomic writer of fileio.h: on failure the target
 * is untouched.
 */
#ifndef POSTURE_SHEET_ANSWERS_H
#define POSTURE_SHEET_ANSWERS_H

#include <stddef.h>
#include "answers.h"
#include "error.h"
#include "template.h"

#ifdef __cplusplus
extern "C" {
#endif

/** The three encodings of answers. */
typedef enum {
    POSTURE_ANSWERS_JSON = 0,
    POSTURE_ANSWERS_CSV,
    POSTURE_ANSWERS_XLSX
} posture_answers_format;

/**
 * Default cap on the uncompressed size of one part of a workbook (256 MiB);
 * posture_answers_load_xlsx() with max_part 0 uses the input limit instead
 * ($POSTURE_MAX_INPUT_BYTES, by default this same 256 MiB).
 */
#define POSTURE_XLSX_MAX_PART ((size_t)256 * 1024 * 1024)

/**
 * The encoding of `path` from its extension (.json, .csv, .xlsx, any
 * case; "-" is JSON on standard input or output). Returns 0, or
 * POSTURE_EINVALID with a message naming the extension.
 */
int posture_answers_format_of(const char *path, posture_answers_format *out);

/**
 * Parse CSV answers (RFC 4180, UTF-8, optional BOM, header row with the
 * columns action, implementation, test, tested_at, assigned_to, notes,
 * evidence in any order and case) from `len` bytes of `text`, named `file`
 * in messages (`FILE: LINE: message`, LINE being the physical line where
 * the record starts). The assessment name is the base name of `file`
 * without its extension; with a template `t` the answers name it
 * (id and version) and are checked against it. Every problem goes to
 * `diags`; returns 0, POSTURE_ESYNTAX, POSTURE_EINVALID or POSTURE_ENOMEM,
 * `*out` NULL on failure.
 */
int posture_answers_parse_csv(const char *text, size_t len, const char *file,
                              const posture_template *t, posture_diags *diags,
                              posture_answers **out);

/** Read the CSV file `path`; otherwise as posture_answers_parse_csv(). */
int posture_answers_load_csv(const char *path, const posture_template *t, posture_diags *diags,
                             posture_answers **out);

/**
 * Read answers from the workbook `path`: the "Improvement actions" sheet
 * (required; columns found by header name), the metadata from the
 * key/value rows of the "About" sheet and the not-applicable controls from
 * the Control/Applicable/Justification columns of the "Controls" sheet
 * when those are present. No part of the zip may be larger than
 * `max_part` bytes uncompressed (0: the input limit, POSTURE_XLSX_MAX_PART
 * unless $POSTURE_MAX_INPUT_BYTES says otherwise), nor the workbook file
 * larger than the input limit; XML with a DTD is refused. Otherwise as
 * posture_answers_parse_csv().
 */
int posture_answers_load_xlsx(const char *path, size_t max_part, const posture_template *t,
                              posture_diags *diags, posture_answers **out);

/**
 * Read answers from `path` in the encoding its extension names ("-": JSON
 * from standard input), checked against `t` when not NULL. An unknown
 * extension is an error in `diags`.
 */
int posture_answers_load(const char *path, const posture_template *t, posture_diags *diags,
                         posture_answers **out);

/**
 * Blank answers for every action of `t`, in template order, with default
 * statuses; template id and version from `t`, assessment name `name`
 * (NULL: the template id).
 */
int posture_answers_blank(const posture_template *t, const char *name, posture_answers **out);

/**
 * Write answers as CSV to `path` ("-": standard output): a header row
 * then one record per answer, statuses as tokens, evidence items one per
 * line of the cell, every field quoted by libcsv, CRLF line ends, no BOM.
 * A cell matching ^'*[=+\-@\t\r] gets one ' prepended (formula injection).
 * Metadata and control entries have no place in CSV: control entries are
 * left out with a warning in `warnings` (may be NULL), as is an evidence
 * item holding a line break (it will read back as several items).
 */
int posture_answers_write_csv(const posture_answers *a, posture_diags *warnings,
                              const char *path);

/**
 * Write answers as a workbook to `path` (not "-"): an "Instructions"
 * sheet, the "Improvement actions" sheet of workbook.md (every action of
 * `t`, template order; status cells of unanswered actions left empty;
 * drop-down lists of the status labels, date validation on Tested on), a
 * "Controls" sheet with Applicable/Justification, and the "About"
 * key/value rows. `t` must be the template the answers were resolved
 * against. Text longer than a cell holds is cut with a visible marker and
 * a warning naming the action or control. Timestamps follow
 * posture_report_time() (SOURCE_DATE_EPOCH).
 */
int posture_answers_write_xlsx(const posture_answers *a, const posture_template *t,
                               posture_diags *warnings, const char *path);

/** Write answers as posture-answers/1 JSON (posture_answers_to_json() and a newline). */
int posture_answers_write_json(const posture_answers *a, const char *path);

/**
 * Write answers to `path` in the encoding its extension names. `t` is
 * needed for a workbook (else POSTURE_EUSAGE).
 */
int posture_answers_write(const posture_answers *a, const posture_template *t,
                          posture_diags *warnings, const char *path);

#ifdef __cplusplus
}
#endif
#endif
