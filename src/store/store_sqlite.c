/*
 * store_sqlite.c - the SQLite backend of the store (docs/store.md): schema,
 * migrations by PRAGMA user_version, WAL, busy_timeout, foreign keys, and
 * every record operation as a cached prepared statement.
 */
#include <errno.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "store_raw.h"
#include "store_sqlite.h"
#include "base/strmap.h"

/* "post" in ASCII: PRAGMA application_id of a posture store. */
#define STORE_APPLICATION_ID 0x706f7374

/* Trigger body: recompute the keyscore row of the key of ROW (NEW or OLD). */
#define KEYSCORE_REFRESH(ROW)                                                              \
    " DELETE FROM keyscore WHERE action = " ROW ".action AND share = " ROW ".share;"        \
    " INSERT INTO keyscore(action, share, assessment_id, points, achieved_x100)"            \
    " SELECT action, share, MIN(assessment_id), points, achieved_x100 FROM inclusion"       \
    " WHERE action = " ROW ".action AND share = " ROW ".share AND counted = 1"              \
    " GROUP BY action, share;"

/* Trigger body: NEW (counted) represents its key unless an earlier assessment counts it. */
#define KEYSCORE_CLAIM                                                                      \
    " INSERT OR REPLACE INTO keyscore(action, share, assessment_id, points, achieved_x100)"  \
    " SELECT NEW.action, NEW.share, NEW.assessment_id, NEW.points, NEW.achieved_x100"      \
    " WHERE NOT EXISTS (SELECT 1 FROM keyscore WHERE action = NEW.action"                  \
    " AND share = NEW.share AND assessment_id < NEW.assessment_id);"

/* The keys whose inclusions changed figures in this transaction (the connection's own). */
#define KEYSCORE_DIRTY_TABLE                                                                \
    "CREATE TEMP TABLE IF NOT EXISTS keyscore_dirty(action TEXT NOT NULL,"                 \
    " share TEXT NOT NULL, PRIMARY KEY(action, share)) WITHOUT ROWID"

/* Before commit: each dirty key gets the figures of the earliest assessment counting it
   (min() picks the row the bare columns come from), or no keyscore row when none does. */
#define KEYSCORE_DIRTY_REFRESH                                                              \
    "DELETE FROM keyscore WHERE (action, share) IN"                                          \
    " (SELECT action, share FROM temp.keyscore_dirty);"                                     \
    "INSERT INTO keyscore(action, share, assessment_id, points, achieved_x100)"             \
    " SELECT i.action, i.share, MIN(i.assessment_id), i.points, i.achieved_x100"           \
    " FROM temp.keyscore_dirty d CROSS JOIN inclusion i"                                   \
    " ON i.action = d.action AND i.share = d.share WHERE i.counted = 1"                    \
    " GROUP BY d.action, d.share;"                                                         \
    "DELETE FROM temp.keyscore_dirty;"

/* Migrations: entry k brings a store from user_version k to k + 1. */
static const char *const migrations[] = {
    /* 0 -> 1: the first schema */
    "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
    "CREATE TABLE assessment("
    " id INTEGER PRIMARY KEY AUTOINCREMENT,"
    " name TEXT NOT NULL UNIQUE,"
    " template_id TEXT NOT NULL, template_version TEXT NOT NULL, template_file TEXT,"
    " grp TEXT NOT NULL, organization TEXT, scope TEXT, profile TEXT NOT NULL,"
    " created_at TEXT NOT NULL, updated_at TEXT NOT NULL);"
    "CREATE TABLE inclusion("
    " assessment_id INTEGER NOT NULL REFERENCES assessment(id) ON DELETE CASCADE,"
    " action TEXT NOT NULL, idx INTEGER NOT NULL, share TEXT NOT NULL,"
    " counted INTEGER NOT NULL DEFAULT 0, points INTEGER NOT NULL DEFAULT 0,"
    " achieved_x100 INTEGER NOT NULL DEFAULT 0,"
    " PRIMARY KEY(assessment_id, action)) WITHOUT ROWID;"
    "CREATE INDEX inclusion_key ON inclusion(action, share, assessment_id);"
    "CREATE INDEX inclusion_order ON inclusion(assessment_id, idx);"
    /* keyscore: per answer key counted anywhere, the figures of the earliest assessment
       counting it (the overall rule), kept by the triggers below */
    "CREATE TABLE keyscore("
    " action TEXT NOT NULL, share TEXT NOT NULL, assessment_id INTEGER NOT NULL,"
    " points INTEGER NOT NULL, achieved_x100 INTEGER NOT NULL,"
    " PRIMARY KEY(action, share)) WITHOUT ROWID;"
    /* counted now: the row represents its key unless an earlier assessment does */
    "CREATE TRIGGER inclusion_insert AFTER INSERT ON inclusion WHEN NEW.counted = 1 BEGIN"
    KEYSCORE_CLAIM " END;"
    "CREATE TRIGGER inclusion_delete AFTER DELETE ON inclusion WHEN OLD.counted = 1 BEGIN"
    KEYSCORE_REFRESH("OLD") " END;"
    "CREATE TRIGGER inclusion_count AFTER UPDATE OF counted, points, achieved_x100"
    " ON inclusion WHEN NEW.counted = 1 BEGIN" KEYSCORE_CLAIM " END;"
    /* no longer counted: when it represented its key, the next earliest takes over */
    "CREATE TRIGGER inclusion_uncount AFTER UPDATE OF counted, points, achieved_x100"
    " ON inclusion WHEN NEW.counted = 0 AND OLD.counted = 1 BEGIN"
    " DELETE FROM keyscore WHERE action = OLD.action AND share = OLD.share"
    "  AND assessment_id = OLD.assessment_id;"
    " INSERT INTO keyscore(action, share, assessment_id, points, achieved_x100)"
    " SELECT action, share, MIN(assessment_id), points, achieved_x100 FROM inclusion"
    " WHERE action = OLD.action AND share = OLD.share AND counted = 1"
    " AND NOT EXISTS (SELECT 1 FROM keyscore WHERE action = OLD.action AND share = OLD.share)"
    " GROUP BY action, share; END;"
    "CREATE TRIGGER inclusion_rekey AFTER UPDATE OF action, share ON inclusion"
    " WHEN NEW.action <> OLD.action OR NEW.share <> OLD.share BEGIN"
    KEYSCORE_REFRESH("OLD") KEYSCORE_REFRESH("NEW") " END;"
    "CREATE TABLE answer("
    " id INTEGER PRIMARY KEY,"
    " action TEXT NOT NULL, share TEXT NOT NULL,"
    " implementation TEXT NOT NULL, test TEXT NOT NULL,"
    " tested_at TEXT, assigned_to TEXT, notes TEXT,"
    " updated_at TEXT NOT NULL, updated_by TEXT NOT NULL,"
    " UNIQUE(action, share));"
    "CREATE TABLE evidence("
    " id INTEGER PRIMARY KEY,"
    " answer_id INTEGER NOT NULL REFERENCES answer(id) ON DELETE CASCADE,"
    " uri TEXT NOT NULL, note TEXT, added_by TEXT NOT NULL, added_at TEXT NOT NULL,"
    " UNIQUE(answer_id, uri));"
    "CREATE TABLE exclusion("
    " assessment_id INTEGER NOT NULL REFERENCES assessment(id) ON DELETE CASCADE,"
    " control TEXT NOT NULL, justification TEXT NOT NULL,"
    " at TEXT NOT NULL, by TEXT NOT NULL,"
    " PRIMARY KEY(assessment_id, control)) WITHOUT ROWID;"
    "CREATE TABLE snapshot("
    " id INTEGER PRIMARY KEY,"
    " assessment_id INTEGER NOT NULL REFERENCES assessment(id) ON DELETE CASCADE,"
    " at TEXT NOT NULL, change TEXT NOT NULL, template_version TEXT NOT NULL,"
    " achieved_x100 INTEGER NOT NULL, possible_x100 INTEGER NOT NULL, percent_x100 INTEGER,"
    " c_passed INTEGER NOT NULL, c_failed INTEGER NOT NULL, c_in_progress INTEGER NOT NULL,"
    " c_not_assessed INTEGER NOT NULL, c_out_of_scope INTEGER NOT NULL,"
    " a_passed INTEGER NOT NULL, a_failed INTEGER NOT NULL, a_partial INTEGER NOT NULL,"
    " a_in_progress INTEGER NOT NULL, a_not_assessed INTEGER NOT NULL,"
    " a_out_of_scope INTEGER NOT NULL);"
    "CREATE INDEX snapshot_assessment ON snapshot(assessment_id, id);"
    "CREATE TABLE audit("
    " id INTEGER PRIMARY KEY," /* never deleted (triggers), so ids only grow */
    " assessment_id INTEGER NOT NULL, assessment TEXT NOT NULL,"
    " at TEXT NOT NULL, who TEXT NOT NULL, what TEXT NOT NULL,"
    " old_value TEXT, new_value TEXT, via TEXT);"
    "CREATE INDEX audit_assessment ON audit(assessment_id, id);"
    "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit"
    " BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;"
    "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit"
    " BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;"
    "INSERT INTO meta(key, value) VALUES ('application', 'posture');",
    /* 1 -> 2: keyscore is refreshed once per transaction for the keys whose inclusions
       changed their figures (KEYSCORE_DIRTY_REFRESH, at commit) instead of by triggers on
       every updated row: the triggers were a fifth of a 100,000-answer import */
    "DROP TRIGGER inclusion_count;"
    "DROP TRIGGER inclusion_uncount;",
};
#define NMIGRATIONS ((int)(sizeof migrations / sizeof *migrations))
_Static_assert(NMIGRATIONS == SB_SCHEMA_VERSION, "one migration per schema version");

