/* The multi-site exchange, store side (issue 15; design: docs/sync.md).
 *
 * Capture: td_store_begin starts an SQLite session on every table that
 * is not local by nature; td_store_commit writes its changeset, with the
 * rows the transaction appended to the append-only logs, as the next
 * outbox entry of this database, inside the same transaction.  No row is
 * diffed here: the session extension records the changes.
 *
 * Apply: another database's changeset goes through
 * sqlite3changeset_apply_v2, in order per origin, each (origin, seq)
 * once; its conflict handler settles each conflicting column by the
 * rules and records the conflict. */
#include "store_int.h"
#include "store/dup.h"
#include "store/privacy.h"
#include "store/sync.h"
#include "totemdesk/buf.h"
#include "totemdesk/i18n.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Local by nature, never exchanged (docs/sync.md says why each):
 * configuration copies, per-site counters, per-desk state, caches and
 * indexes the triggers or the store rebuild from the shared rows, and the
 * exchange's own bookkeeping. */
static const char *const local_tables[] = {
	"site", "app_user",		/* copies of each site's configuration */
	"ref_counter",			/* each database mints its own references */
	"saved_filter",			/* a desk's own filters */
	"dup_holder", "dup_key",	/* duplicate keys: rebuilt on apply */
	"dup_dismissal",		/* a site's own "not the same person" */
	"dossier_activity", "dossier_tally", "dossier_row", /* caches */
	"fts_pending",
	"draft", "draft_field",	/* a typist's unsaved form */
	NULL
};
static const char *const local_prefixes[] = {
	"sqlite_", "sync_", "dossier_fts", NULL
};
/* Append-only logs keyed by a local integer: their new rows travel as
 * rows (an integer key would collide across databases). */
static const char *const log_tables[] = { "audit", "field_change", NULL };
#define NLOGS 2

size_t store_cols_size(void);

static bool in_list(const char *const *list, const char *name)
{
	for (; *list; list++)
		if (strcmp(*list, name) == 0)
			return true;
	return false;
}

bool td_store_sync_local_table(const char *name)
{
	if (in_list(local_tables, name) || in_list(log_tables, name))
		return true;
	for (const char *const *p = local_prefixes; *p; p++)
		if (strncmp(name, *p, strlen(*p)) == 0)
			return true;
	return false;
}

/* ---- the log encoding ---------------------------------------------------- */

/* A td_buf that remembers its first failed append, checked once at the
 * end of the encoding. */
struct sink {
	struct td_buf b;
	int rc;
};

static void put(struct sink *s, const void *p, size_t n)
{
	if (!s->rc)
		s->rc = td_buf_append(&s->b, p, n);
}

static void put_u32(struct sink *b, uint32_t v)
{
	unsigned char x[4] = { v >> 24, v >> 16, v >> 8, v };
	put(b, x, 4);
}

static void put_str(struct sink *b, const char *s, size_t n)
{
	put_u32(b, (uint32_t)n);
	put(b, s, n);
}

/* One value: a type byte (SQLite's type codes), then 8 bytes for a
 * number, a length and the bytes for text or a blob. */
static void put_value(struct sink *b, sqlite3_stmt *st, int i)
{
	unsigned char t = (unsigned char)sqlite3_column_type(st, i);
	put(b, &t, 1);
	if (t == SQLITE_INTEGER || t == SQLITE_FLOAT) {
		uint64_t v;
		if (t == SQLITE_INTEGER) {
			v = (uint64_t)sqlite3_column_int64(st, i);
		} else {
			double d = sqlite3_column_double(st, i);
			memcpy(&v, &d, 8);
		}
		put_u32(b, (uint32_t)(v >> 32));
		put_u32(b, (uint32_t)v);
	} else if (t == SQLITE_TEXT || t == SQLITE_BLOB) {
		const void *p = t == SQLITE_TEXT
			? (const void *)sqlite3_column_text(st, i)
			: sqlite3_column_blob(st, i);
		put_str(b, p, (size_t)sqlite3_column_bytes(st, i));
	}
}

struct reader {
	const unsigned char *p;
	size_t n, at;
	bool bad;
};

static bool get(struct reader *r, const unsigned char **p, size_t n)
{
	if (r->bad || r->n - r->at < n) {
		r->bad = true;
		return false;
	}
	*p = r->p + r->at;
	r->at += n;
	return true;
}

static uint32_t get_u32(struct reader *r)
{
	const unsigned char *x;
	if (!get(r, &x, 4))
		return 0;
	return (uint32_t)x[0] << 24 | (uint32_t)x[1] << 16 |
	       (uint32_t)x[2] << 8 | x[3];
}

/* ---- capture ------------------------------------------------------------ */

static int capture_filter(void *ctx, const char *tbl)
{
	(void)ctx;
	return !td_store_sync_local_table(tbl);
}

static bool table_exists(td_db *db, const char *name)
{
	sqlite3_stmt *st;
	bool yes = false;
	if (sqlite3_prepare_v2(db->h,
		"SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
		-1, &st, NULL) != SQLITE_OK)
		return false;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	yes = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_finalize(st);
	return yes;
}

