/*
 * store_registry.h - (internal) which backend serves a store name. The
 * registry (store_registry.c) is the only file that names the backends; the
 * store core asks it and then goes through the vtable (store_backend.h).
 */
#ifndef POSTURE_STORE_REGISTRY_H
#define POSTURE_STORE_REGISTRY_H

#include "store_backend.h"

/** The backend of store `name`: the first registered whose is_uri() claims it, else the
 *  default (SQLite). Never NULL. */
const store_backend *store_backend_for(const char *name);

#endif