enum {
    Q_ASSESSMENT_BY_NAME,
    Q_ASSESSMENT_BY_ID,
    Q_ASSESSMENT_LIST,
    Q_ASSESSMENT_LIST_GRP,
    Q_ASSESSMENT_INSERT,
    Q_ASSESSMENT_UPDATE,
    Q_ASSESSMENT_DELETE,
    Q_INCL_INSERT,
    Q_INCL_DELETE_ALL,
    Q_INCL_LIST,
    Q_INCL_UPDATE_SCORE,
    Q_INCL_DIRTY,
    Q_INCL_SET_SHARE,
    Q_INCL_SHARERS,
    Q_INCL_NEIGHBOURS,
    Q_INCL_SHARES,
    Q_ANSWER_GET,
    Q_ANSWER_PUT,
    Q_ANSWER_PUT_NOID,
    Q_ANSWERS_OF,
    Q_EVIDENCE_ADD,
    Q_EVIDENCE_OF,
    Q_EXCLUSION_LIST,
    Q_EXCLUSION_PUT,
    Q_EXCLUSION_DELETE,
    Q_AUDIT_ADD,
    Q_AUDIT_ADD_MANY,
    Q_AUDIT_LIST,
    Q_SNAPSHOT_ADD,
    Q_SNAPSHOT_LIST,
    Q_SNAPSHOT_LATEST,
    Q_OVERALL,
    Q__COUNT
};

#define ASSESSMENT_COLS                                                                    \
    "id, name, template_id, template_version, template_file, grp, organization, scope, " \
    "profile, created_at, updated_at"
#define SNAPSHOT_COLS                                                                       \
    "assessment_id, at, change, template_version, achieved_x100, possible_x100, "          \
    "percent_x100, c_passed, c_failed, c_in_progress, c_not_assessed, c_out_of_scope, "    \
    "a_passed, a_failed, a_partial, a_in_progress, a_not_assessed, a_out_of_scope"
/* Log entries are written AUDIT_BATCH to a statement: a third of the time of a 100,000-answer
   import went to stepping one INSERT per entry. */
#define AUDIT_BATCH 16
#define AUDIT_ROW "(?, ?, ?, ?, ?, ?, ?, ?)"
#define AUDIT_ROWS4 AUDIT_ROW ", " AUDIT_ROW ", " AUDIT_ROW ", " AUDIT_ROW
#define AUDIT_ADD_MANY                                                                      \
    "INSERT INTO audit(assessment_id, assessment, at, who, what, old_value, new_value, via)"  \
    " VALUES " AUDIT_ROWS4 ", " AUDIT_ROWS4 ", " AUDIT_ROWS4 ", " AUDIT_ROWS4

#define ANSWER_UPSERT                                                                       \
    "INSERT INTO answer(action, share, implementation, test, tested_at, assigned_to,"      \
    " notes, updated_at, updated_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"           \
    " ON CONFLICT(action, share) DO UPDATE SET implementation = excluded.implementation,"  \
    " test = excluded.test, tested_at = excluded.tested_at,"                              \
    " assigned_to = excluded.assigned_to, notes = excluded.notes,"                        \
    " updated_at = excluded.updated_at, updated_by = excluded.updated_by"
#define ANSWER_COLS                                                                         \
    "a.id, a.action, a.share, a.implementation, a.test, a.tested_at, a.assigned_to, "      \
    "a.notes, a.updated_at, a.updated_by"

