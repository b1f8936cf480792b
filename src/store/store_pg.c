/*
 * store_pg.c - the PostgreSQL backend of the store (docs/store.md,
 * "PostgreSQL"): one libpq connection from a postgresql:// URI, the schema of
 * docs/store.md with its own migrations (meta.schema_version), every record
 * operation a prepared statement with parameters.
 *
 * Transactions: a writer runs READ COMMITTED and first locks the store's
 * meta row (SELECT ... FOR UPDATE), so writers take turns as with SQLite's
 * BEGIN IMMEDIATE and every statement after the lock sees every earlier
 * commit: no lost update, audit entries in commit order. Readers run on one
 * REPEATABLE READ snapshot and never wait. The lock wait is bounded by
 * lock_timeout ($POSTURE_BUSY_TIMEOUT, 5,000 ms).
 *
 * Statements whose results are not needed (log entries, snapshots, score
 * figures) are sent in libpq's pipeline mode inside a write transaction and
 * checked at the next statement that needs a result, every PIPE_MAX
 * statements, and at commit. Runs of log entries, new inclusions and score
 * figures are gathered into one statement per BATCH_MAX rows whose
 * parameters are arrays in PostgreSQL's binary format (unnest), so a
 * 100,000-action import is a few dozen statements, not 300,000; any other
 * statement sends the run gathered so far first, so the order of writes is
 * the order of the calls.
 */
#include <dlfcn.h>
#include <libpq-fe.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_pg.h"
#include "store_raw.h"
#include "base/strmap.h"

/*
 * libpq is opened on the first postgresql:// store, not linked: its
 * dependencies (TLS, Kerberos, LDAP: twenty libraries) cost every posture
 * process about 10 ms of dynamic linking at start-up, three times the rest.
 */
#ifndef POSTURE_LIBPQ_SONAME
#define POSTURE_LIBPQ_SONAME "libpq.so.5"
#endif
#define PQ_FUNCS(X) \
    X(PQclear) \
    X(PQcmdStatus) \
    X(PQcmdTuples) \
    X(PQconnectdbParams) \
    X(PQconninfoFree) \
    X(PQconninfoParse) \
    X(PQenterPipelineMode) \
    X(PQerrorMessage) \
    X(PQexec) \
    X(PQexecParams) \
    X(PQexecPrepared) \
    X(PQexitPipelineMode) \
    X(PQfinish) \
    X(PQfreemem) \
    X(PQgetResult) \
    X(PQgetisnull) \
    X(PQgetvalue) \
    X(PQntuples) \
    X(PQpipelineStatus) \
    X(PQpipelineSync) \
    X(PQprepare) \
    X(PQresultErrorField) \
    X(PQresultStatus) \
    X(PQsendQueryParams) \
    X(PQsendQueryPrepared) \
    X(PQsetNoticeProcessor) \
    X(PQsetSingleRowMode) \
    X(PQstatus) \
    X(PQtransactionStatus)
#define PQ_MEMBER(f) __typeof__(f) *p_##f;
static struct {
    PQ_FUNCS(PQ_MEMBER)
} pq;
static pthread_once_t pq_once = PTHREAD_ONCE_INIT;
static char pq_error[256];

