/*
 * store_sqlite.h - (internal) the SQLite backend of the store
 * (store_sqlite.c), for the registry (store_registry.c): the default, a file
 * name or a file: URI.
 */
#ifndef POSTURE_STORE_SQLITE_H
#define POSTURE_STORE_SQLITE_H

#include "store_backend.h"

extern const store_backend store_backend_sqlite;

#endif