static const char *const sql[Q__COUNT] = {
    [Q_ASSESSMENT_BY_NAME] = "SELECT " ASSESSMENT_COLS " FROM assessment WHERE name = ?1",
    [Q_ASSESSMENT_BY_ID] = "SELECT " ASSESSMENT_COLS " FROM assessment WHERE id = ?1",
    [Q_ASSESSMENT_LIST] = "SELECT " ASSESSMENT_COLS " FROM assessment ORDER BY name",
    [Q_ASSESSMENT_LIST_GRP] =
        "SELECT " ASSESSMENT_COLS " FROM assessment WHERE grp = ?1 ORDER BY name",
    [Q_ASSESSMENT_INSERT] =
        "INSERT INTO assessment(name, template_id, template_version, template_file, grp,"
        " organization, scope, profile, created_at, updated_at)"
        " VALUES (?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    [Q_ASSESSMENT_UPDATE] =
        "UPDATE assessment SET name = ?2, template_id = ?3, template_version = ?4,"
        " template_file = ?5, grp = ?6, organization = ?7, scope = ?8, profile = ?9,"
        " created_at = ?10, updated_at = ?11 WHERE id = ?1",
    [Q_ASSESSMENT_DELETE] = "DELETE FROM assessment WHERE id = ?1",
    [Q_INCL_INSERT] =
        "INSERT INTO inclusion(assessment_id, idx, action, share, counted, points,"
        " achieved_x100) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    [Q_INCL_DELETE_ALL] = "DELETE FROM inclusion WHERE assessment_id = ?1",
    [Q_INCL_LIST] =
        "SELECT assessment_id, idx, action, share, counted, points, achieved_x100"
        " FROM inclusion WHERE assessment_id = ?1 ORDER BY idx",
    [Q_INCL_UPDATE_SCORE] =
        "UPDATE inclusion SET counted = ?5, points = ?6, achieved_x100 = ?7"
        " WHERE assessment_id = ?1 AND action = ?3",
    [Q_INCL_DIRTY] = "INSERT OR IGNORE INTO temp.keyscore_dirty(action, share) VALUES (?1, ?2)",
    [Q_INCL_SET_SHARE] =
        "UPDATE inclusion SET share = ?3 WHERE assessment_id = ?1 AND share = ?2",
    [Q_INCL_SHARERS] =
        "SELECT assessment_id FROM inclusion WHERE action = ?1 AND share = ?2"
        " ORDER BY assessment_id",
    [Q_INCL_NEIGHBOURS] =
        "SELECT DISTINCT o.assessment_id FROM inclusion i JOIN inclusion o"
        " ON o.action = i.action AND o.share = i.share AND o.assessment_id <> i.assessment_id"
        " WHERE i.assessment_id = ?1 ORDER BY o.assessment_id",
    [Q_INCL_SHARES] =
        "SELECT i.action, a.name FROM inclusion i JOIN inclusion o"
        " ON o.action = i.action AND o.share = i.share AND o.assessment_id <> i.assessment_id"
        " JOIN assessment a ON a.id = o.assessment_id"
        " WHERE i.assessment_id = ?1 ORDER BY i.idx, a.name",
    [Q_ANSWER_GET] = "SELECT " ANSWER_COLS " FROM answer a WHERE a.action = ?1 AND a.share = ?2",
    [Q_ANSWER_PUT] = ANSWER_UPSERT " RETURNING id",
    /* RETURNING costs a temporary table per statement: a seventh of a bulk import */
    [Q_ANSWER_PUT_NOID] = ANSWER_UPSERT,
    [Q_ANSWERS_OF] =
        "SELECT " ANSWER_COLS " FROM inclusion i JOIN answer a"
        " ON a.action = i.action AND a.share = i.share"
        " WHERE i.assessment_id = ?1 ORDER BY i.idx",
    [Q_EVIDENCE_ADD] =
        "INSERT INTO evidence(answer_id, uri, note, added_by, added_at)"
        " VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT(answer_id, uri) DO NOTHING",
    /* from the evidence side (CROSS JOIN fixes the order): evidence is far rarer than
       inclusions, and an assessment without any costs nothing */
    [Q_EVIDENCE_OF] =
        "SELECT e.answer_id, i.action, e.uri, e.note, e.added_by, e.added_at"
        " FROM evidence e CROSS JOIN answer a CROSS JOIN inclusion i"
        " WHERE a.id = e.answer_id AND i.assessment_id = ?1 AND i.action = a.action"
        " AND i.share = a.share ORDER BY i.idx, e.id",
    [Q_EXCLUSION_LIST] =
        "SELECT assessment_id, control, justification, at, by FROM exclusion"
        " WHERE assessment_id = ?1 ORDER BY control",
    [Q_EXCLUSION_PUT] =
        "INSERT INTO exclusion(assessment_id, control, justification, at, by)"
        " VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT(assessment_id, control) DO UPDATE SET"
        " justification = excluded.justification, at = excluded.at, by = excluded.by",
    [Q_EXCLUSION_DELETE] = "DELETE FROM exclusion WHERE assessment_id = ?1 AND control = ?2",
    [Q_AUDIT_ADD] =
        "INSERT INTO audit(assessment_id, assessment, at, who, what, old_value, new_value, via)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    [Q_AUDIT_ADD_MANY] = AUDIT_ADD_MANY,
    [Q_AUDIT_LIST] =
        "SELECT assessment_id, assessment, at, who, what, old_value, new_value, via"
        " FROM audit WHERE assessment_id = ?1 ORDER BY id",
    [Q_SNAPSHOT_ADD] =
        "INSERT INTO snapshot(" SNAPSHOT_COLS ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9,"
        " ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)",
    [Q_SNAPSHOT_LIST] =
        "SELECT " SNAPSHOT_COLS " FROM snapshot WHERE assessment_id = ?1 ORDER BY id",
    [Q_SNAPSHOT_LATEST] =
        "SELECT " SNAPSHOT_COLS " FROM snapshot WHERE assessment_id = ?1"
        " ORDER BY id DESC LIMIT 1",
    [Q_OVERALL] =
        "SELECT COUNT(*), COALESCE(SUM(points), 0), COALESCE(SUM(achieved_x100), 0)"
        " FROM keyscore",
};

typedef struct sqlite_be {
    sqlite3 *db;
    char *path;
    int version;
    int busy_ms;
    sb_audit pending[AUDIT_BATCH]; /* log entries not written yet (copies in pending_ar); */
    size_t npending;               /* written when AUDIT_BATCH, at commit, before reading */
    arena pending_ar;
    int dirty; /* keyscore_dirty has rows: refresh keyscore before commit */
    sqlite3_stmt *stmt[Q__COUNT];
} sqlite_be;

/* Map an SQLite failure to a posture error with a message naming the store. */
static int fail(sqlite_be *b, int src)
{
    int prim = src & 0xff;
    const char *msg = b->db ? sqlite3_errmsg(b->db) : sqlite3_errstr(src);
    switch (prim) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return posture_error_set(POSTURE_EBUSY,
                                 "%s: store is busy: another process kept it locked for %d ms",
                                 b->path, b->busy_ms);
    case SQLITE_READONLY:
        return posture_error_set(POSTURE_ESTORE, "%s: the store is read-only", b->path);
    case SQLITE_FULL:
        return posture_error_set(POSTURE_EIO, "%s: the disk is full; nothing was changed",
                                 b->path);
    case SQLITE_NOTADB:
        return posture_error_set(POSTURE_ESTORE, "%s: not a posture store (not an SQLite database)",
                                 b->path);
    case SQLITE_CORRUPT:
        return posture_error_set(POSTURE_ESTORE, "%s: the store is damaged: %s", b->path, msg);
    case SQLITE_NOMEM:
        return posture_error_set(POSTURE_ENOMEM, "out of memory");
    case SQLITE_IOERR:
    case SQLITE_CANTOPEN:
    case SQLITE_PERM:
        return posture_error_set(POSTURE_EIO, "%s: cannot use the store: %s", b->path, msg);
    default:
        return posture_error_set(POSTURE_ESTORE, "%s: store error: %s", b->path, msg);
    }
}

static int prep(sqlite_be *b, int q, sqlite3_stmt **out)
{
    if (!b->stmt[q]) {
        int rc = sqlite3_prepare_v3(b->db, sql[q], -1, SQLITE_PREPARE_PERSISTENT, &b->stmt[q],
                                    NULL);
        if (rc != SQLITE_OK)
            return fail(b, rc);
    }
    *out = b->stmt[q];
    return 0;
}

static void done_stmt(sqlite3_stmt *st)
{
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
}

static void bind_text(sqlite3_stmt *st, int i, const char *s)
{
    if (s)
        sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, i);
}

static const char *col_text(sqlite3_stmt *st, int i)
{
    return (const char *)sqlite3_column_text(st, i);
}

/* Run a statement that returns no rows. */
static int exec_stmt(sqlite_be *b, sqlite3_stmt *st)
{
    int rc = sqlite3_step(st);
    int ret = (rc == SQLITE_DONE || rc == SQLITE_ROW) ? 0 : fail(b, rc);
    done_stmt(st);
    return ret;
}