static void pq_load(void)
{
    void *h = dlopen(POSTURE_LIBPQ_SONAME, RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        snprintf(pq_error, sizeof pq_error, "%s", dlerror());
        return;
    }
#define PQ_LOAD(f)                                                                         \
    if (!pq_error[0] && !(*(void **)&pq.p_##f = dlsym(h, #f)))                              \
        snprintf(pq_error, sizeof pq_error, "%s: no symbol %s", POSTURE_LIBPQ_SONAME, #f);
    PQ_FUNCS(PQ_LOAD)
#undef PQ_LOAD
}

/* 0 when libpq is there, else the error naming it (never dlclosed: a process opens it once). */
static int pq_ready(void)
{
    pthread_once(&pq_once, pq_load);
    if (!pq_error[0])
        return 0;
    return posture_error_set(POSTURE_ESTORE, "PostgreSQL stores need libpq (Debian: libpq5): %s",
                             pq_error);
}

#define PQclear (*pq.p_PQclear)
#define PQcmdStatus (*pq.p_PQcmdStatus)
#define PQcmdTuples (*pq.p_PQcmdTuples)
#define PQconnectdbParams (*pq.p_PQconnectdbParams)
#define PQconninfoFree (*pq.p_PQconninfoFree)
#define PQconninfoParse (*pq.p_PQconninfoParse)
#define PQenterPipelineMode (*pq.p_PQenterPipelineMode)
#define PQerrorMessage (*pq.p_PQerrorMessage)
#define PQexec (*pq.p_PQexec)
#define PQexecParams (*pq.p_PQexecParams)
#define PQexecPrepared (*pq.p_PQexecPrepared)
#define PQexitPipelineMode (*pq.p_PQexitPipelineMode)
#define PQfinish (*pq.p_PQfinish)
#define PQfreemem (*pq.p_PQfreemem)
#define PQgetResult (*pq.p_PQgetResult)
#define PQgetisnull (*pq.p_PQgetisnull)
#define PQgetvalue (*pq.p_PQgetvalue)
#define PQntuples (*pq.p_PQntuples)
#define PQpipelineStatus (*pq.p_PQpipelineStatus)
#define PQpipelineSync (*pq.p_PQpipelineSync)
#define PQprepare (*pq.p_PQprepare)
#define PQresultErrorField (*pq.p_PQresultErrorField)
#define PQresultStatus (*pq.p_PQresultStatus)
#define PQsendQueryParams (*pq.p_PQsendQueryParams)
#define PQsendQueryPrepared (*pq.p_PQsendQueryPrepared)
#define PQsetNoticeProcessor (*pq.p_PQsetNoticeProcessor)
#define PQsetSingleRowMode (*pq.p_PQsetSingleRowMode)
#define PQstatus (*pq.p_PQstatus)
#define PQtransactionStatus (*pq.p_PQtransactionStatus)

/* pg_advisory_xact_lock key of migrations: "post" in ASCII */
#define STORE_LOCK_KEY "1886352244"
#define PIPE_MAX 500
#define BATCH_MAX 5000

#define T "TEXT COLLATE \"C\"" /* SQLite compares text by bytes: so does the store here */

/* keyscore_refresh(): the keys KEYS (a query) get the figures of the earliest assessment
   counting them, or leave keyscore when none counts them any more. One index lookup per key
   (LIMIT and OFFSET keep the planner from joining the transition table, which has no
   statistics, to every inclusion). */
#define KS_UPSERT(KEYS)                                                                      \
    " INSERT INTO keyscore(action, share, assessment_id, points, achieved_x100)"            \
    "  SELECT k.action, k.share, f.assessment_id, f.points, f.achieved_x100 FROM (" KEYS ") k" \
    "  CROSS JOIN LATERAL (SELECT i.assessment_id, i.points, i.achieved_x100 FROM inclusion i" \
    "  WHERE i.action = k.action AND i.share = k.share AND i.counted = 1"                     \
    "  ORDER BY i.assessment_id LIMIT 1) f"                                                   \
    "  ON CONFLICT (action, share) DO UPDATE SET assessment_id = excluded.assessment_id,"    \
    "  points = excluded.points, achieved_x100 = excluded.achieved_x100"                      \
    "  WHERE (keyscore.assessment_id, keyscore.points, keyscore.achieved_x100)"              \
    "  IS DISTINCT FROM (excluded.assessment_id, excluded.points, excluded.achieved_x100);"
#define KS_DELETE(KEYS)                                                                      \
    " DELETE FROM keyscore s USING (" KEYS ") k"                                             \
    "  WHERE s.action = k.action AND s.share = k.share AND NOT EXISTS (SELECT 1"             \
    "  FROM inclusion i WHERE i.action = k.action AND i.share = k.share AND i.counted = 1"    \
    "  OFFSET 0);"
#define KS_BOTH                                                                              \
    "SELECT action, share FROM new_rows WHERE counted = 1"                                   \
    " UNION SELECT action, share FROM old_rows WHERE counted = 1"

/* Migrations: entry k brings a store from schema version k to k + 1. */
static const char *const migrations[] = {
    /* 0 -> 1: the first schema (docs/store.md) */
    "CREATE TABLE meta(key " T " PRIMARY KEY, value TEXT NOT NULL);"
    "CREATE TABLE assessment("
    " id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
    " name " T " NOT NULL UNIQUE,"
    " template_id " T " NOT NULL, template_version " T " NOT NULL, template_file TEXT,"
    " grp " T " NOT NULL, organization TEXT, scope TEXT, profile TEXT NOT NULL,"
    " created_at " T " NOT NULL, updated_at " T " NOT NULL);"
    "CREATE TABLE inclusion("
    " assessment_id BIGINT NOT NULL REFERENCES assessment(id) ON DELETE CASCADE,"
    " action " T " NOT NULL, idx BIGINT NOT NULL, share " T " NOT NULL,"
    " counted INTEGER NOT NULL DEFAULT 0, points INTEGER NOT NULL DEFAULT 0,"
    " achieved_x100 BIGINT NOT NULL DEFAULT 0,"
    " PRIMARY KEY(assessment_id, action));"
    "CREATE INDEX inclusion_key ON inclusion(action, share, assessment_id);"
    "CREATE INDEX inclusion_order ON inclusion(assessment_id, idx);"
    /* keyscore: per answer key counted anywhere, the figures of the earliest assessment
       counting it (the overall rule), refreshed once per statement on inclusion for the
       keys the statement touched (transition tables) */
    "CREATE TABLE keyscore("
    " action " T " NOT NULL, share " T " NOT NULL, assessment_id BIGINT NOT NULL,"
    " points INTEGER NOT NULL, achieved_x100 BIGINT NOT NULL,"
    " PRIMARY KEY(action, share));"
    "CREATE FUNCTION keyscore_refresh() RETURNS trigger LANGUAGE plpgsql AS $$"
    "BEGIN"
    " IF TG_OP = 'INSERT' THEN"
    KS_UPSERT("SELECT DISTINCT action, share FROM new_rows WHERE counted = 1")
    " ELSIF TG_OP = 'DELETE' THEN"
    KS_UPSERT("SELECT DISTINCT action, share FROM old_rows WHERE counted = 1")
    KS_DELETE("SELECT DISTINCT action, share FROM old_rows WHERE counted = 1")
    " ELSE"
    KS_UPSERT(KS_BOTH)
    KS_DELETE(KS_BOTH)
    " END IF;"
    " RETURN NULL;"
    "END$$;"
    "CREATE TRIGGER inclusion_insert AFTER INSERT ON inclusion REFERENCING NEW TABLE AS new_rows"
    " FOR EACH STATEMENT EXECUTE FUNCTION keyscore_refresh();"
    "CREATE TRIGGER inclusion_update AFTER UPDATE ON inclusion"
    " REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows"
    " FOR EACH STATEMENT EXECUTE FUNCTION keyscore_refresh();"
    "CREATE TRIGGER inclusion_delete AFTER DELETE ON inclusion REFERENCING OLD TABLE AS old_rows"
    " FOR EACH STATEMENT EXECUTE FUNCTION keyscore_refresh();"
    "CREATE TABLE answer("
    " id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
    " action " T " NOT NULL, share " T " NOT NULL,"
    " implementation " T " NOT NULL, test " T " NOT NULL,"
    " tested_at " T ", assigned_to TEXT, notes TEXT,"
    " updated_at " T " NOT NULL, updated_by TEXT NOT NULL,"
    " UNIQUE(action, share));"
    "CREATE TABLE evidence("
    " id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
    " answer_id BIGINT NOT NULL REFERENCES answer(id) ON DELETE CASCADE,"
    " uri " T " NOT NULL, note TEXT, added_by TEXT NOT NULL, added_at " T " NOT NULL,"
    " UNIQUE(answer_id, uri));"
    "CREATE TABLE exclusion("
    " assessment_id BIGINT NOT NULL REFERENCES assessment(id) ON DELETE CASCADE,"
    " control " T " NOT NULL, justification TEXT NOT NULL,"
    " at " T " NOT NULL, by TEXT NOT NULL,"
    " PRIMARY KEY(assessment_id, control));"
    "CREATE TABLE snapshot("
    " id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
    " assessment_id BIGINT NOT NULL REFERENCES assessment(id) ON DELETE CASCADE,"
    " at " T " NOT NULL, change TEXT NOT NULL, template_version " T " NOT NULL,"
    " achieved_x100 BIGINT NOT NULL, possible_x100 BIGINT NOT NULL, percent_x100 BIGINT,"
    " c_passed BIGINT NOT NULL, c_failed BIGINT NOT NULL, c_in_progress BIGINT NOT NULL,"
    " c_not_assessed BIGINT NOT NULL, c_out_of_scope BIGINT NOT NULL,"
    " a_passed BIGINT NOT NULL, a_failed BIGINT NOT NULL, a_partial BIGINT NOT NULL,"
    " a_in_progress BIGINT NOT NULL, a_not_assessed BIGINT NOT NULL,"
    " a_out_of_scope BIGINT NOT NULL);"
    "CREATE INDEX snapshot_assessment ON snapshot(assessment_id, id);"
    "CREATE TABLE audit("
    " id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
    " assessment_id BIGINT NOT NULL, assessment " T " NOT NULL,"
    " at " T " NOT NULL, who TEXT NOT NULL, what TEXT NOT NULL,"
    " old_value TEXT, new_value TEXT, via TEXT);"
    "CREATE INDEX audit_assessment ON audit(assessment_id, id);"
    "CREATE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS"
    " $$BEGIN RAISE EXCEPTION 'the audit log is append-only'; END$$;"
    "CREATE TRIGGER audit_no_change BEFORE UPDATE OR DELETE ON audit"
    " FOR EACH ROW EXECUTE FUNCTION audit_append_only();"
    "CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON audit"
    " FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only();"
    "INSERT INTO meta(key, value) VALUES ('application', 'posture'), ('schema_version', '0');",
    /* 1 -> 2: a change of the SQLite schema only (its row triggers on inclusion gave way to
       one refresh per transaction); the statement-level triggers here stay */
    "COMMENT ON TABLE keyscore IS 'per answer key counted anywhere: the figures of the"
    " earliest assessment counting it, kept by the statement-level triggers on inclusion'",
};
#define NMIGRATIONS ((int)(sizeof migrations / sizeof *migrations))
_Static_assert(NMIGRATIONS == SB_SCHEMA_VERSION, "one migration per schema version");

enum {
    Q_LOCK,
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
    Q_INCL_SET_SHARE,
    Q_INCL_SHARERS,
    Q_INCL_NEIGHBOURS,
    Q_INCL_SHARES,
    Q_ANSWER_GET,
    Q_ANSWER_PUT,
    Q_ANSWERS_OF,
    Q_EVIDENCE_ADD,
    Q_EVIDENCE_OF,
    Q_EXCLUSION_LIST,
    Q_EXCLUSION_PUT,
    Q_EXCLUSION_DELETE,
    Q_AUDIT_ADD,
    Q_AUDIT_LIST,
    Q_SNAPSHOT_ADD,
    Q_SNAPSHOT_LIST,
    Q_SNAPSHOT_LATEST,
    Q_OVERALL,
    Q_AUDIT_BATCH,
    Q_INCL_INSERT_BATCH,
    Q_INCL_UPDATE_BATCH,
    Q_ANSWER_BATCH,
    Q_ANSWER_IDS,
    Q_SNAPSHOT_LATEST_ALL,
    Q__COUNT
};

#define ASSESSMENT_COLS                                                                    \
    "id, name, template_id, template_version, template_file, grp, organization, scope, " \
    "profile, created_at, updated_at"
#define SNAPSHOT_COLS                                                                       \
    "assessment_id, at, change, template_version, achieved_x100, possible_x100, "          \
    "percent_x100, c_passed, c_failed, c_in_progress, c_not_assessed, c_out_of_scope, "    \
    "a_passed, a_failed, a_partial, a_in_progress, a_not_assessed, a_out_of_scope"
#define ANSWER_COLS                                                                         \
    "a.id, a.action, a.share, a.implementation, a.test, a.tested_at, a.assigned_to, "      \
    "a.notes, a.updated_at, a.updated_by"

static const char *const sql[Q__COUNT] = {
    [Q_LOCK] = "SELECT value FROM meta WHERE key = 'application' FOR UPDATE",
    [Q_ASSESSMENT_BY_NAME] = "SELECT " ASSESSMENT_COLS " FROM assessment WHERE name = $1",
    [Q_ASSESSMENT_BY_ID] = "SELECT " ASSESSMENT_COLS " FROM assessment WHERE id = $1",
    [Q_ASSESSMENT_LIST] = "SELECT " ASSESSMENT_COLS " FROM assessment ORDER BY name",
    [Q_ASSESSMENT_LIST_GRP] =
        "SELECT " ASSESSMENT_COLS " FROM assessment WHERE grp = $1 ORDER BY name",
    [Q_ASSESSMENT_INSERT] =
        "INSERT INTO assessment(name, template_id, template_version, template_file, grp,"
        " organization, scope, profile, created_at, updated_at)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
    [Q_ASSESSMENT_UPDATE] =
        "UPDATE assessment SET name = $2, template_id = $3, template_version = $4,"
        " template_file = $5, grp = $6, organization = $7, scope = $8, profile = $9,"
        " created_at = $10, updated_at = $11 WHERE id = $1",
    [Q_ASSESSMENT_DELETE] = "DELETE FROM assessment WHERE id = $1",
    [Q_INCL_INSERT] =
        "INSERT INTO inclusion(assessment_id, idx, action, share, counted, points,"
        " achieved_x100) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    [Q_INCL_DELETE_ALL] = "DELETE FROM inclusion WHERE assessment_id = $1",
    [Q_INCL_LIST] =
        "SELECT assessment_id, idx, action, share, counted, points, achieved_x100"
        " FROM inclusion WHERE assessment_id = $1 ORDER BY idx",
    [Q_INCL_UPDATE_SCORE] =
        "UPDATE inclusion SET counted = $3, points = $4, achieved_x100 = $5"
        " WHERE assessment_id = $1 AND action = $2",
    [Q_INCL_SET_SHARE] =
        "UPDATE inclusion SET share = $3 WHERE assessment_id = $1 AND share = $2",
    [Q_INCL_SHARERS] =
        "SELECT assessment_id FROM inclusion WHERE action = $1 AND share = $2"
        " ORDER BY assessment_id",
    [Q_INCL_NEIGHBOURS] =
        "SELECT DISTINCT o.assessment_id FROM inclusion i JOIN inclusion o"
        " ON o.action = i.action AND o.share = i.share AND o.assessment_id <> i.assessment_id"
        " WHERE i.assessment_id = $1 ORDER BY o.assessment_id",
    [Q_INCL_SHARES] =
        "SELECT i.action, a.name FROM inclusion i JOIN inclusion o"
        " ON o.action = i.action AND o.share = i.share AND o.assessment_id <> i.assessment_id"
        " JOIN assessment a ON a.id = o.assessment_id"
        " WHERE i.assessment_id = $1 ORDER BY i.idx, a.name",
    [Q_ANSWER_GET] = "SELECT " ANSWER_COLS " FROM answer a WHERE a.action = $1 AND a.share = $2",
    [Q_ANSWER_PUT] =
        "INSERT INTO answer(action, share, implementation, test, tested_at, assigned_to,"
        " notes, updated_at, updated_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
        " ON CONFLICT(action, share) DO UPDATE SET implementation = excluded.implementation,"
        " test = excluded.test, tested_at = excluded.tested_at,"
        " assigned_to = excluded.assigned_to, notes = excluded.notes,"
        " updated_at = excluded.updated_at, updated_by = excluded.updated_by"
        " RETURNING id",
    /* one index lookup per inclusion (OFFSET 0 keeps the planner from hashing every
       answer of the store for one assessment's) */
    [Q_ANSWERS_OF] =
        "SELECT " ANSWER_COLS " FROM inclusion i CROSS JOIN LATERAL"
        " (SELECT * FROM answer x WHERE x.action = i.action AND x.share = i.share OFFSET 0) a"
        " WHERE i.assessment_id = $1 ORDER BY i.idx",
    [Q_EVIDENCE_ADD] =
        "INSERT INTO evidence(answer_id, uri, note, added_by, added_at)"
        " VALUES ($1, $2, $3, $4, $5) ON CONFLICT(answer_id, uri) DO NOTHING",
    /* from the evidence side, as in SQLite: evidence is far rarer than answers */
    [Q_EVIDENCE_OF] =
        "SELECT e.answer_id, i.action, e.uri, e.note, e.added_by, e.added_at"
        " FROM evidence e CROSS JOIN LATERAL"
        " (SELECT x.action, x.share FROM answer x WHERE x.id = e.answer_id OFFSET 0) a"
        " JOIN inclusion i ON i.action = a.action AND i.share = a.share AND i.assessment_id = $1"
        " ORDER BY i.idx, e.id",
    [Q_EXCLUSION_LIST] =
        "SELECT assessment_id, control, justification, at, by FROM exclusion"
        " WHERE assessment_id = $1 ORDER BY control",
    [Q_EXCLUSION_PUT] =
        "INSERT INTO exclusion(assessment_id, control, justification, at, by)"
        " VALUES ($1, $2, $3, $4, $5) ON CONFLICT(assessment_id, control) DO UPDATE SET"
        " justification = excluded.justification, at = excluded.at, by = excluded.by",
    [Q_EXCLUSION_DELETE] = "DELETE FROM exclusion WHERE assessment_id = $1 AND control = $2",
    [Q_AUDIT_ADD] =
        "INSERT INTO audit(assessment_id, assessment, at, who, what, old_value, new_value, via)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    [Q_AUDIT_LIST] =
        "SELECT assessment_id, assessment, at, who, what, old_value, new_value, via"
        " FROM audit WHERE assessment_id = $1 ORDER BY id",
    [Q_SNAPSHOT_ADD] =
        "INSERT INTO snapshot(" SNAPSHOT_COLS ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9,"
        " $10, $11, $12, $13, $14, $15, $16, $17, $18)",
    [Q_SNAPSHOT_LIST] =
        "SELECT " SNAPSHOT_COLS " FROM snapshot WHERE assessment_id = $1 ORDER BY id",
    [Q_SNAPSHOT_LATEST] =
        "SELECT " SNAPSHOT_COLS " FROM snapshot WHERE assessment_id = $1"
        " ORDER BY id DESC LIMIT 1",
    /* every assessment's latest snapshot (NULLs: none), by assessment id */
    [Q_SNAPSHOT_LATEST_ALL] =
        "SELECT a.id, s.* FROM assessment a LEFT JOIN LATERAL (SELECT " SNAPSHOT_COLS
        " FROM snapshot WHERE assessment_id = a.id ORDER BY id DESC LIMIT 1) s ON true"
        " ORDER BY a.id",
    /* the overall rule: each counted key once, with the figures of the earliest
       assessment counting it (keyscore, kept by the triggers on inclusion) */
    [Q_OVERALL] =
        "SELECT count(*), COALESCE(sum(points), 0), COALESCE(sum(achieved_x100), 0)"
        " FROM keyscore",
    /* batches: one array per column, in the order of the calls */
    [Q_AUDIT_BATCH] =
        "INSERT INTO audit(assessment_id, assessment, at, who, what, old_value, new_value, via)"
        " SELECT a, b, c, d, e, f, g, h FROM unnest($1::bigint[], $2::text[], $3::text[],"
        " $4::text[], $5::text[], $6::text[], $7::text[], $8::text[])"
        " WITH ORDINALITY AS u(a, b, c, d, e, f, g, h, o) ORDER BY o",
    [Q_INCL_INSERT_BATCH] =
        "INSERT INTO inclusion(assessment_id, idx, action, share, counted, points,"
        " achieved_x100) SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::text[],"
        " $4::text[], $5::int[], $6::int[], $7::bigint[])",
    [Q_INCL_UPDATE_BATCH] =
        "UPDATE inclusion i SET counted = u.c, points = u.p, achieved_x100 = u.a"
        " FROM unnest($1::bigint[], $2::text[], $3::int[], $4::int[], $5::bigint[])"
        " AS u(aid, action, c, p, a) WHERE i.assessment_id = u.aid AND i.action = u.action",
    /* answers with the ids the backend expects them to have (known from this transaction's
       reads, else new from the sequence); the count of rows whose id is as expected must
       be the count sent, else the transaction fails (pipe_sync) */
    [Q_ANSWER_BATCH] =
        "WITH w AS (SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[],"
        "  $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[])"
        "  WITH ORDINALITY AS u(id, action, share, implementation, test, tested_at,"
        "  assigned_to, notes, updated_at, updated_by, o)),"
        " ins AS (INSERT INTO answer AS a (id, action, share, implementation, test, tested_at,"
        "  assigned_to, notes, updated_at, updated_by)"
        "  SELECT id, action, share, implementation, test, tested_at, assigned_to, notes,"
        "  updated_at, updated_by FROM w ORDER BY o"
        "  ON CONFLICT (action, share) DO UPDATE SET implementation = excluded.implementation,"
        "  test = excluded.test, tested_at = excluded.tested_at,"
        "  assigned_to = excluded.assigned_to, notes = excluded.notes,"
        "  updated_at = excluded.updated_at, updated_by = excluded.updated_by"
        "  RETURNING a.id)"
        " SELECT count(*) FROM ins JOIN w USING (id)",
    /* $1 new answer ids: the last of them (writers take turns, so the range is ours) */
    [Q_ANSWER_IDS] =
        "SELECT setval(s, nextval(s) + $1 - 1) FROM"
        " (SELECT pg_get_serial_sequence('answer', 'id')::regclass AS s) x",
};

/* The batches: the statement and the element type of each column's array. */
enum { OID_INT8 = 20, OID_INT4 = 23, OID_TEXT = 25 };
enum { BK_NONE, BK_AUDIT, BK_INCL_INSERT, BK_INCL_UPDATE, BK_ANSWER, BK__COUNT };
#define BK_RAW(k) (BK__COUNT + (k)) /* store copy: rows of insert k, every column as text */
#define BATCH_COLS 20
static const struct {
    int q;
    int ncols;
    unsigned types[BATCH_COLS];
} batches[BK__COUNT] = {
    [BK_AUDIT] = {Q_AUDIT_BATCH, 8,
                  {OID_INT8, OID_TEXT, OID_TEXT, OID_TEXT, OID_TEXT, OID_TEXT, OID_TEXT,
                   OID_TEXT}},
    [BK_INCL_INSERT] = {Q_INCL_INSERT_BATCH, 7,
                        {OID_INT8, OID_INT8, OID_TEXT, OID_TEXT, OID_INT4, OID_INT4,
                         OID_INT8}},
    [BK_INCL_UPDATE] = {Q_INCL_UPDATE_BATCH, 5,
                        {OID_INT8, OID_TEXT, OID_INT4, OID_INT4, OID_INT8}},
    [BK_ANSWER] = {Q_ANSWER_BATCH, 10,
                   {OID_INT8, OID_TEXT, OID_TEXT, OID_TEXT, OID_TEXT, OID_TEXT, OID_TEXT,
                    OID_TEXT, OID_TEXT, OID_TEXT}},
};

/* One column of a batch: a one-dimensional array in the binary format of array_recv:
   a 20-byte header (dimensions, has nulls, element type, length, lower bound) filled
   when sent, then each element as a 4-byte length (-1: NULL) and its bytes. */
typedef struct acol {
    unsigned char *p;
    size_t len, cap;
    int nulls;
} acol;

typedef struct batch {
    int kind;
    int ncols;       /* BK_RAW */
    int n;
    acol c[BATCH_COLS];
    strmap seen; /* keys of the rows in this batch: none is written twice in one statement */
    arena keys;
} batch;

typedef struct pg_be {
    PGconn *conn;
    char *name;      /* shown in messages: the URI without its password */
    int version;
    int busy_ms;
    int readonly;
    int in_write;    /* a write transaction is open */
    int in_read;     /* a read transaction is open: one snapshot of the data */
    int latest_calls;   /* snapshot_latest calls in this read transaction */
    PGresult *latest;   /* then: every assessment's latest snapshot (Q_SNAPSHOT_LATEST_ALL) */
    int committing;
    int npipe;       /* statements sent in pipeline mode, results not read yet */
    long expect[PIPE_MAX]; /* for each: the count its one row must hold, or -1 */
    batch bt;        /* rows gathered for one statement */
    /* answer ids of this write transaction: key "action\x1fshare" -> id, and ids taken
       from the sequence for new answers */
    strmap ids;
    arena id_keys;
    int64_t pool_next, pool_end, pool_want; /* ids [next, end) are ours */
    unsigned char prepared[Q__COUNT];
    /* raw access (store_raw_ops) */
    unsigned char raw_prepared[STORE_RAW_MAX_INSERTS];
    char *raw_sql[STORE_RAW_MAX_INSERTS];
} pg_be;

/* ---------------------------------------------------------------- names */

static int pg_is_uri(const char *name)
{
    return name && (strncmp(name, "postgresql://", 13) == 0 || strncmp(name, "postgres://", 11) == 0);
}

static int hexval(char c)
{
    return c >= '0' && c <= '9' ? c - '0'
           : c >= 'a' && c <= 'f' ? c - 'a' + 10
           : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                  : -1;
}

/* Is URI parameter p[0..n) "password=..."? Its key is percent-decoded first, as libpq does. */
static int is_password_param(const char *p, size_t n)
{
    char key[16];
    size_t k = 0;
    for (size_t i = 0; i < n && p[i] != '='; i++) {
        char c = p[i];
        if (c == '%' && i + 2 < n && hexval(p[i + 1]) >= 0 && hexval(p[i + 2]) >= 0) {
            c = (char)(hexval(p[i + 1]) * 16 + hexval(p[i + 2]));
            i += 2;
        }
        if (k + 1 >= sizeof key)
            return 0;
        key[k++] = c;
    }
    key[k] = '\0';
    return strcmp(key, "password") == 0;
}

static char *pg_display(const char *name)
{
    size_t len = strlen(name);
    char *out = malloc(len + 1);
    if (!out)
        return NULL;
    if (!pg_is_uri(name)) {
        memcpy(out, name, len + 1);
        return out;
    }
    const char *p = strstr(name, "://") + 3;
    size_t o = (size_t)(p - name);
    memcpy(out, name, o);
    /* authority: up to the first '/' or '?'; user info: up to its last '@' */
    const char *end = p + strcspn(p, "/?");
    const char *at = NULL;
    for (const char *q = p; q < end; q++)
        if (*q == '@')
            at = q;
    if (at) {
        const char *colon = memchr(p, ':', (size_t)(at - p));
        const char *uend = colon ? colon : at;
        memcpy(out + o, p, (size_t)(uend - p));
        o += (size_t)(uend - p);
        out[o++] = '@';
        p = at + 1;
    }
    const char *qm = strchr(end, '?');
    const char *pend = qm ? qm : end + strlen(end);
    memcpy(out + o, p, (size_t)(pend - p));
    o += (size_t)(pend - p);
    if (qm) {
        /* parameters, without password=... */
        const char *q = qm + 1;
        int first = 1;
        while (*q) {
            size_t n = strcspn(q, "&");
            if (n && !is_password_param(q, n)) {
                out[o++] = first ? '?' : '&';
                memcpy(out + o, q, n);
                o += n;
                first = 0;
            }
            q += n;
            if (*q == '&')
                q++;
        }
    }
    out[o] = '\0';
    return out;
}

/* ---------------------------------------------------------------- errors */

/* The first line of a libpq or server message, without "FATAL:  "/"ERROR:  ". */
static void one_line(const char *m, char *buf, size_t n)
{
    if (!m)
        m = "";
    for (;;) {
        if (strncmp(m, "FATAL:  ", 8) == 0 || strncmp(m, "ERROR:  ", 8) == 0)
            m += 8;
        else
            break;
    }
    size_t k = strcspn(m, "\n");
    while (k > 0 && (m[k - 1] == ' ' || m[k - 1] == '\t' || m[k - 1] == '\r'))
        k--;
    if (k >= n)
        k = n - 1;
    memcpy(buf, m, k);
    buf[k] = '\0';
}

/* Map a failed statement (res may be NULL) to a posture error naming the store. */
static int fail(pg_be *b, const PGresult *res)
{
    const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    const char *primary = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
    char msg[512];
    one_line(primary ? primary : PQerrorMessage(b->conn), msg, sizeof msg);
    if (!state)
        state = "";
    int lost = PQstatus(b->conn) == CONNECTION_BAD || strncmp(state, "08", 2) == 0 ||
               strncmp(state, "57P", 3) == 0;
    if (lost) {
        if (b->committing)
            return posture_error_set(POSTURE_EIO,
                                     "%s: lost the connection to the server while committing "
                                     "(%s); the change may or may not have been made",
                                     b->name, msg);
        return posture_error_set(POSTURE_EIO,
                                 "%s: lost the connection to the server (%s); nothing was "
                                 "changed",
                                 b->name, msg);
    }
    if (strcmp(state, "55P03") == 0)
        return posture_error_set(POSTURE_EBUSY,
                                 "%s: store is busy: another process kept it locked for %d ms",
                                 b->name, b->busy_ms);
    if (strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0)
        return posture_error_set(POSTURE_EBUSY,
                                 "%s: store is busy: the change conflicted with another one (%s)",
                                 b->name, msg);
    if (strcmp(state, "25006") == 0)
        return posture_error_set(POSTURE_ESTORE, "%s: the store is read-only", b->name);
    if (strcmp(state, "42501") == 0)
        return posture_error_set(POSTURE_ESTORE, "%s: %s", b->name, msg); /* "permission denied for table meta" */
    if (strcmp(state, "53100") == 0)
        return posture_error_set(POSTURE_EIO, "%s: the server's disk is full; nothing was changed",
                                 b->name);
    if (strcmp(state, "53200") == 0)
        return posture_error_set(POSTURE_ENOMEM, "%s: the server is out of memory: %s", b->name,
                                 msg);
    if (strcmp(state, "42P01") == 0 || strcmp(state, "42703") == 0)
        return posture_error_set(POSTURE_ESTORE, "%s: not a posture store (%s)", b->name, msg);
    return posture_error_set(POSTURE_ESTORE, "%s: store error: %s", b->name, msg);
}

/* ------------------------------------------------------------ statements */

#define MAXP 20

/* Parameters of one statement, as text. */
typedef struct pargs {
    int n;
    const char *v[MAXP];
    char num[MAXP][24];
} pargs;

static void pa_text(pargs *p, const char *s) { p->v[p->n++] = s; }

static void pa_int(pargs *p, int64_t x)
{
    snprintf(p->num[p->n], sizeof p->num[p->n], "%lld", (long long)x);
    p->v[p->n] = p->num[p->n];
    p->n++;
}

static const char *val(const PGresult *r, int row, int col)
{
    return PQgetisnull(r, row, col) ? NULL : PQgetvalue(r, row, col);
}

static int64_t ival(const PGresult *r, int row, int col)
{
    return PQgetisnull(r, row, col) ? 0 : strtoll(PQgetvalue(r, row, col), NULL, 10);
}

/* ---- batches ---- */

static int col_room(acol *c, size_t more)
{
    if (c->len + more <= c->cap)
        return 0;
    size_t nc = c->cap ? c->cap * 2 : 4096;
    while (nc < c->len + more)
        nc *= 2;
    unsigned char *p = realloc(c->p, nc);
    if (!p)
        return posture_error_set(POSTURE_ENOMEM, "out of memory");
    c->p = p;
    c->cap = nc;
    if (c->len == 0)
        c->len = 20; /* the header, written when sent */
    return 0;
}

static void put_u32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)(v >> 24);
    p[1] = (unsigned char)(v >> 16);
    p[2] = (unsigned char)(v >> 8);
    p[3] = (unsigned char)v;
}

static int col_text(acol *c, const char *s)
{
    size_t n = s ? strlen(s) : 0;
    if (n > INT32_MAX - 64)
        return posture_error_set(POSTURE_ELIMIT, "a text of %zu bytes", n);
    int ret = col_room(c, 4 + n + 20);
    if (ret)
        return ret;
    put_u32(c->p + c->len, s ? (uint32_t)n : 0xffffffffu);
    c->len += 4;
    if (s) {
        memcpy(c->p + c->len, s, n);
        c->len += n;
    } else {
        c->nulls = 1;
    }
    return 0;
}

static int col_int(acol *c, int64_t v, int bytes)
{
    int ret = col_room(c, 4 + 8 + 20);
    if (ret)
        return ret;
    put_u32(c->p + c->len, (uint32_t)bytes);
    c->len += 4;
    uint64_t u = (uint64_t)v;
    if (bytes == 8) {
        put_u32(c->p + c->len, (uint32_t)(u >> 32));
        c->len += 4;
    }
    put_u32(c->p + c->len, (uint32_t)u);
    c->len += 4;
    return 0;
}

static void batch_reset(batch *bt)
{
    for (int i = 0; i < BATCH_COLS; i++) {
        bt->c[i].len = bt->c[i].p ? 20 : 0;
        bt->c[i].nulls = 0;
    }
    bt->n = 0;
    bt->kind = BK_NONE;
    strmap_release(&bt->seen);
    strmap_init(&bt->seen);
    arena_release(&bt->keys);
    arena_init(&bt->keys);
}

static void batch_free(batch *bt)
{
    batch_reset(bt);
    for (int i = 0; i < BATCH_COLS; i++)
        free(bt->c[i].p);
}

static int pipe_send_stmt(pg_be *b, const char *name, unsigned char *prepared, const char *text,
                          int n, const char *const *vals, const int *lens, const int *formats,
                          long expect);

/* Send the rows gathered (pipelined) and start afresh. */
static int batch_flush(pg_be *b)
{
    batch *bt = &b->bt;
    if (bt->kind == BK_NONE || bt->n == 0) {
        batch_reset(bt);
        return 0;
    }
    int kind = bt->kind, raw = kind >= BK_RAW(0);
    int nc = raw ? bt->ncols : batches[kind].ncols;
    const char *vals[BATCH_COLS];
    int lens[BATCH_COLS], formats[BATCH_COLS];
    for (int i = 0; i < nc; i++) {
        acol *c = &bt->c[i];
        if (!c->p && col_room(c, 20) != 0)
            return POSTURE_ENOMEM;
        if (c->len < 20)
            c->len = 20;
        put_u32(c->p, 1);                            /* dimensions */
        put_u32(c->p + 4, (uint32_t)c->nulls);       /* has nulls */
        put_u32(c->p + 8, raw ? OID_TEXT : batches[kind].types[i]); /* element type */
        put_u32(c->p + 12, (uint32_t)bt->n);         /* length */
        put_u32(c->p + 16, 1);                       /* lower bound */
        vals[i] = (const char *)c->p;
        lens[i] = (int)c->len;
        formats[i] = 1;
    }
    char name[16];
    int ret;
    if (raw) {
        int k = kind - BK_RAW(0);
        snprintf(name, sizeof name, "raw%d", k);
        ret = pipe_send_stmt(b, name, &b->raw_prepared[k], b->raw_sql[k], nc, vals, lens,
                             formats, -1);
    } else {
        int q = batches[kind].q;
        snprintf(name, sizeof name, "q%d", q);
        ret = pipe_send_stmt(b, name, &b->prepared[q], sql[q], nc, vals, lens, formats,
                             kind == BK_ANSWER ? (long)bt->n : -1);
    }
    batch_reset(bt);
    return ret;
}

/* Start a row of batch `kind`, sending the rows of another kind first. `key` (may be
   NULL): a row that must not meet another with the same key in one statement. */
static int batch_row(pg_be *b, int kind, const char *key)
{
    batch *bt = &b->bt;
    int ret = 0;
    if (bt->kind != kind && (ret = batch_flush(b)) != 0)
        return ret;
    if (key) {
        if (strmap_get(&bt->seen, key, NULL) && (ret = batch_flush(b)) != 0)
            return ret;
        const char *k = arena_strdup(&bt->keys, key);
        if (!k || strmap_put(&bt->seen, k, 0, NULL) < 0)
            return posture_error_set(POSTURE_ENOMEM, "out of memory");
    }
    bt->kind = kind;
    return 0;
}

/* A row is complete: send the batch when full. */
static int batch_done(pg_be *b)
{
    return ++b->bt.n >= BATCH_MAX ? batch_flush(b) : 0;
}

/* Read the results of the statements sent in pipeline mode (the first error is
   returned) and leave pipeline mode. */
static int pipe_sync(pg_be *b)
{
    int ret = 0;
    if (!PQpipelineStatus(b->conn))
        return ret;
    if (PQpipelineSync(b->conn) != 1 && ret == 0)
        ret = fail(b, NULL);
    /* each statement's results end with NULL; after an error the rest are "aborted" */
    for (int i = 0; i < b->npipe && PQstatus(b->conn) == CONNECTION_OK; i++) {
        PGresult *r;
        while ((r = PQgetResult(b->conn)) != NULL) {
            ExecStatusType st = PQresultStatus(r);
            if (ret == 0 && st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK)
                ret = fail(b, r);
            else if (ret == 0 && b->expect[i] >= 0 &&
                     (st != PGRES_TUPLES_OK || PQntuples(r) != 1 ||
                      strtol(PQgetvalue(r, 0, 0), NULL, 10) != b->expect[i]))
                ret = posture_error_set(POSTURE_ESTORE,
                                        "%s: answers were not where this transaction found "
                                        "them; nothing was changed",
                                        b->name);
            PQclear(r);
        }
    }
    if (PQstatus(b->conn) == CONNECTION_OK) {
        PGresult *r;
        while ((r = PQgetResult(b->conn)) != NULL) {
            ExecStatusType st = PQresultStatus(r);
            PQclear(r);
            if (st == PGRES_PIPELINE_SYNC)
                break;
        }
    } else if (ret == 0) {
        ret = fail(b, NULL);
    }
    b->npipe = 0;
    if (PQexitPipelineMode(b->conn) != 1 && ret == 0)
        ret = fail(b, NULL);
    return ret;
}

/* Send the rows gathered, then read every result outstanding. */
static int pipe_drain(pg_be *b)
{
    int ret = batch_flush(b);
    int ret2 = pipe_sync(b);
    return ret ? ret : ret2;
}

static int prepare(pg_be *b, int q)
{
    if (b->prepared[q])
        return 0;
    char name[16];
    snprintf(name, sizeof name, "q%d", q);
    PGresult *r = PQprepare(b->conn, name, sql[q], 0, NULL); /* types from the casts */
    int ret = PQresultStatus(r) == PGRES_COMMAND_OK ? 0 : fail(b, r);
    PQclear(r);
    if (ret == 0)
        b->prepared[q] = 1;
    return ret;
}

/* Send statement q and wait for its result, whatever it is (*r: caller clears). */
static int start(pg_be *b, int q, const pargs *p, PGresult **r)
{
    int ret = pipe_drain(b);
    if (ret == 0)
        ret = prepare(b, q);
    if (ret)
        return ret;
    char name[16];
    snprintf(name, sizeof name, "q%d", q);
    *r = PQexecPrepared(b->conn, name, p ? p->n : 0, p ? p->v : NULL, NULL, NULL, 0);
    return 0;
}

/* Run statement q and wait for its result (*out: caller clears; NULL: none wanted). */
static int run(pg_be *b, int q, const pargs *p, PGresult **out)
{
    PGresult *r = NULL;
    int ret = start(b, q, p, &r);
    if (ret)
        return ret;
    ExecStatusType st = PQresultStatus(r);
    if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK) {
        ret = fail(b, r);
        PQclear(r);
        return ret;
    }
    if (out)
        *out = r;
    else
        PQclear(r);
    return 0;
}

