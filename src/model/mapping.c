/* mapping.c - OSCAL 1.2.1 mapping collections (JSON) naming posture templates; the library. */
#include "posture/mapping.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "jsonin.h"
#include "base/strmap.h"

#define OSCAL_NS "http://csrc.nist.gov/ns/oscal"

struct posture_mapping_collection {
    arena mem;
    posture_mapping_info info;
    posture_mapping_set *sets;
    size_t nsets;
};

static const char *const rel_tokens[POSTURE_REL__COUNT] = {
    "equivalent-to", "equal-to", "subset-of", "superset-of", "intersects-with"};

const char *posture_relation_token(posture_relation r)
{
    return (unsigned)r < POSTURE_REL__COUNT ? rel_tokens[r] : "?";
}

int posture_relation_parse(const char *s, posture_relation *out)
{
    for (int i = 0; i < POSTURE_REL__COUNT; i++)
        if (strcmp(s, rel_tokens[i]) == 0) {
            *out = (posture_relation)i;
            return 0;
        }
    return -1;
}

posture_relation posture_relation_inverse(posture_relation r)
{
    return r == POSTURE_REL_SUBSET_OF     ? POSTURE_REL_SUPERSET_OF
           : r == POSTURE_REL_SUPERSET_OF ? POSTURE_REL_SUBSET_OF
                                          : r;
}

/* ---- reading --------------------------------------------------------------------------- */

/* The members OSCAL 1.2.1 allows (oscal_mapping_schema.json); others are warnings. */
static const char *const root_fields[] = {"mapping-collection", "$schema", NULL};
static const char *const coll_fields[] = {"uuid", "metadata", "provenance", "mappings",
                                          "back-matter", NULL};
static const char *const meta_fields[] = {
    "title", "published", "last-modified", "version", "oscal-version", "revisions",
    "document-ids", "props", "links", "roles", "locations", "parties", "responsible-parties",
    "actions", "remarks", NULL};
static const char *const prov_fields[] = {
    "method", "matching-rationale", "status", "confidence-score", "coverage",
    "mapping-description", "responsible-parties", "props", "links", "remarks", NULL};
static const char *const mapping_fields[] = {
    "uuid", "method", "matching-rationale", "status", "source-resource", "target-resource",
    "maps", "props", "links", "remarks", "mapping-description", "source-gap-summary",
    "target-gap-summary", "confidence-score", "coverage", NULL};
static const char *const res_fields[] = {"ns", "type", "href", "props", "links", "remarks", NULL};
static const char *const map_fields[] = {
    "uuid", "ns", "matching-rationale", "relationship", "sources", "targets", "qualifiers",
    "confidence-score", "coverage", "props", "links", "remarks", NULL};
static const char *const item_fields[] = {"type", "id-ref", "props", "links", "remarks", NULL};

static const char *const methods[] = {"human", "automation", "hybrid", NULL};
static const char *const rationales[] = {"syntactic", "semantic", "functional", NULL};
static const char *const statuses[] = {"complete", "not-complete", "draft", "deprecated",
                                       "superseded", NULL};

typedef struct reader {
    posture_mapping_collection *c;
    jctx j;
    int oom;
} reader;

static char *keep(reader *r, const char *s)
{
    if (!s)
        return NULL;
    char *k = arena_strdup(&r->c->mem, s);
    if (!k)
        r->oom = 1;
    return k;
}

static int hex(char ch)
{
    return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f') || (ch >= 'A' && ch <= 'F');
}

/* 8-4-4-4-12 hexadecimal digits (OSCAL's UUIDDatatype, any version). */
static int uuid_valid(const char *s)
{
    static const int group[] = {8, 4, 4, 4, 12};
    for (int g = 0; g < 5; g++) {
        for (int k = 0; k < group[g]; k++, s++)
            if (!hex(*s))
                return 0;
        if (g < 4 && *s++ != '-')
            return 0;
    }
    return *s == '\0';
}

static const char *uuid_field(reader *r, const cJSON *o)
{
    const char *u = jget_text(&r->j, o, "uuid", 1);
    if (u && !uuid_valid(u)) {
        jctx_error_at(&r->j, "uuid", "invalid UUID \"%s\"", u);
        return NULL;
    }
    return u;
}