static long long one_int(td_db *db, const char *sql, const char *arg)
{
	sqlite3_stmt *st;
	long long v = -1;
	if (sqlite3_prepare_v2(db->h, sql, -1, &st, NULL) != SQLITE_OK)
		return -1;
	if (arg)
		sqlite3_bind_text(st, 1, arg, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

void store_capture_begin(td_db *db)
{
	char sql[128];

	if (!db->capture_ok || db->applying || db->trial || db->cap)
		return;
	if (sqlite3session_create(db->h, "main", &db->cap) != SQLITE_OK) {
		db->cap = NULL;
		return;
	}
	sqlite3session_table_filter(db->cap, capture_filter, NULL);
	if (sqlite3session_attach(db->cap, NULL) != SQLITE_OK) {
		sqlite3session_delete(db->cap);
		db->cap = NULL;
		return;
	}
	for (int i = 0; i < NLOGS; i++) {
		db->log_mark[i] = -1;
		if (!db->log_exists[i])
			continue;
		snprintf(sql, sizeof sql,
			 "SELECT coalesce(max(rowid), 0) FROM %s", log_tables[i]);
		db->log_mark[i] = one_int(db, sql, NULL);
	}
}

void store_capture_abort(td_db *db)
{
	if (db->cap)
		sqlite3session_delete(db->cap);
	db->cap = NULL;
}

/* The rows the transaction appended to the logs: per row, the table's
 * name, the number of columns, then each column's name and value (the
 * local integer key left out). */
static int encode_logs(td_db *db, struct sink *b)
{
	char sql[160];
	for (int i = 0; i < NLOGS; i++) {
		sqlite3_stmt *st;
		if (db->log_mark[i] < 0)
			continue;
		snprintf(sql, sizeof sql,
			 "SELECT * FROM %s WHERE rowid > %lld ORDER BY rowid",
			 log_tables[i], db->log_mark[i]);
		int rc = sqlite3_prepare_v2(db->h, sql, -1, &st, NULL);
		if (rc != SQLITE_OK)
			return rc;
		int nc = sqlite3_column_count(st);
		while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
			put_str(b, log_tables[i], strlen(log_tables[i]));
			put_u32(b, (uint32_t)(nc - 1));
			for (int c = 0; c < nc; c++) {
				const char *name = sqlite3_column_name(st, c);
				if (strcmp(name, "id") == 0)
					continue;
				put_str(b, name, strlen(name));
				put_value(b, st, c);
			}
		}
		sqlite3_finalize(st);
		if (rc != SQLITE_DONE)
			return rc;
	}
	return b->rc ? SQLITE_NOMEM : SQLITE_OK;
}

/* The text key of a changeset row: its primary key column(s), joined. */
static void row_key(sqlite3_changeset_iter *it, int ncol, bool use_new,
		    char *out, size_t outsz)
{
	unsigned char *pk;
	int npk;
	size_t n = 0;

	out[0] = '\0';
	if (sqlite3changeset_pk(it, &pk, &npk) != SQLITE_OK)
		return;
	for (int i = 0; i < ncol && i < npk; i++) {
		sqlite3_value *v = NULL;
		if (!pk[i])
			continue;
		if (use_new)
			sqlite3changeset_new(it, i, &v);
		else
			sqlite3changeset_old(it, i, &v);
		const unsigned char *t = v ? sqlite3_value_text(v) : NULL;
		int w = snprintf(out + n, outsz - n, "%s%s", n ? "\x1f" : "",
				 t ? (const char *)t : "");
		if (w < 0 || (size_t)w >= outsz - n)
			break;
		n += (size_t)w;
	}
}

/* Rows whose last writer the conflict handler decided (apply). */
struct merged {
	char *key;			/* "table\x1frow key" */
	struct merged *next;
};

static bool was_merged(const struct merged *m, const char *tbl,
		       const char *key)
{
	size_t n = strlen(tbl);
	for (; m; m = m->next)
		if (!strncmp(m->key, tbl, n) && m->key[n] == '\x1f' &&
		    !strcmp(m->key + n + 1, key))
			return true;
	return false;
}

struct cols;
static const struct cols *cols_of(td_db *db, struct cols *cache,
				  const char *tbl);
static const char *col_name(const struct cols *c, int i);

/* Remember who wrote what and when: per changed column of an update, per
 * row (column '') of an insert, the site and the time of the write (the
 * row's new updated_at), for the conflict rules.  Rows in skip were
 * stamped by the conflict handler. */
static int stamp_rows(td_db *db, const void *cs, int ncs, const char *site,
		      const char *at, const struct merged *skip)
{
	sqlite3_changeset_iter *it;
	sqlite3_stmt *st;
	struct cols *cache = calloc(1, store_cols_size());
	if (!cache)
		return SQLITE_NOMEM;
	int rc = sqlite3_prepare_v2(db->h,
		"INSERT INTO sync_stamp(tbl, row_key, col, site, at)"
		" VALUES (?, ?, ?, ?, ?) ON CONFLICT(tbl, row_key, col)"
		" DO UPDATE SET site = excluded.site, at = excluded.at",
		-1, &st, NULL);
	if (rc != SQLITE_OK) {
		free(cache);
		return rc;
	}
	rc = sqlite3changeset_start(&it, ncs, (void *)cs);
	while (rc == SQLITE_OK && sqlite3changeset_next(it) == SQLITE_ROW) {
		const char *tbl;
		int ncol, op, ind;
		char key[256];
		unsigned char *pk;
		int npk;
		sqlite3changeset_op(it, &tbl, &ncol, &op, &ind);
		if (op == SQLITE_DELETE)
			continue;
		row_key(it, ncol, op == SQLITE_INSERT, key, sizeof key);
		if (was_merged(skip, tbl, key))
			continue;
		sqlite3changeset_pk(it, &pk, &npk);
		const struct cols *cols = cols_of(db, cache, tbl);
		const char *when = at;
		for (int i = 0; i < ncol; i++) {
			sqlite3_value *v = NULL;
			if (!strcmp(col_name(cols, i), "updated_at") &&
			    sqlite3changeset_new(it, i, &v) == SQLITE_OK && v &&
			    sqlite3_value_type(v) == SQLITE_TEXT)
				when = (const char *)sqlite3_value_text(v);
		}
		for (int i = -1; rc == SQLITE_OK && i < ncol; i++) {
			sqlite3_value *v = NULL;
			const char *name = "";
			if (i >= 0) {
				if (op == SQLITE_INSERT)
					break;
				if (pk[i])
					continue;
				name = col_name(cols, i);
				if (!*name || !strcmp(name, "version") ||
				    !strcmp(name, "updated_at") ||
				    sqlite3changeset_new(it, i, &v) != SQLITE_OK || !v)
					continue;
			} else if (op != SQLITE_INSERT) {
				continue;
			}
			sqlite3_bind_text(st, 1, tbl, -1, SQLITE_TRANSIENT);
			sqlite3_bind_text(st, 2, key, -1, SQLITE_TRANSIENT);
			sqlite3_bind_text(st, 3, name, -1, SQLITE_TRANSIENT);
			sqlite3_bind_text(st, 4, site, -1, SQLITE_TRANSIENT);
			sqlite3_bind_text(st, 5, when, -1, SQLITE_TRANSIENT);
			rc = sqlite3_step(st);
			sqlite3_reset(st);
			rc = rc == SQLITE_DONE ? SQLITE_OK : rc;
		}
	}
	sqlite3changeset_finalize(it);
	sqlite3_finalize(st);
	free(cache);
	return rc;
}

static int outbox_put(td_db *db, const char *origin, long long seq,
		      const char *site, const char *at, const void *cs,
		      size_t ncs, const void *logs, size_t nlogs)
{
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(db->h,
		"INSERT INTO sync_outbox(origin, seq, site, at, changes, logs)"
		" VALUES (?, ?, ?, ?, ?, ?)", -1, &st, NULL);
	if (rc != SQLITE_OK)
		return rc;
	sqlite3_bind_text(st, 1, origin, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, seq);
	sqlite3_bind_text(st, 3, site ? site : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, at, -1, SQLITE_STATIC);
	if (ncs)
		sqlite3_bind_blob(st, 5, cs, (int)ncs, SQLITE_STATIC);
	if (nlogs)
		sqlite3_bind_blob(st, 6, logs, (int)nlogs, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

static void self_ids(td_db *db, char id[64], char site[8])
{
	sqlite3_stmt *st;
	id[0] = site[0] = '\0';
	if (sqlite3_prepare_v2(db->h,
		"SELECT db_id, coalesce(site, '') FROM sync_self", -1, &st,
		NULL) != SQLITE_OK)
		return;
	if (sqlite3_step(st) == SQLITE_ROW) {
		store_col_copy(st, 0, id, 64);
		store_col_copy(st, 1, site, 8);
	}
	sqlite3_finalize(st);
}

int store_capture_commit(td_db *db, td_err *err)
{
	void *cs = NULL;
	int ncs = 0, rc;
	struct sink logs = { .rc = TD_OK };
	char id[64], site[8], now[TD_TIME_SIZE];

	if (!db->cap)
		return TD_OK;
	td_buf_init(&logs.b);
	rc = sqlite3session_changeset(db->cap, &ncs, &cs);
	sqlite3session_delete(db->cap);
	db->cap = NULL;
	if (rc == SQLITE_OK)
		rc = encode_logs(db, &logs);
	if (rc == SQLITE_OK && (ncs > 0 || logs.b.len > 0)) {
		self_ids(db, id, site);
		td_store_now(now);
		long long seq = one_int(db,
			"SELECT coalesce(max(seq), 0) FROM sync_outbox"
			" WHERE origin = ?", id);
		rc = seq < 0 ? SQLITE_ERROR
		     : outbox_put(db, id, seq + 1, site, now, cs, (size_t)ncs,
				  logs.b.data, logs.b.len);
		if (rc == SQLITE_OK && ncs > 0)
			rc = stamp_rows(db, cs, ncs, site, now, NULL);
	}
	sqlite3_free(cs);
	td_buf_free(&logs.b);
	if (rc != SQLITE_OK)
		return store_fail(db, rc, err,
				  _("cannot record the change for the other sites"));
	return TD_OK;
}

/* A row of an exchanged table (or of a log whose rows travel) written
 * outside a captured transaction would never reach the other sites:
 * counted, and with TOTEMDESK_CAPTURE_CHECK set (the test suite sets it)
 * the program stops there, naming the table, so that any test that
 * drives such a write fails.  SQLite's update hook (the preupdate hook
 * is the session extension's); it does not see WITHOUT ROWID tables, of
 * which `erasure` is exchanged: the canonical-content test covers it
 * (docs/sync.md). */
static void watch_write(void *ctx, int op, const char *schema,
			const char *tbl, sqlite3_int64 rowid)
{
	td_db *db = ctx;
	(void)rowid;
	/* A log travels by its appended rows only (a retention purge of
	 * old rows is each site's own, by its configuration). */
	bool log = in_list(log_tables, tbl);
	if (db->cap || db->applying || db->trial || !db->capture_ok ||
	    strcmp(schema, "main") != 0 || (log && op != SQLITE_INSERT) ||
	    (!log && td_store_sync_local_table(tbl)))
		return;
	if (!db->uncaptured++)
		snprintf(db->uncaptured_tbl, sizeof db->uncaptured_tbl, "%s",
			 tbl);
	if (db->capture_check) {
		/* A developer's check, not a user's error: the suite's
		 * tests are the audience. */
		fprintf(stderr, "totemdesk: %s written outside a captured"
			" transaction (TOTEMDESK_CAPTURE_CHECK)\n", tbl);
		abort();
	}
}

void store_capture_setup(td_db *db)
{
	const char *check = getenv("TOTEMDESK_CAPTURE_CHECK");
	db->capture_ok = !(db->flags & (TD_DB_READONLY | TD_DB_LOCAL)) &&
			 table_exists(db, "sync_outbox");
	for (int i = 0; i < NLOGS; i++)
		db->log_exists[i] = table_exists(db, log_tables[i]);
	db->capture_check = check && *check && strcmp(check, "0") != 0;
	if (db->capture_ok)
		sqlite3_update_hook(db->h, watch_write, db);
}

long td_store_sync_uncaptured(td_db *db, char tbl[64])
{
	if (tbl)
		snprintf(tbl, 64, "%s", db->uncaptured_tbl);
	return db->uncaptured;
}

/* ---- identity, outbox, peers ---------------------------------------------- */

int td_store_sync_self(td_db *db, const char *set_site, char db_id[64],
		       char site[8], td_err *err)
{
	if (set_site && *set_site) {
		sqlite3_stmt *st;
		int rc = sqlite3_prepare_v2(db->h,
			"UPDATE sync_self SET site = ?"
			" WHERE site IS NOT ?1", -1, &st, NULL);
		if (rc == SQLITE_OK) {
			sqlite3_bind_text(st, 1, set_site, -1, SQLITE_STATIC);
			rc = sqlite3_step(st);
			rc = rc == SQLITE_DONE ? SQLITE_OK : rc;
			sqlite3_finalize(st);
		}
		if (rc != SQLITE_OK)
			return store_fail(db, rc, err,
					  _("cannot write to the database"));
	}
	self_ids(db, db_id, site);
	if (!db_id[0])
		return td_err_set(err, TD_ECORRUPT,
			_("the database %s has no exchange identity; restore it from a backup"),
			db->path);
	return TD_OK;
}

/* Not acknowledged by the peer, and not the peer's own: a change of the
 * peer's site made under another identity (its database before a
 * restore) is sent, since the restored one may lack it. */
#define PENDING_WHERE \
	" FROM sync_outbox o WHERE o.seq > coalesce((SELECT a.seq" \
	" FROM sync_ack a WHERE a.peer = ?1 AND a.origin = o.origin), 0)" \
	" AND (o.site IS NOT ?1 OR o.origin <> (SELECT p.db_id" \
	" FROM sync_peer p WHERE p.site = ?1))"

int td_store_sync_each_pending(td_db *db, const char *peer,
			       int (*cb)(const struct td_sync_change *c,
					 void *ctx),
			       void *ctx, td_err *err)
{
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(db->h,
		"SELECT origin, seq, site, at, changes, logs" PENDING_WHERE
		" ORDER BY o.n", -1, &st, NULL);
	if (rc != SQLITE_OK)
		return store_fail(db, rc, err, _("cannot read the database"));
	sqlite3_bind_text(st, 1, peer, -1, SQLITE_STATIC);
	int code = TD_OK;
	while (!code && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct td_sync_change c = {
			.origin = (const char *)sqlite3_column_text(st, 0),
			.seq = sqlite3_column_int64(st, 1),
			.site = (const char *)sqlite3_column_text(st, 2),
			.at = (const char *)sqlite3_column_text(st, 3),
			.changes = sqlite3_column_blob(st, 4),
			.nchanges = (size_t)sqlite3_column_bytes(st, 4),
			.logs = sqlite3_column_blob(st, 5),
			.nlogs = (size_t)sqlite3_column_bytes(st, 5),
		};
		code = cb(&c, ctx);
	}
	if (!code && rc != SQLITE_DONE)
		code = store_fail(db, rc, err, _("cannot read the database"));
	sqlite3_finalize(st);
	return code;
}

int td_store_sync_pending_count(td_db *db, const char *peer, long long *n,
				td_err *err)
{
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(db->h, "SELECT count(*)" PENDING_WHERE,
				    -1, &st, NULL);
	*n = 0;
	if (rc == SQLITE_OK) {
		sqlite3_bind_text(st, 1, peer, -1, SQLITE_STATIC);
		rc = sqlite3_step(st);
		if (rc == SQLITE_ROW)
			*n = sqlite3_column_int64(st, 0);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW)
		return store_fail(db, rc, err, _("cannot read the database"));
	return TD_OK;
}

int td_store_sync_each_applied(td_db *db,
			       int (*cb)(const char *origin, long long seq,
					 void *ctx),
			       void *ctx, td_err *err)
{
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(db->h,
		"SELECT origin, max(seq) FROM sync_outbox GROUP BY origin"
		" ORDER BY origin", -1, &st, NULL);
	if (rc != SQLITE_OK)
		return store_fail(db, rc, err, _("cannot read the database"));
	int code = TD_OK;
	while (!code && (rc = sqlite3_step(st)) == SQLITE_ROW)
		code = cb((const char *)sqlite3_column_text(st, 0),
			  sqlite3_column_int64(st, 1), ctx);
	if (!code && rc != SQLITE_DONE)
		code = store_fail(db, rc, err, _("cannot read the database"));
	sqlite3_finalize(st);
	return code;
}

static int exec_bind(td_db *db, const char *sql, const char *a,
		     const char *b, const char *c, long long n, td_err *err)
{
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(db->h, sql, -1, &st, NULL);
	if (rc == SQLITE_OK) {
		if (a)
			sqlite3_bind_text(st, 1, a, -1, SQLITE_STATIC);
		if (b)
			sqlite3_bind_text(st, 2, b, -1, SQLITE_STATIC);
		if (c)
			sqlite3_bind_text(st, 3, c, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 4, n);
		rc = sqlite3_step(st);
		rc = rc == SQLITE_DONE || rc == SQLITE_ROW ? SQLITE_OK : rc;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_OK)
		return store_fail(db, rc, err, _("cannot write to the database"));
	return TD_OK;
}

int td_store_sync_ack(td_db *db, const char *peer, const char *origin,
		      long long seq, td_err *err)
{
	return exec_bind(db,
		"INSERT INTO sync_ack(peer, origin, seq) VALUES (?1, ?2, ?4)"
		" ON CONFLICT(peer, origin) DO UPDATE SET"
		" seq = max(seq, excluded.seq)", peer, origin, NULL, seq, err);
}

int td_store_sync_peer_last(td_db *db, const char *peer, const char *db_id,
			    long long *last, bool *new_db, td_err *err)
{
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(db->h,
		"SELECT last_bundle, coalesce(db_id, '') FROM sync_peer"
		" WHERE site = ?", -1, &st, NULL);
	*last = 0;
	*new_db = false;
	if (rc == SQLITE_OK) {
		sqlite3_bind_text(st, 1, peer, -1, SQLITE_STATIC);
		rc = sqlite3_step(st);
		if (rc == SQLITE_ROW) {
			const char *was = (const char *)sqlite3_column_text(st, 1);
			*new_db = was && *was && strcmp(was, db_id) != 0;
			if (!*new_db)
				*last = sqlite3_column_int64(st, 0);
		}
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_fail(db, rc, err, _("cannot read the database"));
	return TD_OK;
}

int td_store_sync_peer_forget_acks(td_db *db, const char *peer, td_err *err)
{
	return exec_bind(db, "DELETE FROM sync_ack WHERE peer = ?1", peer,
			 NULL, NULL, 0, err);
}

int td_store_sync_new_identity(td_db *db, char db_id[64], td_err *err)
{
	char site[8];
	int rc = exec_bind(db, "UPDATE sync_self SET db_id ="
			   " lower(hex(randomblob(16)))", NULL, NULL, NULL, 0,
			   err);
	if (!rc)
		self_ids(db, db_id, site);
	return rc;
}

int td_store_sync_peer_in(td_db *db, const char *peer, const char *db_id,
			  long long bundle, const char *at, td_err *err)
{
	return exec_bind(db,
		"INSERT INTO sync_peer(site, db_id, last_in, last_bundle)"
		" VALUES (?1, ?2, ?3, ?4) ON CONFLICT(site) DO UPDATE SET"
		" db_id = excluded.db_id, last_in = excluded.last_in,"
		" last_bundle = excluded.last_bundle", peer, db_id, at, bundle,
		err);
}

int td_store_sync_peer_out(td_db *db, const char *peer, const char *at,
			   long long *bundle, td_err *err)
{
	int rc = exec_bind(db, "UPDATE sync_self SET bundles = bundles + 1",
			   NULL, NULL, NULL, 0, err);
	if (!rc)
		rc = exec_bind(db,
			"INSERT INTO sync_peer(site, last_out) VALUES (?1, ?2)"
			" ON CONFLICT(site) DO UPDATE SET"
			" last_out = excluded.last_out", peer, at, NULL, 0, err);
	*bundle = one_int(db, "SELECT bundles FROM sync_self", NULL);
	return rc;
}

int td_store_sync_peers(td_db *db,
			int (*cb)(const struct td_sync_peer *p, void *ctx),
			void *ctx, td_err *err)
{
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(db->h,
		"SELECT site, coalesce(db_id, ''), coalesce(last_in, ''),"
		" coalesce(last_out, ''), last_bundle FROM sync_peer"
		" ORDER BY site", -1, &st, NULL);
	if (rc != SQLITE_OK)
		return store_fail(db, rc, err, _("cannot read the database"));
	int code = TD_OK;
	while (!code && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct td_sync_peer p;
		store_col_copy(st, 0, p.site, sizeof p.site);
		store_col_copy(st, 1, p.db_id, sizeof p.db_id);
		store_col_copy(st, 2, p.last_in, sizeof p.last_in);
		store_col_copy(st, 3, p.last_out, sizeof p.last_out);
		p.last_bundle = sqlite3_column_int64(st, 4);
		code = td_store_sync_pending_count(db, p.site, &p.pending, err);
		if (!code)
			code = cb(&p, ctx);
	}
	if (!code && rc != SQLITE_DONE)
		code = store_fail(db, rc, err, _("cannot read the database"));
	sqlite3_finalize(st);
	return code;
}

/* ---- apply ---------------------------------------------------------------- */

/* The touch triggers bump version and updated_at on an UPDATE that
 * leaves version alone; an applied change carries the origin's values,
 * which must stay as they are.  They are dropped for the one apply
 * transaction and made again before it commits. */
int td_store_sync_apply_begin(td_db *db, td_err *err)
{
	sqlite3_stmt *st;
	int rc, code;

	db->applying = true;
	code = td_store_begin(db, err);
	if (code) {
		db->applying = false;
		return code;
	}
	rc = sqlite3_prepare_v2(db->h,
		"SELECT name, sql FROM sqlite_master WHERE type = 'trigger'"
		" AND name LIKE '%\\_touch' ESCAPE '\\'", -1, &st, NULL);
	while (rc == SQLITE_OK && db->ntouch < STORE_MAX_TOUCH &&
	       (rc = sqlite3_step(st)) == SQLITE_ROW) {
		rc = SQLITE_OK;
		db->touch[db->ntouch] = strdup(
			(const char *)sqlite3_column_text(st, 1));
		db->touch_name[db->ntouch] = strdup(
			(const char *)sqlite3_column_text(st, 0));
		db->ntouch++;
	}
	sqlite3_finalize(st);
	rc = rc == SQLITE_DONE ? SQLITE_OK : rc;
	for (int i = 0; rc == SQLITE_OK && i < db->ntouch; i++) {
		char sql[128];
		if (!db->touch[i] || !db->touch_name[i]) {
			rc = SQLITE_NOMEM;
			break;
		}
		snprintf(sql, sizeof sql, "DROP TRIGGER \"%s\"",
			 db->touch_name[i]);
		rc = sqlite3_exec(db->h, sql, NULL, NULL, NULL);
	}
	if (rc != SQLITE_OK) {
		code = store_fail(db, rc, err, _("cannot write to the database"));
		td_store_sync_apply_end(db, code, NULL);
	}
	return code;
}

int td_store_sync_apply_end(td_db *db, int status, td_err *err)
{
	int rc = SQLITE_OK;
	for (int i = 0; i < db->ntouch; i++) {
		if (!status && rc == SQLITE_OK && db->touch[i])
			rc = sqlite3_exec(db->h, db->touch[i], NULL, NULL, NULL);
		free(db->touch[i]);
		free(db->touch_name[i]);
		db->touch[i] = db->touch_name[i] = NULL;
	}
	db->ntouch = 0;
	if (!status && rc != SQLITE_OK)
		status = store_fail(db, rc, err, _("cannot write to the database"));
	if (status) {
		td_store_rollback(db);
		db->applying = false;
		return status;
	}
	status = td_store_commit(db, err);
	db->applying = false;
	return status;
}

/* Column names of a table, cached for one apply. */
struct cols {
	char tbl[64];
	int n;
	char name[64][40];
	unsigned char pk[64];	/* the primary key's columns */
};

struct fix {
	char *sql;			/* UPDATE ... SET col = ?1 WHERE pk = ?2 */
	sqlite3_value *v, *key;
	struct fix *next;
};

struct apply_ctx {
	td_db *db;
	const struct td_sync_change *c;
	const char *at;
	struct td_sync_result *res;
	struct cols cols;
	struct fix *fixes;
	struct merged *merged;
	int rc;
	char self_site[8];
};

/* Column names per table, kept with the connection (they only change
 * with a migration, which runs before anything here). */
#define COLS_CACHED 24

void store_sync_free(td_db *db)
{
	free(db->sync_cols);
	db->sync_cols = NULL;
	sqlite3_close(db->sync_ref);
	db->sync_ref = NULL;
	db->sync_ref_schema = 0;
}

static void read_cols(sqlite3 *h, struct cols *c, const char *tbl)
{
	sqlite3_stmt *st;
	snprintf(c->tbl, sizeof c->tbl, "%s", tbl);
	c->n = 0;
	if (sqlite3_prepare_v2(h, "SELECT name, pk FROM pragma_table_info(?)",
			       -1, &st, NULL) != SQLITE_OK)
		return;
	sqlite3_bind_text(st, 1, tbl, -1, SQLITE_STATIC);
	while (sqlite3_step(st) == SQLITE_ROW && c->n < 64) {
		c->pk[c->n] = sqlite3_column_int(st, 1) > 0;
		store_col_copy(st, 0, c->name[c->n++], 40);
	}
	sqlite3_finalize(st);
}

static const struct cols *cols_of(td_db *db, struct cols *c,
				  const char *tbl)
{
	struct cols *all = db->sync_cols;
	if (!all)
		all = db->sync_cols = calloc(COLS_CACHED, sizeof *all);
	for (int i = 0; all && i < COLS_CACHED && all[i].tbl[0]; i++)
		if (!strcmp(all[i].tbl, tbl))
			return &all[i];
	for (int i = 0; all && i < COLS_CACHED; i++)
		if (!all[i].tbl[0]) {
			c = &all[i];
			break;
		}
	static const struct cols none;
	if (!c)
		return &none;		/* out of memory, or too many tables */
	if (strcmp(c->tbl, tbl) == 0)
		return c;
	read_cols(db->h, c, tbl);
	return c;
}

/* The columns tbl had at schema version v (< this program's): read from
 * an empty in-memory database built by the migrations up to v, kept
 * for the connection. */
static int cols_at(td_db *db, int v, const char *tbl, struct cols *c)
{
	c->n = 0;
	if (db->sync_ref_schema != v) {
		sqlite3_close(db->sync_ref);
		db->sync_ref = NULL;
		db->sync_ref_schema = 0;
		int rc = sqlite3_open_v2(":memory:", &db->sync_ref,
			SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
		for (int m = 0; rc == SQLITE_OK && m < v &&
		     m < store_migration_count; m++)
			for (const char *const *step = store_migrations[m];
			     rc == SQLITE_OK && *step; step++)
				rc = sqlite3_exec(db->sync_ref, *step, NULL, NULL,
						  NULL);
		if (rc != SQLITE_OK) {
			sqlite3_close(db->sync_ref);
			db->sync_ref = NULL;
			return rc;
		}
		db->sync_ref_schema = v;
	}
	read_cols(db->sync_ref, c, tbl);
	return SQLITE_OK;
}

/* Whether this database can take the change as it is (point 3 of the
 * issue: a peer not yet upgraded).  Each table of its changeset must be
 * here, shared, with at least its columns and the same primary key (the
 * session extension applies a change to the leftmost columns and leaves
 * the others to their defaults); a change made at an older schema must
 * name, for each table, the leftmost columns of the table here, as that
 * schema had them: the migrations since only added columns at the end.
 * Otherwise TD_EINVAL naming the table and both versions: nothing of
 * the bundle is applied (its one transaction is rolled back). */
static int check_schema(td_db *db, const struct td_sync_change *c,
			td_err *err)
{
	sqlite3_changeset_iter *it;
	struct cols *old = NULL;
	const char *why = NULL;
	char tbl[64] = "";
	int rc, here = db->schema;
	int from = c->schema > 0 ? c->schema : here;

	if (!c->nchanges)
		return TD_OK;
	rc = sqlite3changeset_start(&it, (int)c->nchanges, (void *)c->changes);
	while (rc == SQLITE_OK && !why && sqlite3changeset_next(it) == SQLITE_ROW) {
		const char *t;
		int ncol, op, ind, npk;
		unsigned char *pk;
		sqlite3changeset_op(it, &t, &ncol, &op, &ind);
		if (!strcmp(t, tbl))
			continue;	/* the same table as the row before */
		snprintf(tbl, sizeof tbl, "%s", t);
		sqlite3changeset_pk(it, &pk, &npk);
		struct cols spare;
		spare.tbl[0] = '\0';
		const struct cols *now = cols_of(db, &spare, tbl);
		if (td_store_sync_local_table(tbl) || now->n == 0) {
			why = _("there is no such shared table here");
			break;
		}
		if (ncol > now->n) {
			why = _("it has more columns than the table here");
			break;
		}
		for (int i = 0; i < ncol && !why; i++)
			if (!pk[i] != !now->pk[i])
				why = _("its primary key is not the table's here");
		if (why || from >= here)
			continue;
		if (!old && !(old = malloc(sizeof *old))) {
			rc = SQLITE_NOMEM;
			break;
		}
		if ((rc = cols_at(db, from, tbl, old)) != SQLITE_OK)
			break;
		if (old->n == 0 || ncol > old->n)
			why = _("that schema had no such table or fewer columns");
		for (int i = 0; i < ncol && !why; i++)
			if (strcmp(old->name[i], now->name[i]) != 0)
				why = _("its columns are not in the same place here");
	}
	sqlite3changeset_finalize(it);
	free(old);
	if (why)
		return td_err_set(err, TD_EINVAL,
			_("bundle refused, nothing applied: change %lld of %s was made at schema version %d and this database has version %d; its changes to the table %s cannot be mapped onto this schema (%s): upgrade totemdesk at %s, then export again"),
			c->seq, c->site, from, here, tbl, why, c->site);
	if (rc != SQLITE_OK && rc != SQLITE_DONE)
		return store_fail(db, rc, err,
				  _("cannot apply the other site's changes"));
	return TD_OK;
}

static const char *col_name(const struct cols *c, int i)
{
	return i >= 0 && i < c->n ? c->name[i] : "";
}

size_t store_cols_size(void)
{
	return sizeof(struct cols);
}

static const struct cols *table_cols(struct apply_ctx *a, const char *tbl)
{
	return cols_of(a->db, &a->cols, tbl);
}

static int col_index(const struct cols *c, const char *name)
{
	for (int i = 0; i < c->n; i++)
		if (strcmp(c->name[i], name) == 0)
			return i;
	return -1;
}

/* -1, 0, 1 as SQLite would order the two values (NULL first). */
static int value_cmp(sqlite3_value *x, sqlite3_value *y)
{
	int tx = x ? sqlite3_value_type(x) : SQLITE_NULL;
	int ty = y ? sqlite3_value_type(y) : SQLITE_NULL;
	if (tx == SQLITE_NULL || ty == SQLITE_NULL)
		return (tx != SQLITE_NULL) - (ty != SQLITE_NULL);
	bool nx = tx == SQLITE_INTEGER || tx == SQLITE_FLOAT;
	bool ny = ty == SQLITE_INTEGER || ty == SQLITE_FLOAT;
	if (nx && ny) {
		double a = sqlite3_value_double(x), b = sqlite3_value_double(y);
		return (a > b) - (a < b);
	}
	if (nx != ny)
		return nx ? -1 : 1;
	int la = sqlite3_value_bytes(x), lb = sqlite3_value_bytes(y);
	const void *pa = sqlite3_value_blob(x), *pb = sqlite3_value_blob(y);
	int m = memcmp(pa ? pa : "", pb ? pb : "", (size_t)(la < lb ? la : lb));
	if (m)
		return m < 0 ? -1 : 1;
	return (la > lb) - (la < lb);
}

static bool value_eq(sqlite3_value *x, sqlite3_value *y)
{
	return value_cmp(x, y) == 0;
}

/* Who wrote a column's current value, and when (the row's insert when
 * the column was never changed since); "" when nobody knows. */
struct wkey {
	int erase, own;
	char at[24], site[8];
};

static void col_stamp(struct apply_ctx *a, const char *tbl, const char *key,
		      const char *col, struct wkey *k)
{
	sqlite3_stmt *st;
	k->site[0] = k->at[0] = '\0';
	if (sqlite3_prepare_v2(a->db->h,
		"SELECT site, at FROM sync_stamp WHERE tbl = ?1 AND row_key = ?2"
		" AND col IN (?3, '') ORDER BY col DESC LIMIT 1",
		-1, &st, NULL) != SQLITE_OK)
		return;
	sqlite3_bind_text(st, 1, tbl, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, col, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW) {
		store_col_copy(st, 0, k->site, sizeof k->site);
		store_col_copy(st, 1, k->at, sizeof k->at);
	}
	sqlite3_finalize(st);
}

static void set_stamp(struct apply_ctx *a, const char *tbl, const char *key,
		      const char *col, const struct wkey *k)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(a->db->h,
		"INSERT INTO sync_stamp(tbl, row_key, col, site, at)"
		" VALUES (?, ?, ?, ?, ?) ON CONFLICT(tbl, row_key, col)"
		" DO UPDATE SET site = excluded.site, at = excluded.at",
		-1, &st, NULL) != SQLITE_OK) {
		a->rc = SQLITE_NOMEM;
		return;
	}
	sqlite3_bind_text(st, 1, tbl, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, col, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, k->site, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, k->at, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE)
		a->rc = sqlite3_extended_errcode(a->db->h);
	sqlite3_finalize(st);
}

/* The order of two writes of one column: the owning site's first, then
 * the later one, then the greater site code. */
static int wkey_cmp(const struct wkey *x, const struct wkey *y)
{
	int c = x->own - y->own;
	if (!c)
		c = strcmp(x->at, y->at);
	if (!c)
		c = strcmp(x->site, y->site);
	return c > 0 ? 1 : c < 0 ? -1 : 0;
}

static void record_conflict(struct apply_ctx *a, const char *tbl,
			    const char *key, const char *col,
			    sqlite3_value *kept, sqlite3_value *lost,
			    const char *kept_site, const char *lost_site,
			    const char *rule)
{
	sqlite3_stmt *st;
	a->res->conflicts++;
	if (sqlite3_prepare_v2(a->db->h,
		"INSERT INTO sync_conflict(at, tbl, row_key, col, kept, lost,"
		" kept_site, lost_site, rule) VALUES (?,?,?,?,?,?,?,?,?)",
		-1, &st, NULL) != SQLITE_OK)
		return;
	sqlite3_bind_text(st, 1, a->at, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, tbl, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, col, -1, SQLITE_STATIC);
	if (kept)
		sqlite3_bind_value(st, 5, kept);
	else
		sqlite3_bind_null(st, 5);
	if (lost)
		sqlite3_bind_value(st, 6, lost);
	else
		sqlite3_bind_null(st, 6);
	sqlite3_bind_text(st, 7, kept_site, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 8, lost_site, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 9, rule, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE)
		a->rc = sqlite3_extended_errcode(a->db->h);
	sqlite3_finalize(st);
}

static void add_fix(struct apply_ctx *a, const char *tbl, const char *col,
		    const char *pkcol, sqlite3_value *v, sqlite3_value *key)
{
	struct fix *f = calloc(1, sizeof *f);
	size_t n = strlen(tbl) + strlen(col) + strlen(pkcol) + 64;
	if (f)
		f->sql = malloc(n);
	if (!f || !f->sql) {
		free(f);
		a->rc = SQLITE_NOMEM;
		return;
	}
	snprintf(f->sql, n, "UPDATE \"%s\" SET \"%s\" = ?1 WHERE \"%s\" = ?2",
		 tbl, col, pkcol);
	f->v = v ? sqlite3_value_dup(v) : NULL;
	f->key = sqlite3_value_dup(key);
	f->next = a->fixes;
	a->fixes = f;
}

/* Columns an erasure or a withdrawal of consent decides whatever the
 * time: their side wins. */
enum special { SP_NONE, SP_MAX, SP_MIN, SP_SET_WINS };

static enum special special_col(const char *col)
{
	if (strcmp(col, "deleted") == 0)
		return SP_MAX;			/* a deletion is never undone */
	/* How many times and when last the row changed, whoever's fields
	 * won: the greater, so that every database ends the same. */
	if (strcmp(col, "version") == 0 || strcmp(col, "updated_at") == 0)
		return SP_MAX;
	if (strcmp(col, "consent") == 0)
		return SP_MIN;			/* a withdrawal of consent wins */
	if (strcmp(col, "erased_at") == 0 ||
	    strcmp(col, "consent_withdrawn_at") == 0 ||
	    strcmp(col, "consent_withdrawn_by") == 0)
		return SP_SET_WINS;
	return SP_NONE;
}

/* The value of column i as the change leaves it: the new value of an
 * UPDATE when the column changes, else the current row's. */
static sqlite3_value *incoming(sqlite3_changeset_iter *it, int op, int i,
			       bool *changed)
{
	sqlite3_value *v = NULL;
	*changed = false;
	if (op == SQLITE_INSERT) {
		sqlite3changeset_new(it, i, &v);
		*changed = true;
		return v;
	}
	if (op == SQLITE_UPDATE && sqlite3changeset_new(it, i, &v) ==
	    SQLITE_OK && v) {
		*changed = true;
		return v;
	}
	return NULL;
}

static int merge(struct apply_ctx *a, sqlite3_changeset_iter *it)
{
	const char *tbl;
	int ncol, op, ind;
	unsigned char *pk;
	int npk;
	char key[256];
	bool ch;

	sqlite3changeset_op(it, &tbl, &ncol, &op, &ind);
	sqlite3changeset_pk(it, &pk, &npk);
	row_key(it, ncol, op == SQLITE_INSERT, key, sizeof key);
	if (op == SQLITE_DELETE)
		return SQLITE_CHANGESET_REPLACE; /* a removal always wins */
	const struct cols *cols = table_cols(a, tbl);
	if (cols->n != ncol)
		return SQLITE_CHANGESET_OMIT;
	int pkcol = -1;
	for (int i = 0; i < ncol; i++)
		if (pk[i]) {
			pkcol = i;
			break;
		}
	if (pkcol < 0)
		return SQLITE_CHANGESET_OMIT;

	/* Each column is settled on its own, by the same answer at every
	 * database whatever the order the changes come in:
	 *  - a column only the incoming side changed is taken;
	 *  - an erased row keeps its erasure, an erasure is taken; a
	 *    deletion and a withdrawal of consent are never undone;
	 *  - otherwise the write of the owning site (the row's site_code),
	 *    then the later write, then the greater site code, then the
	 *    greater value. */
	struct wkey in = { 0 };
	snprintf(in.site, sizeof in.site, "%s", a->c->site ? a->c->site : "");
	int ius = col_index(cols, "updated_at"), iown = col_index(cols,
								   "site_code");
	sqlite3_value *owner = NULL, *kv = NULL;
	if (ius >= 0) {
		sqlite3_value *v = incoming(it, op, ius, &ch);
		if (v && sqlite3_value_type(v) == SQLITE_TEXT)
			snprintf(in.at, sizeof in.at, "%s", sqlite3_value_text(v));
	}
	if (!in.at[0])
		snprintf(in.at, sizeof in.at, "%s", a->c->at ? a->c->at : "");
	if (iown >= 0)
		sqlite3changeset_conflict(it, iown, &owner);
	const char *own = owner && sqlite3_value_type(owner) == SQLITE_TEXT
		? (const char *)sqlite3_value_text(owner) : NULL;
	in.own = own && !strcmp(in.site, own);
	int erase_in = 0, erase_cur = 0;
	int ie = col_index(cols, "erased_at");
	if (ie >= 0) {
		sqlite3_value *x = NULL, *y = incoming(it, op, ie, &ch);
		sqlite3changeset_conflict(it, ie, &x);
		erase_cur = x && sqlite3_value_type(x) != SQLITE_NULL;
		erase_in = ch && y && sqlite3_value_type(y) != SQLITE_NULL;
	}

	sqlite3changeset_conflict(it, pkcol, &kv);
	for (int i = 0; i < ncol; i++) {
		sqlite3_value *old = NULL, *cur = NULL;
		sqlite3_value *nv = incoming(it, op, i, &ch);
		const char *name = cols->name[i];
		if (!ch || pk[i])
			continue;
		sqlite3changeset_conflict(it, i, &cur);
		if (op == SQLITE_UPDATE)
			sqlite3changeset_old(it, i, &old);
		enum special sp = special_col(name);
		bool stamped = sp != SP_MAX || !strcmp(name, "deleted");
		struct wkey now_k;
		col_stamp(a, tbl, key, name, &now_k);
		now_k.own = own && !strcmp(now_k.site, own);
		int kc = wkey_cmp(&in, &now_k);
		bool take;
		const char *why = "";
		if (value_eq(cur, nv)) {
			/* The same value: keep the greater write's stamp. */
			if (stamped && kc > 0)
				set_stamp(a, tbl, key, name, &in);
			continue;
		}
		int c = value_cmp(nv, cur);
		if (op == SQLITE_UPDATE && value_eq(cur, old)) {
			take = true;		/* only the other side changed it */
		} else if (sp == SP_MAX) {
			take = c > 0;
			why = strcmp(name, "deleted") ? "" : "deletion";
		} else if (sp == SP_MIN) {
			take = c < 0, why = "withdrawal";
		} else if (sp == SP_SET_WINS) {
			/* Set wins over unset; of two, the first. */
			bool n_set = nv && sqlite3_value_type(nv) != SQLITE_NULL;
			bool c_set = cur && sqlite3_value_type(cur) != SQLITE_NULL;
			take = n_set != c_set ? n_set : c < 0;
			why = "erasure";
		} else if (erase_in != erase_cur) {
			take = erase_in, why = "erasure";
		} else {
			take = kc ? kc > 0 : c > 0;
			why = (in.own || now_k.own) && in.own != now_k.own
			      ? "owner" : "last_writer";
		}
		if (*why)
			record_conflict(a, tbl, key, name, take ? nv : cur,
					take ? cur : nv,
					take ? in.site : now_k.site,
					take ? now_k.site : in.site, why);
		if (take) {
			add_fix(a, tbl, name, cols->name[pkcol], nv, kv);
			if (stamped)
				set_stamp(a, tbl, key, name, &in);
		}
	}
	struct merged *m = calloc(1, sizeof *m);
	size_t ml = strlen(tbl) + strlen(key) + 2;
	if (m && (m->key = malloc(ml))) {
		snprintf(m->key, ml, "%s\x1f%s", tbl, key);
		m->next = a->merged;
		a->merged = m;
	} else {
		free(m);
		a->rc = SQLITE_NOMEM;
	}
	return SQLITE_CHANGESET_OMIT;
}

static int on_conflict(void *ctx, int type, sqlite3_changeset_iter *it)
{
	struct apply_ctx *a = ctx;
	const char *tbl;
	int ncol, op, ind;
	char key[256];

	sqlite3changeset_op(it, &tbl, &ncol, &op, &ind);
	switch (type) {
	case SQLITE_CHANGESET_DATA:
	case SQLITE_CHANGESET_CONFLICT:
		return merge(a, it);
	case SQLITE_CHANGESET_NOTFOUND:
		/* Changed or removed there, never here: nothing to change. */
		return SQLITE_CHANGESET_OMIT;
	case SQLITE_CHANGESET_CONSTRAINT:
		row_key(it, ncol, op == SQLITE_INSERT, key, sizeof key);
		record_conflict(a, tbl, key, "", NULL, NULL, "", a->c->site,
				"constraint");
		return SQLITE_CHANGESET_OMIT;
	case SQLITE_CHANGESET_FOREIGN_KEY:
	default:
		record_conflict(a, "", "", "", NULL, NULL, "", a->c->site,
				"foreign_key");
		return SQLITE_CHANGESET_OMIT;
	}
}

static int apply_fixes(struct apply_ctx *a)
{
	int rc = SQLITE_OK;
	while (a->fixes) {
		struct fix *f = a->fixes;
		a->fixes = f->next;
		if (rc == SQLITE_OK) {
			sqlite3_stmt *st;
			rc = sqlite3_prepare_v2(a->db->h, f->sql, -1, &st, NULL);
			if (rc == SQLITE_OK) {
				if (f->v)
					sqlite3_bind_value(st, 1, f->v);
				sqlite3_bind_value(st, 2, f->key);
				rc = sqlite3_step(st);
				rc = rc == SQLITE_DONE ? SQLITE_OK : rc;
				sqlite3_finalize(st);
			}
		}
		sqlite3_value_free(f->v);
		sqlite3_value_free(f->key);
		free(f->sql);
		free(f);
	}
	return rc;
}

/* Insert the rows another database appended to its logs, by column
 * name; only columns this table has, of a log table this database
 * has. */
struct logval {
	const char *name;
	size_t nname;
	unsigned char type;
	uint64_t num;
	const unsigned char *p;
	uint32_t n;
};

static int apply_logs(td_db *db, struct cols *cache, const void *p, size_t n)
{
	struct reader r = { p, n, 0, false };
	int rc = SQLITE_OK;

	while (rc == SQLITE_OK && r.at < r.n && !r.bad) {
		const unsigned char *s;
		uint32_t ln = get_u32(&r);
		char tbl[40], sql[2048];
		struct logval v[32];
		if (ln >= sizeof tbl || !get(&r, &s, ln))
			return SQLITE_CORRUPT;
		memcpy(tbl, s, ln);
		tbl[ln] = '\0';
		int li = -1;
		for (int i = 0; i < NLOGS; i++)
			if (!strcmp(log_tables[i], tbl) && db->log_exists[i])
				li = i;
		uint32_t nc = get_u32(&r);
		if (nc > 32)
			return SQLITE_CORRUPT;
		for (uint32_t c = 0; c < nc && !r.bad; c++) {
			const unsigned char *t;
			v[c].nname = get_u32(&r);
			if (v[c].nname >= 40 || !get(&r, &s, v[c].nname) ||
			    !get(&r, &t, 1))
				return SQLITE_CORRUPT;
			v[c].name = (const char *)s;
			v[c].type = *t;
			if (*t == SQLITE_INTEGER || *t == SQLITE_FLOAT) {
				v[c].num = (uint64_t)get_u32(&r) << 32;
				v[c].num |= get_u32(&r);
			} else if (*t == SQLITE_TEXT || *t == SQLITE_BLOB) {
				v[c].n = get_u32(&r);
				if (!get(&r, &v[c].p, v[c].n))
					return SQLITE_CORRUPT;
			} else if (*t != SQLITE_NULL) {
				return SQLITE_CORRUPT;
			}
		}
		if (r.bad)
			return SQLITE_CORRUPT;
		if (li < 0)
			continue;	/* a log this database does not keep */
		/* Only this table's own column names reach the SQL. */
		const struct cols *cols = cols_of(db, cache, tbl);
		int which[32], used = 0;
		size_t o = (size_t)snprintf(sql, sizeof sql, "INSERT INTO %s(", tbl);
		for (uint32_t c = 0; c < nc; c++) {
			char name[40];
			memcpy(name, v[c].name, v[c].nname);
			name[v[c].nname] = '\0';
			if (col_index(cols, name) < 0 || !strcmp(name, "id"))
				continue;
			o += (size_t)snprintf(sql + o, sizeof sql - o, "%s\"%s\"",
					      used ? "," : "", name);
			which[used++] = (int)c;
		}
		o += (size_t)snprintf(sql + o, sizeof sql - o, ") VALUES (");
		for (int c = 0; c < used; c++)
			o += (size_t)snprintf(sql + o, sizeof sql - o, "%s?",
					      c ? "," : "");
		snprintf(sql + o, sizeof sql - o, ")");
		sqlite3_stmt *st;
		if (!used)
			continue;
		rc = sqlite3_prepare_v3(db->h, sql, -1, SQLITE_PREPARE_PERSISTENT,
					&st, NULL);
		if (rc != SQLITE_OK)
			return rc;
		for (int c = 0; c < used; c++) {
			const struct logval *x = &v[which[c]];
			double d;
			switch (x->type) {
			case SQLITE_INTEGER:
				sqlite3_bind_int64(st, c + 1, (sqlite3_int64)x->num);
				break;
			case SQLITE_FLOAT:
				memcpy(&d, &x->num, 8);
				sqlite3_bind_double(st, c + 1, d);
				break;
			case SQLITE_TEXT:
				sqlite3_bind_text(st, c + 1, (const char *)x->p,
						  (int)x->n, SQLITE_STATIC);
				break;
			case SQLITE_BLOB:
				sqlite3_bind_blob(st, c + 1, x->p, (int)x->n,
						  SQLITE_STATIC);
				break;
			default:
				sqlite3_bind_null(st, c + 1);
			}
		}
		rc = sqlite3_step(st);
		rc = rc == SQLITE_DONE ? SQLITE_OK : rc;
		sqlite3_finalize(st);
	}
	return r.bad ? SQLITE_CORRUPT : rc;
}

/* A dossier of this site's own that comes back from another database
 * (this one was restored from a backup older than it): the reference
 * counter passes its number, so the next intake here does not mint it
 * again. */
static int raise_counter(td_db *db, const char *id, const char *site,
			 td_err *err)
{
	return exec_bind(db,
		"INSERT INTO ref_counter(site_code, year, last)"
		" SELECT site_code, CAST(substr(reference, 5, 4) AS INTEGER),"
		" CAST(substr(reference, 10) AS INTEGER) FROM dossier"
		" WHERE id = ?1 AND site_code = ?2"
		" AND substr(reference, 1, 3) = site_code AND reference GLOB"
		" '[A-Z][A-Z][A-Z]-[0-9][0-9][0-9][0-9]-[0-9]*'"
		" ON CONFLICT(site_code, year) DO UPDATE"
		" SET last = max(last, excluded.last)", id, site, NULL, 0, err);
}

/* The holders a changeset touched get their duplicate keys again; this
 * site's own dossiers, their reference counter. */
static int reindex_holders(td_db *db, const void *cs, size_t ncs,
			   const char *self_site, td_err *err)
{
	sqlite3_changeset_iter *it;
	int code = TD_OK;
	if (sqlite3changeset_start(&it, (int)ncs, (void *)cs) != SQLITE_OK)
		return TD_OK;
	while (!code && sqlite3changeset_next(it) == SQLITE_ROW) {
		const char *tbl;
		int ncol, op, ind;
		char key[256];
		sqlite3changeset_op(it, &tbl, &ncol, &op, &ind);
		if (op == SQLITE_INSERT && *self_site &&
		    !strcmp(tbl, "dossier")) {
			row_key(it, ncol, true, key, sizeof key);
			code = raise_counter(db, key, self_site, err);
			continue;
		}
		if (strcmp(tbl, "holder") != 0 || op == SQLITE_DELETE)
			continue;
		row_key(it, ncol, op == SQLITE_INSERT, key, sizeof key);
		code = td_store_dup_index(db, key, err);
		if (code == TD_ENOTFOUND)
			code = TD_OK;
	}
	sqlite3changeset_finalize(it);
	return code;
}

/* An erasure that came from another site: its changeset already blanked
 * the rows it cleared there; here the field history of the erased
 * dossiers goes too (a log: its rows are appended, never changed, by
 * the exchange), the duplicate keys are dropped, and the changesets this
 * database keeps for passing on are scrubbed of the erased values
 * (td_store_erase_scrub). */
static int replay_erasures(td_db *db, const void *cs, size_t ncs,
			   struct td_sync_result *res, td_err *err)
{
	sqlite3_changeset_iter *it;
	int code = TD_OK;
	if (sqlite3changeset_start(&it, (int)ncs, (void *)cs) != SQLITE_OK)
		return TD_OK;
	struct cols *cache = NULL;
	while (!code && sqlite3changeset_next(it) == SQLITE_ROW) {
		const char *tbl;
		int ncol, op, ind;
		sqlite3changeset_op(it, &tbl, &ncol, &op, &ind);
		if (strcmp(tbl, "erasure") != 0 || op != SQLITE_INSERT)
			continue;
		const struct cols *cols = cols_of(db, cache, tbl);
		struct td_erasure_rec r;
		memset(&r, 0, sizeof r);
		for (int i = 0; i < ncol; i++) {
			sqlite3_value *v = NULL;
			const char *name = col_name(cols, i);
			if (sqlite3changeset_new(it, i, &v) != SQLITE_OK || !v ||
			    sqlite3_value_type(v) != SQLITE_TEXT)
				continue;
			const char *t = (const char *)sqlite3_value_text(v);
			if (!strcmp(name, "record_key"))
				snprintf(r.key, sizeof r.key, "%s", t);
			else if (!strcmp(name, "kind"))
				snprintf(r.kind, sizeof r.kind, "%s", t);
			else if (!strcmp(name, "reason"))
				snprintf(r.reason, sizeof r.reason, "%s", t);
			else if (!strcmp(name, "actor"))
				snprintf(r.actor, sizeof r.actor, "%s", t);
			else if (!strcmp(name, "at"))
				snprintf(r.at, sizeof r.at, "%s", t);
		}
		bool holder = !strcmp(r.kind, "holder");
		if (!r.key[0] || (!holder && strcmp(r.kind, "dossier")))
			continue;
		if (db->log_exists[1]) {
			sqlite3_stmt *st;
			int rc = sqlite3_prepare_v2(db->h, holder
				? "DELETE FROM field_change WHERE dossier_id IN"
				  " (SELECT id FROM dossier WHERE holder_id = ?1)"
				: "DELETE FROM field_change WHERE dossier_id = ?1",
				-1, &st, NULL);
			if (rc == SQLITE_OK) {
				sqlite3_bind_text(st, 1, r.key, -1, SQLITE_STATIC);
				rc = sqlite3_step(st);
				rc = rc == SQLITE_DONE ? SQLITE_OK : rc;
				sqlite3_finalize(st);
			}
			if (rc != SQLITE_OK)
				code = store_fail(db, rc, err,
					_("cannot apply the other site's changes"));
		}
		if (!code && holder)
			code = td_store_dup_forget(db, r.key, err);
		if (!code)
			code = td_store_erase_scrub(db, &r, err);
		if (!code)
			res->erasures++;
		/* The search index rewritten without the erased words and
		 * merged into one segment, as the erasure does at its site
		 * (privacy.c). */
		if (!code)
			code = td_store_search_sync(db, err);
		if (!code) {
			int rc = sqlite3_exec(db->h, "INSERT INTO dossier_fts"
				"(dossier_fts) VALUES('optimize')", NULL, NULL, NULL);
			if (rc != SQLITE_OK)
				code = store_fail(db, rc, err,
					_("cannot apply the other site's changes"));
		}
	}
	sqlite3changeset_finalize(it);
	return code;
}

int td_store_sync_apply(td_db *db, const struct td_sync_change *c,
			const char *at, struct td_sync_result *res, td_err *err)
{
	char self[64], site[8];
	self_ids(db, self, site);
	if (strcmp(c->origin, self) == 0) {
		res->skipped++;		/* our own change, come back */
		return TD_OK;
	}
	long long have = one_int(db, "SELECT coalesce(max(seq), 0)"
				 " FROM sync_outbox WHERE origin = ?", c->origin);
	if (c->seq <= have) {
		res->skipped++;
		return TD_OK;
	}
	if (c->seq > have + 1) {
		res->gaps++;		/* an earlier one is missing: later */
		return TD_OK;
	}
	int code = check_schema(db, c, err);
	if (code)
		return code;
	struct apply_ctx a = { .db = db, .c = c, .at = at, .res = res };
	snprintf(a.self_site, sizeof a.self_site, "%s", site);
	int rc = SQLITE_OK;
	/* An erasure from elsewhere: the filters naming the person go
	 * while their names are still here (store/privacy.c). */
	int fc = c->nchanges ? td_store_erase_filters_incoming(db, c->changes,
				c->nchanges, err) : TD_OK;
	if (fc)
		return fc;
	if (c->nchanges)
		rc = sqlite3changeset_apply_v2(db->h, (int)c->nchanges,
					       (void *)c->changes, NULL,
					       on_conflict, &a, NULL, NULL, 0);
	if (rc == SQLITE_OK && a.rc)
		rc = a.rc;
	int frc = apply_fixes(&a);
	if (rc == SQLITE_OK)
		rc = frc;
	if (rc == SQLITE_OK && c->nchanges)
		rc = stamp_rows(db, c->changes, (int)c->nchanges, c->site,
				c->at, a.merged);
	while (a.merged) {
		struct merged *m = a.merged;
		a.merged = m->next;
		free(m->key);
		free(m);
	}
	if (rc == SQLITE_OK && c->nlogs)
		rc = apply_logs(db, &a.cols, c->logs, c->nlogs);
	if (rc == SQLITE_OK)
		rc = outbox_put(db, c->origin, c->seq, c->site, c->at,
				c->changes, c->nchanges, c->logs, c->nlogs);
	if (rc != SQLITE_OK) {
		if (rc == SQLITE_CORRUPT)
			return td_err_set(err, TD_EINVAL,
				_("change %lld of %s cannot be read"), c->seq,
				c->site);
		return store_fail(db, rc, err,
				  _("cannot apply the other site's changes"));
	}
	code = c->nchanges ? reindex_holders(db, c->changes, c->nchanges,
					     site, err) : TD_OK;
	if (!code && c->nchanges)
		code = replay_erasures(db, c->changes, c->nchanges, res, err);
	if (!code)
		res->applied++;
	return code;
}

/* ---- conflicts -------------------------------------------------------------- */

static void col_text(sqlite3_stmt *st, int i, char *out, size_t n)
{
	if (sqlite3_column_type(st, i) == SQLITE_NULL)
		snprintf(out, n, "%s", "");
	else
		store_col_copy(st, i, out, n);
}

int td_store_sync_conflicts(td_db *db, bool open_only,
			    int (*cb)(const struct td_sync_conflict *c,
				      void *ctx),
			    void *ctx, td_err *err)
{
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(db->h, open_only
		? "SELECT id, at, tbl, row_key, col, kept, lost, kept_site,"
		  " lost_site, rule, settled_at IS NOT NULL FROM sync_conflict"
		  " WHERE settled_at IS NULL ORDER BY id"
		: "SELECT id, at, tbl, row_key, col, kept, lost, kept_site,"
		  " lost_site, rule, settled_at IS NOT NULL FROM sync_conflict"
		  " ORDER BY id", -1, &st, NULL);
	if (rc != SQLITE_OK)
		return store_fail(db, rc, err, _("cannot read the database"));
	int code = TD_OK;
	while (!code && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct td_sync_conflict c;
		c.id = sqlite3_column_int64(st, 0);
		col_text(st, 1, c.at, sizeof c.at);
		col_text(st, 2, c.tbl, sizeof c.tbl);
		col_text(st, 3, c.row_key, sizeof c.row_key);
		col_text(st, 4, c.col, sizeof c.col);
		col_text(st, 5, c.kept, sizeof c.kept);
		col_text(st, 6, c.lost, sizeof c.lost);
		col_text(st, 7, c.kept_site, sizeof c.kept_site);
		col_text(st, 8, c.lost_site, sizeof c.lost_site);
		col_text(st, 9, c.rule, sizeof c.rule);
		c.settled = sqlite3_column_int(st, 10);
		code = cb(&c, ctx);
	}
	if (!code && rc != SQLITE_DONE)
		code = store_fail(db, rc, err, _("cannot read the database"));
	sqlite3_finalize(st);
	return code;
}

int td_store_sync_conflict_count(td_db *db, long long *n, td_err *err)
{
	(void)err;
	*n = one_int(db, "SELECT count(*) FROM sync_conflict"
		     " WHERE settled_at IS NULL", NULL);
	if (*n < 0)
		*n = 0;
	return TD_OK;
}

int td_store_sync_settle(td_db *db, long long id, const char *actor,
			 const char *at, td_err *err)
{
	sqlite3_stmt *st;
	char tbl[40], col[40], sql[256];
	int rc = sqlite3_prepare_v2(db->h,
		"SELECT tbl, col FROM sync_conflict WHERE id = ?"
		" AND settled_at IS NULL AND col <> ''", -1, &st, NULL);
	if (rc != SQLITE_OK)
		return store_fail(db, rc, err, _("cannot read the database"));
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_finalize(st);
		return td_err_set(err, TD_ENOTFOUND,
			_("conflict %lld does not exist or is settled already"),
			id);
	}
	store_col_copy(st, 0, tbl, sizeof tbl);
	store_col_copy(st, 1, col, sizeof col);
	sqlite3_finalize(st);
	/* Names from our own rows, checked against the schema. */
	struct apply_ctx tmp = { .db = db };
	const struct cols *cols = table_cols(&tmp, tbl);
	if (td_store_sync_local_table(tbl) || col_index(cols, col) < 0 ||
	    col_index(cols, "id") < 0)
		return td_err_set(err, TD_EINVAL,
			_("conflict %lld names a field this database does not have"),
			id);
	snprintf(sql, sizeof sql,
		 "UPDATE \"%s\" SET \"%s\" = (SELECT lost FROM sync_conflict"
		 " WHERE id = ?1) WHERE id = (SELECT row_key FROM sync_conflict"
		 " WHERE id = ?1)", tbl, col);
	bool nested;
	int code = store_tx_begin(db, &nested, err);
	if (code)
		return code;
	rc = sqlite3_prepare_v2(db->h, sql, -1, &st, NULL);
	if (rc == SQLITE_OK) {
		sqlite3_bind_int64(st, 1, id);
		rc = sqlite3_step(st);
		rc = rc == SQLITE_DONE ? SQLITE_OK : rc;
		sqlite3_finalize(st);
	}
	if (rc == SQLITE_OK) {
		rc = sqlite3_prepare_v2(db->h,
			"UPDATE sync_conflict SET settled_by = ?2, settled_at = ?3"
			" WHERE id = ?1", -1, &st, NULL);
		if (rc == SQLITE_OK) {
			sqlite3_bind_int64(st, 1, id);
			sqlite3_bind_text(st, 2, actor, -1, SQLITE_STATIC);
			sqlite3_bind_text(st, 3, at, -1, SQLITE_STATIC);
			rc = sqlite3_step(st);
			rc = rc == SQLITE_DONE ? SQLITE_OK : rc;
			sqlite3_finalize(st);
		}
	}
	if (rc != SQLITE_OK)
		code = store_fail(db, rc, err, _("cannot write to the database"));
	return store_tx_end(db, nested, code, err);
}

/* ---- canonical content ----------------------------------------------------- */

int td_store_sync_canonical(td_db *db,
			    int (*cb)(const void *p, size_t n, void *ctx),
			    void *ctx, td_err *err)
{
	sqlite3_stmt *tabs;
	int rc = sqlite3_prepare_v2(db->h,
		"SELECT name FROM sqlite_master WHERE type = 'table'"
		" ORDER BY name", -1, &tabs, NULL);
	if (rc != SQLITE_OK)
		return store_fail(db, rc, err, _("cannot read the database"));
	int code = TD_OK;
	while (!code && sqlite3_step(tabs) == SQLITE_ROW) {
		char name[64], sql[4096];
		store_col_copy(tabs, 0, name, sizeof name);
		bool log = in_list(log_tables, name);
		if (!log && td_store_sync_local_table(name))
			continue;
		struct apply_ctx tmp = { .db = db };
		const struct cols *cols = table_cols(&tmp, name);
		size_t o = (size_t)snprintf(sql, sizeof sql, "SELECT ");
		int used = 0;
		for (int i = 0; i < cols->n && o < sizeof sql; i++) {
			if (log && !strcmp(cols->name[i], "id"))
				continue;
			o += (size_t)snprintf(sql + o, sizeof sql - o,
				"%squote(\"%s\")", used++ ? "||'|'||" : "",
				cols->name[i]);
		}
		if (o >= sizeof sql || !used)
			continue;
		snprintf(sql + o, sizeof sql - o, " AS r FROM \"%s\" ORDER BY r",
			 name);
		sqlite3_stmt *st;
		rc = sqlite3_prepare_v2(db->h, sql, -1, &st, NULL);
		if (rc != SQLITE_OK) {
			code = store_fail(db, rc, err, _("cannot read the database"));
			break;
		}
		code = cb(name, strlen(name), ctx);
		while (!code && sqlite3_step(st) == SQLITE_ROW) {
			code = cb("\n", 1, ctx);
			if (!code)
				code = cb(sqlite3_column_text(st, 0),
					  (size_t)sqlite3_column_bytes(st, 0),
					  ctx);
		}
		if (!code)
			code = cb("\n\n", 2, ctx);
		sqlite3_finalize(st);
	}
	sqlite3_finalize(tabs);
	return code;
}