/* Send statement `name` (`text`, prepared once: *prepared) in pipeline mode, its result
   read later (`expect` >= 0: the count its one row must hold). */
static int pipe_send_stmt(pg_be *b, const char *name, unsigned char *prepared, const char *text,
                          int n, const char *const *vals, const int *lens, const int *formats,
                          long expect)
{
    int ret = 0;
    if (!*prepared) {
        /* prepare outside pipeline mode */
        if (PQpipelineStatus(b->conn) && (ret = pipe_sync(b)) != 0)
            return ret;
        PGresult *r = PQprepare(b->conn, name, text, 0, NULL); /* types from the casts */
        ret = PQresultStatus(r) == PGRES_COMMAND_OK ? 0 : fail(b, r);
        PQclear(r);
        if (ret)
            return ret;
        *prepared = 1;
    }
    if (!PQpipelineStatus(b->conn) && PQenterPipelineMode(b->conn) != 1)
        return fail(b, NULL);
    if (PQsendQueryPrepared(b->conn, name, n, vals, lens, formats, 0) != 1) {
        ret = fail(b, NULL);
        pipe_sync(b);
        return ret;
    }
    b->expect[b->npipe] = expect;
    if (++b->npipe >= PIPE_MAX)
        return pipe_sync(b);
    return 0;
}

