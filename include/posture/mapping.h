/*
 * posture/mapping.h - crosswalks between templates, read from OSCAL 1.2.1
 * mapping collections (JSON): which controls of one template relate to
 * which controls of another, and how (NIST IR 8477 set-theory
 * relationships), with the collection's provenance. A mapping library
 * holds the collections of a search path (docs/mappings.md).
 *
 * A collection names posture templates: each `mappings[]` entry's
 * source-resource and target-resource carries a prop `template`
 * (namespace POSTURE_MAPPING_NS) whose value is `id@version`; `maps[]`
 * relate control ids of those templates, read "the sources are REL the
 * targets".
 *
 * Ownership: a posture_mapping_collection is created by
 * posture_mapping_load() or posture_mapping_parse() and freed with
 * posture_mapping_free(); every pointer it hands out (strings, structs,
 * arrays) is owned by it. A posture_mapping_library owns the collections it
 * read.
 */
#ifndef POSTURE_MAPPING_H
#define POSTURE_MAPPING_H

#include <stddef.h>
#include "error.h"
#include "template.h"

#ifdef __cplusplus
extern "C" {
#endif

/** The namespace of posture's props in OSCAL documents. */
#define POSTURE_MAPPING_NS "https://posture.example/ns/oscal"

/** A relationship between a source and a target set (NIST IR 8477). */
typedef enum {
    POSTURE_REL_EQUIVALENT_TO = 0, /**< the same requirement, differently worded */
    POSTURE_REL_EQUAL_TO,          /**< the same requirement, the same words */
    POSTURE_REL_SUBSET_OF,         /**< the source asks for part of what the target asks */
    POSTURE_REL_SUPERSET_OF,       /**< the source asks for all the target asks, and more */
    POSTURE_REL_INTERSECTS_WITH,   /**< they share some of what they ask, not all */
    POSTURE_REL__COUNT
} posture_relation;

/** The relationship's token ("equivalent-to", ...). */
const char *posture_relation_token(posture_relation r);

/** Parse a token; returns 0 and sets `*out`, or -1 when unknown. */
int posture_relation_parse(const char *s, posture_relation *out);

/** The relationship read from the target's side: subset-of <-> superset-of; others unchanged. */
posture_relation posture_relation_inverse(posture_relation r);

/** One map: source controls REL target controls. Owned by its collection. */
typedef struct posture_map {
    posture_relation relation;
    const char *const *sources;     /**< control ids of the source template */
    size_t nsources;
    const char *const *targets;     /**< control ids of the target template */
    size_t ntargets;
    const char *remarks;            /**< NULL when absent */
    const char *place;              /**< JSON pointer of the map, for messages */
} posture_map;

/** One `mappings[]` entry: the maps between two templates. Owned by its collection. */
typedef struct posture_mapping_set {
    const char *source;             /**< "id@version" of the source template */
    const char *source_id;
    const char *source_version;
    const char *target;             /**< "id@version" of the target template */
    const char *target_id;
    const char *target_version;
    const posture_map *maps;
    size_t nmaps;
    const char *place;              /**< JSON pointer of the entry */
} posture_mapping_set;

/** A collection's identity and provenance. Strings NULL when absent. Owned by it. */
typedef struct posture_mapping_info {
    const char *file;               /**< the path it was read from */
    const char *name;               /**< the file's base name ("a-to-b.json") */
    const char *uuid;
    const char *title;
    const char *version;
    const char *kind;               /**< metadata prop `kind` (posture ns): "template-upgrade" */
    const char *method;             /**< provenance: human, automation or hybrid */
    const char *matching_rationale; /**< provenance: syntactic, semantic or functional */
    const char *status;             /**< provenance: complete, draft, ... */
    const char *description;        /**< provenance: mapping-description */
} posture_mapping_info;

typedef struct posture_mapping_collection posture_mapping_collection;

/**
 * Read the mapping collection in file `path`. Every problem goes to
 * `diags` (may be NULL) as "FILE: /json/pointer: message" (syntax errors
 * at LINE:COL); returns POSTURE_ESYNTAX / POSTURE_EINVALID / POSTURE_EIO /
 * POSTURE_ELIMIT with `*out` left NULL. Unknown members are warnings.
 */
int posture_mapping_load(const char *path, posture_diags *diags,
                         posture_mapping_collection **out);

/** As posture_mapping_load() on `len` bytes of `text` (NUL after them), named `file`. */
int posture_mapping_parse(const char *text, size_t len, const char *file, posture_diags *diags,
                          posture_mapping_collection **out);

/** Free a collection. Accepts NULL. */
void posture_mapping_free(posture_mapping_collection *c);

/** Identity and provenance of the collection. */
const posture_mapping_info *posture_mapping_info_get(const posture_mapping_collection *c);

size_t posture_mapping_set_count(const posture_mapping_collection *c);
const posture_mapping_set *posture_mapping_set_get(const posture_mapping_collection *c, size_t i);

/**
 * Check that every control id of set `i` names a control of `source`
 * (the set's source template) and `target`: each one that does not is a
 * diagnostic of severity `sev` at its place ("FILE: /mapping-collection/
 * mappings/0/maps/3/sources/0/id-ref: no control "X" in ID@VERSION").
 * Returns the number of unknown ids (or POSTURE_ENOMEM).
 */
int posture_mapping_check(const posture_mapping_collection *c, size_t i,
                          const posture_template *source, const posture_template *target,
                          posture_severity sev, posture_diags *diags);

/** The collections of a search path. */
typedef struct posture_mapping_library posture_mapping_library;

/** Create an empty mapping library in `*out`. */
int posture_mapping_library_new(posture_mapping_library **out);

/** Free a library and its collections. Accepts NULL. */
void posture_mapping_library_free(posture_mapping_library *lib);

/**
 * Read every *.json file of directory `dir` (by name) as a collection. A
 * collection whose uuid the library already holds (the same file reached
 * through another directory) is skipped. Problems go to `diags`; any
 * error fails the call (POSTURE_EINVALID ...) and adds nothing. A missing
 * directory is POSTURE_ENOTFOUND.
 */
int posture_mapping_library_add_dir(posture_mapping_library *lib, const char *dir,
                                    posture_diags *diags);

/**
 * posture_mapping_library_add_dir() on `D/mappings` for every directory D
 * of the template search path `tlib` that has one, in search-path order.
 */
int posture_mapping_library_add_template_dirs(posture_mapping_library *lib,
                                              const posture_library *tlib, posture_diags *diags);

size_t posture_mapping_library_count(const posture_mapping_library *lib);
const posture_mapping_collection *posture_mapping_library_get(const posture_mapping_library *lib,
                                                              size_t i);

#ifdef __cplusplus
}
#endif
#endif