/* Statement `q` (prepared once) with parameter 1 bound to `id`. */
static int prep_id(sqlite_be *b, int q, int64_t id, sqlite3_stmt **out)
{
    int rc = prep(b, q, out);
    if (rc == 0)
        sqlite3_bind_int64(*out, 1, id);
    return rc;
}

/*
 * Step `st` to its next row: 1 when there is one; 0 at the end, and when
 * `*ret` is set: by a callback that stops the walk, by the failed prepare,
 * or here by a failed step. Walks read: while (next_row(b, st, &ret)) ...
 */
static int next_row(sqlite_be *b, sqlite3_stmt *st, int *ret)
{
    if (*ret)
        return 0;
    int rc = sqlite3_step(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        *ret = fail(b, rc);
    return rc == SQLITE_ROW;
}

/* The end of a walk: the statement reset for its next use; returns `ret`. */
static int walk_end(sqlite3_stmt *st, int ret)
{
    if (st)
        done_stmt(st);
    return ret;
}

static int exec_sql(sqlite_be *b, const char *text)
{
    int rc = sqlite3_exec(b->db, text, NULL, NULL, NULL);
    return rc == SQLITE_OK ? 0 : fail(b, rc);
}

static int pragma_int(sqlite_be *b, const char *text, int *out)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(b->db, text, -1, &st, NULL);
    if (rc == SQLITE_OK) {
        rc = sqlite3_step(st);
        if (rc == SQLITE_ROW) {
            *out = sqlite3_column_int(st, 0);
            rc = SQLITE_OK;
        }
    }
    int ret = (rc == SQLITE_OK || rc == SQLITE_DONE) ? 0 : fail(b, rc);
    sqlite3_finalize(st);
    return ret;
}

static void sq_close(void *be)
{
    sqlite_be *b = be;
    if (!b)
        return;
    for (int i = 0; i < Q__COUNT; i++)
        sqlite3_finalize(b->stmt[i]);
    arena_release(&b->pending_ar);
    sqlite3_close(b->db);
    free(b->path);
    free(b);
}

/* Bring the schema from b->version to the current one in one transaction. */
static int migrate(sqlite_be *b, int fresh)
{
    int rc = exec_sql(b, "BEGIN IMMEDIATE");
    if (rc)
        return rc;
    int v = 0;
    /* re-read inside the lock: another process may have migrated meanwhile */
    if ((rc = pragma_int(b, "PRAGMA user_version", &v)) != 0)
        goto fail;
    if (fresh && v == 0) {
        int tables = 0;
        if ((rc = pragma_int(b, "SELECT count(*) FROM sqlite_schema", &tables)) != 0)
            goto fail;
        if (tables > 0) {
            rc = posture_error_set(POSTURE_ESTORE, "%s: not a posture store", b->path);
            goto fail;
        }
        char app[64];
        snprintf(app, sizeof app, "PRAGMA application_id = %d", STORE_APPLICATION_ID);
        if ((rc = exec_sql(b, app)) != 0)
            goto fail;
    }
    for (; v < NMIGRATIONS; v++) {
        if ((rc = exec_sql(b, migrations[v])) != 0)
            goto fail;
        char uv[64];
        snprintf(uv, sizeof uv, "PRAGMA user_version = %d", v + 1);
        if ((rc = exec_sql(b, uv)) != 0)
            goto fail;
    }
    if ((rc = exec_sql(b, "COMMIT")) != 0)
        goto fail;
    b->version = v;
    return 0;
fail:
    sqlite3_exec(b->db, "ROLLBACK", NULL, NULL, NULL);
    return rc;
}

static int sq_open(const char *path, unsigned flags, void **out, int *created)
{
    *out = NULL;
    *created = 0;
    int is_uri = strncmp(path, "file:", 5) == 0;
    struct stat stb;
    int exists = is_uri || stat(path, &stb) == 0;
    if (!exists && !(flags & SB_OPEN_CREATE))
        return posture_error_set(POSTURE_ENOTFOUND, "%s: no store here", path);
    if (!is_uri && exists && S_ISDIR(stb.st_mode))
        return posture_error_set(POSTURE_ESTORE, "%s: not a posture store (a directory)", path);

    sqlite_be *b = calloc(1, sizeof *b);
    if (!b || !(b->path = strdup(path))) {
        free(b);
        return posture_error_set(POSTURE_ENOMEM, "out of memory");
    }
    b->busy_ms = store_busy_timeout_ms();
    int oflags = SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX;
    if (flags & SB_OPEN_READONLY)
        oflags |= SQLITE_OPEN_READONLY;
    else
        oflags |= SQLITE_OPEN_READWRITE | ((flags & SB_OPEN_CREATE) ? SQLITE_OPEN_CREATE : 0);
    int rc = sqlite3_open_v2(path, &b->db, oflags, NULL);
    int ret = 0;
    if (rc != SQLITE_OK) {
        ret = fail(b, rc);
        goto fail;
    }
    sqlite3_extended_result_codes(b->db, 1);
    sqlite3_busy_timeout(b->db, b->busy_ms);

    int app = 0, version = 0, tables = 0;
    if ((ret = pragma_int(b, "PRAGMA application_id", &app)) != 0 ||
        (ret = pragma_int(b, "PRAGMA user_version", &version)) != 0 ||
        (ret = pragma_int(b, "SELECT count(*) FROM sqlite_schema", &tables)) != 0)
        goto fail;
    int fresh = app == 0 && version == 0 && tables == 0;
    if (fresh && !(flags & SB_OPEN_CREATE)) {
        ret = posture_error_set(POSTURE_ESTORE, "%s: not a posture store (an empty file)", path);
        goto fail;
    }
    if (!fresh && app != STORE_APPLICATION_ID) {
        ret = posture_error_set(POSTURE_ESTORE, "%s: not a posture store", path);
        goto fail;
    }
    if (version > SB_SCHEMA_VERSION) {
        ret = posture_error_set(POSTURE_EVERSION,
                                "%s: the store has schema version %d, newer than this posture "
                                "supports (%d)",
                                path, version, SB_SCHEMA_VERSION);
        goto fail;
    }
    b->version = version;
    if ((ret = exec_sql(b, "PRAGMA foreign_keys = ON")) != 0)
        goto fail;
    if (version < SB_SCHEMA_VERSION) {
        if (flags & SB_OPEN_READONLY) {
            ret = posture_error_set(POSTURE_ESTORE,
                                    "%s: the store has schema version %d and needs an upgrade, "
                                    "but it is opened read-only",
                                    path, version);
            goto fail;
        }
        if (fresh && (ret = exec_sql(b, "PRAGMA journal_mode = WAL")) != 0)
            goto fail;
        if ((ret = migrate(b, fresh)) != 0)
            goto fail;
        *created = fresh;
    }
    /* a large page cache keeps big imports from spilling to disk before commit */
    if ((ret = exec_sql(b, "PRAGMA cache_size = -65536")) != 0)
        goto fail;
    if (!(flags & SB_OPEN_READONLY) &&
        ((ret = exec_sql(b, "PRAGMA synchronous = NORMAL")) != 0 ||
         (ret = exec_sql(b, "PRAGMA temp_store = MEMORY")) != 0 ||
         (ret = exec_sql(b, KEYSCORE_DIRTY_TABLE)) != 0))
        goto fail;
    *out = b;
    return 0;
fail:
    sq_close(b);
    return ret;
}

static int sq_schema_version(void *be) { return ((sqlite_be *)be)->version; }