static int pipe_send(pg_be *b, int q, int n, const char *const *vals)
{
    char name[16];
    snprintf(name, sizeof name, "q%d", q);
    return pipe_send_stmt(b, name, &b->prepared[q], sql[q], n, vals, NULL, NULL, -1);
}

/* Run statement q whose result is not needed: in a write transaction it is only sent. */
static int send(pg_be *b, int q, const pargs *p)
{
    if (!b->in_write)
        return run(b, q, p, NULL);
    int ret = batch_flush(b);
    return ret ? ret : pipe_send(b, q, p->n, p->v);
}

/* Run SQL without parameters written here (session settings, transactions). */
static int exec_plain(pg_be *b, const char *text)
{
    int ret = pipe_drain(b);
    if (ret)
        return ret;
    PGresult *r = PQexecParams(b->conn, text, 0, NULL, NULL, NULL, NULL, 0);
    ExecStatusType st = PQresultStatus(r);
    ret = (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) ? 0 : fail(b, r);
    PQclear(r);
    return ret;
}

/* ---- answer ids of the write transaction ---- */

static void ids_reset(pg_be *b)
{
    strmap_release(&b->ids);
    strmap_init(&b->ids);
    arena_release(&b->id_keys);
    arena_init(&b->id_keys);
    b->pool_next = b->pool_end = 0;
}

