/* Private to src/store: the connection structure, the prepared-statement
 * cache and the helpers every store file shares.  Nothing outside the
 * store includes this. */
#ifndef TOTEMDESK_STORE_INT_H
#define TOTEMDESK_STORE_INT_H

#include "store/store.h"

/* The exchange uses SQLite's session extension (Debian's libsqlite3 is
 * built with it); its declarations are behind these two macros. */
#ifndef SQLITE_ENABLE_SESSION
#define SQLITE_ENABLE_SESSION 1
#endif
#ifndef SQLITE_ENABLE_PREUPDATE_HOOK
#define SQLITE_ENABLE_PREUPDATE_HOOK 1
#endif
#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

/* "TDK1": marks a file as ours, so we never migrate somebody else's
 * database that happens to sit at the configured path. */
#define STORE_APPLICATION_ID 0x54444b31

/* Fixed statements, one cache slot each. */
enum store_slot {
	SS_DATA_VERSION,
	SS_SITE_PUT,
	SS_USER_PUT,
	SS_PARTNER_PUT,
	SS_PARTNER_COUNT,
	SS_REF_NEXT,
	SS_HOLDER_INSERT,
	SS_DOSSIER_INSERT,
	SS_DOSSIER_GET,
	SS_AUDIT_INSERT,
	SS_TIMELINE,
	SS_NOTE_SITE,
	SS_NOTE_INSERT,
	SS_IMPORT_EMAIL,	/* import.c: duplicate keys, references */
	SS_IMPORT_PHONE,
	SS_IMPORT_SIRET,
	SS_IMPORT_REF_USED,
	SS_IMPORT_REF_CLAIM,
	SS_IMPORT_ACTIVITY,
	SS_DUP_HOLDER_PUT,	/* dup.c: duplicate keys and lookups */
	SS_DUP_HOLDER_N,
	SS_DUP_KEY_PUT,
	SS_DUP_KEY_DEL,
	SS_DUP_KEY_FIND,
	SS_DUP_CANDIDATE,
	SS_DUP_DISMISSED,
	SS_DUP_DISMISS,
	SS_DUP_SHOW,
	SS_FTS_PENDING,		/* list.c: is the search index behind? */
	SS_FIXED_COUNT
};

#define STORE_SLOTS SS_FIXED_COUNT

#define STORE_LIST_CACHE 24
#define STORE_MAX_TOUCH 16

struct td_db {
	sqlite3 *h;
	char *path;
	unsigned flags;
	int lock_fd;            /* "<path>-lock", flock()ed while open */
	int busy_ms;            /* how long a write waits for another's */
	struct timespec busy_since;
	uint32_t busy_draw;     /* the waits' random draw (db.c) */
	int schema;
	long long data_version;
	sqlite3_stmt *cache[STORE_SLOTS];
	/* The listing engine's statements, by their text (list.c): a list
	 * read again (the next page, the next keystroke) is not prepared
	 * again. */
	struct store_list_stmt {
		char *sql;
		sqlite3_stmt *st;
		unsigned long used;
	} lists[STORE_LIST_CACHE];
	unsigned long list_clock;
	/* The exchange (sync.c): the session recording the open write
	 * transaction's changes, the logs' last row before it, and while
	 * other databases' changes are applied, the touch triggers set
	 * aside. */
	sqlite3_session *cap;
	bool capture_ok, applying;
	bool log_exists[2];
	long long log_mark[2];
	int ntouch;
	char *touch[STORE_MAX_TOUCH], *touch_name[STORE_MAX_TOUCH];
	void *sync_cols;	/* column names per table (sync.c) */
	sqlite3 *sync_ref;	/* an empty database at an older schema,
				 * to read its tables' columns (sync.c) */
	int sync_ref_schema;
	/* Rows of exchanged tables written outside a captured transaction
	 * (sync.c, watch_write): none may be. */
	long uncaptured;
	char uncaptured_tbl[64];
	bool capture_check;	/* TOTEMDESK_CAPTURE_CHECK: abort on one */
	bool trial;		/* td_store_begin_trial: rolled back */
};

/* Change capture around every write transaction (sync.c): begin after
 * BEGIN, commit before COMMIT (writes the outbox entry in the same
 * transaction), abort on rollback.  setup once the schema is known. */
void store_capture_setup(td_db *db);
void store_capture_begin(td_db *db);
int store_capture_commit(td_db *db, td_err *err);
void store_capture_abort(td_db *db);
void store_sync_free(td_db *db);

/* Forget the listing engine's statements (close, schema change). */
void store_list_cache_free(td_db *db);

/* Cached statement for slot, prepared from sql on first use.  When the
 * cached one is already running (a callback re-entering the store) a
 * private copy is prepared instead; store_stmt_put tells them apart. */
int store_stmt_get(td_db *db, int slot, const char *sql, sqlite3_stmt **st,
		   td_err *err);

/* Give back a statement from store_stmt_get: reset and unbind it, or
 * finalise it if it was a private copy.  NULL is fine. */
void store_stmt_put(td_db *db, int slot, sqlite3_stmt *st);

/* Turn a failed SQLite call into a td_err: code from rc, message "what:
 * why; how to fix" naming the database file.  Call it right after the
 * failing call, before anything else touches the connection. */
int store_fail(td_db *db, int rc, td_err *err, const char *what);

/* Map an SQLite result code to a td_status. */
int store_status(int rc);

/* Bind s as text, or NULL when s is NULL or empty (optional fields). */
int store_bind_opt(sqlite3_stmt *st, int i, const char *s);

/* Bind s as text; NULL becomes "" (NOT NULL columns). */
int store_bind_text(sqlite3_stmt *st, int i, const char *s);

/* Copy column i (NULL reads as "") into out, cutting at a UTF-8
 * character boundary when it does not fit. */
void store_col_copy(sqlite3_stmt *st, int i, char *out, size_t outsz);

/* Is site a site code as the schema and ids expect (three capitals)? */
bool store_site_code_ok(const char *site);

/* Run the inner part of a write that must be atomic whether or not the
 * caller already opened a transaction: BEGIN IMMEDIATE when none is open,
 * a SAVEPOINT inside the caller's.  store_tx_end commits or rolls back
 * accordingly. */
int store_tx_begin(td_db *db, bool *nested, td_err *err);
int store_tx_end(td_db *db, bool nested, int status, td_err *err);

/* The numbered migrations: store_migrations[i], a NULL-terminated list
 * of SQL scripts, brings a database from user_version i to i + 1. */
extern const char *const *const store_migrations[];
extern const char *const store_migration_2[];
extern const char *const store_migration_3[];
extern const char *const store_migration_4[];
extern const char *const store_migration_5[];
extern const char *const store_migration_6[];
extern const char *const store_migration_7[];
extern const char *const store_migration_8[];
extern const char *const store_migration_9[];
extern const char *const store_migration_10[];
extern const char *const store_migration_11[];
extern const char *const store_migration_12[];
extern const char *const store_migration_13[];
extern const char *const store_migration_14[];
extern const char *const store_migration_15[];
extern const int store_migration_count;

/* The plan of query (EXPLAIN QUERY PLAN), one "detail" per line indented
 * two spaces a level, into out: for the tests that queries use indexes. */
int store_plan(td_db *db, const char *query, char *out, size_t outsz,
	       td_err *err);

#endif
