/*
 * posture.h - umbrella header of the posture library: compliance posture
 * scoring from open templates, in the manner of Compliance Manager.
 */
#ifndef POSTURE_H
#define POSTURE_H

#include "posture/version.h" /* POSTURE_VERSION */
#include "posture/error.h"
#include "posture/vocab.h"
#include "posture/fileio.h"
#include "posture/clock.h"
#include "posture/template.h"
#include "posture/answers.h"
#include "posture/profile.h"
#include "posture/score.h"
#include "posture/coverage.h"
#include "posture/report_json.h"
#include "posture/report_xlsx.h"
#include "posture/report_coverage.h"
#include "posture/catalog_oscal.h"
#include "posture/mapping.h"
#include "posture/template_link.h"
#include "posture/sheet_answers.h"
#include "posture/store.h"

#endif