/* An enumerated string member; the error names the allowed values. */
static const char *enum_field(reader *r, const cJSON *o, const char *key,
                              const char *const *allowed, int required)
{
    const char *s = jget_text(&r->j, o, key, required);
    if (!s)
        return NULL;
    for (const char *const *a = allowed; *a; a++)
        if (strcmp(*a, s) == 0)
            return s;
    char list[160] = "";
    for (const char *const *a = allowed; *a; a++)
        snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", a == allowed ? "" : ", ",
                 *a);
    jctx_error_at(&r->j, key, "unknown %s \"%s\"; expected one of: %s", key, s, list);
    return NULL;
}

/*
 * The value of the prop `name` in posture's namespace among `props`, or
 * NULL. A second one is an error at its place; props of other namespaces
 * are left alone.
 */
static const char *posture_prop(reader *r, const cJSON *o, const char *name)
{
    const cJSON *props = jget_array(&r->j, o, "props", 0);
    const char *found = NULL;
    size_t mark = jctx_push_key(&r->j, "props"), i = 0;
    for (const cJSON *p = props ? props->child : NULL; p; p = p->next, i++) {
        size_t m2 = jctx_push_index(&r->j, i);
        if (jexpect_object(&r->j, p)) {
            const cJSON *n = jfield(p, "name"), *ns = jfield(p, "ns"), *v = jfield(p, "value");
            if (cJSON_IsString(n) && strcmp(n->valuestring, name) == 0 && cJSON_IsString(ns) &&
                strcmp(ns->valuestring, POSTURE_MAPPING_NS) == 0) {
                if (!cJSON_IsString(v))
                    jctx_error_at(&r->j, "value", "expected a string, got %s",
                                  v ? json_type_name(v) : "nothing");
                else if (found)
                    jctx_error(&r->j, "a second prop \"%s\" (ns %s)", name, POSTURE_MAPPING_NS);
                else
                    found = v->valuestring;
            }
        }
        jctx_pop(&r->j, m2);
    }
    jctx_pop(&r->j, mark);
    return found;
}

/* [a-z0-9][a-z0-9.-]{0,63}, as a template id. */
static int id_valid(const char *s, size_t n)
{
    if (n < 1 || n > 64 || !((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= '0' && s[0] <= '9')))
        return 0;
    for (size_t i = 1; i < n; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '.' ||
              s[i] == '-'))
            return 0;
    return 1;
}

/* MAJOR.MINOR.PATCH without leading zeros. */
static int semver_valid(const char *s)
{
    for (int k = 0; k < 3; k++) {
        if (*s < '0' || *s > '9' || (*s == '0' && s[1] >= '0' && s[1] <= '9'))
            return 0;
        size_t n = 0;
        while (*s >= '0' && *s <= '9' && n < 10)
            s++, n++;
        if (*s >= '0' && *s <= '9')
            return 0; /* more than 10 digits */
        if (k < 2 && *s++ != '.')
            return 0;
    }
    return *s == '\0';
}

/* A source-resource or target-resource: its template reference into ref/id/version. */
static int read_resource(reader *r, const cJSON *o, const char *key, const char **ref,
                         const char **id, const char **version)
{
    const cJSON *res = jget_object(&r->j, o, key, 1);
    if (!res)
        return -1;
    size_t mark = jctx_push_key(&r->j, key);
    jget_text(&r->j, res, "type", 1);
    jget_text(&r->j, res, "href", 1);
    const char *tref = posture_prop(r, res, "template");
    int rc = -1;
    if (!tref) {
        jctx_error(&r->j, "expected a prop \"template\" (ns %s) naming the template as "
                          "ID@VERSION", POSTURE_MAPPING_NS);
    } else {
        const char *at = strchr(tref, '@');
        if (!at || !id_valid(tref, (size_t)(at - tref)) || !semver_valid(at + 1)) {
            jctx_error(&r->j, "prop \"template\": expected ID@VERSION (\"soc2-2017@1.0.1\"), "
                              "got \"%s\"", tref);
        } else {
            *ref = keep(r, tref);
            char *i = arena_strndup(&r->c->mem, tref, (size_t)(at - tref));
            r->oom |= !i;
            *id = i;
            *version = keep(r, at + 1);
            rc = 0;
        }
    }
    jcheck_fields(&r->j, res, res_fields);
    jctx_pop(&r->j, mark);
    return rc;
}