static int sq_begin(void *be, int write)
{
    sqlite_be *b = be;
    if (write && sqlite3_db_readonly(b->db, "main") == 1)
        return posture_error_set(POSTURE_ESTORE, "%s: the store is read-only", b->path);
    return exec_sql(b, write ? "BEGIN IMMEDIATE" : "BEGIN");
}

static int flush_audit(sqlite_be *b);
static void drop_audit(sqlite_be *b);

static int sq_commit(void *be)
{
    sqlite_be *b = be;
    if (b->npending) {
        int rc = flush_audit(b);
        if (rc)
            return rc;
    }
    if (b->dirty) {
        int rc = exec_sql(b, KEYSCORE_DIRTY_REFRESH);
        if (rc)
            return rc;
        b->dirty = 0;
    }
    return exec_sql(b, "COMMIT");
}

static void sq_rollback(void *be)
{
    sqlite_be *b = be;
    b->dirty = 0; /* keyscore_dirty's rows roll back with the rest */
    drop_audit(b);
    if (!sqlite3_get_autocommit(b->db))
        sqlite3_exec(b->db, "ROLLBACK", NULL, NULL, NULL);
}

/* ---- assessments ---- */

static void read_assessment(sqlite3_stmt *st, sb_assessment *a)
{
    a->id = sqlite3_column_int64(st, 0);
    a->name = col_text(st, 1);
    a->template_id = col_text(st, 2);
    a->template_version = col_text(st, 3);
    a->template_file = col_text(st, 4);
    a->grp = col_text(st, 5);
    a->organization = col_text(st, 6);
    a->scope = col_text(st, 7);
    a->profile = col_text(st, 8);
    a->created_at = col_text(st, 9);
    a->updated_at = col_text(st, 10);
}

static int walk_assessments(sqlite_be *b, sqlite3_stmt *st, sb_assessment_cb cb, void *ctx,
                            int need_one)
{
    int ret = 0, seen = 0;
    while (next_row(b, st, &ret)) {
        sb_assessment a;
        read_assessment(st, &a);
        seen = 1;
        ret = cb(ctx, &a);
    }
    walk_end(st, ret);
    if (ret == 0 && need_one && !seen)
        ret = POSTURE_ENOTFOUND;
    return ret;
}

static int sq_assessment_by_name(void *be, const char *name, sb_assessment_cb cb, void *ctx)
{
    sqlite3_stmt *st = NULL;
    int rc = prep(be, Q_ASSESSMENT_BY_NAME, &st);
    if (rc)
        return rc;
    bind_text(st, 1, name);
    return walk_assessments(be, st, cb, ctx, 1);
}

static int sq_assessment_by_id(void *be, int64_t id, sb_assessment_cb cb, void *ctx)
{
    sqlite3_stmt *st = NULL;
    int rc = prep_id(be, Q_ASSESSMENT_BY_ID, id, &st);
    if (rc)
        return rc;
    return walk_assessments(be, st, cb, ctx, 1);
}

static int sq_assessment_list(void *be, const char *grp, sb_assessment_cb cb, void *ctx)
{
    sqlite3_stmt *st = NULL;
    int rc = prep(be, grp ? Q_ASSESSMENT_LIST_GRP : Q_ASSESSMENT_LIST, &st);
    if (rc)
        return rc;
    if (grp)
        bind_text(st, 1, grp);
    return walk_assessments(be, st, cb, ctx, 0);
}

static void bind_assessment(sqlite3_stmt *st, const sb_assessment *a)
{
    bind_text(st, 2, a->name);
    bind_text(st, 3, a->template_id);
    bind_text(st, 4, a->template_version);
    bind_text(st, 5, a->template_file);
    bind_text(st, 6, a->grp);
    bind_text(st, 7, a->organization);
    bind_text(st, 8, a->scope);
    bind_text(st, 9, a->profile);
    bind_text(st, 10, a->created_at);
    bind_text(st, 11, a->updated_at);
}

static int sq_assessment_insert(void *be, const sb_assessment *a, int64_t *id)
{
    sqlite_be *b = be;
    sqlite3_stmt *st = NULL;
    int rc = prep(b, Q_ASSESSMENT_INSERT, &st);
    if (rc)
        return rc;
    bind_assessment(st, a);
    rc = sqlite3_step(st);
    int ret = 0;
    if (rc == SQLITE_CONSTRAINT_UNIQUE)
        ret = posture_error_set(POSTURE_EEXISTS, "assessment \"%s\" exists already", a->name);
    else if (rc != SQLITE_DONE)
        ret = fail(b, rc);
    else
        *id = sqlite3_last_insert_rowid(b->db);
    done_stmt(st);
    return ret;
}

static int sq_assessment_update(void *be, const sb_assessment *a)
{
    sqlite3_stmt *st = NULL;
    int rc = prep(be, Q_ASSESSMENT_UPDATE, &st);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, a->id);
    bind_assessment(st, a);
    return exec_stmt(be, st);
}

static int sq_assessment_delete(void *be, int64_t id)
{
    sqlite3_stmt *st = NULL;
    int rc = prep_id(be, Q_ASSESSMENT_DELETE, id, &st);
    if (rc)
        return rc;
    return exec_stmt(be, st);
}

/* ---- inclusions ---- */

static void bind_incl(sqlite3_stmt *st, const sb_incl *r)
{
    sqlite3_bind_int64(st, 1, r->assessment_id);
    sqlite3_bind_int64(st, 2, r->idx);
    bind_text(st, 3, r->action);
    bind_text(st, 4, r->share);
    sqlite3_bind_int(st, 5, r->counted);
    sqlite3_bind_int(st, 6, r->points);
    sqlite3_bind_int64(st, 7, r->achieved_x100);
}

static int sq_incl_insert(void *be, const sb_incl *r)
{
    sqlite3_stmt *st = NULL;
    int rc = prep(be, Q_INCL_INSERT, &st);
    if (rc)
        return rc;
    bind_incl(st, r);
    return exec_stmt(be, st);
}

static int sq_incl_update_score(void *be, const sb_incl *r)
{
    sqlite3_stmt *st = NULL;
    int rc = prep(be, Q_INCL_UPDATE_SCORE, &st);
    if (rc)
        return rc;
    bind_incl(st, r);
    sqlite_be *b = be;
    if ((rc = exec_stmt(b, st)) != 0 || sqlite3_changes(b->db) == 0)
        return rc;
    if ((rc = prep(b, Q_INCL_DIRTY, &st)) != 0)
        return rc;
    bind_text(st, 1, r->action);
    bind_text(st, 2, r->share);
    if ((rc = exec_stmt(b, st)) == 0)
        b->dirty = 1;
    return rc;
}

static int sq_incl_delete_all(void *be, int64_t aid)
{
    sqlite3_stmt *st = NULL;
    int rc = prep_id(be, Q_INCL_DELETE_ALL, aid, &st);
    if (rc)
        return rc;
    return exec_stmt(be, st);
}

static int sq_incl_list(void *be, int64_t aid, sb_incl_cb cb, void *ctx)
{
    sqlite_be *b = be;
    sqlite3_stmt *st = NULL;
    int ret = prep_id(b, Q_INCL_LIST, aid, &st);
    while (next_row(b, st, &ret)) {
        sb_incl r = {sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 1), col_text(st, 2),
                     col_text(st, 3), sqlite3_column_int(st, 4), sqlite3_column_int(st, 5),
                     sqlite3_column_int64(st, 6)};
        ret = cb(ctx, &r);
    }
    return walk_end(st, ret);
}