/* "action\x1fshare" in the arena of the transaction's ids. */
static const char *id_key(pg_be *b, const char *action, const char *share)
{
    size_t na = strlen(action), ns = strlen(share);
    char *k = arena_alloc(&b->id_keys, na + ns + 2);
    if (k) {
        memcpy(k, action, na);
        k[na] = '\x1f';
        memcpy(k + na + 1, share, ns + 1);
    }
    return k;
}

/* Remember the id of key (action, share) read or written in this write transaction. */
static int ids_note(pg_be *b, const char *action, const char *share, int64_t id)
{
    if (!b->in_write || !action || !share)
        return 0;
    const char *k = id_key(b, action, share);
    if (!k || strmap_put(&b->ids, k, (size_t)id, NULL) < 0)
        return posture_error_set(POSTURE_ENOMEM, "out of memory");
    return 0;
}

/* A new answer id from the sequence, taken in growing ranges. */
static int ids_new(pg_be *b, int64_t *out)
{
    if (b->pool_next == b->pool_end) {
        int64_t want = b->pool_want ? b->pool_want : 16;
        pargs p = {0};
        pa_int(&p, want);
        PGresult *r = NULL;
        int ret = run(b, Q_ANSWER_IDS, &p, &r);
        if (ret)
            return ret;
        if (PQntuples(r) != 1) {
            PQclear(r);
            return posture_error_set(POSTURE_ESTORE, "%s: no new answer ids", b->name);
        }
        b->pool_end = ival(r, 0, 0) + 1;
        b->pool_next = b->pool_end - want;
        PQclear(r);
        if (want < 8192)
            b->pool_want = want * 2;
    }
    *out = b->pool_next++;
    return 0;
}

/* ------------------------------------------------------------ open/close */

static void pg_close(void *be)
{
    pg_be *b = be;
    if (!b)
        return;
    PQclear(b->latest);
    PQfinish(b->conn);
    batch_free(&b->bt);
    ids_reset(b);
    for (int k = 0; k < STORE_RAW_MAX_INSERTS; k++)
        free(b->raw_sql[k]);
    free(b->name);
    free(b);
}

static void no_notices(void *arg, const char *message)
{
    (void)arg;
    (void)message;
}

static int is_auth_failure(const char *m)
{
    static const char *const signs[] = {"password authentication failed",
                                        "no password supplied",
                                        "authentication failed",
                                        "password is required",
                                        "SCRAM authentication"};
    for (size_t i = 0; i < sizeof signs / sizeof *signs; i++)
        if (strstr(m, signs[i]))
            return 1;
    return 0;
}

/* Replace in `msg` every copy of the URI (libpq quotes it in its parse errors) by the name
   shown, so no message carries the password. */
static void scrub(const pg_be *b, const char *uri, char *msg, size_t n)
{
    size_t ul = strlen(uri), dl = strlen(b->name);
    char *at;
    while (ul && (at = strstr(msg, uri)) != NULL) {
        size_t tail = strlen(at + ul);
        if ((size_t)(at - msg) + dl + tail + 1 > n) {
            at[0] = '\0';
            break;
        }
        memmove(at + dl, at + ul, tail + 1);
        memcpy(at, b->name, dl);
    }
}

static int connect_to(pg_be *b, const char *uri)
{
    char msg[512];
    char *err = NULL;
    PQconninfoOption *opts = PQconninfoParse(uri, &err);
    if (!opts) {
        one_line(err ? err : "out of memory", msg, sizeof msg);
        PQfreemem(err);
        scrub(b, uri, msg, sizeof msg);
        return posture_error_set(POSTURE_EUSAGE, "%s: not a usable PostgreSQL URI: %s", b->name,
                                 msg);
    }
    PQconninfoFree(opts);
    /* later keywords override the URI's; earlier ones are defaults it may override */
    const char *const keys[] = {"connect_timeout", "dbname", "fallback_application_name",
                                "client_encoding", NULL};
    const char *const vals[] = {"10", uri, "posture", "UTF8", NULL};
    b->conn = PQconnectdbParams(keys, vals, 1);
    if (!b->conn)
        return posture_error_set(POSTURE_ENOMEM, "out of memory");
    if (PQstatus(b->conn) == CONNECTION_OK) {
        PQsetNoticeProcessor(b->conn, no_notices, NULL);
        return 0;
    }
    one_line(PQerrorMessage(b->conn), msg, sizeof msg);
    scrub(b, uri, msg, sizeof msg);
    /* "connection to server ... failed: FATAL:  password authentication failed ..." */
    char *f = strstr(msg, "FATAL:  ");
    if (f)
        memmove(f, f + 8, strlen(f + 8) + 1);
    if (is_auth_failure(msg))
        return posture_error_set(POSTURE_ESTORE, "%s: authentication failed: %s", b->name, msg);
    return posture_error_set(POSTURE_EIO, "%s: cannot connect: %s", b->name, msg);
}

typedef struct probe {
    int has_schema;  /* current_schema() is not NULL */
    int relations;   /* tables, views, sequences in it */
    int has_meta;
    int posture;     /* meta says application = posture */
    int version;
} probe;

/* What the first schema of the search path holds. Errors only for failures. */
static int probe_store(pg_be *b, probe *pr)
{
    memset(pr, 0, sizeof *pr);
    PGresult *r = PQexecParams(
        b->conn,
        "SELECT current_schema() IS NOT NULL,"
        " (SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
        "  WHERE n.nspname = current_schema() AND c.relkind IN ('r','p','v','m','f','S')),"
        " (SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
        "  WHERE n.nspname = current_schema() AND c.relname = 'meta' AND c.relkind IN ('r','p'))",
        0, NULL, NULL, NULL, NULL, 0);
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
        int ret = fail(b, r);
        PQclear(r);
        return ret;
    }
    pr->has_schema = strcmp(PQgetvalue(r, 0, 0), "t") == 0;
    pr->relations = (int)ival(r, 0, 1);
    pr->has_meta = ival(r, 0, 2) > 0;
    PQclear(r);
    if (!pr->has_meta)
        return 0;
    /* a meta table of something else may lack these columns: then it is not ours */
    r = PQexecParams(b->conn,
                     "SELECT (SELECT value FROM meta WHERE key = 'application'),"
                     " (SELECT value FROM meta WHERE key = 'schema_version')",
                     0, NULL, NULL, NULL, NULL, 0);
    ExecStatusType st = PQresultStatus(r);
    if (st == PGRES_TUPLES_OK) {
        const char *app = val(r, 0, 0), *ver = val(r, 0, 1);
        if (app && strcmp(app, "posture") == 0 && ver) {
            char *end;
            long v = strtol(ver, &end, 10);
            if (*end == '\0' && v >= 0 && v < 1000000) {
                pr->posture = 1;
                pr->version = (int)v;
            }
        }
    } else if (PQstatus(b->conn) == CONNECTION_BAD) {
        int ret = fail(b, r);
        PQclear(r);
        return ret;
    } else if (PQtransactionStatus(b->conn) == PQTRANS_INERROR) {
        PQclear(PQexec(b->conn, "ROLLBACK"));
    }
    PQclear(r);
    return 0;
}

static int not_a_store(pg_be *b, const probe *pr)
{
    (void)pr;
    return posture_error_set(POSTURE_ESTORE,
                             "%s: not a posture store (the database holds other tables)",
                             b->name);
}

/* Create or migrate the schema in one transaction, under a lock that makes concurrent
   `posture init`s take turns. */
static int migrate(pg_be *b, int create, int *created)
{
    int ret = exec_plain(b, "BEGIN ISOLATION LEVEL READ COMMITTED");
    if (ret)
        return ret;
    if ((ret = exec_plain(b, "SELECT pg_advisory_xact_lock(" STORE_LOCK_KEY
                             ", hashtext(current_schema()))")) != 0)
        goto fail;
    probe pr;
    if ((ret = probe_store(b, &pr)) != 0)
        goto fail;
    int v = 0;
    if (pr.posture) {
        v = pr.version;
        if (v > SB_SCHEMA_VERSION) {
            ret = posture_error_set(POSTURE_EVERSION,
                                    "%s: the store has schema version %d, newer than this "
                                    "posture supports (%d)",
                                    b->name, v, SB_SCHEMA_VERSION);
            goto fail;
        }
    } else if (pr.relations > 0) {
        ret = not_a_store(b, &pr);
        goto fail;
    } else if (!create) {
        ret = posture_error_set(POSTURE_ENOTFOUND, "%s: no store here", b->name);
        goto fail;
    } else {
        *created = 1;
    }
    for (; v < NMIGRATIONS; v++) {
        PGresult *r = PQexec(b->conn, migrations[v]); /* several statements: simple protocol */
        if (PQresultStatus(r) != PGRES_COMMAND_OK) {
            ret = fail(b, r);
            PQclear(r);
            goto fail;
        }
        PQclear(r);
        pargs p = {0};
        pa_int(&p, v + 1);
        r = PQexecParams(b->conn, "UPDATE meta SET value = $1 WHERE key = 'schema_version'", 1,
                         NULL, p.v, NULL, NULL, 0);
        if (PQresultStatus(r) != PGRES_COMMAND_OK) {
            ret = fail(b, r);
            PQclear(r);
            goto fail;
        }
        PQclear(r);
    }
    b->committing = 1;
    ret = exec_plain(b, "COMMIT");
    b->committing = 0;
    if (ret)
        goto fail;
    b->version = v;
    return 0;
fail:
    if (PQstatus(b->conn) == CONNECTION_OK && PQtransactionStatus(b->conn) != PQTRANS_IDLE)
        PQclear(PQexec(b->conn, "ROLLBACK"));
    *created = 0;
    return ret;
}

