/* actions_sheet.c - the "Improvement actions" sheet, one writer for every workbook. */
#include "actions_sheet.h"

#include <stdlib.h>
#include <string.h>

const char *const actions_sheet_headers[AS_NCOLS] = {
    "Action",   "Title", "Type",     "Enforcement", "Implementation type", "Owner",
    "Points",   "Implementation",    "Test",        "Tested on",           "Assigned to",
    "Achieved", "Gain",  "Controls", "Notes",       "Evidence"};

static void join_reset(actions_sheet *w)
{
    w->joinlen = 0;
    if (w->join)
        w->join[0] = '\0';
}

static int join_add(actions_sheet *w, const char *sep, const char *s)
{
    size_t ls = w->joinlen ? strlen(sep) : 0, l = strlen(s);
    if (w->joinlen + ls + l + 1 > w->joincap) {
        size_t cap = w->joincap ? w->joincap : 256;
        while (cap < w->joinlen + ls + l + 1)
            cap *= 2;
        char *nb = realloc(w->join, cap);
        if (!nb)
            return POSTURE_ENOMEM;
        w->join = nb;
        w->joincap = cap;
    }
    memcpy(w->join + w->joinlen, sep, ls);
    memcpy(w->join + w->joinlen + ls, s, l + 1);
    w->joinlen += ls + l;
    return 0;
}

/* "action \"act.a\"" for warnings (as snprintf "%s \"%.120s\"", without printf: every row). */
static const char *owner_of(char buf[160], const char *id)
{
    size_t n = strnlen(id, 120);
    memcpy(buf, "action \"", 8);
    memcpy(buf + 8, id, n);
    buf[8 + n] = '"';
    buf[9 + n] = '\0';
    return buf;
}

int actions_sheet_row(actions_sheet *w, const posture_template *t, lxw_row_t row,
                      const actions_row *r)
{
    const posture_action *act = r->action;
    void *c = w->ctx;
    char owner[160];
    owner_of(owner, act->id);
    w->text(c, row, AS_COL_ACTION, act->id, 0, "Id", owner);
    w->text(c, row, AS_COL_TITLE, act->title, 1, "Title", owner);
    w->label(c, row, AS_COL_TYPE, posture_action_type_token(act->type));
    w->label(c, row, AS_COL_ENFORCEMENT, posture_enforcement_token(act->enforcement));
    w->label(c, row, AS_COL_IMPL_TYPE, posture_impl_type_token(act->impl_type));
    w->label(c, row, AS_COL_OWNER, posture_owner_token(act->owner));
    w->number(c, row, AS_COL_POINTS, r->points);
    if (r->implementation)
        w->label(c, row, AS_COL_IMPLEMENTATION, r->implementation);
    if (r->test)
        w->label(c, row, AS_COL_TEST, r->test);
    w->date(c, row, AS_COL_TESTED_ON, r->tested_at, "Tested on", owner);
    w->text(c, row, AS_COL_ASSIGNED_TO, r->assigned_to, 0, "Assigned to", owner);
    if (r->has_achieved)
        w->number(c, row, AS_COL_ACHIEVED, (double)r->achieved_x100 / 100.0);
    if (r->has_gain)
        w->number(c, row, AS_COL_GAIN, (double)r->gain_x100 / 100.0);
    size_t nc = 0;
    const size_t *cs = posture_template_action_controls(t, r->index, &nc);
    join_reset(w);
    for (size_t k = 0; k < nc; k++)
        if (join_add(w, ", ", posture_template_control(t, cs[k])->id) != 0)
            return POSTURE_ENOMEM;
    w->text(c, row, AS_COL_CONTROLS, w->join, 1, "Controls", owner);
    w->text(c, row, AS_COL_NOTES, r->notes, 1, "Notes", owner);
    join_reset(w);
    for (size_t k = 0; k < r->nevidence; k++) {
        if (w->evidence_item)
            w->evidence_item(c, act->id, k, r->evidence[k]);
        if (join_add(w, "\n", r->evidence[k]) != 0)
            return POSTURE_ENOMEM;
    }
    w->text(c, row, AS_COL_EVIDENCE, w->join, 1, "Evidence", owner);
    return 0;
}

lxw_error actions_sheet_validate(lxw_worksheet *ws, lxw_row_t nrows)
{
    const char *impl[POSTURE_IMPL__COUNT + 1], *test[POSTURE_TEST__COUNT + 1];
    for (int i = 0; i < POSTURE_IMPL__COUNT; i++)
        impl[i] = posture_implementation_label((posture_implementation)i);
    impl[POSTURE_IMPL__COUNT] = NULL;
    for (int i = 0; i < POSTURE_TEST__COUNT; i++)
        test[i] = posture_test_label((posture_test)i);
    test[POSTURE_TEST__COUNT] = NULL;
    lxw_data_validation di = {.validate = LXW_VALIDATION_TYPE_LIST,
                              .value_list = (char **)impl,
                              .error_title = "Implementation status",
                              .error_message = "Choose an implementation status from the list."};
    lxw_data_validation dt = {.validate = LXW_VALIDATION_TYPE_LIST,
                              .value_list = (char **)test,
                              .error_title = "Test status",
                              .error_message = "Choose a test status from the list."};
    lxw_data_validation dd = {.validate = LXW_VALIDATION_TYPE_DATE,
                              .criteria = LXW_VALIDATION_CRITERIA_BETWEEN,
                              .minimum_datetime = {.year = 1900, .month = 1, .day = 1},
                              .maximum_datetime = {.year = 9999, .month = 12, .day = 31},
                              .input_title = "Tested on",
                              .input_message = "Date of the last test, YYYY-MM-DD.",
                              .error_title = "Tested on",
                              .error_message = "Enter a date, e.g. 2026-11-20."};
    lxw_error e = worksheet_data_validation_range(ws, 1, AS_COL_IMPLEMENTATION, nrows,
                                                  AS_COL_IMPLEMENTATION, &di);
    if (!e)
        e = worksheet_data_validation_range(ws, 1, AS_COL_TEST, nrows, AS_COL_TEST, &dt);
    if (!e)
        e = worksheet_data_validation_range(ws, 1, AS_COL_TESTED_ON, nrows, AS_COL_TESTED_ON, &dd);
    return e;
}

void actions_sheet_release(actions_sheet *w)
{
    free(w->join);
    w->join = NULL;
    w->joinlen = w->joincap = 0;
}