/* sources[] or targets[]: control ids into the arena. */
static const char *const *read_items(reader *r, const cJSON *m, const char *key, size_t *n)
{
    *n = 0;
    const cJSON *a = jget_array(&r->j, m, key, 1);
    if (!a)
        return NULL;
    size_t mark = jctx_push_key(&r->j, key);
    size_t cnt = (size_t)cJSON_GetArraySize(a), i = 0;
    const char **ids = NULL;
    if (cnt == 0)
        jctx_error(&r->j, "must not be empty");
    else if (!(ids = arena_alloc(&r->c->mem, cnt * sizeof *ids)))
        r->oom = 1;
    for (const cJSON *it = a->child; it && ids; it = it->next, i++) {
        size_t m2 = jctx_push_index(&r->j, i);
        if (jexpect_object(&r->j, it)) {
            const char *type = jget_text(&r->j, it, "type", 1);
            const char *ref = jget_text(&r->j, it, "id-ref", 1);
            if (type && strcmp(type, "control") != 0)
                jctx_error_at(&r->j, "type", "type \"%s\": posture maps controls only (type "
                                             "\"control\")", type);
            else if (type && ref)
                ids[(*n)++] = keep(r, ref);
            jcheck_fields(&r->j, it, item_fields);
        }
        jctx_pop(&r->j, m2);
    }
    jctx_pop(&r->j, mark);
    return ids;
}

static void read_map(reader *r, const cJSON *m, posture_map *out)
{
    memset(out, 0, sizeof *out);
    uuid_field(r, m);
    const char *ns = jget_text(&r->j, m, "ns", 0);
    const char *rel = jget_text(&r->j, m, "relationship", 1);
    if (ns && strcmp(ns, OSCAL_NS) != 0)
        jctx_error_at(&r->j, "ns", "relationship namespace \"%s\": posture reads the OSCAL "
                                   "relationships only (no ns, or %s)", ns, OSCAL_NS);
    else if (rel && posture_relation_parse(rel, &out->relation) != 0)
        jctx_error_at(&r->j, "relationship", "unknown relationship \"%s\"; expected one of: "
                      "equivalent-to, equal-to, subset-of, superset-of, intersects-with", rel);
    enum_field(r, m, "matching-rationale", rationales, 0);
    out->sources = read_items(r, m, "sources", &out->nsources);
    out->targets = read_items(r, m, "targets", &out->ntargets);
    out->remarks = keep(r, jget_string(&r->j, m, "remarks", 0));
    out->place = keep(r, jctx_place(&r->j));
    jcheck_fields(&r->j, m, map_fields);
}

static void read_mapping(reader *r, const cJSON *m, posture_mapping_set *out)
{
    memset(out, 0, sizeof *out);
    uuid_field(r, m);
    enum_field(r, m, "method", methods, 0);
    enum_field(r, m, "matching-rationale", rationales, 0);
    enum_field(r, m, "status", statuses, 0);
    read_resource(r, m, "source-resource", &out->source, &out->source_id, &out->source_version);
    read_resource(r, m, "target-resource", &out->target, &out->target_id, &out->target_version);
    out->place = keep(r, jctx_place(&r->j));
    const cJSON *maps = jget_array(&r->j, m, "maps", 1);
    if (maps) {
        size_t n = (size_t)cJSON_GetArraySize(maps), i = 0;
        size_t mark = jctx_push_key(&r->j, "maps");
        posture_map *v = NULL;
        if (n == 0)
            jctx_error(&r->j, "must not be empty");
        else if (!(v = arena_alloc(&r->c->mem, n * sizeof *v)))
            r->oom = 1;
        for (const cJSON *x = maps->child; x && v && !r->oom; x = x->next, i++) {
            size_t m2 = jctx_push_index(&r->j, i);
            if (jexpect_object(&r->j, x))
                read_map(r, x, &v[out->nmaps++]);
            jctx_pop(&r->j, m2);
        }
        out->maps = v;
        jctx_pop(&r->j, mark);
    }
    jcheck_fields(&r->j, m, mapping_fields);
}

