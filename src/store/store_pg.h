/*
 * store_pg.h - (internal) the PostgreSQL backend of the store (store_pg.c),
 * for the registry (store_registry.c): postgresql:// and postgres:// URIs.
 */
#ifndef POSTURE_STORE_PG_H
#define POSTURE_STORE_PG_H

#include "store_backend.h"

extern const store_backend store_backend_pg;

#endif