static int sq_incl_set_share(void *be, int64_t aid, const char *from, const char *to)
{
    sqlite3_stmt *st = NULL;
    int rc = prep(be, Q_INCL_SET_SHARE, &st);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, aid);
    bind_text(st, 2, from);
    bind_text(st, 3, to);
    return exec_stmt(be, st);
}

static int walk_ids(sqlite_be *b, sqlite3_stmt *st, sb_id_cb cb, void *ctx)
{
    int ret = 0;
    while (next_row(b, st, &ret))
        ret = cb(ctx, sqlite3_column_int64(st, 0));
    return walk_end(st, ret);
}

static int sq_incl_sharers(void *be, const char *action, const char *share, sb_id_cb cb,
                           void *ctx)
{
    sqlite3_stmt *st = NULL;
    int rc = prep(be, Q_INCL_SHARERS, &st);
    if (rc)
        return rc;
    bind_text(st, 1, action);
    bind_text(st, 2, share);
    return walk_ids(be, st, cb, ctx);
}

static int sq_incl_neighbours(void *be, int64_t aid, sb_id_cb cb, void *ctx)
{
    sqlite3_stmt *st = NULL;
    int rc = prep_id(be, Q_INCL_NEIGHBOURS, aid, &st);
    if (rc)
        return rc;
    return walk_ids(be, st, cb, ctx);
}

static int sq_incl_shares(void *be, int64_t aid, sb_share_cb cb, void *ctx)
{
    sqlite_be *b = be;
    sqlite3_stmt *st = NULL;
    int ret = prep_id(b, Q_INCL_SHARES, aid, &st);
    while (next_row(b, st, &ret))
        ret = cb(ctx, col_text(st, 0), col_text(st, 1));
    return walk_end(st, ret);
}

/* ---- answers and evidence ---- */

static int walk_answers(sqlite_be *b, sqlite3_stmt *st, sb_answer_cb cb, void *ctx, int need_one)
{
    int ret = 0, seen = 0;
    while (next_row(b, st, &ret)) {
        sb_answer a = {sqlite3_column_int64(st, 0), col_text(st, 1), col_text(st, 2),
                       col_text(st, 3), col_text(st, 4), col_text(st, 5), col_text(st, 6),
                       col_text(st, 7), col_text(st, 8), col_text(st, 9)};
        seen = 1;
        ret = cb(ctx, &a);
    }
    walk_end(st, ret);
    if (ret == 0 && need_one && !seen)
        ret = POSTURE_ENOTFOUND;
    return ret;
}

static int sq_answer_get(void *be, const char *action, const char *share, sb_answer_cb cb,
                         void *ctx)
{
    sqlite3_stmt *st = NULL;
    int rc = prep(be, Q_ANSWER_GET, &st);
    if (rc)
        return rc;
    bind_text(st, 1, action);
    bind_text(st, 2, share);
    return walk_answers(be, st, cb, ctx, 1);
}

static int sq_answers_of(void *be, int64_t aid, sb_answer_cb cb, void *ctx)
{
    sqlite3_stmt *st = NULL;
    int rc = prep_id(be, Q_ANSWERS_OF, aid, &st);
    if (rc)
        return rc;
    return walk_answers(be, st, cb, ctx, 0);
}

static int sq_answer_put(void *be, const sb_answer *a, int64_t *id)
{
    sqlite_be *b = be;
    sqlite3_stmt *st = NULL;
    int rc = prep(b, id ? Q_ANSWER_PUT : Q_ANSWER_PUT_NOID, &st);
    if (rc)
        return rc;
    bind_text(st, 1, a->action);
    bind_text(st, 2, a->share);
    bind_text(st, 3, a->implementation);
    bind_text(st, 4, a->test);
    bind_text(st, 5, a->tested_at);
    bind_text(st, 6, a->assigned_to);
    bind_text(st, 7, a->notes);
    bind_text(st, 8, a->updated_at);
    bind_text(st, 9, a->updated_by);
    rc = sqlite3_step(st);
    int ret = 0;
    if (rc == SQLITE_ROW && id) {
        *id = sqlite3_column_int64(st, 0);
        rc = sqlite3_step(st);
    }
    if (rc != SQLITE_DONE)
        ret = fail(b, rc);
    done_stmt(st);
    return ret;
}

static int sq_evidence_add(void *be, const sb_evidence *e, int *added)
{
    sqlite_be *b = be;
    sqlite3_stmt *st = NULL;
    int rc = prep(b, Q_EVIDENCE_ADD, &st);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, e->answer_id);
    bind_text(st, 2, e->uri);
    bind_text(st, 3, e->note);
    bind_text(st, 4, e->added_by);
    bind_text(st, 5, e->added_at);
    rc = exec_stmt(b, st);
    *added = rc == 0 && sqlite3_changes(b->db) > 0;
    return rc;
}

static int sq_evidence_of(void *be, int64_t aid, sb_evidence_cb cb, void *ctx)
{
    sqlite_be *b = be;
    sqlite3_stmt *st = NULL;
    int ret = prep_id(b, Q_EVIDENCE_OF, aid, &st);
    while (next_row(b, st, &ret)) {
        sb_evidence e = {sqlite3_column_int64(st, 0), col_text(st, 1), col_text(st, 2),
                         col_text(st, 3), col_text(st, 4), col_text(st, 5)};
        ret = cb(ctx, &e);
    }
    return walk_end(st, ret);
}

/* ---- Statement of Applicability ---- */

static int sq_exclusion_list(void *be, int64_t aid, sb_exclusion_cb cb, void *ctx)
{
    sqlite_be *b = be;
    sqlite3_stmt *st = NULL;
    int ret = prep_id(b, Q_EXCLUSION_LIST, aid, &st);
    while (next_row(b, st, &ret)) {
        sb_exclusion x = {sqlite3_column_int64(st, 0), col_text(st, 1), col_text(st, 2),
                          col_text(st, 3), col_text(st, 4)};
        ret = cb(ctx, &x);
    }
    return walk_end(st, ret);
}

static int sq_exclusion_put(void *be, const sb_exclusion *x)
{
    sqlite3_stmt *st = NULL;
    int rc = prep(be, Q_EXCLUSION_PUT, &st);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, x->assessment_id);
    bind_text(st, 2, x->control);
    bind_text(st, 3, x->justification);
    bind_text(st, 4, x->at);
    bind_text(st, 5, x->by);
    return exec_stmt(be, st);
}

static int sq_exclusion_delete(void *be, int64_t aid, const char *control)
{
    sqlite3_stmt *st = NULL;
    int rc = prep(be, Q_EXCLUSION_DELETE, &st);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, aid);
    bind_text(st, 2, control);
    return exec_stmt(be, st);
}

/* ---- audit and snapshots ---- */

static void bind_audit(sqlite3_stmt *st, int at, const sb_audit *e)
{
    sqlite3_bind_int64(st, at + 1, e->assessment_id);
    bind_text(st, at + 2, e->assessment);
    bind_text(st, at + 3, e->at);
    bind_text(st, at + 4, e->who);
    bind_text(st, at + 5, e->what);
    bind_text(st, at + 6, e->old_value);
    bind_text(st, at + 7, e->new_value);
    bind_text(st, at + 8, e->via);
}