static void read_collection(reader *r, const cJSON *root)
{
    posture_mapping_info *in = &r->c->info;
    if (!jexpect_object(&r->j, root))
        return;
    const cJSON *mc = jget_object(&r->j, root, "mapping-collection", 1);
    if (!mc)
        return; /* not a mapping collection: its other members say nothing more */
    jcheck_fields(&r->j, root, root_fields);
    size_t mark = jctx_push_key(&r->j, "mapping-collection");
    in->uuid = keep(r, uuid_field(r, mc));
    const cJSON *meta = jget_object(&r->j, mc, "metadata", 1);
    if (meta) {
        size_t m2 = jctx_push_key(&r->j, "metadata");
        in->title = keep(r, jget_text(&r->j, meta, "title", 1));
        jget_text(&r->j, meta, "last-modified", 1);
        in->version = keep(r, jget_text(&r->j, meta, "version", 1));
        const char *ov = jget_text(&r->j, meta, "oscal-version", 1);
        if (ov && strncmp(ov, "1.", 2) != 0)
            jctx_error_at(&r->j, "oscal-version", "OSCAL version \"%s\": posture reads OSCAL 1.x",
                          ov);
        in->kind = keep(r, posture_prop(r, meta, "kind"));
        jcheck_fields(&r->j, meta, meta_fields);
        jctx_pop(&r->j, m2);
    }
    const cJSON *prov = jget_object(&r->j, mc, "provenance", 1);
    if (prov) {
        size_t m2 = jctx_push_key(&r->j, "provenance");
        in->method = keep(r, enum_field(r, prov, "method", methods, 1));
        in->matching_rationale = keep(r, enum_field(r, prov, "matching-rationale", rationales, 1));
        in->status = keep(r, enum_field(r, prov, "status", statuses, 1));
        in->description = keep(r, jget_text(&r->j, prov, "mapping-description", 1));
        jcheck_fields(&r->j, prov, prov_fields);
        jctx_pop(&r->j, m2);
    }
    /* `mappings`: one object or a non-empty array of them (OSCAL allows both) */
    const cJSON *ms = jfield(mc, "mappings");
    if (!ms) {
        jctx_error(&r->j, "missing required field \"mappings\"");
    } else if (cJSON_IsObject(ms)) {
        size_t m2 = jctx_push_key(&r->j, "mappings");
        if (!(r->c->sets = arena_alloc(&r->c->mem, sizeof *r->c->sets)))
            r->oom = 1;
        else
            read_mapping(r, ms, &r->c->sets[r->c->nsets++]);
        jctx_pop(&r->j, m2);
    } else if (!cJSON_IsArray(ms)) {
        jctx_error_at(&r->j, "mappings", "expected an array, got %s", json_type_name(ms));
    } else {
        size_t n = (size_t)cJSON_GetArraySize(ms), i = 0;
        size_t m2 = jctx_push_key(&r->j, "mappings");
        if (n == 0)
            jctx_error(&r->j, "must not be empty");
        else if (!(r->c->sets = arena_alloc(&r->c->mem, n * sizeof *r->c->sets)))
            r->oom = 1;
        for (const cJSON *m = ms->child; m && r->c->sets && !r->oom; m = m->next, i++) {
            size_t m3 = jctx_push_index(&r->j, i);
            if (jexpect_object(&r->j, m))
                read_mapping(r, m, &r->c->sets[r->c->nsets++]);
            jctx_pop(&r->j, m3);
        }
        jctx_pop(&r->j, m2);
    }
    jcheck_fields(&r->j, mc, coll_fields);
    jctx_pop(&r->j, mark);
}