static int set_config(pg_be *b, const char *name, const char *value)
{
    const char *v[2] = {name, value};
    PGresult *r =
        PQexecParams(b->conn, "SELECT set_config($1, $2, false)", 2, NULL, v, NULL, NULL, 0);
    int ret = PQresultStatus(r) == PGRES_TUPLES_OK ? 0 : fail(b, r);
    PQclear(r);
    return ret;
}

static int pg_open(const char *uri, unsigned flags, void **out, int *created)
{
    *out = NULL;
    *created = 0;
    pg_be *b = calloc(1, sizeof *b);
    if (!b || !(b->name = pg_display(uri))) {
        free(b);
        return posture_error_set(POSTURE_ENOMEM, "out of memory");
    }
    strmap_init(&b->bt.seen);
    arena_init(&b->bt.keys);
    strmap_init(&b->ids);
    arena_init(&b->id_keys);
    b->busy_ms = store_busy_timeout_ms();
    b->readonly = (flags & SB_OPEN_READONLY) != 0;
    int ret = pq_ready();
    if (ret == 0)
        ret = connect_to(b, uri);
    if (ret)
        goto fail;
    char ms[32];
    snprintf(ms, sizeof ms, "%d", b->busy_ms);
    if ((ret = set_config(b, "lock_timeout", ms)) != 0 ||
        (b->readonly && (ret = set_config(b, "default_transaction_read_only", "on")) != 0))
        goto fail;
    probe pr;
    if ((ret = probe_store(b, &pr)) != 0)
        goto fail;
    if (!pr.has_schema) {
        ret = posture_error_set(POSTURE_ESTORE,
                                "%s: no schema to hold the store (the search_path names none "
                                "that exists)",
                                b->name);
        goto fail;
    }
    if (!pr.posture) {
        if (pr.relations > 0) {
            ret = not_a_store(b, &pr);
            goto fail;
        }
        if (!(flags & SB_OPEN_CREATE)) {
            ret = posture_error_set(POSTURE_ENOTFOUND, "%s: no store here", b->name);
            goto fail;
        }
    } else if (pr.version > SB_SCHEMA_VERSION) {
        ret = posture_error_set(POSTURE_EVERSION,
                                "%s: the store has schema version %d, newer than this posture "
                                "supports (%d)",
                                b->name, pr.version, SB_SCHEMA_VERSION);
        goto fail;
    }
    b->version = pr.posture ? pr.version : 0;
    if (!pr.posture || pr.version < SB_SCHEMA_VERSION) {
        if (b->readonly) {
            ret = posture_error_set(POSTURE_ESTORE,
                                    "%s: the store has schema version %d and needs an upgrade, "
                                    "but it is opened read-only",
                                    b->name, b->version);
            goto fail;
        }
        if ((ret = migrate(b, (flags & SB_OPEN_CREATE) != 0, created)) != 0)
            goto fail;
    }
    *out = b;
    return 0;
fail:
    pg_close(b);
    return ret;
}

static int pg_schema_version(void *be) { return ((pg_be *)be)->version; }

static int pg_begin(void *be, int write)
{
    pg_be *b = be;
    if (write && b->readonly)
        return posture_error_set(POSTURE_ESTORE, "%s: the store is read-only", b->name);
    if (!write) {
        int ret = exec_plain(b, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
        b->in_read = ret == 0;
        return ret;
    }
    int ret = exec_plain(b, "BEGIN ISOLATION LEVEL READ COMMITTED");
    if (ret)
        return ret;
    PGresult *r = NULL;
    if ((ret = run(b, Q_LOCK, NULL, &r)) == 0 && PQntuples(r) != 1)
        ret = posture_error_set(POSTURE_ESTORE, "%s: not a posture store (its meta row is gone)",
                                b->name);
    PQclear(r);
    if (ret) {
        if (PQstatus(b->conn) == CONNECTION_OK)
            PQclear(PQexec(b->conn, "ROLLBACK"));
        return ret;
    }
    ids_reset(b);
    b->in_write = 1;
    return 0;
}

static void read_end(pg_be *b)
{
    b->in_read = 0;
    b->latest_calls = 0;
    PQclear(b->latest);
    b->latest = NULL;
}

static int pg_commit(void *be)
{
    pg_be *b = be;
    int ret = pipe_drain(b);
    b->in_write = 0;
    ids_reset(b);
    read_end(b);
    if (ret) {
        if (PQstatus(b->conn) == CONNECTION_OK)
            PQclear(PQexec(b->conn, "ROLLBACK"));
        return ret;
    }
    b->committing = 1;
    PGresult *r = PQexecParams(b->conn, "COMMIT", 0, NULL, NULL, NULL, NULL, 0);
    if (PQresultStatus(r) != PGRES_COMMAND_OK)
        ret = fail(b, r);
    else if (strcmp(PQcmdStatus(r), "COMMIT") != 0) /* a failed transaction rolls back */
        ret = posture_error_set(POSTURE_ESTORE, "%s: the transaction failed; nothing was changed",
                                b->name);
    b->committing = 0;
    PQclear(r);
    return ret;
}

static void pg_rollback(void *be)
{
    pg_be *b = be;
    batch_reset(&b->bt); /* nothing of it is sent */
    if (PQpipelineStatus(b->conn))
        pipe_drain(b);
    b->in_write = 0;
    ids_reset(b);
    read_end(b);
    if (PQstatus(b->conn) == CONNECTION_OK && PQtransactionStatus(b->conn) != PQTRANS_IDLE)
        PQclear(PQexec(b->conn, "ROLLBACK"));
}

/* ------------------------------------------------------------ assessments */

static int walk_assessments(PGresult *r, sb_assessment_cb cb, void *ctx, int need_one)
{
    int ret = 0, n = PQntuples(r);
    for (int i = 0; i < n && ret == 0; i++) {
        sb_assessment a = {ival(r, i, 0),  val(r, i, 1), val(r, i, 2), val(r, i, 3),
                           val(r, i, 4),   val(r, i, 5), val(r, i, 6), val(r, i, 7),
                           val(r, i, 8),   val(r, i, 9), val(r, i, 10)};
        ret = cb(ctx, &a);
    }
    PQclear(r);
    if (ret == 0 && need_one && n == 0)
        ret = POSTURE_ENOTFOUND;
    return ret;
}

static int pg_assessment_by_name(void *be, const char *name, sb_assessment_cb cb, void *ctx)
{
    pargs p = {0};
    pa_text(&p, name);
    PGresult *r = NULL;
    int ret = run(be, Q_ASSESSMENT_BY_NAME, &p, &r);
    return ret ? ret : walk_assessments(r, cb, ctx, 1);
}

static int pg_assessment_by_id(void *be, int64_t id, sb_assessment_cb cb, void *ctx)
{
    pargs p = {0};
    pa_int(&p, id);
    PGresult *r = NULL;
    int ret = run(be, Q_ASSESSMENT_BY_ID, &p, &r);
    return ret ? ret : walk_assessments(r, cb, ctx, 1);
}

static int pg_assessment_list(void *be, const char *grp, sb_assessment_cb cb, void *ctx)
{
    pargs p = {0};
    if (grp)
        pa_text(&p, grp);
    PGresult *r = NULL;
    int ret = run(be, grp ? Q_ASSESSMENT_LIST_GRP : Q_ASSESSMENT_LIST, &p, &r);
    return ret ? ret : walk_assessments(r, cb, ctx, 0);
}

static void pa_assessment(pargs *p, const sb_assessment *a)
{
    pa_text(p, a->name);
    pa_text(p, a->template_id);
    pa_text(p, a->template_version);
    pa_text(p, a->template_file);
    pa_text(p, a->grp);
    pa_text(p, a->organization);
    pa_text(p, a->scope);
    pa_text(p, a->profile);
    pa_text(p, a->created_at);
    pa_text(p, a->updated_at);
}

static int pg_assessment_insert(void *be, const sb_assessment *a, int64_t *id)
{
    pg_be *b = be;
    pargs p = {0};
    pa_assessment(&p, a);
    PGresult *r = NULL;
    int ret = start(b, Q_ASSESSMENT_INSERT, &p, &r);
    if (ret)
        return ret;
    if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1) {
        *id = ival(r, 0, 0);
    } else {
        const char *state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
        if (state && strcmp(state, "23505") == 0)
            ret = posture_error_set(POSTURE_EEXISTS, "assessment \"%s\" exists already",
                                    a->name);
        else
            ret = fail(b, r);
    }
    PQclear(r);
    return ret;
}

static int pg_assessment_update(void *be, const sb_assessment *a)
{
    pargs p = {0};
    pa_int(&p, a->id);
    pa_assessment(&p, a);
    return send(be, Q_ASSESSMENT_UPDATE, &p);
}

static int pg_assessment_delete(void *be, int64_t id)
{
    pargs p = {0};
    pa_int(&p, id);
    return send(be, Q_ASSESSMENT_DELETE, &p);
}

/* ---- inclusions ---- */

static int pg_incl_insert(void *be, const sb_incl *r)
{
    pg_be *b = be;
    if (b->in_write) {
        batch *bt = &b->bt;
        int ret = batch_row(b, BK_INCL_INSERT, NULL);
        if (ret || (ret = col_int(&bt->c[0], r->assessment_id, 8)) != 0 ||
            (ret = col_int(&bt->c[1], r->idx, 8)) != 0 ||
            (ret = col_text(&bt->c[2], r->action)) != 0 ||
            (ret = col_text(&bt->c[3], r->share)) != 0 ||
            (ret = col_int(&bt->c[4], r->counted, 4)) != 0 ||
            (ret = col_int(&bt->c[5], r->points, 4)) != 0 ||
            (ret = col_int(&bt->c[6], r->achieved_x100, 8)) != 0)
            return ret;
        return batch_done(b);
    }
    pargs p = {0};
    pa_int(&p, r->assessment_id);
    pa_int(&p, r->idx);
    pa_text(&p, r->action);
    pa_text(&p, r->share);
    pa_int(&p, r->counted);
    pa_int(&p, r->points);
    pa_int(&p, r->achieved_x100);
    return send(be, Q_INCL_INSERT, &p);
}

static int pg_incl_update_score(void *be, const sb_incl *r)
{
    pg_be *b = be;
    if (b->in_write) {
        batch *bt = &b->bt;
        char buf[256], *key = buf;
        size_t kn = (size_t)snprintf(NULL, 0, "%lld\x1f%s", (long long)r->assessment_id,
                                     r->action) + 1;
        if (kn > sizeof buf && !(key = arena_alloc(&bt->keys, kn)))
            return posture_error_set(POSTURE_ENOMEM, "out of memory");
        snprintf(key, kn, "%lld\x1f%s", (long long)r->assessment_id, r->action);
        int ret = batch_row(b, BK_INCL_UPDATE, key);
        if (ret || (ret = col_int(&bt->c[0], r->assessment_id, 8)) != 0 ||
            (ret = col_text(&bt->c[1], r->action)) != 0 ||
            (ret = col_int(&bt->c[2], r->counted, 4)) != 0 ||
            (ret = col_int(&bt->c[3], r->points, 4)) != 0 ||
            (ret = col_int(&bt->c[4], r->achieved_x100, 8)) != 0)
            return ret;
        return batch_done(b);
    }
    pargs p = {0};
    pa_int(&p, r->assessment_id);
    pa_text(&p, r->action);
    pa_int(&p, r->counted);
    pa_int(&p, r->points);
    pa_int(&p, r->achieved_x100);
    return send(be, Q_INCL_UPDATE_SCORE, &p);
}

