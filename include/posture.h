/*
 * posture.h - umbrella header of the posture library: compliance posture
 * scoring from open templates, in the manner of Compliance Manager.
 */
#ifndef POSTURE_H
#define POSTURE_H

#define POSTURE_VERSION "0.1.0"
#define POSTURE_VERSION_MAJOR 0
#define POSTURE_VERSION_MINOR 1
#define POSTURE_VERSION_PATCH 0

#include "posture/error.h"
#include "posture/vocab.h"
#include "posture/fileio.h"
#include "posture/template.h"
#include "posture/answers.h"
#include "posture/profile.h"
#include "posture/score.h"
#include "posture/report_json.h"
#include "posture/report_xlsx.h"
#include "posture/catalog_oscal.h"
#include "posture/sheet_answers.h"
#include "posture/store.h"

#endif
