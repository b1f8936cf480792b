/*
 * sqlite_floor.c - the floor of the store: a batched SQLite insert of N rows
 * (default 1,000,000) shaped like answers, one prepared statement, one
 * transaction, in a fresh WAL database with synchronous = NORMAL (as the
 * store opens it). Issue 9 measures `answer import` against this.
 *
 * usage: sqlite_floor DB [N]
 * DB is removed first (with its -wal and -shm). Exit 1 on any SQLite error.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int fail(sqlite3 *db, const char *what)
{
    fprintf(stderr, "sqlite_floor: %s: %s\n", what, db ? sqlite3_errmsg(db) : "out of memory");
    sqlite3_close(db);
    return 1;
}

int main(int argc, char **argv)
{
    if (argc < 2 || argc > 3) {
        fprintf(stderr, "usage: sqlite_floor DB [N]\n");
        return 2;
    }
    long n = argc == 3 ? strtol(argv[2], NULL, 10) : 1000000;
    char side[4096];
    remove(argv[1]);
    snprintf(side, sizeof side, "%s-wal", argv[1]);
    remove(side);
    snprintf(side, sizeof side, "%s-shm", argv[1]);
    remove(side);
    sqlite3 *db = NULL;
    if (sqlite3_open(argv[1], &db) != SQLITE_OK)
        return fail(db, "open");
    if (sqlite3_exec(db,
                     "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;"
                     "PRAGMA cache_size = -65536;"
                     "CREATE TABLE answer(id INTEGER PRIMARY KEY, action TEXT NOT NULL,"
                     " share TEXT NOT NULL, implementation TEXT NOT NULL, test TEXT NOT NULL,"
                     " updated_at TEXT NOT NULL, updated_by TEXT NOT NULL);"
                     "BEGIN IMMEDIATE;",
                     NULL, NULL, NULL) != SQLITE_OK)
        return fail(db, "schema");
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db,
                           "INSERT INTO answer(action, share, implementation, test, updated_at,"
                           " updated_by) VALUES (?1, '', 'implemented', 'passed',"
                           " '2026-11-26T12:00:00Z', 'bench')",
                           -1, &st, NULL) != SQLITE_OK)
        return fail(db, "prepare");
    char action[32];
    for (long i = 0; i < n; i++) {
        int len = snprintf(action, sizeof action, "act.b.%06ld", i);
        sqlite3_bind_text(st, 1, action, len, SQLITE_STATIC);
        if (sqlite3_step(st) != SQLITE_DONE)
            return fail(db, "insert");
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
        return fail(db, "commit");
    printf("%ld rows\n", n);
    return sqlite3_close(db) == SQLITE_OK ? 0 : 1;
}
