/*
 * actions_sheet.h - (internal) the "Improvement actions" sheet of
 * workbook.md, the one writer of that layout: the report workbook
 * (report_xlsx.c) and the answer sheet (sheet_answers.c) both write it
 * through here, so the two cannot drift apart. It owns the columns, their
 * headers, what goes into each cell of an action's row, and the drop-down
 * lists and date check; each workbook hands in its cell writer (how text is
 * made fit for a cell, formats, column widths stay the workbook's own).
 */
#ifndef POSTURE_ACTIONS_SHEET_H
#define POSTURE_ACTIONS_SHEET_H

#include <stddef.h>
#include <stdint.h>
#include <xlsxwriter.h>

#include "posture/template.h"

#define ACTIONS_SHEET "Improvement actions"

/* The columns, in workbook.md's order. */
enum {
    AS_COL_ACTION, AS_COL_TITLE, AS_COL_TYPE, AS_COL_ENFORCEMENT, AS_COL_IMPL_TYPE, AS_COL_OWNER,
    AS_COL_POINTS, AS_COL_IMPLEMENTATION, AS_COL_TEST, AS_COL_TESTED_ON, AS_COL_ASSIGNED_TO,
    AS_COL_ACHIEVED, AS_COL_GAIN, AS_COL_CONTROLS, AS_COL_NOTES, AS_COL_EVIDENCE,
    AS_NCOLS
};

/** The header of each column. */
extern const char *const actions_sheet_headers[AS_NCOLS];

/** What one action's row shows. */
typedef struct actions_row {
    const posture_action *action;
    size_t index;                    /* the action's index in the template (its controls) */
    double points;
    const char *implementation;      /* status labels; NULL: the cell stays empty */
    const char *test;
    const char *tested_at, *assigned_to, *notes; /* NULL or "": empty */
    const char *const *evidence;
    size_t nevidence;
    int has_achieved, has_gain;      /* 0: the cell stays empty */
    int64_t achieved_x100, gain_x100;
} actions_row;

/** The cell writer of a workbook, and the scratch space of joined lists. */
typedef struct actions_sheet {
    void *ctx;
    /* text from a template or answers, as a string cell (never a formula); `wrap`: the
       wrapping format; `what` and `owner` name it in a warning when it is cut */
    void (*text)(void *ctx, lxw_row_t row, unsigned col, const char *s, int wrap,
                 const char *what, const char *owner);
    void (*label)(void *ctx, lxw_row_t row, unsigned col, const char *s); /* ours */
    void (*number)(void *ctx, lxw_row_t row, unsigned col, double v);
    /* an ISO 8601 date as a date cell, anything else as text */
    void (*date)(void *ctx, lxw_row_t row, unsigned col, const char *s, const char *what,
                 const char *owner);
    /* optional: told each evidence item before the items are joined, one per line */
    void (*evidence_item)(void *ctx, const char *action, size_t k, const char *item);
    char *join;                      /* joined lists (owned; actions_sheet_release()) */
    size_t joinlen, joincap;
} actions_sheet;

/**
 * Write the cells of row `row` for `r` (an action of template `t`).
 * Returns 0, or POSTURE_ENOMEM when a joined list did not fit in memory.
 */
int actions_sheet_row(actions_sheet *w, const posture_template *t, lxw_row_t row,
                      const actions_row *r);

/**
 * The drop-down lists of the status columns and the date check of "Tested
 * on" over data rows 1..`nrows`. Returns the first libxlsxwriter error.
 */
lxw_error actions_sheet_validate(lxw_worksheet *ws, lxw_row_t nrows);

/** Free the scratch space of `w`. */
void actions_sheet_release(actions_sheet *w);

#endif
