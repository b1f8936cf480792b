/* answers_util.h - helpers for the answers tests (included by one test program each). */
#ifndef ANSWERS_UTIL_H
#define ANSWERS_UTIL_H

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

/* JSON text written with ' for " (readable in C), as a fresh string the caller frees. */
static inline char *q(const char *s)
{
    char *t = strdup(s);
    for (char *p = t; *p; p++)
        if (*p == '\'')
            *p = '"';
    return t;
}

/* Parse `json` (quoted with ') as "answers.json" against `t` into `*out`, diags into `d`. */
static inline int parse_q(const char *json, const posture_template *t, posture_diags *d,
                   posture_answers **out)
{
    char *text = q(json);
    int rc = posture_answers_parse_json(text, strlen(text), "answers.json", t, d, out);
    free(text);
    return rc;
}

/* The fixed part of a valid document, to which tests append `"controls"`/`"answers"`. */
#define DOC_HEAD "{'format': 'posture-answers/1', 'template': 'worked-example', 'assessment': {'name': 'N'}, "

#endif
