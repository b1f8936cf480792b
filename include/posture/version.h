/*
 * posture/version.h - the library's version (also in posture.h, which
 * includes this).
 */
#ifndef POSTURE_VERSION_H
#define POSTURE_VERSION_H

#define POSTURE_VERSION "0.1.0"
#define POSTURE_VERSION_MAJOR 0
#define POSTURE_VERSION_MINOR 1
#define POSTURE_VERSION_PATCH 0

#endif