/* Write the pending log entries, in the order they came. */
static int flush_audit(sqlite_be *b)
{
    sqlite3_stmt *st = NULL;
    int rc = 0;
    if (b->npending == AUDIT_BATCH) {
        if ((rc = prep(b, Q_AUDIT_ADD_MANY, &st)) == 0) {
            for (int i = 0; i < AUDIT_BATCH; i++)
                bind_audit(st, 8 * i, &b->pending[i]);
            rc = exec_stmt(b, st);
        }
    } else {
        for (size_t i = 0; rc == 0 && i < b->npending; i++)
            if ((rc = prep(b, Q_AUDIT_ADD, &st)) == 0) {
                bind_audit(st, 0, &b->pending[i]);
                rc = exec_stmt(b, st);
            }
    }
    b->npending = 0;
    arena_release(&b->pending_ar);
    return rc;
}

/* Forget the pending entries (the transaction rolls back). */
static void drop_audit(sqlite_be *b)
{
    b->npending = 0;
    arena_release(&b->pending_ar);
}

static char *pending_dup(sqlite_be *b, const char *s, int *oom)
{
    char *c = s ? arena_strdup(&b->pending_ar, s) : NULL;
    if (s && !c)
        *oom = 1;
    return c;
}

static int sq_audit_add(void *be, const sb_audit *e)
{
    sqlite_be *b = be;
    if (sqlite3_get_autocommit(b->db)) { /* outside a transaction: at once */
        sqlite3_stmt *st = NULL;
        int rc = prep(b, Q_AUDIT_ADD, &st);
        if (rc)
            return rc;
        bind_audit(st, 0, e);
        return exec_stmt(b, st);
    }
    int oom = 0;
    sb_audit *p = &b->pending[b->npending];
    p->assessment_id = e->assessment_id;
    p->assessment = pending_dup(b, e->assessment, &oom);
    p->at = pending_dup(b, e->at, &oom);
    p->who = pending_dup(b, e->who, &oom);
    p->what = pending_dup(b, e->what, &oom);
    p->old_value = pending_dup(b, e->old_value, &oom);
    p->new_value = pending_dup(b, e->new_value, &oom);
    p->via = pending_dup(b, e->via, &oom);
    if (oom)
        return posture_error_set(POSTURE_ENOMEM, "out of memory");
    if (++b->npending == AUDIT_BATCH)
        return flush_audit(b);
    return 0;
}

static int sq_audit_list(void *be, int64_t aid, sb_audit_cb cb, void *ctx)
{
    sqlite_be *b = be;
    sqlite3_stmt *st = NULL;
    int ret = b->npending ? flush_audit(b) : 0;
    if (ret == 0)
        ret = prep_id(b, Q_AUDIT_LIST, aid, &st);
    while (next_row(b, st, &ret)) {
        sb_audit e = {sqlite3_column_int64(st, 0), col_text(st, 1), col_text(st, 2),
                      col_text(st, 3), col_text(st, 4), col_text(st, 5), col_text(st, 6),
                      col_text(st, 7)};
        ret = cb(ctx, &e);
    }
    return walk_end(st, ret);
}

static int sq_snapshot_add(void *be, const sb_snapshot *s)
{
    sqlite3_stmt *st = NULL;
    int rc = prep(be, Q_SNAPSHOT_ADD, &st);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, s->assessment_id);
    bind_text(st, 2, s->at);
    bind_text(st, 3, s->change);
    bind_text(st, 4, s->template_version);
    sqlite3_bind_int64(st, 5, s->score.achieved_x100);
    sqlite3_bind_int64(st, 6, s->score.possible_x100);
    if (s->score.has_percent)
        sqlite3_bind_int64(st, 7, s->score.percent_x100);
    else
        sqlite3_bind_null(st, 7);
    for (int i = 0; i < POSTURE_CSTATUS__COUNT; i++)
        sqlite3_bind_int64(st, 8 + i, s->controls[i]);
    for (int i = 0; i < POSTURE_ASTATUS__COUNT; i++)
        sqlite3_bind_int64(st, 8 + POSTURE_CSTATUS__COUNT + i, s->actions[i]);
    return exec_stmt(be, st);
}

static int walk_snapshots(sqlite_be *b, sqlite3_stmt *st, sb_snapshot_cb cb, void *ctx)
{
    int ret = 0;
    while (next_row(b, st, &ret)) {
        sb_snapshot s;
        memset(&s, 0, sizeof s);
        s.assessment_id = sqlite3_column_int64(st, 0);
        s.at = col_text(st, 1);
        s.change = col_text(st, 2);
        s.template_version = col_text(st, 3);
        s.score.achieved_x100 = sqlite3_column_int64(st, 4);
        s.score.possible_x100 = sqlite3_column_int64(st, 5);
        s.score.has_percent = sqlite3_column_type(st, 6) != SQLITE_NULL;
        s.score.percent_x100 = sqlite3_column_int64(st, 6);
        for (int i = 0; i < POSTURE_CSTATUS__COUNT; i++)
            s.controls[i] = sqlite3_column_int64(st, 7 + i);
        for (int i = 0; i < POSTURE_ASTATUS__COUNT; i++)
            s.actions[i] = sqlite3_column_int64(st, 7 + POSTURE_CSTATUS__COUNT + i);
        ret = cb(ctx, &s);
    }
    return walk_end(st, ret);
}

static int sq_snapshot_list(void *be, int64_t aid, sb_snapshot_cb cb, void *ctx)
{
    sqlite3_stmt *st = NULL;
    int rc = prep_id(be, Q_SNAPSHOT_LIST, aid, &st);
    if (rc)
        return rc;
    return walk_snapshots(be, st, cb, ctx);
}

static int sq_snapshot_latest(void *be, int64_t aid, sb_snapshot_cb cb, void *ctx)
{
    sqlite3_stmt *st = NULL;
    int rc = prep_id(be, Q_SNAPSHOT_LATEST, aid, &st);
    if (rc)
        return rc;
    return walk_snapshots(be, st, cb, ctx);
}

static int sq_overall(void *be, int64_t *achieved_x100, int64_t *possible_x100, int64_t *keys)
{
    sqlite_be *b = be;
    sqlite3_stmt *st = NULL;
    int rc = prep(b, Q_OVERALL, &st), ret = 0;
    if (rc)
        return rc;
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *keys = sqlite3_column_int64(st, 0);
        *possible_x100 = sqlite3_column_int64(st, 1) * 100;
        *achieved_x100 = sqlite3_column_int64(st, 2);
    } else {
        ret = fail(b, rc);
    }
    done_stmt(st);
    return ret;
}

/* ---- raw access (store_raw.h), for posture_store_copy() ---- */

typedef struct sqlite_raw {
    sqlite3 *db;
    char *name;
    sqlite3_stmt *ins[STORE_RAW_MAX_INSERTS];
} sqlite_raw;

static int sr_fail(sqlite_raw *r)
{
    int code = sqlite3_errcode(r->db) & 0xff;
    if (code == SQLITE_BUSY || code == SQLITE_LOCKED)
        return posture_error_set(POSTURE_EBUSY, "%s: store is busy: another process kept it "
                                 "locked", r->name);
    if (code == SQLITE_NOMEM)
        return posture_error_set(POSTURE_ENOMEM, "out of memory");
    return posture_error_set(POSTURE_ESTORE, "%s: store error: %s", r->name,
                             sqlite3_errmsg(r->db));
}

static void sr_close(void *h)
{
    sqlite_raw *r = h;
    if (!r)
        return;
    for (int i = 0; i < STORE_RAW_MAX_INSERTS; i++)
        sqlite3_finalize(r->ins[i]);
    sqlite3_close(r->db);
    free(r->name);
    free(r);
}