static int pg_incl_delete_all(void *be, int64_t aid)
{
    pargs p = {0};
    pa_int(&p, aid);
    return send(be, Q_INCL_DELETE_ALL, &p);
}

static int pg_incl_list(void *be, int64_t aid, sb_incl_cb cb, void *ctx)
{
    pargs p = {0};
    pa_int(&p, aid);
    PGresult *r = NULL;
    int ret = run(be, Q_INCL_LIST, &p, &r);
    if (ret)
        return ret;
    for (int i = 0, n = PQntuples(r); i < n && ret == 0; i++) {
        sb_incl x = {ival(r, i, 0),      ival(r, i, 1),      val(r, i, 2), val(r, i, 3),
                     (int)ival(r, i, 4), (int)ival(r, i, 5), ival(r, i, 6)};
        ret = cb(ctx, &x);
    }
    PQclear(r);
    return ret;
}

static int pg_incl_set_share(void *be, int64_t aid, const char *from, const char *to)
{
    pargs p = {0};
    pa_int(&p, aid);
    pa_text(&p, from);
    pa_text(&p, to);
    return send(be, Q_INCL_SET_SHARE, &p);
}

static int walk_ids(pg_be *b, int q, const pargs *p, sb_id_cb cb, void *ctx)
{
    PGresult *r = NULL;
    int ret = run(b, q, p, &r);
    if (ret)
        return ret;
    for (int i = 0, n = PQntuples(r); i < n && ret == 0; i++)
        ret = cb(ctx, ival(r, i, 0));
    PQclear(r);
    return ret;
}

static int pg_incl_sharers(void *be, const char *action, const char *share, sb_id_cb cb,
                           void *ctx)
{
    pargs p = {0};
    pa_text(&p, action);
    pa_text(&p, share);
    return walk_ids(be, Q_INCL_SHARERS, &p, cb, ctx);
}

static int pg_incl_neighbours(void *be, int64_t aid, sb_id_cb cb, void *ctx)
{
    pargs p = {0};
    pa_int(&p, aid);
    return walk_ids(be, Q_INCL_NEIGHBOURS, &p, cb, ctx);
}

static int pg_incl_shares(void *be, int64_t aid, sb_share_cb cb, void *ctx)
{
    pargs p = {0};
    pa_int(&p, aid);
    PGresult *r = NULL;
    int ret = run(be, Q_INCL_SHARES, &p, &r);
    if (ret)
        return ret;
    for (int i = 0, n = PQntuples(r); i < n && ret == 0; i++)
        ret = cb(ctx, val(r, i, 0), val(r, i, 1));
    PQclear(r);
    return ret;
}

/* ---- answers and evidence ---- */

static int walk_answers(pg_be *b, PGresult *r, sb_answer_cb cb, void *ctx, int need_one)
{
    int ret = 0, n = PQntuples(r);
    for (int i = 0; i < n && ret == 0; i++) {
        sb_answer a = {ival(r, i, 0), val(r, i, 1), val(r, i, 2), val(r, i, 3), val(r, i, 4),
                       val(r, i, 5),  val(r, i, 6), val(r, i, 7), val(r, i, 8), val(r, i, 9)};
        if ((ret = ids_note(b, a.action, a.share, a.id)) == 0)
            ret = cb(ctx, &a);
    }
    PQclear(r);
    if (ret == 0 && need_one && n == 0)
        ret = POSTURE_ENOTFOUND;
    return ret;
}

static int pg_answer_get(void *be, const char *action, const char *share, sb_answer_cb cb,
                         void *ctx)
{
    pargs p = {0};
    pa_text(&p, action);
    pa_text(&p, share);
    PGresult *r = NULL;
    int ret = run(be, Q_ANSWER_GET, &p, &r);
    return ret ? ret : walk_answers(be, r, cb, ctx, 1);
}

static int pg_answers_of(void *be, int64_t aid, sb_answer_cb cb, void *ctx)
{
    pargs p = {0};
    pa_int(&p, aid);
    PGresult *r = NULL;
    int ret = run(be, Q_ANSWERS_OF, &p, &r);
    return ret ? ret : walk_answers(be, r, cb, ctx, 0);
}

static int pg_answer_put(void *be, const sb_answer *a, int64_t *id)
{
    pg_be *b = be;
    if (b->in_write) {
        /* the id: as read in this transaction, else a new one; the batch checks it */
        batch *bt = &b->bt;
        const char *key = id_key(b, a->action, a->share);
        if (!key)
            return posture_error_set(POSTURE_ENOMEM, "out of memory");
        size_t known = 0;
        int64_t aid = 0;
        int ret = 0;
        if (strmap_get(&b->ids, key, &known))
            aid = (int64_t)known;
        else if ((ret = ids_new(b, &aid)) != 0 ||
                 (ret = strmap_put(&b->ids, key, (size_t)aid, NULL) < 0 ? POSTURE_ENOMEM : 0) != 0)
            return ret;
        if ((ret = batch_row(b, BK_ANSWER, key)) != 0 ||
            (ret = col_int(&bt->c[0], aid, 8)) != 0 || (ret = col_text(&bt->c[1], a->action)) != 0 ||
            (ret = col_text(&bt->c[2], a->share)) != 0 ||
            (ret = col_text(&bt->c[3], a->implementation)) != 0 ||
            (ret = col_text(&bt->c[4], a->test)) != 0 ||
            (ret = col_text(&bt->c[5], a->tested_at)) != 0 ||
            (ret = col_text(&bt->c[6], a->assigned_to)) != 0 ||
            (ret = col_text(&bt->c[7], a->notes)) != 0 ||
            (ret = col_text(&bt->c[8], a->updated_at)) != 0 ||
            (ret = col_text(&bt->c[9], a->updated_by)) != 0)
            return ret;
        if (id)
            *id = aid;
        return batch_done(b);
    }
    pargs p = {0};
    pa_text(&p, a->action);
    pa_text(&p, a->share);
    pa_text(&p, a->implementation);
    pa_text(&p, a->test);
    pa_text(&p, a->tested_at);
    pa_text(&p, a->assigned_to);
    pa_text(&p, a->notes);
    pa_text(&p, a->updated_at);
    pa_text(&p, a->updated_by);
    PGresult *r = NULL;
    int ret = run(be, Q_ANSWER_PUT, &p, &r);
    if (ret)
        return ret;
    if (id)
        *id = PQntuples(r) == 1 ? ival(r, 0, 0) : 0;
    PQclear(r);
    return 0;
}

static int pg_evidence_add(void *be, const sb_evidence *e, int *added)
{
    pargs p = {0};
    pa_int(&p, e->answer_id);
    pa_text(&p, e->uri);
    pa_text(&p, e->note);
    pa_text(&p, e->added_by);
    pa_text(&p, e->added_at);
    PGresult *r = NULL;
    *added = 0;
    int ret = run(be, Q_EVIDENCE_ADD, &p, &r);
    if (ret)
        return ret;
    *added = strcmp(PQcmdTuples(r), "0") != 0;
    PQclear(r);
    return 0;
}

static int pg_evidence_of(void *be, int64_t aid, sb_evidence_cb cb, void *ctx)
{
    pargs p = {0};
    pa_int(&p, aid);
    PGresult *r = NULL;
    int ret = run(be, Q_EVIDENCE_OF, &p, &r);
    if (ret)
        return ret;
    for (int i = 0, n = PQntuples(r); i < n && ret == 0; i++) {
        sb_evidence e = {ival(r, i, 0), val(r, i, 1), val(r, i, 2),
                         val(r, i, 3),  val(r, i, 4), val(r, i, 5)};
        ret = cb(ctx, &e);
    }
    PQclear(r);
    return ret;
}

/* ---- Statement of Applicability ---- */

static int pg_exclusion_list(void *be, int64_t aid, sb_exclusion_cb cb, void *ctx)
{
    pargs p = {0};
    pa_int(&p, aid);
    PGresult *r = NULL;
    int ret = run(be, Q_EXCLUSION_LIST, &p, &r);
    if (ret)
        return ret;
    for (int i = 0, n = PQntuples(r); i < n && ret == 0; i++) {
        sb_exclusion x = {ival(r, i, 0), val(r, i, 1), val(r, i, 2), val(r, i, 3),
                          val(r, i, 4)};
        ret = cb(ctx, &x);
    }
    PQclear(r);
    return ret;
}

static int pg_exclusion_put(void *be, const sb_exclusion *x)
{
    pargs p = {0};
    pa_int(&p, x->assessment_id);
    pa_text(&p, x->control);
    pa_text(&p, x->justification);
    pa_text(&p, x->at);
    pa_text(&p, x->by);
    return send(be, Q_EXCLUSION_PUT, &p);
}

static int pg_exclusion_delete(void *be, int64_t aid, const char *control)
{
    pargs p = {0};
    pa_int(&p, aid);
    pa_text(&p, control);
    return send(be, Q_EXCLUSION_DELETE, &p);
}

/* ---- audit and snapshots ---- */

static int pg_audit_add(void *be, const sb_audit *e)
{
    pg_be *b = be;
    if (b->in_write) {
        batch *bt = &b->bt;
        int ret = batch_row(b, BK_AUDIT, NULL);
        if (ret || (ret = col_int(&bt->c[0], e->assessment_id, 8)) != 0 ||
            (ret = col_text(&bt->c[1], e->assessment)) != 0 ||
            (ret = col_text(&bt->c[2], e->at)) != 0 || (ret = col_text(&bt->c[3], e->who)) != 0 ||
            (ret = col_text(&bt->c[4], e->what)) != 0 ||
            (ret = col_text(&bt->c[5], e->old_value)) != 0 ||
            (ret = col_text(&bt->c[6], e->new_value)) != 0 ||
            (ret = col_text(&bt->c[7], e->via)) != 0)
            return ret;
        return batch_done(b);
    }
    pargs p = {0};
    pa_int(&p, e->assessment_id);
    pa_text(&p, e->assessment);
    pa_text(&p, e->at);
    pa_text(&p, e->who);
    pa_text(&p, e->what);
    pa_text(&p, e->old_value);
    pa_text(&p, e->new_value);
    pa_text(&p, e->via);
    return send(be, Q_AUDIT_ADD, &p);
}

static int pg_audit_list(void *be, int64_t aid, sb_audit_cb cb, void *ctx)
{
    pargs p = {0};
    pa_int(&p, aid);
    PGresult *r = NULL;
    int ret = run(be, Q_AUDIT_LIST, &p, &r);
    if (ret)
        return ret;
    for (int i = 0, n = PQntuples(r); i < n && ret == 0; i++) {
        sb_audit e = {ival(r, i, 0), val(r, i, 1), val(r, i, 2), val(r, i, 3),
                      val(r, i, 4),  val(r, i, 5), val(r, i, 6), val(r, i, 7)};
        ret = cb(ctx, &e);
    }
    PQclear(r);
    return ret;
}