static int parse_tree(const char *file, cJSON *root, int err, posture_diags *d,
                      posture_mapping_collection **out)
{
    *out = NULL;
    int rc = 0;
    reader r;
    memset(&r, 0, sizeof r);
    jctx_init(&r.j, file, d);
    r.c = calloc(1, sizeof *r.c);
    if (!r.c) {
        rc = POSTURE_ENOMEM;
        goto done;
    }
    arena_init(&r.c->mem);
    r.c->info.file = keep(&r, file);
    const char *slash = strrchr(file, '/');
    r.c->info.name = keep(&r, slash ? slash + 1 : file);
    if (!r.oom)
        read_collection(&r, root);
    if (r.oom || r.j.oom || r.j.ptr.oom)
        rc = POSTURE_ENOMEM;
    else if (err)
        rc = err;
    else if (r.j.errors)
        rc = POSTURE_EINVALID;
done:
    if (rc == POSTURE_ENOMEM)
        posture_error_set(rc, "%s: out of memory", file);
    else if (rc != 0 && !*posture_error_last())
        posture_error_set(rc, "%s: invalid mapping collection", file);
    jctx_release(&r.j);
    if (rc != 0)
        posture_mapping_free(r.c);
    else
        *out = r.c;
    return rc;
}

int posture_mapping_parse(const char *text, size_t len, const char *file, posture_diags *diags,
                          posture_mapping_collection **out)
{
    *out = NULL;
    posture_error_clear();
    int err = 0;
    cJSON *root = json_parse_text_all(file, text, len, diags, &err);
    if (!root)
        return err ? err : POSTURE_EINVALID;
    int rc = parse_tree(file, root, err, diags, out);
    cJSON_Delete(root);
    return rc;
}

int posture_mapping_load(const char *path, posture_diags *diags, posture_mapping_collection **out)
{
    *out = NULL;
    posture_error_clear();
    int err = 0;
    cJSON *root = json_parse_file_all(path, diags, &err);
    if (!root)
        return err ? err : POSTURE_EINVALID;
    int rc = parse_tree(path, root, err, diags, out);
    cJSON_Delete(root);
    return rc;
}

void posture_mapping_free(posture_mapping_collection *c)
{
    if (!c)
        return;
    arena_release(&c->mem);
    free(c);
}

const posture_mapping_info *posture_mapping_info_get(const posture_mapping_collection *c)
{
    return &c->info;
}

size_t posture_mapping_set_count(const posture_mapping_collection *c) { return c->nsets; }

const posture_mapping_set *posture_mapping_set_get(const posture_mapping_collection *c, size_t i)
{
    return i < c->nsets ? &c->sets[i] : NULL;
}

int posture_mapping_check(const posture_mapping_collection *c, size_t i,
                          const posture_template *source, const posture_template *target,
                          posture_severity sev, posture_diags *diags)
{
    const posture_mapping_set *s = posture_mapping_set_get(c, i);
    if (!s)
        return 0;
    int bad = 0;
    for (size_t k = 0; k < s->nmaps; k++) {
        const posture_map *m = &s->maps[k];
        for (int side = 0; side < 2; side++) {
            const posture_template *t = side ? target : source;
            const char *const *ids = side ? m->targets : m->sources;
            size_t n = side ? m->ntargets : m->nsources;
            for (size_t j = 0; t && j < n; j++) {
                if (posture_template_find_control(t, ids[j]) >= 0)
                    continue;
                bad++;
                char place[512];
                snprintf(place, sizeof place, "%s/%s/%zu/id-ref", m->place,
                         side ? "targets" : "sources", j);
                if (posture_diags_add(diags, sev, c->info.file, place, NULL,
                                      "no control \"%s\" in %s", ids[j],
                                      side ? s->target : s->source) != 0)
                    return posture_error_set(POSTURE_ENOMEM, "out of memory");
            }
        }
    }
    return bad;
}

/* ---- the library ------------------------------------------------------------------------ */

struct posture_mapping_library {
    posture_mapping_collection **v;
    size_t n, cap;
};

int posture_mapping_library_new(posture_mapping_library **out)
{
    *out = calloc(1, sizeof **out);
    return *out ? 0 : posture_error_set(POSTURE_ENOMEM, "out of memory");
}

void posture_mapping_library_free(posture_mapping_library *lib)
{
    if (!lib)
        return;
    for (size_t i = 0; i < lib->n; i++)
        posture_mapping_free(lib->v[i]);
    free(lib->v);
    free(lib);
}

