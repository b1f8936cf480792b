/*
 * store_pg.h - (internal) the PostgreSQL backend of the store (store_pg.c):
 * which store names select it, and how they are shown without a password.
 */
#ifndef POSTURE_STORE_PG_H
#define POSTURE_STORE_PG_H

#include "store_backend.h"

extern const store_backend store_backend_pg;

/** 1 when `name` is a PostgreSQL connection URI (postgresql:// or postgres://). */
int store_pg_is_uri(const char *name);

/**
 * `name` as it may be shown in messages: a URI without its password (the
 * user info's ":password" and any password= parameter dropped), anything
 * else unchanged. Returns a malloc'd string, NULL when out of memory.
 */
char *store_pg_display(const char *name);

#endif
