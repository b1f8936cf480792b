/*
 * strmap.h - (internal) open-addressing hash map from strings to indices,
 * and an arena for strings that live as long as their owner.
 *
 * Keys are borrowed: the caller keeps them alive as long as the map.
 */
#ifndef POSTURE_STRMAP_H
#define POSTURE_STRMAP_H

#include <stddef.h>

/* One slot: the key's hash beside the key and the value, so that a probe
 * touches one cache line and compares strings only when the hashes match. */
typedef struct strmap_slot {
    const char *key; /* NULL: empty */
    size_t val;
    size_t hash;
} strmap_slot;

typedef struct strmap {
    strmap_slot *slots;
    size_t cap;   /* power of two, 0 when empty */
    size_t n;
} strmap;

/** Initialise an empty map (no allocation). */
void strmap_init(strmap *m);

/** Release the map's tables (not the keys). */
void strmap_release(strmap *m);

/**
 * Insert `key` -> `val`. If the key exists, leaves the map unchanged and
 * stores the existing value in `*old` (when not NULL) and returns 1.
 * Returns 0 when inserted, -1 when out of memory.
 */
int strmap_put(strmap *m, const char *key, size_t val, size_t *old);

/** Look up `key`; returns 1 and sets `*val` when found, else 0. */
int strmap_get(const strmap *m, const char *key, size_t *val);

/** An arena of strings and small blocks, freed all at once. */
typedef struct arena_block arena_block;
typedef struct arena {
    arena_block *head;
} arena;

void arena_init(arena *a);
void arena_release(arena *a);
/** `size` bytes aligned for any type, or NULL when out of memory. */
void *arena_alloc(arena *a, size_t size);
/** A copy of `s` (NULL -> NULL), or NULL when out of memory. */
char *arena_strdup(arena *a, const char *s);
/** A copy of `n` bytes of `s` with a terminating NUL. */
char *arena_strndup(arena *a, const char *s, size_t n);

#endif
