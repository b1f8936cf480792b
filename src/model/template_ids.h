/* template_ids.h - what the template loader knows of its action ids, for the scoring core. */
#ifndef POSTURE_TEMPLATE_IDS_H
#define POSTURE_TEMPLATE_IDS_H

#include "posture/template.h"

/*
 * 1 when the action ids of `t` ascend in byte order (strcmp) in template
 * order, so that an action's index orders like its id; else 0.
 */
int template_ids_ascending(const posture_template *t);

#endif