static int cmp_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int posture_mapping_library_add_dir(posture_mapping_library *lib, const char *dir,
                                    posture_diags *diags)
{
    DIR *dh = opendir(dir);
    if (!dh)
        return posture_error_set(errno == ENOENT ? POSTURE_ENOTFOUND : POSTURE_EIO,
                                 "%s: cannot read the mapping directory: %s", dir,
                                 strerror(errno));
    char **names = NULL;
    size_t n = 0, cap = 0;
    posture_mapping_collection **got = NULL;
    size_t ngot = 0;
    int rc = 0;
    struct dirent *e;
    while ((e = readdir(dh)) != NULL) {
        size_t len = strlen(e->d_name);
        if (len < 6 || e->d_name[0] == '.' || strcmp(e->d_name + len - 5, ".json") != 0)
            continue;
        if (n == cap) {
            size_t c2 = cap ? cap * 2 : 16;
            char **p = realloc(names, c2 * sizeof *p);
            if (!p) {
                rc = posture_error_set(POSTURE_ENOMEM, "out of memory");
                break;
            }
            names = p;
            cap = c2;
        }
        if (!(names[n] = strdup(e->d_name))) {
            rc = posture_error_set(POSTURE_ENOMEM, "out of memory");
            break;
        }
        n++;
    }
    closedir(dh);
    if (rc)
        goto done;
    if (n)
        qsort(names, n, sizeof *names, cmp_name);
    got = calloc(n ? n : 1, sizeof *got);
    if (!got) {
        rc = posture_error_set(POSTURE_ENOMEM, "out of memory");
        goto done;
    }
    int bad = 0;
    for (size_t k = 0; k < n; k++) {
        size_t plen = strlen(dir) + strlen(names[k]) + 2;
        char *path = malloc(plen);
        if (!path) {
            rc = posture_error_set(POSTURE_ENOMEM, "out of memory");
            goto done;
        }
        snprintf(path, plen, "%s/%s", dir, names[k]);
        struct stat st;
        int regular = stat(path, &st) == 0 && S_ISREG(st.st_mode);
        int lrc = regular ? posture_mapping_load(path, diags, &got[ngot]) : 0;
        free(path);
        if (lrc == POSTURE_ENOMEM) {
            rc = lrc;
            goto done;
        }
        if (lrc != 0)
            bad = lrc;
        else if (regular)
            ngot++;
    }
    if (bad) {
        rc = posture_error_set(bad, "%s: a mapping collection has errors", dir);
        goto done;
    }
    if (lib->n + ngot > lib->cap) {
        size_t c2 = lib->cap ? lib->cap : 8;
        while (c2 < lib->n + ngot)
            c2 *= 2;
        posture_mapping_collection **p = realloc(lib->v, c2 * sizeof *p);
        if (!p) {
            rc = posture_error_set(POSTURE_ENOMEM, "out of memory");
            goto done;
        }
        lib->v = p;
        lib->cap = c2;
    }
    for (size_t k = 0; k < ngot; k++) {
        int dup = 0;
        for (size_t j = 0; j < lib->n && !dup; j++)
            dup = strcmp(lib->v[j]->info.uuid, got[k]->info.uuid) == 0;
        if (dup) {
            posture_mapping_free(got[k]);
        } else {
            lib->v[lib->n++] = got[k];
        }
        got[k] = NULL;
    }
    ngot = 0;
done:
    for (size_t k = 0; k < n; k++)
        free(names[k]);
    free(names);
    for (size_t k = 0; k < ngot; k++)
        posture_mapping_free(got[k]);
    free(got);
    return rc;
}

int posture_mapping_library_add_template_dirs(posture_mapping_library *lib,
                                              const posture_library *tlib, posture_diags *diags)
{
    for (size_t i = 0; i < posture_library_dir_count(tlib); i++) {
        char path[PATH_MAX];
        int w = snprintf(path, sizeof path, "%s/mappings", posture_library_dir(tlib, i));
        struct stat st;
        if (w < 0 || (size_t)w >= sizeof path || stat(path, &st) != 0 || !S_ISDIR(st.st_mode))
            continue;
        int rc = posture_mapping_library_add_dir(lib, path, diags);
        if (rc)
            return rc;
    }
    return 0;
}

size_t posture_mapping_library_count(const posture_mapping_library *lib) { return lib->n; }

const posture_mapping_collection *posture_mapping_library_get(const posture_mapping_library *lib,
                                                              size_t i)
{
    return i < lib->n ? lib->v[i] : NULL;
}
