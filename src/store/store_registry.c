/* store_registry.c - the store's backends, in the order their is_uri() is asked. */
#include "store_registry.h"

#include <stddef.h>

#include "store_pg.h"
#include "store_sqlite.h"

/* The default backend (is_uri NULL) comes last: it takes every name. */
static const store_backend *const backends[] = {&store_backend_pg, &store_backend_sqlite};

const store_backend *store_backend_for(const char *name)
{
    size_t n = sizeof backends / sizeof *backends;
    for (size_t i = 0; i + 1 < n; i++)
        if (backends[i]->is_uri && backends[i]->is_uri(name))
            return backends[i];
    return backends[n - 1];
}