static int pg_snapshot_add(void *be, const sb_snapshot *s)
{
    pargs p = {0};
    pa_int(&p, s->assessment_id);
    pa_text(&p, s->at);
    pa_text(&p, s->change);
    pa_text(&p, s->template_version);
    pa_int(&p, s->score.achieved_x100);
    pa_int(&p, s->score.possible_x100);
    if (s->score.has_percent)
        pa_int(&p, s->score.percent_x100);
    else
        pa_text(&p, NULL);
    for (int i = 0; i < POSTURE_CSTATUS__COUNT; i++)
        pa_int(&p, s->controls[i]);
    for (int i = 0; i < POSTURE_ASTATUS__COUNT; i++)
        pa_int(&p, s->actions[i]);
    return send(be, Q_SNAPSHOT_ADD, &p);
}

/* Snapshot row i of r, its columns from `off` on (SNAPSHOT_COLS). */
static void snapshot_row(const PGresult *r, int i, int off, sb_snapshot *s)
{
    memset(s, 0, sizeof *s);
    s->assessment_id = ival(r, i, off);
    s->at = val(r, i, off + 1);
    s->change = val(r, i, off + 2);
    s->template_version = val(r, i, off + 3);
    s->score.achieved_x100 = ival(r, i, off + 4);
    s->score.possible_x100 = ival(r, i, off + 5);
    s->score.has_percent = !PQgetisnull(r, i, off + 6);
    s->score.percent_x100 = ival(r, i, off + 6);
    for (int k = 0; k < POSTURE_CSTATUS__COUNT; k++)
        s->controls[k] = ival(r, i, off + 7 + k);
    for (int k = 0; k < POSTURE_ASTATUS__COUNT; k++)
        s->actions[k] = ival(r, i, off + 7 + POSTURE_CSTATUS__COUNT + k);
}

static int walk_snapshots(pg_be *b, int q, int64_t aid, sb_snapshot_cb cb, void *ctx)
{
    pargs p = {0};
    pa_int(&p, aid);
    PGresult *r = NULL;
    int ret = run(b, q, &p, &r);
    if (ret)
        return ret;
    for (int i = 0, n = PQntuples(r); i < n && ret == 0; i++) {
        sb_snapshot s;
        snapshot_row(r, i, 0, &s);
        ret = cb(ctx, &s);
    }
    PQclear(r);
    return ret;
}

static int pg_snapshot_list(void *be, int64_t aid, sb_snapshot_cb cb, void *ctx)
{
    return walk_snapshots(be, Q_SNAPSHOT_LIST, aid, cb, ctx);
}

/* In a read transaction the data cannot change: from the second call on, every
   assessment's latest snapshot comes from one query (`assessment list`, `overall`). */
static int pg_snapshot_latest(void *be, int64_t aid, sb_snapshot_cb cb, void *ctx)
{
    pg_be *b = be;
    if (b->in_read && !b->latest && ++b->latest_calls >= 2) {
        int ret = run(b, Q_SNAPSHOT_LATEST_ALL, NULL, &b->latest);
        if (ret)
            return ret;
    }
    if (b->in_read && b->latest) {
        int lo = 0, hi = PQntuples(b->latest) - 1;
        while (lo <= hi) {
            int mid = lo + (hi - lo) / 2;
            int64_t id = ival(b->latest, mid, 0);
            if (id == aid) {
                if (PQgetisnull(b->latest, mid, 1))
                    return 0; /* no snapshot */
                sb_snapshot s;
                snapshot_row(b->latest, mid, 1, &s);
                return cb(ctx, &s);
            }
            if (id < aid)
                lo = mid + 1;
            else
                hi = mid - 1;
        }
    }
    return walk_snapshots(be, Q_SNAPSHOT_LATEST, aid, cb, ctx);
}

static int pg_overall(void *be, int64_t *achieved_x100, int64_t *possible_x100, int64_t *keys)
{
    PGresult *r = NULL;
    int ret = run(be, Q_OVERALL, NULL, &r);
    if (ret)
        return ret;
    *keys = ival(r, 0, 0);
    *possible_x100 = ival(r, 0, 1) * 100;
    *achieved_x100 = ival(r, 0, 2);
    PQclear(r);
    return 0;
}

static const store_raw_ops raw_ops;

const store_backend store_backend_pg = {
    .name = "postgresql",
    .is_uri = pg_is_uri,
    .display = pg_display,
    .raw = &raw_ops,
    .open = pg_open,
    .close = pg_close,
    .schema_version = pg_schema_version,
    .begin = pg_begin,
    .commit = pg_commit,
    .rollback = pg_rollback,
    .assessment_by_name = pg_assessment_by_name,
    .assessment_by_id = pg_assessment_by_id,
    .assessment_list = pg_assessment_list,
    .assessment_insert = pg_assessment_insert,
    .assessment_update = pg_assessment_update,
    .assessment_delete = pg_assessment_delete,
    .incl_insert = pg_incl_insert,
    .incl_delete_all = pg_incl_delete_all,
    .incl_list = pg_incl_list,
    .incl_update_score = pg_incl_update_score,
    .incl_set_share = pg_incl_set_share,
    .incl_sharers = pg_incl_sharers,
    .incl_neighbours = pg_incl_neighbours,
    .incl_shares = pg_incl_shares,
    .answer_get = pg_answer_get,
    .answer_put = pg_answer_put,
    .answers_of = pg_answers_of,
    .evidence_add = pg_evidence_add,
    .evidence_of = pg_evidence_of,
    .exclusion_list = pg_exclusion_list,
    .exclusion_put = pg_exclusion_put,
    .exclusion_delete = pg_exclusion_delete,
    .audit_add = pg_audit_add,
    .audit_list = pg_audit_list,
    .snapshot_add = pg_snapshot_add,
    .snapshot_list = pg_snapshot_list,
    .snapshot_latest = pg_snapshot_latest,
    .overall = pg_overall,
};

/* ------------------------------------------------------------ raw access */

static int raw_open(const char *name, int write, void **h)
{
    int created = 0;
    return pg_open(name, write ? SB_OPEN_CREATE : SB_OPEN_READONLY, h, &created);
}

static int raw_rows(void *h, const char *select, int ncols, store_raw_row_cb cb, void *ctx)
{
    pg_be *b = h;
    int ret = pipe_drain(b);
    if (ret)
        return ret;
    const char *vals[32];
    if (ncols > 32)
        return posture_error_set(POSTURE_ELIMIT, "too many columns");
    if (PQsendQueryParams(b->conn, select, 0, NULL, NULL, NULL, NULL, 0) != 1)
        return fail(b, NULL);
    if (PQsetSingleRowMode(b->conn) != 1)
        ret = fail(b, NULL);
    PGresult *r;
    while ((r = PQgetResult(b->conn)) != NULL) {
        ExecStatusType st = PQresultStatus(r);
        if (ret == 0 && st == PGRES_SINGLE_TUPLE) {
            for (int i = 0; i < ncols; i++)
                vals[i] = val(r, 0, i);
            ret = cb(ctx, vals);
        } else if (ret == 0 && st != PGRES_TUPLES_OK) {
            ret = fail(b, r);
        }
        PQclear(r);
    }
    return ret;
}

/* Rows of a table go in batches: INSERT ... SELECT from one text array per column, cast to
   bigint where the column holds integers. */
static int raw_insert(void *h, int k, const char *table, const char *cols, int n,
                      const char *const *vals, const unsigned char *is_int)
{
    pg_be *b = h;
    if (n > BATCH_COLS)
        return posture_error_set(POSTURE_ELIMIT, "too many columns");
    if (!b->raw_sql[k]) {
        size_t cap = 256 + strlen(table) + strlen(cols) + (size_t)n * 48;
        char *text = malloc(cap);
        if (!text)
            return posture_error_set(POSTURE_ENOMEM, "out of memory");
        int o = snprintf(text, cap, "INSERT INTO %s(%s) SELECT ", table, cols);
        for (int i = 0; i < n; i++)
            o += snprintf(text + o, cap - (size_t)o, "%su.c%d%s", i ? ", " : "", i,
                          is_int[i] ? "::bigint" : "");
        o += snprintf(text + o, cap - (size_t)o, " FROM unnest(");
        for (int i = 0; i < n; i++)
            o += snprintf(text + o, cap - (size_t)o, "%s$%d::text[]", i ? ", " : "", i + 1);
        o += snprintf(text + o, cap - (size_t)o, ") WITH ORDINALITY AS u(");
        for (int i = 0; i < n; i++)
            o += snprintf(text + o, cap - (size_t)o, "c%d, ", i);
        snprintf(text + o, cap - (size_t)o, "o) ORDER BY o");
        b->raw_sql[k] = text;
    }
    batch *bt = &b->bt;
    int ret = batch_row(b, BK_RAW(k), NULL);
    if (ret)
        return ret;
    bt->ncols = n;
    for (int i = 0; i < n; i++)
        if ((ret = col_text(&bt->c[i], vals[i])) != 0)
            return ret;
    return batch_done(b);
}

static int raw_highest_assessment_id(void *h, int64_t *out)
{
    pg_be *b = h;
    int ret = pipe_drain(b);
    if (ret)
        return ret;
    PGresult *r = PQexecParams(
        b->conn,
        "SELECT GREATEST((SELECT COALESCE(max(id), 0) FROM assessment),"
        " (SELECT COALESCE(max(assessment_id), 0) FROM audit),"
        " COALESCE(pg_sequence_last_value(pg_get_serial_sequence('assessment', 'id')::regclass),"
        " 0))",
        0, NULL, NULL, NULL, NULL, 0);
    if (PQresultStatus(r) != PGRES_TUPLES_OK)
        ret = fail(b, r);
    else
        *out = ival(r, 0, 0);
    PQclear(r);
    return ret;
}

static int raw_fix_ids(void *h, int64_t highest)
{
    pg_be *b = h;
    int ret = pipe_drain(b);
    if (ret)
        return ret;
    /* setval(seq, m, false) when m = 0: the next id is 1 */
#define FIX(TABLE)                                                                          \
    "SELECT setval(pg_get_serial_sequence('" TABLE "', 'id'), GREATEST(m, 1), m > 0) FROM"  \
    " (SELECT GREATEST($1::bigint, COALESCE(max(id), 0)) AS m FROM " TABLE ") x"
    static const char *const fix[] = {FIX("assessment"), FIX("answer"), FIX("evidence"),
                                      FIX("snapshot"), FIX("audit")};
#undef FIX
    for (size_t i = 0; ret == 0 && i < sizeof fix / sizeof *fix; i++) {
        pargs p = {0};
        pa_int(&p, i == 0 ? highest : 0);
        PGresult *r = PQexecParams(b->conn, fix[i], p.n, NULL, p.v, NULL, NULL, 0);
        if (PQresultStatus(r) != PGRES_TUPLES_OK)
            ret = fail(b, r);
        PQclear(r);
    }
    return ret;
}

static const store_raw_ops raw_ops = {
    .open = raw_open,
    .close = pg_close,
    .begin = pg_begin,
    .commit = pg_commit,
    .rollback = pg_rollback,
    .rows = raw_rows,
    .insert = raw_insert,
    .highest_assessment_id = raw_highest_assessment_id,
    .fix_ids = raw_fix_ids,
};