static int sr_exec(sqlite_raw *r, const char *text)
{
    return sqlite3_exec(r->db, text, NULL, NULL, NULL) == SQLITE_OK ? 0 : sr_fail(r);
}

static int sr_open(const char *name, int write, void **h)
{
    *h = NULL;
    sqlite_raw *r = calloc(1, sizeof *r);
    if (!r || !(r->name = store_name_copy(name))) {
        free(r);
        return posture_error_set(POSTURE_ENOMEM, "out of memory");
    }
    int flags = SQLITE_OPEN_URI | (write ? SQLITE_OPEN_READWRITE : SQLITE_OPEN_READONLY);
    int ret = 0;
    if (sqlite3_open_v2(name, &r->db, flags, NULL) != SQLITE_OK) {
        ret = r->db ? sr_fail(r) : posture_error_set(POSTURE_ENOMEM, "out of memory");
        goto fail;
    }
    sqlite3_busy_timeout(r->db, 5000);
    if ((ret = sr_exec(r, "PRAGMA foreign_keys = ON")) != 0)
        goto fail;
    *h = r;
    return 0;
fail:
    sr_close(r);
    return ret;
}

static int sr_begin(void *h, int write)
{
    return sr_exec(h, write ? "BEGIN IMMEDIATE" : "BEGIN");
}

static int sr_commit(void *h) { return sr_exec(h, "COMMIT"); }

static void sr_rollback(void *h)
{
    sqlite_raw *r = h;
    if (!sqlite3_get_autocommit(r->db))
        sqlite3_exec(r->db, "ROLLBACK", NULL, NULL, NULL);
}

static int sr_rows(void *h, const char *select, int ncols, store_raw_row_cb cb, void *ctx)
{
    sqlite_raw *r = h;
    sqlite3_stmt *st = NULL;
    const char *vals[32];
    if (ncols > 32)
        return posture_error_set(POSTURE_ELIMIT, "too many columns");
    if (sqlite3_prepare_v2(r->db, select, -1, &st, NULL) != SQLITE_OK)
        return sr_fail(r);
    int rc, ret = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        for (int i = 0; i < ncols; i++)
            vals[i] = (const char *)sqlite3_column_text(st, i);
        if ((ret = cb(ctx, vals)) != 0)
            break;
    }
    if (ret == 0 && rc != SQLITE_DONE)
        ret = sr_fail(r);
    sqlite3_finalize(st);
    return ret;
}

static int sr_insert(void *h, int k, const char *table, const char *cols, int n,
                     const char *const *vals, const unsigned char *is_int)
{
    sqlite_raw *r = h;
    if (!r->ins[k]) {
        char text[640];
        int o = snprintf(text, sizeof text, "INSERT INTO %s(%s) VALUES (", table, cols);
        for (int i = 0; i < n && o > 0 && o < (int)sizeof text; i++)
            o += snprintf(text + o, sizeof text - (size_t)o, "%s?%d", i ? ", " : "", i + 1);
        if (o <= 0 || o + 2 >= (int)sizeof text)
            return posture_error_set(POSTURE_ELIMIT, "statement too long");
        strcpy(text + o, ")");
        if (sqlite3_prepare_v3(r->db, text, -1, SQLITE_PREPARE_PERSISTENT, &r->ins[k], NULL) !=
            SQLITE_OK)
            return sr_fail(r);
    }
    sqlite3_stmt *st = r->ins[k];
    for (int i = 0; i < n; i++) {
        if (!vals[i])
            sqlite3_bind_null(st, i + 1);
        else if (is_int[i])
            sqlite3_bind_int64(st, i + 1, strtoll(vals[i], NULL, 10));
        else
            sqlite3_bind_text(st, i + 1, vals[i], -1, SQLITE_STATIC);
    }
    int ret = sqlite3_step(st) == SQLITE_DONE ? 0 : sr_fail(r);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return ret;
}

static int sr_int(sqlite_raw *r, const char *text, int64_t arg, int64_t *out)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(r->db, text, -1, &st, NULL) != SQLITE_OK)
        return sr_fail(r);
    if (sqlite3_bind_parameter_count(st) > 0)
        sqlite3_bind_int64(st, 1, arg);
    int rc = sqlite3_step(st), ret = 0;
    if (rc == SQLITE_ROW && out)
        *out = sqlite3_column_int64(st, 0);
    else if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        ret = sr_fail(r);
    sqlite3_finalize(st);
    return ret;
}

static int sr_highest(void *h, int64_t *out)
{
    return sr_int(h,
                  "SELECT max(COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'assessment'),"
                  " 0), COALESCE((SELECT max(id) FROM assessment), 0),"
                  " COALESCE((SELECT max(assessment_id) FROM audit), 0))",
                  0, out);
}

static int sr_fix_ids(void *h, int64_t highest)
{
    sqlite_raw *r = h;
    /* rowid tables take max(id) + 1 by themselves; AUTOINCREMENT keeps its counter here */
    int ret = sr_int(r, "UPDATE sqlite_sequence SET seq = max(seq, ?1) WHERE name = 'assessment'",
                     highest, NULL);
    if (ret == 0 && sqlite3_changes(r->db) == 0 && highest > 0)
        ret = sr_int(r, "INSERT INTO sqlite_sequence(name, seq) VALUES ('assessment', ?1)",
                     highest, NULL);
    return ret;
}

static const store_raw_ops raw_ops = {
    .open = sr_open,
    .close = sr_close,
    .begin = sr_begin,
    .commit = sr_commit,
    .rollback = sr_rollback,
    .rows = sr_rows,
    .insert = sr_insert,
    .highest_assessment_id = sr_highest,
    .fix_ids = sr_fix_ids,
};

const store_backend store_backend_sqlite = {
    .name = "sqlite",
    .is_uri = NULL, /* the default */
    .display = store_name_copy,
    .raw = &raw_ops,
    .open = sq_open,
    .close = sq_close,
    .schema_version = sq_schema_version,
    .begin = sq_begin,
    .commit = sq_commit,
    .rollback = sq_rollback,
    .assessment_by_name = sq_assessment_by_name,
    .assessment_by_id = sq_assessment_by_id,
    .assessment_list = sq_assessment_list,
    .assessment_insert = sq_assessment_insert,
    .assessment_update = sq_assessment_update,
    .assessment_delete = sq_assessment_delete,
    .incl_insert = sq_incl_insert,
    .incl_delete_all = sq_incl_delete_all,
    .incl_list = sq_incl_list,
    .incl_update_score = sq_incl_update_score,
    .incl_set_share = sq_incl_set_share,
    .incl_sharers = sq_incl_sharers,
    .incl_neighbours = sq_incl_neighbours,
    .incl_shares = sq_incl_shares,
    .answer_get = sq_answer_get,
    .answer_put = sq_answer_put,
    .answers_of = sq_answers_of,
    .evidence_add = sq_evidence_add,
    .evidence_of = sq_evidence_of,
    .exclusion_list = sq_exclusion_list,
    .exclusion_put = sq_exclusion_put,
    .exclusion_delete = sq_exclusion_delete,
    .audit_add = sq_audit_add,
    .audit_list = sq_audit_list,
    .snapshot_add = sq_snapshot_add,
    .snapshot_list = sq_snapshot_list,
    .snapshot_latest = sq_snapshot_latest,
    .overall = sq_overall,
};
